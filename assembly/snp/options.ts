// The caller's SNP options as JSON: the appraisal policy (policy.ts) and, optionally, replacement trust
// roots. Strict: an unknown key, a wrong type or a malformed hex value is MALFORMED_POLICY, because a
// typo ("alow_debug") silently falling back to a default would change what gets trusted.
//
// {
//   "allow_debug": false, "allow_migration_agent": false, "allow_smt": true, "allow_vlek": true,
//   "allowed_vmpls": [0], "require_committed": false, "min_guest_svn": 0,
//   "min_tcb": {"milan": {"bl":0,"tee":0,"snp":24,"ucode":0}, "genoa": {...}, "turin": {"fmc":0,...}},
//   "measurements": ["<96 hex>"], "host_data": ["<64 hex>"], "id_key_digests": ["<96 hex>"],
//   "csp_ids": ["CN=..."], "report_data": "<128 hex>",
//   "roots": {"milan": "<hex DER of an ARK certificate>", ...}
// }
// min_tcb replaces the default for each product it names ({} = no minimum); missing components are 0.
// roots replaces the AMD store entirely (roots.ts).
import { parseJson, jsonError, JsonValue, JsonKind } from "../encoding/json";
import { hexDecode } from "../encoding/hex";
import { parseCertificate, x509Error } from "../encoding/x509";
import { KEY_RSA } from "../encoding/x509-algorithm";
import { SnpError, parseError, MALFORMED_POLICY } from "./errors";
import { SnpPolicy } from "./policy";
import { TrustStore, RsaPublicKey, defaultTrustStore } from "./roots";
import { tcbFromParts, productKey, PRODUCT_MILAN, PRODUCT_TURIN, PRODUCT_COUNT } from "./tcb";
import { MEASUREMENT_SIZE, HOST_DATA_SIZE, KEY_DIGEST_SIZE, REPORT_DATA_SIZE } from "./report";

const KNOWN_KEYS: StaticArray<string> = [
  "allow_debug", "allow_migration_agent", "allow_smt", "allow_vlek", "allowed_vmpls", "require_committed",
  "min_guest_svn", "min_tcb", "measurements", "host_data", "id_key_digests", "csp_ids", "report_data", "roots",
];
const TCB_KEYS: StaticArray<string> = ["fmc", "bl", "tee", "snp", "ucode"];
/** An SPL is one byte. */
const MAX_SPL: u64 = 255;
const MAX_VMPL: u64 = 3;

export class SnpOptions {
  policy: SnpPolicy = new SnpPolicy();
  trust: TrustStore = defaultTrustStore();
}

export class OptionsResult {
  options: SnpOptions | null = null;
  error: SnpError | null = null;
}

function bad(message: string): SnpError { return parseError(MALFORMED_POLICY, message); }

function knownKey(key: string, list: StaticArray<string>): bool {
  for (let i = 0; i < list.length; i++) if (list[i] == key) return true;
  return false;
}

class BoolField { ok: bool = false; value: bool = false; }

function readBool(v: JsonValue, name: string, out: BoolField): SnpError | null {
  if (v.kind != JsonKind.Bool) return bad(name + " must be a boolean");
  out.ok = true;
  out.value = v.boolValue;
  return null;
}

function readHex(v: JsonValue, size: i32, name: string): Uint8Array | null {
  const text = v.asString();
  if (text === null) return null;
  const bytes = hexDecode(text);
  if (bytes === null || (size > 0 && bytes.length != size)) return null;
  return bytes;
}

/** An array of hex strings, each `size` bytes. */
function readHexList(v: JsonValue, size: i32, name: string, out: Array<Uint8Array>): SnpError | null {
  if (!v.isArray) return bad(name + " must be an array of hex strings");
  for (let i = 0; i < v.items.length; i++) {
    const bytes = readHex(v.items[i], size, name);
    if (bytes === null) return bad(name + "[" + i.toString() + "] must be " + size.toString() + " bytes of hex");
    out.push(bytes);
  }
  return null;
}

function readVmpls(v: JsonValue, policy: SnpPolicy): SnpError | null {
  if (!v.isArray) return bad("allowed_vmpls must be an array");
  let mask: u32 = 0;
  for (let i = 0; i < v.items.length; i++) {
    const n = v.items[i].asU64();
    if (!n.ok || n.value > MAX_VMPL) return bad("allowed_vmpls entries must be 0-3");
    mask |= (<u32>1) << <u32>n.value;
  }
  policy.allowedVmpls = mask;
  return null;
}

function productIndex(key: string): i32 {
  for (let p = PRODUCT_MILAN; p < PRODUCT_COUNT; p++) if (productKey(p) == key) return p;
  return 0;
}

