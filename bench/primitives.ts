// Signature primitives for `npm run bench`: P-256 and P-384 ECDSA verify over a digest, RSA-4096
// RSASSA-PSS-SHA384 and RSA-2048 PKCS#1 v1.5-SHA256 verify, each through our verifier.wasm wrappers,
// @noble/curves (ECDSA only: noble has no RSA) and node:crypto. Keys and signatures are made once with
// node:crypto; every case checks its own result once before timing, so a broken verifier cannot be
// benchmarked as fast. For P-256 the row also carries the SDK gas of the same verification when a
// contract hands the curve math to the chain's secp256r1_verify host function (p256HostSdkGas).
import { createHash, generateKeyPairSync, sign, verify, constants, randomBytes, type KeyObject } from "node:crypto";
import { p256, p384 } from "@noble/curves/nist.js";
import type { BenchCase } from "./index";
import { countOps } from "./harness";
import { wasmEcdsaVerifyDigest, EcdsaResult, type EcdsaCurve } from "../src/wasm/ecdsa";
import { wasmRsaPssVerify, wasmRsaPkcs1Verify, RsaResult, type RsaPublicKeyBytes } from "../src/wasm/rsa";
import { selectP256Backend, p256BackendCalls, wasmP256VerifyDigestBackend } from "../src/wasm/p256-backend";
import { HOST_COST_CWG, GAS_MULTIPLIER } from "../scripts/lib/gas-price";

