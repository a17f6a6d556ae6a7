// RSA signature verification (RFC 8017): RSASSA-PSS (§8.1.2 with EMSA-PSS-VERIFY §9.1.2, MGF1 over the
// same hash) and RSASSA-PKCS1-v1_5 (§8.2.2 with EMSA-PKCS1-v1_5 §9.2), for 512 to 4096-bit moduli and
// SHA-256/384/512. AMD signs every SEV-SNP certificate and CRL with RSA-4096 PSS-SHA384 (salt 48).
//
// Strictness: the signature must be exactly k bytes (the modulus length) and below n; the public
// exponent must be odd, >= 3 and at most 64 bits. PKCS#1 v1.5 is checked by building the one valid
// encoding and comparing it whole (no ASN.1 parsing of the decrypted block, so no BER/garbage
// variants, and the legacy DigestInfo without NULL parameters is rejected). PSS takes the salt length
// explicitly, or RSA_PSS_SALT_AUTO to accept any (RFC 8017's "recovered from the encoding").
// All inputs are public, so nothing is constant-time. Every failure has its own code.
import { Montgomery, exponentFromBytes } from "./bignum";
import { HashAlg, HASH_ALG_SHA256, HASH_ALG_SHA384, HASH_ALG_SHA512, hashOutputLength, hashRange } from "./hash-alg";
import { bytesEqual } from "../encoding/bytes";

export const RSA_VALID: i32 = 0;
/** Modulus even, outside 512..4096 bits, or exponent even, < 3 or over 64 bits. */
export const RSA_BAD_KEY: i32 = 1;
/** Unknown hash id, or a digest whose length does not match it. */
export const RSA_BAD_HASH: i32 = 2;
/** The signature is not exactly as long as the modulus. */
export const RSA_BAD_SIGNATURE_LENGTH: i32 = 3;
/** The signature, as an integer, is >= n. */
export const RSA_SIGNATURE_OUT_OF_RANGE: i32 = 4;
/** The modulus is too short for the encoding (PKCS#1: the DigestInfo; PSS: hash + salt + 2 bytes). */
export const RSA_MODULUS_TOO_SHORT: i32 = 5;
/** PSS: a negative salt length other than RSA_PSS_SALT_AUTO. */
export const RSA_BAD_SALT_LENGTH: i32 = 6;
/** PSS: the last byte is not 0xbc. */
export const RSA_PSS_BAD_TRAILER: i32 = 7;
/** PSS: bits above emBits are set (the representative does not fit the encoding). */
export const RSA_PSS_BAD_HEADER: i32 = 8;
/** PSS: the unmasked data block is not zeros, 0x01, salt (of the expected length). */
export const RSA_PSS_BAD_PADDING: i32 = 9;
/** PSS: H != Hash(0^8 || mHash || salt). PKCS#1 v1.5: the block differs from the expected encoding. */
export const RSA_MISMATCH: i32 = 10;

/** Salt length meaning "any": taken from the position of the 0x01 separator. */
export const RSA_PSS_SALT_AUTO: i32 = -1;

// Bytes of zeros that start M' = 0x00 * 8 || mHash || salt (§9.1.2 step 12).
const PSS_PREFIX_ZEROS: i32 = 8;
const PSS_TRAILER: u8 = 0xbc;
// EM = 0x00 0x01 PS 0x00 T for PKCS#1 v1.5, with at least 8 bytes of 0xff in PS (§9.2 step 3).
const PKCS1_MIN_PADDING: i32 = 8;
const PKCS1_OVERHEAD: i32 = 3 + PKCS1_MIN_PADDING;

