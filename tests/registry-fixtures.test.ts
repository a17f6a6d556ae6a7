// The registry against REAL evidence at the fixture times, with the real vendor roots (no set_roots):
// Intel collateral submitted piece by piece (verified on submission, newer-only), then verify_evidence
// (the registration appraisal as a dry run) over a real TDX quote, a real SNP report and a real NVIDIA
// H100 report. Verdicts agree with the fixtures' expectations (tdx/cases.json, the NVIDIA golden runs).
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EmbeddedChain } from "../src/chain/embedded";
import { HAVE_TDX_FIXTURES, TDX_DIR, loadCases, loadQuote } from "./helpers/tdx-fixtures";
import { HAVE_SNP_FIXTURES, read as readSnp } from "./helpers/snp-fixtures";
import { HAVE_FIXTURES as HAVE_NV, fixtureReport, fixtureText, goldenFromRims, CHECK_TIME } from "./helpers/nvidia-fixtures";
import { deployRegistry, expectRejected, b64, type Deployed, collateralMessages } from "./helpers/registry";

interface Verdict {
  ok: boolean;
  error: { code: string; message: string } | null;
  cpu: { tee: string; tcb_status: string; advisory_ids: string[]; debug: boolean; measurements: Record<string, string>; report_data: string;
    hardware: { ppid: string; pck_serial: string; chip_id: string; fmspc: string; product: string } } | null;
  gpus: { status: string; nonce: string; ueids: string[] } | null;
  release_id: string | null;
  binding: string;
}

const collateralJson = (rel: string) => JSON.parse(readFileSync(join(TDX_DIR, rel), "utf8")) as Record<string, string>;

