// Division for entering Montgomery form: a * R mod n, with R = 2^(29*S) (see bignum.ts).
//
// This is the only division RSA verification needs, and done digit by digit it costs several times
// a modular multiplication (S^2 multiply-subtract steps with a carry each). So quotient digits are
// found a block of 24 at a time and the subtraction runs in the kernel of bignum-kernel.ts:
//   1. estimate the block quotient Q from the top ~29*24 bits of the remainder and of n, by a small
//      digit-by-digit division (divDigits) of ~50 limbs by ~25 limbs;
//   2. add Q * (2^(29S) - n) at the block position with the kernel: that subtracts Q * n and adds
//      Q just above the remainder, where it is simply dropped (the true remainder is below it).
// Every estimate rounds the divisor up and the dividend down, so it never exceeds the true quotient
// and the remainder never goes negative; it falls short by at most 2, which the next block absorbs.

import { KERNEL_BLOCK, ROW_LIMBS, kernelMulAdd, kernelSubMulRow } from "./bignum-kernel";
import {
  LIMB_BITS, LIMB_MASK, limbAt, setLimb, limbPtr, copyLimbs, zeroLimbs, compareLimbs, subLimbs,
  bitLengthOfLimbs, topBits, shiftedLimbs,
} from "./bignum-limbs";

// Digit estimates divide the top 63 bits of a remainder by the top 33 bits of the divisor, rounded up.
const DIGIT_WINDOW_BITS: i32 = 33;
// The block estimate keeps 29*24 + 5 bits of n: enough that its error adds well under one unit to
// the block quotient (see mulR).
const ESTIMATE_BITS: i32 = LIMB_BITS * KERNEL_BLOCK + 5;
// Limbs of the truncated divisor (ESTIMATE_BITS + 1 bits after rounding up) and of the truncated
// remainder (< 2^(58*24 + 7)), each with 4 zero limbs on top for topBits() reads.
const ESTIMATE_DIVISOR_LIMBS: i32 = (ESTIMATE_BITS + 1 + LIMB_BITS - 1) / LIMB_BITS + 4;
const ESTIMATE_REMAINDER_LIMBS: i32 = 2 * KERNEL_BLOCK + 8;

/** Schoolbook division, one 29-bit digit per step from digit topDigit down to 0: subtracts
 * q[j] * div * 2^(29j) from rem and stores q[j] (up to 2^31, not normalized). div has ROW_LIMBS
 * limbs and divBits bits; divTop = (top 33 bits of div) + 1. Requires rem < 2 * div * 2^(29(topDigit+1))
 * and topDigit + ROW_LIMBS + 6 limbs at rem. Each digit is at most the true one and short by at most
 * about 1.5 * div, which the next digit absorbs, so on return rem < 2 * div and the quotient is the
 * true one or one less. */
export function divDigits(rem: usize, div: usize, divBits: i32, divTop: u64, q: usize, topDigit: i32): void {
  for (let j = topDigit; j >= 0; j--) {
    const qj = topBits(rem, j * LIMB_BITS + divBits - DIGIT_WINDOW_BITS) / divTop;
    setLimb(q, j, qj);
    if (qj != 0) kernelSubMulRow(limbPtr(rem, j), div, qj);
  }
}

/** Precomputed state for reducing a * R modulo one n. */
export class BlockReducer {
  private readonly limbs: i32; // S
  private readonly bits: i32; // bits of n
  private readonly n: usize;
  private readonly nComplement: StaticArray<u64>; // 2^(29S) - n
  private readonly estDivisor: StaticArray<u64>; // floor(n / 2^(bits - ESTIMATE_BITS)) + 1
  private readonly estDivisorBits: i32;
  private readonly estDivisorTop: u64;
  private readonly rem: StaticArray<u64>;
  private readonly estRem: StaticArray<u64>;
  private readonly quotient: StaticArray<u64>;

