// Registry state: typed storage constants (cw-storage-plus key layout, contracts/std/storage.ts) and the
// records kept under them. Records are stored as compact JSON written by JsonWriter and read back with
// the span-preserving parser, so `wasmd query wasm contract-state raw` shows readable values.
//
//   config               Item   {governance, paused, max_gpus}
//   roots                Item   {intel, amd:{milan,genoa,turin}, nvidia, version}  (base64 DER or null = vendor pin)
//   policy               Item   Policy JSON (msg.ts writes it) with a version that bumps on every change
//   challenge_counter    Item   decimal u64, feeds every challenge nonce
//   releases             Map    id -> Release (without its GPU golden set, so trust queries read a small record)
//   release_golden       Map    id -> raw JSON of the release's NVIDIA golden measurements
//   release_index        Map2   ("tdx:<mrtd>" | "snp:<measurement>", id) -> ""      (release matching)
//   exclusions           Map    "<kind>:<value>" -> {kind, value, reason, height}
//   exclusion_count      Item   decimal count of exclusions (none: a registration or trust query skips the lookups)
//   collateral           Map    "tdx_tcb_info:<fmspc>" | "qe_identity:tdx" | "pck_crl:<ca>" | "root_crl:intel"
//                               | "amd_crl:<product>" | "nvidia_ca:<hash>" -> CollateralRecord metadata (small: dates, numbers)
//   collateral_data      Map    same keys -> the piece itself as JSON members ("tcb_info":"…",…), spliced
//                               as-is into the verifier's QuoteCollateralV3 input (collateral.ts)
//   challenges           Map2   (node_id, operator) -> {nonce, issued_at, expires_at}
//   nodes                Map    node_id -> Node
//   node_tcb             Map    node_id -> TCB inputs of the verified evidence (tcb-inputs.ts; re-appraised when
//                               collateral or policy change)
//   nodes_by_model       Map2   (model, node_id) -> ""
//   hardware             Map    "ppid:<hex>" | "chip_id:<hex>" | "gpu_ueid:<dec>" -> node_id (one live registration each)
import { Item, StorageMap, storageRemove } from "../std/storage";
import { JsonValue, parseJson } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { utf8 } from "../../assembly/encoding/bytes";

export const CONFIG = new Item("config");
export const ROOTS = new Item("roots");
export const POLICY = new Item("policy");
export const CHALLENGE_COUNTER = new Item("challenge_counter");
export const RELEASES = new StorageMap("releases");
export const RELEASE_GOLDEN = new StorageMap("release_golden");
export const RELEASE_INDEX = new StorageMap("release_index");
export const EXCLUSIONS = new StorageMap("exclusions");
export const EXCLUSION_COUNT = new Item("exclusion_count");
export const COLLATERAL = new StorageMap("collateral");
export const COLLATERAL_DATA = new StorageMap("collateral_data");
export const CHALLENGES = new StorageMap("challenges");
export const NODES = new StorageMap("nodes");
export const NODE_TCB_INPUTS = new StorageMap("node_tcb");
export const NODES_BY_MODEL = new StorageMap("nodes_by_model");
export const HARDWARE = new StorageMap("hardware");

// ---------------------------------------------------------------------------------------------------
// Reading stored JSON (written by this contract, so a missing member means "default", never an error)

export function jstr(v: JsonValue, key: string): string {
  const m = v.get(key);
  if (m === null) return "";
  const s = m.asString();
  return s === null ? "" : s;
}

/** A string member, or null when absent or JSON null. */
export function jstrOrNull(v: JsonValue, key: string): string | null {
  const m = v.get(key);
  if (m === null || m.isNull) return null;
  return m.asString();
}

export function ju64(v: JsonValue, key: string): u64 {
  const m = v.get(key);
  if (m === null) return 0;
  const r = m.asU64();
  return r.ok ? r.value : 0;
}

export function jbool(v: JsonValue, key: string): bool {
  const m = v.get(key);
  return m !== null && m.boolValue;
}

export function jstrings(v: JsonValue, key: string): Array<string> {
  const out = new Array<string>();
  const m = v.get(key);
  if (m === null || !m.isArray) return out;
  for (let i = 0; i < m.length; i++) {
    const s = m.items[i].asString();
    if (s !== null) out.push(s);
  }
  return out;
}

/** Stored bytes as JSON (our own writes; null only if storage was tampered with). */
export function loadJson(bytes: Uint8Array | null): JsonValue | null {
  if (bytes === null) return null;
  return parseJson(bytes);
}

