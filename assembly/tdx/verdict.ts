// The Verdict JSON of DESIGN.md §3 for TDX/SGX quotes, and the claims a relying party binds to:
// TD measurements and attributes (or the SGX enclave identity), plus the TCB inputs the registry stores
// to re-evaluate trust later against newer collateral (FMSPC, SVNs, PCK serial).
//
//   {"ok":true,"tee":"tdx","status":"UpToDate","advisory_ids":[],"claims":{…},"error":null}
//   {"ok":false,"tee":"tdx","status":null,"advisory_ids":[],"claims":null,"error":{"code":…,"message":…}}
//
// Claims appear only once the quote is authenticated (chain, QE report, quote signature); a later
// failure (identity, TCB, policy) still reports them, with the status when it was computed.
import { JsonWriter } from "../encoding/json-writer";
import { hexEncode } from "../encoding/hex";
import { TdxError } from "./errors";
import {
  Quote, TD_MRTD, TD_RTMR0, TD_MRCONFIGID, TD_MROWNER, TD_MROWNERCONFIG, TD_REPORTDATA, TD_TDATTRIBUTES, TD_XFAM,
  TD_MRSEAM, TD_MRSIGNERSEAM, TD_SEAMATTRIBUTES, TD_TEE_TCB_SVN, TD_TEE_TCB_SVN2, TD_MRSERVICETD, MEASUREMENT_SIZE,
  ATTRIBUTES_SIZE, SVN_ARRAY_SIZE, RTMR_COUNT, ER_REPORTDATA, ER_REPORTDATA_SIZE, ER_MRENCLAVE, ER_MRSIGNER,
  ER_ATTRIBUTES, ER_ATTRIBUTES_SIZE, ER_MISCSELECT, ER_CPUSVN, ER_ISVPRODID, ER_ISVSVN, u16le,
} from "./quote";
import { QuoteVerification } from "./verify";
import { TcbEvaluation } from "./tcb";
import { statusName } from "./status";
import { formatIsoTime } from "./time";
import { PckExtension } from "./pck";
import { cnContains, CN_PCK_PROCESSOR_CA } from "./certs";
import { Certificate } from "../encoding/x509";

const SGX_MEASUREMENT_SIZE: i32 = 32;
const MISCSELECT_SIZE: i32 = 4;

function hexField(w: JsonWriter, name: string, quote: Quote, offset: i32, size: i32): void {
  w.fieldString(name, hexEncode(quote.body(offset, size)));
}

function writeTdBody(w: JsonWriter, q: Quote): void {
  hexField(w, "mrtd", q, TD_MRTD, MEASUREMENT_SIZE);
  for (let i = 0; i < RTMR_COUNT; i++) hexField(w, "rtmr" + i.toString(), q, TD_RTMR0 + i * MEASUREMENT_SIZE, MEASUREMENT_SIZE);
  hexField(w, "mrconfigid", q, TD_MRCONFIGID, MEASUREMENT_SIZE);
  hexField(w, "mrowner", q, TD_MROWNER, MEASUREMENT_SIZE);
  hexField(w, "mrownerconfig", q, TD_MROWNERCONFIG, MEASUREMENT_SIZE);
  hexField(w, "report_data", q, TD_REPORTDATA, ER_REPORTDATA_SIZE);
  hexField(w, "td_attributes", q, TD_TDATTRIBUTES, ATTRIBUTES_SIZE);
  hexField(w, "xfam", q, TD_XFAM, ATTRIBUTES_SIZE);
  hexField(w, "mrseam", q, TD_MRSEAM, MEASUREMENT_SIZE);
  hexField(w, "mrsignerseam", q, TD_MRSIGNERSEAM, MEASUREMENT_SIZE);
  hexField(w, "seam_attributes", q, TD_SEAMATTRIBUTES, ATTRIBUTES_SIZE);
  hexField(w, "tee_tcb_svn", q, TD_TEE_TCB_SVN, SVN_ARRAY_SIZE);
  if (q.isTd15) {
    hexField(w, "tee_tcb_svn2", q, TD_TEE_TCB_SVN2, SVN_ARRAY_SIZE);
    hexField(w, "mrservicetd", q, TD_MRSERVICETD, MEASUREMENT_SIZE);
  }
}

