// Relying-party policy applied after Intel's verdict (spec tdx.md §2.10), separate from verification
// so it can be configured (the registry's governance sets it) without touching Intel's semantics.
// Defaults are strict: DEBUG off, SEPT_VE_DISABLE on, no reserved TD attribute bits, no service TD
// bound, only UpToDate and SWHardeningNeeded accepted.
//
// Policy JSON (every field optional, unknown fields refused so a typo cannot silently weaken it):
//   {"accepted_statuses": ["UpToDate", …], "allowed_advisories": ["INTEL-SA-00615", …] | null,
//    "allow_debug": false, "require_sept_ve_disable": true, "allow_reserved_attributes": false,
//    "allow_service_td": false, "min_tcb_evaluation_data_number": 0}
// allowed_advisories null/absent: advisories are reported, not filtered; a list: every advisory of
// the verdict must be in it. min_tcb_evaluation_data_number: TCB info and QE identity must both come
// from at least this TCB evaluation (Intel serves several at once; governance picks the floor).
import { parseJson, jsonError, JsonValue, JsonKind } from "../encoding/json";
import {
  TdxError, fail, Result, success, failure, MALFORMED_POLICY, TCB_STATUS_NOT_ACCEPTED, ADVISORY_NOT_ALLOWED,
  DEBUG_ENABLED, SEPT_VE_DISABLE_REQUIRED, RESERVED_ATTRIBUTES_SET, SERVICE_TD_NOT_ALLOWED,
  TCB_EVALUATION_NUMBER_TOO_LOW,
} from "./errors";
import { statusFromName, statusName, STATUS_INVALID, STATUS_UP_TO_DATE, STATUS_SW_HARDENING_NEEDED, STATUS_COUNT } from "./status";
import { Quote, TD_TDATTRIBUTES, TD_MRSERVICETD, MEASUREMENT_SIZE, ER_ATTRIBUTES } from "./quote";
import { SGX_ATTRIBUTES_DEBUG } from "./qe-identity";
import { TcbEvaluation } from "./tcb";

// TDATTRIBUTES bits (Intel TDX module ABI): TUD group bit 0, SEC group bits 28–31, OTHER bit 63.
export const TD_ATTR_DEBUG: u64 = <u64>1 << 0;
export const TD_ATTR_SEPT_VE_DISABLE: u64 = <u64>1 << 28;
export const TD_ATTR_MIGRATABLE: u64 = <u64>1 << 29;
export const TD_ATTR_PKS: u64 = <u64>1 << 30;
export const TD_ATTR_KL: u64 = <u64>1 << 31;
export const TD_ATTR_PERFMON: u64 = <u64>1 << 63;
/** Every bit with a defined meaning; the rest are reserved (must be zero unless allowed). */
const TD_ATTR_KNOWN: u64 = TD_ATTR_DEBUG | TD_ATTR_SEPT_VE_DISABLE | TD_ATTR_MIGRATABLE | TD_ATTR_PKS | TD_ATTR_KL | TD_ATTR_PERFMON;
const MAX_ADVISORIES: i32 = 1024;

export class Policy {
  /** Bit i set = status i accepted. */
  acceptedStatuses: u32 = (1 << <u32>STATUS_UP_TO_DATE) | (1 << <u32>STATUS_SW_HARDENING_NEEDED);
  allowedAdvisories: Array<string> | null = null;
  allowDebug: bool = false;
  requireSeptVeDisable: bool = true;
  allowReservedAttributes: bool = false;
  allowServiceTd: bool = false;
  minEvaluationDataNumber: i64 = 0;

  accepts(status: i32): bool { return status >= 0 && status < STATUS_COUNT && (this.acceptedStatuses & (1 << <u32>status)) != 0; }
}

function readBool(v: JsonValue, key: string, error: Array<string>): bool {
  if (v.kind != JsonKind.Bool) error.push("\"" + key + "\" must be a boolean");
  return v.boolValue;
}

function readStrings(v: JsonValue, key: string, error: Array<string>): Array<string> {
  const out = new Array<string>();
  if (!v.isArray || v.items.length > MAX_ADVISORIES) { error.push("\"" + key + "\" must be an array of strings"); return out; }
  for (let i = 0; i < v.items.length; i++) {
    const s = v.items[i].asString();
    if (s === null) { error.push("\"" + key + "\" must be an array of strings"); return out; }
    out.push(s);
  }
  return out;
}

