// Hash selection for signature schemes that are parameterized by their hash (RSA PKCS#1 v1.5 and PSS
// with MGF1). encoding/x509-algorithm.ts assigns these same ids when it parses an AlgorithmIdentifier,
// so a parsed certificate's hash can be passed straight through.
import { Sha256, SHA256_OUTPUT_LENGTH } from "./sha256";
import { Sha384, Sha512, SHA384_OUTPUT_LENGTH, SHA512_OUTPUT_LENGTH } from "./sha512";

export type HashAlg = i32;
export const HASH_ALG_SHA256: HashAlg = 1;
export const HASH_ALG_SHA384: HashAlg = 2;
export const HASH_ALG_SHA512: HashAlg = 3;

/** Digest length in bytes, or 0 for an unknown id. */
export function hashOutputLength(alg: HashAlg): i32 {
  if (alg == HASH_ALG_SHA256) return SHA256_OUTPUT_LENGTH;
  if (alg == HASH_ALG_SHA384) return SHA384_OUTPUT_LENGTH;
  if (alg == HASH_ALG_SHA512) return SHA512_OUTPUT_LENGTH;
  return 0;
}

/** Digest of data[start..end) (callers pass an in-bounds range); null for an unknown id. */
export function hashRange(alg: HashAlg, data: Uint8Array, start: i32, end: i32): Uint8Array | null {
  if (alg == HASH_ALG_SHA256) return new Sha256().updateRange(data, start, end).digest();
  if (alg == HASH_ALG_SHA384) return new Sha384().updateRange(data, start, end).digest();
  if (alg == HASH_ALG_SHA512) return new Sha512().updateRange(data, start, end).digest();
  return null;
}

export function hashBytes(alg: HashAlg, data: Uint8Array): Uint8Array | null {
  return hashRange(alg, data, 0, data.length);
}
