// Intel's TCB rules exercised on real quotes with edited collateral. Edited TCB info / QE identity no
// longer carry Intel's signature, so these run through the unverified evaluation (every signature
// skipped; parsing, matching and convergence exactly as in verification). The verified path runs the
// same functions (assembly/tdx/verify.ts), covered by tdx.test.ts on the real collateral.
import { describe, it, expect } from "vitest";
import { evaluateTdxUnverified } from "../src/wasm/tdx";
import { HAVE_TDX_FIXTURES, loadQuote, loadText } from "./helpers/tdx-fixtures";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

interface Bundle { quote: Uint8Array; collateral: Json; at: number }

function bundle(quote: string, collateral: string, at: number): Bundle {
  return { quote: loadQuote(quote), collateral: JSON.parse(loadText(collateral)), at };
}

/** Applies edits to the parsed tcb_info / qe_identity and evaluates. */
function evaluate(b: Bundle, edit: (tcb: Json, qe: Json) => void = () => {}) {
  const c = structuredClone(b.collateral);
  const tcb = JSON.parse(c.tcb_info), qe = JSON.parse(c.qe_identity);
  edit(tcb, qe);
  c.tcb_info = JSON.stringify(tcb);
  c.qe_identity = JSON.stringify(qe);
  return evaluateTdxUnverified(b.quote, JSON.stringify(c), { at: b.at });
}

const MAR_2026 = 1772323200;
const JUN_2025 = 1749095100;

