// P-256 (secp256r1, prime256v1; FIPS 186-5, SEC 2): the curve y^2 = x^3 - 3x + b over the prime field
// of fp256.ts, with a generator G of prime order n (cofactor 1). Used by Intel DCAP quotes (PCK
// certificates and the quoting enclave's signatures). This file binds the generic code of
// weierstrass.ts to the P-256 field, constants and scratch memory.
//
// The generator table. u1 * G is a fixed-base multiplication, so G's odd multiples 1G..511G (width-10
// wNAF, 256 affine points, 18 KB for P-256 and 26 KB for P-384) are precomputed. Computing them at
// run time and caching them per instance would cost 255 additions plus an inversion, and a CosmWasm
// contract runs every call in a fresh instance, so that cost would be paid on every call. In the data
// segment the table costs module size only (44 KB for both curves against wasmd's 800 KB limit) and
// zero operators. Measured against w = 8 (64 points): w = 10 saves about 5 of 28 generator additions
// for P-256 and 8 of 43 for P-384 (about 2% of a verification each; P-384 verification dominates the
// gas of SEV-SNP and NVIDIA evidence). w = 12 would save 3 to 5 more at four times the size again. scripts/gen-ecdsa-field.mjs computes the table with
// BigInt, and tests/ecdsa.test.ts checks it against @noble/curves.
import { Fp256 } from "./fp256";
import { P256_B_MONT, P256_G_TABLE, P256_G_WINDOW, P256_N, P256_P_MINUS_N, P256_R2_MOD_N } from "./p256-table";
import { Curve, CURVE_SCRATCH_ELEMENTS, WNAF_DIGIT_BYTES } from "./weierstrass";

/** Limbs per field element and per scalar. */
export const P256_LIMBS: i32 = 9;
/** Bytes of a coordinate, of r and of s. */
export const P256_BYTES: i32 = 32;
/** Bit length of n (and of p). */
export const P256_BITS: i32 = 256;

// Working memory of the curve code (static: verification allocates nothing per operation).
const SCRATCH: usize = memory.data(CURVE_SCRATCH_ELEMENTS * P256_LIMBS * 4 + 2 * WNAF_DIGIT_BYTES * (30 * P256_LIMBS + 2));

export { P256_N, P256_R2_MOD_N, P256_P_MINUS_N };

/** A P-256 context for one verification (a few bytes; the working memory is static). */
export function p256Curve(): Curve<Fp256> {
  return new Curve<Fp256>(new Fp256(), P256_G_TABLE, P256_G_WINDOW, P256_B_MONT, SCRATCH);
}
