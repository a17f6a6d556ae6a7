// Real NVIDIA evidence for the nvidia*.test.ts suites: shared/fixtures/nvidia (index.json, MANIFEST.md),
// read in place (never copied). With CI set, missing fixtures fail the run; elsewhere the suites skip
// and say so. Also turns NVIDIA RIM XML into our golden-measurement JSON for the comparisons that
// index.json records (a test-only extraction: the RIMs' XML signatures are verified by the governance
// tool, not here).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { normalizeNvidiaEvidence, type NvidiaGolden, type NvidiaVerdict } from "../../src/wasm/nvidia";

export const FIXTURES = process.env.TEE_ATTEST_FIXTURES ?? join(__dirname, "..", "..", "..", "shared", "fixtures");
export const NV = join(FIXTURES, "nvidia");
export const HAVE_FIXTURES = existsSync(join(NV, "index.json"));
export const SKIP_MESSAGE = `NVIDIA fixtures not found at ${NV} (set TEE_ATTEST_FIXTURES): real-evidence tests SKIPPED`;

/** index.json was produced with the machine clock at 2026-11-21; every device cert is valid then. */
export const CHECK_TIME = Date.UTC(2026, 10, 21, 16, 0, 0) / 1000;

export interface IndexCheck {
  name: string; bytes: number; sha256: string; sigOk: boolean; trailing: number; chainOk: boolean; chain: string;
  reqNonce: string; nonceMatch: boolean | null; fwidKind: string | null; fwidMatch: boolean | string;
  driver?: string; vbios?: string; project?: string; projectSku?: string; chipSku?: string; chipInfo?: string;
  featureFlag?: string; opaqueVer?: string; nvdec?: string; ppcie?: string; leafCN: string; leafSerial: string;
}

export interface IndexFile { report_checks?: IndexCheck[]; rim_check?: Record<string, unknown>; bytes: number; sha256: string }
export interface IndexJson {
  files: Record<string, IndexFile>;
  golden_comparisons: { name: string; nGolden: number; conflicts: string[]; mismatches: string[] }[];
  binding_checks: { name: string; tdxReportData: string; gpuPayloadNonce: string; match: boolean }[];
}

export function loadIndex(): IndexJson {
  return JSON.parse(readFileSync(join(NV, "index.json"), "utf8")) as IndexJson;
}

export function fixtureText(rel: string): string { return readFileSync(join(NV, rel), "utf8"); }

/** A raw report from a .hex (ASCII hex) or .bin file. */
export function fixtureReport(rel: string): Uint8Array {
  if (rel.endsWith(".bin")) return new Uint8Array(readFileSync(join(NV, rel)));
  return new Uint8Array(Buffer.from(fixtureText(rel).trim(), "hex"));
}

/** Chain paired with each single-report file (MANIFEST.md tables). */
const CHAIN_OF: Record<string, string> = {
  "nvtrust/h100_550.90.07_report.hex": "nvtrust/h100_550.90.07_chain.pem",
  "nvtrust/h100_545.00_report_2023.hex": "nvtrust/h100_545.00_chain_2023.pem",
  "attestation-sdk/gpu/b200_gb100_575.32_report.hex": "attestation-sdk/gpu/b200_gb100_575.32_chain.pem",
  "attestation-sdk/gpu/h100_535.86.09_report.hex": "attestation-sdk/gpu/h100_535.86.09_chain.pem",
  "attestation-sdk/gpu/h100_570.124.03_report.hex": "attestation-sdk/gpu/h100_570.124.03_chain.pem",
  "attestation-sdk/gpu/h100_580.159.03_report.hex": "attestation-sdk/gpu/h100_580.159.03_chain.pem",
  "attestation-sdk/gpu/NEG_h100_560.00_report_wrong_chain.hex": "attestation-sdk/gpu/h100_570.124.03_chain.pem",
  "attestation-sdk/switch/ls10_report.hex": "attestation-sdk/switch/ls10_chain.pem",
  "attestation-sdk/switch/NEG_ls10_report_invalid_signature.hex": "attestation-sdk/switch/ls10_chain.pem",
  "go-nvattest-tools/NEG_ls10_raw_report_sig_fails.bin": "go-nvattest-tools/ls10_chain.pem",
  "trustee/h100_580.95.05_coco_report_trailing_byte.hex": "trustee/h100_580.95.05_coco_chain.pem",
  "trustee/rtxpro6000_gb202_595.58.03_report.hex": "trustee/rtxpro6000_gb202_595.58.03_chain.pem",
};

/** index.json checks that pair a report with a negative chain, by check name. */
const NEGATIVE_CHAIN_OF: Record<string, string> = {
  "NEG hopper root only": "trustee/NEG_hopper_chain_root_only.pem",
  "NEG hopper missing ICA": "trustee/NEG_hopper_chain_missing_ica.pem",
  "NEG hopper missing leaf": "trustee/NEG_hopper_chain_missing_leaf.pem",
  "NEG bw missing ICA": "trustee/NEG_blackwell_chain_missing_ica.pem",
};

