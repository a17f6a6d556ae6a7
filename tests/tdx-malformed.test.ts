// Bad input never traps and never verifies: truncation at every length, random bytes, absurd length
// fields, broken collateral. A trap would surface as a WasmAbort / RuntimeError thrown from the call;
// every result here must be a clean MALFORMED_* (or another stable) error.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseTdxQuote, verifyTdx, verifyTdxCollateral } from "../src/wasm/tdx";
import { HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText } from "./helpers/tdx-fixtures";

const V4 = "dcap-qvl/tdx_quote";                                  // 5006 B, sig data ends at 4936
const V5 = "dcap-qvl/tdx_quote_outdated";                         // v5 body type 3, no padding
const SGX = "dcap-qvl/sgx_quote";                                 // v3
const V4_COLL = "dcap-qvl/tdx_quote_collateral.json";
const AT = 1751328000;

/** Offset of the end of the signature data (what a valid parse needs), from the parser itself. */
function signedDataEnd(q: Uint8Array): number {
  const p = parseTdxQuote(q);
  if (!p.ok) throw new Error("fixture does not parse");
  return q.length - p.trailing_bytes!;
}

function u32le(q: Uint8Array, at: number, v: number): Uint8Array {
  const out = q.slice();
  new DataView(out.buffer).setUint32(at, v, true);
  return out;
}

function u16le(q: Uint8Array, at: number, v: number): Uint8Array {
  const out = q.slice();
  new DataView(out.buffer).setUint16(at, v, true);
  return out;
}

describe("TDX malformed quotes", () => {
  it("every fixture quote truncated at every length parses as MALFORMED_QUOTE (or, past the signature data, as the same quote)", () => {
    const seen = new Set<string>();
    let calls = 0;
    for (const c of loadCases()) {
      if (seen.has(c.quote) || c.expect.error_class === "decode_error") continue;
      seen.add(c.quote);
      const q = loadQuote(c.quote);
      const end = signedDataEnd(q);
      for (let n = 0; n < q.length; n++) {
        const p = parseTdxQuote(q.subarray(0, n));
        calls++;
        if (n < end) {
          expect(p.ok, `${c.quote} cut at ${n}`).toBe(false);
          expect(p.error?.code).toBe("MALFORMED_QUOTE");
        } else {
          expect(p.ok, `${c.quote} cut at ${n}`).toBe(true);
          expect(p.trailing_bytes).toBe(n - end);
        }
      }
    }
    expect(calls).toBeGreaterThan(60_000);
  });

  it("full verification of a truncated quote is MALFORMED_QUOTE at every length (v4, v5, SGX v3)", () => {
    for (const [path, coll] of [[V4, V4_COLL], [V5, "dcap-qvl/tdx_quote_outdated_collateral.json"], [SGX, "dcap-qvl/sgx_quote_collateral.json"]]) {
      const q = loadQuote(path);
      const collateral = loadText(coll);
      const end = signedDataEnd(q);
      for (let n = 0; n < end; n += 1) {
        const v = verifyTdx(q.subarray(0, n), collateral, { at: AT });
        expect(v.ok).toBe(false);
        expect(v.error?.code, `${path} cut at ${n}`).toBe("MALFORMED_QUOTE");
        expect(v.claims).toBeNull();
      }
    }
  });

  it("absurd length fields are MALFORMED_QUOTE", () => {
    const q = loadQuote(V4);          // v4: sig data length @632, type-6 size @632+4+130, auth size @632+4+134+384+64
    const v5 = loadQuote(V5);         // v5: body size @50
    const sig = 632, t6 = sig + 4 + 128, auth = sig + 4 + 134 + 384 + 64, t5 = auth + 2 + 32;
    const bad = [
      u32le(q, sig, 0xffffffff), u32le(q, sig, 0x7fffffff), u32le(q, sig, 0), u32le(q, sig, 4301), u32le(q, sig, 4299),
      u32le(q, t6 + 2, 0xffffffff), u32le(q, t6 + 2, 0), u16le(q, t6, 5),
      u16le(q, auth, 0xffff), u16le(q, auth, 33), u16le(q, auth, 31),
      u32le(q, t5 + 2, 0xffffffff), u32le(q, t5 + 2, 3677), u16le(q, t5, 7), u16le(q, t5, 0),
      u32le(v5, 50, 0xffffffff), u32le(v5, 50, 584), u16le(v5, 48, 1), u16le(v5, 48, 4),
      u16le(q, 0, 6), u16le(q, 0, 2), u16le(q, 2, 3), u32le(q, 4, 0), u32le(q, 8, 1), u16le(q, 12, 0),
    ];
    for (const b of bad) {
      expect(parseTdxQuote(b).error?.code).toBe("MALFORMED_QUOTE");
      expect(verifyTdx(b, loadText(V4_COLL), { at: AT }).error?.code).toBe("MALFORMED_QUOTE");
    }
  });

  it("random bytes, and random bytes behind a valid header, are MALFORMED_QUOTE", () => {
    const header = loadQuote(V4).subarray(0, 48);
    const collateral = loadText(V4_COLL);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 6000 }), fc.boolean(), (tail, withHeader) => {
      const q = withHeader ? new Uint8Array([...header, ...tail]) : tail;
      const p = parseTdxQuote(q);
      if (p.ok) return false;
      const v = verifyTdx(q, collateral, { at: AT });
      return !v.ok && v.error!.code === "MALFORMED_QUOTE";
    }), { numRuns: 300 });
  });

  it("a valid layout with random content never traps and never verifies", () => {
    const q = loadQuote(V4);
    const collateral = loadText(V4_COLL);
    // keep the header and every length field, randomise the rest of the signature data
    fc.assert(fc.property(fc.uint8Array({ minLength: 4300, maxLength: 4300 }), (noise) => {
      const m = q.slice();
      for (let i = 0; i < noise.length; i++) {
        const at = 636 + i;
        const isLength = (at >= 764 && at < 770) || (at >= 1218 && at < 1220) || (at >= 1252 && at < 1258);
        if (!isLength) m[at] = noise[i];
      }
      const v = verifyTdx(m, collateral, { at: AT });
      return !v.ok && v.error !== null && /^[A-Z_]+$/.test(v.error.code);
    }), { numRuns: 50 });
  });
});

