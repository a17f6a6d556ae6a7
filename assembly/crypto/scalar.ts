// Arithmetic modulo a curve's group order n, for the few scalar operations of an ECDSA verification:
// u1 = e * s^-1 and u2 = r * s^-1. The order has no special form and only three products are needed
// per verification (w R = s^-1 R^2 / R, then e (w R) / R and r (w R) / R), so this is a plain loop
// (operand-scanning Montgomery, CIOS) over the same 30-bit limbs as the fields, not an unrolled kernel;
// the inversion is modinv.ts. Public values only.
import { LIMB_BITS, MAX_LIMBS, compareLimbs, subLimbs } from "./field";

const MASK: i64 = 0x3fffffff;
/** The Montgomery accumulator: limbs + 1 i64 words. */
const T: usize = memory.data((MAX_LIMBS + 1) * 8);

/** -n^-1 mod 2^30 by Newton's iteration (n odd). */
function negInverse30(n: usize): i64 {
  const n0 = <i64>load<u32>(n);
  let inv = n0;
  for (let i = 0; i < 4; i++) inv = (inv * (2 - n0 * inv)) & MASK;
  return (-inv) & MASK;
}

/** out = a * b / R mod n in [0, n), R = 2^(30 * limbs); needs a * b < R * n (e.g. a < 2^(30 * limbs
 * - 14) and b < n, or both below n). out may alias a or b. */
export function montMulOrder(out: usize, a: usize, b: usize, n: usize, limbs: i32): void {
  const nPrime = negInverse30(n);
  const words = <usize>limbs << 3;
  const top = T + words; // T[limbs]
  for (let at = T; at <= top; at += 8) store<i64>(at, 0);
  const aEnd = a + (<usize>limbs << 2);
  for (let pa = a; pa < aEnd; pa += 4) {
    // T += a_i * b
    const ai = <i64>load<u32>(pa);
    let c: i64 = 0;
    let pb = b;
    for (let at = T; at < top; at += 8, pb += 4) {
      const t = load<i64>(at) + ai * <i64>load<u32>(pb) + c;
      store<i64>(at, t & MASK);
      c = t >> LIMB_BITS;
    }
    store<i64>(top, load<i64>(top) + c);
    // T = (T + m * n) / 2^30 with m chosen to clear limb 0.
    const m = (load<i64>(T) * nPrime) & MASK;
    c = (load<i64>(T) + m * <i64>load<u32>(n)) >> LIMB_BITS;
    let pn = n + 4;
    for (let at = T + 8; at < top; at += 8, pn += 4) {
      const t = load<i64>(at) + m * <i64>load<u32>(pn) + c;
      store<i64>(at - 8, t & MASK);
      c = t >> LIMB_BITS;
    }
    const t = load<i64>(top) + c;
    store<i64>(top - 8, t & MASK);
    store<i64>(top, t >> LIMB_BITS);
  }
  // T < 2n < R: the top word is zero; one conditional subtraction gives [0, n).
  for (let k = 0; k < limbs; k++) store<u32>(out + (<usize>k << 2), <u32>load<i64>(T + (<usize>k << 3)));
  if (compareLimbs(out, n, limbs) >= 0) subLimbs(out, out, n, limbs);
}
