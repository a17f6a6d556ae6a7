// SEV-SNP end-to-end verification (assembly/snp/verify.ts) on the real fixtures: every case of
// shared/fixtures/snp/expected.json gives its recorded outcome, node:crypto agrees on every chain link
// and report signature, the pinned roots are the fixture roots, and the real-data negatives and peer
// pitfalls of spec snp.md §7 are refused with the right code and stage.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { verifySnp, checkSnpLink, appraiseSnp, type SnpVerdict, type SnpVerifyOptions } from "../src/wasm/snp";
import {
  HAVE_SNP_FIXTURES, REQUIRE_FIXTURES, SNP_DIR, expectedCases, read, hex, certsOf, endorsementDer, insideValidity,
  nodePssLink, nodeReportSignature, rsaModulusHex, tbsAndSignature, type ExpectedCase,
} from "./helpers/snp-fixtures";

if (!HAVE_SNP_FIXTURES) {
  if (REQUIRE_FIXTURES) it("SNP fixtures are present (CI)", () => { throw new Error(`missing ${SNP_DIR}/expected.json`); });
  else console.warn(`[snp] SKIPPED real-evidence tests: no fixtures at ${SNP_DIR} (set TEE_ATTEST_FIXTURES)`);
}

const cases = expectedCases();
const valid = cases.filter((c) => c.expect.signature_valid);
const byPrefix = (prefix: string): ExpectedCase => cases.find((c) => c.report.startsWith(prefix))!;
/** No minimum TCB, VMPL 0-3, debug allowed: only crypto and binding can fail. */
const PERMISSIVE = { allow_debug: true, allowed_vmpls: [0, 1, 2, 3], min_tcb: { milan: {}, genoa: {}, turin: {} } };

function verifyCase(c: ExpectedCase, options: SnpVerifyOptions = {}): SnpVerdict {
  return verifySnp(read(c.report), read(c.endorsement_cert), { chain: read(c.ask_ark_chain), at: insideValidity(c), policy: PERMISSIVE, ...options });
}
const code = (v: SnpVerdict) => v.error?.code ?? null;

describe("SNP verification of every expected.json case", () => {
  for (const c of cases) {
    const want = c.expect.signature_valid ? "accepted" : "REPORT_SIGNATURE_INVALID";
    it(`${c.report} + ${c.endorsement_cert}: ${want}`, () => {
      // node:crypto, independently: every link of the chain and the report signature.
      const [ask, ark] = certsOf(read(c.ask_ark_chain));
      const vcek = endorsementDer(c);
      expect(nodePssLink(ark, ark) && nodePssLink(ask, ark) && nodePssLink(vcek, ask)).toBe(c.expect.chain_valid);
      expect(nodeReportSignature(read(c.report), vcek)).toBe(c.expect.signature_valid);

      const v = verifyCase(c);
      expect(v.tee).toBe("snp");
      if (c.expect.signature_valid) {
        expect(v.error).toBe(null);
        expect(v.ok).toBe(true);
        expect(v.status).toBe("UpToDate");
      } else {
        expect(code(v)).toBe("REPORT_SIGNATURE_INVALID");
        expect(v.error!.stage).toBe("signature");
        expect(v.ok).toBe(false);
      }
      const claims = v.claims!;
      expect(claims.product).toBe(c.product);
      expect(claims.product_source).toBe(c.report_version >= 3 ? "cpuid" : "chain");
      expect(claims.signing_key).toBe(c.signing_key);
      expect(claims.measurement).toBe(c.fields.measurement);
      expect(claims.report_data).toBe(c.fields.report_data);
      expect(claims.host_data).toBe(c.fields.host_data);
      expect(claims.chip_id).toBe(c.fields.chip_id);
      expect(claims.reported_tcb).toEqual(c.fields.reported_tcb_parts);
      expect(claims.current_tcb.raw).toBe(c.fields.current_tcb);
      expect(claims.committed_tcb.raw).toBe(c.fields.committed_tcb);
      expect(claims.launch_tcb.raw).toBe(c.fields.launch_tcb);
      expect(claims.vmpl).toBe(c.fields.vmpl);
      expect(claims.policy).toBe(c.fields.policy);
      expect(claims.endorsement).toMatchObject({ kind: c.signing_key, product_name: c.cert.productName, csp_id: c.cert.cspId });
    });
  }

  for (const c of valid) {
    it(`${c.report}: same outcome with the pinned intermediates (no chain supplied)`, () => {
      expect(verifyCase(c, { chain: undefined }).ok).toBe(true);
    });
  }

  it("debug and VMPL 1 fixtures fail policy, not crypto; the MANIFEST minimum-TCB set fails with TCB_BELOW_MINIMUM", () => {
    const strict = (c: ExpectedCase) => verifyCase(c, { policy: {} });
    const debug = strict(byPrefix("go-sev-guest/"));
    expect([code(debug), debug.error!.stage]).toEqual(["DEBUG_ENABLED", "policy"]);
    const vmpl = strict(byPrefix("secret-vm-kms/"));
    expect([code(vmpl), vmpl.error!.stage]).toEqual(["VMPL_NOT_ALLOWED", "policy"]);
    for (const prefix of ["virtee-sev/", "automata/", "constellation-azure/", "dstack/"]) {
      const v = strict(byPrefix(prefix));
      expect([prefix, code(v), v.error!.stage]).toEqual([prefix, "TCB_BELOW_MINIMUM", "policy"]);
    }
    for (const prefix of ["routex-client-lua/milan_v3", "constellation-aws-vlek/", "tinfoil-js/", "routex-client-lua/genoa_v5",
      "routex-client-lua/genoa_v3", "routex-client-lua/turin"]) {
      expect([prefix, strict(byPrefix(prefix)).ok]).toEqual([prefix, true]);
    }
  });
});

