// Strict DER reader (X.690 §8 + §10) over a Uint8Array, without copying: every element is a span
// [valueStart, valueEnd) of the caller's buffer, so signatures can be checked over the exact bytes.
// Certificates and CRLs are attacker-supplied, so the reader accepts only what DER allows: definite
// lengths in minimal form, minimal tag numbers, lengths bounded by the enclosing element, and a
// nesting depth bound. Failures return false/null/-1 and set `derError` to a stable code; nothing
// here may index outside its span (an out-of-range access would abort the whole module).
import { sliceBytes } from "./bytes";

export const DER_MAX_DEPTH: i32 = 24;
/** Longest length field accepted (4 bytes; anything larger cannot fit in Wasm memory anyway). */
const MAX_LENGTH_OCTETS: i32 = 4;
/** High-tag-number form: at most 4 base-128 bytes (tag numbers < 2^28). */
const MAX_TAG_OCTETS: i32 = 4;
/** Longest OID content accepted. Real OIDs are under 40 bytes (UUID-based 2.25.x about 20); the bound
 * keeps printing and comparing cheap on hostile input. */
export const MAX_OID_LENGTH: i32 = 128;

// Universal tag numbers (X.680 §8.4).
export const TAG_BOOLEAN: u32 = 1;
export const TAG_INTEGER: u32 = 2;
export const TAG_BIT_STRING: u32 = 3;
export const TAG_OCTET_STRING: u32 = 4;
export const TAG_NULL: u32 = 5;
export const TAG_OID: u32 = 6;
export const TAG_UTF8_STRING: u32 = 12;
export const TAG_SEQUENCE: u32 = 16;
export const TAG_SET: u32 = 17;
export const TAG_PRINTABLE_STRING: u32 = 19;
export const TAG_TELETEX_STRING: u32 = 20;
export const TAG_IA5_STRING: u32 = 22;
export const TAG_UTC_TIME: u32 = 23;
export const TAG_GENERALIZED_TIME: u32 = 24;
export const TAG_UNIVERSAL_STRING: u32 = 28;
export const TAG_BMP_STRING: u32 = 30;

export const CLASS_UNIVERSAL: u8 = 0;
export const CLASS_APPLICATION: u8 = 1;
export const CLASS_CONTEXT: u8 = 2;
export const CLASS_PRIVATE: u8 = 3;

// Stable error codes.
export const DER_TRUNCATED = "DER_TRUNCATED";
export const DER_BAD_TAG = "DER_BAD_TAG";
export const DER_INDEFINITE_LENGTH = "DER_INDEFINITE_LENGTH";
export const DER_NON_MINIMAL_LENGTH = "DER_NON_MINIMAL_LENGTH";
export const DER_LENGTH_OVERFLOW = "DER_LENGTH_OVERFLOW";
export const DER_TOO_DEEP = "DER_TOO_DEEP";
export const DER_UNEXPECTED_TAG = "DER_UNEXPECTED_TAG";
export const DER_MISSING = "DER_MISSING";
export const DER_TRAILING_DATA = "DER_TRAILING_DATA";
export const DER_BAD_INTEGER = "DER_BAD_INTEGER";
export const DER_NEGATIVE_INTEGER = "DER_NEGATIVE_INTEGER";
export const DER_BAD_OID = "DER_BAD_OID";
export const DER_BAD_BIT_STRING = "DER_BAD_BIT_STRING";
export const DER_BAD_BOOLEAN = "DER_BAD_BOOLEAN";
export const DER_BAD_NULL = "DER_BAD_NULL";
export const DER_BAD_TIME = "DER_BAD_TIME";

/** Code of the last failure in this module (meaningful only right after a failed call). */
export let derError: string = "";

function fail(code: string): bool {
  derError = code;
  return false;
}

/** Sequential reader over the elements in data[pos, end). `next()` decodes one element header and
 * exposes it through the fields below; `enter()` opens a reader over a constructed element. */
