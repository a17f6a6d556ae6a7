// The relying party's choices, separate from what the evidence proves (go-sev-guest layering: parse ->
// verify -> policy). Given as JSON; every key is optional, unknown keys are refused (a misspelt key
// must not silently fall back to a weaker default):
//
//   allow_zero_padding        false  tolerate all-zero bytes after the signature (a real CoCo report has one)
//   require_fwid              auto   true: every GPU report must carry FWID (field 20); false: compare only
//                                    when present; absent: required for GPU drivers >= 550 (which send it).
//                                    A present FWID is always compared. NVSwitch firmware never sends one.
//   require_nonce             false  reject when no expected nonce is given
//   require_golden            false  reject when no golden measurements are given
//   skip_nvdec_when_disabled  false  NVAT's rule: do not compare RIM index 35 when NVDEC0_STATUS = 0x55
//   require_switches          false  multi-GPU PPCIe evidence must include the NVSwitch reports
//   allowed_archs             all    subset of ["HOPPER", "BLACKWELL", "NVSWITCH"]
//   allowed_modes             all    subset of ["SPT", "MPT", "PPCIE"] (GPUs only)
//   min_driver_version        none   e.g. "570.124.06" (signed DRIVER_VERSION, numeric order)
//   revoked_serials           []     hex serials; matches any certificate of a device chain (e.g. fed from
//                                    NVIDIA's CRLs), so a BROM serial revokes the device itself
//   revoked_ueids             []     decimal UEIDs as NVIDIA's NRAS prints them (leaf serial)
//   root_pem                  pinned a test root (PEM) replacing the pinned NVIDIA Device Identity CA
//   verified_intermediates    []     base64 DER of intermediates the caller already verified against the
//                                    same root; their links are not signature-checked again (chain.ts)
import { JsonValue, JsonKind, parseJson, jsonError } from "../encoding/json";
import { hexDecode } from "../encoding/hex";
import { bytesEqual, utf8 } from "../encoding/bytes";
import { base64DecodeRange } from "../encoding/base64";
import { Certificate, parseCertificate } from "../encoding/x509";
import { MAX_PRE_VERIFIED } from "./chain";
import { fail, failBool, MALFORMED_POLICY, DEVICE_REVOKED, ARCH_NOT_ALLOWED, MODE_NOT_ALLOWED, DRIVER_TOO_OLD, REPORT_TRAILING_BYTES } from "./errors";
import { ARCH_HOPPER, ARCH_BLACKWELL, ARCH_NVSWITCH, compareVersions, isDottedVersion, decimalString, hexUpper } from "./ids";
import { OpaqueInfo, STATUS_ENABLED } from "./opaque";
import { SpdmReport } from "./spdm";

export const MODE_SPT = "SPT";
export const MODE_MPT = "MPT";
export const MODE_PPCIE = "PPCIE";
/** FEATURE_FLAG values (opaque field 36). */
const FEATURE_SPT: i32 = 0;
const FEATURE_MPT: i32 = 1;
const FEATURE_PPCIE: i32 = 2;
/** First GPU driver branch that reports the FWID (535.x and 545.00 do not). */
const FIRST_FWID_DRIVER = "550";
const FWID_AUTO: i32 = -1;
const MAX_LIST: i32 = 4096;

const BOOL_KEYS: StaticArray<string> = [
  "allow_zero_padding", "require_fwid", "require_nonce", "require_golden", "skip_nvdec_when_disabled", "require_switches",
];
const LIST_KEYS: StaticArray<string> = ["allowed_archs", "allowed_modes", "revoked_serials", "revoked_ueids", "verified_intermediates"];
const STRING_KEYS: StaticArray<string> = ["min_driver_version", "root_pem"];

export class Policy {
  allowZeroPadding: bool = false;
  /** -1 auto, 0 optional, 1 required. */
  requireFwid: i32 = FWID_AUTO;
  requireNonce: bool = false;
  requireGolden: bool = false;
  skipNvdecWhenDisabled: bool = false;
  requireSwitches: bool = false;
  allowedArchs: Array<string> = [ARCH_HOPPER, ARCH_BLACKWELL, ARCH_NVSWITCH];
  allowedModes: Array<string> = [MODE_SPT, MODE_MPT, MODE_PPCIE];
  minDriverVersion: string = "";
  revokedSerials: Array<Uint8Array> = [];
  revokedUeids: Array<string> = [];
  rootPem: string = "";
  /** DER of pre-verified intermediates (chain.ts LinkCache.preVerified). */
  verifiedIntermediates: Array<Uint8Array> = [];
}

