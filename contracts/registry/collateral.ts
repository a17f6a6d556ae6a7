// The on-chain PCCS: anyone submits vendor collateral, the registry verifies it (collateral-verify.ts)
// against the governance roots and keeps it only if it is newer than what it holds (never a downgrade:
// a higher tcbEvaluationDataNumber wins, then a later issue date; CRLs by thisUpdate). Registration
// assembles the stored pieces into the QuoteCollateralV3 JSON the TDX verifier takes, and the stored
// AMD CRLs into the SNP verifier's CRL input.
//
// submit_collateral variants (field names follow QuoteCollateralV3, so a PCCS bundle splits trivially):
//   {"tdx_tcb_info": {"tcb_info": "<exact JSON text>" | {…}, "tcb_info_signature": hex, "tcb_info_issuer_chain": PEM}}
//   {"qe_identity":  {"qe_identity": "<exact JSON text>" | {…}, "qe_identity_signature": hex, "qe_identity_issuer_chain": PEM}}
//   {"pck_crl":      {"pck_crl": hex|base64 DER, "pck_crl_issuer_chain": PEM}}
//   {"root_crl":     {"root_ca_crl": hex|base64 DER}}
//   {"amd_crl":      {"crl": PEM | hex|base64 DER}}
import { JsonValue } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { hexDecode, hexEncode } from "../../assembly/encoding/hex";
import { base64Decode } from "../../assembly/encoding/base64";
import { utf8, ByteBuffer } from "../../assembly/encoding/bytes";
import { Env, MessageInfo } from "../std/types";
import { Response, Event } from "../std/response";
import { Result } from "../std/result";
import { pageLimit } from "../std/storage";
import { RegistryError, fail, Done, DONE } from "./error";
import { COLLATERAL, Roots, loadJson, jstr, ju64 } from "./state";
import { onlyKeys, pemOrBinary, Page } from "./msg";
import { CollateralCheck, checkTcbInfo, checkQeIdentity, checkPckCrl, checkRootCrl, checkAmdCrl, amdCrlProduct, amdCrlDer } from "./collateral-verify";
import { productKey } from "../../assembly/snp/tcb";

export const EVENT_PREFIX = "tee_attest.";

export class CollateralRecord {
  kind: string = "";
  key: string = "";
  issued: i64 = 0;
  nextUpdate: i64 = 0;
  evaluationDataNumber: i64 = 0;
  submittedAt: u64 = 0;
  names: Array<string> = [];
  values: Array<string> = [];

  get storageKey(): string { return this.kind + ":" + this.key; }

  field(name: string): string {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.values[i];
    return "";
  }

  add(name: string, value: string): CollateralRecord { this.names.push(name); this.values.push(value); return this; }

  writeMeta(w: JsonWriter): void {
    w.fieldString("kind", this.kind).fieldString("key", this.key).key("issued").i64(this.issued).key("next_update").i64(this.nextUpdate)
      .key("evaluation_data_number").i64(this.evaluationDataNumber).fieldU64("submitted_at", this.submittedAt);
  }

  save(): void {
    const w = new JsonWriter();
    w.beginObject();
    this.writeMeta(w);
    w.key("fields").beginObject();
    for (let i = 0; i < this.names.length; i++) w.fieldString(this.names[i], this.values[i]);
    w.endObject().endObject();
    COLLATERAL.setStr(this.storageKey, w.toBytes());
  }

  static fromJson(v: JsonValue): CollateralRecord {
    const r = new CollateralRecord();
    r.kind = jstr(v, "kind");
    r.key = jstr(v, "key");
    r.issued = <i64>ju64(v, "issued");
    r.nextUpdate = <i64>ju64(v, "next_update");
    r.evaluationDataNumber = <i64>ju64(v, "evaluation_data_number");
    r.submittedAt = ju64(v, "submitted_at");
    const f = v.get("fields");
    if (f !== null && f.isObject) {
      for (let i = 0; i < f.keys.length; i++) { const s = f.items[i].asString(); r.add(f.keys[i], s === null ? "" : s); }
    }
    return r;
  }

