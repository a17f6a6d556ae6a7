// The compact collateral record (assembly/tdx/compact-*.ts) is differential-tested against the JSON
// collateral path: for every real case of cases.json and every simulated quote (each failure class,
// each TCB status, several times), the verdict via the record equals the verdict via the JSON
// collateral — and when the collateral itself fails, building the record fails with the same error.
// Then the record is truncated at every length and mutated at every byte: never a trap, truncation
// always MALFORMED_COLLATERAL.
import { describe, it, expect } from "vitest";
import { loadCases, loadQuote, loadText, rootFor, HAVE_TDX_FIXTURES } from "./helpers/tdx-fixtures";
import { simulateTdx, createTdxPki, TDX_SIM_FAILURES, TDX_SIM_DEFAULT_AT, type SimulateTdxOptions } from "../src/sim/tdx";
import { verifyTdx, PERMISSIVE_TDX_POLICY, type TdxPolicy, type TdxVerdict } from "../src/wasm/tdx";
import { tdxCollateralRecord, verifyTdxCompact } from "../src/wasm/tdx-compact";
import { trimTdxQuote } from "../src/registry/tdx-trim";

const YEAR = 365n * 24n * 3600n;
const POLICIES: Array<[string, TdxPolicy | undefined]> = [["strict", undefined], ["permissive", PERMISSIVE_TDX_POLICY]];

/** Record verdict == JSON verdict (both policies, at `at` and at the given extra times). */
function compare(quote: Uint8Array, collateral: string, root: Uint8Array | undefined, at: bigint, extraTimes: bigint[] = []): TdxVerdict {
  const made = tdxCollateralRecord(collateral, { root, at });
  const json = verifyTdx(quote, collateral, { root, at });
  if (!made.ok) {
    // Collateral-level failure: the JSON path reports it too, unless the quote fails to parse first.
    if (json.error?.code !== "MALFORMED_QUOTE" && json.error?.code !== "MALFORMED_POLICY") expect(json.error).toEqual(made.error);
    return json;
  }
  for (const t of [at, ...extraTimes]) {
    for (const [, policy] of POLICIES) {
      const viaJson = verifyTdx(quote, collateral, { root, at: t, policy });
      const viaRecord = verifyTdxCompact(quote, made.record, { root, at: t, policy });
      expect(viaRecord).toEqual(viaJson);
    }
  }
  return json;
}

describe.skipIf(!HAVE_TDX_FIXTURES)("compact record == JSON collateral on every real case", () => {
  for (const c of loadCases()) {
    it(c.name, () => {
      const at = BigInt(c.time);
      compare(loadQuote(c.quote), loadText(c.collateral), rootFor(c), at, [at - YEAR, at + 5n * YEAR]);
    });
  }
});