describe("SNP chain links: verifier.wasm vs node:crypto", () => {
  /** Every (child, issuer) pair of the fixtures: ARK self-signatures, ARK -> ASK/ASVK, ASK/ASVK -> VCEK/VLEK. */
  function links(): [string, Uint8Array, Uint8Array][] {
    const out: [string, Uint8Array, Uint8Array][] = [];
    for (const f of ["ask_ark_milan.pem", "ask_ark_milan_vlek.pem", "ask_ark_genoa.pem", "ask_ark_genoa_vlek.pem", "ask_ark_turin_vcek.pem", "ask_ark_turin_vlek.pem"]) {
      const [ask, ark] = certsOf(read(`roots/${f}`));
      out.push([`${f} ARK self`, ark, ark], [`${f} ARK->ASK`, ask, ark]);
    }
    for (const c of cases) out.push([`${c.endorsement_cert} ASK->VCEK`, endorsementDer(c), certsOf(read(c.ask_ark_chain))[0]]);
    const [genoaAsk] = certsOf(read("roots/ask_ark_genoa.pem"));
    out.push(["tampered Genoa VCEK", read("routex-client-lua/vcek_genoa_issuer_turin_product.der"), genoaAsk]);
    const [turinAsk] = certsOf(read("roots/ask_ark_turin_vcek.pem"));
    out.push(["virtee Turin VCEK", read("virtee-sev/turin_vcek_no_report.der"), turinAsk]);
    // Wrong issuer: a VCEK against the ARK instead of its ASK.
    out.push(["VCEK against ARK", endorsementDer(cases[0]), certsOf(read(cases[0].ask_ark_chain))[1]]);
    return out;
  }

  it("every link agrees with node:crypto (RSASSA-PSS SHA-384 salt 48)", () => {
    for (const [name, child, issuer] of links()) {
      const ours = checkSnpLink(child, issuer);
      expect([name, "signature" in ours && ours.signature]).toEqual([name, nodePssLink(child, issuer)]);
      if ("profile" in ours) expect([name, ours.profile]).toEqual([name, true]);
    }
  });

  it("every link still agrees after a bit flip in the signature or the TBS", () => {
    let disagreements = 0, checked = 0;
    for (const [name, child, issuer] of links()) {
      const { tbsStart, tbsEnd } = tbsAndSignature(child);
      for (const at of [tbsStart + 20, Math.floor((tbsStart + tbsEnd) / 2), tbsEnd - 3, child.length - 1, child.length - 100]) {
        const bad = child.slice();
        bad[at] ^= 0x10;
        const ours = checkSnpLink(bad, issuer);
        let node = false;
        try { node = nodePssLink(bad, issuer); } catch { node = false; }
        const mine = "signature" in ours && ours.signature;
        checked++;
        if (mine !== node) { disagreements++; console.log(name, at, mine, node); }
        expect(mine).toBe(false);
      }
    }
    expect([checked, disagreements]).toEqual([checked, 0]);
  });
});

