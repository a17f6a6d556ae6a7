// The Intel SGX extension of PCK certificates (OID 1.2.840.113741.1.13.1, spec tdx.md §2.4): the
// platform's TCB (16 SGX component SVNs, PCESVN, CPUSVN), PCE-ID, FMSPC and SGX type. These values are
// what the TCB info is matched against, so they are read strictly: every required entry exactly once,
// with its exact ASN.1 type and size; anything else is MALFORMED_PCK_EXTENSION.
import {
  DerReader, CLASS_UNIVERSAL, TAG_OCTET_STRING, TAG_INTEGER, readSequence, readOid, oidIs, smallIntegerValue,
} from "../encoding/der";
import { Certificate } from "../encoding/x509";
import { Result, success, failure, MALFORMED_PCK_EXTENSION } from "./errors";
import { SVN_ARRAY_SIZE } from "./quote";

/** 1.2.840.113741.1.13.1 */
const OID_SGX_EXTENSIONS: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01];
const ARC_PPID: u8 = 1;
const ARC_TCB: u8 = 2;
const ARC_PCEID: u8 = 3;
const ARC_FMSPC: u8 = 4;
const ARC_SGX_TYPE: u8 = 5;
const ARC_PLATFORM_INSTANCE_ID: u8 = 6;
const ARC_CONFIGURATION: u8 = 7;
/** TCB sub-arcs: 1..16 components, 17 PCESVN, 18 CPUSVN. */
const TCB_ARC_PCESVN: u8 = 17;
const TCB_ARC_CPUSVN: u8 = 18;
const TAG_ENUMERATED: u32 = 10;

const PPID_SIZE: i32 = 16;
const PCEID_SIZE: i32 = 2;
const FMSPC_SIZE: i32 = 6;
const CPUSVN_SIZE: i32 = 16;
const MAX_SVN: i32 = 0xffff;
const MAX_SGX_TYPE: i32 = 0xff;

export class PckExtension {
  ppid: Uint8Array = new Uint8Array(0);
  /** SGX TCB component SVNs 1..16 (index 0..15). */
  components: StaticArray<i32> = new StaticArray<i32>(SVN_ARRAY_SIZE);
  pceSvn: i32 = 0;
  cpuSvn: Uint8Array = new Uint8Array(0);
  pceId: Uint8Array = new Uint8Array(0);
  fmspc: Uint8Array = new Uint8Array(0);
  sgxType: i32 = 0;
}

/** True when data[start, end) is OID_SGX_EXTENSIONS followed by exactly the given arcs (< 128). */
function isSgxOid(data: Uint8Array, start: i32, end: i32, arc1: u8, arc2: u8): bool {
  const base = OID_SGX_EXTENSIONS.length;
  const extra = arc2 == 0 ? 1 : 2;
  if (end - start != base + extra) return false;
  if (!oidIs(data, start, start + base, OID_SGX_EXTENSIONS)) return false;
  if (data[start + base] != arc1) return false;
  return extra == 1 || data[start + base + 1] == arc2;
}

/** The last arc of an OID under prefix.arc1 (i.e. prefix.arc1.N with N < 128), or -1. */
function subArc(data: Uint8Array, start: i32, end: i32, arc1: u8): i32 {
  const base = OID_SGX_EXTENSIONS.length;
  if (end - start != base + 2 || !oidIs(data, start, start + base, OID_SGX_EXTENSIONS) || data[start + base] != arc1) return -1;
  const last = <i32>data[start + base + 1];
  return last < 0x80 ? last : -1;
}

/** OCTET STRING of exactly `size` bytes from the entry reader; null otherwise. */
function octets(r: DerReader, size: i32): Uint8Array | null {
  if (!r.expect(CLASS_UNIVERSAL, false, TAG_OCTET_STRING) || r.valueLength() != size) return null;
  return r.valueBytes();
}

/** TCB ::= SEQUENCE OF SEQUENCE { OID .2.n, INTEGER | OCTET STRING } — 18 entries, each once. */
function parseTcb(seq: DerReader, ext: PckExtension): string {
  let seen: u32 = 0;
  while (!seq.atEnd()) {
    const entry = readSequence(seq);
    if (entry === null || !readOid(entry)) return "bad TCB entry";
    const arc = subArc(entry.data, entry.valueStart, entry.valueEnd, ARC_TCB);
    if (arc < 1 || arc > <i32>TCB_ARC_CPUSVN) return "unknown TCB entry";
    if ((seen & (1 << <u32>arc)) != 0) return "duplicate TCB entry";
    seen |= 1 << <u32>arc;
    if (arc == <i32>TCB_ARC_CPUSVN) {
      const cpuSvn = octets(entry, CPUSVN_SIZE);
      if (cpuSvn === null) return "bad CPUSVN";
      ext.cpuSvn = cpuSvn;
    } else {
      if (!entry.expect(CLASS_UNIVERSAL, false, TAG_INTEGER)) return "bad TCB SVN";
      const v = smallIntegerValue(entry, MAX_SVN);
      if (v < 0) return "TCB SVN out of range";
      if (arc == <i32>TCB_ARC_PCESVN) ext.pceSvn = v; else ext.components[arc - 1] = v;
    }
    if (!entry.finish()) return "trailing data in TCB entry";
  }
  // arcs 1..18 all present
  return seen == (((1 << 19) - 1) & ~1) ? "" : "incomplete TCB";
}

