// The registry's only door to the hardware verifiers (assembly/tdx, assembly/snp, assembly/nvidia). Every
// call into verifier code lives here, so a verifier API change touches this file alone:
//
//   verifyTdxEvidence(quote, bundle, root, at, policy)    one Intel TDX quote      -> CpuEvidence
//   verifySnpEvidence(report, vcek, chain, crls, at, ...) one AMD SEV-SNP report   -> CpuEvidence
//   gpus.ts verifyGpus(reports, chains, nonce, ...)      the node's NVIDIA GPUs   -> GpuEvidence
//   reappraiseTdx / reappraiseSnp                          stored evidence against today's collateral/policy
//   validate*                                              governance inputs (roots, golden, policies)
//
// Inputs are bytes and JSON taken from the message and from state (roots, verified collateral, policy);
// the time is the block time. Outputs carry ok, the TEE, the TCB status, the claims release matching
// needs (TDX: mrtd, rtmr0-3, mrconfigid, report_data, fmspc; SNP: measurement, host_data, report_data,
// chip_id, reported TCB; GPUs: ueid, nonce), the hardware ids, and a registry error with the verifier's
// own code nested ("tdx/QUOTE_SIGNATURE_INVALID: …"). Nothing here reads or writes storage.
//
// Each verifier returns its Verdict JSON (DESIGN.md §3); we read claims only from verdicts with ok=true,
// so a verifier failure can never turn into an accept. Collateral checks are in collateral-verify.ts.
import { JsonValue, parseJson } from "../../assembly/encoding/json";
import { JsonWriter } from "../../assembly/encoding/json-writer";
import { hexDecode, hexEncode } from "../../assembly/encoding/hex";
import { base64Encode } from "../../assembly/encoding/base64";
import { utf8, ByteBuffer } from "../../assembly/encoding/bytes";
import { parseCertificate } from "../../assembly/encoding/x509";
import { KEY_RSA } from "../../assembly/encoding/x509-algorithm";
// TDX
import { verifyTdx } from "../../assembly/tdx/api";
import { verifyTdxCompact } from "../../assembly/tdx/api-compact";
import { parseQuote, quoteError, CERT_TYPE_PCK_CHAIN, Quote } from "../../assembly/tdx/quote";
import { parsePemChain, cnContains, CN_PCK_PROCESSOR_CA } from "../../assembly/tdx/certs";
import { parsePckExtension, PckExtension } from "../../assembly/tdx/pck";
import { rootKeyFrom } from "../../assembly/tdx/roots";
import { parseTcbInfo } from "../../assembly/tdx/tcb-info";
import { parseQeIdentity, checkQeReport } from "../../assembly/tdx/qe-identity";
import { matchTcbInfo, checkModuleIdentity, evaluateTcb } from "../../assembly/tdx/tcb";
import { IsvTcbLevel } from "../../assembly/tdx/tcb-info";
import { parsePolicy as parseTdxPolicy, applyPolicy as applyTdxPolicy } from "../../assembly/tdx/policy";
import { statusFromName, statusName, STATUS_INVALID } from "../../assembly/tdx/status";
import { TdxError, success } from "../../assembly/tdx/errors";
// SNP
import { verifySnp, SnpInputs } from "../../assembly/snp/verify";
import { parseReport } from "../../assembly/snp/report";
import { parseOptions } from "../../assembly/snp/options";
import { evaluatePolicy as evaluateSnpPolicy } from "../../assembly/snp/policy";
import { PRODUCT_MILAN, PRODUCT_COUNT, productName } from "../../assembly/snp/tcb";
// NVIDIA
import { parseGolden } from "../../assembly/nvidia/golden";
import { parsePolicy as parseNvidiaPolicy } from "../../assembly/nvidia/policy";
import { anchorFromPem } from "../../assembly/nvidia/chain";
import { lastFailure, clearFailure } from "../../assembly/nvidia/errors";
import { RegistryError } from "./error";
import { encodeTdxInputs, decodeTdxInputs, encodeSnpInputs, decodeSnpInputs } from "./tcb-inputs";
import { Policy, TEE_TDX, TEE_SNP, TDX_MEASUREMENTS, SNP_MEASUREMENTS, jstr, jstrings, ju64 } from "./state";