function writeEnclaveBody(w: JsonWriter, q: Quote): void {
  hexField(w, "mrenclave", q, ER_MRENCLAVE, SGX_MEASUREMENT_SIZE);
  hexField(w, "mrsigner", q, ER_MRSIGNER, SGX_MEASUREMENT_SIZE);
  w.fieldU64("isv_prod_id", <u64>u16le(q.raw, q.bodyStart + ER_ISVPRODID));
  w.fieldU64("isv_svn", <u64>u16le(q.raw, q.bodyStart + ER_ISVSVN));
  hexField(w, "attributes", q, ER_ATTRIBUTES, ER_ATTRIBUTES_SIZE);
  hexField(w, "miscselect", q, ER_MISCSELECT, MISCSELECT_SIZE);
  hexField(w, "cpu_svn", q, ER_CPUSVN, SVN_ARRAY_SIZE);
  hexField(w, "report_data", q, ER_REPORTDATA, ER_REPORTDATA_SIZE);
}

/** The platform side: PCK certificate TCB and identity. */
export function writePlatform(w: JsonWriter, ext: PckExtension, leaf: Certificate, ca: Certificate | null): void {
  w.fieldString("fmspc", hexEncode(ext.fmspc));
  w.fieldString("pce_id", hexEncode(ext.pceId));
  w.fieldU64("pce_svn", <u64>ext.pceSvn);
  w.key("sgx_tcb_components").beginArray();
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) w.u64(<u64>ext.components[i]);
  w.endArray();
  w.fieldString("cpu_svn_pck", hexEncode(ext.cpuSvn));
  w.fieldString("pck_serial", hexEncode(leaf.serial));
  w.fieldString("pck_ca", ca !== null && cnContains(ca, CN_PCK_PROCESSOR_CA) ? "processor" : "platform");
}

function writeTcb(w: JsonWriter, tcb: TcbEvaluation | null): void {
  if (tcb === null || tcb.tcbDate == 0) return;
  w.fieldString("tcb_date", formatIsoTime(tcb.tcbDate));
  w.fieldString("platform_tcb_status", statusName(tcb.platformStatus));
  w.fieldString("tdx_module_tcb_status", statusName(tcb.moduleStatus));
  w.fieldString("qe_tcb_status", statusName(tcb.qeStatus));
}

/** The quote's own fields (members of an open object). */
export function writeQuoteFields(w: JsonWriter, q: Quote): void {
  w.fieldU64("quote_version", <u64>q.version);
  w.fieldU64("body_type", <u64>q.bodyType);
  if (q.isTdx) writeTdBody(w, q); else writeEnclaveBody(w, q);
  w.fieldU64("qe_isv_svn", <u64>q.qeIsvSvn());
}

/** The claims object of an authenticated quote. */
export function writeClaims(w: JsonWriter, v: QuoteVerification): void {
  w.beginObject();
  writeQuoteFields(w, v.quote);
  const chain = v.chain;
  if (chain !== null) writePlatform(w, chain.extension, changetype<Certificate>(chain.leaf), chain.ca);
  writeTcb(w, v.tcb);
  const info = v.collateral.tcbInfo;
  w.fieldU64("tcb_evaluation_data_number", <u64>info.evaluationDataNumber);
  w.fieldString("collateral_valid_until", formatIsoTime(v.collateral.notAfter));
  w.endObject();
}

function writeError(w: JsonWriter, error: TdxError | null): void {
  if (error === null) { w.fieldNull("error"); return; }
  w.key("error").beginObject().fieldString("code", error.code).fieldString("message", error.message).endObject();
}

/** Verdict for a verification that got at least as far as a parsed quote. */
export function verdictJson(v: QuoteVerification, policyError: TdxError | null): Uint8Array {
  const w = new JsonWriter();
  const error = v.error !== null ? v.error : policyError;
  const tcb = v.tcb;
  w.beginObject();
  w.fieldBool("ok", error === null);
  w.fieldString("tee", v.quote.isTdx ? "tdx" : "sgx");
  if (tcb !== null && tcb.error === null) w.fieldString("status", statusName(tcb.status)); else w.fieldNull("status");
  w.key("advisory_ids").beginArray();
  if (tcb !== null) for (let i = 0; i < tcb.advisories.length; i++) w.string(tcb.advisories[i]);
  w.endArray();
  if (v.authenticated) { w.key("claims"); writeClaims(w, v); } else w.fieldNull("claims");
  writeError(w, error);
  w.endObject();
  return w.toBytes();
}

/** Verdict for a failure before a quote could be examined (bad quote, collateral, root or policy). */
export function failureJson(error: TdxError, tee: string): Uint8Array {
  const w = new JsonWriter();
  w.beginObject();
  w.fieldBool("ok", false);
  w.fieldString("tee", tee);
  w.fieldNull("status");
  w.key("advisory_ids").beginArray().endArray();
  w.fieldNull("claims");
  writeError(w, error);
  w.endObject();
  return w.toBytes();
}
