// SPDM 1.1 GET_MEASUREMENTS request + MEASUREMENTS response, as returned by NVML's
// nvmlDeviceGetConfComputeGpuAttestationReport (GPU) and by NSCQ (NVSwitch): spec nvidia.md §1.
//
// Everything is located by parsing the length fields in order (request 37 B, response header 8 B,
// measurement record, responder nonce, opaque length + data, 96-byte signature). Implementations that
// take "the last 96 bytes" as the signature mis-split reports with trailing bytes (a real CoCo report
// carries one trailing 0x00), so the offsets here never depend on the buffer end. Bytes after the
// signature are only counted; whether they are acceptable is policy (see policy.ts).
//
// The parser keeps spans into the caller's buffer (no copies): the signed message is exactly
// raw[0, signatureStart).
import { fail, failBool, MALFORMED_REPORT, MALFORMED_SPDM_REQUEST, MALFORMED_SPDM_RESPONSE, MALFORMED_MEASUREMENT_BLOCK, SPDM_UNSUPPORTED_VERSION } from "./errors";

export const SPDM_VERSION_1_1: u8 = 0x11;
export const SPDM_GET_MEASUREMENTS: u8 = 0xe0;
export const SPDM_MEASUREMENTS: u8 = 0x60;
/** Request Param1 bit 0: the responder must sign the response. */
const PARAM1_SIGNATURE_REQUESTED: u8 = 0x01;
/** Request Param2 0xFF: all measurement blocks. */
const PARAM2_ALL_MEASUREMENTS: u8 = 0xff;
/** The certificate slot NVIDIA devices sign with. */
const SLOT_ID: u8 = 0;

export const REQUEST_LENGTH: i32 = 37;
export const NONCE_LENGTH: i32 = 32;
export const REQUEST_NONCE_OFFSET: i32 = 4;
const REQUEST_SLOT_OFFSET: i32 = 36;
/** SPDMVersion, code, Param1, Param2, NumberOfBlocks, MeasurementRecordLength (3 bytes LE). */
const RESPONSE_HEADER_LENGTH: i32 = 8;
const OPAQUE_LENGTH_FIELD: i32 = 2;
/** Raw r || s, ECDSA P-384. */
export const SIGNATURE_LENGTH: i32 = 96;

/** DMTF measurement block: Index(1) | MeasurementSpecification(1) | MeasurementSize(2 LE). */
const BLOCK_HEADER_LENGTH: i32 = 4;
/** DMTF measurement: DMTFSpecMeasurementValueType(1) | DMTFSpecMeasurementValueSize(2 LE). */
const DMTF_VALUE_HEADER_LENGTH: i32 = 3;
const MEASUREMENT_SPEC_DMTF: u8 = 0x01;
/** Value type bit 7: raw bit stream instead of a digest. Golden values are digests only. */
const VALUE_TYPE_RAW_BIT_STREAM: u8 = 0x80;
export const DIGEST_LENGTH: i32 = 48;

export class MeasurementBlock {
  index: i32 = 0;
  valueType: u8 = 0;
  /** The 48-byte SHA-384 digest is raw[valueStart, valueStart + 48). */
  valueStart: i32 = 0;
}

export class SpdmReport {
  blocks: Array<MeasurementBlock> = [];
  responderNonceStart: i32 = 0;
  opaqueStart: i32 = 0;
  opaqueEnd: i32 = 0;
  /** Start of r || s; also the length of the signed message. */
  signatureStart: i32 = 0;
  /** Bytes after the signature (a policy decides whether all-zero padding is tolerated). */
  trailingLength: i32 = 0;
  trailingAllZero: bool = true;

  constructor(public raw: Uint8Array) {}

  requestNonce(): Uint8Array { return this.raw.slice(REQUEST_NONCE_OFFSET, REQUEST_NONCE_OFFSET + NONCE_LENGTH); }
  responderNonce(): Uint8Array { return this.raw.slice(this.responderNonceStart, this.responderNonceStart + NONCE_LENGTH); }
  signatureR(): Uint8Array { return this.raw.slice(this.signatureStart, this.signatureStart + SIGNATURE_LENGTH / 2); }
  signatureS(): Uint8Array { return this.raw.slice(this.signatureStart + SIGNATURE_LENGTH / 2, this.signatureStart + SIGNATURE_LENGTH); }

  /** The block with this SPDM index (1-based), or null. */
  block(index: i32): MeasurementBlock | null {
    // Blocks are stored in strictly increasing index order, so block k usually sits at k - 1.
    const guess = index - 1;
    if (guess >= 0 && guess < this.blocks.length && this.blocks[guess].index == index) return this.blocks[guess];
    for (let i = 0; i < this.blocks.length; i++) if (this.blocks[i].index == index) return this.blocks[i];
    return null;
  }

  digest(block: MeasurementBlock): Uint8Array { return this.raw.slice(block.valueStart, block.valueStart + DIGEST_LENGTH); }
}

function u16le(data: Uint8Array, at: i32): i32 { return <i32>data[at] | (<i32>data[at + 1] << 8); }
function u24le(data: Uint8Array, at: i32): i32 { return u16le(data, at) | (<i32>data[at + 2] << 16); }

