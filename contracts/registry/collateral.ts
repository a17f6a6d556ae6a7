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
//   {"nvidia_ca":    {"certs": PEM of Provisioner ICA, <chip> Identity, Device Identity CA}}   (nvidia-ca.ts)
import { JsonValue, parseJson } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { hexDecode, hexEncode } from "../../assembly/encoding/hex";
import { base64Decode } from "../../assembly/encoding/base64";
import { utf8, ByteBuffer } from "../../assembly/encoding/bytes";
import { Env, MessageInfo } from "../std/types";
import { Response, Event } from "../std/response";
import { Result } from "../std/result";
import { pageLimit } from "../std/storage";
import { RegistryError, fail, Done, DONE } from "./error";
import { COLLATERAL, COLLATERAL_DATA, Roots, loadJson, jstr, ju64 } from "./state";
import { onlyKeys, pemOrBinary, Page } from "./msg";
import { CollateralCheck, checkTcbInfo, checkQeIdentity, checkPckCrl, checkRootCrl, checkAmdCrl, amdCrlProduct, amdCrlDer } from "./collateral-verify";
import { productKey } from "../../assembly/snp/tcb";
import { checkNvidiaCa, NVIDIA_CA_KIND } from "./nvidia-ca";
import { refreshTdxRecords } from "./tdx-records";

export const EVENT_PREFIX = "tee_attest.";

/**
 * One stored piece: its metadata (COLLATERAL, small: what queries and trust checks compare) and the
 * piece itself (COLLATERAL_DATA) as JSON members in QuoteCollateralV3 form — `"tcb_info":"…",
 * "tcb_info_signature":"…",…` — so registration splices the stored bytes into the verifier's input
 * without decoding or re-encoding them.
 */
export class CollateralRecord {
  kind: string = "";
  key: string = "";
  issued: i64 = 0;
  nextUpdate: i64 = 0;
  evaluationDataNumber: i64 = 0;
  submittedAt: u64 = 0;
  /** Fields to store (submission), or parsed from the stored members by field(). */
  names: Array<string> = [];
  values: Array<string> = [];
  private fieldsLoaded: bool = false;

  get storageKey(): string { return this.kind + ":" + this.key; }

  /** The stored JSON members (no braces); empty if missing. */
  members(): Uint8Array {
    const d = COLLATERAL_DATA.getStr(this.storageKey);
    return d === null ? new Uint8Array(0) : d;
  }

  field(name: string): string {
    if (!this.fieldsLoaded && this.names.length == 0) {
      this.fieldsLoaded = true;
      const buf = new ByteBuffer(64);
      buf.pushString("{");
      buf.pushBytes(this.members());
      buf.pushString("}");
      const v = parseJson(buf.toBytes());
      if (v !== null && v.isObject) {
        for (let i = 0; i < v.keys.length; i++) { const s = v.items[i].asString(); this.add(v.keys[i], s === null ? "" : s); }
      }
    }
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
    w.endObject();
    COLLATERAL.setStr(this.storageKey, w.toBytes());
    const d = new JsonWriter();
    d.beginObject();
    for (let i = 0; i < this.names.length; i++) d.fieldString(this.names[i], this.values[i]);
    d.endObject();
    const object = d.toBytes();
    COLLATERAL_DATA.setStr(this.storageKey, object.slice(1, object.length - 1));
  }

  static fromJson(v: JsonValue): CollateralRecord {
    const r = new CollateralRecord();
    r.kind = jstr(v, "kind");
    r.key = jstr(v, "key");
    r.issued = <i64>ju64(v, "issued");
    r.nextUpdate = <i64>ju64(v, "next_update");
    r.evaluationDataNumber = <i64>ju64(v, "evaluation_data_number");
    r.submittedAt = ju64(v, "submitted_at");
    return r;
  }

