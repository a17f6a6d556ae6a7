// Decodes the certificate and CRL inputs of the SNP verifier. AMD KDS serves the VCEK as DER and the
// ASK/ARK chain and CRLs as PEM, hosts ship either, and some bundle VCEK + ASK + ARK in one PEM, so each
// input may be PEM (any number of blocks) or DER (one or more elements back to back). Anything that
// does not decode completely is an error: a half-parsed bundle must not fall back to pinned roots.
import { DerReader } from "../encoding/der";
import { pemDecodeAll, pemError } from "../encoding/pem";
import { Certificate, parseCertificate, x509Error } from "../encoding/x509";
import { CertificateList, parseCrl, crlError } from "../encoding/crl";

const PEM_CERTIFICATE = "CERTIFICATE";
const PEM_CRL = "X509 CRL";
/** More objects than this in one input is refused (a chain has three certificates). */
const MAX_OBJECTS: i32 = 16;

export let bundleError: string = "";

/** "-----BEGIN" anywhere in the input means PEM (leading text and whitespace are allowed). */
function looksLikePem(data: Uint8Array): bool {
  const marker = "-----BEGIN";
  for (let i = 0; i + marker.length <= data.length; i++) {
    let match = true;
    for (let j = 0; j < marker.length && match; j++) match = <i32>data[i + j] == marker.charCodeAt(j);
    if (match) return true;
  }
  return false;
}

/** Splits DER elements laid back to back; null when any is malformed or bytes are left over. */
function splitDer(data: Uint8Array): Array<Uint8Array> | null {
  const out = new Array<Uint8Array>();
  const r = DerReader.over(data);
  while (!r.atEnd()) {
    if (!r.next() || out.length >= MAX_OBJECTS) return null;
    out.push(data.slice(r.start, r.valueEnd));
  }
  return out;
}

/** The DER objects of an input (PEM blocks with `label`, or raw DER); null with bundleError set. */
function objects(data: Uint8Array, label: string): Array<Uint8Array> | null {
  if (looksLikePem(data)) {
    const blocks = pemDecodeAll(data, label);
    if (blocks === null) { bundleError = pemError; return null; }
    if (blocks.length > MAX_OBJECTS) { bundleError = "too many PEM blocks"; return null; }
    const out = new Array<Uint8Array>();
    for (let i = 0; i < blocks.length; i++) out.push(blocks[i].der);
    return out;
  }
  const list = splitDer(data);
  if (list === null) bundleError = "not PEM and not well-formed DER";
  return list;
}

/** Every certificate in the input (possibly none for an empty input); null if anything is malformed. */
export function decodeCertificates(data: Uint8Array): Array<Certificate> | null {
  bundleError = "";
  const out = new Array<Certificate>();
  if (data.length == 0) return out;
  const list = objects(data, PEM_CERTIFICATE);
  if (list === null) return null;
  for (let i = 0; i < list.length; i++) {
    const cert = parseCertificate(list[i]);
    if (cert === null) { bundleError = "certificate " + i.toString() + ": " + x509Error; return null; }
    out.push(cert);
  }
  return out;
}

/** Every CRL in the input; null if anything is malformed. */
export function decodeCrls(data: Uint8Array): Array<CertificateList> | null {
  bundleError = "";
  const out = new Array<CertificateList>();
  if (data.length == 0) return out;
  const list = objects(data, PEM_CRL);
  if (list === null) return null;
  for (let i = 0; i < list.length; i++) {
    const crl = parseCrl(list[i]);
    if (crl === null) { bundleError = "CRL " + i.toString() + ": " + crlError; return null; }
    out.push(crl);
  }
  return out;
}