export function writeStrings(w: JsonWriter, key: string, list: Array<string>): void {
  w.key(key).beginArray();
  for (let i = 0; i < list.length; i++) w.string(list[i]);
  w.endArray();
}

export function writeOptString(w: JsonWriter, key: string, value: string | null): void {
  if (value === null) w.fieldNull(key); else w.fieldString(key, value);
}

// ---------------------------------------------------------------------------------------------------
// Config

export class Config {
  governance: string = "";
  paused: bool = false;
  /** Most GPUs one node may register (bounds the work of one registration). */
  maxGpus: u32 = 8;

  write(w: JsonWriter): void {
    w.beginObject().fieldString("governance", this.governance).fieldBool("paused", this.paused)
      .fieldU64("max_gpus", <u64>this.maxGpus).endObject();
  }

  save(): void { const w = new JsonWriter(); this.write(w); CONFIG.save(w.toBytes()); }

  static load(): Config {
    const c = new Config();
    const v = loadJson(CONFIG.load());
    if (v === null) return c;
    c.governance = jstr(v, "governance");
    c.paused = jbool(v, "paused");
    c.maxGpus = <u32>ju64(v, "max_gpus");
    return c;
  }
}

// ---------------------------------------------------------------------------------------------------
// Trust roots: base64 of a DER certificate, or null for the vendor root pinned in the verifier.

export class Roots {
  intel: string | null = null;
  milan: string | null = null;
  genoa: string | null = null;
  turin: string | null = null;
  nvidia: string | null = null;
  /** Bumped on every set_roots; nodes remember the version they registered under. */
  version: u64 = 0;

  write(w: JsonWriter): void {
    w.beginObject();
    writeOptString(w, "intel", this.intel);
    w.key("amd").beginObject();
    writeOptString(w, "milan", this.milan);
    writeOptString(w, "genoa", this.genoa);
    writeOptString(w, "turin", this.turin);
    w.endObject();
    writeOptString(w, "nvidia", this.nvidia);
    w.fieldU64("version", this.version).endObject();
  }

  save(): void { const w = new JsonWriter(); this.write(w); ROOTS.save(w.toBytes()); }

