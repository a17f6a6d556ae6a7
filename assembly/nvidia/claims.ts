// Verdict and claims JSON (DESIGN.md §3). Claims come only from signed data: the report (request
// nonce, opaque fields, measurement blocks) and the verified certificate chain (chip, serials). The
// unsigned "driver_version" / "vbios_version" that NVIDIA's JSON wrappers carry are never used.
//
//   {"ok":true,"tee":"nvidia","status":"Verified"|"Incomplete","advisory_ids":[],"claims":{…},"error":null}
//   {"ok":false,"tee":"nvidia","error":{"code":"GOLDEN_MISMATCH","message":"…","indices":[9],"device":"gpus[2]"}}
//
// "Incomplete" means every check that ran passed but the nonce or the golden measurements were not
// supplied (claims.nonce_checked / claims.golden say which); a relying party that needs them sets
// require_nonce / require_golden in the policy.
import { JsonWriter } from "../encoding/json-writer";
import { hexEncode } from "../encoding/hex";
import { Failure } from "./errors";
import { DeviceResult } from "./verify";
import { NodeResult } from "./multi";
import { SpdmReport } from "./spdm";
import { OpaqueInfo } from "./opaque";
import { hexUpper, driverRimId, vbiosRimId } from "./ids";

export const TEE_NVIDIA = "nvidia";
export const STATUS_VERIFIED = "Verified";
export const STATUS_INCOMPLETE = "Incomplete";
const STATUS_NAMES_ENABLED = "enabled";
const STATUS_NAMES_DISABLED = "disabled";

function statusName(value: i32): string {
  if (value == 0xaa) return STATUS_NAMES_ENABLED;
  if (value == 0x55) return STATUS_NAMES_DISABLED;
  return "0x" + value.toString(16);
}

function optionalString(w: JsonWriter, key: string, value: string): void {
  if (value.length > 0) w.fieldString(key, value);
  else w.fieldNull(key);
}

function optionalNumber(w: JsonWriter, key: string, value: i64): void {
  if (value >= 0) w.fieldU64(key, <u64>value);
  else w.fieldNull(key);
}

/** Digests of the measurement blocks in index order: measurements[i] is SPDM block i + 1 = RIM index i
 * (a missing index is null). */
function writeMeasurements(w: JsonWriter, report: SpdmReport): void {
  w.key("measurements").beginArray();
  const last = report.blocks.length > 0 ? report.blocks[report.blocks.length - 1].index : 0;
  for (let index = 1; index <= last; index++) {
    const b = report.block(index);
    if (b === null) w.null();
    else w.string(hexEncode(report.digest(b)));
  }
  w.endArray();
}

/** The opaque fields every claim set shares (parse-only output included). */
function writeOpaqueClaims(w: JsonWriter, info: OpaqueInfo): void {
  optionalString(w, "driver_version", info.driverVersion);
  optionalString(w, "vbios_version", info.vbiosVersion);
  optionalString(w, "project", info.project);
  optionalString(w, "project_sku", info.projectSku);
  optionalString(w, "chip_sku", info.chipSku);
  optionalString(w, "chip_info", info.chipInfo);
  optionalNumber(w, "feature_flag", info.featureFlag);
  optionalNumber(w, "opaque_data_version", info.opaqueVersion);
  if (info.ppcieStatus >= 0) w.fieldString("protected_pcie", statusName(info.ppcieStatus));
  else w.fieldNull("protected_pcie");
  if (info.nvdecStatus >= 0) w.fieldString("nvdec0", statusName(info.nvdecStatus));
  else w.fieldNull("nvdec0");
  const fwid = info.fwid;
  if (fwid !== null) w.fieldString("report_fwid", hexEncode(fwid));
  else w.fieldNull("report_fwid");
}

/** Claims of one verified device. */
export function writeDeviceClaims(w: JsonWriter, d: DeviceResult): void {
  const info = d.info;
  const chip = d.chip;
  w.beginObject();
  w.fieldString("device", chip.isSwitch ? "nvswitch" : "gpu").fieldString("arch", chip.arch).fieldString("chip", chip.name);
  writeOpaqueClaims(w, info);
  if (chip.isSwitch) w.fieldNull("mode");
  else w.fieldString("mode", d.mode);
  optionalString(w, "driver_rim_id", driverRimId(chip, info.chipInfo, info.driverVersion));
  optionalString(w, "vbios_rim_id", chip.isSwitch ? "" : vbiosRimId(info.project, info.projectSku, info.chipSku, info.vbiosVersion));
  w.fieldString("ueid", d.ueid);
  w.fieldString("leaf_serial", hexUpper(d.chain.leaf.serial));
  w.fieldString("device_serial", hexUpper(d.chain.brom.serial));
  w.fieldString("nonce", hexEncode(d.report.requestNonce()));
  w.fieldBool("nonce_checked", d.nonceChecked);
  w.fieldString("fwid_kind", d.fwid.kind);
  w.fieldBool("fwid_checked", d.fwidChecked);
  const g = d.golden;
  if (g === null) w.fieldNull("golden");
  else {
    w.key("golden").beginObject().fieldString("rim_id", g.entry.rimId).fieldString("version", g.entry.version)
      .fieldU64("compared", <u64>g.compared).endObject();
  }
  writeMeasurements(w, d.report);
  w.endObject();
}

