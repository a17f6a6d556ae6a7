// The cached ARK -> ASK/ASVK link (assembly/snp/chain.ts, roots.ts): a supplied intermediate that is
// byte-identical to AMD's pinned certificate (SHA-256 of the DER) skips its RSA-PSS check, and anything
// else, even one changed byte of AMD's certificate, still goes through the full check. The pinned hashes
// must be the fixture roots' certificates, whose ARK signatures node:crypto checks here.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { verifySnp, type SnpVerdict } from "../src/wasm/snp";
import { X509Certificate } from "node:crypto";
import { HAVE_SNP_FIXTURES, expectedCases, read, certsOf, endorsementDer, insideValidity, nodePssLink, sha256Hex } from "./helpers/snp-fixtures";

const PERMISSIVE = { allow_debug: true, allowed_vmpls: [0, 1, 2, 3], min_tcb: { milan: {}, genoa: {}, turin: {} } };
const code = (v: SnpVerdict) => v.error?.code ?? null;

describe("SNP: AMD's own intermediates are a cached, already-verified link", () => {
  const source = readFileSync(join(__dirname, "..", "assembly", "snp", "roots.ts"), "utf8");
  const constant = (name: string) => new RegExp(`const ${name} =\\s*"([0-9a-f]+)";`).exec(source)?.[1];

  it("the pinned DER hashes are the fixture roots' ASK/ASVK, each signed by its ARK (node:crypto)", () => {
    const files: [string, string, string][] = [["MILAN", "ask_ark_milan.pem", "ask_ark_milan_vlek.pem"],
      ["GENOA", "ask_ark_genoa.pem", "ask_ark_genoa_vlek.pem"], ["TURIN", "ask_ark_turin_vcek.pem", "ask_ark_turin_vlek.pem"]];
    for (const [p, vcekChain, vlekChain] of files) {
      const [ask, ark] = certsOf(read(`roots/${vcekChain}`));
      const [asvk] = certsOf(read(`roots/${vlekChain}`));
      expect([p, constant(`${p}_ASK_DER_SHA256`), constant(`${p}_ASVK_DER_SHA256`)]).toEqual([p, sha256Hex(ask), sha256Hex(asvk)]);
      expect(nodePssLink(ask, ark) && nodePssLink(asvk, ark)).toBe(true);
    }
  });

  const c = () => expectedCases().find((x) => x.report.startsWith("routex-client-lua/milan_v3"))!;
  const run = (ask: Uint8Array, ark: Uint8Array) => verifySnp(read(c().report), endorsementDer(c()),
    { chain: new Uint8Array([...ask, ...ark]), at: insideValidity(c()), policy: PERMISSIVE });

  it("AMD's ASK verifies; AMD's ASK with one changed signature or TBS byte is ASK_SIGNATURE_INVALID", () => {
    const [ask, ark] = certsOf(read("roots/ask_ark_milan.pem"));
    expect(run(ask, ark).error).toBe(null);
    const modulus = Buffer.from(new X509Certificate(Buffer.from(ask)).publicKey.export({ format: "jwk" }).n!, "base64url");
    const modulusAt = Buffer.from(ask).indexOf(modulus);
    expect(modulusAt).toBeGreaterThan(0);
    const badSignature = ask.slice();
    badSignature[badSignature.length - 10] ^= 0x01;
    expect(code(run(badSignature, ark))).toBe("ASK_SIGNATURE_INVALID");
    // A byte of the RSA modulus inside the tbsCertificate.
    const badTbs = ask.slice();
    badTbs[modulusAt + 100] ^= 0x01;
    expect(code(run(badTbs, ark))).toBe("ASK_SIGNATURE_INVALID");
  });
});
