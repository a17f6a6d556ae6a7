// `tee-attest verify snp` end to end: runs the built CLI (dist/cli.js, from `npm run build`) as a child
// process on real fixtures (a valid Milan v3 report -> exit 0; the go-sev-guest debug report -> exit 1
// with DEBUG_ENABLED; garbage and missing files -> exit 2) and on simulated evidence trusted via --root.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers/build";
import { SNP_DIR, HAVE_SNP_FIXTURES, REQUIRE_FIXTURES, expectedCases, insideValidity } from "./helpers/snp-fixtures";
import { simulateSnp } from "../src/sim/snp";
import { pem } from "../src/sim/snp-pki";
import { decodeEvidence } from "../src/commands/input";

const CLI = join(ROOT, "dist", "cli.js");
let dir: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the tests`);
  dir = mkdtempSync(join(tmpdir(), "tee-attest-cli-snp-"));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "verify", "snp", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const fixture = (rel: string) => join(SNP_DIR, rel);
const write = (name: string, data: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, data); return p; };

const fixturesOrSkip = describe; // fixtures are required (CI has ../shared); a missing file fails the test

fixturesOrSkip("tee-attest verify snp on real fixtures", () => {
  const atOf = (report: string) => String(insideValidity(expectedCases().find((c) => c.report === report)!));

  it("a valid Milan v3 report with its VCEK chain PEM -> exit 0", () => {
    const r = cli("--report", fixture("routex-client-lua/milan_v3_report.bin"), "--vcek", fixture("routex-client-lua/vcek-chain-milan.pem"),
      "--at", atOf("routex-client-lua/milan_v3_report.bin"));
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^verified: SEV-SNP Milan report v3 signed by a VCEK/);
  });

  it("--json prints the verdict; a separate --chain works; a hex report is decoded", () => {
    const hexReport = write("turin.hex", Buffer.from(readFileSync(fixture("routex-client-lua/turin_v5_report.bin"))).toString("hex"));
    const r = cli("--report", hexReport, "--vcek", fixture("routex-client-lua/vcek-chain-turin.pem"), "--chain", fixture("roots/ask_ark_turin_vcek.pem"),
      "--at", atOf("routex-client-lua/turin_v5_report.bin"), "--json");
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect([v.ok, v.tee, v.claims.product, v.claims.reported_tcb.raw]).toEqual([true, "snp", "Turin", "0001000200000047"]);
  });

  it("the go-sev-guest debug report -> exit 1, DEBUG_ENABLED at the policy stage", () => {
    const r = cli("--report", fixture("go-sev-guest/milan_v2_report.bin"), "--vcek", fixture("go-sev-guest/milan_v2_vcek.der"),
      "--at", atOf("go-sev-guest/milan_v2_report.bin"), "--json");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "DEBUG_ENABLED", stage: "policy" });
    const human = cli("--report", fixture("go-sev-guest/milan_v2_report.bin"), "--vcek", fixture("go-sev-guest/milan_v2_vcek.der"),
      "--at", atOf("go-sev-guest/milan_v2_report.bin"));
    expect([human.status, human.stdout.trim()]).toEqual([1, expect.stringMatching(/^rejected: DEBUG_ENABLED \(policy\)/)]);
  });

  it("a --policy file is applied (VMPL 1 fixture accepted only when allowed)", () => {
    const args = ["--report", fixture("secret-vm-kms/genoa_v3_vmpl1_report.bin"), "--vcek", fixture("secret-vm-kms/genoa_v3_vcek.der"),
      "--at", atOf("secret-vm-kms/genoa_v3_vmpl1_report.bin")];
    expect(cli(...args).status).toBe(1);
    expect(cli(...args, "--policy", write("vmpl.json", JSON.stringify({ allowed_vmpls: [0, 1] }))).status).toBe(0);
  });

  it("garbage, a missing file, a missing option -> exit 2", () => {
    const garbage = write("garbage.bin", new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff));
    expect(cli("--report", garbage, "--vcek", fixture("go-sev-guest/milan_v2_vcek.der")).status).toBe(2);
    expect(cli("--report", fixture("go-sev-guest/milan_v2_report.bin"), "--vcek", garbage).status).toBe(2);
    expect(cli("--report", join(dir, "nope.bin"), "--vcek", fixture("go-sev-guest/milan_v2_vcek.der")).status).toBe(2);
    expect(cli("--report", fixture("go-sev-guest/milan_v2_report.bin")).status).toBe(2);
    expect(cli("--report", fixture("go-sev-guest/milan_v2_report.bin"), "--vcek", fixture("go-sev-guest/milan_v2_vcek.der"), "--at", "soon").status).toBe(2);
  });
});

describe("tee-attest verify snp on simulated evidence", () => {
  it("trusted only with --root; faults exit 1 with their code", () => {
    const sim = simulateSnp({ product: "Genoa", withCrl: true });
    const args = ["--report", write("sim.bin", sim.report), "--vcek", write("sim-vcek.der", sim.vcek), "--chain", write("sim-chain.pem", sim.chainPem),
      "--crl", write("sim.crl", pem("X509 CRL", sim.crl!)), "--at", String(sim.at)];
    const root = write("sim-ark.pem", pem("CERTIFICATE", sim.chain.ark));
    const trusted = cli(...args, "--root", root);
    expect([trusted.status, trusted.stderr]).toEqual([0, ""]);
    const untrusted = cli(...args, "--json");
    expect([untrusted.status, JSON.parse(untrusted.stdout).error.code]).toEqual([1, "ARK_UNTRUSTED"]);
    const bad = simulateSnp({ product: "Genoa", fault: "chip-id" });
    const r = cli("--report", write("bad.bin", bad.report), "--vcek", write("bad.der", bad.vcek), "--chain", write("bad-chain.pem", bad.chainPem),
      "--at", String(bad.at), "--root", root, "--json");
    expect([r.status, JSON.parse(r.stdout).error.code]).toEqual([1, "CHIP_ID_MISMATCH"]);
    expect(cli(...args, "--root", write("not-ark.pem", sim.chainPem.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n")).status).toBe(2);
  }, 120_000);
});

describe("evidence decoding of PEM files", () => {
  it("a PEM without '=' padding is not mistaken for url-safe base64", () => {
    // 3 * 200 bytes of DER: base64 without padding, so the whole PEM matches the url-safe alphabet.
    const text = pem("CERTIFICATE", new Uint8Array(600).fill(0x30));
    expect(text).not.toContain("=");
    expect(Buffer.from(decodeEvidence(new TextEncoder().encode(text))).toString("latin1")).toBe(text);
  });
});
