// P-384 (secp384r1; FIPS 186-5, SEC 2): the curve y^2 = x^3 - 3x + b over the prime field
// of fp384.ts, with a generator G of prime order n (cofactor 1). Used by AMD SEV-SNP (VCEK/ASK/ARK
// certificates and attestation reports) and NVIDIA GPU attestation. This file binds the generic code
// of weierstrass.ts to the P-384 field, constants and scratch memory; p256.ts explains why the
// generator table lives in the data segment.
import { Fp384 } from "./fp384";
import { P384_B_MONT, P384_G_TABLE, P384_G_WINDOW, P384_N, P384_P_MINUS_N, P384_R2_MOD_N } from "./p384-table";
import { Curve, CURVE_SCRATCH_ELEMENTS, WNAF_DIGIT_BYTES } from "./weierstrass";

/** Limbs per field element and per scalar. */
export const P384_LIMBS: i32 = 13;
/** Bytes of a coordinate, of r and of s. */
export const P384_BYTES: i32 = 48;
/** Bit length of n (and of p). */
export const P384_BITS: i32 = 384;

// Working memory of the curve code (static: verification allocates nothing per operation).
const SCRATCH: usize = memory.data(CURVE_SCRATCH_ELEMENTS * P384_LIMBS * 4 + 2 * WNAF_DIGIT_BYTES * (30 * P384_LIMBS + 2));

export { P384_N, P384_R2_MOD_N, P384_P_MINUS_N };

/** A P-384 context for one verification (a few bytes; the working memory is static). */
export function p384Curve(): Curve<Fp384> {
  return new Curve<Fp384>(new Fp384(), P384_G_TABLE, P384_G_WINDOW, P384_B_MONT, SCRATCH);
}
