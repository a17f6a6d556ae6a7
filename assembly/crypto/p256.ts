// P-256 (secp256r1, prime256v1; FIPS 186-5, SEC 2): the curve y^2 = x^3 - 3x + b over the prime field
// of fp256.ts, with a generator G of prime order n (cofactor 1). Used by Intel DCAP quotes (PCK
// certificates and the quoting enclave's signatures). This file binds the generic code of
// weierstrass.ts to the P-256 field, constants and scratch memory.
//
// The generator table. u1 * G is a fixed-base multiplication, so G's odd multiples 1G..127G (width-8
// wNAF, 64 affine points, 4.6 KB for P-256 and 6.6 KB for P-384) are precomputed. Computing them at
// run time and caching them per instance would cost 63 additions plus an inversion (about 0.5 M
// operators for P-256), and a CosmWasm contract runs every call in a fresh instance, so that cost
// would be paid on every call, more than a third of a verification. In the data segment the table
// costs module size only (11 KB for both curves against wasmd's 800 KB limit) and zero operators.
// A wider window would save a few more additions per verification (w = 10: about 5 of 28 for P-256)
// at four times the size; w = 8 is the knee. scripts/gen-ecdsa-field.mjs computes the table with
// BigInt, and tests/ecdsa.test.ts checks it against @noble/curves.
import { Fp256 } from "./fp256";
import { P256_B_MONT, P256_G_TABLE, P256_G_WINDOW, P256_N, P256_P_MINUS_N, P256_R2_MOD_N } from "./p256-table";
import { Curve, CURVE_SCRATCH_ELEMENTS } from "./weierstrass";

/** Limbs per field element and per scalar. */
export const P256_LIMBS: i32 = 9;
/** Bytes of a coordinate, of r and of s. */
export const P256_BYTES: i32 = 32;
/** Bit length of n (and of p). */
export const P256_BITS: i32 = 256;

// Working memory of the curve code (static: verification allocates nothing per operation).
const SCRATCH: usize = memory.data(CURVE_SCRATCH_ELEMENTS * P256_LIMBS * 4 + 2 * (30 * P256_LIMBS + 2));

export { P256_N, P256_R2_MOD_N, P256_P_MINUS_N };

/** A P-256 context for one verification (a few bytes; the working memory is static). */
export function p256Curve(): Curve<Fp256> {
  return new Curve<Fp256>(new Fp256(), P256_G_TABLE, P256_G_WINDOW, P256_B_MONT, SCRATCH);
}
