// The simulated SEV-SNP hardware (src/sim/snp.ts) against our verifier and node:crypto: every product,
// report version and signer kind verifies with the test ARK as the only root (and is refused with AMD's
// pinned roots); every field lands at its offset and comes back in the claims; each fault is rejected
// with its own stable code and stage; node:crypto independently checks every sim signature (ARK self,
// ARK->ASK/ASVK, ASK->VCEK, ASVK->VLEK, the CRL, the report) and that the certificates parse as X.509.
import { describe, it, expect, beforeAll } from "vitest";
import { X509Certificate, verify as nodeVerify, constants, createPublicKey } from "node:crypto";
import { verifySnp, type SnpVerdict, type SnpVerifyOptions } from "../src/wasm/snp";
import { simulateSnp, snpTestCa, SNP_FAULTS, SNP_FAULT_NAMES, type SimulatedSnp, type SimulateSnpOptions, type SnpProduct } from "../src/sim/snp";
import { encodeTcb } from "../src/sim/snp-report";
import { tbsAndSignature, nodePssLink, nodeReportSignature } from "./helpers/snp-fixtures";

const PRODUCTS: SnpProduct[] = ["Milan", "Genoa", "Turin"];

beforeAll(() => { for (const p of PRODUCTS) snpTestCa(p); }, 180_000);

