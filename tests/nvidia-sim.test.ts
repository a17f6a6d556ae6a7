// The NVIDIA simulator (src/sim/nvidia.ts, nvidia-pki.ts): its evidence is laid out like real
// reports (checked against a real fixture when present, and independently with node:crypto), verifies
// against the simulated root given by the caller (never against the pinned NVIDIA root), matches its
// golden measurements, builds multi-GPU PPCIe nodes with consistent NVLink topology, and each single
// defect it can inject is rejected with its own stable error code.
import { describe, it, expect } from "vitest";
import { verify as nodeVerify, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { simulateNvidia, NvidiaSimPki, type SimulateNvidiaOptions } from "../src/sim/nvidia";
import { verifyNvidia, verifyNvidiaNode, parseNvidiaReport, type NvidiaVerdict, type NvidiaOptions } from "../src/wasm/nvidia";
import { NV, fixtureReport, expectOk, expectCode } from "./helpers/nvidia-fixtures";

const AT = Date.UTC(2026, 0, 1) / 1000;

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}


/** Verifies the first GPU of a simulation against its own root, nonce and golden values. */
function verifySim(options: SimulateNvidiaOptions, extra: Partial<NvidiaOptions> = {}) {
  const sim = simulateNvidia(options);
  const d = sim.gpus[0];
  return verifyNvidia(d.report, d.certs, { at: AT, nonce: sim.nonce, golden: sim.golden, policy: { root_pem: sim.root }, ...extra });
}

function node(sim: ReturnType<typeof simulateNvidia>, extra: Partial<NvidiaOptions> = {}) {
  return verifyNvidiaNode({ gpus: sim.gpus, switches: sim.switches }, { at: AT, nonce: sim.nonce, golden: sim.golden, policy: { root_pem: sim.root }, ...extra });
}