describe("registry: real Intel collateral and a real TDX quote (dcap-qvl fixture)", () => {
  const fixture = loadCases().find((c) => c.name === "dcapqvl_tdx_v4_uptodate")!;
  let d: Deployed;
  const submitter = () => d.chain.address("anyone");

  beforeAll(async () => {
    const chain = new EmbeddedChain({ chainId: "registry-real-1", startTime: fixture.time });
    d = await deployRegistry(chain, { policy: { min_gpus: 0 } });
  });

  it("accepts each real collateral piece from anyone, verified against the pinned Intel root, and lists it", async () => {
    for (const msg of collateralMessages(collateralJson(fixture.collateral))) {
      d.chain.setTime(fixture.time);
      await d.chain.execute(submitter(), d.contract, msg);
    }
    const list = await d.chain.query<{ collateral: { kind: string; key: string; evaluation_data_number: number }[] }>(d.contract, { collateral: {} });
    expect(list.collateral.map((c) => `${c.kind}:${c.key}`).sort()).toEqual(["pck_crl:platform", "qe_identity:tdx", "root_crl:intel", "tdx_tcb_info:b0c06f000000"].sort());
    const tcb = list.collateral.find((c) => c.kind === "tdx_tcb_info")!;
    expect(tcb.evaluation_data_number).toBeGreaterThan(0);
    const bundle = await d.chain.query<Record<string, string>>(d.contract, { tdx_collateral: { fmspc: "b0c06f000000", ca: "platform" } });
    expect(bundle.tcb_info).toBe(collateralJson(fixture.collateral).tcb_info);
  });

  it("refuses the same collateral again (not newer) and tampered collateral (signature), storage unchanged", async () => {
    const [, , tcbInfo] = collateralMessages(collateralJson(fixture.collateral));
    d.chain.setTime(fixture.time);
    await expectRejected(d, () => d.chain.execute(submitter(), d.contract, tcbInfo), "COLLATERAL_NOT_NEWER");
    const tampered = collateralJson("derived/tdx_v4_collateral_tcbinfo_tampered.json");
    const [, , badTcb] = collateralMessages(tampered);
    const message = await expectRejected(d, () => d.chain.execute(submitter(), d.contract, badTcb), "COLLATERAL_INVALID");
    expect(message).toMatch(/TCB_INFO_SIGNATURE_INVALID/);
    const qeTampered = collateralMessages(collateralJson("derived/tdx_v4_collateral_qeid_tampered.json"))[3];
    expect(await expectRejected(d, () => d.chain.execute(submitter(), d.contract, qeTampered), "COLLATERAL_INVALID")).toMatch(/QE_IDENTITY_SIGNATURE_INVALID/);
  });

  it("refuses collateral outside its validity window at block time", async () => {
    d.chain.setTime(1752969600); // the cases.json "expired collateral" time
    const [, , tcbInfo] = collateralMessages(collateralJson(fixture.collateral));
    expect(await expectRejected(d, () => d.chain.execute(submitter(), d.contract, tcbInfo), "COLLATERAL_INVALID")).toMatch(/COLLATERAL_EXPIRED/);
    d.chain.setTime(fixture.time);
  });

  it("verify_evidence: the real quote verifies against the stored collateral; release matching decides", async () => {
    const quote = loadQuote(fixture.quote);
    const evidence = { cpu: { tdx: { quote: b64(quote) } } };
    const first = await d.chain.query<Verdict>(d.contract, { verify_evidence: { evidence } });
    expect(first.ok).toBe(false);
    expect(first.error!.code).toBe("NO_MATCHING_RELEASE");
    const cpu = first.cpu!;
    expect(cpu.tee).toBe("tdx");
    expect(cpu.tcb_status).toBe(fixture.expect.status);
    expect(cpu.advisory_ids).toEqual(fixture.expect.advisory_ids);
    expect(cpu.hardware.fmspc).toBe("b0c06f000000");
    expect(cpu.measurements.mrtd).toMatch(/^[0-9a-f]{96}$/);
    const { mrtd, rtmr0, rtmr1, rtmr2, rtmr3 } = cpu.measurements;
    await d.chain.execute(d.governance, d.contract, { add_release: { id: "real-tdx", tee: "tdx", measurements: { mrtd, rtmr0, rtmr1, rtmr2, rtmr3 } } });
    const second = await d.chain.query<Verdict>(d.contract, { verify_evidence: { evidence } });
    expect(second.error).toBeNull();
    expect(second.ok).toBe(true);
    expect(second.release_id).toBe("real-tdx");
    expect(second.binding).toBe("not_checked");
  });

  it("verify_evidence with the host P-256 backend gives the same verdict", async () => {
    await d.chain.execute(d.governance, d.contract, { set_policy: { p256_backend: "host" } });
    const v = await d.chain.query<Verdict>(d.contract, { verify_evidence: { evidence: { cpu: { tdx: { quote: b64(loadQuote(fixture.quote)) } } } } });
    expect(v.error).toBeNull();
    expect(v.ok).toBe(true);
    expect(v.cpu!.tcb_status).toBe("UpToDate");
    await d.chain.execute(d.governance, d.contract, { set_policy: { p256_backend: "wasm" } });
  });

  it("verify_evidence rejects a tampered quote with the verifier's code, and a quote whose collateral is missing", async () => {
    const tampered = new Uint8Array(readFileSync(join(TDX_DIR, "derived/tdx_v4_tampered_reportdata.bin")));
    const v = await d.chain.query<Verdict>(d.contract, { verify_evidence: { evidence: { cpu: { tdx: { quote: b64(tampered) } } } } });
    expect(v.ok).toBe(false);
    expect(v.error!.code).toBe("EVIDENCE_REJECTED");
    expect(v.error!.message).toMatch(/tdx\/QUOTE_SIGNATURE_INVALID/);
    const other = loadCases().find((c) => c.name === "automata_tdx_v5_td15_servicetd")!;
    const w = await d.chain.query<Verdict>(d.contract, { verify_evidence: { evidence: { cpu: { tdx: { quote: b64(loadQuote(other.quote)) } } } } });
    expect(w.error!.code).toBe("COLLATERAL_MISSING");
  });
});

