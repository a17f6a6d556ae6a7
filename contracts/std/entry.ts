// Entry-point plumbing shared by every contract: read the host's Regions, parse Env / MessageInfo / the
// message, run the handler, and write the result envelope ({"ok": Response} / {"error": "…"}; queries
// return {"ok": "<base64 of the response JSON>"}). Malformed host or user JSON becomes an error result.
import { readRegion, toRegion, allocateRegion, freeRegion } from "./region";
import { Env, MessageInfo, parseEnv, parseMessageInfo, parseJsonInput } from "./types";
import { Response } from "./response";
import { Result } from "./result";
import { JsonValue } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { base64Encode } from "../../assembly/encoding/base64";
// Pulls the abort adapter into every contract so `--use abort=assembly/abort/contractAbort` resolves.
import "../../assembly/abort";

export type ExecuteHandler = (env: Env, info: MessageInfo, msg: JsonValue) => Result<Response>;
export type QueryHandler = (env: Env, msg: JsonValue) => Result<Uint8Array>;
export type MigrateHandler = (env: Env, msg: JsonValue) => Result<Response>;

function errorEnvelope(message: string): usize {
  const w = new JsonWriter();
  w.beginObject().fieldString("error", message).endObject();
  return toRegion(w.toBytes());
}

function responseEnvelope(result: Result<Response>): usize {
  if (result.isErr) return errorEnvelope(changetype<string>(result.error));
  const w = new JsonWriter();
  w.beginObject().key("ok");
  result.value.writeJson(w);
  w.endObject();
  return toRegion(w.toBytes());
}

/** instantiate / execute / sudo-style calls: (env, info, msg) -> {"ok": Response}. */
export function handleWithInfo(envPtr: u32, infoPtr: u32, msgPtr: u32, handler: ExecuteHandler): u32 {
  const env = parseEnv(readRegion(<usize>envPtr));
  if (env.isErr) return <u32>errorEnvelope(changetype<string>(env.error));
  const info = parseMessageInfo(readRegion(<usize>infoPtr));
  if (info.isErr) return <u32>errorEnvelope(changetype<string>(info.error));
  const msg = parseJsonInput(readRegion(<usize>msgPtr), "message");
  if (msg.isErr) return <u32>errorEnvelope(changetype<string>(msg.error));
  return <u32>responseEnvelope(handler(env.value, info.value, msg.value));
}

/** migrate / sudo / reply: (env, msg) -> {"ok": Response}. */
export function handleWithoutInfo(envPtr: u32, msgPtr: u32, handler: MigrateHandler): u32 {
  const env = parseEnv(readRegion(<usize>envPtr));
  if (env.isErr) return <u32>errorEnvelope(changetype<string>(env.error));
  const msg = parseJsonInput(readRegion(<usize>msgPtr), "message");
  if (msg.isErr) return <u32>errorEnvelope(changetype<string>(msg.error));
  return <u32>responseEnvelope(handler(env.value, msg.value));
}

/** query: (env, msg) -> {"ok": "<base64 response>"}. */
export function handleQuery(envPtr: u32, msgPtr: u32, handler: QueryHandler): u32 {
  const env = parseEnv(readRegion(<usize>envPtr));
  if (env.isErr) return <u32>errorEnvelope(changetype<string>(env.error));
  const msg = parseJsonInput(readRegion(<usize>msgPtr), "query");
  if (msg.isErr) return <u32>errorEnvelope(changetype<string>(msg.error));
  const result = handler(env.value, msg.value);
  if (result.isErr) return <u32>errorEnvelope(changetype<string>(result.error));
  const w = new JsonWriter();
  w.beginObject().fieldString("ok", base64Encode(result.value)).endObject();
  return <u32>toRegion(w.toBytes());
}

/** The single-variant dispatch convention of cosmwasm-std enums: {"variant": {...}}. Returns the
 * variant name, or an empty string when the message is not an object with exactly one member. */
export function variantOf(msg: JsonValue): string {
  if (!msg.isObject || msg.keys.length != 1) return "";
  return msg.keys[0];
}

export function variantBody(msg: JsonValue): JsonValue {
  return msg.items[0];
}

// The two allocation exports every CosmWasm module must have. Re-export them from each contract.
export function allocate(size: u32): u32 { return <u32>allocateRegion(size); }
export function deallocate(pointer: u32): void { freeRegion(<usize>pointer); }
// Marker export: this module speaks CosmWasm's interface version 8 (unchanged from 1.0 to 3.x).
export function interface_version_8(): void {}