/** Flip to false (and every verify* returns EVIDENCE_VERIFIER_UNAVAILABLE) if a verifier must be pulled. */
export const VERIFIERS_AVAILABLE: bool = true;
const TDX_DEBUG_BIT: u8 = 0x01; // TDATTRIBUTES bit 0 (first byte, little-endian)

// ---------------------------------------------------------------------------------------------------
// Results

export class CpuEvidence {
  ok: bool = false;
  tee: string = "";
  error: RegistryError = RegistryError.EvidenceRejected;
  detail: string = "";
  tcbStatus: string = "";
  advisoryIds: Array<string> = [];
  /** REPORTDATA (64 bytes) from the verified evidence. */
  reportData: Uint8Array = new Uint8Array(0);
  /** Release-matching claims: name -> lowercase hex (TDX_MEASUREMENTS or SNP_MEASUREMENTS). */
  names: Array<string> = [];
  values: Array<string> = [];
  debug: bool = false;
  // Hardware identities
  ppid: string = "";
  pckSerial: string = "";
  chipId: string = "";
  // TCB inputs kept for re-evaluation
  fmspc: string = "";
  pckCa: string = "";
  tcbEvaluationDataNumber: u64 = 0;
  product: string = "";
  reportedTcb: string = "";
  /** What trust re-evaluation needs later (tcb-inputs.ts), set once the evidence verified. */
  tcbInputs: Uint8Array = new Uint8Array(0);

  measurement(name: string): string {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.values[i];
    return "";
  }

  fail(error: RegistryError, detail: string): CpuEvidence { this.ok = false; this.error = error; this.detail = detail; return this; }
}

export class GpuEvidence {
  ok: bool = false;
  error: RegistryError = RegistryError.EvidenceRejected;
  detail: string = "";
  status: string = "";
  ueids: Array<string> = [];
  /** Nonce every report answered (lowercase hex). */
  nonce: string = "";

  fail(error: RegistryError, detail: string): GpuEvidence { this.ok = false; this.error = error; this.detail = detail; return this; }
}

/** The TDX platform a quote claims, read before verification to pick the stored collateral. */
export class TdxPlatform {
  ok: bool = false;
  detail: string = "";
  fmspc: string = "";
  /** "processor" | "platform": which PCK CRL applies. */
  ca: string = "";
  ppid: string = "";
  /** The quote carries only its PCK leaf: the CA and root come from the stored PCK CRL issuer chain
   * (verified against the governance root on submission) as the verifier's pck_certificate_chain. */
  trimmed: bool = false;
  /** The parsed quote and its PCK leaf's extension (read before verification; kept for tcb-inputs.ts). */
  quote: Quote | null = null;
  ext: PckExtension = new PckExtension();
}

// ---------------------------------------------------------------------------------------------------
// Verdict reading

/** Maps a verifier error code to the registry's code (policy refusals keep their own registry codes). */
function mapVerifierCode(code: string): RegistryError {
  if (code == "TCB_STATUS_NOT_ACCEPTED") return RegistryError.TcbStatusNotAccepted;
  if (code == "ADVISORY_NOT_ALLOWED") return RegistryError.AdvisoryNotAllowed;
  if (code == "DEBUG_ENABLED") return RegistryError.DebugNotAllowed;
  if (code == "NONCE_MISMATCH") return RegistryError.BindingMismatch;
  return RegistryError.EvidenceRejected;
}

/** "<tee>/<CODE>: <message>" of a failed verdict. */
function verdictError(tee: string, verdict: JsonValue): string {
  const e = verdict.get("error");
  if (e === null || !e.isObject) return tee + "/UNKNOWN: the verifier gave no reason";
  return tee + "/" + jstr(e, "code") + ": " + jstr(e, "message");
}

