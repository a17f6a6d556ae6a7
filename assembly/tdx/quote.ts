// Intel DCAP quote parsing (the "abi" layer): SGX v3, TDX v4 (TD report 1.0) and TDX v5 (TD report
// 1.0 or 1.5), ECDSA-P256 attestation key, QE-report certification data (type 6) wrapping the PCK
// certification data (type 5 PEM chain; types 1-4 are recognised so a chain supplied with the
// collateral can stand in). Layouts: spec tdx.md §1 and Intel's "TDX DCAP Quoting Library API" App. 3.
//
// The quote is untrusted: every length is checked against what remains before it is used, nested
// sizes must add up exactly (so a changed length byte cannot shift fields unnoticed), and anything
// unexpected is MALFORMED_QUOTE. Only bytes after the signature data are ignored: real quotes come in
// fixed-size buffers with zero padding there, and nothing after the signature data is interpreted.
import { sliceBytes } from "../encoding/bytes";
import { TdxError, fail, MALFORMED_QUOTE } from "./errors";

// Header (48 bytes, little-endian).
export const HEADER_SIZE: i32 = 48;
const OFF_VERSION: i32 = 0;
const OFF_ATT_KEY_TYPE: i32 = 2;
const OFF_TEE_TYPE: i32 = 4;
const OFF_RESERVED: i32 = 8; // v3: QE SVN (u16) and PCE SVN (u16); v4/v5: reserved, zero
const OFF_QE_VENDOR_ID: i32 = 12;
const QE_VENDOR_ID_SIZE: i32 = 16;
export const OFF_USER_DATA: i32 = 28;
export const USER_DATA_SIZE: i32 = 20;

export const VERSION_SGX_V3: u32 = 3;
export const VERSION_V4: u32 = 4;
export const VERSION_V5: u32 = 5;
/** ECDSA-256-with-P-256 curve; the only attestation key type Intel's QE produces. */
const ATT_KEY_ECDSA_P256: u32 = 2;
export const TEE_TYPE_SGX: u32 = 0x00000000;
export const TEE_TYPE_TDX: u32 = 0x00000081;

/** Intel's QE vendor id 939A7233-F79C-4CA9-940A-0DB3957F0607. */
const INTEL_QE_VENDOR_ID: StaticArray<u8> = [
  0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
];

// v5 body descriptor: type u16 and size u32 right after the header.
const V5_DESCRIPTOR_SIZE: i32 = 6;
export const BODY_SGX_ENCLAVE_REPORT: u32 = 1;
export const BODY_TD_REPORT10: u32 = 2;
export const BODY_TD_REPORT15: u32 = 3;
export const ENCLAVE_REPORT_SIZE: i32 = 384;
export const TD_REPORT10_SIZE: i32 = 584;
export const TD_REPORT15_SIZE: i32 = 648;

// Signature data.
const SIG_DATA_LENGTH_SIZE: i32 = 4;
export const ECDSA_SIGNATURE_SIZE: i32 = 64; // r || s, big-endian
export const ATTESTATION_KEY_SIZE: i32 = 64; // x || y, big-endian (no 0x04 prefix)
const CERT_HEADER_SIZE: i32 = 6; // type u16 + size u32
const AUTH_SIZE_FIELD: i32 = 2;

export const CERT_TYPE_PPID_CLEARTEXT: u32 = 1;
export const CERT_TYPE_PCK_CHAIN: u32 = 5;
export const CERT_TYPE_QE_REPORT: u32 = 6;

// Enclave report (the QE report and the SGX v3 body): offsets inside the 384 bytes.
export const ER_CPUSVN: i32 = 0;
export const ER_MISCSELECT: i32 = 16;
export const ER_ATTRIBUTES: i32 = 48;
export const ER_MRENCLAVE: i32 = 64;
export const ER_MRSIGNER: i32 = 128;
export const ER_ISVPRODID: i32 = 256;
export const ER_ISVSVN: i32 = 258;
export const ER_REPORTDATA: i32 = 320;
export const ER_ATTRIBUTES_SIZE: i32 = 16;
export const ER_MRSIGNER_SIZE: i32 = 32;
export const ER_REPORTDATA_SIZE: i32 = 64;

