// The embedded chain: @oraichain/cw-simulate running our modules in-process, with the host patched to
// wasmvm's semantics (host.ts): secp256r1_verify present, standard iterators, fresh instance per call.
// Block height and time are ours to move, so tests can cross epochs and expiry windows instantly.
import { CWSimulateApp } from "@oraichain/cw-simulate";
import { toBech32 } from "@cosmjs/encoding";
import { sha256 } from "@noble/hashes/sha2.js";
import { installStandardHost } from "./host";
import { Chain, Coin, ContractError, ExecuteResult, InstantiateResult, ChainEvent } from "./types";

export interface EmbeddedChainOptions {
  chainId?: string;
  bech32Prefix?: string;
  denom?: string;
  /** Unix seconds of the first block (default: 2026-01-01T00:00:00Z). */
  startTime?: number;
  startHeight?: number;
  /** Seconds between blocks (default 5). */
  blockSeconds?: number;
}

const DEFAULT_START_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z
const NANOS_PER_SECOND = 1e9;

interface SimResult<T> { ok: boolean; err: boolean; val: T }

export class EmbeddedChain implements Chain {
  readonly chainId: string;
  readonly bech32Prefix: string;
  readonly denom: string;
  readonly app: CWSimulateApp;
  readonly blockSeconds: number;

  constructor(options: EmbeddedChainOptions = {}) {
    installStandardHost();
    this.chainId = options.chainId ?? "tee-attest-local";
    this.bech32Prefix = options.bech32Prefix ?? "gonka";
    this.denom = options.denom ?? "ngonka";
    this.app = new CWSimulateApp({ chainId: this.chainId, bech32Prefix: this.bech32Prefix });
    this.blockSeconds = options.blockSeconds ?? 5;
    this.app.height = options.startHeight ?? 1;
    this.app.time = (options.startTime ?? DEFAULT_START_TIME) * NANOS_PER_SECOND;
  }

  /** Every transaction lands in a new block, `blockSeconds` later. cw-simulate's own block step would
   * jump time to the wall clock, which makes runs irreproducible, so we step ourselves. */
  private nextBlock(): void {
    this.app.height = this.app.height + 1;
    this.app.time = this.app.time + this.blockSeconds * NANOS_PER_SECOND;
  }

  /** A deterministic, valid address for a named test account. */
  address(name: string): string {
    return toBech32(this.bech32Prefix, sha256(new TextEncoder().encode(`tee-attest/account/${name}`)).slice(0, 20));
  }

  /** Credits an account (test faucet). */
  fund(address: string, amount: string, denom = this.denom): void {
    const current = BigInt(this.bankBalance(address, denom));
    const others = this.app.bank.getBalance(address).filter((c: Coin) => c.denom !== denom);
    this.app.bank.setBalance(address, [...others, { denom, amount: (current + BigInt(amount)).toString() }]);
  }

  private bankBalance(address: string, denom: string): string {
    return this.app.bank.getBalance(address).find((c: Coin) => c.denom === denom)?.amount ?? "0";
  }

  async storeCode(sender: string, wasm: Uint8Array): Promise<number> {
    // cw-simulate's storeCode steps a block at the wall clock; keep our deterministic height and time.
    const { height, time } = this.app;
    const result = this.app.wasm.storeCode(sender, wasm) as unknown as SimResult<number>;
    this.app.height = height;
    this.app.time = time;
    if (result.err) throw new ContractError(String(result.val));
    return result.val;
  }

  async instantiate(sender: string, codeId: number, msg: unknown, label: string, funds: Coin[] = [], admin?: string): Promise<InstantiateResult> {
    const result = (this.nextBlock(), await this.app.wasm.instantiateContract(sender, funds, codeId, msg, label, admin ?? null, null, [], true)) as unknown as SimResult<{ events: ChainEvent[]; data: string | null }>;
    if (result.err) throw new ContractError(String(result.val));
    const base = toExecuteResult(result.val);
    const contractAddress = findContractAddress(base.events);
    if (!contractAddress) throw new ContractError("instantiate did not report a contract address");
    return { ...base, contractAddress };
  }

  async execute(sender: string, contract: string, msg: unknown, funds: Coin[] = []): Promise<ExecuteResult> {
    const result = (this.nextBlock(), await this.app.wasm.executeContract(sender, funds, contract, msg, [], true)) as unknown as SimResult<{ events: ChainEvent[]; data: string | null }>;
    if (result.err) throw new ContractError(String(result.val));
    return toExecuteResult(result.val);
  }

  async migrate(sender: string, contract: string, codeId: number, msg: unknown): Promise<ExecuteResult> {
    const result = (this.nextBlock(), await this.app.wasm.migrateContract(sender, codeId, contract, msg, [], true)) as unknown as SimResult<{ events: ChainEvent[]; data: string | null }>;
    if (result.err) throw new ContractError(String(result.val));
    return toExecuteResult(result.val);
  }

  async query<T = unknown>(contract: string, msg: unknown): Promise<T> {
    const result = this.app.wasm.query(contract, msg) as unknown as SimResult<T>;
    if (result.err) throw new ContractError(String(result.val));
    return result.val;
  }

  async balance(address: string, denom = this.denom): Promise<string> {
    return this.bankBalance(address, denom);
  }

  async height(): Promise<number> { return this.app.height; }

  async time(): Promise<number> { return Math.floor(this.app.time / NANOS_PER_SECOND); }

  async advanceBlocks(blocks: number, secondsPerBlock = this.blockSeconds): Promise<void> {
    if (!Number.isInteger(blocks) || blocks < 0) throw new RangeError("blocks must be a non-negative integer");
    this.app.height = this.app.height + blocks;
    this.app.time = this.app.time + blocks * secondsPerBlock * NANOS_PER_SECOND;
  }

  /** Sets the block time (Unix seconds); embedded only, forward or backward. */
  setTime(seconds: number): void { this.app.time = seconds * NANOS_PER_SECOND; }
}

function toExecuteResult(response: { events: ChainEvent[]; data: string | null }): ExecuteResult {
  return {
    events: response.events ?? [],
    data: response.data ? Uint8Array.from(Buffer.from(response.data, "base64")) : null,
    txHash: null,
    gasUsed: null,
  };
}

function findContractAddress(events: ChainEvent[]): string | undefined {
  for (const event of events) {
    if (event.type !== "instantiate") continue;
    const attr = event.attributes.find((a) => a.key === "_contract_address" || a.key === "_contract_addr");
    if (attr) return attr.value;
  }
  return undefined;
}
