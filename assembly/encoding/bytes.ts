// Byte helpers shared by every parser and writer: a growable output buffer and constant-shape
// comparisons. No bulk-memory (CosmWasm rejects memory.copy), so copies are explicit loops.

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
  pushString(text: string): void { this.pushBytes(Uint8Array.wrap(String.UTF8.encode(text))); }

  pushU16BE(v: u32): void { this.pushByte(<u8>(v >> 8)); this.pushByte(<u8>v); }
  pushU32BE(v: u32): void { for (let s = 24; s >= 0; s -= 8) this.pushByte(<u8>(v >> s)); }
  pushU64BE(v: u64): void { for (let s = 56; s >= 0; s -= 8) this.pushByte(<u8>(v >> <u64>s)); }

  toBytes(): Uint8Array { return this.data.slice(0, this.length); }
  toUtf8String(): string { return String.UTF8.decodeUnsafe(this.data.dataStart, <usize>this.length); }
}

/** dst[dstAt..dstAt+n) = src[srcAt..srcAt+n); callers guarantee the ranges are in bounds. */
export function copyInto(dst: Uint8Array, dstAt: i32, src: Uint8Array, srcAt: i32, n: i32): void {
  for (let i = 0; i < n; i++) unchecked(dst[dstAt + i] = src[srcAt + i]);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= <i32>(unchecked(a[i]) ^ unchecked(b[i]));
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
