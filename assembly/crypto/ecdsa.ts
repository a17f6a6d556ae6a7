// ECDSA signature verification on P-256 and P-384 (FIPS 186-5 §6.4.2, SEC 1 §4.1.4).
//
// Given a digest (the caller hashes; SHA-256 for P-256 and SHA-384 for P-384 in this project), a
// signature (r, s) and a public key Q:
//   1. r and s must be integers in [1, n - 1];
//   2. e = the leftmost min(bits(n), 8 * len(digest)) bits of the digest, as an integer;
//   3. w = s^-1 mod n, u1 = e w mod n, u2 = r w mod n;
//   4. R = u1 G + u2 Q must not be the point at infinity, and x(R) mod n must equal r.
// High-S signatures (s > n / 2) are accepted, as FIPS 186 and the CosmWasm host functions do: Intel
// DCAP quotes are not low-S normalized. Keys are SEC1 points, uncompressed (0x04) or compressed
// (0x02, 0x03); they must be on the curve with coordinates below p, and the infinity encoding is
// rejected. Signatures come as raw r || s (IEEE P1363: 64 or 96 bytes) or as strict DER
// SEQUENCE { INTEGER r, INTEGER s }: minimal lengths and integers, no trailing bytes.
//
// Every failure has its own code. Nothing here allocates per operation except the small curve context,
// and every length and offset of the untrusted inputs is checked before use.
import { MAX_LIMBS, compareLimbs, isZeroLimbs, limbsFromBytes } from "./field";
import { modInverse } from "./modinv";
import { montMulOrder } from "./scalar";
import { Curve } from "./weierstrass";
import { P256_BITS, P256_BYTES, P256_LIMBS, P256_N, P256_P_MINUS_N, P256_R2_MOD_N, p256Curve } from "./p256";
import { P384_BITS, P384_BYTES, P384_LIMBS, P384_N, P384_P_MINUS_N, P384_R2_MOD_N, p384Curve } from "./p384";
import { sha256 } from "./sha256";
import { sha384 } from "./sha512";

/** The signature is valid. */
export const ECDSA_VALID: i32 = 0;
/** Well-formed inputs, but the signature does not verify. */
export const ECDSA_INVALID: i32 = 1;
/** The public key is not a valid encoding of a curve point (or is the point at infinity). */
export const ECDSA_BAD_KEY: i32 = 2;
/** The signature is not valid DER, or raw r || s of the wrong length. */
export const ECDSA_BAD_SIGNATURE_ENCODING: i32 = 3;
/** r or s is outside [1, n - 1]. */
export const ECDSA_BAD_SIGNATURE_RANGE: i32 = 4;

/** Signature formats. */
export const SIGNATURE_RAW: i32 = 0;
export const SIGNATURE_DER: i32 = 1;

const DER_SEQUENCE: u8 = 0x30;
const DER_INTEGER: u8 = 0x02;
/** DER lengths below 128 use the one-byte short form; an ECDSA-Sig-Value for these curves is at
 * most 2 + 2 * (2 + 49) = 104 bytes, so a long-form length is never minimal and is rejected. */
const DER_SHORT_LENGTH_LIMIT: i32 = 0x80;

// Plain scalars (30-bit limbs): r, s, e, w = s^-1, u1, u2.
const R: usize = memory.data(MAX_LIMBS * 4);
const S: usize = memory.data(MAX_LIMBS * 4);
const E: usize = memory.data(MAX_LIMBS * 4);
const W: usize = memory.data(MAX_LIMBS * 4);
const U1: usize = memory.data(MAX_LIMBS * 4);
const U2: usize = memory.data(MAX_LIMBS * 4);

/** Byte ranges of r and s inside a parsed signature. */
let rStart: i32 = 0, rLength: i32 = 0, sStart: i32 = 0, sLength: i32 = 0;

/** Parses one DER INTEGER at sig[at]: positive, minimal. Returns the offset after it or -1; on
 * success the value's bytes (without a sign-padding zero) are at [intStart, intStart + intLength). */
let intStart: i32 = 0, intLength: i32 = 0;
function parseDerInteger(sig: Uint8Array, at: i32, end: i32): i32 {
  if (end - at < 2 || unchecked(sig[at]) != DER_INTEGER) return -1;
  const length = <i32>unchecked(sig[at + 1]);
  if (length >= DER_SHORT_LENGTH_LIMIT || length == 0 || length > end - at - 2) return -1;
  let start = at + 2;
  const first = unchecked(sig[start]);
  if ((first & 0x80) != 0) return -1; // negative
  if (first == 0 && length > 1) {
    if ((unchecked(sig[start + 1]) & 0x80) == 0) return -1; // non-minimal leading zero
    intStart = start + 1;
    intLength = length - 1;
  } else {
    intStart = start;
    intLength = length;
  }
  return start + length;
}

/** Strict DER ECDSA-Sig-Value; sets rStart/rLength/sStart/sLength. */
function parseDerSignature(sig: Uint8Array): bool {
  const n = sig.length;
  if (n < 2 || unchecked(sig[0]) != DER_SEQUENCE) return false;
  const length = <i32>unchecked(sig[1]);
  if (length >= DER_SHORT_LENGTH_LIMIT || length != n - 2) return false;
  let at = parseDerInteger(sig, 2, n);
  if (at < 0) return false;
  rStart = intStart;
  rLength = intLength;
  at = parseDerInteger(sig, at, n);
  if (at < 0) return false;
  sStart = intStart;
  sLength = intLength;
  return at == n;
}

/** Reads a big-endian unsigned integer (leading zeros allowed) into out; false if it does not fit in
 * `bytes` bytes, is zero, or is not below the order n. */