describe("NVIDIA simulator: evidence shape", () => {
  it("a Hopper report is byte-laid-out like a real one and node:crypto verifies its signature and chain", () => {
    const sim = simulateNvidia({ nonce: "ab".repeat(32) });
    const { report, certs } = sim.gpus[0];
    const parsed = parseNvidiaReport(report).report!;
    expect(parsed.nonce).toBe("ab".repeat(32));
    expect(parsed.blocks).toBe(64);
    expect(parsed.signature_offset + 96).toBe(report.length);
    expect(parsed.opaque_types).toEqual([6, 14, 15, 16, 17, 18, 19, 3, 4, 12, 13, 11, 20, 21, 34, 36]);
    // Request header, slot, response header and the first block header are the bytes real H100s send.
    expect(Buffer.from(report.subarray(0, 4)).toString("hex")).toBe("11e001ff");
    expect(report[36]).toBe(0);
    expect(Buffer.from(report.subarray(37, 45)).toString("hex")).toBe("1160000040c00d00");
    expect(Buffer.from(report.subarray(45, 52)).toString("hex")).toBe("01013300013000");
    const real = join(NV, "nvtrust/h100_550.90.07_report.hex");
    if (existsSync(real)) expect(Buffer.from(fixtureReport("nvtrust/h100_550.90.07_report.hex").subarray(37, 52)).equals(Buffer.from(report.subarray(37, 52)))).toBe(true);
    // Independent oracle: OpenSSL verifies the report signature and every link up to the sim root.
    const x = splitPem(certs).map((p) => new X509Certificate(p));
    expect(x.length).toBe(5);
    expect(nodeVerify("sha384", report.subarray(0, parsed.signature_offset), { key: x[0].publicKey, dsaEncoding: "ieee-p1363" }, report.subarray(parsed.signature_offset))).toBe(true);
    for (let i = 0; i < 4; i++) expect(x[i].verify(x[i + 1].publicKey) && x[i].checkIssued(x[i + 1])).toBe(true);
    expect(x[4].verify(x[4].publicKey)).toBe(true);
    expect(x[0].subject).toContain("CN=GH100 A01 GSP FMC LF");
    expect(x[2].subject).toContain("CN=NVIDIA GH100 Provisioner ICA 1");
    expect(x[4].subject).toContain("CN=NVIDIA Device Identity CA");
    expect(new X509Certificate(sim.root).fingerprint256).toBe(x[4].fingerprint256);
  });

  it("is deterministic per seed", () => {
    const a = simulateNvidia({ seed: "s1", gpus: 2 }), b = simulateNvidia({ seed: "s1", gpus: 2 }), c = simulateNvidia({ seed: "s2", gpus: 2 });
    expect(Buffer.from(a.gpus[1].report).equals(Buffer.from(b.gpus[1].report))).toBe(true);
    expect(a.gpus[1].certs).toBe(b.gpus[1].certs);
    expect(Buffer.from(a.gpus[1].report).equals(Buffer.from(c.gpus[1].report))).toBe(false);
    expect(a.root).not.toBe(c.root);
  });

  it("chosen nonce, measurements and opaque fields appear as signed claims", () => {
    const m7 = "77".repeat(48);
    const v = verifySim({ nonce: "01".repeat(32), driverVersion: "570.124.06", vbiosVersion: "96.00.74.00.1C", gpus: [{ measurements: { 7: m7 }, nvdecEnabled: true }] },
      { golden: undefined });
    expectOk(v);
    const c = v.claims!;
    expect(c.nonce).toBe("01".repeat(32));
    expect(c.driver_version).toBe("570.124.06");
    expect(c.vbios_version).toBe("96.00.74.00.1C");
    expect(c.vbios_rim_id).toBe("NV_GPU_VBIOS_1010_0200_882_960074001C");
    expect(c.measurements[7]).toBe(m7);
    expect(c.measurements[13]).toBe("00".repeat(48));
    expect(c.nvdec0).toBe("enabled");
    expect(c.fwid_checked).toBe(true);
    expect(c.fwid_kind).toBe("2.23.133.5.4.1");
  });

  it("Blackwell B200 (GB100) and RTX PRO 6000 (GB202): DiceTcbInfo FWID, CHIP_INFO, RIM ids", () => {
    const b200 = verifySim({ arch: "BLACKWELL" });
    expectOk(b200);
    expect(b200.claims!.fwid_kind).toBe("2.23.133.5.4.1.1");
    expect(b200.claims!.fwid_checked).toBe(true);
    expect(b200.claims!.chip_info).toBe("GB100");
    expect(b200.claims!.driver_rim_id).toBe("NV_GPU_CC_DRIVER_GB100_580.95.05");
    expect(b200.claims!.golden!.compared).toBe(33);
    const rtx = verifySim({ arch: "BLACKWELL", gpus: [{ chip: "GB202" }] });
    expectOk(rtx);
    expect(rtx.claims!.chip).toBe("GB20X");
    expect(rtx.claims!.driver_rim_id).toBe("NV_GPU_CC_DRIVER_GB202_595.58.03");
    expect(parseNvidiaReport(simulateNvidia({ arch: "BLACKWELL" }).gpus[0].report).report!.opaque_types).toEqual([6, 14, 15, 16, 17, 18, 19, 3, 4, 12, 13, 11, 20, 21, 33, 35, 34, 36]);
  });
});

describe("NVIDIA simulator: verification against a caller-supplied root", () => {
  it("verifies with the sim root, golden 33/33; the pinned NVIDIA root rejects it", () => {
    const sim = simulateNvidia();
    const { report, certs } = sim.gpus[0];
    const v = verifyNvidia(report, certs, { at: AT, nonce: sim.nonce, golden: sim.golden, policy: { root_pem: sim.root, require_nonce: true, require_golden: true } });
    expectOk(v);
    expect(v.status).toBe("Verified");
    expect(v.claims!.golden).toEqual({ rim_id: "NV_GPU_DRIVER_GH100_580.95.05+NV_GPU_VBIOS_1010_0200_882_96009F0001", version: "1", compared: 33 });
    // Same names as NVIDIA's real root, different key: the pinned anchor refuses the Identity link.
    expectCode(verifyNvidia(report, certs, { at: AT, nonce: sim.nonce }), "CERT_SIGNATURE_INVALID");
    // Another simulated PKI's root: same names, other key.
    expectCode(verifyNvidia(report, certs, { at: AT, policy: { root_pem: new NvidiaSimPki("other").rootPem } }), "CERT_SIGNATURE_INVALID");
  });

  it("golden mismatch reports the RIM indices; wrong versions find no entry", () => {
    const sim = simulateNvidia({ gpus: [{ measurements: { 7: "00".repeat(48), 35: "35".repeat(48), 63: "63".repeat(48) } }] });
    const d = sim.gpus[0];
    const v = verifyNvidia(d.report, d.certs, { at: AT, golden: sim.golden, policy: { root_pem: sim.root } });
    expectCode(v, "GOLDEN_MISMATCH");
    expect(v.error!.indices).toEqual([7, 35]); // 63 is not an active index: not compared
    const alternatives = { ...sim.golden[0], blocks: { ...sim.golden[0].blocks, "7": [sim.golden[0].blocks["7"][0], "00".repeat(48)], "35": ["35".repeat(48)] } };
    expectOk(verifyNvidia(d.report, d.certs, { at: AT, golden: alternatives, policy: { root_pem: sim.root } }));
    expectCode(verifySim({ gpus: [{ driverVersion: "580.95.06" }] }, { golden: simulateNvidia().golden }), "GOLDEN_NOT_FOUND");
  });
});

