// Limb-level helpers for bignum.ts: numbers are little-endian arrays of 29-bit limbs, one per u64
// word, addressed by raw pointers so the hot paths need no bounds checks (callers own the sizes).
// Conversions from bytes check their lengths; everything else trusts its caller.

export const LIMB_BITS: i32 = 29;
export const LIMB_MASK: u64 = (1 << 29) - 1;
/** Bytes per limb word. */
export const WORD: usize = 8;

@inline export function limbAt(p: usize, i: i32): u64 { return load<u64>(p + (<usize>i << 3)); }
@inline export function setLimb(p: usize, i: i32, v: u64): void { store<u64>(p + (<usize>i << 3), v); }
@inline export function limbPtr(p: usize, i: i32): usize { return p + (<usize>i << 3); }

/** Writes bytes[start..end) (big-endian) as `count` limbs at out; false if the value needs more limbs.
 * Bytes enter a bit accumulator four at a time from the least significant end (byte at a time costs
 * ~30 operators per byte, and this runs on every key and signature). */
export function limbsFromBytes(out: usize, count: i32, bytes: Uint8Array, start: i32, end: i32): bool {
  let first = bytes.dataStart + <usize>start;
  let src = bytes.dataStart + <usize>end; // one past the least significant byte
  while (first < src && load<u8>(first) == 0) first++;
  if (first < src) {
    const bits = <i32>(src - first - 1) * 8 + (32 - clz<i32>(<i32>load<u8>(first)));
    if (bits > count * LIMB_BITS) return false;
  }
  let acc: u64 = 0;
  let accBits: u64 = 0;
  let li = 0;
  while (src - first >= 4) {
    src -= 4;
    acc |= <u64>bswap<u32>(load<u32>(src)) << accBits;
    accBits += 32; // now 32..60: one limb is complete, maybe two
    setLimb(out, li++, acc & LIMB_MASK);
    acc >>= <u64>LIMB_BITS;
    accBits -= <u64>LIMB_BITS;
    if (accBits >= <u64>LIMB_BITS) {
      setLimb(out, li++, acc & LIMB_MASK);
      acc >>= <u64>LIMB_BITS;
      accBits -= <u64>LIMB_BITS;
    }
  }
  while (src > first) {
    src--;
    acc |= <u64>load<u8>(src) << accBits;
    accBits += 8;
    if (accBits >= <u64>LIMB_BITS) {
      setLimb(out, li++, acc & LIMB_MASK);
      acc >>= <u64>LIMB_BITS;
      accBits -= <u64>LIMB_BITS;
    }
  }
  // The bit-length check above guarantees these limbs exist: a limb is only completed once all of
  // its bits (value bits or padding zeros below the top) are in.
  if (acc != 0) setLimb(out, li++, acc);
  zeroLimbs(limbPtr(out, li), count - li);
  return true;
}

/** Writes `count` limbs at src as big-endian bytes filling out; false if the value does not fit.
 * Emits four bytes per step from a bit accumulator that limbs are poured into. */
export function limbsToBytes(src: usize, count: i32, out: Uint8Array): bool {
  let acc: u64 = 0;
  let accBits: u64 = 0;
  let li = 0;
  let pos = out.dataStart + <usize>out.length; // bytes are written from the end
  const begin = out.dataStart;
  while (pos - begin >= 4) {
    // Two 29-bit limbs at most bring the accumulator to 32 bits.
    if (accBits < 32 && li < count) {
      acc |= limbAt(src, li++) << accBits;
      accBits += <u64>LIMB_BITS;
      if (accBits < 32 && li < count) {
        acc |= limbAt(src, li++) << accBits;
        accBits += <u64>LIMB_BITS;
      }
    }
    pos -= 4;
    store<u32>(pos, bswap<u32>(<u32>acc));
    acc >>= 32;
    accBits = accBits > 32 ? accBits - 32 : 0;
  }
  while (pos > begin) {
    if (accBits < 8 && li < count) {
      acc |= limbAt(src, li++) << accBits;
      accBits += <u64>LIMB_BITS;
    }
    pos--;
    store<u8>(pos, <u8>acc);
    acc >>= 8;
    accBits = accBits > 8 ? accBits - 8 : 0;
  }
  if (acc != 0) return false;
  for (; li < count; li++) if (limbAt(src, li) != 0) return false;
  return true;
}

