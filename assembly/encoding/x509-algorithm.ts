// AlgorithmIdentifier parsing shared by certificates and CRLs: the signature algorithm (ECDSA, RSA
// PKCS#1 v1.5, RSASSA-PSS with its parameters) and the SubjectPublicKeyInfo (EC P-256/P-384, RSA).
// Only what our chains use is accepted; anything else is a clean "unsupported" error rather than a
// half-understood key or algorithm reaching the signature check.
import {
  DerReader, CLASS_CONTEXT, readSequence, readOid, readNull, readInteger,
  readSmallInteger, readOctetAlignedBitString, oidIs,
} from "./der";
import {
  OID_EC_PUBLIC_KEY, OID_CURVE_P256, OID_CURVE_P384, OID_RSA_ENCRYPTION, OID_ECDSA_SHA256, OID_ECDSA_SHA384,
  OID_ECDSA_SHA512, OID_RSA_SHA256, OID_RSA_SHA384, OID_RSA_SHA512, OID_RSASSA_PSS, OID_MGF1, OID_SHA256, OID_SHA384,
  OID_SHA512,
} from "./oids";
import { HASH_ALG_SHA256, HASH_ALG_SHA384, HASH_ALG_SHA512 } from "../crypto/hash-alg";

export const X509_BAD_SIGALG = "X509_BAD_SIGALG";
export const X509_UNSUPPORTED_SIGALG = "X509_UNSUPPORTED_SIGALG";
export const X509_BAD_SPKI = "X509_BAD_SPKI";
export const X509_UNSUPPORTED_KEY = "X509_UNSUPPORTED_KEY";
export const X509_UNSUPPORTED_CURVE = "X509_UNSUPPORTED_CURVE";
export const X509_BAD_EC_POINT = "X509_BAD_EC_POINT";

/** Code of the last failure in this module. */
export let algorithmError: string = "";

// Hash ids are the crypto layer's (crypto/hash-alg.ts), so a parsed algorithm's hash goes straight to it.
export const HASH_SHA256: i32 = HASH_ALG_SHA256;
export const HASH_SHA384: i32 = HASH_ALG_SHA384;
export const HASH_SHA512: i32 = HASH_ALG_SHA512;

export const SCHEME_ECDSA: i32 = 1;
export const SCHEME_RSA_PKCS1: i32 = 2;
export const SCHEME_RSA_PSS: i32 = 3;

/** Largest PSS salt we accept (RFC 8017 bounds it by the modulus; 512 B covers RSA-4096). */
const MAX_PSS_SALT: i32 = 512;
/** trailerFieldBC, the only trailer RFC 4055 defines. */
const PSS_TRAILER_BC: i32 = 1;
/** RFC 4055 default salt length when saltLength is omitted. */
const PSS_DEFAULT_SALT: i32 = 20;

export function hashName(hash: i32): string {
  if (hash == HASH_SHA256) return "sha256";
  if (hash == HASH_SHA384) return "sha384";
  if (hash == HASH_SHA512) return "sha512";
  return "";
}

export class SignatureAlgorithm {
  /** The whole AlgorithmIdentifier element (header included), for the inner == outer comparison. */
  start: i32 = 0;
  end: i32 = 0;
  oidStart: i32 = 0;
  oidEnd: i32 = 0;
  scheme: i32 = 0;
  hash: i32 = 0;
  // RSASSA-PSS only:
  mgf1Hash: i32 = 0;
  saltLength: i32 = 0;
  trailerField: i32 = 0;
  /** True when trailerField was encoded (AMD's older encoding) rather than left to its DEFAULT. */
  trailerExplicit: bool = false;

  name(): string {
    if (this.scheme == SCHEME_ECDSA) return "ecdsa-with-" + hashName(this.hash).toUpperCase();
    if (this.scheme == SCHEME_RSA_PKCS1) return hashName(this.hash) + "WithRSAEncryption";
    return "rsassa-pss";
  }
}

function failNull<T>(code: string): T | null {
  algorithmError = code;
  return null;
}

