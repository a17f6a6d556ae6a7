// Simulated Intel TDX hardware: `simulateTdx(options)` returns a byte-exact v4/v5 TDX quote with the
// chosen REPORTDATA, measurements, SVNs and attributes, the matching signed collateral in the
// QuoteCollateralV3 JSON shape, the (simulated) root to trust, and the verification time. The TCB info
// is laid out so the platform lands on the requested TCB status (and the TDX module and QE on theirs),
// and each failure class can be produced on demand — everything else stays valid, so exactly one check
// fails. Used by the TDX tests, the registry contract tests and the MLNode. Calls sharing `pki` and
// `at` (and the TCB options) emit the same TCB info and QE identity text, so quotes of several
// simulated nodes (each with its own PCK certificate) verify against any one of their collateral sets.
//
//   const sim = simulateTdx({ reportData, tcbStatus: "SWHardeningNeeded" });
//   verifyTdx(sim.quote, sim.collateral, { root: sim.root.der, at: sim.at });
import { createHash, randomBytes } from "node:crypto";
import { type SimCert, type Validity, createKey } from "./pki";
import { type TdxSimPki, createTdxPki, issuePckCertificate } from "./tdx-pki";
import { buildQuote } from "./tdx-quote";
import {
  type QuoteCollateralV3, type TcbStatusName, type PlatformTcbLevelJson, type IsvTcbLevelJson, type TcbInfoJson,
  type QeIdentityJson, buildCollateral, isoTime, hexUpper,
} from "./tdx-collateral";

export type { QuoteCollateralV3, TcbStatusName, TdxSimPki };
export { createTdxPki };

/** Each failure the simulator can produce; all other evidence stays valid. */
export const TDX_SIM_FAILURES = [
  "revoked-pck",              // PCK leaf listed in the PCK CRL
  "revoked-pck-ca",           // PCK Platform CA listed in the root CA CRL
  "expired-collateral",       // TCB info past its nextUpdate
  "collateral-not-yet-valid", // QE identity issued after the verification time
  "expired-pck",              // PCK leaf past notAfter
  "wrong-fmspc",              // TCB info for another FMSPC
  "wrong-pceid",              // TCB info for another PCE-ID
  "qe-identity-mismatch",     // QE identity with another MRSIGNER
  "qe-tcb-level-not-found",   // QE ISVSVN below every QE identity level
  "tdx-module-mismatch",      // TDX module identity with another MRSIGNERSEAM
  "tcb-level-not-found",      // platform below every TCB level
  "bad-quote-signature",      // REPORTDATA changed after signing
  "bad-qe-report-signature",  // QE report signature corrupted
  "qe-report-data-mismatch",  // QE auth data changed (QE REPORTDATA no longer binds the attestation key)
  "bad-tcb-info-signature",   // TCB info signed by a key that is not the TCB signer's
  "bad-qe-identity-signature",
  "untrusted-root",           // the returned root is not the one that issued the chains
  "debug-td",                 // TDATTRIBUTES.DEBUG set (a policy failure; Intel's verdict is fine)
] as const;
export type TdxSimFailure = typeof TDX_SIM_FAILURES[number];

type BytesLike = Uint8Array | string;

export interface SimulateTdxOptions {
  /** Verification time (Unix seconds). Default 2026-01-15T00:00:00Z. Every window is built around it. */
  at?: bigint | number;
  /** Reuse a PKI (same root across calls); default: a new one. */
  pki?: TdxSimPki;
  version?: 4 | 5;
  /** v5 body: 2 = TD report 1.0, 3 = TD report 1.5 (default). */
  bodyType?: 2 | 3;
  /** 64 bytes (hex or bytes); shorter input is zero-padded on the right. Default zero. */
  reportData?: BytesLike;
  mrTd?: BytesLike; rtmr0?: BytesLike; rtmr1?: BytesLike; rtmr2?: BytesLike; rtmr3?: BytesLike;
  mrConfigId?: BytesLike; mrOwner?: BytesLike; mrOwnerConfig?: BytesLike; mrSeam?: BytesLike; mrServiceTd?: BytesLike;
  /** 8 bytes, default 0000001000000000 (SEPT_VE_DISABLE). */
  tdAttributes?: BytesLike;
  /** 8 bytes, default e702060000000000. */
  xfam?: BytesLike;
  /** 16 bytes, default 06010300… (module ISVSVN 6, module version 1, TDX late microcode 3). */
  teeTcbSvn?: BytesLike;
  /** TD report 1.5: default = teeTcbSvn. */
  teeTcbSvn2?: BytesLike;
  /** 6 bytes hex, default 90C06F000000. */
  fmspc?: string;
  pceId?: string;
  /** PCK SGX TCB component SVNs (16), default Intel's current ones for Sapphire Rapids. */
  sgxComponents?: number[];
  pceSvn?: number;
  /** QE report ISVSVN, default 4. */
  qeSvn?: number;
  /** The platform TCB level the quote lands on. Default UpToDate. */
  tcbStatus?: TcbStatusName;
  /** Status of the TDX module level the quote lands on. Default UpToDate. */
  moduleTcbStatus?: TcbStatusName;
  /** Status of the QE identity level the quote lands on. Default UpToDate. */
  qeTcbStatus?: TcbStatusName;
  /** Advisories of every non-UpToDate level the quote lands on. Default ["INTEL-SA-00837"]. */
  advisoryIds?: string[];
  tcbEvaluationDataNumber?: number;
  failure?: TdxSimFailure;
  /** Zero bytes after the signature data. Default 0. */
  padding?: number;
}