export interface ReportCase { file: string; check: IndexCheck; report: Uint8Array; certs: string; isSwitch: boolean }

function bundleDevices(file: string): { report: Uint8Array; certs: string; isSwitch: boolean }[] {
  let json: unknown = JSON.parse(fixtureText(file));
  if (file.startsWith("nearai/")) json = (json as { model_attestations: { nvidia_payload: string }[] }).model_attestations[0].nvidia_payload;
  const node = normalizeNvidiaEvidence(json);
  return [...node.gpus.map((d) => ({ ...d, isSwitch: false })), ...node.switches.map((d) => ({ ...d, isSwitch: true }))];
}

/** Every report instance index.json checked, paired with the chain it was checked against. */
export function reportCases(index: IndexJson): ReportCase[] {
  const cases: ReportCase[] = [];
  for (const [file, entry] of Object.entries(index.files)) {
    const checks = entry.report_checks;
    if (!checks) continue;
    if (file.endsWith(".json")) {
      const devices = bundleDevices(file);
      if (devices.length !== checks.length) throw new Error(`${file}: ${devices.length} devices but ${checks.length} checks`);
      checks.forEach((check, i) => cases.push({ file, check, ...devices[i] }));
      continue;
    }
    const report = fixtureReport(file);
    for (const check of checks) {
      const chainFile = NEGATIVE_CHAIN_OF[check.name] ?? CHAIN_OF[file];
      if (!chainFile) throw new Error(`no chain known for ${file} / ${check.name}`);
      cases.push({ file, check, report, certs: fixtureText(chainFile), isSwitch: check.leafCN.includes("LS_10") });
    }
  }
  return cases;
}

/** What index.json says a full verification (with the report's own nonce) concludes; the one report
 * with a trailing zero byte is valid only under policy allow_zero_padding. */
export function expectedValid(check: IndexCheck): boolean {
  return check.sigOk && check.chainOk && check.fwidMatch !== false;
}

/** The node bundles (several devices sharing a nonce). */
export function nodeEvidence(file: string): unknown {
  const json: unknown = JSON.parse(fixtureText(file));
  if (file.startsWith("nearai/")) return (json as { model_attestations: { nvidia_payload: string }[] }).model_attestations[0].nvidia_payload;
  return json;
}

/** Active measurements of a RIM (SWID XML): {index: [alternatives]}, plus its product and version. */
export function rimMeasurements(rel: string): { product: string; version: string; blocks: Record<string, string[]> } {
  const xml = fixtureText(rel);
  const product = /<(?:\w+:)?Meta\b[^>]*\bproduct="([^"]+)"/.exec(xml)?.[1] ?? "";
  const version = /<(?:\w+:)?Meta\b[^>]*\bcolloquialVersion="([^"]+)"/.exec(xml)?.[1] ?? "";
  const blocks: Record<string, string[]> = {};
  for (const m of xml.matchAll(/<(?:\w+:)?Resource\b([^>]*)\/?>/g)) {
    const attrs = m[1];
    if (!/\bactive="True"/.test(attrs)) continue;
    const index = /\bindex="(\d+)"/.exec(attrs)![1];
    const count = Number(/\balternatives="(\d+)"/.exec(attrs)![1]);
    const alternatives: string[] = [];
    for (let i = 0; i < count; i++) alternatives.push(new RegExp(`:Hash${i}="([0-9a-fA-F]+)"`).exec(attrs)![1].toLowerCase());
    if (blocks[index]) throw new Error(`${rel}: index ${index} twice`);
    blocks[index] = alternatives;
  }
  return { product, version, blocks };
}

/** A combined golden entry from a driver RIM and a VBIOS RIM (the two active sets are disjoint). */
export function goldenFromRims(driverRim: string, vbiosRim: string, withVersions = true): NvidiaGolden {
  const d = rimMeasurements(driverRim), v = rimMeasurements(vbiosRim);
  for (const k of Object.keys(d.blocks)) if (k in v.blocks) throw new Error(`RIM index ${k} in both RIMs`);
  const golden: NvidiaGolden = {
    rim_id: `${driverRim.split("/").pop()}+${vbiosRim.split("/").pop()}`, version: "1", arch: "HOPPER",
    blocks: { ...d.blocks, ...v.blocks },
  };
  if (withVersions) { golden.driver_version = d.version; golden.vbios_version = v.version; }
  return golden;
}

/** The verdict accepted. */
export function expectOk(v: NvidiaVerdict<unknown>): void {
  expect(v.error).toBeNull();
  expect(v.ok).toBe(true);
}

/** The verdict rejected with `code`. */
export function expectCode(v: NvidiaVerdict<unknown>, code: string): void {
  expect(v.ok).toBe(false);
  expect(v.error?.code).toBe(code);
}
