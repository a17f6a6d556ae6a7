// Verification of collateral submitted piece by piece (submit_collateral), built from the TDX and SNP
// verifiers' own building blocks so the rules are theirs (spec tdx.md §2.3, snp.md §3.5):
//
//   tdx_tcb_info   issuer chain [TCB Signing, root] pinned to the Intel root, signer not revoked by the
//                  stored root CRL, ECDSA signature over the exact TCB info bytes, TDX id, time window
//   qe_identity    the same for the QE identity (id TD_QE)
//   pck_crl        issuer chain [PCK Platform/Processor CA, root], CRL issued and signed by that CA
//   root_crl       issued by and signed with the Intel root key
//   amd_crl        issued by an AMD ARK (the product comes from its CN) and signed with its RSA-PSS key
//
// Only what passes is stored; registration later re-runs the full verifier over the stored pieces
// (assembled into QuoteCollateralV3, signatures skipped, pins/links/revocation/windows re-checked).
// Like evidence.ts, this file reads no storage: callers pass what is stored.
import { bytesEqual } from "../../assembly/encoding/bytes";
import { hexEncode } from "../../assembly/encoding/hex";
import { Certificate, parseCertificate } from "../../assembly/encoding/x509";
import { CertificateList, parseCrl, crlError } from "../../assembly/encoding/crl";
import { KEY_RSA } from "../../assembly/encoding/x509-algorithm";
import { rootKeyFrom } from "../../assembly/tdx/roots";
import {
  parsePemChain, checkRoot, checkIssued, checkNotRevoked, checkValidity, cnContains, commonName, CN_ROOT, CN_TCB_SIGNING,
  CN_PCK_PLATFORM_CA, CN_PCK_PROCESSOR_CA,
} from "../../assembly/tdx/certs";
import { crlSignedBy, verifyBytes } from "../../assembly/tdx/signature";
import { parseTcbInfo } from "../../assembly/tdx/tcb-info";
import { parseQeIdentity, QE_ID_TDX } from "../../assembly/tdx/qe-identity";
import { TdxError } from "../../assembly/tdx/errors";
import { decodeCrls, bundleError } from "../../assembly/snp/bundle";
import { commonNameOf, isAmdName } from "../../assembly/snp/vcek";
import { isAmdPss, verifyAmdPss } from "../../assembly/snp/signatures";
import { RsaPublicKey, defaultTrustStore } from "../../assembly/snp/roots";
import { PRODUCT_MILAN, PRODUCT_COUNT, productName, productKey } from "../../assembly/snp/tcb";
import { VERIFIERS_AVAILABLE } from "./evidence";

/** Outcome of one piece: ok, or a "<tee>/<CODE>: <message>" detail. */
export class CollateralCheck {
  ok: bool = false;
  detail: string = "";
  unavailable: bool = false;
  /** Storage key suffix: FMSPC (hex) for TCB info, "processor"/"platform" for PCK CRLs, product for AMD. */
  key: string = "";
  /** Unix seconds: issueDate / thisUpdate, nextUpdate. */
  issued: i64 = 0;
  nextUpdate: i64 = 0;
  /** tcbEvaluationDataNumber of TCB info and QE identity; 0 for CRLs. */
  evaluationDataNumber: i64 = 0;

  fail(detail: string): CollateralCheck { this.ok = false; this.detail = detail; return this; }
}

function tdxFail(out: CollateralCheck, e: TdxError): CollateralCheck { return out.fail("tdx/" + e.code + ": " + e.message); }

function start(): CollateralCheck {
  const out = new CollateralCheck();
  if (!VERIFIERS_AVAILABLE) { out.unavailable = true; out.detail = "collateral verification is not available in this build"; }
  return out;
}

function inWindow(out: CollateralCheck, what: string, from: i64, until: i64, at: i64): bool {
  if (at < from) { out.fail("tdx/COLLATERAL_NOT_YET_VALID: " + what + " is not valid yet"); return false; }
  if (at > until) { out.fail("tdx/COLLATERAL_EXPIRED: " + what + " has expired"); return false; }
  return true;
}

/** [signer, root]: root pinned to `rootDer` (empty = Intel's key), signer issued and signed by it, valid at
 * `at`, not revoked by the stored root CRL. Returns the signer or null (out failed). */
function issuerChain(out: CollateralCheck, chainPem: Uint8Array, rootDer: Uint8Array, rootCrl: Uint8Array, at: i64, what: string): Certificate | null {
  const key = rootKeyFrom(rootDer);
  if (key.failed) { tdxFail(out, key.err); return null; }
  const chain = parsePemChain(chainPem, what);
  if (chain.failed) { tdxFail(out, chain.err); return null; }
  const certs = chain.ok;
  if (certs.length != 2) { out.fail("tdx/CERT_CHAIN_INVALID: " + what + " must be [signer, root]"); return null; }
  let e = checkRoot(certs[1], key.ok, true, what);
  if (e === null) e = checkIssued(certs[0], certs[1], key.ok, true, what);
  if (e === null) e = checkValidity(certs[0], at, what, "CERT_EXPIRED", "CERT_NOT_YET_VALID");
  if (e === null && rootCrl.length > 0) {
    const crl = parseCrl(rootCrl);
    if (crl !== null) e = checkNotRevoked(certs[0], crl, what);
  }
  if (e !== null) { tdxFail(out, e); return null; }
  return certs[0];
}