function check(sim: SimulatedSnp, extra: SnpVerifyOptions = {}): SnpVerdict {
  return verifySnp(sim.report, sim.vcek, {
    chain: sim.chainPem, crl: sim.crl, at: sim.at, roots: sim.roots, ...(sim.expect.policy ? { policy: sim.expect.policy } : {}), ...extra,
  });
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("simulated SNP: accepted on every product, version and signer", () => {
  const combos: Array<[SnpProduct, 2 | 3 | 5, "VCEK" | "VLEK"]> = [];
  for (const p of PRODUCTS) for (const v of [2, 3, 5] as const) for (const s of ["VCEK", "VLEK"] as const) combos.push([p, v, s]);

  it.each(combos)("%s v%i signed by a %s", (product, version, signer) => {
    const sim = simulateSnp({ product, version, signer });
    expect(sim.report.length).toBe(1184);
    expect(sim.expect.code).toBe(null);
    const v = check(sim);
    expect(v.error).toBe(null);
    expect(v.ok).toBe(true);
    expect(v.claims!.product).toBe(product);
    expect(v.claims!.product_source).toBe(version >= 3 ? "cpuid" : "chain");
    expect(v.claims!.version).toBe(version);
    expect(v.claims!.signing_key).toBe(signer);
    expect(v.claims!.endorsement!.kind).toBe(signer);
    // AMD's pinned roots do not trust the test ARK.
    expect(check(sim, { roots: undefined }).error!.code).toBe("ARK_UNTRUSTED");
  });

  it("both VCEK PSS parameter encodings, DER and PEM chains, and a clean CRL verify", () => {
    for (const vcekPss of ["explicit-trailer", "default-trailer"] as const) {
      const sim = simulateSnp({ vcekPss, withCrl: true });
      expect(sim.crl).toBeDefined();
      expect(check(sim).error).toBe(null);
      expect(check(sim, { chain: new Uint8Array([...sim.chain.ask, ...sim.chain.ark]) }).error).toBe(null);
    }
  });
});

describe("simulated SNP: fields land where the verifier reads them", () => {
  it("Turin: FMC in the TCB, an 8-byte chip id, structVersion-1 VCEK", () => {
    const chipId = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const sim = simulateSnp({ product: "Turin", version: 5, chipId, tcb: { fmc: 3, bl: 2, tee: 1, snp: 5, ucode: 0x50 } });
    const v = check(sim);
    expect(v.error).toBe(null);
    expect(v.claims!.reported_tcb).toEqual({ raw: "0302010500000050", fmc: 3, bl: 2, tee: 1, snp: 5, ucode: 0x50 });
    expect(v.claims!.chip_id).toBe(hex(chipId) + "00".repeat(56));
    expect(hex(sim.report.subarray(0x180, 0x188))).toBe("0302010500000050");
  });

  it("every settable field comes back in the claims", () => {
    const measurement = new Uint8Array(48).fill(0xab), reportData = new Uint8Array(64).map((_, i) => i), hostData = new Uint8Array(32).fill(0x11);
    const idKeyDigest = new Uint8Array(48).fill(0x22), familyId = new Uint8Array(16).fill(3), imageId = new Uint8Array(16).fill(4);
    const chipId = new Uint8Array(64).map((_, i) => 255 - i);
    const sim = simulateSnp({
      product: "Genoa", version: 5, measurement, reportData, hostData, idKeyDigest, familyId, imageId, chipId, guestSvn: 7,
      tcb: { bl: 9, tee: 1, snp: 30, ucode: 0x90 }, currentTcb: { snp: 31 }, committedTcb: { snp: 31 }, launchTcb: { snp: 29 },
      firmware: { major: 1, minor: 55, build: 52 }, committedFirmware: { major: 1, minor: 55, build: 51 },
      mitVector: { launch: 3n, current: 7n }, smt: false, platformInfo: 0x24n, vmpl: 0,
    });
    const v = check(sim);
    expect(v.error).toBe(null);
    const c = v.claims!;
    expect([c.measurement, c.report_data, c.host_data, c.id_key_digest, c.family_id, c.image_id, c.chip_id])
      .toEqual([measurement, reportData, hostData, idKeyDigest, familyId, imageId, chipId].map(hex));
    expect(c.guest_svn).toBe(7);
    expect(c.reported_tcb).toMatchObject({ bl: 9, tee: 1, snp: 30, ucode: 0x90 });
    expect([c.current_tcb.snp, c.committed_tcb.snp, c.launch_tcb.snp]).toEqual([31, 31, 29]);
    expect(c.reported_tcb.raw).toBe(hex(encodeTcb("Genoa", { bl: 9, tee: 1, snp: 30, ucode: 0x90 })));
    expect([c.current_version, c.committed_version]).toEqual(["1.55.52", "1.55.51"]);
    expect([c.launch_mit_vector, c.current_mit_vector].map((x) => BigInt(x!))).toEqual([3n, 7n]);
    expect(c.policy_bits.smt).toBe(false);
    expect(c.cpuid).toEqual({ family: 0x19, model: 0x11, stepping: 1 });
  });

  it("policy bits and VMPLs the caller allows are accepted", () => {
    const sim = simulateSnp({ debug: true, migrationAgent: true, vmpl: 2 });
    const policy = { allow_debug: true, allow_migration_agent: true, allowed_vmpls: [0, 2] };
    const v = check(sim, { policy });
    expect(v.error).toBe(null);
    expect(v.claims!.policy_bits).toMatchObject({ debug: true, migrate_ma: true });
    expect(v.claims!.vmpl).toBe(2);
  });

  it("inconsistent options are refused", () => {
    expect(() => simulateSnp({ product: "Milan", tcb: { fmc: 1 } })).toThrow(RangeError);
    expect(() => simulateSnp({ chipId: new Uint8Array(8) })).toThrow(RangeError);
    expect(() => simulateSnp({ version: 3, mitVector: { current: 1n } })).toThrow(RangeError);
    expect(() => simulateSnp({ version: 2, fault: "product-mismatch" })).toThrow(RangeError);
    expect(() => simulateSnp({ reportData: new Uint8Array(32) })).toThrow(RangeError);
  });
});

describe("simulated SNP: each fault is rejected with its own code", () => {
  const cases: Array<[SnpProduct, (typeof SNP_FAULT_NAMES)[number]]> = [];
  for (const p of PRODUCTS) for (const f of SNP_FAULT_NAMES) cases.push([p, f]);

  it.each(cases)("%s: %s", (product, fault) => {
    const sim = simulateSnp({ product, fault });
    const want = SNP_FAULTS[fault];
    expect(sim.expect).toMatchObject({ code: want.code, stage: want.stage });
    const v = check(sim);
    expect(v.ok).toBe(false);
    expect([v.error!.code, v.error!.stage]).toEqual([want.code, want.stage]);
  });

  it("VLEK-path faults: revoked ASVK, ASVK not signed by the ARK, VLEK signature", () => {
    for (const fault of ["revoked-ask", "ask-signature", "vcek-signature", "report-signature", "revoked-vcek"] as const) {
      const v = check(simulateSnp({ signer: "VLEK", fault }));
      expect([fault, v.error!.code]).toEqual([fault, SNP_FAULTS[fault].code]);
    }
  });

  it("policy faults are genuine hardware: they pass once the policy allows them", () => {
    const allow: Record<string, SnpVerifyOptions["policy"]> = {
      debug: { allow_debug: true }, "migration-agent": { allow_migration_agent: true }, vmpl: { allowed_vmpls: [0, 1] },
      "tcb-below-minimum": { min_tcb: { milan: {}, genoa: {}, turin: {} } },
    };
    for (const p of PRODUCTS) for (const [fault, policy] of Object.entries(allow)) {
      expect([p, fault, check(simulateSnp({ product: p, fault: fault as keyof typeof SNP_FAULTS }), { policy }).error]).toEqual([p, fault, null]);
    }
  });

  it("the generated policy for Turin's minimum TCB is what makes it fail", () => {
    const sim = simulateSnp({ product: "Turin", fault: "tcb-below-minimum" });
    expect(sim.expect.policy).toEqual({ min_tcb: { turin: { snp: 3 } } });
    expect(check(sim, { policy: {} }).error).toBe(null);
  });
});

describe("simulated SNP: node:crypto cross-check of every signature", () => {
  const options: Array<[string, SimulateSnpOptions]> = [];
  for (const product of PRODUCTS) for (const signer of ["VCEK", "VLEK"] as const) options.push([`${product} ${signer}`, { product, signer, withCrl: true }]);

  it.each(options)("%s", (_name, o) => {
    const sim = simulateSnp(o);
    const ark = sim.chain.ark, ask = sim.chain.ask;
    // Every certificate parses as X.509 in OpenSSL, names and validity as intended.
    const [arkX, askX, vcekX] = [ark, ask, sim.vcek].map((d) => new X509Certificate(Buffer.from(d)));
    expect(arkX.subject).toContain(`CN=ARK-${o.product}`);
    expect(askX.subject).toContain(o.signer === "VLEK" ? `CN=SEV-VLEK-${o.product}` : `CN=SEV-${o.product}`);
    expect(vcekX.subject).toContain(`CN=SEV-${o.signer}`);
    expect(vcekX.publicKey.asymmetricKeyDetails!.namedCurve).toBe("secp384r1");
    expect(arkX.publicKey.asymmetricKeyDetails!.modulusLength).toBe(4096);
    const at = new Date(sim.at * 1000);
    for (const x of [arkX, askX, vcekX]) expect(new Date(x.validFrom) <= at && at <= new Date(x.validTo)).toBe(true);
    // The chain links (RSASSA-PSS SHA-384 salt 48) and the report signature (P-384).
    expect(nodePssLink(ark, ark)).toBe(true);
    expect(nodePssLink(ask, ark)).toBe(true);
    expect(nodePssLink(sim.vcek, ask)).toBe(true);
    expect(nodePssLink(sim.vcek, ark)).toBe(false);
    expect(vcekX.verify(askX.publicKey)).toBe(true);
    expect(nodeReportSignature(sim.report, sim.vcek)).toBe(true);
    // The CRL: TBSCertList signed by the ARK.
    const { tbs, signature } = tbsAndSignature(sim.crl!);
    const pss = { key: arkX.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
    expect(nodeVerify("sha384", tbs, pss, signature)).toBe(true);
    // The endorsement key the sim returns is the certificate's.
    expect(createPublicKey(sim.endorsementKey).export({ format: "der", type: "spki" }))
      .toEqual(vcekX.publicKey.export({ format: "der", type: "spki" }));
  });

  it("the sim's faulty signatures are faulty for node:crypto too", () => {
    const wrongKey = simulateSnp({ fault: "report-signature" });
    expect(nodeReportSignature(wrongKey.report, wrongKey.vcek)).toBe(false);
    const badVcek = simulateSnp({ fault: "vcek-signature" });
    expect(nodePssLink(badVcek.vcek, badVcek.chain.ask)).toBe(false);
    const badAsk = simulateSnp({ fault: "ask-signature" });
    expect(nodePssLink(badAsk.chain.ask, badAsk.chain.ark)).toBe(false);
    const tampered = simulateSnp({ fault: "report-tampered" });
    expect(nodeReportSignature(tampered.report, tampered.vcek)).toBe(false);
  });
});
