// SEV-SNP appraisal policy (assembly/snp/policy.ts, options.ts) on the real fixtures through
// snp_appraise (policy only, no crypto: the crypto of the same fixtures is in tests/snp.test.ts):
// strict defaults (debug, migration agent, VMPL 0, AMD-SB-3019 minimum TCB), every option, and the
// refusal of malformed policy JSON.
import { describe, it, expect } from "vitest";
import { appraiseSnp, type SnpPolicy, type SnpVerdict } from "../src/wasm/snp";
import { HAVE_SNP_FIXTURES, REQUIRE_FIXTURES, SNP_DIR, expectedCases, read, type ExpectedCase } from "./helpers/snp-fixtures";

if (!HAVE_SNP_FIXTURES) {
  if (REQUIRE_FIXTURES) it("SNP fixtures are present (CI)", () => { throw new Error(`missing ${SNP_DIR}/expected.json`); });
  else console.warn(`[snp-policy] SKIPPED: no fixtures at ${SNP_DIR} (set TEE_ATTEST_FIXTURES)`);
}

const cases = expectedCases().filter((c) => c.expect.signature_valid);
const byPrefix = (prefix: string): ExpectedCase => cases.find((c) => c.report.startsWith(prefix))!;
const appraise = (c: ExpectedCase, policy: SnpPolicy = {}): SnpVerdict => appraiseSnp(read(c.report), c.product, policy);
const code = (v: SnpVerdict): string | null => v.error?.code ?? null;

/** Default-policy outcome per fixture (MANIFEST.md: debug, VMPL 1 and the AMD-SB-3019 minimum-TCB set). */
const DEFAULT_OUTCOME: Record<string, string | null> = {
  "go-sev-guest/milan_v2_report.bin": "DEBUG_ENABLED", // debug is checked before the TCB (snp 5 also fails)
  "virtee-sev/milan_v2_report.bin": "TCB_BELOW_MINIMUM", // snp 8
  "tinfoil-js/genoa_v3_report.bin": null,
  "automata/milan_v2_report.bin": "TCB_BELOW_MINIMUM", // snp 22
  "routex-client-lua/genoa_v5_report.bin": null,
  "routex-client-lua/genoa_v3_report.bin": null,
  "routex-client-lua/milan_v3_report.bin": null, // snp 24
  "routex-client-lua/turin_v5_report.bin": null, // no AMD-SB-3019 minimum for Turin
  "routex-client-lua/milan_v2_report.bin": "TCB_BELOW_MINIMUM",
  "constellation-azure/milan_v2_report.bin": "TCB_BELOW_MINIMUM", // snp 6
  "constellation-aws-vlek/milan_v3_vlek_report.bin": null, // snp 24
  "dstack/milan_v3_report.bin": "TCB_BELOW_MINIMUM", // reported 23 (current 24)
  "secret-vm-kms/genoa_v3_vmpl1_report.bin": "VMPL_NOT_ALLOWED",
};

