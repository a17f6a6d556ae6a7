// TDX quote parsing and Intel's TCB evaluation on the real fixtures, without signature checks
// (tdx_evaluate_unverified): every cases.json case whose expectation does not hinge on a signature
// gets its expected status and advisories (or TCB error) from parsing and TCB logic alone.
import { describe, it, expect } from "vitest";
import { parseTdxQuote, evaluateTdxUnverified } from "../src/wasm/tdx";
import { HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText, rootFor, ERROR_CLASS_TO_CODE } from "./helpers/tdx-fixtures";

const cases = loadCases();
// Failures decided by signatures or time are not visible without crypto / with trusted collateral.
const SIGNATURE_OR_TIME = new Set(["quote_signature_invalid", "qe_report_signature_invalid", "tcb_info_signature_invalid",
  "qe_identity_signature_invalid", "untrusted_root", "collateral_expired", "collateral_not_yet_valid",
  "qe_report_data_mismatch_or_invalid_attestation_key"]);

describe("TDX TCB evaluation on cases.json (no signatures)", () => {
  for (const c of cases) {
    if (!c.expect.ok && SIGNATURE_OR_TIME.has(c.expect.error_class!)) continue;
    it(`${c.name}`, () => {
      const r = evaluateTdxUnverified(loadQuote(c.quote), loadText(c.collateral), { root: rootFor(c), at: c.time });
      if (c.expect.ok) {
        expect(r.error).toBeNull();
        expect(r.status).toBe(c.expect.status);
        expect(r.advisory_ids).toEqual(c.expect.advisory_ids);
      } else {
        expect(r.error?.code).toBe(ERROR_CLASS_TO_CODE[c.expect.error_class!]);
      }
    });
  }
});

describe("TDX quote parsing", () => {
  it("parses every distinct fixture quote", () => {
    const seen = new Set<string>();
    for (const c of cases) {
      if (seen.has(c.quote)) continue;
      seen.add(c.quote);
      const p = parseTdxQuote(loadQuote(c.quote));
      if (c.expect.error_class === "decode_error") {
        expect(p.ok, c.quote).toBe(false);
        expect(p.error?.code).toBe("MALFORMED_QUOTE");
      } else {
        expect(p.ok, c.quote + " " + JSON.stringify(p.error)).toBe(true);
      }
    }
  });
});

describe("tdx_parse claims (unverified)", () => {
  it("reports the quote fields and the PCK platform fields of the MANIFEST metadata", () => {
    const p = parseTdxQuote(loadQuote("dcap-qvl/tdx_quote_outdated"));
    expect(p).toMatchObject({ ok: true, verified: false, tee: "tdx", signed_size: 702, cert_type: 5, trailing_bytes: 0, qe_auth_data_size: 32 });
    expect(p.claims).toMatchObject({
      quote_version: 5, body_type: 3, fmspc: "90c06f000000", pce_svn: 13,
      tee_tcb_svn: "07010300000000000000000000000000", tee_tcb_svn2: "0d010300000000000000000000000000",
      td_attributes: "0000001000000000", xfam: "e718060000000000",
      mrtd: "273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d5a9b1b4c0ed0e5ae9a3dbd",
      mrservicetd: "0".repeat(96),
    });
    const sgx = parseTdxQuote(loadQuote("dcap-qvl/sgx_quote"));
    expect(sgx).toMatchObject({ ok: true, tee: "sgx", signed_size: 432 });
    expect(sgx.claims).toMatchObject({
      quote_version: 3, body_type: 1, fmspc: "00a067110000", pce_svn: 13,
      mrenclave: "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
      mrsigner: "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
    });
    // trailing padding is reported, not parsed
    expect(parseTdxQuote(loadQuote("go-tdx-guest/orig/cos-113-tdx-quote.dat"))).toMatchObject({ ok: true, trailing_bytes: 3065 });
  });
});
