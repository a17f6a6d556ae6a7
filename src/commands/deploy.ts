// `tee-attest deploy`: store build/registry.wasm on a real wasmd chain and instantiate it (RemoteChain,
// @cosmjs/cosmwasm-stargate), with the deploying account (or --governance) as governance. Exit codes:
// 0 deployed, 1 the chain refused a step (store / instantiate), 2 usage error, unreadable file or an RPC
// endpoint that cannot be reached.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { RemoteChain, type RemoteChainOptions } from "../chain/remote";
import type { Chain } from "../chain/types";
import { deployRegistry, readRegistryWasm, registryWasmPath, type Deployment } from "../registry/deploy";
import { UsageError } from "./input";

export interface DeployArgs {
  rpc: string;
  mnemonicFile: string;
  prefix: string;
  gasPrice: string;
  governance?: string;
  wasm: string;
  label: string;
  json?: boolean;
  /** Seconds to wait for the RPC endpoint. */
  timeout: string;
}

/** Connects a chain; injectable so tests can run the command against the embedded chain. */
export type Connect = (options: RemoteChainOptions) => Promise<Chain & { addresses?: string[] }>;

const MNEMONIC_WORDS = new Set([12, 15, 18, 21, 24]);

export function readMnemonic(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`--mnemonic-file: cannot read ${path}: ${(err as Error).message}`);
  }
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
  if (!MNEMONIC_WORDS.has(words.length) || !words.every((w) => /^[a-z]+$/.test(w))) {
    throw new UsageError(`--mnemonic-file: ${path} does not hold a BIP-39 mnemonic (12-24 lowercase words)`);
  }
  return words.join(" ");
}

function checkArgs(args: DeployArgs): void {
  let url: URL;
  try {
    url = new URL(args.rpc);
  } catch {
    throw new UsageError(`--rpc: not a URL: ${args.rpc}`);
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) throw new UsageError(`--rpc: expected an http(s) or ws(s) URL, got ${args.rpc}`);
  if (!/^[a-z][a-z0-9]*$/.test(args.prefix)) throw new UsageError(`--prefix: not a bech32 prefix: ${args.prefix}`);
  if (!/^\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{1,127}$/.test(args.gasPrice)) throw new UsageError(`--gas-price: expected <amount><denom>, e.g. 0.025ustake, got ${args.gasPrice}`);
  if (args.governance !== undefined && !args.governance.startsWith(`${args.prefix}1`)) {
    throw new UsageError(`--governance: ${args.governance} is not a ${args.prefix}1… address`);
  }
  if (!/^\d+$/.test(args.timeout) || Number(args.timeout) < 1) throw new UsageError(`--timeout: expected whole seconds, got ${args.timeout}`);
}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds} s`)), seconds * 1000); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the deploy; returns the exit code. Messages go to `out` / `err`. */
export async function runDeploy(args: DeployArgs, connect: Connect = (o) => RemoteChain.connect(o), out = console.log, err = console.error): Promise<number> {
  let wasm: Uint8Array;
  let mnemonic: string;
  try {
    checkArgs(args);
    mnemonic = readMnemonic(args.mnemonicFile);
    try {
      wasm = readRegistryWasm(args.wasm);
    } catch (e) {
      throw new UsageError(`--wasm: ${(e as Error).message}`);
    }
  } catch (e) {
    if (e instanceof UsageError) { err(`tee-attest deploy: ${e.message}`); return 2; }
    throw e;
  }
  let chain: Chain & { addresses?: string[]; disconnect?: () => void };
  try {
    chain = await withTimeout(connect({ rpcUrl: args.rpc, mnemonic, prefix: args.prefix, gasPrice: args.gasPrice, accounts: 1 }), Number(args.timeout), `connecting to ${args.rpc}`);
  } catch (e) {
    err(`tee-attest deploy: cannot reach the RPC endpoint ${args.rpc}: ${(e as Error).message}`);
    return 2;
  }
  try {
    const sender = chain.addresses?.[0];
    if (!sender) { err("tee-attest deploy: the wallet has no account"); return 2; }
    const log = args.json ? () => {} : (line: string) => out(`  ${line}`);
    let deployment: Deployment;
    try {
      deployment = await deployRegistry(chain, sender, wasm, { msg: { governance: args.governance ?? sender }, label: args.label, log });
    } catch (e) {
      err(`tee-attest deploy: the chain refused the deployment: ${(e as Error).message}`);
      return 1;
    }
    const summary = { chain_id: chain.chainId, code_id: deployment.codeId, contract: deployment.contractAddress, governance: args.governance ?? sender, deployer: sender, tx_hashes: deployment.txHashes };
    if (args.json) out(JSON.stringify(summary));
    else out(`registry deployed on ${summary.chain_id}: code ${summary.code_id}, contract ${summary.contract}, governance ${summary.governance}`);
    return 0;
  } finally {
    chain.disconnect?.();
  }
}

export function registerDeploy(program: Command, connect?: Connect): void {
  program
    .command("deploy")
    .description("store build/registry.wasm on a wasmd chain and instantiate the node registry (exit 0 deployed, 1 refused by the chain, 2 usage error or unreachable RPC)")
    .requiredOption("--rpc <url>", "Tendermint/CometBFT RPC endpoint of the chain")
    .requiredOption("--mnemonic-file <file>", "file holding the deployer's BIP-39 mnemonic")
    .option("--prefix <prefix>", "bech32 address prefix", "wasm")
    .option("--gas-price <price>", "gas price with denom", "0.025ustake")
    .option("--governance <address>", "governance address (default: the deployer)")
    .option("--wasm <file>", "registry module", registryWasmPath())
    .option("--label <label>", "contract label", "tee-attest registry")
    .option("--timeout <seconds>", "seconds to wait for the RPC endpoint", "30")
    .option("--json", "print the deployment as JSON")
    .action(async (opts: DeployArgs) => {
      process.exitCode = await runDeploy(opts, connect);
    });
}
