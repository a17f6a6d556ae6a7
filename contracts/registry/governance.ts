// Instantiate and the governance messages: one address (the chain's gov module or a multisig), set at
// instantiate and transferable, owns the trust policy — roots, releases, policy, exclusions, config.
// Every accepted change writes state and emits a `tee_attest.<action>` event; a refused one returns
// its error code and writes nothing (all checks run before the first write).
import { JsonValue } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { utf8 } from "../../assembly/encoding/bytes";
import { Env, MessageInfo } from "../std/types";
import { Response, Event } from "../std/response";
import { Result } from "../std/result";
import * as api from "../std/api";
import { RegistryError, fail } from "./error";
import { Config, Roots, Policy, Release, RELEASES, RELEASE_INDEX, EXCLUSIONS, exclusionKey, loadJson, jstr, countExclusion } from "./state";
import { applySetRoots, applySetPolicy, parseRelease, parseExclusion, optU64, optBool, onlyKeys } from "./msg";
import { EVENT_PREFIX } from "./collateral";

const MAX_GPUS_LIMIT: i64 = 64;

function event(action: string, sender: string): Event {
  return new Event(EVENT_PREFIX + action).add("sender", sender);
}

function respond(e: Event): Result<Response> {
  return Result.ok<Response>(new Response().addEvent(e).addAttribute("action", e.type.slice(EVENT_PREFIX.length)));
}

/** Fails unless `sender` is the governance address. */
export function requireGovernance(config: Config, sender: string): Result<Config> {
  if (sender != config.governance) return fail<Config>(RegistryError.Unauthorized, sender + " is not the governance address");
  return Result.ok<Config>(config);
}

// ---------------------------------------------------------------------------------------------------
// instantiate {governance?, paused?, max_gpus?, policy?, roots?}

const INSTANTIATE_KEYS: StaticArray<string> = ["governance", "paused", "max_gpus", "policy", "roots"];

function applyConfig(body: JsonValue, c: Config): Result<Config> {
  const error = new Array<string>();
  const paused = optBool(body, "paused", error);
  const maxGpus = optU64(body, "max_gpus", error);
  if (error.length > 0) return fail<Config>(RegistryError.InvalidMessage, error[0]);
  if (maxGpus == 0 || maxGpus > MAX_GPUS_LIMIT) return fail<Config>(RegistryError.InvalidMessage, "max_gpus must be 1-" + MAX_GPUS_LIMIT.toString());
  if (paused >= 0) c.paused = paused == 1;
  if (maxGpus > 0) c.maxGpus = <u32>maxGpus;
  return Result.ok<Config>(c);
}

export function instantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const known = onlyKeys(msg, INSTANTIATE_KEYS, "instantiate");
  if (known.isErr) return known.cast<Response>();
  const c = new Config();
  c.governance = info.sender;
  const gov = msg.get("governance");
  if (gov !== null && !gov.isNull) {
    const s = gov.asString();
    if (s === null) return fail<Response>(RegistryError.InvalidAddress, "governance must be an address");
    c.governance = s;
  }
  const valid = api.addrValidate(c.governance);
  if (valid.isErr) return fail<Response>(RegistryError.InvalidAddress, changetype<string>(valid.error));
  const config = applyConfig(msg, c);
  if (config.isErr) return config.cast<Response>();
  let policy = new Policy();
  const p = msg.get("policy");
  if (p !== null && !p.isNull) {
    const applied = applySetPolicy(p, policy);
    if (applied.isErr) return applied.cast<Response>();
    policy = applied.value;
  }
  let roots = new Roots();
  const r = msg.get("roots");
  if (r !== null && !r.isNull) {
    const applied = applySetRoots(r, roots);
    if (applied.isErr) return applied.cast<Response>();
    roots = applied.value;
  }
  c.save();
  policy.save();
  roots.save();
  const e = event("instantiate", info.sender).add("governance", c.governance).add("contract", env.contractAddress)
    .add("policy_version", policy.version.toString()).add("roots_version", roots.version.toString());
  return respond(e);
}

// ---------------------------------------------------------------------------------------------------
// Config and governance transfer

const CONFIG_KEYS: StaticArray<string> = ["paused", "max_gpus"];

export function updateConfig(info: MessageInfo, body: JsonValue, c: Config): Result<Response> {
  const known = onlyKeys(body, CONFIG_KEYS, "update_config");
  if (known.isErr) return known.cast<Response>();
  const applied = applyConfig(body, c);
  if (applied.isErr) return applied.cast<Response>();
  c.save();
  return respond(event("update_config", info.sender).add("paused", c.paused ? "true" : "false").add("max_gpus", c.maxGpus.toString()));
}

export function transferGovernance(info: MessageInfo, body: JsonValue, c: Config): Result<Response> {
  const known = onlyKeys(body, [ "governance" ], "transfer_governance");
  if (known.isErr) return known.cast<Response>();
  const v = body.get("governance");
  const next: string | null = v === null ? null : v.asString();
  if (next === null) return fail<Response>(RegistryError.InvalidMessage, "transfer_governance.governance must be an address");
  const valid = api.addrValidate(next);
  if (valid.isErr) return fail<Response>(RegistryError.InvalidAddress, changetype<string>(valid.error));
  const previous = c.governance;
  c.governance = next;
  c.save();
  return respond(event("transfer_governance", info.sender).add("previous", previous).add("governance", next));
}