  static load(kind: string, key: string): CollateralRecord | null {
    const v = loadJson(COLLATERAL.getStr(kind + ":" + key));
    return v === null ? null : CollateralRecord.fromJson(v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading submitted fields

function text(body: JsonValue, key: string): Result<string> {
  const v = body.get(key);
  if (v === null) return fail<string>(RegistryError.InvalidMessage, "missing " + key);
  if (v.isObject) return Result.ok<string>(String.UTF8.decode(v.raw().buffer));
  const s = v.asString();
  if (s === null || s.length == 0) return fail<string>(RegistryError.InvalidMessage, key + " must be a string");
  return Result.ok<string>(s);
}

function hexBytes(body: JsonValue, key: string): Result<Uint8Array> {
  const s = text(body, key);
  if (s.isErr) return s.cast<Uint8Array>();
  const b = hexDecode(s.value);
  if (b === null || b.length == 0) return fail<Uint8Array>(RegistryError.InvalidMessage, key + " must be hex");
  return Result.ok<Uint8Array>(b);
}

/** DER given as hex (QuoteCollateralV3) or base64. */
function derBytes(body: JsonValue, key: string): Result<Uint8Array> {
  const s = text(body, key);
  if (s.isErr) return s.cast<Uint8Array>();
  const b = pemOrBinary(s.value);
  if (b === null || b.length == 0) return fail<Uint8Array>(RegistryError.InvalidMessage, key + " must be hex or base64 DER");
  return Result.ok<Uint8Array>(b);
}

export function rootDer(b64: string | null): Uint8Array {
  if (b64 === null) return new Uint8Array(0);
  const der = base64Decode(b64);
  return der === null ? new Uint8Array(0) : der;
}

function storedRootCrl(): Uint8Array {
  const r = CollateralRecord.load("root_crl", "intel");
  if (r === null) return new Uint8Array(0);
  const der = hexDecode(r.field("root_ca_crl"));
  return der === null ? new Uint8Array(0) : der;
}

// ---------------------------------------------------------------------------------------------------
// Verification per kind -> (check, record)

class Submitted {
  constructor(public check: CollateralCheck, public record: CollateralRecord) {}
}

const TCB_INFO_KEYS: StaticArray<string> = ["tcb_info", "tcb_info_signature", "tcb_info_issuer_chain"];
const QE_KEYS: StaticArray<string> = ["qe_identity", "qe_identity_signature", "qe_identity_issuer_chain"];
const PCK_CRL_KEYS: StaticArray<string> = ["pck_crl", "pck_crl_issuer_chain"];
const ROOT_CRL_KEYS: StaticArray<string> = ["root_ca_crl"];
const AMD_CRL_KEYS: StaticArray<string> = ["crl"];

function signedJson(kind: string, body: JsonValue, keys: StaticArray<string>, roots: Roots, at: i64): Result<Submitted> {
  const known = onlyKeys(body, keys, kind);
  if (known.isErr) return known.cast<Submitted>();
  const doc = text(body, keys[0]);
  if (doc.isErr) return doc.cast<Submitted>();
  const signature = hexBytes(body, keys[1]);
  if (signature.isErr) return signature.cast<Submitted>();
  const chain = text(body, keys[2]);
  if (chain.isErr) return chain.cast<Submitted>();
  const bytes = utf8(doc.value);
  const check = kind == "tdx_tcb_info"
    ? checkTcbInfo(bytes, signature.value, utf8(chain.value), rootDer(roots.intel), storedRootCrl(), at)
    : checkQeIdentity(bytes, signature.value, utf8(chain.value), rootDer(roots.intel), storedRootCrl(), at);
  const record = new CollateralRecord();
  record.add(keys[0], doc.value).add(keys[1], hexEncode(signature.value)).add(keys[2], chain.value);
  return Result.ok<Submitted>(new Submitted(check, record));
}

function crlPiece(kind: string, body: JsonValue, roots: Roots, at: i64): Result<Submitted> {
  const record = new CollateralRecord();
  let check = new CollateralCheck();
  if (kind == "pck_crl") {
    const known = onlyKeys(body, PCK_CRL_KEYS, kind);
    if (known.isErr) return known.cast<Submitted>();
    const der = derBytes(body, "pck_crl");
    if (der.isErr) return der.cast<Submitted>();
    const chain = text(body, "pck_crl_issuer_chain");
    if (chain.isErr) return chain.cast<Submitted>();
    check = checkPckCrl(der.value, utf8(chain.value), rootDer(roots.intel), storedRootCrl(), at);
    record.add("pck_crl", hexEncode(der.value)).add("pck_crl_issuer_chain", chain.value);
  } else if (kind == "root_crl") {
    const known = onlyKeys(body, ROOT_CRL_KEYS, kind);
    if (known.isErr) return known.cast<Submitted>();
    const der = derBytes(body, "root_ca_crl");
    if (der.isErr) return der.cast<Submitted>();
    check = checkRootCrl(der.value, rootDer(roots.intel), at);
    record.add("root_ca_crl", hexEncode(der.value));
  } else {
    const known = onlyKeys(body, AMD_CRL_KEYS, kind);
    if (known.isErr) return known.cast<Submitted>();
    const data = derBytes(body, "crl");
    if (data.isErr) return data.cast<Submitted>();
    const product = amdCrlProduct(data.value);
    let ark: string | null = null;
    if (product == 1) ark = roots.milan; else if (product == 2) ark = roots.genoa; else if (product == 3) ark = roots.turin;
    check = checkAmdCrl(data.value, rootDer(ark), at);
    record.add("crl", hexEncode(amdCrlDer(data.value)));
  }
  return Result.ok<Submitted>(new Submitted(check, record));
}

/** newer: ok; equal: COLLATERAL_NOT_NEWER; older: COLLATERAL_DOWNGRADE. */
function compareWithStored(record: CollateralRecord): Result<Done> {
  const old = CollateralRecord.load(record.kind, record.key);
  if (old === null) return Result.ok<Done>(DONE);
  if (record.evaluationDataNumber < old.evaluationDataNumber) {
    return fail<Done>(RegistryError.CollateralDowngrade, record.storageKey + ": evaluation data number " + record.evaluationDataNumber.toString() +
      " is below the stored " + old.evaluationDataNumber.toString());
  }
  if (record.evaluationDataNumber > old.evaluationDataNumber) return Result.ok<Done>(DONE);
  if (record.issued < old.issued) return fail<Done>(RegistryError.CollateralDowngrade, record.storageKey + " is older than the stored one");
  if (record.issued == old.issued) return fail<Done>(RegistryError.CollateralNotNewer, record.storageKey + " is not newer than the stored one");
  return Result.ok<Done>(DONE);
}

export function submitCollateral(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  if (!msg.isObject || msg.length != 1) return fail<Response>(RegistryError.InvalidMessage, "submit_collateral takes exactly one of tdx_tcb_info, qe_identity, pck_crl, root_crl, amd_crl");
  const kind = msg.keys[0];
  const body = msg.items[0];
  const roots = Roots.load();
  const at = <i64>env.block.timeSeconds;
  let submitted: Result<Submitted>;
  if (kind == "tdx_tcb_info") submitted = signedJson(kind, body, TCB_INFO_KEYS, roots, at);
  else if (kind == "qe_identity") submitted = signedJson(kind, body, QE_KEYS, roots, at);
  else if (kind == "pck_crl" || kind == "root_crl" || kind == "amd_crl") submitted = crlPiece(kind, body, roots, at);
  else return fail<Response>(RegistryError.CollateralUnsupported, "unknown collateral kind \"" + kind + "\"");
  if (submitted.isErr) return submitted.cast<Response>();
  const check = submitted.value.check;
  if (check.unavailable) return fail<Response>(RegistryError.EvidenceVerifierUnavailable, check.detail);
  if (!check.ok) return fail<Response>(RegistryError.CollateralInvalid, check.detail);
  const record = submitted.value.record;
  record.kind = kind;
  record.key = check.key;
  record.issued = check.issued;
  record.nextUpdate = check.nextUpdate;
  record.evaluationDataNumber = check.evaluationDataNumber;
  record.submittedAt = env.block.height;
  const newer = compareWithStored(record);
  if (newer.isErr) return newer.cast<Response>();
  record.save();
  const event = new Event(EVENT_PREFIX + "collateral_submitted").add("kind", kind).add("key", record.key)
    .add("issued", record.issued.toString()).add("evaluation_data_number", record.evaluationDataNumber.toString()).add("submitter", info.sender);
  return Result.ok<Response>(new Response().addEvent(event).addAttribute("action", "submit_collateral"));
}

// ---------------------------------------------------------------------------------------------------
// Use at registration

export class Bundle {
  ok: bool = false;
  detail: string = "";
  json: Uint8Array = new Uint8Array(0);
  tcbInfo: string = "";
  qeIdentity: string = "";
}

function missing(b: Bundle, what: string): Bundle { b.detail = what + " has not been submitted"; return b; }

/** QuoteCollateralV3 JSON for a TDX platform (FMSPC, PCK CA kind) from the stored pieces. */
export function tdxBundle(fmspc: string, ca: string): Bundle {
  const out = new Bundle();
  const tcb = CollateralRecord.load("tdx_tcb_info", fmspc);
  if (tcb === null) return missing(out, "tdx_tcb_info for FMSPC " + fmspc);
  const qe = CollateralRecord.load("qe_identity", "tdx");
  if (qe === null) return missing(out, "qe_identity");
  const pck = CollateralRecord.load("pck_crl", ca);
  if (pck === null) return missing(out, "pck_crl of the PCK " + ca + " CA");
  const root = CollateralRecord.load("root_crl", "intel");
  if (root === null) return missing(out, "root_crl");
  const w = new JsonWriter();
  w.beginObject();
  w.fieldString("pck_crl_issuer_chain", pck.field("pck_crl_issuer_chain")).fieldString("root_ca_crl", root.field("root_ca_crl"));
  w.fieldString("pck_crl", pck.field("pck_crl"));
  for (let i = 0; i < TCB_INFO_KEYS.length; i++) w.fieldString(TCB_INFO_KEYS[i], tcb.field(TCB_INFO_KEYS[i]));
  for (let i = 0; i < QE_KEYS.length; i++) w.fieldString(QE_KEYS[i], qe.field(QE_KEYS[i]));
  w.endObject();
  out.json = w.toBytes();
  out.tcbInfo = tcb.field("tcb_info");
  out.qeIdentity = qe.field("qe_identity");
  out.ok = true;
  return out;
}

/** Evaluation data numbers of the stored TCB info (per FMSPC) and QE identity; -1 when absent. */
export function storedEvaluationNumber(kind: string, key: string): i64 {
  const r = CollateralRecord.load(kind, key);
  return r === null ? -1 : r.evaluationDataNumber;
}

/** Every stored AMD CRL, DER back to back (the SNP verifier's CRL input). */
export function amdCrls(): Uint8Array {
  const buf = new ByteBuffer(2048);
  for (let p = 1; p <= 3; p++) {
    const r = CollateralRecord.load("amd_crl", productKey(p));
    if (r === null) continue;
    const der = hexDecode(r.field("crl"));
    if (der !== null) buf.pushBytes(der);
  }
  return buf.toBytes();
}

// ---------------------------------------------------------------------------------------------------
// Queries

/** collateral {start_after?, limit?}: metadata of every stored piece (no blobs). */
export function queryCollateral(page: Page): Uint8Array {
  const records = COLLATERAL.page(page.startAfter === null ? null : utf8(changetype<string>(page.startAfter)), pageLimit(page.limit));
  const w = new JsonWriter();
  w.beginObject().key("collateral").beginArray();
  for (let i = 0; i < records.length; i++) {
    const v = loadJson(records[i].value);
    if (v === null) continue;
    w.beginObject();
    CollateralRecord.fromJson(v).writeMeta(w);
    w.endObject();
  }
  w.endArray().endObject();
  return w.toBytes();
}

/** tdx_collateral {fmspc, ca}: the QuoteCollateralV3 JSON clients can verify quotes with off chain. */
export function queryTdxCollateral(fmspc: string, ca: string): Result<Uint8Array> {
  const b = tdxBundle(fmspc.toLowerCase(), ca);
  if (!b.ok) return fail<Uint8Array>(RegistryError.CollateralMissing, b.detail);
  return Result.ok<Uint8Array>(b.json);
}
