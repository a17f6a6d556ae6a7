// Prime-field arithmetic for the NIST curves P-256 and P-384: the representation and the cold helpers
// (byte conversion, canonical form, exponentiation) shared by both fields. The hot kernels (mul, sqr
// and the linear steps of the point formulas) are unrolled per prime in fp256.ts / fp384.ts, generated
// by scripts/gen-ecdsa-field.mjs; this header is their specification.
//
// Why 30-bit limbs. Wasm has a 64x64->64 multiply and no high half, so a product must fit in 64 bits
// whole. With 32-bit limbs each 32x32 product already fills a u64 and every addition needs a carry
// check (about 12 operators per product); with 30-bit limbs a whole column of 13 products plus the
// reduction terms fits in one u64 (13 * 2^60 < 2^63.8), so a product costs 4 operators (get, get,
// mul, add) and the carry is propagated once per column. P-256 takes 9 limbs, P-384 13.
//
// Montgomery form with R = 2^(30n) (2^270, 2^390). Both primes are -1 modulo 2^30 (P-256 modulo 2^96,
// P-384 modulo 2^32), so -p^-1 mod 2^30 = 1: the REDC multiplier of column k is the column's own low
// 30 bits (no multiplication), and adding m*p = m*(p+1) - m clears the column and adds m shifted into
// four later columns, because p + 1 has four signed power-of-two terms:
//   P-256: p + 1 = 2^256 - 2^224 + 2^192 + 2^96      P-384: p + 1 = 2^384 - 2^128 - 2^96 + 2^32
// The kernels scan products column by column and interleave these terms (product-scanning REDC).
// Negative terms would make a u64 column wrap, so columns from the first negative term on carry a
// bias B (2^45 for P-256, 2^40 for P-384: twice the largest subtracted amount) that is taken back as
// B / 2^30 from the next column; the last column, where the biases telescope to zero, holds the full
// non-negative value T + m*p. Columns stay below 2^64 (13 * 2^60 + 2^56 + B for P-384).
//
// Lazy reduction: elements are any value < R with normalized limbs (each < 2^30), not necessarily < p.
// REDC of a * b gives a * b / R + (something < p), so if a * b < k * R * p the result is < (k + 1) p:
// with R / p at least 2^6 (P-384; 2^14 for P-256) two inputs below 8p give a product below 2p. The
// point formulas (weierstrass.ts) keep every multiplication input within that budget, and the linear
// steps add multiples of p so that differences never go negative. Where a value would grow past the
// budget it is folded: the bits above 2^bits are multiplied by 2^bits - p (again a few signed powers
// of two) and added back, which leaves a congruent value below 2p. No step ever needs a comparison
// with p until the final equality tests, which are exact (see canonical and Fp*.isZero).
//
// Nothing here is secret (signature verification), so the helpers below may branch on values.

/** Bits per limb; limbs are stored as u32 words. */
export const LIMB_BITS: i32 = 30;
const LIMB_MASK: u32 = 0x3fffffff;
/** The most limbs of any element or scalar handled here (P-384). */
export const MAX_LIMBS: i32 = 13;

/** The integer 1 in limbs (enough limbs for either field). */
const PLAIN_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

// The generic helpers below take the kernel class as a type parameter F (Fp256 or Fp384); AS
// instantiates them per class, so every f.mul(...) is a direct call. F provides: limbs, bytes, p, r2,
// one, mul, sqr, fold, sub, add, isZero.

/** Big-endian bytes[start, start + length) into `limbs` limbs (a plain integer, no reduction). The
 * caller guarantees the range is in bounds and that 8 * length <= 30 * limbs. */
export function limbsFromBytes(out: usize, limbs: i32, bytes: Uint8Array, start: i32, length: i32): void {
  let acc: u64 = 0;
  let accBits: i32 = 0;
  let k: i32 = 0;
  for (let i = start + length - 1; i >= start; i--) {
    acc |= <u64>unchecked(bytes[i]) << <u64>accBits;
    accBits += 8;
    if (accBits >= LIMB_BITS) {
      store<u32>(out + (<usize>k << 2), <u32>acc & LIMB_MASK);
      k++;
      acc >>= LIMB_BITS;
      accBits -= LIMB_BITS;
    }
  }
  for (; k < limbs; k++) {
    store<u32>(out + (<usize>k << 2), <u32>acc);
    acc = 0;
  }
}

