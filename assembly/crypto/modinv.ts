// Modular inversion by Bernstein-Yang "divsteps" (Fast constant-time gcd computation and modular
// inversion, 2019), in its variable-time form: ECDSA verification inverts public values only (s modulo
// the group order, and one field element to make the table of the public key affine).
//
// Why not Fermat (x^(m-2)): that costs a full exponentiation, about 300-450 modular multiplications,
// and the group order n has no special form, so no fast kernel exists for it. Why not the textbook
// binary extended gcd: it touches every limb of four big numbers for each bit it removes (hundreds
// of passes). Divsteps only look at the low 64 bits of f and g to decide 30 steps at a time, recorded
// in a 2x2 matrix with entries of at most 2^30, then apply that matrix once to the full-size values:
// about 2 * bits / 30 batches of a few limb passes each.
//
// One divstep on (delta, f, g), f odd:
//   delta > 0 and g odd:  (delta, f, g) <- (1 - delta, g, (g - f) / 2)
//   g odd:                (delta, f, g) <- (1 + delta, f, (g + f) / 2)
//   g even:               (delta, f, g) <- (1 + delta, f, g / 2)
// gcd(f, g) is invariant up to sign and g reaches 0 (within (49 * bits + 80) / 17 steps), leaving
// f = +-gcd. Starting from f = m, g = x and tracking d, e with d * x = f, e * x = g (mod m), the end
// state gives x^-1 = +-d. The matrix [[u, v], [q, r]] of a batch satisfies 2^30 (f', g') = (u f + v g,
// q f + r g); d and e get the same matrix, made divisible by 2^30 by adding a multiple of m.
//
// Big values are signed: 30-bit limbs in i64 words, all in [0, 2^30) except the top one, which
// carries the sign. Products of a matrix entry and a limb stay below 2^60, sums of three below 2^62.
import { LIMB_BITS, MAX_LIMBS } from "./field";

const MASK: i64 = 0x3fffffff;
const BATCH: i32 = 30; // divsteps per matrix; entries stay within 2^30 so products fit in i64

// The five big values interleaved per limb, so one pointer walks them all with constant offsets:
// limb k of f, g, d, e and the modulus m at STATE + k * RECORD + {F, G, D, E, M}.
const F: usize = 0, G: usize = 8, D: usize = 16, E: usize = 24, M: usize = 32;
const RECORD: usize = 40;
const STATE: usize = memory.data(MAX_LIMBS * <i32>RECORD);

// The batch matrix (written by divsteps, read by the limb passes).
let mu: i64 = 0, mv: i64 = 0, mq: i64 = 0, mr: i64 = 0;

// @ts-ignore: decorator
@inline function limb(field: usize, k: i32): i64 { return load<i64>(STATE + <usize>k * RECORD + field); }
// @ts-ignore: decorator
@inline function setLimb(field: usize, k: i32, v: i64): void { store<i64>(STATE + <usize>k * RECORD + field, v); }

/** The low 64 bits of a signed limb value (limbs 0..2 are never the top one here). */
// @ts-ignore: decorator
@inline function low64(field: usize): i64 {
  return limb(field, 0) | (limb(field, 1) << 30) | (limb(field, 2) << 60);
}

/** Runs BATCH divsteps on the low bits of f and g; returns the new delta and sets the matrix.
 * An odd step is split as: if delta > 0, swap (delta, f, g) <- (-delta, g, -f); then g <- g + f, which
 * is even, and its halving is taken together with the run of even steps that may follow (one ctz). */
function divsteps(delta: i32, f: i64, g: i64): i32 {
  let u: i64 = 1, v: i64 = 0, q: i64 = 0, r: i64 = 1; // 2^i (f, g) = (u f0 + v g0, q f0 + r g0)
  let i: i32 = 0;
  while (true) {
    // Halvings: g even (at the start, or right after g += f, which always leaves at least one).
    let k = <i32>ctz(g);
    if (k > BATCH - i) k = BATCH - i;
    g >>= k;
    u <<= k;
    v <<= k;
    delta += k;
    i += k;
    if (i == BATCH) break;
    // g is odd.
    if (delta > 0) {
      delta = -delta;
      const t = f;
      f = g;
      g = -t;
      const tu = u, tv = v;
      u = q;
      v = r;
      q = -tu;
      r = -tv;
    }
    g += f;
    q += u;
    r += v;
  }
  mu = u; mv = v; mq = q; mr = r;
  return delta;
}

/** (f, g) <- matrix * (f, g) / 2^30 (exact). */
function updateFG(limbs: i32): void {
  const u = mu, v = mv, q = mq, r = mr;
  let at = STATE;
  const f0 = load<i64>(at, F), g0 = load<i64>(at, G);
  let cf = (u * f0 + v * g0) >> 30;
  let cg = (q * f0 + r * g0) >> 30;
  const end = STATE + <usize>limbs * RECORD;
  for (let next = at + RECORD; next < end; at = next, next += RECORD) {
    const fk = load<i64>(next, F), gk = load<i64>(next, G);
    cf += u * fk + v * gk;
    cg += q * fk + r * gk;
    store<i64>(at, cf & MASK, F);
    store<i64>(at, cg & MASK, G);
    cf >>= 30;
    cg >>= 30;
  }
  store<i64>(at, cf, F);
  store<i64>(at, cg, G);
}

