// Collateral in dcap-qvl's QuoteCollateralV3 JSON shape (the Intel PCCS bundle): parsing, and the
// verification of spec tdx.md §2.3 — Root CA CRL, TCB-signing and PCK-CRL issuer chains to the pinned
// root, PCK CRL, TCB info and QE identity signed over their exact JSON bytes, and every validity
// window against the verification time.
//
// The result (VerifiedCollateral: parsed TCB levels, QE identity, CRLs with their serial sets, issuer
// certificates, the intersected validity window) is what quote verification consumes. It can be
// produced again from stored collateral without repeating the signature checks (`trusted = true`):
// that is how the registry keeps verified collateral on chain and verifies many quotes against it.
import { parseJson, jsonError, JsonValue } from "../encoding/json";
import { bytesEqual } from "../encoding/bytes";
import { jsonStringBytes, jsonHexBytes } from "./fields";
import { Certificate } from "../encoding/x509";
import { CertificateList, parseCrl, crlError } from "../encoding/crl";
import {
  TdxError, fail, Result, success, failure, failWith, MALFORMED_COLLATERAL, MALFORMED_CRL, CERT_CHAIN_INVALID, CRL_SIGNATURE_INVALID, CRL_ISSUER_MISMATCH,
  TCB_INFO_SIGNATURE_INVALID, QE_IDENTITY_SIGNATURE_INVALID, COLLATERAL_EXPIRED, COLLATERAL_NOT_YET_VALID,
} from "./errors";
import {
  parsePemChain, checkRoot, checkIssued, checkNotRevoked, cnContains, commonName, CN_TCB_SIGNING, CN_ROOT,
} from "./certs";
import { crlSignedBy, verifyBytes, P256_RAW_SIGNATURE_SIZE } from "./signature";
import { TcbInfo, parseTcbInfo } from "./tcb-info";
import { QeIdentity, parseQeIdentity } from "./qe-identity";
import { formatIsoTime } from "./time";

/** Upper bound on the collateral document (real bundles are 12–20 KB). */
export const MAX_COLLATERAL_SIZE: i32 = 1 << 20;
/** An issuer chain is the signer and the root. */
const ISSUER_CHAIN_LENGTH: i32 = 2;

/** The fields of QuoteCollateralV3, still encoded (bytes of PEM/JSON text, DER of CRLs). */
export class RawCollateral {
  pckCrlIssuerChain: Uint8Array = new Uint8Array(0);
  rootCaCrl: Uint8Array = new Uint8Array(0);
  pckCrl: Uint8Array = new Uint8Array(0);
  tcbInfoIssuerChain: Uint8Array = new Uint8Array(0);
  /** The exact signed bytes. */
  tcbInfo: Uint8Array = new Uint8Array(0);
  tcbInfoSignature: Uint8Array = new Uint8Array(0);
  qeIdentityIssuerChain: Uint8Array = new Uint8Array(0);
  qeIdentity: Uint8Array = new Uint8Array(0);
  qeIdentitySignature: Uint8Array = new Uint8Array(0);
  /** Optional PCK chain overriding the quote's certification data (e.g. quotes with PPID only). */
  pckCertificateChain: Uint8Array | null = null;
}

export class VerifiedCollateral {
  rootKey: Uint8Array = new Uint8Array(0);
  rootCert: Certificate | null = null;
  rootCrl: CertificateList | null = null;
  pckCa: Certificate | null = null;
  pckCrl: CertificateList | null = null;
  tcbSigner: Certificate | null = null;
  tcbInfo: TcbInfo = new TcbInfo();
  qeIdentity: QeIdentity = new QeIdentity();
  pckChainOverride: Uint8Array | null = null;
  /** The root of the PCK CRL issuer chain (usually byte-identical to rootCert). */
  pckRoot: Certificate | null = null;
  /** Compact-record callers only: a quote chain of the PCK leaf alone is completed with pckCa and
   * pckRoot, exactly as a pck_certificate_chain of leaf + pck_crl_issuer_chain would be. */
  leafOnly: bool = false;
  /** Intersection of every validity window (certificates, CRLs, TCB info, QE identity). */
  notBefore: i64 = i64.MIN_VALUE;
  notAfter: i64 = i64.MAX_VALUE;
  /** What bounds the window, for messages. */
  notBeforeItem: string = "";
  notAfterItem: string = "";

  /** Narrows the window by [from, until] of `item`. */
  window(item: string, from: i64, until: i64): void {
    if (from > this.notBefore) { this.notBefore = from; this.notBeforeItem = item; }
    if (until < this.notAfter) { this.notAfter = until; this.notAfterItem = item; }
  }
}

// ---------------------------------------------------------------------------------------------------
// Parsing the JSON envelope

