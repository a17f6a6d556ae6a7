// Typed wrappers for the RSA exports of verifier.wasm (assembly/exports/rsa.ts).
import { run, put, takeBlob, callExport } from "./loader";

export type RsaHash = "sha256" | "sha384" | "sha512";

/** assembly/crypto/hash-alg.ts ids (the same as x509-algorithm.ts's HASH_SHA256/384/512). */
const HASH_ID: Record<RsaHash, number> = { sha256: 1, sha384: 2, sha512: 3 };

/** assembly/crypto/rsa.ts result codes. */
export const RsaResult = {
  VALID: 0,
  BAD_KEY: 1,
  BAD_HASH: 2,
  BAD_SIGNATURE_LENGTH: 3,
  SIGNATURE_OUT_OF_RANGE: 4,
  MODULUS_TOO_SHORT: 5,
  BAD_SALT_LENGTH: 6,
  PSS_BAD_TRAILER: 7,
  PSS_BAD_HEADER: 8,
  PSS_BAD_PADDING: 9,
  MISMATCH: 10,
} as const;
export type RsaResultCode = (typeof RsaResult)[keyof typeof RsaResult];

/** Salt length that accepts any PSS salt. */
export const RSA_PSS_SALT_AUTO = -1;

export interface RsaPublicKeyBytes {
  /** Big-endian modulus; leading zero bytes are allowed. */
  modulus: Uint8Array;
  /** Big-endian public exponent (e.g. 01 00 01). */
  exponent: Uint8Array;
}

function hashId(hash: RsaHash): number {
  const id = HASH_ID[hash];
  if (id === undefined) throw new RangeError(`unsupported hash ${String(hash)}`);
  return id;
}

function checkSalt(saltLength: number): void {
  if (!Number.isInteger(saltLength) || saltLength < -1 || saltLength > 0x7fffffff) throw new RangeError(`bad salt length ${saltLength}`);
}

/** RSASSA-PSS (MGF1 with the same hash) over Hash(message); 0 = valid, else an RsaResult code. */
export function wasmRsaPssVerify(key: RsaPublicKeyBytes, message: Uint8Array, signature: Uint8Array, hash: RsaHash, saltLength: number): RsaResultCode {
  checkSalt(saltLength);
  return run((w) => callExport(w, "rsa_pss_verify", ...put(w, key.modulus), ...put(w, key.exponent), ...put(w, message), ...put(w, signature), hashId(hash), saltLength)) as RsaResultCode;
}

/** RSASSA-PSS over a precomputed digest (its length must match the hash). */
export function wasmRsaPssVerifyDigest(key: RsaPublicKeyBytes, digest: Uint8Array, signature: Uint8Array, hash: RsaHash, saltLength: number): RsaResultCode {
  checkSalt(saltLength);
  return run((w) => callExport(w, "rsa_pss_verify_digest", ...put(w, key.modulus), ...put(w, key.exponent), ...put(w, digest), ...put(w, signature), hashId(hash), saltLength)) as RsaResultCode;
}

/** RSASSA-PKCS1-v1_5 over Hash(message); 0 = valid, else an RsaResult code. */
export function wasmRsaPkcs1Verify(key: RsaPublicKeyBytes, message: Uint8Array, signature: Uint8Array, hash: RsaHash): RsaResultCode {
  return run((w) => callExport(w, "rsa_pkcs1_verify", ...put(w, key.modulus), ...put(w, key.exponent), ...put(w, message), ...put(w, signature), hashId(hash))) as RsaResultCode;
}

/** RSASSA-PKCS1-v1_5 over a precomputed digest. */
export function wasmRsaPkcs1VerifyDigest(key: RsaPublicKeyBytes, digest: Uint8Array, signature: Uint8Array, hash: RsaHash): RsaResultCode {
  return run((w) => callExport(w, "rsa_pkcs1_verify_digest", ...put(w, key.modulus), ...put(w, key.exponent), ...put(w, digest), ...put(w, signature), hashId(hash))) as RsaResultCode;
}

/** base^exponent mod modulus, big-endian, as long as the modulus without leading zeros; null when the
 * verifier rejects the inputs (modulus even or outside 512..4096 bits, exponent 0 or over 64 bits,
 * base >= modulus). */
export function wasmModExp(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Uint8Array | null {
  return run((w) => takeBlob(w, callExport(w, "modexp", ...put(w, base), ...put(w, exponent), ...put(w, modulus))));
}
