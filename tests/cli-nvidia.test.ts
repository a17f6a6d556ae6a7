// `tee-attest verify nvidia` end to end: runs the built CLI (dist/cli.js, from `npm run build`) as a
// child process on real fixtures (a raw H100 report + chain, the NEAR AI 8×H200 node JSON, a golden
// run, a negative) and on simulated evidence trusted via --root, checking output and exit codes
// (0 verified, 1 rejected, 2 usage error or unreadable input).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers/build";
import { NV, HAVE_FIXTURES, CHECK_TIME, goldenFromRims } from "./helpers/nvidia-fixtures";
import { simulateNvidia } from "../src/sim/nvidia";

const CLI = join(ROOT, "dist", "cli.js");
const AT = String(CHECK_TIME);
let dir: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the tests`);
  dir = mkdtempSync(join(tmpdir(), "tee-attest-cli-nvidia-"));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "verify", "nvidia", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const fixture = (rel: string) => join(NV, rel);
const write = (name: string, data: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, data); return p; };

const H100 = "nvtrust/h100_550.90.07_report.hex", H100_CHAIN = "nvtrust/h100_550.90.07_chain.pem";
const fixturesOrSkip = describe; // fixtures are required (CI has ../shared); a missing file fails the test

fixturesOrSkip("tee-attest verify nvidia on real fixtures", () => {
  it("a raw H100 report + chain -> exit 0; with its nonce and golden values -> Verified", () => {
    const r = cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--at", AT);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^verified \(incomplete/);
    expect(r.stdout).toContain("driver 550.90.07, VBIOS 96.00.9F.00.01, mode SPT, FWID bound");
    const golden = write("golden.json", JSON.stringify(goldenFromRims("go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml", "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml")));
    const full = cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--at", AT, "--json", "--golden", golden,
      "--nonce", "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb");
    expect(full.status).toBe(0);
    const v = JSON.parse(full.stdout);
    expect([v.ok, v.tee, v.status, v.claims.golden.compared, v.p384_verifications]).toEqual([true, "nvidia", "Verified", 33, 5]);
  });

  it("a wrong nonce, a wrong driver RIM, another device's chain -> exit 1 with the code", () => {
    const wrong = cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--at", AT, "--nonce", "00".repeat(32));
    expect([wrong.status, wrong.stdout.trim()]).toEqual([1, "rejected: NONCE_MISMATCH: report answers a different nonce"]);
    const golden = write("wrong.json", JSON.stringify(goldenFromRims("attestation-sdk/rims/NV_GPU_DRIVER_GH100_550.144.03.xml", "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml", false)));
    const mismatch = cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--at", AT, "--golden", golden);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stdout).toMatch(/^rejected: GOLDEN_MISMATCH: .*\[RIM indices 7, 22, 31, 39, 40\]/);
    const chain = cli("--report", fixture(H100), "--certs", fixture("nvtrust/h100_545.00_chain_2023.pem"), "--at", AT, "--json");
    expect([chain.status, JSON.parse(chain.stdout).error.code]).toEqual([1, "SIGNATURE_INVALID"]);
  });

  it("NVIDIA evidence JSON: the NEAR AI 8×H200 node with the nonce of its TDX REPORTDATA", () => {
    const r = cli("--evidence", fixture("nearai/nearai_cloud_report_openai_gpt_oss_120b.json"), "--at", AT, "--json",
      "--nonce", "deadbeef00000000000000000000000000000000000000000000000000000001");
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect([v.claims.gpu_count, v.claims.mode, v.p384_verifications]).toEqual([8, "PPCIE", 26]);
    // nvtrust's list form through --report (detected as JSON), with its switches: topology checked.
    const list = cli("--report", fixture("go-nvattest-tools/hgx_h200x8_ls10x4_ppcie_570.124.06_evidence.json"), "--at", AT);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain("8 HOPPER GPU(s), 4 NVSwitch(es), mode PPCIE, topology checked");
  });

  it("usage errors and unreadable input -> exit 2", () => {
    expect(cli("--certs", fixture(H100_CHAIN)).status).toBe(2); // no report
    expect(cli("--report", fixture(H100)).status).toBe(2); // raw report without --certs
    expect(cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--nonce", "abc").status).toBe(2);
    expect(cli("--report", join(dir, "missing.hex"), "--certs", fixture(H100_CHAIN)).status).toBe(2);
    expect(cli("--report", write("junk.bin", "hello"), "--certs", fixture(H100_CHAIN)).status).toBe(2);
    expect(cli("--report", fixture(H100), "--certs", write("junk.pem", "not a chain\n-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n")).status).toBe(2);
    expect(cli("--evidence", write("bad.json", "{\"foo\": 1}")).status).toBe(2);
    expect(cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--policy", write("p.json", "{\"nope\": true}")).status).toBe(2);
    expect(cli("--report", fixture(H100), "--certs", fixture(H100_CHAIN), "--at", "yesterday-ish").status).toBe(2);
  });
});

describe("tee-attest verify nvidia on simulated evidence", () => {
  it("an 8-GPU + 4-switch node as NVIDIA's JSON list, trusted via --root, with golden values", () => {
    const sim = simulateNvidia({ gpus: 8, switches: 4 });
    const evidence = write("sim.json", JSON.stringify(sim.evidenceList));
    const root = write("root.pem", sim.root);
    const golden = write("sim-golden.json", JSON.stringify(sim.golden));
    const r = cli("--evidence", evidence, "--root", root, "--golden", golden, "--nonce", sim.nonce, "--at", "1790000000");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^verified: NVIDIA, 39 P-384 verifications/);
    expect(r.stdout).toContain("topology checked");
    // Without --root the pinned NVIDIA root refuses the simulated Identity certificate.
    const pinned = cli("--evidence", evidence, "--json", "--at", "1790000000");
    expect([pinned.status, JSON.parse(pinned.stdout).error.code, JSON.parse(pinned.stdout).error.device]).toEqual([1, "CERT_SIGNATURE_INVALID", "gpus[0]"]);
  });

  it("a raw simulated Blackwell report in base64 with its chain", () => {
    const sim = simulateNvidia({ arch: "BLACKWELL" });
    const report = write("bw.b64", Buffer.from(sim.gpus[0].report).toString("base64"));
    const certs = write("bw.pem", sim.gpus[0].certs);
    const root = write("bw-root.pem", sim.root);
    const r = cli("--report", report, "--certs", certs, "--root", root, "--nonce", sim.nonce, "--at", "1790000000", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).claims.fwid_kind).toBe("2.23.133.5.4.1.1");
  });
});