function readBool(v: JsonValue, key: string, out: Array<bool>): bool {
  if (v.kind != JsonKind.Bool) return failBool(MALFORMED_POLICY, key + " must be true or false");
  out.push(v.boolValue);
  return true;
}

function readStrings(v: JsonValue, key: string): Array<string> | null {
  if (!v.isArray || v.length > MAX_LIST) return fail<Array<string>>(MALFORMED_POLICY, key + " must be an array of strings");
  const out = new Array<string>();
  for (let i = 0; i < v.length; i++) {
    const s = v.items[i].asString();
    if (s === null) return fail<Array<string>>(MALFORMED_POLICY, key + "[" + i.toString() + "] must be a string");
    out.push(s);
  }
  return out;
}

function checkSubset(list: Array<string>, allowed: StaticArray<string>, key: string): bool {
  for (let i = 0; i < list.length; i++) if (!allowed.includes(list[i])) return failBool(MALFORMED_POLICY, key + " has unknown value \"" + list[i] + "\"");
  return true;
}

const ALL_ARCHS: StaticArray<string> = [ARCH_HOPPER, ARCH_BLACKWELL, ARCH_NVSWITCH];
const ALL_MODES: StaticArray<string> = [MODE_SPT, MODE_MPT, MODE_PPCIE];

function applyBool(p: Policy, key: string, v: JsonValue): bool {
  const b = new Array<bool>();
  if (key == "require_fwid" && v.isNull) return true;
  if (!readBool(v, key, b)) return false;
  if (key == "allow_zero_padding") p.allowZeroPadding = b[0];
  else if (key == "require_fwid") p.requireFwid = b[0] ? 1 : 0;
  else if (key == "require_nonce") p.requireNonce = b[0];
  else if (key == "require_golden") p.requireGolden = b[0];
  else if (key == "skip_nvdec_when_disabled") p.skipNvdecWhenDisabled = b[0];
  else p.requireSwitches = b[0];
  return true;
}

/** verified_intermediates: base64 DER certificates, at most MAX_PRE_VERIFIED. */
function readDerList(p: Policy, list: Array<string>): bool {
  if (list.length > MAX_PRE_VERIFIED) return failBool(MALFORMED_POLICY, "verified_intermediates has more than " + MAX_PRE_VERIFIED.toString() + " entries");
  for (let i = 0; i < list.length; i++) {
    const b64 = utf8(list[i]);
    const der = base64DecodeRange(b64, 0, b64.length, false, true);
    if (der === null || parseCertificate(der) === null) return failBool(MALFORMED_POLICY, "verified_intermediates[" + i.toString() + "] is not a base64 DER certificate");
    p.verifiedIntermediates.push(der);
  }
  return true;
}

function applyList(p: Policy, key: string, v: JsonValue): bool {
  const list = readStrings(v, key);
  if (list === null) return false;
  if (key == "allowed_archs") { p.allowedArchs = list; return checkSubset(list, ALL_ARCHS, key); }
  if (key == "allowed_modes") { p.allowedModes = list; return checkSubset(list, ALL_MODES, key); }
  if (key == "revoked_ueids") { p.revokedUeids = list; return true; }
  if (key == "verified_intermediates") return readDerList(p, list);
  for (let i = 0; i < list.length; i++) {
    const serial = hexDecode(list[i]);
    if (serial === null || serial.length == 0) return failBool(MALFORMED_POLICY, "revoked_serials[" + i.toString() + "] is not hex");
    p.revokedSerials.push(serial);
  }
  return true;
}

function applyString(p: Policy, key: string, v: JsonValue): bool {
  const s = v.asString();
  if (s === null) return failBool(MALFORMED_POLICY, key + " must be a string");
  if (key == "min_driver_version") {
    if (!isDottedVersion(s)) return failBool(MALFORMED_POLICY, "min_driver_version must be a dotted number");
    p.minDriverVersion = s;
  } else p.rootPem = s;
  return true;
}