export interface SimulatedTdx {
  quote: Uint8Array;
  collateral: QuoteCollateralV3;
  /** The trust anchor to pass to the verifier (DER certificate and SEC1 key). */
  root: { der: Uint8Array; publicKey: Uint8Array };
  at: bigint;
  pki: TdxSimPki;
  pck: SimCert;
}

const DAY = 24 * 3600;
export const TDX_SIM_DEFAULT_AT = 1768435200n; // 2026-01-15T00:00:00Z
/** Intel's TD_QE MRSIGNER (the simulated QE claims to be Intel's). */
export const TD_QE_MRSIGNER = "DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5";
const DEFAULT_SGX_COMPONENTS = [3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0];
const DEFAULT_ADVISORIES = ["INTEL-SA-00837"];

function bytesOf(v: BytesLike | undefined, size: number, fallback: () => Uint8Array, what: string): Uint8Array {
  if (v === undefined) return fallback();
  const b = typeof v === "string" ? Uint8Array.from(Buffer.from(v.replace(/^0x/, ""), "hex")) : v;
  if (b.length > size) throw new Error(`simulateTdx: ${what} is longer than ${size} bytes`);
  const out = new Uint8Array(size);
  out.set(b);
  return out;
}

/** A deterministic stand-in measurement (SHA-384 of a label), so defaults are recognisable. */
const measurement = (label: string) => () => new Uint8Array(createHash("sha384").update(`tee-attest sim ${label}`).digest());
const zeros = (n: number) => () => new Uint8Array(n);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function platformLevel(sgx: number[], pceSvn: number, tdx: Uint8Array, status: TcbStatusName, date: number, advisories: string[]): PlatformTcbLevelJson {
  return {
    tcb: { sgxtcbcomponents: sgx.map((svn) => ({ svn })), pcesvn: pceSvn, tdxtcbcomponents: [...tdx].map((svn) => ({ svn })) },
    tcbDate: isoTime(date), tcbStatus: status, ...(status === "UpToDate" ? {} : { advisoryIDs: advisories }),
  };
}

/** Levels for an ISVSVN-keyed identity (TDX module, QE): the quote's svn lands on `status`. */
function isvLevels(svn: number, status: TcbStatusName, date: number, advisories: string[], belowAll: boolean): IsvTcbLevelJson[] {
  const level = (isvsvn: number, s: TcbStatusName): IsvTcbLevelJson =>
    ({ tcb: { isvsvn }, tcbDate: isoTime(date), tcbStatus: s, ...(s === "UpToDate" ? {} : { advisoryIDs: advisories }) });
  if (belowAll) return [level(svn + 1, "UpToDate")];
  return status === "UpToDate" ? [level(svn, "UpToDate")] : [level(svn + 1, "UpToDate"), level(svn, status)];
}

function pckValidity(pki: TdxSimPki, at: number, failure: TdxSimFailure | undefined): Validity {
  return failure === "expired-pck" ? { notBefore: at - 2 * 365 * DAY, notAfter: at - DAY } : pki.pckCa.validity;
}