// TD report 1.0 / 1.5: offsets inside the body.
export const TD_TEE_TCB_SVN: i32 = 0;
export const TD_MRSEAM: i32 = 16;
export const TD_MRSIGNERSEAM: i32 = 64;
export const TD_SEAMATTRIBUTES: i32 = 112;
export const TD_TDATTRIBUTES: i32 = 120;
export const TD_XFAM: i32 = 128;
export const TD_MRTD: i32 = 136;
export const TD_MRCONFIGID: i32 = 184;
export const TD_MROWNER: i32 = 232;
export const TD_MROWNERCONFIG: i32 = 280;
export const TD_RTMR0: i32 = 328;
export const TD_REPORTDATA: i32 = 520;
export const TD_TEE_TCB_SVN2: i32 = 584; // 1.5 only
export const TD_MRSERVICETD: i32 = 600; // 1.5 only
export const SVN_ARRAY_SIZE: i32 = 16;
export const MEASUREMENT_SIZE: i32 = 48;
export const ATTRIBUTES_SIZE: i32 = 8;
export const RTMR_COUNT: i32 = 4;

export function u16le(b: Uint8Array, at: i32): u32 {
  return <u32>b[at] | (<u32>b[at + 1] << 8);
}

export function u32le(b: Uint8Array, at: i32): u32 {
  return <u32>b[at] | (<u32>b[at + 1] << 8) | (<u32>b[at + 2] << 16) | (<u32>b[at + 3] << 24);
}

/** A parsed quote: the raw bytes plus the offsets of every field (no copies until asked). */
export class Quote {
  version: u32 = 0;
  teeType: u32 = 0;
  bodyType: u32 = 0;
  bodyStart: i32 = 0;
  bodySize: i32 = 0;
  /** The attestation key signs raw[0, signedEnd). */
  signedEnd: i32 = 0;
  signatureStart: i32 = 0;
  attestKeyStart: i32 = 0;
  qeReportStart: i32 = 0;
  qeReportSignatureStart: i32 = 0;
  authDataStart: i32 = 0;
  authDataSize: i32 = 0;
  /** Inner (PCK) certification data. */
  certType: u32 = 0;
  certDataStart: i32 = 0;
  certDataSize: i32 = 0;
  /** Bytes after the signature data (zero padding in practice; ignored). */
  trailing: i32 = 0;

  constructor(public raw: Uint8Array) {}

  get isTdx(): bool { return this.teeType == TEE_TYPE_TDX; }
  get isTd15(): bool { return this.bodyType == BODY_TD_REPORT15; }

  bytes(start: i32, size: i32): Uint8Array { return sliceBytes(this.raw, start, start + size); }
  body(offset: i32, size: i32): Uint8Array { return sliceBytes(this.raw, this.bodyStart + offset, this.bodyStart + offset + size); }
  bodyByte(offset: i32): u8 { return this.raw[this.bodyStart + offset]; }
  qeReport(): Uint8Array { return this.bytes(this.qeReportStart, ENCLAVE_REPORT_SIZE); }
  qeReportField(offset: i32, size: i32): Uint8Array { return this.bytes(this.qeReportStart + offset, size); }
  qeIsvSvn(): u32 { return u16le(this.raw, this.qeReportStart + ER_ISVSVN); }
  qeIsvProdId(): u32 { return u16le(this.raw, this.qeReportStart + ER_ISVPRODID); }
  signature(): Uint8Array { return this.bytes(this.signatureStart, ECDSA_SIGNATURE_SIZE); }
  attestKey(): Uint8Array { return this.bytes(this.attestKeyStart, ATTESTATION_KEY_SIZE); }
  qeReportSignature(): Uint8Array { return this.bytes(this.qeReportSignatureStart, ECDSA_SIGNATURE_SIZE); }
  certData(): Uint8Array { return this.bytes(this.certDataStart, this.certDataSize); }
  /** TEE_TCB_SVN (TDX) — 16 bytes. */
  teeTcbSvn(): Uint8Array { return this.body(TD_TEE_TCB_SVN, SVN_ARRAY_SIZE); }
  /** TEE_TCB_SVN_2 (TD report 1.5 only), else null. */
  teeTcbSvn2(): Uint8Array | null { return this.isTd15 ? this.body(TD_TEE_TCB_SVN2, SVN_ARRAY_SIZE) : null; }
}