export class DerReader {
  // The element last decoded by next().
  tagClass: u8 = 0;
  constructed: bool = false;
  tagNumber: u32 = 0;
  start: i32 = 0;
  valueStart: i32 = 0;
  valueEnd: i32 = 0;

  constructor(public data: Uint8Array, public pos: i32, public end: i32, public depth: i32 = 0) {
    // Clamp so a bad caller span can never lead to an out-of-range access.
    if (this.end > data.length) this.end = data.length;
    if (this.pos < 0) this.pos = 0;
    if (this.pos > this.end) this.pos = this.end;
  }

  static over(data: Uint8Array): DerReader { return new DerReader(data, 0, data.length, 0); }

  atEnd(): bool { return this.pos >= this.end; }

  /** Decodes the next element header and skips over its value. False at the end (derError =
   * DER_MISSING) or on malformed input. */
  next(): bool {
    const data = this.data;
    const end = this.end;
    let p = this.pos;
    if (p >= end) return fail(DER_MISSING);
    const first = <u32>data[p++];
    let number = first & 0x1f;
    if (number == 0x1f) {
      // High-tag-number form: base-128, no leading 0x80, and only for numbers >= 31.
      number = 0;
      let count = 0;
      while (true) {
        if (p >= end) return fail(DER_TRUNCATED);
        const b = <u32>data[p++];
        if (count == 0 && b == 0x80) return fail(DER_BAD_TAG);
        if (++count > MAX_TAG_OCTETS) return fail(DER_BAD_TAG);
        number = (number << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) break;
      }
      if (number < 0x1f) return fail(DER_BAD_TAG);
    }
    if (p >= end) return fail(DER_TRUNCATED);
    const lead = <u32>data[p++];
    let length: u32 = lead;
    if (lead >= 0x80) {
      const octets = <i32>(lead & 0x7f);
      if (octets == 0) return fail(DER_INDEFINITE_LENGTH);
      if (octets > MAX_LENGTH_OCTETS) return fail(DER_LENGTH_OVERFLOW);
      if (end - p < octets) return fail(DER_TRUNCATED);
      length = 0;
      for (let i = 0; i < octets; i++) length = (length << 8) | <u32>data[p + i];
      // Minimal: no leading zero octet, and the long form only for lengths >= 128.
      if (data[p] == 0 || length < 0x80) return fail(DER_NON_MINIMAL_LENGTH);
      p += octets;
    }
    // Bounded by the enclosing element; the u32 compare also rejects lengths >= 2^31.
    if (length > <u32>(end - p)) return fail(DER_TRUNCATED);
    this.tagClass = <u8>(first >> 6);
    this.constructed = (first & 0x20) != 0;
    this.tagNumber = number;
    this.start = this.pos;
    this.valueStart = p;
    this.valueEnd = p + <i32>length;
    this.pos = this.valueEnd;
    return true;
  }

  /** Reads the next element and requires the given class, form and number. */
  expect(tagClass: u8, constructed: bool, number: u32): bool {
    if (!this.next()) return false;
    if (this.tagClass != tagClass || this.constructed != constructed || this.tagNumber != number) return fail(DER_UNEXPECTED_TAG);
    return true;
  }

  /** True when the next element has this class/form/number; never advances. */
  peekIs(tagClass: u8, constructed: bool, number: u32): bool {
    const saved = this.save();
    const ok = this.next() && this.tagClass == tagClass && this.constructed == constructed && this.tagNumber == number;
    this.restore(saved);
    return ok;
  }

  /** A reader over the value of the element last read (which must be constructed). */
  enter(): DerReader | null {
    if (!this.constructed) { fail(DER_UNEXPECTED_TAG); return null; }
    if (this.depth + 1 > DER_MAX_DEPTH) { fail(DER_TOO_DEEP); return null; }
    return new DerReader(this.data, this.valueStart, this.valueEnd, this.depth + 1);
  }

  /** Requires that every element has been consumed. */
  finish(): bool { return this.pos == this.end ? true : fail(DER_TRAILING_DATA); }

  valueLength(): i32 { return this.valueEnd - this.valueStart; }

