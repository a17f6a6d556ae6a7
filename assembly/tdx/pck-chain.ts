// The PCK certificate chain carried by the quote (certification data type 5: PEM leaf, PCK
// Platform/Processor CA, root) verified against verified collateral (spec tdx.md §2.4): root pinned
// by key, CA under the root and not revoked by the root CRL, leaf under the CA, valid at the given
// time, not revoked by the PCK CRL, and the PCK CRL issued by the leaf's issuer (Intel QVL requires
// it). Certificates byte-identical to ones verified with the collateral are not verified twice: the
// CA and root of a real quote are the same bytes as in pck_crl_issuer_chain, so a quote costs one
// certificate signature (the leaf).
import { Certificate } from "../encoding/x509";
import { CertificateList } from "../encoding/crl";
import { bytesEqual } from "../encoding/bytes";
import {
  TdxError, fail, MALFORMED_QUOTE, CERT_CHAIN_INVALID, CERT_EXPIRED, CERT_NOT_YET_VALID, CRL_ISSUER_MISMATCH,
} from "./errors";
import {
  parsePemChain, onlyPemBlocks, checkRoot, checkIssued, checkValidity, checkNotRevoked, cnContains, commonName,
  CN_PCK_LEAF, CN_PCK_PLATFORM_CA, CN_PCK_PROCESSOR_CA,
} from "./certs";
import { VerifiedCollateral } from "./collateral";
import { PckExtension, parsePckExtension } from "./pck";
import { Quote, CERT_TYPE_PCK_CHAIN } from "./quote";

/** leaf, intermediate CA, root */
const PCK_CHAIN_LENGTH: i32 = 3;

export class PckChain {
  leaf: Certificate | null = null;
  ca: Certificate | null = null;
  extension: PckExtension = new PckExtension();
  error: TdxError | null = null;

  /** The leaf's SEC1 public key (the QE report signer). */
  leafKey(): Uint8Array { return changetype<Certificate>(this.leaf).ecPoint(); }
}

function failed(out: PckChain, error: TdxError): PckChain { out.error = error; return out; }

/** The PEM text of the chain: the collateral's replacement if present, else the quote's type-5 data. */
function chainText(quote: Quote, vc: VerifiedCollateral): Uint8Array | null {
  const replacement = vc.pckChainOverride;
  if (replacement !== null) return replacement;
  if (quote.certType != CERT_TYPE_PCK_CHAIN) return null;
  return quote.certData();
}

/** Root and CA of the quote's chain. Returns the CA's key. */
function verifyUpper(root: Certificate, ca: Certificate, vc: VerifiedCollateral, at: i64): TdxError | null {
  const knownRoot = changetype<Certificate>(vc.rootCert);
  if (!bytesEqual(root.raw, knownRoot.raw)) {
    const error = checkRoot(root, vc.rootKey, true, "the PCK chain");
    if (error !== null) return error;
  }
  const rootWindow = checkValidity(root, at, "the root CA certificate", CERT_EXPIRED, CERT_NOT_YET_VALID);
  if (rootWindow !== null) return rootWindow;
  const knownCa = changetype<Certificate>(vc.pckCa);
  if (!bytesEqual(ca.raw, knownCa.raw)) {
    if (!ca.isCA() || !(cnContains(ca, CN_PCK_PLATFORM_CA) || cnContains(ca, CN_PCK_PROCESSOR_CA))) {
      return fail(CERT_CHAIN_INVALID, "the PCK chain's intermediate is not an Intel PCK CA (CN " + commonName(ca) + ")");
    }
    const error = checkIssued(ca, root, vc.rootKey, true, "the PCK CA certificate");
    if (error !== null) return error;
    // The PCK CRL was verified under the collateral's CA: this CA must be that issuer (same name and key).
    if (!bytesEqual(ca.subject.raw(), knownCa.subject.raw()) || !bytesEqual(ca.ecPoint(), knownCa.ecPoint())) {
      return fail(CRL_ISSUER_MISMATCH, "the PCK CRL is not issued by the quote's PCK CA (" + commonName(ca) + ")");
    }
  }
  const revoked = checkNotRevoked(ca, changetype<CertificateList>(vc.rootCrl), "the PCK CA certificate");
  if (revoked !== null) return revoked;
  return checkValidity(ca, at, "the PCK CA certificate", CERT_EXPIRED, CERT_NOT_YET_VALID);
}

export function verifyPckChain(quote: Quote, vc: VerifiedCollateral, at: i64): PckChain {
  const out = new PckChain();
  const text = chainText(quote, vc);
  if (text === null) return failed(out, fail(MALFORMED_QUOTE, "certification data type " + quote.certType.toString() + " carries no PCK chain"));
  if (!onlyPemBlocks(text)) return failed(out, fail(MALFORMED_QUOTE, "the PCK chain holds bytes outside its PEM blocks"));
  const parsed = parsePemChain(text, "the PCK chain");
  if (parsed.failed) return failed(out, parsed.err);
  const certs = parsed.ok;
  if (certs.length == 1 && vc.leafOnly && vc.pckCa !== null && vc.pckRoot !== null) {
    certs.push(changetype<Certificate>(vc.pckCa));
    certs.push(changetype<Certificate>(vc.pckRoot));
  }
  if (certs.length != PCK_CHAIN_LENGTH) {
    return failed(out, fail(CERT_CHAIN_INVALID, "the PCK chain has " + certs.length.toString() + " certificates, expected 3"));
  }
  const leaf = certs[0], ca = certs[1], root = certs[2];
  let error = verifyUpper(root, ca, vc, at);
  if (error !== null) return failed(out, error);
  if (leaf.isCA() || !cnContains(leaf, CN_PCK_LEAF)) {
    return failed(out, fail(CERT_CHAIN_INVALID, "the PCK leaf is not an \"Intel SGX PCK Certificate\" (CN " + commonName(leaf) + ")"));
  }
  error = checkIssued(leaf, ca, ca.ecPoint(), true, "the PCK certificate");
  if (error !== null) return failed(out, error);
  error = checkValidity(leaf, at, "the PCK certificate", CERT_EXPIRED, CERT_NOT_YET_VALID);
  if (error !== null) return failed(out, error);
  const crl = changetype<CertificateList>(vc.pckCrl);
  if (!bytesEqual(leaf.issuer.raw(), crl.issuer.raw())) {
    return failed(out, fail(CRL_ISSUER_MISMATCH, "the PCK CRL is not issued by the PCK certificate's issuer (" + commonName(ca) + ")"));
  }
  error = checkNotRevoked(leaf, crl, "the PCK certificate");
  if (error !== null) return failed(out, error);
  const extension = parsePckExtension(leaf);
  if (extension.failed) return failed(out, extension.err);
  out.leaf = leaf;
  out.ca = ca;
  out.extension = extension.ok;
  return out;
}