/** Little helper so each parsing step reads as "need n more bytes at p". */
class Cursor {
  constructor(public data: Uint8Array, public pos: i32, public end: i32) {}
  /** True when n bytes remain (n is untrusted: compared as u64, never added first). */
  has(n: u64): bool { return n <= <u64>(this.end - this.pos); }
}

function malformed(message: string): TdxError { return fail(MALFORMED_QUOTE, message); }

/** Header checks (spec §2.1): version, key type, TEE type, reserved bytes, QE vendor. */
function parseHeader(raw: Uint8Array, q: Quote): TdxError | null {
  if (raw.length < HEADER_SIZE) return malformed("truncated header: " + raw.length.toString() + " bytes");
  q.version = u16le(raw, OFF_VERSION);
  if (q.version != VERSION_SGX_V3 && q.version != VERSION_V4 && q.version != VERSION_V5) {
    return malformed("unsupported quote version " + q.version.toString());
  }
  const keyType = u16le(raw, OFF_ATT_KEY_TYPE);
  if (keyType != ATT_KEY_ECDSA_P256) return malformed("unsupported attestation key type " + keyType.toString());
  q.teeType = u32le(raw, OFF_TEE_TYPE);
  const expectedTee = q.version == VERSION_SGX_V3 ? TEE_TYPE_SGX : TEE_TYPE_TDX;
  if (q.teeType != expectedTee) {
    return malformed("TEE type 0x" + q.teeType.toString(16) + " is not supported with quote version " + q.version.toString());
  }
  // v3 carries QE SVN / PCE SVN here (informational; the signed QE report and PCK cert are what count).
  if (q.version != VERSION_SGX_V3 && u32le(raw, OFF_RESERVED) != 0) return malformed("reserved header bytes are not zero");
  for (let i = 0; i < QE_VENDOR_ID_SIZE; i++) {
    if (raw[OFF_QE_VENDOR_ID + i] != unchecked(INTEL_QE_VENDOR_ID[i])) return malformed("QE vendor id is not Intel's");
  }
  return null;
}

/** Body location and type: fixed for v3/v4, described by a 6-byte descriptor in v5. */
function parseBody(raw: Uint8Array, q: Quote): TdxError | null {
  let at = HEADER_SIZE;
  if (q.version == VERSION_SGX_V3) {
    q.bodyType = BODY_SGX_ENCLAVE_REPORT;
    q.bodySize = ENCLAVE_REPORT_SIZE;
  } else if (q.version == VERSION_V4) {
    q.bodyType = BODY_TD_REPORT10;
    q.bodySize = TD_REPORT10_SIZE;
  } else {
    if (raw.length < HEADER_SIZE + V5_DESCRIPTOR_SIZE) return malformed("truncated v5 body descriptor");
    q.bodyType = u16le(raw, HEADER_SIZE);
    const size = u32le(raw, HEADER_SIZE + 2);
    const expected = q.bodyType == BODY_TD_REPORT10 ? TD_REPORT10_SIZE : q.bodyType == BODY_TD_REPORT15 ? TD_REPORT15_SIZE : -1;
    if (expected < 0) return malformed("unsupported v5 body type " + q.bodyType.toString());
    if (size != <u32>expected) return malformed("v5 body size " + size.toString() + " does not match body type " + q.bodyType.toString());
    q.bodySize = expected;
    at += V5_DESCRIPTOR_SIZE;
  }
  q.bodyStart = at;
  if (raw.length - at < q.bodySize) return malformed("truncated quote body");
  q.signedEnd = at + q.bodySize;
  return null;
}

/** QE report, its signature, QE auth data and the inner certification data, which must end exactly
 * at c.end. */
