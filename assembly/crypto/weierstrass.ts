// Point arithmetic on the short Weierstrass curves y^2 = x^3 - 3x + b (P-256, P-384) and the double
// scalar multiplication u1 * G + u2 * Q of ECDSA verification, generic over the field kernel F
// (fp256.ts or fp384.ts; AS instantiates the class per field, so all field calls are direct).
//
// Coordinates. Jacobian (X, Y, Z) for x = X / Z^2, y = Y / Z^3: no inversion until the end, and with
// a = -3 a doubling is 4M + 4S (dbl-2001-b with Z3 = 2YZ, which is cheaper here than the (Y + Z)^2
// variant because every linear step is a limb pass). Adding an affine point is 8M + 3S (madd-2004-hmv);
// no Jacobian + Jacobian addition is needed (buildQTable). The point at infinity has no coordinates:
// the scalar multiplication tracks it with a flag, so no formula ever sees it as input.
//
// Exceptional cases. The addition formulas divide by nothing but fail when the inputs are equal
// (they return (0, 0, 0)) or opposite. An adversary chooses Q and the signature, so intermediate sums
// can hit those cases; every addition therefore checks H = U2 - U1 = 0 exactly (mod p) and then either
// doubles (R = 0, same point) or returns infinity (opposite points). Doubling a point with Y = 0 cannot
// happen: the curves have prime order, so no point of order 2 exists.
//
// Bounds (field.ts: a product is < 2p when its inputs multiply to < 64 p^2, the P-384 budget; P-256
// has R / p = 2^14, so its inputs may multiply to ~10^4 p^2). P-384 keeps every point at X < 2p,
// Y < 4p, Z < 4p, folding X3 and Y3 of a doubling and X3 of an addition. P-256 skips those folds
// (each costs a second carry pass): its points stay below X < 18p, Y < 18p, Z < 4p, and the linear
// steps add correspondingly larger multiples of p (fp256.ts documents each). Affine table points are
// < p (G) or < 2p (Q). The products whose result feeds a linear combination (X3 and Y3 of both
// formulas) are fused kernels (Fp*.sqrDblX3 etc.): the combination rides in the product's own carry
// chain.
//
// Scalar multiplication: Straus-Shamir with width-w NAF (wNAF) recoding of both scalars. Doublings are
// shared, so the cost is bits doublings plus about bits / (w + 1) additions per scalar. The generator
// is fixed, so its odd multiples come precomputed (affine, data segment, w = 10: 256 points); the
// public key's are computed per call (w = 5: Q, 3Q, ..., 15Q, 1 doubling and 7 mixed additions on an
// isomorphic curve) and made affine with one inversion (modinv.ts) and a few multiplications per
// point, so both scalars use the cheaper mixed addition. Nothing is secret, so the recoding and the
// loop branch freely.
import { canonical, copyLimbs, fieldEqual, fromMontgomery, isZeroLimbs, limbsFromBytes, powBytes, toMontgomery, compareLimbs } from "./field";
import { modInverse } from "./modinv";

/** wNAF width for the public key's scalar: a table of 2^(Q_WINDOW - 2) = 8 points. */
export const Q_WINDOW: i32 = 5;
const Q_TABLE_POINTS: i32 = 1 << (Q_WINDOW - 2);
/** Field-element temporaries used by the formulas. */
const TEMPS: i32 = 16;

/** Field elements of scratch a Curve needs: the temporaries, the accumulator (3), Q (2), Q's table
 * (3 per point: Jacobian, then affine in place) and the Z ratios of its additions (1 per point). */
export const CURVE_SCRATCH_ELEMENTS: i32 = TEMPS + 3 + 2 + 4 * Q_TABLE_POINTS;
// After them come two wNAF digit buffers of 30 * limbs + 2 digits each (scalars of up to 30 * limbs bits).

/** Bytes per wNAF digit: i16, since the generator's width-10 digits reach +-511. */
export const WNAF_DIGIT_BYTES: i32 = 2;

export class Curve<F> {
  private readonly size: usize; // bytes per element
  private readonly limbs: i32;
  private readonly temps: usize;
  readonly acc: usize; // the running point (X, Y, Z)
  readonly qx: usize; // the public key, affine
  readonly qy: usize;
  private readonly qTable: usize;
  private readonly ratios: usize; // H(i) = Z'(i) / Z'(i - 1) of the table's additions (buildQTable)
  private readonly digits1: usize;
  private readonly digits2: usize;

