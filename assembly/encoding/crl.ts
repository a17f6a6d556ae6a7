// X.509 CRL parsing (RFC 5280 §5.1): Intel's root and PCK CRLs (and AMD's, shaped the same way). The
// verifier checks the signature over the exact tbsCertList span, the update window, and whether a
// certificate serial is revoked. Entry extensions (reason codes) are validated but not kept.
import {
  DerReader, CLASS_UNIVERSAL, CLASS_CONTEXT, TAG_INTEGER, TAG_UTC_TIME, TAG_GENERALIZED_TIME, TAG_SEQUENCE,
  readSequence, readInteger, readSmallInteger, readTime, readOctetAlignedBitString, derError, spanEquals, TIME_INVALID,
} from "./der";
import { SignatureAlgorithm, parseSignatureAlgorithm, algorithmError } from "./x509-algorithm";
import { Name, parseName } from "./x509-name";
import { Extension, parseExtensionList, findExtension, findExtensionByString, decodeAuthorityKeyId } from "./x509-extensions";
import { compareBytes, sliceBytes } from "./bytes";
import { OID_AUTHORITY_KEY_ID } from "./oids";

export const CRL_MALFORMED = "CRL_MALFORMED";
export const CRL_TRAILING_DATA = "CRL_TRAILING_DATA";
export const CRL_MALFORMED_TBS = "CRL_MALFORMED_TBS";
export const CRL_BAD_VERSION = "CRL_BAD_VERSION";
export const CRL_BAD_ISSUER = "CRL_BAD_ISSUER";
export const CRL_BAD_TIME = "CRL_BAD_TIME";
export const CRL_BAD_ENTRY = "CRL_BAD_ENTRY";
export const CRL_BAD_EXTENSIONS = "CRL_BAD_EXTENSIONS";
export const CRL_SIGALG_MISMATCH = "CRL_SIGALG_MISMATCH";
export const CRL_BAD_SIGNATURE = "CRL_BAD_SIGNATURE";

/** Serials are at most 20 octets (RFC 5280 §4.1.2.2); a CRL entry with a longer one is malformed. */
const MAX_SERIAL_OCTETS: i32 = 20;
/** v2 as encoded. */
const VERSION_V2_ENCODED: i32 = 1;

export let crlError: string = "";
export let crlErrorDetail: string = "";

function failWith(code: string, detail: string): CertificateList | null {
  crlError = code;
  crlErrorDetail = detail;
  return null;
}

export class CertificateList {
  /** 1 or 2. */
  version: i32 = 1;
  tbsStart: i32 = 0;
  tbsEnd: i32 = 0;
  signatureAlgorithm: SignatureAlgorithm = new SignatureAlgorithm();
  issuer: Name;
  thisUpdate: i64 = 0;
  /** TIME_INVALID (i64.MIN_VALUE) when absent. */
  nextUpdate: i64 = TIME_INVALID;
  /** Unsigned big-endian serials, in CRL order. */
  revoked: Array<Uint8Array> = [];
  /** Revocation dates, parallel to `revoked`. */
  revocationDates: Array<i64> = [];
  extensions: Array<Extension> = [];
  authorityKeyId: Uint8Array | null = null;
  signature: Uint8Array = new Uint8Array(0);
  private sorted: Array<Uint8Array> | null = null;

  constructor(public raw: Uint8Array) { this.issuer = new Name(raw); }

  tbs(): Uint8Array { return sliceBytes(this.raw, this.tbsStart, this.tbsEnd); }

  hasNextUpdate(): bool { return this.nextUpdate != TIME_INVALID; }

  extension(dottedOid: string): Extension | null { return findExtensionByString(this.raw, this.extensions, dottedOid); }

  /** True when `serial` (unsigned big-endian, as Certificate.serial) is listed. Sorts once, then binary
   * search, so checking a whole chain against a large CRL stays cheap. */
  isRevoked(serial: Uint8Array): bool {
    let sorted = this.sorted;
    if (sorted === null) {
      sorted = this.revoked.slice(0);
      sorted.sort(compareSerials);
      this.sorted = sorted;
    }
    const key = stripLeadingZeros(serial);
    let lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = compareSerials(sorted[mid], key);
      if (d == 0) return true;
      if (d < 0) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }
}

/** Serials are kept as minimal magnitudes (zero is [0x00]); callers may pass extra leading zeros. */
function stripLeadingZeros(serial: Uint8Array): Uint8Array {
  let i = 0;
  while (i < serial.length - 1 && serial[i] == 0) i++;
  return i == 0 ? serial : serial.subarray(i);
}

/** Numeric order of unsigned big-endian magnitudes without leading zeros: shorter is smaller. */
function compareSerials(a: Uint8Array, b: Uint8Array): i32 {
  if (a.length != b.length) return a.length - b.length;
  return compareBytes(a, b);
}

/** revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time,
 * crlEntryExtensions Extensions OPTIONAL }. */
