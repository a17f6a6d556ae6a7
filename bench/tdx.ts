// TDX bench section: per quote, our verifier.wasm doing the full verification (collateral signatures,
// chains and CRLs + the quote) and the quote-only verification against cached, already verified
// collateral (what the registry does per node), beside @phala/dcap-qvl (pure JS) and
// @phala/dcap-qvl-web (Rust -> Wasm, full verification), all in this process, one after the other.
// Operators and SDK gas are counted on the instrumented verifier.wasm. "P-256 on host" prices the same
// run with every P-256 verification handed to the chain's secp256r1_verify: the counted operators minus
// (P-256 calls x operators of one pure-Wasm P-256 verification) plus wasmvm's host-call charges.
// Targets (issue 4): full >= 4x faster than dcap-qvl-web; quote-only <= 5 M operators (pure-Wasm P-256).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { QuoteVerifier } from "@phala/dcap-qvl";
import { initSync as initDcapWeb, js_verify as dcapWebVerify } from "@phala/dcap-qvl-web";
import { countOps, fmtInt, fmtMicros, type BenchSection } from "./harness";
import { verifyTdx, PERMISSIVE_TDX_POLICY, type TdxVerdict } from "../src/wasm/tdx";
import { tdxCollateralRecord, verifyTdxCompact } from "../src/wasm/tdx-compact";
import { withP256Backend } from "../src/wasm/p256-backend";
import { p256HostSdkGas } from "./primitives";
import { wasmEcdsaVerifyDigest } from "../src/wasm/ecdsa";
import { simulateTdx } from "../src/sim/tdx";
import { GAS_MULTIPLIER } from "../scripts/lib/gas-price";
import { createHash, generateKeyPairSync, sign } from "node:crypto";

const FIXTURES = process.env.TEE_ATTEST_FIXTURES ?? join(process.cwd(), "..", "shared", "fixtures");

interface QuoteCase {
  name: string;
  quote: Uint8Array;
  collateral: string;
  root?: Uint8Array;
  at: bigint;
  /** dcap-qvl-web only knows Intel's root. */
  intelRoot: boolean;
}

function fixtureCase(name: string, quotePath: string, collateralPath: string, at: number): QuoteCase | null {
  const q = join(FIXTURES, "tdx", quotePath), c = join(FIXTURES, "tdx", collateralPath);
  if (!existsSync(q) || !existsSync(c)) return null;
  let quote = new Uint8Array(readFileSync(q));
  if (quotePath.endsWith(".hex")) quote = new Uint8Array(Buffer.from(readFileSync(q, "utf8").trim().replace(/^0x/, ""), "hex"));
  return { name, quote, collateral: readFileSync(c, "utf8"), at: BigInt(at), intelRoot: true };
}

/** Real quotes at their cases.json time, and a simulated one (our root). */
function cases(): QuoteCase[] {
  const out: QuoteCase[] = [];
  const casesJson = join(FIXTURES, "tdx", "cases.json");
  const times = existsSync(casesJson) ? (JSON.parse(readFileSync(casesJson, "utf8")) as Array<{ name: string; quote: string; collateral: string; time: number }>) : [];
  for (const [name, caseName] of [["real TDX v4 (dcap-qvl sample)", "dcapqvl_tdx_v4_uptodate"], ["real TDX v5 TD1.5 (go-tdx-guest)", "gotdx_tdx_v5_td15_uptodate_mixed"]]) {
    const t = times.find((x) => x.name === caseName);
    const c = t ? fixtureCase(name, t.quote, t.collateral, t.time) : null;
    if (c) out.push(c);
  }
  const sim = simulateTdx({ version: 5 });
  out.push({ name: "simulated TDX v5 TD1.5", quote: sim.quote, collateral: JSON.stringify(sim.collateral), root: sim.root.der, at: sim.at, intelRoot: false });
  return out;
}

/** Operators of one pure-Wasm P-256 verification (median of a few keys/signatures). */
function p256WasmOps(): { ops: bigint; cwg: bigint; hostSdkGasOne: bigint } {
  const samples: Array<{ ops: bigint; cwg: bigint }> = [];
  let host = 0n;
  for (let i = 0; i < 5; i++) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const msg = Buffer.from(`p256 sample ${i}`);
    const sig = new Uint8Array(sign("sha256", msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
    const jwk = publicKey.export({ format: "jwk" });
    const sec1 = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]));
    const digest = new Uint8Array(createHash("sha256").update(msg).digest());
    const m = countOps(() => { wasmEcdsaVerifyDigest("P-256", digest, sig, sec1); });
    samples.push({ ops: m.ops, cwg: m.cwg });
    host = p256HostSdkGas(digest, sig, sec1);
  }
  samples.sort((a, b) => (a.ops < b.ops ? -1 : a.ops > b.ops ? 1 : 0));
  return { ...samples[2], hostSdkGasOne: host };
}