describe("NVIDIA simulator: multi-GPU nodes", () => {
  it("8 H100 + 4 NVSwitch PPCIe: topology checked, shared links cached (39 P-384 verifications)", () => {
    const sim = simulateNvidia({ gpus: 8, switches: 4 });
    expect(sim.reports.length).toBe(12);
    const v = node(sim, { policy: { root_pem: sim.root, require_switches: true } });
    expectOk(v);
    expect(v.claims!.mode).toBe("PPCIE");
    expect(v.claims!.topology_checked).toBe(true);
    expect(v.claims!.gpu_count).toBe(8);
    expect(v.claims!.switch_count).toBe(4);
    expect(v.claims!.gpus.every((g) => g.golden?.compared === 33)).toBe(true);
    expect(v.p384_verifications).toBe(12 * 3 + 3);
    // NVIDIA's JSON list form of the same evidence.
    expectOk(verifyNvidia(sim.evidenceList, { at: AT, nonce: sim.nonce, policy: { root_pem: sim.root } }));
    const gpusOnly = verifyNvidiaNode({ gpus: sim.gpus, switches: [] }, { at: AT, nonce: sim.nonce, policy: { root_pem: sim.root } });
    expect(gpusOnly.p384_verifications).toBe(26);
    expectCode(verifyNvidiaNode({ gpus: sim.gpus, switches: [] }, { at: AT, policy: { root_pem: sim.root, require_switches: true } }), "SWITCHES_REQUIRED");
  });

  it("8 B200 in MPT mode", () => {
    const v = node(simulateNvidia({ arch: "BLACKWELL", gpus: 8 }));
    expectOk(v);
    expect(v.claims!.mode).toBe("MPT");
    expect(v.p384_verifications).toBe(26);
  });

  it("topology defects: a switch from another node, a GPU wired elsewhere, switches without PPCIe", () => {
    const sim = simulateNvidia({ gpus: 8, switches: 4 });
    // Another node under the same root, answering the same nonce (a replay of its switch evidence).
    const labels = (p: string) => Array.from({ length: 4 }, (_, i) => ({ label: `${p}${i}` }));
    const other = simulateNvidia({ gpus: Array.from({ length: 8 }, (_, i) => ({ label: `other-gpu${i}` })), switches: labels("other-sw"), pki: sim.pki, nonce: sim.nonce });
    expectOk(node(other));
    const mixed = { ...sim, switches: [...sim.switches.slice(0, 3), other.switches[3]] };
    expectCode(node(mixed), "TOPOLOGY_MISMATCH");
    const miswired = simulateNvidia({ gpus: [{ switchPdis: [new Uint8Array(8).fill(9)] }, {}], switches: 4 });
    expectCode(node(miswired), "TOPOLOGY_MISMATCH");
    const wrongGpus = simulateNvidia({ gpus: 8, switches: [{ gpuPdis: [new Uint8Array(8).fill(3)] }, {}, {}, {}] });
    expectCode(node(wrongGpus), "TOPOLOGY_MISMATCH");
    const spt = simulateNvidia({ gpus: [{ featureFlag: 0 }, { featureFlag: 0 }], switches: 4 });
    expectCode(node(spt), "TOPOLOGY_MISMATCH");
  });
});

