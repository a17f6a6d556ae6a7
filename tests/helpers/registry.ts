// Shared by the registry suites: deploy build/registry.wasm on an embedded chain, expect a contract error
// by its stable code, and snapshot the contract's whole storage (to prove a refused call changed nothing).
import { expect } from "vitest";
import { EmbeddedChain } from "../../src/chain/embedded";
import { readWasm } from "./build";
import { tdxCollateralMessages } from "../../src/registry/client";

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
export const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));
export const pem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${b64(der).replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;

export interface Deployed {
  chain: EmbeddedChain;
  contract: string;
  governance: string;
}

export async function deployRegistry(chain: EmbeddedChain, instantiateMsg: Record<string, unknown> = {}): Promise<Deployed> {
  const governance = chain.address("governance");
  const codeId = await chain.storeCode(governance, readWasm("registry"));
  const result = await chain.instantiate(governance, codeId, instantiateMsg, "registry");
  return { chain, contract: result.contractAddress, governance };
}

/** Every key/value the contract holds, as a sorted JSON string. */
export function storageSnapshot(chain: EmbeddedChain, contract: string): string {
  const storage = chain.app.wasm.getContractStorage(contract) as unknown as { toJS(): Record<string, unknown> };
  const entries = Object.entries(storage.toJS()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** The call fails with `code` and leaves the contract's storage exactly as it was. */
export async function expectRejected(d: Deployed, call: () => Promise<unknown>, code: string): Promise<string> {
  const before = storageSnapshot(d.chain, d.contract);
  let message = "";
  try {
    await call();
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  expect(message, `expected ${code}`).toMatch(new RegExp(`\\b${code}\\b`));
  expect(storageSnapshot(d.chain, d.contract)).toBe(before);
  return message;
}

/** The attributes of the first event of `type` (wasm-prefixed as the chain reports contract events). */
export function eventAttrs(events: { type: string; attributes: { key: string; value: string }[] }[], type: string): Record<string, string> | undefined {
  const e = events.find((x) => x.type === `wasm-${type}`);
  return e ? Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) : undefined;
}

/** The four submit_collateral messages of a QuoteCollateralV3 bundle (root CRL first: it vets the others' signers). */
export function collateralMessages(c: Record<string, string>): Record<string, unknown>[] {
  return tdxCollateralMessages(c as unknown as Parameters<typeof tdxCollateralMessages>[0]).map((m) => ({ submit_collateral: m }));
}

/** Submits a QuoteCollateralV3 bundle as `sender`. */
export async function submitTdxCollateral(d: Deployed, sender: string, c: Record<string, string>): Promise<void> {
  for (const msg of collateralMessages(c)) await d.chain.execute(sender, d.contract, msg);
}
