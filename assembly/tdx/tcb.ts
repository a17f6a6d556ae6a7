// TCB status evaluation with Intel QVL semantics (spec tdx.md §2.4, §2.7, §2.8): TCB info against the
// platform (TEE type, FMSPC, PCE-ID), TDX module identity, platform TCB level (with Intel's
// TEE_TCB_SVN byte-skip rule), module TCB level, convergence with the module and QE statuses, the TD
// 1.5 relaunch advice, and the advisory IDs (union of every matched level, as dcap-qvl reports them).
//
// Deliberate difference from @phala/dcap-qvl and Automata: when TEE_TCB_SVN[1] > 0 the TDX components
// 0 and 1 are not compared with the platform level (Intel QVL isTdxTcbHigherOrEqual, go-tdx-guest
// PR #38) — the module is graded by tdxModuleIdentities instead. Fixture cases 17, 26, 32 pin this.
import { bytesEqual } from "../encoding/bytes";
import { hexEncode } from "../encoding/hex";
import {
  TdxError, fail, TCB_INFO_MISMATCH, FMSPC_MISMATCH, PCEID_MISMATCH, TDX_MODULE_MISMATCH, TCB_LEVEL_NOT_FOUND,
  TDX_MODULE_TCB_LEVEL_NOT_FOUND, TCB_REVOKED,
} from "./errors";
import {
  STATUS_UP_TO_DATE, STATUS_SW_HARDENING_NEEDED, STATUS_CONFIGURATION_NEEDED, STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED,
  STATUS_OUT_OF_DATE, STATUS_OUT_OF_DATE_CONFIGURATION_NEEDED, STATUS_REVOKED, STATUS_TD_RELAUNCH_ADVISED,
  STATUS_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED, isConfigurationNeeded, statusName,
} from "./status";
import { TcbInfo, PlatformTcbLevel, IsvTcbLevel, TdxModuleIdentity } from "./tcb-info";
import { PckExtension } from "./pck";
import {
  Quote, VERSION_SGX_V3, SVN_ARRAY_SIZE, TD_MRSIGNERSEAM, TD_SEAMATTRIBUTES, MEASUREMENT_SIZE, ATTRIBUTES_SIZE,
} from "./quote";

/** TEE_TCB_SVN byte 0 = TDX module ISVSVN, byte 1 = module major version, byte 2 = TDX late microcode. */
const SVN_MODULE_ISVSVN: i32 = 0;
const SVN_MODULE_VERSION: i32 = 1;
const SVN_LATE_MICROCODE: i32 = 2;
/** First TDX component compared when the module is graded by its identity (Intel's byte-skip rule). */
const FIRST_COMPONENT_WITH_MODULE_IDENTITY: i32 = 2;
const HEX_UPPER = "0123456789ABCDEF";

export class TcbEvaluation {
  status: i32 = STATUS_UP_TO_DATE;
  /** Sorted, without duplicates. */
  advisories: Array<string> = [];
  /** tcbDate of the matched platform level. */
  tcbDate: i64 = 0;
  /** Components of the verdict, for the claims and for the registry's later re-evaluation. */
  platformStatus: i32 = STATUS_UP_TO_DATE;
  moduleStatus: i32 = STATUS_UP_TO_DATE;
  qeStatus: i32 = STATUS_UP_TO_DATE;
  error: TdxError | null = null;
}

/** TCB info fits this quote and this platform (Intel QVL 4.1.2.4.9–10). */
export function matchTcbInfo(info: TcbInfo, quote: Quote, pck: PckExtension): TdxError | null {
  if (info.isTdx != quote.isTdx) {
    return fail(TCB_INFO_MISMATCH, "TCB info \"" + info.id + "\" does not match a " + (quote.isTdx ? "TDX" : "SGX") + " quote");
  }
  if (!bytesEqual(info.fmspc, pck.fmspc)) {
    return fail(FMSPC_MISMATCH, "PCK FMSPC " + hexEncode(pck.fmspc) + " is not TCB info FMSPC " + hexEncode(info.fmspc));
  }
  if (!bytesEqual(info.pceId, pck.pceId)) {
    return fail(PCEID_MISMATCH, "PCK PCE-ID " + hexEncode(pck.pceId) + " is not TCB info PCE-ID " + hexEncode(info.pceId));
  }
  return null;
}

/** "TDX_%02X" identity for a module major version (ids compared case-insensitively, as Intel does). */
export function findModuleIdentity(info: TcbInfo, version: u8): TdxModuleIdentity | null {
  const wanted = "TDX_" + HEX_UPPER.charAt(version >> 4) + HEX_UPPER.charAt(version & 15);
  for (let i = 0; i < info.tdxModuleIdentities.length; i++) {
    const m = info.tdxModuleIdentities[i];
    if (m.id.toUpperCase() == wanted) return m;
  }
  return null;
}

/** MRSIGNERSEAM / SEAMATTRIBUTES against the module identity for this module version (QVL
 * 4.1.2.4.11). Intel requires SEAMATTRIBUTES to be zero and equal to the identity's attributes,
 * ignoring the mask; so do we. */
