// Modular exponentiation with public exponents for RSA verification (512 to 4096-bit odd moduli).
//
// Representation: little-endian 29-bit limbs, one per u64 word. Wasm has no 64x64->128 multiply, so
// limbs must be narrower than 32 bits for products to fit in u64; 29 bits leave room to add 24
// products of a 29-bit and a 30-bit limb (the doubled operand of a squaring) plus a carry without
// overflow (24 * 2^59 + 2^62 < 2^64). So bignum-kernel.ts sums a whole column in a register and
// normalizes once, instead of propagating a carry after every product as 32-bit limbs require.
//
// Montgomery arithmetic with R = 2^(29*S), S a multiple of the kernel block (24 limbs) and
// 29*S >= bits(n) + 2, so R >= 4n. Values are kept "lazily reduced" in [0, 2n): with R >= 4n a product
// of two such values reduces back below 2n (ab/R + n < 4n^2/R + n <= 2n), so no conditional
// subtraction is needed until the end. REDC runs block-wise in the kernel (24 quotient limbs at a
// time, picked column by column). Squaring forms each cross product once.
//
// Exponentiation is left-to-right binary over a u64 exponent (public exponents only: 65537 takes 16
// squarings and 1 multiplication, 2^64 - 1 at most 126 products). The base enters Montgomery form by
// one division (base * R mod n, bignum-div.ts) instead of a multiplication by R^2 mod n, which would
// need the same division plus a product, and the last multiplication uses the plain base, which
// leaves Montgomery form for free: mont(b^(e-1) R, b) = b^e. Everything here works on public data,
// so nothing is constant-time. Cost on RSA-4096: ~131k executed operators per squaring, ~2.5M for
// the whole e = 65537 exponentiation.

import { KERNEL_BLOCK, kernelMulAdd, kernelSquareBlock } from "./bignum-kernel";
import { BlockReducer } from "./bignum-div";
import {
  LIMB_BITS, LIMB_MASK, WORD, setLimb, limbPtr, limbsFromBytes, limbsToBytes, compareLimbs, subLimbs,
  copyLimbs, zeroLimbs, doubleLimbs, firstNonzero, bitLengthOfBytes,
} from "./bignum-limbs";

export const MIN_MODULUS_BITS: i32 = 512;
export const MAX_MODULUS_BITS: i32 = 4096;
/** Public exponents longer than 64 bits are rejected (as OpenSSL does for large moduli). */
export const MAX_EXPONENT_BYTES: i32 = 8;

/** A prepared odd modulus with Montgomery constants and all scratch space (no allocation per product). */
export class Montgomery {
  /** Limbs per value: a multiple of KERNEL_BLOCK with 29 * limbs >= bits + 2. */
  readonly limbs: i32;
  readonly bits: i32;
  /** Byte length of n without leading zeros (the RSA "k"). */
  readonly byteLength: i32;
  private readonly blocks: i32;
  private readonly n: StaticArray<u64>;
  private readonly n0inv: u64; // -n^-1 mod 2^29
  private readonly t: StaticArray<u64>; // double-width product
  private readonly d: StaticArray<u64>; // doubled operand of a squaring
  private readonly reducer: BlockReducer; // a * R mod n

