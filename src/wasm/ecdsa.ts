// Typed wrappers for the ECDSA exports of verifier.wasm (assembly/exports/ecdsa.ts).
import { run, put, callExport } from "./loader";

/** Result codes (assembly/crypto/ecdsa.ts ECDSA_*). */
export const EcdsaResult = {
  VALID: 0,
  INVALID: 1,
  BAD_KEY: 2,
  BAD_SIGNATURE_ENCODING: 3,
  BAD_SIGNATURE_RANGE: 4,
} as const;
export type EcdsaResultCode = (typeof EcdsaResult)[keyof typeof EcdsaResult];

export type EcdsaCurve = "P-256" | "P-384";
/** "raw": r || s (IEEE P1363, 64 or 96 bytes); "der": strict DER SEQUENCE { INTEGER r, INTEGER s }. */
export type EcdsaSignatureFormat = "raw" | "der";

const FORMAT = { raw: 0, der: 1 } as const;

function call(name: string, first: Uint8Array, signature: Uint8Array, format: EcdsaSignatureFormat, publicKey: Uint8Array): EcdsaResultCode {
  return run((w) => {
    const [fp, fn] = put(w, first);
    const [sp, sn] = put(w, signature);
    const [kp, kn] = put(w, publicKey);
    return callExport(w, name, fp, fn, sp, sn, FORMAT[format], kp, kn) as EcdsaResultCode;
  });
}

/** Verifies a signature over a precomputed digest (SHA-256 for P-256, SHA-384 for P-384; longer
 * digests are truncated to the order's bit length). `publicKey` is SEC1, compressed or uncompressed. */
export function wasmEcdsaVerifyDigest(curve: EcdsaCurve, digest: Uint8Array, signature: Uint8Array, publicKey: Uint8Array, format: EcdsaSignatureFormat = "raw"): EcdsaResultCode {
  return call(curve === "P-256" ? "p256_verify" : "p384_verify", digest, signature, format, publicKey);
}

/** Verifies ECDSA-SHA256 (P-256) or ECDSA-SHA384 (P-384) over a message; the hash runs in Wasm. */
export function wasmEcdsaVerifyMessage(curve: EcdsaCurve, message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array, format: EcdsaSignatureFormat = "raw"): EcdsaResultCode {
  return call(curve === "P-256" ? "p256_verify_sha256" : "p384_verify_sha384", message, signature, format, publicKey);
}

/** Convenience: true only for EcdsaResult.VALID. */
export function wasmEcdsaVerify(curve: EcdsaCurve, digest: Uint8Array, signature: Uint8Array, publicKey: Uint8Array, format: EcdsaSignatureFormat = "raw"): boolean {
  return wasmEcdsaVerifyDigest(curve, digest, signature, publicKey, format) === EcdsaResult.VALID;
}
