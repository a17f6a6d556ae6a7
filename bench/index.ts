// `npm run bench`: one table, one run. For each primitive: executed Wasm operators and SDK gas of our
// verifier.wasm (operator-counting copy), and median wall time of ours, @noble and node:crypto, measured
// one after the other in this process. Results also go to bench/results.json. Never asserted in tests.
import { readFileSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { countOps, medianMicros, fmtInt, fmtMicros, type OpsMeasurement } from "./harness";
import { wasmSha256 } from "../src/wasm/hash";
import { primitiveCases, targetLines } from "./primitives";
import { printSection } from "./harness";
import { sections } from "./sections";

export interface BenchCase {
  name: string;
  /** One call through our Wasm (also used for operator counting). */
  wasm: () => void;
  noble?: () => void;
  native?: () => void;
  /** Extra columns, e.g. the host-function alternative for P-256. */
  notes?: string;
  /** SDK gas when the chain's host function does the work instead (P-256 only). */
  hostSdkGas?: bigint;
}

interface Row {
  name: string; ops: string; accountingOps: string; sdkGas: string; hostSdkGas: string | null;
  wasmMicros: number; nobleMicros: number | null; nativeMicros: number | null; notes: string;
}

function shaCase(): BenchCase {
  const data = randomBytes(4096);
  return {
    name: "SHA-256 of 4 KiB",
    wasm: () => { wasmSha256(data); },
    noble: () => { nobleSha256(data); },
    native: () => { createHash("sha256").update(data).digest(); },
  };
}

async function main(): Promise<void> {
  const cases: BenchCase[] = [shaCase(), ...(await primitiveCases())];
  const rows: Row[] = [];
  console.log("tee-attest bench — node", process.version, "\n");
  const header = ["operation".padEnd(30), "Wasm ops".padStart(12), "SDK gas".padStart(9), "host gas".padStart(9), "ours".padStart(10), "@noble".padStart(10), "node:crypto".padStart(12), "vs noble".padStart(9), "vs native".padStart(9)];
  console.log(header.join(" "));
  for (const c of cases) {
    const m: OpsMeasurement = countOps(c.wasm);
    const wasmMicros = medianMicros(c.wasm);
    const nobleMicros = c.noble ? medianMicros(c.noble) : null;
    const nativeMicros = c.native ? medianMicros(c.native) : null;
    const row: Row = {
      name: c.name, ops: m.ops.toString(), accountingOps: m.accountingOps.toString(), sdkGas: m.sdkGas.toString(),
      hostSdkGas: c.hostSdkGas !== undefined ? c.hostSdkGas.toString() : null,
      wasmMicros, nobleMicros, nativeMicros, notes: c.notes ?? "",
    };
    rows.push(row);
    console.log([
      c.name.padEnd(30), fmtInt(m.ops).padStart(12), fmtInt(m.sdkGas).padStart(9), (c.hostSdkGas !== undefined ? fmtInt(c.hostSdkGas) : "-").padStart(9),
      fmtMicros(wasmMicros).padStart(10), (nobleMicros !== null ? fmtMicros(nobleMicros) : "-").padStart(10), (nativeMicros !== null ? fmtMicros(nativeMicros) : "-").padStart(12),
      (nobleMicros !== null ? `${(nobleMicros / wasmMicros).toFixed(1)}x` : "-").padStart(9), (nativeMicros !== null ? `${(nativeMicros / wasmMicros).toFixed(2)}x` : "-").padStart(9),
    ].join(" "));
  }
  console.log("\nWasm ops = executed operators (115 CWg each, 1,610 for branches/calls/block ends); SDK gas = CWg / 140,000 (wasmvm >= 2),");
  console.log("excluding the 60,000 per-call instance cost; host gas = the same check through the chain's host function.");
  console.log("'vs noble' / 'vs native' = their median time / ours (> 1 means we are faster).");
  for (const line of targetLines(rows)) console.log(line);
  const only = process.argv.slice(2);
  const sectionResults: Record<string, unknown> = {};
  for (const s of sections) {
    if (only.length > 0 && !only.includes(s.key)) continue;
    const result = await s.run();
    printSection(result);
    sectionResults[s.key] = result.json;
  }
  // `npm run bench -- tdx snp` runs only those sections and keeps the others' last results.
  let previous: Record<string, unknown> = {};
  try { previous = JSON.parse(readFileSync("bench/results.json", "utf8")); } catch { /* first run */ }
  writeFileSync("bench/results.json", JSON.stringify({ ...previous, node: process.version, date: new Date().toISOString(), rows, ...sectionResults }, null, 2) + "\n");
  console.log("\nwrote bench/results.json");
}

main().catch((err) => { console.error(err); process.exit(1); });