/** Writes a normalized plain integer below 2^(8 * length) as `length` big-endian bytes at out[start]. */
export function limbsToBytes(out: Uint8Array, start: i32, length: i32, a: usize, limbs: i32): void {
  let acc: u64 = 0;
  let accBits: i32 = 0;
  let k: i32 = 0;
  for (let i = start + length - 1; i >= start; i--) {
    if (accBits < 8) {
      if (k < limbs) acc |= <u64>load<u32>(a + (<usize>k << 2)) << <u64>accBits;
      k++;
      accBits += LIMB_BITS;
    }
    unchecked(out[i] = <u8>acc);
    acc >>= 8;
    accBits -= 8;
  }
}

/** Compares two normalized plain integers: negative, zero or positive as a <, =, > b. */
export function compareLimbs(a: usize, b: usize, limbs: i32): i32 {
  for (let k = limbs - 1; k >= 0; k--) {
    const x = load<u32>(a + (<usize>k << 2)), y = load<u32>(b + (<usize>k << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function isZeroLimbs(a: usize, limbs: i32): bool {
  let acc: u32 = 0;
  for (let k = 0; k < limbs; k++) acc |= load<u32>(a + (<usize>k << 2));
  return acc == 0;
}

export function copyLimbs(out: usize, a: usize, limbs: i32): void {
  for (let k = 0; k < limbs; k++) store<u32>(out + (<usize>k << 2), load<u32>(a + (<usize>k << 2)));
}

/** out = a - b for normalized plain integers with a >= b. */
export function subLimbs(out: usize, a: usize, b: usize, limbs: i32): void {
  let borrow: i64 = 0;
  for (let k = 0; k < limbs; k++) {
    const o = <usize>k << 2;
    const t = <i64>load<u32>(a + o) - <i64>load<u32>(b + o) + borrow;
    store<u32>(out + o, <u32>t & LIMB_MASK);
    borrow = t >> LIMB_BITS;
  }
}

/** out = a + b for normalized plain integers whose sum fits in `limbs` limbs. */
export function addLimbs(out: usize, a: usize, b: usize, limbs: i32): void {
  let carry: u64 = 0;
  for (let k = 0; k < limbs; k++) {
    const o = <usize>k << 2;
    const t = <u64>load<u32>(a + o) + <u64>load<u32>(b + o) + carry;
    store<u32>(out + o, <u32>t & LIMB_MASK);
    carry = t >> LIMB_BITS;
  }
}

/** out = the Montgomery form of a plain integer a < 2^bits. */
export function toMontgomery<F>(f: F, out: usize, a: usize): void {
  f.mul(out, a, f.r2);
}

/** out = the unique representative in [0, p) of any element a (still in Montgomery form). */
export function canonical<F>(f: F, out: usize, a: usize): void {
  f.fold(out, a); // now < 2p
  if (compareLimbs(out, f.p, f.limbs) >= 0) subLimbs(out, out, f.p, f.limbs);
}

/** out = a / R mod p in [0, p): the plain integer an element stands for. */
export function fromMontgomery<F>(f: F, out: usize, a: usize): void {
  f.mul(out, a, PLAIN_ONE);
  canonical(f, out, out);
}

/** Whether a = b (mod p); a and b are any elements. `scratch` holds one element. */
export function fieldEqual<F>(f: F, a: usize, b: usize, scratch: usize): bool {
  f.fold(scratch, b); // the subtraction below needs b < 4p
  f.sub(scratch, a, scratch);
  return f.isZero(scratch);
}

/** Exponentiation window: 4 bits, so 16 table entries (precomputed once per call) and one
 * multiplication per 4 squarings. */
const POW_WINDOW: i32 = 4;
const POW_TABLE: i32 = 1 << POW_WINDOW;
const POW_SCRATCH: usize = memory.data(POW_TABLE * MAX_LIMBS * 4);

/** out = a^e, with e given as big-endian bytes (a public exponent such as (p + 1) / 4). */
export function powBytes<F>(f: F, out: usize, a: usize, e: usize, eLength: i32): void {
  const size = <usize>f.limbs << 2;
  copyLimbs(POW_SCRATCH, f.one, f.limbs);
  copyLimbs(POW_SCRATCH + size, a, f.limbs);
  for (let i = 2; i < POW_TABLE; i++) f.mul(POW_SCRATCH + <usize>i * size, POW_SCRATCH + <usize>(i - 1) * size, a);
  copyLimbs(out, f.one, f.limbs);
  for (let i = 0; i < eLength; i++) {
    const byte = <u32>load<u8>(e + <usize>i);
    for (let half = 4; half >= 0; half -= 4) {
      for (let s = 0; s < POW_WINDOW; s++) f.sqr(out, out);
      const digit = (byte >> <u32>half) & 15;
      if (digit != 0) f.mul(out, out, POW_SCRATCH + <usize>digit * size);
    }
  }
}