function scalarInRange(out: usize, src: Uint8Array, start: i32, length: i32, bytes: i32, order: usize, limbs: i32): bool {
  while (length > 0 && unchecked(src[start]) == 0) {
    start++;
    length--;
  }
  if (length > bytes) return false;
  limbsFromBytes(out, limbs, src, start, length);
  return !isZeroLimbs(out, limbs) && compareLimbs(out, order, limbs) < 0;
}

/** The shared verification for either curve, after the signature's r and s have been located. */
function verifyWith<F>(
  curve: Curve<F>, bits: i32, bytes: i32, limbs: i32, order: usize, r2: usize, pMinusN: usize,
  digest: Uint8Array, r: Uint8Array, rAt: i32, rLen: i32, s: Uint8Array, sAt: i32, sLen: i32, key: Uint8Array,
): i32 {
  if (!scalarInRange(R, r, rAt, rLen, bytes, order, limbs)) return ECDSA_BAD_SIGNATURE_RANGE;
  if (!scalarInRange(S, s, sAt, sLen, bytes, order, limbs)) return ECDSA_BAD_SIGNATURE_RANGE;
  if (!curve.decodePoint(key)) return ECDSA_BAD_KEY;
  // e: the leftmost bits(n) bits of the digest; bits(n) is a multiple of 8 for both curves.
  limbsFromBytes(E, limbs, digest, 0, min(digest.length, bytes));
  if (!modInverse(W, S, order, limbs)) return ECDSA_INVALID; // unreachable: n is prime, 0 < s < n
  montMulOrder(W, W, r2, order, limbs); // w R (Montgomery form), so that the next two products are plain
  montMulOrder(U1, E, W, order, limbs); // e w (e < 2^bits: within montMulOrder's bound)
  montMulOrder(U2, R, W, order, limbs); // r w
  if (!curve.mulAdd(U1, U2, bits)) return ECDSA_INVALID;
  return curve.xEqualsModOrder(R, order, pMinusN) ? ECDSA_VALID : ECDSA_INVALID;
}

/** How many P-256 verifications the pure-Wasm code has started in this instance (never reset here).
 * The P-256 backend tests compare it with what a backend saw, to prove that no caller bypasses the
 * backend switch (crypto/p256-backend.ts). */
export let p256WasmVerifications: i32 = 0;

/** Verifies a P-256 signature given as big-endian r and s over a digest (normally SHA-256). */
export function ecdsaVerifyP256(digest: Uint8Array, r: Uint8Array, s: Uint8Array, pubkey: Uint8Array): i32 {
  p256WasmVerifications++;
  return verifyWith(p256Curve(), P256_BITS, P256_BYTES, P256_LIMBS, P256_N, P256_R2_MOD_N, P256_P_MINUS_N,
    digest, r, 0, r.length, s, 0, s.length, pubkey);
}

/** Verifies a P-384 signature given as big-endian r and s over a digest (normally SHA-384). */
export function ecdsaVerifyP384(digest: Uint8Array, r: Uint8Array, s: Uint8Array, pubkey: Uint8Array): i32 {
  return verifyWith(p384Curve(), P384_BITS, P384_BYTES, P384_LIMBS, P384_N, P384_R2_MOD_N, P384_P_MINUS_N,
    digest, r, 0, r.length, s, 0, s.length, pubkey);
}

/** Locates r and s in an encoded signature (raw r || s of 2 * bytes, or DER); false if malformed. */
function locate(sig: Uint8Array, format: i32, bytes: i32): bool {
  if (format == SIGNATURE_RAW) {
    if (sig.length != 2 * bytes) return false;
    rStart = 0;
    rLength = bytes;
    sStart = bytes;
    sLength = bytes;
    return true;
  }
  return format == SIGNATURE_DER && parseDerSignature(sig);
}

/** Verifies an encoded P-256 signature (SIGNATURE_RAW or SIGNATURE_DER) over a digest. */
export function ecdsaVerifyP256Encoded(digest: Uint8Array, sig: Uint8Array, format: i32, pubkey: Uint8Array): i32 {
  p256WasmVerifications++;
  if (!locate(sig, format, P256_BYTES)) return ECDSA_BAD_SIGNATURE_ENCODING;
  return verifyWith(p256Curve(), P256_BITS, P256_BYTES, P256_LIMBS, P256_N, P256_R2_MOD_N, P256_P_MINUS_N,
    digest, sig, rStart, rLength, sig, sStart, sLength, pubkey);
}

/** Verifies an encoded P-384 signature (SIGNATURE_RAW or SIGNATURE_DER) over a digest. */
export function ecdsaVerifyP384Encoded(digest: Uint8Array, sig: Uint8Array, format: i32, pubkey: Uint8Array): i32 {
  if (!locate(sig, format, P384_BYTES)) return ECDSA_BAD_SIGNATURE_ENCODING;
  return verifyWith(p384Curve(), P384_BITS, P384_BYTES, P384_LIMBS, P384_N, P384_R2_MOD_N, P384_P_MINUS_N,
    digest, sig, rStart, rLength, sig, sStart, sLength, pubkey);
}

/** ECDSA-SHA256 on P-256: hashes the message, then verifies the encoded signature. */
export function ecdsaVerifyP256Sha256(message: Uint8Array, sig: Uint8Array, format: i32, pubkey: Uint8Array): i32 {
  return ecdsaVerifyP256Encoded(sha256(message), sig, format, pubkey);
}

/** ECDSA-SHA384 on P-384: hashes the message, then verifies the encoded signature. */
export function ecdsaVerifyP384Sha384(message: Uint8Array, sig: Uint8Array, format: i32, pubkey: Uint8Array): i32 {
  return ecdsaVerifyP384Encoded(sha384(message), sig, format, pubkey);
}
