// Byte-exact Intel TDX quotes (v4 with TD report 1.0, v5 with TD report 1.0 or 1.5) for the simulated
// platform: header, TD report, ECDSA-P256 quote signature by a fresh attestation key, and certification
// data type 6 (QE report signed by the PCK key, QE auth data, nested type 5 PEM PCK chain). Layout:
// specs/tdx.md §1 (Intel "TDX DCAP Quoting Library API", appendix 3). Little-endian integers.
import { createHash } from "node:crypto";
import { type Bytes, concat } from "./der";
import { type SimKey, createKey, signData } from "./pki";

export const INTEL_QE_VENDOR_ID = Uint8Array.from(Buffer.from("939a7233f79c4ca9940a0db3957f0607", "hex"));
export const TEE_TYPE_TDX = 0x81;
export const ENCLAVE_REPORT_SIZE = 384;
export const TD_REPORT10_SIZE = 584;
export const TD_REPORT15_SIZE = 648;

/** The TD report fields (sizes: SVNs 16, measurements 48, attributes 8, REPORTDATA 64). */
export interface TdReportFields {
  teeTcbSvn: Bytes; mrSeam: Bytes; mrSignerSeam: Bytes; seamAttributes: Bytes; tdAttributes: Bytes; xfam: Bytes;
  mrTd: Bytes; mrConfigId: Bytes; mrOwner: Bytes; mrOwnerConfig: Bytes; rtmr: [Bytes, Bytes, Bytes, Bytes];
  reportData: Bytes;
  /** TD report 1.5 only. */
  teeTcbSvn2?: Bytes; mrServiceTd?: Bytes;
}

/** The QE (TD Quoting Enclave) report fields the verifier checks against the QE identity. */
export interface QeReportFields {
  cpuSvn: Bytes; miscselect: number; attributes: Bytes; mrEnclave: Bytes; mrSigner: Bytes; isvProdId: number; isvSvn: number;
}

export interface QuoteSpec {
  version: 4 | 5;
  /** v5 only: 2 (TD report 1.0) or 3 (TD report 1.5). */
  bodyType: 2 | 3;
  td: TdReportFields;
  qe: QeReportFields;
  /** QE-ID (user_data[0..16]). */
  qeId: Bytes;
  pckKey: SimKey;
  /** PEM of leaf, CA and root (a NUL is appended, as real quotes do). */
  pckChainPem: string;
  qeAuthData?: Bytes;
  /** Zero bytes after the signature data (real quotes carry some). */
  padding?: number;
}

export interface BuiltQuote {
  quote: Bytes;
  attestationKey: SimKey;
  /** [0, signedEnd) is what the attestation key signs. */
  signedEnd: number;
}

const u16 = (v: number) => Uint8Array.of(v & 0xff, (v >> 8) & 0xff);
const u32 = (v: number) => Uint8Array.of(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);

function sized(b: Bytes, size: number, what: string): Bytes {
  if (b.length !== size) throw new Error(`${what}: expected ${size} bytes, got ${b.length}`);
  return b;
}

export function tdReport(td: TdReportFields, bodyType: 2 | 3): Bytes {
  const parts = [
    sized(td.teeTcbSvn, 16, "teeTcbSvn"), sized(td.mrSeam, 48, "mrSeam"), sized(td.mrSignerSeam, 48, "mrSignerSeam"),
    sized(td.seamAttributes, 8, "seamAttributes"), sized(td.tdAttributes, 8, "tdAttributes"), sized(td.xfam, 8, "xfam"),
    sized(td.mrTd, 48, "mrTd"), sized(td.mrConfigId, 48, "mrConfigId"), sized(td.mrOwner, 48, "mrOwner"),
    sized(td.mrOwnerConfig, 48, "mrOwnerConfig"), ...td.rtmr.map((r, i) => sized(r, 48, `rtmr${i}`)),
    sized(td.reportData, 64, "reportData"),
  ];
  if (bodyType === 3) {
    parts.push(sized(td.teeTcbSvn2 ?? td.teeTcbSvn, 16, "teeTcbSvn2"), sized(td.mrServiceTd ?? new Uint8Array(48), 48, "mrServiceTd"));
  }
  return concat(...parts);
}

/** A 384-byte SGX enclave report (the QE report). */
export function enclaveReport(qe: QeReportFields, reportData: Bytes): Bytes {
  const r = new Uint8Array(ENCLAVE_REPORT_SIZE);
  r.set(sized(qe.cpuSvn, 16, "cpuSvn"), 0);
  r.set(u32(qe.miscselect), 16);
  r.set(sized(qe.attributes, 16, "attributes"), 48);
  r.set(sized(qe.mrEnclave, 32, "mrEnclave"), 64);
  r.set(sized(qe.mrSigner, 32, "mrSigner"), 128);
  r.set(u16(qe.isvProdId), 256);
  r.set(u16(qe.isvSvn), 258);
  r.set(sized(reportData, 64, "QE reportData"), 320);
  return r;
}

export function buildQuote(spec: QuoteSpec): BuiltQuote {
  const header = concat(u16(spec.version), u16(2), u32(TEE_TYPE_TDX), new Uint8Array(4), INTEL_QE_VENDOR_ID,
    sized(spec.qeId, 16, "qeId"), new Uint8Array(4));
  const body = tdReport(spec.td, spec.version === 4 ? 2 : spec.bodyType);
  const signed = spec.version === 4 ? concat(header, body) : concat(header, u16(spec.bodyType), u32(body.length), body);

  const attestationKey = createKey("p256");
  const attestPub = attestationKey.point!.subarray(1);
  const authData = spec.qeAuthData ?? Uint8Array.from({ length: 32 }, (_, i) => i);
  const binding = createHash("sha256").update(attestPub).update(authData).digest();
  const qeReport = enclaveReport(spec.qe, concat(binding, new Uint8Array(32)));
  const qeReportSignature = signData(spec.pckKey, qeReport, "ecdsa-sha256", true);
  const chain = concat(new TextEncoder().encode(spec.pckChainPem), new Uint8Array(1));
  const certData = concat(qeReport, qeReportSignature, u16(authData.length), authData, u16(5), u32(chain.length), chain);
  const quoteSignature = signData(attestationKey, signed, "ecdsa-sha256", true);
  const sigData = concat(quoteSignature, attestPub, u16(6), u32(certData.length), certData);
  const quote = concat(signed, u32(sigData.length), sigData, new Uint8Array(spec.padding ?? 0));
  return { quote, attestationKey, signedEnd: signed.length };
}