  /** Validates n (odd, MIN..MAX_MODULUS_BITS, big-endian with optional leading zeros) and prepares it. */
  static create(modulus: Uint8Array): Montgomery | null {
    const bits = bitLengthOfBytes(modulus);
    if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) return null;
    if ((unchecked(modulus[modulus.length - 1]) & 1) == 0) return null;
    return new Montgomery(modulus, bits);
  }

  /** Use create(), which validates the modulus. */
  constructor(modulus: Uint8Array, bits: i32) {
    this.bits = bits;
    this.byteLength = (bits + 7) >> 3;
    const minimum = (bits + 2 + LIMB_BITS - 1) / LIMB_BITS;
    const blocks = (minimum + KERNEL_BLOCK - 1) / KERNEL_BLOCK;
    const s = blocks * KERNEL_BLOCK;
    this.blocks = blocks;
    this.limbs = s;
    const n = new StaticArray<u64>(s);
    const np = changetype<usize>(n);
    limbsFromBytes(np, s, modulus, 0, modulus.length);
    this.n = n;
    this.t = new StaticArray<u64>(2 * s + 1);
    this.d = new StaticArray<u64>(s);
    // Newton iteration for n0^-1 mod 2^29: each step doubles the correct low bits (3 -> 6 -> ... -> 48).
    const n0 = unchecked(n[0]);
    let inv = n0; // n0 * n0 = 1 mod 8 for odd n0
    for (let i = 0; i < 4; i++) inv = inv * (2 - n0 * inv);
    this.n0inv = (0 - inv) & LIMB_MASK;
    this.reducer = new BlockReducer(np, s, bits);
  }

  /** T = T * R^-1: block-wise REDC of the 2S-limb T into out (S limbs, < 2n when T < 4n^2). */
  private reduce(out: usize): void {
    const t = changetype<usize>(this.t), n = changetype<usize>(this.n);
    for (let i = 0; i < this.blocks; i++) {
      kernelMulAdd(limbPtr(t, i * KERNEL_BLOCK), 0, n, this.blocks, true, this.n0inv);
    }
    copyLimbs(out, limbPtr(t, this.limbs), this.limbs);
  }

  /** out = a * b * R^-1 mod n (lazily reduced); out may alias a or b. */
  mul(out: usize, a: usize, b: usize): void {
    const t = changetype<usize>(this.t);
    zeroLimbs(t, 2 * this.limbs + 1);
    for (let i = 0; i < this.blocks; i++) {
      const offset = <usize>(i * KERNEL_BLOCK) * WORD;
      kernelMulAdd(t + offset, a + offset, b, this.blocks, false, 0);
    }
    this.reduce(out);
  }

  /** out = a^2 * R^-1 mod n (lazily reduced); out may alias a. Each product a_i a_j (i < j) is formed
   * once: the diagonal blocks A_b^2 come from kernelSquareBlock (pairs doubled there), and each block
   * A_b multiplies d = 2a above it, which gives the doubled cross terms between blocks. The diagonal
   * blocks tile T[0, 2S) and are written, not added, so T needs no clearing beyond its top limb. */
  sqr(out: usize, a: usize): void {
    const s = this.limbs, blocks = this.blocks;
    const t = changetype<usize>(this.t), d = changetype<usize>(this.d);
    for (let b = 0; b < blocks; b++) kernelSquareBlock(limbPtr(t, 2 * b * KERNEL_BLOCK), limbPtr(a, b * KERNEL_BLOCK));
    setLimb(t, 2 * s, 0);
    doubleLimbs(limbPtr(d, KERNEL_BLOCK), limbPtr(a, KERNEL_BLOCK), s - KERNEL_BLOCK);
    for (let b = 0; b < blocks - 1; b++) {
      const at = b * KERNEL_BLOCK;
      kernelMulAdd(limbPtr(t, 2 * at + KERNEL_BLOCK), limbPtr(a, at), limbPtr(d, at + KERNEL_BLOCK), blocks - b - 1, false, 0);
    }
    this.reduce(out);
  }

  /** out = base^e mod n, fully reduced, for base < n (normalized limbs) and e >= 1. */
  pow(out: usize, base: usize, e: u64): void {
    const s = this.limbs;
    const top = 63 - <i32>clz<u64>(e);
    if (top == 0) {
      copyLimbs(out, base, s);
      return;
    }
    const xm = changetype<usize>(new StaticArray<u64>(s));
    this.reducer.mulR(xm, base);
    copyLimbs(out, xm, s);
    for (let i = top - 1; i >= 1; i--) {
      this.sqr(out, out);
      if (((e >> <u64>i) & 1) != 0) this.mul(out, out, xm);
    }
    this.sqr(out, out);
    if ((e & 1) != 0) {
      this.mul(out, out, base); // b^(e-1) R * b * R^-1 = b^e: leaves Montgomery form
    } else {
      const t = changetype<usize>(this.t);
      copyLimbs(t, out, s);
      zeroLimbs(limbPtr(t, s), s + 1);
      this.reduce(out);
    }
    // out < 2n here; one subtraction makes it canonical.
    const n = changetype<usize>(this.n);
    if (compareLimbs(out, n, s) >= 0) subLimbs(out, n, s);
  }

  /** Parses a big-endian value below n into fresh limbs; null if it is >= n. */
  limbsBelowModulus(bytes: Uint8Array): StaticArray<u64> | null {
    const v = new StaticArray<u64>(this.limbs);
    if (!limbsFromBytes(changetype<usize>(v), this.limbs, bytes, 0, bytes.length)) return null;
    if (compareLimbs(changetype<usize>(v), changetype<usize>(this.n), this.limbs) >= 0) return null;
    return v;
  }

  /** base^e mod n as big-endian bytes of the modulus length, for base from limbsBelowModulus, e >= 1. */
  powLimbsToBytes(base: StaticArray<u64>, e: u64): Uint8Array {
    const out = new StaticArray<u64>(this.limbs);
    this.pow(changetype<usize>(out), changetype<usize>(base), e);
    const bytes = new Uint8Array(this.byteLength);
    limbsToBytes(changetype<usize>(out), this.limbs, bytes);
    return bytes;
  }

  /** base^e mod n as big-endian bytes of the modulus length; null if base >= n or e is 0. */
  powBytes(base: Uint8Array, e: u64): Uint8Array | null {
    if (e == 0) return null;
    const b = this.limbsBelowModulus(base);
    if (b === null) return null;
    return this.powLimbsToBytes(b, e);
  }
}

/** Parses a public exponent: big-endian, leading zeros allowed, 1 <= e < 2^64; 0 if invalid. */
export function exponentFromBytes(bytes: Uint8Array): u64 {
  const first = firstNonzero(bytes);
  if (bytes.length - first > MAX_EXPONENT_BYTES) return 0;
  let e: u64 = 0;
  for (let i = first; i < bytes.length; i++) e = (e << 8) | <u64>unchecked(bytes[i]);
  return e;
}

/** base^exponent mod modulus, big-endian in and out (output has the modulus's length without leading
 * zeros). null when the modulus is even or outside 512..4096 bits, the exponent is 0 or longer than
 * 64 bits, or base >= modulus. */
export function modExp(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Uint8Array | null {
  const e = exponentFromBytes(exponent);
  if (e == 0) return null;
  const m = Montgomery.create(modulus);
  if (m === null) return null;
  return m.powBytes(base, e);
}
