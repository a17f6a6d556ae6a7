// The registry's stable error codes. Every failed execute returns {"error": "<CODE>: <detail>"}; the code
// (SCREAMING_SNAKE, never renamed) is what clients and tests match on, the detail is for people. Codes of
// the hardware verifiers (assembly/tdx, snp, nvidia) are nested in the detail of EVIDENCE_REJECTED and
// COLLATERAL_INVALID as "<tee>/<VERIFIER_CODE>: <message>", so they stay visible without being
// re-declared here. The same codes name the reasons[] of an untrusted node (trust.ts).
import { Result } from "../std/result";

export const enum RegistryError {
  // Message and input shape
  UnknownMessage,
  InvalidMessage,
  InvalidAddress,
  InvalidKey,
  // Authorisation and configuration
  Unauthorized,
  Paused,
  InvalidPolicy,
  InvalidRoot,
  // Releases and exclusions
  InvalidRelease,
  ReleaseExists,
  ReleaseNotFound,
  ReleaseRevoked,
  ReleaseExpired,
  InvalidGolden,
  AlreadyExcluded,
  NotExcluded,
  // Collateral (the on-chain PCCS)
  CollateralInvalid,
  CollateralNotNewer,
  CollateralDowngrade,
  CollateralMissing,
  CollateralUnsupported,
  // Registration
  ChallengeNotFound,
  ChallengeExpired,
  BindingMismatch,
  MalformedEvidence,
  EvidenceRejected,
  EvidenceVerifierUnavailable,
  NoMatchingRelease,
  TcbStatusNotAccepted,
  AdvisoryNotAllowed,
  DebugNotAllowed,
  GpuCount,
  Excluded,
  NodeIdTaken,
  HardwareInUse,
  NodeNotFound,
  AttestationExpired,
}

/** The code of an error (stable). */
export function errorCode(e: RegistryError): string {
  switch (e) {
    case RegistryError.UnknownMessage: return "UNKNOWN_MESSAGE";
    case RegistryError.InvalidMessage: return "INVALID_MESSAGE";
    case RegistryError.InvalidAddress: return "INVALID_ADDRESS";
    case RegistryError.InvalidKey: return "INVALID_KEY";
    case RegistryError.Unauthorized: return "UNAUTHORIZED";
    case RegistryError.Paused: return "PAUSED";
    case RegistryError.InvalidPolicy: return "INVALID_POLICY";
    case RegistryError.InvalidRoot: return "INVALID_ROOT";
    case RegistryError.InvalidRelease: return "INVALID_RELEASE";
    case RegistryError.ReleaseExists: return "RELEASE_EXISTS";
    case RegistryError.ReleaseNotFound: return "RELEASE_NOT_FOUND";
    case RegistryError.ReleaseRevoked: return "RELEASE_REVOKED";
    case RegistryError.ReleaseExpired: return "RELEASE_EXPIRED";
    case RegistryError.InvalidGolden: return "INVALID_GOLDEN";
    case RegistryError.AlreadyExcluded: return "ALREADY_EXCLUDED";
    case RegistryError.NotExcluded: return "NOT_EXCLUDED";
    case RegistryError.CollateralInvalid: return "COLLATERAL_INVALID";
    case RegistryError.CollateralNotNewer: return "COLLATERAL_NOT_NEWER";
    case RegistryError.CollateralDowngrade: return "COLLATERAL_DOWNGRADE";
    case RegistryError.CollateralMissing: return "COLLATERAL_MISSING";
    case RegistryError.CollateralUnsupported: return "COLLATERAL_UNSUPPORTED";
    case RegistryError.ChallengeNotFound: return "CHALLENGE_NOT_FOUND";
    case RegistryError.ChallengeExpired: return "CHALLENGE_EXPIRED";
    case RegistryError.BindingMismatch: return "BINDING_MISMATCH";
    case RegistryError.MalformedEvidence: return "MALFORMED_EVIDENCE";
    case RegistryError.EvidenceRejected: return "EVIDENCE_REJECTED";
    case RegistryError.EvidenceVerifierUnavailable: return "EVIDENCE_VERIFIER_UNAVAILABLE";
    case RegistryError.NoMatchingRelease: return "NO_MATCHING_RELEASE";
    case RegistryError.TcbStatusNotAccepted: return "TCB_STATUS_NOT_ACCEPTED";
    case RegistryError.AdvisoryNotAllowed: return "ADVISORY_NOT_ALLOWED";
    case RegistryError.DebugNotAllowed: return "DEBUG_NOT_ALLOWED";
    case RegistryError.GpuCount: return "GPU_COUNT";
    case RegistryError.Excluded: return "EXCLUDED";
    case RegistryError.NodeIdTaken: return "NODE_ID_TAKEN";
    case RegistryError.HardwareInUse: return "HARDWARE_IN_USE";
    case RegistryError.NodeNotFound: return "NODE_NOT_FOUND";
    case RegistryError.AttestationExpired: return "ATTESTATION_EXPIRED";
  }
  return "UNKNOWN_ERROR";
}

/** "<CODE>: <detail>" (or just the code). */
export function errorMessage(e: RegistryError, detail: string): string {
  return detail.length > 0 ? errorCode(e) + ": " + detail : errorCode(e);
}

/** A failed Result carrying a registry error. */
export function fail<T>(e: RegistryError, detail: string = ""): Result<T> {
  return Result.err<T>(errorMessage(e, detail));
}

/** A registry error as a value (for code paths that report rather than return, e.g. dry runs). */
export class Failure {
  constructor(public error: RegistryError, public detail: string) {}
  get code(): string { return errorCode(this.error); }
  get message(): string { return errorMessage(this.error, this.detail); }
  toResult<T>(): Result<T> { return Result.err<T>(this.message); }
}

/** The value of a successful step that returns nothing (Result<T> needs a reference type). */
export class Done {}
export const DONE = new Done();
