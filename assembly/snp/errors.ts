// Stable error codes of the SEV-SNP verifier (DESIGN.md §3) and the error value every SNP step returns.
// AssemblyScript has no exceptions, so each step returns `SnpError | null` (null = passed). Codes are
// part of the public API (verdicts, contract events, CLI output): never rename one, only add. Each
// code names one distinct cause; the message carries the detail (offsets, values).
//
// `stage` says which layer refused the evidence, so callers (and tests) can tell a crypto failure from
// a policy refusal: parse (bytes), chain (certificates, CRLs), binding (VCEK <-> report fields),
// signature (report signature) and policy (caller's rules).

export const STAGE_PARSE = "parse";
export const STAGE_CHAIN = "chain";
export const STAGE_BINDING = "binding";
export const STAGE_SIGNATURE = "signature";
export const STAGE_POLICY = "policy";

// --- parse: the report (1184 bytes)
export const MALFORMED_REPORT_LENGTH = "MALFORMED_REPORT_LENGTH";
export const MALFORMED_REPORT_VERSION = "MALFORMED_REPORT_VERSION";
/** A must-be-zero range (reserved fields, unsigned tail, policy bits 63:26, KEY_INFO 31:5) is not zero,
 * or POLICY bit 17 (reserved, must be one) is zero. */
export const MALFORMED_REPORT_RESERVED = "MALFORMED_REPORT_RESERVED";
/** A field holds a value the format does not define (VMPL > 3, SIGNING_KEY 2-6, SIGNATURE_ALGO != 1). */
export const MALFORMED_REPORT_FIELD = "MALFORMED_REPORT_FIELD";
/** R or S is not a valid P-384 scalar encoding (high bytes set, zero, or >= n). */
export const MALFORMED_REPORT_SIGNATURE = "MALFORMED_REPORT_SIGNATURE";
/** SIGNING_KEY = 7: the firmware produced an unsigned report. */
export const REPORT_UNSIGNED = "REPORT_UNSIGNED";

// --- parse: certificates, CRLs, policy
export const MALFORMED_VCEK = "MALFORMED_VCEK";
export const MALFORMED_CHAIN = "MALFORMED_CHAIN";
export const MALFORMED_CRL = "MALFORMED_CRL";
export const MALFORMED_POLICY = "MALFORMED_POLICY";

// --- chain
/** CPUID family/model (v3+) or the chain names a product we do not support (e.g. Venice). */
export const UNSUPPORTED_PRODUCT = "UNSUPPORTED_PRODUCT";
/** The report's CPUID product and the certificate chain's product differ, or the VCEK's productName
 * names another product line than its chain. */
export const PRODUCT_MISMATCH = "PRODUCT_MISMATCH";
/** No trusted root for the product (custom roots without it), or the supplied ARK is not the pinned key. */
export const ARK_UNTRUSTED = "ARK_UNTRUSTED";
/** No ASK/ASVK supplied and none pinned for this product and key kind. */
export const CHAIN_INCOMPLETE = "CHAIN_INCOMPLETE";
/** A certificate's subject/issuer is not the AMD name its role requires, or issuer != parent subject. */
export const CERT_NAME_MISMATCH = "CERT_NAME_MISMATCH";
/** A certificate's algorithms, key type/size or CA flags are not AMD's profile. */
export const CERT_BAD_PROFILE = "CERT_BAD_PROFILE";
export const ASK_SIGNATURE_INVALID = "ASK_SIGNATURE_INVALID";
export const VCEK_SIGNATURE_INVALID = "VCEK_SIGNATURE_INVALID";
export const CERT_NOT_YET_VALID = "CERT_NOT_YET_VALID";
export const CERT_EXPIRED = "CERT_EXPIRED";
export const CERT_REVOKED = "CERT_REVOKED";
export const CRL_SIGNATURE_INVALID = "CRL_SIGNATURE_INVALID";
/** The CRL is not issued by the product's ARK (by name). */
export const CRL_ISSUER_MISMATCH = "CRL_ISSUER_MISMATCH";
/** thisUpdate is after `at`, or nextUpdate before it. */
export const CRL_EXPIRED = "CRL_EXPIRED";

// --- binding (VCEK/VLEK extensions against the report)
/** A required AMD extension (TCB SPLs, hwID on a VCEK, cspID on a VLEK) is missing. */
export const VCEK_EXTENSION_MISSING = "VCEK_EXTENSION_MISSING";
export const VCEK_TCB_MISMATCH = "VCEK_TCB_MISMATCH";
export const CHIP_ID_MISMATCH = "CHIP_ID_MISMATCH";
/** SIGNING_KEY says VCEK but a VLEK was supplied (or the reverse), or the cert carries the other
 * kind's extensions (hwID on a VLEK, cspID on a VCEK). */
export const SIGNING_KEY_MISMATCH = "SIGNING_KEY_MISMATCH";

// --- signature
export const REPORT_SIGNATURE_INVALID = "REPORT_SIGNATURE_INVALID";

// --- policy
export const DEBUG_ENABLED = "DEBUG_ENABLED";
export const MIGRATION_AGENT_ENABLED = "MIGRATION_AGENT_ENABLED";
export const VMPL_NOT_ALLOWED = "VMPL_NOT_ALLOWED";
export const SMT_NOT_ALLOWED = "SMT_NOT_ALLOWED";
export const SIGNER_NOT_ALLOWED = "SIGNER_NOT_ALLOWED";
/** REPORTED_TCB is above CURRENT_TCB in some component (the VCEK would then vouch for more than runs). */
export const REPORTED_TCB_ABOVE_CURRENT = "REPORTED_TCB_ABOVE_CURRENT";
export const TCB_BELOW_MINIMUM = "TCB_BELOW_MINIMUM";
export const FIRMWARE_NOT_COMMITTED = "FIRMWARE_NOT_COMMITTED";
export const GUEST_SVN_BELOW_MINIMUM = "GUEST_SVN_BELOW_MINIMUM";
export const MEASUREMENT_NOT_ALLOWED = "MEASUREMENT_NOT_ALLOWED";
export const HOST_DATA_NOT_ALLOWED = "HOST_DATA_NOT_ALLOWED";
export const ID_KEY_NOT_ALLOWED = "ID_KEY_NOT_ALLOWED";
export const REPORT_DATA_MISMATCH = "REPORT_DATA_MISMATCH";

export class SnpError {
  constructor(public code: string, public message: string, public stage: string) {}
}

export function parseError(code: string, message: string): SnpError { return new SnpError(code, message, STAGE_PARSE); }
export function chainError(code: string, message: string): SnpError { return new SnpError(code, message, STAGE_CHAIN); }
export function bindingError(code: string, message: string): SnpError { return new SnpError(code, message, STAGE_BINDING); }
export function policyError(code: string, message: string): SnpError { return new SnpError(code, message, STAGE_POLICY); }
