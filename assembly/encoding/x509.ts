// X.509 certificate parsing (RFC 5280 §4.1) for chain verification: TDX PCK chains, AMD ARK/ASK/VCEK
// and NVIDIA device chains. The parser keeps the exact tbsCertificate span (signatures are checked
// over those bytes, never a re-encoding), requires the inner and outer signature algorithms to be the
// same bytes, and decodes the fields a verifier needs. Anything malformed yields null and a stable
// code in `x509Error` (plus the DER-level detail in `x509ErrorDetail`).
import { sliceBytes } from "./bytes";
import {
  DerReader, CLASS_CONTEXT, readSequence, readInteger, readSmallInteger, readTime, readOctetAlignedBitString,
  derError, spanEquals, TIME_INVALID,
} from "./der";
import { SignatureAlgorithm, PublicKeyInfo, parseSignatureAlgorithm, parsePublicKeyInfo, algorithmError } from "./x509-algorithm";
import { Name, parseName, X509_BAD_NAME } from "./x509-name";
import {
  Extension, BasicConstraints, parseExtensionList, findExtension, findExtensionByString, decodeBasicConstraints,
  decodeKeyUsage, decodeSubjectKeyId, decodeAuthorityKeyId, extensionsError, X509_BAD_EXTENSIONS,
} from "./x509-extensions";
import { pemDecodeAll, pemError } from "./pem";
import { OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, OID_SUBJECT_KEY_ID, OID_AUTHORITY_KEY_ID } from "./oids";

export const X509_MALFORMED = "X509_MALFORMED";
export const X509_TRAILING_DATA = "X509_TRAILING_DATA";
export const X509_MALFORMED_TBS = "X509_MALFORMED_TBS";
export const X509_BAD_VERSION = "X509_BAD_VERSION";
export const X509_BAD_SERIAL = "X509_BAD_SERIAL";
export const X509_SIGALG_MISMATCH = "X509_SIGALG_MISMATCH";
export const X509_BAD_VALIDITY = "X509_BAD_VALIDITY";
export const X509_BAD_UNIQUE_ID = "X509_BAD_UNIQUE_ID";
export const X509_EXTENSIONS_IN_V1 = "X509_EXTENSIONS_IN_V1";
export const X509_BAD_BASIC_CONSTRAINTS = "X509_BAD_BASIC_CONSTRAINTS";
export const X509_BAD_KEY_USAGE = "X509_BAD_KEY_USAGE";
export const X509_BAD_KEY_ID = "X509_BAD_KEY_ID";
export const X509_BAD_SIGNATURE = "X509_BAD_SIGNATURE";
export const X509_BAD_PEM = "X509_BAD_PEM";
export const X509_NO_CERTIFICATES = "X509_NO_CERTIFICATES";
/** PEM label of certificates (RFC 7468 §5). */
const PEM_CERTIFICATE = "CERTIFICATE";

/** RFC 5280 §4.1.2.2: serials are at most 20 octets (we allow the sign octet on top). */
const MAX_SERIAL_OCTETS: i32 = 20;
/** Certificate versions as encoded: v1 = 0, v2 = 1, v3 = 2. */
const VERSION_V3_ENCODED: i32 = 2;

export let x509Error: string = "";
export let x509ErrorDetail: string = "";

function failWith<T>(code: string, detail: string): T | null {
  x509Error = code;
  x509ErrorDetail = detail;
  return null;
}

export class Certificate {
  /** 1, 2 or 3. */
  version: i32 = 1;
  /** Unsigned big-endian serial (zero is [0x00]; AMD VCEKs use serial 0). */
  serial: Uint8Array = new Uint8Array(0);
  tbsStart: i32 = 0;
  tbsEnd: i32 = 0;
  signatureAlgorithm: SignatureAlgorithm = new SignatureAlgorithm();
  issuer: Name;
  subject: Name;
  notBefore: i64 = 0;
  notAfter: i64 = 0;
  publicKey: PublicKeyInfo = new PublicKeyInfo();
  extensions: Array<Extension> = [];
  /** basicConstraints if present, else null. */
  basicConstraints: BasicConstraints | null = null;
  /** KeyUsage mask (see decodeKeyUsage), -1 when the extension is absent. */
  keyUsage: i32 = -1;
  subjectKeyId: Uint8Array | null = null;
  authorityKeyId: Uint8Array | null = null;
  /** The signatureValue bits (for ECDSA: the DER Ecdsa-Sig-Value; for RSA: the big-endian block). */
  signature: Uint8Array = new Uint8Array(0);

