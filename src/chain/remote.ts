// The remote chain: any wasmd >= 0.50 node (Gonka's included) through @cosmjs. Transactions are signed
// by a local HD wallet; `sender` must be one of its accounts. Nothing here can move a real chain's
// clock, so advanceBlocks waits for real blocks.
import { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, calculateFee } from "@cosmjs/stargate";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { Chain, ChainEvent, Coin, ContractError, ExecuteResult, InstantiateResult } from "./types";

export interface RemoteChainOptions {
  rpcUrl: string;
  mnemonic: string;
  /** bech32 address prefix, e.g. "gonka". */
  prefix: string;
  /** e.g. "0ngonka" or "0.025ustake". */
  gasPrice: string;
  /** Base denom for balances, default taken from gasPrice. */
  denom?: string;
  /** How many HD accounts (m/44'/118'/0'/0/i) the wallet exposes; default 4. */
  accounts?: number;
  /** Multiplier applied to simulated gas; default 1.4. */
  gasAdjustment?: number;
  /** Poll interval and limit while waiting for blocks. */
  pollMs?: number;
  blockTimeoutMs?: number;
}

export class RemoteChain implements Chain {
  readonly bech32Prefix: string;
  readonly denom: string;
  private constructor(
    readonly chainId: string,
    private readonly client: SigningCosmWasmClient,
    readonly addresses: string[],
    private readonly options: RemoteChainOptions,
    private readonly gasPrice: GasPrice,
  ) {
    this.bech32Prefix = options.prefix;
    this.denom = options.denom ?? gasPrice.denom;
  }

  static async connect(options: RemoteChainOptions): Promise<RemoteChain> {
    const count = options.accounts ?? 4;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, {
      prefix: options.prefix,
      hdPaths: Array.from({ length: count }, (_, i) => makeCosmoshubPath(i)),
    });
    const gasPrice = GasPrice.fromString(options.gasPrice);
    const client = await SigningCosmWasmClient.connectWithSigner(options.rpcUrl, wallet, { gasPrice });
    const chainId = await client.getChainId();
    const addresses = (await wallet.getAccounts()).map((a) => a.address);
    return new RemoteChain(chainId, client, addresses, options, gasPrice);
  }

  private fee(gas: number) {
    return calculateFee(Math.ceil(gas * (this.options.gasAdjustment ?? 1.4)), this.gasPrice);
  }

  private async simulateFee(sender: string, messages: Parameters<SigningCosmWasmClient["simulate"]>[1]) {
    return this.fee(await this.client.simulate(sender, messages, undefined));
  }

  private wrap<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((err: unknown) => { throw new ContractError(err instanceof Error ? err.message : String(err)); });
  }

  async storeCode(sender: string, wasm: Uint8Array): Promise<number> {
    const result = await this.wrap(this.client.upload(sender, wasm, "auto"));
    return result.codeId;
  }

  async instantiate(sender: string, codeId: number, msg: unknown, label: string, funds: Coin[] = [], admin?: string): Promise<InstantiateResult> {
    const result = await this.wrap(this.client.instantiate(sender, codeId, msg as Record<string, unknown>, label, "auto", { funds, admin }));
    return { contractAddress: result.contractAddress, events: result.events as ChainEvent[], data: null, txHash: result.transactionHash, gasUsed: Number(result.gasUsed) };
  }

  async execute(sender: string, contract: string, msg: unknown, funds: Coin[] = []): Promise<ExecuteResult> {
    const result = await this.wrap(this.client.execute(sender, contract, msg as Record<string, unknown>, "auto", undefined, funds));
    return { events: result.events as ChainEvent[], data: null, txHash: result.transactionHash, gasUsed: Number(result.gasUsed) };
  }

  async migrate(sender: string, contract: string, codeId: number, msg: unknown): Promise<ExecuteResult> {
    const result = await this.wrap(this.client.migrate(sender, contract, codeId, msg as Record<string, unknown>, "auto"));
    return { events: result.events as ChainEvent[], data: null, txHash: result.transactionHash, gasUsed: Number(result.gasUsed) };
  }

  async query<T = unknown>(contract: string, msg: unknown): Promise<T> {
    return this.wrap(this.client.queryContractSmart(contract, msg as Record<string, unknown>)) as Promise<T>;
  }

  async balance(address: string, denom = this.denom): Promise<string> {
    return (await this.client.getBalance(address, denom)).amount;
  }

  async height(): Promise<number> { return this.client.getHeight(); }

  async time(): Promise<number> {
    const block = await this.client.getBlock();
    return Math.floor(Date.parse(block.header.time) / 1000);
  }

  async advanceBlocks(blocks: number): Promise<void> {
    const target = (await this.height()) + blocks;
    const deadline = Date.now() + (this.options.blockTimeoutMs ?? 60_000 + blocks * 10_000);
    while ((await this.height()) < target) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for height ${target}`);
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 1000));
    }
  }

  /** Estimated fee of a contract execution (for callers who want to show it before sending). */
  async estimateExecuteFee(sender: string, contract: string, msg: unknown, funds: Coin[] = []) {
    const { toUtf8 } = await import("@cosmjs/encoding");
    return this.simulateFee(sender, [{
      typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
      value: { sender, contract, msg: toUtf8(JSON.stringify(msg)), funds },
    }]);
  }

  disconnect(): void { this.client.disconnect(); }
}