describe("SNP pinned roots", () => {
  const source = readFileSync(join(__dirname, "..", "assembly", "snp", "roots.ts"), "utf8");
  const constant = (name: string) => new RegExp(`const ${name} =\\s*"([0-9a-f]+)";`).exec(source)?.[1];
  const files: [string, string, string][] = [
    ["MILAN", "ask_ark_milan.pem", "ask_ark_milan_vlek.pem"], ["GENOA", "ask_ark_genoa.pem", "ask_ark_genoa_vlek.pem"],
    ["TURIN", "ask_ark_turin_vcek.pem", "ask_ark_turin_vlek.pem"],
  ];
  for (const [p, vcekChain, vlekChain] of files) {
    it(`${p}: ARK, ASK and ASVK constants are the fixture keys, and the ARK signed both intermediates (node:crypto)`, () => {
      const [ask, ark] = certsOf(read(`roots/${vcekChain}`));
      const [asvk, ark2] = certsOf(read(`roots/${vlekChain}`));
      expect(hex(ark)).toBe(hex(ark2));
      expect(constant(`${p}_ARK_MODULUS`)).toBe(rsaModulusHex(ark));
      expect(constant(`${p}_ASK_MODULUS`)).toBe(rsaModulusHex(ask));
      expect(constant(`${p}_ASVK_MODULUS`)).toBe(rsaModulusHex(asvk));
      expect(nodePssLink(ark, ark) && nodePssLink(ask, ark) && nodePssLink(asvk, ark)).toBe(true);
    });
  }
});

