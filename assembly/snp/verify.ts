// SEV-SNP verification, end to end, in the go-sev-guest order: parse everything (report, certificates,
// CRLs, policy) -> chain (pinned ARK -> ASK/ASVK -> VCEK/VLEK, CRLs) -> binding (VCEK extensions vs
// report) -> report signature -> policy. The first failure decides the verdict; its stage tells a crypto
// failure from a policy refusal. Each step lives in its own file; this one only sequences them.
import { JsonWriter } from "../encoding/json-writer";
import { Certificate } from "../encoding/x509";
import { SnpError, parseError, MALFORMED_VCEK, MALFORMED_CHAIN, MALFORMED_CRL, STAGE_SIGNATURE, REPORT_SIGNATURE_INVALID } from "./errors";
import { SnpReport, parseReport } from "./report";
import { SnpOptions, parseOptions } from "./options";
import { decodeCertificates, decodeCrls, bundleError } from "./bundle";
import { KdsExtensions, decodeKdsExtensions } from "./vcek";
import { ChainResult, verifyChain } from "./chain";
import { checkRevocation } from "./revocation";
import { checkBinding } from "./binding";
import { verifyReportSignature } from "./signatures";
import { evaluatePolicy } from "./policy";
import { writeVerdict, Endorsement, PRODUCT_SOURCE_CPUID, PRODUCT_SOURCE_CHAIN, PRODUCT_SOURCE_ASSUMED } from "./claims";
import { PRODUCT_UNKNOWN } from "./tcb";

export class SnpInputs {
  report: Uint8Array = new Uint8Array(0);
  /** The VCEK/VLEK (DER or PEM); further certificates in a PEM join the chain. */
  vcek: Uint8Array = new Uint8Array(0);
  chain: Uint8Array = new Uint8Array(0);
  crl: Uint8Array = new Uint8Array(0);
  /** Unix seconds (block time on chain). */
  at: i64 = 0;
  policy: Uint8Array = new Uint8Array(0);
}

/** Mutable progress of one verification, so each step can stay a small function. */
class Session {
  report: SnpReport | null = null;
  options: SnpOptions | null = null;
  vcek: Certificate | null = null;
  others: Array<Certificate> = [];
  extensions: KdsExtensions | null = null;
  chain: ChainResult | null = null;
  endorsement: Endorsement | null = null;
}

function decodeInputs(inputs: SnpInputs, s: Session): SnpError | null {
  const certs = decodeCertificates(inputs.vcek);
  if (certs === null) return parseError(MALFORMED_VCEK, bundleError);
  if (certs.length == 0) return parseError(MALFORMED_VCEK, "no endorsement certificate supplied");
  s.vcek = certs[0];
  for (let i = 1; i < certs.length; i++) s.others.push(certs[i]);
  const chain = decodeCertificates(inputs.chain);
  if (chain === null) return parseError(MALFORMED_CHAIN, bundleError);
  for (let i = 0; i < chain.length; i++) s.others.push(chain[i]);
  s.extensions = decodeKdsExtensions(s.vcek!);
  if (s.extensions === null) return parseError(MALFORMED_VCEK, "a malformed AMD KDS extension");
  return null;
}

function endorsementOf(vcek: Certificate, x: KdsExtensions, vlek: bool): Endorsement {
  const e = new Endorsement();
  e.kind = vlek ? "VLEK" : "VCEK";
  const name = x.productName;
  e.productName = name !== null ? name : "";
  const csp = x.cspId;
  e.cspId = csp !== null ? csp : "";
  e.notBefore = vcek.notBefore;
  e.notAfter = vcek.notAfter;
  return e;
}

/** Chain, CRLs, binding and signature: everything cryptographic. */
function verifyCrypto(inputs: SnpInputs, s: Session): SnpError | null {
  const report = s.report!;
  const vcek = s.vcek!;
  const crls = decodeCrls(inputs.crl);
  if (crls === null) return parseError(MALFORMED_CRL, bundleError);
  const chain = verifyChain(vcek, s.others, s.options!.trust, inputs.at, report.hasCpuid, report.cpuidProduct);
  if (chain.error !== null) return chain.error;
  s.chain = chain;
  s.endorsement = endorsementOf(vcek, s.extensions!, chain.vlek);
  const revoked = checkRevocation(crls, chain, vcek.serial, inputs.at);
  if (revoked !== null) return revoked;
  const binding = checkBinding(report, chain.product, chain.vlek, s.extensions!);
  if (binding !== null) return binding;
  if (!verifyReportSignature(report, vcek.ecPoint())) {
    return new SnpError(REPORT_SIGNATURE_INVALID, "the report is not signed by this " + (chain.vlek ? "VLEK" : "VCEK"), STAGE_SIGNATURE);
  }
  return null;
}

function run(inputs: SnpInputs, s: Session): SnpError | null {
  const parsed = parseReport(inputs.report);
  if (parsed.error !== null) return parsed.error;
  s.report = parsed.report;
  const options = parseOptions(inputs.policy);
  if (options.error !== null) return options.error;
  s.options = options.options;
  const decoded = decodeInputs(inputs, s);
  if (decoded !== null) return decoded;
  const crypto = verifyCrypto(inputs, s);
  if (crypto !== null) return crypto;
  const chain = s.chain!;
  const e = s.endorsement!;
  return evaluatePolicy(s.options!.policy, s.report!, chain.product, e.cspId);
}

/** Verifies and writes the Verdict JSON into `w`. */
export function verifySnp(inputs: SnpInputs, w: JsonWriter): void {
  const s = new Session();
  const error = run(inputs, s);
  const report = s.report;
  let product = PRODUCT_UNKNOWN;
  let source = PRODUCT_SOURCE_ASSUMED;
  const chain = s.chain;
  if (chain !== null) { product = chain.product; source = report!.hasCpuid ? PRODUCT_SOURCE_CPUID : PRODUCT_SOURCE_CHAIN; }
  else if (report !== null && report.cpuidProduct != PRODUCT_UNKNOWN) { product = report.cpuidProduct; source = PRODUCT_SOURCE_CPUID; }
  writeVerdict(w, error, report, product, source, s.endorsement);
}
