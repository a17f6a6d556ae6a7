// SEV-SNP ATTESTATION_REPORT parsing (AMD SEV-SNP ABI spec 56860, Table "ATTESTATION_REPORT";
// spec snp.md §1). Parse only: no crypto and no policy here.
//
// The report is exactly 1184 bytes, little-endian. The signature covers bytes [0x000, 0x2A0); the
// verifier hashes those raw input bytes, never a re-encoding, so the parser keeps the input and reads
// fields in place. Every must-be-zero range is checked, the unsigned tail [0x330, 0x4A0) included
// (microsoft/TEE-Attestation-Verification #141: bytes outside the signature must not carry data a
// consumer might trust). The parser is strict about what the format defines and never reads out of
// bounds: the length is checked first and every offset below is a constant inside it.
import { SnpError, parseError, MALFORMED_REPORT_LENGTH, MALFORMED_REPORT_VERSION, MALFORMED_REPORT_RESERVED,
  MALFORMED_REPORT_FIELD, MALFORMED_REPORT_SIGNATURE, REPORT_UNSIGNED } from "./errors";
import { Tcb, decodeTcb, productFromCpuid, PRODUCT_UNKNOWN } from "./tcb";

export const REPORT_SIZE: i32 = 0x4a0;
/** End of the signed part: the signature covers [0, SIGNED_END). */
export const SIGNED_END: i32 = 0x2a0;

// Field offsets and sizes.
export const OFF_VERSION: i32 = 0x000;
export const OFF_GUEST_SVN: i32 = 0x004;
export const OFF_POLICY: i32 = 0x008;
export const OFF_FAMILY_ID: i32 = 0x010;
export const OFF_IMAGE_ID: i32 = 0x020;
export const ID_SIZE: i32 = 16;
export const OFF_VMPL: i32 = 0x030;
export const OFF_SIGNATURE_ALGO: i32 = 0x034;
export const OFF_CURRENT_TCB: i32 = 0x038;
export const OFF_PLATFORM_INFO: i32 = 0x040;
export const OFF_KEY_INFO: i32 = 0x048;
const OFF_RESERVED_1: i32 = 0x04c; // 4 bytes
export const OFF_REPORT_DATA: i32 = 0x050;
export const REPORT_DATA_SIZE: i32 = 64;
export const OFF_MEASUREMENT: i32 = 0x090;
export const MEASUREMENT_SIZE: i32 = 48;
export const OFF_HOST_DATA: i32 = 0x0c0;
export const HOST_DATA_SIZE: i32 = 32;
export const OFF_ID_KEY_DIGEST: i32 = 0x0e0;
export const OFF_AUTHOR_KEY_DIGEST: i32 = 0x110;
export const KEY_DIGEST_SIZE: i32 = 48;
export const OFF_REPORT_ID: i32 = 0x140;
export const OFF_REPORT_ID_MA: i32 = 0x160;
export const REPORT_ID_SIZE: i32 = 32;
export const OFF_REPORTED_TCB: i32 = 0x180;
const OFF_CPUID_FAMILY: i32 = 0x188; // v3+
const OFF_CPUID_MODEL: i32 = 0x189;
const OFF_CPUID_STEPPING: i32 = 0x18a;
const OFF_RESERVED_2_V2: i32 = 0x188; // v2: the CPUID bytes are reserved too
const OFF_RESERVED_2_V3: i32 = 0x18b;
export const OFF_CHIP_ID: i32 = 0x1a0;
export const CHIP_ID_SIZE: i32 = 64;
export const OFF_COMMITTED_TCB: i32 = 0x1e0;
const OFF_CURRENT_BUILD: i32 = 0x1e8; // then minor, major
const OFF_RESERVED_3: i32 = 0x1eb;
const OFF_COMMITTED_BUILD: i32 = 0x1ec; // then minor, major
const OFF_RESERVED_4: i32 = 0x1ef;
export const OFF_LAUNCH_TCB: i32 = 0x1f0;
const OFF_LAUNCH_MIT_VECTOR: i32 = 0x1f8; // v5+
const OFF_CURRENT_MIT_VECTOR: i32 = 0x200; // v5+
const OFF_RESERVED_5_V3: i32 = 0x1f8; // v2/v3: the mitigation vectors are reserved
const OFF_RESERVED_5_V5: i32 = 0x208;
export const OFF_SIGNATURE_R: i32 = 0x2a0;
export const OFF_SIGNATURE_S: i32 = 0x2e8;
/** R and S are 72-byte little-endian fields; only the low 48 bytes can be non-zero for P-384. */
export const SIGNATURE_FIELD_SIZE: i32 = 72;
export const P384_SCALAR_SIZE: i32 = 48;
const OFF_SIGNATURE_TAIL: i32 = 0x330;

