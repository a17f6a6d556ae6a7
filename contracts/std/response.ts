// Response and CosmosMsg builders, serialised as cosmwasm-std's serde JSON:
//   {"messages":[SubMsg],"attributes":[{key,value}],"events":[{type,attributes}],"data":null|"<b64>"}
// SubMsg always carries `reply_on` (wasmvm's Go side treats a missing value as invalid).
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { base64Encode } from "../../assembly/encoding/base64";
import { Coin } from "./types";

export class Attribute {
  constructor(public key: string, public value: string) {}
}

export class Event {
  attributes: Array<Attribute> = [];
  constructor(public type: string) {}
  add(key: string, value: string): Event { this.attributes.push(new Attribute(key, value)); return this; }
}

export const enum ReplyOn { Never = 0, Success = 1, Error = 2, Always = 3 }

function replyOnName(r: ReplyOn): string {
  if (r == ReplyOn.Success) return "success";
  if (r == ReplyOn.Error) return "error";
  if (r == ReplyOn.Always) return "always";
  return "never";
}

/** A CosmosMsg, held as its JSON (built by the helpers below). */
export class CosmosMsg {
  constructor(public json: string) {}

  /** BankMsg::Send. Zero-amount coins are refused on chain, so callers must not pass them. */
  static bankSend(toAddress: string, amount: Array<Coin>): CosmosMsg {
    const w = new JsonWriter();
    w.beginObject().key("bank").beginObject().key("send").beginObject();
    w.fieldString("to_address", toAddress);
    w.key("amount");
    writeCoins(w, amount);
    w.endObject().endObject().endObject();
    return new CosmosMsg(w.toString());
  }

  /** WasmMsg::Execute with a JSON message (sent base64-encoded, as cosmwasm-std does). */
  static wasmExecute(contractAddress: string, msgJson: string, funds: Array<Coin>): CosmosMsg {
    const w = new JsonWriter();
    w.beginObject().key("wasm").beginObject().key("execute").beginObject();
    w.fieldString("contract_addr", contractAddress);
    w.fieldString("msg", base64Encode(Uint8Array.wrap(String.UTF8.encode(msgJson))));
    w.key("funds");
    writeCoins(w, funds);
    w.endObject().endObject().endObject();
    return new CosmosMsg(w.toString());
  }
}

export function writeCoins(w: JsonWriter, coins: Array<Coin>): void {
  w.beginArray();
  for (let i = 0; i < coins.length; i++) {
    w.beginObject().fieldString("denom", coins[i].denom).fieldString("amount", coins[i].amount.toString()).endObject();
  }
  w.endArray();
}

export class SubMsg {
  constructor(public id: u64, public msg: CosmosMsg, public replyOn: ReplyOn = ReplyOn.Never, public gasLimit: i64 = -1) {}
}

export class Response {
  messages: Array<SubMsg> = [];
  attributes: Array<Attribute> = [];
  events: Array<Event> = [];
  data: Uint8Array | null = null;

  addMessage(msg: CosmosMsg): Response { this.messages.push(new SubMsg(0, msg)); return this; }
  addSubMessage(sub: SubMsg): Response { this.messages.push(sub); return this; }
  addAttribute(key: string, value: string): Response { this.attributes.push(new Attribute(key, value)); return this; }
  addEvent(event: Event): Response { this.events.push(event); return this; }
  setData(data: Uint8Array): Response { this.data = data; return this; }

  writeJson(w: JsonWriter): void {
    w.beginObject();
    w.key("messages").beginArray();
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i];
      w.beginObject().fieldU64("id", m.id).fieldString("payload", "");
      w.key("msg").rawString(m.msg.json);
      if (m.gasLimit < 0) w.fieldNull("gas_limit"); else w.fieldU64("gas_limit", <u64>m.gasLimit);
      w.fieldString("reply_on", replyOnName(m.replyOn));
      w.endObject();
    }
    w.endArray();
    w.key("attributes");
    writeAttributes(w, this.attributes);
    w.key("events").beginArray();
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i];
      w.beginObject().fieldString("type", e.type).key("attributes");
      writeAttributes(w, e.attributes);
      w.endObject();
    }
    w.endArray();
    const data = this.data;
    if (data === null) w.fieldNull("data"); else w.fieldString("data", base64Encode(data));
    w.endObject();
  }
}

function writeAttributes(w: JsonWriter, attributes: Array<Attribute>): void {
  w.beginArray();
  for (let i = 0; i < attributes.length; i++) {
    w.beginObject().fieldString("key", attributes[i].key).fieldString("value", attributes[i].value).endObject();
  }
  w.endArray();
}
