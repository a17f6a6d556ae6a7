// Benchmark harness: for one operation, the executed Wasm operators and SDK gas of our verifier.wasm
// (measured on an operator-counting copy of the module, scripts/lib/gas-meter.ts) and the median wall
// time of each implementation (ours, @noble, node:crypto) measured in the same process, one after the
// other. Timings are printed and recorded, never asserted.
import { readFileSync } from "node:fs";
import { instrument, readGasCounters, resetGasCounters } from "../scripts/lib/gas-meter";
import { loadVerifier, useVerifier, verifierWasmPath, type VerifierExports } from "../src/wasm/loader";

export interface OpsMeasurement { ops: bigint; accountingOps: bigint; cwg: bigint; sdkGas: bigint }

let counting: VerifierExports | null = null;

/** Runs `fn` once against an operator-counting verifier.wasm and returns what it executed. */
export function countOps(fn: () => void): OpsMeasurement {
  counting ??= loadVerifier(instrument(new Uint8Array(readFileSync(verifierWasmPath()))));
  const previous = useVerifier(counting);
  try {
    resetGasCounters(counting as unknown as WebAssembly.Exports);
    fn();
    const c = readGasCounters(counting as unknown as WebAssembly.Exports);
    return { ops: c.ops, accountingOps: c.accountingOps, cwg: c.cwg, sdkGas: c.cwg / 140_000n };
  } finally {
    useVerifier(previous);
  }
}

/** Median wall time in microseconds over enough runs to take at least `budgetMs` (after warm-up). */
export function medianMicros(fn: () => void, budgetMs = 300, minRuns = 5): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < budgetMs) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) * 1000);
    if (samples.length > 100_000) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export async function medianMicrosAsync(fn: () => Promise<void>, budgetMs = 300, minRuns = 5): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < budgetMs) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export function fmtInt(n: bigint | number): string { return Number(n).toLocaleString("en-US"); }
export function fmtMicros(us: number): string { return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`; }

/**
 * A bench section for a whole verifier (TDX, SNP, NVIDIA, registry): its own columns, printed as one
 * table after the primitives and stored under `key` in bench/results.json. Sections are listed in
 * bench/sections.ts.
 */
export interface BenchSection {
  key: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table (targets, what was compared). */
  notes?: string[];
  /** Machine-readable results for bench/results.json. */
  json: unknown;
}

export function printSection(s: BenchSection): void {
  console.log(`\n${s.title}`);
  const widths = s.columns.map((c, i) => Math.max(c.length, ...s.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(s.columns));
  for (const r of s.rows) console.log(line(r));
  for (const n of s.notes ?? []) console.log(n);
}
