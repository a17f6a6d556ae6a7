// The FWID in the device's leaf certificate (spec nvidia.md §2): the firmware digest the device's boot
// ROM certified together with the attestation key. Opaque field 20 of the report must equal it, which
// binds the signed measurements to the firmware the certificate was issued for.
//
//   Hopper    ext 2.23.133.5.4.1    SEQ { INTEGER, SubjectPublicKeyInfo, SEQ { OID sha384, OCTET STRING(48) } }
//   Blackwell ext 2.23.133.5.4.1.1  DiceTcbInfo-like SEQ of [n] IMPLICIT fields; [6] fwids =
//                                   SEQ OF SEQ { OID hashAlg, OCTET STRING digest }; the first is used.
//
// Both are parsed structurally with the strict DER reader (not "the last 48 bytes"), so a certificate
// with an unexpected layout is an error rather than a silently different digest.
import { Certificate } from "../encoding/x509";
import { DerReader, CLASS_CONTEXT, readSequence, readInteger, readOid, readOctetString, oidIs } from "../encoding/der";
import { OID_SHA384 } from "../encoding/oids";
import { fail, MALFORMED_FWID_EXTENSION } from "./errors";
import { FWID_LENGTH } from "./opaque";

/** 2.23.133.5.4.1 (tcg-dice-TcbInfo arc as NVIDIA uses it on Hopper / LS10). */
const OID_NV_FWID_HOPPER: StaticArray<u8> = [0x67, 0x81, 0x05, 0x05, 0x04, 0x01];
/** 2.23.133.5.4.1.1 (Blackwell DiceTcbInfo). */
const OID_NV_FWID_BLACKWELL: StaticArray<u8> = [0x67, 0x81, 0x05, 0x05, 0x04, 0x01, 0x01];
/** DiceTcbInfo field number of `fwids`. */
const DICE_FWIDS_TAG: u32 = 6;

export const FWID_KIND_NONE = "";
export const FWID_KIND_HOPPER = "2.23.133.5.4.1";
export const FWID_KIND_BLACKWELL = "2.23.133.5.4.1.1";

export class CertFwid {
  constructor(public kind: string, public digest: Uint8Array | null) {}
}

/** SEQ { OID sha384, OCTET STRING(48) } read from `r`; the digest or null. */
function readSha384Fwid(r: DerReader): Uint8Array | null {
  const fwid = readSequence(r);
  if (fwid === null || !readOid(fwid) || !oidIs(fwid.data, fwid.valueStart, fwid.valueEnd, OID_SHA384)) return null;
  if (!readOctetString(fwid) || fwid.valueLength() != FWID_LENGTH) return null;
  const digest = fwid.valueBytes();
  return fwid.finish() ? digest : null;
}

function hopperFwid(data: Uint8Array, start: i32, end: i32): Uint8Array | null {
  const outer = new DerReader(data, start, end, 2);
  const seq = readSequence(outer);
  if (seq === null || !outer.finish()) return null;
  if (readInteger(seq) === null) return null;
  // The embedded SubjectPublicKeyInfo is not used; it only has to be a well-formed SEQUENCE.
  if (readSequence(seq) === null) return null;
  const digest = readSha384Fwid(seq);
  return digest !== null && seq.finish() ? digest : null;
}

function blackwellFwid(data: Uint8Array, start: i32, end: i32): Uint8Array | null {
  const outer = new DerReader(data, start, end, 2);
  const seq = readSequence(outer);
  if (seq === null || !outer.finish()) return null;
  let digest: Uint8Array | null = null;
  let lastTag: i64 = -1;
  while (!seq.atEnd()) {
    if (!seq.next() || seq.tagClass != CLASS_CONTEXT) return null;
    // DiceTcbInfo fields are in increasing tag order, each at most once.
    if (<i64>seq.tagNumber <= lastTag) return null;
    lastTag = <i64>seq.tagNumber;
    if (seq.tagNumber != DICE_FWIDS_TAG) continue;
    if (!seq.constructed) return null;
    const list = seq.enter();
    if (list === null || list.atEnd()) return null;
    digest = readSha384Fwid(list);
    if (digest === null) return null;
  }
  return digest;
}

/** The leaf's FWID; kind "" with a null digest when the certificate has neither extension. Null (with
 * MALFORMED_FWID_EXTENSION) when an extension is present but not in the expected shape. */
export function certificateFwid(cert: Certificate): CertFwid | null {
  const hopper = cert.extensionByOid(OID_NV_FWID_HOPPER);
  const blackwell = cert.extensionByOid(OID_NV_FWID_BLACKWELL);
  if (hopper !== null && blackwell !== null) return fail<CertFwid>(MALFORMED_FWID_EXTENSION, "leaf certificate carries both FWID extensions");
  if (hopper !== null) {
    const digest = hopperFwid(cert.raw, hopper.valueStart, hopper.valueEnd);
    if (digest === null) return fail<CertFwid>(MALFORMED_FWID_EXTENSION, "malformed FWID extension 2.23.133.5.4.1");
    return new CertFwid(FWID_KIND_HOPPER, digest);
  }
  if (blackwell !== null) {
    const digest = blackwellFwid(cert.raw, blackwell.valueStart, blackwell.valueEnd);
    if (digest === null) return fail<CertFwid>(MALFORMED_FWID_EXTENSION, "malformed DiceTcbInfo extension 2.23.133.5.4.1.1");
    return new CertFwid(FWID_KIND_BLACKWELL, digest);
  }
  return new CertFwid(FWID_KIND_NONE, null);
}
