// NVIDIA SPDM report parsing (assembly/nvidia/spdm.ts, opaque.ts) through verifier.wasm: every report
// instance of fixtures/nvidia/index.json parses to the values recorded there, and hostile input gives a
// stable MALFORMED_* (or structure) error, never a Wasm trap.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseNvidiaReport, verifyNvidia } from "../src/wasm/nvidia";
import { WasmAbort, run, put, putString, takeJson } from "../src/wasm/loader";
import { HAVE_FIXTURES, SKIP_MESSAGE, loadIndex, reportCases, fixtureReport, fixtureText, expectedValid, type IndexCheck } from "./helpers/nvidia-fixtures";

/** nvidia_verify_node with raw evidence JSON text (the typed wrapper always sends a valid shape). */
function rawNode(body: string, at: number): { ok: boolean; error: { code: string } | null } {
  return run((w) => {
    const [ep, en] = putString(w, body);
    const [np, nn] = put(w, new Uint8Array(0));
    const fn = w.nvidia_verify_node as (...a: (number | bigint)[]) => number;
    return takeJson(w, fn(ep, en, np, nn, np, nn, BigInt(at), np, nn));
  });
}

const PARSE_ERRORS = new Set([
  "MALFORMED_REPORT", "MALFORMED_SPDM_REQUEST", "MALFORMED_SPDM_RESPONSE", "MALFORMED_MEASUREMENT_BLOCK", "MALFORMED_OPAQUE_DATA",
  "SPDM_UNSUPPORTED_VERSION", "OPAQUE_DUPLICATE_FIELD",
]);

/** index.json stores the VBIOS field as hex of the raw value: binary (GPU) or ASCII (NVSwitch). */
function vbiosString(raw: string): string {
  const bytes = Buffer.from(raw, "hex");
  if (bytes.length !== 8) return bytes.toString("latin1");
  const h = (b: number) => b.toString(16).toUpperCase().padStart(2, "0");
  return `${h(bytes[3])}.${h(bytes[2])}.${h(bytes[1])}.${h(bytes[0])}.${h(bytes[4])}`;
}

const u16le = (hex: string) => Buffer.from(hex, "hex").readUInt16LE(0);
const statusName = (hex: string) => (hex === "aa" ? "enabled" : hex === "55" ? "disabled" : `0x${hex}`);

function expectParsedLike(check: IndexCheck, parsed: NonNullable<ReturnType<typeof parseNvidiaReport>["report"]>): void {
  expect(parsed.nonce).toBe(check.reqNonce);
  expect(parsed.trailing_bytes).toBe(check.trailing);
  expect(parsed.signature_offset).toBe(check.bytes - check.trailing - 96);
  expect(parsed.driver_version ?? undefined).toBe(check.driver);
  if (check.vbios) expect(parsed.vbios_version).toBe(vbiosString(check.vbios));
  expect(parsed.project ?? undefined).toBe(check.project);
  expect(parsed.project_sku ?? undefined).toBe(check.projectSku);
  expect(parsed.chip_sku ?? undefined).toBe(check.chipSku);
  expect(parsed.chip_info ?? undefined).toBe(check.chipInfo);
  expect(parsed.feature_flag ?? undefined).toBe(check.featureFlag ? u16le(check.featureFlag) : undefined);
  expect(parsed.opaque_data_version ?? undefined).toBe(check.opaqueVer ? u16le(check.opaqueVer) : undefined);
  expect(parsed.nvdec0 ?? undefined).toBe(check.nvdec ? statusName(check.nvdec) : undefined);
  expect(parsed.protected_pcie ?? undefined).toBe(check.ppcie ? statusName(check.ppcie) : undefined);
  expect(parsed.report_fwid !== null).toBe(check.fwidMatch !== "no-FWID-in-report");
}

describe("NVIDIA report parsing: index.json", () => {
  const index = HAVE_FIXTURES ? loadIndex() : null;
  const cases = index ? reportCases(index) : [];

  it("covers every report instance of index.json (61 valid + 7 negative pairings)", () => {
    expect(cases.length).toBe(68);
    expect(cases.filter((c) => expectedValid(c.check)).length).toBe(61);
  });

  for (const c of cases) {
    it(`${c.file} :: ${c.check.name}`, () => {
      const r = parseNvidiaReport(c.report);
      expect(r.error).toBeNull();
      expect(r.ok).toBe(true);
      expectParsedLike(c.check, r.report!);
      // 64 blocks on GPUs, 31 on LS10 switches; block i is SPDM index i + 1.
      expect(r.report!.blocks).toBe(c.isSwitch ? 31 : 64);
      expect(r.report!.measurements.every((m) => typeof m === "string" && m.length === 96)).toBe(true);
    });
  }

  it("reads the NVSwitch DEVICE_PDI and the GPUs' switch PDI lists", () => {
    const sw = parseNvidiaReport(fixtureReport("attestation-sdk/switch/ls10_report.hex")).report!;
    expect(sw.pdis).toEqual(["203eb31ad9ed0008"]);
    expect(sw.opaque_types).toContain(26);
  });
});

