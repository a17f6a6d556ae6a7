// ECDSA verification with chosen scalars u1 = e / s and u2 = r / s (assembly/crypto/weierstrass.ts):
// signatures are built backwards from u1, u2 and a key of known discrete log, so the double scalar
// multiplication sees bit patterns that random signatures almost never produce: long runs of ones
// and zeros (the wNAF recoding skips runs and carries through them), a zero u1 (digest 0: no
// generator additions), u1 or u2 = 1, n - 1, powers of two and alternating bits, with keys that are
// small multiples of G (the public key's table of odd multiples is then built from tiny points) or
// close to -G. Every such signature must verify and its one-bit corruptions must not (@noble/curves
// as the oracle). Also guards the operator count of a verification (gas, not wall time).
import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import { p256, p384 } from "@noble/curves/nist.js";
import { EcdsaResult, wasmEcdsaVerifyDigest, type EcdsaCurve } from "../src/wasm/ecdsa";
import { readWasm } from "./helpers/build";

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function invert(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return mod(s0, m);
}
const toBytes = (x: bigint, len: number) => new Uint8Array(Buffer.from(x.toString(16).padStart(2 * len, "0"), "hex"));
const concat = (a: Uint8Array, b: Uint8Array) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; };

const CURVES = [
  { name: "P-256" as EcdsaCurve, noble: p256, bytes: 32, bits: 256 },
  { name: "P-384" as EcdsaCurve, noble: p384, bytes: 48, bits: 384 },
];

for (const c of CURVES) {
  const n = c.noble.Point.Fn.ORDER;
  const G = c.noble.Point.BASE;
  const ones = (k: number) => (1n << BigInt(k)) - 1n;
  const alternating = (bit: bigint) => { let x = 0n; for (let i = 0n; i < BigInt(c.bits) - 2n; i += 2n) x |= bit << i; return x; };
  /** Scalars with extreme wNAF recodings; all in [0, n). */
  const scalars = [
    0n, 1n, 2n, 3n, 31n, 32n, 33n, 511n, 513n, n - 1n, n - 2n, (n - 1n) / 2n,
    ones(c.bits - 1), ones(c.bits / 2), ones(c.bits / 2) << BigInt(c.bits / 2 - 1), 1n << BigInt(c.bits - 1),
    alternating(1n), alternating(2n), ones(c.bits - 40) ^ (ones(20) << 30n),
  ].map((x) => mod(x, n));
  const keys = [1n, 2n, 3n, 7n, 8n, 15n, 16n, 17n, n - 1n, n - 3n, 0x1234567n];

  describe(`${c.name} chosen-scalar signatures`, () => {
    it("verifies u1 G + u2 Q for extreme u1, u2 and small keys, and rejects one-bit corruptions", () => {
      let checked = 0;
      for (const [i, d] of keys.entries()) {
        const Q = G.multiply(d);
        const key = Q.toBytes(false);
        // Every key meets a rotating window of the scalar list in both positions.
        for (let j = 0; j < scalars.length; j++) {
          const u1 = scalars[j], u2 = scalars[(j * 7 + i * 3) % scalars.length];
          if (u2 === 0n) continue; // u2 = r / s is never 0
          const R = (u1 === 0n ? c.noble.Point.ZERO : G.multiply(u1)).add(Q.multiply(u2));
          if (R.equals(c.noble.Point.ZERO)) continue;
          const r = mod(R.toAffine().x, n);
          if (r === 0n) continue;
          const s = mod(r * invert(u2, n), n);
          const e = mod(u1 * s, n);
          const digest = toBytes(e, c.bytes);
          const sig = concat(toBytes(r, c.bytes), toBytes(s, c.bytes));
          expect(c.noble.verify(sig, digest, key, { prehash: false, lowS: false })).toBe(true);
          expect(wasmEcdsaVerifyDigest(c.name, digest, sig, key)).toBe(EcdsaResult.VALID);
          const badDigest = digest.slice(); badDigest[c.bytes - 1] ^= 1;
          expect(wasmEcdsaVerifyDigest(c.name, badDigest, sig, key)).toBe(EcdsaResult.INVALID);
          const badSig = sig.slice(); badSig[2 * c.bytes - 1] ^= 0x10;
          const expected = c.noble.verify(badSig, digest, key, { prehash: false, lowS: false }) ? EcdsaResult.VALID : EcdsaResult.INVALID;
          expect(wasmEcdsaVerifyDigest(c.name, digest, badSig, key)).toBe(expected);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(150);
    });
  });
}

describe("cost of an ECDSA verification", () => {
  // Budgets about 4% above the measured averages (P-256 ~2.07 M, P-384 ~5.21 M executed operators);
  // they catch a regression of the field kernels or the scalar multiplication.
  const BUDGET: Record<string, number> = { "P-256": 2_150_000, "P-384": 5_400_000 };
  it("stays within its operator budget (average over keys, digest given)", async () => {
    const { instrument } = await import("../scripts/lib/gas-meter");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(instrument(readWasm("verifier"))), { env: { abort() { throw new Error("abort"); } } });
    const w = instance.exports as unknown as {
      memory: WebAssembly.Memory; alloc(n: number): number; __gas_ops: WebAssembly.Global;
      p256_verify(...a: number[]): number; p384_verify(...a: number[]): number;
    };
    const put = (b: Uint8Array): [number, number] => { const p = w.alloc(b.length); new Uint8Array(w.memory.buffer, p, b.length).set(b); return [p, b.length]; };
    for (const c of CURVES) {
      const hash = c.name === "P-256" ? "sha256" : "sha384";
      let total = 0;
      const runs = 4;
      for (let i = 0; i < runs; i++) {
        // Fixed keys (and RFC 6979 nonces): the count is deterministic.
        const secret = new Uint8Array(createHash(hash).update(`cost key ${i}`).digest()).subarray(0, c.bytes);
        const digest = new Uint8Array(createHash(hash).update(`cost ${i}`).digest());
        const sig = c.noble.sign(digest, secret, { prehash: false });
        const key = c.noble.getPublicKey(secret, false);
        w.__gas_ops.value = 0n;
        const verify = c.name === "P-256" ? w.p256_verify : w.p384_verify;
        expect(verify(...put(digest), ...put(sig), 0, ...put(key))).toBe(EcdsaResult.VALID);
        total += Number(w.__gas_ops.value);
      }
      expect(total / runs).toBeGreaterThan(BUDGET[c.name] / 2);
      expect(total / runs).toBeLessThanOrEqual(BUDGET[c.name]);
    }
  });
});