/** One top-level entry of the SGX extension; returns the arc it held (for duplicate detection), or -1
 * with `why` set. */
function parseEntry(list: DerReader, ext: PckExtension, why: Array<string>): i32 {
  const entry = readSequence(list);
  if (entry === null || !readOid(entry)) { why.push("bad entry"); return -1; }
  const data = entry.data, s = entry.valueStart, e = entry.valueEnd;
  let arc: i32 = -1;
  if (isSgxOid(data, s, e, ARC_PPID, 0)) {
    const v = octets(entry, PPID_SIZE);
    if (v !== null) { ext.ppid = v; arc = ARC_PPID; }
  } else if (isSgxOid(data, s, e, ARC_TCB, 0)) {
    const tcb = readSequence(entry);
    if (tcb !== null) {
      const problem = parseTcb(tcb, ext);
      if (problem.length > 0) { why.push(problem); return -1; }
      arc = ARC_TCB;
    }
  } else if (isSgxOid(data, s, e, ARC_PCEID, 0)) {
    const v = octets(entry, PCEID_SIZE);
    if (v !== null) { ext.pceId = v; arc = ARC_PCEID; }
  } else if (isSgxOid(data, s, e, ARC_FMSPC, 0)) {
    const v = octets(entry, FMSPC_SIZE);
    if (v !== null) { ext.fmspc = v; arc = ARC_FMSPC; }
  } else if (isSgxOid(data, s, e, ARC_SGX_TYPE, 0)) {
    if (entry.expect(CLASS_UNIVERSAL, false, TAG_ENUMERATED)) {
      ext.sgxType = smallIntegerValue(entry, MAX_SGX_TYPE);
      if (ext.sgxType >= 0) arc = ARC_SGX_TYPE;
    }
  } else if (isSgxOid(data, s, e, ARC_PLATFORM_INSTANCE_ID, 0) || isSgxOid(data, s, e, ARC_CONFIGURATION, 0)) {
    // Platform-CA-only entries: not used by verification; they only need to be one DER element.
    if (entry.next()) arc = <i32>data[e - 1];
  } else {
    why.push("unknown SGX extension entry");
    return -1;
  }
  if (arc < 0 || !entry.finish()) { why.push("bad value for SGX extension entry " + arc.toString()); return -1; }
  return arc;
}

/** Reads the SGX extension of a PCK leaf certificate. */
export function parsePckExtension(cert: Certificate): Result<PckExtension> {
  const found = cert.extension("1.2.840.113741.1.13.1");
  if (found === null) return failure<PckExtension>(MALFORMED_PCK_EXTENSION, "the PCK certificate has no SGX extension");
  const top = new DerReader(cert.raw, found.valueStart, found.valueEnd, 2);
  const list = readSequence(top);
  if (list === null || !top.finish()) return failure<PckExtension>(MALFORMED_PCK_EXTENSION, "the SGX extension is not a SEQUENCE");
  const ext = new PckExtension();
  const why = new Array<string>();
  let seen: u32 = 0;
  while (!list.atEnd()) {
    const arc = parseEntry(list, ext, why);
    if (arc < 0) return failure<PckExtension>(MALFORMED_PCK_EXTENSION, why.length > 0 ? why[0] : "bad SGX extension");
    if ((seen & (1 << <u32>arc)) != 0) return failure<PckExtension>(MALFORMED_PCK_EXTENSION, "duplicate SGX extension entry " + arc.toString());
    seen |= 1 << <u32>arc;
  }
  const required: u32 = (1 << ARC_PPID) | (1 << ARC_TCB) | (1 << ARC_PCEID) | (1 << ARC_FMSPC) | (1 << ARC_SGX_TYPE);
  if ((seen & required) != required) return failure<PckExtension>(MALFORMED_PCK_EXTENSION, "the SGX extension lacks PPID, TCB, PCE-ID, FMSPC or SGX type");
  return success<PckExtension>(ext);
}
