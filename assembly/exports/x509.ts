// DER / PEM / X.509 / CRL parsers reachable from JS: each returns a JSON blob describing what was parsed
// (binary fields as lowercase hex, spans as byte offsets into the input) or {"error":code,"detail":…}.
// Used by tests (compared against node:crypto), fuzzing and tools.
import { input, blob } from "../abi";
import { JsonWriter } from "../encoding/json-writer";
import { hexEncode } from "../encoding/hex";
import {
  DerReader, DER_MAX_DEPTH, CLASS_UNIVERSAL, TAG_INTEGER, TAG_BOOLEAN, TAG_OID, TAG_BIT_STRING, TAG_OCTET_STRING,
  TAG_UTC_TIME, TAG_GENERALIZED_TIME, TAG_NULL, DER_NEGATIVE_INTEGER, derError, readInteger, readOid, readBoolean,
  readNull, readBitString, readOctetString, readTime, oidToString, TIME_INVALID,
} from "../encoding/der";
import { pemDecodeAll, pemError } from "../encoding/pem";
import { Certificate, parseCertificate, parseCertificatesPem, x509Error, x509ErrorDetail } from "../encoding/x509";
import { CertificateList, parseCrl, crlError, crlErrorDetail } from "../encoding/crl";
import { SignatureAlgorithm, PublicKeyInfo, hashName, KEY_EC, SCHEME_RSA_PSS } from "../encoding/x509-algorithm";
import { Name } from "../encoding/x509-name";
import { Extension, extensionOid } from "../encoding/x509-extensions";

function errorBlob(code: string, detail: string): usize {
  const w = new JsonWriter();
  w.beginObject().fieldString("error", code);
  if (detail.length > 0) w.fieldString("detail", detail);
  w.endObject();
  return blob(w.toBytes());
}

function span(data: Uint8Array, start: i32, end: i32): string { return hexEncode(data.subarray(start, end)); }

function writeAlgorithm(w: JsonWriter, data: Uint8Array, alg: SignatureAlgorithm): void {
  w.beginObject()
    .fieldString("oid", oidToString(data, alg.oidStart, alg.oidEnd))
    .fieldString("name", alg.name())
    .fieldString("hash", hashName(alg.hash))
    .fieldString("der", span(data, alg.start, alg.end));
  if (alg.scheme == SCHEME_RSA_PSS) {
    w.key("pss").beginObject()
      .fieldString("mgf1_hash", hashName(alg.mgf1Hash))
      .fieldU64("salt_length", <u64>alg.saltLength)
      .fieldU64("trailer_field", <u64>alg.trailerField)
      .fieldBool("trailer_explicit", alg.trailerExplicit)
      .endObject();
  }
  w.endObject();
}

function writeName(w: JsonWriter, name: Name): void {
  w.beginObject().fieldString("raw", span(name.data, name.start, name.end));
  const cn = name.commonName;
  if (cn !== null) w.fieldString("cn", cn); else w.fieldNull("cn");
  w.key("attributes").beginArray();
  for (let i = 0; i < name.attributes.length; i++) {
    const a = name.attributes[i];
    w.beginObject().fieldString("oid", name.attributeOid(i)).fieldU64("tag", <u64>a.tag);
    const text = a.text;
    if (text !== null) w.fieldString("value", text); else w.fieldString("value_hex", span(name.data, a.valueStart, a.valueEnd));
    w.endObject();
  }
  w.endArray().endObject();
}

function writeKey(w: JsonWriter, data: Uint8Array, key: PublicKeyInfo): void {
  w.beginObject().fieldString("spki", span(data, key.start, key.end))
    .fieldU64("spki_start", <u64>key.start).fieldU64("spki_end", <u64>key.end);
  if (key.kind == KEY_EC) {
    w.fieldString("kind", "ec").fieldString("curve", key.curveName()).fieldString("point", span(data, key.pointStart, key.pointEnd));
  } else {
    w.fieldString("kind", "rsa").fieldString("modulus", hexEncode(key.modulus)).fieldString("exponent", hexEncode(key.exponent));
  }
  w.endObject();
}

function writeExtensions(w: JsonWriter, data: Uint8Array, list: Array<Extension>): void {
  w.key("extensions").beginArray();
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    w.beginObject().fieldString("oid", extensionOid(data, e)).fieldBool("critical", e.critical)
      .fieldString("value", span(data, e.valueStart, e.valueEnd)).endObject();
  }
  w.endArray();
}

function writeOptionalHex(w: JsonWriter, name: string, bytes: Uint8Array | null): void {
  if (bytes !== null) w.fieldString(name, hexEncode(bytes)); else w.fieldNull(name);
}