function hashFromOid(data: Uint8Array, start: i32, end: i32): i32 {
  if (oidIs(data, start, end, OID_SHA256)) return HASH_SHA256;
  if (oidIs(data, start, end, OID_SHA384)) return HASH_SHA384;
  if (oidIs(data, start, end, OID_SHA512)) return HASH_SHA512;
  return 0;
}

/** Optional NULL parameters (RFC 4055 allows absent or NULL for the SHA-2 identifiers); then the end. */
function optionalNullThenEnd(r: DerReader): bool {
  if (!r.atEnd() && !readNull(r)) return false;
  return r.finish();
}

/** HashAlgorithm ::= AlgorithmIdentifier { SHA-256/384/512, NULL or absent }; returns 0 on failure
 * (algorithmError set). */
function parseHashAlgorithm(r: DerReader): i32 {
  const seq = readSequence(r);
  if (seq === null || !readOid(seq)) { algorithmError = X509_BAD_SIGALG; return 0; }
  const hash = hashFromOid(seq.data, seq.valueStart, seq.valueEnd);
  if (!optionalNullThenEnd(seq)) { algorithmError = X509_BAD_SIGALG; return 0; }
  if (hash == 0) algorithmError = X509_UNSUPPORTED_SIGALG;
  return hash;
}

/** Enters the [n] EXPLICIT wrapper that must come next (callers peek first for OPTIONAL fields). */
function explicitBox(r: DerReader, n: u32): DerReader | null {
  if (!r.expect(CLASS_CONTEXT, true, n)) return null;
  return r.enter();
}

/** RSASSA-PSS-params (RFC 4055 §3.1). Both real-world encodings (spec snp.md §3.2) are accepted:
 * with trailerField [3] = 1 spelled out, and with it omitted (its DEFAULT). Defaults that mean SHA-1
 * are refused as unsupported. */
function parsePssParams(r: DerReader, alg: SignatureAlgorithm): bool {
  const params = readSequence(r);
  if (params === null) { algorithmError = X509_BAD_SIGALG; return false; }
  // [0] hashAlgorithm (DEFAULT sha1)
  if (!params.peekIs(CLASS_CONTEXT, true, 0)) { algorithmError = X509_UNSUPPORTED_SIGALG; return false; }
  const hashBox = explicitBox(params, 0);
  if (hashBox === null) { algorithmError = X509_BAD_SIGALG; return false; }
  alg.hash = parseHashAlgorithm(hashBox);
  if (alg.hash == 0) return false;
  if (!hashBox.finish()) { algorithmError = X509_BAD_SIGALG; return false; }
  // [1] maskGenAlgorithm (DEFAULT mgf1SHA1): SEQUENCE { id-mgf1, HashAlgorithm }
  if (!params.peekIs(CLASS_CONTEXT, true, 1)) { algorithmError = X509_UNSUPPORTED_SIGALG; return false; }
  const mgfBox = explicitBox(params, 1);
  if (mgfBox === null) { algorithmError = X509_BAD_SIGALG; return false; }
  const mgf = readSequence(mgfBox);
  if (mgf === null || !mgfBox.finish() || !readOid(mgf)) { algorithmError = X509_BAD_SIGALG; return false; }
  if (!oidIs(mgf.data, mgf.valueStart, mgf.valueEnd, OID_MGF1)) { algorithmError = X509_UNSUPPORTED_SIGALG; return false; }
  alg.mgf1Hash = parseHashAlgorithm(mgf);
  if (alg.mgf1Hash == 0) return false;
  if (!mgf.finish()) { algorithmError = X509_BAD_SIGALG; return false; }
  // [2] saltLength (DEFAULT 20)
  alg.saltLength = PSS_DEFAULT_SALT;
  if (params.peekIs(CLASS_CONTEXT, true, 2)) {
    const saltBox = explicitBox(params, 2);
    if (saltBox === null) { algorithmError = X509_BAD_SIGALG; return false; }
    alg.saltLength = readSmallInteger(saltBox, MAX_PSS_SALT);
    if (alg.saltLength < 0 || !saltBox.finish()) { algorithmError = X509_BAD_SIGALG; return false; }
  }
  // [3] trailerField (DEFAULT trailerFieldBC = 1)
  alg.trailerField = PSS_TRAILER_BC;
  if (params.peekIs(CLASS_CONTEXT, true, 3)) {
    const trailerBox = explicitBox(params, 3);
    if (trailerBox === null) { algorithmError = X509_BAD_SIGALG; return false; }
    alg.trailerExplicit = true;
    const trailer = readSmallInteger(trailerBox, 255);
    if (trailer != PSS_TRAILER_BC || !trailerBox.finish()) { algorithmError = X509_BAD_SIGALG; return false; }
  }
  if (!params.finish()) { algorithmError = X509_BAD_SIGALG; return false; }
  return true;
}

