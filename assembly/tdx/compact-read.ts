// Reads a compact collateral record (layout: compact-write.ts) back into the VerifiedCollateral that
// quote verification consumes. Records are produced only by our own collateral verification and kept
// by the contract, but they are still parsed as untrusted bytes: every length and count is bounded,
// every enum, size, ordering and cross-reference (root key = root certificate key, PCK CRL issuer =
// PCK CA subject) is checked, and the record must be consumed exactly. Any problem is
// MALFORMED_COLLATERAL — never a trap.
import { bytesEqual, sliceBytes } from "../encoding/bytes";
import { Certificate, parseCertificate } from "../encoding/x509";
import { CertificateList } from "../encoding/crl";
import { Result, success, failure, MALFORMED_COLLATERAL } from "./errors";
import { VerifiedCollateral, MAX_COLLATERAL_SIZE } from "./collateral";
import { TcbInfo, TdxModuleIdentity, IsvTcbLevel, PlatformTcbLevel, compareLevels, TCB_INFO_VERSION, TCB_INFO_ID_TDX, TCB_INFO_ID_SGX } from "./tcb-info";
import { QeIdentity, QE_ID_TDX, QE_ID_SGX } from "./qe-identity";
import { SVN_ARRAY_SIZE, MEASUREMENT_SIZE, ATTRIBUTES_SIZE, ER_ATTRIBUTES_SIZE, ER_MRSIGNER_SIZE } from "./quote";
import { isIntelShape } from "./signature";
import { cnContains, CN_PCK_PLATFORM_CA, CN_PCK_PROCESSOR_CA, CN_ROOT } from "./certs";
import { STATUS_UP_TO_DATE, STATUS_REVOKED, STATUS_OUT_OF_DATE } from "./status";
import { COMPACT_MAGIC, COMPACT_VERSION } from "./compact-write";

const ROOT_KEY_SIZE: i32 = 65;
const MAX_SERIAL_SIZE: i32 = 64;
const MAX_SERIALS: u32 = 1 << 20;
const MAX_TEXT: i32 = 1024;
const MAX_LEVELS: u32 = 256;
const MAX_ADVISORIES: u32 = 512;
const MAX_MODULE_IDENTITIES: u32 = 64;
const MAX_SVN: u32 = 0xffff;

class RecordReader {
  at: i32 = 0;
  error: string = "";

  constructor(public data: Uint8Array) {}

  get failed(): bool { return this.error.length > 0; }

  expect(ok: bool, what: string): void { if (!ok && !this.failed) this.error = what; }

  private take(n: i32, what: string): i32 {
    if (this.failed) return -1;
    if (n < 0 || n > this.data.length - this.at) { this.error = "truncated at " + what; return -1; }
    const start = this.at;
    this.at += n;
    return start;
  }

  u8(what: string): u32 { const p = this.take(1, what); return p < 0 ? 0 : <u32>this.data[p]; }

  u16(what: string): u32 {
    const p = this.take(2, what);
    return p < 0 ? 0 : (<u32>this.data[p] << 8) | <u32>this.data[p + 1];
  }

  u32(what: string): u32 {
    const p = this.take(4, what);
    if (p < 0) return 0;
    let v: u32 = 0;
    for (let i = 0; i < 4; i++) v = (v << 8) | <u32>this.data[p + i];
    return v;
  }

  i64(what: string): i64 {
    const p = this.take(8, what);
    if (p < 0) return 0;
    let v: u64 = 0;
    for (let i = 0; i < 8; i++) v = (v << 8) | <u64>this.data[p + i];
    return <i64>v;
  }

  bytes(n: i32, what: string): Uint8Array {
    const p = this.take(n, what);
    return p < 0 ? new Uint8Array(0) : sliceBytes(this.data, p, p + n);
  }

  bytes8(what: string): Uint8Array { return this.bytes(<i32>this.u8(what), what); }
  bytes16(what: string): Uint8Array { return this.bytes(<i32>this.u16(what), what); }

