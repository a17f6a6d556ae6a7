// RSA verification reachable from JS (tests, tools): PSS and PKCS#1 v1.5 over a message or a digest,
// and the raw modular exponentiation for differential tests. Hash ids are crypto/hash-alg.ts's
// (1 SHA-256, 2 SHA-384, 3 SHA-512); results are crypto/rsa.ts's codes (0 valid).
import { input, blob } from "../abi";
import { modExp } from "../crypto/bignum";
import { rsaPssVerify, rsaPkcs1v15Verify, rsaPssVerifyMessage, rsaPkcs1v15VerifyMessage } from "../crypto/rsa";

/** RSASSA-PSS over Hash(message); saltLength -1 accepts any salt. */
export function rsa_pss_verify(nPtr: usize, nLen: u32, ePtr: usize, eLen: u32, msgPtr: usize, msgLen: u32, sigPtr: usize, sigLen: u32, hashId: i32, saltLength: i32): i32 {
  return rsaPssVerifyMessage(input(nPtr, nLen), input(ePtr, eLen), input(msgPtr, msgLen), input(sigPtr, sigLen), hashId, saltLength);
}

/** RSASSA-PKCS1-v1_5 over Hash(message). */
export function rsa_pkcs1_verify(nPtr: usize, nLen: u32, ePtr: usize, eLen: u32, msgPtr: usize, msgLen: u32, sigPtr: usize, sigLen: u32, hashId: i32): i32 {
  return rsaPkcs1v15VerifyMessage(input(nPtr, nLen), input(ePtr, eLen), input(msgPtr, msgLen), input(sigPtr, sigLen), hashId);
}

/** RSASSA-PSS over a precomputed digest. */
export function rsa_pss_verify_digest(nPtr: usize, nLen: u32, ePtr: usize, eLen: u32, digestPtr: usize, digestLen: u32, sigPtr: usize, sigLen: u32, hashId: i32, saltLength: i32): i32 {
  return rsaPssVerify(input(nPtr, nLen), input(ePtr, eLen), input(digestPtr, digestLen), input(sigPtr, sigLen), hashId, saltLength);
}

/** RSASSA-PKCS1-v1_5 over a precomputed digest. */
export function rsa_pkcs1_verify_digest(nPtr: usize, nLen: u32, ePtr: usize, eLen: u32, digestPtr: usize, digestLen: u32, sigPtr: usize, sigLen: u32, hashId: i32): i32 {
  return rsaPkcs1v15Verify(input(nPtr, nLen), input(ePtr, eLen), input(digestPtr, digestLen), input(sigPtr, sigLen), hashId);
}

/** base^exponent mod modulus as a blob of the modulus's byte length; 0 if the inputs are rejected
 * (even or out-of-range modulus, exponent 0 or over 64 bits, base >= modulus). */
export function modexp(basePtr: usize, baseLen: u32, expPtr: usize, expLen: u32, modPtr: usize, modLen: u32): usize {
  const result = modExp(input(basePtr, baseLen), input(expPtr, expLen), input(modPtr, modLen));
  return result === null ? 0 : blob(result);
}
