// Signed collateral for the simulated TDX platform in dcap-qvl's QuoteCollateralV3 JSON shape (what
// Intel PCCS serves): TCB info v3 (id "TDX") and QE identity v2 (id "TD_QE") as JSON text signed over
// their exact bytes (raw r || s, hex), the issuer chains as PEM, and the root and PCK CRLs as hex DER.
import { type SimKey, signData, issueCrl, type RevokedEntry } from "./pki";
import type { TdxSimPki } from "./tdx-pki";

/** Same field names and encodings as the real fixtures (and @phala/dcap-qvl's QuoteCollateralV3). */
export interface QuoteCollateralV3 {
  pck_crl_issuer_chain: string;
  root_ca_crl: string;
  pck_crl: string;
  tcb_info_issuer_chain: string;
  tcb_info: string;
  tcb_info_signature: string;
  qe_identity_issuer_chain: string;
  qe_identity: string;
  qe_identity_signature: string;
}

export type TcbStatusName =
  | "UpToDate" | "SWHardeningNeeded" | "ConfigurationNeeded" | "ConfigurationAndSWHardeningNeeded" | "OutOfDate"
  | "OutOfDateConfigurationNeeded" | "Revoked";

export interface PlatformTcbLevelJson {
  tcb: { sgxtcbcomponents: { svn: number }[]; pcesvn: number; tdxtcbcomponents: { svn: number }[] };
  tcbDate: string;
  tcbStatus: TcbStatusName;
  advisoryIDs?: string[];
}

export interface IsvTcbLevelJson { tcb: { isvsvn: number }; tcbDate: string; tcbStatus: TcbStatusName; advisoryIDs?: string[] }

export interface TdxModuleIdentityJson {
  id: string; mrsigner: string; attributes: string; attributesMask: string; tcbLevels: IsvTcbLevelJson[];
}

export interface TcbInfoJson {
  id: "TDX"; version: 3; issueDate: string; nextUpdate: string; fmspc: string; pceId: string; tcbType: 0;
  tcbEvaluationDataNumber: number;
  tdxModule: { mrsigner: string; attributes: string; attributesMask: string };
  tdxModuleIdentities: TdxModuleIdentityJson[];
  tcbLevels: PlatformTcbLevelJson[];
}

export interface QeIdentityJson {
  id: "TD_QE"; version: 2; issueDate: string; nextUpdate: string; tcbEvaluationDataNumber: number;
  miscselect: string; miscselectMask: string; attributes: string; attributesMask: string; mrsigner: string;
  isvprodid: number; tcbLevels: IsvTcbLevelJson[];
}

/** Intel's timestamp format: "2025-06-19T10:16:03Z". */
export const isoTime = (unix: number): string => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export const hexUpper = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();

function signJson(key: SimKey, text: string): string {
  return Buffer.from(signData(key, new TextEncoder().encode(text), "ecdsa-sha256", true)).toString("hex");
}

export interface CollateralParts {
  tcbInfo: TcbInfoJson;
  qeIdentity: QeIdentityJson;
  rootCrl: { thisUpdate: number; nextUpdate: number; revoked: Array<bigint | RevokedEntry> };
  pckCrl: { thisUpdate: number; nextUpdate: number; revoked: Array<bigint | RevokedEntry> };
  /** Signs the TCB info / QE identity with this key instead of the TCB signer's (a forged signature). */
  tcbInfoSigner?: SimKey;
  qeIdentitySigner?: SimKey;
}

/** Serialises, signs and bundles the collateral (JSON text is signed exactly as emitted). */
export function buildCollateral(pki: TdxSimPki, parts: CollateralParts): QuoteCollateralV3 {
  const tcbInfo = JSON.stringify(parts.tcbInfo);
  const qeIdentity = JSON.stringify(parts.qeIdentity);
  const rootCrl = issueCrl(pki.root, parts.rootCrl.revoked, parts.rootCrl);
  const pckCrl = issueCrl(pki.pckCa, parts.pckCrl.revoked, parts.pckCrl);
  const tcbChain = pki.tcbSigner.pem + pki.root.pem;
  return {
    pck_crl_issuer_chain: pki.pckCa.pem + pki.root.pem,
    root_ca_crl: Buffer.from(rootCrl.der).toString("hex"),
    pck_crl: Buffer.from(pckCrl.der).toString("hex"),
    tcb_info_issuer_chain: tcbChain,
    tcb_info: tcbInfo,
    tcb_info_signature: signJson(parts.tcbInfoSigner ?? pki.tcbSignerKey, tcbInfo),
    qe_identity_issuer_chain: tcbChain,
    qe_identity: qeIdentity,
    qe_identity_signature: signJson(parts.qeIdentitySigner ?? pki.tcbSignerKey, qeIdentity),
  };
}