  constructor(public raw: Uint8Array) {
    this.issuer = new Name(raw);
    this.subject = new Name(raw);
  }

  /** The exact bytes the issuer signed. */
  tbs(): Uint8Array { return sliceBytes(this.raw, this.tbsStart, this.tbsEnd); }

  /** The SubjectPublicKeyInfo DER (what key pins hash). */
  spki(): Uint8Array { return sliceBytes(this.raw, this.publicKey.start, this.publicKey.end); }

  /** EC public key point 04 || X || Y (empty for RSA keys). */
  ecPoint(): Uint8Array { return sliceBytes(this.raw, this.publicKey.pointStart, this.publicKey.pointEnd); }

  extension(dottedOid: string): Extension | null { return findExtensionByString(this.raw, this.extensions, dottedOid); }

  extensionByOid(oid: StaticArray<u8>): Extension | null { return findExtension(this.raw, this.extensions, oid); }

  extensionValue(e: Extension): Uint8Array { return sliceBytes(this.raw, e.valueStart, e.valueEnd); }

  isCA(): bool {
    const bc = this.basicConstraints;
    return bc !== null && bc.ca;
  }
}

/** Reads `[0] EXPLICIT Version DEFAULT v1`; returns the encoded version (0-2) or -1. */
function parseVersion(tbs: DerReader): i32 {
  if (!tbs.peekIs(CLASS_CONTEXT, true, 0)) return 0;
  tbs.next();
  const box = tbs.enter();
  if (box === null) return -1;
  const v = readSmallInteger(box, VERSION_V3_ENCODED);
  return v >= 0 && box.finish() ? v : -1;
}

/** Validity ::= SEQUENCE { notBefore Time, notAfter Time }. */
function parseValidity(tbs: DerReader, cert: Certificate): bool {
  const validity = readSequence(tbs);
  if (validity === null) return false;
  cert.notBefore = readTime(validity);
  if (cert.notBefore == TIME_INVALID) return false;
  cert.notAfter = readTime(validity);
  if (cert.notAfter == TIME_INVALID) return false;
  return validity.finish();
}

/** Decodes the standard extensions we use; returns an error code or "". */
function decodeKnownExtensions(cert: Certificate): string {
  const data = cert.raw;
  const bcExt = findExtension(data, cert.extensions, OID_BASIC_CONSTRAINTS);
  if (bcExt !== null) {
    cert.basicConstraints = decodeBasicConstraints(data, bcExt);
    if (cert.basicConstraints === null) return X509_BAD_BASIC_CONSTRAINTS;
  }
  const kuExt = findExtension(data, cert.extensions, OID_KEY_USAGE);
  if (kuExt !== null) {
    cert.keyUsage = decodeKeyUsage(data, kuExt);
    if (cert.keyUsage < 0) return X509_BAD_KEY_USAGE;
  }
  const skiExt = findExtension(data, cert.extensions, OID_SUBJECT_KEY_ID);
  if (skiExt !== null) {
    cert.subjectKeyId = decodeSubjectKeyId(data, skiExt);
    if (cert.subjectKeyId === null) return X509_BAD_KEY_ID;
  }
  const akiExt = findExtension(data, cert.extensions, OID_AUTHORITY_KEY_ID);
  if (akiExt !== null) {
    cert.authorityKeyId = decodeAuthorityKeyId(data, akiExt);
    if (cert.authorityKeyId === null) return X509_BAD_KEY_ID;
  }
  return "";
}

/** The optional tail of TBSCertificate: issuerUniqueID [1], subjectUniqueID [2] (v2/v3 only, skipped)
 * and extensions [3] EXPLICIT (v3 only). Returns an error code or "". */
