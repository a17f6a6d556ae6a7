// The AMD certificate chain of an SEV-SNP report (spec snp.md §3): ARK (pinned per product by key) ->
// ASK (VCEK path) or ASVK (VLEK path) -> VCEK/VLEK, every link RSASSA-PSS SHA-384 salt 48.
//
// The product comes from the VCEK's issuer (CN=SEV-<product> or SEV-VLEK-<product>) and is accepted only
// if that product's pinned ARK anchors the chain: that is how a v2 report (no CPUID) gets its product
// (spec §1.2: "take the product from the chain that actually verifies"); on v3+ it must equal CPUID's.
// The KDS productName extension is never used for this (go-sev-guest #115/#152: it is often wrong).
//
// Intermediates: when the caller supplies any, the one whose subject is the VCEK's issuer must be among
// them and is verified against the ARK (no silent fallback to a pinned copy: a Genoa VCEK with a Milan
// chain fails). With none supplied, the pinned ASK/ASVK of the product is used (roots.ts). A supplied
// ARK must carry the pinned key. Every supplied certificate must be one of these; strays are refused.
import { Certificate } from "../encoding/x509";
import { KEY_EC, KEY_RSA, CURVE_P384 } from "../encoding/x509-algorithm";
import { bytesEqual } from "../encoding/bytes";
import { SnpError, chainError, CERT_NAME_MISMATCH, CERT_BAD_PROFILE, UNSUPPORTED_PRODUCT, PRODUCT_MISMATCH, ARK_UNTRUSTED,
  CHAIN_INCOMPLETE, ASK_SIGNATURE_INVALID, VCEK_SIGNATURE_INVALID, CERT_NOT_YET_VALID, CERT_EXPIRED } from "./errors";
import { TrustStore, RsaPublicKey, PinnedIntermediate } from "./roots";
import { sha256 } from "../crypto/sha256";
import { isAmdName, commonNameOf, isAmdExtension } from "./vcek";
import { isAmdPss, verifyAmdPss, AMD_RSA_MODULUS_BYTES } from "./signatures";
import { productName, PRODUCT_UNKNOWN, PRODUCT_MILAN, PRODUCT_COUNT } from "./tcb";
import { OID_KEY_USAGE, OID_BASIC_CONSTRAINTS } from "../encoding/oids";
import { oidIs } from "../encoding/der";
import { KEY_USAGE_KEY_CERT_SIGN } from "../encoding/x509-extensions";

const CN_VCEK = "SEV-VCEK";
const CN_VLEK = "SEV-VLEK";
const CN_ASK_PREFIX = "SEV-";
const CN_ASVK_PREFIX = "SEV-VLEK-";
const CN_ARK_PREFIX = "ARK-";
const X509_V3: i32 = 3;

/** What the chain established: the product, the key kind, and the intermediate (for CRL checks). */
export class ChainResult {
  error: SnpError | null = null;
  product: i32 = PRODUCT_UNKNOWN;
  vlek: bool = false;
  arkKey: RsaPublicKey | null = null;
  intermediateSerial: Uint8Array = new Uint8Array(0);
}

function fail(result: ChainResult, code: string, message: string): ChainResult {
  result.error = chainError(code, message);
  return result;
}

/** Product by name ("Milan" -> PRODUCT_MILAN); PRODUCT_UNKNOWN otherwise. */
function productByName(name: string): i32 {
  for (let p = PRODUCT_MILAN; p < PRODUCT_COUNT; p++) if (productName(p) == name) return p;
  return PRODUCT_UNKNOWN;
}

/** Reads product and kind from the VCEK's issuer CN and checks both AMD names. */
function identify(vcek: Certificate, result: ChainResult): bool {
  const issuer = commonNameOf(vcek.issuer);
  let suffix = "";
  if (issuer.startsWith(CN_ASVK_PREFIX)) { result.vlek = true; suffix = issuer.substring(CN_ASVK_PREFIX.length); }
  else if (issuer.startsWith(CN_ASK_PREFIX)) suffix = issuer.substring(CN_ASK_PREFIX.length);
  else { fail(result, CERT_NAME_MISMATCH, "endorsement issuer CN '" + issuer + "' is not an AMD ASK/ASVK"); return false; }
  result.product = productByName(suffix);
  if (result.product == PRODUCT_UNKNOWN) { fail(result, UNSUPPORTED_PRODUCT, "product '" + suffix + "' is not supported"); return false; }
  if (!isAmdName(vcek.issuer, issuer)) { fail(result, CERT_NAME_MISMATCH, "endorsement issuer is not an AMD name"); return false; }
  const subject = result.vlek ? CN_VLEK : CN_VCEK;
  if (!isAmdName(vcek.subject, subject)) {
    fail(result, CERT_NAME_MISMATCH, "endorsement subject CN '" + commonNameOf(vcek.subject) + "' is not " + subject + " for issuer " + issuer);
    return false;
  }
  return true;
}