describe("TDX malformed collateral, root and policy", () => {
  const q = () => loadQuote(V4);

  it("collateral truncated anywhere is MALFORMED_COLLATERAL", () => {
    const text = loadText(V4_COLL);
    for (let n = 0; n < text.length; n += 37) {
      const v = verifyTdx(q(), text.slice(0, n), { at: AT });
      expect(v.error?.code, `cut at ${n}`).toBe("MALFORMED_COLLATERAL");
      expect(verifyTdxCollateral(text.slice(0, n), { at: AT }).error?.code).toBe("MALFORMED_COLLATERAL");
    }
  });

  it("every collateral field, missing or wrong, gives a stable error", () => {
    const base = JSON.parse(loadText(V4_COLL));
    const expected: Record<string, string> = {
      pck_crl_issuer_chain: "MALFORMED_COLLATERAL", root_ca_crl: "MALFORMED_COLLATERAL", pck_crl: "MALFORMED_COLLATERAL",
      tcb_info_issuer_chain: "MALFORMED_COLLATERAL", tcb_info: "MALFORMED_COLLATERAL", tcb_info_signature: "MALFORMED_COLLATERAL",
      qe_identity_issuer_chain: "MALFORMED_COLLATERAL", qe_identity: "MALFORMED_COLLATERAL", qe_identity_signature: "MALFORMED_COLLATERAL",
    };
    for (const key of Object.keys(expected)) {
      const missing = { ...base };
      delete missing[key];
      expect(verifyTdx(q(), JSON.stringify(missing), { at: AT }).error?.code, `missing ${key}`).toBe(expected[key]);
      expect(verifyTdx(q(), JSON.stringify({ ...base, [key]: 42 }), { at: AT }).error?.code, `number ${key}`).toBe(expected[key]);
    }
    const garbled = (key: string, value: string) => verifyTdx(q(), JSON.stringify({ ...base, [key]: value }), { at: AT }).error?.code;
    expect(garbled("root_ca_crl", "zz")).toBe("MALFORMED_COLLATERAL");
    expect(garbled("root_ca_crl", "3000")).toBe("MALFORMED_CRL");
    expect(garbled("pck_crl", base.pck_crl.slice(0, 200))).toBe("MALFORMED_CRL");
    expect(garbled("tcb_info_signature", "00".repeat(63))).toBe("MALFORMED_COLLATERAL");
    expect(garbled("tcb_info_issuer_chain", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).toBe("MALFORMED_CERTIFICATE");
    expect(garbled("tcb_info_issuer_chain", "no pem here")).toBe("MALFORMED_CERTIFICATE");
    expect(garbled("qe_identity_issuer_chain", base.pck_crl_issuer_chain.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"))
      .toBe("CERT_CHAIN_INVALID");
    expect(verifyTdx(q(), "[]", { at: AT }).error?.code).toBe("MALFORMED_COLLATERAL");
    expect(verifyTdx(q(), "", { at: AT }).error?.code).toBe("MALFORMED_COLLATERAL");
    expect(verifyTdx(q(), "{\"a\":" + "[".repeat(5000), { at: AT }).error?.code).toBe("MALFORMED_COLLATERAL");
  });

  it("random collateral bytes never trap", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
      const v = verifyTdx(q(), bytes, { at: AT });
      return !v.ok && v.error!.code === "MALFORMED_COLLATERAL";
    }), { numRuns: 200 });
  });

  it("a bad root is MALFORMED_ROOT; a bad policy is MALFORMED_POLICY", () => {
    const coll = loadText(V4_COLL);
    expect(verifyTdx(q(), coll, { at: AT, root: new Uint8Array([1, 2, 3]) }).error?.code).toBe("MALFORMED_ROOT");
    expect(verifyTdx(q(), coll, { at: AT, root: new TextEncoder().encode("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----") }).error?.code)
      .toBe("MALFORMED_ROOT");
    for (const policy of [{ bogus: true }, { allow_debug: "yes" }, { accepted_statuses: ["Fine"] }, { accepted_statuses: "UpToDate" },
      { allowed_advisories: [1] }, { min_tcb_evaluation_data_number: -1 }, { min_tcb_evaluation_data_number: "18" }]) {
      expect(verifyTdx(q(), coll, { at: AT, policy: policy as never }).error?.code, JSON.stringify(policy)).toBe("MALFORMED_POLICY");
    }
  });
});