// DigestInfo DER prefixes (§9.2 note 1): SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING (hLen) }.
const DIGEST_INFO_SHA256: StaticArray<u8> = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const DIGEST_INFO_SHA384: StaticArray<u8> = [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const DIGEST_INFO_SHA512: StaticArray<u8> = [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

/** Result of the RSA public operation: a status, and on RSA_VALID the k-byte representative. */
class PublicOperation {
  status: i32 = RSA_VALID;
  representative: Uint8Array = new Uint8Array(0);
  modulusBits: i32 = 0;
}

function failed(status: i32): PublicOperation {
  const op = new PublicOperation();
  op.status = status;
  return op;
}

/** The steps both schemes share: checks key, hash, signature length and range, then s^e mod n. */
function publicOperation(modulus: Uint8Array, exponent: Uint8Array, digest: Uint8Array, signature: Uint8Array, hash: HashAlg): PublicOperation {
  const hLen = hashOutputLength(hash);
  if (hLen == 0 || digest.length != hLen) return failed(RSA_BAD_HASH);
  const e = exponentFromBytes(exponent); // 0 when longer than 64 bits
  if (e < 3 || (e & 1) == 0) return failed(RSA_BAD_KEY);
  const m = Montgomery.create(modulus);
  if (m === null) return failed(RSA_BAD_KEY);
  if (signature.length != m.byteLength) return failed(RSA_BAD_SIGNATURE_LENGTH);
  const s = m.limbsBelowModulus(signature);
  if (s === null) return failed(RSA_SIGNATURE_OUT_OF_RANGE);
  const op = new PublicOperation();
  op.modulusBits = m.bits;
  op.representative = m.powLimbsToBytes(s, e);
  return op;
}

/** XORs MGF1(seed, mask.length) (§B.2.1) into mask[0..length). */
function xorMgf1(hash: HashAlg, seed: Uint8Array, seedStart: i32, seedEnd: i32, mask: Uint8Array, length: i32): void {
  const seedLength = seedEnd - seedStart;
  const input = new Uint8Array(seedLength + 4);
  for (let i = 0; i < seedLength; i++) unchecked(input[i] = seed[seedStart + i]);
  let done = 0;
  for (let counter: u32 = 0; done < length; counter++) {
    store<u32>(input.dataStart + <usize>seedLength, bswap<u32>(counter));
    const block = hashRange(hash, input, 0, input.length)!;
    const n = min<i32>(block.length, length - done);
    for (let i = 0; i < n; i++) unchecked(mask[done + i] ^= block[i]);
    done += n;
  }
}

/** RSASSA-PSS verification of `digest` (= Hash(M), hLen bytes) with MGF1 over the same hash.
 * saltLength >= 0 requires exactly that salt; RSA_PSS_SALT_AUTO accepts any. RSA_VALID (0) or a
 * failure code. */
export function rsaPssVerify(modulus: Uint8Array, exponent: Uint8Array, digest: Uint8Array, signature: Uint8Array, hash: HashAlg, saltLength: i32): i32 {
  if (saltLength < 0 && saltLength != RSA_PSS_SALT_AUTO) return RSA_BAD_SALT_LENGTH;
  const op = publicOperation(modulus, exponent, digest, signature, hash);
  if (op.status != RSA_VALID) return op.status;
  const hLen = digest.length;
  // §8.1.2 step 2c: EM = I2OSP(m, emLen) with emBits = modBits - 1. When modBits = 1 mod 8, emLen is
  // k - 1 and m's leading byte must be zero for m to fit.
  const emBits = op.modulusBits - 1;
  const emLen = (emBits + 7) >> 3;
  const m = op.representative;
  const skip = m.length - emLen; // 0 or 1
  if (skip == 1 && unchecked(m[0]) != 0) return RSA_PSS_BAD_HEADER;
  // §9.1.2 steps 3-6.
  const minSalt = saltLength == RSA_PSS_SALT_AUTO ? 0 : saltLength;
  if (minSalt > emLen || emLen < hLen + minSalt + 2) return RSA_MODULUS_TOO_SHORT; // first test: no i32 overflow
  if (unchecked(m[skip + emLen - 1]) != PSS_TRAILER) return RSA_PSS_BAD_TRAILER;
  const dbLen = emLen - hLen - 1;
  const hAt = skip + dbLen; // H = EM[dbLen .. dbLen + hLen)
  const unusedBits = 8 * emLen - emBits; // 0..7 leftmost bits of EM that must be zero
  const topMask: i32 = 0xff >> unusedBits;
  if ((<i32>unchecked(m[skip]) & ~topMask) != 0) return RSA_PSS_BAD_HEADER;
  // Steps 7-9: DB = maskedDB xor MGF1(H), top bits cleared.
  const db = m.slice(skip, skip + dbLen);
  xorMgf1(hash, m, hAt, hAt + hLen, db, dbLen);
  unchecked(db[0] = <u8>(<i32>db[0] & topMask));
  // Step 10: DB = PS (zeros) || 0x01 || salt.
  let separator: i32;
  if (saltLength == RSA_PSS_SALT_AUTO) {
    separator = 0;
    while (separator < dbLen && unchecked(db[separator]) == 0) separator++;
    if (separator == dbLen) return RSA_PSS_BAD_PADDING;
  } else {
    separator = dbLen - saltLength - 1;
    for (let i = 0; i < separator; i++) if (unchecked(db[i]) != 0) return RSA_PSS_BAD_PADDING;
  }
  if (unchecked(db[separator]) != 0x01) return RSA_PSS_BAD_PADDING;
  // Steps 11-14: H' = Hash(0^8 || mHash || salt) must equal H.
  const saltStart = separator + 1;
  const mPrime = new Uint8Array(PSS_PREFIX_ZEROS + hLen + (dbLen - saltStart));
  for (let i = 0; i < hLen; i++) unchecked(mPrime[PSS_PREFIX_ZEROS + i] = digest[i]);
  for (let i = saltStart; i < dbLen; i++) unchecked(mPrime[PSS_PREFIX_ZEROS + hLen + i - saltStart] = db[i]);
  const expected = hashRange(hash, mPrime, 0, mPrime.length)!;
  return bytesEqual(expected, m.subarray(hAt, hAt + hLen)) ? RSA_VALID : RSA_MISMATCH;
}

function digestInfoPrefix(hash: HashAlg): StaticArray<u8> {
  if (hash == HASH_ALG_SHA256) return DIGEST_INFO_SHA256;
  if (hash == HASH_ALG_SHA384) return DIGEST_INFO_SHA384;
  return DIGEST_INFO_SHA512; // only reached for HASH_ALG_SHA512: the hash was validated first
}

/** RSASSA-PKCS1-v1_5 verification of `digest` (= Hash(M)): the decrypted block must equal
 * 0x00 0x01 0xff.. 0x00 DigestInfo(hash, digest) exactly. RSA_VALID (0) or a failure code. */
export function rsaPkcs1v15Verify(modulus: Uint8Array, exponent: Uint8Array, digest: Uint8Array, signature: Uint8Array, hash: HashAlg): i32 {
  const op = publicOperation(modulus, exponent, digest, signature, hash);
  if (op.status != RSA_VALID) return op.status;
  const em = op.representative;
  const k = em.length;
  const prefix = digestInfoPrefix(hash);
  const tLen = prefix.length + digest.length;
  if (k < tLen + PKCS1_OVERHEAD) return RSA_MODULUS_TOO_SHORT;
  const expected = new Uint8Array(k);
  expected[1] = 0x01;
  const tAt = k - tLen;
  for (let i = 2; i < tAt - 1; i++) unchecked(expected[i] = 0xff);
  for (let i = 0; i < prefix.length; i++) unchecked(expected[tAt + i] = prefix[i]);
  for (let i = 0; i < digest.length; i++) unchecked(expected[tAt + prefix.length + i] = digest[i]);
  return bytesEqual(expected, em) ? RSA_VALID : RSA_MISMATCH;
}

/** rsaPssVerify over Hash(message). */
export function rsaPssVerifyMessage(modulus: Uint8Array, exponent: Uint8Array, message: Uint8Array, signature: Uint8Array, hash: HashAlg, saltLength: i32): i32 {
  const digest = hashRange(hash, message, 0, message.length);
  if (digest === null) return RSA_BAD_HASH;
  return rsaPssVerify(modulus, exponent, digest, signature, hash, saltLength);
}

/** rsaPkcs1v15Verify over Hash(message). */
export function rsaPkcs1v15VerifyMessage(modulus: Uint8Array, exponent: Uint8Array, message: Uint8Array, signature: Uint8Array, hash: HashAlg): i32 {
  const digest = hashRange(hash, message, 0, message.length);
  if (digest === null) return RSA_BAD_HASH;
  return rsaPkcs1v15Verify(modulus, exponent, digest, signature, hash);
}
