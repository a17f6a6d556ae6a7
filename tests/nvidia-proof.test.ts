// The "Proof" list of issue 6 on real NVIDIA evidence, item by item, where nvidia.test.ts and
// nvidia-parse.test.ts do not already cover it exactly: both full golden runs match 33/33; the NEAR AI
// production node's 8 GPU nonces equal REPORTDATA[32:64] of its TDX quote (parsed by our TDX
// verifier, not read from index.json); every signature byte mutated -> SIGNATURE_INVALID; every byte
// of a Blackwell leaf TBS mutated -> rejected; truncation at every length and lying length fields
// through the full verifier -> a MALFORMED_* (or named structure) code, never a trap, never an accept.
import { describe, it, expect } from "vitest";
import { verifyNvidia, parseNvidiaReport, normalizeNvidiaEvidence, type NvidiaVerdict } from "../src/wasm/nvidia";
import { parseTdxQuote } from "../src/wasm/tdx";
import { WasmAbort } from "../src/wasm/loader";
import {
  HAVE_FIXTURES, CHECK_TIME, loadIndex, fixtureReport, fixtureText, goldenFromRims, nodeEvidence,
} from "./helpers/nvidia-fixtures";

const at = CHECK_TIME;

/** Codes a structurally broken report may produce (parse step), never anything later. */
const STRUCTURE_CODES = new Set([
  "MALFORMED_REPORT", "MALFORMED_SPDM_REQUEST", "MALFORMED_SPDM_RESPONSE", "MALFORMED_MEASUREMENT_BLOCK", "MALFORMED_OPAQUE_DATA",
  "SPDM_UNSUPPORTED_VERSION", "OPAQUE_DUPLICATE_FIELD",
]);

