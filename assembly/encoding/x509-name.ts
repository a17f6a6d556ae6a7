// X.501 Name parsing (RFC 5280 §4.1.2.4): the raw span (chain building compares issuer and subject
// bytes exactly) plus every attribute, decoded to text, so callers can read the CN and policies can
// check fields such as AMD's O/OU/L. Only the common DirectoryString types are decoded.
import { sliceBytes } from "./bytes";
import {
  DerReader, CLASS_UNIVERSAL, TAG_UTF8_STRING, TAG_PRINTABLE_STRING, TAG_TELETEX_STRING, TAG_IA5_STRING,
  TAG_BMP_STRING, TAG_UNIVERSAL_STRING, readSequence, readSet, readOid, oidIs, oidToString,
} from "./der";
import { OID_COMMON_NAME } from "./oids";
import { utf8SequenceLength } from "./json";

export const X509_BAD_NAME = "X509_BAD_NAME";

/** A Name with more attributes than this is refused (real names have fewer than 10). */
const MAX_NAME_ATTRIBUTES: i32 = 64;

export class NameAttribute {
  oidStart: i32 = 0;
  oidEnd: i32 = 0;
  /** Universal tag number of the value (UTF8String 12, PrintableString 19, ...). */
  tag: u32 = 0;
  valueStart: i32 = 0;
  valueEnd: i32 = 0;
  /** Decoded text; null when the value is not a string type we decode. */
  text: string | null = null;
}

export class Name {
  /** The whole Name element (header included). */
  start: i32 = 0;
  end: i32 = 0;
  attributes: Array<NameAttribute> = [];
  /** The first commonName, if any. */
  commonName: string | null = null;

  constructor(public data: Uint8Array) {}

  raw(): Uint8Array { return sliceBytes(this.data, this.start, this.end); }

  /** Text of the first attribute with this type, or null. */
  get(oid: StaticArray<u8>): string | null {
    for (let i = 0; i < this.attributes.length; i++) {
      const a = this.attributes[i];
      if (oidIs(this.data, a.oidStart, a.oidEnd, oid)) return a.text;
    }
    return null;
  }

  attributeOid(index: i32): string {
    const a = this.attributes[index];
    return oidToString(this.data, a.oidStart, a.oidEnd);
  }
}

/** Builds a string from UTF-16 code units in one allocation (no per-character concatenation, which
 * would cost quadratic memory on a long hostile string under the never-freeing stub runtime). */
function fromUnits(units: Uint16Array): string {
  return String.UTF16.decodeUnsafe(units.dataStart, <usize>units.length << 1);
}

/** UTF-16BE (BMPString) to a string; null on odd length or unpaired surrogates. */
function decodeBmp(data: Uint8Array, start: i32, end: i32): string | null {
  if (((end - start) & 1) != 0) return null;
  const units = new Uint16Array((end - start) >> 1);
  for (let i = 0; i < units.length; i++) units[i] = <u16>((<u32>data[start + 2 * i] << 8) | <u32>data[start + 2 * i + 1]);
  for (let i = 0; i < units.length; i++) {
    const unit = <u32>units[i];
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (i + 1 >= units.length || <u32>units[i + 1] < 0xdc00 || <u32>units[i + 1] > 0xdfff) return null;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return null;
    }
  }
  return fromUnits(units);
}

/** Decodes a DirectoryString-like value. UTF8String must be valid UTF-8; Printable/IA5 must be ASCII;
 * TeletexString is read as Latin-1 (what deployed software does). Returns null if undecodable. */
export function decodeDirectoryString(data: Uint8Array, tag: u32, start: i32, end: i32): string | null {
  if (tag == TAG_UTF8_STRING) {
    for (let i = start; i < end;) {
      const n = utf8SequenceLength(data, i, end);
      if (n == 0) return null;
      i += n;
    }
    return String.UTF8.decodeUnsafe(data.dataStart + <usize>start, <usize>(end - start));
  }
  if (tag == TAG_PRINTABLE_STRING || tag == TAG_IA5_STRING || tag == TAG_TELETEX_STRING) {
    const units = new Uint16Array(end - start);
    for (let i = 0; i < units.length; i++) {
      const c = data[start + i];
      if (c >= 0x80 && tag != TAG_TELETEX_STRING) return null;
      units[i] = <u16>c;
    }
    return fromUnits(units);
  }
  if (tag == TAG_BMP_STRING) return decodeBmp(data, start, end);
  return null;
}

function isStringTag(tag: u32): bool {
  return tag == TAG_UTF8_STRING || tag == TAG_PRINTABLE_STRING || tag == TAG_TELETEX_STRING || tag == TAG_IA5_STRING ||
    tag == TAG_BMP_STRING || tag == TAG_UNIVERSAL_STRING;
}

/** AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }. */
function parseAttribute(rdn: DerReader, name: Name): bool {
  const atv = readSequence(rdn);
  if (atv === null || !readOid(atv)) return false;
  const attribute = new NameAttribute();
  attribute.oidStart = atv.valueStart;
  attribute.oidEnd = atv.valueEnd;
  if (!atv.next() || !atv.finish()) return false;
  attribute.tag = atv.tagClass == CLASS_UNIVERSAL && !atv.constructed ? atv.tagNumber : 0;
  attribute.valueStart = atv.valueStart;
  attribute.valueEnd = atv.valueEnd;
  if (isStringTag(attribute.tag)) {
    attribute.text = decodeDirectoryString(name.data, attribute.tag, atv.valueStart, atv.valueEnd);
    // The CN is what chains and policies match on; an undecodable one is an error, not a skip.
    if (attribute.text === null && oidIs(name.data, attribute.oidStart, attribute.oidEnd, OID_COMMON_NAME) &&
        attribute.tag != TAG_UNIVERSAL_STRING) return false;
  }
  if (name.attributes.length >= MAX_NAME_ATTRIBUTES) return false;
  name.attributes.push(attribute);
  if (name.commonName === null && attribute.text !== null && oidIs(name.data, attribute.oidStart, attribute.oidEnd, OID_COMMON_NAME)) {
    name.commonName = attribute.text;
  }
  return true;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET SIZE (1..MAX) OF AttributeTypeAndValue). An
 * empty Name is allowed (RFC 5280 permits an empty subject). Returns null with derError/X509_BAD_NAME. */
export function parseName(r: DerReader): Name | null {
  const seq = readSequence(r);
  if (seq === null) return null;
  const name = new Name(r.data);
  name.start = r.start;
  name.end = r.valueEnd;
  while (!seq.atEnd()) {
    const rdn = readSet(seq);
    if (rdn === null || rdn.atEnd()) return null;
    while (!rdn.atEnd()) if (!parseAttribute(rdn, name)) return null;
  }
  return name;
}