function parseQeReportCertData(q: Quote, c: Cursor): TdxError | null {
  const raw = c.data;
  if (!c.has(<u64>(ENCLAVE_REPORT_SIZE + ECDSA_SIGNATURE_SIZE + AUTH_SIZE_FIELD))) return malformed("truncated QE report");
  q.qeReportStart = c.pos;
  q.qeReportSignatureStart = c.pos + ENCLAVE_REPORT_SIZE;
  c.pos += ENCLAVE_REPORT_SIZE + ECDSA_SIGNATURE_SIZE;
  const authSize = <i32>u16le(raw, c.pos);
  c.pos += AUTH_SIZE_FIELD;
  if (!c.has(<u64>authSize)) return malformed("QE auth data size " + authSize.toString() + " exceeds the quote");
  q.authDataStart = c.pos;
  q.authDataSize = authSize;
  c.pos += authSize;
  if (!c.has(<u64>CERT_HEADER_SIZE)) return malformed("truncated PCK certification data header");
  q.certType = u16le(raw, c.pos);
  const size = u32le(raw, c.pos + 2);
  c.pos += CERT_HEADER_SIZE;
  if (q.certType < CERT_TYPE_PPID_CLEARTEXT || q.certType > CERT_TYPE_PCK_CHAIN) {
    return malformed("unsupported PCK certification data type " + q.certType.toString());
  }
  if (<u64>size != <u64>(c.end - c.pos)) {
    return malformed("PCK certification data size " + size.toString() + " does not fill its container (" + (c.end - c.pos).toString() + ")");
  }
  q.certDataStart = c.pos;
  q.certDataSize = <i32>size;
  c.pos = c.end;
  return null;
}

/** Signature data (spec §1.4, §1.5): sizes must nest exactly. */
function parseSignatureData(raw: Uint8Array, q: Quote): TdxError | null {
  const outer = new Cursor(raw, q.signedEnd, raw.length);
  if (!outer.has(<u64>SIG_DATA_LENGTH_SIZE)) return malformed("truncated signature data length");
  const sigLength = u32le(raw, outer.pos);
  outer.pos += SIG_DATA_LENGTH_SIZE;
  if (!outer.has(<u64>sigLength)) return malformed("signature data length " + sigLength.toString() + " exceeds the quote");
  const end = outer.pos + <i32>sigLength;
  q.trailing = raw.length - end;
  const c = new Cursor(raw, outer.pos, end);
  if (!c.has(<u64>(ECDSA_SIGNATURE_SIZE + ATTESTATION_KEY_SIZE))) return malformed("truncated quote signature");
  q.signatureStart = c.pos;
  q.attestKeyStart = c.pos + ECDSA_SIGNATURE_SIZE;
  c.pos += ECDSA_SIGNATURE_SIZE + ATTESTATION_KEY_SIZE;
  if (q.version == VERSION_SGX_V3) return parseQeReportCertData(q, c);
  // v4/v5: certification data type 6 wraps the QE report and the PCK data, and fills the rest.
  if (!c.has(<u64>CERT_HEADER_SIZE)) return malformed("truncated certification data header");
  const type = u16le(raw, c.pos);
  const size = u32le(raw, c.pos + 2);
  c.pos += CERT_HEADER_SIZE;
  if (type != CERT_TYPE_QE_REPORT) return malformed("certification data type " + type.toString() + " is not 6 (QE report)");
  if (<u64>size != <u64>(c.end - c.pos)) {
    return malformed("QE report certification data size " + size.toString() + " does not fill the signature data (" + (c.end - c.pos).toString() + ")");
  }
  return parseQeReportCertData(q, c);
}

/** Last parse failure (valid only right after parseQuote returned null). */
export let quoteError: TdxError | null = null;

/** Parses and structurally validates a quote; null with `quoteError` set on any malformation. */
export function parseQuote(raw: Uint8Array): Quote | null {
  quoteError = null;
  const q = new Quote(raw);
  let error = parseHeader(raw, q);
  if (error === null) error = parseBody(raw, q);
  if (error === null) error = parseSignatureData(raw, q);
  if (error !== null) {
    quoteError = error;
    return null;
  }
  return q;
}
