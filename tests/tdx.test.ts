// Intel TDX / SGX quote verification on the real fixtures (../shared/fixtures/tdx/cases.json): all 32
// cases give the expected verdict, status and advisories at the given time (Intel QVL semantics); the
// strict default policy then rejects what a registry must not admit; claims match an independent
// parser (@phala/dcap-qvl); stored ("trusted") collateral gives the same verdicts.
//
// Where we differ from @phala/dcap-qvl on purpose (cases 17, 26, 32: Intel's TEE_TCB_SVN byte-skip
// rule), the test names it.
import { describe, it, expect } from "vitest";
import { Quote as DcapQuote, verify as dcapVerify } from "@phala/dcap-qvl";
import { verifyTdx, verifyTdxCollateral, PERMISSIVE_TDX_POLICY, type TdxVerdict } from "../src/wasm/tdx";
import {
  HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText, loadBytes, rootFor, ERROR_CLASS_TO_CODE, type TdxCase,
} from "./helpers/tdx-fixtures";

const cases = loadCases();
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function run(c: TdxCase, extra: Parameters<typeof verifyTdx>[2] = {}): TdxVerdict {
  return verifyTdx(loadQuote(c.quote), loadText(c.collateral), { root: rootFor(c), at: c.time, ...extra });
}

/** What the strict default policy says about each case that Intel's rules accept. */
const DEFAULT_POLICY_OUTCOME: Record<string, string | null> = {
  dcapqvl_tdx_v4_uptodate: null,
  dcapqvl_sgx_v3: "TCB_STATUS_NOT_ACCEPTED",                       // ConfigurationAndSWHardeningNeeded
  dcapqvl_near_tdx_v4_uptodate: null,
  automata_tdx_v4_outofdate: "TCB_STATUS_NOT_ACCEPTED",            // OutOfDate
  automata_tdx_v5_td15_servicetd: "SERVICE_TD_NOT_ALLOWED",        // Alibaba: MRSERVICETD != 0
  automata_sgx_v3_swhardening: null,                               // SWHardeningNeeded is accepted by default
  gotdx_tdx_v5_td15_uptodate: null,
  gotdx_tdx_v5_td15_uptodate_mixed: null,
  gotdx_cos113_tdx_v4_divergence: null,
  teekit_azure_tdx_v4_divergence: "SEPT_VE_DISABLE_REQUIRED",      // Azure: TDATTRIBUTES = 0
  teekit_gcp_tdx_v4_uptodate: null,
  teekit_edgeless_tdx_v4_outofdate: "TCB_STATUS_NOT_ACCEPTED",
  teekit_trustee_tdx_v4_debug_td: "DEBUG_ENABLED",
  "automata_2025-10_gcp_tdx_v4_uptodate": null,
  "automata_2025-10_cos113_tdx_v4_divergence": null,
};

describe("TDX cases.json: Intel's verdict (permissive policy)", () => {
  it("has 32 cases", () => expect(cases.length).toBe(32));
  for (const c of cases) {
    it(`${c.name}: ${c.expect.ok ? c.expect.status : c.expect.error_class}`, () => {
      const v = run(c, { policy: PERMISSIVE_TDX_POLICY });
      if (c.expect.ok) {
        expect(v.error, JSON.stringify(v.error)).toBeNull();
        expect(v.ok).toBe(true);
        expect(v.status).toBe(c.expect.status);
        expect(v.advisory_ids).toEqual(c.expect.advisory_ids);
        expect(v.claims).not.toBeNull();
      } else {
        expect(v.ok).toBe(false);
        expect(v.error?.code).toBe(ERROR_CLASS_TO_CODE[c.expect.error_class!]);
      }
    });
  }
});

