// NVIDIA GPU / NVSwitch verification (assembly/nvidia) on real evidence: every outcome recorded in
// fixtures/nvidia/index.json is reproduced (signature, chain, FWID, nonce, trailing byte, golden
// comparisons), policy rules and the Verdict's stable error codes are exercised, and node:crypto is the
// oracle for every report signature and certificate link.
import { describe, it, expect } from "vitest";
import { verify as nodeVerify, X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { verifyNvidia, verifyNvidiaNode, normalizeNvidiaEvidence, type NvidiaVerdict, type NvidiaDeviceClaims, type NvidiaGolden } from "../src/wasm/nvidia";
import {
  HAVE_FIXTURES, SKIP_MESSAGE, CHECK_TIME, loadIndex, reportCases, expectedValid, fixtureReport, fixtureText, goldenFromRims, rimMeasurements,
  nodeEvidence, type ReportCase, expectOk, expectCode,
} from "./helpers/nvidia-fixtures";

const P384_N = BigInt("0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");

const at = CHECK_TIME;

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Offset of the signature, found by parsing the lengths (independently of the Wasm). */
function signatureOffset(report: Uint8Array): number {
  const r = 37;
  const recordLength = report[r + 5] | (report[r + 6] << 8) | (report[r + 7] << 16);
  const opaqueLengthAt = r + 8 + recordLength + 32;
  return opaqueLengthAt + 2 + (report[opaqueLengthAt] | (report[opaqueLengthAt + 1] << 8));
}

/** node:crypto's view of the report signature under the chain's leaf key. */
function nodeReportSignatureOk(report: Uint8Array, certs: string): boolean {
  const leaf = new X509Certificate(splitPem(certs)[0]);
  const off = signatureOffset(report);
  return nodeVerify("sha384", report.subarray(0, off), { key: leaf.publicKey, dsaEncoding: "ieee-p1363" }, report.subarray(off, off + 96));
}

function toPem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----`;
}

/** node:crypto's view of the chain: each link under the next, the Identity under the pinned root. */
function nodeChainOk(certs: string): boolean {
  const x = splitPem(certs).slice(0, 4).map((p) => new X509Certificate(p));
  x.push(new X509Certificate(fixtureText("roots/nvidia_device_identity_ca.pem")));
  return x.slice(0, 4).every((c, i) => c.verify(x[i + 1].publicKey) && c.checkIssued(x[i + 1]));
}

const nonceOf = (report: Uint8Array) => Buffer.from(report.subarray(4, 36)).toString("hex");


const H100 = "nvtrust/h100_550.90.07_report.hex";
const H100_CHAIN = "nvtrust/h100_550.90.07_chain.pem";
const H100_2023 = "nvtrust/h100_545.00_report_2023.hex";
const H100_2023_CHAIN = "nvtrust/h100_545.00_chain_2023.pem";
const TRAILING = "trustee/h100_580.95.05_coco_report_trailing_byte.hex";
const TRAILING_CHAIN = "trustee/h100_580.95.05_coco_chain.pem";

describe("NVIDIA verification: index.json outcomes", () => {
  const index = HAVE_FIXTURES ? loadIndex() : null;
  const cases = index ? reportCases(index) : [];

  const verifyCase = (c: ReportCase) => verifyNvidia(c.report, c.certs, {
    nonce: c.check.reqNonce, at, policy: c.check.trailing > 0 ? { allow_zero_padding: true } : undefined,
  });

  for (const c of cases) {
    const valid = expectedValid(c.check);
    it(`${c.file} :: ${c.check.name} -> ${valid ? "valid" : "rejected"}`, () => {
      const v = verifyCase(c);
      // node:crypto agrees on the report signature and on every chain link (with the pinned root).
      if (splitPem(c.certs).length === 5) {
        expect(nodeReportSignatureOk(c.report, c.certs)).toBe(c.check.sigOk);
        expect(nodeChainOk(c.certs)).toBe(c.check.chainOk);
      }
      if (!valid) {
        expect(v.ok).toBe(false);
        const chainLength = splitPem(c.certs).length !== 5;
        expect(v.error!.code).toBe(chainLength ? "CERT_CHAIN_LENGTH" : "SIGNATURE_INVALID");
        return;
      }
      expectOk(v);
      const claims = v.claims as NvidiaDeviceClaims;
      expect(claims.leaf_serial).toBe(c.check.leafSerial);
      expect(claims.ueid).toBe(BigInt("0x" + c.check.leafSerial).toString(10));
      expect(claims.nonce).toBe(c.check.reqNonce);
      expect(claims.nonce_checked).toBe(true);
      expect(claims.fwid_checked).toBe(c.check.fwidMatch === true);
      if (c.check.fwidMatch === true) expect(claims.fwid_kind).toBe(c.check.fwidKind);
      expect(claims.device).toBe(c.isSwitch ? "nvswitch" : "gpu");
      const cn = c.check.leafCN;
      expect(claims.arch).toBe(cn.includes("LS_10") ? "NVSWITCH" : cn.includes("GH100") ? "HOPPER" : "BLACKWELL");
      expect(claims.driver_version ?? undefined).toBe(c.check.driver);
      expect(v.status).toBe("Incomplete"); // no golden measurements given
      expect(claims.golden).toBeNull();
    });
  }

  it("a single device costs 5 P-384 verifications (report + 4 links)", () => {
    const v = verifyNvidia(fixtureReport(H100), fixtureText(H100_CHAIN), { at });
    expectOk(v);
    expect(v.p384_verifications).toBe(5);
  });

  it("claims come from signed fields: versions, RIM ids, mode, serials", () => {
    const v = verifyNvidia(fixtureReport(H100), fixtureText(H100_CHAIN), { at });
    const c = v.claims!;
    expect(c.driver_version).toBe("550.90.07");
    expect(c.vbios_version).toBe("96.00.9F.00.01");
    expect(c.driver_rim_id).toBe("NV_GPU_DRIVER_GH100_550.90.07");
    expect(c.vbios_rim_id).toBe("NV_GPU_VBIOS_1010_0200_882_96009F0001");
    expect(c.mode).toBe("SPT");
    expect(c.chip).toBe("GH100");
    expect(c.device_serial).toBe("41431D480FE5E87274");
    expect(c.measurements.length).toBe(64);
    const bw = verifyNvidia(fixtureReport("trustee/rtxpro6000_gb202_595.58.03_report.hex"), fixtureText("trustee/rtxpro6000_gb202_595.58.03_chain.pem"), { at });
    expectOk(bw);
    expect(bw.claims!.driver_rim_id).toBe("NV_GPU_CC_DRIVER_GB202_595.58.03");
    expect(bw.claims!.vbios_rim_id).toBe("NV_GPU_VBIOS_G153_0210_895_9802810001");
    expect(bw.claims!.fwid_kind).toBe("2.23.133.5.4.1.1");
    const b200 = verifyNvidia(fixtureReport("attestation-sdk/gpu/b200_gb100_575.32_report.hex"), fixtureText("attestation-sdk/gpu/b200_gb100_575.32_chain.pem"), { at });
    expectOk(b200);
    expect(b200.claims!.driver_rim_id).toBe("NV_GPU_CC_DRIVER_GB100_575.32"); // no CHIP_INFO: GB100 (NVAT)
  });
});

describe("NVIDIA verification: trailing bytes, nonce, time, chain", () => {
  it("a trailing zero byte is rejected by default and accepted only with allow_zero_padding", () => {
    const report = fixtureReport(TRAILING);
    const certs = fixtureText(TRAILING_CHAIN);
    expect(report.length).toBe(4130);
    expectCode(verifyNvidia(report, certs, { at }), "REPORT_TRAILING_BYTES");
    expectOk(verifyNvidia(report, certs, { at, policy: { allow_zero_padding: true } }));
    const nonzero = report.slice();
    nonzero[nonzero.length - 1] = 1;
    expectCode(verifyNvidia(nonzero, certs, { at, policy: { allow_zero_padding: true } }), "REPORT_TRAILING_BYTES");
    // "signature = last 96 bytes" would mis-split this report: that range does not verify.
    const leaf = new X509Certificate(splitPem(certs)[0]);
    expect(nodeVerify("sha384", report.subarray(0, report.length - 96), { key: leaf.publicKey, dsaEncoding: "ieee-p1363" }, report.subarray(report.length - 96))).toBe(false);
  });

  it("nonce: mismatch, absent (Incomplete), required, malformed", () => {
    const report = fixtureReport(H100), certs = fixtureText(H100_CHAIN);
    expectCode(verifyNvidia(report, certs, { at, nonce: "00".repeat(32) }), "NONCE_MISMATCH");
    const good = verifyNvidia(report, certs, { at, nonce: nonceOf(report) });
    expectOk(good);
    expect(good.claims!.nonce_checked).toBe(true);
    const none = verifyNvidia(report, certs, { at });
    expectOk(none);
    expect(none.claims!.nonce_checked).toBe(false);
    expect(none.status).toBe("Incomplete");
    expectCode(verifyNvidia(report, certs, { at, policy: { require_nonce: true } }), "NONCE_REQUIRED");
    expectCode(verifyNvidia(report, certs, { at, nonce: "00".repeat(31) }), "MALFORMED_NONCE");
    // The SDK's bad_nonce scenario: 535.86.09 evidence against an all-zero nonce.
    expectCode(verifyNvidia(fixtureReport("attestation-sdk/gpu/h100_535.86.09_report.hex"), fixtureText("attestation-sdk/gpu/h100_535.86.09_chain.pem"), { at, nonce: "00".repeat(32) }), "NONCE_MISMATCH");
  });

  it("certificate validity is checked at the given time", () => {
    const report = fixtureReport(H100), certs = fixtureText(H100_CHAIN);
    // The Provisioner ICA is valid from 2022-03-01; the leaf and BROM from 2020-10-17.
    expectCode(verifyNvidia(report, certs, { at: Date.UTC(2022, 0, 1) / 1000 }), "CERT_NOT_YET_VALID");
    expectOk(verifyNvidia(report, certs, { at: Date.UTC(2022, 2, 1) / 1000 }));
    // Every device certificate expires at 9999-12-31T23:59:59Z.
    const notAfter = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
    expectOk(verifyNvidia(report, certs, { at: notAfter }));
    expectCode(verifyNvidia(report, certs, { at: notAfter + 1 }), "CERT_EXPIRED");
  });

  it("chain structure: order, substitution, another device's chain, the root", () => {
    const report = fixtureReport(H100), certs = splitPem(fixtureText(H100_CHAIN));
    const join = (list: string[]) => list.join("\n");
    expectCode(verifyNvidia(report, join([certs[0], certs[2], certs[1], certs[3], certs[4]]), { at }), "CERT_ISSUER_MISMATCH");
    // Another device's chain: its leaf key did not sign this report.
    expectCode(verifyNvidia(report, fixtureText(H100_2023_CHAIN), { at }), "SIGNATURE_INVALID");
    // Another device's BROM under this leaf: names differ.
    const other = splitPem(fixtureText(H100_2023_CHAIN));
    expectCode(verifyNvidia(report, join([certs[0], other[1], certs[2], certs[3], certs[4]]), { at }), "CERT_ISSUER_MISMATCH");
    // The device's own root is ignored: any fifth certificate works, the pinned root decides.
    expectOk(verifyNvidia(report, join([certs[0], certs[1], certs[2], certs[3], certs[3]]), { at }));
    // An explicit (test) root replaces the pinned one: the RIM root is not the device root.
    const rimRoot = fixtureText("roots/nvidia_corim_signing_root_ca.pem");
    expectCode(verifyNvidia(report, join(certs), { at, policy: { root_pem: rimRoot } }), "CERT_ISSUER_MISMATCH");
    expectOk(verifyNvidia(report, join(certs), { at, policy: { root_pem: fixtureText("roots/nvidia_device_identity_ca.pem") } }));
    expectCode(verifyNvidia(report, join(certs), { at, policy: { root_pem: "junk" } }), "MALFORMED_ROOT");
    // The trustee negatives: root only, missing ICA, missing leaf (Hopper and Blackwell).
    for (const f of ["NEG_hopper_chain_root_only", "NEG_hopper_chain_missing_ica", "NEG_hopper_chain_missing_leaf", "NEG_blackwell_chain_root_only", "NEG_blackwell_chain_missing_ica"]) {
      expectCode(verifyNvidia(report, fixtureText(`trustee/${f}.pem`), { at }), "CERT_CHAIN_LENGTH");
    }
    expectCode(verifyNvidia(report, "not a chain", { at }), "CERT_CHAIN_LENGTH");
    expectCode(verifyNvidia(report, join(certs).replace(/M/g, "N"), { at }), "MALFORMED_CERT_CHAIN");
  });

  it("the pinned default root is NVIDIA Device Identity CA (SPKI SHA-256 a90c4eb5…)", () => {
    const root = new X509Certificate(fixtureText("roots/nvidia_device_identity_ca.pem"));
    const spki = root.publicKey.export({ type: "spki", format: "der" });
    expect(createHash("sha256").update(spki).digest("hex")).toBe("a90c4eb5acfd3e3d03a25db6a26b84f720ad0503196c627c21ddd48dd85b06a4");
    // The bytes pinned in assembly/nvidia/roots.ts are exactly that key and subject.
    const source = readFileSync(join(__dirname, "..", "assembly", "nvidia", "roots.ts"), "utf8");
    const pinned = (name: string) => {
      const body = new RegExp(`${name}: StaticArray<u8> = \\[([^\\]]*)\\]`).exec(source)![1];
      return Buffer.from(body.match(/0x[0-9a-f]{2}/g)!.map((h) => parseInt(h, 16)));
    };
    expect(pinned("NVIDIA_ROOT_SPKI").equals(spki)).toBe(true);
    const der = Buffer.from(root.raw);
    expect(der.includes(pinned("NVIDIA_ROOT_SUBJECT"))).toBe(true);
  });
});

describe("NVIDIA verification: FWID", () => {
  it("a present FWID must equal the leaf's (Hopper and Blackwell extensions)", () => {
    // NEG_h100_560.00 with the 570.124.03 chain: signature AND FWID fail; the signature fails first.
    expectCode(verifyNvidia(fixtureReport("attestation-sdk/gpu/NEG_h100_560.00_report_wrong_chain.hex"), fixtureText("attestation-sdk/gpu/h100_570.124.03_chain.pem"), { at }), "SIGNATURE_INVALID");
  });

  it("FWID required: auto for drivers >= 550, policy true/false", () => {
    const old = fixtureReport(H100_2023), oldChain = fixtureText(H100_2023_CHAIN);
    const v = verifyNvidia(old, oldChain, { at });
    expectOk(v); // 545.00 predates the FWID field
    expect(v.claims!.fwid_checked).toBe(false);
    expectCode(verifyNvidia(old, oldChain, { at, policy: { require_fwid: true } }), "FWID_MISSING");
    expectOk(verifyNvidia(fixtureReport("attestation-sdk/switch/ls10_report.hex"), fixtureText("attestation-sdk/switch/ls10_chain.pem"), { at, policy: { require_fwid: true } }));
    expectOk(verifyNvidia(old, oldChain, { at, policy: { require_fwid: false } }));
  });
});

describe("NVIDIA verification: golden measurements (index.json golden_comparisons)", () => {
  const index = HAVE_FIXTURES ? loadIndex() : null;
  const R = {
    noGpuDriver: "nvtrust/rims/Driver_RIM_test_no_gpu.swidtag",
    noGpuVbios: "nvtrust/rims/1010_0200_882_96005E0001_test_no_gpu.swidtag",
    prodVbios5E01: "nvtrust/rims/1010_0200_882_96005E0001_PROD.swidtag",
    variantVbios5E01: "attestation-sdk/rims/NV_GPU_VBIOS_1010_0200_882_96005E0001_variant.xml",
    goDriver: "go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml",
    goVbios: "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml",
    driver550144: "attestation-sdk/rims/NV_GPU_DRIVER_GH100_550.144.03.xml",
    tampered535: "attestation-sdk/rims/NEG_NV_GPU_DRIVER_GH100_535.86.09_tampered.xml",
  };
  const H535 = "attestation-sdk/gpu/h100_535.86.09_report.hex", H535_CHAIN = "attestation-sdk/gpu/h100_535.86.09_chain.pem";
  const runs: { name: string; report: string; chain: string; golden: NvidiaGolden }[] = HAVE_FIXTURES ? [
    { name: "GOLDEN 2023 545.00 vs test_no_gpu RIMs", report: H100_2023, chain: H100_2023_CHAIN, golden: goldenFromRims(R.noGpuDriver, R.noGpuVbios) },
    { name: "GOLDEN 550.90.07 vs go RIMs", report: H100, chain: H100_CHAIN, golden: goldenFromRims(R.goDriver, R.goVbios) },
    // The mismatch runs pair a report with RIMs of other versions on purpose, so the version
    // selectors are left out (they would make the entry not apply: GOLDEN_NOT_FOUND, tested below).
    { name: "GOLDEN 535.86.09 vs tampered driver + PROD vbios", report: H535, chain: H535_CHAIN, golden: goldenFromRims(R.tampered535, R.prodVbios5E01, false) },
    { name: "GOLDEN 535.86.09 vs tampered driver + variant vbios", report: H535, chain: H535_CHAIN, golden: goldenFromRims(R.tampered535, R.variantVbios5E01, false) },
    { name: "GOLDEN 545.00 vs PROD vbios (wrong vbios rim)", report: H100_2023, chain: H100_2023_CHAIN, golden: goldenFromRims(R.noGpuDriver, R.prodVbios5E01, false) },
    { name: "GOLDEN 550.90.07 vs 550.144.03 driver RIM (wrong driver rim)", report: H100, chain: H100_CHAIN, golden: goldenFromRims(R.driver550144, R.goVbios, false) },
  ] : [];

  for (const run of runs) {
    it(run.name, () => {
      const expected = index!.golden_comparisons.find((g) => g.name === run.name)!;
      expect(Object.keys(run.golden.blocks).length).toBe(expected.nGolden);
      const report = fixtureReport(run.report);
      const v = verifyNvidia(report, fixtureText(run.chain), { at, nonce: nonceOf(report), golden: run.golden });
      const indices = expected.mismatches.map((m) => Number(m.split("(")[0]));
      if (indices.length === 0) {
        expectOk(v);
        expect(v.status).toBe("Verified");
        expect(v.claims!.golden).toEqual({ rim_id: run.golden.rim_id, version: "1", compared: expected.nGolden });
      } else {
        expectCode(v, "GOLDEN_MISMATCH");
        expect(v.error!.indices).toEqual(indices);
      }
    });
  }

  it("entries apply by arch / driver / VBIOS version; any applicable entry may match", () => {
    const report = fixtureReport(H100), certs = fixtureText(H100_CHAIN);
    const good = goldenFromRims(R.goDriver, R.goVbios);
    const wrongDriver = goldenFromRims(R.driver550144, R.goVbios);
    expectCode(verifyNvidia(report, certs, { at, golden: wrongDriver }), "GOLDEN_NOT_FOUND");
    expectCode(verifyNvidia(report, certs, { at, golden: { ...good, arch: "BLACKWELL" } }), "GOLDEN_NOT_FOUND");
    expectOk(verifyNvidia(report, certs, { at, golden: [wrongDriver, good] }));
    expectOk(verifyNvidia(report, certs, { at, golden: { ...good, vbios_version: "96.00.9f.00.01" } })); // case-insensitive hex
    // An applicable entry that mismatches does not hide a later one that matches.
    const bad = { ...good, blocks: { ...good.blocks, "7": ["00".repeat(48)] } };
    expectOk(verifyNvidia(report, certs, { at, golden: [bad, good] }));
    const v = verifyNvidia(report, certs, { at, golden: [bad] });
    expectCode(v, "GOLDEN_MISMATCH");
    expect(v.error!.indices).toEqual([7]);
    // A golden index beyond the report's blocks never matches.
    const beyond = verifyNvidia(report, certs, { at, golden: { ...good, blocks: { ...good.blocks, "64": ["00".repeat(48)] } } });
    expect(beyond.error!.indices).toEqual([64]);
  });

  it("require_golden, NVDEC skip rule, malformed golden JSON", () => {
    const report = fixtureReport(H100), certs = fixtureText(H100_CHAIN);
    expectCode(verifyNvidia(report, certs, { at, policy: { require_golden: true } }), "GOLDEN_REQUIRED");
    const good = goldenFromRims(R.goDriver, R.goVbios);
    const wrong35 = { ...good, blocks: { ...good.blocks, "35": ["11".repeat(48)] } };
    expectCode(verifyNvidia(report, certs, { at, golden: wrong35 }), "GOLDEN_MISMATCH");
    // This H100 reports NVDEC0_STATUS 0x55 (disabled): NVAT's rule skips RIM index 35.
    const skipped = verifyNvidia(report, certs, { at, golden: wrong35, policy: { skip_nvdec_when_disabled: true } });
    expectOk(skipped);
    expect(skipped.claims!.golden!.compared).toBe(32);
    for (const golden of [
      "{", "[]", "{}", { blocks: {} }, { blocks: { "7": [] } }, { blocks: { "7": ["zz"] } }, { blocks: { "07": ["00".repeat(48)] } },
      { blocks: { "254": ["00".repeat(48)] } }, { blocks: { "7": ["00".repeat(47)] } }, { driver_verison: "550.90.07", blocks: { "7": ["00".repeat(48)] } },
      { arch: 1, blocks: { "7": ["00".repeat(48)] } },
    ]) {
      expectCode(verifyNvidia(report, certs, { at, golden: golden as NvidiaGolden }), "MALFORMED_GOLDEN");
    }
  });

  it("RIM extraction sanity: driver and VBIOS active sets are disjoint", () => {
    const d = rimMeasurements(R.goDriver), v = rimMeasurements(R.goVbios);
    expect(Object.keys(d.blocks).length + Object.keys(v.blocks).length).toBe(33);
    expect(d.version).toBe("550.90.07");
    expect(v.version).toBe("96.00.9F.00.01");
  });
});

describe("NVIDIA verification: policy", () => {
  const report = HAVE_FIXTURES ? fixtureReport(H100) : new Uint8Array(0);
  const certs = HAVE_FIXTURES ? fixtureText(H100_CHAIN) : "";

  it("revocation by any chain serial or by UEID", () => {
    const pem = splitPem(certs).map((p) => new X509Certificate(p));
    for (const cert of pem.slice(0, 4)) {
      expectCode(verifyNvidia(report, certs, { at, policy: { revoked_serials: [cert.serialNumber] } }), "DEVICE_REVOKED");
    }
    expectOk(verifyNvidia(report, certs, { at, policy: { revoked_serials: ["0102"] } }));
    const ueid = BigInt("0x" + pem[0].serialNumber).toString(10);
    expectCode(verifyNvidia(report, certs, { at, policy: { revoked_ueids: [ueid] } }), "DEVICE_REVOKED");
  });

  it("architecture, mode and driver age", () => {
    expectCode(verifyNvidia(report, certs, { at, policy: { allowed_archs: ["BLACKWELL"] } }), "ARCH_NOT_ALLOWED");
    expectCode(verifyNvidia(report, certs, { at, policy: { allowed_modes: ["PPCIE", "MPT"] } }), "MODE_NOT_ALLOWED");
    expectOk(verifyNvidia(report, certs, { at, policy: { allowed_modes: ["SPT"], allowed_archs: ["HOPPER"] } }));
    expectCode(verifyNvidia(report, certs, { at, policy: { min_driver_version: "550.90.8" } }), "DRIVER_TOO_OLD");
    expectOk(verifyNvidia(report, certs, { at, policy: { min_driver_version: "550.90.07" } }));
    expectOk(verifyNvidia(report, certs, { at, policy: { min_driver_version: "550" } }));
  });

  it("malformed policies are refused, not ignored", () => {
    for (const policy of [
      "{", "[]", { unknown_key: true }, { allow_zero_padding: "yes" }, { allowed_archs: ["AMPERE"] }, { allowed_modes: "SPT" },
      { min_driver_version: "5a0" }, { revoked_serials: ["xyz"] }, { revoked_ueids: [12] }, { root_pem: 5 },
    ]) {
      expectCode(verifyNvidia(report, certs, { at, policy: policy as never }), "MALFORMED_POLICY");
    }
  });
});

describe("NVIDIA verification: multi-GPU nodes", () => {
  it("8×H100 PPCIe + 4 NVSwitch: verified with topology, shared links cached", () => {
    const gpus = normalizeNvidiaEvidence(nodeEvidence("nvtrust/ppcie/hgx_h100x8_ppcie_gpu_evidence.json")).gpus;
    const switches = normalizeNvidiaEvidence(nodeEvidence("nvtrust/ppcie/hgx_ls10x4_ppcie_switch_evidence.json")).switches;
    const nonce = "4760e30534a0621357d458b1a7936551b5dc4cd1e69718adf7ed9fb0252a537e";
    const v = verifyNvidiaNode({ gpus, switches }, { at, nonce });
    expectOk(v);
    expect(v.claims!.topology_checked).toBe(true);
    expect(v.claims!.mode).toBe("PPCIE");
    expect(v.claims!.gpu_count).toBe(8);
    expect(v.claims!.switch_count).toBe(4);
    // 12 reports + 12 leaf + 12 BROM links, + GH100 ICA, LS_10 ICA and GH100 Identity once each: 39 (not 60).
    expect(v.p384_verifications).toBe(39);
    // GPUs only: 8 + 8 + 8 + 2 = 26 (not 40).
    const gpusOnly = verifyNvidiaNode({ gpus, switches: [] }, { at, nonce });
    expectOk(gpusOnly);
    expect(gpusOnly.p384_verifications).toBe(26);
    expectCode(verifyNvidiaNode({ gpus, switches: [] }, { at, nonce, policy: { require_switches: true } }), "SWITCHES_REQUIRED");
    // Topology: a missing switch, a missing GPU, a switch listed as a GPU.
    expectCode(verifyNvidiaNode({ gpus, switches: switches.slice(0, 3) }, { at, nonce }), "TOPOLOGY_MISMATCH");
    expectCode(verifyNvidiaNode({ gpus: gpus.slice(1), switches }, { at, nonce }), "TOPOLOGY_MISMATCH");
    const kind = verifyNvidiaNode({ gpus: [...gpus, switches[0]], switches: [] }, { at, nonce });
    expectCode(kind, "DEVICE_KIND_MISMATCH");
    expect(kind.error!.device).toBe("gpus[8]");
  });

  it("8×H200 PPCIe + 4 NVSwitch (go-nvattest-tools) with topology", () => {
    const nonce = "1234567890123456789012345678901234567890123456789012345678901234";
    const v = verifyNvidia(nodeEvidence("go-nvattest-tools/hgx_h200x8_ls10x4_ppcie_570.124.06_evidence.json") as string | object, { at, nonce });
    expectOk(v);
    expect(v.claims!.topology_checked).toBe(true);
    expect(v.claims!.gpus.every((g) => g.driver_version === "570.124.06")).toBe(true);
  });

  it("8×B200 MPT and the NEAR AI 8×H200 production node", () => {
    const b200 = verifyNvidia(nodeEvidence("go-nvattest-tools/b200x8_mpt_590.48.01_evidence.json") as string | object, { at, nonce: "cdb72201e569085d6de41863745f6f77db1f75962c29564ec6abe91f0221861f" });
    expectOk(b200);
    expect(b200.claims!.mode).toBe("MPT");
    expect(b200.claims!.arch).toBe("BLACKWELL");
    expect(b200.p384_verifications).toBe(26);
    const index = loadIndex();
    const binding = index.binding_checks[0];
    const near = verifyNvidia(nodeEvidence("nearai/nearai_cloud_report_openai_gpt_oss_120b.json") as string | object, { at, nonce: binding.gpuPayloadNonce });
    expectOk(near);
    expect(near.claims!.gpu_count).toBe(8);
    expect(near.claims!.mode).toBe("PPCIE"); // no FEATURE_FLAG; PROTECTED_PCIE_STATUS 0xAA
    // The CPU binding: the TDX REPORTDATA carries the same nonce in bytes 32..64.
    expect(binding.tdxReportData.slice(64)).toBe(near.claims!.nonce);
  });

  it("the same device twice, mixed nonces, too many devices", () => {
    const dup = verifyNvidia(nodeEvidence("attestation-sdk/evidence_json/multi_switch_ls10.json") as string | object, { at });
    // Only switches: a node needs GPUs.
    expectCode(dup, "EVIDENCE_COUNT");
    const gpus = normalizeNvidiaEvidence(nodeEvidence("attestation-sdk/evidence_json/multi_gpu_hopper.json")).gpus;
    expectOk(verifyNvidiaNode({ gpus, switches: [] }, { at }));
    const twice = verifyNvidiaNode({ gpus: [gpus[0], gpus[1], gpus[0]], switches: [] }, { at });
    expectCode(twice, "DUPLICATE_DEVICE");
    expect(twice.error!.message).toContain("gpus[2]");
    const switchDup = normalizeNvidiaEvidence(nodeEvidence("attestation-sdk/evidence_json/multi_switch_ls10.json")).switches;
    const single = normalizeNvidiaEvidence(nodeEvidence("attestation-sdk/evidence_json/hopper_evidence_cert_hold.json")).gpus;
    expectCode(verifyNvidiaNode({ gpus: single, switches: switchDup }, { at }), "DUPLICATE_DEVICE");
    const mixed = normalizeNvidiaEvidence(nodeEvidence("nvtrust/ppcie/hgx_h100x8_ppcie_gpu_evidence.json")).gpus;
    expectCode(verifyNvidiaNode({ gpus: [gpus[0], mixed[1]], switches: [] }, { at }), "NONCE_MISMATCH");
    expectCode(verifyNvidiaNode({ gpus: [...mixed, ...mixed, mixed[0]], switches: [] }, { at }), "EVIDENCE_COUNT");
    const bad = verifyNvidiaNode({ gpus: [gpus[0], { report: gpus[1].report, certs: gpus[2].certs }], switches: [] }, { at });
    expectCode(bad, "SIGNATURE_INVALID");
    expect(bad.error!.device).toBe("gpus[1]");
  });
});

describe("NVIDIA verification: node:crypto differential and mutations", () => {
  const report = HAVE_FIXTURES ? fixtureReport(H100) : new Uint8Array(0);
  const certs = HAVE_FIXTURES ? fixtureText(H100_CHAIN) : "";

  it("high-S signatures are accepted (as node:crypto / OpenSSL do); r, s >= n rejected", () => {
    const off = signatureOffset(report);
    const s = BigInt("0x" + Buffer.from(report.subarray(off + 48, off + 96)).toString("hex"));
    const flipped = report.slice();
    flipped.set(Buffer.from((P384_N - s).toString(16).padStart(96, "0"), "hex"), off + 48);
    expect(nodeReportSignatureOk(flipped, certs)).toBe(true);
    expectOk(verifyNvidia(flipped, certs, { at }));
    const plusN = report.slice();
    plusN.set(Buffer.from((s + P384_N).toString(16).padStart(96, "0").slice(-96), "hex"), off + 48);
    if (s + P384_N < 2n ** 384n) expectCode(verifyNvidia(plusN, certs, { at }), "SIGNATURE_INVALID");
    const zero = report.slice();
    zero.fill(0, off, off + 96);
    expectCode(verifyNvidia(zero, certs, { at }), "SIGNATURE_INVALID");
  });

  it("every certificate link agrees with node:crypto, also after mutating a signature byte", () => {
    const pem = splitPem(certs);
    const x = pem.map((p) => new X509Certificate(p));
    for (let i = 0; i < 4; i++) expect(x[i].verify(x[i + 1].publicKey)).toBe(true);
    for (let i = 0; i < 4; i++) {
      const der = Buffer.from(x[i].raw);
      der[der.length - 5] ^= 0x01; // inside s of the Ecdsa-Sig-Value
      const mutated = new X509Certificate(der);
      expect(mutated.verify(x[i + 1].publicKey)).toBe(false);
      const chain = pem.slice();
      chain[i] = mutated.toString();
      const v = verifyNvidia(report, chain.join("\n"), { at });
      expect(v.ok).toBe(false);
      expect(["CERT_SIGNATURE_INVALID", "SIGNATURE_INVALID"]).toContain(v.error!.code);
    }
  });

  it("certificate rules checked before any signature: critical extensions, CA flag, key usage", () => {
    const pem = splitPem(certs);
    const der = pem.map((p) => Buffer.from(new X509Certificate(p).raw));
    const edit = (i: number, from: string, to: string) => {
      const d = Buffer.from(der[i]);
      const pos = d.indexOf(Buffer.from(from, "hex"));
      expect(pos, from).toBeGreaterThan(0);
      Buffer.from(to, "hex").copy(d, pos);
      const chain = pem.slice();
      chain[i] = toPem(d);
      return verifyNvidia(report, chain.join("\n"), { at });
    };
    // Leaf: its critical keyUsage turned into a critical certificatePolicies (2.5.29.32).
    expectCode(edit(0, "0603551d0f0101ff", "0603551d200101ff"), "CERT_CRITICAL_EXTENSION");
    // BROM: cA TRUE -> FALSE; keyUsage keyCertSign -> digitalSignature only.
    expectCode(edit(1, "0603551d130101ff040530030101ff", "0603551d130101ff04053003010100"), "CERT_NOT_CA");
    expectCode(edit(1, "0603551d0f0101ff040403020204", "0603551d0f0101ff040403020780"), "CERT_KEY_USAGE");
  });

  it("every single-byte change inside the signed TBS of each verified certificate is rejected", () => {
    const pem = splitPem(certs);
    let checked = 0;
    for (let c = 0; c < 4; c++) {
      const der = Buffer.from(new X509Certificate(pem[c]).raw);
      // TBSCertificate starts after the outer SEQUENCE header (4 bytes: 30 82 LL LL).
      const tbsLength = 4 + ((der[6] << 8) | der[7]);
      for (let i = 4; i < 4 + tbsLength; i += 3) {
        const d = Buffer.from(der);
        d[i] ^= 0x21;
        const chain = pem.slice();
        chain[c] = toPem(d);
        const v = verifyNvidia(report, chain.join("\n"), { at });
        expect(v.ok, `cert ${c} byte ${i}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(700);
  });

  it("every single-byte change inside the signed region of a real report is rejected", () => {
    // Every signed byte of an LS10 report, a Hopper report and a Blackwell report.
    const targets: [string, string][] = [
      ["attestation-sdk/switch/ls10_report.hex", "attestation-sdk/switch/ls10_chain.pem"],
      [H100, H100_CHAIN],
      ["trustee/rtxpro6000_gb202_595.58.03_report.hex", "trustee/rtxpro6000_gb202_595.58.03_chain.pem"],
    ];
    let checked = 0;
    for (const [file, chain] of targets) {
      const good = fixtureReport(file), pem = fixtureText(chain);
      const signed = signatureOffset(good);
      expectOk(verifyNvidia(good, pem, { at }));
      for (let i = 0; i < signed; i++) {
        const b = good.slice();
        b[i] ^= 0x5a;
        const v = verifyNvidia(b, pem, { at });
        expect(v.ok, `${file} byte ${i}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(2072 + 4021 + 4044);
  });
});

describe("NVIDIA verification fixtures", () => {
  it(HAVE_FIXTURES ? "are present" : SKIP_MESSAGE, () => {
    if (!HAVE_FIXTURES) {
      throw new Error(SKIP_MESSAGE);
    }
  });
});
