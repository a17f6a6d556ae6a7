// The one way the verifiers call P-256 ECDSA: p256VerifyDigest(SHA-256 digest, raw r || s, SEC1 key).
// By default it runs the pure-Wasm implementation (ecdsa.ts). A contract may install a host backend
// once per call, setP256HostVerifier(fn) with a plain top-level function that forwards to the chain's
// secp256r1_verify (contracts/std/p256-host.ts does exactly that), and every P-256 check of every
// verifier (TDX quote and QE report signatures, PCK chains, CRLs, TCB info, QE identity) then goes to
// the host without any call site knowing. A top-level function reference, not a closure: the stub
// runtime has no closures, and a function table entry is all a call_indirect needs.
//
// Both backends see the same inputs after the same length checks here; wasmvm's secp256r1_verify
// accepts high-S signatures, rejects r or s outside [1, n - 1] and keys off the curve, as ecdsa.ts does.
import { ecdsaVerifyP256Encoded, SIGNATURE_RAW, ECDSA_VALID } from "./ecdsa";

const DIGEST_SIZE: i32 = 32;
const SIGNATURE_SIZE: i32 = 64;

/** A P-256 verifier over (32-byte digest, 64-byte big-endian r || s, SEC1 public key): true = valid. */
export type P256Verifier = (digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array) => bool;

/** The installed host backend; null = pure Wasm. */
let hostVerifier: P256Verifier | null = null;

/** Routes every later p256VerifyDigest call to `verifier` (e.g. the chain's secp256r1_verify). */
export function setP256HostVerifier(verifier: P256Verifier): void {
  hostVerifier = verifier;
}

/** Back to the pure-Wasm implementation. */
export function clearP256HostVerifier(): void {
  hostVerifier = null;
}

/** True when a host backend is installed. */
export function p256UsesHost(): bool {
  return hostVerifier !== null;
}

/** The pure-Wasm backend (also what a test backend may delegate to). */
export function p256VerifyDigestWasm(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  return ecdsaVerifyP256Encoded(digest32, signatureRS64, SIGNATURE_RAW, publicKeySec1) == ECDSA_VALID;
}

/** True when `signatureRS64` (big-endian r || s) is a valid P-256 signature of `digest32` under
 * `publicKeySec1` (0x04 || x || y, or compressed). High-S signatures are valid (Intel does not
 * normalise them). */
export function p256VerifyDigest(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  if (digest32.length != DIGEST_SIZE || signatureRS64.length != SIGNATURE_SIZE) return false;
  const host = hostVerifier;
  if (host !== null) return host(digest32, signatureRS64, publicKeySec1);
  return p256VerifyDigestWasm(digest32, signatureRS64, publicKeySec1);
}