function textField(root: JsonValue, key: string, optional: bool, error: Array<string>): Uint8Array | null {
  const v = root.get(key);
  if (v === null) { if (!optional) error.push("missing field \"" + key + "\""); return null; }
  const bytes = jsonStringBytes(v);
  if (bytes === null) error.push("field \"" + key + "\" is not a string");
  return bytes;
}

function hexField(root: JsonValue, key: string, error: Array<string>): Uint8Array {
  const v = root.get(key);
  let bytes: Uint8Array | null = null;
  if (v !== null) bytes = jsonHexBytes(v);
  if (bytes === null || bytes.length == 0) { error.push("field \"" + key + "\" is not hex"); return new Uint8Array(0); }
  return bytes;
}

/** The signed JSON: a string holding the exact text (QuoteCollateralV3), or the object itself, whose raw
 * span is the signed text (as in the Intel PCS body). */
function signedJsonField(root: JsonValue, key: string, error: Array<string>): Uint8Array {
  const v = root.get(key);
  if (v === null) { error.push("missing field \"" + key + "\""); return new Uint8Array(0); }
  if (v.isObject) return v.raw();
  const bytes = jsonStringBytes(v);
  if (bytes === null) { error.push("field \"" + key + "\" is neither a string nor an object"); return new Uint8Array(0); }
  return bytes;
}

export function parseCollateral(bytes: Uint8Array): Result<RawCollateral> {
  if (bytes.length > MAX_COLLATERAL_SIZE) return failure<RawCollateral>(MALFORMED_COLLATERAL, "collateral is larger than " + MAX_COLLATERAL_SIZE.toString() + " bytes");
  const root = parseJson(bytes);
  if (root === null) return failure<RawCollateral>(MALFORMED_COLLATERAL, "collateral is not JSON: " + jsonError);
  if (!root.isObject) return failure<RawCollateral>(MALFORMED_COLLATERAL, "collateral is not a JSON object");
  const error = new Array<string>();
  const c = new RawCollateral();
  const empty = new Uint8Array(0);
  let t = textField(root, "pck_crl_issuer_chain", false, error);
  c.pckCrlIssuerChain = t === null ? empty : t;
  c.rootCaCrl = hexField(root, "root_ca_crl", error);
  c.pckCrl = hexField(root, "pck_crl", error);
  t = textField(root, "tcb_info_issuer_chain", false, error);
  c.tcbInfoIssuerChain = t === null ? empty : t;
  c.tcbInfo = signedJsonField(root, "tcb_info", error);
  c.tcbInfoSignature = hexField(root, "tcb_info_signature", error);
  t = textField(root, "qe_identity_issuer_chain", false, error);
  c.qeIdentityIssuerChain = t === null ? empty : t;
  c.qeIdentity = signedJsonField(root, "qe_identity", error);
  c.qeIdentitySignature = hexField(root, "qe_identity_signature", error);
  c.pckCertificateChain = textField(root, "pck_certificate_chain", true, error);
  if (error.length > 0) return failure<RawCollateral>(MALFORMED_COLLATERAL, error[0]);
  if (c.tcbInfoSignature.length != P256_RAW_SIGNATURE_SIZE || c.qeIdentitySignature.length != P256_RAW_SIGNATURE_SIZE) {
    return failure<RawCollateral>(MALFORMED_COLLATERAL, "TCB info and QE identity signatures must be 64 bytes (r || s)");
  }
  return success<RawCollateral>(c);
}

// ---------------------------------------------------------------------------------------------------
// Verification: parse every part first (malformed input gets its MALFORMED_* code whatever else is
// wrong), then authenticate, then check the time windows.

/** Every part decoded, nothing verified yet. Issuer chains are [signer, root]. */
class ParsedCollateral {
  tcbChain: Array<Certificate> = [];
  qeChain: Array<Certificate> = [];
  pckChain: Array<Certificate> = [];
  rootCrl: CertificateList | null = null;
  pckCrl: CertificateList | null = null;
  tcbInfo: TcbInfo = new TcbInfo();
  qeIdentity: QeIdentity = new QeIdentity();
}

function issuerChain(text: Uint8Array, what: string, error: Array<TdxError>): Array<Certificate> {
  const parsed = parsePemChain(text, what);
  if (parsed.failed) { error.push(parsed.err); return []; }
  const certs = parsed.ok;
  if (certs.length != ISSUER_CHAIN_LENGTH) {
    error.push(fail(CERT_CHAIN_INVALID, what + " has " + certs.length.toString() + " certificates, expected 2"));
    return [];
  }
  return certs;
}

function crlField(der: Uint8Array, what: string, error: Array<TdxError>): CertificateList | null {
  const crl = parseCrl(der);
  if (crl === null) { error.push(fail(MALFORMED_CRL, what + " does not parse (" + crlError + ")")); return null; }
  if (!crl.hasNextUpdate()) { error.push(fail(MALFORMED_CRL, what + " has no nextUpdate")); return null; }
  return crl;
}

