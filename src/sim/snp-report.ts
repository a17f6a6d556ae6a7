// Byte-exact SEV-SNP ATTESTATION_REPORT construction (1184 bytes, little-endian; specs/snp.md §1) for the
// simulator: versions 2, 3 and 5, the Milan/Genoa and Turin TCB_VERSION layouts, CPUID bytes (v3+),
// mitigation vectors (v5), and the P-384 signature over bytes 0x000-0x29F with R and S little-endian,
// zero-extended to 72 bytes. Reserved ranges and the unsigned tail stay zero unless a caller breaks them.
import { sign, type KeyObject } from "node:crypto";
import type { SnpProduct } from "./snp-pki";

export const REPORT_SIZE = 0x4a0;
export const SIGNED_SIZE = 0x2a0;

export const OFF = {
  version: 0x000, guestSvn: 0x004, policy: 0x008, familyId: 0x010, imageId: 0x020, vmpl: 0x030, signatureAlgo: 0x034,
  currentTcb: 0x038, platformInfo: 0x040, keyInfo: 0x048, reportData: 0x050, measurement: 0x090, hostData: 0x0c0,
  idKeyDigest: 0x0e0, authorKeyDigest: 0x110, reportId: 0x140, reportIdMa: 0x160, reportedTcb: 0x180, cpuid: 0x188,
  chipId: 0x1a0, committedTcb: 0x1e0, currentVersion: 0x1e8, committedVersion: 0x1ec, launchTcb: 0x1f0,
  launchMitVector: 0x1f8, currentMitVector: 0x200, signatureR: 0x2a0, signatureS: 0x2e8, signatureTail: 0x330,
} as const;

/** POLICY bits (go-sev-guest ParseSnpPolicy). Bit 17 is reserved and must be one. */
export const POLICY = {
  smt: 1n << 16n, reserved17: 1n << 17n, migrateMa: 1n << 18n, debug: 1n << 19n, singleSocket: 1n << 20n,
  cxlAllow: 1n << 21n, memAes256Xts: 1n << 22n, raplDis: 1n << 23n, ciphertextHiding: 1n << 24n, pageSwapDisable: 1n << 25n,
} as const;

/** KEY_INFO SIGNING_KEY (bits 4:2). */
export const SIGNING_KEY = { VCEK: 0, VLEK: 1, NONE: 7 } as const;

/** One TCB_VERSION by component; `fmc` exists on Turin only. */
export interface SnpTcbParts { fmc?: number; bl: number; tee: number; snp: number; ucode: number }

/** The 8 TCB_VERSION bytes in the product's layout (Milan/Genoa: bl tee 0 0 0 0 snp ucode; Turin: fmc bl tee snp 0 0 0 ucode). */
export function encodeTcb(product: SnpProduct, t: SnpTcbParts): Uint8Array {
  for (const [name, v] of Object.entries(t)) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 255)) throw new RangeError(`TCB ${name} must be 0-255, got ${v}`);
  }
  if (product === "Turin") return Uint8Array.from([t.fmc ?? 0, t.bl, t.tee, t.snp, 0, 0, 0, t.ucode]);
  if (t.fmc) throw new RangeError(`${product} TCB has no FMC component`);
  return Uint8Array.from([t.bl, t.tee, 0, 0, 0, 0, t.snp, t.ucode]);
}

/** The KDS SPL extensions (arc, value) a VCEK for this TCB carries, in AMD's order. */
export function splExtensions(product: SnpProduct, t: SnpTcbParts): Array<[number, number]> {
  if (product === "Turin") return [[1, t.bl], [2, t.tee], [3, t.snp], [5, 0], [6, 0], [7, 0], [8, t.ucode], [9, t.fmc ?? 0]];
  return [[1, t.bl], [2, t.tee], [3, t.snp], [4, 0], [5, 0], [6, 0], [7, 0], [8, t.ucode]];
}

/** CPUID family / model / stepping as real parts report them (fixtures: Milan 19h/01h, Genoa 19h/11h, Turin 1Ah/02h). */
export const CPUID: Record<SnpProduct, { family: number; model: number; stepping: number }> = {
  Milan: { family: 0x19, model: 0x01, stepping: 1 },
  Genoa: { family: 0x19, model: 0x11, stepping: 1 },
  Turin: { family: 0x1a, model: 0x02, stepping: 1 },
};

export interface FirmwareVersion { major: number; minor: number; build: number }