  constructor(
    readonly f: F,
    /** Affine odd multiples of G, x then y per point. */
    private readonly gTable: usize,
    private readonly gWindow: i32,
    /** b in Montgomery form. */
    private readonly b: usize,
    scratch: usize,
  ) {
    this.limbs = f.limbs;
    this.size = <usize>f.limbs << 2;
    const size = this.size;
    this.temps = scratch;
    this.acc = scratch + size * TEMPS;
    this.qx = this.acc + size * 3;
    this.qy = this.qx + size;
    this.qTable = this.qy + size;
    this.ratios = this.qTable + size * 3 * Q_TABLE_POINTS;
    this.digits1 = this.ratios + size * Q_TABLE_POINTS;
    this.digits2 = this.digits1 + <usize>(WNAF_DIGIT_BYTES * (30 * f.limbs + 2));
  }

  @inline private t(i: i32): usize { return this.temps + <usize>i * this.size; }

  // ------------------------------------------------------------------------------------------------
  // Formulas. `out` may alias the input point.

  /** out = 2p. */
  dbl(out: usize, p: usize): void {
    const f = this.f, s = <usize>f.limbs << 2, tmp = this.temps; // s is a constant of F
    const x = p, y = p + s, z = p + 2 * s;
    const delta = tmp, gamma = tmp + 1 * s, beta = tmp + 2 * s, t0 = tmp + 4 * s;
    const t1 = tmp + 5 * s, alpha = tmp + 6 * s, gamma2 = tmp + 10 * s;
    f.sqr(delta, z); // Z^2 < 2p
    f.sqr(gamma, y); // Y^2 < 2p
    f.mul(beta, x, gamma); // < 2p
    f.mulDbl(out + 2 * s, y, z); // Z3 = 2YZ < 4p (y and z are not read again)
    f.dblPrep(t0, t1, x, delta); // t0 = 3(X - delta) + 6p, t1 = X + delta
    f.mul(alpha, t0, t1); // alpha = 3(X - delta)(X + delta): 12p * 4p (P-256 60p * 20p) -> < 2p
    f.sqrDblX3(out, alpha, beta); // X3 = alpha^2 - 8 beta (P-384 folded < 2p, P-256 < 18p)
    f.sqr(gamma2, gamma);
    // Y3 = alpha u - 8 gamma^2 with u = 4 beta - X3 + kp formed in the kernel (P-384 folded < 2p, P-256 < 18p)
    f.mulDblY3(out + s, alpha, beta, out, gamma2);
  }

  /** out = p + (qx, qy) (negated if `negate`) for an affine point below 2p (the Q table's entries
   * are products, not reduced further). Returns true if the sum is the point at infinity (then out
   * is unspecified). */
  madd(out: usize, p: usize, qx: usize, qy: usize, negate: bool): bool {
    const f = this.f, s = <usize>f.limbs << 2, tmp = this.temps; // s is a constant of F
    const x1 = p, y1 = p + s, z1 = p + 2 * s;
    const zz = tmp, u2 = tmp + 1 * s, s2 = tmp + 2 * s, h = tmp + 3 * s, r = tmp + 4 * s;
    f.sqr(zz, z1);
    f.mul(u2, qx, zz);
    f.mul(s2, qy, z1);
    f.mul(s2, s2, zz);
    if (negate) f.addHRNeg(h, r, u2, x1, s2, y1); // h = U2 - X1 + kp, r = -S2 - Y1 + kp (fp*.ts)
    else f.addHR(h, r, u2, x1, s2, y1); // r = S2 - Y1 + kp
    return this.finishAdd(out, p, x1, y1, z1, h, r);
  }

