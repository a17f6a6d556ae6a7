// Every ECDSA P-256 / SHA-256 check of the TDX verifier goes through this file, and from here only
// through crypto/p256-backend's p256VerifyDigest: contracts route that to the chain's secp256r1_verify
// host function, the plain verifier.wasm to the pure-Wasm implementation. Intel signs everything in
// DCAP with ecdsa-with-SHA256 on P-256: certificates and CRLs (DER Ecdsa-Sig-Value), TCB info and QE
// identity (hex r||s), the QE report and the quote (raw r||s).
import { sha256, sha256Range } from "../crypto/sha256";
import { p256VerifyDigest } from "../crypto/p256-backend";
import { DerReader, readSequence, readInteger } from "../encoding/der";
import { Certificate } from "../encoding/x509";
import { CertificateList } from "../encoding/crl";
import { SCHEME_ECDSA, HASH_SHA256, SignatureAlgorithm, KEY_EC, CURVE_P256 } from "../encoding/x509-algorithm";

export const P256_COORDINATE_SIZE: i32 = 32;
export const P256_RAW_SIGNATURE_SIZE: i32 = 64;
export const P256_SEC1_KEY_SIZE: i32 = 65;
const SEC1_UNCOMPRESSED: u8 = 0x04;

/** DER Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } to the fixed 64-byte r || s, or null when
 * it is not exactly that with 1..32-byte positive integers. */
export function ecdsaDerToRaw(der: Uint8Array): Uint8Array | null {
  const top = DerReader.over(der);
  const seq = readSequence(top);
  if (seq === null || !top.finish()) return null;
  const out = new Uint8Array(P256_RAW_SIGNATURE_SIZE);
  for (let k = 0; k < 2; k++) {
    const v = readInteger(seq);
    if (v === null || v.length > P256_COORDINATE_SIZE) return null;
    const offset = k * P256_COORDINATE_SIZE + P256_COORDINATE_SIZE - v.length;
    for (let i = 0; i < v.length; i++) out[offset + i] = v[i];
  }
  return seq.finish() ? out : null;
}

/** 04 || x || y from a quote's 64-byte x || y. */
export function sec1FromRaw(xy: Uint8Array): Uint8Array {
  const out = new Uint8Array(P256_SEC1_KEY_SIZE);
  out[0] = SEC1_UNCOMPRESSED;
  for (let i = 0; i < xy.length && i + 1 < P256_SEC1_KEY_SIZE; i++) out[i + 1] = xy[i];
  return out;
}

function validKey(key: Uint8Array): bool { return key.length == P256_SEC1_KEY_SIZE && key[0] == SEC1_UNCOMPRESSED; }

/** ECDSA-P256-SHA256 over data[start, end) with a raw r || s signature and a SEC1 key. */
export function verifyRange(data: Uint8Array, start: i32, end: i32, signatureRaw: Uint8Array, key: Uint8Array): bool {
  if (signatureRaw.length != P256_RAW_SIGNATURE_SIZE || !validKey(key)) return false;
  return p256VerifyDigest(sha256Range(data, start, end), signatureRaw, key);
}

export function verifyBytes(data: Uint8Array, signatureRaw: Uint8Array, key: Uint8Array): bool {
  if (signatureRaw.length != P256_RAW_SIGNATURE_SIZE || !validKey(key)) return false;
  return p256VerifyDigest(sha256(data), signatureRaw, key);
}

function isEcdsaSha256(alg: SignatureAlgorithm): bool { return alg.scheme == SCHEME_ECDSA && alg.hash == HASH_SHA256; }

/** True when `cert` has a P-256 key and is signed with ecdsa-with-SHA256 (all Intel DCAP certs). */
export function isIntelShape(cert: Certificate): bool {
  return isEcdsaSha256(cert.signatureAlgorithm) && cert.publicKey.kind == KEY_EC && cert.publicKey.curve == CURVE_P256;
}

/** The certificate's signature verifies under `issuerKey` (SEC1). */
export function certificateSignedBy(cert: Certificate, issuerKey: Uint8Array): bool {
  if (!isEcdsaSha256(cert.signatureAlgorithm)) return false;
  const raw = ecdsaDerToRaw(cert.signature);
  if (raw === null) return false;
  return verifyRange(cert.raw, cert.tbsStart, cert.tbsEnd, raw, issuerKey);
}

/** The CRL's signature verifies under `issuerKey` (SEC1). */
export function crlSignedBy(crl: CertificateList, issuerKey: Uint8Array): bool {
  if (!isEcdsaSha256(crl.signatureAlgorithm)) return false;
  const raw = ecdsaDerToRaw(crl.signature);
  if (raw === null) return false;
  return verifyRange(crl.raw, crl.tbsStart, crl.tbsEnd, raw, issuerKey);
}