function verdictCode(verdict: JsonValue): string {
  const e = verdict.get("error");
  return e === null || !e.isObject ? "" : jstr(e, "code");
}

/** The parsed verdict when it says ok=true, else null. */
function acceptedVerdict(bytes: Uint8Array): JsonValue | null {
  const v = parseJson(bytes);
  if (v === null || !v.isObject) return null;
  const ok = v.get("ok");
  if (ok === null || !ok.boolValue) return null;
  return v;
}

function copyClaims(out: CpuEvidence, claims: JsonValue, names: StaticArray<string>): void {
  for (let i = 0; i < names.length; i++) {
    const value = jstr(claims, names[i]);
    if (value.length == 0) continue;
    out.names.push(names[i]);
    out.values.push(value.toLowerCase());
  }
}

/** The shared first step of reading a CPU verdict: a rejection becomes `out.fail` with the verifier's
 * code (returns null); an acceptance must carry claims with a 64-byte report_data, which are copied
 * into `out` with the measurements and the TCB status. */
function takeAcceptedVerdict(out: CpuEvidence, verdictBytes: Uint8Array, tee: string, measurementNames: StaticArray<string>): JsonValue | null {
  const verdict = acceptedVerdict(verdictBytes);
  if (verdict === null) {
    const failed = parseJson(verdictBytes);
    if (failed === null) out.fail(RegistryError.EvidenceRejected, tee + "/UNKNOWN: unreadable verdict");
    else out.fail(mapVerifierCode(verdictCode(failed)), verdictError(tee, failed));
    return null;
  }
  const claims = verdict.get("claims");
  if (claims === null || !claims.isObject) { out.fail(RegistryError.EvidenceRejected, tee + "/UNKNOWN: accepted verdict without claims"); return null; }
  copyClaims(out, claims, measurementNames);
  const reportData = hexDecode(jstr(claims, "report_data"));
  if (reportData === null || reportData.length != 64) { out.fail(RegistryError.EvidenceRejected, tee + "/UNKNOWN: verdict without report_data"); return null; }
  out.reportData = reportData;
  out.tcbStatus = jstr(verdict, "status");
  return verdict;
}

function unavailable<T>(tee: string): string { return tee + " evidence verification is not available in this build"; }

// ---------------------------------------------------------------------------------------------------
// Intel TDX

/** FMSPC, PCK CA kind and PPID from the quote's PCK chain (unverified; verifyTdxEvidence checks it all). */
export function tdxPlatform(quoteBytes: Uint8Array): TdxPlatform {
  const out = new TdxPlatform();
  const quote = parseQuote(quoteBytes);
  if (quote === null) { out.detail = "tdx/" + changetype<TdxError>(quoteError).code + ": " + changetype<TdxError>(quoteError).message; return out; }
  if (!quote.isTdx) { out.detail = "tdx/UNSUPPORTED_QUOTE: only TDX quotes register (this is SGX)"; return out; }
  if (quote.certType != CERT_TYPE_PCK_CHAIN) { out.detail = "tdx/MALFORMED_QUOTE: the quote carries no PCK certificate chain (type 5)"; return out; }
  const chain = parsePemChain(quote.certData(), "the PCK chain");
  if (chain.failed) { out.detail = "tdx/" + chain.err.code + ": " + chain.err.message; return out; }
  const certs = chain.ok;
  if (certs.length != 1 && certs.length != 3) { out.detail = "tdx/CERT_CHAIN_INVALID: the PCK chain must be the leaf alone or leaf, CA and root"; return out; }
  const ext = parsePckExtension(certs[0]);
  if (ext.failed) { out.detail = "tdx/" + ext.err.code + ": " + ext.err.message; return out; }
  out.fmspc = hexEncode(ext.ok.fmspc);
  out.ppid = hexEncode(ext.ok.ppid);
  out.trimmed = certs.length == 1;
  // Which PCK CA (and so which stored CRL and issuer chain): the CA's CN, or for a lone leaf its issuer's.
  const caName = out.trimmed ? certs[0].issuer.commonName : certs[1].subject.commonName;
  out.ca = caName !== null && caName.includes(CN_PCK_PROCESSOR_CA) ? "processor" : "platform";
  out.quote = quote;
  out.ext = ext.ok;
  out.ok = true;
  return out;
}

