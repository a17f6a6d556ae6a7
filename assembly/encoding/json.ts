// JSON reader that keeps the exact byte span of every value, plus a writer.
//
// Why spans: Intel signs the raw JSON text of TCB info and QE identity ("tcbInfo":{...} as it appears on
// the wire), so a verifier must hash the original bytes, not a re-serialisation. The same reader parses
// CosmWasm Env / MessageInfo / messages, so it is strict (RFC 8259 grammar, UTF-8 validated, depth
// bounded) and never traps: every failure returns null and sets `jsonError`.
//
// Numbers are kept as spans; only integer accessors exist (no floats anywhere in our Wasm).
import { sliceBytes } from "./bytes";

export const enum JsonKind { Null = 0, Bool = 1, Number = 2, String = 3, Array = 4, Object = 5 }

/** Deepest nesting accepted; deeper input is rejected rather than risking the stack. */
export const JSON_MAX_DEPTH: i32 = 64;

/** Why the last parse failed ("" after a success). */
export let jsonError: string = "";

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  /** Byte span [start, end) of the value in `source`, quotes included for strings. */
  start: i32 = 0;
  end: i32 = 0;
  boolValue: bool = false;
  /** Array items, or object member values in source order. */
  items: Array<JsonValue> = [];
  /** Object member names (decoded), parallel to `items`. */
  keys: Array<string> = [];

  constructor(public source: Uint8Array) {}

  get isNull(): bool { return this.kind == JsonKind.Null; }
  get isString(): bool { return this.kind == JsonKind.String; }
  get isObject(): bool { return this.kind == JsonKind.Object; }
  get isArray(): bool { return this.kind == JsonKind.Array; }
  get length(): i32 { return this.items.length; }

  /** Member `key` of an object, or null (also when this is not an object). Last duplicate wins is NOT
   * applied: parse() rejects duplicate keys, so there is exactly one. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.items[i];
    return null;
  }

  has(key: string): bool { return this.get(key) !== null; }

  at(index: i32): JsonValue | null {
    if (this.kind != JsonKind.Array || index < 0 || index >= this.items.length) return null;
    return this.items[index];
  }

  /** The raw bytes of this value exactly as they appear in the source. */
  raw(): Uint8Array { return sliceBytes(this.source, this.start, this.end); }

  /** Decoded string value; null unless this is a string. */
  asString(): string | null {
    if (this.kind != JsonKind.String) return null;
    return decodeJsonString(this.source, this.start, this.end);
  }

  /** Non-negative integer (JSON number or decimal string, as cosmwasm encodes u64/Uint64); null when
   * absent, fractional, signed, with leading zeros or out of u64 range. */
  asU64(): U64Result {
    let s = this.start, e = this.end;
    if (this.kind == JsonKind.String) { s++; e--; } else if (this.kind != JsonKind.Number) return U64Result.fail();
    return parseDecimalU64(this.source, s, e);
  }
}

/** A u64 with an explicit validity flag (AssemblyScript has no exceptions). */
export class U64Result {
  constructor(public ok: bool, public value: u64) {}
  static fail(): U64Result { return new U64Result(false, 0); }
}

export function parseDecimalU64(src: Uint8Array, start: i32, end: i32): U64Result {
  const n = end - start;
  if (n <= 0 || n > 20) return U64Result.fail();
  if (n > 1 && src[start] == 0x30) return U64Result.fail();
  let value: u64 = 0;
  for (let i = start; i < end; i++) {
    const c = <u32>src[i];
    if (c < 0x30 || c > 0x39) return U64Result.fail();
    const digit = <u64>(c - 0x30);
    // value * 10 + digit must stay <= u64::MAX
    if (value > (U64.MAX_VALUE - digit) / 10) return U64Result.fail();
    value = value * 10 + digit;
  }
  return new U64Result(true, value);
}