function readMinTcb(v: JsonValue, policy: SnpPolicy): SnpError | null {
  if (!v.isObject) return bad("min_tcb must be an object keyed by product");
  for (let i = 0; i < v.keys.length; i++) {
    const product = productIndex(v.keys[i]);
    if (product == 0) return bad("min_tcb: unknown product '" + v.keys[i] + "'");
    const t = v.items[i];
    if (!t.isObject) return bad("min_tcb." + v.keys[i] + " must be an object");
    const parts = new StaticArray<i32>(TCB_KEYS.length);
    for (let k = 0; k < t.keys.length; k++) {
      let index = -1;
      for (let j = 0; j < TCB_KEYS.length; j++) if (TCB_KEYS[j] == t.keys[k]) index = j;
      if (index < 0 || (index == 0 && product != PRODUCT_TURIN)) return bad("min_tcb." + v.keys[i] + ": unknown component '" + t.keys[k] + "'");
      const n = t.items[k].asU64();
      if (!n.ok || n.value > MAX_SPL) return bad("min_tcb." + v.keys[i] + "." + t.keys[k] + " must be 0-255");
      parts[index] = <i32>n.value;
    }
    policy.minTcb[product] = tcbFromParts(product, parts[0], parts[1], parts[2], parts[3], parts[4], null);
  }
  return null;
}

function readRoots(v: JsonValue, options: SnpOptions): SnpError | null {
  if (!v.isObject) return bad("roots must be an object keyed by product");
  const store = new TrustStore();
  store.custom = true;
  for (let i = 0; i < v.keys.length; i++) {
    const product = productIndex(v.keys[i]);
    if (product == 0) return bad("roots: unknown product '" + v.keys[i] + "'");
    const der = readHex(v.items[i], 0, "roots");
    if (der === null) return bad("roots." + v.keys[i] + " must be the hex DER of an ARK certificate");
    const cert = parseCertificate(der);
    if (cert === null) return bad("roots." + v.keys[i] + ": " + x509Error);
    if (cert.publicKey.kind != KEY_RSA) return bad("roots." + v.keys[i] + " is not an RSA key");
    store.arks[product] = new RsaPublicKey(cert.publicKey.modulus, cert.publicKey.exponent);
  }
  options.trust = store;
  return null;
}

function readStrings(v: JsonValue, name: string): Array<string> | null {
  if (!v.isArray) return null;
  const out = new Array<string>();
  for (let i = 0; i < v.items.length; i++) {
    const s = v.items[i].asString();
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

function readFlag(key: string, v: JsonValue, p: SnpPolicy): SnpError | null {
  const b = new BoolField();
  const e = readBool(v, key, b);
  if (e !== null) return e;
  if (key == "allow_debug") p.allowDebug = b.value;
  else if (key == "allow_migration_agent") p.allowMigrationAgent = b.value;
  else if (key == "allow_smt") p.allowSmt = b.value;
  else if (key == "allow_vlek") p.allowVlek = b.value;
  else p.requireCommitted = b.value;
  return null;
}

function readLists(key: string, v: JsonValue, p: SnpPolicy): SnpError | null {
  const list = new Array<Uint8Array>();
  if (key == "measurements") { p.measurements = list; return readHexList(v, MEASUREMENT_SIZE, key, list); }
  if (key == "host_data") { p.hostData = list; return readHexList(v, HOST_DATA_SIZE, key, list); }
  p.idKeyDigests = list;
  return readHexList(v, KEY_DIGEST_SIZE, key, list);
}

function readMember(key: string, v: JsonValue, o: SnpOptions): SnpError | null {
  const p = o.policy;
  if (key.startsWith("allow_") || key == "require_committed") return readFlag(key, v, p);
  if (key == "allowed_vmpls") return readVmpls(v, p);
  if (key == "min_tcb") return readMinTcb(v, p);
  if (key == "roots") return readRoots(v, o);
  if (key == "measurements" || key == "host_data" || key == "id_key_digests") return readLists(key, v, p);
  if (key == "min_guest_svn") {
    const n = v.asU64();
    if (!n.ok || n.value > <u64>U32.MAX_VALUE) return bad("min_guest_svn must be a u32");
    p.minGuestSvn = <u32>n.value;
    return null;
  }
  if (key == "csp_ids") {
    p.cspIds = readStrings(v, key);
    return p.cspIds === null ? bad("csp_ids must be an array of strings") : null;
  }
  // report_data
  p.reportData = readHex(v, REPORT_DATA_SIZE, key);
  return p.reportData === null ? bad("report_data must be 64 bytes of hex") : null;
}

/** Parses the options JSON; empty input means all defaults. */
export function parseOptions(json: Uint8Array): OptionsResult {
  const result = new OptionsResult();
  const options = new SnpOptions();
  if (json.length == 0) {
    result.options = options;
    return result;
  }
  const root = parseJson(json);
  if (root === null) { result.error = bad("policy is not valid JSON: " + jsonError); return result; }
  if (!root.isObject) { result.error = bad("policy must be a JSON object"); return result; }
  for (let i = 0; i < root.keys.length; i++) {
    const key = root.keys[i];
    if (!knownKey(key, KNOWN_KEYS)) { result.error = bad("unknown policy key '" + key + "'"); return result; }
    const e = readMember(key, root.items[i], options);
    if (e !== null) { result.error = e; return result; }
  }
  result.options = options;
  return result;
}
