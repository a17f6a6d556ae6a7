// Routes the verifiers' P-256 checks (assembly/crypto/p256-backend.ts) to the chain's secp256r1_verify
// host function. A contract calls useHostP256() at the start of an entry point (globals do not survive
// between calls); every p256VerifyDigest after that costs one host call (279,000,000 CWg, about 2,000
// SDK gas) instead of a pure-Wasm verification.
import { setP256HostVerifier, clearP256HostVerifier } from "../../assembly/crypto/p256-backend";
import { secp256r1Verify, VERIFY_VALID } from "./api";

/** The host backend: valid only when the host says 0 (1 = invalid, > 1 = malformed input). */
export function hostP256Verify(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  return secp256r1Verify(digest32, signatureRS64, publicKeySec1) == VERIFY_VALID;
}

export function useHostP256(): void {
  setP256HostVerifier(hostP256Verify);
}

export function useWasmP256(): void {
  clearP256HostVerifier();
}
