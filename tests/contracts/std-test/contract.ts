// Test contract for contracts/std: every host import and every entry point is reachable through a
// message, so tests/std-contract.test.ts can exercise the whole ABI on the embedded chain.
import {
  handleWithInfo, handleWithoutInfo, handleQuery, variantOf, variantBody,
} from "../../../contracts/std/entry";
export { allocate, deallocate, interface_version_8 } from "../../../contracts/std/entry";
import { Env, MessageInfo, Coin, requireString } from "../../../contracts/std/types";
import { Response, CosmosMsg, Event, SubMsg, ReplyOn } from "../../../contracts/std/response";
import { Result } from "../../../contracts/std/result";
import { Item, StorageMap, pageLimit } from "../../../contracts/std/storage";
import * as api from "../../../contracts/std/api";
import { Uint128 } from "../../../contracts/std/uint128";
import { JsonValue } from "../../../assembly/encoding/json";
import { JsonWriter } from "../../../assembly/encoding/json-writer";
import { base64Decode } from "../../../assembly/encoding/base64";
import { hexEncode } from "../../../assembly/encoding/hex";
import { utf8 } from "../../../assembly/encoding/bytes";

const OWNER = new Item("owner");
const VALUES = new StorageMap("values");

function str(body: JsonValue, key: string): Result<string> { return requireString(body, key, "msg"); }

function b64(body: JsonValue, key: string): Result<Uint8Array> {
  const s = str(body, key);
  if (s.isErr) return s.cast<Uint8Array>();
  const bytes = base64Decode(s.value);
  if (bytes === null) return Result.err<Uint8Array>("msg." + key + " is not base64");
  return Result.ok<Uint8Array>(bytes);
}

function doInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  let owner = info.sender;
  const ownerField = msg.get("owner");
  if (ownerField !== null && ownerField.isString) owner = changetype<string>(ownerField.asString());
  const valid = api.addrValidate(owner);
  if (valid.isErr) return valid.cast<Response>();
  OWNER.saveString(owner);
  return Result.ok<Response>(new Response()
    .addAttribute("action", "instantiate")
    .addAttribute("owner", owner)
    .addAttribute("height", env.block.height.toString())
    .addAttribute("contract", env.contractAddress));
}

function verifyWith(kind: string, body: JsonValue): Result<Response> {
  const a = b64(body, kind == "ed25519" ? "message" : "hash");
  if (a.isErr) return a.cast<Response>();
  const sig = b64(body, "signature");
  if (sig.isErr) return sig.cast<Response>();
  const pk = b64(body, "pubkey");
  if (pk.isErr) return pk.cast<Response>();
  let code: u32 = 0;
  if (kind == "secp256r1") code = api.secp256r1Verify(a.value, sig.value, pk.value);
  else if (kind == "secp256k1") code = api.secp256k1Verify(a.value, sig.value, pk.value);
  else code = api.ed25519Verify(a.value, sig.value, pk.value);
  return Result.ok<Response>(new Response().addAttribute("verify", kind).addAttribute("code", code.toString()));
}

function doExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const variant = variantOf(msg);
  if (variant.length == 0) return Result.err<Response>("unknown message");
  const body = variantBody(msg);
  if (variant == "set") {
    const key = str(body, "key");
    if (key.isErr) return key.cast<Response>();
    const value = str(body, "value");
    if (value.isErr) return value.cast<Response>();
    VALUES.setStr(key.value, utf8(value.value));
    return Result.ok<Response>(new Response().addEvent(new Event("std_test.set").add("key", key.value)));
  }
  if (variant == "remove") {
    const key = str(body, "key");
    if (key.isErr) return key.cast<Response>();
    VALUES.removeStr(key.value);
    return Result.ok<Response>(new Response().addAttribute("removed", key.value));
  }
  if (variant == "send") {
    const to = str(body, "to");
    if (to.isErr) return to.cast<Response>();
    const valid = api.addrValidate(to.value);
    if (valid.isErr) return valid.cast<Response>();
    const denom = str(body, "denom");
    if (denom.isErr) return denom.cast<Response>();
    const amountText = str(body, "amount");
    if (amountText.isErr) return amountText.cast<Response>();
    const amount = Uint128.parse(amountText.value);
    if (amount === null || amount.isZero()) return Result.err<Response>("amount must be a positive Uint128");
    const coins: Coin[] = [new Coin(denom.value, amount)];
    return Result.ok<Response>(new Response().addMessage(CosmosMsg.bankSend(to.value, coins)).addAttribute("sent", amount.toString()));
  }
  if (variant == "send_with_reply") {
    const to = str(body, "to");
    if (to.isErr) return to.cast<Response>();
    const coins: Coin[] = [new Coin("ustake", Uint128.fromU64(1))];
    return Result.ok<Response>(new Response().addSubMessage(new SubMsg(7, CosmosMsg.bankSend(to.value, coins), ReplyOn.Always)));
  }
  if (variant == "funds") {
    const denom = str(body, "denom");
    if (denom.isErr) return denom.cast<Response>();
    return Result.ok<Response>(new Response().addAttribute("received", info.amountOf(denom.value).toString()).addAttribute("sender", info.sender));
  }
  if (variant == "verify_secp256r1") return verifyWith("secp256r1", body);
  if (variant == "verify_secp256k1") return verifyWith("secp256k1", body);
  if (variant == "verify_ed25519") return verifyWith("ed25519", body);
  if (variant == "recover_secp256k1") {
    const hash = b64(body, "hash");
    if (hash.isErr) return hash.cast<Response>();
    const sig = b64(body, "signature");
    if (sig.isErr) return sig.cast<Response>();
    const param = body.get("recovery_param");
    if (param === null || !param.asU64().ok) return Result.err<Response>("msg.recovery_param missing");
    const pk = api.secp256k1RecoverPubkey(hash.value, sig.value, <u32>param.asU64().value);
    if (pk.isErr) return pk.cast<Response>();
    return Result.ok<Response>(new Response().addAttribute("pubkey", hexEncode(pk.value)));
  }
  if (variant == "recover_secp256r1") {
    const hash = b64(body, "hash");
    if (hash.isErr) return hash.cast<Response>();
    const sig = b64(body, "signature");
    if (sig.isErr) return sig.cast<Response>();
    const param = body.get("recovery_param");
    if (param === null || !param.asU64().ok) return Result.err<Response>("msg.recovery_param missing");
    const pk = api.secp256r1RecoverPubkey(hash.value, sig.value, <u32>param.asU64().value);
    if (pk.isErr) return pk.cast<Response>();
    return Result.ok<Response>(new Response().addAttribute("pubkey", hexEncode(pk.value)));
  }
  if (variant == "batch_verify_ed25519") {
    const items = body.get("items");
    if (items === null || !items.isArray) return Result.err<Response>("msg.items must be an array");
    const messages = new Array<Uint8Array>(), signatures = new Array<Uint8Array>(), pubkeys = new Array<Uint8Array>();
    for (let i = 0; i < items.length; i++) {
      const m = b64(items.items[i], "message"); if (m.isErr) return m.cast<Response>();
      const s = b64(items.items[i], "signature"); if (s.isErr) return s.cast<Response>();
      const k = b64(items.items[i], "pubkey"); if (k.isErr) return k.cast<Response>();
      messages.push(m.value); signatures.push(s.value); pubkeys.push(k.value);
    }
    return Result.ok<Response>(new Response().addAttribute("code", api.ed25519BatchVerify(messages, signatures, pubkeys).toString()));
  }
  if (variant == "canonicalize") {
    const address = str(body, "address");
    if (address.isErr) return address.cast<Response>();
    const canonical = api.addrCanonicalize(address.value);
    if (canonical.isErr) return canonical.cast<Response>();
    const human = api.addrHumanize(canonical.value);
    if (human.isErr) return human.cast<Response>();
    return Result.ok<Response>(new Response().addAttribute("canonical", hexEncode(canonical.value)).addAttribute("human", human.value));
  }
  if (variant == "debug") {
    const message = str(body, "message");
    if (message.isErr) return message.cast<Response>();
    api.debugPrint(message.value);
    return Result.ok<Response>(new Response());
  }
  if (variant == "balance") {
    const address = str(body, "address");
    if (address.isErr) return address.cast<Response>();
    const denom = str(body, "denom");
    if (denom.isErr) return denom.cast<Response>();
    const w = new JsonWriter();
    w.beginObject().key("bank").beginObject().key("balance").beginObject()
      .fieldString("address", address.value).fieldString("denom", denom.value).endObject().endObject().endObject();
    const response = api.queryChain(w.toString());
    if (response.isErr) return response.cast<Response>();
    const amount = response.value.get("amount");
    if (amount === null) return Result.err<Response>("balance response without amount");
    const value = amount.get("amount");
    if (value === null || !value.isString) return Result.err<Response>("balance response without amount.amount");
    return Result.ok<Response>(new Response().addAttribute("balance", changetype<string>(value.asString())));
  }
  if (variant == "set_data") {
    return Result.ok<Response>(new Response().setData(utf8("hello")));
  }
  if (variant == "fail") {
    const reason = str(body, "reason");
    return Result.err<Response>(reason.isOk ? reason.value : "failed");
  }
  if (variant == "boom") {
    // An AssemblyScript assertion failure goes through the custom abort into env.abort.
    assert(false, "boom requested");
    return Result.err<Response>("unreachable");
  }
  if (variant == "out_of_bounds") {
    const empty = new Uint8Array(0);
    return Result.ok<Response>(new Response().addAttribute("byte", empty[3].toString()));
  }
  return Result.err<Response>("unknown message " + variant);
}

