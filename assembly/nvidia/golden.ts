// Golden measurements: the compact form governance puts on chain after verifying NVIDIA's RIMs off
// chain (spec nvidia.md §3, "off-chain vs on-chain split"). One entry is a complete reference set for
// a device configuration:
//
//   {"rim_id": "NV_GPU_DRIVER_GH100_550.90.07+NV_GPU_VBIOS_1010_0200_882_96009F0001", "version": "1",
//    "arch": "HOPPER", "driver_version": "550.90.07", "vbios_version": "96.00.9F.00.01",
//    "blocks": {"7": ["<96 hex>"], "35": ["<96 hex>", "<96 hex>"], …}}
//
// `blocks` is keyed by RIM index i (0-based) and compared with SPDM measurement block i + 1 (NVIDIA's
// mapping, confirmed by two full 33/33 matches); a block matches when its digest equals any listed
// alternative, a missing block never matches. Only indices listed are compared (RIM "active" ones).
// The input is one entry or an array of entries. An entry applies to a device when its arch,
// driver_version and vbios_version (each optional) equal the device's signed values; the device passes
// when any applicable entry matches completely. Unknown keys are refused: a misspelt
// "driver_version" must not silently widen an entry to every driver.
import { JsonValue, parseJson, jsonError, parseDecimalU64 } from "../encoding/json";
import { hexDecode } from "../encoding/hex";
import { bytesEqual } from "../encoding/bytes";
import { fail, failBool, failWith, Failure, MALFORMED_GOLDEN, GOLDEN_NOT_FOUND, GOLDEN_MISMATCH } from "./errors";
import { SpdmReport, DIGEST_LENGTH } from "./spdm";

const MAX_ENTRIES: i32 = 64;
const MAX_ALTERNATIVES: i32 = 16;
/** SPDM indices are one byte and 0xFF is reserved, so RIM indices stop at 253. */
const MAX_RIM_INDEX: i32 = 253;
const KNOWN_KEYS: StaticArray<string> = ["rim_id", "version", "arch", "driver_version", "vbios_version", "blocks"];
/** NVDEC0's RIM index (NVAT skips it when NVDEC0_STATUS says disabled; see policy.ts). */
export const NVDEC_RIM_INDEX: i32 = 35;

export class GoldenEntry {
  rimId: string = "";
  version: string = "";
  arch: string = "";
  driverVersion: string = "";
  vbiosVersion: string = "";
  indices: Array<i32> = [];
  /** Allowed digests per entry of `indices`. */
  alternatives: Array<Array<Uint8Array>> = [];
}

export class GoldenSet {
  entries: Array<GoldenEntry> = [];
}

function optionalString(obj: JsonValue, key: string, where: string, out: Array<string>): bool {
  const v = obj.get(key);
  if (v === null) { out.push(""); return true; }
  const s = v.asString();
  if (s === null) return failBool(MALFORMED_GOLDEN, where + "." + key + " must be a string");
  out.push(s);
  return true;
}

function parseDigests(list: JsonValue, where: string): Array<Uint8Array> | null {
  if (!list.isArray || list.length == 0 || list.length > MAX_ALTERNATIVES) {
    return fail<Array<Uint8Array>>(MALFORMED_GOLDEN, where + " must be an array of 1 to 16 digests");
  }
  const out = new Array<Uint8Array>();
  for (let i = 0; i < list.length; i++) {
    const s = list.items[i].asString();
    const d = s !== null && s.length == 2 * DIGEST_LENGTH ? hexDecode(s) : null;
    if (d === null) return fail<Array<Uint8Array>>(MALFORMED_GOLDEN, where + "[" + i.toString() + "] is not a 96-hex-digit SHA-384 digest");
    out.push(d);
  }
  return out;
}

function parseBlocks(blocks: JsonValue, entry: GoldenEntry, where: string): bool {
  if (!blocks.isObject || blocks.length == 0) return failBool(MALFORMED_GOLDEN, where + ".blocks must be a non-empty object");
  for (let i = 0; i < blocks.keys.length; i++) {
    const key = blocks.keys[i];
    const keyBytes = Uint8Array.wrap(String.UTF8.encode(key));
    const n = parseDecimalU64(keyBytes, 0, keyBytes.length);
    if (!n.ok || n.value > <u64>MAX_RIM_INDEX) return failBool(MALFORMED_GOLDEN, where + ".blocks key \"" + key + "\" is not a RIM index 0.." + MAX_RIM_INDEX.toString());
    const digests = parseDigests(blocks.items[i], where + ".blocks." + key);
    if (digests === null) return false;
    entry.indices.push(<i32>n.value);
    entry.alternatives.push(digests);
  }
  return true;
}