/** A TDX TCB info: {"tcbInfo": …} text exactly as signed, its 64-byte r||s signature, and the PEM chain. */
export function checkTcbInfo(text: Uint8Array, signature: Uint8Array, chainPem: Uint8Array, rootDer: Uint8Array, rootCrl: Uint8Array, at: i64): CollateralCheck {
  const out = start();
  if (out.unavailable) return out;
  const info = parseTcbInfo(text);
  if (info.failed) return tdxFail(out, info.err);
  if (!info.ok.isTdx) return out.fail("tdx/TCB_INFO_MISMATCH: only TDX TCB info (id \"TDX\") is accepted");
  const signer = issuerChain(out, chainPem, rootDer, rootCrl, at, "the TCB info issuer chain");
  if (signer === null) return out;
  if (signer.isCA() || !cnContains(signer, CN_TCB_SIGNING)) return out.fail("tdx/CERT_CHAIN_INVALID: the TCB info signer is not Intel's TCB Signing certificate");
  if (!verifyBytes(text, signature, signer.ecPoint())) return out.fail("tdx/TCB_INFO_SIGNATURE_INVALID: the signature does not verify over the exact TCB info bytes");
  if (!inWindow(out, "the TCB info", info.ok.issueDate, info.ok.nextUpdate, at)) return out;
  out.key = hexEncode(info.ok.fmspc);
  out.issued = info.ok.issueDate;
  out.nextUpdate = info.ok.nextUpdate;
  out.evaluationDataNumber = info.ok.evaluationDataNumber;
  out.ok = true;
  return out;
}

/** The TD QE identity: {"enclaveIdentity": …} text exactly as signed, signature, PEM chain. */
export function checkQeIdentity(text: Uint8Array, signature: Uint8Array, chainPem: Uint8Array, rootDer: Uint8Array, rootCrl: Uint8Array, at: i64): CollateralCheck {
  const out = start();
  if (out.unavailable) return out;
  const qe = parseQeIdentity(text);
  if (qe.failed) return tdxFail(out, qe.err);
  if (qe.ok.id != QE_ID_TDX) return out.fail("tdx/QE_IDENTITY_MISMATCH: only the TD QE identity (id \"TD_QE\") is accepted");
  const signer = issuerChain(out, chainPem, rootDer, rootCrl, at, "the QE identity issuer chain");
  if (signer === null) return out;
  if (signer.isCA() || !cnContains(signer, CN_TCB_SIGNING)) return out.fail("tdx/CERT_CHAIN_INVALID: the QE identity signer is not Intel's TCB Signing certificate");
  if (!verifyBytes(text, signature, signer.ecPoint())) return out.fail("tdx/QE_IDENTITY_SIGNATURE_INVALID: the signature does not verify over the exact QE identity bytes");
  if (!inWindow(out, "the QE identity", qe.ok.issueDate, qe.ok.nextUpdate, at)) return out;
  out.key = "tdx";
  out.issued = qe.ok.issueDate;
  out.nextUpdate = qe.ok.nextUpdate;
  out.evaluationDataNumber = qe.ok.evaluationDataNumber;
  out.ok = true;
  return out;
}

function crlOf(out: CollateralCheck, der: Uint8Array, what: string): CertificateList | null {
  const crl = parseCrl(der);
  if (crl === null) { out.fail("tdx/MALFORMED_CRL: " + what + " does not parse (" + crlError + ")"); return null; }
  if (!crl.hasNextUpdate()) { out.fail("tdx/MALFORMED_CRL: " + what + " has no nextUpdate"); return null; }
  return crl;
}

/** A PCK CRL (DER) with its issuer chain [PCK Platform/Processor CA, root]. */
export function checkPckCrl(der: Uint8Array, chainPem: Uint8Array, rootDer: Uint8Array, rootCrl: Uint8Array, at: i64): CollateralCheck {
  const out = start();
  if (out.unavailable) return out;
  const crl = crlOf(out, der, "the PCK CRL");
  if (crl === null) return out;
  const ca = issuerChain(out, chainPem, rootDer, rootCrl, at, "the PCK CRL issuer chain");
  if (ca === null) return out;
  const processor = cnContains(ca, CN_PCK_PROCESSOR_CA);
  if (!ca.isCA() || !(processor || cnContains(ca, CN_PCK_PLATFORM_CA))) return out.fail("tdx/CERT_CHAIN_INVALID: the PCK CRL issuer is not an Intel PCK CA (" + commonName(ca) + ")");
  if (!bytesEqual(crl.issuer.raw(), ca.subject.raw())) return out.fail("tdx/CRL_ISSUER_MISMATCH: the PCK CRL is not issued by " + commonName(ca));
  if (!crlSignedBy(crl, ca.ecPoint())) return out.fail("tdx/CRL_SIGNATURE_INVALID: the PCK CRL signature is invalid");
  if (!inWindow(out, "the PCK CRL", crl.thisUpdate, crl.nextUpdate, at)) return out;
  out.key = processor ? "processor" : "platform";
  out.issued = crl.thisUpdate;
  out.nextUpdate = crl.nextUpdate;
  out.ok = true;
  return out;
}

