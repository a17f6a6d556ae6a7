// `tee-attest verify tdx` end to end: runs the built CLI (dist/cli.js, from `npm run build`) as a child
// process on real fixtures (a valid dcap-qvl quote -> exit 0; a tampered quote -> exit 1 with its code),
// on simulated evidence trusted via --root (hex quote, DER root), and on unusable input (missing or
// non-JSON collateral, a bad root, missing options -> exit 2).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers/build";
import { TDX_DIR, HAVE_TDX_FIXTURES, loadCases } from "./helpers/tdx-fixtures";
import { simulateTdx } from "../src/sim/tdx";

const CLI = join(ROOT, "dist", "cli.js");
let dir: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the tests`);
  dir = mkdtempSync(join(tmpdir(), "tee-attest-cli-tdx-"));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "verify", "tdx", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const fixture = (rel: string) => join(TDX_DIR, rel);
const write = (name: string, data: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, data); return p; };

describe("tee-attest verify tdx on real fixtures", () => {
  const at = () => String(loadCases().find((c) => c.quote === "dcap-qvl/tdx_quote")!.time);

  it("a valid TDX v4 quote with its collateral -> exit 0, claims printed", () => {
    const r = cli("--quote", fixture("dcap-qvl/tdx_quote"), "--collateral", fixture("dcap-qvl/tdx_quote_collateral.json"), "--at", at());
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^verified: TDX quote v4 \(body type 2\), TCB UpToDate/);
    expect(r.stdout).toContain("mrtd          91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7");
  });

  it("--json prints the verdict JSON (same verdict as the API)", () => {
    const r = cli("--quote", fixture("dcap-qvl/tdx_quote"), "--collateral", fixture("dcap-qvl/tdx_quote_collateral.json"), "--at", at(), "--json");
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ ok: true, tee: "tdx", status: "UpToDate", error: null, claims: { fmspc: "b0c06f000000" } });
  });

  it("a quote with a changed REPORTDATA -> exit 1, QUOTE_SIGNATURE_INVALID", () => {
    const r = cli("--quote", fixture("derived/tdx_v4_tampered_reportdata.bin"), "--collateral", fixture("dcap-qvl/tdx_quote_collateral.json"), "--at", at());
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^rejected: QUOTE_SIGNATURE_INVALID: /);
  });

  it("after the collateral window -> exit 1, COLLATERAL_EXPIRED", () => {
    const r = cli("--quote", fixture("dcap-qvl/tdx_quote"), "--collateral", fixture("dcap-qvl/tdx_quote_collateral.json"), "--at", "2030-01-01", "--json");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("COLLATERAL_EXPIRED");
  });

  it("collateral that is not JSON -> exit 2", () => {
    const r = cli("--quote", fixture("dcap-qvl/tdx_quote"), "--collateral", fixture("MANIFEST.md"), "--at", at());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--collateral .*not JSON/);
  });
});

describe("tee-attest verify tdx on simulated evidence", () => {
  const sim = simulateTdx({ reportData: "11".repeat(64) });
  const files = () => ({
    quote: write("quote.hex", "0x" + Buffer.from(sim.quote).toString("hex") + "\n"),
    collateral: write("collateral.json", JSON.stringify(sim.collateral)),
    root: write("root.der", sim.root.der),
  });

  it("hex quote + --root DER -> exit 0; without --root the Intel pin rejects it (exit 1, UNTRUSTED_ROOT)", () => {
    const f = files();
    const ok = cli("--quote", f.quote, "--collateral", f.collateral, "--root", f.root, "--at", String(sim.at));
    expect([ok.status, ok.stderr]).toEqual([0, ""]);
    expect(ok.stdout).toContain(`report_data   ${"11".repeat(64)}`);
    const pinned = cli("--quote", f.quote, "--collateral", f.collateral, "--at", String(sim.at));
    expect(pinned.status).toBe(1);
    expect(pinned.stdout).toMatch(/^rejected: UNTRUSTED_ROOT/);
  });

  it("--policy: a status outside the accepted list is rejected, then accepted when listed", () => {
    const ood = simulateTdx({ pki: sim.pki, tcbStatus: "OutOfDate" });
    const q = write("ood.bin", ood.quote), c = write("ood.json", JSON.stringify(ood.collateral)), root = write("root.der", ood.root.der);
    const strict = cli("--quote", q, "--collateral", c, "--root", root, "--at", String(ood.at));
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/^rejected: TCB_STATUS_NOT_ACCEPTED: .*\(Intel TCB status OutOfDate\)/);
    const policy = write("policy.json", JSON.stringify({ accepted_statuses: ["UpToDate", "OutOfDate"] }));
    expect(cli("--quote", q, "--collateral", c, "--root", root, "--at", String(ood.at), "--policy", policy).status).toBe(0);
  });

  it("unusable input -> exit 2: missing file, empty quote, a root that is no key, a bad policy, a missing option", () => {
    const f = files();
    expect(cli("--quote", join(dir, "nope.bin"), "--collateral", f.collateral).status).toBe(2);
    expect(cli("--quote", write("empty.bin", ""), "--collateral", f.collateral).status).toBe(2);
    const badRoot = cli("--quote", f.quote, "--collateral", f.collateral, "--root", write("bad.der", "not a certificate at all"));
    expect(badRoot.status).toBe(2);
    expect(badRoot.stderr).toMatch(/^tee-attest: /);
    expect(cli("--quote", f.quote, "--collateral", f.collateral, "--policy", write("p.json", '{"accepted_statuses":["Great"]}')).status).toBe(2);
    expect(cli("--quote", f.quote).status).toBe(2);
    expect(cli("--quote", f.quote, "--collateral", f.collateral, "--at", "yesterday-ish").status).toBe(2);
  });

  it("random bytes as the quote -> exit 1 with MALFORMED_QUOTE (evidence, not a usage error)", () => {
    const f = files();
    const r = cli("--quote", write("random.bin", new Uint8Array(700).map((_, i) => (i * 37 + 11) & 0xff)), "--collateral", f.collateral,
      "--root", f.root, "--at", String(sim.at), "--json");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("MALFORMED_QUOTE");
  });
});