function parseRevoked(list: DerReader, crl: CertificateList): bool {
  while (!list.atEnd()) {
    const entry = readSequence(list);
    if (entry === null) return false;
    const serial = readInteger(entry);
    if (serial === null || serial.length > MAX_SERIAL_OCTETS) return false;
    const date = readTime(entry);
    if (date == TIME_INVALID) return false;
    if (!entry.atEnd()) {
      if (crl.version != 2) return false;
      if (parseExtensionList(entry) === null) return false;
    }
    if (!entry.finish()) return false;
    crl.revoked.push(serial);
    crl.revocationDates.push(date);
  }
  return true;
}

function isTimeNext(r: DerReader): bool {
  return r.peekIs(CLASS_UNIVERSAL, false, TAG_UTC_TIME) || r.peekIs(CLASS_UNIVERSAL, false, TAG_GENERALIZED_TIME);
}

/** crlExtensions [0] EXPLICIT Extensions (v2 only); returns an error code or "". */
function parseCrlExtensions(tbs: DerReader, crl: CertificateList): string {
  if (!tbs.peekIs(CLASS_CONTEXT, true, 0)) return "";
  if (crl.version != 2) return CRL_BAD_EXTENSIONS;
  tbs.next();
  const box = tbs.enter();
  if (box === null) return CRL_BAD_EXTENSIONS;
  const list = parseExtensionList(box);
  if (list === null || !box.finish()) return CRL_BAD_EXTENSIONS;
  crl.extensions = list;
  const aki = findExtension(crl.raw, list, OID_AUTHORITY_KEY_ID);
  if (aki !== null) {
    crl.authorityKeyId = decodeAuthorityKeyId(crl.raw, aki);
    if (crl.authorityKeyId === null) return CRL_BAD_EXTENSIONS;
  }
  return "";
}

/** TBSCertList; returns an error code or "". */
function parseTbs(tbs: DerReader, crl: CertificateList): string {
  // version Version OPTIONAL -- if present, MUST be v2
  if (tbs.peekIs(CLASS_UNIVERSAL, false, TAG_INTEGER)) {
    if (readSmallInteger(tbs, VERSION_V2_ENCODED) != VERSION_V2_ENCODED) return CRL_BAD_VERSION;
    crl.version = 2;
  }
  const alg = parseSignatureAlgorithm(tbs);
  if (alg === null) return algorithmError;
  crl.signatureAlgorithm = alg;
  const issuer = parseName(tbs);
  if (issuer === null) return CRL_BAD_ISSUER;
  crl.issuer = issuer;
  crl.thisUpdate = readTime(tbs);
  if (crl.thisUpdate == TIME_INVALID) return CRL_BAD_TIME;
  if (isTimeNext(tbs)) {
    crl.nextUpdate = readTime(tbs);
    if (crl.nextUpdate == TIME_INVALID) return CRL_BAD_TIME;
  }
  if (tbs.peekIs(CLASS_UNIVERSAL, true, TAG_SEQUENCE)) {
    const list = readSequence(tbs);
    // RFC 5280: when there are no revoked certificates the list MUST be absent, not empty.
    if (list === null || list.atEnd() || !parseRevoked(list, crl)) return CRL_BAD_ENTRY;
  }
  const extError = parseCrlExtensions(tbs, crl);
  if (extError.length > 0) return extError;
  return tbs.finish() ? "" : CRL_MALFORMED_TBS;
}

/** Parses one DER CRL that must fill `der` exactly; null with crlError on failure. */
export function parseCrl(der: Uint8Array): CertificateList | null {
  crlError = "";
  crlErrorDetail = "";
  const top = DerReader.over(der);
  const outer = readSequence(top);
  if (outer === null) return failWith(CRL_MALFORMED, derError);
  if (!top.finish()) return failWith(CRL_TRAILING_DATA, "");
  const crl = new CertificateList(der);
  const tbs = readSequence(outer);
  if (tbs === null) return failWith(CRL_MALFORMED_TBS, derError);
  crl.tbsStart = outer.start;
  crl.tbsEnd = outer.valueEnd;
  const tbsError = parseTbs(tbs, crl);
  if (tbsError.length > 0) return failWith(tbsError, derError);
  const outerAlg = parseSignatureAlgorithm(outer);
  if (outerAlg === null) return failWith(algorithmError, derError);
  if (!spanEquals(der, outerAlg.start, outerAlg.end, crl.signatureAlgorithm.start, crl.signatureAlgorithm.end)) {
    return failWith(CRL_SIGALG_MISMATCH, "");
  }
  if (!readOctetAlignedBitString(outer)) return failWith(CRL_BAD_SIGNATURE, derError);
  crl.signature = sliceBytes(der, outer.valueStart + 1, outer.valueEnd);
  if (!outer.finish()) return failWith(CRL_MALFORMED, derError);
  return crl;
}
