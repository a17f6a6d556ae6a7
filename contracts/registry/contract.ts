// The node registry contract (DESIGN.md §5): entry points and message dispatch only (cw-plus layout:
// msg.ts parses, state.ts stores, error.ts names the failures). Governance handlers are in governance.ts,
// the on-chain PCCS in collateral.ts, registration in register.ts (appraisal in appraise.ts), query-time
// trust in trust.ts, queries in queries.ts. The message list is in msg.ts's header.
//
// P-256 runs on the chain's secp256r1_verify when the policy says "host" (CosmWasm >= 2.1), in pure Wasm
// otherwise; the choice is made at the top of every call that may verify a signature.
import { handleWithInfo, handleWithoutInfo, handleQuery, variantOf, variantBody } from "../std/entry";
export { allocate, deallocate, interface_version_8 } from "../std/entry";
import { Env, MessageInfo } from "../std/types";
import { Response } from "../std/response";
import { Result } from "../std/result";
import { useHostP256, useWasmP256 } from "../std/p256-host";
import { JsonValue } from "../../assembly/encoding/json";
import { RegistryError, fail } from "./error";
import { Config, Policy } from "./state";
import * as gov from "./governance";
import { submitCollateral } from "./collateral";
import { beginRegistration, registerNode, deregisterNode } from "./register";
import * as q from "./queries";

function selectP256Backend(): void {
  if (Policy.load().p256Backend == "host") useHostP256(); else useWasmP256();
}

function doInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  return gov.instantiate(env, info, msg);
}

function governanceExecute(env: Env, info: MessageInfo, variant: string, body: JsonValue, config: Config): Result<Response> {
  const authorised = gov.requireGovernance(config, info.sender);
  if (authorised.isErr) return authorised.cast<Response>();
  if (variant == "update_config") return gov.updateConfig(info, body, config);
  if (variant == "transfer_governance") return gov.transferGovernance(info, body, config);
  if (variant == "set_roots") return gov.setRoots(info, body);
  if (variant == "set_policy") return gov.setPolicy(info, body);
  if (variant == "add_release") return gov.addRelease(env, info, body);
  if (variant == "revoke_release") return gov.revokeRelease(env, info, body);
  if (variant == "exclude") return gov.exclude(env, info, body);
  return gov.unexclude(info, body);
}

const GOVERNANCE_MESSAGES: StaticArray<string> = [
  "update_config", "transfer_governance", "set_roots", "set_policy", "add_release", "revoke_release", "exclude", "unexclude",
];

function doExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const variant = variantOf(msg);
  if (variant.length == 0) return fail<Response>(RegistryError.UnknownMessage, "execute message must be {\"<variant>\": {…}}");
  const body = variantBody(msg);
  const config = Config.load();
  if (GOVERNANCE_MESSAGES.includes(variant)) return governanceExecute(env, info, variant, body, config);
  if (variant == "begin_registration") return beginRegistration(env, info, body, config);
  if (variant == "deregister_node") return deregisterNode(info, body, config);
  selectP256Backend();
  if (variant == "submit_collateral") return submitCollateral(env, info, body);
  if (variant == "register_node") return registerNode(env, info, body, config);
  return fail<Response>(RegistryError.UnknownMessage, "unknown execute message \"" + variant + "\"");
}

function doQuery(env: Env, msg: JsonValue): Result<Uint8Array> {
  const variant = variantOf(msg);
  if (variant.length == 0) return fail<Uint8Array>(RegistryError.UnknownMessage, "query must be {\"<variant>\": {…}}");
  const body = variantBody(msg);
  if (variant == "config") return q.queryConfig();
  if (variant == "policy") return q.queryPolicy();
  if (variant == "roots") return q.queryRoots();
  if (variant == "release") return q.queryRelease(body);
  if (variant == "releases") return q.queryReleases(body);
  if (variant == "exclusions") return q.queryExclusions(body);
  if (variant == "collateral") return q.queryCollateralList(body);
  if (variant == "tdx_collateral") return q.queryTdxCollateralBundle(body);
  if (variant == "challenge") return q.queryChallenge(env, body);
  if (variant == "binding") return q.queryBinding(env, body);
  selectP256Backend();
  if (variant == "node") return q.queryNode(env, body);
  if (variant == "nodes") return q.queryNodes(env, body);
  if (variant == "verify_evidence") return q.queryVerifyEvidence(env, body);
  return fail<Uint8Array>(RegistryError.UnknownMessage, "unknown query \"" + variant + "\"");
}

function doMigrate(env: Env, msg: JsonValue): Result<Response> {
  return Result.ok<Response>(new Response().addAttribute("action", "migrate"));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doInstantiate); }
export function execute(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doExecute); }
export function query(env: u32, msg: u32): u32 { return handleQuery(env, msg, doQuery); }
export function migrate(env: u32, msg: u32): u32 { return handleWithoutInfo(env, msg, doMigrate); }
