// The compact collateral record: what quote verification needs from verified collateral, in a small
// versioned binary form, so that stored collateral (the registry's on-chain PCCS) is not re-parsed
// from 16 KB of JSON, hex and PEM for every quote. Written only from a VerifiedCollateral that this
// code verified (signatures included); read back by compact-read.ts, which re-checks every bound.
//
// Layout (big-endian integers; bytes8/16/32 = u8/u16/u32 length then the bytes; str = bytes16 UTF-8):
//   "TDXC" version:u8
//   rootKey:bytes8 notBefore:i64 notAfter:i64 notBeforeItem:str notAfterItem:str
//   rootCert:bytes32 (DER) rootCrlSerials:serials
//   pckCa:bytes32 (DER) pckRoot: u8 (0 = rootCert, 1 = DER:bytes32 follows) pckCrlIssuer:bytes16 (DER Name) pckCrlThisUpdate:i64 pckCrlNextUpdate:i64 pckCrlSerials:serials
//   pckChainOverride: u8 (0/1) [bytes32]
//   tcbInfo: id:str version:u16 issueDate:i64 nextUpdate:i64 fmspc:bytes8 pceId:bytes8 evaluation:u32
//            hasModule:u8 [module] moduleIdentities:u16 × module(with levels) levels:u16 × platformLevel
//   qeIdentity: id:str version:u16 issueDate:i64 nextUpdate:i64 evaluation:u32 miscselect:bytes8
//            miscselectMask:bytes8 attributes:bytes8 attributesMask:bytes8 mrSigner:bytes8 isvProdId:u16 isvLevels
//   serials = u32 count × bytes8;  isvLevels = u16 count × (isvSvn:u16 status:u8 tcbDate:i64 advisories)
//   platformLevel = sgx:16×u16 pceSvn:u16 tdx:16×u16 status:u8 tcbDate:i64 advisories; advisories = u16 × str
//   module = id:str mrSigner:bytes8 attributes:bytes8 attributesMask:bytes8 [isvLevels when an identity]
import { ByteBuffer, utf8, bytesEqual } from "../encoding/bytes";
import { Certificate } from "../encoding/x509";
import { CertificateList } from "../encoding/crl";
import { VerifiedCollateral } from "./collateral";
import { TcbInfo, TdxModuleIdentity, IsvTcbLevel, PlatformTcbLevel } from "./tcb-info";
import { QeIdentity } from "./qe-identity";
import { SVN_ARRAY_SIZE } from "./quote";

export const COMPACT_MAGIC = "TDXC";
export const COMPACT_VERSION: u8 = 1;

/** Set when a value does not fit its length prefix (never for Intel's collateral; refused, not cut). */
let overflow = false;

function bytes8(b: ByteBuffer, v: Uint8Array): void { if (v.length > 0xff) overflow = true; b.pushByte(<u8>v.length); b.pushBytes(v); }
function bytes16(b: ByteBuffer, v: Uint8Array): void { if (v.length > 0xffff) overflow = true; b.pushU16BE(<u32>v.length); b.pushBytes(v); }
function bytes32(b: ByteBuffer, v: Uint8Array): void { b.pushU32BE(<u32>v.length); b.pushBytes(v); }
function str(b: ByteBuffer, s: string): void { bytes16(b, utf8(s)); }
function i64be(b: ByteBuffer, v: i64): void { b.pushU64BE(<u64>v); }

function serials(b: ByteBuffer, list: Array<Uint8Array>): void {
  b.pushU32BE(<u32>list.length);
  for (let i = 0; i < list.length; i++) bytes8(b, list[i]);
}

function advisories(b: ByteBuffer, list: Array<string>): void {
  b.pushU16BE(<u32>list.length);
  for (let i = 0; i < list.length; i++) str(b, list[i]);
}

function isvLevels(b: ByteBuffer, levels: Array<IsvTcbLevel>): void {
  b.pushU16BE(<u32>levels.length);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    b.pushU16BE(<u32>l.isvSvn);
    b.pushByte(<u8>l.status);
    i64be(b, l.tcbDate);
    advisories(b, l.advisories);
  }
}

