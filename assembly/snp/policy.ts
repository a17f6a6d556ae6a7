// SEV-SNP appraisal policy: what a cryptographically valid report must also satisfy to be trusted
// (spec snp.md §4, go-sev-guest validate.Options). Runs only after the chain, the VCEK binding and the
// report signature passed, so a policy error always means "genuine hardware, unacceptable state".
//
// Defaults are strict: debug and migration agents forbidden, VMPL 0 only, and the AMD-SB-3019 minimum
// SNP firmware SPL (CVE-2024-56161; microsoft/CCF #6812): Milan >= 24 (0x18), Genoa >= 23 (0x17).
// AMD-SB-3019 gives no SNP value for Turin, so its default minimum is zero; governance sets one.
// SMT is allowed by default (most clouds run with it). Allow-lists are empty = "no constraint" only
// when absent; a present empty list admits nothing.
import { SnpError, policyError, DEBUG_ENABLED, MIGRATION_AGENT_ENABLED, VMPL_NOT_ALLOWED, SMT_NOT_ALLOWED,
  SIGNER_NOT_ALLOWED, REPORTED_TCB_ABOVE_CURRENT, TCB_BELOW_MINIMUM, FIRMWARE_NOT_COMMITTED, GUEST_SVN_BELOW_MINIMUM,
  MEASUREMENT_NOT_ALLOWED, HOST_DATA_NOT_ALLOWED, ID_KEY_NOT_ALLOWED, REPORT_DATA_MISMATCH, UNSUPPORTED_PRODUCT } from "./errors";
import { SnpReport, POLICY_DEBUG, POLICY_MIGRATE_MA, POLICY_SMT, PLATFORM_SMT_EN, SIGNING_KEY_VLEK, OFF_REPORT_ID_MA,
  REPORT_ID_SIZE } from "./report";
import { Tcb, tcbFromParts, firstComponentBelow, component, tcbToString, productName, PRODUCT_MILAN, PRODUCT_GENOA,
  PRODUCT_TURIN, PRODUCT_COUNT } from "./tcb";
import { bytesEqual } from "../encoding/bytes";
import { hexEncode } from "../encoding/hex";

/** AMD-SB-3019 minimum SNP SPL per product. */
const MIN_SNP_SPL_MILAN: i32 = 24;
const MIN_SNP_SPL_GENOA: i32 = 23;
/** Bit v set = VMPL v allowed. */
const DEFAULT_VMPL_MASK: u32 = 1;

export class SnpPolicy {
  allowDebug: bool = false;
  allowMigrationAgent: bool = false;
  allowSmt: bool = true;
  allowVlek: bool = true;
  allowedVmpls: u32 = DEFAULT_VMPL_MASK;
  /** Minimum TCB per product index (null = no minimum). Applied to REPORTED, CURRENT and COMMITTED. */
  minTcb: Array<Tcb | null> = defaultMinimums();
  requireCommitted: bool = false;
  minGuestSvn: u32 = 0;
  /** Allow-lists (null = any value). */
  measurements: Array<Uint8Array> | null = null;
  hostData: Array<Uint8Array> | null = null;
  idKeyDigests: Array<Uint8Array> | null = null;
  cspIds: Array<string> | null = null;
  /** Exact REPORT_DATA (64 bytes) when the caller binds it (registration nonce, keys). */
  reportData: Uint8Array | null = null;
}

export function defaultMinimums(): Array<Tcb | null> {
  const list = new Array<Tcb | null>(PRODUCT_COUNT);
  for (let i = 0; i < PRODUCT_COUNT; i++) list[i] = null;
  list[PRODUCT_MILAN] = tcbFromParts(PRODUCT_MILAN, 0, 0, 0, MIN_SNP_SPL_MILAN, 0, null);
  list[PRODUCT_GENOA] = tcbFromParts(PRODUCT_GENOA, 0, 0, 0, MIN_SNP_SPL_GENOA, 0, null);
  list[PRODUCT_TURIN] = null;
  return list;
}

function inList(list: Array<Uint8Array>, value: Uint8Array): bool {
  for (let i = 0; i < list.length; i++) if (bytesEqual(list[i], value)) return true;
  return false;
}

function checkGuestPolicy(p: SnpPolicy, r: SnpReport): SnpError | null {
  if (!p.allowDebug && (r.policy & POLICY_DEBUG) != 0) return policyError(DEBUG_ENABLED, "guest policy allows debugging (POLICY bit 19)");
  if (!p.allowMigrationAgent) {
    if ((r.policy & POLICY_MIGRATE_MA) != 0) return policyError(MIGRATION_AGENT_ENABLED, "guest policy allows a migration agent (POLICY bit 18)");
    // REPORT_ID_MA is all 0xFF unless a migration agent is bound to the guest.
    if (!r.allBytes(OFF_REPORT_ID_MA, REPORT_ID_SIZE, 0xff)) return policyError(MIGRATION_AGENT_ENABLED, "REPORT_ID_MA is set: a migration agent is bound");
  }
  if (((p.allowedVmpls >> r.vmpl) & 1) == 0) return policyError(VMPL_NOT_ALLOWED, "VMPL " + r.vmpl.toString() + " is not allowed");
  if (!p.allowSmt) {
    if ((r.platformInfo & PLATFORM_SMT_EN) != 0) return policyError(SMT_NOT_ALLOWED, "the platform runs with SMT enabled");
    if ((r.policy & POLICY_SMT) != 0) return policyError(SMT_NOT_ALLOWED, "guest policy allows SMT (POLICY bit 16)");
  }
  return null;
}