function parseTbsTail(tbs: DerReader, cert: Certificate): string {
  for (let n: u32 = 1; n <= 2; n++) {
    if (!tbs.peekIs(CLASS_CONTEXT, false, n)) continue;
    tbs.next();
    if (cert.version < 2 || readUniqueIdBits(tbs) < 0) return X509_BAD_UNIQUE_ID;
  }
  if (tbs.peekIs(CLASS_CONTEXT, true, 3)) {
    if (cert.version != 3) return X509_EXTENSIONS_IN_V1;
    tbs.next();
    const box = tbs.enter();
    if (box === null) return X509_BAD_EXTENSIONS;
    const list = parseExtensionList(box);
    if (list === null) return extensionsError;
    if (!box.finish()) return X509_BAD_EXTENSIONS;
    cert.extensions = list;
    const known = decodeKnownExtensions(cert);
    if (known.length > 0) return known;
  }
  return tbs.finish() ? "" : X509_MALFORMED_TBS;
}

/** UniqueIdentifier ::= BIT STRING, here [n] IMPLICIT: checks the unused-bits octet. */
function readUniqueIdBits(r: DerReader): i32 {
  if (r.valueLength() < 1 || r.data[r.valueStart] > 7) return -1;
  return 0;
}

/** TBSCertificate: fills `cert`; returns an error code or "". */
function parseTbs(tbs: DerReader, cert: Certificate): string {
  const version = parseVersion(tbs);
  if (version < 0) return X509_BAD_VERSION;
  cert.version = version + 1;
  const serial = readInteger(tbs);
  if (serial === null || serial.length > MAX_SERIAL_OCTETS) return X509_BAD_SERIAL;
  cert.serial = serial;
  const inner = parseSignatureAlgorithm(tbs);
  if (inner === null) return algorithmError;
  cert.signatureAlgorithm = inner;
  const issuer = parseName(tbs);
  if (issuer === null) return X509_BAD_NAME;
  cert.issuer = issuer;
  if (!parseValidity(tbs, cert)) return X509_BAD_VALIDITY;
  const subject = parseName(tbs);
  if (subject === null) return X509_BAD_NAME;
  cert.subject = subject;
  const key = parsePublicKeyInfo(tbs);
  if (key === null) return algorithmError;
  cert.publicKey = key;
  return parseTbsTail(tbs, cert);
}

/** Parses one DER certificate that must fill `der` exactly. */
export function parseCertificate(der: Uint8Array): Certificate | null {
  x509Error = "";
  x509ErrorDetail = "";
  const top = DerReader.over(der);
  const outer = readSequence(top);
  if (outer === null) return failWith<Certificate>(X509_MALFORMED, derError);
  if (!top.finish()) return failWith<Certificate>(X509_TRAILING_DATA, "");
  const cert = new Certificate(der);
  const tbs = readSequence(outer);
  if (tbs === null) return failWith<Certificate>(X509_MALFORMED_TBS, derError);
  cert.tbsStart = outer.start;
  cert.tbsEnd = outer.valueEnd;
  const tbsError = parseTbs(tbs, cert);
  if (tbsError.length > 0) return failWith<Certificate>(tbsError, derError);

  // signatureAlgorithm must repeat the TBS one byte for byte (RFC 5280 §4.1.1.2).
  const outerAlg = parseSignatureAlgorithm(outer);
  if (outerAlg === null) return failWith<Certificate>(algorithmError, derError);
  if (!spanEquals(der, outerAlg.start, outerAlg.end, cert.signatureAlgorithm.start, cert.signatureAlgorithm.end)) {
    return failWith<Certificate>(X509_SIGALG_MISMATCH, "");
  }
  if (!readOctetAlignedBitString(outer)) return failWith<Certificate>(X509_BAD_SIGNATURE, derError);
  cert.signature = sliceBytes(der, outer.valueStart + 1, outer.valueEnd);
  if (!outer.finish()) return failWith<Certificate>(X509_MALFORMED, derError);
  return cert;
}

/** Parses every CERTIFICATE block of a PEM text (a chain as Intel PCS, AMD KDS and NVIDIA hand it out),
 * in order. Null if the PEM is malformed, holds no certificate, or any certificate fails to parse. */
export function parseCertificatesPem(text: Uint8Array): Array<Certificate> | null {
  const blocks = pemDecodeAll(text, PEM_CERTIFICATE);
  if (blocks === null) return failWith<Array<Certificate>>(X509_BAD_PEM, pemError);
  if (blocks.length == 0) return failWith<Array<Certificate>>(X509_NO_CERTIFICATES, "");
  const chain = new Array<Certificate>();
  for (let i = 0; i < blocks.length; i++) {
    const cert = parseCertificate(blocks[i].der);
    if (cert === null) return null;
    chain.push(cert);
  }
  return chain;
}