  /** The tail of the mixed addition, from U1 (x1), S1 (y1), the Z factor z1, H and R:
   * X3 = R^2 - H^3 - 2 U1 H^2, Y3 = R (U1 H^2 - X3) - S1 H^3, Z3 = z1 H. */
  private finishAdd(out: usize, p: usize, x1: usize, y1: usize, z1: usize, h: usize, r: usize): bool {
    const f = this.f, s = <usize>f.limbs << 2, tmp = this.temps; // s is a constant of F
    if (f.isZero(h)) {
      if (!f.isZero(r)) return true; // opposite points
      this.dbl(out, p); // equal points
      return false;
    }
    const hh = tmp + 8 * s, hhh = tmp + 9 * s, v = tmp + 10 * s, w = tmp + 12 * s, shhh = tmp + 14 * s;
    f.sqr(hh, h); // 16p^2 -> < 2p
    f.mul(hhh, h, hh);
    f.mul(v, x1, hh);
    f.mul(shhh, y1, hhh); // S1 H^3 (y1 < 4p)
    f.mul(out + 2 * s, z1, h); // Z3 < 2p; z1 is read before out's Z is written
    f.sqrAddX3(out, r, hhh, v); // X3 = R^2 - H^3 - 2V (P-384 folded < 2p, P-256 < 8p)
    f.addW(w, v, out); // w = V - X3 + kp (< 4p, P-256 < 10p)
    f.mulAddY3(out + s, r, w, shhh); // Y3 = R w - S1 H^3 + 2p < 4p
    return false;
  }

  // ------------------------------------------------------------------------------------------------
  // Keys

  /** Decodes a SEC1 public key (0x04 || x || y, or 0x02/0x03 || x) into qx, qy (Montgomery form,
   * canonical). Rejects other prefixes (the infinity encoding 0x00, hybrid 0x06/0x07), lengths,
   * coordinates >= p and points off the curve. */
  decodePoint(key: Uint8Array): bool {
    const f = this.f, n = this.limbs, bytes = f.bytes;
    const x = this.t(0), y = this.t(1), rhs = this.t(2), yy = this.t(3);
    if (key.length == 1 + 2 * bytes && unchecked(key[0]) == 0x04) {
      limbsFromBytes(x, n, key, 1, bytes);
      limbsFromBytes(y, n, key, 1 + bytes, bytes);
      if (compareLimbs(x, f.p, n) >= 0 || compareLimbs(y, f.p, n) >= 0) return false;
      toMontgomery(f, this.qx, x);
      toMontgomery(f, this.qy, y);
      this.curveRhs(rhs, this.qx);
      f.sqr(yy, this.qy);
      if (!fieldEqual(f, yy, rhs, this.t(4))) return false;
    } else if (key.length == 1 + bytes && (unchecked(key[0]) == 0x02 || unchecked(key[0]) == 0x03)) {
      limbsFromBytes(x, n, key, 1, bytes);
      if (compareLimbs(x, f.p, n) >= 0) return false;
      toMontgomery(f, this.qx, x);
      this.curveRhs(rhs, this.qx);
      powBytes(f, this.qy, rhs, f.sqrtExponent, f.sqrtExponentLength);
      f.sqr(yy, this.qy);
      if (!fieldEqual(f, yy, rhs, this.t(4))) return false; // x^3 - 3x + b is not a square
      fromMontgomery(f, y, this.qy);
      const odd = (load<u32>(y) & 1) != 0;
      if (odd != (unchecked(key[0]) == 0x03)) {
        if (isZeroLimbs(y, n)) return false; // y = 0 has no odd twin (and no such point exists)
        f.neg(this.qy, this.qy);
      }
    } else {
      return false;
    }
    canonical(f, this.qx, this.qx);
    canonical(f, this.qy, this.qy);
    return true;
  }

  /** out = x^3 - 3x + b (folded, < 2p) for x < p. */
  private curveRhs(out: usize, x: usize): void {
    const f = this.f;
    const t = this.t(5), x3 = this.t(6);
    f.sqr(t, x);
    f.mul(x3, t, x); // x^3 < 2p
    f.add(t, x, x);
    f.add(t, t, x);
    f.fold(t, t); // 3x, < 2p
    f.sub(out, x3, t); // x^3 - 3x + 4p < 6p
    f.add(out, out, this.b);
    f.fold(out, out);
  }

  // ------------------------------------------------------------------------------------------------
  // u1 * G + u2 * Q