  /** Copy of the value bytes of the element last read. */
  valueBytes(): Uint8Array { return sliceBytes(this.data, this.valueStart, this.valueEnd); }

  /** Copy of the whole element last read (header included). */
  elementBytes(): Uint8Array { return sliceBytes(this.data, this.start, this.valueEnd); }

  private save(): ReaderState {
    const s = new ReaderState();
    s.pos = this.pos; s.tagClass = this.tagClass; s.constructed = this.constructed; s.tagNumber = this.tagNumber;
    s.start = this.start; s.valueStart = this.valueStart; s.valueEnd = this.valueEnd;
    return s;
  }

  private restore(s: ReaderState): void {
    this.pos = s.pos; this.tagClass = s.tagClass; this.constructed = s.constructed; this.tagNumber = s.tagNumber;
    this.start = s.start; this.valueStart = s.valueStart; this.valueEnd = s.valueEnd;
  }
}

class ReaderState {
  pos: i32 = 0; tagClass: u8 = 0; constructed: bool = false; tagNumber: u32 = 0;
  start: i32 = 0; valueStart: i32 = 0; valueEnd: i32 = 0;
}

// ---------------------------------------------------------------------------------------------------
// Typed helpers: each reads the next element of `r`, checks its tag and DER rules.

/** SEQUENCE: returns a reader over its contents. */
export function readSequence(r: DerReader): DerReader | null {
  if (!r.expect(CLASS_UNIVERSAL, true, TAG_SEQUENCE)) return null;
  return r.enter();
}

/** SET: returns a reader over its contents. */
export function readSet(r: DerReader): DerReader | null {
  if (!r.expect(CLASS_UNIVERSAL, true, TAG_SET)) return null;
  return r.enter();
}

/** Checks the INTEGER content r.value* is minimal (X.690 §8.3.2) and non-negative. */
function checkUnsignedInteger(r: DerReader): bool {
  const data = r.data;
  const s = r.valueStart;
  const n = r.valueEnd - s;
  if (n < 1) return fail(DER_BAD_INTEGER);
  const b0 = <u32>data[s];
  if (n > 1) {
    const b1 = <u32>data[s + 1];
    if ((b0 == 0 && b1 < 0x80) || (b0 == 0xff && b1 >= 0x80)) return fail(DER_BAD_INTEGER);
  }
  if (b0 >= 0x80) return fail(DER_NEGATIVE_INTEGER);
  return true;
}

/** INTEGER >= 0 in minimal form; returns its unsigned big-endian magnitude (the sign octet removed,
 * zero is [0x00]). */
export function readInteger(r: DerReader): Uint8Array | null {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_INTEGER)) return null;
  if (!checkUnsignedInteger(r)) return null;
  let s = r.valueStart;
  if (r.valueEnd - s > 1 && r.data[s] == 0) s++;
  return sliceBytes(r.data, s, r.valueEnd);
}

/** INTEGER in [0, max] (max < 2^31), for versions, path lengths and salt lengths; -1 on failure. */
export function readSmallInteger(r: DerReader, max: i32): i32 {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_INTEGER)) return -1;
  return smallIntegerValue(r, max);
}

/** Value of the INTEGER element last read by `r` when it lies in [0, max]; -1 otherwise. */
export function smallIntegerValue(r: DerReader, max: i32): i32 {
  if (!checkUnsignedInteger(r)) return -1;
  let value: i64 = 0;
  for (let i = r.valueStart; i < r.valueEnd; i++) {
    value = (value << 8) | <i64>r.data[i];
    if (value > <i64>max) { fail(DER_BAD_INTEGER); return -1; }
  }
  return <i32>value;
}

/** BOOLEAN: DER allows only 0x00 and 0xFF. Returns 0, 1, or -1 on failure. */
export function readBoolean(r: DerReader): i32 {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_BOOLEAN)) return -1;
  if (r.valueLength() != 1) { fail(DER_BAD_BOOLEAN); return -1; }
  const v = r.data[r.valueStart];
  if (v == 0) return 0;
  if (v == 0xff) return 1;
  fail(DER_BAD_BOOLEAN);
  return -1;
}