describe("TDX TCB rules (edited collateral, unverified)", () => {
  // v5 / TD 1.5 quote: TEE_TCB_SVN 0b0104…, TEE_TCB_SVN_2 0d0104…, module TDX_01
  const v5 = () => bundle("go-tdx-guest/tdx_v5_90c06f000000_quote.bin", "dcap-qvl/tdx_quote_outdated_collateral.json", MAR_2026);
  // v4 quote with module major version 0 (TEE_TCB_SVN 030005…): graded by the platform level alone
  const v4m0 = () => bundle("teekit/tdx_v4_edgeless_00806f050000.bin", "automata/tdx_v4_00806f050000_collateral.json", JUN_2025);
  // v4 quote with module version 1 (TEE_TCB_SVN 080108…)
  const v4 = () => bundle("teekit/tdx_v4_gcp_00806f050000.bin", "automata/tdx_v4_00806f050000_collateral.json", JUN_2025);
  const sgx = () => bundle("dcap-qvl/sgx_quote", "dcap-qvl/sgx_quote_collateral.json", 1751328000);

  const module01 = (tcb: Json) => tcb.tdxModuleIdentities.find((m: Json) => m.id === "TDX_01");

  it("baseline: unedited collateral is UpToDate", () => {
    expect(evaluate(v5())).toMatchObject({ status: "UpToDate", error: null });
    expect(evaluate(v4())).toMatchObject({ status: "UpToDate", error: null });
  });

  it("module OutOfDate makes an UpToDate platform OutOfDate and adds the module's advisories", () => {
    const r = evaluate(v4(), (tcb) => {
      module01(tcb).tcbLevels = [
        { tcb: { isvsvn: 9 }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" },
        { tcb: { isvsvn: 2 }, tcbDate: "2024-01-01T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-99999"] },
      ];
    });
    expect(r).toMatchObject({ status: "OutOfDate", advisory_ids: ["INTEL-SA-99999"], error: null });
  });

  it("module OutOfDate keeps 'configuration needed' (Intel's table, not dcap-qvl's max)", () => {
    const r = evaluate(v4(), (tcb) => {
      tcb.tcbLevels[0].tcbStatus = "ConfigurationAndSWHardeningNeeded";
      tcb.tcbLevels[0].advisoryIDs = ["INTEL-SA-00001"];
      module01(tcb).tcbLevels = [{ tcb: { isvsvn: 2 }, tcbDate: "2024-01-01T00:00:00Z", tcbStatus: "OutOfDate" }];
    });
    expect(r).toMatchObject({ status: "OutOfDateConfigurationNeeded", advisory_ids: ["INTEL-SA-00001"], error: null });
  });

  it("module Revoked / platform Revoked / QE Revoked are TCB_REVOKED", () => {
    expect(evaluate(v4(), (tcb) => { module01(tcb).tcbLevels[0].tcbStatus = "Revoked"; }).error?.code).toBe("TCB_REVOKED");
    expect(evaluate(v4(), (tcb) => { tcb.tcbLevels[0].tcbStatus = "Revoked"; }).error?.code).toBe("TCB_REVOKED");
    expect(evaluate(v4(), (_tcb, qe) => { qe.tcbLevels[0].tcbStatus = "Revoked"; }).error?.code).toBe("TCB_REVOKED");
    expect(evaluate(sgx(), (tcb) => { for (const l of tcb.tcbLevels) l.tcbStatus = "Revoked"; }).error?.code).toBe("TCB_REVOKED");
  });

  it("QE OutOfDate converges like the module (and its advisories join the union)", () => {
    const r = evaluate(v4(), (_tcb, qe) => {
      qe.tcbLevels = [
        { tcb: { isvsvn: 99 }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" },
        { tcb: { isvsvn: 1 }, tcbDate: "2020-01-01T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-00002", "INTEL-SA-00001"] },
      ];
    });
    expect(r).toMatchObject({ status: "OutOfDate", advisory_ids: ["INTEL-SA-00001", "INTEL-SA-00002"], error: null });
  });

  it("QE ISVSVN below every QE level is QE_TCB_LEVEL_NOT_FOUND", () => {
    expect(evaluate(v4(), (_tcb, qe) => { for (const l of qe.tcbLevels) l.tcb.isvsvn = 200; }).error?.code).toBe("QE_TCB_LEVEL_NOT_FOUND");
  });

  it("module ISVSVN below every module level is TDX_MODULE_TCB_LEVEL_NOT_FOUND", () => {
    expect(evaluate(v4(), (tcb) => { for (const l of module01(tcb).tcbLevels) l.tcb.isvsvn = 200; }).error?.code)
      .toBe("TDX_MODULE_TCB_LEVEL_NOT_FOUND");
  });

  it("TD 1.5 relaunch advice when the running module (TEE_TCB_SVN_2) is current", () => {
    const levels = (latest: number) => (tcb: Json) => {
      module01(tcb).tcbLevels = [
        { tcb: { isvsvn: latest }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" },
        { tcb: { isvsvn: 11 }, tcbDate: "2024-01-01T00:00:00Z", tcbStatus: "OutOfDate", advisoryIDs: ["INTEL-SA-01036"] },
      ];
    };
    // TEE_TCB_SVN_2[0] = 13 meets the latest module level 13 and [2] = 4 meets the latest level's 3
    expect(evaluate(v5(), levels(13))).toMatchObject({ status: "TDRelaunchAdvised", advisory_ids: ["INTEL-SA-01036"], error: null });
    // latest module level 14 is above TEE_TCB_SVN_2[0]: plain OutOfDate
    expect(evaluate(v5(), levels(14))).toMatchObject({ status: "OutOfDate", error: null });
    // configuration needed on the platform -> the configuration variant
    expect(evaluate(v5(), (tcb) => { levels(13)(tcb); tcb.tcbLevels[0].tcbStatus = "ConfigurationNeeded"; }))
      .toMatchObject({ status: "TDRelaunchAdvisedConfigurationNeeded", error: null });
    // no relaunch advice when the QE is out of date
    expect(evaluate(v5(), (tcb, qe) => {
      levels(13)(tcb);
      qe.tcbLevels = [{ tcb: { isvsvn: 99 }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" },
        { tcb: { isvsvn: 0 }, tcbDate: "2020-01-01T00:00:00Z", tcbStatus: "OutOfDate" }];
    })).toMatchObject({ status: "OutOfDate", error: null });
  });

  it("byte-skip rule: TDX components 0-1 are not compared when TEE_TCB_SVN[1] > 0", () => {
    // the gcp quote has TEE_TCB_SVN 080108…; a level demanding 9 in component 0 still matches (module graded separately)
    expect(evaluate(v4(), (tcb) => { for (const l of tcb.tcbLevels) l.tcb.tdxtcbcomponents[0].svn = 9; }))
      .toMatchObject({ status: "UpToDate", error: null });
    // component 2 is compared: demanding more than the quote's 8 in every level finds no level
    expect(evaluate(v4(), (tcb) => { for (const l of tcb.tcbLevels) l.tcb.tdxtcbcomponents[2].svn = 9; }).error?.code)
      .toBe("TCB_LEVEL_NOT_FOUND");
    // module version 0: all 16 compared
    expect(evaluate(v4m0(), (tcb) => { for (const l of tcb.tcbLevels) l.tcb.tdxtcbcomponents[0].svn = 9; }).error?.code)
      .toBe("TCB_LEVEL_NOT_FOUND");
  });

  it("levels are matched in Intel's canonical order, not JSON order", () => {
    const base = evaluate(v4m0());
    expect(base).toMatchObject({ status: "OutOfDate", error: null });
    expect(evaluate(v4m0(), (tcb) => { tcb.tcbLevels.reverse(); })).toEqual(base);
  });

  it("TDX module identity: missing version, MRSIGNERSEAM, SEAMATTRIBUTES", () => {
    expect(evaluate(v4(), (tcb) => { tcb.tdxModuleIdentities = tcb.tdxModuleIdentities.filter((m: Json) => m.id !== "TDX_01"); }).error?.code)
      .toBe("TDX_MODULE_MISMATCH");
    expect(evaluate(v4(), (tcb) => { module01(tcb).mrsigner = "11".repeat(48); }).error?.code).toBe("TDX_MODULE_MISMATCH");
    expect(evaluate(v4(), (tcb) => { module01(tcb).attributes = "0100000000000000"; }).error?.code).toBe("TDX_MODULE_MISMATCH");
    // module version 0 uses the top-level tdxModule
    expect(evaluate(v4m0(), (tcb) => { tcb.tdxModule.mrsigner = "22".repeat(48); }).error?.code).toBe("TDX_MODULE_MISMATCH");
    // identity ids are compared case-insensitively
    expect(evaluate(v4(), (tcb) => { module01(tcb).id = "tdx_01"; })).toMatchObject({ status: "UpToDate", error: null });
  });

  it("TCB info must fit the quote: TEE type, FMSPC, PCE-ID", () => {
    expect(evaluate(v4(), (tcb) => { tcb.fmspc = "00806F050001"; }).error?.code).toBe("FMSPC_MISMATCH");
    expect(evaluate(v4(), (tcb) => { tcb.fmspc = tcb.fmspc.toLowerCase(); })).toMatchObject({ status: "UpToDate" });
    expect(evaluate(v4(), (tcb) => { tcb.pceId = "0001"; }).error?.code).toBe("PCEID_MISMATCH");
    expect(evaluate(v4(), (tcb) => { tcb.id = "SGX"; delete tcb.tdxModule; delete tcb.tdxModuleIdentities; }).error?.code)
      .toBe("TCB_INFO_MISMATCH");
  });

  it("QE identity must match the QE report", () => {
    const code = (edit: (qe: Json) => void) => evaluate(v4(), (_tcb, qe) => edit(qe)).error?.code;
    expect(code((qe) => { qe.mrsigner = "00".repeat(32); })).toBe("QE_IDENTITY_MISMATCH");
    expect(code((qe) => { qe.isvprodid = 1; })).toBe("QE_IDENTITY_MISMATCH");
    expect(code((qe) => { qe.miscselect = "01000000"; })).toBe("QE_IDENTITY_MISMATCH");
    expect(code((qe) => { qe.attributes = "13000000000000000000000000000000"; })).toBe("QE_IDENTITY_MISMATCH");
    expect(code((qe) => { qe.id = "QE"; })).toBe("QE_IDENTITY_MISMATCH");
    // masked-out bits do not matter
    expect(code((qe) => { qe.miscselect = "00000000"; qe.miscselectMask = "00000000"; })).toBeUndefined();
  });

  it("malformed TCB info / QE identity content is refused, not guessed", () => {
    const tcbCode = (edit: (tcb: Json) => void) => evaluate(v4(), (tcb) => edit(tcb)).error?.code;
    expect(tcbCode((tcb) => { tcb.tcbLevels[0].tcbStatus = "Fine"; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.version = 2; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.tcbLevels[0].tcb.sgxtcbcomponents.pop(); })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.tcbLevels[0].tcb.tdxtcbcomponents[3].svn = -1; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.tcbLevels[0].tcb.pcesvn = 1.5; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.fmspc = "0x806F0500"; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.nextUpdate = "2025-07-04 09:51:38"; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.tcbLevels = []; })).toBe("MALFORMED_TCB_INFO");
    expect(tcbCode((tcb) => { tcb.tcbType = 1; })).toBe("MALFORMED_TCB_INFO");
    const qeCode = (edit: (qe: Json) => void) => evaluate(v4(), (_tcb, qe) => edit(qe)).error?.code;
    expect(qeCode((qe) => { qe.version = 1; })).toBe("MALFORMED_QE_IDENTITY");
    expect(qeCode((qe) => { qe.tcbLevels[0].tcbStatus = "SWHardeningNeeded"; })).toBe("MALFORMED_QE_IDENTITY");
    expect(qeCode((qe) => { delete qe.mrsigner; })).toBe("MALFORMED_QE_IDENTITY");
  });

  it("collateral time windows (checked even for trusted collateral)", () => {
    const r = evaluate(v4(), (tcb) => { tcb.nextUpdate = "2025-06-05T03:44:59Z"; });
    expect(r.error?.code).toBe("COLLATERAL_EXPIRED");
    expect(r.error?.message).toContain("TCB info");
    expect(evaluate(v4(), (_tcb, qe) => { qe.issueDate = "2025-06-05T03:45:01Z"; }).error?.code).toBe("COLLATERAL_NOT_YET_VALID");
    // boundaries are inclusive
    expect(evaluate(v4(), (tcb) => { tcb.nextUpdate = "2025-06-05T03:45:00Z"; }).error).toBeNull();
    expect(evaluate(v4(), (tcb) => { tcb.issueDate = "2025-06-05T03:45:00.999Z"; }).error).toBeNull();
  });
});