// ---------------------------------------------------------------------------------------------------
// Roots and policy

export function setRoots(info: MessageInfo, body: JsonValue): Result<Response> {
  const applied = applySetRoots(body, Roots.load());
  if (applied.isErr) return applied.cast<Response>();
  const roots = applied.value;
  roots.save();
  const e = event("set_roots", info.sender).add("roots_version", roots.version.toString())
    .add("intel", roots.intel === null ? "vendor" : "custom").add("nvidia", roots.nvidia === null ? "vendor" : "custom")
    .add("amd_milan", roots.milan === null ? "vendor" : "custom").add("amd_genoa", roots.genoa === null ? "vendor" : "custom")
    .add("amd_turin", roots.turin === null ? "vendor" : "custom");
  return respond(e);
}

export function setPolicy(info: MessageInfo, body: JsonValue): Result<Response> {
  const applied = applySetPolicy(body, Policy.load());
  if (applied.isErr) return applied.cast<Response>();
  const policy = applied.value;
  policy.save();
  const w = new JsonWriter();
  policy.write(w);
  return respond(event("set_policy", info.sender).add("policy_version", policy.version.toString()).add("policy", w.toString()));
}

// ---------------------------------------------------------------------------------------------------
// Releases

export function addRelease(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const parsed = parseRelease(body);
  if (parsed.isErr) return parsed.cast<Response>();
  const r = parsed.value;
  if (RELEASES.getStr(r.id) !== null) return fail<Response>(RegistryError.ReleaseExists, "release " + r.id + " exists (ids are never reused)");
  r.addedAt = env.block.height;
  r.save();
  RELEASE_INDEX.set(releaseIndexSuffix(r), utf8("1")); // never empty: hosts refuse empty values
  const e = event("add_release", info.sender).add("id", r.id).add("tee", r.tee).add(r.tee == "tdx" ? "mrtd" : "measurement", r.primary())
    .add("gpu_golden", r.gpuGolden.length > 0 ? "yes" : "no").add("expires_at", r.expiresAt.toString());
  return respond(e);
}

/** Key of (indexKey, id) in RELEASE_INDEX, relative to the map prefix. */
function releaseIndexSuffix(r: Release): Uint8Array {
  const full = RELEASE_INDEX.keyOf2(utf8(r.indexKey()), utf8(r.id));
  return full.slice(RELEASE_INDEX.prefix.length);
}

export function revokeRelease(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const known = onlyKeys(body, [ "id" ], "revoke_release");
  if (known.isErr) return known.cast<Response>();
  const v = body.get("id");
  const id: string | null = v === null ? null : v.asString();
  if (id === null) return fail<Response>(RegistryError.InvalidMessage, "revoke_release.id must be a string");
  const r = Release.load(id);
  if (r === null) return fail<Response>(RegistryError.ReleaseNotFound, "no release " + id);
  if (r.revoked) return fail<Response>(RegistryError.ReleaseRevoked, "release " + id + " is already revoked");
  r.revoked = true;
  r.revokedAt = env.block.height;
  r.save();
  return respond(event("revoke_release", info.sender).add("id", id));
}

// ---------------------------------------------------------------------------------------------------
// Exclusions

export function exclude(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const parsed = parseExclusion(body, true);
  if (parsed.isErr) return parsed.cast<Response>();
  const x = parsed.value;
  const key = exclusionKey(x.kind, x.value);
  if (EXCLUSIONS.getStr(key) !== null) return fail<Response>(RegistryError.AlreadyExcluded, key + " is already excluded");
  const w = new JsonWriter();
  w.beginObject().fieldString("kind", x.kind).fieldString("value", x.value).fieldString("reason", x.reason).fieldU64("height", env.block.height).endObject();
  EXCLUSIONS.setStr(key, w.toBytes());
  countExclusion(1);
  return respond(event("exclude", info.sender).add("kind", x.kind).add("value", x.value).add("reason", x.reason));
}

export function unexclude(info: MessageInfo, body: JsonValue): Result<Response> {
  const parsed = parseExclusion(body, false);
  if (parsed.isErr) return parsed.cast<Response>();
  const x = parsed.value;
  const key = exclusionKey(x.kind, x.value);
  if (EXCLUSIONS.getStr(key) === null) return fail<Response>(RegistryError.NotExcluded, key + " is not excluded");
  EXCLUSIONS.removeStr(key);
  countExclusion(-1);
  return respond(event("unexclude", info.sender).add("kind", x.kind).add("value", x.value));
}

/** Reason stored with an exclusion ("" when none). */
export function exclusionReason(kind: string, value: string): string {
  const v = loadJson(EXCLUSIONS.getStr(exclusionKey(kind, value)));
  return v === null ? "" : jstr(v, "reason");
}