export function readNull(r: DerReader): bool {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_NULL)) return false;
  return r.valueLength() == 0 ? true : fail(DER_BAD_NULL);
}

/** OCTET STRING (primitive only, as DER requires): on success the content is r.valueStart..r.valueEnd. */
export function readOctetString(r: DerReader): bool {
  return r.expect(CLASS_UNIVERSAL, false, TAG_OCTET_STRING);
}

/** BIT STRING: returns the number of unused bits (0-7), or -1. The bits are r.valueStart + 1 ..
 * r.valueEnd; DER requires the unused bits to be zero and an empty string to declare none. */
export function readBitString(r: DerReader): i32 {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_BIT_STRING)) return -1;
  return bitStringUnusedBits(r);
}

function bitStringUnusedBits(r: DerReader): i32 {
  const n = r.valueLength();
  if (n < 1) { fail(DER_BAD_BIT_STRING); return -1; }
  const unused = <i32>r.data[r.valueStart];
  if (unused > 7 || (n == 1 && unused != 0)) { fail(DER_BAD_BIT_STRING); return -1; }
  if (unused > 0 && (<i32>r.data[r.valueEnd - 1] & ((1 << unused) - 1)) != 0) { fail(DER_BAD_BIT_STRING); return -1; }
  return unused;
}

/** BIT STRING whose length is a whole number of bytes (keys, signatures); false otherwise. */
export function readOctetAlignedBitString(r: DerReader): bool {
  const unused = readBitString(r);
  if (unused < 0) return false;
  return unused == 0 ? true : fail(DER_BAD_BIT_STRING);
}

// ---------------------------------------------------------------------------------------------------
// OBJECT IDENTIFIER

/** Checks the OID content in data[start, end): non-empty, at most MAX_OID_LENGTH bytes, every arc
 * minimal and terminated, and no arc wider than 63 bits (so the dotted form can be printed with u64). */
export function oidContentValid(data: Uint8Array, start: i32, end: i32): bool {
  if (end <= start || end - start > MAX_OID_LENGTH) return false;
  let arcBytes = 0;
  for (let i = start; i < end; i++) {
    const b = <u32>data[i];
    if (arcBytes == 0 && b == 0x80) return false;
    arcBytes = (b & 0x80) != 0 ? arcBytes + 1 : 0;
    if (arcBytes >= 9) return false;
  }
  return arcBytes == 0;
}

/** OBJECT IDENTIFIER: on success the content is r.valueStart..r.valueEnd (compare with oidIs). */
export function readOid(r: DerReader): bool {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_OID)) return false;
  return oidContentValid(r.data, r.valueStart, r.valueEnd) ? true : fail(DER_BAD_OID);
}

/** True when data[start, end) equals the OID content bytes `oid`. */
export function oidIs(data: Uint8Array, start: i32, end: i32, oid: StaticArray<u8>): bool {
  if (end - start != oid.length) return false;
  for (let i = 0; i < oid.length; i++) if (data[start + i] != unchecked(oid[i])) return false;
  return true;
}