describe("NVIDIA simulator: each defect has its own code", () => {
  it("report and certificate defects", () => {
    const sim = simulateNvidia();
    const d = sim.gpus[0];
    const tampered = d.report.slice();
    tampered[200] ^= 1; // inside block 3's digest
    expectCode(verifyNvidia(tampered, d.certs, { at: AT, policy: { root_pem: sim.root } }), "SIGNATURE_INVALID");
    expectCode(verifyNvidia(d.report, d.certs, { at: AT, nonce: "00".repeat(32), policy: { root_pem: sim.root } }), "NONCE_MISMATCH");
    expectCode(verifySim({ gpus: [{ certFwid: "11".repeat(48) }] }), "FWID_MISMATCH");
    expectCode(verifySim({ arch: "BLACKWELL", gpus: [{ certFwid: "11".repeat(48) }] }), "FWID_MISMATCH");
    expectCode(verifySim({ gpus: [{ fwid: null }] }), "FWID_MISSING");
    expectOk(verifySim({ driverVersion: "545.00", gpus: [{ fwid: null }] })); // pre-550 drivers send none
    expectCode(verifySim({ gpus: [{ certFwid: null }] }), "CERT_FWID_MISSING");
    expectCode(verifySim({ gpus: [{ notAfter: AT - 1 }] }), "CERT_EXPIRED");
    expectCode(verifySim({ gpus: [{ notBefore: AT + 1 }] }), "CERT_NOT_YET_VALID");
    expectCode(verifySim({ gpus: [{ trailing: new Uint8Array(1) }] }), "REPORT_TRAILING_BYTES");
    expectOk(verifySim({ gpus: [{ trailing: new Uint8Array(1) }] }, { policy: { root_pem: sim.root, allow_zero_padding: true } }));
    expectCode(verifySim({ gpus: [{ extraOpaque: [{ type: 3, value: new TextEncoder().encode("999.0\0") }] }] }), "OPAQUE_DUPLICATE_FIELD");
    expectOk(verifySim({ gpus: [{ extraOpaque: [{ type: 999, value: new Uint8Array(3) }] }] })); // unknown type skipped
    const brom = new X509Certificate(splitPem(d.certs)[1]);
    expectCode(verifyNvidia(d.report, d.certs, { at: AT, policy: { root_pem: sim.root, revoked_serials: [brom.serialNumber] } }), "DEVICE_REVOKED");
    expectCode(verifyNvidia(d.report, d.certs, { at: AT, policy: { root_pem: sim.root, allowed_modes: ["PPCIE"] } }), "MODE_NOT_ALLOWED");
    expectCode(verifyNvidia(d.report, d.certs, { at: AT, policy: { root_pem: sim.root, min_driver_version: "590" } }), "DRIVER_TOO_OLD");
  });

  it("node defects", () => {
    expectCode(node(simulateNvidia({ gpus: [{ label: "same" }, { label: "same" }] })), "DUPLICATE_DEVICE");
    const mixedNonce = simulateNvidia({ gpus: [{}, { nonce: "02".repeat(32) }] });
    expectCode(verifyNvidiaNode({ gpus: mixedNonce.gpus, switches: [] }, { at: AT, policy: { root_pem: mixedNonce.root } }), "NONCE_MISMATCH");
    expectCode(node(simulateNvidia({ gpus: [{}, { driverVersion: "580.95.06" }] }), { golden: undefined }), "DRIVER_MISMATCH");
    expectCode(node(simulateNvidia({ gpus: [{ featureFlag: 1 }, { featureFlag: 0 }] })), "MODE_MISMATCH");
    expectCode(node(simulateNvidia({ gpus: [{}, { arch: "BLACKWELL", driverVersion: "580.95.05" }] }), { golden: undefined }), "ARCH_MISMATCH");
    const sim = simulateNvidia({ gpus: 2, switches: 1 });
    const kind = verifyNvidiaNode({ gpus: [...sim.gpus, sim.switches[0]], switches: [] }, { at: AT, policy: { root_pem: sim.root } });
    expectCode(kind, "DEVICE_KIND_MISMATCH");
    expect(kind.error!.device).toBe("gpus[2]");
  });
});
