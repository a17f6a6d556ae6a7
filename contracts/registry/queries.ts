// Read-only answers: configuration, nodes with their trust evaluated now (trust.ts), releases,
// exclusions, collateral, challenges, the binding values a host must produce, and verify_evidence — a
// stateless dry run of the registration appraisal (appraise.ts) over given evidence.
import { JsonValue } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { hexEncode, hexDecode } from "../../assembly/encoding/hex";
import { utf8 } from "../../assembly/encoding/bytes";
import { base64Decode } from "../../assembly/encoding/base64";
import { Env } from "../std/types";
import { Result } from "../std/result";
import { pageLimit } from "../std/storage";
import { RegistryError, fail } from "./error";
import {
  Config, Policy, Roots, Node, Release, NODES, NODES_BY_MODEL, RELEASES, EXCLUSIONS, TEE_TDX, TDX_MEASUREMENTS, SNP_MEASUREMENTS, loadJson, writeStrings,
} from "./state";
import { parsePage, parseEvidence, reqIdentifier, reqString, parseKey, optBool, MAX_ID_LENGTH, ENC_PK_LENGTH, SIGN_PK_LENGTH, Page } from "./msg";
import { queryCollateral, queryTdxCollateral } from "./collateral";
import { evaluateTrust, writeNodeStatus } from "./trust";
import { loadChallenge } from "./register";
import { AppraisalInput, appraise, Appraisal } from "./appraise";
import { gpuNonce, expectedReportData, gpuReportsDigest, NONCE_LENGTH } from "./binding";
import { CpuEvidence } from "./evidence";

function ok(w: JsonWriter): Result<Uint8Array> { return Result.ok<Uint8Array>(w.toBytes()); }

function startAfter(page: Page): Uint8Array | null {
  const s = page.startAfter;
  return s === null ? null : utf8(s);
}

// ---------------------------------------------------------------------------------------------------
// Configuration

export function queryConfig(): Result<Uint8Array> {
  const w = new JsonWriter();
  const c = Config.load();
  w.beginObject().fieldString("governance", c.governance).fieldBool("paused", c.paused).fieldU64("max_gpus", <u64>c.maxGpus);
  w.key("policy");
  Policy.load().write(w);
  w.key("roots");
  Roots.load().write(w);
  w.endObject();
  return ok(w);
}

export function queryPolicy(): Result<Uint8Array> { const w = new JsonWriter(); Policy.load().write(w); return ok(w); }
export function queryRoots(): Result<Uint8Array> { const w = new JsonWriter(); Roots.load().write(w); return ok(w); }

// ---------------------------------------------------------------------------------------------------
// Nodes

export function queryNode(env: Env, body: JsonValue): Result<Uint8Array> {
  const id = reqIdentifier(body, "node_id", MAX_ID_LENGTH);
  if (id.isErr) return id.cast<Uint8Array>();
  const node = Node.load(id.value);
  if (node === null) return fail<Uint8Array>(RegistryError.NodeNotFound, "no node " + id.value);
  const policy = Policy.load();
  const w = new JsonWriter();
  writeNodeStatus(w, node, evaluateTrust(env, node, policy), policy);
  return ok(w);
}

export function queryNodes(env: Env, body: JsonValue): Result<Uint8Array> {
  const page = parsePage(body);
  if (page.isErr) return page.cast<Uint8Array>();
  const error = new Array<string>();
  const trustedOnly = optBool(body, "trusted_only", error) == 1;
  const modelField = body.get("model");
  if (error.length > 0 || (modelField !== null && !modelField.isNull && !modelField.isString)) return fail<Uint8Array>(RegistryError.InvalidMessage, "nodes: bad model or trusted_only");
  const limit = pageLimit(page.value.limit);
  const ids = new Array<string>();
  if (modelField !== null && modelField.isString) {
    const records = NODES_BY_MODEL.pageOf(utf8(changetype<string>(modelField.asString())), startAfter(page.value), limit);
    for (let i = 0; i < records.length; i++) ids.push(String.UTF8.decode(records[i].key.buffer));
  } else {
    const records = NODES.page(startAfter(page.value), limit);
    for (let i = 0; i < records.length; i++) ids.push(String.UTF8.decode(records[i].key.buffer));
  }
  const policy = Policy.load();
  const w = new JsonWriter();
  w.beginObject().key("nodes").beginArray();
  for (let i = 0; i < ids.length; i++) {
    const node = Node.load(ids[i]);
    if (node === null) continue;
    const trust = evaluateTrust(env, node, policy);
    if (trustedOnly && !trust.trusted) continue;
    writeNodeStatus(w, node, trust, policy);
  }
  w.endArray();
  // The last key scanned (filtered or not), so pagination continues where this page stopped.
  if (ids.length == limit) w.fieldString("next_start_after", ids[ids.length - 1]); else w.fieldNull("next_start_after");
  w.endObject();
  return ok(w);
}

// ---------------------------------------------------------------------------------------------------
// Releases and exclusions

