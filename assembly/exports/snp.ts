// SEV-SNP operations reachable from JS (src/wasm/snp.ts), the CLI and browsers. Every export returns a
// blob with JSON; none traps on bad input (malformed bytes become MALFORMED_* verdicts).
import { input, blob } from "../abi";
import { JsonWriter } from "../encoding/json-writer";
import { parseReport } from "../snp/report";
import { writeClaims, writeVerdict, writeError, PRODUCT_SOURCE_CPUID, PRODUCT_SOURCE_HINT, PRODUCT_SOURCE_ASSUMED } from "../snp/claims";
import { PRODUCT_UNKNOWN, PRODUCT_COUNT } from "../snp/tcb";
import { parseOptions } from "../snp/options";
import { evaluatePolicy } from "../snp/policy";
import { verifySnp, SnpInputs } from "../snp/verify";
import { parseCertificate, x509Error } from "../encoding/x509";
import { KEY_RSA } from "../encoding/x509-algorithm";
import { isAmdPss, verifyAmdPss } from "../snp/signatures";
import { RsaPublicKey } from "../snp/roots";

/** Product for claims: CPUID when it names a supported product, else the hint (1 Milan, 2 Genoa,
 * 3 Turin, 0 none). */
function claimProduct(cpuid: i32, hint: i32): i32 {
  if (cpuid != PRODUCT_UNKNOWN) return cpuid;
  return hint > 0 && hint < PRODUCT_COUNT ? hint : PRODUCT_UNKNOWN;
}

function productSource(cpuid: i32, hint: i32): string {
  if (cpuid != PRODUCT_UNKNOWN) return PRODUCT_SOURCE_CPUID;
  return hint > 0 && hint < PRODUCT_COUNT ? PRODUCT_SOURCE_HINT : PRODUCT_SOURCE_ASSUMED;
}

/** Parses a report without any verification: {"ok":true,"claims":{…}} or {"ok":false,"error":{…}}.
 * `productHint` decodes v2 TCBs for a known product (v3+ use CPUID and ignore it). */
export function snp_parse(reportPointer: usize, reportLength: u32, productHint: i32): usize {
  const parsed = parseReport(input(reportPointer, reportLength));
  const w = new JsonWriter();
  w.beginObject();
  const report = parsed.report;
  if (report === null) {
    w.fieldBool("ok", false);
    writeError(w, parsed.error!);
  } else {
    w.fieldBool("ok", true).key("claims");
    writeClaims(w, report, claimProduct(report.cpuidProduct, productHint), productSource(report.cpuidProduct, productHint), null);
  }
  w.endObject();
  return blob(w.toBytes());
}

/** Re-applies a policy to a report that snp_verify already accepted (the registry re-appraises stored
 * evidence when governance changes the policy). Performs NO signature or chain check: never use it on
 * evidence that was not verified. `product` as in snp_parse; a v3+ report's CPUID wins. */
export function snp_appraise(reportPointer: usize, reportLength: u32, product: i32, policyPointer: usize, policyLength: u32): usize {
  const parsed = parseReport(input(reportPointer, reportLength));
  const options = parseOptions(input(policyPointer, policyLength));
  const w = new JsonWriter();
  const report = parsed.report;
  let error = parsed.error;
  // A v3+ report's product is its CPUID's, whatever the caller says (snp_verify required them to agree).
  const hint = report !== null && report.hasCpuid ? PRODUCT_UNKNOWN : product;
  const p = report !== null ? claimProduct(report.cpuidProduct, hint) : PRODUCT_UNKNOWN;
  if (error === null) error = options.error;
  if (error === null) error = evaluatePolicy(options.options!.policy, report!, p, "");
  writeVerdict(w, error, report, p, report !== null ? productSource(report.cpuidProduct, hint) : PRODUCT_SOURCE_ASSUMED, null);
  return blob(w.toBytes());
}

/** Full verification: report + VCEK/VLEK (DER or PEM; a PEM may carry the ASK/ARK after it) + optional
 * chain (PEM or concatenated DER: ASK/ASVK then ARK) + optional CRLs (PEM or DER) at Unix time `at`,
 * under the policy JSON (snp/options.ts). Returns the Verdict JSON. */
export function snp_verify(reportPointer: usize, reportLength: u32, vcekPointer: usize, vcekLength: u32, chainPointer: usize,
  chainLength: u32, crlPointer: usize, crlLength: u32, at: i64, policyPointer: usize, policyLength: u32): usize {
  const inputs = new SnpInputs();
  inputs.report = input(reportPointer, reportLength);
  inputs.vcek = input(vcekPointer, vcekLength);
  inputs.chain = input(chainPointer, chainLength);
  inputs.crl = input(crlPointer, crlLength);
  inputs.at = at;
  inputs.policy = input(policyPointer, policyLength);
  const w = new JsonWriter();
  verifySnp(inputs, w);
  return blob(w.toBytes());
}

/** One AMD chain link, for differential tests: is `child` (DER) signed by `issuer` (DER, RSA key) with
 * AMD's RSASSA-PSS profile? {"profile":bool,"signature":bool} or {"error":"<x509 code>"}. */
export function snp_check_link(childPointer: usize, childLength: u32, issuerPointer: usize, issuerLength: u32): usize {
  const w = new JsonWriter();
  const child = parseCertificate(input(childPointer, childLength));
  if (child === null) return blob(w.beginObject().fieldString("error", x509Error).endObject().toBytes());
  const issuer = parseCertificate(input(issuerPointer, issuerLength));
  if (issuer === null) return blob(w.beginObject().fieldString("error", x509Error).endObject().toBytes());
  const profile = isAmdPss(child.signatureAlgorithm);
  const rsa = issuer.publicKey.kind == KEY_RSA;
  const key = new RsaPublicKey(issuer.publicKey.modulus, issuer.publicKey.exponent);
  const ok = profile && rsa && verifyAmdPss(key, child.raw, child.tbsStart, child.tbsEnd, child.signature);
  w.beginObject().fieldBool("profile", profile).fieldBool("signature", ok).endObject();
  return blob(w.toBytes());
}
