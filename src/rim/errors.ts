// Stable error codes of the RIM governance tool (`tee-attest rim extract`): one per distinct reason an
// NVIDIA RIM (SWID XML + XMLDSig) is refused, in the order the checks run (parse -> signature layout ->
// certificate chain -> validity -> XML signature -> signed content -> combination). README lists them.

export const RIM_ERROR_CODES = [
  /** Not well-formed XML, a DOCTYPE, or signed SWID content that breaks the RIM format. */
  "MALFORMED_RIM",
  /** No ds:Signature element. */
  "RIM_UNSIGNED",
  /** More than one ds:Signature element (anywhere in the document). */
  "RIM_MULTIPLE_SIGNATURES",
  /** The signature does not cover exactly the whole document: not a child of the root, not one
   * Reference URI="" with the enveloped transform, extra elements (ds:Object, …) where content could hide. */
  "RIM_SIGNATURE_SCOPE",
  /** Canonicalization / signature / digest algorithm other than C14N (1.0/1.1), ECDSA P-384 SHA-384, SHA-384. */
  "RIM_UNSUPPORTED_ALGORITHM",
  /** KeyInfo has no X509Certificate, or one that is not a parsable certificate. */
  "RIM_CERT_MALFORMED",
  /** A certificate key or signature is not P-384 / ecdsa-with-SHA384. */
  "RIM_CERT_UNSUPPORTED_ALGORITHM",
  /** Adjacent certificates do not chain (issuer name or signature), or certificates follow the root. */
  "RIM_CHAIN_INVALID",
  /** The chain is consistent but does not end at the pinned CoRIM signing root (by key). */
  "RIM_ROOT_UNTRUSTED",
  /** The --root certificate is not a P-384 CA certificate. */
  "RIM_ROOT_INVALID",
  /** Basic constraints / key usage / path length do not allow the role the certificate plays. */
  "RIM_CERT_KEY_USAGE",
  /** A certificate carries a critical extension this tool does not understand. */
  "RIM_CERT_CRITICAL_EXTENSION",
  /** A certificate of the chain (signer, intermediates or root) is not yet valid at the check time. */
  "RIM_CERT_NOT_YET_VALID",
  /** A certificate of the chain is expired at the check time. */
  "RIM_CERT_EXPIRED",
  /** The signed content was changed: the Reference digest does not match (tampered RIM). */
  "RIM_DIGEST_MISMATCH",
  /** SignatureValue does not verify under the signer certificate's key. */
  "RIM_SIGNATURE_INVALID",
  /** Driver and VBIOS RIMs both list an active measurement at the same index. */
  "RIM_INDEX_CONFLICT",
  /** The RIMs given do not form golden entries (no driver or no VBIOS RIM, mixed architectures, too many). */
  "RIM_COMBINATION_INVALID",
] as const;

export type RimErrorCode = typeof RIM_ERROR_CODES[number];

export interface RimErrorInfo { code: RimErrorCode; message: string; file?: string }

/** Thrown inside the tool, turned into `{ok: false, error}` at the API boundary. */
export class RimError extends Error {
  constructor(public readonly code: RimErrorCode, message: string) {
    super(message);
    this.name = "RimError";
  }
}

export function rimFail(code: RimErrorCode, message: string): never {
  throw new RimError(code, message);
}
