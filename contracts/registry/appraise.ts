// The one appraisal path of a node's evidence, shared by register_node (which then writes state) and the
// verify_evidence query (a dry run that writes nothing): CPU evidence against the stored collateral at
// block time -> release matching -> every GPU report against the release's golden measurements and the
// binding nonce -> the binding of REPORTDATA to the node's keys (DESIGN.md §4) -> policy (debug, GPU
// count, exclusions). Parse (msg.ts) -> verify (evidence.ts) -> policy (here) stay separate; the first
// failure is the result, with its stable registry code.
import { hexEncode } from "../../assembly/encoding/hex";
import { bytesEqual, utf8 } from "../../assembly/encoding/bytes";
import { Env } from "../std/types";
import { RegistryError, Failure } from "./error";
import { Policy, Roots, Release, RELEASE_INDEX, TEE_TDX, TDX_MEASUREMENTS, SNP_MEASUREMENTS, isExcluded } from "./state";
import { Evidence } from "./msg";
import { tdxBundle, amdCrls, rootDer } from "./collateral";
import { tdxRecord } from "./tdx-records";
import {
  CpuEvidence, GpuEvidence, tdxPlatform, verifyTdxEvidence, verifySnpEvidence, snpOptionsJson, nvidiaPolicyJson, hexOfDer,
} from "./evidence";
import { gpuReportsDigest, gpuNonce, expectedReportData } from "./binding";
import { verifyGpus } from "./gpus";

/** What the appraisal needs besides the evidence. Binding fields may be absent in a dry run. */
export class AppraisalInput {
  evidence: Evidence = new Evidence();
  operator: string = "";
  nodeId: string = "";
  encPk: Uint8Array | null = null;
  signPk: Uint8Array | null = null;
  /** The challenge nonce (32 bytes); null in a dry run without one. */
  nonce: Uint8Array | null = null;
  /** Dry run only: the nonce the GPU reports answer, when no challenge binds them. */
  gpuNonceOverride: Uint8Array | null = null;
  /** Dry run only: the release to appraise against (required for GPU-only evidence). */
  releaseId: string = "";
  /** register_node: binding and release are mandatory. */
  strict: bool = true;
}

export class Appraisal {
  failure: Failure | null = null;
  cpu: CpuEvidence | null = null;
  gpu: GpuEvidence | null = null;
  release: Release | null = null;
  /** "ok", "mismatch" or "not_checked" (dry run without binding inputs). */
  binding: string = "not_checked";

  get ok(): bool { return this.failure === null; }

  fail(error: RegistryError, detail: string): Appraisal {
    if (this.failure === null) this.failure = new Failure(error, detail);
    return this;
  }
}

// ---------------------------------------------------------------------------------------------------
// CPU

function appraiseTdx(env: Env, e: Evidence, policy: Policy, roots: Roots): CpuEvidence {
  const platform = tdxPlatform(e.quote);
  if (!platform.ok) return new CpuEvidence().fail(RegistryError.EvidenceRejected, platform.detail);
  const quote = platform.quote;
  const record = tdxRecord(roots, platform.fmspc, platform.ca);
  if (record !== null) return verifyTdxEvidence(e.quote, record, rootDer(roots.intel), <i64>env.block.timeSeconds, policy, platform, true);
  const bundle = tdxBundle(platform.fmspc, platform.ca, platform.trimmed && quote !== null ? quote.certData() : null);
  if (!bundle.ok) return new CpuEvidence().fail(RegistryError.CollateralMissing, bundle.detail);
  return verifyTdxEvidence(e.quote, bundle.json, rootDer(roots.intel), <i64>env.block.timeSeconds, policy, platform);
}

function appraiseSnp(env: Env, e: Evidence, policy: Policy, roots: Roots): CpuEvidence {
  const ders = new Array<string>();
  const products = new Array<string>();
  const milan = roots.milan, genoa = roots.genoa, turin = roots.turin;
  if (milan !== null) { ders.push(hexOfDer(rootDer(milan))); products.push("milan"); }
  if (genoa !== null) { ders.push(hexOfDer(rootDer(genoa))); products.push("genoa"); }
  if (turin !== null) { ders.push(hexOfDer(rootDer(turin))); products.push("turin"); }
  const options = snpOptionsJson(policy, ders, products);
  return verifySnpEvidence(e.report, e.vcek, e.chain, amdCrls(), <i64>env.block.timeSeconds, options);
}

