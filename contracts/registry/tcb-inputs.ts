// The TCB inputs of a registered node: the few bytes of its verified evidence that trust re-evaluation
// (trust.ts) needs when newer collateral or a new policy arrives, instead of the whole quote or report
// (a TDX quote is ~5 KB, mostly its PCK certificate chain; storing it cost ~150k gas per registration).
//
// TDX record (binary, written only by this contract after the quote verified):
//   0x01 | quote header (48) | body type u8 | body[0, 136) (TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM,
//   SEAMATTRIBUTES, TDATTRIBUTES, XFAM) | TD report 1.5 only: body[584, 648) (TEE_TCB_SVN_2,
//   MRSERVICETD) | the QE report's identity fields, Intel's QE identity inputs: MISCSELECT (4), ATTRIBUTES
//   (16), MRSIGNER (32), ISVPRODID + ISVSVN (4) | PCK: FMSPC (6), PCE-ID (2), SGX TCB components (16),
//   PCESVN u16le, CPUSVN (16), SGX type u8
// Re-evaluation rebuilds a Quote whose other bytes are zero (measurements, REPORTDATA, the QE report's
// CPUSVN/MRENCLAVE): TCB matching, QE identity, module identity and the TD policy read only the kept
// fields (assembly/tdx tcb.ts, qe-identity.ts, policy.ts) — a verifier change that reads more must
// extend this record — and measurements are matched to releases at registration, by release id after.
//
// SNP record: 0x02 | report[0, 0x330) — the signed part and the signature's R and S (the parser checks
// them); the rest of the signature field, all zero in a verified report, is restored as zeros.
import { Quote, HEADER_SIZE, VERSION_V5, BODY_TD_REPORT15, TD_REPORT10_SIZE, TD_REPORT15_SIZE, ENCLAVE_REPORT_SIZE, TEE_TYPE_TDX } from "../../assembly/tdx/quote";
import { PckExtension } from "../../assembly/tdx/pck";

const TDX_FORMAT: u8 = 1;
const SNP_FORMAT: u8 = 2;
const BODY_HEAD: i32 = 136;
const BODY15_TAIL_START: i32 = 584;
const BODY15_TAIL: i32 = 64;
/** QE report spans kept: [offset, size) of MISCSELECT, ATTRIBUTES, MRSIGNER, ISVPRODID + ISVSVN. */
const QE_SPANS: StaticArray<i32> = [16, 4, 48, 16, 128, 32, 256, 4];
const QE_HEAD: i32 = 56;
const V5_DESCRIPTOR_SIZE: i32 = 6;
const PCK_SIZE: i32 = 6 + 2 + 16 + 2 + 16 + 1;
/** Signed part of an SNP attestation report (the signature starts at 0x2A0) plus R and S (72 bytes each). */
const SNP_SIGNED: i32 = 0x2a0 + 144;
const SNP_REPORT_SIZE: i32 = 1184;

function put(out: Uint8Array, at: i32, src: Uint8Array, start: i32, size: i32): i32 {
  for (let i = 0; i < size; i++) out[at + i] = src[start + i];
  return at + size;
}

/** The TDX record of a verified quote and its PCK certificate's extension. */
export function encodeTdxInputs(q: Quote, ext: PckExtension): Uint8Array {
  const td15 = q.bodyType == BODY_TD_REPORT15;
  const out = new Uint8Array(1 + HEADER_SIZE + 1 + BODY_HEAD + (td15 ? BODY15_TAIL : 0) + QE_HEAD + PCK_SIZE);
  out[0] = TDX_FORMAT;
  let at = put(out, 1, q.raw, 0, HEADER_SIZE);
  out[at++] = <u8>q.bodyType;
  at = put(out, at, q.raw, q.bodyStart, BODY_HEAD);
  if (td15) at = put(out, at, q.raw, q.bodyStart + BODY15_TAIL_START, BODY15_TAIL);
  for (let i = 0; i < QE_SPANS.length; i += 2) at = put(out, at, q.raw, q.qeReportStart + QE_SPANS[i], QE_SPANS[i + 1]);
  at = put(out, at, ext.fmspc, 0, 6);
  at = put(out, at, ext.pceId, 0, 2);
  for (let i = 0; i < 16; i++) out[at++] = <u8>ext.components[i];
  out[at++] = <u8>(ext.pceSvn & 0xff); out[at++] = <u8>((ext.pceSvn >> 8) & 0xff);
  put(out, at, ext.cpuSvn, 0, ext.cpuSvn.length < 16 ? ext.cpuSvn.length : 16);
  at += 16;
  out[at] = <u8>ext.sgxType;
  return out;
}

