// `tee-attest deploy`: argument checking (exit 2 with a message naming the option), an RPC endpoint that
// cannot be reached (exit 2, "cannot reach"), and the same deploy code end to end on the embedded chain
// (store + instantiate build/registry.wasm, governance readable through the typed client).
import { describe, it, expect } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { registerDeploy, runDeploy, readMnemonic, type DeployArgs, type Connect } from "../src/commands/deploy";
import { deployRegistry } from "../src/registry/deploy";
import { RegistryClient } from "../src/registry/client";
import { EmbeddedChain } from "../src/chain/embedded";
import { UsageError } from "../src/commands/input";
import { ROOT, wasmPath } from "./helpers/build";

const dir = mkdtempSync(join(tmpdir(), "tee-deploy-"));
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const mnemonicFile = join(dir, "mnemonic");
writeFileSync(mnemonicFile, `${MNEMONIC}\n`);
const fakeWasm = join(dir, "registry.wasm");
writeFileSync(fakeWasm, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));

const HAVE_WASM = existsSync(wasmPath("registry"));
const HAVE_CONTRACT = existsSync(join(ROOT, "contracts", "registry", "contract.ts"));
if (HAVE_CONTRACT && !HAVE_WASM) throw new Error("build/registry.wasm is missing: run `npm run build` before the tests");

function args(overrides: Partial<DeployArgs> = {}): DeployArgs {
  return { rpc: "http://127.0.0.1:1", mnemonicFile, prefix: "wasm", gasPrice: "0.025ustake", wasm: fakeWasm, label: "tee-attest registry", timeout: "20", ...overrides };
}

async function run(a: DeployArgs, connect?: Connect): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDeploy(a, connect, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const neverConnect: Connect = async () => { throw new Error("connect must not be called for a usage error"); };

describe("tee-attest deploy: arguments", () => {
  it.each([
    [{ rpc: "not a url" }, /--rpc: not a URL/],
    [{ rpc: "ftp://node:26657" }, /--rpc: expected an http\(s\) or ws\(s\) URL/],
    [{ prefix: "Wasm!" }, /--prefix/],
    [{ gasPrice: "cheap" }, /--gas-price/],
    [{ gasPrice: "0.025" }, /--gas-price/],
    [{ governance: "cosmos1abc" }, /--governance: cosmos1abc is not a wasm1/],
    [{ timeout: "0" }, /--timeout/],
    [{ mnemonicFile: join(dir, "missing") }, /--mnemonic-file: cannot read/],
    [{ wasm: join(dir, "missing.wasm") }, /--wasm: .*not found: run `npm run build`/],
  ] as Array<[Partial<DeployArgs>, RegExp]>)("exits 2 for %j", async (overrides, message) => {
    const r = await run(args(overrides), neverConnect);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(message);
  });

  it("refuses a mnemonic file that does not hold 12-24 lowercase words", () => {
    const bad = join(dir, "bad-mnemonic");
    writeFileSync(bad, "abandon abandon abandon\n");
    expect(() => readMnemonic(bad)).toThrow(UsageError);
    writeFileSync(bad, `${MNEMONIC} EXTRA`);
    expect(() => readMnemonic(bad)).toThrow(/BIP-39/);
    expect(readMnemonic(mnemonicFile)).toBe(MNEMONIC);
  });

  it("requires --rpc and --mnemonic-file (commander usage error) and has the documented defaults", async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    let seen: DeployArgs | null = null;
    registerDeploy(program, async (o) => { seen = { rpc: o.rpcUrl, prefix: o.prefix, gasPrice: o.gasPrice } as DeployArgs; throw new Error("stop"); });
    await expect(program.parseAsync(["node", "tee-attest", "deploy", "--mnemonic-file", mnemonicFile])).rejects.toBeInstanceOf(CommanderError);
    await expect(program.parseAsync(["node", "tee-attest", "deploy", "--rpc", "http://127.0.0.1:1"])).rejects.toThrow(/mnemonic-file/);
    const saved = process.exitCode;
    await program.parseAsync(["node", "tee-attest", "deploy", "--rpc", "http://127.0.0.1:9", "--mnemonic-file", mnemonicFile, "--wasm", fakeWasm]);
    expect(process.exitCode).toBe(2); // our connect refused
    process.exitCode = saved;
    expect(seen).toEqual({ rpc: "http://127.0.0.1:9", prefix: "wasm", gasPrice: "0.025ustake" });
  });
});

describe("tee-attest deploy: unreachable RPC", () => {
  it("exits 2 with a clear message when nothing listens at --rpc (real RemoteChain)", async () => {
    const r = await run(args({ rpc: "http://127.0.0.1:1" }));
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^tee-attest deploy: cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:1: /);
    expect(r.out).toEqual([]);
  });

  it("exits 2 when the endpoint does not answer within --timeout", async () => {
    const hang: Connect = () => new Promise(() => {});
    const r = await run(args({ timeout: "1" }), hang);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/cannot reach the RPC endpoint .* timed out after 1 s/);
  });
});

describe("tee-attest deploy on the embedded chain (same code path as a real chain)", () => {
  const embedded = (chain: EmbeddedChain, name = "deployer"): Connect => async () => Object.assign(chain, { addresses: [chain.address(name)] });

  it("stores and instantiates build/registry.wasm; the deployer is governance by default", async () => {
    const chain = new EmbeddedChain({ chainId: "deploy-1", bech32Prefix: "wasm" });
    const r = await run(args({ wasm: wasmPath("registry"), json: true }), embedded(chain));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out[0]) as { chain_id: string; code_id: number; contract: string; governance: string; deployer: string };
    expect(summary.chain_id).toBe("deploy-1");
    expect(summary.governance).toBe(chain.address("deployer"));
    const client = new RegistryClient(chain, summary.contract, summary.deployer);
    expect((await client.config()).governance).toBe(chain.address("deployer"));
  });

  it("hands governance to --governance", async () => {
    const chain = new EmbeddedChain({ chainId: "deploy-2", bech32Prefix: "wasm" });
    const gov = chain.address("multisig");
    const r = await run(args({ wasm: wasmPath("registry"), governance: gov }), embedded(chain));
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(new RegExp(`registry deployed on deploy-2: code \\d+, contract wasm1\\w+, governance ${gov}`));
    const contract = /contract (wasm1\w+)/.exec(r.out.join("\n"))![1];
    expect((await new RegistryClient(chain, contract, gov).config()).governance).toBe(gov);
  });

  it("exits 1 when the chain refuses the code (not a contract module)", async () => {
    const chain = new EmbeddedChain({ chainId: "deploy-3", bech32Prefix: "wasm" });
    const r = await run(args({ wasm: fakeWasm }), embedded(chain));
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/the chain refused the deployment/);
  });

  it("deployRegistry returns a working client", async () => {
    const chain = new EmbeddedChain({ chainId: "deploy-4" });
    const lines: string[] = [];
    const d = await deployRegistry(chain, chain.address("gov"), new Uint8Array(readFileSync(wasmPath("registry"))), { log: (l) => lines.push(l) });
    expect(d.codeId).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/registry at /);
    expect((await d.client.config()).governance).toBe(chain.address("gov"));
  });
});