/**
 * Median wall time (µs) of each function, measured in interleaved rounds (one call of each per round,
 * after warm-up) so every implementation sees the same machine load; null entries are skipped.
 */
function interleavedMedians(fns: Array<(() => void) | null>, budgetMs: number, minRounds = 15): Array<number | null> {
  for (let i = 0; i < 3; i++) for (const f of fns) f?.();
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  while (samples[0].length < minRounds || performance.now() - start < budgetMs) {
    fns.forEach((f, i) => {
      if (!f) return;
      const t0 = performance.now();
      f();
      samples[i].push((performance.now() - t0) * 1000);
    });
  }
  return samples.map((xs, i) => (fns[i] ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null));
}

/** The error message of a peer's verification, or null when it verified. */
function failure(fn: () => unknown): string | null {
  try { fn(); return null; } catch (e) { return e instanceof Error ? e.message : String(e); }
}

function expectOk(v: TdxVerdict, what: string): void {
  if (!v.ok) throw new Error(`bench setup: ${what} does not verify: ${JSON.stringify(v.error)}`);
}

export async function tdxBench(): Promise<BenchSection> {
  const require = createRequire(import.meta.url);
  initDcapWeb({ module: readFileSync(require.resolve("@phala/dcap-qvl-web/dcap-qvl-web_bg.wasm")) });
  const p256 = p256WasmOps();
  const rows: string[][] = [];
  const json: Record<string, unknown>[] = [];
  const notes: string[] = [];
  for (const c of cases()) {
    const opts = { root: c.root, at: c.at, policy: PERMISSIVE_TDX_POLICY };
    const full = () => verifyTdx(c.quote, c.collateral, opts);
    const cached = () => verifyTdx(c.quote, c.collateral, { ...opts, trustedCollateral: true });
    expectOk(full(), `${c.name} (full)`);
    expectOk(cached(), `${c.name} (quote only)`);
    // quote-only against the compact record of the same collateral (made once, as the registry stores it)
    const made = tdxCollateralRecord(c.collateral, { root: c.root, at: c.at });
    if (!made.ok) throw new Error(`bench setup: ${c.name} compact record: ${JSON.stringify(made.error)}`);
    const record = made.record;
    const compact = () => verifyTdxCompact(c.quote, record, opts);
    expectOk(compact(), `${c.name} (quote only, compact record)`);
    const fullOps = countOps(() => { full(); });
    const cachedOps = countOps(() => { cached(); });
    const compactOps = countOps(() => { compact(); });
    const compactCalls = withP256Backend("counting", () => compact()).calls;
    // how many P-256 verifications each path does (the counting backend delegates to pure Wasm)
    const fullCalls = withP256Backend("counting", () => full()).calls;
    const cachedCalls = withP256Backend("counting", () => cached()).calls;
    const hostGas = (m: { cwg: bigint }, calls: number) => (m.cwg - BigInt(calls) * p256.cwg) / GAS_MULTIPLIER + BigInt(calls) * p256.hostSdkGasOne;
    const hostOps = (m: { ops: bigint }, calls: number) => m.ops - BigInt(calls) * p256.ops;
    // a peer that rejects the quote is reported as such, not timed
    const collateralObject = JSON.parse(c.collateral);
    const verifier = c.root ? QuoteVerifier.newWithRootCa(Buffer.from(c.root)) : QuoteVerifier.newProd();
    const dcapError = failure(() => verifier.verify(c.quote, collateralObject, Number(c.at)));
    const webError = c.intelRoot ? failure(() => dcapWebVerify(c.quote, collateralObject, c.at)) : "Intel root only";
    const [fullUs, cachedUs, dcapUs, webUs, compactUs] = interleavedMedians([
      () => { full(); },
      () => { cached(); },
      dcapError === null ? () => { verifier.verify(c.quote, collateralObject, Number(c.at)); } : null,
      webError === null ? () => { dcapWebVerify(c.quote, collateralObject, c.at); } : null,
      () => { compact(); },
    ], 2000);
    const speedup = webUs !== null ? webUs / fullUs : null;
    rows.push(
      [c.name + ": ours full", fmtInt(fullOps.ops), fmtInt(fullOps.sdkGas), `${fullCalls}`, `≈${fmtInt(hostOps(fullOps, fullCalls))}`, `≈${fmtInt(hostGas(fullOps, fullCalls))}`, fmtMicros(fullUs), speedup !== null ? `${speedup.toFixed(1)}x` : "-"],
      [c.name + ": ours quote-only", fmtInt(cachedOps.ops), fmtInt(cachedOps.sdkGas), `${cachedCalls}`, `≈${fmtInt(hostOps(cachedOps, cachedCalls))}`, `≈${fmtInt(hostGas(cachedOps, cachedCalls))}`, fmtMicros(cachedUs), webUs !== null ? `${(webUs / cachedUs).toFixed(1)}x` : "-"],
      [c.name + ": ours quote-only, compact record", fmtInt(compactOps.ops), fmtInt(compactOps.sdkGas), `${compactCalls}`, `≈${fmtInt(hostOps(compactOps, compactCalls))}`, `≈${fmtInt(hostGas(compactOps, compactCalls))}`, fmtMicros(compactUs!), webUs !== null ? `${(webUs / compactUs!).toFixed(1)}x` : "-"],
      [c.name + ": @phala/dcap-qvl (JS)", "-", "-", "-", "-", "-", dcapUs !== null ? fmtMicros(dcapUs) : `rejects (${dcapError})`, webUs !== null && dcapUs !== null ? `${(webUs / dcapUs).toFixed(1)}x` : "-"],
      [c.name + ": @phala/dcap-qvl-web", "-", "-", "-", "-", "-", webUs !== null ? fmtMicros(webUs) : `n/a (${webError})`, webUs !== null ? "1.0x" : "-"],
    );
    json.push({
      name: c.name,
      full: { ops: fullOps.ops.toString(), sdkGas: fullOps.sdkGas.toString(), p256Calls: fullCalls, hostP256Ops: hostOps(fullOps, fullCalls).toString(), hostP256SdkGas: hostGas(fullOps, fullCalls).toString(), micros: fullUs },
      quoteOnly: { ops: cachedOps.ops.toString(), sdkGas: cachedOps.sdkGas.toString(), p256Calls: cachedCalls, hostP256Ops: hostOps(cachedOps, cachedCalls).toString(), hostP256SdkGas: hostGas(cachedOps, cachedCalls).toString(), micros: cachedUs },
      quoteOnlyCompact: { recordBytes: record.length, collateralBytes: c.collateral.length, ops: compactOps.ops.toString(), sdkGas: compactOps.sdkGas.toString(), p256Calls: compactCalls, hostP256Ops: hostOps(compactOps, compactCalls).toString(), hostP256SdkGas: hostGas(compactOps, compactCalls).toString(), micros: compactUs },
      dcapQvlJsMicros: dcapUs, dcapQvlJsError: dcapError, dcapQvlWebMicros: webUs, dcapQvlWebError: webError, fullSpeedupVsDcapQvlWeb: speedup,
      targets: { fullAtLeast4xFasterThanDcapQvlWeb: speedup === null ? null : speedup >= 4, quoteOnlyAtMost5MOps: cachedOps.ops <= 5_000_000n },
    });
    notes.push(`${c.name}: full vs dcap-qvl-web ${speedup !== null ? `${speedup.toFixed(2)}x (target >= 4x: ${speedup >= 4 ? "met" : "MISSED"})` : "n/a"}; ` +
      `quote-only ${fmtInt(cachedOps.ops)} ops (target <= 5,000,000: ${cachedOps.ops <= 5_000_000n ? "met" : "MISSED"}); ` +
      `quote-only via compact record (${fmtInt(record.length)} B vs ${fmtInt(c.collateral.length)} B JSON) ${fmtInt(compactOps.ops)} ops`);
  }
  notes.unshift(
    `one pure-Wasm P-256 verification = ${fmtInt(p256.ops)} ops; through secp256r1_verify it costs ${fmtInt(p256.hostSdkGasOne)} SDK gas (Wasm around the call + host charge).`,
    "'P-256 on host' columns: counted run minus P-256 calls x one pure-Wasm verification, plus the host charge per call (an estimate, marked ≈).",
    "'vs web' = dcap-qvl-web's median time / this row's (> 1: faster than dcap-qvl-web). quote-only = collateral verified before and stored (signatures not re-checked).",
  );
  return {
    key: "tdx",
    title: "Intel TDX quote verification (per quote; wall time = median in this process)",
    columns: ["quote / implementation", "Wasm ops", "SDK gas", "P-256", "ops, P-256 host", "gas, P-256 host", "wall", "vs web"],
    rows, notes, json: { p256WasmOps: p256.ops.toString(), p256HostSdkGas: p256.hostSdkGasOne.toString(), quotes: json },
  };
}
