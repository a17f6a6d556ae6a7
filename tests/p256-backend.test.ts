// The P-256 backend switch (assembly/crypto/p256-backend.ts): p256VerifyDigest runs the pure-Wasm
// verifier by default and a host backend once one is installed. Checked here through verifier.wasm's
// two counting test backends (one delegates to the pure-Wasm verifier, one rejects everything):
//   - p256VerifyDigest itself dispatches to the selected backend and back;
//   - a whole TDX verification (quote, QE report, PCK chain, CRLs, TCB info, QE identity) routes every
//     one of its P-256 checks through the switch: with the delegating backend the verdict is unchanged
//     and the pure-Wasm verifier ran exactly as often as the backend was called (a check bypassing the
//     switch would run it once more), with the rejecting one the verification fails.
// The contract side (contracts/std/p256-host.ts on the embedded chain's secp256r1_verify) is checked
// in tests/p256-host-contract.test.ts.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { loadVerifier, useVerifier, type VerifierExports } from "../src/wasm/loader";
import { selectP256Backend, p256BackendCalls, withP256Backend, wasmP256VerifyDigestBackend, p256WasmVerifications } from "../src/wasm/p256-backend";
import { verifyTdx, PERMISSIVE_TDX_POLICY } from "../src/wasm/tdx";
import { wasmEcdsaVerifyDigest, EcdsaResult } from "../src/wasm/ecdsa";
import { callExport } from "../src/wasm/loader";
import { HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText, rootFor, type TdxCase } from "./helpers/tdx-fixtures";
import { readWasm } from "./helpers/build";

// A private instance for the whole file: the default one may be recycled by the loader between calls,
// which would silently drop a selected backend.
let previous: VerifierExports | null = null;
beforeAll(() => { previous = useVerifier(loadVerifier(readWasm("verifier"))); });
afterAll(() => { useVerifier(previous); });

function keyAndSignature(message: Uint8Array) {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  const sec1 = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]));
  const signature = new Uint8Array(sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" }));
  const digest = new Uint8Array(createHash("sha256").update(message).digest());
  return { sec1, signature, digest };
}

describe("p256VerifyDigest backend switch", () => {
  const { sec1, signature, digest } = keyAndSignature(new TextEncoder().encode("backend switch"));
  const bad = signature.slice();
  bad[10] ^= 1;

  it("defaults to the pure-Wasm verifier (valid accepted, corrupted rejected, no backend calls)", () => {
    expect(wasmP256VerifyDigestBackend(digest, signature, sec1)).toBe(true);
    expect(wasmP256VerifyDigestBackend(digest, bad, sec1)).toBe(false);
    expect(p256BackendCalls()).toBe(0);
  });

  it("routes to an installed backend and back", () => {
    const counting = withP256Backend("counting", () => [wasmP256VerifyDigestBackend(digest, signature, sec1), wasmP256VerifyDigestBackend(digest, bad, sec1)]);
    expect(counting).toEqual({ result: [true, false], calls: 2 });
    const rejecting = withP256Backend("counting-reject", () => wasmP256VerifyDigestBackend(digest, signature, sec1));
    expect(rejecting).toEqual({ result: false, calls: 1 });
    // Restored: the pure-Wasm verifier again (selecting resets the count, and nothing counts now).
    expect(wasmP256VerifyDigestBackend(digest, signature, sec1)).toBe(true);
    expect(p256BackendCalls()).toBe(0);
  });

  it("the bypass detector sees a call that skips the switch (the raw p256_verify export does)", () => {
    const before = p256WasmVerifications();
    const r = withP256Backend("counting", () => [
      wasmP256VerifyDigestBackend(digest, signature, sec1),
      wasmEcdsaVerifyDigest("P-256", digest, signature, sec1) === EcdsaResult.VALID,
    ]);
    expect(r).toEqual({ result: [true, true], calls: 1 });
    expect(p256WasmVerifications() - before).toBe(2);
  });

  it("checks lengths before any backend sees the inputs", () => {
    const r = withP256Backend("counting", () => [
      wasmP256VerifyDigestBackend(digest.subarray(0, 31), signature, sec1),
      wasmP256VerifyDigestBackend(digest, signature.subarray(0, 63), sec1),
    ]);
    expect(r).toEqual({ result: [false, false], calls: 0 });
  });

  it("refuses an unknown backend id and keeps the current one", () => {
    expect(withP256Backend("counting", () => {
      const code = callExport(loadVerifier(), "p256_backend_select", 7);
      return [code, wasmP256VerifyDigestBackend(digest, signature, sec1)];
    })).toEqual({ result: [-1, true], calls: 1 });
    expect(() => selectP256Backend("nope" as never)).toThrow();
  });
});

describe("TDX verification goes through the switch", () => {
  const cases = loadCases();
  const accepted = cases.filter((c) => c.expect.ok);
  const verify = (c: TdxCase, trustedCollateral = false) =>
    verifyTdx(loadQuote(c.quote), loadText(c.collateral), { root: rootFor(c), at: c.time, policy: PERMISSIVE_TDX_POLICY, trustedCollateral });

  it("has accepted cases to check", () => expect(accepted.length).toBeGreaterThan(3));

  for (const c of accepted) {
    it(`${c.name}: same verdict through a counting backend, every check counted; rejected without a valid backend`, () => {
      const plain = verify(c);
      expect(plain.ok).toBe(true);
      const before = p256WasmVerifications();
      const counted = withP256Backend("counting", () => verify(c));
      expect(counted.result).toEqual(plain);
      // Every pure-Wasm P-256 verification of the run came through the backend: none bypassed it.
      expect(p256WasmVerifications() - before).toBe(counted.calls);
      // Quote, QE report, PCK leaf and intermediate, TCB info and its signing certificate, QE identity,
      // and the CRLs: a full verification makes many P-256 checks; stored collateral skips its own.
      const trusted = withP256Backend("counting", () => verify(c, true));
      expect(trusted.result.ok).toBe(true);
      expect(counted.calls).toBeGreaterThanOrEqual(7);
      expect(trusted.calls).toBeGreaterThanOrEqual(2);
      expect(trusted.calls).toBeLessThan(counted.calls);
      const beforeReject = p256WasmVerifications();
      const rejected = withP256Backend("counting-reject", () => verify(c));
      expect(p256WasmVerifications()).toBe(beforeReject); // the rejecting backend runs no curve math
      expect(rejected.result.ok).toBe(false);
      expect(rejected.calls).toBe(1); // the first check fails and stops the verification
    });
  }
});
