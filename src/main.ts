// `npm start`: the main job on the embedded chain. Until the registry contract lands this is the
// foundation demo: every built module with its size and upload-lint verdict, then the std test
// contract deployed and driven through its host imports with the SDK gas of each call.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { checkWasm } from "../scripts/check-wasm";
import { EmbeddedChain } from "./chain/embedded";
import { GasMeter } from "../scripts/lib/gas-run";
import type { GasBreakdown } from "../scripts/lib/gas-price";

const BUILD = join(process.cwd(), "build");

function fmt(n: bigint | number): string { return Number(n).toLocaleString("en-US"); }

function printModules(): void {
  console.log("Modules (build/):");
  for (const file of readdirSync(BUILD).filter((f) => f.endsWith(".wasm")).sort()) {
    const bytes = new Uint8Array(readFileSync(join(BUILD, file)));
    const plain = file === "verifier.wasm";
    const report = checkWasm(bytes, `build/${file}`, { plain });
    const verdict = report.ok ? "PASS" : `FAIL ${report.violations.join("; ")}`;
    console.log(`  ${file.padEnd(22)} ${fmt(bytes.length).padStart(9)} B  ${String(report.stats.functions).padStart(5)} funcs  max locals ${String(report.stats.maxLocals).padStart(3)}  ${plain ? "(plain)   " : "(CosmWasm)"} ${verdict}`);
  }
}

function gasLine(label: string, gas: GasBreakdown): void {
  console.log(`  ${label.padEnd(34)} ${fmt(gas.ops).padStart(10)} ops  ${fmt(gas.vmSdkGas).padStart(7)} VM  ${fmt(gas.storageSdkGas).padStart(7)} KV  ${fmt(gas.totalSdkGas).padStart(8)} SDK gas`);
}

async function demo(): Promise<void> {
  const chain = new EmbeddedChain({ chainId: "tee-attest-demo" });
  const meter = new GasMeter(chain);
  const admin = chain.address("governance");
  const user = chain.address("user");
  const wasm = new Uint8Array(readFileSync(join(BUILD, "test-std-test.wasm")));
  const codeId = await meter.storeCode(admin, wasm);
  console.log(`\nEmbedded chain ${chain.chainId}: stored test-std-test.wasm as code ${codeId} (instrumented for gas)`);
  const inst = await meter.measure(() => chain.instantiate(admin, codeId, { owner: user }, "std-test"));
  const contract = inst.result.contractAddress;
  console.log(`  instantiated at ${contract}`);
  console.log("\nCalls (SDK gas as wasmvm >= 2 / wasmd >= 0.51 would charge; 60,000 instance cost included):");
  gasLine("instantiate", inst.gas);
  gasLine("execute set", (await meter.execute(user, contract, { set: { key: "model", value: "llama-3.3-70b" } })).gas);
  const secret = p256.utils.randomSecretKey();
  const hash = sha256(new TextEncoder().encode("tee-attest demo"));
  const sig = p256.sign(hash, secret, { prehash: false });
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
  const r1 = await meter.execute(user, contract, { verify_secp256r1: { hash: b64(hash), signature: b64(sig), pubkey: b64(p256.getPublicKey(secret, true)) } });
  gasLine("execute secp256r1_verify (host)", r1.gas);
  chain.fund(user, "1000000");
  gasLine("execute with funds", (await meter.execute(user, contract, { funds: { denom: chain.denom } }, [{ denom: chain.denom, amount: "500000" }])).gas);
  gasLine("execute BankMsg::Send", (await meter.execute(user, contract, { send: { to: admin, denom: chain.denom, amount: "1234" } })).gas);
  const list = await meter.query<{ entries: string[][] }>(contract, { list: {} });
  gasLine("query list", list.gas);
  console.log(`\n  balance of governance: ${await chain.balance(admin)} ${chain.denom}; entries: ${JSON.stringify(list.result.entries)}`);
}

async function main(): Promise<void> {
  console.log("tee-attest — foundation: AssemblyScript -> CosmWasm modules, embedded chain, gas meter\n");
  printModules();
  await demo();
}

main().catch((err) => { console.error(err); process.exit(1); });
