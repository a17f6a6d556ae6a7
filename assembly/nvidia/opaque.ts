// The opaque data of NVIDIA's MEASUREMENTS response: a list of `type u16 LE | length u16 LE | value`
// items (spec nvidia.md §1.4, type numbers from nvtrust OPAQUE_DATA_TYPES). It is covered by the
// report signature, so it is where driver/VBIOS versions, the FWID, the multi-GPU mode and the NVLink
// topology are read from (never from the unsigned JSON around the report).
//
// Rules: the items must tile the opaque data exactly; a known type may appear once (a second copy
// could make two readers disagree about a signed value); unknown types are skipped (forward
// compatibility) once their length has been checked; type 255 (INVALID) is refused. Values of the
// fields we use are size- and charset-checked here, so later stages only see well-formed values.
import { fail, failBool, MALFORMED_OPAQUE_DATA, OPAQUE_DUPLICATE_FIELD } from "./errors";
import { formatVbiosVersion } from "./ids";

export const OPAQUE_CERT_ISSUER_NAME: i32 = 1;
export const OPAQUE_CERT_AUTHORITY_KEY_ID: i32 = 2;
export const OPAQUE_DRIVER_VERSION: i32 = 3;
export const OPAQUE_GPU_INFO: i32 = 4;
export const OPAQUE_SKU: i32 = 5;
export const OPAQUE_VBIOS_VERSION: i32 = 6;
export const OPAQUE_MANUFACTURER_ID: i32 = 7;
export const OPAQUE_TAMPER_DETECTION: i32 = 8;
export const OPAQUE_SMC: i32 = 9;
export const OPAQUE_VPR: i32 = 10;
export const OPAQUE_NVDEC0_STATUS: i32 = 11;
export const OPAQUE_MSRSCNT: i32 = 12;
export const OPAQUE_CPRINFO: i32 = 13;
export const OPAQUE_BOARD_ID: i32 = 14;
export const OPAQUE_CHIP_SKU: i32 = 15;
export const OPAQUE_CHIP_SKU_MOD: i32 = 16;
export const OPAQUE_PROJECT: i32 = 17;
export const OPAQUE_PROJECT_SKU: i32 = 18;
export const OPAQUE_PROJECT_SKU_MOD: i32 = 19;
export const OPAQUE_FWID: i32 = 20;
export const OPAQUE_PROTECTED_PCIE_STATUS: i32 = 21;
/** GPU: the NVSwitch PDIs of its NVLinks; NVSwitch: its own DEVICE_PDI. */
export const OPAQUE_SWITCH_PDI: i32 = 22;
export const OPAQUE_FLOORSWEPT_PORTS: i32 = 23;
export const OPAQUE_POSITION_ID: i32 = 24;
export const OPAQUE_LOCK_SWITCH_STATUS: i32 = 25;
export const OPAQUE_SWITCH_GPU_PDIS: i32 = 26;
export const OPAQUE_GPU_LINK_CONN: i32 = 32;
export const OPAQUE_SYS_ENABLE_STATUS: i32 = 33;
export const OPAQUE_DATA_VERSION: i32 = 34;
export const OPAQUE_CHIP_INFO: i32 = 35;
export const OPAQUE_FEATURE_FLAG: i32 = 36;
export const OPAQUE_INVALID: i32 = 255;

const ITEM_HEADER_LENGTH: i32 = 4;
export const FWID_LENGTH: i32 = 48;
/** Platform Data Identifier: 8 bytes. */
export const PDI_LENGTH: i32 = 8;
/** NVSwitch field 26 starts with this many GPU PDIs (the rest is port mapping). */
export const SWITCH_GPU_PDI_COUNT: i32 = 8;
const MSRSCNT_ENTRY: i32 = 4;
/** Binary VBIOS version (GPU); NVSwitches send ASCII instead. */
const VBIOS_BINARY_LENGTH: i32 = 8;
/** More items than this cannot fit a sane report (real ones carry at most ~20). */
const MAX_ITEMS: i32 = 128;
/** NVDEC0_STATUS / PROTECTED_PCIE_STATUS encodings. */
export const STATUS_ENABLED: i32 = 0xaa;
export const STATUS_DISABLED: i32 = 0x55;

export class OpaqueField {
  type: i32 = 0;
  start: i32 = 0;
  length: i32 = 0;
}

