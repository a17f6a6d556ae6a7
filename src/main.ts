// `npm start`: the main job on the embedded chain. Lists every built module with its size and
// upload-lint verdict, then runs the node registry end to end (src/registry/demo.ts): a simulated
// TDX + NVIDIA node registered, trusted, and untrusted after governance revokes its release, then real
// TDX, SNP and NVIDIA evidence through verify_evidence — with the SDK gas of every call.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkWasm } from "../scripts/check-wasm";
import { runRegistryDemo } from "./registry/demo";

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

async function main(): Promise<void> {
  console.log("tee-attest — on-chain attestation: AssemblyScript CosmWasm modules, node registry on the embedded chain\n");
  printModules();
  await runRegistryDemo();
}

main().catch((err) => { console.error(err); process.exit(1); });
