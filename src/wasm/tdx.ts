// Typed wrappers for the Intel TDX / SGX quote verifier in verifier.wasm (assembly/exports/tdx.ts).
// Inputs are bytes (quote, root) and JSON text or bytes (collateral in dcap-qvl's QuoteCollateralV3
// shape, policy); `at` is Unix seconds (defaults to now). Error codes: assembly/tdx/errors.ts.
import { run, put, takeJson, type VerifierExports } from "./loader";

export type TdxStatus =
  | "UpToDate" | "SWHardeningNeeded" | "ConfigurationNeeded" | "ConfigurationAndSWHardeningNeeded" | "OutOfDate"
  | "OutOfDateConfigurationNeeded" | "Revoked" | "TDRelaunchAdvised" | "TDRelaunchAdvisedConfigurationNeeded";

export interface TdxPolicy {
  /** Default ["UpToDate", "SWHardeningNeeded"]. */
  accepted_statuses?: TdxStatus[];
  /** null/absent: advisories not filtered; a list: every advisory must be in it. */
  allowed_advisories?: string[] | null;
  allow_debug?: boolean;
  /** Default true. */
  require_sept_ve_disable?: boolean;
  allow_reserved_attributes?: boolean;
  allow_service_td?: boolean;
  /** TCB info and QE identity must come from at least this TCB evaluation. Default 0. */
  min_tcb_evaluation_data_number?: number;
}

/** Every status, for policies that only want Intel's verdict (tests, diagnostics). */
export const ALL_TDX_STATUSES: TdxStatus[] = [
  "UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate",
  "OutOfDateConfigurationNeeded", "Revoked", "TDRelaunchAdvised", "TDRelaunchAdvisedConfigurationNeeded",
];

/** A policy that accepts whatever Intel's rules accept (no TD policy, every non-failing status). */
export const PERMISSIVE_TDX_POLICY: TdxPolicy = {
  accepted_statuses: ALL_TDX_STATUSES, allow_debug: true, require_sept_ve_disable: false,
  allow_reserved_attributes: true, allow_service_td: true,
};

export interface TdxClaims {
  quote_version: number;
  body_type: number;
  // TDX (body types 2 and 3)
  mrtd?: string; rtmr0?: string; rtmr1?: string; rtmr2?: string; rtmr3?: string;
  mrconfigid?: string; mrowner?: string; mrownerconfig?: string;
  td_attributes?: string; xfam?: string; mrseam?: string; mrsignerseam?: string; seam_attributes?: string;
  tee_tcb_svn?: string; tee_tcb_svn2?: string; mrservicetd?: string;
  // SGX (v3)
  mrenclave?: string; mrsigner?: string; isv_prod_id?: number; isv_svn?: number; attributes?: string;
  miscselect?: string; cpu_svn?: string;
  report_data: string;
  qe_isv_svn: number;
  fmspc: string; pce_id: string; pce_svn: number; sgx_tcb_components: number[]; cpu_svn_pck: string;
  pck_serial: string; pck_ca: "platform" | "processor";
  tcb_date?: string; platform_tcb_status?: TdxStatus; tdx_module_tcb_status?: TdxStatus; qe_tcb_status?: TdxStatus;
  tcb_evaluation_data_number: number;
  collateral_valid_until: string;
}

export interface TdxVerdict {
  ok: boolean;
  tee: "tdx" | "sgx";
  status: TdxStatus | null;
  advisory_ids: string[];
  claims: TdxClaims | null;
  error: { code: string; message: string } | null;
}

export interface TdxCollateralSummary {
  ok: boolean;
  tee?: "tdx" | "sgx";
  fmspc?: string;
  pce_id?: string;
  tcb_evaluation_data_number?: number;
  qe_identity_evaluation_data_number?: number;
  qe_identity_id?: string;
  pck_ca?: "platform" | "processor";
  pck_crl_entries?: number;
  valid_from?: string;
  valid_until?: string;
  valid_from_item?: string;
  valid_until_item?: string;
  tcb_levels?: TdxStatus[];
  error: { code: string; message: string } | null;
}