  bytes32(what: string, max: i32): Uint8Array {
    const n = this.u32(what);
    this.expect(n <= <u32>max, what + " is too long");
    return this.failed ? new Uint8Array(0) : this.bytes(<i32>n, what);
  }

  /** A byte string of exactly `size` bytes. */
  fixed(size: i32, what: string): Uint8Array {
    const v = this.bytes8(what);
    this.expect(v.length == size, what + " must be " + size.toString() + " bytes");
    return v;
  }

  text(what: string): string {
    const v = this.bytes16(what);
    this.expect(v.length <= MAX_TEXT, what + " is too long");
    return this.failed ? "" : String.UTF8.decode(v.buffer);
  }

  count(max: u32, what: string): i32 {
    const n = this.u16(what);
    this.expect(n <= max, what + ": too many entries");
    return this.failed ? 0 : <i32>n;
  }
}

function serials(r: RecordReader, what: string): Array<Uint8Array> {
  const n = r.u32(what);
  r.expect(n <= MAX_SERIALS && <u64>n <= <u64>(r.data.length - r.at), what + ": too many serials");
  const out = new Array<Uint8Array>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    const s = r.bytes8(what);
    r.expect(s.length > 0 && s.length <= MAX_SERIAL_SIZE, what + ": bad serial length");
    out.push(s);
  }
  return out;
}

function advisories(r: RecordReader): Array<string> {
  const n = r.count(MAX_ADVISORIES, "advisories");
  const out = new Array<string>();
  for (let i = 0; i < n && !r.failed; i++) out.push(r.text("advisory"));
  return out;
}

function identityStatus(r: RecordReader): i32 {
  const s = <i32>r.u8("status");
  r.expect(s == STATUS_UP_TO_DATE || s == STATUS_OUT_OF_DATE || s == STATUS_REVOKED, "bad identity status");
  return s;
}

/** Descending isvsvn, as readIsvLevels produces. */
function isvLevels(r: RecordReader, what: string): Array<IsvTcbLevel> {
  const n = r.count(MAX_LEVELS, what);
  const out = new Array<IsvTcbLevel>();
  for (let i = 0; i < n && !r.failed; i++) {
    const l = new IsvTcbLevel();
    l.isvSvn = <i32>r.u16(what);
    l.status = identityStatus(r);
    l.tcbDate = r.i64(what);
    l.advisories = advisories(r);
    r.expect(i == 0 || out[i - 1].isvSvn >= l.isvSvn, what + " are not in descending order");
    out.push(l);
  }
  return out;
}

function moduleIdentity(r: RecordReader, withLevels: bool): TdxModuleIdentity {
  const m = new TdxModuleIdentity();
  m.id = r.text("module id");
  m.mrSigner = r.fixed(MEASUREMENT_SIZE, "module MRSIGNER");
  m.attributes = r.fixed(ATTRIBUTES_SIZE, "module attributes");
  m.attributesMask = r.fixed(ATTRIBUTES_SIZE, "module attributes mask");
  if (withLevels) m.levels = isvLevels(r, "module TCB levels");
  return m;
}

function svns(r: RecordReader, out: StaticArray<i32>): void {
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) out[i] = <i32>r.u16("SVN");
}

function platformLevel(r: RecordReader, isTdx: bool): PlatformTcbLevel {
  const l = new PlatformTcbLevel();
  svns(r, l.sgx);
  l.pceSvn = <i32>r.u16("PCESVN");
  svns(r, l.tdx);
  if (!isTdx) for (let i = 0; i < SVN_ARRAY_SIZE; i++) r.expect(l.tdx[i] == 0, "an SGX TCB level has TDX components");
  l.status = <i32>r.u8("status");
  r.expect(l.status >= STATUS_UP_TO_DATE && l.status <= STATUS_REVOKED, "bad platform status");
  l.tcbDate = r.i64("tcbDate");
  l.advisories = advisories(r);
  return l;
}

