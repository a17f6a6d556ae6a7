// The `npm start` main job (src/registry/demo.ts) as a test: the simulated TDX + NVIDIA node registers and
// is trusted, turns untrusted with RELEASE_REVOKED after governance revokes its release, and the real TDX
// SEV-SNP and NVIDIA fixtures verify through verify_evidence.
import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runRegistryDemo, fixturesDir } from "../src/registry/demo";
import { wasmPath } from "./helpers/build";

const HAVE_WASM = existsSync(wasmPath("registry"));
const HAVE_FIXTURES = existsSync(join(fixturesDir(join(__dirname, "..")), "tdx", "cases.json"));

describe("registry main job", () => {
  it("registers a simulated node, revokes its release, and verifies real evidence", async () => {
    const lines: string[] = [];
    const cwd = process.cwd();
    process.chdir(join(__dirname, ".."));
    try { await runRegistryDemo((l) => lines.push(l)); } finally { process.chdir(cwd); }
    const out = lines.join("\n");
    expect(out).toMatch(/registered: node-1 trusted=true tee=tdx tcb=UpToDate release=demo-image-2026\.01 gpus=1/);
    expect(out).toMatch(/node-1 trusted=false; reasons: RELEASE_REVOKED: /);
    expect(out).toMatch(/register_node \(TDX \+ 1 GPU\)\s+[\d,]+\s+[\d,]+/);
    expect(out).toMatch(/sends the short forms: the quote with only its PCK leaf certificate, the GPU with only its leaf \+ BROM/);
    expect(out).toMatch(/stored: .*nvidia_ca:/);
    expect(out).toMatch(/submit_collateral nvidia_ca\s+[\d,]+\s+[\d,]+/);
    expect(HAVE_WASM && HAVE_FIXTURES).toBe(true);
    expect(out).toMatch(/TDX .*\n(.*\n)*?\s+verdict: VERIFIED\s+tdx tcb=UpToDate\s+release=real-tdx-image/);
    expect(out).toMatch(/verdict: VERIFIED\s+gpus Verified \(1 UEID\)\s+release=real-h100-550\.90\.07/);
    expect(out).toMatch(/SNP .*\n(.*\n)*?\s+verdict: VERIFIED\s+snp tcb=UpToDate\s+release=real-snp-image/);
  });
});