/** SIGNATURE_ALGO 1 = ECDSA P-384 with SHA-384, the only one defined. */
const SIGNATURE_ALGO_ECDSA_P384_SHA384: u32 = 1;

// KEY_INFO bits.
const KEY_INFO_AUTHOR_KEY_EN: u32 = 1 << 0;
const KEY_INFO_MASK_CHIP_KEY: u32 = 1 << 1;
const KEY_INFO_SIGNING_KEY_SHIFT: u32 = 2;
const KEY_INFO_SIGNING_KEY_MASK: u32 = 7;
const KEY_INFO_RESERVED_MASK: u32 = 0xffffffe0;
export const SIGNING_KEY_VCEK: i32 = 0;
export const SIGNING_KEY_VLEK: i32 = 1;
export const SIGNING_KEY_NONE: i32 = 7;

// Guest POLICY bits (spec snp.md §1).
export const POLICY_ABI_MINOR_MASK: u64 = 0xff;
export const POLICY_ABI_MAJOR_SHIFT: u64 = 8;
export const POLICY_SMT: u64 = 1 << 16;
const POLICY_RESERVED_ONE: u64 = 1 << 17;
export const POLICY_MIGRATE_MA: u64 = 1 << 18;
export const POLICY_DEBUG: u64 = 1 << 19;
export const POLICY_SINGLE_SOCKET: u64 = 1 << 20;
export const POLICY_CXL_ALLOW: u64 = 1 << 21;
export const POLICY_MEM_AES_256_XTS: u64 = 1 << 22;
export const POLICY_RAPL_DIS: u64 = 1 << 23;
export const POLICY_CIPHERTEXT_HIDING: u64 = 1 << 24;
export const POLICY_PAGE_SWAP_DISABLE: u64 = 1 << 25;
/** Bits 63:26 must be zero. */
const POLICY_RESERVED_MASK: u64 = 0xfffffffffc000000;

// PLATFORM_INFO bits (bit 6 is reserved on Milan/Genoa and IOMMU_WRITE_SAFE on Turin; unknown bits
// are reported, not rejected: policy decides).
export const PLATFORM_SMT_EN: u64 = 1 << 0;
export const PLATFORM_TSME_EN: u64 = 1 << 1;
export const PLATFORM_ECC_EN: u64 = 1 << 2;
export const PLATFORM_RAPL_DIS: u64 = 1 << 3;
export const PLATFORM_CIPHERTEXT_HIDING_EN: u64 = 1 << 4;
export const PLATFORM_ALIAS_CHECK_COMPLETE: u64 = 1 << 5;
export const PLATFORM_IOMMU_WRITE_SAFE: u64 = 1 << 6;
export const PLATFORM_TIO_EN: u64 = 1 << 7;

