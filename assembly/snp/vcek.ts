// AMD's certificate profile for SEV-SNP: the KDS X.509 extensions of a VCEK/VLEK (go-sev-guest kds.go;
// spec snp.md §3.3) and the AMD names every certificate of the chain carries (§3.1).
//
// Extensions live under 1.3.6.1.4.1.3704.1: structVersion (.1), productName (.2), the TCB SPLs (.3.x),
// hwID (.4: the chip id as RAW bytes, not DER: a DER-first reader misreads ids starting 0x04/0x02,
// virtee/snpguest #159) and cspID (.5, VLEK only). Everything is decoded strictly and bounded; a
// malformed extension is MALFORMED_VCEK, a missing one is reported by the binding step.
import { DerReader, CLASS_UNIVERSAL, TAG_IA5_STRING, readSmallInteger, oidIs } from "../encoding/der";
import { Certificate } from "../encoding/x509";
import { Name, decodeDirectoryString } from "../encoding/x509-name";
import { findExtension } from "../encoding/x509-extensions";

/** 1.3.6.1.4.1.3704.1 (AMD SEV KDS) as DER content bytes; each extension appends its arcs. */
const AMD_KDS_PREFIX: StaticArray<u8> = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01];
const ARC_STRUCT_VERSION: u8 = 1;
const ARC_PRODUCT_NAME: u8 = 2;
const ARC_TCB: u8 = 3;
const ARC_HW_ID: u8 = 4;
const ARC_CSP_ID: u8 = 5;

/** SPL sub-arcs under .3: 1 bl, 2 tee, 3 snp, 4-7 reserved spl4-spl7, 8 ucode, 9 fmc (Turin). */
export const SPL_BL: i32 = 1;
export const SPL_TEE: i32 = 2;
export const SPL_SNP: i32 = 3;
export const SPL_4: i32 = 4;
export const SPL_7: i32 = 7;
export const SPL_UCODE: i32 = 8;
export const SPL_FMC: i32 = 9;
const SPL_SLOTS: i32 = 10;
/** An SPL is one byte (go-sev-guest encodes 0x80-0xFF as `02 02 00 xx`). */
const MAX_SPL: i32 = 255;
/** structVersion values seen: 0 (Milan/Genoa) and 1 (Turin). Bounded to keep the INTEGER small. */
const MAX_STRUCT_VERSION: i32 = 255;
/** Longest productName / cspID kept (real ones are under 40 characters). */
const MAX_TEXT: i32 = 256;
/** Longest hwID accepted (64 bytes on Milan/Genoa, 8 on Turin). */
const MAX_HW_ID: i32 = 64;

// X.520 attribute types as DER content bytes.
const OID_AT_COMMON_NAME: StaticArray<u8> = [0x55, 0x04, 0x03];
const OID_AT_COUNTRY: StaticArray<u8> = [0x55, 0x04, 0x06];
const OID_AT_LOCALITY: StaticArray<u8> = [0x55, 0x04, 0x07];
const OID_AT_STATE: StaticArray<u8> = [0x55, 0x04, 0x08];
const OID_AT_ORGANIZATION: StaticArray<u8> = [0x55, 0x04, 0x0a];
const OID_AT_ORG_UNIT: StaticArray<u8> = [0x55, 0x04, 0x0b];
/** Attributes in every AMD SEV certificate name besides the CN (go-sev-guest validateAmdLocation). */
const AMD_NAME_ATTRIBUTES: i32 = 6;

/** The decoded AMD extensions of one certificate. Absent values: -1 / null. */
export class KdsExtensions {
  structVersion: i32 = -1;
  productName: string | null = null;
  spl: StaticArray<i32> = absentSpls();
  hwId: Uint8Array | null = null;
  cspId: string | null = null;
}

function absentSpls(): StaticArray<i32> {
  const a = new StaticArray<i32>(SPL_SLOTS);
  for (let i = 0; i < SPL_SLOTS; i++) a[i] = -1;
  return a;
}

/** Builds the OID content of an AMD extension: prefix + arcs. */
function amdOid(arc: u8, sub: u8): StaticArray<u8> {
  const n = AMD_KDS_PREFIX.length + (sub > 0 ? 2 : 1);
  const oid = new StaticArray<u8>(n);
  for (let i = 0; i < AMD_KDS_PREFIX.length; i++) oid[i] = AMD_KDS_PREFIX[i];
  oid[AMD_KDS_PREFIX.length] = arc;
  if (sub > 0) oid[AMD_KDS_PREFIX.length + 1] = sub;
  return oid;
}

