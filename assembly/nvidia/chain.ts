// The device certificate chain (spec nvidia.md §2): exactly five PEM certificates
//   leaf "<chip> A01 GSP FMC LF" -> "<chip> A01 GSP BROM" -> "NVIDIA <chip> Provisioner ICA …"
//   -> "NVIDIA <chip> Identity" -> "NVIDIA Device Identity CA"
// The device's own copy of the root is ignored: the Identity certificate must be issued by the pinned
// anchor (subject + P-384 key). Every link: issuer name bytes equal, validity at the given time,
// issuer is a CA allowed to sign certificates, ECDSA P-384 / SHA-384 signature over the exact TBS.
//
// Link cache: the ICA and Identity certificates are shared by every GPU of a chip family, so within one
// operation a verified (child certificate, issuer key) pair is remembered and not verified again. An
// 8-GPU node then costs 8 report + 16 per-device + 2 shared verifications instead of 40.
//
// Pre-verified certificates: a caller that already verified shared intermediates against the same anchor
// (the registry's nvidia_ca collateral, checked at submission) passes their exact DER. A link whose child
// certificate is byte-identical to one of them is not signature-checked again; names, validity, CA flags
// and critical extensions of every link still are, and so is every link below it (leaf -> BROM -> first
// pre-verified certificate). A certificate with the same name but other bytes gets no such pass. A link
// whose child is not pre-verified is always verified, even above a pre-verified one, so no unverified
// certificate bytes ever enter the chain (e.g. for revoked_serials).
// The caller vouches that each pre-verified certificate chains by signature to the anchor in use (the
// registry drops its stored set when governance changes the roots): only names tie it to the anchor here.
import { Certificate, parseCertificate, x509Error } from "../encoding/x509";
import { pemDecodeAll, pemError } from "../encoding/pem";
import { KEY_EC, CURVE_P384, SCHEME_ECDSA, HASH_SHA384 } from "../encoding/x509-algorithm";
import { bytesEqual } from "../encoding/bytes";
import { oidIs, oidToString } from "../encoding/der";
import { OID_KEY_USAGE, OID_BASIC_CONSTRAINTS } from "../encoding/oids";
import { sha384Range } from "../crypto/sha512";
import { verifyP384Der } from "./p384";
import {
  fail, failBool, MALFORMED_CERT_CHAIN, MALFORMED_ROOT, CERT_CHAIN_LENGTH, CERT_UNSUPPORTED_ALGORITHM, CERT_ISSUER_MISMATCH,
  CERT_SIGNATURE_INVALID, CERT_NOT_YET_VALID, CERT_EXPIRED, CERT_NOT_CA, CERT_KEY_USAGE, CERT_CRITICAL_EXTENSION,
} from "./errors";
import { NVIDIA_ROOT_SUBJECT, NVIDIA_ROOT_SPKI, P384_POINT_LENGTH } from "./roots";

/** leaf, BROM, Provisioner ICA, Identity, root (nvtrust MAX_CERT_CHAIN_LENGTH). */
export const DEVICE_CHAIN_LENGTH: i32 = 5;
/** Certificates verified against their issuer: all but the device's root. */
const VERIFIED_CERTS: i32 = 4;
/** KeyUsage bits (RFC 5280 §4.2.1.3) as masks of decodeKeyUsage. */
const KU_DIGITAL_SIGNATURE: i32 = 1 << 0;
const KU_KEY_CERT_SIGN: i32 = 1 << 5;
const CERT_NAMES: StaticArray<string> = ["leaf", "BROM", "Provisioner ICA", "Identity"];

export class TrustAnchor {
  constructor(public subject: Uint8Array, public point: Uint8Array) {}
}

function staticBytes(data: StaticArray<u8>): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i];
  return out;
}

/** The pinned NVIDIA Device Identity CA. */
export function pinnedAnchor(): TrustAnchor {
  const spki = staticBytes(NVIDIA_ROOT_SPKI);
  return new TrustAnchor(staticBytes(NVIDIA_ROOT_SUBJECT), spki.slice(spki.length - P384_POINT_LENGTH));
}