/** P-384 group order n, big-endian (SEC 2 §2.5.1): r and s must lie in [1, n-1]. */
const P384_ORDER: StaticArray<u8> = [
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
  0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

function u32At(data: Uint8Array, offset: i32): u32 {
  return <u32>data[offset] | (<u32>data[offset + 1] << 8) | (<u32>data[offset + 2] << 16) | (<u32>data[offset + 3] << 24);
}

function u64At(data: Uint8Array, offset: i32): u64 {
  return <u64>u32At(data, offset) | (<u64>u32At(data, offset + 4) << 32);
}

/** A parsed report: scalar fields decoded, byte fields read in place from `raw` (the caller's input). */
export class SnpReport {
  version: u32 = 0;
  guestSvn: u32 = 0;
  policy: u64 = 0;
  vmpl: u32 = 0;
  platformInfo: u64 = 0;
  keyInfo: u32 = 0;
  signingKey: i32 = 0;
  authorKeyEnabled: bool = false;
  maskChipKey: bool = false;
  hasCpuid: bool = false;
  cpuidFamily: u8 = 0;
  cpuidModel: u8 = 0;
  cpuidStepping: u8 = 0;
  /** From CPUID on v3+; PRODUCT_UNKNOWN on v2 (the chain decides) or an unsupported CPU. */
  cpuidProduct: i32 = PRODUCT_UNKNOWN;
  hasMitigationVectors: bool = false;
  launchMitVector: u64 = 0;
  currentMitVector: u64 = 0;
  /** Big-endian P-384 scalars (48 bytes each), converted from the little-endian fields. */
  signatureR: Uint8Array = new Uint8Array(P384_SCALAR_SIZE);
  signatureS: Uint8Array = new Uint8Array(P384_SCALAR_SIZE);

  constructor(public raw: Uint8Array) {}

  bytes(offset: i32, size: i32): Uint8Array { return this.raw.slice(offset, offset + size); }
  familyId(): Uint8Array { return this.bytes(OFF_FAMILY_ID, ID_SIZE); }
  imageId(): Uint8Array { return this.bytes(OFF_IMAGE_ID, ID_SIZE); }
  reportData(): Uint8Array { return this.bytes(OFF_REPORT_DATA, REPORT_DATA_SIZE); }
  measurement(): Uint8Array { return this.bytes(OFF_MEASUREMENT, MEASUREMENT_SIZE); }
  hostData(): Uint8Array { return this.bytes(OFF_HOST_DATA, HOST_DATA_SIZE); }
  idKeyDigest(): Uint8Array { return this.bytes(OFF_ID_KEY_DIGEST, KEY_DIGEST_SIZE); }
  authorKeyDigest(): Uint8Array { return this.bytes(OFF_AUTHOR_KEY_DIGEST, KEY_DIGEST_SIZE); }
  reportId(): Uint8Array { return this.bytes(OFF_REPORT_ID, REPORT_ID_SIZE); }
  reportIdMa(): Uint8Array { return this.bytes(OFF_REPORT_ID_MA, REPORT_ID_SIZE); }
  chipId(): Uint8Array { return this.bytes(OFF_CHIP_ID, CHIP_ID_SIZE); }

  currentTcb(product: i32): Tcb { return decodeTcb(this.raw, OFF_CURRENT_TCB, product); }
  reportedTcb(product: i32): Tcb { return decodeTcb(this.raw, OFF_REPORTED_TCB, product); }
  committedTcb(product: i32): Tcb { return decodeTcb(this.raw, OFF_COMMITTED_TCB, product); }
  launchTcb(product: i32): Tcb { return decodeTcb(this.raw, OFF_LAUNCH_TCB, product); }

  /** Firmware version "major.minor.build". */
  currentVersion(): string { return versionAt(this.raw, OFF_CURRENT_BUILD); }
  committedVersion(): string { return versionAt(this.raw, OFF_COMMITTED_BUILD); }
  /** Committed and current firmware (TCB and version) are the same. */
  firmwareCommitted(): bool {
    for (let i = 0; i < 8; i++) if (this.raw[OFF_COMMITTED_TCB + i] != this.raw[OFF_CURRENT_TCB + i]) return false;
    for (let i = 0; i < 3; i++) if (this.raw[OFF_COMMITTED_BUILD + i] != this.raw[OFF_CURRENT_BUILD + i]) return false;
    return true;
  }

  /** True when every byte of a range is `value`. */
  allBytes(offset: i32, size: i32, value: u8): bool {
    for (let i = offset; i < offset + size; i++) if (this.raw[i] != value) return false;
    return true;
  }
}

function versionAt(data: Uint8Array, buildOffset: i32): string {
  return data[buildOffset + 2].toString() + "." + data[buildOffset + 1].toString() + "." + data[buildOffset].toString();
}

function hex(v: i32): string { return "0x" + v.toString(16); }

/** First non-zero offset in [start, end), or -1. */
function firstNonZero(data: Uint8Array, start: i32, end: i32): i32 {
  for (let i = start; i < end; i++) if (data[i] != 0) return i;
  return -1;
}

/** Every must-be-zero range for this version, then the unsigned tail. */
function checkReserved(data: Uint8Array, version: u32): SnpError | null {
  const cpuidEnd = version >= 3 ? OFF_RESERVED_2_V3 : OFF_RESERVED_2_V2;
  const mitEnd = version >= 5 ? OFF_RESERVED_5_V5 : OFF_RESERVED_5_V3;
  let at = firstNonZero(data, OFF_RESERVED_1, OFF_REPORT_DATA);
  if (at < 0) at = firstNonZero(data, cpuidEnd, OFF_CHIP_ID);
  if (at < 0) at = firstNonZero(data, OFF_RESERVED_3, OFF_RESERVED_3 + 1);
  if (at < 0) at = firstNonZero(data, OFF_RESERVED_4, OFF_RESERVED_4 + 1);
  if (at < 0) at = firstNonZero(data, mitEnd, SIGNED_END);
  if (at >= 0) return parseError(MALFORMED_REPORT_RESERVED, "reserved byte at " + hex(at) + " is not zero");
  at = firstNonZero(data, OFF_SIGNATURE_TAIL, REPORT_SIZE);
  if (at >= 0) return parseError(MALFORMED_REPORT_RESERVED, "unsigned tail byte at " + hex(at) + " is not zero");
  return null;
}

/** a < b for equal-length big-endian magnitudes. */
function lessThan(a: Uint8Array, b: StaticArray<u8>): bool {
  for (let i = 0; i < a.length; i++) {
    if (a[i] != unchecked(b[i])) return a[i] < unchecked(b[i]);
  }
  return false;
}

/** Reads one 72-byte little-endian scalar field into `out` (48 bytes big-endian); error text or "". */
function readScalar(data: Uint8Array, offset: i32, out: Uint8Array, name: string): string {
  if (firstNonZero(data, offset + P384_SCALAR_SIZE, offset + SIGNATURE_FIELD_SIZE) >= 0) return name + " has non-zero high bytes";
  for (let i = 0; i < P384_SCALAR_SIZE; i++) out[i] = data[offset + P384_SCALAR_SIZE - 1 - i];
  if (firstNonZero(out, 0, P384_SCALAR_SIZE) < 0) return name + " is zero";
  if (!lessThan(out, P384_ORDER)) return name + " is not below the P-384 order";
  return "";
}

function checkKeyInfo(report: SnpReport): SnpError | null {
  const keyInfo = report.keyInfo;
  if ((keyInfo & KEY_INFO_RESERVED_MASK) != 0) return parseError(MALFORMED_REPORT_RESERVED, "KEY_INFO bits 31:5 are not zero");
  report.authorKeyEnabled = (keyInfo & KEY_INFO_AUTHOR_KEY_EN) != 0;
  report.maskChipKey = (keyInfo & KEY_INFO_MASK_CHIP_KEY) != 0;
  report.signingKey = <i32>((keyInfo >> KEY_INFO_SIGNING_KEY_SHIFT) & KEY_INFO_SIGNING_KEY_MASK);
  if (report.signingKey == SIGNING_KEY_NONE) return parseError(REPORT_UNSIGNED, "SIGNING_KEY is 7 (none): the report is not signed");
  if (report.signingKey != SIGNING_KEY_VCEK && report.signingKey != SIGNING_KEY_VLEK) {
    return parseError(MALFORMED_REPORT_FIELD, "SIGNING_KEY " + report.signingKey.toString() + " is reserved");
  }
  return null;
}

function checkScalarFields(report: SnpReport): SnpError | null {
  const data = report.raw;
  const algo = u32At(data, OFF_SIGNATURE_ALGO);
  if (algo != SIGNATURE_ALGO_ECDSA_P384_SHA384) return parseError(MALFORMED_REPORT_FIELD, "SIGNATURE_ALGO " + algo.toString() + " is not 1 (ECDSA P-384 SHA-384)");
  report.vmpl = u32At(data, OFF_VMPL);
  if (report.vmpl > 3) return parseError(MALFORMED_REPORT_FIELD, "VMPL " + report.vmpl.toString() + " is above 3");
  report.policy = u64At(data, OFF_POLICY);
  if ((report.policy & POLICY_RESERVED_ONE) == 0) return parseError(MALFORMED_REPORT_RESERVED, "POLICY bit 17 (reserved, must be one) is zero");
  if ((report.policy & POLICY_RESERVED_MASK) != 0) return parseError(MALFORMED_REPORT_RESERVED, "POLICY bits 63:26 are not zero");
  report.keyInfo = u32At(data, OFF_KEY_INFO);
  return checkKeyInfo(report);
}

function readVersionSpecific(report: SnpReport): void {
  const data = report.raw;
  if (report.version >= 3) {
    report.hasCpuid = true;
    report.cpuidFamily = data[OFF_CPUID_FAMILY];
    report.cpuidModel = data[OFF_CPUID_MODEL];
    report.cpuidStepping = data[OFF_CPUID_STEPPING];
    report.cpuidProduct = productFromCpuid(report.cpuidFamily, report.cpuidModel);
  }
  if (report.version >= 5) {
    report.hasMitigationVectors = true;
    report.launchMitVector = u64At(data, OFF_LAUNCH_MIT_VECTOR);
    report.currentMitVector = u64At(data, OFF_CURRENT_MIT_VECTOR);
  }
}

/** Report versions we parse: 2, 3 and 5 (4 was never issued by AMD firmware; anything unknown may move
 * fields, so it is refused rather than guessed). */
function supportedVersion(v: u32): bool { return v == 2 || v == 3 || v == 5; }

/** Result of parseReport: exactly one of `report` and `error` is set. */
export class ReportResult {
  report: SnpReport | null = null;
  error: SnpError | null = null;
}

/** Parses and structurally validates a report. No signature or policy check happens here. */
export function parseReport(data: Uint8Array): ReportResult {
  const result = new ReportResult();
  if (data.length != REPORT_SIZE) {
    result.error = parseError(MALFORMED_REPORT_LENGTH, "report is " + data.length.toString() + " bytes, expected 1184");
    return result;
  }
  const report = new SnpReport(data);
  report.version = u32At(data, OFF_VERSION);
  if (!supportedVersion(report.version)) {
    result.error = parseError(MALFORMED_REPORT_VERSION, "report version " + report.version.toString() + " is not 2, 3 or 5");
    return result;
  }
  report.guestSvn = u32At(data, OFF_GUEST_SVN);
  let error = checkScalarFields(report);
  if (error === null) error = checkReserved(data, report.version);
  if (error === null) {
    let problem = readScalar(data, OFF_SIGNATURE_R, report.signatureR, "signature R");
    if (problem.length == 0) problem = readScalar(data, OFF_SIGNATURE_S, report.signatureS, "signature S");
    if (problem.length > 0) error = parseError(MALFORMED_REPORT_SIGNATURE, problem);
  }
  if (error !== null) {
    result.error = error;
    return result;
  }
  report.platformInfo = u64At(data, OFF_PLATFORM_INFO);
  readVersionSpecific(report);
  result.report = report;
  return result;
}
