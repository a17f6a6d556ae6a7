// Byte helpers shared by every parser and writer: a growable output buffer and constant-shape
// comparisons. No bulk-memory (CosmWasm rejects the memory.copy opcode): copies are our own loops.

export class ByteBuffer {
  private data: Uint8Array;
  length: i32 = 0;

  constructor(capacity: i32 = 256) { this.data = new Uint8Array(capacity > 16 ? capacity : 16); }

  private reserve(extra: i32): void {
    const needed = this.length + extra;
    if (needed <= this.data.length) return;
    let capacity = this.data.length << 1;
    while (capacity < needed) capacity <<= 1;
    const next = new Uint8Array(capacity);
    copyInto(next, 0, this.data, 0, this.length);
    this.data = next;
  }

  pushByte(b: u8): void { this.reserve(1); this.data[this.length++] = b; }

  pushBytes(bytes: Uint8Array): void { this.pushRange(bytes, 0, bytes.length); }

  pushRange(bytes: Uint8Array, start: i32, end: i32): void {
    const n = end - start;
    this.reserve(n);
    copyInto(this.data, this.length, bytes, start, n);
    this.length += n;
  }

  /** Appends the UTF-8 encoding of an ASCII-or-not string. */
  pushString(text: string): void { if (!this.pushPlainAscii(text, false)) this.pushBytes(Uint8Array.wrap(String.UTF8.encode(text))); }

  /**
   * Appends `text` byte for byte when every character is ASCII (with `jsonSafe`, also no control
   * character, '"' or '\\': nothing a JSON string would escape) and returns true; otherwise appends
   * nothing and returns false. The common case of the writers: no UTF-8 round trip, one store a byte.
   */
  pushPlainAscii(text: string, jsonSafe: bool): bool {
    const n = text.length;
    this.reserve(n);
    const src = changetype<usize>(text), dst = this.data.dataStart + <usize>this.length;
    for (let i = 0; i < n; i++) {
      const c = <u32>load<u16>(src + (<usize>i << 1));
      if (c >= 0x80 || (jsonSafe && (c < 0x20 || c == 0x22 || c == 0x5c))) return false;
      store<u8>(dst + <usize>i, <u8>c);
    }
    this.length += n;
    return true;
  }

  pushU16BE(v: u32): void { this.pushByte(<u8>(v >> 8)); this.pushByte(<u8>v); }
  pushU32BE(v: u32): void { for (let s = 24; s >= 0; s -= 8) this.pushByte(<u8>(v >> s)); }
  pushU64BE(v: u64): void { for (let s = 56; s >= 0; s -= 8) this.pushByte(<u8>(v >> <u64>s)); }

  toBytes(): Uint8Array { return sliceBytes(this.data, 0, this.length); }
  toUtf8String(): string { return String.UTF8.decodeUnsafe(this.data.dataStart, <usize>this.length); }
}

/** dst[dstAt..dstAt+n) = src[srcAt..srcAt+n); callers guarantee the ranges are in bounds. */
export function copyInto(dst: Uint8Array, dstAt: i32, src: Uint8Array, srcAt: i32, n: i32): void {
  if (n > 0) copyMemory(dst.dataStart + <usize>dstAt, src.dataStart + <usize>srcAt, <usize>n);
}

/**
 * Copies n bytes between non-overlapping regions, 8 bytes per step. Wasm loads and stores need no
 * alignment, so this is fast for any offsets — unlike the runtime's memory.copy, which (bulk-memory is
 * disabled; at our shrink level it is a plain memmove) copies byte by byte unless both addresses share
 * their alignment, as slices at odd offsets do not.
 */
export function copyMemory(dst: usize, src: usize, n: usize): void {
  while (n >= 8) { store<u64>(dst, load<u64>(src)); dst += 8; src += 8; n -= 8; }
  while (n > 0) { store<u8>(dst, load<u8>(src)); dst++; src++; n--; }
}

/** `a.slice(start, end)` (same clamping of out-of-range and negative indices) with the fast copy. */
export function sliceBytes(a: Uint8Array, start: i32, end: i32): Uint8Array {
  const len = a.length;
  start = start < 0 ? max(len + start, 0) : min(start, len);
  end = end < 0 ? max(len + end, 0) : min(end, len);
  const n = max(end - start, 0);
  const out = new Uint8Array(n);
  copyMemory(out.dataStart, a.dataStart + <usize>start, <usize>n);
  return out;
}

/** Equal lengths and bytes; compares 8 bytes per step, in time that depends only on the length. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  const n = a.length;
  if (n != b.length) return false;
  const pa = a.dataStart, pb = b.dataStart;
  let diff: u64 = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) diff |= load<u64>(pa + <usize>i) ^ load<u64>(pb + <usize>i);
  for (; i < n; i++) diff |= <u64>(load<u8>(pa + <usize>i) ^ load<u8>(pb + <usize>i));
  return diff == 0;
}

/** Lexicographic byte order, as the CosmWasm store sorts keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): i32 {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = <i32>a[i] - <i32>b[i];
    if (d != 0) return d;
  }
  return a.length - b.length;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  copyInto(out, 0, a, 0, a.length);
  copyInto(out, a.length, b, 0, b.length);
  return out;
}

export function utf8(text: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(text)); }

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** Index of ASCII `needle` in text[from, text.length), or -1. Looks for the first byte 8 bytes per
 * step (the classic "has a zero byte" test on text XOR that byte), then compares byte by byte. */
export function indexOfAscii(text: Uint8Array, from: i32, needle: string): i32 {
  const m = needle.length;
  if (from < 0) from = 0;
  if (m == 0) return from <= text.length ? from : -1;
  const last = text.length - m; // every candidate i <= last keeps i + m <= text.length
  const base = text.dataStart;
  const first = <u8>needle.charCodeAt(0);
  const pattern = <u64>first * ONES;
  let i = from;
  while (i <= last) {
    if (i + 8 <= text.length) {
      const x = load<u64>(base + <usize>i) ^ pattern;
      if (((x - ONES) & ~x & HIGHS) == 0) { i += 8; continue; }
    }
    if (load<u8>(base + <usize>i) == first) {
      let j = 1;
      while (j < m && <i32>load<u8>(base + <usize>(i + j)) == needle.charCodeAt(j)) j++;
      if (j == m) return i;
    }
    i++;
  }
  return -1;
}
