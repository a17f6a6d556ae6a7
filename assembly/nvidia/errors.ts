// Stable error codes of the NVIDIA GPU / NVSwitch verifier (DESIGN.md §3: SCREAMING_SNAKE names, one
// per distinct cause; README lists them). AssemblyScript has no exceptions, so every fallible step
// returns null / false and records why (see lastFailure()); the caller turns that into the Verdict.
// A failure is only meaningful right after the call that reported it (one operation runs at a time).

// --- Input that cannot be parsed (never a trap, never an accept) ---------------------------------
export const MALFORMED_REPORT = "MALFORMED_REPORT";
export const MALFORMED_SPDM_REQUEST = "MALFORMED_SPDM_REQUEST";
export const MALFORMED_SPDM_RESPONSE = "MALFORMED_SPDM_RESPONSE";
export const MALFORMED_MEASUREMENT_BLOCK = "MALFORMED_MEASUREMENT_BLOCK";
export const MALFORMED_OPAQUE_DATA = "MALFORMED_OPAQUE_DATA";
export const MALFORMED_CERT_CHAIN = "MALFORMED_CERT_CHAIN";
export const MALFORMED_FWID_EXTENSION = "MALFORMED_FWID_EXTENSION";
export const MALFORMED_NONCE = "MALFORMED_NONCE";
export const MALFORMED_GOLDEN = "MALFORMED_GOLDEN";
export const MALFORMED_POLICY = "MALFORMED_POLICY";
export const MALFORMED_ROOT = "MALFORMED_ROOT";
export const MALFORMED_EVIDENCE = "MALFORMED_EVIDENCE";

// --- Report structure rules ----------------------------------------------------------------------
export const SPDM_UNSUPPORTED_VERSION = "SPDM_UNSUPPORTED_VERSION";
export const REPORT_TRAILING_BYTES = "REPORT_TRAILING_BYTES";
export const OPAQUE_DUPLICATE_FIELD = "OPAQUE_DUPLICATE_FIELD";
export const OPAQUE_UNEXPECTED_FIELD = "OPAQUE_UNEXPECTED_FIELD";
export const OPAQUE_MISSING_FIELD = "OPAQUE_MISSING_FIELD";

// --- Certificates --------------------------------------------------------------------------------
export const CERT_CHAIN_LENGTH = "CERT_CHAIN_LENGTH";
export const CERT_UNSUPPORTED_ALGORITHM = "CERT_UNSUPPORTED_ALGORITHM";
export const CERT_ISSUER_MISMATCH = "CERT_ISSUER_MISMATCH";
export const CERT_SIGNATURE_INVALID = "CERT_SIGNATURE_INVALID";
export const CERT_NOT_YET_VALID = "CERT_NOT_YET_VALID";
export const CERT_EXPIRED = "CERT_EXPIRED";
export const CERT_NOT_CA = "CERT_NOT_CA";
export const CERT_KEY_USAGE = "CERT_KEY_USAGE";
export const CERT_CRITICAL_EXTENSION = "CERT_CRITICAL_EXTENSION";
export const UNSUPPORTED_DEVICE = "UNSUPPORTED_DEVICE";

// --- Evidence checks -----------------------------------------------------------------------------
export const SIGNATURE_INVALID = "SIGNATURE_INVALID";
export const CERT_FWID_MISSING = "CERT_FWID_MISSING";
export const FWID_MISSING = "FWID_MISSING";
export const FWID_MISMATCH = "FWID_MISMATCH";
export const NONCE_MISMATCH = "NONCE_MISMATCH";
export const GOLDEN_NOT_FOUND = "GOLDEN_NOT_FOUND";
export const GOLDEN_MISMATCH = "GOLDEN_MISMATCH";
export const GOLDEN_REQUIRED = "GOLDEN_REQUIRED";
export const NONCE_REQUIRED = "NONCE_REQUIRED";

// --- Policy --------------------------------------------------------------------------------------
export const DEVICE_REVOKED = "DEVICE_REVOKED";
export const ARCH_NOT_ALLOWED = "ARCH_NOT_ALLOWED";
export const MODE_NOT_ALLOWED = "MODE_NOT_ALLOWED";
export const DRIVER_TOO_OLD = "DRIVER_TOO_OLD";

// --- Multi-device (one node: several GPUs, optionally NVSwitches) --------------------------------
export const EVIDENCE_COUNT = "EVIDENCE_COUNT";
export const DEVICE_KIND_MISMATCH = "DEVICE_KIND_MISMATCH";
export const DUPLICATE_DEVICE = "DUPLICATE_DEVICE";
export const DRIVER_MISMATCH = "DRIVER_MISMATCH";
export const MODE_MISMATCH = "MODE_MISMATCH";
export const ARCH_MISMATCH = "ARCH_MISMATCH";
export const SWITCHES_REQUIRED = "SWITCHES_REQUIRED";
export const TOPOLOGY_MISMATCH = "TOPOLOGY_MISMATCH";

export class Failure {
  /** Which device of a multi-device verification failed ("gpus[3]"); "" for a single report. */
  device: string = "";
  /** RIM indices that did not match (GOLDEN_MISMATCH only). */
  indices: Array<i32> = [];

  constructor(public code: string, public message: string) {}
}

// Null until the first failure. Never initialised with an object: JS calls reset() between operations,
// which would leave a start-time allocation dangling.
let last: Failure | null = null;

/** The failure recorded last (a generic one if nothing was recorded, which would be a bug). */
export function lastFailure(): Failure {
  const f = last;
  return f !== null ? f : new Failure(MALFORMED_REPORT, "unspecified failure");
}

/** Records a failure and returns null, so parsers can `return fail<T>(…)`. */
export function fail<T>(code: string, message: string): T | null {
  last = new Failure(code, message);
  return null;
}

/** Records a failure and returns false. */
export function failBool(code: string, message: string): bool {
  last = new Failure(code, message);
  return false;
}

/** Records a prepared failure (e.g. one carrying indices) and returns false. */
export function failWith(failure: Failure): bool {
  last = failure;
  return false;
}

/** Forgets the previous operation's failure (called at the start of every top-level operation). */
export function clearFailure(): void {
  last = null;
}