/** The decoded opaque fields; absent ones are "" / -1 / null / empty. */
export class OpaqueInfo {
  fields: Array<OpaqueField> = [];
  driverVersion: string = "";
  vbiosVersion: string = "";
  chipSku: string = "";
  chipSkuMod: string = "";
  project: string = "";
  projectSku: string = "";
  projectSkuMod: string = "";
  chipInfo: string = "";
  boardId: i64 = -1;
  nvdecStatus: i32 = -1;
  ppcieStatus: i32 = -1;
  featureFlag: i32 = -1;
  opaqueVersion: i32 = -1;
  fwid: Uint8Array | null = null;
  /** Field 22 split into 8-byte PDIs. */
  pdis: Array<Uint8Array> = [];
  /** Field 26's leading GPU PDIs (NVSwitch only). */
  gpuPdis: Array<Uint8Array> = [];

  has(type: i32): bool {
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].type == type) return true;
    return false;
  }
}

function u16le(data: Uint8Array, at: i32): i32 { return <i32>data[at] | (<i32>data[at + 1] << 8); }

/** Types with an entry in NVIDIA's table (1-26, 32-36, 255): these may not repeat. */
function isKnownType(type: i32): bool {
  return (type >= OPAQUE_CERT_ISSUER_NAME && type <= OPAQUE_SWITCH_GPU_PDIS) ||
    (type >= OPAQUE_GPU_LINK_CONN && type <= OPAQUE_FEATURE_FLAG) || type == OPAQUE_INVALID;
}

/** Splits raw[start, end) into items; checks tiling, duplicates and the INVALID type. */
export function parseOpaqueItems(raw: Uint8Array, start: i32, end: i32): Array<OpaqueField> | null {
  const items = new Array<OpaqueField>();
  let at = start;
  while (at < end) {
    if (end - at < ITEM_HEADER_LENGTH) return fail<Array<OpaqueField>>(MALFORMED_OPAQUE_DATA, "opaque item header truncated at offset " + (at - start).toString());
    const type = u16le(raw, at);
    const length = u16le(raw, at + 2);
    if (length > end - at - ITEM_HEADER_LENGTH) return fail<Array<OpaqueField>>(MALFORMED_OPAQUE_DATA, "opaque item type " + type.toString() + " overruns the opaque data");
    if (type == OPAQUE_INVALID) return fail<Array<OpaqueField>>(MALFORMED_OPAQUE_DATA, "opaque item of type INVALID (255)");
    if (isKnownType(type)) {
      for (let i = 0; i < items.length; i++) {
        if (items[i].type == type) return fail<Array<OpaqueField>>(OPAQUE_DUPLICATE_FIELD, "opaque field " + type.toString() + " appears twice");
      }
    }
    if (items.length >= MAX_ITEMS) return fail<Array<OpaqueField>>(MALFORMED_OPAQUE_DATA, "too many opaque items");
    const f = new OpaqueField();
    f.type = type;
    f.start = at + ITEM_HEADER_LENGTH;
    f.length = length;
    items.push(f);
    at = f.start + length;
  }
  return items;
}

/** ASCII text up to the first NUL; printable characters only and nothing but NULs after it. Null if
 * the value breaks that rule. */
function asciiValue(raw: Uint8Array, f: OpaqueField): string | null {
  const end = f.start + f.length;
  let textEnd = f.start;
  while (textEnd < end && raw[textEnd] != 0) {
    const c = raw[textEnd];
    if (c < 0x20 || c > 0x7e) return null;
    textEnd++;
  }
  for (let i = textEnd; i < end; i++) if (raw[i] != 0) return null;
  return String.UTF8.decodeUnsafe(raw.dataStart + <usize>f.start, <usize>(textEnd - f.start));
}

function badSize(f: OpaqueField, expected: string): bool {
  return failBool(MALFORMED_OPAQUE_DATA, "opaque field " + f.type.toString() + " has length " + f.length.toString() + ", expected " + expected);
}

function splitPdis(raw: Uint8Array, f: OpaqueField, limit: i32): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  for (let at = f.start; at + PDI_LENGTH <= f.start + f.length && out.length < limit; at += PDI_LENGTH) out.push(raw.slice(at, at + PDI_LENGTH));
  return out;
}

