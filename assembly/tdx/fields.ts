// Typed field access over the span-preserving JSON reader for Intel's collateral JSON (TCB info, QE
// identity, the QuoteCollateralV3 envelope). AssemblyScript has no exceptions, so a Fields instance
// remembers the first failure and every accessor returns a harmless default afterwards; callers check
// `failed` once per object instead of after each field.
import { sliceBytes } from "../encoding/bytes";
import { JsonValue, JsonKind } from "../encoding/json";
import { hexDecode } from "../encoding/hex";
import { parseIsoTime, TIME_INVALID } from "./time";

export class Fields {
  error: string = "";

  get failed(): bool { return this.error.length > 0; }

  private fail(message: string): void { if (this.error.length == 0) this.error = message; }

  /** Member `key` of object `v`, which must be present with the given kind. */
  member(v: JsonValue, key: string, kind: JsonKind): JsonValue | null {
    const m = v.get(key);
    if (m === null) { this.fail("missing field \"" + key + "\""); return null; }
    if (m.kind != kind) { this.fail("field \"" + key + "\" has the wrong type"); return null; }
    return m;
  }

  object(v: JsonValue, key: string): JsonValue | null { return this.member(v, key, JsonKind.Object); }

  array(v: JsonValue, key: string, maxItems: i32): Array<JsonValue> {
    const m = this.member(v, key, JsonKind.Array);
    if (m === null) return [];
    if (m.items.length > maxItems) { this.fail("field \"" + key + "\" has too many items"); return []; }
    return m.items;
  }

  string(v: JsonValue, key: string): string {
    const m = this.member(v, key, JsonKind.String);
    if (m === null) return "";
    const s = m.asString();
    return s === null ? "" : s;
  }

  /** A non-negative integer <= max (JSON number without fraction or exponent). -1 on failure. */
  integer(v: JsonValue, key: string, max: u64): i64 {
    const m = this.member(v, key, JsonKind.Number);
    if (m === null) return -1;
    return this.integerValue(m, key, max);
  }

  integerValue(m: JsonValue, what: string, max: u64): i64 {
    if (m.kind != JsonKind.Number) { this.fail("\"" + what + "\" is not a number"); return -1; }
    const r = m.asU64();
    if (!r.ok || r.value > max) { this.fail("\"" + what + "\" is not an integer in [0, " + max.toString() + "]"); return -1; }
    return <i64>r.value;
  }

  /** Hex string of exactly `size` bytes (either case). Empty array on failure. */
  hex(v: JsonValue, key: string, size: i32): Uint8Array {
    const s = this.string(v, key);
    if (this.failed) return new Uint8Array(0);
    // No "0x" prefix in Intel JSON; hexDecode would accept one, so refuse it here.
    const bytes = s.length == size * 2 ? hexDecode(s) : null;
    if (bytes === null || (s.length >= 2 && (s.charCodeAt(1) | 0x20) == 0x78)) {
      this.fail("field \"" + key + "\" is not " + size.toString() + " bytes of hex");
      return new Uint8Array(0);
    }
    return bytes;
  }

  time(v: JsonValue, key: string): i64 {
    const s = this.string(v, key);
    if (this.failed) return TIME_INVALID;
    const t = parseIsoTime(s);
    if (t == TIME_INVALID) this.fail("field \"" + key + "\" is not an ISO 8601 UTC time");
    return t;
  }

  /** Optional array of strings (advisoryIDs); absent = empty. */
  optionalStrings(v: JsonValue, key: string, maxItems: i32): Array<string> {
    const out = new Array<string>();
    const m = v.get(key);
    if (m === null) return out;
    if (m.kind != JsonKind.Array || m.items.length > maxItems) { this.fail("field \"" + key + "\" is not a short array"); return out; }
    for (let i = 0; i < m.items.length; i++) {
      const s = m.items[i].asString();
      if (s === null) { this.fail("field \"" + key + "\" holds a non-string"); return out; }
      out.push(s);
    }
    return out;
  }

  expect(condition: bool, message: string): void { if (!condition) this.fail(message); }
}

// ---------------------------------------------------------------------------------------------------
// Byte-level access to JSON string values. Collateral carries ~15 KB of PEM, hex and signed JSON in
// strings; decoding them straight from the (already validated) source bytes avoids a round trip
// through UTF-16 strings, which was a third of the cost of loading stored collateral.

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const BACKSLASHES: u64 = 0x5c * ONES;

// @ts-ignore: decorator
@inline function hexNibble(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

/** The decoded UTF-8 bytes of a JSON string value, or null if `v` is not a string. */
export function jsonStringBytes(v: JsonValue): Uint8Array | null {
  if (v.kind != JsonKind.String) return null;
  const src = v.source;
  const start = v.start + 1, end = v.end - 1;
  // The reader's spans lie inside `source`; checked once here so the loops below can read unchecked
  // (these strings are the bulk of the collateral: PEM chains, the signed JSON texts).
  if (start < 0 || end > src.length || start > end) return null;
  // One pass: copy, unescaping as we go (Intel's PEM chains and signed JSON texts carry \n and \"
  // escapes); \uXXXX needs UTF-16 decoding and goes to the reader's own decoder (never in Intel data).
  const out = new Uint8Array(end - start);
  const sp = src.dataStart, dp = out.dataStart;
  // o <= i - start (escapes only shrink), so o + 8 <= out.length whenever i + 8 <= end.
  let o = 0, i = start;
  while (i < end) {
    if (i + 8 <= end) {
      const x = load<u64>(sp + <usize>i), b = x ^ BACKSLASHES;
      if (((b - ONES) & ~b & HIGHS) == 0) { store<u64>(dp + <usize>o, x); i += 8; o += 8; continue; }
    }
    let c = load<u8>(sp + <usize>i);
    if (c == 0x5c) {
      // an escape never ends the span (the reader validated the string), so i + 1 < end
      const e = load<u8>(sp + <usize>(++i));
      if (e == 0x75) return utf8Of(v);
      c = e == 0x6e ? 0x0a : e == 0x72 ? 0x0d : e == 0x74 ? 0x09 : e == 0x62 ? 0x08 : e == 0x66 ? 0x0c : e;
    }
    store<u8>(dp + <usize>(o++), c);
    i++;
  }
  return o == out.length ? out : sliceBytes(out, 0, o);
}

function utf8Of(v: JsonValue): Uint8Array | null {
  const s = v.asString();
  return s === null ? null : Uint8Array.wrap(String.UTF8.encode(s));
}

/** A JSON string of hex digits (either case, no prefix) decoded to bytes; null otherwise. */
export function jsonHexBytes(v: JsonValue): Uint8Array | null {
  if (v.kind != JsonKind.String) return null;
  const src = v.source;
  const start = v.start + 1, end = v.end - 1;
  if (start < 0 || end > src.length || start > end || ((end - start) & 1) != 0) return null;
  const out = new Uint8Array((end - start) >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(<u32>unchecked(src[start + 2 * i])), lo = hexNibble(<u32>unchecked(src[start + 2 * i + 1]));
    if (hi < 0 || lo < 0) return null;
    unchecked(out[i] = <u8>((hi << 4) | lo));
  }
  return out;
}
