// P-256 backend switch reachable from JS (src/wasm/p256-backend.ts), so tests and the bench can prove
// that every P-256 check of the verifiers goes through crypto/p256-backend's p256VerifyDigest. The two
// test backends count their calls: one delegates to the pure-Wasm verifier (same verdicts, so a whole
// TDX verification still succeeds, and its call count must equal the number of pure-Wasm P-256 runs),
// one rejects everything and computes nothing (the bench uses it to price the Wasm around a host
// call). There is no accept-everything backend.
import { input } from "../abi";
import { setP256HostVerifier, clearP256HostVerifier, p256VerifyDigest, p256VerifyDigestWasm } from "../crypto/p256-backend";
import { p256WasmVerifications } from "../crypto/ecdsa";

const P256_BACKEND_WASM: i32 = 0;
const P256_BACKEND_COUNTING: i32 = 1;
const P256_BACKEND_COUNTING_REJECT: i32 = 2;

let calls: i32 = 0;

function countingVerifier(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  calls++;
  return p256VerifyDigestWasm(digest32, signatureRS64, publicKeySec1);
}

function countingRejecter(digest32: Uint8Array, signatureRS64: Uint8Array, publicKeySec1: Uint8Array): bool {
  calls++;
  return false;
}

/** Selects the backend (0 pure Wasm, 1 counting + pure Wasm, 2 counting + reject) and resets the call
 * count; returns 0, or -1 for an unknown mode (the backend is then unchanged). */
export function p256_backend_select(mode: i32): i32 {
  if (mode == P256_BACKEND_WASM) clearP256HostVerifier();
  else if (mode == P256_BACKEND_COUNTING) setP256HostVerifier(countingVerifier);
  else if (mode == P256_BACKEND_COUNTING_REJECT) setP256HostVerifier(countingRejecter);
  else return -1;
  calls = 0;
  return 0;
}

/** Calls the counting backends received since the last p256_backend_select. */
export function p256_backend_calls(): i32 {
  return calls;
}

/** P-256 verifications the pure-Wasm code has started in this instance, whoever called it (a running
 * total: compare differences). */
export function p256_wasm_verifications(): i32 {
  return p256WasmVerifications;
}

/** p256VerifyDigest through the selected backend: 1 valid, 0 not. */
export function p256_verify_digest_backend(digestPtr: usize, digestLen: u32, sigPtr: usize, sigLen: u32, keyPtr: usize, keyLen: u32): i32 {
  return p256VerifyDigest(input(digestPtr, digestLen), input(sigPtr, sigLen), input(keyPtr, keyLen)) ? 1 : 0;
}