function writeCertificate(w: JsonWriter, cert: Certificate): void {
  const data = cert.raw;
  w.beginObject()
    .fieldU64("version", <u64>cert.version)
    .fieldString("serial", hexEncode(cert.serial))
    .fieldU64("tbs_start", <u64>cert.tbsStart)
    .fieldU64("tbs_end", <u64>cert.tbsEnd);
  w.key("signature_algorithm");
  writeAlgorithm(w, data, cert.signatureAlgorithm);
  w.key("issuer");
  writeName(w, cert.issuer);
  w.key("subject");
  writeName(w, cert.subject);
  w.key("not_before").i64(cert.notBefore);
  w.key("not_after").i64(cert.notAfter);
  w.key("public_key");
  writeKey(w, data, cert.publicKey);
  writeExtensions(w, data, cert.extensions);
  const bc = cert.basicConstraints;
  if (bc !== null) {
    w.key("basic_constraints").beginObject().fieldBool("ca", bc.ca);
    if (bc.pathLen >= 0) w.fieldU64("path_len", <u64>bc.pathLen); else w.fieldNull("path_len");
    w.endObject();
  } else w.fieldNull("basic_constraints");
  if (cert.keyUsage >= 0) w.fieldU64("key_usage", <u64>cert.keyUsage); else w.fieldNull("key_usage");
  writeOptionalHex(w, "subject_key_id", cert.subjectKeyId);
  writeOptionalHex(w, "authority_key_id", cert.authorityKeyId);
  w.fieldString("signature", hexEncode(cert.signature));
  w.endObject();
}

/** Parses a DER certificate; {"version",…} or {"error"}. */
export function x509_parse(pointer: usize, length: u32): usize {
  const cert = parseCertificate(input(pointer, length));
  if (cert === null) return errorBlob(x509Error, x509ErrorDetail);
  const w = new JsonWriter();
  writeCertificate(w, cert);
  return blob(w.toBytes());
}

/** Parses every certificate of a PEM chain: {"certificates":[…]} or {"error"}. */
export function x509_parse_pem(pointer: usize, length: u32): usize {
  const chain = parseCertificatesPem(input(pointer, length));
  if (chain === null) return errorBlob(x509Error, x509ErrorDetail);
  const w = new JsonWriter();
  w.beginObject().key("certificates").beginArray();
  for (let i = 0; i < chain.length; i++) writeCertificate(w, chain[i]);
  w.endArray().endObject();
  return blob(w.toBytes());
}

/** Looks up one extension by dotted OID: {"found":bool,"critical","value"} or {"error"}. */
export function x509_extension(pointer: usize, length: u32, oidPointer: usize, oidLength: u32): usize {
  const cert = parseCertificate(input(pointer, length));
  if (cert === null) return errorBlob(x509Error, x509ErrorDetail);
  const oid = String.UTF8.decode(input(oidPointer, oidLength).buffer);
  const e = cert.extension(oid);
  const w = new JsonWriter();
  w.beginObject().fieldBool("found", e !== null);
  if (e !== null) w.fieldBool("critical", e.critical).fieldString("value", hexEncode(cert.extensionValue(e)));
  w.endObject();
  return blob(w.toBytes());
}

function writeCrl(w: JsonWriter, crl: CertificateList): void {
  const data = crl.raw;
  w.beginObject()
    .fieldU64("version", <u64>crl.version)
    .fieldU64("tbs_start", <u64>crl.tbsStart)
    .fieldU64("tbs_end", <u64>crl.tbsEnd);
  w.key("signature_algorithm");
  writeAlgorithm(w, data, crl.signatureAlgorithm);
  w.key("issuer");
  writeName(w, crl.issuer);
  w.key("this_update").i64(crl.thisUpdate);
  if (crl.hasNextUpdate()) w.key("next_update").i64(crl.nextUpdate); else w.fieldNull("next_update");
  w.key("revoked").beginArray();
  for (let i = 0; i < crl.revoked.length; i++) {
    w.beginObject().fieldString("serial", hexEncode(crl.revoked[i])).key("date").i64(crl.revocationDates[i]).endObject();
  }
  w.endArray();
  writeExtensions(w, data, crl.extensions);
  writeOptionalHex(w, "authority_key_id", crl.authorityKeyId);
  w.fieldString("signature", hexEncode(crl.signature));
  w.endObject();
}

/** Parses a DER CRL; {"version",…} or {"error"}. */
export function crl_parse(pointer: usize, length: u32): usize {
  const crl = parseCrl(input(pointer, length));
  if (crl === null) return errorBlob(crlError, crlErrorDetail);
  const w = new JsonWriter();
  writeCrl(w, crl);
  return blob(w.toBytes());
}