function moduleIdentity(b: ByteBuffer, m: TdxModuleIdentity, withLevels: bool): void {
  str(b, m.id);
  bytes8(b, m.mrSigner);
  bytes8(b, m.attributes);
  bytes8(b, m.attributesMask);
  if (withLevels) isvLevels(b, m.levels);
}

function platformLevel(b: ByteBuffer, l: PlatformTcbLevel): void {
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) b.pushU16BE(<u32>l.sgx[i]);
  b.pushU16BE(<u32>l.pceSvn);
  for (let i = 0; i < SVN_ARRAY_SIZE; i++) b.pushU16BE(<u32>l.tdx[i]);
  b.pushByte(<u8>l.status);
  i64be(b, l.tcbDate);
  advisories(b, l.advisories);
}

function tcbInfo(b: ByteBuffer, info: TcbInfo): void {
  str(b, info.id);
  b.pushU16BE(<u32>info.version);
  i64be(b, info.issueDate);
  i64be(b, info.nextUpdate);
  bytes8(b, info.fmspc);
  bytes8(b, info.pceId);
  b.pushU32BE(<u32>info.evaluationDataNumber);
  const module = info.tdxModule;
  b.pushByte(module !== null ? 1 : 0);
  if (module !== null) moduleIdentity(b, module, false);
  b.pushU16BE(<u32>info.tdxModuleIdentities.length);
  for (let i = 0; i < info.tdxModuleIdentities.length; i++) moduleIdentity(b, info.tdxModuleIdentities[i], true);
  b.pushU16BE(<u32>info.levels.length);
  for (let i = 0; i < info.levels.length; i++) platformLevel(b, info.levels[i]);
}

function qeIdentity(b: ByteBuffer, qe: QeIdentity): void {
  str(b, qe.id);
  b.pushU16BE(<u32>qe.version);
  i64be(b, qe.issueDate);
  i64be(b, qe.nextUpdate);
  b.pushU32BE(<u32>qe.evaluationDataNumber);
  bytes8(b, qe.miscselect);
  bytes8(b, qe.miscselectMask);
  bytes8(b, qe.attributes);
  bytes8(b, qe.attributesMask);
  bytes8(b, qe.mrSigner);
  b.pushU16BE(<u32>qe.isvProdId);
  isvLevels(b, qe.levels);
}

/** The record of collateral verified by verifyCollateral, or null when a value exceeds its length
 * prefix (the JSON parsers already bound every count; this only guards lengths). */
export function writeCompactRecord(vc: VerifiedCollateral): Uint8Array | null {
  overflow = false;
  const b = new ByteBuffer(4096);
  b.pushString(COMPACT_MAGIC);
  b.pushByte(COMPACT_VERSION);
  bytes8(b, vc.rootKey);
  i64be(b, vc.notBefore);
  i64be(b, vc.notAfter);
  str(b, vc.notBeforeItem);
  str(b, vc.notAfterItem);
  bytes32(b, changetype<Certificate>(vc.rootCert).raw);
  serials(b, changetype<CertificateList>(vc.rootCrl).revoked);
  bytes32(b, changetype<Certificate>(vc.pckCa).raw);
  const pckRoot = changetype<Certificate>(vc.pckRoot), root = changetype<Certificate>(vc.rootCert);
  const sameRoot = pckRoot.raw.length == root.raw.length && bytesEqual(pckRoot.raw, root.raw);
  b.pushByte(sameRoot ? 0 : 1);
  if (!sameRoot) bytes32(b, pckRoot.raw);
  const crl = changetype<CertificateList>(vc.pckCrl);
  bytes16(b, crl.issuer.raw());
  i64be(b, crl.thisUpdate);
  i64be(b, crl.nextUpdate);
  serials(b, crl.revoked);
  const replacement = vc.pckChainOverride;
  b.pushByte(replacement !== null ? 1 : 0);
  if (replacement !== null) bytes32(b, replacement);
  tcbInfo(b, vc.tcbInfo);
  qeIdentity(b, vc.qeIdentity);
  return overflow ? null : b.toBytes();
}