  /** Builds the affine table Q, 3Q, ..., 15Q from the decoded key (qx, qy). Returns false only if
   * the inversion fails, which a point of prime order cannot cause.
   *
   * The odd multiples come from repeated additions of D = 2Q. D is Jacobian (X, Y, Z), but on the
   * isomorphic curve E': y^2 = x^3 + a Z^4 x + b Z^6, reached by (x, y) -> (x Z^2, y Z^3), D is the
   * affine point (X, Y) and Q is (qx Z^2, qy Z^3): the additions there are mixed (8M + 3S instead of
   * 12M + 4S; addition formulas do not involve a or b, and no doubling happens on E'). A sum's Z is
   * the previous Z times H, so Z'(i) = H(1) ... H(i) are already the prefix products of a batch
   * inversion: one inversion of Z'(7) Z gives 1 / (Z'(i) Z) for every i by multiplying the H's back
   * in, and (X', Y', Z') on E' is the point (X' / (Z' Z)^2, Y' / (Z' Z)^3) of the real curve. */
  private buildQTable(): bool {
    const f = this.f, s = this.size, n = this.limbs;
    const table = this.qTable, point = s * 3;
    const dx = this.acc, dy = this.acc + s, dz = this.acc + 2 * s; // D = 2Q, Jacobian
    copyLimbs(table, this.qx, n);
    copyLimbs(table + s, this.qy, n);
    copyLimbs(table + 2 * s, f.one, n);
    this.dbl(this.acc, table);
    // T'(0) = Q on E' (Z' = 1).
    const zz = this.t(5), zzz = this.t(6);
    f.sqr(zz, dz);
    f.mul(zzz, zz, dz);
    f.mul(table, table, zz);
    f.mul(table + s, table + s, zzz);
    for (let i = 1; i < Q_TABLE_POINTS; i++) {
      const cur = table + <usize>i * point;
      // No exceptional case: (2i - 1)Q != +-2Q for a point of prime order (on E' as on the curve).
      this.madd(cur, cur - point, dx, dy, false);
      copyLimbs(this.ratios + <usize>i * s, this.t(3), n); // H(i) = Z'(i) / Z'(i - 1) (madd's h)
    }
    // inv = 1 / (Z'(i) Z), from i = 7 down to 1; T(0) is Q itself.
    const inv = this.t(5), zi2 = this.t(6), zi3 = this.t(7);
    f.mul(inv, table + <usize>(Q_TABLE_POINTS - 1) * point + 2 * s, dz);
    if (!this.invert(inv, inv)) return false;
    for (let i = Q_TABLE_POINTS - 1; i >= 1; i--) {
      const cur = table + <usize>i * point;
      f.sqr(zi2, inv);
      f.mul(zi3, zi2, inv);
      f.mul(cur, cur, zi2); // x = X' / (Z' Z)^2 < 2p
      f.mul(cur + s, cur + s, zi3); // y = Y' / (Z' Z)^3 < 2p
      if (i > 1) f.mul(inv, inv, this.ratios + <usize>i * s); // 1 / (Z'(i - 1) Z)
    }
    copyLimbs(table, this.qx, n);
    copyLimbs(table + s, this.qy, n);
    return true;
  }

  /** out = a^-1 (Montgomery form in and out); false if a = 0 mod p. */
  private invert(out: usize, a: usize): bool {
    const f = this.f, n = this.limbs;
    const plain = this.t(4);
    canonical(f, plain, a); // the integer aR mod p
    if (!modInverse(out, plain, f.p, n)) return false; // a^-1 R^-1
    f.mul(out, out, f.r2); // a^-1
    f.mul(out, out, f.r2); // a^-1 R
    return true;
  }

  /** Computes u1 * G + u2 * Q into acc (Jacobian) for plain scalars u1, u2 < n (bits long at most),
   * with Q the decoded key. Returns false if the result is the point at infinity. */
  mulAdd(u1: usize, u2: usize, bits: i32): bool {
    const s = this.size, n = this.limbs;
    if (!this.buildQTable()) return false;
    const len = bits + 1;
    const top1 = wnaf(this.digits1, u1, n, len, this.gWindow);
    const top2 = wnaf(this.digits2, u2, n, len, Q_WINDOW);
    const point = s * 3;
    let infinity = true;
    for (let i = max(top1, top2); i >= 0; i--) {
      if (!infinity) this.dbl(this.acc, this.acc);
      const d1 = <i32>load<i16>(this.digits1 + (<usize>i << 1));
      if (d1 != 0) {
        const at = this.gTable + <usize>((abs(d1) - 1) >> 1) * 2 * s;
        infinity = this.addAffine(at, at + s, d1 < 0, infinity);
      }
      const d2 = <i32>load<i16>(this.digits2 + (<usize>i << 1));
      if (d2 != 0) {
        const at = this.qTable + <usize>((abs(d2) - 1) >> 1) * point;
        infinity = this.addAffine(at, at + s, d2 < 0, infinity);
      }
    }
    return !infinity;
  }

