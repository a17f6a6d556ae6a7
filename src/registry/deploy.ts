// Deploying the registry: store build/registry.wasm and instantiate it, on any Chain. `tee-attest deploy`
// (src/commands/deploy.ts) runs this against a real wasmd node through RemoteChain; `npm start`, the
// tests and the bench run the very same function against EmbeddedChain.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Chain } from "../chain/types";
import { RegistryClient } from "./client";
import type { InstantiateMsg } from "./messages";

export interface DeployOptions {
  /** Instantiate message; `governance` defaults to the sender. */
  msg?: InstantiateMsg;
  label?: string;
  /** Contract admin (may migrate); default none. */
  admin?: string;
  /** Called with a progress line per step. */
  log?: (line: string) => void;
}

export interface Deployment { codeId: number; contractAddress: string; client: RegistryClient; txHashes: string[] }

export function registryWasmPath(root = process.cwd()): string {
  return join(root, "build", "registry.wasm");
}

/** The registry module bytes; throws a message that says how to build it when it is missing. */
export function readRegistryWasm(path = registryWasmPath()): Uint8Array {
  if (!existsSync(path)) throw new Error(`${path} not found: run \`npm run build\` first`);
  return new Uint8Array(readFileSync(path));
}

export async function deployRegistry(chain: Chain, sender: string, wasm: Uint8Array, options: DeployOptions = {}): Promise<Deployment> {
  const log = options.log ?? (() => {});
  const msg: InstantiateMsg = { governance: sender, ...(options.msg ?? {}) };
  log(`storing registry.wasm (${wasm.length.toLocaleString("en-US")} bytes) on ${chain.chainId} as ${sender}`);
  const codeId = await chain.storeCode(sender, wasm);
  log(`stored as code ${codeId}; instantiating with governance ${msg.governance}`);
  const { client, result } = await RegistryClient.instantiate(chain, sender, codeId, msg, options.label ?? "tee-attest registry", options.admin);
  log(`registry at ${client.contract}`);
  return { codeId, contractAddress: client.contract, client, txHashes: result.txHash ? [result.txHash] : [] };
}
