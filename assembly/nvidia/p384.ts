// The one place the NVIDIA verifier calls ECDSA P-384 (report signatures and certificate links), so the
// primitive can be swapped or instrumented without touching the verification logic. NVIDIA devices
// produce high-S signatures (6 of 23 sampled), so low-S is NOT enforced (crypto/ecdsa.ts accepts it).
import { ecdsaVerifyP384, ecdsaVerifyP384Encoded, ECDSA_VALID, SIGNATURE_DER } from "../crypto/ecdsa";

/** True when (r, s) (48 bytes each, big-endian) is a valid signature of the SHA-384 `digest` under the
 * uncompressed point 04 || X || Y. */
export function verifyP384(digest: Uint8Array, r: Uint8Array, s: Uint8Array, point: Uint8Array): bool {
  return ecdsaVerifyP384(digest, r, s, point) == ECDSA_VALID;
}

/** The same for a strict-DER Ecdsa-Sig-Value (X.509 signatureValue). */
export function verifyP384Der(digest: Uint8Array, signature: Uint8Array, point: Uint8Array): bool {
  return ecdsaVerifyP384Encoded(digest, signature, SIGNATURE_DER, point) == ECDSA_VALID;
}