export interface TdxVerifyOptions {
  /** Trusted root: DER/PEM certificate or SEC1/raw P-256 key. Default: the pinned Intel SGX Root CA. */
  root?: Uint8Array;
  /** Unix seconds. Default: now. */
  at?: number | bigint;
  policy?: TdxPolicy;
  /** The collateral was verified before by this verifier (skip its signature checks). */
  trustedCollateral?: boolean;
}

const encoder = new TextEncoder();

function bytesOf(input: Uint8Array | string): Uint8Array {
  return typeof input === "string" ? encoder.encode(input) : input;
}

function seconds(at: number | bigint | undefined): bigint {
  return BigInt(at ?? Math.floor(Date.now() / 1000));
}

type Fn = (...args: (number | bigint)[]) => number;

function fn(wasm: VerifierExports, name: string): Fn {
  const f = wasm[name];
  if (typeof f !== "function") throw new Error(`verifier.wasm has no export ${name}`);
  return f as Fn;
}

/** Verifies a quote (v3 SGX, v4/v5 TDX) with its collateral; never throws on bad input. */
export function verifyTdx(quote: Uint8Array, collateral: Uint8Array | string, options: TdxVerifyOptions = {}): TdxVerdict {
  const policy = options.policy ? encoder.encode(JSON.stringify(options.policy)) : new Uint8Array(0);
  const name = options.trustedCollateral ? "tdx_verify_trusted_collateral" : "tdx_verify";
  return run((w) => takeJson<TdxVerdict>(w, fn(w, name)(
    ...put(w, quote), ...put(w, bytesOf(collateral)), ...put(w, options.root ?? new Uint8Array(0)),
    seconds(options.at), ...put(w, policy))));
}

/** Verifies collateral alone (what the registry checks before storing it). */
export function verifyTdxCollateral(collateral: Uint8Array | string, options: { root?: Uint8Array; at?: number | bigint } = {}): TdxCollateralSummary {
  return run((w) => takeJson<TdxCollateralSummary>(w, fn(w, "tdx_verify_collateral")(
    ...put(w, bytesOf(collateral)), ...put(w, options.root ?? new Uint8Array(0)), seconds(options.at))));
}

export interface TdxParsedQuote {
  ok: boolean;
  verified?: false;
  tee: "tdx" | "sgx";
  /** Bytes covered by the quote signature (header + body). */
  signed_size?: number;
  cert_type?: number;
  cert_data_size?: number;
  qe_auth_data_size?: number;
  /** Bytes after the signature data (padding; ignored). */
  trailing_bytes?: number;
  /** The quote's fields and, if its PCK chain decodes, the PCK platform fields — all unverified. */
  claims?: Partial<TdxClaims>;
  error: { code: string; message: string } | null;
}

/** Parses a quote without verifying anything (debugging). */
export function parseTdxQuote(quote: Uint8Array): TdxParsedQuote {
  return run((w) => takeJson<TdxParsedQuote>(w, fn(w, "tdx_parse")(...put(w, quote))));
}

export interface TdxUnverifiedEvaluation {
  verified: false;
  status: TdxStatus | null;
  advisory_ids: string[];
  error: { code: string; message: string } | null;
}

/** Intel's TCB evaluation with every signature check skipped — debugging only, never a verdict. */
export function evaluateTdxUnverified(quote: Uint8Array, collateral: Uint8Array | string, options: { root?: Uint8Array; at?: number | bigint } = {}): TdxUnverifiedEvaluation {
  return run((w) => takeJson<TdxUnverifiedEvaluation>(w, fn(w, "tdx_evaluate_unverified")(
    ...put(w, quote), ...put(w, bytesOf(collateral)), ...put(w, options.root ?? new Uint8Array(0)), seconds(options.at))));
}
