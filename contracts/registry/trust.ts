// Trust is decided when asked, against today's state, never frozen at registration: a revoked or expired
// release, an exclusion of any of the node's ids, a lapsed attestation (policy TTL in blocks), or a TCB
// that newer collateral or a stricter policy no longer accepts makes a node untrusted without any host
// action. Each cause is one reason "<CODE>: <detail>" with the registry's stable codes (error.ts).
//
// The TCB is re-appraised only when something it depends on changed since registration (the stored TCB
// info / QE identity evaluation data number, or the policy version), so the common query stays cheap;
// it then runs Intel's TCB evaluation / the SNP policy again over the TCB inputs stored at registration
// (tcb-inputs.ts). The check itself reads only the small collateral metadata records.
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { utf8 } from "../../assembly/encoding/bytes";
import { Env } from "../std/types";
import { RegistryError, errorMessage } from "./error";
import { Policy, Release, Node, NODE_TCB_INPUTS, TEE_TDX, isExcluded, writeStrings } from "./state";
import { CollateralRecord } from "./collateral";
import { reappraiseTdx, reappraiseSnp, snpOptionsJson } from "./evidence";
import { releaseProblem } from "./appraise";
import { exclusionReason } from "./governance";

export class Trust {
  reasons: Array<string> = [];
  tcbStatus: string = "";
  advisoryIds: Array<string> = [];
  /** True when the TCB was evaluated again at this query. */
  reappraised: bool = false;
  get trusted(): bool { return this.reasons.length == 0; }
  add(e: RegistryError, detail: string): void { this.reasons.push(errorMessage(e, detail)); }
}

function checkRelease(t: Trust, node: Node, now: u64): void {
  const release = Release.load(node.releaseId);
  if (release === null) { t.add(RegistryError.ReleaseNotFound, "release " + node.releaseId + " no longer exists"); return; }
  const problem = releaseProblem(release, now);
  if (problem.length > 0) t.add(release.revoked ? RegistryError.ReleaseRevoked : RegistryError.ReleaseExpired, problem);
}

function checkExclusion(t: Trust, kind: string, value: string): void {
  if (!isExcluded(kind, value)) return;
  const reason = exclusionReason(kind, value);
  t.add(RegistryError.Excluded, kind + " " + value + " is excluded" + (reason.length > 0 ? " (" + reason + ")" : ""));
}

function checkExclusions(t: Trust, node: Node): void {
  checkExclusion(t, "node_id", node.nodeId);
  checkExclusion(t, "ppid", node.ppid);
  checkExclusion(t, "pck_serial", node.pckSerial);
  checkExclusion(t, "chip_id", node.chipId);
  for (let i = 0; i < node.gpuUeids.length; i++) checkExclusion(t, "gpu_ueid", node.gpuUeids[i]);
}

/** A verifier's "CODE: message" as a registry reason. */
function verifierReason(t: Trust, tee: string, error: string): void {
  if (error.startsWith("TCB_STATUS_NOT_ACCEPTED")) t.add(RegistryError.TcbStatusNotAccepted, tee + "/" + error);
  else if (error.startsWith("ADVISORY_NOT_ALLOWED")) t.add(RegistryError.AdvisoryNotAllowed, tee + "/" + error);
  else if (error.startsWith("DEBUG_ENABLED")) t.add(RegistryError.DebugNotAllowed, tee + "/" + error);
  else t.add(RegistryError.EvidenceRejected, tee + "/" + error);
}

function reappraiseTdxNode(t: Trust, node: Node, policy: Policy): void {
  const tcb = CollateralRecord.load("tdx_tcb_info", node.fmspc);
  const qe = CollateralRecord.load("qe_identity", "tdx");
  if (tcb === null || qe === null) { t.add(RegistryError.CollateralMissing, "collateral for FMSPC " + node.fmspc + " is gone"); return; }
  const changed = <u64>tcb.evaluationDataNumber != node.tcbEvaluationDataNumber || <u64>qe.evaluationDataNumber != node.qeEvaluationDataNumber ||
    policy.version != node.policyVersion;
  if (!changed) return;
  const inputs = NODE_TCB_INPUTS.getStr(node.nodeId);
  if (inputs === null) { t.add(RegistryError.EvidenceRejected, "the stored TCB inputs are missing"); return; }
  t.reappraised = true;
  const r = reappraiseTdx(inputs, utf8(tcb.field("tcb_info")), utf8(qe.field("qe_identity")), policy);
  if (r.status.length > 0) { t.tcbStatus = r.status; t.advisoryIds = r.advisoryIds; }
  if (r.error.length > 0) verifierReason(t, "tdx", r.error);
}

function reappraiseSnpNode(t: Trust, node: Node, policy: Policy): void {
  if (policy.version == node.policyVersion) return;
  const inputs = NODE_TCB_INPUTS.getStr(node.nodeId);
  if (inputs === null) { t.add(RegistryError.EvidenceRejected, "the stored TCB inputs are missing"); return; }
  t.reappraised = true;
  const error = reappraiseSnp(inputs, node.product, snpOptionsJson(policy, new Array<string>(), new Array<string>()));
  if (error.length > 0) verifierReason(t, "snp", error);
}

/** The node's trust now. */
export function evaluateTrust(env: Env, node: Node, policy: Policy): Trust {
  const t = new Trust();
  t.tcbStatus = node.tcbStatus;
  t.advisoryIds = node.advisoryIds;
  const expiresAt = node.expiresAt(policy.attestationTtl);
  if (env.block.height > expiresAt) t.add(RegistryError.AttestationExpired, "the attestation lapsed at height " + expiresAt.toString() + "; register again");
  checkRelease(t, node, env.block.timeSeconds);
  checkExclusions(t, node);
  if (node.debug && !policy.allowDebug) t.add(RegistryError.DebugNotAllowed, "the node runs a debug guest");
  if (node.tee == TEE_TDX) reappraiseTdxNode(t, node, policy);
  else reappraiseSnpNode(t, node, policy);
  return t;
}

/** The node query's answer (DESIGN.md §5). */
export function writeNodeStatus(w: JsonWriter, node: Node, t: Trust, policy: Policy): void {
  w.beginObject();
  w.fieldString("node_id", node.nodeId).fieldBool("trusted", t.trusted);
  writeStrings(w, "reasons", t.reasons);
  w.fieldString("tee", node.tee).fieldString("tcb_status", t.tcbStatus);
  writeStrings(w, "advisory_ids", t.advisoryIds);
  w.fieldString("release_id", node.releaseId).fieldString("operator", node.operator).fieldString("model", node.model)
    .fieldString("endpoint", node.endpoint).fieldString("enc_pk", node.encPk).fieldString("sign_pk", node.signPk)
    .fieldU64("registered_at", node.registeredAt).fieldU64("registered_time", node.registeredTime)
    .fieldU64("expires_at", node.expiresAt(policy.attestationTtl)).fieldString("evidence_hash", node.evidenceHash);
  w.key("hardware").beginObject().fieldString("ppid", node.ppid).fieldString("pck_serial", node.pckSerial).fieldString("chip_id", node.chipId);
  writeStrings(w, "gpu_ueids", node.gpuUeids);
  w.endObject();
  w.key("tcb").beginObject().fieldString("fmspc", node.fmspc).fieldString("product", node.product)
    .fieldU64("tcb_evaluation_data_number", node.tcbEvaluationDataNumber).fieldBool("reappraised", t.reappraised).endObject();
  w.endObject();
}