describe("NVIDIA report parsing: hostile input never traps", () => {
  const good = HAVE_FIXTURES ? fixtureReport("nvtrust/h100_550.90.07_report.hex") : new Uint8Array(0);

  const parse = (bytes: Uint8Array) => {
    try {
      return parseNvidiaReport(bytes);
    } catch (e) {
      if (e instanceof WasmAbort) throw new Error(`Wasm trapped on hostile input: ${e.message}`);
      throw e;
    }
  };

  it("every truncation is a MALFORMED_* error", () => {
    for (let n = 0; n < good.length - 96; n += 1) {
      const r = parse(good.slice(0, n));
      expect(r.ok, `length ${n}`).toBe(false);
      expect(PARSE_ERRORS.has(r.error!.code), `length ${n}: ${r.error!.code}`).toBe(true);
    }
  });

  it("names the broken structure", () => {
    const at = (offset: number, value: number) => { const b = good.slice(); b[offset] = value; return parse(b).error?.code; };
    expect(at(0, 0x12)).toBe("SPDM_UNSUPPORTED_VERSION");
    expect(at(1, 0xe1)).toBe("MALFORMED_SPDM_REQUEST");
    expect(at(3, 0x01)).toBe("MALFORMED_SPDM_REQUEST");
    expect(at(37, 0x10)).toBe("SPDM_UNSUPPORTED_VERSION");
    expect(at(38, 0x61)).toBe("MALFORMED_SPDM_RESPONSE");
    expect(at(41, 63)).toBe("MALFORMED_SPDM_RESPONSE"); // fewer blocks than the record holds
    expect(at(45 + 1, 2)).toBe("MALFORMED_MEASUREMENT_BLOCK"); // block 1 MeasurementSpecification
    expect(at(45 + 55, 1)).toBe("MALFORMED_MEASUREMENT_BLOCK"); // block 2 index repeats block 1
  });

  it("opaque TLVs: overrun, duplicate and INVALID types are rejected; unknown types skipped", () => {
    // Rebuild a report with an edited opaque area (the signature is not checked by the parser).
    const opaqueLengthAt = 37 + 8 + 3520 + 32;
    const opaqueStart = opaqueLengthAt + 2;
    const opaqueLength = good[opaqueLengthAt] | (good[opaqueLengthAt + 1] << 8);
    const opaque = good.slice(opaqueStart, opaqueStart + opaqueLength);
    const rebuild = (o: Uint8Array) => {
      const out = new Uint8Array(opaqueStart + o.length + 96);
      out.set(good.slice(0, opaqueStart));
      out[opaqueLengthAt] = o.length & 0xff;
      out[opaqueLengthAt + 1] = o.length >> 8;
      out.set(o, opaqueStart);
      out.set(good.slice(good.length - 96), opaqueStart + o.length);
      return out;
    };
    const tlv = (type: number, value: number[]) => new Uint8Array([type & 0xff, type >> 8, value.length & 0xff, value.length >> 8, ...value]);
    const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
    expect(parse(rebuild(opaque)).ok).toBe(true);
    expect(parse(rebuild(cat(opaque, tlv(1000, [1, 2, 3])))).ok).toBe(true); // unknown type: skipped
    expect(parse(rebuild(cat(opaque, tlv(29, [])))).ok).toBe(true); // reserved gap 27..31: skipped
    expect(parse(rebuild(cat(opaque, tlv(1000, [1]), tlv(1000, [2])))).ok).toBe(true); // unknown may repeat
    expect(parse(rebuild(cat(opaque, tlv(21, [0xaa])))).error!.code).toBe("OPAQUE_DUPLICATE_FIELD");
    expect(parse(rebuild(cat(opaque, tlv(3, [0x39, 0])))).error!.code).toBe("OPAQUE_DUPLICATE_FIELD");
    expect(parse(rebuild(cat(opaque, tlv(255, [])))).error!.code).toBe("MALFORMED_OPAQUE_DATA");
    expect(parse(rebuild(cat(opaque, new Uint8Array([7, 0, 9])))).error!.code).toBe("MALFORMED_OPAQUE_DATA"); // header cut
    const overrun = cat(opaque, tlv(1000, [1, 2]));
    overrun[overrun.length - 4] = 3; // length 3, 2 bytes present
    expect(parse(rebuild(overrun)).error!.code).toBe("MALFORMED_OPAQUE_DATA");
  });

  it("opaque values of the fields we use are size- and charset-checked", () => {
    const opaqueLengthAt = 37 + 8 + 3520 + 32;
    const opaqueStart = opaqueLengthAt + 2;
    const withOnly = (items: Uint8Array) => {
      const out = new Uint8Array(opaqueStart + items.length + 96);
      out.set(good.slice(0, opaqueStart));
      out[opaqueLengthAt] = items.length & 0xff;
      out[opaqueLengthAt + 1] = items.length >> 8;
      out.set(items, opaqueStart);
      return out;
    };
    const tlv = (type: number, value: number[]) => new Uint8Array([type & 0xff, type >> 8, value.length & 0xff, value.length >> 8, ...value]);
    const code = (type: number, value: number[]) => parse(withOnly(tlv(type, value))).error?.code ?? "ok";
    expect(code(20, new Array(47).fill(1))).toBe("MALFORMED_OPAQUE_DATA"); // FWID must be 48
    expect(code(20, new Array(48).fill(1))).toBe("ok");
    expect(code(21, [0xaa, 0])).toBe("MALFORMED_OPAQUE_DATA");
    expect(code(36, [2])).toBe("MALFORMED_OPAQUE_DATA");
    expect(code(22, [1, 2, 3])).toBe("MALFORMED_OPAQUE_DATA");
    expect(code(3, [0x35, 0x35, 0x30, 0x01])).toBe("MALFORMED_OPAQUE_DATA"); // control character
    expect(code(3, [0x35, 0, 0x35])).toBe("MALFORMED_OPAQUE_DATA"); // text after the NUL
    expect(code(3, [0x35, 0x35, 0x30, 0])).toBe("ok");
    expect(code(6, [0x39, 0x36, 0])).toBe("ok"); // ASCII VBIOS (NVSwitch style)
    expect(code(6, [0, 0, 0])).toBe("MALFORMED_OPAQUE_DATA");
  });

  it("random bytes and random mutations of a real report never trap (fast-check)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const r = parse(bytes);
      return r.ok === false && PARSE_ERRORS.has(r.error!.code);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
      const b = good.slice();
      for (const [i, v] of edits) b[i] = v;
      const r = parse(b);
      return r.ok === true || PARSE_ERRORS.has(r.error!.code);
    }), { numRuns: 500 });
  });
});