/** (d, e) <- (matrix * (d, e) + (md, me) * m) / 2^30, with md, me chosen to make it exact; then each
 * is brought back into [0, m). mInv = m^-1 mod 2^30. */
function updateDE(limbs: i32, mInv: i64): void {
  const u = mu, v = mv, q = mq, r = mr;
  let at = STATE;
  const d0 = load<i64>(at, D), e0 = load<i64>(at, E), m0 = load<i64>(at, M);
  let cd = u * d0 + v * e0;
  let ce = q * d0 + r * e0;
  const md = (-(cd & MASK) * mInv) & MASK;
  const me = (-(ce & MASK) * mInv) & MASK;
  cd = (cd + md * m0) >> 30;
  ce = (ce + me * m0) >> 30;
  const end = STATE + <usize>limbs * RECORD;
  for (let next = at + RECORD; next < end; at = next, next += RECORD) {
    const dk = load<i64>(next, D), ek = load<i64>(next, E), mk = load<i64>(next, M);
    cd += u * dk + v * ek + md * mk;
    ce += q * dk + r * ek + me * mk;
    store<i64>(at, cd & MASK, D);
    store<i64>(at, ce & MASK, E);
    cd >>= 30;
    ce >>= 30;
  }
  store<i64>(at, cd, D);
  store<i64>(at, ce, E);
  normalize(D, limbs);
  normalize(E, limbs);
}

/** Brings x from (-m, 2m) into [0, m). */
function normalize(x: usize, limbs: i32): void {
  if (limb(x, limbs - 1) < 0) {
    addSub(x, limbs, 1);
  } else if (compareM(x, limbs) >= 0) {
    addSub(x, limbs, -1);
  }
}

/** x += sign * m, with carries. */
function addSub(x: usize, limbs: i32, sign: i64): void {
  let c: i64 = 0;
  const top = STATE + <usize>(limbs - 1) * RECORD;
  for (let at = STATE; at < top; at += RECORD) {
    c += load<i64>(at + x) + sign * load<i64>(at, M);
    store<i64>(at + x, c & MASK);
    c >>= 30;
  }
  store<i64>(top + x, load<i64>(top + x) + sign * load<i64>(top, M) + c);
}

function compareM(x: usize, limbs: i32): i32 {
  for (let at = STATE + <usize>(limbs - 1) * RECORD; at >= STATE; at -= RECORD) {
    const a = load<i64>(at + x), b = load<i64>(at, M);
    if (a != b) return a < b ? -1 : 1;
  }
  return 0;
}

function isZeroG(limbs: i32): bool {
  if (low64(G) != 0) return false; // the usual case, decided by the low limbs
  let acc: i64 = 0;
  for (let k = 0; k < limbs; k++) acc |= limb(G, k);
  return acc == 0;
}

/** Whether f is +1 (returns 1), -1 (returns -1) or anything else (0). */
function unitSign(limbs: i32): i32 {
  let lowOr: i64 = 0, lowAnd: i64 = MASK;
  for (let k = 1; k < limbs - 1; k++) {
    lowOr |= limb(F, k);
    lowAnd &= limb(F, k);
  }
  const f0 = limb(F, 0), top = limb(F, limbs - 1);
  if (f0 == 1 && lowOr == 0 && top == 0) return 1;
  if (f0 == MASK && lowAnd == MASK && top == -1) return -1;
  return 0;
}

/** out = x^-1 mod m, for normalized plain integers (u32 limbs) with m odd, 0 < x < m, limbs <= 13.
 * Returns false if x is not invertible (x = 0 or gcd(x, m) > 1). */
export function modInverse(out: usize, x: usize, m: usize, limbs: i32): bool {
  for (let k = 0; k < limbs; k++) {
    const o = <usize>k << 2;
    setLimb(M, k, <i64>load<u32>(m + o));
    setLimb(F, k, <i64>load<u32>(m + o));
    setLimb(G, k, <i64>load<u32>(x + o));
    setLimb(D, k, 0);
    setLimb(E, k, k == 0 ? 1 : 0);
  }
  // m^-1 mod 2^30 by Newton's iteration (each step doubles the correct low bits, from 3).
  const m0 = limb(M, 0);
  let mInv = m0;
  for (let i = 0; i < 4; i++) mInv = (mInv * (2 - m0 * mInv)) & MASK;

  const bits = limbs * LIMB_BITS;
  const maxBatches = (49 * bits + 80) / 17 / BATCH + 1;
  let delta: i32 = 1;
  let done = isZeroG(limbs);
  for (let b = 0; b < maxBatches && !done; b++) {
    delta = divsteps(delta, low64(F), low64(G));
    updateFG(limbs);
    updateDE(limbs, mInv);
    done = isZeroG(limbs);
  }
  const sign = done ? unitSign(limbs) : 0;
  if (sign == 0) return false;
  if (sign < 0) {
    // x^-1 = -d = m - d (d is in [0, m) and nonzero here).
    let c: i64 = 0;
    for (let k = 0; k < limbs; k++) {
      c += limb(M, k) - limb(D, k);
      setLimb(D, k, c & MASK);
      c >>= 30;
    }
  }
  for (let k = 0; k < limbs; k++) store<u32>(out + (<usize>k << 2), <u32>limb(D, k));
  return true;
}