/** Reads a signature AlgorithmIdentifier from `r`. */
export function parseSignatureAlgorithm(r: DerReader): SignatureAlgorithm | null {
  const seq = readSequence(r);
  if (seq === null) return failNull<SignatureAlgorithm>(X509_BAD_SIGALG);
  const alg = new SignatureAlgorithm();
  alg.start = r.start;
  alg.end = r.valueEnd;
  if (!readOid(seq)) return failNull<SignatureAlgorithm>(X509_BAD_SIGALG);
  const data = seq.data;
  const s = seq.valueStart, e = seq.valueEnd;
  alg.oidStart = s;
  alg.oidEnd = e;
  if (oidIs(data, s, e, OID_ECDSA_SHA256)) { alg.scheme = SCHEME_ECDSA; alg.hash = HASH_SHA256; }
  else if (oidIs(data, s, e, OID_ECDSA_SHA384)) { alg.scheme = SCHEME_ECDSA; alg.hash = HASH_SHA384; }
  else if (oidIs(data, s, e, OID_ECDSA_SHA512)) { alg.scheme = SCHEME_ECDSA; alg.hash = HASH_SHA512; }
  else if (oidIs(data, s, e, OID_RSA_SHA256)) { alg.scheme = SCHEME_RSA_PKCS1; alg.hash = HASH_SHA256; }
  else if (oidIs(data, s, e, OID_RSA_SHA384)) { alg.scheme = SCHEME_RSA_PKCS1; alg.hash = HASH_SHA384; }
  else if (oidIs(data, s, e, OID_RSA_SHA512)) { alg.scheme = SCHEME_RSA_PKCS1; alg.hash = HASH_SHA512; }
  else if (oidIs(data, s, e, OID_RSASSA_PSS)) alg.scheme = SCHEME_RSA_PSS;
  else return failNull<SignatureAlgorithm>(X509_UNSUPPORTED_SIGALG);

  if (alg.scheme == SCHEME_ECDSA) {
    // RFC 5758 §3.2: the parameters field MUST be absent.
    if (!seq.finish()) return failNull<SignatureAlgorithm>(X509_BAD_SIGALG);
  } else if (alg.scheme == SCHEME_RSA_PKCS1) {
    // RFC 4055 §5: NULL; some encoders omit it, which is unambiguous, so both are accepted.
    if (!optionalNullThenEnd(seq)) return failNull<SignatureAlgorithm>(X509_BAD_SIGALG);
  } else {
    if (!parsePssParams(seq, alg)) return null;
    if (!seq.finish()) return failNull<SignatureAlgorithm>(X509_BAD_SIGALG);
  }
  return alg;
}

// ---------------------------------------------------------------------------------------------------
// SubjectPublicKeyInfo

export const KEY_EC: i32 = 1;
export const KEY_RSA: i32 = 2;
export const CURVE_P256: i32 = 1;
export const CURVE_P384: i32 = 2;

/** Uncompressed point marker (SEC 1 §2.3.3); compressed points are not used by our issuers. */
const EC_POINT_UNCOMPRESSED: u8 = 0x04;