function checkSigner(p: SnpPolicy, r: SnpReport, cspId: string): SnpError | null {
  if (r.signingKey != SIGNING_KEY_VLEK) return null;
  if (!p.allowVlek) return policyError(SIGNER_NOT_ALLOWED, "VLEK-signed reports are not allowed");
  const ids = p.cspIds;
  if (ids !== null && !ids.includes(cspId)) return policyError(SIGNER_NOT_ALLOWED, "VLEK cspID '" + cspId + "' is not allowed");
  return null;
}

function belowMinimum(name: string, t: Tcb, min: Tcb, product: i32): SnpError | null {
  const c = firstComponentBelow(t, min);
  if (c.length == 0) return null;
  return policyError(TCB_BELOW_MINIMUM, name + " " + c + "=" + component(t, c).toString() + " is below the " + productName(product) +
    " minimum " + component(min, c).toString() + " (" + tcbToString(t) + ")");
}

function checkTcb(p: SnpPolicy, r: SnpReport, product: i32): SnpError | null {
  const reported = r.reportedTcb(product);
  const current = r.currentTcb(product);
  const committed = r.committedTcb(product);
  // The VCEK vouches for REPORTED; a host may lower it (SNP_SET_CONFIG) but never raise it above CURRENT.
  const above = firstComponentBelow(current, reported);
  if (above.length > 0) {
    return policyError(REPORTED_TCB_ABOVE_CURRENT, "reported " + above + "=" + component(reported, above).toString() +
      " is above current " + component(current, above).toString());
  }
  const min = product >= 0 && product < PRODUCT_COUNT ? p.minTcb[product] : null;
  if (min !== null) {
    let e = belowMinimum("reported TCB", reported, min, product);
    if (e === null) e = belowMinimum("current TCB", current, min, product);
    if (e === null) e = belowMinimum("committed TCB", committed, min, product);
    if (e !== null) return e;
  }
  if (p.requireCommitted && !r.firmwareCommitted()) {
    return policyError(FIRMWARE_NOT_COMMITTED, "committed firmware " + r.committedVersion() + " (" + tcbToString(committed) +
      ") differs from current " + r.currentVersion() + " (" + tcbToString(current) + ")");
  }
  return null;
}

function checkValues(p: SnpPolicy, r: SnpReport): SnpError | null {
  if (r.guestSvn < p.minGuestSvn) return policyError(GUEST_SVN_BELOW_MINIMUM, "GUEST_SVN " + r.guestSvn.toString() + " is below " + p.minGuestSvn.toString());
  const measurements = p.measurements;
  if (measurements !== null && !inList(measurements, r.measurement())) {
    return policyError(MEASUREMENT_NOT_ALLOWED, "measurement " + hexEncode(r.measurement()) + " is not in the allow-list");
  }
  const hostData = p.hostData;
  if (hostData !== null && !inList(hostData, r.hostData())) {
    return policyError(HOST_DATA_NOT_ALLOWED, "host_data " + hexEncode(r.hostData()) + " is not in the allow-list");
  }
  const idKeys = p.idKeyDigests;
  if (idKeys !== null && !inList(idKeys, r.idKeyDigest())) {
    return policyError(ID_KEY_NOT_ALLOWED, "id_key_digest " + hexEncode(r.idKeyDigest()) + " is not in the allow-list");
  }
  const expected = p.reportData;
  if (expected !== null && !bytesEqual(expected, r.reportData())) return policyError(REPORT_DATA_MISMATCH, "report_data differs from the expected value");
  return null;
}

/** Applies the policy to a verified report of `product`; `cspId` is the VLEK's cspID ("" for a VCEK).
 * Order: guest policy and VMPL first (they make any TCB moot), then signer, TCB, then values. */
export function evaluatePolicy(p: SnpPolicy, r: SnpReport, product: i32, cspId: string): SnpError | null {
  // Without a product the TCB cannot be decoded, so no minimum could apply: refuse rather than skip.
  if (product <= 0 || product >= PRODUCT_COUNT) return policyError(UNSUPPORTED_PRODUCT, "the product is unknown (a v2 report needs the product its chain proved)");
  let e = checkGuestPolicy(p, r);
  if (e === null) e = checkSigner(p, r, cspId);
  if (e === null) e = checkTcb(p, r, product);
  if (e === null) e = checkValues(p, r);
  return e;
}