export interface ReportFields {
  version: 2 | 3 | 5;
  product: SnpProduct;
  guestSvn: number;
  policy: bigint;
  familyId: Uint8Array;
  imageId: Uint8Array;
  vmpl: number;
  currentTcb: SnpTcbParts;
  reportedTcb: SnpTcbParts;
  committedTcb: SnpTcbParts;
  launchTcb: SnpTcbParts;
  platformInfo: bigint;
  /** KEY_INFO bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY. */
  keyInfo: number;
  reportData: Uint8Array;
  measurement: Uint8Array;
  hostData: Uint8Array;
  idKeyDigest: Uint8Array;
  authorKeyDigest: Uint8Array;
  reportId: Uint8Array;
  reportIdMa: Uint8Array;
  /** Written as given (64 bytes); on Turin only the first 8 are meaningful. */
  chipId: Uint8Array;
  currentVersion: FirmwareVersion;
  committedVersion: FirmwareVersion;
  launchMitVector: bigint;
  currentMitVector: bigint;
  /** CPUID override (v3+); default: the product's. */
  cpuid?: { family: number; model: number; stepping: number };
}

function put(r: Uint8Array, offset: number, value: Uint8Array, size: number, name: string): void {
  if (value.length !== size) throw new RangeError(`${name} must be ${size} bytes, got ${value.length}`);
  r.set(value, offset);
}

/** The unsigned report: every field at its offset, signature area zero. */
export function encodeReport(f: ReportFields): Uint8Array {
  const r = new Uint8Array(REPORT_SIZE);
  const dv = new DataView(r.buffer);
  dv.setUint32(OFF.version, f.version, true);
  dv.setUint32(OFF.guestSvn, f.guestSvn, true);
  dv.setBigUint64(OFF.policy, f.policy, true);
  put(r, OFF.familyId, f.familyId, 16, "familyId");
  put(r, OFF.imageId, f.imageId, 16, "imageId");
  dv.setUint32(OFF.vmpl, f.vmpl, true);
  dv.setUint32(OFF.signatureAlgo, 1, true); // ECDSA P-384 with SHA-384
  r.set(encodeTcb(f.product, f.currentTcb), OFF.currentTcb);
  dv.setBigUint64(OFF.platformInfo, f.platformInfo, true);
  dv.setUint32(OFF.keyInfo, f.keyInfo, true);
  put(r, OFF.reportData, f.reportData, 64, "reportData");
  put(r, OFF.measurement, f.measurement, 48, "measurement");
  put(r, OFF.hostData, f.hostData, 32, "hostData");
  put(r, OFF.idKeyDigest, f.idKeyDigest, 48, "idKeyDigest");
  put(r, OFF.authorKeyDigest, f.authorKeyDigest, 48, "authorKeyDigest");
  put(r, OFF.reportId, f.reportId, 32, "reportId");
  put(r, OFF.reportIdMa, f.reportIdMa, 32, "reportIdMa");
  r.set(encodeTcb(f.product, f.reportedTcb), OFF.reportedTcb);
  if (f.version >= 3) {
    const c = f.cpuid ?? CPUID[f.product];
    r.set([c.family, c.model, c.stepping], OFF.cpuid);
  }
  put(r, OFF.chipId, f.chipId, 64, "chipId");
  r.set(encodeTcb(f.product, f.committedTcb), OFF.committedTcb);
  const v = (x: FirmwareVersion) => [x.build, x.minor, x.major];
  r.set(v(f.currentVersion), OFF.currentVersion);
  r.set(v(f.committedVersion), OFF.committedVersion);
  r.set(encodeTcb(f.product, f.launchTcb), OFF.launchTcb);
  if (f.version >= 5) {
    dv.setBigUint64(OFF.launchMitVector, f.launchMitVector, true);
    dv.setBigUint64(OFF.currentMitVector, f.currentMitVector, true);
  } else if (f.launchMitVector || f.currentMitVector) {
    throw new RangeError("mitigation vectors exist from report version 5 on");
  }
  return r;
}

/** Signs bytes 0x000-0x29F with a P-384 key and writes R, S little-endian (72 bytes each) in place. */
export function signReportInPlace(report: Uint8Array, key: KeyObject): Uint8Array {
  const rs = sign("sha384", report.subarray(0, SIGNED_SIZE), { key, dsaEncoding: "ieee-p1363" });
  report.fill(0, OFF.signatureR, OFF.signatureTail);
  report.set(Buffer.from(rs.subarray(0, 48)).reverse(), OFF.signatureR);
  report.set(Buffer.from(rs.subarray(48, 96)).reverse(), OFF.signatureS);
  return report;
}
