// The P-256 backend switch inside a CosmWasm contract (tests/contracts/p256-host) on the embedded
// chain, whose secp256r1_verify behaves like wasmvm's: with the host backend every p256VerifyDigest is
// exactly one host call (priced at 279,000,000 CWg) and the verdicts equal the pure-Wasm backend's,
// for single signatures and for a whole TDX quote verification (quote, QE report, PCK chain, CRLs,
// TCB info, QE identity). Gas figures are deterministic operator counts, not timings.
import { describe, it, expect, beforeAll } from "vitest";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { EmbeddedChain } from "../src/chain/embedded";
import { findAttribute } from "../src/chain/types";
import { GasMeter } from "../scripts/lib/gas-run";
import { HOST_COST_CWG } from "../scripts/lib/gas-price";
import { PERMISSIVE_TDX_POLICY, verifyTdx } from "../src/wasm/tdx";
import { loadVerifier, useVerifier } from "../src/wasm/loader";
import { withP256Backend } from "../src/wasm/p256-backend";
import { HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText } from "./helpers/tdx-fixtures";
import { readWasm } from "./helpers/build";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("P-256 backend switch in a contract", () => {
  const chain = new EmbeddedChain({ chainId: "p256-host-1" });
  const meter = new GasMeter(chain);
  const admin = chain.address("admin");
  let contract = "";

  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  const sec1 = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]));
  const message = new TextEncoder().encode("host backend");
  const digest = new Uint8Array(createHash("sha256").update(message).digest());
  const signature = new Uint8Array(sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" }));
  const corrupted = signature.slice();
  corrupted[40] ^= 0x20;

  beforeAll(async () => {
    const codeId = await meter.storeCode(admin, readWasm("test-p256-host"));
    contract = (await chain.instantiate(admin, codeId, {}, "p256-host")).contractAddress;
  });

  const verifyP256 = (backend: string, sig: Uint8Array) =>
    meter.execute(admin, contract, { verify_p256: { backend, digest: b64(digest), signature: b64(sig), pubkey: b64(sec1) } });

  it("host backend: one secp256r1_verify per check, same verdicts as pure Wasm", async () => {
    for (const [sig, expected] of [[signature, "true"], [corrupted, "false"]] as const) {
      const host = await verifyP256("host", sig);
      const wasm = await verifyP256("wasm", sig);
      expect(findAttribute(host.result, "backend")).toBe("host");
      expect(findAttribute(wasm.result, "backend")).toBe("wasm");
      expect(findAttribute(host.result, "valid")).toBe(expected);
      expect(findAttribute(wasm.result, "valid")).toBe(expected);
      // Host cost: the fixed verify price plus call base and the three argument Regions, nothing else.
      expect(host.gas.hostCwg).toBeGreaterThanOrEqual(HOST_COST_CWG.secp256r1Verify);
      expect(host.gas.hostCwg).toBeLessThan(HOST_COST_CWG.secp256r1Verify + 2n * HOST_COST_CWG.secp256r1Verify / 100n);
      expect(wasm.gas.hostCwg).toBe(0n);
      // The pure-Wasm verification executes over a million operators; the host path a few thousand.
      expect(wasm.gas.ops).toBeGreaterThan(1_000_000n);
      expect(host.gas.ops).toBeLessThan(200_000n);
    }
  });

  it("rejects an unknown backend name", async () => {
    await expect(meter.execute(admin, contract, { verify_p256: { backend: "fast", digest: b64(digest), signature: b64(signature), pubkey: b64(sec1) } })).rejects.toThrow(/backend/);
  });

  describe("a whole TDX verification", () => {
    const c = loadCases().find((x) => x.expect.ok && x.root_ca === "dcap-qvl/TrustedRootCA.der");
    it("routes every P-256 check to the host and reaches the same verdict", async () => {
      expect(c).toBeDefined();
      const msg = (backend: string) => ({ verify_tdx: { backend, quote: b64(loadQuote(c!.quote)), collateral: loadText(c!.collateral), at: c!.time, policy: JSON.stringify(PERMISSIVE_TDX_POLICY) } });
      const host = await meter.execute(admin, contract, msg("host"));
      const wasm = await meter.execute(admin, contract, msg("wasm"));
      expect(findAttribute(host.result, "ok")).toBe("true");
      expect(findAttribute(host.result, "verdict")).toBe(findAttribute(wasm.result, "verdict"));
      expect(wasm.gas.hostCwg).toBe(0n);
      // Host calls are all secp256r1_verify here: their number is the fixed part of hostCwg.
      const calls = host.gas.hostCwg / HOST_COST_CWG.secp256r1Verify;
      expect(calls).toBeGreaterThanOrEqual(7n);
      // The same number of checks as verifier.wasm's counting backend sees for the same verification.
      const previous = useVerifier(loadVerifier(readWasm("verifier")));
      try {
        const counted = withP256Backend("counting", () => verifyTdx(loadQuote(c!.quote), loadText(c!.collateral), { at: c!.time, policy: PERMISSIVE_TDX_POLICY }));
        expect(counted.result.ok).toBe(true);
        expect(BigInt(counted.calls)).toBe(calls);
      } finally {
        useVerifier(previous);
      }
    });
  });
});
