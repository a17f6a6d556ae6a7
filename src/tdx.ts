// The Intel TDX part of the tee-attest API: verify a quote with its collateral (all checks run in
// verifier.wasm, the same code the registry contract runs), verify collateral alone, parse a quote, and
// simulate TDX hardware with a test Intel PKI. Names are explicit (no `export *`) so areas cannot
// collide in src/index.ts.
import {
  verifyTdx as verifyTdxWasm, verifyTdxCollateral as verifyTdxCollateralWasm,
  type TdxVerdict, type TdxPolicy, type TdxCollateralSummary,
} from "./wasm/tdx";
import type { QuoteCollateralV3 } from "./sim/tdx-collateral";

export {
  parseTdxQuote, PERMISSIVE_TDX_POLICY, ALL_TDX_STATUSES,
  type TdxVerdict, type TdxPolicy, type TdxClaims, type TdxStatus, type TdxCollateralSummary, type TdxParsedQuote,
} from "./wasm/tdx";
export {
  simulateTdx, createTdxPki, tdxReportDataHex, TDX_SIM_FAILURES, TDX_SIM_DEFAULT_AT,
  type SimulateTdxOptions, type SimulatedTdx, type TdxSimFailure, type TdxSimPki, type TcbStatusName,
} from "./sim/tdx";
export type { QuoteCollateralV3 };

/** Collateral as dcap-qvl / Intel PCCS give it: the JSON text (preferred: its signed fields are kept
 * byte for byte), its bytes, or the parsed object (its `tcb_info` / `qe_identity` strings are the
 * signed text, so re-serialising the envelope is harmless). */
export type TdxCollateralInput = string | Uint8Array | QuoteCollateralV3 | Record<string, unknown>;

export interface VerifyTdxOptions {
  /** Trusted root: DER/PEM certificate or SEC1/raw P-256 key. Default: the pinned Intel SGX Root CA. */
  root?: Uint8Array;
  /** Verification time, Unix seconds (or a Date). Default: now. */
  at?: number | bigint | Date;
  /** Policy; absent fields take the strict defaults (DEBUG off, SEPT_VE_DISABLE, UpToDate/SWHardeningNeeded). */
  policy?: TdxPolicy;
  /** The collateral was verified before by this verifier and stored: skip its signature checks. */
  trustedCollateral?: boolean;
}

function collateralText(c: TdxCollateralInput): string | Uint8Array {
  return typeof c === "string" || c instanceof Uint8Array ? c : JSON.stringify(c);
}

function seconds(at: VerifyTdxOptions["at"]): number | bigint | undefined {
  return at instanceof Date ? BigInt(Math.floor(at.getTime() / 1000)) : at;
}

/**
 * Verifies an Intel TDX quote (v4/v5; SGX v3 too) with its QuoteCollateralV3 collateral, following
 * Intel's algorithm, then the policy. Never throws on bad evidence: the verdict carries a stable error
 * code (`verdict.error.code`) instead.
 */
export function verifyTdx(quote: Uint8Array, collateral: TdxCollateralInput, options: VerifyTdxOptions = {}): TdxVerdict {
  return verifyTdxWasm(quote, collateralText(collateral), { ...options, at: seconds(options.at) });
}

/** Verifies the collateral alone (signatures, chains, CRLs, windows) — what a registry checks before storing it. */
export function verifyTdxCollateral(collateral: TdxCollateralInput, options: { root?: Uint8Array; at?: number | bigint | Date } = {}): TdxCollateralSummary {
  return verifyTdxCollateralWasm(collateralText(collateral), { root: options.root, at: seconds(options.at) });
}
