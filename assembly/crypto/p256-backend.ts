// The one way the verifiers call P-256 ECDSA: p256VerifyDigest(SHA-256 digest, raw r || s, SEC1 key).
// In build/verifier.wasm it is the pure-Wasm implementation (ecdsa.ts); contracts route the same call
// to the chain's secp256r1_verify host function, so every P-256 call site stays unaware of which one
// runs. (Created by the TDX area as a thin wrapper; the lead owns the host-function routing.)
import { ecdsaVerifyP256Encoded, SIGNATURE_RAW, ECDSA_VALID } from "./ecdsa";

const DIGEST_SIZE: i32 = 32;
const SIGNATURE_SIZE: i32 = 64;

/** True when `signatureRS64` (big-endian r || s) is a valid P-256 signature of `digest32` under
 * `publicKeySec1` (0x04 || x || y, or compressed). High-S signatures are valid (Intel does not
 * normalise them). */
export function p256VerifyDigest(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  if (digest32.length != DIGEST_SIZE || signatureRS64.length != SIGNATURE_SIZE) return false;
  return ecdsaVerifyP256Encoded(digest32, signatureRS64, SIGNATURE_RAW, publicKeySec1) == ECDSA_VALID;
}