describe("registry: a real SEV-SNP report (virtee-sev Milan) with AMD's pinned ARK", () => {
  it("refuses it under the default minimum TCB, verifies under a governance minimum, matches a release on MEASUREMENT", async () => {
    const at = Date.parse("2026-01-01T00:00:00Z") / 1000;
    const chain = new EmbeddedChain({ chainId: "registry-real-snp", startTime: at });
    const d = await deployRegistry(chain, { policy: { min_gpus: 0 } });
    const evidence = { cpu: { snp: { report: b64(readSnp("virtee-sev/milan_v2_report.bin")), vcek: b64(readSnp("virtee-sev/milan_v2_vcek.der")),
      chain: b64(readSnp("roots/ask_ark_milan.pem")) } } };
    // AMD's current minimum TCB (the verifier's default) is above this 2023 report's: policy refuses it.
    const strict = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence } });
    expect(strict.error!.code).toBe("EVIDENCE_REJECTED");
    expect(strict.error!.message).toMatch(/snp\/TCB_BELOW_MINIMUM/);
    await chain.execute(d.governance, d.contract, { set_policy: { min_snp_tcb: { milan: {}, genoa: {}, turin: {} } } });
    const first = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence } });
    expect(first.error!.code).toBe("NO_MATCHING_RELEASE");
    expect(first.cpu!.tee).toBe("snp");
    expect(first.cpu!.hardware.product).toBe("Milan");
    expect(first.cpu!.hardware.chip_id).toMatch(/^[0-9a-f]{128}$/);
    await chain.execute(d.governance, d.contract, { add_release: { id: "real-snp", tee: "snp", measurements: { measurement: first.cpu!.measurements.measurement } } });
    const second = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence } });
    expect(second.error).toBeNull();
    expect(second.ok).toBe(true);
    expect(second.release_id).toBe("real-snp");
    const tampered = readSnp("virtee-sev/milan_v2_report.bin").slice();
    tampered[0x50] ^= 1; // REPORT_DATA, signed
    const bad = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence: { cpu: { snp: { ...evidence.cpu.snp, report: b64(tampered) } } } } });
    expect(bad.error!.code).toBe("EVIDENCE_REJECTED");
    expect(bad.error!.message).toMatch(/snp\/REPORT_SIGNATURE_INVALID/);
  });
});

describe("registry: a real NVIDIA H100 report (nvtrust 550.90.07) with the pinned NVIDIA root", () => {
  it("verifies every GPU report against the release's golden measurements and the nonce", async () => {
    const chain = new EmbeddedChain({ chainId: "registry-real-nv", startTime: CHECK_TIME });
    const d = await deployRegistry(chain, { policy: { min_gpus: 0 } });
    const golden = goldenFromRims("go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml", "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml");
    await chain.execute(d.governance, d.contract, { add_release: { id: "h100-550", tee: "tdx", gpu_golden: golden,
      measurements: { mrtd: "00".repeat(48), mrconfigid: "00".repeat(48) } } });
    const report = fixtureReport("nvtrust/h100_550.90.07_report.hex");
    const nonce = Buffer.from(report.subarray(4, 36)).toString("hex");
    const evidence = { gpus: [{ report: b64(report), certs: fixtureText("nvtrust/h100_550.90.07_chain.pem") }] };
    const v = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence, gpu_nonce: nonce, release_id: "h100-550" } });
    expect(v.error).toBeNull();
    expect(v.ok).toBe(true);
    expect(v.gpus!.status).toBe("Verified");
    expect(v.gpus!.ueids).toHaveLength(1);
    const wrongNonce = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence, gpu_nonce: "ab".repeat(32), release_id: "h100-550" } });
    expect(wrongNonce.error!.code).toBe("BINDING_MISMATCH");
    const noRelease = await chain.query<Verdict>(d.contract, { verify_evidence: { evidence, gpu_nonce: nonce } });
    expect(noRelease.error!.code).toBe("NO_MATCHING_RELEASE");
  });
});
