// PEM (RFC 7468) decoding: every `-----BEGIN <label>-----` ... `-----END <label>-----` block in a text,
// as DER bytes. Certificate chains arrive as PEM from Intel PCS headers, AMD KDS and NVIDIA drivers,
// often with CRLF line ends, odd wrapping, text between blocks or trailing NUL bytes (C strings), so
// anything outside a block is ignored and any whitespace inside the base64 body is skipped. What is
// inside a block is strict: matching END label, canonical base64, nothing but base64 and whitespace.
import { base64DecodeRange } from "./base64";
import { indexOfAscii } from "./bytes";

export const PEM_UNTERMINATED = "PEM_UNTERMINATED";
export const PEM_BAD_LABEL = "PEM_BAD_LABEL";
export const PEM_LABEL_MISMATCH = "PEM_LABEL_MISMATCH";
export const PEM_BAD_BASE64 = "PEM_BAD_BASE64";
export const PEM_TOO_MANY_BLOCKS = "PEM_TOO_MANY_BLOCKS";

/** Labels are short words such as "CERTIFICATE" or "X509 CRL". */
const MAX_LABEL_LENGTH: i32 = 64;
/** Bounds the work on hostile input; real chains have at most a handful of certificates. */
const MAX_BLOCKS: i32 = 64;

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";

export let pemError: string = "";

export class PemBlock {
  constructor(public label: string, public der: Uint8Array) {}
}

/** Index of `needle` (ASCII) in text[from, text.length), or -1. */
function find(text: Uint8Array, from: i32, needle: string): i32 { return indexOfAscii(text, from, needle); }

/** True when `needle` (ASCII) occurs at text[at]. */
function matchAt(text: Uint8Array, at: i32, needle: string): bool {
  if (at < 0 || at + needle.length > text.length) return false;
  for (let j = 0; j < needle.length; j++) if (<i32>text[at + j] != needle.charCodeAt(j)) return false;
  return true;
}


/** RFC 7468 labelchar: printable ASCII except '-', with single spaces or hyphens between words. */
function labelValid(text: Uint8Array, start: i32, end: i32): bool {
  if (end - start > MAX_LABEL_LENGTH) return false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    const separator = c == 0x20 || c == 0x2d;
    if (!separator && (c < 0x21 || c > 0x7e)) return false;
    if (separator && (i == start || i == end - 1 || text[i - 1] == 0x20 || text[i - 1] == 0x2d)) return false;
  }
  return true;
}

function sameLabel(text: Uint8Array, aStart: i32, bStart: i32, length: i32): bool {
  for (let i = 0; i < length; i++) if (text[aStart + i] != text[bStart + i]) return false;
  return true;
}

/** Base64 body text[start, end) with whitespace removed, decoded; null if not canonical base64. */
function decodeBody(text: Uint8Array, start: i32, end: i32): Uint8Array | null {
  if (start < 0 || end > text.length || start > end) return null;
  const compact = new Uint8Array(end - start);
  // [start, end) is inside `text` (checked above) and n < end - start: direct memory access.
  const src = text.dataStart, dst = compact.dataStart;
  let n: usize = 0;
  let i = start;
  while (i < end) {
    // 8 bytes at once when none is <= 0x20 (so none is whitespace): copied as they are.
    if (i + 8 <= end) {
      const x = load<u64>(src + <usize>i);
      if ((((x - 0x2121212121212121) & ~x) & 0x8080808080808080) == 0) { store<u64>(dst + n, x); n += 8; i += 8; continue; }
    }
    const c = load<u8>(src + <usize>i);
    store<u8>(dst + n, c);
    // whitespace is overwritten by the next byte (space, \t, \n, \v, \f, \r)
    if (c > 0x20 || (c != 0x20 && (c < 0x09 || c > 0x0d))) n++;
    i++;
  }
  return base64DecodeRange(compact, 0, <i32>n, false, true);
}

/** Decodes every PEM block in `text`. With a non-empty `wanted` label, blocks with other labels are
 * skipped (a chain file may also hold keys or parameters). Returns null on a malformed block. */
export function pemDecodeAll(text: Uint8Array, wanted: string = ""): Array<PemBlock> | null {
  pemError = "";
  const blocks = new Array<PemBlock>();
  let at = 0;
  while (true) {
    const begin = find(text, at, BEGIN);
    if (begin < 0) break;
    const labelStart = begin + BEGIN.length;
    const labelEnd = find(text, labelStart, DASHES);
    if (labelEnd < 0) { pemError = PEM_UNTERMINATED; return null; }
    if (!labelValid(text, labelStart, labelEnd)) { pemError = PEM_BAD_LABEL; return null; }
    const bodyStart = labelEnd + DASHES.length;
    const endMarker = find(text, bodyStart, END);
    if (endMarker < 0) { pemError = PEM_UNTERMINATED; return null; }
    const labelLength = labelEnd - labelStart;
    const endLabel = endMarker + END.length;
    if (endLabel + labelLength + DASHES.length > text.length || !sameLabel(text, labelStart, endLabel, labelLength) ||
        !matchAt(text, endLabel + labelLength, DASHES)) {
      pemError = PEM_LABEL_MISMATCH;
      return null;
    }
    at = endLabel + labelLength + DASHES.length;
    const label = String.UTF8.decodeUnsafe(text.dataStart + <usize>labelStart, <usize>labelLength);
    if (wanted.length > 0 && label != wanted) continue;
    const der = decodeBody(text, bodyStart, endMarker);
    if (der === null) { pemError = PEM_BAD_BASE64; return null; }
    if (blocks.length >= MAX_BLOCKS) { pemError = PEM_TOO_MANY_BLOCKS; return null; }
    blocks.push(new PemBlock(label, der));
  }
  return blocks;
}