/** 1 if `serial` (big-endian) is revoked by the DER CRL, 0 if not, -1 if the CRL does not parse. */
export function crl_is_revoked(pointer: usize, length: u32, serialPointer: usize, serialLength: u32): i32 {
  const crl = parseCrl(input(pointer, length));
  if (crl === null) return -1;
  return crl.isRevoked(input(serialPointer, serialLength)) ? 1 : 0;
}

/** Decodes all PEM blocks: {"blocks":[{"label","der"}]} or {"error"} (also when there is none). */
export function pem_decode(pointer: usize, length: u32): usize {
  const blocks = pemDecodeAll(input(pointer, length));
  if (blocks === null) return errorBlob(pemError, "");
  if (blocks.length == 0) return errorBlob("PEM_NO_BLOCKS", "");
  const w = new JsonWriter();
  w.beginObject().key("blocks").beginArray();
  for (let i = 0; i < blocks.length; i++) {
    w.beginObject().fieldString("label", blocks[i].label).fieldString("der", hexEncode(blocks[i].der)).endObject();
  }
  w.endArray().endObject();
  return blob(w.toBytes());
}

// ---------------------------------------------------------------------------------------------------
// der_walk: walks any DER tree and re-reads every universal primitive with the typed helpers of der.ts,
// to test and fuzz the reader itself. The walk stops at the first error.

/** Decoded values are listed up to this many (fuzz inputs can hold thousands of tiny elements). */
const WALK_MAX_VALUES: i32 = 256;

class WalkStats {
  nodes: i32 = 0;
  maxDepth: i32 = 0;
  integers: i32 = 0;
  negativeIntegers: i32 = 0;
  oids: Array<string> = [];
  times: Array<i64> = [];
  error: string = "";
}

/** Re-reads the element r just read, with the helper for its universal type; false if DER rejects it. */
function walkPrimitive(r: DerReader, stats: WalkStats): bool {
  const n = r.tagNumber;
  const t = new DerReader(r.data, r.start, r.valueEnd, r.depth);
  if (n == TAG_INTEGER) {
    stats.integers++;
    // Negative INTEGERs are valid DER, only not as the unsigned values readInteger returns.
    if (readInteger(t) !== null) return true;
    if (derError != DER_NEGATIVE_INTEGER) return false;
    stats.negativeIntegers++;
    return true;
  }
  if (n == TAG_OID) {
    if (!readOid(t)) return false;
    if (stats.oids.length < WALK_MAX_VALUES) stats.oids.push(oidToString(t.data, t.valueStart, t.valueEnd));
    return true;
  }
  if (n == TAG_UTC_TIME || n == TAG_GENERALIZED_TIME) {
    const time = readTime(t);
    if (time == TIME_INVALID) return false;
    if (stats.times.length < WALK_MAX_VALUES) stats.times.push(time);
    return true;
  }
  if (n == TAG_BOOLEAN) return readBoolean(t) >= 0;
  if (n == TAG_NULL) return readNull(t);
  if (n == TAG_BIT_STRING) return readBitString(t) >= 0;
  if (n == TAG_OCTET_STRING) return readOctetString(t);
  return true;
}

function walk(r: DerReader, stats: WalkStats): bool {
  if (r.depth > stats.maxDepth) stats.maxDepth = r.depth;
  while (!r.atEnd()) {
    if (!r.next()) return false;
    stats.nodes++;
    if (r.constructed) {
      const child = r.enter();
      if (child === null || !walk(child, stats)) return false;
    } else if (r.tagClass == CLASS_UNIVERSAL && !walkPrimitive(r, stats)) {
      return false;
    }
  }
  return true;
}

/** {"ok":true,"nodes","max_depth","integers","negative_integers","oids":[dotted],"times":[unix]} or
 * {"error"}. Universal types that must be primitive (INTEGER, OID, ...) but arrive constructed are
 * walked as plain constructed elements; the typed parsers reject them. */
export function der_walk(pointer: usize, length: u32): usize {
  const data = input(pointer, length);
  const stats = new WalkStats();
  if (!walk(DerReader.over(data), stats)) return errorBlob(derError, "");
  const w = new JsonWriter();
  w.beginObject().fieldBool("ok", true).fieldU64("nodes", <u64>stats.nodes).fieldU64("max_depth", <u64>stats.maxDepth)
    .fieldU64("integers", <u64>stats.integers).fieldU64("negative_integers", <u64>stats.negativeIntegers);
  w.key("oids").beginArray();
  for (let i = 0; i < stats.oids.length; i++) w.string(stats.oids[i]);
  w.endArray().key("times").beginArray();
  for (let i = 0; i < stats.times.length; i++) w.i64(stats.times[i]);
  w.endArray().fieldU64("depth_limit", <u64>DER_MAX_DEPTH).endObject();
  return blob(w.toBytes());
}
