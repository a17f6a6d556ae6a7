// Intel TCB info v3 (PCS "tcbInfo" value for id "TDX" or "SGX") parsed into a typed model. The caller
// has already checked the signature over these exact bytes (collateral.ts); this file only reads them.
//
// Levels are kept in Intel's canonical order — descending by SGX components, then PCESVN, then TDX
// components (QVL keeps them in a std::set<TcbLevel, greater>) — so status evaluation can take the
// first match regardless of the order in the JSON. Unknown statuses are refused here: a verifier that
// does not know what a status means must not map it to a verdict (dcap-qvl PR #80 does the same).
import { JsonValue, parseJson, jsonError } from "../encoding/json";
import { Fields } from "./fields";
import { Result, success, failure, MALFORMED_TCB_INFO } from "./errors";
import { platformStatusFromName, identityStatusFromName, STATUS_INVALID } from "./status";
import { SVN_ARRAY_SIZE, MEASUREMENT_SIZE, ATTRIBUTES_SIZE } from "./quote";

export const TCB_INFO_VERSION: i64 = 3;
export const TCB_INFO_ID_TDX = "TDX";
export const TCB_INFO_ID_SGX = "SGX";
const FMSPC_SIZE: i32 = 6;
const PCE_ID_SIZE: i32 = 2;
/** Component SVNs are u8 on real platforms; Intel's synthetic samples use u16, which is harmless. */
const MAX_SVN: u64 = 0xffff;
const MAX_TCB_TYPE: u64 = 0;
const MAX_EVALUATION_NUMBER: u64 = 0xffffffff;
// Bounds on attacker-controlled sizes (real TCB info has < 20 levels and < 30 advisories per level).
const MAX_LEVELS: i32 = 256;
const MAX_ADVISORIES: i32 = 512;
const MAX_MODULE_IDENTITIES: i32 = 64;

export class PlatformTcbLevel {
  sgx: StaticArray<i32> = new StaticArray<i32>(SVN_ARRAY_SIZE);
  pceSvn: i32 = 0;
  tdx: StaticArray<i32> = new StaticArray<i32>(SVN_ARRAY_SIZE);
  status: i32 = STATUS_INVALID;
  tcbDate: i64 = 0;
  advisories: Array<string> = [];
}

/** A TDX module or QE identity TCB level. */
export class IsvTcbLevel {
  isvSvn: i32 = 0;
  status: i32 = STATUS_INVALID;
  tcbDate: i64 = 0;
  advisories: Array<string> = [];
}

export class TdxModuleIdentity {
  id: string = "";
  mrSigner: Uint8Array = new Uint8Array(0);
  attributes: Uint8Array = new Uint8Array(0);
  attributesMask: Uint8Array = new Uint8Array(0);
  /** Descending isvsvn. */
  levels: Array<IsvTcbLevel> = [];
}

export class TcbInfo {
  id: string = "";
  version: i64 = 0;
  issueDate: i64 = 0;
  nextUpdate: i64 = 0;
  fmspc: Uint8Array = new Uint8Array(0);
  pceId: Uint8Array = new Uint8Array(0);
  evaluationDataNumber: i64 = 0;
  /** TDX only: "tdxModule" (used when TEE_TCB_SVN[1] == 0) and "tdxModuleIdentities". */
  tdxModule: TdxModuleIdentity | null = null;
  tdxModuleIdentities: Array<TdxModuleIdentity> = [];
  /** Canonical order, highest first. */
  levels: Array<PlatformTcbLevel> = [];

  get isTdx(): bool { return this.id == TCB_INFO_ID_TDX; }
}

/** Reads `{"svn": n, …}` × 16 into out; category/type are descriptive and ignored. */
function readComponents(f: Fields, tcb: JsonValue, key: string, out: StaticArray<i32>): void {
  const items = f.array(tcb, key, SVN_ARRAY_SIZE);
  if (f.failed) return;
  // messages are built only on failure (this runs for every component of every level)
  if (items.length != SVN_ARRAY_SIZE) f.expect(false, "\"" + key + "\" must have 16 components");
  for (let i = 0; i < items.length && !f.failed; i++) {
    const c = items[i];
    if (!c.isObject) f.expect(false, "\"" + key + "\" component is not an object");
    if (f.failed) return;
    out[i] = <i32>f.integer(c, "svn", MAX_SVN);
  }
}

function readPlatformLevel(f: Fields, v: JsonValue, isTdx: bool): PlatformTcbLevel {
  const level = new PlatformTcbLevel();
  f.expect(v.isObject, "TCB level is not an object");
  if (f.failed) return level;
  const tcb = f.object(v, "tcb");
  if (tcb === null) return level;
  readComponents(f, tcb, "sgxtcbcomponents", level.sgx);
  level.pceSvn = <i32>f.integer(tcb, "pcesvn", MAX_SVN);
  if (isTdx) readComponents(f, tcb, "tdxtcbcomponents", level.tdx);
  level.tcbDate = f.time(v, "tcbDate");
  const status = f.string(v, "tcbStatus");
  if (f.failed) return level;
  level.status = platformStatusFromName(status);
  if (level.status == STATUS_INVALID) f.expect(false, "unknown tcbStatus \"" + status + "\"");
  level.advisories = f.optionalStrings(v, "advisoryIDs", MAX_ADVISORIES);
  return level;
}

/** Shared with QE identity: `[{"tcb":{"isvsvn":n},"tcbDate":…,"tcbStatus":…,"advisoryIDs"?:[…]}]`,
 * returned sorted by descending isvsvn. */