export function queryRelease(body: JsonValue): Result<Uint8Array> {
  const id = reqIdentifier(body, "id", MAX_ID_LENGTH);
  if (id.isErr) return id.cast<Uint8Array>();
  const r = Release.load(id.value);
  if (r === null) return fail<Uint8Array>(RegistryError.ReleaseNotFound, "no release " + id.value);
  r.loadGolden();
  const w = new JsonWriter();
  r.write(w);
  return ok(w);
}

export function queryReleases(body: JsonValue): Result<Uint8Array> {
  const page = parsePage(body);
  if (page.isErr) return page.cast<Uint8Array>();
  const error = new Array<string>();
  const includeRevoked = optBool(body, "include_revoked", error) == 1;
  const records = RELEASES.page(startAfter(page.value), pageLimit(page.value.limit));
  const w = new JsonWriter();
  w.beginObject().key("releases").beginArray();
  for (let i = 0; i < records.length; i++) {
    const v = loadJson(records[i].value);
    if (v === null) continue;
    const r = Release.fromJson(v);
    if (!includeRevoked && r.revoked) continue;
    r.loadGolden();
    r.write(w);
  }
  w.endArray().endObject();
  return ok(w);
}

export function queryExclusions(body: JsonValue): Result<Uint8Array> {
  const page = parsePage(body);
  if (page.isErr) return page.cast<Uint8Array>();
  const records = EXCLUSIONS.page(startAfter(page.value), pageLimit(page.value.limit));
  const w = new JsonWriter();
  w.beginObject().key("exclusions").beginArray();
  for (let i = 0; i < records.length; i++) w.raw(records[i].value);
  w.endArray().endObject();
  return ok(w);
}

// ---------------------------------------------------------------------------------------------------
// Collateral

export function queryCollateralList(body: JsonValue): Result<Uint8Array> {
  const page = parsePage(body);
  if (page.isErr) return page.cast<Uint8Array>();
  return Result.ok<Uint8Array>(queryCollateral(page.value));
}

export function queryTdxCollateralBundle(body: JsonValue): Result<Uint8Array> {
  const fmspc = reqString(body, "fmspc", 12);
  if (fmspc.isErr) return fmspc.cast<Uint8Array>();
  const ca = reqString(body, "ca", 16);
  if (ca.isErr) return ca.cast<Uint8Array>();
  return queryTdxCollateral(fmspc.value, ca.value);
}

// ---------------------------------------------------------------------------------------------------
// Challenges and binding

function optOperator(body: JsonValue, fallback: string): Result<string> {
  const v = body.get("operator");
  if (v === null || v.isNull) return Result.ok<string>(fallback);
  return reqString(body, "operator", 256);
}

export function queryChallenge(env: Env, body: JsonValue): Result<Uint8Array> {
  const id = reqIdentifier(body, "node_id", MAX_ID_LENGTH);
  if (id.isErr) return id.cast<Uint8Array>();
  const operator = reqString(body, "operator", 256);
  if (operator.isErr) return operator.cast<Uint8Array>();
  const c = loadChallenge(id.value, operator.value);
  const w = new JsonWriter();
  w.beginObject();
  if (c === null) {
    w.fieldNull("nonce").fieldNull("issued_at").fieldNull("expires_at").fieldBool("expired", false);
  } else {
    w.fieldString("nonce", hexEncode(c.nonce)).fieldU64("issued_at", c.issuedAt).fieldU64("expires_at", c.expiresAt)
      .fieldBool("expired", env.block.height > c.expiresAt);
  }
  w.endObject();
  return ok(w);
}

function hexNonce(body: JsonValue, key: string): Result<Uint8Array> {
  const v = body.get(key);
  if (v === null || !v.isString) return fail<Uint8Array>(RegistryError.InvalidMessage, "msg." + key + " must be 32 bytes of hex");
  const bytes = hexDecode(changetype<string>(v.asString()));
  if (bytes === null || bytes.length != NONCE_LENGTH) return fail<Uint8Array>(RegistryError.InvalidMessage, "msg." + key + " must be 32 bytes of hex");
  return Result.ok<Uint8Array>(bytes);
}

/** binding {operator, node_id, enc_pk, sign_pk, nonce, gpu_reports?}: REPORTDATA and GPU nonce to produce. */
export function queryBinding(env: Env, body: JsonValue): Result<Uint8Array> {
  const operator = reqString(body, "operator", 256);
  if (operator.isErr) return operator.cast<Uint8Array>();
  const id = reqIdentifier(body, "node_id", MAX_ID_LENGTH);
  if (id.isErr) return id.cast<Uint8Array>();
  const enc = parseKey(body, "enc_pk", ENC_PK_LENGTH);
  if (enc.isErr) return enc.cast<Uint8Array>();
  const sign = parseKey(body, "sign_pk", SIGN_PK_LENGTH);
  if (sign.isErr) return sign.cast<Uint8Array>();
  const nonce = hexNonce(body, "nonce");
  if (nonce.isErr) return nonce.cast<Uint8Array>();
  const reports = new Array<Uint8Array>();
  const list = body.get("gpu_reports");
  if (list !== null && !list.isNull) {
    if (!list.isArray) return fail<Uint8Array>(RegistryError.InvalidMessage, "msg.gpu_reports must be an array of base64 strings");
    for (let i = 0; i < list.length; i++) {
      const text = list.items[i].asString();
      const decoded: Uint8Array | null = text === null ? null : base64Decode(text);
      if (decoded === null) return fail<Uint8Array>(RegistryError.InvalidMessage, "msg.gpu_reports[" + i.toString() + "] must be base64");
      reports.push(decoded);
    }
  }
  const reportData = expectedReportData(env.block.chainId, env.contractAddress, operator.value, id.value, enc.value, sign.value, gpuReportsDigest(reports), nonce.value);
  const w = new JsonWriter();
  w.beginObject().fieldString("report_data", hexEncode(reportData)).fieldString("gpu_nonce", hexEncode(gpuNonce(enc.value, sign.value, nonce.value))).endObject();
  return ok(w);
}