describe("compact record == JSON collateral on simulated quotes", () => {
  const pki = createTdxPki(Number(TDX_SIM_DEFAULT_AT));
  const variants: Array<[string, SimulateTdxOptions]> = [
    ["v4", { version: 4 }], ["v5 TD 1.5", { version: 5 }], ["v5 TD 1.0", { version: 5, bodyType: 2 }],
    ["SWHardeningNeeded", { tcbStatus: "SWHardeningNeeded" }], ["OutOfDate", { tcbStatus: "OutOfDate" }],
    ["ConfigurationNeeded", { tcbStatus: "ConfigurationNeeded" }], ["Revoked", { tcbStatus: "Revoked" }],
    ["module OutOfDate", { moduleTcbStatus: "OutOfDate" }], ["QE OutOfDate", { qeTcbStatus: "OutOfDate" }],
    ...TDX_SIM_FAILURES.map((f) => [`failure ${f}`, { failure: f }] as [string, SimulateTdxOptions]),
  ];
  for (const [name, options] of variants) {
    it(name, () => {
      const s = simulateTdx({ pki, ...options });
      compare(s.quote, JSON.stringify(s.collateral), s.root.der, s.at, [s.at - 40n * 24n * 3600n, s.at + 40n * 24n * 3600n]);
    });
  }

  // The registry's leaf-only quotes: compact + leafOnly == JSON with pck_certificate_chain = leaf + the
  // collateral's PCK CRL issuer chain (what contracts/registry/collateral.ts tdxBundle builds).
  const leafOnly: Array<[string, SimulateTdxOptions]> = [
    ["v4", { version: 4 }], ["v5", { version: 5 }], ["OutOfDate", { tcbStatus: "OutOfDate" }],
    ...(["revoked-pck", "revoked-pck-ca", "expired-pck", "wrong-fmspc", "bad-quote-signature", "bad-qe-report-signature", "debug-td"] as const)
      .map((f) => [`failure ${f}`, { failure: f }] as [string, SimulateTdxOptions]),
  ];
  for (const [name, options] of leafOnly) {
    it(`leaf-only quote: ${name}`, () => {
      const s = simulateTdx({ pki, ...options });
      const trimmed = trimTdxQuote(s.quote);
      expect(trimmed.length).toBeLessThan(s.quote.length);
      const text = Buffer.from(s.quote).toString("latin1");
      const leafEnd = text.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length;
      const leafPem = text.slice(text.indexOf("-----BEGIN CERTIFICATE-----"), leafEnd) + "\n";
      const collateral = { ...s.collateral, pck_certificate_chain: leafPem + s.collateral.pck_crl_issuer_chain };
      const made = tdxCollateralRecord(JSON.stringify(s.collateral), { root: s.root.der, at: s.at });
      if (!made.ok) { // collateral-level failure (e.g. the PCK CA revoked): the JSON path reports the same
        expect(verifyTdx(trimmed, JSON.stringify(collateral), { root: s.root.der, at: s.at }).error).toEqual(made.error);
        return;
      }
      for (const [, policy] of POLICIES) {
        const viaJson = verifyTdx(trimmed, JSON.stringify(collateral), { root: s.root.der, at: s.at, policy });
        expect(verifyTdxCompact(trimmed, made.record, { root: s.root.der, at: s.at, policy, leafOnly: true })).toEqual(viaJson);
      }
      // without leafOnly, a leaf-only chain is refused as before
      expect(verifyTdxCompact(trimmed, made.record, { root: s.root.der, at: s.at }).error?.code).toBe("CERT_CHAIN_INVALID");
    });
  }

  it("a record verified under one root is refused under another (UNTRUSTED_ROOT)", () => {
    const s = simulateTdx({ pki });
    const made = tdxCollateralRecord(JSON.stringify(s.collateral), { root: s.root.der, at: s.at });
    if (!made.ok) throw new Error(made.error.message);
    const v = verifyTdxCompact(s.quote, made.record, { at: s.at }); // Intel's pinned root
    expect(v.error?.code).toBe("UNTRUSTED_ROOT");
  });
});

describe("bad records never trap", () => {
  const pki = createTdxPki(Number(TDX_SIM_DEFAULT_AT));
  const s = simulateTdx({ pki });
  const made = tdxCollateralRecord(JSON.stringify(s.collateral), { root: s.root.der, at: s.at });
  if (!made.ok) throw new Error(made.error.message);
  const record = made.record;
  // A quote whose PCK chain PEM is broken: the record is read and checked in full, then verification
  // stops before any signature (cheap enough for every byte). The valid quote runs on a sample.
  const broken = s.quote.slice();
  const pem = Buffer.from(broken).indexOf("-----BEGIN CERTIFICATE-----");
  broken[pem + 40] = 0x2a; // '*' is not base64

  it("the valid record verifies, the broken-chain quote fails after reading it", () => {
    expect(verifyTdxCompact(s.quote, record, { root: s.root.der, at: s.at }).ok).toBe(true);
    expect(verifyTdxCompact(broken, record, { root: s.root.der, at: s.at }).error?.code).toBe("MALFORMED_CERTIFICATE");
  });

  it("every truncation is MALFORMED_COLLATERAL", () => {
    for (let n = 0; n < record.length; n++) {
      const v = verifyTdxCompact(broken, record.subarray(0, n), { root: s.root.der, at: s.at });
      expect(v.error?.code, `length ${n}`).toBe("MALFORMED_COLLATERAL");
    }
    const longer = new Uint8Array(record.length + 1);
    longer.set(record);
    expect(verifyTdxCompact(s.quote, longer, { root: s.root.der, at: s.at }).error?.code).toBe("MALFORMED_COLLATERAL");
  });

  it("every single-byte mutation yields a verdict (no trap)", () => {
    let rejected = 0;
    for (let i = 0; i < record.length; i++) {
      for (const x of [0x01, 0x80, 0xff]) {
        const m = record.slice();
        m[i] ^= x;
        const v = verifyTdxCompact(i % 17 === 0 ? s.quote : broken, m, { root: s.root.der, at: s.at });
        expect(typeof v.ok).toBe("boolean");
        if (v.error?.code === "MALFORMED_COLLATERAL") rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(record.length); // structure bytes are caught by the reader itself
  });
});