function parseParts(raw: RawCollateral): Result<ParsedCollateral> {
  const p = new ParsedCollateral();
  const error = new Array<TdxError>();
  p.tcbChain = issuerChain(raw.tcbInfoIssuerChain, "the TCB info issuer chain", error);
  // Intel signs TCB info and QE identity with the same certificate: the same PEM is decoded once.
  if (error.length == 0) {
    p.qeChain = bytesEqual(raw.qeIdentityIssuerChain, raw.tcbInfoIssuerChain)
      ? p.tcbChain : issuerChain(raw.qeIdentityIssuerChain, "the QE identity issuer chain", error);
  }
  if (error.length == 0) p.pckChain = issuerChain(raw.pckCrlIssuerChain, "the PCK CRL issuer chain", error);
  if (error.length == 0) p.rootCrl = crlField(raw.rootCaCrl, "the root CA CRL", error);
  if (error.length == 0) p.pckCrl = crlField(raw.pckCrl, "the PCK CRL", error);
  if (error.length == 0) {
    const info = parseTcbInfo(raw.tcbInfo);
    if (info.failed) error.push(info.err); else p.tcbInfo = info.ok;
  }
  if (error.length == 0) {
    const qe = parseQeIdentity(raw.qeIdentity);
    if (qe.failed) error.push(qe.err); else p.qeIdentity = qe.ok;
  }
  return error.length > 0 ? failWith<ParsedCollateral>(error[0]) : success<ParsedCollateral>(p);
}

/** The root of an issuer chain: the pinned key, a self-issued CA. A root byte-identical to the first
 * one is not verified again.
 *
 * Its self-signature is NOT checked (one P-256 verification saved per collateral): the root is trusted
 * because its key is the pinned one (compared byte for byte), and a self-signature made with that key
 * proves nothing more — anyone able to forge it holds the root key and could sign anything else too.
 * Every certificate and CRL below the root is still verified against the pinned key itself. (The
 * quote's own PCK chain still checks the self-signature of a root that is not byte-identical to this
 * one, so that no byte of the quote's certification data goes unauthenticated; see pck-chain.ts.) */
function verifyRoot(root: Certificate, vc: VerifiedCollateral, trusted: bool, what: string): TdxError | null {
  const first = vc.rootCert;
  if (first !== null && bytesEqual(root.raw, first.raw)) return null;
  const error = checkRoot(root, vc.rootKey, false, what);
  if (error !== null) return error;
  if (!cnContains(root, CN_ROOT)) return fail(CERT_CHAIN_INVALID, what + ": the root CN is not \"" + CN_ROOT + "\"");
  if (first === null) vc.rootCert = root;
  vc.window("the root CA certificate", root.notBefore, root.notAfter);
  return null;
}

/** A certificate directly under the root (TCB signer or PCK CA): link, signature, root CRL, window. */
function verifyUnderRoot(cert: Certificate, root: Certificate, vc: VerifiedCollateral, trusted: bool, what: string): TdxError | null {
  const error = checkIssued(cert, root, vc.rootKey, !trusted, what);
  if (error !== null) return error;
  const revoked = checkNotRevoked(cert, changetype<CertificateList>(vc.rootCrl), what);
  if (revoked !== null) return revoked;
  vc.window(what, cert.notBefore, cert.notAfter);
  return null;
}

/** The TCB-signing certificate: an end entity with Intel's CN, under the root. */
function verifyTcbSigner(chain: Array<Certificate>, vc: VerifiedCollateral, trusted: bool, what: string): TdxError | null {
  const cert = chain[0];
  if (cert.isCA() || !cnContains(cert, CN_TCB_SIGNING)) {
    return fail(CERT_CHAIN_INVALID, what + " is not an \"Intel SGX TCB Signing\" end-entity certificate (CN " + commonName(cert) + ")");
  }
  return verifyUnderRoot(cert, chain[1], vc, trusted, what);
}

function verifyRootCrl(p: ParsedCollateral, vc: VerifiedCollateral, trusted: bool): TdxError | null {
  const crl = changetype<CertificateList>(p.rootCrl);
  const root = changetype<Certificate>(vc.rootCert);
  if (!bytesEqual(crl.issuer.raw(), root.subject.raw())) return fail(CRL_ISSUER_MISMATCH, "the root CA CRL is not issued by the root");
  if (!trusted && !crlSignedBy(crl, vc.rootKey)) return fail(CRL_SIGNATURE_INVALID, "the root CA CRL signature is invalid");
  vc.rootCrl = crl;
  vc.window("the root CA CRL", crl.thisUpdate, crl.nextUpdate);
  return null;
}