function readMember(p: Policy, key: string, v: JsonValue, error: Array<string>): void {
  if (key == "accepted_statuses") {
    const names = readStrings(v, key, error);
    p.acceptedStatuses = 0;
    for (let i = 0; i < names.length; i++) {
      const s = statusFromName(names[i]);
      if (s == STATUS_INVALID) { error.push("unknown status \"" + names[i] + "\""); return; }
      p.acceptedStatuses |= 1 << <u32>s;
    }
  } else if (key == "allowed_advisories") {
    p.allowedAdvisories = v.isNull ? null : readStrings(v, key, error);
  } else if (key == "allow_debug") p.allowDebug = readBool(v, key, error);
  else if (key == "require_sept_ve_disable") p.requireSeptVeDisable = readBool(v, key, error);
  else if (key == "allow_reserved_attributes") p.allowReservedAttributes = readBool(v, key, error);
  else if (key == "allow_service_td") p.allowServiceTd = readBool(v, key, error);
  else if (key == "min_tcb_evaluation_data_number") {
    const n = v.kind == JsonKind.Number ? v.asU64() : null;
    if (n === null || !n.ok || n.value > <u64>0xffffffff) error.push("\"" + key + "\" must be an integer");
    else p.minEvaluationDataNumber = <i64>n.value;
  }
  else error.push("unknown policy field \"" + key + "\"");
}

/** Policy from JSON; empty input means the strict defaults. */
export function parsePolicy(bytes: Uint8Array): Result<Policy> {
  const p = new Policy();
  if (bytes.length == 0) return success<Policy>(p);
  const root = parseJson(bytes);
  if (root === null) return failure<Policy>(MALFORMED_POLICY, "policy is not JSON: " + jsonError);
  if (!root.isObject) return failure<Policy>(MALFORMED_POLICY, "policy is not a JSON object");
  const error = new Array<string>();
  for (let i = 0; i < root.keys.length && error.length == 0; i++) readMember(p, root.keys[i], root.items[i], error);
  if (error.length > 0) return failure<Policy>(MALFORMED_POLICY, error[0]);
  return success<Policy>(p);
}

export function tdAttributes(quote: Quote): u64 {
  let v: u64 = 0;
  for (let i = 7; i >= 0; i--) v = (v << 8) | <u64>quote.bodyByte(TD_TDATTRIBUTES + i);
  return v;
}

function checkTd(p: Policy, quote: Quote): TdxError | null {
  const attributes = tdAttributes(quote);
  if (!p.allowDebug && (attributes & TD_ATTR_DEBUG) != 0) return fail(DEBUG_ENABLED, "the TD runs in debug mode (TDATTRIBUTES.DEBUG)");
  if (!p.allowReservedAttributes && (attributes & ~TD_ATTR_KNOWN) != 0) {
    return fail(RESERVED_ATTRIBUTES_SET, "reserved TDATTRIBUTES bits are set (0x" + (attributes & ~TD_ATTR_KNOWN).toString(16) + ")");
  }
  if (p.requireSeptVeDisable && (attributes & TD_ATTR_SEPT_VE_DISABLE) == 0) {
    return fail(SEPT_VE_DISABLE_REQUIRED, "TDATTRIBUTES.SEPT_VE_DISABLE is not set");
  }
  if (quote.isTd15 && !p.allowServiceTd) {
    for (let i = 0; i < MEASUREMENT_SIZE; i++) {
      if (quote.bodyByte(TD_MRSERVICETD + i) != 0) return fail(SERVICE_TD_NOT_ALLOWED, "a service TD is bound (MRSERVICETD is not zero)");
    }
  }
  return null;
}

/** The policy's verdict on a quote Intel's rules accepted with TCB evaluation `tcb`, judged with
 * collateral of TCB evaluation data number `evaluationNumber` (the lower of TCB info and QE identity). */
export function applyPolicy(p: Policy, quote: Quote, tcb: TcbEvaluation, evaluationNumber: i64): TdxError | null {
  if (quote.isTdx) {
    const error = checkTd(p, quote);
    if (error !== null) return error;
  } else if (!p.allowDebug && (quote.bodyByte(ER_ATTRIBUTES) & SGX_ATTRIBUTES_DEBUG) != 0) {
    return fail(DEBUG_ENABLED, "the enclave runs in debug mode (ATTRIBUTES.DEBUG)");
  }
  if (evaluationNumber < p.minEvaluationDataNumber) {
    return fail(TCB_EVALUATION_NUMBER_TOO_LOW, "collateral of TCB evaluation " + evaluationNumber.toString() + " is older than the policy's minimum " + p.minEvaluationDataNumber.toString());
  }
  if (!p.accepts(tcb.status)) return fail(TCB_STATUS_NOT_ACCEPTED, "TCB status " + statusName(tcb.status) + " is not accepted by the policy");
  const allowed = p.allowedAdvisories;
  if (allowed !== null) {
    for (let i = 0; i < tcb.advisories.length; i++) {
      if (!allowed.includes(tcb.advisories[i])) return fail(ADVISORY_NOT_ALLOWED, "advisory " + tcb.advisories[i] + " is not allowed by the policy");
    }
  }
  return null;
}