export class PublicKeyInfo {
  /** The whole SubjectPublicKeyInfo element (header included): what key pinning hashes. */
  start: i32 = 0;
  end: i32 = 0;
  kind: i32 = 0;
  curve: i32 = 0;
  /** EC: the uncompressed point 04 || X || Y. */
  pointStart: i32 = 0;
  pointEnd: i32 = 0;
  /** RSA: big-endian magnitudes. */
  modulus: Uint8Array = new Uint8Array(0);
  exponent: Uint8Array = new Uint8Array(0);

  curveName(): string { return this.curve == CURVE_P256 ? "P-256" : this.curve == CURVE_P384 ? "P-384" : ""; }
}

function coordinateLength(curve: i32): i32 { return curve == CURVE_P256 ? 32 : 48; }

function parseEcKey(params: DerReader, keyReader: DerReader, key: PublicKeyInfo): bool {
  // ECParameters: only namedCurve (RFC 5480 §2.1.1 forbids implicit and specified curves).
  if (!readOid(params) || !params.finish()) { algorithmError = X509_BAD_SPKI; return false; }
  const data = params.data;
  if (oidIs(data, params.valueStart, params.valueEnd, OID_CURVE_P256)) key.curve = CURVE_P256;
  else if (oidIs(data, params.valueStart, params.valueEnd, OID_CURVE_P384)) key.curve = CURVE_P384;
  else { algorithmError = X509_UNSUPPORTED_CURVE; return false; }
  if (!readOctetAlignedBitString(keyReader)) { algorithmError = X509_BAD_SPKI; return false; }
  const start = keyReader.valueStart + 1;
  const end = keyReader.valueEnd;
  if (end - start != 1 + 2 * coordinateLength(key.curve) || data[start] != EC_POINT_UNCOMPRESSED) {
    algorithmError = X509_BAD_EC_POINT;
    return false;
  }
  key.kind = KEY_EC;
  key.pointStart = start;
  key.pointEnd = end;
  return true;
}

function parseRsaKey(params: DerReader, keyReader: DerReader, key: PublicKeyInfo): bool {
  if (!optionalNullThenEnd(params)) { algorithmError = X509_BAD_SPKI; return false; }
  if (!readOctetAlignedBitString(keyReader)) { algorithmError = X509_BAD_SPKI; return false; }
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, filling the bit string.
  const inner = new DerReader(keyReader.data, keyReader.valueStart + 1, keyReader.valueEnd, keyReader.depth);
  const seq = readSequence(inner);
  if (seq === null || !inner.finish()) { algorithmError = X509_BAD_SPKI; return false; }
  const modulus = readInteger(seq);
  if (modulus === null) { algorithmError = X509_BAD_SPKI; return false; }
  const exponent = readInteger(seq);
  if (exponent === null || !seq.finish()) { algorithmError = X509_BAD_SPKI; return false; }
  // A zero modulus or exponent cannot be a key.
  if (modulus[0] == 0 || exponent[0] == 0) { algorithmError = X509_BAD_SPKI; return false; }
  key.kind = KEY_RSA;
  key.modulus = modulus;
  key.exponent = exponent;
  return true;
}

/** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }. */
export function parsePublicKeyInfo(r: DerReader): PublicKeyInfo | null {
  const spki = readSequence(r);
  if (spki === null) return failNull<PublicKeyInfo>(X509_BAD_SPKI);
  const key = new PublicKeyInfo();
  key.start = r.start;
  key.end = r.valueEnd;
  const alg = readSequence(spki);
  if (alg === null || !readOid(alg)) return failNull<PublicKeyInfo>(X509_BAD_SPKI);
  const data = alg.data;
  const ok = oidIs(data, alg.valueStart, alg.valueEnd, OID_EC_PUBLIC_KEY)
    ? parseEcKey(alg, spki, key)
    : oidIs(data, alg.valueStart, alg.valueEnd, OID_RSA_ENCRYPTION)
      ? parseRsaKey(alg, spki, key)
      : unsupportedKey();
  if (!ok) return null;
  if (!spki.finish()) return failNull<PublicKeyInfo>(X509_BAD_SPKI);
  return key;
}

function unsupportedKey(): bool {
  algorithmError = X509_UNSUPPORTED_KEY;
  return false;
}