describe("TDX cases.json: strict default policy", () => {
  for (const c of cases.filter((x) => x.expect.ok)) {
    const outcome = DEFAULT_POLICY_OUTCOME[c.name];
    it(`${c.name}: ${outcome ?? "accepted"}`, () => {
      expect(outcome, "every accepted case has a policy expectation").not.toBeUndefined();
      const v = run(c);
      expect(v.ok).toBe(outcome === null);
      expect(v.error?.code ?? null).toBe(outcome);
      // a policy rejection still reports Intel's status and the claims
      expect(v.status).toBe(c.expect.status);
      expect(v.claims).not.toBeNull();
    });
  }

  it("policy knobs: each rejection can be lifted on its own", () => {
    const byName = (n: string) => cases.find((c) => c.name === n)!;
    expect(run(byName("teekit_trustee_tdx_v4_debug_td"), { policy: { allow_debug: true } }).ok).toBe(true);
    expect(run(byName("teekit_azure_tdx_v4_divergence"), { policy: { require_sept_ve_disable: false } }).ok).toBe(true);
    expect(run(byName("automata_tdx_v5_td15_servicetd"), { policy: { allow_service_td: true } }).ok).toBe(true);
    expect(run(byName("automata_tdx_v4_outofdate"), { policy: { accepted_statuses: ["UpToDate", "OutOfDate"] } }).ok).toBe(true);
    // advisory allow-list: every advisory must be listed
    const ood = byName("teekit_edgeless_tdx_v4_outofdate");
    const statuses = { accepted_statuses: ["OutOfDate" as const] };
    expect(run(ood, { policy: { ...statuses, allowed_advisories: ood.expect.advisory_ids } }).ok).toBe(true);
    const partial = run(ood, { policy: { ...statuses, allowed_advisories: ood.expect.advisory_ids!.slice(1) } });
    expect(partial.error?.code).toBe("ADVISORY_NOT_ALLOWED");
    expect(partial.error?.message).toContain(ood.expect.advisory_ids![0]);
    // SWHardeningNeeded is accepted by default, not when only UpToDate is
    expect(run(byName("automata_sgx_v3_swhardening"), { policy: { accepted_statuses: ["UpToDate"] } }).error?.code)
      .toBe("TCB_STATUS_NOT_ACCEPTED");
    // a floor on the TCB evaluation data number (the fixtures' bundles are eval 17, the 2023 one 15)
    const uptodate = byName("dcapqvl_tdx_v4_uptodate");
    expect(run(uptodate, { policy: { min_tcb_evaluation_data_number: 17 } }).ok).toBe(true);
    const old = run(uptodate, { policy: { min_tcb_evaluation_data_number: 18 } });
    expect(old.error?.code).toBe("TCB_EVALUATION_NUMBER_TOO_LOW");
    expect(old.status).toBe("UpToDate");
  });
});

describe("TDX claims", () => {
  it("match @phala/dcap-qvl's parser field by field, for every verified TDX quote", () => {
    let checked = 0;
    for (const c of cases.filter((x) => x.expect.ok)) {
      const v = run(c, { policy: PERMISSIVE_TDX_POLICY });
      const claims = v.claims!;
      const quote = DcapQuote.parse(loadQuote(c.quote));
      if (v.tee === "sgx") {
        const r = quote.report.data as { mrEnclave: Uint8Array; mrSigner: Uint8Array; reportData: Uint8Array };
        expect(claims.mrenclave).toBe(hex(r.mrEnclave));
        expect(claims.mrsigner).toBe(hex(r.mrSigner));
        expect(claims.report_data).toBe(hex(r.reportData));
        continue;
      }
      const td = quote.report.asTd10() ?? quote.report.asTd15()!.base;
      expect(claims.mrtd).toBe(hex(td.mrTd));
      expect([claims.rtmr0, claims.rtmr1, claims.rtmr2, claims.rtmr3]).toEqual([td.rtMr0, td.rtMr1, td.rtMr2, td.rtMr3].map(hex));
      expect(claims.mrconfigid).toBe(hex(td.mrConfigId));
      expect(claims.mrowner).toBe(hex(td.mrOwner));
      expect(claims.mrownerconfig).toBe(hex(td.mrOwnerConfig));
      expect(claims.report_data).toBe(hex(td.reportData));
      expect(claims.td_attributes).toBe(hex(td.tdAttributes));
      expect(claims.xfam).toBe(hex(td.xfam));
      expect(claims.tee_tcb_svn).toBe(hex(td.teeTcbSvn));
      expect(claims.mrseam).toBe(hex(td.mrSeam));
      expect(claims.mrsignerseam).toBe(hex(td.mrSignerSeam));
      const td15 = quote.report.asTd15();
      if (td15) {
        expect(claims.tee_tcb_svn2).toBe(hex(td15.teeTcbSvn2));
        expect(claims.mrservicetd).toBe(hex(td15.mrServiceTd));
      } else {
        expect(claims.tee_tcb_svn2).toBeUndefined();
      }
      checked++;
    }
    expect(checked).toBe(13);
  });

  it("carry the platform TCB inputs (MANIFEST metadata of dcap-qvl/tdx_quote)", () => {
    const v = run(cases[0], { policy: PERMISSIVE_TDX_POLICY });
    expect(v.claims).toMatchObject({
      quote_version: 4, body_type: 2, fmspc: "b0c06f000000", pce_id: "0000", pce_svn: 11,
      tee_tcb_svn: "06010300000000000000000000000000", td_attributes: "0000001000000000", xfam: "e702060000000000",
      mrtd: "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
      report_data: "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20",
      pck_ca: "platform", tcb_evaluation_data_number: 17, platform_tcb_status: "UpToDate", tdx_module_tcb_status: "UpToDate",
      qe_tcb_status: "UpToDate", collateral_valid_until: "2025-07-19T10:00:35Z",
    });
    expect(v.claims!.sgx_tcb_components).toHaveLength(16);
    expect(v.claims!.pck_serial).toMatch(/^[0-9a-f]+$/);
  });
});

