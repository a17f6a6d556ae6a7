// Mutation tests (DESIGN.md §8): every single-byte change inside a signed region of a valid SNP fixture
// must be rejected: each byte of the report's signed part [0x000, 0x2A0) of all 12 distinct valid
// reports, each byte of their signature fields, and each byte of the tbsCertificate of their 12
// endorsement certificates (Milan/Genoa/Turin VCEKs with both PSS parameter encodings, the VLEK).
// The flipped bit varies with the offset (1 << (offset % 8)) so every bit position is exercised.
// Cost: one full verification per mutant (pinned intermediates: one RSA-4096 and one P-384 check);
// durations are printed, never asserted.
import { describe, it, expect } from "vitest";
import { verifySnp, type SnpVerifyOptions } from "../src/wasm/snp";
import { HAVE_SNP_FIXTURES, REQUIRE_FIXTURES, SNP_DIR, expectedCases, read, endorsementDer, insideValidity, tbsAndSignature, type ExpectedCase } from "./helpers/snp-fixtures";

if (!HAVE_SNP_FIXTURES) {
  if (REQUIRE_FIXTURES) it("SNP fixtures are present (CI)", () => { throw new Error(`missing ${SNP_DIR}/expected.json`); });
  else console.warn(`[snp-mutation] SKIPPED: no fixtures at ${SNP_DIR}`);
}

const PERMISSIVE = { allow_debug: true, allowed_vmpls: [0, 1, 2, 3], min_tcb: { milan: {}, genoa: {}, turin: {} } };

/** The 12 distinct valid reports (the routex Milan v2 report duplicates the virtee one). */
function distinctValid(): ExpectedCase[] {
  const seen = new Set<string>();
  return expectedCases().filter((c) => c.expect.signature_valid && !seen.has(c.sha256) && seen.add(c.sha256));
}

const flip = (data: Uint8Array, at: number): Uint8Array => { const out = data.slice(); out[at] ^= 1 << (at % 8); return out; };

function timed(label: string, count: number, fn: () => void): void {
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  console.log(`[snp-mutation] ${label}: ${count} mutants in ${ms.toFixed(0)} ms (${(ms / count).toFixed(2)} ms each)`);
}

describe("SNP mutations", () => {
  const cases = distinctValid();

  it("there are 12 distinct valid reports", () => { expect(cases.length).toBe(12); });

  for (const c of cases) {
    const options: SnpVerifyOptions = { at: insideValidity(c), policy: PERMISSIVE };
    it(`${c.report}: every byte of 0x000-0x29F and of the signature changed -> rejected`, () => {
      const report = read(c.report);
      const vcek = read(c.endorsement_cert);
      expect(verifySnp(report, vcek, options).ok).toBe(true);
      const stages: Record<string, number> = {};
      timed(`${c.report} 0x000-0x32F`, 0x330, () => {
        for (let at = 0; at < 0x330; at++) {
          const v = verifySnp(flip(report, at), vcek, options);
          if (v.ok) throw new Error(`mutation at 0x${at.toString(16)} was accepted`);
          stages[v.error!.stage] = (stages[v.error!.stage] ?? 0) + 1;
        }
      });
      // Most mutants reach the signature check; the rest fail earlier (reserved bytes, binding fields).
      expect(stages.signature).toBeGreaterThan(300);
      expect(Object.keys(stages).every((s) => ["parse", "chain", "binding", "signature", "policy"].includes(s))).toBe(true);
    });
  }

  // Every distinct endorsement: Milan/Genoa/Turin VCEKs with both PSS parameter encodings, and the VLEK.
  for (const c of cases) {
    const name = c.endorsement_cert;
    it(`${name}: every byte of the tbsCertificate changed -> rejected`, () => {
      const der = endorsementDer(c);
      const report = read(c.report);
      const options: SnpVerifyOptions = { at: insideValidity(c), policy: PERMISSIVE };
      expect(verifySnp(report, der, options).ok).toBe(true);
      const { tbsStart, tbsEnd } = tbsAndSignature(der);
      timed(`${name} TBS`, tbsEnd - tbsStart, () => {
        for (let at = tbsStart; at < tbsEnd; at++) {
          const v = verifySnp(report, flip(der, at), options);
          if (v.ok) throw new Error(`${name}: mutation at TBS byte ${at} was accepted`);
        }
      });
    });
  }
});