/** Parses the policy JSON; empty input means the defaults. Null on malformed input. */
export function parsePolicy(json: Uint8Array): Policy | null {
  const p = new Policy();
  if (json.length == 0) return p;
  const root = parseJson(json);
  if (root === null) return fail<Policy>(MALFORMED_POLICY, "policy is not JSON: " + jsonError);
  if (!root.isObject) return fail<Policy>(MALFORMED_POLICY, "policy must be an object");
  for (let i = 0; i < root.keys.length; i++) {
    const key = root.keys[i];
    const v = root.items[i];
    let ok = false;
    if (BOOL_KEYS.includes(key)) ok = applyBool(p, key, v);
    else if (LIST_KEYS.includes(key)) ok = applyList(p, key, v);
    else if (STRING_KEYS.includes(key)) ok = applyString(p, key, v);
    else return fail<Policy>(MALFORMED_POLICY, "unknown policy key \"" + key + "\"");
    if (!ok) return null;
  }
  return p;
}

/** Bytes after the signature: none, or (when allowed) only zeros. */
export function checkTrailing(report: SpdmReport, p: Policy): bool {
  if (report.trailingLength == 0) return true;
  if (p.allowZeroPadding && report.trailingAllZero) return true;
  return failBool(REPORT_TRAILING_BYTES, report.trailingLength.toString() + " byte(s) after the signature" +
    (report.trailingAllZero ? " (all zero; policy allow_zero_padding accepts that)" : ""));
}

/** Whether a report without field 20 must be rejected. */
export function fwidRequired(p: Policy, isSwitch: bool, driverVersion: string): bool {
  if (isSwitch) return false;
  if (p.requireFwid != FWID_AUTO) return p.requireFwid == 1;
  return isDottedVersion(driverVersion) && compareVersions(driverVersion, FIRST_FWID_DRIVER) >= 0;
}

/** The GPU's multi-GPU mode from FEATURE_FLAG, or for drivers without it from PROTECTED_PCIE_STATUS. */
export function gpuMode(info: OpaqueInfo): string {
  const f = info.featureFlag;
  if (f == FEATURE_SPT) return MODE_SPT;
  if (f == FEATURE_MPT) return MODE_MPT;
  if (f == FEATURE_PPCIE) return MODE_PPCIE;
  if (f >= 0) return "UNKNOWN_" + f.toString();
  return info.ppcieStatus == STATUS_ENABLED ? MODE_PPCIE : MODE_SPT;
}

/** Revocation lists: any chain certificate serial, or the leaf's UEID. */
export function checkRevocation(p: Policy, certs: Array<Certificate>, ueid: string): bool {
  for (let i = 0; i < certs.length; i++) {
    const serial = certs[i].serial;
    for (let j = 0; j < p.revokedSerials.length; j++) {
      if (bytesEqual(serial, p.revokedSerials[j])) return failBool(DEVICE_REVOKED, "certificate serial " + hexUpper(serial) + " is revoked");
    }
  }
  if (p.revokedUeids.includes(ueid)) return failBool(DEVICE_REVOKED, "UEID " + ueid + " is revoked");
  return true;
}

/** Architecture, mode and driver-age rules for one device. */
export function checkDevicePolicy(p: Policy, arch: string, isSwitch: bool, mode: string, driverVersion: string): bool {
  if (!p.allowedArchs.includes(arch)) return failBool(ARCH_NOT_ALLOWED, "architecture " + arch + " is not allowed");
  if (isSwitch) return true;
  if (!p.allowedModes.includes(mode)) return failBool(MODE_NOT_ALLOWED, "mode " + mode + " is not allowed");
  if (p.minDriverVersion.length > 0 && (!isDottedVersion(driverVersion) || compareVersions(driverVersion, p.minDriverVersion) < 0)) {
    return failBool(DRIVER_TOO_OLD, "driver " + driverVersion + " is older than " + p.minDriverVersion);
  }
  return true;
}

export function ueidOf(leaf: Certificate): string { return decimalString(leaf.serial); }