export function readIsvLevels(f: Fields, owner: JsonValue): Array<IsvTcbLevel> {
  const items = f.array(owner, "tcbLevels", MAX_LEVELS);
  const out = new Array<IsvTcbLevel>();
  for (let i = 0; i < items.length && !f.failed; i++) {
    const v = items[i];
    f.expect(v.isObject, "TCB level is not an object");
    if (f.failed) break;
    const level = new IsvTcbLevel();
    const tcb = f.object(v, "tcb");
    if (tcb === null) break;
    level.isvSvn = <i32>f.integer(tcb, "isvsvn", MAX_SVN);
    level.tcbDate = f.time(v, "tcbDate");
    const status = f.string(v, "tcbStatus");
    if (f.failed) break;
    level.status = identityStatusFromName(status);
    if (level.status == STATUS_INVALID) f.expect(false, "unknown tcbStatus \"" + status + "\"");
    level.advisories = f.optionalStrings(v, "advisoryIDs", MAX_ADVISORIES);
    // insertion sort, descending isvsvn (stable for equal values)
    let at = out.length;
    while (at > 0 && out[at - 1].isvSvn < level.isvSvn) at--;
    out.push(level);
    for (let k = out.length - 1; k > at; k--) out[k] = out[k - 1];
    out[at] = level;
  }
  return out;
}

function readModule(f: Fields, v: JsonValue, withLevels: bool): TdxModuleIdentity {
  const m = new TdxModuleIdentity();
  f.expect(v.isObject, "TDX module is not an object");
  if (f.failed) return m;
  if (withLevels) m.id = f.string(v, "id");
  m.mrSigner = f.hex(v, "mrsigner", MEASUREMENT_SIZE);
  m.attributes = f.hex(v, "attributes", ATTRIBUTES_SIZE);
  m.attributesMask = f.hex(v, "attributesMask", ATTRIBUTES_SIZE);
  if (withLevels) m.levels = readIsvLevels(f, v);
  return m;
}

/** Intel's level order: SGX components, then PCESVN, then TDX components; positive when a > b. */
export function compareLevels(a: PlatformTcbLevel, b: PlatformTcbLevel): i32 {
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) if (a.sgx[i] != b.sgx[i]) return a.sgx[i] - b.sgx[i];
  if (a.pceSvn != b.pceSvn) return a.pceSvn - b.pceSvn;
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) if (a.tdx[i] != b.tdx[i]) return a.tdx[i] - b.tdx[i];
  return 0;
}

function insertSorted(levels: Array<PlatformTcbLevel>, level: PlatformTcbLevel): void {
  let at = levels.length;
  while (at > 0 && compareLevels(levels[at - 1], level) < 0) at--;
  levels.push(level);
  for (let k = levels.length - 1; k > at; k--) levels[k] = levels[k - 1];
  levels[at] = level;
}

function readHeaderFields(f: Fields, root: JsonValue, info: TcbInfo): void {
  info.id = f.string(root, "id");
  info.version = f.integer(root, "version", 0xffff);
  if (f.failed) return;
  f.expect(info.id == TCB_INFO_ID_TDX || info.id == TCB_INFO_ID_SGX, "unsupported TCB info id \"" + info.id + "\"");
  f.expect(info.version == TCB_INFO_VERSION, "unsupported TCB info version " + info.version.toString());
  info.issueDate = f.time(root, "issueDate");
  info.nextUpdate = f.time(root, "nextUpdate");
  info.fmspc = f.hex(root, "fmspc", FMSPC_SIZE);
  info.pceId = f.hex(root, "pceId", PCE_ID_SIZE);
  f.integer(root, "tcbType", MAX_TCB_TYPE);
  info.evaluationDataNumber = f.integer(root, "tcbEvaluationDataNumber", MAX_EVALUATION_NUMBER);
}

/** Parses TCB info JSON bytes (the signed text). */
export function parseTcbInfo(bytes: Uint8Array): Result<TcbInfo> {
  const root = parseJson(bytes);
  if (root === null) return failure<TcbInfo>(MALFORMED_TCB_INFO, "TCB info is not JSON: " + jsonError);
  if (!root.isObject) return failure<TcbInfo>(MALFORMED_TCB_INFO, "TCB info is not an object");
  const f = new Fields();
  const info = new TcbInfo();
  readHeaderFields(f, root, info);
  if (!f.failed && info.isTdx) {
    const module = f.object(root, "tdxModule");
    if (module !== null) info.tdxModule = readModule(f, module, false);
    // tdxModuleIdentities is optional (older TCB info, e.g. eval 15, has none)
    if (!f.failed && root.has("tdxModuleIdentities")) {
      const ids = f.array(root, "tdxModuleIdentities", MAX_MODULE_IDENTITIES);
      for (let i = 0; i < ids.length && !f.failed; i++) info.tdxModuleIdentities.push(readModule(f, ids[i], true));
    }
  }
  const levels = f.failed ? new Array<JsonValue>() : f.array(root, "tcbLevels", MAX_LEVELS);
  for (let i = 0; i < levels.length && !f.failed; i++) insertSorted(info.levels, readPlatformLevel(f, levels[i], info.isTdx));
  if (!f.failed) f.expect(info.levels.length > 0, "TCB info has no TCB levels");
  if (!f.failed) f.expect(info.issueDate <= info.nextUpdate, "issueDate is after nextUpdate");
  if (f.failed) return failure<TcbInfo>(MALFORMED_TCB_INFO, f.error);
  return success<TcbInfo>(info);
}