export function checkModuleIdentity(info: TcbInfo, quote: Quote): TdxError | null {
  const version = quote.bodyByte(SVN_MODULE_VERSION);
  let identity = info.tdxModule;
  if (quote.version > VERSION_SGX_V3 && version > 0) {
    identity = findModuleIdentity(info, version);
    if (identity === null) return fail(TDX_MODULE_MISMATCH, "TCB info has no TDX module identity for module version " + version.toString());
  }
  if (identity === null) return fail(TDX_MODULE_MISMATCH, "TCB info has no TDX module");
  const mrSignerSeam = quote.body(TD_MRSIGNERSEAM, MEASUREMENT_SIZE);
  if (!bytesEqual(mrSignerSeam, identity.mrSigner)) return fail(TDX_MODULE_MISMATCH, "MRSIGNERSEAM " + hexEncode(mrSignerSeam) + " is not the TDX module signer");
  for (let i = 0; i < ATTRIBUTES_SIZE; i++) {
    const b = quote.bodyByte(TD_SEAMATTRIBUTES + i);
    if (b != 0 || b != identity.attributes[i]) return fail(TDX_MODULE_MISMATCH, "SEAMATTRIBUTES are not zero / do not match the TDX module");
  }
  return null;
}

function sgxMet(pck: PckExtension, level: PlatformTcbLevel): bool {
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) if (pck.components[i] < level.sgx[i]) return false;
  return pck.pceSvn >= level.pceSvn;
}

function tdxMet(teeTcbSvn: Uint8Array, level: PlatformTcbLevel): bool {
  const first = teeTcbSvn[SVN_MODULE_VERSION] > 0 ? FIRST_COMPONENT_WITH_MODULE_IDENTITY : 0;
  for (let i = first; i < SVN_ARRAY_SIZE; i++) if (<i32>teeTcbSvn[i] < level.tdx[i]) return false;
  return true;
}

/** Intel's convergence of a TCB status with a module or QE status (TdxModuleCheck.cpp,
 * TcbLevelCheck.cpp): an OutOfDate component makes the platform OutOfDate (keeping "configuration
 * needed"), a Revoked one makes it Revoked. */
export function converge(status: i32, component: i32): i32 {
  if (component == STATUS_OUT_OF_DATE) {
    if (status == STATUS_UP_TO_DATE || status == STATUS_SW_HARDENING_NEEDED) return STATUS_OUT_OF_DATE;
    if (status == STATUS_CONFIGURATION_NEEDED || status == STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED) return STATUS_OUT_OF_DATE_CONFIGURATION_NEEDED;
  }
  if (component == STATUS_REVOKED) return STATUS_REVOKED;
  return status;
}

/** Adds `items` to the sorted, duplicate-free `out`. */
function mergeAdvisories(out: Array<string>, items: Array<string>): void {
  for (let i = 0; i < items.length; i++) {
    const id = items[i];
    let at = 0;
    while (at < out.length && out[at] < id) at++;
    if (at < out.length && out[at] == id) continue;
    out.push(id);
    for (let k = out.length - 1; k > at; k--) out[k] = out[k - 1];
    out[at] = id;
  }
}

class PlatformMatch {
  sgx: PlatformTcbLevel | null = null;
  tdx: PlatformTcbLevel | null = null;
}

/** First level (canonical order) the SGX TCB meets, and first that SGX and TDX both meet. */
function matchPlatform(info: TcbInfo, pck: PckExtension, teeTcbSvn: Uint8Array | null): PlatformMatch {
  const out = new PlatformMatch();
  for (let i = 0; i < info.levels.length; i++) {
    const level = info.levels[i];
    if (!sgxMet(pck, level)) continue;
    if (out.sgx === null) out.sgx = level;
    if (teeTcbSvn === null) return out;
    if (tdxMet(teeTcbSvn, level)) { out.tdx = level; return out; }
  }
  return out;
}

/** The module's TCB level (first with TEE_TCB_SVN[0] >= isvsvn); null when the module major version is
 * 0 (graded by the platform level alone). */
class ModuleGrade {
  level: IsvTcbLevel | null = null;
  error: TdxError | null = null;
}

function gradeModule(info: TcbInfo, teeTcbSvn: Uint8Array): ModuleGrade {
  const out = new ModuleGrade();
  const version = teeTcbSvn[SVN_MODULE_VERSION];
  if (version == 0) return out;
  const identity = findModuleIdentity(info, version);
  if (identity === null) { out.error = fail(TDX_MODULE_MISMATCH, "no TDX module identity for version " + version.toString()); return out; }
  const svn = <i32>teeTcbSvn[SVN_MODULE_ISVSVN];
  for (let i = 0; i < identity.levels.length; i++) {
    if (svn >= identity.levels[i].isvSvn) { out.level = identity.levels[i]; return out; }
  }
  out.error = fail(TDX_MODULE_TCB_LEVEL_NOT_FOUND, "TDX module ISVSVN " + svn.toString() + " is below every level of " + identity.id);
  return out;
}