// ---------------------------------------------------------------------------------------------------
// Releases

function claimsMatch(release: Release, cpu: CpuEvidence): bool {
  const names = release.tee == TEE_TDX ? TDX_MEASUREMENTS : SNP_MEASUREMENTS;
  for (let i = 0; i < names.length; i++) {
    const pinned = release.measurement(names[i]);
    if (pinned.length > 0 && pinned != cpu.measurement(names[i])) return false;
  }
  return true;
}

/** Why `release` cannot be used now ("" = usable). */
export function releaseProblem(release: Release, nowSeconds: u64): string {
  if (release.revoked) return "release " + release.id + " is revoked";
  if (release.expired(nowSeconds)) return "release " + release.id + " expired at " + release.expiresAt.toString();
  return "";
}

/** The live release whose pinned measurements all equal the CPU claims (first by id). */
function matchRelease(a: Appraisal, cpu: CpuEvidence, nowSeconds: u64): Release | null {
  const primary = cpu.measurement(cpu.tee == TEE_TDX ? "mrtd" : "measurement");
  const candidates = RELEASE_INDEX.pageOf(utf8(cpu.tee + ":" + primary), null, 30);
  let lastProblem = "";
  for (let i = 0; i < candidates.length; i++) {
    const release = Release.load(String.UTF8.decode(candidates[i].key.buffer));
    if (release === null || !claimsMatch(release, cpu)) continue;
    const problem = releaseProblem(release, nowSeconds);
    if (problem.length == 0) return release;
    lastProblem = problem;
  }
  if (lastProblem.length > 0) a.fail(lastProblem.includes("revoked") ? RegistryError.ReleaseRevoked : RegistryError.ReleaseExpired, lastProblem);
  else a.fail(RegistryError.NoMatchingRelease, "no release pins " + cpu.tee + " measurement " + primary + " with these measurements");
  return null;
}

function namedRelease(a: Appraisal, id: string, cpu: CpuEvidence | null, nowSeconds: u64): Release | null {
  const release = Release.load(id);
  if (release === null) { a.fail(RegistryError.ReleaseNotFound, "no release " + id); return null; }
  const problem = releaseProblem(release, nowSeconds);
  if (problem.length > 0) { a.fail(release.revoked ? RegistryError.ReleaseRevoked : RegistryError.ReleaseExpired, problem); return null; }
  if (cpu !== null && (release.tee != cpu.tee || !claimsMatch(release, cpu))) {
    a.fail(RegistryError.NoMatchingRelease, "the evidence does not match release " + id);
    return null;
  }
  return release;
}

// ---------------------------------------------------------------------------------------------------
// GPUs and binding

function gpuNonceFor(input: AppraisalInput): Uint8Array | null {
  const given = input.gpuNonceOverride;
  if (given !== null) return given;
  const nonce = input.nonce, enc = input.encPk, sign = input.signPk;
  if (nonce === null || enc === null || sign === null) return null;
  return gpuNonce(enc, sign, nonce);
}

function appraiseGpus(a: Appraisal, env: Env, input: AppraisalInput, policy: Policy, roots: Roots): void {
  const e = input.evidence;
  const count = <u32>e.gpuReports.length;
  if (count < policy.minGpus) { a.fail(RegistryError.GpuCount, count.toString() + " GPU reports, the policy requires at least " + policy.minGpus.toString()); return; }
  if (count == 0) return;
  const release = a.release;
  const golden = release === null ? new Uint8Array(0) : release.goldenBytes();
  if (golden.length == 0) {
    a.fail(RegistryError.NoMatchingRelease, "the release admits no GPUs (no gpu_golden)");
    return;
  }
  const nonce = gpuNonceFor(input);
  if (nonce === null) { a.fail(RegistryError.InvalidMessage, "GPU evidence needs a challenge nonce (or gpu_nonce in a dry run)"); return; }
  const gpu = verifyGpus(e.gpuReports, e.gpuChains, nonce, golden, <i64>env.block.timeSeconds, nvidiaPolicyJson(policy, roots.nvidia), roots.version);
  a.gpu = gpu;
  if (!gpu.ok) a.fail(gpu.error, gpu.detail);
}

