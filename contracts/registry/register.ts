// Hosts: begin_registration issues a single-use challenge for (node_id, operator), register_node appraises
// the node's evidence (appraise.ts, the same path as the verify_evidence query) and records it, and
// deregister_node removes it. One active registration per node_id and per hardware identity (PPID,
// CHIP_ID, GPU UEID): a registration that has lapsed (attestation TTL) no longer holds its ids.
import { JsonValue } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { hexEncode, hexDecode } from "../../assembly/encoding/hex";
import { base64Encode } from "../../assembly/encoding/base64";
import { utf8 } from "../../assembly/encoding/bytes";
import { sha256 } from "../../assembly/crypto/sha256";
import { Env, MessageInfo } from "../std/types";
import { Response, Event } from "../std/response";
import { Result } from "../std/result";
import { storageGet, storageSet, storageRemove } from "../std/storage";
import { RegistryError, fail } from "./error";
import {
  Config, Policy, Roots, Node, NODES_BY_MODEL, NODE_TCB_INPUTS, HARDWARE, CHALLENGES, CHALLENGE_COUNTER, TEE_TDX, removeNode, loadJson, jstr, ju64,
} from "./state";
import { parseRegistration, reqIdentifier, onlyKeys, MAX_ID_LENGTH, Registration } from "./msg";
import { challengeNonce } from "./binding";
import { AppraisalInput, Appraisal, appraise } from "./appraise";
import { CpuEvidence } from "./evidence";
import { storedEvaluationNumber, EVENT_PREFIX } from "./collateral";

// ---------------------------------------------------------------------------------------------------
// Challenges

export class Challenge {
  nonce: Uint8Array = new Uint8Array(0);
  issuedAt: u64 = 0;
  expiresAt: u64 = 0;
}

function challengeKey(nodeId: string, operator: string): Uint8Array {
  return CHALLENGES.keyOf2(utf8(nodeId), utf8(operator));
}

export function loadChallenge(nodeId: string, operator: string): Challenge | null {
  const v = loadJson(storageGet(challengeKey(nodeId, operator)));
  if (v === null) return null;
  const c = new Challenge();
  const nonce = hexDecode(jstr(v, "nonce"));
  c.nonce = nonce === null ? new Uint8Array(0) : nonce;
  c.issuedAt = ju64(v, "issued_at");
  c.expiresAt = ju64(v, "expires_at");
  return c;
}

function nextCounter(): u64 {
  const stored = CHALLENGE_COUNTER.loadString();
  const n = stored === null ? <u64>0 : U64.parseInt(stored);
  CHALLENGE_COUNTER.saveString((n + 1).toString());
  return n;
}

export function beginRegistration(env: Env, info: MessageInfo, body: JsonValue, config: Config): Result<Response> {
  if (config.paused) return fail<Response>(RegistryError.Paused, "registrations are paused");
  const known = onlyKeys(body, [ "node_id" ], "begin_registration");
  if (known.isErr) return known.cast<Response>();
  const nodeId = reqIdentifier(body, "node_id", MAX_ID_LENGTH);
  if (nodeId.isErr) return nodeId.cast<Response>();
  const policy = Policy.load();
  const nonce = challengeNonce(env.block.chainId, env.contractAddress, info.sender, nodeId.value, env.block.height, nextCounter());
  const expiresAt = env.block.height + policy.challengeTtl;
  const w = new JsonWriter();
  w.beginObject().fieldString("nonce", hexEncode(nonce)).fieldU64("issued_at", env.block.height).fieldU64("expires_at", expiresAt).endObject();
  storageSet(challengeKey(nodeId.value, info.sender), w.toBytes());
  const data = new JsonWriter();
  data.beginObject().fieldString("node_id", nodeId.value).fieldString("nonce", hexEncode(nonce)).fieldU64("expires_at", expiresAt).endObject();
  const e = new Event(EVENT_PREFIX + "begin_registration").add("node_id", nodeId.value).add("operator", info.sender)
    .add("nonce", hexEncode(nonce)).add("expires_at", expiresAt.toString());
  return Result.ok<Response>(new Response().addEvent(e).addAttribute("action", "begin_registration").setData(data.toBytes()));
}

// ---------------------------------------------------------------------------------------------------
// Ownership of node ids and hardware ids

/** True when `nodeId` holds a registration that is still within its attestation TTL. */
function liveNode(nodeId: string, height: u64, ttl: u64): Node | null {
  const node = Node.load(nodeId);
  if (node === null || height > node.expiresAt(ttl)) return null;
  return node;
}

function hardwareKeysOf(cpu: CpuEvidence, ueids: Array<string>): Array<string> {
  const keys = new Array<string>();
  if (cpu.ppid.length > 0) keys.push("ppid:" + cpu.ppid);
  if (cpu.chipId.length > 0) keys.push("chip_id:" + cpu.chipId);
  for (let i = 0; i < ueids.length; i++) keys.push("gpu_ueid:" + ueids[i]);
  return keys;
}