  static load(): Roots {
    const r = new Roots();
    const v = loadJson(ROOTS.load());
    if (v === null) return r;
    r.intel = jstrOrNull(v, "intel");
    const amd = v.get("amd");
    if (amd !== null) {
      r.milan = jstrOrNull(amd, "milan");
      r.genoa = jstrOrNull(amd, "genoa");
      r.turin = jstrOrNull(amd, "turin");
    }
    r.nvidia = jstrOrNull(v, "nvidia");
    r.version = ju64(v, "version");
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------
// Trust policy (set_policy). Verifier policies are derived from it in evidence.ts.

export const DEFAULT_ATTESTATION_TTL: u64 = 14400; // blocks (about a day at 6 s)
export const DEFAULT_CHALLENGE_TTL: u64 = 100; // blocks

export class Policy {
  acceptedTcbStatuses: Array<string> = ["UpToDate", "SWHardeningNeeded"];
  /** null: advisories are not filtered; a list: every advisory of a TDX verdict must be in it. */
  allowedAdvisories: Array<string> | null = null;
  /** Raw JSON object {"milan": {...}, ...} in the SNP verifier's min_tcb shape; "" = the verifier's defaults. */
  minSnpTcb: string = "";
  allowDebug: bool = false;
  attestationTtl: u64 = DEFAULT_ATTESTATION_TTL;
  challengeTtl: u64 = DEFAULT_CHALLENGE_TTL;
  /** "host" (chain secp256r1_verify) or "wasm" (pure-Wasm P-256). */
  p256Backend: string = "wasm";
  minGpus: u32 = 1;
  /** Raw JSON object of extra NVIDIA verifier policy keys (e.g. allowed_archs); "" = none. */
  gpuPolicy: string = "";
  version: u64 = 0;

  write(w: JsonWriter): void {
    w.beginObject();
    writeStrings(w, "accepted_tcb_statuses", this.acceptedTcbStatuses);
    const adv = this.allowedAdvisories;
    if (adv === null) w.fieldNull("allowed_advisories"); else writeStrings(w, "allowed_advisories", adv);
    if (this.minSnpTcb.length == 0) w.fieldNull("min_snp_tcb"); else w.key("min_snp_tcb").rawString(this.minSnpTcb);
    w.fieldBool("allow_debug", this.allowDebug);
    w.fieldU64("attestation_ttl", this.attestationTtl).fieldU64("challenge_ttl", this.challengeTtl);
    w.fieldString("p256_backend", this.p256Backend).fieldU64("min_gpus", <u64>this.minGpus);
    if (this.gpuPolicy.length == 0) w.fieldNull("gpu_policy"); else w.key("gpu_policy").rawString(this.gpuPolicy);
    w.fieldU64("version", this.version);
    w.endObject();
  }

  save(): void { const w = new JsonWriter(); this.write(w); POLICY.save(w.toBytes()); }

  static load(): Policy {
    const p = new Policy();
    const v = loadJson(POLICY.load());
    if (v === null) return p;
    p.acceptedTcbStatuses = jstrings(v, "accepted_tcb_statuses");
    const adv = v.get("allowed_advisories");
    p.allowedAdvisories = adv === null || adv.isNull ? null : jstrings(v, "allowed_advisories");
    const min = v.get("min_snp_tcb");
    p.minSnpTcb = min === null || min.isNull ? "" : String.UTF8.decode(min.raw().buffer);
    p.allowDebug = jbool(v, "allow_debug");
    p.attestationTtl = ju64(v, "attestation_ttl");
    p.challengeTtl = ju64(v, "challenge_ttl");
    p.p256Backend = jstr(v, "p256_backend");
    p.minGpus = <u32>ju64(v, "min_gpus");
    const gp = v.get("gpu_policy");
    p.gpuPolicy = gp === null || gp.isNull ? "" : String.UTF8.decode(gp.raw().buffer);
    p.version = ju64(v, "version");
    return p;
  }

  accepts(status: string): bool { return this.acceptedTcbStatuses.includes(status); }

  /** The first advisory outside the allow-list, or "" when all are allowed. */
  disallowedAdvisory(advisories: Array<string>): string {
    const allowed = this.allowedAdvisories;
    if (allowed === null) return "";
    for (let i = 0; i < advisories.length; i++) if (!allowed.includes(advisories[i])) return advisories[i];
    return "";
  }
}

// ---------------------------------------------------------------------------------------------------
// Releases

export const TEE_TDX = "tdx";
export const TEE_SNP = "snp";
/** Measurement names per TEE; the first is the primary one (indexed). */
export const TDX_MEASUREMENTS: StaticArray<string> = ["mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "mrconfigid"];
export const SNP_MEASUREMENTS: StaticArray<string> = ["measurement", "host_data"];

export class Release {
  id: string = "";
  tee: string = "";
  /** Parallel arrays: measurement name -> lowercase hex. */
  names: Array<string> = [];
  values: Array<string> = [];
  /** Raw JSON of the NVIDIA golden set, "" when the release admits no GPUs or it was not loaded. */
  gpuGolden: string = "";
  /** The release has a golden set (stored apart, release_golden; loadGolden() reads it). */
  hasGolden: bool = false;
  /** Unix seconds; 0 = never. */
  expiresAt: u64 = 0;
  revoked: bool = false;
  addedAt: u64 = 0;
  revokedAt: u64 = 0;

  measurement(name: string): string {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.values[i];
    return "";
  }

  primary(): string { return this.measurement(this.tee == TEE_TDX ? "mrtd" : "measurement"); }

  indexKey(): string { return this.tee + ":" + this.primary(); }

  expired(nowSeconds: u64): bool { return this.expiresAt != 0 && nowSeconds >= this.expiresAt; }

  /** The query shape; with `stored`, the storage shape (golden set replaced by has_gpu_golden). */
  write(w: JsonWriter, stored: bool = false): void {
    w.beginObject().fieldString("id", this.id).fieldString("tee", this.tee);
    w.key("measurements").beginObject();
    for (let i = 0; i < this.names.length; i++) w.fieldString(this.names[i], this.values[i]);
    w.endObject();
    if (stored) w.fieldBool("has_gpu_golden", this.hasGolden);
    else if (this.gpuGolden.length == 0) w.fieldNull("gpu_golden"); else w.key("gpu_golden").rawString(this.gpuGolden);
    if (this.expiresAt == 0) w.fieldNull("expires_at"); else w.fieldU64("expires_at", this.expiresAt);
    w.fieldBool("revoked", this.revoked).fieldU64("added_at", this.addedAt);
    if (this.revoked) w.fieldU64("revoked_at", this.revokedAt); else w.fieldNull("revoked_at");
    w.endObject();
  }

  /** Writes the record; the golden set only when it is loaded (it never changes after add_release). */
  save(): void {
    if (this.gpuGolden.length > 0) { this.hasGolden = true; RELEASE_GOLDEN.setStr(this.id, utf8(this.gpuGolden)); }
    const w = new JsonWriter();
    this.write(w, true);
    RELEASES.setStr(this.id, w.toBytes());
  }

  /** The golden set's JSON bytes, read from storage without a string round trip (empty: none). */
  goldenBytes(): Uint8Array {
    if (this.gpuGolden.length > 0) return utf8(this.gpuGolden);
    const g = this.hasGolden ? RELEASE_GOLDEN.getStr(this.id) : null;
    return g === null ? new Uint8Array(0) : g;
  }

  /** Reads the golden set into gpuGolden ("" when the release has none). */
  loadGolden(): string {
    if (!this.hasGolden || this.gpuGolden.length > 0) return this.gpuGolden;
    const g = RELEASE_GOLDEN.getStr(this.id);
    this.gpuGolden = g === null ? "" : String.UTF8.decode(g.buffer);
    return this.gpuGolden;
  }

  static fromJson(v: JsonValue): Release {
    const r = new Release();
    r.id = jstr(v, "id");
    r.tee = jstr(v, "tee");
    const m = v.get("measurements");
    if (m !== null && m.isObject) {
      for (let i = 0; i < m.keys.length; i++) {
        const s = m.items[i].asString();
        r.names.push(m.keys[i]);
        r.values.push(s === null ? "" : s);
      }
    }
    r.hasGolden = jbool(v, "has_gpu_golden");
    r.expiresAt = ju64(v, "expires_at");
    r.revoked = jbool(v, "revoked");
    r.addedAt = ju64(v, "added_at");
    r.revokedAt = ju64(v, "revoked_at");
    return r;
  }

  static load(id: string): Release | null {
    const v = loadJson(RELEASES.getStr(id));
    return v === null ? null : Release.fromJson(v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Exclusions

export const EXCLUSION_KINDS: StaticArray<string> = ["pck_serial", "chip_id", "gpu_ueid", "node_id", "ppid"];

export function exclusionKey(kind: string, value: string): string { return kind + ":" + value; }

/** Exclusions stored now; read once per contract call (every call runs in a fresh instance). */
let exclusionCount: i64 = -1;

export function exclusionsStored(): i64 {
  if (exclusionCount < 0) {
    const s = EXCLUSION_COUNT.loadString();
    exclusionCount = s === null ? 0 : <i64>I64.parseInt(s);
  }
  return exclusionCount;
}

/** exclude/unexclude keep the count (delta +1 or -1). */
export function countExclusion(delta: i64): void {
  exclusionCount = exclusionsStored() + delta;
  EXCLUSION_COUNT.saveString(exclusionCount.toString());
}

export function isExcluded(kind: string, value: string): bool {
  return value.length > 0 && exclusionsStored() > 0 && EXCLUSIONS.getStr(exclusionKey(kind, value)) !== null;
}

// ---------------------------------------------------------------------------------------------------
// Nodes

export class Node {
  nodeId: string = "";
  operator: string = "";
  model: string = "";
  endpoint: string = "";
  /** base64 */
  encPk: string = "";
  signPk: string = "";
  tee: string = "";
  tcbStatus: string = "";
  advisoryIds: Array<string> = [];
  releaseId: string = "";
  registeredAt: u64 = 0;
  registeredTime: u64 = 0;
  evidenceHash: string = "";
  debug: bool = false;
  // Hardware identities (lowercase hex; GPU UEIDs decimal as NVIDIA prints them)
  ppid: string = "";
  pckSerial: string = "";
  chipId: string = "";
  gpuUeids: Array<string> = [];
  // TCB inputs, for re-evaluation against newer collateral
  fmspc: string = "";
  pckCa: string = "";
  tcbEvaluationDataNumber: u64 = 0;
  qeEvaluationDataNumber: u64 = 0;
  product: string = "";
  reportedTcb: string = "";
  policyVersion: u64 = 0;
  rootsVersion: u64 = 0;

  write(w: JsonWriter): void {
    w.beginObject();
    w.fieldString("node_id", this.nodeId).fieldString("operator", this.operator).fieldString("model", this.model);
    w.fieldString("endpoint", this.endpoint).fieldString("enc_pk", this.encPk).fieldString("sign_pk", this.signPk);
    w.fieldString("tee", this.tee).fieldString("tcb_status", this.tcbStatus);
    writeStrings(w, "advisory_ids", this.advisoryIds);
    w.fieldString("release_id", this.releaseId).fieldU64("registered_at", this.registeredAt);
    w.fieldU64("registered_time", this.registeredTime).fieldString("evidence_hash", this.evidenceHash);
    w.fieldBool("debug", this.debug);
    w.key("hardware").beginObject().fieldString("ppid", this.ppid).fieldString("pck_serial", this.pckSerial)
      .fieldString("chip_id", this.chipId);
    writeStrings(w, "gpu_ueids", this.gpuUeids);
    w.endObject();
    w.key("tcb").beginObject().fieldString("fmspc", this.fmspc).fieldString("pck_ca", this.pckCa)
      .fieldU64("tcb_evaluation_data_number", this.tcbEvaluationDataNumber)
      .fieldU64("qe_evaluation_data_number", this.qeEvaluationDataNumber)
      .fieldString("product", this.product).fieldString("reported_tcb", this.reportedTcb).endObject();
    w.fieldU64("policy_version", this.policyVersion).fieldU64("roots_version", this.rootsVersion);
    w.endObject();
  }

  save(): void { const w = new JsonWriter(); this.write(w); NODES.setStr(this.nodeId, w.toBytes()); }

  static fromJson(v: JsonValue): Node {
    const n = new Node();
    n.nodeId = jstr(v, "node_id"); n.operator = jstr(v, "operator"); n.model = jstr(v, "model");
    n.endpoint = jstr(v, "endpoint"); n.encPk = jstr(v, "enc_pk"); n.signPk = jstr(v, "sign_pk");
    n.tee = jstr(v, "tee"); n.tcbStatus = jstr(v, "tcb_status"); n.advisoryIds = jstrings(v, "advisory_ids");
    n.releaseId = jstr(v, "release_id"); n.registeredAt = ju64(v, "registered_at");
    n.registeredTime = ju64(v, "registered_time"); n.evidenceHash = jstr(v, "evidence_hash");
    n.debug = jbool(v, "debug");
    const hw = v.get("hardware");
    if (hw !== null) {
      n.ppid = jstr(hw, "ppid"); n.pckSerial = jstr(hw, "pck_serial"); n.chipId = jstr(hw, "chip_id");
      n.gpuUeids = jstrings(hw, "gpu_ueids");
    }
    const tcb = v.get("tcb");
    if (tcb !== null) {
      n.fmspc = jstr(tcb, "fmspc"); n.pckCa = jstr(tcb, "pck_ca");
      n.tcbEvaluationDataNumber = ju64(tcb, "tcb_evaluation_data_number");
      n.qeEvaluationDataNumber = ju64(tcb, "qe_evaluation_data_number");
      n.product = jstr(tcb, "product"); n.reportedTcb = jstr(tcb, "reported_tcb");
    }
    n.policyVersion = ju64(v, "policy_version");
    n.rootsVersion = ju64(v, "roots_version");
    return n;
  }

  static load(nodeId: string): Node | null {
    const v = loadJson(NODES.getStr(nodeId));
    return v === null ? null : Node.fromJson(v);
  }

  /** Hardware index keys this node holds ("ppid:…", "chip_id:…", "gpu_ueid:…"). */
  hardwareKeys(): Array<string> {
    const keys = new Array<string>();
    if (this.ppid.length > 0) keys.push("ppid:" + this.ppid);
    if (this.chipId.length > 0) keys.push("chip_id:" + this.chipId);
    for (let i = 0; i < this.gpuUeids.length; i++) keys.push("gpu_ueid:" + this.gpuUeids[i]);
    return keys;
  }

  /** Height after which the registration lapses under `ttl`. */
  expiresAt(ttl: u64): u64 { return this.registeredAt + ttl; }
}

/** Removes a node and every index entry pointing at it. */
export function removeNode(node: Node): void {
  NODES.removeStr(node.nodeId);
  NODE_TCB_INPUTS.removeStr(node.nodeId);
  storageRemove(NODES_BY_MODEL.keyOf2(utf8(node.model), utf8(node.nodeId)));
  const keys = node.hardwareKeys();
  for (let i = 0; i < keys.length; i++) {
    const owner = HARDWARE.getStr(keys[i]);
    if (owner !== null && String.UTF8.decode(owner.buffer) == node.nodeId) HARDWARE.removeStr(keys[i]);
  }
}
