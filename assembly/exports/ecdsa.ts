// ECDSA verification reachable from JS (src/wasm/ecdsa.ts). Each returns an ECDSA_* code of
// assembly/crypto/ecdsa.ts: 0 valid, 1 invalid, 2 bad key, 3 bad signature encoding, 4 r or s out of
// range. sigFormat: 0 raw r || s, 1 DER.
import { input } from "../abi";
import { ecdsaVerifyP256Encoded, ecdsaVerifyP256Sha256, ecdsaVerifyP384Encoded, ecdsaVerifyP384Sha384 } from "../crypto/ecdsa";

/** P-256 over a precomputed digest (normally SHA-256). */
export function p256_verify(digestPtr: usize, digestLen: u32, sigPtr: usize, sigLen: u32, sigFormat: i32, keyPtr: usize, keyLen: u32): i32 {
  return ecdsaVerifyP256Encoded(input(digestPtr, digestLen), input(sigPtr, sigLen), sigFormat, input(keyPtr, keyLen));
}

/** P-384 over a precomputed digest (normally SHA-384). */
export function p384_verify(digestPtr: usize, digestLen: u32, sigPtr: usize, sigLen: u32, sigFormat: i32, keyPtr: usize, keyLen: u32): i32 {
  return ecdsaVerifyP384Encoded(input(digestPtr, digestLen), input(sigPtr, sigLen), sigFormat, input(keyPtr, keyLen));
}

/** ECDSA-SHA256 on P-256 over a message. */
export function p256_verify_sha256(msgPtr: usize, msgLen: u32, sigPtr: usize, sigLen: u32, sigFormat: i32, keyPtr: usize, keyLen: u32): i32 {
  return ecdsaVerifyP256Sha256(input(msgPtr, msgLen), input(sigPtr, sigLen), sigFormat, input(keyPtr, keyLen));
}

/** ECDSA-SHA384 on P-384 over a message. */
export function p384_verify_sha384(msgPtr: usize, msgLen: u32, sigPtr: usize, sigLen: u32, sigFormat: i32, keyPtr: usize, keyLen: u32): i32 {
  return ecdsaVerifyP384Sha384(input(msgPtr, msgLen), input(sigPtr, sigLen), sigFormat, input(keyPtr, keyLen));
}