/** Sign of a - b for two normalized `count`-limb numbers. */
export function compareLimbs(a: usize, b: usize, count: i32): i32 {
  for (let i = count - 1; i >= 0; i--) {
    const x = limbAt(a, i), y = limbAt(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a -= b over `count` normalized limbs; returns the final borrow (0, or -1 if b > a). */
export function subLimbs(a: usize, b: usize, count: i32): i64 {
  let borrow: i64 = 0;
  for (let i = 0; i < count; i++) {
    const t = <i64>limbAt(a, i) - <i64>limbAt(b, i) + borrow;
    setLimb(a, i, <u64>t & LIMB_MASK);
    borrow = t >> LIMB_BITS;
  }
  return borrow;
}

export function copyLimbs(dst: usize, src: usize, count: i32): void {
  const end = src + (<usize>count << 3);
  // Two words per iteration: these copies run once per modular product, so loop overhead shows.
  if (count & 1) {
    store<u64>(dst, load<u64>(src));
    dst += WORD;
    src += WORD;
  }
  while (src < end) {
    store<u64>(dst, load<u64>(src));
    store<u64>(dst, load<u64>(src, 8), 8);
    dst += 2 * WORD;
    src += 2 * WORD;
  }
}

/** dst[i] = 2 * src[i] (not normalized: 30-bit limbs); count must be a multiple of 4. */
export function doubleLimbs(dst: usize, src: usize, count: i32): void {
  const end = src + (<usize>count << 3);
  while (src < end) {
    store<u64>(dst, load<u64>(src) << 1);
    store<u64>(dst, load<u64>(src, 8) << 1, 8);
    store<u64>(dst, load<u64>(src, 16) << 1, 16);
    store<u64>(dst, load<u64>(src, 24) << 1, 24);
    dst += 4 * WORD;
    src += 4 * WORD;
  }
}

export function zeroLimbs(dst: usize, count: i32): void {
  if (count <= 0) return;
  const end = dst + (<usize>count << 3);
  if (count & 1) {
    store<u64>(dst, 0);
    dst += WORD;
  }
  while (dst < end) {
    store<u64>(dst, 0);
    store<u64>(dst, 0, 8);
    dst += 2 * WORD;
  }
}

/** Index of the first nonzero byte (bytes.length if none): where a big-endian value really starts. */
export function firstNonzero(bytes: Uint8Array): i32 {
  let i = 0;
  while (i < bytes.length && unchecked(bytes[i]) == 0) i++;
  return i;
}

/** The bit length of a big-endian byte string (leading zero bytes allowed). */
export function bitLengthOfBytes(bytes: Uint8Array): i32 {
  const i = firstNonzero(bytes);
  if (i == bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - clz<i32>(<i32>unchecked(bytes[i])));
}

/** The bit length of `count` normalized limbs. */
export function bitLengthOfLimbs(p: usize, count: i32): i32 {
  for (let i = count - 1; i >= 0; i--) {
    const v = limbAt(p, i);
    if (v != 0) return i * LIMB_BITS + (64 - <i32>clz<u64>(v));
  }
  return 0;
}

/** Bits [offset, offset + 64) of the normalized limbs at p (offset >= 0); reads limbs offset/29 to
 * offset/29 + 3, which callers keep allocated. */
export function topBits(p: usize, offset: i32): u64 {
  const li = offset / LIMB_BITS;
  const sh = offset % LIMB_BITS;
  let v = limbAt(p, li) >> <u64>sh;
  v |= limbAt(p, li + 1) << <u64>(LIMB_BITS - sh);
  v |= limbAt(p, li + 2) << <u64>(2 * LIMB_BITS - sh);
  // Wasm shift counts wrap at 64: the fourth limb only matters when it lands below bit 64.
  if (3 * LIMB_BITS - sh < 64) v |= limbAt(p, li + 3) << <u64>(3 * LIMB_BITS - sh);
  return v;
}

/** dst[0..count) = floor(src / 2^shift) (shift >= 0) or src * 2^-shift (shift < 0), truncated to
 * count limbs; src limbs at index < 0 or >= srcCount read as zero. */
export function shiftedLimbs(dst: usize, count: i32, src: usize, srcCount: i32, shift: i32): void {
  // Floor division rounds toward -infinity so negative shifts split into limbs and bits correctly.
  const limbShift = shift >= 0 ? shift / LIMB_BITS : -((-shift + LIMB_BITS - 1) / LIMB_BITS);
  const bitShift = <u64>(shift - limbShift * LIMB_BITS); // 0..28
  for (let i = 0; i < count; i++) {
    const lo = i + limbShift, hi = lo + 1;
    const a = lo >= 0 && lo < srcCount ? limbAt(src, lo) : 0;
    const b = hi >= 0 && hi < srcCount ? limbAt(src, hi) : 0;
    setLimb(dst, i, ((a >> bitShift) | (b << (<u64>LIMB_BITS - bitShift))) & LIMB_MASK);
  }
}
