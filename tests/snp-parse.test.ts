// SEV-SNP report parsing and TCB decoding (assembly/snp/report.ts, tcb.ts) against the values recorded
// in shared/fixtures/snp/expected.json by an independent node checker, plus synthetic reports with one
// thing wrong each (every must-be-zero range, every field rule). Policy: tests/snp-policy.test.ts.
import { describe, it, expect } from "vitest";
import { parseSnpReport, type SnpClaims, type SnpTcb } from "../src/wasm/snp";
import { HAVE_SNP_FIXTURES, REQUIRE_FIXTURES, SNP_DIR, expectedCases, read, hex, type ExpectedCase } from "./helpers/snp-fixtures";

if (!HAVE_SNP_FIXTURES) {
  if (REQUIRE_FIXTURES) it("SNP fixtures are present (CI)", () => { throw new Error(`missing ${SNP_DIR}/expected.json`); });
  else console.warn(`[snp-parse] SKIPPED real-evidence tests: no fixtures at ${SNP_DIR} (set TEE_ATTEST_FIXTURES)`);
}

const cases = expectedCases();

function parse(report: Uint8Array, product?: "Milan" | "Genoa" | "Turin"): SnpClaims {
  const r = parseSnpReport(report, product);
  if (!r.ok) throw new Error(`parse failed: ${r.error.code} ${r.error.message}`);
  return r.claims;
}

function parseError(report: Uint8Array): string {
  const r = parseSnpReport(report);
  expect(r.ok).toBe(false);
  return r.ok ? "" : r.error.code;
}

/** Rebuilds the raw little-endian TCB hex from the decoded parts in the product's layout. */
function encodeTcb(t: SnpTcb, turin: boolean): string {
  const raw = fromRaw(t.raw);
  const b = new Uint8Array(8);
  if (turin) { b[0] = t.fmc!; b[1] = t.bl; b[2] = t.tee; b[3] = t.snp; b[7] = t.ucode; }
  else { b[0] = t.bl; b[1] = t.tee; b[6] = t.snp; b[7] = t.ucode; for (let i = 2; i < 6; i++) b[i] = raw[i]; }
  return hex(b);
}
const fromRaw = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