  /** n: `limbs` normalized limbs (S, a multiple of KERNEL_BLOCK, n < 2^(29S) / 4), `bits` its length. */
  constructor(n: usize, limbs: i32, bits: i32) {
    this.limbs = limbs;
    this.bits = bits;
    this.n = n;
    const complement = new StaticArray<u64>(limbs);
    let borrow: i64 = 0;
    for (let i = 0; i < limbs; i++) {
      const v = borrow - <i64>limbAt(n, i);
      unchecked(complement[i] = <u64>v & LIMB_MASK);
      borrow = v >> LIMB_BITS;
    }
    this.nComplement = complement;
    const est = new StaticArray<u64>(ESTIMATE_DIVISOR_LIMBS);
    const p = changetype<usize>(est);
    shiftedLimbs(p, ESTIMATE_DIVISOR_LIMBS - 4, n, limbs, bits - ESTIMATE_BITS);
    // Round up (+1) so that the estimate's divisor exceeds the true one.
    let i = 0;
    let carry: u64 = 1;
    while (carry != 0) {
      const v = unchecked(est[i]) + carry;
      unchecked(est[i] = v & LIMB_MASK);
      carry = v >> <u64>LIMB_BITS;
      i++;
    }
    const estBits = bitLengthOfLimbs(p, ESTIMATE_DIVISOR_LIMBS);
    this.estDivisor = est;
    this.estDivisorBits = estBits;
    // The rows of divDigits have a fixed length: the divisor must fill exactly ROW_LIMBS limbs.
    assert((estBits + LIMB_BITS - 1) / LIMB_BITS == ROW_LIMBS);
    this.estDivisorTop = topBits(p, estBits - DIGIT_WINDOW_BITS) + 1;
    // S zero limbs, then a (S limbs), then room for the kernel's carry limb and topBits() reads.
    this.rem = new StaticArray<u64>(2 * limbs + KERNEL_BLOCK + 8);
    this.estRem = new StaticArray<u64>(ESTIMATE_REMAINDER_LIMBS);
    this.quotient = new StaticArray<u64>(KERNEL_BLOCK + 1);
  }

  /** out = a * 2^(29S) mod n (fully reduced) for a < n in S normalized limbs.
   * Block step at limb position J (from S - 24 down to 0), with R < C * n * 2^(29(J+24)), C <= 3:
   * let p = 29J + bits - E (E = ESTIMATE_BITS), X = R / 2^p and Y = n * 2^(29J) / 2^p >= 2^(E-1).
   * The small division gives Q >= floor(floor(X) / (floor(Y) + 1)) - 1 and Q <= floor(X / Y), and
   * X/Y - (X-1)/(Y+1) < X/Y^2 + 1/Y < C * 2^(29*24 - E + 1) + 1/Y <= 1/4 + 1/Y, so Q is at most 2
   * below floor(X / Y) = floor(R / (n 2^(29J))): afterwards R < 3 * n * 2^(29J), as the next block
   * requires. Initially R = a * 2^(29S) < n * 2^(29S), and at the end R < 3n. */
  mulR(out: usize, a: usize): void {
    const s = this.limbs;
    const rem = changetype<usize>(this.rem), remLimbs = this.rem.length;
    const estRem = changetype<usize>(this.estRem), q = changetype<usize>(this.quotient);
    zeroLimbs(rem, s);
    copyLimbs(limbPtr(rem, s), a, s);
    zeroLimbs(limbPtr(rem, 2 * s), remLimbs - 2 * s);
    for (let j = s - KERNEL_BLOCK; j >= 0; j -= KERNEL_BLOCK) {
      shiftedLimbs(estRem, ESTIMATE_REMAINDER_LIMBS, rem, remLimbs, j * LIMB_BITS + this.bits - ESTIMATE_BITS);
      divDigits(estRem, changetype<usize>(this.estDivisor), this.estDivisorBits, this.estDivisorTop, q, KERNEL_BLOCK);
      // Normalize Q into 24 limbs; the small top excess (Q < 3 * 2^(29*24)) stays in the top limb,
      // which the kernel's bounds allow (below 2^32).
      let carry: u64 = 0;
      for (let i = 0; i < KERNEL_BLOCK; i++) {
        const v = limbAt(q, i) + carry;
        setLimb(q, i, v & LIMB_MASK);
        carry = v >> <u64>LIMB_BITS;
      }
      const top = KERNEL_BLOCK - 1;
      setLimb(q, top, limbAt(q, top) + ((limbAt(q, KERNEL_BLOCK) + carry) << <u64>LIMB_BITS));
      // R + Q * (2^(29S) - n) * 2^(29J) = (R - Q n 2^(29J)) + Q 2^(29(S+J)); the first term is
      // below 2^(29(S+J)), so the limbs from S+J up hold exactly Q: drop them.
      kernelMulAdd(limbPtr(rem, j), q, changetype<usize>(this.nComplement), s / KERNEL_BLOCK, false, 0);
      zeroLimbs(limbPtr(rem, s + j), KERNEL_BLOCK + 1);
    }
    while (compareLimbs(rem, this.n, s) >= 0) subLimbs(rem, this.n, s);
    copyLimbs(out, rem, s);
  }
}
