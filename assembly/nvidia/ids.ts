// Identifiers derived from signed report fields and certificates: the VBIOS version string, NVIDIA's
// RIM ids (what governance looks golden values up by), the device's chip/architecture from its leaf
// certificate, the UEID as NVIDIA's NRAS prints it (leaf serial in decimal), and dotted-version order.

/** Architectures as NVIDIA's tools name them (NVAT / NRAS "arch"). */
export const ARCH_HOPPER = "HOPPER";
export const ARCH_BLACKWELL = "BLACKWELL";
export const ARCH_NVSWITCH = "NVSWITCH";

/** Blackwell drivers older than OPAQUE_DATA_VERSION 1 omit CHIP_INFO; NVAT then assumes GB100. */
const DEFAULT_BLACKWELL_CHIP_INFO = "GB100";
const DIGITS_UPPER = "0123456789ABCDEF";

function hexByteUpper(b: u8): string {
  return DIGITS_UPPER.charAt(<i32>(b >> 4)) + DIGITS_UPPER.charAt(<i32>(b & 15));
}

/** Upper-case hex, the form NVIDIA prints serials and versions in. */
export function hexUpper(data: Uint8Array): string {
  let out = "";
  for (let i = 0; i < data.length; i++) out += hexByteUpper(data[i]);
  return out;
}

/** The 8-byte binary VBIOS version at raw[at]: read as a u64 LE, the low 32 bits give four dotted
 * bytes and bits 32..39 the fifth (nvtrust format_vbios_version): 00 9f 00 96 01 .. -> "96.00.9F.00.01". */
export function formatVbiosVersion(raw: Uint8Array, at: i32): string {
  return hexByteUpper(raw[at + 3]) + "." + hexByteUpper(raw[at + 2]) + "." + hexByteUpper(raw[at + 1]) + "." +
    hexByteUpper(raw[at]) + "." + hexByteUpper(raw[at + 4]);
}

export class Chip {
  constructor(public name: string, public arch: string, public isSwitch: bool) {}
}

/** The chip named by the leaf certificate's CN ("GH100 A01 GSP FMC LF", "GB20X A01 GSP FMC LF",
 * "LS_10 A01 FSP FMC LF"); null for a chip this verifier does not know. */
export function chipFromLeafName(commonName: string): Chip | null {
  const space = commonName.indexOf(" ");
  const name = space < 0 ? commonName : commonName.substring(0, space);
  if (name == "GH100") return new Chip(name, ARCH_HOPPER, false);
  if (name == "GB100" || name == "GB20X") return new Chip(name, ARCH_BLACKWELL, false);
  if (name == "LS_10") return new Chip(name, ARCH_NVSWITCH, true);
  return null;
}

/** Driver RIM id: Hopper NV_GPU_DRIVER_GH100_<v>, Blackwell NV_GPU_CC_DRIVER_<CHIP_INFO>_<v>. */
export function driverRimId(chip: Chip, chipInfo: string, driverVersion: string): string {
  if (chip.isSwitch || driverVersion.length == 0) return "";
  if (chip.arch == ARCH_HOPPER) return "NV_GPU_DRIVER_GH100_" + driverVersion;
  return "NV_GPU_CC_DRIVER_" + (chipInfo.length > 0 ? chipInfo : DEFAULT_BLACKWELL_CHIP_INFO) + "_" + driverVersion;
}

/** VBIOS RIM id NV_GPU_VBIOS_<PROJECT>_<PROJECT_SKU>_<CHIP_SKU>_<version without dots>; "" when the
 * report lacks a part (NVSwitch reports carry no project fields). */
export function vbiosRimId(project: string, projectSku: string, chipSku: string, vbiosVersion: string): string {
  if (project.length == 0 || projectSku.length == 0 || chipSku.length == 0 || vbiosVersion.length == 0) return "";
  return "NV_GPU_VBIOS_" + project + "_" + projectSku + "_" + chipSku + "_" + vbiosVersion.replaceAll(".", "").toUpperCase();
}

/** Unsigned big-endian bytes in decimal (schoolbook division by 10; serials are <= 21 bytes). */
export function decimalString(value: Uint8Array): string {
  const work = value.slice(0);
  let digits = "";
  let nonZero = true;
  while (nonZero) {
    let remainder: u32 = 0;
    nonZero = false;
    for (let i = 0; i < work.length; i++) {
      const current = (remainder << 8) | <u32>work[i];
      work[i] = <u8>(current / 10);
      remainder = current % 10;
      if (work[i] != 0) nonZero = true;
    }
    digits = String.fromCharCode(0x30 + <i32>remainder) + digits;
  }
  return digits;
}

/** Parses "570.124.06" into numbers; null if a part is empty, not decimal or too long. */
function versionParts(version: string): Array<i32> | null {
  const parts = version.split(".");
  const out = new Array<i32>();
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length == 0 || p.length > 6) return null;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return null;
      v = v * 10 + (c - 0x30);
    }
    out.push(v);
  }
  return out;
}

export function isDottedVersion(version: string): bool { return versionParts(version) !== null; }

/** Numeric order of dotted versions (missing parts count as 0): <0, 0, >0; -2 if either is invalid. */
export function compareVersions(a: string, b: string): i32 {
  const x = versionParts(a), y = versionParts(b);
  if (x === null || y === null) return -2;
  const n = x.length > y.length ? x.length : y.length;
  for (let i = 0; i < n; i++) {
    const p = i < x.length ? x[i] : 0, q = i < y.length ? y[i] : 0;
    if (p != q) return p < q ? -1 : 1;
  }
  return 0;
}