/** "" when every hardware id is free (or held by this node_id), else why not. */
function hardwareConflict(keys: Array<string>, nodeId: string, height: u64, ttl: u64): string {
  for (let i = 0; i < keys.length; i++) {
    const owner = HARDWARE.getStr(keys[i]);
    if (owner === null) continue;
    const holder = String.UTF8.decode(owner.buffer);
    if (holder == nodeId) continue;
    if (liveNode(holder, height, ttl) !== null) return keys[i] + " is registered to node " + holder;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------------
// register_node

function nodeFrom(env: Env, r: Registration, a: Appraisal, policy: Policy, roots: Roots): Node {
  const cpu = changetype<CpuEvidence>(a.cpu);
  const n = new Node();
  n.nodeId = r.nodeId; n.operator = r.operator; n.model = r.model; n.endpoint = r.endpoint;
  n.encPk = base64Encode(r.encPk); n.signPk = base64Encode(r.signPk);
  n.tee = cpu.tee; n.tcbStatus = cpu.tcbStatus; n.advisoryIds = cpu.advisoryIds;
  n.releaseId = a.release === null ? "" : changetype<string>(a.release!.id);
  n.registeredAt = env.block.height; n.registeredTime = env.block.timeSeconds;
  n.evidenceHash = hexEncode(sha256(r.evidence.raw));
  n.debug = cpu.debug;
  n.ppid = cpu.ppid; n.pckSerial = cpu.pckSerial; n.chipId = cpu.chipId;
  const gpu = a.gpu;
  if (gpu !== null) n.gpuUeids = gpu.ueids;
  n.fmspc = cpu.fmspc; n.pckCa = cpu.pckCa;
  if (cpu.tee == TEE_TDX) {
    n.tcbEvaluationDataNumber = <u64>storedEvaluationNumber("tdx_tcb_info", cpu.fmspc);
    n.qeEvaluationDataNumber = <u64>storedEvaluationNumber("qe_identity", "tdx");
  }
  n.product = cpu.product; n.reportedTcb = cpu.reportedTcb;
  n.policyVersion = policy.version; n.rootsVersion = roots.version;
  return n;
}

function save(n: Node, tcbInputs: Uint8Array): void {
  n.save();
  NODE_TCB_INPUTS.setStr(n.nodeId, tcbInputs);
  storageSet(NODES_BY_MODEL.keyOf2(utf8(n.model), utf8(n.nodeId)), utf8("1"));
  const keys = n.hardwareKeys();
  for (let i = 0; i < keys.length; i++) HARDWARE.setStr(keys[i], utf8(n.nodeId));
}

export function registerNode(env: Env, info: MessageInfo, body: JsonValue, config: Config): Result<Response> {
  if (config.paused) return fail<Response>(RegistryError.Paused, "registrations are paused");
  const parsed = parseRegistration(body, info.sender, config.maxGpus);
  if (parsed.isErr) return parsed.cast<Response>();
  const r = parsed.value;
  const challenge = loadChallenge(r.nodeId, r.operator);
  if (challenge === null) return fail<Response>(RegistryError.ChallengeNotFound, "no open challenge for node " + r.nodeId + " and operator " + r.operator + " (begin_registration first)");
  if (env.block.height > challenge.expiresAt) return fail<Response>(RegistryError.ChallengeExpired, "the challenge expired at height " + challenge.expiresAt.toString());
  const policy = Policy.load();
  const stored = Node.load(r.nodeId);
  const existing = stored !== null && env.block.height <= stored.expiresAt(policy.attestationTtl) ? stored : null;
  if (existing !== null && existing.operator != r.operator) return fail<Response>(RegistryError.NodeIdTaken, "node " + r.nodeId + " is registered by " + existing.operator);
  const roots = Roots.load();
  const input = new AppraisalInput();
  input.evidence = r.evidence; input.operator = r.operator; input.nodeId = r.nodeId;
  input.encPk = r.encPk; input.signPk = r.signPk; input.nonce = challenge.nonce; input.strict = true;
  const a = appraise(env, input, policy, roots);
  const failure = a.failure;
  if (failure !== null) return failure.toResult<Response>();
  const cpu = changetype<CpuEvidence>(a.cpu);
  const gpu = a.gpu;
  const keys = hardwareKeysOf(cpu, gpu === null ? new Array<string>() : gpu.ueids);
  const conflict = hardwareConflict(keys, r.nodeId, env.block.height, policy.attestationTtl);
  if (conflict.length > 0) return fail<Response>(RegistryError.HardwareInUse, conflict);
  // Every check passed: from here on, only writes.
  if (stored !== null) removeNode(stored);
  const node = nodeFrom(env, r, a, policy, roots);
  save(node, cpu.tcbInputs);
  storageRemove(challengeKey(r.nodeId, r.operator));
  const e = new Event(EVENT_PREFIX + "register_node").add("node_id", node.nodeId).add("operator", node.operator).add("model", node.model)
    .add("tee", node.tee).add("tcb_status", node.tcbStatus).add("release_id", node.releaseId).add("gpus", node.gpuUeids.length.toString())
    .add("evidence_hash", node.evidenceHash).add("expires_at", node.expiresAt(policy.attestationTtl).toString());
  return Result.ok<Response>(new Response().addEvent(e).addAttribute("action", "register_node").addAttribute("node_id", node.nodeId));
}

// ---------------------------------------------------------------------------------------------------
// deregister_node (the operator, or governance)

export function deregisterNode(info: MessageInfo, body: JsonValue, config: Config): Result<Response> {
  const known = onlyKeys(body, [ "node_id" ], "deregister_node");
  if (known.isErr) return known.cast<Response>();
  const nodeId = reqIdentifier(body, "node_id", MAX_ID_LENGTH);
  if (nodeId.isErr) return nodeId.cast<Response>();
  const node = Node.load(nodeId.value);
  if (node === null) return fail<Response>(RegistryError.NodeNotFound, "no node " + nodeId.value);
  if (info.sender != node.operator && info.sender != config.governance) return fail<Response>(RegistryError.Unauthorized, "only the node's operator or governance may deregister it");
  removeNode(node);
  const e = new Event(EVENT_PREFIX + "deregister_node").add("node_id", node.nodeId).add("operator", node.operator).add("sender", info.sender);
  return Result.ok<Response>(new Response().addEvent(e).addAttribute("action", "deregister_node"));
}