describe("SNP report parsing vs expected.json", () => {
  it("has the 14 recorded cases (13 valid rows, 1 wrong-key VLEK)", () => {
    expect(cases.length).toBe(14);
  });

  for (const c of cases) {
    it(`${c.report}: every recorded field`, () => {
      const report = read(c.report);
      // v2 reports carry no CPUID; the product the chain proves is supplied as the hint here.
      const claims = parse(report, c.report_version === 2 ? c.product : undefined);
      const f = c.fields;
      expect(claims.version).toBe(c.report_version);
      expect(claims.product).toBe(c.product);
      expect(claims.product_source).toBe(c.report_version >= 3 ? "cpuid" : "hint");
      expect(claims.signing_key).toBe(c.signing_key);
      expect(claims.policy).toBe(f.policy);
      expect(claims.vmpl).toBe(f.vmpl);
      expect(claims.guest_svn).toBe(f.guest_svn);
      expect(claims.platform_info).toBe(f.platform_info);
      expect(claims.family_id).toBe(f.family_id);
      expect(claims.image_id).toBe(f.image_id);
      expect(claims.cpuid).toEqual(f.cpuid ? { family: f.cpuid.fam, model: f.cpuid.mod, stepping: f.cpuid.step } : null);
      expect(claims.current_tcb.raw).toBe(f.current_tcb);
      expect(claims.reported_tcb.raw).toBe(f.reported_tcb);
      expect(claims.committed_tcb.raw).toBe(f.committed_tcb);
      expect(claims.launch_tcb.raw).toBe(f.launch_tcb);
      expect(claims.reported_tcb).toEqual(f.reported_tcb_parts);
      expect(claims.current_version).toBe(f.current_version);
      expect(claims.committed_version).toBe(f.committed_version);
      // expected.json writes the vectors as bare hex; claims use the 0x form of the other bitfields.
      expect(claims.launch_mit_vector).toBe(f.launch_mit_vector === null ? null : "0x" + f.launch_mit_vector);
      expect(claims.current_mit_vector).toBe(f.current_mit_vector === null ? null : "0x" + f.current_mit_vector);
      expect(claims.measurement).toBe(f.measurement);
      expect(claims.report_data).toBe(f.report_data);
      expect(claims.host_data).toBe(f.host_data);
      expect(claims.id_key_digest).toBe(f.id_key_digest);
      expect(claims.chip_id).toBe(f.chip_id);
      // The four TCBs re-encode to their raw bytes in the product's layout (no component lost or moved).
      for (const t of [claims.current_tcb, claims.reported_tcb, claims.committed_tcb, claims.launch_tcb]) {
        expect(encodeTcb(t, c.product === "Turin")).toBe(t.raw);
        expect("fmc" in t).toBe(c.product === "Turin");
      }
      // Policy bits decoded from the same u64.
      const policy = BigInt(f.policy);
      expect(claims.policy_bits.debug).toBe((policy & (1n << 19n)) !== 0n);
      expect(claims.policy_bits.migrate_ma).toBe((policy & (1n << 18n)) !== 0n);
      expect(claims.policy_bits.smt).toBe((policy & (1n << 16n)) !== 0n);
      expect(claims.policy_bits.abi_minor).toBe(Number(policy & 0xffn));
    });
  }

  it("Turin TCB uses the Turin layout (fmc0 bl1 tee0 snp2 ucode71), not the Milan one", () => {
    const turin = cases.find((c) => c.product === "Turin")!;
    const claims = parse(read(turin.report));
    expect(claims.reported_tcb).toEqual({ raw: "0001000200000047", fmc: 0, bl: 1, tee: 0, snp: 2, ucode: 71 });
    expect(claims.platform_info_bits.iommu_write_safe).toBe(true);
    expect(claims.chip_id.slice(16)).toBe("0".repeat(112));
    // Read with the Milan layout the same bytes would be bl0 tee1 snp0 (virtee/snphost #125).
    expect(claims.reported_tcb.snp).not.toBe(0);
  });

  it("dstack: REPORTED (snp 23) differs from CURRENT/COMMITTED (snp 24)", () => {
    const c = cases.find((x) => x.report.startsWith("dstack/"))!;
    const claims = parse(read(c.report));
    expect(claims.reported_tcb.snp).toBe(23);
    expect(claims.current_tcb.snp).toBe(24);
    expect(claims.committed_tcb.snp).toBe(24);
  });

  it("v2 without a hint: product unknown, TCB decoded with the Milan/Genoa layout as an assumption", () => {
    const claims = parse(read("routex-client-lua/genoa_v2_report.bin"));
    expect(claims.version).toBe(2);
    expect(claims.product).toBe(null);
    expect(claims.product_source).toBe("assumed");
    expect(claims.cpuid).toBe(null);
    expect("fmc" in claims.reported_tcb).toBe(false);
    expect(claims.chip_id).not.toBe("0".repeat(128));
  });

  it("Lit parse-only report: Milan v2, FW 1.51.3, reported bl2 snp5 ucode115", () => {
    const claims = parse(read("lit-parse-only/guest_report.bin"), "Milan");
    expect(claims.version).toBe(2);
    expect(claims.current_version).toBe("1.51.3");
    expect(claims.reported_tcb).toMatchObject({ bl: 2, snp: 5, ucode: 115 });
  });

  it("Lit wrong-length (1185) and truncated (793) reports are MALFORMED_REPORT_LENGTH", () => {
    expect(parseError(read("lit-parse-only/guest_report_bad_sig.bin"))).toBe("MALFORMED_REPORT_LENGTH");
    expect(parseError(read("lit-parse-only/guest_report_corrupt.bin"))).toBe("MALFORMED_REPORT_LENGTH");
  });

  it("the VLEK report says SIGNING_KEY = VLEK and has a masked (zero) CHIP_ID", () => {
    const c = cases.find((x) => x.signing_key === "VLEK" && x.expect.signature_valid)!;
    const claims = parse(read(c.report));
    expect(claims.signing_key).toBe("VLEK");
    expect(claims.chip_id).toBe("0".repeat(128));
  });
});

// ---------------------------------------------------------------------------------------------------
// Synthetic reports: a valid-looking v3/v5 skeleton with one thing wrong at a time.