function checkBinding(a: Appraisal, env: Env, input: AppraisalInput, cpu: CpuEvidence): void {
  const nonce = input.nonce, enc = input.encPk, sign = input.signPk;
  if (nonce === null || enc === null || sign === null || input.nodeId.length == 0 || input.operator.length == 0) {
    if (input.strict) a.fail(RegistryError.BindingMismatch, "binding inputs are missing");
    return;
  }
  const expected = expectedReportData(env.block.chainId, env.contractAddress, input.operator, input.nodeId, enc, sign,
    gpuReportsDigest(input.evidence.gpuReports), nonce);
  if (bytesEqual(expected, cpu.reportData)) { a.binding = "ok"; return; }
  a.binding = "mismatch";
  const half = bytesEqual(expected.subarray(32, 64), cpu.reportData.subarray(32, 64)) ? "keys/GPU digest" : "challenge nonce";
  a.fail(RegistryError.BindingMismatch, "REPORTDATA " + hexEncode(cpu.reportData) + " does not bind this registration (" + half + " differs)");
}

// ---------------------------------------------------------------------------------------------------
// Policy

function checkPolicy(a: Appraisal, cpu: CpuEvidence, policy: Policy, nodeId: string): void {
  if (cpu.debug && !policy.allowDebug) { a.fail(RegistryError.DebugNotAllowed, cpu.tee + " evidence reports a debug guest"); return; }
  if (!policy.accepts(cpu.tcbStatus)) { a.fail(RegistryError.TcbStatusNotAccepted, "TCB status " + cpu.tcbStatus + " is not accepted"); return; }
  const advisory = policy.disallowedAdvisory(cpu.advisoryIds);
  if (advisory.length > 0) { a.fail(RegistryError.AdvisoryNotAllowed, "advisory " + advisory + " is not allowed"); return; }
  const excluded = exclusionHit(nodeId, cpu, a.gpu);
  if (excluded.length > 0) a.fail(RegistryError.Excluded, excluded + " is excluded");
}

/** "<kind> <value>" of the first excluded identity, or "". */
export function exclusionHit(nodeId: string, cpu: CpuEvidence | null, gpu: GpuEvidence | null): string {
  if (nodeId.length > 0 && isExcluded("node_id", nodeId)) return "node_id " + nodeId;
  if (cpu !== null) {
    if (isExcluded("ppid", cpu.ppid)) return "ppid " + cpu.ppid;
    if (isExcluded("pck_serial", cpu.pckSerial)) return "pck_serial " + cpu.pckSerial;
    if (isExcluded("chip_id", cpu.chipId)) return "chip_id " + cpu.chipId;
  }
  if (gpu !== null) {
    for (let i = 0; i < gpu.ueids.length; i++) if (isExcluded("gpu_ueid", gpu.ueids[i])) return "gpu_ueid " + gpu.ueids[i];
  }
  return "";
}

// ---------------------------------------------------------------------------------------------------

/** Runs the whole appraisal; nothing here writes storage. */
export function appraise(env: Env, input: AppraisalInput, policy: Policy, roots: Roots): Appraisal {
  const a = new Appraisal();
  const e = input.evidence;
  const now = env.block.timeSeconds;
  let cpu: CpuEvidence | null = null;
  if (e.tee.length > 0) {
    const verified = e.tee == TEE_TDX ? appraiseTdx(env, e, policy, roots) : appraiseSnp(env, e, policy, roots);
    a.cpu = verified;
    if (!verified.ok) return a.fail(verified.error, verified.detail);
    cpu = verified;
  } else if (input.strict) {
    return a.fail(RegistryError.MalformedEvidence, "evidence.cpu is required");
  }
  if (input.releaseId.length > 0) a.release = namedRelease(a, input.releaseId, cpu, now);
  else if (cpu !== null) a.release = matchRelease(a, cpu, now);
  if (!a.ok) return a;
  if (cpu !== null) {
    checkBinding(a, env, input, cpu);
    if (!a.ok) return a;
  }
  appraiseGpus(a, env, input, policy, roots);
  if (!a.ok) return a;
  if (cpu !== null) checkPolicy(a, cpu, policy, input.nodeId);
  return a;
}
