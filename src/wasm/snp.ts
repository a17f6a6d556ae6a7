// Typed wrappers of the SEV-SNP exports of verifier.wasm (assembly/exports/snp.ts). The verification
// itself happens in Wasm; this file only moves bytes and JSON across the boundary.
import { run, put, takeJson, loadVerifier, type VerifierExports } from "./loader";

export type SnpProduct = "Milan" | "Genoa" | "Turin";

export interface SnpTcb { raw: string; fmc?: number; bl: number; tee: number; snp: number; ucode: number }

export interface SnpClaims {
  version: number;
  product: SnpProduct | null;
  /** Where the product came from: "cpuid" (v3+), "chain" (v2, the verifying chain), "hint", or "assumed". */
  product_source: "cpuid" | "chain" | "hint" | "assumed";
  cpuid: { family: number; model: number; stepping: number } | null;
  guest_svn: number;
  policy: string;
  policy_bits: {
    abi_major: number; abi_minor: number; smt: boolean; migrate_ma: boolean; debug: boolean; single_socket: boolean;
    cxl_allow: boolean; mem_aes_256_xts: boolean; rapl_dis: boolean; ciphertext_hiding: boolean; page_swap_disable: boolean;
  };
  vmpl: number;
  signing_key: "VCEK" | "VLEK";
  author_key_en: boolean;
  mask_chip_key: boolean;
  platform_info: string;
  platform_info_bits: Record<string, boolean>;
  family_id: string; image_id: string; report_data: string; measurement: string; host_data: string;
  id_key_digest: string; author_key_digest: string; report_id: string; report_id_ma: string; chip_id: string;
  current_tcb: SnpTcb; reported_tcb: SnpTcb; committed_tcb: SnpTcb; launch_tcb: SnpTcb;
  current_version: string; committed_version: string;
  launch_mit_vector: string | null; current_mit_vector: string | null;
  endorsement?: { kind: "VCEK" | "VLEK"; product_name: string; csp_id: string | null; not_before: number; not_after: number };
}

export interface SnpError { code: string; message: string; stage: "parse" | "chain" | "binding" | "signature" | "policy" }

export interface SnpVerdict {
  ok: boolean;
  tee: "snp";
  status: "UpToDate" | null;
  advisory_ids: string[];
  claims: SnpClaims | null;
  error: SnpError | null;
}

export interface SnpMinTcb { fmc?: number; bl?: number; tee?: number; snp?: number; ucode?: number }

/** The policy JSON of assembly/snp/options.ts (snake_case, unknown keys are refused by the verifier). */
export interface SnpPolicy {
  allow_debug?: boolean;
  allow_migration_agent?: boolean;
  allow_smt?: boolean;
  allow_vlek?: boolean;
  allowed_vmpls?: number[];
  require_committed?: boolean;
  min_guest_svn?: number;
  min_tcb?: { milan?: SnpMinTcb; genoa?: SnpMinTcb; turin?: SnpMinTcb };
  measurements?: string[];
  host_data?: string[];
  id_key_digests?: string[];
  csp_ids?: string[];
  report_data?: string;
  /** Replacement ARK certificates (hex DER); replaces the pinned AMD roots entirely. */
  roots?: { milan?: string; genoa?: string; turin?: string };
}

export type Bytes = Uint8Array | string;

export interface SnpVerifyOptions {
  /** ASK/ASVK (and optionally ARK), PEM or DER; omitted = the pinned AMD intermediates. */
  chain?: Bytes;
  /** AMD CRLs (PEM or DER). */
  crl?: Bytes;
  /** Verification time; default now. */
  at?: number | bigint | Date;
  policy?: SnpPolicy;
  /** Trust these ARK certificates (DER) instead of AMD's; e.g. a test PKI. */
  roots?: { milan?: Uint8Array; genoa?: Uint8Array; turin?: Uint8Array };
}

const PRODUCT_HINT: Record<string, number> = { Milan: 1, Genoa: 2, Turin: 3 };

function bytes(value: Bytes | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return typeof value === "string" ? new TextEncoder().encode(value) : value;
}

function seconds(at: SnpVerifyOptions["at"]): bigint {
  if (at === undefined) return BigInt(Math.floor(Date.now() / 1000));
  if (at instanceof Date) return BigInt(Math.floor(at.getTime() / 1000));
  return BigInt(at);
}

function policyJson(options: SnpVerifyOptions): string {
  const policy: SnpPolicy = { ...(options.policy ?? {}) };
  if (options.roots) {
    const roots: Record<string, string> = {};
    for (const [product, der] of Object.entries(options.roots)) if (der) roots[product] = Buffer.from(der).toString("hex");
    policy.roots = roots;
  }
  return Object.keys(policy).length === 0 ? "" : JSON.stringify(policy);
}

type I64Call = (...args: (number | bigint)[]) => number;

function call(wasm: VerifierExports, name: string, ...args: (number | bigint)[]): number {
  const fn = wasm[name];
  if (typeof fn !== "function") throw new Error(`verifier.wasm has no export ${name}`);
  return (fn as I64Call)(...args);
}

/** Verifies an SEV-SNP report with its VCEK/VLEK (DER or PEM; a PEM may include the ASK and ARK). */
export function verifySnp(report: Uint8Array, vcek: Bytes, options: SnpVerifyOptions = {}): SnpVerdict {
  return run((w) => {
    const r = put(w, report);
    const v = put(w, bytes(vcek));
    const c = put(w, bytes(options.chain));
    const l = put(w, bytes(options.crl));
    const p = put(w, new TextEncoder().encode(policyJson(options)));
    return takeJson<SnpVerdict>(w, call(w, "snp_verify", ...r, ...v, ...c, ...l, seconds(options.at), ...p));
  });
}

export type SnpParseResult = { ok: true; claims: SnpClaims } | { ok: false; error: SnpError };

/** Parses a report without verifying anything. `product` decodes a v2 report's TCBs (v3+ use CPUID). */
export function parseSnpReport(report: Uint8Array, product?: SnpProduct): SnpParseResult {
  return run((w) => takeJson<SnpParseResult>(w, call(w, "snp_parse", ...put(w, report), product ? PRODUCT_HINT[product] : 0)));
}

/** Re-applies a policy to a report that verifySnp already accepted. Checks NO signature. */
export function appraiseSnp(report: Uint8Array, product: SnpProduct | undefined, policy: SnpPolicy = {}): SnpVerdict {
  return run((w) => {
    const r = put(w, report);
    const json = Object.keys(policy).length === 0 ? "" : JSON.stringify(policy);
    const p = put(w, new TextEncoder().encode(json));
    return takeJson<SnpVerdict>(w, call(w, "snp_appraise", ...r, product ? PRODUCT_HINT[product] : 0, ...p));
  });
}

/** True when verifier.wasm was built with the SNP exports. */
export function hasSnpExports(): boolean { return typeof loadVerifier().snp_verify === "function"; }

export type SnpLinkResult = { profile: boolean; signature: boolean } | { error: string };

/** One AMD chain link (child signed by issuer with RSASSA-PSS SHA-384 salt 48), for differential tests. */
export function checkSnpLink(child: Uint8Array, issuer: Uint8Array): SnpLinkResult {
  return run((w) => takeJson<SnpLinkResult>(w, call(w, "snp_check_link", ...put(w, child), ...put(w, issuer))));
}