function checkRequest(raw: Uint8Array): bool {
  if (raw.length < REQUEST_LENGTH) return failBool(MALFORMED_REPORT, "report shorter than the 37-byte GET_MEASUREMENTS request");
  if (raw[0] != SPDM_VERSION_1_1) return failBool(SPDM_UNSUPPORTED_VERSION, "request SPDMVersion 0x" + raw[0].toString(16) + ", only 1.1 (0x11) is supported");
  if (raw[1] != SPDM_GET_MEASUREMENTS) return failBool(MALFORMED_SPDM_REQUEST, "request code 0x" + raw[1].toString(16) + " is not GET_MEASUREMENTS");
  if ((raw[2] & PARAM1_SIGNATURE_REQUESTED) == 0) return failBool(MALFORMED_SPDM_REQUEST, "request did not ask for a signature");
  if (raw[3] != PARAM2_ALL_MEASUREMENTS) return failBool(MALFORMED_SPDM_REQUEST, "request did not ask for all measurements");
  if (raw[REQUEST_SLOT_OFFSET] != SLOT_ID) return failBool(MALFORMED_SPDM_REQUEST, "request uses certificate slot " + raw[REQUEST_SLOT_OFFSET].toString());
  return true;
}

/** Parses the measurement record raw[start, end): exactly `count` DMTF blocks with strictly increasing
 * indices, each a 48-byte digest. */
function parseBlocks(raw: Uint8Array, start: i32, end: i32, count: i32, report: SpdmReport): bool {
  let at = start;
  let previous = 0;
  for (let n = 0; n < count; n++) {
    if (end - at < BLOCK_HEADER_LENGTH) return failBool(MALFORMED_MEASUREMENT_BLOCK, "block " + n.toString() + " header truncated");
    const index = <i32>raw[at];
    const size = u16le(raw, at + 2);
    if (raw[at + 1] != MEASUREMENT_SPEC_DMTF) return failBool(MALFORMED_MEASUREMENT_BLOCK, "block " + index.toString() + " is not a DMTF measurement");
    if (index <= previous || index == 0xff) return failBool(MALFORMED_MEASUREMENT_BLOCK, "block index " + index.toString() + " out of order");
    if (size > end - at - BLOCK_HEADER_LENGTH) return failBool(MALFORMED_MEASUREMENT_BLOCK, "block " + index.toString() + " overruns the measurement record");
    const value = at + BLOCK_HEADER_LENGTH;
    if (size != DMTF_VALUE_HEADER_LENGTH + DIGEST_LENGTH || u16le(raw, value + 1) != DIGEST_LENGTH) {
      return failBool(MALFORMED_MEASUREMENT_BLOCK, "block " + index.toString() + " is not a 48-byte digest");
    }
    const valueType = raw[value];
    if ((valueType & VALUE_TYPE_RAW_BIT_STREAM) != 0) return failBool(MALFORMED_MEASUREMENT_BLOCK, "block " + index.toString() + " is a raw bit stream");
    const block = new MeasurementBlock();
    block.index = index;
    block.valueType = valueType;
    block.valueStart = value + DMTF_VALUE_HEADER_LENGTH;
    report.blocks.push(block);
    previous = index;
    at = value + size;
  }
  if (at != end) return failBool(MALFORMED_SPDM_RESPONSE, "MeasurementRecordLength does not match the blocks");
  return true;
}

/** Parses request || response (|| trailing bytes). Null on malformed input (see lastFailure()). */
export function parseSpdmReport(raw: Uint8Array): SpdmReport | null {
  if (!checkRequest(raw)) return null;
  const r = REQUEST_LENGTH;
  if (raw.length - r < RESPONSE_HEADER_LENGTH) return fail<SpdmReport>(MALFORMED_REPORT, "response header truncated");
  if (raw[r] != SPDM_VERSION_1_1) return fail<SpdmReport>(SPDM_UNSUPPORTED_VERSION, "response SPDMVersion 0x" + raw[r].toString(16) + ", only 1.1 (0x11) is supported");
  if (raw[r + 1] != SPDM_MEASUREMENTS) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "response code 0x" + raw[r + 1].toString(16) + " is not MEASUREMENTS");
  // Param1 carries a block count only when the request asked for it (Param2 = 0); here it is reserved.
  if (raw[r + 2] != 0) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "response Param1 must be 0");
  const count = <i32>raw[r + 4];
  if (count == 0) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "response carries no measurement blocks");
  const recordStart = r + RESPONSE_HEADER_LENGTH;
  const recordLength = u24le(raw, r + 5);
  if (recordLength > raw.length - recordStart) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "measurement record overruns the report");
  const report = new SpdmReport(raw);
  if (!parseBlocks(raw, recordStart, recordStart + recordLength, count, report)) return null;
  const nonce = recordStart + recordLength;
  if (raw.length - nonce < NONCE_LENGTH + OPAQUE_LENGTH_FIELD) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "responder nonce or opaque length truncated");
  report.responderNonceStart = nonce;
  const opaqueLengthAt = nonce + NONCE_LENGTH;
  const opaqueLength = u16le(raw, opaqueLengthAt);
  report.opaqueStart = opaqueLengthAt + OPAQUE_LENGTH_FIELD;
  if (opaqueLength > raw.length - report.opaqueStart) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "opaque data overruns the report");
  report.opaqueEnd = report.opaqueStart + opaqueLength;
  report.signatureStart = report.opaqueEnd;
  if (raw.length - report.signatureStart < SIGNATURE_LENGTH) return fail<SpdmReport>(MALFORMED_SPDM_RESPONSE, "signature truncated");
  const trailing = report.signatureStart + SIGNATURE_LENGTH;
  report.trailingLength = raw.length - trailing;
  for (let i = trailing; i < raw.length; i++) if (raw[i] != 0) report.trailingAllZero = false;
  return report;
}
