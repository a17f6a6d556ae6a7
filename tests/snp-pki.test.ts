// SEV-SNP paths the real fixtures cannot reach, with a throw-away AMD-shaped PKI (tests/helpers/snp-pki.ts)
// that the verifier trusts only because each test passes its ARK explicitly: AMD CRLs (revoked ASK and
// VCEK, wrong signer, expiry, issuer), certificate profiles (PKCS#1 v1.5, SHA-256, salt 32, small keys),
// a pinned-name ARK with the wrong key, KDS extension rules (VCEK vs VLEK, structVersion, Turin 8-byte
// hwID and fmcSPL, masked CHIP_ID), and both PSS parameter encodings.
import { describe, it, expect, beforeAll } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { verifySnp, type SnpVerdict, type SnpVerifyOptions } from "../src/wasm/snp";
import {
  keys, makeArk, makeAsk, makeVcek, makeReport, signReport, makeCrl, makeCert, amdName, milan, turin,
  type Platform, type Keys,
} from "./helpers/snp-pki";

const AT = 1_800_000_000; // 2027-01-15
const PERMISSIVE = { min_tcb: { milan: {}, genoa: {}, turin: {} } };
let k: Keys;
let ark: Uint8Array, ask: Uint8Array;

beforeAll(() => {
  k = keys();
  ark = makeArk("Milan");
  ask = makeAsk("Milan");
}, 120_000);

function verify(p: Platform, vcek: Uint8Array, report: Uint8Array, options: SnpVerifyOptions = {}): SnpVerdict {
  return verifySnp(report, vcek, { chain: new Uint8Array([...ask, ...ark]), at: AT, policy: PERMISSIVE, roots: { milan: ark }, ...options });
}
const code = (v: SnpVerdict) => v.error?.code ?? null;
const good = (p: Platform = milan()) => ({ vcek: makeVcek(p), report: signReport(makeReport(p)) });

describe("SNP with a test PKI: the baseline", () => {
  it("a test chain verifies only when its ARK is passed explicitly", () => {
    const p = milan();
    const { vcek, report } = good(p);
    const v = verify(p, vcek, report);
    expect(v.error).toBe(null);
    expect(v.claims!.product).toBe("Milan");
    // Default (AMD) roots: the test ARK is not ARK-Milan's pinned key.
    expect(code(verify(p, vcek, report, { roots: undefined }))).toBe("ARK_UNTRUSTED");
  });

  it("both RSASSA-PSS parameter encodings (explicit trailer and DEFAULT) verify", () => {
    const p = milan();
    for (const alg of ["pss", "pss-no-trailer"] as const) {
      expect(verify(p, makeVcek(p, { alg }), signReport(makeReport(p))).error).toBe(null);
    }
  });

  it("a VLEK chain (ASVK) with a VLEK-signed report verifies; cspID reaches the claims", () => {
    const p = milan(true);
    const asvk = makeAsk("Milan", { vlek: true });
    const v = verifySnp(signReport(makeReport(p)), makeVcek(p), { chain: asvk, at: AT, policy: PERMISSIVE, roots: { milan: ark } });
    expect(v.error).toBe(null);
    expect(v.claims!.endorsement!.csp_id).toBe("CN=test-csp.example");
    expect(code(verifySnp(signReport(makeReport(p)), makeVcek(p), { chain: asvk, at: AT, policy: { ...PERMISSIVE, csp_ids: ["CN=other"] }, roots: { milan: ark } })))
      .toBe("SIGNER_NOT_ALLOWED");
  });

  it("Turin: fmcSPL, structVersion 1 and the 8-byte hwID", () => {
    const p = turin();
    const turinArk = makeArk("Turin");
    const turinAsk = makeAsk("Turin");
    const run = (vcek: Uint8Array, report = signReport(makeReport(p, { version: 5 }))) =>
      verifySnp(report, vcek, { chain: turinAsk, at: AT, policy: PERMISSIVE, roots: { turin: turinArk } });
    const ok = run(makeVcek(p));
    expect(ok.error).toBe(null);
    expect(ok.claims!.reported_tcb).toEqual({ raw: "0001000200000047", fmc: 0, bl: 1, tee: 0, snp: 2, ucode: 71 });
    // The full 64-byte chip id as hwID is not Turin's format.
    expect(code(run(makeVcek(p, { kds: { hwId: p.chipId } })))).toBe("CHIP_ID_MISMATCH");
    // CHIP_ID bytes 8..63 must be zero on Turin.
    const chip = p.chipId.slice(); chip[20] = 1;
    expect(code(run(makeVcek(p), signReport(makeReport({ ...p, chipId: chip }, { version: 5 }))))).toBe("CHIP_ID_MISMATCH");
    // A Milan-layout certificate (structVersion 0, no fmcSPL) for Turin.
    expect(code(run(makeVcek(p, { kds: { structVersion: 0 } })))).toBe("VCEK_TCB_MISMATCH");
    expect(code(run(makeVcek(p, { kds: { spl: { 1: 1, 2: 0, 3: 2, 8: 71 } } })))).toBe("VCEK_EXTENSION_MISSING");
    // fmcSPL differs.
    expect(code(run(makeVcek(p, { kds: { spl: { 9: 1, 1: 1, 2: 0, 3: 2, 8: 71 } } })))).toBe("VCEK_TCB_MISMATCH");
  });
});