// ---------------------------------------------------------------------------------------------------
// verify_evidence: the registration appraisal as a dry run

function dryRunInput(env: Env, body: JsonValue, maxGpus: u32): Result<AppraisalInput> {
  const input = new AppraisalInput();
  input.strict = false;
  const evidence = parseEvidence(body.get("evidence"), maxGpus, false);
  if (evidence.isErr) return evidence.cast<AppraisalInput>();
  input.evidence = evidence.value;
  const operator = optOperator(body, "");
  if (operator.isErr) return operator.cast<AppraisalInput>();
  input.operator = operator.value;
  if (body.has("node_id")) { const id = reqIdentifier(body, "node_id", MAX_ID_LENGTH); if (id.isErr) return id.cast<AppraisalInput>(); input.nodeId = id.value; }
  if (body.has("enc_pk")) { const k = parseKey(body, "enc_pk", ENC_PK_LENGTH); if (k.isErr) return k.cast<AppraisalInput>(); input.encPk = k.value; }
  if (body.has("sign_pk")) { const k = parseKey(body, "sign_pk", SIGN_PK_LENGTH); if (k.isErr) return k.cast<AppraisalInput>(); input.signPk = k.value; }
  if (body.has("nonce")) { const n = hexNonce(body, "nonce"); if (n.isErr) return n.cast<AppraisalInput>(); input.nonce = n.value; }
  if (body.has("gpu_nonce")) { const n = hexNonce(body, "gpu_nonce"); if (n.isErr) return n.cast<AppraisalInput>(); input.gpuNonceOverride = n.value; }
  if (body.has("release_id")) { const r = reqIdentifier(body, "release_id", MAX_ID_LENGTH); if (r.isErr) return r.cast<AppraisalInput>(); input.releaseId = r.value; }
  return Result.ok<AppraisalInput>(input);
}

function writeCpu(w: JsonWriter, cpu: CpuEvidence): void {
  w.fieldString("tee", cpu.tee).fieldString("tcb_status", cpu.tcbStatus);
  writeStrings(w, "advisory_ids", cpu.advisoryIds);
  w.fieldBool("debug", cpu.debug);
  w.key("measurements").beginObject();
  const names = cpu.tee == TEE_TDX ? TDX_MEASUREMENTS : SNP_MEASUREMENTS;
  for (let i = 0; i < names.length; i++) { const m = cpu.measurement(names[i]); if (m.length > 0) w.fieldString(names[i], m); }
  w.endObject();
  w.fieldString("report_data", hexEncode(cpu.reportData));
  w.key("hardware").beginObject().fieldString("ppid", cpu.ppid).fieldString("pck_serial", cpu.pckSerial).fieldString("chip_id", cpu.chipId)
    .fieldString("fmspc", cpu.fmspc).fieldString("product", cpu.product).endObject();
}

function writeAppraisal(w: JsonWriter, a: Appraisal): void {
  w.beginObject().fieldBool("ok", a.ok);
  const failure = a.failure;
  if (failure === null) w.fieldNull("error");
  else w.key("error").beginObject().fieldString("code", failure.code).fieldString("message", failure.message).endObject();
  const cpu = a.cpu;
  if (cpu !== null && cpu.ok) { w.key("cpu").beginObject(); writeCpu(w, cpu); w.endObject(); } else w.fieldNull("cpu");
  const gpu = a.gpu;
  if (gpu !== null && gpu.ok) {
    w.key("gpus").beginObject().fieldString("status", gpu.status).fieldString("nonce", gpu.nonce);
    writeStrings(w, "ueids", gpu.ueids);
    w.endObject();
  } else w.fieldNull("gpus");
  const release = a.release;
  if (release !== null) w.fieldString("release_id", release.id); else w.fieldNull("release_id");
  w.fieldString("binding", a.binding);
  w.endObject();
}

export function queryVerifyEvidence(env: Env, body: JsonValue): Result<Uint8Array> {
  const config = Config.load();
  const input = dryRunInput(env, body, config.maxGpus);
  if (input.isErr) return input.cast<Uint8Array>();
  const a = appraise(env, input.value, Policy.load(), Roots.load());
  const w = new JsonWriter();
  writeAppraisal(w, a);
  return ok(w);
}