export class TdxInputs {
  constructor(public quote: Quote, public ext: PckExtension) {}
}

/** The Quote and PCK extension a TDX record stands for; null if the record is not one. */
export function decodeTdxInputs(rec: Uint8Array): TdxInputs | null {
  if (rec.length < 1 + HEADER_SIZE + 1 || rec[0] != TDX_FORMAT) return null;
  const bodyType = <u32>rec[1 + HEADER_SIZE];
  const td15 = bodyType == BODY_TD_REPORT15;
  if (rec.length != 1 + HEADER_SIZE + 1 + BODY_HEAD + (td15 ? BODY15_TAIL : 0) + QE_HEAD + PCK_SIZE) return null;
  const version = <u32>rec[1] | (<u32>rec[2] << 8);
  const teeType = <u32>rec[5] | (<u32>rec[6] << 8) | (<u32>rec[7] << 16) | (<u32>rec[8] << 24);
  const bodyStart = HEADER_SIZE + (version == VERSION_V5 ? V5_DESCRIPTOR_SIZE : 0);
  const bodySize = td15 ? TD_REPORT15_SIZE : TD_REPORT10_SIZE;
  const raw = new Uint8Array(bodyStart + bodySize + ENCLAVE_REPORT_SIZE);
  put(raw, 0, rec, 1, HEADER_SIZE);
  let at = 1 + HEADER_SIZE + 1;
  put(raw, bodyStart, rec, at, BODY_HEAD); at += BODY_HEAD;
  if (td15) { put(raw, bodyStart + BODY15_TAIL_START, rec, at, BODY15_TAIL); at += BODY15_TAIL; }
  const qeStart = bodyStart + bodySize;
  for (let i = 0; i < QE_SPANS.length; i += 2) { put(raw, qeStart + QE_SPANS[i], rec, at, QE_SPANS[i + 1]); at += QE_SPANS[i + 1]; }
  const q = new Quote(raw);
  q.version = version; q.teeType = teeType; q.bodyType = bodyType;
  q.bodyStart = bodyStart; q.bodySize = bodySize; q.signedEnd = bodyStart + bodySize;
  q.qeReportStart = qeStart;
  if (teeType != TEE_TYPE_TDX) return null;
  const ext = new PckExtension();
  ext.fmspc = rec.slice(at, at + 6); at += 6;
  ext.pceId = rec.slice(at, at + 2); at += 2;
  for (let i = 0; i < 16; i++) ext.components[i] = <i32>rec[at++];
  ext.pceSvn = <i32>rec[at] | (<i32>rec[at + 1] << 8); at += 2;
  ext.cpuSvn = rec.slice(at, at + 16); at += 16;
  ext.sgxType = <i32>rec[at];
  return new TdxInputs(q, ext);
}

/** The SNP record of a verified report. */
export function encodeSnpInputs(report: Uint8Array): Uint8Array {
  const n = report.length < SNP_SIGNED ? report.length : SNP_SIGNED;
  const out = new Uint8Array(1 + n);
  out[0] = SNP_FORMAT;
  put(out, 1, report, 0, n);
  return out;
}

/** A report-shaped buffer (signature zeroed) for the SNP policy; null if the record is not one. */
export function decodeSnpInputs(rec: Uint8Array): Uint8Array | null {
  if (rec.length < 2 || rec[0] != SNP_FORMAT) return null;
  const out = new Uint8Array(SNP_REPORT_SIZE);
  put(out, 0, rec, 1, rec.length - 1);
  return out;
}