describe("SNP with a test PKI: KDS extension binding", () => {
  const p = milan();
  const report = () => signReport(makeReport(p));

  it("every SPL must equal REPORTED_TCB (spl4-7 are bytes 2..5)", () => {
    for (const [arc, value] of [[1, 5], [2, 1], [3, 25], [8, 218], [4, 1], [7, 1]]) {
      const spl = { 1: 4, 2: 0, 4: 0, 5: 0, 6: 0, 7: 0, 3: 24, 8: 219, [arc]: value };
      expect([arc, code(verify(p, makeVcek(p, { kds: { spl } }), report()))]).toEqual([arc, "VCEK_TCB_MISMATCH"]);
    }
    // Absent spl4-7 mean zero (KDS omits them on some certificates).
    expect(verify(p, makeVcek(p, { kds: { spl: { 1: 4, 2: 0, 3: 24, 8: 219 } } }), report()).error).toBe(null);
    // The VCEK TCB is compared with REPORTED, not CURRENT: a report whose CURRENT is higher still binds.
    const r = makeReport(p);
    r[0x038 + 6] = 25;
    expect(verify(p, makeVcek(p), signReport(r)).error).toBe(null);
  });

  it("missing, malformed and misplaced extensions", () => {
    expect(code(verify(p, makeVcek(p, { kds: { hwId: null } }), report()))).toBe("VCEK_EXTENSION_MISSING");
    expect(code(verify(p, makeVcek(p, { kds: { structVersion: null } }), report()))).toBe("VCEK_EXTENSION_MISSING");
    expect(code(verify(p, makeVcek(p, { kds: { spl: { 1: 4, 2: 0, 8: 219 } } }), report()))).toBe("VCEK_EXTENSION_MISSING");
    expect(code(verify(p, makeVcek(p, { kds: { cspId: "CN=x" } }), report()))).toBe("SIGNING_KEY_MISMATCH");
    expect(code(verify(p, makeVcek(p, { kds: { spl: { 1: 4, 2: 0, 3: 24, 8: 219, 9: 0 } } }), report()))).toBe("VCEK_TCB_MISMATCH");
    expect(code(verify(p, makeVcek(p, { kds: { spl: { 1: 4, 2: 0, 3: 24, 8: 300 } } }), report()))).toBe("MALFORMED_VCEK");
    // hwID starting with 0x04 / 0x02 is raw bytes, not DER (virtee/snpguest #159).
    const chip = p.chipId.slice(); chip[0] = 0x04; chip[1] = 0x3e;
    const q = { ...p, chipId: chip };
    expect(verify(q, makeVcek(q), signReport(makeReport(q))).error).toBe(null);
  });

  it("productName: the product line must be the chain's, the stepping is free", () => {
    expect(verify(p, makeVcek(p, { kds: { productName: "Milan" } }), report()).error).toBe(null);
    expect(verify(p, makeVcek(p, { kds: { productName: "Milan-B1" } }), report()).error).toBe(null);
    expect(code(verify(p, makeVcek(p, { kds: { productName: "Genoa-B0" } }), report()))).toBe("PRODUCT_MISMATCH");
    expect(code(verify(p, makeVcek(p, { kds: { productName: null } }), report()))).toBe("VCEK_EXTENSION_MISSING");
  });

  it("a VLEK-kind certificate must not carry a hwID", () => {
    const v = milan(true);
    const asvk = makeAsk("Milan", { vlek: true });
    const vcek = makeVcek(v, { kds: { hwId: new Uint8Array(64).fill(1) } });
    expect(code(verifySnp(signReport(makeReport(v)), vcek, { chain: asvk, at: AT, policy: PERMISSIVE, roots: { milan: ark } }))).toBe("SIGNING_KEY_MISMATCH");
  });

  it("a masked CHIP_ID cannot bind a VCEK", () => {
    const q = { ...p, chipId: new Uint8Array(64) };
    expect(code(verify(q, makeVcek(p), signReport(makeReport(q))))).toBe("CHIP_ID_MISMATCH");
  });

  it("the report signature: another P-384 key, and the right key over other bytes", () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const v = verify(p, makeVcek(p), signReport(makeReport(p), other.privateKey));
    expect([code(v), v.error!.stage]).toEqual(["REPORT_SIGNATURE_INVALID", "signature"]);
    const signed = signReport(makeReport(p));
    signed[0x050] ^= 1;
    expect(code(verify(p, makeVcek(p), signed))).toBe("REPORT_SIGNATURE_INVALID");
  });
});