const MESSAGE = randomBytes(1024);

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench setup: ${what} does not verify`);
}

function ecdsaCase(curve: EcdsaCurve): BenchCase {
  const p256Curve = curve === "P-256";
  const hash = p256Curve ? "sha256" : "sha384";
  const bytes = p256Curve ? 32 : 48;
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: p256Curve ? "prime256v1" : "secp384r1" });
  const signature = new Uint8Array(sign(hash, MESSAGE, { key: privateKey, dsaEncoding: "ieee-p1363" }));
  const digest = new Uint8Array(createHash(hash).update(MESSAGE).digest());
  const jwk = publicKey.export({ format: "jwk" });
  const sec1 = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]));
  if (sec1.length !== 1 + 2 * bytes) throw new Error("unexpected key size");
  const noble = p256Curve ? p256 : p384;
  const nobleOptions = { prehash: false, lowS: false, format: "compact" as const };
  // node:crypto verifies a message; hashing 1 KiB natively costs ~1-2 µs, noted in the row.
  const nativeKey: KeyObject = publicKey;
  const c: BenchCase = {
    name: `${curve} ECDSA verify`,
    wasm: () => { wasmEcdsaVerifyDigest(curve, digest, signature, sec1); },
    noble: () => { noble.verify(signature, digest, sec1, nobleOptions); },
    native: () => { verify(hash, MESSAGE, { key: nativeKey, dsaEncoding: "ieee-p1363" }, signature); },
    notes: "digest given (node:crypto hashes 1 KiB first)",
  };
  check(wasmEcdsaVerifyDigest(curve, digest, signature, sec1) === EcdsaResult.VALID, `${curve} (wasm)`);
  check(noble.verify(signature, digest, sec1, nobleOptions), `${curve} (noble)`);
  check(verify(hash, MESSAGE, { key: nativeKey, dsaEncoding: "ieee-p1363" }, signature), `${curve} (node)`);
  if (p256Curve) c.hostSdkGas = p256HostSdkGas(digest, signature, sec1);
  return c;
}

/**
 * SDK gas of one P-256 verification when the curve math runs in the host: the executed operators of
 * the Wasm around the host call (p256VerifyDigest's checks and the backend dispatch, counted on the
 * instrumented verifier.wasm with the counting-reject backend standing in for the host: it computes
 * nothing, and the Wasm around the call does not depend on the verdict),
 * plus what wasmvm charges for the call itself: the host-call base, reading the three argument Regions
 * (32 + 64 + 65 bytes) and the fixed 279,000,000 CWg of secp256r1_verify.
 */
export function p256HostSdkGas(digest: Uint8Array, signature: Uint8Array, sec1: Uint8Array): bigint {
  // Selecting the stand-in happens on the counting instance but outside the measured call.
  countOps(() => selectP256Backend("counting-reject"));
  let calls = 0;
  const m = countOps(() => { wasmP256VerifyDigestBackend(digest, signature, sec1); calls = p256BackendCalls(); });
  countOps(() => selectP256Backend("wasm"));
  if (calls !== 1) throw new Error(`bench setup: the host stand-in saw ${calls} calls, expected 1`);
  const hostCwg = HOST_COST_CWG.secp256r1Verify + HOST_COST_CWG.hostCallBase
    + 3n * HOST_COST_CWG.readRegionBase + HOST_COST_CWG.readRegionPerByte * BigInt(digest.length + signature.length + sec1.length);
  return (m.cwg + hostCwg) / GAS_MULTIPLIER;
}

function rsaKey(bits: number): { publicKey: KeyObject; privateKey: KeyObject; bytes: RsaPublicKeyBytes } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
  const jwk = publicKey.export({ format: "jwk" });
  return { publicKey, privateKey, bytes: { modulus: new Uint8Array(Buffer.from(jwk.n!, "base64url")), exponent: new Uint8Array(Buffer.from(jwk.e!, "base64url")) } };
}

function rsaPssCase(): BenchCase {
  const { publicKey, privateKey, bytes } = rsaKey(4096);
  const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
  const signature = new Uint8Array(sign("sha384", MESSAGE, { key: privateKey, ...pss }));
  check(wasmRsaPssVerify(bytes, MESSAGE, signature, "sha384", 48) === RsaResult.VALID, "RSA-4096-PSS (wasm)");
  check(verify("sha384", MESSAGE, { key: publicKey, ...pss }, signature), "RSA-4096-PSS (node)");
  return {
    name: "RSA-4096 PSS-SHA384 verify",
    wasm: () => { wasmRsaPssVerify(bytes, MESSAGE, signature, "sha384", 48); },
    native: () => { verify("sha384", MESSAGE, { key: publicKey, ...pss }, signature); },
    notes: "1 KiB message hashed by each; no @noble RSA",
  };
}

function rsaPkcs1Case(): BenchCase {
  const { publicKey, privateKey, bytes } = rsaKey(2048);
  const signature = new Uint8Array(sign("sha256", MESSAGE, privateKey));
  check(wasmRsaPkcs1Verify(bytes, MESSAGE, signature, "sha256") === RsaResult.VALID, "RSA-2048-PKCS1 (wasm)");
  check(verify("sha256", MESSAGE, publicKey, signature), "RSA-2048-PKCS1 (node)");
  return {
    name: "RSA-2048 PKCS1-SHA256 verify",
    wasm: () => { wasmRsaPkcs1Verify(bytes, MESSAGE, signature, "sha256"); },
    native: () => { verify("sha256", MESSAGE, publicKey, signature); },
    notes: "1 KiB message hashed by each; no @noble RSA",
  };
}

export async function primitiveCases(): Promise<BenchCase[]> {
  return [ecdsaCase("P-256"), ecdsaCase("P-384"), rsaPssCase(), rsaPkcs1Case()];
}

/** What the issue asks of the primitives (issue 3, "Performance"), for the lines under the table. */
export interface MeasuredRow { name: string; ops: string; wasmMicros: number; nobleMicros: number | null; nativeMicros: number | null }

const OPS_TARGETS: Array<[prefix: string, maxOps: number]> = [["P-256", 1_500_000], ["P-384", 4_000_000], ["RSA-4096", 3_000_000]];

export function targetLines(rows: MeasuredRow[]): string[] {
  const lines: string[] = ["", "Targets:"];
  const mark = (ok: boolean) => (ok ? "met   " : "MISSED");
  for (const [prefix, maxOps] of OPS_TARGETS) {
    const row = rows.find((r) => r.name.startsWith(prefix));
    if (row) lines.push(`  ${mark(Number(row.ops) <= maxOps)} ${prefix} <= ${maxOps.toLocaleString("en-US")} ops: ${Number(row.ops).toLocaleString("en-US")}`);
  }
  const p384 = rows.find((r) => r.name.startsWith("P-384"));
  if (p384?.nativeMicros) lines.push(`  ${mark(p384.wasmMicros <= 2 * p384.nativeMicros)} P-384 wall time within 2x of node:crypto: ${(p384.wasmMicros / p384.nativeMicros).toFixed(2)}x its time`);
  for (const r of rows) {
    if (r.nobleMicros !== null) lines.push(`  ${mark(r.nobleMicros >= 3 * r.wasmMicros)} ${r.name} >= 3x faster than @noble: ${(r.nobleMicros / r.wasmMicros).toFixed(1)}x`);
  }
  return lines;
}