function tcbInfo(r: RecordReader): TcbInfo {
  const info = new TcbInfo();
  info.id = r.text("TCB info id");
  r.expect(info.id == TCB_INFO_ID_TDX || info.id == TCB_INFO_ID_SGX, "bad TCB info id");
  info.version = <i64>r.u16("TCB info version");
  r.expect(info.version == TCB_INFO_VERSION, "bad TCB info version");
  info.issueDate = r.i64("TCB info issueDate");
  info.nextUpdate = r.i64("TCB info nextUpdate");
  r.expect(info.issueDate <= info.nextUpdate, "TCB info issueDate is after nextUpdate");
  info.fmspc = r.fixed(6, "FMSPC");
  info.pceId = r.fixed(2, "PCEID");
  info.evaluationDataNumber = <i64>r.u32("TCB evaluation number");
  const hasModule = r.u8("TDX module flag");
  r.expect(hasModule <= 1 && (hasModule == 0 || info.isTdx), "bad TDX module flag");
  if (hasModule == 1 && !r.failed) info.tdxModule = moduleIdentity(r, false);
  const ids = r.count(MAX_MODULE_IDENTITIES, "TDX module identities");
  r.expect(ids == 0 || info.isTdx, "SGX TCB info with TDX module identities");
  for (let i = 0; i < ids && !r.failed; i++) info.tdxModuleIdentities.push(moduleIdentity(r, true));
  const n = r.count(MAX_LEVELS, "TCB levels");
  r.expect(n > 0, "no TCB levels");
  for (let i = 0; i < n && !r.failed; i++) {
    const l = platformLevel(r, info.isTdx);
    r.expect(i == 0 || compareLevels(info.levels[i - 1], l) >= 0, "TCB levels are not in canonical order");
    info.levels.push(l);
  }
  return info;
}

function qeIdentity(r: RecordReader): QeIdentity {
  const qe = new QeIdentity();
  qe.id = r.text("QE identity id");
  r.expect(qe.id == QE_ID_TDX || qe.id == QE_ID_SGX, "bad QE identity id");
  qe.version = <i64>r.u16("QE identity version");
  r.expect(qe.version >= 2 && qe.version <= 3, "bad QE identity version");
  qe.issueDate = r.i64("QE identity issueDate");
  qe.nextUpdate = r.i64("QE identity nextUpdate");
  r.expect(qe.issueDate <= qe.nextUpdate, "QE identity issueDate is after nextUpdate");
  qe.evaluationDataNumber = <i64>r.u32("QE evaluation number");
  qe.miscselect = r.fixed(4, "MISCSELECT");
  qe.miscselectMask = r.fixed(4, "MISCSELECT mask");
  qe.attributes = r.fixed(ER_ATTRIBUTES_SIZE, "QE attributes");
  qe.attributesMask = r.fixed(ER_ATTRIBUTES_SIZE, "QE attributes mask");
  qe.mrSigner = r.fixed(ER_MRSIGNER_SIZE, "QE MRSIGNER");
  qe.isvProdId = <i64>r.u16("ISVPRODID");
  qe.levels = isvLevels(r, "QE TCB levels");
  r.expect(qe.levels.length > 0, "no QE TCB levels");
  return qe;
}

function certificate(r: RecordReader, what: string): Certificate | null {
  const der = r.bytes32(what, MAX_COLLATERAL_SIZE);
  if (r.failed) return null;
  const cert = parseCertificate(der);
  r.expect(cert !== null && isIntelShape(cert), what + " does not parse");
  return r.failed ? null : cert;
}

/** A CRL reduced to what quote verification reads: issuer name, window and revoked serials. */
function crlOf(issuer: Uint8Array, thisUpdate: i64, nextUpdate: i64, revoked: Array<Uint8Array>): CertificateList {
  const crl = new CertificateList(issuer);
  crl.issuer.start = 0;
  crl.issuer.end = issuer.length;
  crl.thisUpdate = thisUpdate;
  crl.nextUpdate = nextUpdate;
  crl.revoked = revoked;
  return crl;
}