/** Critical extensions we do not understand make a certificate unusable (RFC 5280 §4.2). */
function unknownCritical(cert: Certificate): bool {
  for (let i = 0; i < cert.extensions.length; i++) {
    const e = cert.extensions[i];
    if (!e.critical) continue;
    const known = oidIs(cert.raw, e.oidStart, e.oidEnd, OID_KEY_USAGE) || oidIs(cert.raw, e.oidStart, e.oidEnd, OID_BASIC_CONSTRAINTS) ||
      isAmdExtension(cert.raw, e.oidStart, e.oidEnd);
    if (!known) return true;
  }
  return false;
}

/** AMD's profile for a VCEK/VLEK: X.509 v3, P-384 key, PSS-SHA384 signature, not a CA. */
function vcekProfile(vcek: Certificate): string {
  if (vcek.version != X509_V3) return "endorsement certificate is not X.509 v3";
  if (vcek.publicKey.kind != KEY_EC || vcek.publicKey.curve != CURVE_P384) return "endorsement key is not EC P-384";
  if (!isAmdPss(vcek.signatureAlgorithm)) return "endorsement signature is not RSASSA-PSS SHA-384 salt 48";
  if (vcek.isCA()) return "endorsement certificate is a CA";
  if (unknownCritical(vcek)) return "endorsement has an unknown critical extension";
  return "";
}

/** AMD's profile for an ASK/ASVK: v3, RSA-4096, PSS-SHA384, a CA allowed to sign certificates. */
function intermediateProfile(cert: Certificate): string {
  if (cert.version != X509_V3) return "intermediate is not X.509 v3";
  if (cert.publicKey.kind != KEY_RSA || cert.publicKey.modulus.length != AMD_RSA_MODULUS_BYTES) return "intermediate key is not RSA-4096";
  if (!isAmdPss(cert.signatureAlgorithm)) return "intermediate signature is not RSASSA-PSS SHA-384 salt 48";
  if (!cert.isCA()) return "intermediate is not a CA";
  if (cert.keyUsage >= 0 && (cert.keyUsage & KEY_USAGE_KEY_CERT_SIGN) == 0) return "intermediate may not sign certificates";
  if (unknownCritical(cert)) return "intermediate has an unknown critical extension";
  return "";
}

function checkValidity(cert: Certificate, role: string, at: i64, result: ChainResult): bool {
  if (at < cert.notBefore) { fail(result, CERT_NOT_YET_VALID, role + " is not valid before " + cert.notBefore.toString()); return false; }
  if (at > cert.notAfter) { fail(result, CERT_EXPIRED, role + " expired at " + cert.notAfter.toString()); return false; }
  return true;
}

function sameKey(a: RsaPublicKey, modulus: Uint8Array, exponent: Uint8Array): bool {
  return bytesEqual(a.modulus, modulus) && bytesEqual(a.exponent, exponent);
}

/** True when others[index] is byte-identical to an earlier entry. */
function repeated(others: Array<Certificate>, index: i32): bool {
  for (let j = 0; j < index; j++) if (bytesEqual(others[j].raw, others[index].raw)) return true;
  return false;
}

/** Sorts the supplied certificates into the intermediate (subject == VCEK issuer) and ARKs; anything else
 * is refused. Returns the intermediate's index, -1 when none, or -2 on error. */
function classify(vcek: Certificate, others: Array<Certificate>, result: ChainResult, ark: RsaPublicKey): i32 {
  const arkCn = CN_ARK_PREFIX + productName(result.product);
  const issuer = vcek.issuer.raw();
  let found = -1;
  for (let i = 0; i < others.length; i++) {
    const c = others[i];
    // The endorsement or an intermediate repeated (a VCEK+ASK+ARK bundle plus the ASK/ARK chain).
    if (bytesEqual(c.raw, vcek.raw) || repeated(others, i)) continue;
    if (bytesEqual(c.subject.raw(), issuer)) {
      if (found >= 0) { fail(result, CERT_NAME_MISMATCH, "two certificates named " + commonNameOf(vcek.issuer)); return -2; }
      found = i;
    } else if (commonNameOf(c.subject) == arkCn) {
      if (!isAmdName(c.subject, arkCn) || !isAmdName(c.issuer, arkCn)) { fail(result, CERT_NAME_MISMATCH, arkCn + " has a non-AMD name"); return -2; }
      if (c.publicKey.kind != KEY_RSA || !sameKey(ark, c.publicKey.modulus, c.publicKey.exponent)) {
        fail(result, ARK_UNTRUSTED, "the supplied " + arkCn + " does not carry the pinned key");
        return -2;
      }
    } else {
      fail(result, CERT_NAME_MISMATCH, "unexpected certificate CN '" + commonNameOf(c.subject) + "' in the chain");
      return -2;
    }
  }
  return found;
}

