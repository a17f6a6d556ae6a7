// Stable error codes of the TDX (and SGX v3) quote verifier, and the result type that carries them.
//
// Codes are part of the public contract (Verdict JSON, DESIGN.md §3): one SCREAMING_SNAKE name per
// distinct cause, never renamed. Messages are for humans and may change. AssemblyScript has no
// exceptions, so every fallible step returns a TdxError (or null when it succeeded).

// --- Input that cannot be parsed (never a trap, never an accept) -----------------------------------
/** The quote bytes are truncated, inconsistent or of an unsupported version/type. */
export const MALFORMED_QUOTE = "MALFORMED_QUOTE";
/** The collateral JSON is not the QuoteCollateralV3 shape (missing field, bad hex, bad JSON). */
export const MALFORMED_COLLATERAL = "MALFORMED_COLLATERAL";
/** TCB info JSON is invalid or has an unsupported id/version/field. */
export const MALFORMED_TCB_INFO = "MALFORMED_TCB_INFO";
/** QE identity JSON is invalid or has an unsupported version/field. */
export const MALFORMED_QE_IDENTITY = "MALFORMED_QE_IDENTITY";
/** A certificate (PEM or DER) does not parse, or uses an algorithm Intel does not use. */
export const MALFORMED_CERTIFICATE = "MALFORMED_CERTIFICATE";
/** The SGX extension (OID 1.2.840.113741.1.13.1) of the PCK certificate is missing or invalid. */
export const MALFORMED_PCK_EXTENSION = "MALFORMED_PCK_EXTENSION";
/** A CRL does not parse. */
export const MALFORMED_CRL = "MALFORMED_CRL";
/** The trusted root given by the caller is neither a P-256 key nor a certificate. */
export const MALFORMED_ROOT = "MALFORMED_ROOT";
/** The policy JSON is invalid (unknown field, wrong type, unknown status name). */
export const MALFORMED_POLICY = "MALFORMED_POLICY";

// --- Trust chain and collateral authenticity --------------------------------------------------------
/** A chain does not end in the pinned Intel SGX Root CA key. */
export const UNTRUSTED_ROOT = "UNTRUSTED_ROOT";
/** A certificate signature, issuer/subject link, CA flag or expected role (CN) is wrong. */
export const CERT_CHAIN_INVALID = "CERT_CHAIN_INVALID";
/** A PCK certificate is outside its validity period at the verification time. */
export const CERT_EXPIRED = "CERT_EXPIRED";
export const CERT_NOT_YET_VALID = "CERT_NOT_YET_VALID";
/** A certificate is listed in the CRL of its issuer. */
export const CERT_REVOKED = "CERT_REVOKED";
/** A CRL signature does not verify under its issuer. */
export const CRL_SIGNATURE_INVALID = "CRL_SIGNATURE_INVALID";
/** The PCK CRL is not issued by the CA that issued the PCK certificate. */
export const CRL_ISSUER_MISMATCH = "CRL_ISSUER_MISMATCH";
/** TCB info / QE identity signatures over the exact JSON bytes. */
export const TCB_INFO_SIGNATURE_INVALID = "TCB_INFO_SIGNATURE_INVALID";
export const QE_IDENTITY_SIGNATURE_INVALID = "QE_IDENTITY_SIGNATURE_INVALID";
/** Some collateral item (TCB info, QE identity, CRL, issuer certificate) is past its next update. */
export const COLLATERAL_EXPIRED = "COLLATERAL_EXPIRED";
/** Some collateral item is issued after the verification time. */
export const COLLATERAL_NOT_YET_VALID = "COLLATERAL_NOT_YET_VALID";

// --- Quote authenticity -----------------------------------------------------------------------------
/** The QE report is not signed by the PCK key. */
export const QE_REPORT_SIGNATURE_INVALID = "QE_REPORT_SIGNATURE_INVALID";
/** QE REPORTDATA[0..32] != SHA-256(attestation key || QE auth data). */
export const QE_REPORT_DATA_MISMATCH = "QE_REPORT_DATA_MISMATCH";
/** The quote body is not signed by the attestation key (or the key is not a P-256 point). */
export const QUOTE_SIGNATURE_INVALID = "QUOTE_SIGNATURE_INVALID";