function isP384Ecdsa(cert: Certificate): bool {
  return cert.publicKey.kind == KEY_EC && cert.publicKey.curve == CURVE_P384 &&
    cert.signatureAlgorithm.scheme == SCHEME_ECDSA && cert.signatureAlgorithm.hash == HASH_SHA384;
}

/** An explicitly supplied (test) root: one PEM certificate with a P-384 key. */
export function anchorFromPem(text: Uint8Array): TrustAnchor | null {
  const blocks = pemDecodeAll(text, "CERTIFICATE");
  if (blocks === null || blocks.length != 1) return fail<TrustAnchor>(MALFORMED_ROOT, "root must be exactly one PEM certificate");
  const cert = parseCertificate(blocks[0].der);
  if (cert === null) return fail<TrustAnchor>(MALFORMED_ROOT, "root certificate: " + x509Error);
  if (cert.publicKey.kind != KEY_EC || cert.publicKey.curve != CURVE_P384) return fail<TrustAnchor>(MALFORMED_ROOT, "root key is not P-384");
  return new TrustAnchor(cert.subject.raw(), cert.ecPoint());
}

export class DeviceChain {
  /** leaf, BROM, Provisioner ICA, Identity (the device's root is dropped). */
  certs: Array<Certificate> = [];
  get leaf(): Certificate { return this.certs[0]; }
  get brom(): Certificate { return this.certs[1]; }
}

/** Parses the PEM chain; requires five certificates, P-384 keys and ecdsa-with-SHA384 below the root. */
export function parseDeviceChain(pem: Uint8Array): DeviceChain | null {
  const blocks = pemDecodeAll(pem, "CERTIFICATE");
  if (blocks === null) return fail<DeviceChain>(MALFORMED_CERT_CHAIN, "certificate chain PEM: " + pemError);
  if (blocks.length != DEVICE_CHAIN_LENGTH) {
    return fail<DeviceChain>(CERT_CHAIN_LENGTH, "expected 5 certificates (leaf, BROM, Provisioner ICA, Identity, root), got " + blocks.length.toString());
  }
  const chain = new DeviceChain();
  for (let i = 0; i < DEVICE_CHAIN_LENGTH; i++) {
    const cert = parseCertificate(blocks[i].der);
    if (cert === null) return fail<DeviceChain>(MALFORMED_CERT_CHAIN, "certificate " + i.toString() + ": " + x509Error);
    if (i == DEVICE_CHAIN_LENGTH - 1) break;
    if (!isP384Ecdsa(cert)) return fail<DeviceChain>(CERT_UNSUPPORTED_ALGORITHM, CERT_NAMES[i] + " certificate is not P-384 / ecdsa-with-SHA384");
    chain.certs.push(cert);
  }
  return chain;
}

class VerifiedLink {
  constructor(public child: Uint8Array, public issuerPoint: Uint8Array) {}
}

/** More than any real chip family needs (ICA + Identity per family), small enough to bound the scans. */
export const MAX_PRE_VERIFIED: i32 = 64;

/** Links verified during one operation (see the header), and a count of P-384 verifications. */
export class LinkCache {
  links: Array<VerifiedLink> = [];
  p384Verifications: i32 = 0;
  /** DER of certificates the caller verified before (see the header); empty by default. */
  preVerified: Array<Uint8Array> = [];
  /** Links whose signature check was skipped because their child certificate was pre-verified. */
  preVerifiedLinks: i32 = 0;

  isPreVerified(der: Uint8Array): bool {
    for (let i = 0; i < this.preVerified.length; i++) if (bytesEqual(this.preVerified[i], der)) return true;
    return false;
  }

  has(child: Uint8Array, issuerPoint: Uint8Array): bool {
    for (let i = 0; i < this.links.length; i++) {
      const l = this.links[i];
      if (bytesEqual(l.child, child) && bytesEqual(l.issuerPoint, issuerPoint)) return true;
    }
    return false;
  }
}

