// Test contract for the P-256 backend switch inside a real CosmWasm module: each execute picks the
// backend ("host": contracts/std/p256-host.ts -> the chain's secp256r1_verify; "wasm": the pure-Wasm
// verifier) and then runs either one p256VerifyDigest or a whole TDX quote verification, whose P-256
// checks all go through that switch. tests/p256-host-contract.test.ts counts the host calls and prices
// both ways on the embedded chain.
import { handleWithInfo, handleQuery, variantOf, variantBody } from "../../../contracts/std/entry";
export { allocate, deallocate, interface_version_8 } from "../../../contracts/std/entry";
import { Env, MessageInfo, requireString } from "../../../contracts/std/types";
import { Response } from "../../../contracts/std/response";
import { Result } from "../../../contracts/std/result";
import { useHostP256, useWasmP256 } from "../../../contracts/std/p256-host";
import { p256VerifyDigest, p256UsesHost } from "../../../assembly/crypto/p256-backend";
import { verifyTdx } from "../../../assembly/tdx/api";
import { JsonValue, JsonKind, parseJson } from "../../../assembly/encoding/json";
import { base64Decode } from "../../../assembly/encoding/base64";
import { utf8 } from "../../../assembly/encoding/bytes";

function b64(body: JsonValue, key: string): Result<Uint8Array> {
  const s = requireString(body, key, "msg");
  if (s.isErr) return s.cast<Uint8Array>();
  const bytes = base64Decode(s.value);
  if (bytes === null) return Result.err<Uint8Array>("msg." + key + " is not base64");
  return Result.ok<Uint8Array>(bytes);
}

function selectBackend(body: JsonValue): Result<string> {
  const backend = requireString(body, "backend", "msg");
  if (backend.isErr) return backend;
  if (backend.value == "host") useHostP256();
  else if (backend.value == "wasm") useWasmP256();
  else return Result.err<string>("msg.backend must be \"host\" or \"wasm\"");
  return backend;
}

function doInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

function doExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const variant = variantOf(msg);
  const body = variantBody(msg);
  const backend = selectBackend(body);
  if (backend.isErr) return backend.cast<Response>();
  const response = new Response().addAttribute("backend", p256UsesHost() ? "host" : "wasm");
  if (variant == "verify_p256") {
    const digest = b64(body, "digest"); if (digest.isErr) return digest.cast<Response>();
    const signature = b64(body, "signature"); if (signature.isErr) return signature.cast<Response>();
    const pubkey = b64(body, "pubkey"); if (pubkey.isErr) return pubkey.cast<Response>();
    return Result.ok<Response>(response.addAttribute("valid", p256VerifyDigest(digest.value, signature.value, pubkey.value) ? "true" : "false"));
  }
  if (variant == "verify_tdx") {
    const quote = b64(body, "quote"); if (quote.isErr) return quote.cast<Response>();
    const collateral = requireString(body, "collateral", "msg"); if (collateral.isErr) return collateral.cast<Response>();
    const at = body.get("at");
    if (at === null || !at.asU64().ok) return Result.err<Response>("msg.at missing");
    const policy = requireString(body, "policy", "msg"); if (policy.isErr) return policy.cast<Response>();
    const verdict = verifyTdx(quote.value, utf8(collateral.value), new Uint8Array(0), <i64>at.asU64().value, utf8(policy.value), false);
    const parsed = parseJson(verdict);
    const okField = parsed !== null ? parsed.get("ok") : null;
    const ok = okField !== null && okField.kind == JsonKind.Bool && okField.boolValue;
    return Result.ok<Response>(response.addAttribute("ok", ok ? "true" : "false").addAttribute("verdict", String.UTF8.decode(verdict.buffer)));
  }
  return Result.err<Response>("unknown message " + variant);
}

function doQuery(env: Env, msg: JsonValue): Result<Uint8Array> {
  return Result.err<Uint8Array>("no queries");
}

export function instantiate(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doInstantiate); }
export function execute(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doExecute); }
export function query(env: u32, msg: u32): u32 { return handleQuery(env, msg, doQuery); }