// --- Collateral content against the quote -----------------------------------------------------------
/** The QE report does not match the QE identity (MRSIGNER, ISVPRODID, MISCSELECT, ATTRIBUTES, id). */
export const QE_IDENTITY_MISMATCH = "QE_IDENTITY_MISMATCH";
/** TCB info id/version does not fit the quote's TEE type (TDX vs SGX). */
export const TCB_INFO_MISMATCH = "TCB_INFO_MISMATCH";
export const FMSPC_MISMATCH = "FMSPC_MISMATCH";
export const PCEID_MISMATCH = "PCEID_MISMATCH";
/** MRSIGNERSEAM / SEAMATTRIBUTES do not match the TDX module identity, or no identity for its version. */
export const TDX_MODULE_MISMATCH = "TDX_MODULE_MISMATCH";
/** No platform TCB level is met by the PCK TCB (and TEE_TCB_SVN for TDX). */
export const TCB_LEVEL_NOT_FOUND = "TCB_LEVEL_NOT_FOUND";
/** No QE identity TCB level is met by the QE ISVSVN. */
export const QE_TCB_LEVEL_NOT_FOUND = "QE_TCB_LEVEL_NOT_FOUND";
/** No TDX module TCB level is met by TEE_TCB_SVN[0]. */
export const TDX_MODULE_TCB_LEVEL_NOT_FOUND = "TDX_MODULE_TCB_LEVEL_NOT_FOUND";
/** The converged TCB status is Revoked (platform, TDX module or QE). */
export const TCB_REVOKED = "TCB_REVOKED";

// --- Policy (configurable; defaults are strict) -----------------------------------------------------
export const TCB_STATUS_NOT_ACCEPTED = "TCB_STATUS_NOT_ACCEPTED";
export const ADVISORY_NOT_ALLOWED = "ADVISORY_NOT_ALLOWED";
/** TD (TDATTRIBUTES.DEBUG) or SGX enclave (ATTRIBUTES.DEBUG) in debug mode. */
export const DEBUG_ENABLED = "DEBUG_ENABLED";
export const SEPT_VE_DISABLE_REQUIRED = "SEPT_VE_DISABLE_REQUIRED";
export const RESERVED_ATTRIBUTES_SET = "RESERVED_ATTRIBUTES_SET";
export const SERVICE_TD_NOT_ALLOWED = "SERVICE_TD_NOT_ALLOWED";
/** The collateral's TCB evaluation data number is below the policy's minimum. */
export const TCB_EVALUATION_NUMBER_TOO_LOW = "TCB_EVALUATION_NUMBER_TOO_LOW";

/** Every code above, for documentation and tests (the README list is generated from this). */
export const ALL_ERROR_CODES: StaticArray<string> = [
  MALFORMED_QUOTE, MALFORMED_COLLATERAL, MALFORMED_TCB_INFO, MALFORMED_QE_IDENTITY, MALFORMED_CERTIFICATE,
  MALFORMED_PCK_EXTENSION, MALFORMED_CRL, MALFORMED_ROOT, MALFORMED_POLICY,
  UNTRUSTED_ROOT, CERT_CHAIN_INVALID, CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_REVOKED, CRL_SIGNATURE_INVALID,
  CRL_ISSUER_MISMATCH, TCB_INFO_SIGNATURE_INVALID, QE_IDENTITY_SIGNATURE_INVALID, COLLATERAL_EXPIRED,
  COLLATERAL_NOT_YET_VALID,
  QE_REPORT_SIGNATURE_INVALID, QE_REPORT_DATA_MISMATCH, QUOTE_SIGNATURE_INVALID,
  QE_IDENTITY_MISMATCH, TCB_INFO_MISMATCH, FMSPC_MISMATCH, PCEID_MISMATCH, TDX_MODULE_MISMATCH,
  TCB_LEVEL_NOT_FOUND, QE_TCB_LEVEL_NOT_FOUND, TDX_MODULE_TCB_LEVEL_NOT_FOUND, TCB_REVOKED,
  TCB_STATUS_NOT_ACCEPTED, ADVISORY_NOT_ALLOWED, DEBUG_ENABLED, SEPT_VE_DISABLE_REQUIRED, RESERVED_ATTRIBUTES_SET,
  SERVICE_TD_NOT_ALLOWED, TCB_EVALUATION_NUMBER_TOO_LOW,
];

export class TdxError {
  constructor(public code: string, public message: string) {}
}

/** Shorthand used by every step: `return fail(CODE, "why")`. */
export function fail(code: string, message: string): TdxError {
  return new TdxError(code, message);
}

/** A value or an error (AssemblyScript unions are limited to `T | null`). */
export class Result<T> {
  constructor(public value: T | null, public error: TdxError | null) {}

  get failed(): bool { return this.error !== null; }

  /** The value; call only after checking `failed`. */
  get ok(): T { return changetype<T>(this.value); }

  /** The error; call only when `failed`. */
  get err(): TdxError { return changetype<TdxError>(this.error); }
}

export function success<T>(value: T): Result<T> { return new Result<T>(value, null); }

export function failure<T>(code: string, message: string): Result<T> { return new Result<T>(null, new TdxError(code, message)); }

export function failWith<T>(error: TdxError): Result<T> { return new Result<T>(null, error); }