function readHead(r: RecordReader, vc: VerifiedCollateral): void {
  const magic = r.bytes(4, "magic");
  r.expect(!r.failed && String.UTF8.decode(magic.buffer) == COMPACT_MAGIC, "not a compact collateral record");
  r.expect(r.u8("version") == <u32>COMPACT_VERSION, "unsupported record version");
  vc.rootKey = r.fixed(ROOT_KEY_SIZE, "root key");
  r.expect(vc.rootKey.length == ROOT_KEY_SIZE && vc.rootKey[0] == 4, "the root key is not an uncompressed P-256 point");
  vc.notBefore = r.i64("window");
  vc.notAfter = r.i64("window");
  r.expect(vc.notBefore <= vc.notAfter, "empty validity window");
  vc.notBeforeItem = r.text("window item");
  vc.notAfterItem = r.text("window item");
}

function readCertificates(r: RecordReader, vc: VerifiedCollateral): void {
  const root = certificate(r, "the root certificate");
  if (root === null) return;
  r.expect(bytesEqual(root.ecPoint(), vc.rootKey) && root.isCA() && cnContains(root, CN_ROOT), "the root certificate does not hold the root key");
  vc.rootCert = root;
  vc.rootCrl = crlOf(root.subject.raw(), vc.notBefore, vc.notAfter, serials(r, "the root CA CRL"));
  const ca = certificate(r, "the PCK CA certificate");
  if (ca === null) return;
  r.expect(ca.isCA() && (cnContains(ca, CN_PCK_PLATFORM_CA) || cnContains(ca, CN_PCK_PROCESSOR_CA)), "the PCK CA is not an Intel PCK CA");
  vc.pckCa = ca;
  const separateRoot = r.u8("PCK root flag");
  r.expect(separateRoot <= 1, "bad PCK root flag");
  if (separateRoot == 0) vc.pckRoot = root;
  else {
    const pckRoot = certificate(r, "the PCK CRL issuer root");
    if (pckRoot === null) return;
    r.expect(bytesEqual(pckRoot.ecPoint(), vc.rootKey) && pckRoot.isCA(), "the PCK CRL issuer root does not hold the root key");
    vc.pckRoot = pckRoot;
  }
  const issuer = r.bytes16("the PCK CRL issuer");
  r.expect(bytesEqual(issuer, ca.subject.raw()), "the PCK CRL issuer is not the PCK CA");
  const thisUpdate = r.i64("the PCK CRL thisUpdate");
  const nextUpdate = r.i64("the PCK CRL nextUpdate");
  vc.pckCrl = crlOf(issuer, thisUpdate, nextUpdate, serials(r, "the PCK CRL"));
}

/** Record bytes -> VerifiedCollateral (tcbSigner is not kept: quote verification does not use it). */
export function readCompactRecord(bytes: Uint8Array): Result<VerifiedCollateral> {
  const r = new RecordReader(bytes);
  r.expect(bytes.length <= MAX_COLLATERAL_SIZE, "the record is too large");
  const vc = new VerifiedCollateral();
  readHead(r, vc);
  if (!r.failed) readCertificates(r, vc);
  const flag = r.u8("PCK chain override flag");
  r.expect(flag <= 1, "bad PCK chain override flag");
  if (flag == 1 && !r.failed) vc.pckChainOverride = r.bytes32("the PCK chain override", MAX_COLLATERAL_SIZE);
  if (!r.failed) vc.tcbInfo = tcbInfo(r);
  if (!r.failed) vc.qeIdentity = qeIdentity(r);
  r.expect(r.at == bytes.length, "trailing bytes after the record");
  if (r.failed) return failure<VerifiedCollateral>(MALFORMED_COLLATERAL, "collateral record: " + r.error);
  return success<VerifiedCollateral>(vc);
}