describe("SNP with a test PKI: certificate profiles and names", () => {
  const p = milan();
  const report = () => signReport(makeReport(p));

  it("VCEK signature algorithms other than PSS/SHA-384/salt 48 are CERT_BAD_PROFILE", () => {
    for (const alg of ["pkcs1", "pss-salt32", "pss-sha256"] as const) {
      expect([alg, code(verify(p, makeVcek(p, { alg }), report()))]).toEqual([alg, "CERT_BAD_PROFILE"]);
    }
  });

  it("a VCEK with an RSA or P-256 key is CERT_BAD_PROFILE", () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(code(verify(p, makeVcek(p, { key: p256.publicKey }), report()))).toBe("CERT_BAD_PROFILE");
    expect(code(verify(p, makeVcek(p, { key: k.otherPub }), report()))).toBe("CERT_BAD_PROFILE");
  });

  it("an ASK signed with PKCS#1 v1.5, not a CA, or with a 2048-bit key is CERT_BAD_PROFILE", () => {
    const vcek = makeVcek(p);
    const chainWith = (a: Uint8Array) => verify(p, vcek, report(), { chain: a });
    expect(code(chainWith(makeAsk("Milan", { alg: "pkcs1" })))).toBe("CERT_BAD_PROFILE");
    const notCa = makeCert({ issuer: amdName("ARK-Milan"), subject: amdName("SEV-Milan"), serial: 5n, publicKey: k.askPub, signer: k.ark, extensions: [] });
    expect(code(chainWith(notCa))).toBe("CERT_BAD_PROFILE");
    const small = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(code(chainWith(makeAsk("Milan", { key: small.publicKey })))).toBe("CERT_BAD_PROFILE");
  });

  it("an ASK not signed by the ARK, and a VCEK not signed by the ASK", () => {
    expect(code(verify(p, makeVcek(p), report(), { chain: makeAsk("Milan", { signer: k.other }) }))).toBe("ASK_SIGNATURE_INVALID");
    expect(code(verify(p, makeVcek(p, { signer: k.other }), report()))).toBe("VCEK_SIGNATURE_INVALID");
  });

  it("an 'ARK-Milan' in the chain with another key is ARK_UNTRUSTED", () => {
    const fakeArk = makeArk("Milan", k, k.otherPub, k.other);
    expect(code(verify(p, makeVcek(p), report(), { chain: new Uint8Array([...ask, ...fakeArk]) }))).toBe("ARK_UNTRUSTED");
  });

  it("AMD names: an extra attribute, a wrong locality or a wrong subject CN is CERT_NAME_MISMATCH", () => {
    const vcekNamed = (subject: Uint8Array) => makeCert({ issuer: amdName("SEV-Milan"), subject, serial: 0n, publicKey: k.vcekPub, signer: k.ask,
      alg: "pss-no-trailer", extensions: [] });
    expect(code(verify(p, vcekNamed(amdName("SEV-VCEK", [["2.5.4.5", "1"]])), report()))).toBe("CERT_NAME_MISMATCH");
    expect(code(verify(p, vcekNamed(amdName("VCEK")), report()))).toBe("CERT_NAME_MISMATCH");
    expect(code(verify(p, vcekNamed(amdName("SEV-VLEK")), report()))).toBe("CERT_NAME_MISMATCH");
    const wrongIssuer = makeCert({ issuer: amdName("SEV-Venice"), subject: amdName("SEV-VCEK"), serial: 0n, publicKey: k.vcekPub, signer: k.ask, extensions: [] });
    expect(code(verify(p, wrongIssuer, report()))).toBe("UNSUPPORTED_PRODUCT");
  });

  it("validity: VCEK and ASK windows against `at`", () => {
    expect(code(verify(p, makeVcek(p, { notBefore: AT + 10 }), report()))).toBe("CERT_NOT_YET_VALID");
    expect(code(verify(p, makeVcek(p, { notAfter: AT - 10 }), report()))).toBe("CERT_EXPIRED");
    expect(code(verify(p, makeVcek(p), report(), { chain: makeAsk("Milan", { notAfter: AT - 10 }) }))).toBe("CERT_EXPIRED");
  });
});

