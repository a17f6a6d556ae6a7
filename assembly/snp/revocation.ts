// AMD CRLs (KDS /vcek/v1/{product}/crl and /vlek/v1/{product}/crl; spec snp.md §3.5): issued and signed
// by the product's ARK with RSASSA-PSS SHA-384, they revoke intermediates (ASK/ASVK serials), as
// go-sev-guest verifyCRL does. The VCEK's serial is checked too, although AMD issues every VCEK with
// serial 0 and supersedes VCEKs by raising the TCB instead.
//
// CRLs are optional; a caller may pass the CRLs of several products at once, so a CRL signed by another
// product's ARK is skipped (it cannot speak about this chain). One naming a non-AMD issuer is refused.
import { CertificateList } from "../encoding/crl";
import { hexEncode } from "../encoding/hex";
import { SnpError, chainError, CRL_ISSUER_MISMATCH, CRL_SIGNATURE_INVALID, CRL_EXPIRED, CERT_REVOKED } from "./errors";
import { ChainResult } from "./chain";
import { isAmdName, commonNameOf } from "./vcek";
import { isAmdPss, verifyAmdPss } from "./signatures";
import { productName, PRODUCT_MILAN, PRODUCT_COUNT } from "./tcb";

const CN_ARK_PREFIX = "ARK-";

/** Index of the product whose ARK name this CRL's issuer has, or 0. */
function crlProduct(crl: CertificateList): i32 {
  const cn = commonNameOf(crl.issuer);
  for (let p = PRODUCT_MILAN; p < PRODUCT_COUNT; p++) {
    if (cn == CN_ARK_PREFIX + productName(p) && isAmdName(crl.issuer, cn)) return p;
  }
  return 0;
}

function checkOne(crl: CertificateList, chain: ChainResult, vcekSerial: Uint8Array, at: i64): SnpError | null {
  const arkName = CN_ARK_PREFIX + productName(chain.product);
  if (!isAmdPss(crl.signatureAlgorithm)) return chainError(CRL_SIGNATURE_INVALID, "the " + arkName + " CRL is not signed with RSASSA-PSS SHA-384 salt 48");
  if (!verifyAmdPss(chain.arkKey!, crl.raw, crl.tbsStart, crl.tbsEnd, crl.signature)) {
    return chainError(CRL_SIGNATURE_INVALID, "the CRL is not signed by the pinned " + arkName);
  }
  if (at < crl.thisUpdate) return chainError(CRL_EXPIRED, "the CRL is not valid before " + crl.thisUpdate.toString());
  if (crl.hasNextUpdate() && at > crl.nextUpdate) return chainError(CRL_EXPIRED, "the CRL expired at " + crl.nextUpdate.toString());
  if (crl.isRevoked(chain.intermediateSerial)) {
    return chainError(CERT_REVOKED, (chain.vlek ? "ASVK" : "ASK") + " serial " + hexEncode(chain.intermediateSerial) + " is revoked");
  }
  if (crl.isRevoked(vcekSerial)) return chainError(CERT_REVOKED, (chain.vlek ? "VLEK" : "VCEK") + " serial " + hexEncode(vcekSerial) + " is revoked");
  return null;
}

/** Applies every CRL issued by this chain's ARK. */
export function checkRevocation(crls: Array<CertificateList>, chain: ChainResult, vcekSerial: Uint8Array, at: i64): SnpError | null {
  for (let i = 0; i < crls.length; i++) {
    const crl = crls[i];
    const product = crlProduct(crl);
    if (product == 0) return chainError(CRL_ISSUER_MISMATCH, "CRL issuer '" + commonNameOf(crl.issuer) + "' is not an AMD ARK");
    if (product != chain.product) continue;
    const e = checkOne(crl, chain, vcekSerial, at);
    if (e !== null) return e;
  }
  return null;
}