function parseEntry(obj: JsonValue, where: string): GoldenEntry | null {
  if (!obj.isObject) return fail<GoldenEntry>(MALFORMED_GOLDEN, where + " must be an object");
  for (let i = 0; i < obj.keys.length; i++) {
    if (!KNOWN_KEYS.includes(obj.keys[i])) return fail<GoldenEntry>(MALFORMED_GOLDEN, where + " has unknown key \"" + obj.keys[i] + "\"");
  }
  const strings = new Array<string>();
  for (let i = 0; i < KNOWN_KEYS.length - 1; i++) if (!optionalString(obj, KNOWN_KEYS[i], where, strings)) return null;
  const entry = new GoldenEntry();
  entry.rimId = strings[0];
  entry.version = strings[1];
  entry.arch = strings[2];
  entry.driverVersion = strings[3];
  entry.vbiosVersion = strings[4].toUpperCase();
  const blocks = obj.get("blocks");
  if (blocks === null) return fail<GoldenEntry>(MALFORMED_GOLDEN, where + ".blocks is missing");
  if (!parseBlocks(blocks, entry, where)) return null;
  return entry;
}

/** Parses one entry or an array of entries. Null on malformed input (see lastFailure()). */
export function parseGolden(json: Uint8Array): GoldenSet | null {
  const root = parseJson(json);
  if (root === null) return fail<GoldenSet>(MALFORMED_GOLDEN, "golden measurements are not JSON: " + jsonError);
  const set = new GoldenSet();
  if (root.isArray) {
    if (root.length == 0 || root.length > MAX_ENTRIES) return fail<GoldenSet>(MALFORMED_GOLDEN, "golden measurements must hold 1 to 64 entries");
    for (let i = 0; i < root.length; i++) {
      const e = parseEntry(root.items[i], "golden[" + i.toString() + "]");
      if (e === null) return null;
      set.entries.push(e);
    }
  } else {
    const e = parseEntry(root, "golden");
    if (e === null) return null;
    set.entries.push(e);
  }
  return set;
}

/** The device values an entry is selected by. */
export class DeviceIdentity {
  constructor(public arch: string, public driverVersion: string, public vbiosVersion: string) {}
}

function applies(e: GoldenEntry, d: DeviceIdentity): bool {
  return (e.arch.length == 0 || e.arch == d.arch) && (e.driverVersion.length == 0 || e.driverVersion == d.driverVersion) &&
    (e.vbiosVersion.length == 0 || e.vbiosVersion == d.vbiosVersion.toUpperCase());
}

/** RIM indices of `e` that the report does not match; `skipIndex` (-1 for none) is not compared. */
export function mismatchedIndices(e: GoldenEntry, report: SpdmReport, skipIndex: i32): Array<i32> {
  const out = new Array<i32>();
  for (let i = 0; i < e.indices.length; i++) {
    const index = e.indices[i];
    if (index == skipIndex) continue;
    const block = report.block(index + 1);
    let ok = false;
    if (block !== null) {
      const digest = report.digest(block);
      const alternatives = e.alternatives[i];
      for (let j = 0; j < alternatives.length && !ok; j++) ok = bytesEqual(digest, alternatives[j]);
    }
    if (!ok) out.push(index);
  }
  out.sort((a: i32, b: i32): i32 => a - b);
  return out;
}

export class GoldenMatch {
  constructor(public entry: GoldenEntry, public compared: i32) {}
}

/** Finds an applicable entry the report matches completely; null with GOLDEN_NOT_FOUND (no entry
 * applies) or GOLDEN_MISMATCH (indices of the first applicable entry). */
export function matchGolden(set: GoldenSet, device: DeviceIdentity, report: SpdmReport, skipIndex: i32): GoldenMatch | null {
  let firstMismatch: Array<i32> | null = null;
  let firstEntry: GoldenEntry | null = null;
  for (let i = 0; i < set.entries.length; i++) {
    const e = set.entries[i];
    if (!applies(e, device)) continue;
    const bad = mismatchedIndices(e, report, skipIndex);
    if (bad.length == 0) return new GoldenMatch(e, skipIndex >= 0 && e.indices.includes(skipIndex) ? e.indices.length - 1 : e.indices.length);
    if (firstMismatch === null) { firstMismatch = bad; firstEntry = e; }
  }
  if (firstMismatch === null || firstEntry === null) {
    return fail<GoldenMatch>(GOLDEN_NOT_FOUND, "no golden measurements for " + device.arch + " driver " + device.driverVersion + " VBIOS " + device.vbiosVersion);
  }
  const f = new Failure(GOLDEN_MISMATCH, "measurements differ from " + (firstEntry.rimId.length > 0 ? firstEntry.rimId : "the golden values") + " at RIM index " + firstMismatch.join(","));
  f.indices = firstMismatch;
  failWith(f);
  return null;
}