/** extnValue holding exactly one DER INTEGER in [0, max]; -2 when absent, -1 when malformed. */
function integerExtension(cert: Certificate, oid: StaticArray<u8>, max: i32): i32 {
  const e = findExtension(cert.raw, cert.extensions, oid);
  if (e === null) return -2;
  const r = new DerReader(cert.raw, e.valueStart, e.valueEnd, 2);
  const v = readSmallInteger(r, max);
  return v >= 0 && r.finish() ? v : -1;
}

/** extnValue holding one IA5String; null (and *malformed) when it is not one. */
function textExtension(cert: Certificate, oid: StaticArray<u8>, out: TextOut): void {
  const e = findExtension(cert.raw, cert.extensions, oid);
  if (e === null) return;
  const r = new DerReader(cert.raw, e.valueStart, e.valueEnd, 2);
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_IA5_STRING) || !r.finish() || r.valueLength() > MAX_TEXT) { out.malformed = true; return; }
  const text = decodeDirectoryString(cert.raw, TAG_IA5_STRING, r.valueStart, r.valueEnd);
  if (text === null) { out.malformed = true; return; }
  out.text = text;
}

class TextOut { text: string | null = null; malformed: bool = false; }

/** Decodes the AMD extensions; null when one is present but malformed. */
export function decodeKdsExtensions(cert: Certificate): KdsExtensions | null {
  const x = new KdsExtensions();
  const version = integerExtension(cert, amdOid(ARC_STRUCT_VERSION, 0), MAX_STRUCT_VERSION);
  if (version == -1) return null;
  x.structVersion = version >= 0 ? version : -1;
  for (let i = 1; i < SPL_SLOTS; i++) {
    const v = integerExtension(cert, amdOid(ARC_TCB, <u8>i), MAX_SPL);
    if (v == -1) return null;
    x.spl[i] = v >= 0 ? v : -1;
  }
  const name = new TextOut();
  textExtension(cert, amdOid(ARC_PRODUCT_NAME, 0), name);
  const csp = new TextOut();
  textExtension(cert, amdOid(ARC_CSP_ID, 0), csp);
  if (name.malformed || csp.malformed) return null;
  x.productName = name.text;
  x.cspId = csp.text;
  const hw = findExtension(cert.raw, cert.extensions, amdOid(ARC_HW_ID, 0));
  if (hw !== null) {
    const n = hw.valueEnd - hw.valueStart;
    if (n < 1 || n > MAX_HW_ID) return null;
    x.hwId = cert.raw.slice(hw.valueStart, hw.valueEnd);
  }
  return x;
}

/** True when the extension at this OID is one of AMD's KDS extensions (any arc under the prefix). */
export function isAmdExtension(data: Uint8Array, oidStart: i32, oidEnd: i32): bool {
  if (oidEnd - oidStart <= AMD_KDS_PREFIX.length) return false;
  for (let i = 0; i < AMD_KDS_PREFIX.length; i++) if (data[oidStart + i] != AMD_KDS_PREFIX[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// AMD names: CN=<role>, OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro Devices; each
// attribute exactly once and nothing else.

function attributeIs(name: Name, oid: StaticArray<u8>, value: string): bool {
  let count = 0;
  let ok = false;
  for (let i = 0; i < name.attributes.length; i++) {
    const a = name.attributes[i];
    if (!oidIs(name.data, a.oidStart, a.oidEnd, oid)) continue;
    count++;
    const text = a.text;
    ok = text !== null && text == value;
  }
  return count == 1 && ok;
}

/** True when `name` is exactly AMD's name with this common name. */
export function isAmdName(name: Name, commonName: string): bool {
  return name.attributes.length == AMD_NAME_ATTRIBUTES &&
    attributeIs(name, OID_AT_COMMON_NAME, commonName) &&
    attributeIs(name, OID_AT_ORG_UNIT, "Engineering") &&
    attributeIs(name, OID_AT_COUNTRY, "US") &&
    attributeIs(name, OID_AT_LOCALITY, "Santa Clara") &&
    attributeIs(name, OID_AT_STATE, "CA") &&
    attributeIs(name, OID_AT_ORGANIZATION, "Advanced Micro Devices");
}

/** The CN of a name, or "". */
export function commonNameOf(name: Name): string {
  const cn = name.commonName;
  return cn !== null ? cn : "";
}