function guarded(f: () => NvidiaVerdict<unknown>): NvidiaVerdict<unknown> {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasmAbort) throw new Error(`Wasm trapped: ${e.message}`);
    throw e;
  }
}

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function toPem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----`;
}

const H100 = "nvtrust/h100_550.90.07_report.hex", H100_CHAIN = "nvtrust/h100_550.90.07_chain.pem";
const H100_2023 = "nvtrust/h100_545.00_report_2023.hex", H100_2023_CHAIN = "nvtrust/h100_545.00_chain_2023.pem";
const LS10 = "attestation-sdk/switch/ls10_report.hex", LS10_CHAIN = "attestation-sdk/switch/ls10_chain.pem";
const GB202 = "trustee/rtxpro6000_gb202_595.58.03_report.hex", GB202_CHAIN = "trustee/rtxpro6000_gb202_595.58.03_chain.pem";
const NEARAI = "nearai/nearai_cloud_report_openai_gpt_oss_120b.json";

describe("NVIDIA proof: golden measurements", () => {
  it("both full golden runs match all 33 active RIM indices (the only clean runs in index.json)", () => {
    const clean = loadIndex().golden_comparisons.filter((g) => g.mismatches.length === 0 && g.conflicts.length === 0);
    expect(clean.map((g) => g.nGolden)).toEqual([33, 33]);
    const runs: [string, string, string, string][] = [
      [H100_2023, H100_2023_CHAIN, "nvtrust/rims/Driver_RIM_test_no_gpu.swidtag", "nvtrust/rims/1010_0200_882_96005E0001_test_no_gpu.swidtag"],
      [H100, H100_CHAIN, "go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml", "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml"],
    ];
    for (const [report, chain, driverRim, vbiosRim] of runs) {
      const bytes = fixtureReport(report);
      const golden = goldenFromRims(driverRim, vbiosRim);
      const v = verifyNvidia(bytes, fixtureText(chain), { at, nonce: bytes.subarray(4, 36), golden, policy: { require_golden: true, require_nonce: true } });
      expect(v.error).toBeNull();
      expect(v.status).toBe("Verified");
      expect(v.claims!.golden!.compared).toBe(33);
      // Flipping any one golden digest of the 33 is reported as that index.
      for (const index of Object.keys(golden.blocks)) {
        const bad = { ...golden, blocks: { ...golden.blocks, [index]: golden.blocks[index].map((d) => (d[0] === "0" ? "1" : "0") + d.slice(1)) } };
        const m = verifyNvidia(bytes, fixtureText(chain), { at, golden: bad });
        expect(m.error?.code, `index ${index}`).toBe("GOLDEN_MISMATCH");
        expect(m.error!.indices).toEqual([Number(index)]);
      }
    }
  });
});

describe("NVIDIA proof: NEAR AI CPU binding", () => {
  it("all 8 GPU nonces equal REPORTDATA[32:64] of the node's own TDX quote", () => {
    const file = JSON.parse(fixtureText(NEARAI)) as { model_attestations: { intel_quote: string; request_nonce: string; signing_address: string }[] };
    const attestation = file.model_attestations[0];
    const quote = parseTdxQuote(new Uint8Array(Buffer.from(attestation.intel_quote, "hex")));
    expect(quote.error).toBeNull();
    const reportData = Buffer.from(quote.claims!.report_data!, "hex");
    expect(reportData.length).toBe(64);
    // REPORTDATA = signing address (20 B) || 12 zero bytes || request nonce (32 B).
    expect(reportData.subarray(0, 20).toString("hex")).toBe(attestation.signing_address.slice(2).toLowerCase());
    expect(reportData.subarray(20, 32).every((b) => b === 0)).toBe(true);
    const boundNonce = reportData.subarray(32, 64).toString("hex");
    expect(boundNonce).toBe(attestation.request_nonce);

    const node = normalizeNvidiaEvidence(nodeEvidence(NEARAI));
    expect(node.gpus.length).toBe(8);
    for (const gpu of node.gpus) {
      // The nonce inside each signed SPDM request, read by the parser.
      expect(parseNvidiaReport(gpu.report).report!.nonce).toBe(boundNonce);
    }
    // And the verifier, given the quote's nonce as the expected one, accepts the whole node.
    const v = verifyNvidia(nodeEvidence(NEARAI) as object, { at, nonce: boundNonce, policy: { require_nonce: true } });
    expect(v.error).toBeNull();
    expect(v.claims!.gpus.every((g) => g.nonce === boundNonce && g.nonce_checked)).toBe(true);
    // Any other quote nonce is refused.
    const other = Buffer.from(reportData.subarray(32, 64));
    other[31] ^= 1;
    expect(verifyNvidia(nodeEvidence(NEARAI) as object, { at, nonce: other.toString("hex") }).error?.code).toBe("NONCE_MISMATCH");
  });
});

describe("NVIDIA proof: mutations", () => {
  it("every bit-flip of every signature byte (Hopper, Blackwell, NVSwitch) -> SIGNATURE_INVALID", () => {
    for (const [file, chain] of [[H100, H100_CHAIN], [GB202, GB202_CHAIN], [LS10, LS10_CHAIN]]) {
      const good = fixtureReport(file), certs = fixtureText(chain);
      const off = parseNvidiaReport(good).report!.signature_offset;
      expect(off + 96).toBe(good.length);
      for (let i = off; i < off + 96; i++) {
        const b = good.slice();
        b[i] ^= 1 << (i % 8);
        expect(verifyNvidia(b, certs, { at }).error?.code, `${file} byte ${i}`).toBe("SIGNATURE_INVALID");
      }
    }
  });

  it("every byte of the Blackwell (DiceTcbInfo) leaf TBS changed -> rejected", () => {
    const report = fixtureReport(GB202), pem = splitPem(fixtureText(GB202_CHAIN));
    const der = Buffer.from(pem[0].replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    const tbsEnd = 4 + 4 + ((der[6] << 8) | der[7]);
    expect(der[4]).toBe(0x30);
    let checked = 0;
    for (let i = 4; i < tbsEnd; i++) {
      const d = Buffer.from(der);
      d[i] ^= 0x10;
      const chain = pem.slice();
      chain[0] = toPem(d);
      const v = guarded(() => verifyNvidia(report, chain.join("\n"), { at }));
      expect(v.ok, `leaf byte ${i}`).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(600);
  });
});

describe("NVIDIA proof: malformed reports through the full verifier", () => {
  it("truncated at every length (GPU and NVSwitch) -> a structure code, never a trap", () => {
    for (const [file, chain] of [[H100, H100_CHAIN], [LS10, LS10_CHAIN]]) {
      const good = fixtureReport(file), certs = fixtureText(chain);
      for (let n = 0; n < good.length; n++) {
        const v = guarded(() => verifyNvidia(good.subarray(0, n), certs, { at }));
        expect(v.ok, `${file} length ${n}`).toBe(false);
        expect(STRUCTURE_CODES.has(v.error!.code), `${file} length ${n}: ${v.error!.code}`).toBe(true);
      }
    }
  });

  it("lying length fields -> MALFORMED_*, never a trap or an accept", () => {
    const good = fixtureReport(H100), certs = fixtureText(H100_CHAIN);
    const r = 37, record = r + 8, recordLength = 64 * 55, opaqueLengthAt = record + recordLength + 32;
    const opaqueLength = good[opaqueLengthAt] | (good[opaqueLengthAt + 1] << 8);
    const edits: { name: string; apply: (b: Uint8Array) => void }[] = [];
    for (const count of [0, 1, 63, 65, 128, 255]) edits.push({ name: `NumberOfBlocks ${count}`, apply: (b) => { b[r + 4] = count; } });
    for (const len of [0, 1, 54, recordLength - 1, recordLength + 1, recordLength + 55, good.length, 0xffffff]) {
      edits.push({ name: `MeasurementRecordLength ${len}`, apply: (b) => { b[r + 5] = len & 0xff; b[r + 6] = (len >> 8) & 0xff; b[r + 7] = len >> 16; } });
    }
    for (const block of [0, 1, 31, 63]) {
      const at0 = record + 55 * block;
      for (const size of [0, 3, 50, 52, 0xffff]) edits.push({ name: `block ${block} MeasurementSize ${size}`, apply: (b) => { b[at0 + 2] = size & 0xff; b[at0 + 3] = size >> 8; } });
      for (const size of [0, 32, 47, 49, 0xffff]) edits.push({ name: `block ${block} ValueSize ${size}`, apply: (b) => { b[at0 + 5] = size & 0xff; b[at0 + 6] = size >> 8; } });
    }
    for (const len of [opaqueLength + 1, opaqueLength + 96, 0xffff]) {
      edits.push({ name: `OpaqueLength ${len}`, apply: (b) => { b[opaqueLengthAt] = len & 0xff; b[opaqueLengthAt + 1] = len >> 8; } });
    }
    // Every TLV length of the opaque area, made one too long and maximal.
    for (let at0 = opaqueLengthAt + 2; at0 < opaqueLengthAt + 2 + opaqueLength;) {
      const len = good[at0 + 2] | (good[at0 + 3] << 8);
      const type = good[at0] | (good[at0 + 1] << 8);
      const p = at0;
      for (const lie of [len + 1, 0xffff]) edits.push({ name: `TLV ${type} length ${lie}`, apply: (b) => { b[p + 2] = lie & 0xff; b[p + 3] = lie >> 8; } });
      at0 += 4 + len;
    }
    expect(edits.length).toBeGreaterThan(60);
    for (const e of edits) {
      const b = good.slice();
      e.apply(b);
      const v = guarded(() => verifyNvidia(b, certs, { at }));
      expect(v.ok, e.name).toBe(false);
      // A shorter opaque length that still lands on a TLV boundary parses; the signature then fails.
      expect(STRUCTURE_CODES.has(v.error!.code) || v.error!.code === "SIGNATURE_INVALID", `${e.name}: ${v.error!.code}`).toBe(true);
    }
  });
});