/** Decodes one string-valued field into `info`; false (with a failure) on bad text. */
function decodeText(raw: Uint8Array, f: OpaqueField, info: OpaqueInfo): bool {
  const text = asciiValue(raw, f);
  if (text === null) return failBool(MALFORMED_OPAQUE_DATA, "opaque field " + f.type.toString() + " is not NUL-padded ASCII");
  const t = f.type;
  if (t == OPAQUE_DRIVER_VERSION) info.driverVersion = text;
  else if (t == OPAQUE_CHIP_SKU) info.chipSku = text;
  else if (t == OPAQUE_CHIP_SKU_MOD) info.chipSkuMod = text;
  else if (t == OPAQUE_PROJECT) info.project = text;
  else if (t == OPAQUE_PROJECT_SKU) info.projectSku = text;
  else if (t == OPAQUE_PROJECT_SKU_MOD) info.projectSkuMod = text;
  else if (t == OPAQUE_CHIP_INFO) info.chipInfo = text;
  else if (t == OPAQUE_VBIOS_VERSION) info.vbiosVersion = text;
  return true;
}

function isTextType(t: i32): bool {
  return t == OPAQUE_DRIVER_VERSION || (t >= OPAQUE_CHIP_SKU && t <= OPAQUE_PROJECT_SKU_MOD) || t == OPAQUE_CHIP_INFO;
}

/** Decodes one fixed-layout field into `info`; false (with a failure) on a size violation. */
function decodeFixed(raw: Uint8Array, f: OpaqueField, info: OpaqueInfo): bool {
  const t = f.type, n = f.length, at = f.start;
  if (t == OPAQUE_FWID) {
    if (n != FWID_LENGTH) return badSize(f, "48");
    info.fwid = raw.slice(at, at + n);
  } else if (t == OPAQUE_NVDEC0_STATUS || t == OPAQUE_PROTECTED_PCIE_STATUS) {
    if (n != 1) return badSize(f, "1");
    if (t == OPAQUE_NVDEC0_STATUS) info.nvdecStatus = <i32>raw[at];
    else info.ppcieStatus = <i32>raw[at];
  } else if (t == OPAQUE_FEATURE_FLAG || t == OPAQUE_DATA_VERSION) {
    if (n != 2) return badSize(f, "2");
    if (t == OPAQUE_FEATURE_FLAG) info.featureFlag = u16le(raw, at);
    else info.opaqueVersion = u16le(raw, at);
  } else if (t == OPAQUE_BOARD_ID) {
    if (n != 4) return badSize(f, "4");
    info.boardId = <i64>(<u32>u16le(raw, at) | (<u32>u16le(raw, at + 2) << 16));
  } else if (t == OPAQUE_SWITCH_PDI) {
    if (n == 0 || n % PDI_LENGTH != 0) return badSize(f, "a non-zero multiple of 8");
    info.pdis = splitPdis(raw, f, n / PDI_LENGTH);
  } else if (t == OPAQUE_SWITCH_GPU_PDIS) {
    if (n < SWITCH_GPU_PDI_COUNT * PDI_LENGTH || n % PDI_LENGTH != 0) return badSize(f, "a multiple of 8, at least 64");
    info.gpuPdis = splitPdis(raw, f, SWITCH_GPU_PDI_COUNT);
  } else if (t == OPAQUE_MSRSCNT) {
    if (n % MSRSCNT_ENTRY != 0) return badSize(f, "a multiple of 4");
  }
  return true;
}

/** VBIOS_VERSION: 8 binary bytes on GPUs, ASCII ("96.10.55.00.01") on NVSwitches. */
function decodeVbios(raw: Uint8Array, f: OpaqueField, info: OpaqueInfo): bool {
  if (f.length == VBIOS_BINARY_LENGTH) {
    info.vbiosVersion = formatVbiosVersion(raw, f.start);
    return true;
  }
  if (!decodeText(raw, f, info)) return false;
  if (info.vbiosVersion.length == 0) return badSize(f, "8 or a non-empty string");
  return true;
}

/** Parses and decodes the opaque data raw[start, end). Null on malformed input (see lastFailure()). */
export function parseOpaque(raw: Uint8Array, start: i32, end: i32): OpaqueInfo | null {
  const items = parseOpaqueItems(raw, start, end);
  if (items === null) return null;
  const info = new OpaqueInfo();
  info.fields = items;
  for (let i = 0; i < items.length; i++) {
    const f = items[i];
    let ok = true;
    if (f.type == OPAQUE_VBIOS_VERSION) ok = decodeVbios(raw, f, info);
    else if (isTextType(f.type)) ok = decodeText(raw, f, info);
    else ok = decodeFixed(raw, f, info);
    if (!ok) return null;
  }
  return info;
}