describe("SNP policy on real reports", () => {
  it("covers every valid fixture", () => {
    expect(cases.map((c) => c.report).sort()).toEqual(Object.keys(DEFAULT_OUTCOME).sort());
  });

  for (const c of cases) {
    const want = DEFAULT_OUTCOME[c.report];
    it(`${c.report}: default policy -> ${want ?? "accepted"}`, () => {
      const v = appraise(c);
      expect(code(v)).toBe(want);
      expect(v.ok).toBe(want === null);
      if (want !== null) expect(v.error!.stage).toBe("policy");
      expect(v.claims!.product).toBe(c.product);
    });
  }

  it("a minimum-TCB failure names the component and the product minimum", () => {
    const v = appraise(byPrefix("dstack/"));
    expect(v.error!.message).toMatch(/reported TCB snp=23 is below the Milan minimum 24/);
  });

  it("allow_debug admits the debug report, which then fails its TCB", () => {
    expect(code(appraise(byPrefix("go-sev-guest/"), { allow_debug: true }))).toBe("TCB_BELOW_MINIMUM");
    expect(appraise(byPrefix("go-sev-guest/"), { allow_debug: true, min_tcb: { milan: {} } }).ok).toBe(true);
  });

  it("allowed_vmpls [0, 1] admits the VMPL 1 report; [1] refuses VMPL 0", () => {
    expect(appraise(byPrefix("secret-vm-kms/"), { allowed_vmpls: [0, 1] }).ok).toBe(true);
    expect(code(appraise(byPrefix("tinfoil-js/"), { allowed_vmpls: [1] }))).toBe("VMPL_NOT_ALLOWED");
  });

  it("min_tcb per product: component-wise, applied to reported, current and committed", () => {
    const genoa = byPrefix("tinfoil-js/"); // bl10 tee0 snp23 ucode84
    expect(appraise(genoa, { min_tcb: { genoa: { bl: 10, snp: 23, ucode: 84 } } }).ok).toBe(true);
    expect(code(appraise(genoa, { min_tcb: { genoa: { ucode: 85 } } }))).toBe("TCB_BELOW_MINIMUM");
    expect(code(appraise(genoa, { min_tcb: { genoa: { bl: 11 } } }))).toBe("TCB_BELOW_MINIMUM");
    // Component-wise, not as a u64: a higher snp does not compensate a lower ucode.
    expect(code(appraise(genoa, { min_tcb: { genoa: { snp: 1, ucode: 200 } } }))).toBe("TCB_BELOW_MINIMUM");
    // A Milan minimum does not apply to Genoa.
    expect(appraise(genoa, { min_tcb: { milan: { snp: 99 } } }).ok).toBe(true);
    // Turin: fmc is a component there.
    const turin = byPrefix("routex-client-lua/turin");
    expect(appraise(turin, { min_tcb: { turin: { fmc: 0, bl: 1, snp: 2, ucode: 71 } } }).ok).toBe(true);
    expect(code(appraise(turin, { min_tcb: { turin: { fmc: 1 } } }))).toBe("TCB_BELOW_MINIMUM");
    expect(code(appraise(turin, { min_tcb: { turin: { snp: 3 } } }))).toBe("TCB_BELOW_MINIMUM");
    // dstack: reported snp 23 < current 24; a minimum of 23 passes all three TCBs.
    expect(appraise(byPrefix("dstack/"), { min_tcb: { milan: { snp: 23 } } }).ok).toBe(true);
  });

  it("require_committed: AWS (committed ucode 219 != current 220) is refused, others pass", () => {
    const aws = byPrefix("constellation-aws-vlek/");
    expect(code(appraise(aws, { require_committed: true }))).toBe("FIRMWARE_NOT_COMMITTED");
    expect(appraise(byPrefix("routex-client-lua/genoa_v5"), { require_committed: true }).ok).toBe(true);
  });

  it("allow_smt false refuses SMT platforms and SMT-allowing guest policies", () => {
    expect(code(appraise(byPrefix("tinfoil-js/"), { allow_smt: false }))).toBe("SMT_NOT_ALLOWED");
  });

  it("allow_vlek false and csp_ids constrain VLEK reports only", () => {
    const aws = byPrefix("constellation-aws-vlek/");
    expect(code(appraise(aws, { allow_vlek: false }))).toBe("SIGNER_NOT_ALLOWED");
    expect(appraise(byPrefix("tinfoil-js/"), { allow_vlek: false }).ok).toBe(true);
  });

  it("measurement / host_data / id_key_digest allow-lists and exact report_data", () => {
    const c = byPrefix("dstack/");
    const base: SnpPolicy = { min_tcb: { milan: { snp: 23 } } };
    const other = "11".repeat(48);
    expect(appraise(c, { ...base, measurements: [other, c.fields.measurement] }).ok).toBe(true);
    expect(code(appraise(c, { ...base, measurements: [other] }))).toBe("MEASUREMENT_NOT_ALLOWED");
    expect(code(appraise(c, { ...base, measurements: [] }))).toBe("MEASUREMENT_NOT_ALLOWED");
    expect(appraise(c, { ...base, host_data: [c.fields.host_data] }).ok).toBe(true);
    expect(code(appraise(c, { ...base, host_data: ["00".repeat(32)] }))).toBe("HOST_DATA_NOT_ALLOWED");
    expect(appraise(c, { ...base, id_key_digests: [c.fields.id_key_digest] }).ok).toBe(true);
    expect(code(appraise(c, { ...base, id_key_digests: [other] }))).toBe("ID_KEY_NOT_ALLOWED");
    expect(appraise(c, { ...base, report_data: c.fields.report_data }).ok).toBe(true);
    expect(code(appraise(c, { ...base, report_data: "00".repeat(64) }))).toBe("REPORT_DATA_MISMATCH");
    // Upper-case hex is the same value.
    expect(appraise(c, { ...base, measurements: [c.fields.measurement.toUpperCase()] }).ok).toBe(true);
  });

  it("min_guest_svn", () => {
    const azure = byPrefix("constellation-azure/"); // GUEST_SVN 2
    const base: SnpPolicy = { min_tcb: { milan: {} } };
    expect(appraise(azure, { ...base, min_guest_svn: 2 }).ok).toBe(true);
    expect(code(appraise(azure, { ...base, min_guest_svn: 3 }))).toBe("GUEST_SVN_BELOW_MINIMUM");
  });

  it("malformed policies are MALFORMED_POLICY (never a silent default)", () => {
    const c = byPrefix("tinfoil-js/");
    const bad: unknown[] = [
      { alow_debug: true }, { allow_debug: "yes" }, { allowed_vmpls: [4] }, { allowed_vmpls: 0 }, { min_tcb: { venice: {} } },
      { min_tcb: { milan: { fmc: 1 } } }, { min_tcb: { genoa: { snp: 256 } } }, { min_tcb: { genoa: { snp: -1 } } },
      { measurements: ["abcd"] }, { measurements: "00" }, { host_data: ["zz".repeat(32)] }, { report_data: "00" },
      { roots: { milan: "00" } }, { roots: { venice: "" } }, { csp_ids: [1] }, { min_guest_svn: 1.5 },
    ];
    for (const policy of bad) {
      const v = appraiseSnp(read(c.report), c.product, policy as SnpPolicy);
      expect(code(v), JSON.stringify(policy)).toBe("MALFORMED_POLICY");
      expect(v.error!.stage).toBe("parse");
    }
  });
});