function verifySignedJson(raw: RawCollateral, p: ParsedCollateral, vc: VerifiedCollateral, trusted: bool): TdxError | null {
  let error = verifyTcbSigner(p.tcbChain, vc, trusted, "the TCB info signing certificate");
  if (error !== null) return error;
  const tcbSigner = p.tcbChain[0];
  if (!trusted && !verifyBytes(raw.tcbInfo, raw.tcbInfoSignature, tcbSigner.ecPoint())) {
    return fail(TCB_INFO_SIGNATURE_INVALID, "the TCB info signature does not verify over the exact TCB info bytes");
  }
  vc.tcbSigner = tcbSigner;
  vc.tcbInfo = p.tcbInfo;
  vc.window("the TCB info", p.tcbInfo.issueDate, p.tcbInfo.nextUpdate);
  // Usually the same certificate signs the QE identity: its signature is then verified once.
  const qeSigner = p.qeChain[0];
  const same = bytesEqual(qeSigner.raw, tcbSigner.raw);
  error = verifyTcbSigner(p.qeChain, vc, trusted || same, "the QE identity signing certificate");
  if (error !== null) return error;
  if (!trusted && !verifyBytes(raw.qeIdentity, raw.qeIdentitySignature, qeSigner.ecPoint())) {
    return fail(QE_IDENTITY_SIGNATURE_INVALID, "the QE identity signature does not verify over the exact QE identity bytes");
  }
  vc.qeIdentity = p.qeIdentity;
  vc.window("the QE identity", p.qeIdentity.issueDate, p.qeIdentity.nextUpdate);
  return null;
}

/** PCK CRL and its issuer (Platform or Processor CA). */
function verifyPckCrl(p: ParsedCollateral, vc: VerifiedCollateral, trusted: bool): TdxError | null {
  const ca = p.pckChain[0];
  if (!ca.isCA()) return fail(CERT_CHAIN_INVALID, "the PCK CRL issuer is not a CA");
  const error = verifyUnderRoot(ca, p.pckChain[1], vc, trusted, "the PCK CA certificate");
  if (error !== null) return error;
  const crl = changetype<CertificateList>(p.pckCrl);
  if (!bytesEqual(crl.issuer.raw(), ca.subject.raw())) return fail(CRL_ISSUER_MISMATCH, "the PCK CRL is not issued by " + commonName(ca));
  if (!trusted && !crlSignedBy(crl, ca.ecPoint())) return fail(CRL_SIGNATURE_INVALID, "the PCK CRL signature is invalid");
  vc.pckCa = ca;
  vc.pckRoot = p.pckChain[1];
  vc.pckCrl = crl;
  vc.window("the PCK CRL", crl.thisUpdate, crl.nextUpdate);
  return null;
}

function authenticate(raw: RawCollateral, p: ParsedCollateral, vc: VerifiedCollateral, trusted: bool): TdxError | null {
  let error = verifyRoot(p.tcbChain[1], vc, trusted, "the TCB info issuer chain");
  if (error === null) error = verifyRoot(p.qeChain[1], vc, trusted, "the QE identity issuer chain");
  if (error === null) error = verifyRoot(p.pckChain[1], vc, trusted, "the PCK CRL issuer chain");
  if (error === null) error = verifyRootCrl(p, vc, trusted);
  if (error === null) error = verifySignedJson(raw, p, vc, trusted);
  if (error === null) error = verifyPckCrl(p, vc, trusted);
  return error;
}

/** Last failure of verifyCollateral (valid right after it returned null). */
export let collateralError: TdxError | null = null;

/**
 * Verifies collateral against the pinned root key at time `at` (Unix seconds). With `trusted` the
 * signature checks are skipped — only for collateral this code verified before and stored (the
 * structure, the pin, issuer links, revocation and every time window are still checked).
 */
export function verifyCollateral(raw: RawCollateral, rootKey: Uint8Array, at: i64, trusted: bool): VerifiedCollateral | null {
  collateralError = null;
  const parsed = parseParts(raw);
  if (parsed.failed) {
    collateralError = parsed.err;
    return null;
  }
  const vc = new VerifiedCollateral();
  vc.rootKey = rootKey;
  vc.pckChainOverride = raw.pckCertificateChain;
  let error = authenticate(raw, parsed.ok, vc, trusted);
  if (error === null) error = checkCollateralTime(vc, at);
  if (error !== null) {
    collateralError = error;
    return null;
  }
  return vc;
}

/** The verification time against the intersected window (also for stored collateral, later). */
export function checkCollateralTime(vc: VerifiedCollateral, at: i64): TdxError | null {
  if (at < vc.notBefore) return fail(COLLATERAL_NOT_YET_VALID, vc.notBeforeItem + " is valid only from " + formatIsoTime(vc.notBefore));
  if (at > vc.notAfter) return fail(COLLATERAL_EXPIRED, vc.notAfterItem + " expired at " + formatIsoTime(vc.notAfter));
  return null;
}
