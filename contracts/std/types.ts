// The host's input types (cosmwasm-std serde JSON): Env, MessageInfo, Coin. Parsed strictly; anything
// missing or ill-typed is an error result, never a trap. Unknown extra fields are ignored because newer
// hosts add fields (e.g. transaction.hash in 3.0).
import { JsonValue, parseJson, jsonError } from "../../assembly/encoding/json";
import { Result } from "./result";
import { Uint128 } from "./uint128";

export class Coin {
  constructor(public denom: string, public amount: Uint128) {}
}

export class BlockInfo {
  height: u64 = 0;
  /** Nanoseconds since the Unix epoch (a decimal string on the wire). */
  timeNanos: u64 = 0;
  chainId: string = "";
  get timeSeconds(): u64 { return this.timeNanos / 1_000_000_000; }
}

export class Env {
  block: BlockInfo = new BlockInfo();
  contractAddress: string = "";
  /** Index of the transaction in the block; -1 when the host sent none (queries, some simulators). */
  transactionIndex: i64 = -1;
}

export class MessageInfo {
  sender: string = "";
  funds: Array<Coin> = [];

  /** Total amount sent in `denom` (zero when none). */
  amountOf(denom: string): Uint128 {
    for (let i = 0; i < this.funds.length; i++) if (this.funds[i].denom == denom) return this.funds[i].amount;
    return Uint128.zero();
  }
}

export function parseJsonInput(bytes: Uint8Array, what: string): Result<JsonValue> {
  const value = parseJson(bytes);
  if (value === null) return Result.err<JsonValue>("invalid " + what + " JSON: " + jsonError);
  return Result.ok<JsonValue>(value);
}

/** A required string member. */
export function requireString(obj: JsonValue, key: string, what: string): Result<string> {
  const v = obj.get(key);
  if (v === null || !v.isString) return Result.err<string>(what + "." + key + " must be a string");
  return Result.ok<string>(changetype<string>(v.asString()));
}

export function parseEnv(bytes: Uint8Array): Result<Env> {
  const parsed = parseJsonInput(bytes, "env");
  if (parsed.isErr) return parsed.cast<Env>();
  const root = parsed.value;
  const block = root.get("block");
  if (block === null || !block.isObject) return Result.err<Env>("env.block missing");
  const env = new Env();
  const height = block.get("height");
  if (height === null) return Result.err<Env>("env.block.height missing");
  const h = height.asU64();
  if (!h.ok) return Result.err<Env>("env.block.height invalid");
  env.block.height = h.value;
  const time = block.get("time");
  if (time === null) return Result.err<Env>("env.block.time missing");
  const t = time.asU64();
  if (!t.ok) return Result.err<Env>("env.block.time invalid");
  env.block.timeNanos = t.value;
  const chainId = requireString(block, "chain_id", "env.block");
  if (chainId.isErr) return chainId.cast<Env>();
  env.block.chainId = chainId.value;
  const contract = root.get("contract");
  if (contract === null || !contract.isObject) return Result.err<Env>("env.contract missing");
  const address = requireString(contract, "address", "env.contract");
  if (address.isErr) return address.cast<Env>();
  env.contractAddress = address.value;
  const tx = root.get("transaction");
  if (tx !== null && tx.isObject) {
    const index = tx.get("index");
    if (index !== null) {
      const i = index.asU64();
      if (i.ok) env.transactionIndex = <i64>i.value;
    }
  }
  return Result.ok<Env>(env);
}

export function parseCoin(v: JsonValue, what: string): Result<Coin> {
  if (!v.isObject) return Result.err<Coin>(what + " must be an object");
  const denom = requireString(v, "denom", what);
  if (denom.isErr) return denom.cast<Coin>();
  const amountText = requireString(v, "amount", what);
  if (amountText.isErr) return amountText.cast<Coin>();
  const amount = Uint128.parse(amountText.value);
  if (amount === null) return Result.err<Coin>(what + ".amount is not a Uint128");
  return Result.ok<Coin>(new Coin(denom.value, amount));
}

export function parseMessageInfo(bytes: Uint8Array): Result<MessageInfo> {
  const parsed = parseJsonInput(bytes, "info");
  if (parsed.isErr) return parsed.cast<MessageInfo>();
  const root = parsed.value;
  const info = new MessageInfo();
  const sender = requireString(root, "sender", "info");
  if (sender.isErr) return sender.cast<MessageInfo>();
  info.sender = sender.value;
  const funds = root.get("funds");
  if (funds !== null && !funds.isNull) {
    if (!funds.isArray) return Result.err<MessageInfo>("info.funds must be an array");
    for (let i = 0; i < funds.length; i++) {
      const coin = parseCoin(funds.items[i], "info.funds[" + i.toString() + "]");
      if (coin.isErr) return coin.cast<MessageInfo>();
      info.funds.push(coin.value);
    }
  }
  return Result.ok<MessageInfo>(info);
}