/** Parses a whole document (surrounding whitespace allowed, nothing else). Null on error, see jsonError. */
export function parseJson(source: Uint8Array): JsonValue | null {
  jsonError = "";
  const parser = new Parser(source);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  if (value === null) return null;
  parser.skipWhitespace();
  if (parser.pos != source.length) { jsonError = "trailing bytes at " + parser.pos.toString(); return null; }
  return value;
}

export function parseJsonString(text: string): JsonValue | null {
  return parseJson(Uint8Array.wrap(String.UTF8.encode(text)));
}

class Parser {
  pos: i32 = 0;
  constructor(public src: Uint8Array) {}

  fail(what: string): JsonValue | null {
    if (jsonError.length == 0) jsonError = what + " at " + this.pos.toString();
    return null;
  }

  skipWhitespace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  parseValue(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) return this.fail("nesting too deep");
    if (this.pos >= this.src.length) return this.fail("unexpected end");
    const c = this.src[this.pos];
    if (c == 0x7b) return this.parseObject(depth);
    if (c == 0x5b) return this.parseArray(depth);
    if (c == 0x22) return this.parseString();
    if (c == 0x74) return this.parseLiteral("true", JsonKind.Bool, true);
    if (c == 0x66) return this.parseLiteral("false", JsonKind.Bool, false);
    if (c == 0x6e) return this.parseLiteral("null", JsonKind.Null, false);
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    return this.fail("unexpected character");
  }

  parseLiteral(word: string, kind: JsonKind, value: bool): JsonValue | null {
    const n = word.length;
    if (this.pos + n > this.src.length) return this.fail("truncated literal");
    for (let i = 0; i < n; i++) if (<i32>this.src[this.pos + i] != word.charCodeAt(i)) return this.fail("bad literal");
    const v = new JsonValue(this.src);
    v.kind = kind; v.boolValue = value; v.start = this.pos; this.pos += n; v.end = this.pos;
    return v;
  }

  digits(): i32 {
    const from = this.pos;
    while (this.pos < this.src.length && this.src[this.pos] >= 0x30 && this.src[this.pos] <= 0x39) this.pos++;
    return this.pos - from;
  }

  parseNumber(): JsonValue | null {
    const start = this.pos;
    if (this.src[this.pos] == 0x2d) this.pos++;
    if (this.pos >= this.src.length) return this.fail("truncated number");
    if (this.src[this.pos] == 0x30) {
      this.pos++;
    } else if (this.digits() == 0) return this.fail("bad number");
    if (this.pos < this.src.length && this.src[this.pos] == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail("bad fraction");
    }
    if (this.pos < this.src.length && (this.src[this.pos] == 0x65 || this.src[this.pos] == 0x45)) {
      this.pos++;
      if (this.pos < this.src.length && (this.src[this.pos] == 0x2b || this.src[this.pos] == 0x2d)) this.pos++;
      if (this.digits() == 0) return this.fail("bad exponent");
    }
    const v = new JsonValue(this.src);
    v.kind = JsonKind.Number; v.start = start; v.end = this.pos;
    return v;
  }

  parseString(): JsonValue | null {
    const start = this.pos;
    const end = scanJsonString(this.src, this.pos);
    if (end < 0) { this.pos = -end - 1; return this.fail("bad string"); }
    this.pos = end;
    const v = new JsonValue(this.src);
    v.kind = JsonKind.String; v.start = start; v.end = end;
    return v;
  }

  parseArray(depth: i32): JsonValue | null {
    const v = new JsonValue(this.src);
    v.kind = JsonKind.Array; v.start = this.pos;
    this.pos++;
    this.skipWhitespace();
    if (this.pos < this.src.length && this.src[this.pos] == 0x5d) { this.pos++; v.end = this.pos; return v; }
    while (true) {
      this.skipWhitespace();
      const item = this.parseValue(depth + 1);
      if (item === null) return null;
      v.items.push(item);
      this.skipWhitespace();
      if (this.pos >= this.src.length) return this.fail("unterminated array");
      const c = this.src[this.pos++];
      if (c == 0x5d) break;
      if (c != 0x2c) return this.fail("expected , or ]");
    }
    v.end = this.pos;
    return v;
  }

  parseObject(depth: i32): JsonValue | null {
    const v = new JsonValue(this.src);
    v.kind = JsonKind.Object; v.start = this.pos;
    this.pos++;
    this.skipWhitespace();
    if (this.pos < this.src.length && this.src[this.pos] == 0x7d) { this.pos++; v.end = this.pos; return v; }
    while (true) {
      this.skipWhitespace();
      if (this.pos >= this.src.length || this.src[this.pos] != 0x22) return this.fail("expected member name");
      const keyStart = this.pos;
      const keyEnd = scanJsonString(this.src, keyStart);
      if (keyEnd < 0) { this.pos = -keyEnd - 1; return this.fail("bad string"); }
      this.pos = keyEnd;
      const key = memberName(this.src, keyStart, keyEnd);
      for (let i = 0; i < v.keys.length; i++) if (v.keys[i] == key) return this.fail("duplicate member " + key);
      this.skipWhitespace();
      if (this.pos >= this.src.length || this.src[this.pos] != 0x3a) return this.fail("expected :");
      this.pos++;
      this.skipWhitespace();
      const item = this.parseValue(depth + 1);
      if (item === null) return null;
      v.keys.push(key);
      v.items.push(item);
      this.skipWhitespace();
      if (this.pos >= this.src.length) return this.fail("unterminated object");
      const c = this.src[this.pos++];
      if (c == 0x7d) break;
      if (c != 0x2c) return this.fail("expected , or }");
    }
    v.end = this.pos;
    return v;
  }
}