/** The TDX verifier's policy JSON from the registry policy. */
export function tdxPolicyJson(p: Policy): Uint8Array {
  const w = new JsonWriter();
  w.beginObject().key("accepted_statuses").beginArray();
  for (let i = 0; i < p.acceptedTcbStatuses.length; i++) w.string(p.acceptedTcbStatuses[i]);
  w.endArray();
  const adv = p.allowedAdvisories;
  if (adv === null) w.fieldNull("allowed_advisories");
  else { w.key("allowed_advisories").beginArray(); for (let i = 0; i < adv.length; i++) w.string(adv[i]); w.endArray(); }
  w.fieldBool("allow_debug", p.allowDebug).endObject();
  return w.toBytes();
}

/**
 * Verifies a TDX quote against collateral the registry verified when it was submitted (so the
 * verifier skips the collateral signatures, and still checks pins, links, revocation and every window).
 * `bundle` is QuoteCollateralV3 JSON, or with `compact` the compact record of the same collateral
 * (tdx-records.ts; same verdict, a trimmed quote's leaf completed by the record's PCK issuer chain);
 * `rootDer` empty for Intel's pinned root.
 */
export function verifyTdxEvidence(quote: Uint8Array, bundle: Uint8Array, rootDer: Uint8Array, at: i64, policy: Policy, platform: TdxPlatform, compact: bool = false): CpuEvidence {
  const out = new CpuEvidence();
  out.tee = TEE_TDX;
  if (!VERIFIERS_AVAILABLE) return out.fail(RegistryError.EvidenceVerifierUnavailable, unavailable<CpuEvidence>(TEE_TDX));
  const verdictBytes = compact
    ? verifyTdxCompact(quote, bundle, rootDer, at, tdxPolicyJson(policy), platform.trimmed)
    : verifyTdx(quote, bundle, rootDer, at, tdxPolicyJson(policy), true);
  const verdict = takeAcceptedVerdict(out, verdictBytes, TEE_TDX, TDX_MEASUREMENTS);
  if (verdict === null) return out;
  const claims = changetype<JsonValue>(verdict.get("claims"));
  out.advisoryIds = jstrings(verdict, "advisory_ids");
  const attributes = hexDecode(jstr(claims, "td_attributes"));
  out.debug = attributes !== null && attributes.length > 0 && (attributes[0] & TDX_DEBUG_BIT) != 0;
  out.fmspc = jstr(claims, "fmspc").toLowerCase();
  out.pckCa = jstr(claims, "pck_ca");
  out.pckSerial = jstr(claims, "pck_serial").toLowerCase();
  out.tcbEvaluationDataNumber = ju64(claims, "tcb_evaluation_data_number");
  if (out.fmspc != platform.fmspc) return out.fail(RegistryError.EvidenceRejected, "tdx/FMSPC_MISMATCH: verified FMSPC differs from the pre-read one");
  out.ppid = platform.ppid;
  out.tcbInputs = encodeTdxInputs(changetype<Quote>(platform.quote), platform.ext);
  out.ok = true;
  return out;
}

export class Reappraisal {
  status: string = "";
  advisoryIds: Array<string> = [];
  /** "" when acceptable; else "<CODE>: <message>" of the verifier. */
  error: string = "";
}

/**
 * Intel's TCB evaluation and the TD policy again, for a quote verified at registration (its TCB inputs,
 * tcb-inputs.ts), against the TCB info and QE identity stored today. No signature and no time window is
 * checked: the quote was authenticated when it registered and the collateral when it was submitted.
 */