describe("SNP chain and binding negatives (real data, spec snp.md §7)", () => {
  const genoa = () => byPrefix("tinfoil-js/");
  const milan = () => byPrefix("routex-client-lua/milan_v3");
  const turin = () => byPrefix("routex-client-lua/turin");
  const aws = () => byPrefix("constellation-aws-vlek/");

  it("the tampered Genoa VCEK (productName rewritten to Turin) fails ASK -> VCEK, as node:crypto says", () => {
    const c = byPrefix("routex-client-lua/genoa_v3");
    const tampered = read("routex-client-lua/vcek_genoa_issuer_turin_product.der");
    const [ask] = certsOf(read("roots/ask_ark_genoa.pem"));
    expect(nodePssLink(tampered, ask)).toBe(false);
    const v = verifySnp(read(c.report), tampered, { chain: read(c.ask_ark_chain), at: insideValidity(c), policy: PERMISSIVE });
    expect([code(v), v.error!.stage]).toEqual(["VCEK_SIGNATURE_INVALID", "chain"]);
  });

  it("another chip's VCEK (same product) fails the TCB or chip-id binding", () => {
    const a = byPrefix("routex-client-lua/genoa_v3"), b = genoa();
    const v = verifySnp(read(a.report), read(b.endorsement_cert), { at: insideValidity(b), policy: PERMISSIVE });
    expect(["VCEK_TCB_MISMATCH", "CHIP_ID_MISMATCH"]).toContain(code(v));
    expect(v.error!.stage).toBe("binding");
    // Same TCB (bl9 snp23 uc72), different chip: secret-vm-kms report with the routex Genoa v3 VCEK.
    const s = byPrefix("secret-vm-kms/");
    const w = verifySnp(read(s.report), read(a.endorsement_cert), { at: insideValidity(a), policy: PERMISSIVE });
    expect(code(w)).toBe("CHIP_ID_MISMATCH");
  });

  it("a Genoa VCEK with the Milan chain fails (no silent fallback to the pinned ASK)", () => {
    const c = genoa();
    const v = verifySnp(read(c.report), read(c.endorsement_cert), { chain: read("roots/ask_ark_milan.pem"), at: insideValidity(c), policy: PERMISSIVE });
    expect(code(v)).toBe("CERT_NAME_MISMATCH");
  });

  it("a Genoa (CPUID) report with a Milan VCEK is PRODUCT_MISMATCH", () => {
    const v = verifySnp(read(genoa().report), read(milan().endorsement_cert), { at: insideValidity(milan()), policy: PERMISSIVE });
    expect(code(v)).toBe("PRODUCT_MISMATCH");
  });

  it("v2 report: the product is the chain's (Genoa v2 report without its VCEK binds to nothing)", () => {
    const c = byPrefix("routex-client-lua/genoa_v3");
    const v = verifySnp(read("routex-client-lua/genoa_v2_report.bin"), read(c.endorsement_cert), { at: insideValidity(c), policy: PERMISSIVE });
    expect(v.claims!.product).toBe("Genoa");
    expect(v.claims!.product_source).toBe("chain");
    expect(v.error!.stage).toBe("binding");
  });

  it("SIGNING_KEY set to VLEK while a VCEK is supplied: SIGNING_KEY_MISMATCH", () => {
    const c = milan();
    const report = read(c.report);
    report[0x48] |= 1 << 2;
    const v = verifySnp(report, read(c.endorsement_cert), { at: insideValidity(c), policy: PERMISSIVE });
    expect([code(v), v.error!.stage]).toEqual(["SIGNING_KEY_MISMATCH", "binding"]);
  });

  it("a VCEK report with the VLEK of another machine, and a VLEK report with a VCEK: SIGNING_KEY_MISMATCH", () => {
    const vlek = aws();
    const v1 = verifySnp(read(milan().report), read(vlek.endorsement_cert), { at: insideValidity(vlek), policy: PERMISSIVE });
    expect(code(v1)).toBe("SIGNING_KEY_MISMATCH");
    const v2 = verifySnp(read(vlek.report), read(milan().endorsement_cert), { at: insideValidity(milan()), policy: PERMISSIVE });
    expect(code(v2)).toBe("SIGNING_KEY_MISMATCH");
  });

  it("a VLEK chain used for a VCEK (ASVK instead of ASK) fails", () => {
    const c = milan();
    const v = verifySnp(read(c.report), read(c.endorsement_cert), { chain: read("roots/ask_ark_milan_vlek.pem"), at: insideValidity(c), policy: PERMISSIVE });
    expect(code(v)).toBe("CERT_NAME_MISMATCH");
  });

  it("the Turin VCEK without a report chains to ARK-Turin but binds to nothing else", () => {
    const c = turin();
    const v = verifySnp(read(c.report), read("virtee-sev/turin_vcek_no_report.der"), { chain: read("virtee-sev/cert_chain_turin.pem"), at: 1_750_000_000, policy: PERMISSIVE });
    expect(v.error!.stage).toBe("binding");
    expect(code(v)).toBe("VCEK_TCB_MISMATCH");
  });

  it("certificate validity against `at`: the AWS VLEK (2024-12-10 .. 2025-12-10)", () => {
    const c = aws();
    expect(verifyCase(c, { at: Date.parse("2025-06-01T00:00:00Z") / 1000 }).ok).toBe(true);
    expect(code(verifyCase(c, { at: Date.parse("2026-01-01T00:00:00Z") / 1000 }))).toBe("CERT_EXPIRED");
    expect(code(verifyCase(c, { at: Date.parse("2024-12-01T00:00:00Z") / 1000 }))).toBe("CERT_NOT_YET_VALID");
    expect(code(verifyCase(c, { at: new Date("2025-12-10T22:30:16Z") }))).toBe(null); // notAfter itself is inside
  });

  it("bundles: VCEK+ASK+ARK in one PEM, DER ASK+ARK concatenated, dstack's lone ASK PEM", () => {
    const g = byPrefix("routex-client-lua/genoa_v5");
    expect(verifySnp(read(g.report), read(g.endorsement_cert), { at: insideValidity(g), policy: PERMISSIVE }).ok).toBe(true);
    const s = byPrefix("secret-vm-kms/");
    const der = new Uint8Array([...read("secret-vm-kms/ask_genoa.der"), ...read("secret-vm-kms/ark_genoa.der")]);
    expect(verifySnp(read(s.report), read(s.endorsement_cert), { chain: der, at: insideValidity(s), policy: PERMISSIVE }).ok).toBe(true);
    const d = byPrefix("dstack/");
    expect(verifySnp(read(d.report), read(d.endorsement_cert), { chain: read("dstack/ask_milan.pem"), at: insideValidity(d), policy: PERMISSIVE }).ok).toBe(true);
  });

  it("custom roots replace the AMD store: the wrong ARK is ARK_UNTRUSTED, the right one needs the chain", () => {
    const c = byPrefix("automata/"); // a bare DER VCEK (routex bundles the ASK into its VCEK PEM)
    const [askMilan, arkMilan] = certsOf(read("roots/ask_ark_milan.pem"));
    const [, arkGenoa] = certsOf(read("roots/ask_ark_genoa.pem"));
    expect(code(verifyCase(c, { roots: { milan: arkGenoa } }))).toBe("ARK_UNTRUSTED");
    expect(code(verifyCase(c, { roots: { genoa: arkGenoa } }))).toBe("ARK_UNTRUSTED");
    expect(verifyCase(c, { roots: { milan: arkMilan } }).ok).toBe(true);
    expect(code(verifyCase(c, { roots: { milan: arkMilan }, chain: undefined }))).toBe("CHAIN_INCOMPLETE");
    expect(verifyCase(c, { roots: { milan: arkMilan }, chain: askMilan }).ok).toBe(true);
  });

  it("a stray certificate in the chain is refused", () => {
    const c = milan();
    const [, arkGenoa] = certsOf(read("roots/ask_ark_genoa.pem"));
    const [ask, ark] = certsOf(read("roots/ask_ark_milan.pem"));
    const chain = new Uint8Array([...ask, ...ark, ...arkGenoa]);
    expect(code(verifyCase(c, { chain }))).toBe("CERT_NAME_MISMATCH");
  });

  it("re-appraising a v2 report needs the product its chain proved", () => {
    const c = byPrefix("virtee-sev/");
    const v = appraiseSnp(read(c.report), undefined, PERMISSIVE);
    expect(code(v)).toBe("UNSUPPORTED_PRODUCT");
    expect(appraiseSnp(read(c.report), "Milan", PERMISSIVE).ok).toBe(true);
  });

  it("routex: the signature replaced by 'W' x 512 and a zeroed report are refused at parse", () => {
    const report = read(milan().report);
    report.fill(0x57, 0x2a0, 0x330); // both 72-byte scalars
    expect(code(verifySnp(report, read(milan().endorsement_cert), { policy: PERMISSIVE }))).toBe("MALFORMED_REPORT_SIGNATURE");
    expect(code(verifySnp(new Uint8Array(1184), read(milan().endorsement_cert)))).toBe("MALFORMED_REPORT_VERSION");
    expect(code(verifySnp(read(milan().report).slice(0, 200), read(milan().endorsement_cert)))).toBe("MALFORMED_REPORT_LENGTH");
  });

  it("non-zero bytes in the unsigned tail are refused although the signature is valid", () => {
    const report = read(milan().report);
    report[0x400] = 1;
    expect(code(verifyCase(milan(), {}))).toBe(null);
    expect(code(verifySnp(report, read(milan().endorsement_cert), { at: insideValidity(milan()), policy: PERMISSIVE }))).toBe("MALFORMED_REPORT_RESERVED");
  });

  it("missing or malformed endorsement, chain and CRL inputs are MALFORMED_*", () => {
    const c = milan();
    const opts = { at: insideValidity(c), policy: PERMISSIVE };
    expect(code(verifySnp(read(c.report), new Uint8Array(0), opts))).toBe("MALFORMED_VCEK");
    expect(code(verifySnp(read(c.report), read(c.endorsement_cert).slice(0, 100), opts))).toBe("MALFORMED_VCEK");
    expect(code(verifySnp(read(c.report), "-----BEGIN CERTIFICATE-----\nAAAA\n", opts))).toBe("MALFORMED_VCEK");
    expect(code(verifySnp(read(c.report), read(c.endorsement_cert), { ...opts, chain: new Uint8Array([0x30, 0x03, 0x02]) }))).toBe("MALFORMED_CHAIN");
    expect(code(verifySnp(read(c.report), read(c.endorsement_cert), { ...opts, crl: new Uint8Array([0x30, 0x00]) }))).toBe("MALFORMED_CRL");
    expect(code(verifySnp(read(c.report), read(c.endorsement_cert), { ...opts, chain: "-----BEGIN X509 CRL-----\n" }))).toBe("MALFORMED_CHAIN");
  });
});