function skeleton(version: number): Uint8Array {
  const r = new Uint8Array(1184);
  const dv = new DataView(r.buffer);
  dv.setUint32(0x000, version, true);
  dv.setBigUint64(0x008, 0x30000n, true); // SMT allowed + reserved bit 17
  dv.setUint32(0x034, 1, true); // ECDSA P-384 SHA-384
  r.fill(0xff, 0x160, 0x180); // REPORT_ID_MA: no migration agent
  if (version >= 3) { r[0x188] = 0x19; r[0x189] = 0x11; r[0x18a] = 0x01; } // Genoa
  r.fill(0xaa, 0x1a0, 0x1e0);
  r[0x2a0] = 1; // R = 1
  r[0x2e8] = 1; // S = 1
  return r;
}

function withByte(r: Uint8Array, offset: number, value: number): Uint8Array {
  const out = r.slice();
  out[offset] = value;
  return out;
}

describe("SNP report parsing: synthetic reports", () => {
  it("the skeletons parse (v2, v3, v5)", () => {
    for (const v of [2, 3, 5]) expect(parseSnpReport(skeleton(v)).ok).toBe(true);
  });

  it("versions other than 2, 3, 5 are MALFORMED_REPORT_VERSION", () => {
    for (const v of [0, 1, 4, 6, 0x100, 0xffffffff]) {
      const r = skeleton(5);
      new DataView(r.buffer).setUint32(0, v >>> 0, true);
      expect(parseError(r)).toBe("MALFORMED_REPORT_VERSION");
    }
  });

  it("length must be exactly 1184", () => {
    for (const n of [0, 1, 672, 1183, 1185, 2368]) {
      const r = new Uint8Array(n);
      r.set(skeleton(5).subarray(0, Math.min(n, 1184)));
      expect(parseError(r)).toBe("MALFORMED_REPORT_LENGTH");
    }
  });

  // Every must-be-zero byte, per version (reserved fields, and the unsigned tail 0x330-0x49F).
  const reserved = (v: number): number[] => {
    const out: number[] = [];
    const range = (a: number, b: number) => { for (let i = a; i < b; i++) out.push(i); };
    range(0x04c, 0x050);
    range(v >= 3 ? 0x18b : 0x188, 0x1a0);
    out.push(0x1eb, 0x1ef);
    range(v >= 5 ? 0x208 : 0x1f8, 0x2a0);
    range(0x330, 0x4a0);
    return out;
  };

  for (const v of [2, 3, 5]) {
    it(`v${v}: every reserved byte non-zero -> MALFORMED_REPORT_RESERVED (${reserved(v).length} bytes)`, () => {
      const base = skeleton(v);
      const offsets = reserved(v);
      for (const at of offsets) {
        const r = parseSnpReport(withByte(base, at, 0x01));
        expect(r.ok, `offset 0x${at.toString(16)}`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe("MALFORMED_REPORT_RESERVED");
      }
    });
  }

  it("v5 mitigation vectors and v3 CPUID are fields, not reserved", () => {
    const r5 = skeleton(5);
    r5[0x1f8] = 0x0b; r5[0x200] = 0x0b;
    const c = parse(r5);
    expect(c.launch_mit_vector).toBe("0xb");
    expect(c.current_mit_vector).toBe("0xb");
    const r3 = skeleton(3);
    expect(parseError(withByte(r3, 0x1f8, 1))).toBe("MALFORMED_REPORT_RESERVED");
    expect(parseError(withByte(skeleton(2), 0x188, 0x19))).toBe("MALFORMED_REPORT_RESERVED");
  });

  it("POLICY: bit 17 must be one, bits 63:26 zero", () => {
    const r = skeleton(5);
    new DataView(r.buffer).setBigUint64(0x008, 0x10000n, true);
    expect(parseError(r)).toBe("MALFORMED_REPORT_RESERVED");
    for (const bit of [26n, 40n, 63n]) {
      const x = skeleton(5);
      new DataView(x.buffer).setBigUint64(0x008, 0x30000n | (1n << bit), true);
      expect(parseError(x)).toBe("MALFORMED_REPORT_RESERVED");
    }
    const ok = skeleton(5);
    new DataView(ok.buffer).setBigUint64(0x008, 0x3ff0000n, true); // every defined bit set
    expect(parseSnpReport(ok).ok).toBe(true);
  });

  it("KEY_INFO: reserved bits, SIGNING_KEY 2-6 reserved, 7 = unsigned", () => {
    const set = (v: number) => { const r = skeleton(5); new DataView(r.buffer).setUint32(0x048, v, true); return r; };
    expect(parseError(set(1 << 5))).toBe("MALFORMED_REPORT_RESERVED");
    expect(parseError(set(1 << 31))).toBe("MALFORMED_REPORT_RESERVED");
    for (const k of [2, 3, 4, 5, 6]) expect(parseError(set(k << 2))).toBe("MALFORMED_REPORT_FIELD");
    expect(parseError(set(7 << 2))).toBe("REPORT_UNSIGNED");
    const vlek = parse(set(1 << 2));
    expect(vlek.signing_key).toBe("VLEK");
    const flags = parse(set(3));
    expect(flags.author_key_en).toBe(true);
    expect(flags.mask_chip_key).toBe(true);
  });

  it("VMPL above 3 and SIGNATURE_ALGO other than 1 are MALFORMED_REPORT_FIELD", () => {
    expect(parseError(withByte(skeleton(5), 0x030, 4))).toBe("MALFORMED_REPORT_FIELD");
    expect(parseError(withByte(skeleton(5), 0x033, 1))).toBe("MALFORMED_REPORT_FIELD");
    expect(parseError(withByte(skeleton(5), 0x034, 2))).toBe("MALFORMED_REPORT_FIELD");
    expect(parseError(withByte(skeleton(5), 0x034, 0))).toBe("MALFORMED_REPORT_FIELD");
    expect(parse(withByte(skeleton(5), 0x030, 3)).vmpl).toBe(3);
  });

  it("signature R/S: high 24 bytes must be zero, value in [1, n-1]", () => {
    for (const base of [0x2a0, 0x2e8]) {
      for (const hi of [48, 60, 71]) expect(parseError(withByte(skeleton(5), base + hi, 1))).toBe("MALFORMED_REPORT_SIGNATURE");
      expect(parseError(withByte(skeleton(5), base, 0))).toBe("MALFORMED_REPORT_SIGNATURE");
      const big = skeleton(5);
      big.fill(0xff, base, base + 48); // 2^384 - 1 > n
      expect(parseError(big)).toBe("MALFORMED_REPORT_SIGNATURE");
      // n itself (little-endian) is refused; n - 1 is accepted.
      const n = Buffer.from("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", "hex").reverse();
      const atN = skeleton(5); atN.set(n, base);
      expect(parseError(atN)).toBe("MALFORMED_REPORT_SIGNATURE");
      const below = skeleton(5); below.set(n, base); below[base] -= 1;
      expect(parseSnpReport(below).ok).toBe(true);
    }
  });

  it("CPUID decides the product and layout: Milan 19h/01h, Genoa 19h/11h and A0h, Turin 1Ah/02h, others unknown", () => {
    const cpu = (fam: number, mod: number) => { const r = skeleton(5); r[0x188] = fam; r[0x189] = mod; return parse(r).product; };
    expect(cpu(0x19, 0x01)).toBe("Milan");
    expect(cpu(0x19, 0x11)).toBe("Genoa");
    expect(cpu(0x19, 0xa0)).toBe("Genoa");
    expect(cpu(0x1a, 0x02)).toBe("Turin");
    expect(cpu(0x1a, 0x11)).toBe("Turin");
    expect(cpu(0x1a, 0x50)).toBe(null); // Venice: layout unpublished
    expect(cpu(0x19, 0x30)).toBe(null);
    expect(cpu(0x17, 0x31)).toBe(null);
    const venice = skeleton(5); venice[0x188] = 0x1a; venice[0x189] = 0x50;
    const claims = parse(venice);
    expect([claims.product, claims.product_source, "fmc" in claims.reported_tcb]).toEqual([null, "assumed", false]);
  });

  it("firmware versions read as major.minor.build", () => {
    const r = skeleton(5);
    r[0x1e8] = 61; r[0x1e9] = 55; r[0x1ea] = 1;
    r[0x1ec] = 49; r[0x1ed] = 55; r[0x1ee] = 1;
    const c = parse(r);
    expect(c.current_version).toBe("1.55.61");
    expect(c.committed_version).toBe("1.55.49");
  });
});
