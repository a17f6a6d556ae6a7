// One Chain interface for the embedded simulator and any remote wasmd node, so the CLI, the demo and
// the tests drive contracts the same way wherever they run.

export interface Coin { denom: string; amount: string }

export interface ChainEvent { type: string; attributes: { key: string; value: string }[] }

export interface ExecuteResult {
  events: ChainEvent[];
  /** Response.data, if the contract set it. */
  data: Uint8Array | null;
  /** Transaction hash on a remote chain; null on the embedded one. */
  txHash: string | null;
  /** Gas reported by the chain (remote) — the embedded chain leaves it null; use scripts/gas. */
  gasUsed: number | null;
}

export interface InstantiateResult extends ExecuteResult { contractAddress: string }

/** A contract call that the chain or the contract rejected; `message` carries the contract's error. */
export class ContractError extends Error {
  constructor(message: string) { super(message); this.name = "ContractError"; }
}

export interface Chain {
  readonly chainId: string;
  readonly bech32Prefix: string;
  readonly denom: string;
  storeCode(sender: string, wasm: Uint8Array): Promise<number>;
  instantiate(sender: string, codeId: number, msg: unknown, label: string, funds?: Coin[], admin?: string): Promise<InstantiateResult>;
  execute(sender: string, contract: string, msg: unknown, funds?: Coin[]): Promise<ExecuteResult>;
  migrate(sender: string, contract: string, codeId: number, msg: unknown): Promise<ExecuteResult>;
  query<T = unknown>(contract: string, msg: unknown): Promise<T>;
  balance(address: string, denom?: string): Promise<string>;
  height(): Promise<number>;
  /** Seconds since the Unix epoch of the latest block. */
  time(): Promise<number>;
  /** Moves the chain forward (embedded: instantly; remote: waits for real blocks). */
  advanceBlocks(blocks: number, secondsPerBlock?: number): Promise<void>;
}

/** Finds an attribute in the events of a result (first match). */
export function findAttribute(result: ExecuteResult, key: string, eventType = "wasm"): string | undefined {
  for (const event of result.events) {
    if (event.type !== eventType) continue;
    const attr = event.attributes.find((a) => a.key === key);
    if (attr) return attr.value;
  }
  return undefined;
}