function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  if (c >= 0x41 && c <= 0x46) return <i32>(c - 0x41 + 10);
  return -1;
}

function readHex4(src: Uint8Array, at: i32): i32 {
  if (at + 4 > src.length) return -1;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const h = hexValue(<u32>src[at + i]);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

/** Length of a valid UTF-8 sequence starting at `at` (1-4), or 0 if invalid (overlongs, surrogates,
 * > U+10FFFF and truncation all rejected). */
export function utf8SequenceLength(src: Uint8Array, at: i32, end: i32): i32 {
  const b0 = <u32>src[at];
  if (b0 < 0x80) return 1;
  let n = 0, min: u32 = 0, cp: u32 = 0;
  if ((b0 & 0xe0) == 0xc0) { n = 2; min = 0x80; cp = b0 & 0x1f; }
  else if ((b0 & 0xf0) == 0xe0) { n = 3; min = 0x800; cp = b0 & 0x0f; }
  else if ((b0 & 0xf8) == 0xf0) { n = 4; min = 0x10000; cp = b0 & 0x07; }
  else return 0;
  if (at + n > end) return 0;
  for (let i = 1; i < n; i++) {
    const b = <u32>src[at + i];
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** True when one of the 8 bytes of `x` needs a look: a quote, a backslash, a control character or a
 * non-ASCII byte ("has a zero byte" tests; exact for bytes < 0x80, and any byte >= 0x80 is flagged). */
// @ts-ignore: decorator
@inline export function hasSpecialJsonByte(x: u64): bool {
  const q = x ^ (0x22 * ONES), b = x ^ (0x5c * ONES);
  return ((x | ((x - 0x20 * ONES) & ~x) | ((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS) != 0;
}

/** Validates the string starting at the quote at `at`; returns the index after the closing quote, or
 * -(errorPosition + 1). */
function scanJsonString(src: Uint8Array, at: i32): i32 {
  let i = at + 1;
  const n = src.length;
  const base = src.dataStart;
  while (i < n) {
    // Fast path: plain printable ASCII (the bulk of collateral: PEM, hex, signed JSON text), 8 bytes a
    // step, then byte by byte; i + 8 <= n and i < n bound every read, so they go straight to memory.
    while (i + 8 <= n && !hasSpecialJsonByte(load<u64>(base + <usize>i))) i += 8;
    if (i >= n) break;
    let c = <u32>load<u8>(base + <usize>i);
    while (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) {
      if (++i >= n) return -(n + 1);
      c = <u32>load<u8>(base + <usize>i);
    }
    if (c == 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c == 0x5c) {
      if (i + 1 >= n) return -(i + 1);
      const e = <u32>src[i + 1];
      if (e == 0x75) {
        const unit = readHex4(src, i + 2);
        if (unit < 0) return -(i + 1);
        i += 6;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate must be followed by an escaped low surrogate.
          if (i + 1 >= n || src[i] != 0x5c || src[i + 1] != 0x75) return -(i + 1);
          const low = readHex4(src, i + 2);
          if (low < 0xdc00 || low > 0xdfff) return -(i + 1);
          i += 6;
        } else if (unit >= 0xdc00 && unit <= 0xdfff) return -(i + 1);
        continue;
      }
      if (e != 0x22 && e != 0x5c && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) return -(i + 1);
      i += 2;
      continue;
    }
    const len = utf8SequenceLength(src, i, n);
    if (len == 0) return -(i + 1);
    i += len;
  }
  return -(n + 1);
}

/** A validated member name span (quotes included) as a string: plain ASCII names (all real ones) are
 * widened straight into the string, anything else goes through the full decoder. */
function memberName(src: Uint8Array, start: i32, end: i32): string {
  const n = end - start - 2;
  const from = src.dataStart + <usize>(start + 1);
  for (let i = 0; i < n; i++) {
    const c = load<u8>(from + <usize>i);
    if (c >= 0x80 || c == 0x5c) return decodeJsonString(src, start, end);
  }
  const out = changetype<string>(__new(<usize>n << 1, idof<string>()));
  const dst = changetype<usize>(out);
  for (let i = 0; i < n; i++) store<u16>(dst + (<usize>i << 1), <u16>load<u8>(from + <usize>i));
  return out;
}

/** Decodes a validated string span (quotes included) into an AssemblyScript string. */
function decodeJsonString(src: Uint8Array, start: i32, end: i32): string {
  const out = new Uint8Array(end - start); // the decoded UTF-8 is never longer than the escaped form
  let o = 0;
  let i = start + 1;
  const last = end - 1;
  while (i < last) {
    const c = src[i];
    if (c != 0x5c) { out[o++] = c; i++; continue; }
    const e = src[i + 1];
    if (e == 0x75) {
      let cp = <u32>readHex4(src, i + 2);
      i += 6;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const low = <u32>readHex4(src, i + 2);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      }
      o = writeUtf8(out, o, cp);
      continue;
    }
    let ch: u8 = e;
    if (e == 0x62) ch = 0x08; else if (e == 0x66) ch = 0x0c; else if (e == 0x6e) ch = 0x0a;
    else if (e == 0x72) ch = 0x0d; else if (e == 0x74) ch = 0x09;
    out[o++] = ch;
    i += 2;
  }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>o);
}

function writeUtf8(out: Uint8Array, o: i32, cp: u32): i32 {
  if (cp < 0x80) { out[o++] = <u8>cp; }
  else if (cp < 0x800) { out[o++] = <u8>(0xc0 | (cp >> 6)); out[o++] = <u8>(0x80 | (cp & 0x3f)); }
  else if (cp < 0x10000) {
    out[o++] = <u8>(0xe0 | (cp >> 12)); out[o++] = <u8>(0x80 | ((cp >> 6) & 0x3f)); out[o++] = <u8>(0x80 | (cp & 0x3f));
  } else {
    out[o++] = <u8>(0xf0 | (cp >> 18)); out[o++] = <u8>(0x80 | ((cp >> 12) & 0x3f));
    out[o++] = <u8>(0x80 | ((cp >> 6) & 0x3f)); out[o++] = <u8>(0x80 | (cp & 0x3f));
  }
  return o;
}