/** True when the device's nonce and golden checks both ran. */
export function deviceComplete(d: DeviceResult): bool { return d.nonceChecked && d.golden !== null; }

/** Opens a successful verdict up to the "claims" key (the caller writes the claims value). */
export function beginOkVerdict(w: JsonWriter, complete: bool): void {
  w.beginObject().fieldBool("ok", true).fieldString("tee", TEE_NVIDIA)
    .fieldString("status", complete ? STATUS_VERIFIED : STATUS_INCOMPLETE);
  w.key("advisory_ids").beginArray().endArray();
  w.key("claims");
}

/** Closes a successful verdict, recording how many P-384 verifications it took. */
export function endOkVerdict(w: JsonWriter, p384Verifications: i32): void {
  w.fieldU64("p384_verifications", <u64>p384Verifications).fieldNull("error").endObject();
}

export function deviceVerdict(d: DeviceResult, p384Verifications: i32): Uint8Array {
  const w = new JsonWriter();
  beginOkVerdict(w, deviceComplete(d));
  writeDeviceClaims(w, d);
  endOkVerdict(w, p384Verifications);
  return w.toBytes();
}

export function failureVerdict(f: Failure): Uint8Array {
  const w = new JsonWriter();
  w.beginObject().fieldBool("ok", false).fieldString("tee", TEE_NVIDIA);
  w.key("error").beginObject().fieldString("code", f.code).fieldString("message", f.message);
  if (f.indices.length > 0) {
    w.key("indices").beginArray();
    for (let i = 0; i < f.indices.length; i++) w.u64(<u64>f.indices[i]);
    w.endArray();
  }
  if (f.device.length > 0) w.fieldString("device", f.device);
  w.endObject().endObject();
  return w.toBytes();
}

/** Parse-only view of a report (no signature, chain or policy checks): for tools and debugging. */
export function parsedReportJson(report: SpdmReport, info: OpaqueInfo): Uint8Array {
  const w = new JsonWriter();
  w.beginObject().fieldBool("ok", true).key("report").beginObject();
  w.fieldString("nonce", hexEncode(report.requestNonce()));
  w.fieldString("responder_nonce", hexEncode(report.responderNonce()));
  w.fieldU64("blocks", <u64>report.blocks.length);
  w.fieldU64("signature_offset", <u64>report.signatureStart);
  w.fieldU64("trailing_bytes", <u64>report.trailingLength);
  w.key("opaque_types").beginArray();
  for (let i = 0; i < info.fields.length; i++) w.u64(<u64>info.fields[i].type);
  w.endArray();
  writeOpaqueClaims(w, info);
  w.key("pdis").beginArray();
  for (let i = 0; i < info.pdis.length; i++) w.string(hexEncode(info.pdis[i]));
  w.endArray();
  writeMeasurements(w, report);
  w.endObject().fieldNull("error").endObject();
  return w.toBytes();
}

/** Verdict of a node: per-device claims plus what the devices share. */
export function nodeVerdict(node: NodeResult, p384Verifications: i32): Uint8Array {
  const w = new JsonWriter();
  let complete = true;
  const all = node.gpus.concat(node.switches);
  for (let i = 0; i < all.length; i++) if (!deviceComplete(all[i])) complete = false;
  beginOkVerdict(w, complete);
  const first = node.gpus[0];
  w.beginObject().fieldString("arch", first.chip.arch).fieldString("mode", first.mode).fieldString("driver_version", first.info.driverVersion);
  w.fieldString("nonce", hexEncode(first.report.requestNonce()));
  w.fieldU64("gpu_count", <u64>node.gpus.length).fieldU64("switch_count", <u64>node.switches.length);
  w.fieldBool("topology_checked", node.topologyChecked);
  w.key("gpus").beginArray();
  for (let i = 0; i < node.gpus.length; i++) writeDeviceClaims(w, node.gpus[i]);
  w.endArray().key("switches").beginArray();
  for (let i = 0; i < node.switches.length; i++) writeDeviceClaims(w, node.switches[i]);
  w.endArray().endObject();
  endOkVerdict(w, p384Verifications);
  return w.toBytes();
}