/** The Intel root CA CRL (DER), signed by the root key. */
export function checkRootCrl(der: Uint8Array, rootDer: Uint8Array, at: i64): CollateralCheck {
  const out = start();
  if (out.unavailable) return out;
  const crl = crlOf(out, der, "the root CA CRL");
  if (crl === null) return out;
  const key = rootKeyFrom(rootDer);
  if (key.failed) return tdxFail(out, key.err);
  if (rootDer.length > 0) {
    const root = parseCertificate(rootDer);
    if (root === null || !bytesEqual(crl.issuer.raw(), root.subject.raw())) return out.fail("tdx/CRL_ISSUER_MISMATCH: the root CA CRL is not issued by the configured root");
  } else {
    const cn = crl.issuer.commonName;
    if (cn === null || !cn.includes(CN_ROOT)) return out.fail("tdx/CRL_ISSUER_MISMATCH: the root CA CRL is not issued by \"" + CN_ROOT + "\"");
  }
  if (!crlSignedBy(crl, key.ok)) return out.fail("tdx/CRL_SIGNATURE_INVALID: the root CA CRL signature is invalid");
  if (!inWindow(out, "the root CA CRL", crl.thisUpdate, crl.nextUpdate, at)) return out;
  out.key = "intel";
  out.issued = crl.thisUpdate;
  out.nextUpdate = crl.nextUpdate;
  out.ok = true;
  return out;
}

function arkKey(product: i32, arkDer: Uint8Array): RsaPublicKey | null {
  if (arkDer.length == 0) return defaultTrustStore().ark(product);
  const cert = parseCertificate(arkDer);
  if (cert === null || cert.publicKey.kind != KEY_RSA) return null;
  return new RsaPublicKey(cert.publicKey.modulus, cert.publicKey.exponent);
}

/** Product (1..3) named by an AMD CRL's issuer ("ARK-Milan", …), or 0. */
export function amdCrlProduct(der: Uint8Array): i32 {
  const crls = decodeCrls(der);
  if (crls === null || crls.length != 1) return 0;
  const cn = commonNameOf(crls[0].issuer);
  for (let p = PRODUCT_MILAN; p < PRODUCT_COUNT; p++) if (cn == "ARK-" + productName(p) && isAmdName(crls[0].issuer, cn)) return p;
  return 0;
}

/** An AMD KDS CRL (DER or PEM, one CRL) signed by the ARK of its product (`arkDer` empty = AMD's pin). */
export function checkAmdCrl(der: Uint8Array, arkDer: Uint8Array, at: i64): CollateralCheck {
  const out = start();
  if (out.unavailable) return out;
  const crls = decodeCrls(der);
  if (crls === null || crls.length != 1) return out.fail("snp/MALFORMED_CRL: expected exactly one CRL (" + bundleError + ")");
  const crl = crls[0];
  const product = amdCrlProduct(der);
  if (product == 0) return out.fail("snp/CRL_ISSUER_MISMATCH: the CRL issuer '" + commonNameOf(crl.issuer) + "' is not an AMD ARK");
  const key = arkKey(product, arkDer);
  if (key === null) return out.fail("snp/ARK_UNTRUSTED: no trusted ARK for " + productName(product));
  if (!isAmdPss(crl.signatureAlgorithm) || !verifyAmdPss(key, crl.raw, crl.tbsStart, crl.tbsEnd, crl.signature)) {
    return out.fail("snp/CRL_SIGNATURE_INVALID: the CRL is not signed by the ARK-" + productName(product) + " key");
  }
  if (at < crl.thisUpdate) return out.fail("snp/CRL_EXPIRED: the CRL is not valid yet");
  if (crl.hasNextUpdate() && at > crl.nextUpdate) return out.fail("snp/CRL_EXPIRED: the CRL has expired");
  out.key = productKey(product);
  out.issued = crl.thisUpdate;
  out.nextUpdate = crl.hasNextUpdate() ? crl.nextUpdate : 0;
  out.ok = true;
  return out;
}

/** The DER of the single CRL in `data` (DER or PEM), for storage. */
export function amdCrlDer(data: Uint8Array): Uint8Array {
  const crls = decodeCrls(data);
  return crls === null || crls.length != 1 ? new Uint8Array(0) : crls[0].raw;
}