describe("NVIDIA verification inputs: hostile JSON and PEM never trap", () => {
  const report = HAVE_FIXTURES ? fixtureReport("nvtrust/h100_550.90.07_report.hex") : new Uint8Array(0);
  const certs = HAVE_FIXTURES ? fixtureText("nvtrust/h100_550.90.07_chain.pem") : "";
  const at = Date.UTC(2026, 10, 21) / 1000;
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof WasmAbort) throw new Error(`Wasm trapped: ${e.message}`);
      throw e;
    }
  };

  it("golden and policy JSON of any shape", () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), fc.json({ maxDepth: 3 }), (golden, policy) => {
      const v = guard(() => verifyNvidia(report, certs, { at, golden, policy }));
      return v.ok || typeof v.error?.code === "string";
    }), { numRuns: 300 });
  });

  it("node evidence JSON of any shape", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (evidence) => {
      const v = guard(() => rawNode(JSON.stringify(evidence), at));
      return v.ok === false && typeof v.error?.code === "string";
    }), { numRuns: 100 });
    for (const body of ["{", "[]", "{}", '{"gpus":5}', '{"gpus":[{}]}', '{"gpus":[{"report":"!!","certs":""}]}', '{"gpus":[],"x":1}']) {
      const v = guard(() => rawNode(body, at));
      expect(v.ok).toBe(false);
      expect(["MALFORMED_EVIDENCE", "EVIDENCE_COUNT"]).toContain(v.error!.code);
    }
  });

  it("damaged PEM chains", () => {
    fc.assert(fc.property(fc.nat(certs.length - 1), fc.integer({ min: 32, max: 126 }), fc.nat(40), (at0, ch, cut) => {
      const damaged = certs.slice(0, at0) + String.fromCharCode(ch) + certs.slice(at0 + 1, certs.length - cut);
      const v = guard(() => verifyNvidia(report, damaged, { at }));
      return v.ok || typeof v.error?.code === "string";
    }), { numRuns: 300 });
  });
});

describe("NVIDIA fixtures", () => {
  it(HAVE_FIXTURES ? "are present" : SKIP_MESSAGE, () => {
    if (!HAVE_FIXTURES) {
      throw new Error(SKIP_MESSAGE);
    }
  });
});
