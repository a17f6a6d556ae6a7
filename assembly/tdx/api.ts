// The TDX verifier's entry points, shared by build/verifier.wasm (exports/tdx.ts) and the contracts:
// bytes in, Verdict JSON out. parse (quote.ts, collateral.ts) -> verify (collateral.ts, verify.ts)
// -> policy (policy.ts) -> verdict (verdict.ts).
import { JsonWriter } from "../encoding/json-writer";
import { hexEncode } from "../encoding/hex";
import { TdxError } from "./errors";
import { parseQuote, quoteError, Quote, CERT_TYPE_PCK_CHAIN } from "./quote";
import { parseCollateral, verifyCollateral, collateralError, VerifiedCollateral } from "./collateral";
import { rootKeyFrom } from "./roots";
import { Policy, parsePolicy, applyPolicy } from "./policy";
import { verifyQuote } from "./verify";
import { verdictJson, failureJson, writeQuoteFields, writePlatform } from "./verdict";
import { parsePemChain } from "./certs";
import { parsePckExtension } from "./pck";
import { formatIsoTime } from "./time";
import { statusName } from "./status";
import { Certificate } from "../encoding/x509";
import { CertificateList } from "../encoding/crl";
import { cnContains, CN_PCK_PROCESSOR_CA } from "./certs";

function teeOf(quote: Uint8Array): string {
  // Header byte 4 is the TEE type (0x81 TDX, 0 SGX); anything unparsable is reported as "tdx".
  return quote.length > 4 && quote[4] == 0 ? "sgx" : "tdx";
}

/** Parses and verifies collateral (signatures skipped when `trusted`), or sets `error[0]`. */
export function loadCollateral(collateral: Uint8Array, root: Uint8Array, at: i64, trusted: bool, error: Array<TdxError>): VerifiedCollateral | null {
  const key = rootKeyFrom(root);
  if (key.failed) { error.push(key.err); return null; }
  const raw = parseCollateral(collateral);
  if (raw.failed) { error.push(raw.err); return null; }
  const vc = verifyCollateral(raw.ok, key.ok, at, trusted);
  if (vc === null) { error.push(changetype<TdxError>(collateralError)); return null; }
  return vc;
}

/**
 * Full verification: quote + QuoteCollateralV3 JSON + root (empty = Intel's pinned key) at `at`
 * (Unix seconds, block time on chain) under a policy (empty = strict defaults). With `trusted`, the
 * collateral is taken as verified earlier by this code (signature checks skipped, everything else
 * checked) — for collateral stored on chain after verification.
 */
export function verifyTdx(quoteBytes: Uint8Array, collateral: Uint8Array, root: Uint8Array, at: i64, policyBytes: Uint8Array, trusted: bool): Uint8Array {
  const tee = teeOf(quoteBytes);
  const policy = parsePolicy(policyBytes);
  if (policy.failed) return failureJson(policy.err, tee);
  const quote = parseQuote(quoteBytes);
  if (quote === null) return failureJson(changetype<TdxError>(quoteError), tee);
  const error = new Array<TdxError>();
  const vc = loadCollateral(collateral, root, at, trusted, error);
  if (vc === null) return failureJson(error[0], tee);
  return verdictFor(quote, vc, at, policy.ok);
}

/** Verdict for a parsed quote against collateral already loaded (e.g. once per contract call for
 * several quotes), at `at` under `policy`. */
export function verdictFor(quote: Quote, vc: VerifiedCollateral, at: i64, policy: Policy): Uint8Array {
  const v = verifyQuote(quote, vc, at);
  let policyError: TdxError | null = null;
  const tcb = v.tcb;
  if (v.ok && tcb !== null) {
    const tcbEval = vc.tcbInfo.evaluationDataNumber, qeEval = vc.qeIdentity.evaluationDataNumber;
    policyError = applyPolicy(policy, quote, tcb, tcbEval < qeEval ? tcbEval : qeEval);
  }
  return verdictJson(v, policyError);
}

/** Collateral verification alone: what the registry runs before storing collateral. */
export function verifyTdxCollateral(collateral: Uint8Array, root: Uint8Array, at: i64): Uint8Array {
  const error = new Array<TdxError>();
  const vc = loadCollateral(collateral, root, at, false, error);
  if (vc === null) return failureJson(error[0], "tdx");
  return collateralSummary(vc);
}

function collateralSummary(vc: VerifiedCollateral): Uint8Array {
  const w = new JsonWriter();
  const info = vc.tcbInfo;
  const ca = changetype<Certificate>(vc.pckCa);
  w.beginObject();
  w.fieldBool("ok", true);
  w.fieldString("tee", info.isTdx ? "tdx" : "sgx");
  w.fieldString("fmspc", hexEncode(info.fmspc));
  w.fieldString("pce_id", hexEncode(info.pceId));
  w.fieldU64("tcb_evaluation_data_number", <u64>info.evaluationDataNumber);
  w.fieldU64("qe_identity_evaluation_data_number", <u64>vc.qeIdentity.evaluationDataNumber);
  w.fieldString("qe_identity_id", vc.qeIdentity.id);
  w.fieldString("pck_ca", cnContains(ca, CN_PCK_PROCESSOR_CA) ? "processor" : "platform");
  w.fieldU64("pck_crl_entries", <u64>changetype<CertificateList>(vc.pckCrl).revoked.length);
  w.fieldString("valid_from", formatIsoTime(vc.notBefore));
  w.fieldString("valid_until", formatIsoTime(vc.notAfter));
  w.fieldString("valid_from_item", vc.notBeforeItem);
  w.fieldString("valid_until_item", vc.notAfterItem);
  w.key("tcb_levels").beginArray();
  for (let i = 0; i < info.levels.length; i++) w.string(statusName(info.levels[i].status));
  w.endArray();
  w.fieldNull("error");
  w.endObject();
  return w.toBytes();
}

/** Debugging: the parsed quote and, when its PCK chain decodes, the PCK platform fields — nothing
 * verified ("verified": false). */
export function parseTdxQuote(quoteBytes: Uint8Array): Uint8Array {
  const quote = parseQuote(quoteBytes);
  if (quote === null) return failureJson(changetype<TdxError>(quoteError), teeOf(quoteBytes));
  return parsedQuoteJson(quote);
}

function parsedQuoteJson(q: Quote): Uint8Array {
  const w = new JsonWriter();
  w.beginObject();
  w.fieldBool("ok", true);
  w.fieldBool("verified", false);
  w.fieldString("tee", q.isTdx ? "tdx" : "sgx");
  w.fieldU64("signed_size", <u64>q.signedEnd);
  w.fieldU64("cert_type", <u64>q.certType);
  w.fieldU64("cert_data_size", <u64>q.certDataSize);
  w.fieldU64("qe_auth_data_size", <u64>q.authDataSize);
  w.fieldU64("trailing_bytes", <u64>q.trailing);
  w.key("claims").beginObject();
  writeQuoteFields(w, q);
  if (q.certType == CERT_TYPE_PCK_CHAIN) {
    const chain = parsePemChain(q.certData(), "the PCK chain");
    if (!chain.failed) {
      const certs = chain.ok;
      const ext = parsePckExtension(certs[0]);
      if (!ext.failed) writePlatform(w, ext.ok, certs[0], certs.length > 1 ? certs[1] : null);
    }
  }
  w.endObject();
  w.fieldNull("error");
  w.endObject();
  return w.toBytes();
}
