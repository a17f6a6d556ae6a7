// Certificate helpers shared by collateral verification and the quote's PCK chain: PEM/DER chain
// decoding, issuer links, roles (CA flag and the CN phrases Intel QVL checks), validity windows and
// revocation. Signatures are checked through signature.ts only.
import { Certificate, parseCertificate, x509Error } from "../encoding/x509";
import { pemDecodeAll, pemError } from "../encoding/pem";
import { CertificateList } from "../encoding/crl";
import { bytesEqual, indexOfAscii } from "../encoding/bytes";
import { hexEncode } from "../encoding/hex";
import {
  TdxError, fail, Result, success, failure, MALFORMED_CERTIFICATE, CERT_CHAIN_INVALID, CERT_REVOKED, UNTRUSTED_ROOT,
} from "./errors";
import { isIntelShape, certificateSignedBy } from "./signature";
import { formatIsoTime } from "./time";

/** Real chains have 2 (collateral) or 3 (PCK) certificates; more is refused before parsing. */
const MAX_CHAIN_LENGTH: i32 = 4;
const PEM_CERT_LABEL = "CERTIFICATE";
const BEGIN_MARKER = "-----BEGIN ";
const END_MARKER = "-----END CERTIFICATE-----";

// CN phrases Intel QVL requires (spec §2.4; QVL X509Constants).
export const CN_ROOT = "Intel SGX Root CA";
export const CN_PCK_LEAF = "SGX PCK Certificate";
export const CN_PCK_PLATFORM_CA = "SGX PCK Platform CA";
export const CN_PCK_PROCESSOR_CA = "SGX PCK Processor CA";
export const CN_TCB_SIGNING = "SGX TCB Signing";

function isPadding(c: u8): bool { return c == 0 || c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d; }

/** Index of ASCII `needle` in text at or after `from`, or -1. */
function indexOf(text: Uint8Array, from: i32, needle: string): i32 { return from < 0 ? -1 : indexOfAscii(text, from, needle); }

/** The text holds PEM blocks and nothing else but whitespace or NUL bytes between and around them
 * (quotes end the chain with a C-string NUL). Stricter than pem.ts on purpose: no byte of a quote's
 * certification data may be free text that nobody checks. */
export function onlyPemBlocks(text: Uint8Array): bool {
  let at = 0;
  while (true) {
    const begin = indexOf(text, at, BEGIN_MARKER);
    const stop = begin < 0 ? text.length : begin;
    for (let i = at; i < stop; i++) if (!isPadding(text[i])) return false;
    if (begin < 0) return true;
    const end = indexOf(text, begin, END_MARKER);
    if (end < 0) return false;
    at = end + END_MARKER.length;
  }
}

/** Decodes a PEM chain (leaf first) into 1..MAX_CHAIN_LENGTH certificates. */
export function parsePemChain(text: Uint8Array, what: string): Result<Array<Certificate>> {
  const blocks = pemDecodeAll(text, PEM_CERT_LABEL);
  if (blocks === null) return failure<Array<Certificate>>(MALFORMED_CERTIFICATE, what + ": bad PEM (" + pemError + ")");
  if (blocks.length == 0 || blocks.length > MAX_CHAIN_LENGTH) {
    return failure<Array<Certificate>>(MALFORMED_CERTIFICATE, what + ": expected 1 to " + MAX_CHAIN_LENGTH.toString() + " certificates, found " + blocks.length.toString());
  }
  const certs = new Array<Certificate>();
  for (let i = 0; i < blocks.length; i++) {
    const cert = parseCertificate(blocks[i].der);
    if (cert === null) return failure<Array<Certificate>>(MALFORMED_CERTIFICATE, what + ": certificate " + i.toString() + " does not parse (" + x509Error + ")");
    if (!isIntelShape(cert)) return failure<Array<Certificate>>(MALFORMED_CERTIFICATE, what + ": certificate " + i.toString() + " is not ECDSA P-256 / SHA-256");
    certs.push(cert);
  }
  return success<Array<Certificate>>(certs);
}

export function commonName(cert: Certificate): string {
  const cn = cert.subject.commonName;
  return cn === null ? "" : cn;
}

export function cnContains(cert: Certificate, phrase: string): bool { return commonName(cert).includes(phrase); }

/** cert.issuer is exactly issuer.subject (raw DER comparison, as Intel QVL does). */
export function issuedBy(cert: Certificate, issuer: Certificate): bool {
  return bytesEqual(cert.issuer.raw(), issuer.subject.raw());
}

/** Validity window check; the error codes differ between collateral and quote certificates. */
export function checkValidity(cert: Certificate, at: i64, what: string, expiredCode: string, notYetCode: string): TdxError | null {
  if (at < cert.notBefore) return fail(notYetCode, what + " is valid only from " + formatIsoTime(cert.notBefore));
  if (at > cert.notAfter) return fail(expiredCode, what + " expired at " + formatIsoTime(cert.notAfter));
  return null;
}

export function checkNotRevoked(cert: Certificate, crl: CertificateList, what: string): TdxError | null {
  if (crl.isRevoked(cert.serial)) return fail(CERT_REVOKED, what + " (serial " + hexEncode(cert.serial) + ") is revoked");
  return null;
}

/** A root certificate: the pinned key, self-issued, and (when `checkSignature`) self-signed. */
export function checkRoot(root: Certificate, rootKey: Uint8Array, checkSignature: bool, what: string): TdxError | null {
  if (!bytesEqual(root.ecPoint(), rootKey)) return fail(UNTRUSTED_ROOT, what + " does not end in the pinned root key");
  if (!issuedBy(root, root) || !root.isCA()) return fail(CERT_CHAIN_INVALID, what + ": the root certificate is not a self-issued CA");
  if (checkSignature && !certificateSignedBy(root, rootKey)) return fail(CERT_CHAIN_INVALID, what + ": the root certificate's self-signature is invalid");
  return null;
}

/** `cert` is issued and signed by `issuer` (whose key is SEC1 `issuerKey`). */
export function checkIssued(cert: Certificate, issuer: Certificate, issuerKey: Uint8Array, checkSignature: bool, what: string): TdxError | null {
  if (!issuedBy(cert, issuer)) return fail(CERT_CHAIN_INVALID, what + " is not issued by " + commonName(issuer));
  if (checkSignature && !certificateSignedBy(cert, issuerKey)) return fail(CERT_CHAIN_INVALID, what + ": signature by " + commonName(issuer) + " is invalid");
  return null;
}