/** True when `cert` is byte-for-byte the pinned AMD intermediate (the ARK -> ASK link verified once). */
function isPinnedCertificate(cert: Certificate, pinned: PinnedIntermediate | null): bool {
  return pinned !== null && bytesEqual(sha256(cert.raw), pinned.derSha256);
}

/** Verifies a supplied ASK/ASVK against the ARK key; returns its key or null (result.error set). Names,
 * profile and validity are always checked; the RSA signature is skipped only for AMD's own certificate. */
function verifyIntermediate(cert: Certificate, ark: RsaPublicKey, pinned: PinnedIntermediate | null, at: i64,
  result: ChainResult): RsaPublicKey | null {
  const arkCn = CN_ARK_PREFIX + productName(result.product);
  const role = commonNameOf(cert.subject);
  if (!isAmdName(cert.subject, role) || !isAmdName(cert.issuer, arkCn)) {
    fail(result, CERT_NAME_MISMATCH, "intermediate '" + role + "' is not issued by " + arkCn);
    return null;
  }
  const profile = intermediateProfile(cert);
  if (profile.length > 0) { fail(result, CERT_BAD_PROFILE, profile); return null; }
  if (!checkValidity(cert, role, at, result)) return null;
  if (!isPinnedCertificate(cert, pinned) && !verifyAmdPss(ark, cert.raw, cert.tbsStart, cert.tbsEnd, cert.signature)) {
    fail(result, ASK_SIGNATURE_INVALID, role + " is not signed by " + arkCn);
    return null;
  }
  result.intermediateSerial = cert.serial;
  return new RsaPublicKey(cert.publicKey.modulus, cert.publicKey.exponent);
}

/** The intermediate's key: supplied (verified here) or pinned. Null with result.error on failure. */
function intermediateKey(vcek: Certificate, others: Array<Certificate>, trust: TrustStore, ark: RsaPublicKey, at: i64,
  result: ChainResult): RsaPublicKey | null {
  const index = classify(vcek, others, result, ark);
  if (index == -2) return null;
  let suppliedIntermediates = false;
  for (let i = 0; i < others.length; i++) {
    const cn = commonNameOf(others[i].subject);
    if (!bytesEqual(others[i].raw, vcek.raw) && !cn.startsWith(CN_ARK_PREFIX)) suppliedIntermediates = true;
  }
  if (index >= 0) return verifyIntermediate(others[index], ark, trust.intermediate(result.product, result.vlek), at, result);
  if (suppliedIntermediates) {
    fail(result, CERT_NAME_MISMATCH, "the supplied chain has no " + commonNameOf(vcek.issuer));
    return null;
  }
  const pinned = trust.intermediate(result.product, result.vlek);
  if (pinned === null) {
    fail(result, CHAIN_INCOMPLETE, "no " + commonNameOf(vcek.issuer) + " supplied and none pinned");
    return null;
  }
  if (at < pinned.notBefore || at > pinned.notAfter) {
    fail(result, at < pinned.notBefore ? CERT_NOT_YET_VALID : CERT_EXPIRED, "pinned " + commonNameOf(vcek.issuer) + " is outside its validity");
    return null;
  }
  result.intermediateSerial = pinned.serial;
  return pinned.key;
}

/** Verifies the chain of `vcek` (plus the supplied `others`) at time `at`. `cpuidProduct` is the report's
 * product when it has CPUID (v3+), PRODUCT_UNKNOWN on v2. */
export function verifyChain(vcek: Certificate, others: Array<Certificate>, trust: TrustStore, at: i64, hasCpuid: bool,
  cpuidProduct: i32): ChainResult {
  const result = new ChainResult();
  if (hasCpuid && cpuidProduct == PRODUCT_UNKNOWN) return fail(result, UNSUPPORTED_PRODUCT, "the report's CPUID is not Milan, Genoa or Turin");
  if (!identify(vcek, result)) return result;
  if (hasCpuid && cpuidProduct != result.product) {
    return fail(result, PRODUCT_MISMATCH, "report CPUID says " + productName(cpuidProduct) + " but the certificate is from " + productName(result.product));
  }
  const ark = trust.ark(result.product);
  if (ark === null) return fail(result, ARK_UNTRUSTED, "no trusted ARK for " + productName(result.product));
  result.arkKey = ark;
  const profile = vcekProfile(vcek);
  if (profile.length > 0) return fail(result, CERT_BAD_PROFILE, profile);
  if (!checkValidity(vcek, result.vlek ? CN_VLEK : CN_VCEK, at, result)) return result;
  const key = intermediateKey(vcek, others, trust, ark, at, result);
  if (key === null) return result;
  if (!verifyAmdPss(key, vcek.raw, vcek.tbsStart, vcek.tbsEnd, vcek.signature)) {
    return fail(result, VCEK_SIGNATURE_INVALID, (result.vlek ? CN_VLEK : CN_VCEK) + " is not signed by " + commonNameOf(vcek.issuer));
  }
  return result;
}