/** True when data[aStart, aEnd) and data[bStart, bEnd) hold the same bytes. */
export function spanEquals(data: Uint8Array, aStart: i32, aEnd: i32, bStart: i32, bEnd: i32): bool {
  if (aEnd - aStart != bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (data[aStart + i] != data[bStart + i]) return false;
  return true;
}

/** Dotted form of a (validated) OID content, e.g. "1.2.840.10045.2.1"; "" if invalid. */
export function oidToString(data: Uint8Array, start: i32, end: i32): string {
  if (!oidContentValid(data, start, end)) return "";
  const arcs = new Array<string>();
  let value: u64 = 0;
  for (let i = start; i < end; i++) {
    const b = <u64>data[i];
    value = (value << 7) | (b & 0x7f);
    if ((b & 0x80) != 0) continue;
    if (arcs.length == 0) {
      // The first subidentifier packs two arcs: 40 * arc1 + arc2, with arc1 in 0..2.
      const arc1: u64 = value < 40 ? 0 : value < 80 ? 1 : 2;
      arcs.push(arc1.toString());
      arcs.push((value - arc1 * 40).toString());
    } else {
      arcs.push(value.toString());
    }
    value = 0;
  }
  return arcs.join(".");
}

/** Content bytes of a dotted OID ("2.5.29.19" -> 55 1d 13), or null if it is not a valid OID. */
export function oidFromString(dotted: string): Uint8Array | null {
  const parts = dotted.split(".");
  if (parts.length < 2) return null;
  const arcs = new Array<u64>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length == 0 || part.length > 18) return null;
    if (part.length > 1 && part.charCodeAt(0) == 0x30) return null;
    let v: u64 = 0;
    for (let j = 0; j < part.length; j++) {
      const c = part.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return null;
      v = v * 10 + <u64>(c - 0x30);
    }
    arcs[i] = v;
  }
  if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) return null;
  const out = new Array<u8>();
  // The first two arcs share one subidentifier; the rest are one each.
  for (let i = 1; i < arcs.length; i++) {
    const v: u64 = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
    let started = false;
    for (let s = 63; s >= 0; s -= 7) {
      const group = <u8>((v >> <u64>s) & 0x7f);
      if (!started && group == 0 && s > 0) continue;
      started = true;
      out.push(s > 0 ? group | 0x80 : group);
    }
  }
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out[i];
  return bytes;
}

// ---------------------------------------------------------------------------------------------------
// Time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ and GeneralizedTime YYYYMMDDHHMMSSZ, UTC only, no
// fractional seconds, converted to Unix seconds with integer arithmetic only.

/** Returned by readTime on failure (no valid time is this far in the past). */
export const TIME_INVALID: i64 = i64.MIN_VALUE;

function digits(data: Uint8Array, at: i32, count: i32): i32 {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = <i32>data[at + i] - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isLeapYear(y: i32): bool { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeapYear(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date with year >= 0 (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: i32, month: i32, day: i32): i64 {
  const y: i64 = <i64>(month <= 2 ? year - 1 : year);
  const era: i64 = (y >= 0 ? y : y - 399) / 400;
  const yoe: i64 = y - era * 400;
  const mp: i64 = <i64>(month > 2 ? month - 3 : month + 9);
  const doy: i64 = (153 * mp + 2) / 5 + <i64>day - 1;
  const doe: i64 = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Reads a UTCTime or GeneralizedTime; returns Unix seconds or TIME_INVALID. */
export function readTime(r: DerReader): i64 {
  if (!r.next()) return TIME_INVALID;
  if (r.tagClass != CLASS_UNIVERSAL || r.constructed) { fail(DER_UNEXPECTED_TAG); return TIME_INVALID; }
  const data = r.data;
  const s = r.valueStart;
  const n = r.valueLength();
  let year = -1;
  let at = s;
  if (r.tagNumber == TAG_UTC_TIME) {
    if (n != 13) { fail(DER_BAD_TIME); return TIME_INVALID; }
    const yy = digits(data, s, 2);
    if (yy >= 0) year = yy < 50 ? 2000 + yy : 1900 + yy; // RFC 5280: 50-99 are 19xx
    at = s + 2;
  } else if (r.tagNumber == TAG_GENERALIZED_TIME) {
    if (n != 15) { fail(DER_BAD_TIME); return TIME_INVALID; }
    year = digits(data, s, 4);
    at = s + 4;
  } else {
    fail(DER_UNEXPECTED_TAG);
    return TIME_INVALID;
  }
  const month = digits(data, at, 2);
  const day = digits(data, at + 2, 2);
  const hour = digits(data, at + 4, 2);
  const minute = digits(data, at + 6, 2);
  const second = digits(data, at + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59 || data[at + 10] != 0x5a) {
    fail(DER_BAD_TIME);
    return TIME_INVALID;
  }
  return daysFromCivil(year, month, day) * 86400 + <i64>(hour * 3600 + minute * 60 + second);
}