export function simulateTdx(options: SimulateTdxOptions = {}): SimulatedTdx {
  const atBig = BigInt(options.at ?? TDX_SIM_DEFAULT_AT);
  const at = Number(atBig);
  const failure = options.failure;
  const pki = options.pki ?? createTdxPki(at);
  const version = options.version ?? 4;
  const bodyType = version === 4 ? 2 : (options.bodyType ?? 3);
  const sgx = options.sgxComponents ?? DEFAULT_SGX_COMPONENTS;
  const pceSvn = options.pceSvn ?? 13;
  const qeSvn = options.qeSvn ?? 4;
  const fmspc = Uint8Array.from(Buffer.from(options.fmspc ?? "90C06F000000", "hex"));
  const pceId = Uint8Array.from(Buffer.from(options.pceId ?? "0000", "hex"));
  const teeTcbSvn = bytesOf(options.teeTcbSvn, 16, () => Uint8Array.from([6, 1, 3, ...new Array(13).fill(0)]), "teeTcbSvn");
  const advisories = options.advisoryIds ?? DEFAULT_ADVISORIES;
  const tcbDate = at - 90 * DAY;

  // --- the platform's PCK certificate and the quote -------------------------------------------------
  const pck = issuePckCertificate(pki, { fmspc, pceId, sgxComponents: sgx, pceSvn }, pckValidity(pki, at, failure));
  const tdAttributes = bytesOf(options.tdAttributes, 8, () => Uint8Array.from(Buffer.from("0000001000000000", "hex")), "tdAttributes");
  if (failure === "debug-td") tdAttributes[0] |= 0x01;
  const built = buildQuote({
    version, bodyType,
    td: {
      teeTcbSvn, mrSeam: bytesOf(options.mrSeam, 48, measurement("mrseam"), "mrSeam"), mrSignerSeam: new Uint8Array(48),
      seamAttributes: new Uint8Array(8), tdAttributes,
      xfam: bytesOf(options.xfam, 8, () => Uint8Array.from(Buffer.from("e702060000000000", "hex")), "xfam"),
      mrTd: bytesOf(options.mrTd, 48, measurement("mrtd"), "mrTd"),
      mrConfigId: bytesOf(options.mrConfigId, 48, zeros(48), "mrConfigId"),
      mrOwner: bytesOf(options.mrOwner, 48, zeros(48), "mrOwner"),
      mrOwnerConfig: bytesOf(options.mrOwnerConfig, 48, zeros(48), "mrOwnerConfig"),
      rtmr: [
        bytesOf(options.rtmr0, 48, measurement("rtmr0"), "rtmr0"), bytesOf(options.rtmr1, 48, measurement("rtmr1"), "rtmr1"),
        bytesOf(options.rtmr2, 48, measurement("rtmr2"), "rtmr2"), bytesOf(options.rtmr3, 48, zeros(48), "rtmr3"),
      ],
      reportData: bytesOf(options.reportData, 64, zeros(64), "reportData"),
      teeTcbSvn2: bytesOf(options.teeTcbSvn2, 16, () => teeTcbSvn.slice(), "teeTcbSvn2"),
      mrServiceTd: bytesOf(options.mrServiceTd, 48, zeros(48), "mrServiceTd"),
    },
    qe: {
      cpuSvn: Uint8Array.from(sgx), miscselect: 0, attributes: Uint8Array.from(Buffer.from("11000000000000000700000000000000", "hex")),
      mrEnclave: measurement("td-qe")().subarray(0, 32), mrSigner: Uint8Array.from(Buffer.from(TD_QE_MRSIGNER, "hex")),
      isvProdId: 2, isvSvn: qeSvn,
    },
    qeId: new Uint8Array(randomBytes(16)),
    pckKey: pck.key,
    pckChainPem: pck.cert.pem + pki.pckCa.pem + pki.root.pem,
    padding: options.padding,
  });
  const quote = built.quote;
  const sigData = built.signedEnd + 4;
  if (failure === "bad-quote-signature") quote[built.signedEnd - 1] ^= 0x01; // last REPORTDATA byte
  if (failure === "bad-qe-report-signature") quote[sigData + 134 + 384 + 10] ^= 0x01;
  if (failure === "qe-report-data-mismatch") quote[sigData + 134 + 384 + 64 + 2] ^= 0x01; // first QE auth data byte

  // --- TCB info: the platform lands on tcbStatus ------------------------------------------------------
  const status = options.tcbStatus ?? "UpToDate";
  const higherSgx = [sgx[0] + 1, ...sgx.slice(1)];
  const levels: PlatformTcbLevelJson[] = [];
  if (failure === "tcb-level-not-found") {
    levels.push(platformLevel(higherSgx, pceSvn, teeTcbSvn, "UpToDate", tcbDate, advisories));
  } else {
    if (status !== "UpToDate") levels.push(platformLevel(higherSgx, pceSvn, teeTcbSvn, "UpToDate", tcbDate, advisories));
    levels.push(platformLevel(sgx, pceSvn, teeTcbSvn, status, tcbDate - 30 * DAY, advisories));
  }
  // an older level below the platform (absent when the platform must be below every level)
  const lowerSgx = sgx.map((s) => Math.max(0, s - 1));
  if (failure !== "tcb-level-not-found") levels.push(platformLevel(lowerSgx, Math.max(0, pceSvn - 1), teeTcbSvn, "OutOfDate", tcbDate - 400 * DAY, ["INTEL-SA-00615", ...advisories]));

  const zeroSigner = "00".repeat(48);
  const moduleId = `TDX_${teeTcbSvn[1].toString(16).padStart(2, "0").toUpperCase()}`;
  const tcbWindow = failure === "expired-collateral" ? { issue: at - 31 * DAY, next: at - DAY } : { issue: at - DAY, next: at + 29 * DAY };
  const evaluation = options.tcbEvaluationDataNumber ?? 17;
  const tcbInfo: TcbInfoJson = {
    id: "TDX", version: 3, issueDate: isoTime(tcbWindow.issue), nextUpdate: isoTime(tcbWindow.next),
    fmspc: failure === "wrong-fmspc" ? "00806F050000" : hexUpper(fmspc),
    pceId: failure === "wrong-pceid" ? "0100" : hexUpper(pceId),
    tcbType: 0, tcbEvaluationDataNumber: evaluation,
    tdxModule: { mrsigner: zeroSigner, attributes: "0000000000000000", attributesMask: "FFFFFFFFFFFFFFFF" },
    tdxModuleIdentities: [{
      id: moduleId, mrsigner: failure === "tdx-module-mismatch" ? "AB".repeat(48) : zeroSigner,
      attributes: "0000000000000000", attributesMask: "FFFFFFFFFFFFFFFF",
      tcbLevels: isvLevels(teeTcbSvn[0], options.moduleTcbStatus ?? "UpToDate", tcbDate, advisories, false),
    }],
    tcbLevels: levels,
  };

  // --- QE identity ----------------------------------------------------------------------------------
  const qeWindow = failure === "collateral-not-yet-valid" ? { issue: at + 3600, next: at + 30 * DAY } : { issue: at - DAY + 600, next: at + 29 * DAY + 600 };
  const qeIdentity: QeIdentityJson = {
    id: "TD_QE", version: 2, issueDate: isoTime(qeWindow.issue), nextUpdate: isoTime(qeWindow.next), tcbEvaluationDataNumber: evaluation,
    miscselect: "00000000", miscselectMask: "FFFFFFFF",
    attributes: "11000000000000000000000000000000", attributesMask: "FBFFFFFFFFFFFFFF0000000000000000",
    mrsigner: failure === "qe-identity-mismatch" ? "8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF" : TD_QE_MRSIGNER,
    isvprodid: 2,
    tcbLevels: isvLevels(qeSvn, options.qeTcbStatus ?? "UpToDate", tcbDate, advisories, failure === "qe-tcb-level-not-found"),
  };

  const collateral = buildCollateral(pki, {
    tcbInfo, qeIdentity,
    rootCrl: { thisUpdate: at - 30 * DAY, nextUpdate: at + 335 * DAY, revoked: failure === "revoked-pck-ca" ? [pki.pckCa.serial] : [] },
    pckCrl: { thisUpdate: at - 2 * DAY, nextUpdate: at + 28 * DAY, revoked: failure === "revoked-pck" ? [{ serial: pck.cert.serial, reason: 1 }] : [] },
    tcbInfoSigner: failure === "bad-tcb-info-signature" ? createKey("p256") : undefined,
    qeIdentitySigner: failure === "bad-qe-identity-signature" ? createKey("p256") : undefined,
  });

  const trusted = failure === "untrusted-root" ? createTdxPki(at).root : pki.root;
  return { quote, collateral, root: { der: trusted.der, publicKey: trusted.key.point! }, at: atBig, pki, pck: pck.cert };
}

/** Hex of a simulated quote's REPORTDATA input, padded as simulateTdx pads it (for callers' checks). */
export function tdxReportDataHex(reportData: BytesLike): string {
  return hex(bytesOf(reportData, 64, zeros(64), "reportData"));
}