export function reappraiseTdx(record: Uint8Array, tcbInfo: Uint8Array, qeIdentity: Uint8Array, policy: Policy): Reappraisal {
  const out = new Reappraisal();
  const inputs = decodeTdxInputs(record);
  if (inputs === null) { out.error = "MALFORMED_QUOTE: stored TCB inputs do not decode"; return out; }
  const quote = inputs.quote;
  const ext = success<PckExtension>(inputs.ext);
  const info = parseTcbInfo(tcbInfo);
  if (info.failed) { out.error = info.err.code + ": " + info.err.message; return out; }
  const qe = parseQeIdentity(qeIdentity);
  if (qe.failed) { out.error = qe.err.code + ": " + qe.err.message; return out; }
  const qeCheck = checkQeReport(qe.ok, quote);
  let error: TdxError | null = qeCheck.error;
  if (error === null) error = matchTcbInfo(info.ok, quote, ext.ok);
  if (error === null) error = checkModuleIdentity(info.ok, quote);
  if (error !== null) { out.error = error.code + ": " + error.message; return out; }
  const tcb = evaluateTcb(info.ok, quote, ext.ok, changetype<IsvTcbLevel>(qeCheck.level));
  out.advisoryIds = tcb.advisories;
  const tcbError = tcb.error;
  if (tcbError !== null) { out.error = tcbError.code + ": " + tcbError.message; return out; }
  out.status = statusName(tcb.status);
  const p = parseTdxPolicy(tdxPolicyJson(policy));
  if (p.failed) { out.error = p.err.code + ": " + p.err.message; return out; }
  const evaluation = info.ok.evaluationDataNumber < qe.ok.evaluationDataNumber ? info.ok.evaluationDataNumber : qe.ok.evaluationDataNumber;
  const policyError = applyTdxPolicy(p.ok, quote, tcb, evaluation);
  if (policyError !== null) out.error = policyError.code + ": " + policyError.message;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// AMD SEV-SNP

/** The SNP verifier's options JSON: debug, per-product minimum TCB, and governance roots (hex DER). */
export function snpOptionsJson(p: Policy, roots: Array<string>, products: Array<string>): Uint8Array {
  const w = new JsonWriter();
  w.beginObject().fieldBool("allow_debug", p.allowDebug);
  if (p.minSnpTcb.length > 0) w.key("min_tcb").rawString(p.minSnpTcb);
  if (roots.length > 0) {
    w.key("roots").beginObject();
    for (let i = 0; i < roots.length; i++) w.fieldString(products[i], roots[i]);
    w.endObject();
  }
  w.endObject();
  return w.toBytes();
}

/** Verifies an SNP report with its VCEK/VLEK (and optional ASK/ARK chain) and the stored AMD CRLs. */
export function verifySnpEvidence(report: Uint8Array, vcek: Uint8Array, chain: Uint8Array, crls: Uint8Array, at: i64, options: Uint8Array): CpuEvidence {
  const out = new CpuEvidence();
  out.tee = TEE_SNP;
  if (!VERIFIERS_AVAILABLE) return out.fail(RegistryError.EvidenceVerifierUnavailable, unavailable<CpuEvidence>(TEE_SNP));
  const inputs = new SnpInputs();
  inputs.report = report;
  inputs.vcek = vcek;
  inputs.chain = chain;
  inputs.crl = crls;
  inputs.at = at;
  inputs.policy = options;
  const w = new JsonWriter();
  verifySnp(inputs, w);
  const verdictBytes = w.toBytes();
  const verdict = takeAcceptedVerdict(out, verdictBytes, TEE_SNP, SNP_MEASUREMENTS);
  if (verdict === null) return out;
  const claims = changetype<JsonValue>(verdict.get("claims"));
  out.chipId = jstr(claims, "chip_id").toLowerCase();
  out.product = jstr(claims, "product");
  const reported = claims.get("reported_tcb");
  out.reportedTcb = reported === null ? "" : String.UTF8.decode(reported.raw().buffer);
  const bits = claims.get("policy_bits");
  out.debug = bits !== null && bits.get("debug") !== null && changetype<JsonValue>(bits.get("debug")).boolValue;
  out.tcbInputs = encodeSnpInputs(report);
  out.ok = true;
  return out;
}

function snpProductIndex(name: string): i32 {
  for (let p = PRODUCT_MILAN; p < PRODUCT_COUNT; p++) if (productName(p) == name) return p;
  return 0;
}

/** The SNP appraisal policy again (no crypto) for a report verified at registration. "" = acceptable. */
export function reappraiseSnp(record: Uint8Array, product: string, options: Uint8Array): string {
  const report = decodeSnpInputs(record);
  if (report === null) return "MALFORMED_REPORT: stored TCB inputs do not decode";
  const parsed = parseReport(report);
  const r = parsed.report;
  if (r === null) return "MALFORMED_REPORT: stored report does not parse";
  const o = parseOptions(options);
  const opts = o.options;
  if (opts === null) return o.error!.code + ": " + o.error!.message;
  const e = evaluateSnpPolicy(opts.policy, r, snpProductIndex(product), "");
  return e === null ? "" : e.code + ": " + e.message;
}

// ---------------------------------------------------------------------------------------------------
// NVIDIA GPUs

/** The NVIDIA verifier's policy JSON: nonce and golden always required, governance root and extras. */
export function nvidiaPolicyJson(p: Policy, rootDerB64: string | null): Uint8Array {
  const w = new JsonWriter();
  w.beginObject().fieldBool("require_nonce", true).fieldBool("require_golden", true);
  if (rootDerB64 !== null) w.fieldString("root_pem", pemOf(rootDerB64));
  if (p.gpuPolicy.length > 0) {
    const extra = parseJson(utf8(p.gpuPolicy));
    if (extra !== null && extra.isObject) for (let i = 0; i < extra.keys.length; i++) w.key(extra.keys[i]).raw(extra.items[i].raw());
  }
  w.endObject();
  return w.toBytes();
}

// ---------------------------------------------------------------------------------------------------
// Governance input validation ("" = valid, else why not)

export function pemOf(derB64: string): string {
  return "-----BEGIN CERTIFICATE-----\n" + derB64 + "\n-----END CERTIFICATE-----\n";
}

export function validateIntelRoot(der: Uint8Array): string {
  const key = rootKeyFrom(der);
  return key.failed ? key.err.code + ": " + key.err.message : "";
}

export function validateAmdRoot(der: Uint8Array): string {
  const cert = parseCertificate(der);
  if (cert === null) return "not an X.509 certificate";
  return cert.publicKey.kind == KEY_RSA ? "" : "an AMD ARK has an RSA key";
}

export function validateNvidiaRoot(der: Uint8Array): string {
  clearFailure();
  return anchorFromPem(utf8(pemOf(base64Encode(der)))) === null ? lastFailure().code + ": " + lastFailure().message : "";
}

export function isTdxStatusName(name: string): bool { return statusFromName(name) != STATUS_INVALID; }

/** min_snp_tcb in the SNP verifier's min_tcb shape. */
export function validateSnpMinTcb(json: string): string {
  const w = new JsonWriter();
  w.beginObject().key("min_tcb").rawString(json).endObject();
  const o = parseOptions(w.toBytes());
  return o.error === null ? "" : o.error!.message;
}

export function validateGpuPolicy(json: string): string {
  clearFailure();
  return parseNvidiaPolicy(utf8(json)) === null ? lastFailure().message : "";
}

export function validateGolden(json: string): string {
  clearFailure();
  return parseGolden(utf8(json)) === null ? lastFailure().message : "";
}

/** Hex of an SNP ARK for the options "roots" map (stored as base64 DER). */
export function hexOfDer(der: Uint8Array): string { return hexEncode(der); }