describe("SNP with a test PKI: AMD CRLs", () => {
  const p = milan();
  const run = (crl: Uint8Array | string) => { const { vcek, report } = good(p); return verify(p, vcek, report, { crl }); };

  it("an ARK-signed CRL that lists other serials changes nothing (DER and PEM)", () => {
    const crl = makeCrl("Milan", { revoked: [0x999n, 0x010002n] });
    expect(run(crl).error).toBe(null);
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(crl).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END X509 CRL-----\n`;
    expect(run(pem).error).toBe(null);
  });

  it("a revoked ASK is CERT_REVOKED (supplied and pinned-style chains alike)", () => {
    const v = run(makeCrl("Milan", { revoked: [0x010001n] }));
    expect([code(v), v.error!.stage]).toEqual(["CERT_REVOKED", "chain"]);
  });

  it("a CRL listing serial 0 revokes the VCEK", () => {
    expect(code(run(makeCrl("Milan", { revoked: [0n] })))).toBe("CERT_REVOKED");
  });

  it("a revoked ASVK rejects VLEK chains", () => {
    const v = milan(true);
    const asvk = makeAsk("Milan", { vlek: true, serial: 0x010101n });
    const r = verifySnp(signReport(makeReport(v)), makeVcek(v), { chain: asvk, crl: makeCrl("Milan", { revoked: [0x010101n] }), at: AT, policy: PERMISSIVE, roots: { milan: ark } });
    expect(code(r)).toBe("CERT_REVOKED");
  });

  it("a CRL not signed by the ARK (by the ASK, by another key, or PKCS#1 v1.5) is CRL_SIGNATURE_INVALID", () => {
    expect(code(run(makeCrl("Milan", { signer: k.ask })))).toBe("CRL_SIGNATURE_INVALID");
    expect(code(run(makeCrl("Milan", { signer: k.other })))).toBe("CRL_SIGNATURE_INVALID");
    expect(code(run(makeCrl("Milan", { alg: "pkcs1" })))).toBe("CRL_SIGNATURE_INVALID");
    expect(code(run(makeCrl("Milan", { alg: "pss-salt32" })))).toBe("CRL_SIGNATURE_INVALID");
  });

  it("an expired or not yet valid CRL is CRL_EXPIRED; without nextUpdate only thisUpdate counts", () => {
    expect(code(run(makeCrl("Milan", { nextUpdate: AT - 1 })))).toBe("CRL_EXPIRED");
    expect(code(run(makeCrl("Milan", { thisUpdate: AT + 1, nextUpdate: AT + 100 })))).toBe("CRL_EXPIRED");
    expect(run(makeCrl("Milan", { nextUpdate: null })).error).toBe(null);
  });

  it("a CRL from another product's ARK is skipped; a non-AMD issuer is CRL_ISSUER_MISMATCH", () => {
    expect(run(makeCrl("Genoa", { revoked: [0x010001n, 0n] })).error).toBe(null);
    expect(code(run(makeCrl("Milan", { issuer: amdName("Someone Else") })))).toBe("CRL_ISSUER_MISMATCH");
  });

  it("malformed CRL input is MALFORMED_CRL", () => {
    const crl = makeCrl("Milan");
    expect(code(run(crl.slice(0, crl.length - 1)))).toBe("MALFORMED_CRL");
    expect(code(run(new Uint8Array([...crl, 0x00])))).toBe("MALFORMED_CRL");
  });
});