function doQuery(env: Env, msg: JsonValue): Result<Uint8Array> {
  const variant = variantOf(msg);
  const body = variant.length > 0 ? variantBody(msg) : msg;
  const w = new JsonWriter();
  if (variant == "owner") {
    const owner = OWNER.loadString();
    w.beginObject();
    if (owner === null) w.fieldNull("owner"); else w.fieldString("owner", owner);
    w.endObject();
    return Result.ok<Uint8Array>(w.toBytes());
  }
  if (variant == "get") {
    const key = str(body, "key");
    if (key.isErr) return key.cast<Uint8Array>();
    const value = VALUES.getStr(key.value);
    w.beginObject();
    if (value === null) w.fieldNull("value"); else w.fieldString("value", String.UTF8.decode(value.buffer));
    w.endObject();
    return Result.ok<Uint8Array>(w.toBytes());
  }
  if (variant == "list") {
    const startAfterField = body.get("start_after");
    let startAfter: Uint8Array | null = null;
    if (startAfterField !== null && startAfterField.isString) startAfter = utf8(changetype<string>(startAfterField.asString()));
    const limitField = body.get("limit");
    const limit = pageLimit(limitField !== null && limitField.asU64().ok ? <i64>limitField.asU64().value : 0);
    const descending = body.get("descending");
    const records = VALUES.page(startAfter, limit, descending !== null && descending.boolValue ? 2 : 1);
    w.beginObject().key("entries").beginArray();
    for (let i = 0; i < records.length; i++) {
      w.beginArray().string(String.UTF8.decode(records[i].key.buffer)).string(String.UTF8.decode(records[i].value.buffer)).endArray();
    }
    w.endArray().endObject();
    return Result.ok<Uint8Array>(w.toBytes());
  }
  if (variant == "keys") {
    const keys = VALUES.keys(pageLimit(0));
    const values = VALUES.values(pageLimit(0));
    w.beginObject().key("keys").beginArray();
    for (let i = 0; i < keys.length; i++) w.string(String.UTF8.decode(keys[i].buffer));
    w.endArray().key("values").beginArray();
    for (let i = 0; i < values.length; i++) w.string(String.UTF8.decode(values[i].buffer));
    w.endArray().endObject();
    return Result.ok<Uint8Array>(w.toBytes());
  }
  if (variant == "env") {
    w.beginObject().fieldU64("height", env.block.height).fieldString("time", env.block.timeNanos.toString())
      .fieldString("chain_id", env.block.chainId).fieldString("contract", env.contractAddress).endObject();
    return Result.ok<Uint8Array>(w.toBytes());
  }
  if (variant == "write_in_query") {
    // db_write during a query traps on a real chain; the test checks the host refuses it.
    VALUES.setStr("query", utf8("nope"));
    return Result.ok<Uint8Array>(utf8("{}"));
  }
  return Result.err<Uint8Array>("unknown query");
}

function doMigrate(env: Env, msg: JsonValue): Result<Response> {
  return Result.ok<Response>(new Response().addAttribute("action", "migrate").addAttribute("height", env.block.height.toString()));
}

function doReply(env: Env, msg: JsonValue): Result<Response> {
  const id = msg.get("id");
  if (id === null || !id.asU64().ok) return Result.err<Response>("reply without id");
  const result = msg.get("result");
  const outcome = result !== null && result.has("ok") ? "ok" : "error";
  return Result.ok<Response>(new Response().addAttribute("reply_id", id.asU64().value.toString()).addAttribute("reply", outcome));
}

function doSudo(env: Env, msg: JsonValue): Result<Response> {
  return Result.ok<Response>(new Response().addAttribute("action", "sudo").addAttribute("variant", variantOf(msg)));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doInstantiate); }
export function execute(env: u32, info: u32, msg: u32): u32 { return handleWithInfo(env, info, msg, doExecute); }
export function query(env: u32, msg: u32): u32 { return handleQuery(env, msg, doQuery); }
export function migrate(env: u32, msg: u32): u32 { return handleWithoutInfo(env, msg, doMigrate); }
export function reply(env: u32, msg: u32): u32 { return handleWithoutInfo(env, msg, doReply); }
export function sudo(env: u32, msg: u32): u32 { return handleWithoutInfo(env, msg, doSudo); }