  /** The metadata only (field() and members() read the piece when needed). */
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

const NVIDIA_CA_KEYS: StaticArray<string> = ["certs"];

function nvidiaCaPiece(body: JsonValue, roots: Roots, at: i64): Result<Submitted> {
  const known = onlyKeys(body, NVIDIA_CA_KEYS, NVIDIA_CA_KIND);
  if (known.isErr) return known.cast<Submitted>();
  const pem = text(body, "certs");
  if (pem.isErr) return pem.cast<Submitted>();
  const check = checkNvidiaCa(utf8(pem.value), roots.nvidia, at);
  const record = new CollateralRecord();
  record.add("certs", pem.value).add("roots_version", roots.version.toString());
  return Result.ok<Submitted>(new Submitted(check, record));
}

/** newer: ok; equal: COLLATERAL_NOT_NEWER; older: COLLATERAL_DOWNGRADE. NVIDIA intermediates checked
 * under earlier roots are replaced by any set checked under the current ones. */
function compareWithStored(record: CollateralRecord): Result<Done> {
  const old = CollateralRecord.load(record.kind, record.key);
  if (old === null) return Result.ok<Done>(DONE);
  if (record.kind == NVIDIA_CA_KIND && old.field("roots_version") != record.field("roots_version")) return Result.ok<Done>(DONE);
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
  if (!msg.isObject || msg.length != 1) return fail<Response>(RegistryError.InvalidMessage, "submit_collateral takes exactly one of tdx_tcb_info, qe_identity, pck_crl, root_crl, amd_crl, nvidia_ca");
  const kind = msg.keys[0];
  const body = msg.items[0];
  const roots = Roots.load();
  const at = <i64>env.block.timeSeconds;
  let submitted: Result<Submitted>;
  if (kind == "tdx_tcb_info") submitted = signedJson(kind, body, TCB_INFO_KEYS, roots, at);
  else if (kind == "qe_identity") submitted = signedJson(kind, body, QE_KEYS, roots, at);
  else if (kind == "pck_crl" || kind == "root_crl" || kind == "amd_crl") submitted = crlPiece(kind, body, roots, at);
  else if (kind == NVIDIA_CA_KIND) submitted = nvidiaCaPiece(body, roots, at);
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
  refreshTdxRecords(kind, record.key, roots, at);
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
}

function missing(b: Bundle, what: string): Bundle { b.detail = what + " has not been submitted"; return b; }

/**
 * QuoteCollateralV3 JSON for a TDX platform (FMSPC, PCK CA kind): the stored members spliced together.
 * `leafPem` (a quote carrying only its PCK leaf) adds pck_certificate_chain = leaf + the stored PCK CRL
 * issuer chain (CA, root), which the verifier then uses instead of the quote's certification data.
 */
export function tdxBundle(fmspc: string, ca: string, leafPem: Uint8Array | null = null): Bundle {
  const out = new Bundle();
  const parts: StaticArray<string> = ["pck_crl:" + ca, "root_crl:intel", "tdx_tcb_info:" + fmspc, "qe_identity:tdx"];
  const what: StaticArray<string> = ["pck_crl of the PCK " + ca + " CA", "root_crl", "tdx_tcb_info for FMSPC " + fmspc, "qe_identity"];
  const buf = new ByteBuffer(12 * 1024);
  buf.pushString("{");
  for (let i = 0; i < parts.length; i++) {
    const members = COLLATERAL_DATA.getStr(parts[i]);
    if (members === null || members.length == 0) return missing(out, what[i]);
    if (i > 0) buf.pushString(",");
    buf.pushBytes(members);
    if (i == 0 && leafPem !== null && !pckChainMember(buf, members, leafPem)) { out.detail = "the stored PCK CRL issuer chain is unreadable"; return out; }
  }
  buf.pushString("}");
  out.json = buf.toBytes();
  out.ok = true;
  return out;
}

/** Appends ,"pck_certificate_chain":"<leaf><CA, root of pck_crl_issuer_chain>" (the chain's escaped text
 * is copied as stored). */
function pckChainMember(buf: ByteBuffer, pckMembers: Uint8Array, leafPem: Uint8Array): bool {
  const wrapped = new ByteBuffer(pckMembers.length + 2);
  wrapped.pushString("{");
  wrapped.pushBytes(pckMembers);
  wrapped.pushString("}");
  const v = parseJson(wrapped.toBytes());
  const chain: JsonValue | null = v === null ? null : v.get("pck_crl_issuer_chain");
  if (chain === null || !chain.isString) return false;
  buf.pushString(",\"pck_certificate_chain\":\"");
  // PEM is printable ASCII and newlines: escape those directly; anything else through the JSON writer.
  let plain = true;
  for (let i = 0; i < leafPem.length && plain; i++) { const c = leafPem[i]; plain = c == 0x0a || (c >= 0x20 && c < 0x7f && c != 0x22 && c != 0x5c); }
  if (plain) {
    for (let i = 0; i < leafPem.length; i++) { if (leafPem[i] == 0x0a) buf.pushString("\\n"); else buf.pushByte(leafPem[i]); }
  } else {
    const leaf = new JsonWriter();
    leaf.string(String.UTF8.decode(leafPem.buffer));
    const quoted = leaf.toBytes();
    buf.pushBytes(quoted.subarray(1, quoted.length - 1));
  }
  if (leafPem.length > 0 && leafPem[leafPem.length - 1] != 0x0a) buf.pushString("\\n");
  buf.pushBytes(chain.source.subarray(chain.start + 1, chain.end));
  return true;
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
