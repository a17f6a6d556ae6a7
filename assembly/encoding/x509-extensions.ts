// X.509 v3 extensions (RFC 5280 §4.1, §4.2): the generic list (OID, critical flag, extnValue span)
// shared by certificates and CRLs, and decoders for the standard ones our chains rely on:
// basicConstraints, keyUsage, subject/authority key identifiers.
import {
  DerReader, CLASS_UNIVERSAL, CLASS_CONTEXT, TAG_BOOLEAN, TAG_INTEGER, readSequence, readOid, readBoolean,
  readOctetString, readBitString, smallIntegerValue, spanEquals, oidIs, oidToString, oidFromString,
} from "./der";

export const X509_BAD_EXTENSIONS = "X509_BAD_EXTENSIONS";
export const X509_DUPLICATE_EXTENSION = "X509_DUPLICATE_EXTENSION";

/** More extensions than this is refused (real certificates carry fewer than 20; AMD's carry ~15). */
const MAX_EXTENSIONS: i32 = 64;
/** Largest pathLenConstraint kept (deeper chains do not exist; it bounds the integer). */
const MAX_PATH_LEN: i32 = 255;

export class Extension {
  oidStart: i32 = 0;
  oidEnd: i32 = 0;
  critical: bool = false;
  /** Content of extnValue (the OCTET STRING's value, i.e. the DER of the extension itself). */
  valueStart: i32 = 0;
  valueEnd: i32 = 0;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension. Rejects duplicates (RFC 5280 §4.2). Returns null
 * on malformed input; `extensionsError` tells which. */
export let extensionsError: string = "";

export function parseExtensionList(r: DerReader): Array<Extension> | null {
  const seq = readSequence(r);
  if (seq === null || seq.atEnd()) { extensionsError = X509_BAD_EXTENSIONS; return null; }
  const list = new Array<Extension>();
  const data = r.data;
  while (!seq.atEnd()) {
    const ext = readSequence(seq);
    if (ext === null || !readOid(ext)) { extensionsError = X509_BAD_EXTENSIONS; return null; }
    const e = new Extension();
    e.oidStart = ext.valueStart;
    e.oidEnd = ext.valueEnd;
    // critical BOOLEAN DEFAULT FALSE. DER says an explicit FALSE must be omitted, but deployed
    // issuers emit it and it is unambiguous, so it is accepted.
    if (ext.peekIs(CLASS_UNIVERSAL, false, TAG_BOOLEAN)) {
      const critical = readBoolean(ext);
      if (critical < 0) { extensionsError = X509_BAD_EXTENSIONS; return null; }
      e.critical = critical == 1;
    }
    if (!readOctetString(ext) || !ext.finish()) { extensionsError = X509_BAD_EXTENSIONS; return null; }
    e.valueStart = ext.valueStart;
    e.valueEnd = ext.valueEnd;
    for (let i = 0; i < list.length; i++) {
      const other = list[i];
      if (spanEquals(data, other.oidStart, other.oidEnd, e.oidStart, e.oidEnd)) { extensionsError = X509_DUPLICATE_EXTENSION; return null; }
    }
    if (list.length >= MAX_EXTENSIONS) { extensionsError = X509_BAD_EXTENSIONS; return null; }
    list.push(e);
  }
  return list;
}

/** The extension with this OID (content bytes), or null. */
export function findExtension(data: Uint8Array, list: Array<Extension>, oid: StaticArray<u8>): Extension | null {
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (oidIs(data, e.oidStart, e.oidEnd, oid)) return e;
  }
  return null;
}

/** The extension with this dotted OID ("2.5.29.19"), or null (also for an invalid OID string). */
export function findExtensionByString(data: Uint8Array, list: Array<Extension>, dotted: string): Extension | null {
  const raw = oidFromString(dotted);
  if (raw === null) return null;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (e.oidEnd - e.oidStart != raw.length) continue;
    let same = true;
    for (let j = 0; j < raw.length; j++) if (data[e.oidStart + j] != raw[j]) { same = false; break; }
    if (same) return e;
  }
  return null;
}

export function extensionOid(data: Uint8Array, e: Extension): string { return oidToString(data, e.oidStart, e.oidEnd); }

/** A reader over an extension's extnValue, which must hold exactly one DER element. */
function valueReader(data: Uint8Array, e: Extension): DerReader { return new DerReader(data, e.valueStart, e.valueEnd, 2); }

export class BasicConstraints {
  ca: bool = false;
  /** -1 when absent. */
  pathLen: i32 = -1;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
export function decodeBasicConstraints(data: Uint8Array, e: Extension): BasicConstraints | null {
  const outer = valueReader(data, e);
  const seq = readSequence(outer);
  if (seq === null || !outer.finish()) return null;
  const bc = new BasicConstraints();
  if (seq.peekIs(CLASS_UNIVERSAL, false, TAG_BOOLEAN)) {
    const ca = readBoolean(seq);
    if (ca < 0) return null;
    bc.ca = ca == 1;
  }
  if (seq.peekIs(CLASS_UNIVERSAL, false, TAG_INTEGER)) {
    seq.next();
    bc.pathLen = smallIntegerValue(seq, MAX_PATH_LEN);
    if (bc.pathLen < 0) return null;
  }
  return seq.finish() ? bc : null;
}

/** KeyUsage ::= BIT STRING; returns a mask where bit i (1 << i) is KeyUsage bit i (0 digitalSignature,
 * 5 keyCertSign, 6 cRLSign, ... 8 decipherOnly), or -1 if malformed. */
export function decodeKeyUsage(data: Uint8Array, e: Extension): i32 {
  const r = valueReader(data, e);
  const unused = readBitString(r);
  if (unused < 0 || !r.finish()) return -1;
  const start = r.valueStart + 1;
  const n = r.valueEnd - start;
  // At most 9 named bits, so at most 2 content bytes.
  if (n < 1 || n > 2) return -1;
  let mask = 0;
  for (let bit = 0; bit < n * 8; bit++) {
    if ((<i32>data[start + (bit >> 3)] & (0x80 >> (bit & 7))) != 0) mask |= 1 << bit;
  }
  return mask;
}

export const KEY_USAGE_DIGITAL_SIGNATURE: i32 = 1 << 0;
export const KEY_USAGE_KEY_CERT_SIGN: i32 = 1 << 5;
export const KEY_USAGE_CRL_SIGN: i32 = 1 << 6;

/** SubjectKeyIdentifier ::= OCTET STRING; returns the identifier bytes or null. */
export function decodeSubjectKeyId(data: Uint8Array, e: Extension): Uint8Array | null {
  const r = valueReader(data, e);
  if (!readOctetString(r) || !r.finish()) return null;
  return r.valueBytes();
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
 * authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }. Returns the key
 * identifier (empty when absent) or null if malformed. */
export function decodeAuthorityKeyId(data: Uint8Array, e: Extension): Uint8Array | null {
  const outer = valueReader(data, e);
  const seq = readSequence(outer);
  if (seq === null || !outer.finish()) return null;
  let keyId = new Uint8Array(0);
  if (seq.peekIs(CLASS_CONTEXT, false, 0)) {
    seq.next();
    keyId = seq.valueBytes();
  }
  // The issuer/serial alternatives are not used by our chains; they only need to be well-formed.
  while (!seq.atEnd()) {
    if (!seq.next() || seq.tagClass != CLASS_CONTEXT || seq.tagNumber < 1 || seq.tagNumber > 2) return null;
  }
  return keyId;
}
