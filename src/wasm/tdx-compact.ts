// Typed wrappers for the compact TDX collateral record (assembly/tdx/api-compact.ts): verify the
// QuoteCollateralV3 JSON once and keep a small binary record, then verify quotes against the record
// without re-parsing JSON, PEM and CRLs. Verdicts equal verifyTdx's with the same collateral.
import { run, put, takeBlob, takeJson, type VerifierExports } from "./loader";
import type { TdxVerdict, TdxPolicy } from "./tdx";

export type TdxCollateralRecordResult =
  | { ok: true; record: Uint8Array }
  | { ok: false; error: { code: string; message: string } };

const encoder = new TextEncoder();
const MAGIC = [0x54, 0x44, 0x58, 0x43]; // "TDXC"

function seconds(at: number | bigint | undefined): bigint { return BigInt(at ?? Math.floor(Date.now() / 1000)); }

function call(w: VerifierExports, name: string, ...args: (number | bigint)[]): number {
  const f = w[name];
  if (typeof f !== "function") throw new Error(`verifier.wasm has no export ${name}`);
  return (f as (...a: (number | bigint)[]) => number)(...args);
}

/** Verifies collateral (signatures included) at `at` and returns its compact record. */
export function tdxCollateralRecord(collateral: Uint8Array | string, options: { root?: Uint8Array; at?: number | bigint } = {}): TdxCollateralRecordResult {
  const bytes = typeof collateral === "string" ? encoder.encode(collateral) : collateral;
  return run((w) => {
    const out = takeBlob(w, call(w, "tdx_collateral_record", ...put(w, bytes), ...put(w, options.root ?? new Uint8Array(0)), seconds(options.at)));
    if (out === null) throw new Error("verifier returned no result");
    if (out.length >= 4 && MAGIC.every((b, i) => out[i] === b)) return { ok: true as const, record: out };
    const failure = JSON.parse(new TextDecoder().decode(out)) as { error: { code: string; message: string } };
    return { ok: false as const, error: failure.error };
  });
}

/** Verifies a quote against a compact record (from tdxCollateralRecord, under the same root). */
export function verifyTdxCompact(quote: Uint8Array, record: Uint8Array,
  options: { root?: Uint8Array; at?: number | bigint; policy?: TdxPolicy; leafOnly?: boolean } = {}): TdxVerdict {
  const policy = options.policy ? encoder.encode(JSON.stringify(options.policy)) : new Uint8Array(0);
  return run((w) => takeJson<TdxVerdict>(w, call(w, "tdx_verify_compact", ...put(w, quote), ...put(w, record),
    ...put(w, options.root ?? new Uint8Array(0)), seconds(options.at), ...put(w, policy), options.leafOnly ? 1 : 0)));
}