/** ECDSA P-384 over sha384(TBS) with the DER Ecdsa-Sig-Value of `cert` (strictly parsed by ecdsa.ts). */
function certSignatureValid(cert: Certificate, issuerPoint: Uint8Array, cache: LinkCache): bool {
  cache.p384Verifications++;
  return verifyP384Der(sha384Range(cert.raw, cert.tbsStart, cert.tbsEnd), cert.signature, issuerPoint);
}

function checkValidity(cert: Certificate, name: string, at: i64): bool {
  if (at < cert.notBefore) return failBool(CERT_NOT_YET_VALID, name + " certificate is not valid before " + cert.notBefore.toString());
  if (at > cert.notAfter) return failBool(CERT_EXPIRED, name + " certificate expired at " + cert.notAfter.toString());
  return true;
}

/** An issuing certificate must be a CA, allow keyCertSign if it restricts usage, and allow the
 * `casBelow` intermediate CAs between it and the leaf if it sets pathLenConstraint. */
function checkIssuer(cert: Certificate, name: string, casBelow: i32): bool {
  const bc = cert.basicConstraints;
  if (bc === null || !bc.ca) return failBool(CERT_NOT_CA, name + " certificate is not a CA");
  if (bc.pathLen >= 0 && bc.pathLen < casBelow) return failBool(CERT_NOT_CA, name + " certificate's path length constraint is exceeded");
  if (cert.keyUsage >= 0 && (cert.keyUsage & KU_KEY_CERT_SIGN) == 0) return failBool(CERT_KEY_USAGE, name + " certificate may not sign certificates");
  return true;
}

/** RFC 5280 §4.2: an extension marked critical that we do not process makes the certificate unusable.
 * NVIDIA device certificates mark only keyUsage and basicConstraints critical. */
function checkCriticalExtensions(cert: Certificate, name: string): bool {
  for (let i = 0; i < cert.extensions.length; i++) {
    const e = cert.extensions[i];
    if (!e.critical) continue;
    if (oidIs(cert.raw, e.oidStart, e.oidEnd, OID_KEY_USAGE) || oidIs(cert.raw, e.oidStart, e.oidEnd, OID_BASIC_CONSTRAINTS)) continue;
    return failBool(CERT_CRITICAL_EXTENSION, name + " certificate has an unsupported critical extension " + oidToString(cert.raw, e.oidStart, e.oidEnd));
  }
  return true;
}

/** Verifies leaf -> BROM -> ICA -> Identity -> anchor at time `at` (Unix seconds). */
export function verifyDeviceChain(chain: DeviceChain, anchor: TrustAnchor, at: i64, cache: LinkCache): bool {
  const certs = chain.certs;
  const leaf = certs[0];
  if (leaf.keyUsage >= 0 && (leaf.keyUsage & KU_DIGITAL_SIGNATURE) == 0) return failBool(CERT_KEY_USAGE, "leaf certificate may not sign");
  for (let i = 0; i < VERIFIED_CERTS; i++) {
    const child = certs[i];
    const name = CERT_NAMES[i];
    const last = i == VERIFIED_CERTS - 1;
    const issuerSubject = last ? anchor.subject : certs[i + 1].subject.raw();
    const issuerPoint = last ? anchor.point : certs[i + 1].ecPoint();
    if (!bytesEqual(child.issuer.raw(), issuerSubject)) {
      return failBool(CERT_ISSUER_MISMATCH, name + " certificate is not issued by the " + (last ? "pinned root" : CERT_NAMES[i + 1] + " certificate"));
    }
    if (!checkValidity(child, name, at) || !checkCriticalExtensions(child, name)) return false;
    if (!last && !checkIssuer(certs[i + 1], CERT_NAMES[i + 1], i)) return false;
    // The leaf's own link is always verified: only intermediates can be pre-verified.
    if (i > 0 && cache.isPreVerified(child.raw)) { cache.preVerifiedLinks++; continue; }
    if (cache.has(child.raw, issuerPoint)) continue;
    if (!certSignatureValid(child, issuerPoint, cache)) {
      return failBool(CERT_SIGNATURE_INVALID, name + " certificate signature does not verify under its issuer's key");
    }
    cache.links.push(new VerifiedLink(child.raw, issuerPoint));
  }
  return true;
}