  /** acc += (x, +-y); returns whether acc is now infinity. */
  private addAffine(x: usize, y: usize, negate: bool, infinity: bool): bool {
    const f = this.f, s = this.size, n = this.limbs;
    if (!infinity) return this.madd(this.acc, this.acc, x, y, negate);
    copyLimbs(this.acc, x, n);
    if (negate) f.neg(this.acc + s, y);
    else copyLimbs(this.acc + s, y, n);
    copyLimbs(this.acc + 2 * s, f.one, n);
    return false;
  }

  /** Whether the affine x of acc, reduced mod n, is r: x = r or x = r + n (when r + n < p). The
   * check is X = r Z^2 (mod p), which needs no inversion. pMinusN = p - n; r < n, plain. */
  xEqualsModOrder(r: usize, order: usize, pMinusN: usize): bool {
    const f = this.f, s = this.size, n = this.limbs;
    const zz = this.t(0), rm = this.t(1), rzz = this.t(2), scratch = this.t(3), rn = this.t(4);
    f.sqr(zz, this.acc + 2 * s);
    toMontgomery(f, rm, r);
    f.mul(rzz, rm, zz);
    if (fieldEqual(f, this.acc, rzz, scratch)) return true;
    // r + n < p iff r < p - n.
    if (compareLimbs(r, pMinusN, n) >= 0) return false;
    addPlain(rn, r, order, n);
    toMontgomery(f, rm, rn);
    f.mul(rzz, rm, zz);
    return fieldEqual(f, this.acc, rzz, scratch);
  }
}

function addPlain(out: usize, a: usize, b: usize, limbs: i32): void {
  let c: u32 = 0;
  for (let k = 0; k < limbs; k++) {
    const o = <usize>k << 2;
    const t = load<u32>(a + o) + load<u32>(b + o) + c;
    store<u32>(out + o, t & 0x3fffffff);
    c = t >> 30;
  }
}

/** Width-w NAF of the plain scalar k (30-bit limbs, k < 2^(length - 1)): digits[i] (i16) is 0 or odd
 * with |digit| < 2^(w-1), and k = sum digits[i] 2^i. Writes `length` digits (the buffer holds at least
 * length rounded up to 4); returns the index of the highest nonzero digit (-1 for k = 0). One pass over
 * the bits: a set bit (after the carry) starts a window of w bits, taken as negative when its top bit
 * is set, which carries into the next bits; a run of bits equal to the carry (zero digits) is skipped
 * at once with a count of trailing zeros. */
function wnaf(digits: usize, k: usize, limbs: i32, length: i32, w: i32): i32 {
  for (let i = 0; i < length; i += 4) store<u64>(digits + (<usize>i << 1), 0);
  const windowMask: u64 = (<u64>1 << <u64>w) - 1;
  let carry: u32 = 0;
  let top: i32 = -1;
  let limb: i32 = 0, shift: i32 = 0; // bit i is bit `shift` of limb `limb`
  let i: i32 = 0;
  while (i < length) {
    // The next 30 - shift bits of k from the current limb, plus the following limb above them.
    let bits = <u64>load<u32>(k + (<usize>limb << 2)) >> <u64>shift;
    let valid: i32 = 64; // bits of the window that are bits of k (above the last limb, k is 0)
    if (limb + 1 < limbs) {
      bits |= <u64>load<u32>(k + (<usize>(limb + 1) << 2)) << <u64>(30 - shift);
      valid = 60 - shift;
    }
    if ((<u32>bits & 1) == carry) {
      // Zero digits while the bits equal the carry (0 with no carry, 1 with one: 2^j - 1 + 1 carries on).
      let run = <i32>ctz(carry != 0 ? ~bits : bits);
      if (run > valid) run = valid;
      i += run;
      shift += run;
      while (shift >= 30) { shift -= 30; limb++; }
      continue;
    }
    let word = <i32>((bits & windowMask) + <u64>carry);
    carry = <u32>(word >> (w - 1)) & 1;
    word -= <i32>carry << w;
    store<i16>(digits + (<usize>i << 1), <i16>word);
    top = i;
    i += w;
    shift += w;
    if (shift >= 30) { shift -= 30; limb++; }
  }
  return top;
}