/** TD 1.5 relaunch advice (Intel TDRelaunchCheck.cpp): the module was updated under the running TD
 * (TEE_TCB_SVN_2) to a level that would make a relaunched TD current. */
function relaunch(info: TcbInfo, svn2: Uint8Array, sgxStatus: i32, tdxStatus: i32, moduleStatus: i32, qeStatus: i32, error: Array<TdxError>): i32 {
  if (qeStatus != STATUS_UP_TO_DATE) return tdxStatus;
  if (sgxStatus != STATUS_UP_TO_DATE && sgxStatus != STATUS_SW_HARDENING_NEEDED && sgxStatus != STATUS_CONFIGURATION_NEEDED &&
      sgxStatus != STATUS_CONFIGURATION_AND_SW_HARDENING_NEEDED) return tdxStatus;
  if (tdxStatus != STATUS_OUT_OF_DATE && tdxStatus != STATUS_OUT_OF_DATE_CONFIGURATION_NEEDED) return tdxStatus;
  if (moduleStatus != STATUS_OUT_OF_DATE) return tdxStatus;
  const latest = info.levels[0];
  let moduleCurrent = false;
  if (svn2[SVN_MODULE_VERSION] == 0) {
    moduleCurrent = <i32>svn2[SVN_MODULE_ISVSVN] >= latest.tdx[SVN_MODULE_ISVSVN];
  } else {
    const identity = findModuleIdentity(info, svn2[SVN_MODULE_VERSION]);
    if (identity === null) {
      error.push(fail(TDX_MODULE_MISMATCH, "no TDX module identity for TEE_TCB_SVN_2 version " + svn2[SVN_MODULE_VERSION].toString()));
      return tdxStatus;
    }
    if (identity.levels.length == 0) {
      error.push(fail(TDX_MODULE_TCB_LEVEL_NOT_FOUND, identity.id + " has no TCB levels"));
      return tdxStatus;
    }
    moduleCurrent = <i32>svn2[SVN_MODULE_ISVSVN] >= identity.levels[0].isvSvn;
  }
  if (!moduleCurrent || <i32>svn2[SVN_LATE_MICROCODE] < latest.tdx[SVN_LATE_MICROCODE]) return tdxStatus;
  return isConfigurationNeeded(sgxStatus) || isConfigurationNeeded(tdxStatus)
    ? STATUS_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED : STATUS_TD_RELAUNCH_ADVISED;
}

function revoked(out: TcbEvaluation, what: string): TcbEvaluation {
  out.status = STATUS_REVOKED;
  out.error = fail(TCB_REVOKED, what + " TCB is revoked");
  return out;
}

/** QVL checkTcbLevel (4.1.2.4.17) for an authenticated quote whose TCB info and module identity
 * already matched (matchTcbInfo, checkModuleIdentity). */
export function evaluateTcb(info: TcbInfo, quote: Quote, pck: PckExtension, qeLevel: IsvTcbLevel): TcbEvaluation {
  const out = new TcbEvaluation();
  out.qeStatus = qeLevel.status;
  const teeTcbSvn = quote.isTdx ? quote.teeTcbSvn() : null;
  const match = matchPlatform(info, pck, teeTcbSvn);
  const sgxLevel = match.sgx;
  if (sgxLevel === null) {
    out.error = fail(TCB_LEVEL_NOT_FOUND, "the PCK TCB (SGX components, PCESVN " + pck.pceSvn.toString() + ") is below every TCB level");
    return out;
  }
  let level: PlatformTcbLevel = sgxLevel;
  let status = sgxLevel.status;
  if (teeTcbSvn !== null) {
    const tdxLevel = match.tdx;
    if (tdxLevel === null) {
      out.error = fail(TCB_LEVEL_NOT_FOUND, "TEE_TCB_SVN " + hexEncode(teeTcbSvn) + " is below every TCB level meeting the SGX TCB");
      return out;
    }
    level = tdxLevel;
    const grade = gradeModule(info, teeTcbSvn);
    if (grade.error !== null) { out.error = grade.error; return out; }
    const moduleLevel = grade.level;
    if (moduleLevel !== null) {
      out.moduleStatus = moduleLevel.status;
      mergeAdvisories(out.advisories, moduleLevel.advisories);
    }
    status = converge(tdxLevel.status, out.moduleStatus);
    if (status == STATUS_REVOKED) return revoked(out, out.moduleStatus == STATUS_REVOKED ? "the TDX module" : "the platform");
    const svn2 = quote.teeTcbSvn2();
    if (svn2 !== null) {
      const error = new Array<TdxError>();
      status = relaunch(info, svn2, sgxLevel.status, status, out.moduleStatus, out.qeStatus, error);
      if (error.length > 0) { out.error = error[0]; return out; }
    }
  }
  out.platformStatus = level.status;
  out.tcbDate = level.tcbDate;
  mergeAdvisories(out.advisories, level.advisories);
  mergeAdvisories(out.advisories, qeLevel.advisories);
  status = converge(status, out.qeStatus);
  out.status = status;
  if (status == STATUS_REVOKED) return revoked(out, out.qeStatus == STATUS_REVOKED ? "the QE" : "the platform");
  return out;
}

export { statusName };