describe("TDX peers and divergences", () => {
  it("agrees with @phala/dcap-qvl 0.3.9 wherever cases.json says dcap-qvl matches Intel", () => {
    let compared = 0;
    for (const c of cases.filter((x) => x.expect.ok && x.root_ca === "dcap-qvl/TrustedRootCA.der")) {
      let theirs: { status: string; advisory_ids: string[] } | null = null;
      try { theirs = dcapVerify(loadQuote(c.quote), JSON.parse(loadText(c.collateral)), c.time); } catch { theirs = null; }
      const ours = run(c, { policy: PERMISSIVE_TDX_POLICY });
      if (theirs === null) continue; // dcap-qvl's own policy rejects (debug TD, SEPT_VE_DISABLE, MRSERVICETD)
      if (["gotdx_cos113_tdx_v4_divergence", "automata_2025-10_cos113_tdx_v4_divergence"].includes(c.name)) {
        // Intel's byte-skip rule: QVL and go-tdx-guest say UpToDate; dcap-qvl compares all 16 bytes
        expect(ours.status).toBe("UpToDate");
        expect(theirs.status).toBe("OutOfDate");
        continue;
      }
      expect(ours.status, c.name).toBe(theirs.status);
      expect([...ours.advisory_ids].sort(), c.name).toEqual([...theirs.advisory_ids].sort());
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});

describe("TDX collateral as a separate, reusable step", () => {
  it("verifies every fixture bundle at its case time and reports its window", () => {
    for (const c of cases.filter((x) => x.expect.ok)) {
      const s = verifyTdxCollateral(loadText(c.collateral), { root: rootFor(c), at: c.time });
      expect(s.error, c.name).toBeNull();
      expect(s.ok).toBe(true);
      expect(s.tee).toBe(c.quote.includes("sgx") ? "sgx" : "tdx");
    }
    const s = verifyTdxCollateral(loadText("dcap-qvl/tdx_quote_collateral.json"), { at: 1751328000 });
    expect(s).toMatchObject({
      fmspc: "b0c06f000000", tcb_evaluation_data_number: 17, qe_identity_id: "TD_QE", pck_ca: "platform",
      valid_from: "2025-06-19T10:32:27Z", valid_until: "2025-07-19T10:00:35Z", valid_until_item: "the PCK CRL",
      tcb_levels: ["UpToDate", "OutOfDate"],
    });
    expect(cases[0].collateral_valid_window).toEqual([s.valid_from, s.valid_until]);
  });

  it("the window is inclusive at both ends and exact to the second", () => {
    const c = cases[0];
    const [from, until] = (c as unknown as { collateral_valid_window: [string, string] }).collateral_valid_window.map((t) => Date.parse(t) / 1000);
    expect(run(c, { at: from }).ok).toBe(true);
    expect(run(c, { at: until }).ok).toBe(true);
    expect(run(c, { at: from - 1 }).error?.code).toBe("COLLATERAL_NOT_YET_VALID");
    expect(run(c, { at: until + 1 }).error?.code).toBe("COLLATERAL_EXPIRED");
  });

  it("stored (trusted) collateral gives the same verdict for every case whose collateral is authentic", () => {
    for (const c of cases) {
      if (["tcb_info_signature_invalid", "qe_identity_signature_invalid"].includes(c.expect.error_class ?? "")) continue;
      const fresh = run(c, { policy: PERMISSIVE_TDX_POLICY });
      const stored = run(c, { policy: PERMISSIVE_TDX_POLICY, trustedCollateral: true });
      expect(stored, c.name).toEqual(fresh);
    }
  });

  it("the root may be given as DER, PEM, SEC1 or raw x||y; only the pinned key is trusted by default", () => {
    const c = cases[0];
    const der = loadBytes("dcap-qvl/TrustedRootCA.der");
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;
    const key = new Uint8Array(Buffer.from("040ba9c4c0c0c86193a3fe23d6b02cda10a8bbd4e88e48b4458561a36e705525f567918e2edc88e40d860bd0cc4ee26aacc988e505a953558c453f6b0904ae7394", "hex"));
    for (const root of [der, new TextEncoder().encode(pem), key, key.subarray(1)]) expect(run(c, { root }).ok).toBe(true);
    const wrong = run(c, { root: loadBytes("intel-qvl/tdx_v4_synthetic_rootca.der") });
    expect(wrong.error?.code).toBe("UNTRUSTED_ROOT");
    // Intel's synthetic sample is signed by a test root: untrusted unless that root is passed
    const synthetic = cases.find((x) => x.name === "intel_synthetic_tdx_v4_custom_root")!;
    expect(verifyTdx(loadQuote(synthetic.quote), loadText(synthetic.collateral), { at: synthetic.time }).error?.code).toBe("UNTRUSTED_ROOT");
  });
});
