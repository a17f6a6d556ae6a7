// Simulated AMD SEV-SNP hardware: byte-exact attestation reports (v2, v3, v5; Milan, Genoa, Turin) signed by
// a VCEK or VLEK from the test AMD PKI (snp-pki.ts), with every report field settable, and each verifier
// failure on demand (`fault`), together with what a verifier that trusts the test ARK must answer.
//
//   const sim = simulateSnp({ product: "Turin", reportData, vmpl: 0 });
//   verifySnp(sim.report, sim.vcek, { chain: sim.chainPem, at: sim.at, roots: sim.roots });
//
// The registry demo, the MLNode's `sim` evidence provider and the tests use this; a registry trusts it only
// when governance sets the test ARKs (sim.roots) as the AMD roots.
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  type SnpProduct, type SnpTestCa, type PssEncoding, snpTestCa, endorsement, intermediate, crl as buildCrl, pem,
  askSerial, asvkSerial, VCEK_SERIAL, VCEK_LIFETIME, VLEK_LIFETIME,
} from "./snp-pki";
import { encodeReport, signReportInPlace, splExtensions, CPUID, POLICY, SIGNING_KEY, OFF, type SnpTcbParts, type FirmwareVersion } from "./snp-report";

export type { SnpProduct, SnpTestCa, PssEncoding } from "./snp-pki";
export type { SnpTcbParts, FirmwareVersion } from "./snp-report";
export { snpTestCa, createSnpCa, useSnpTestCa } from "./snp-pki";
export { POLICY as SNP_POLICY_BITS } from "./snp-report";

/** Each failure a verifier must detect, with the stable error code and stage it must report. */
export const SNP_FAULTS = {
  /** The report is signed by another P-384 key than the VCEK's. */
  "report-signature": { code: "REPORT_SIGNATURE_INVALID", stage: "signature" },
  /** A signed byte (REPORT_DATA[0]) changed after signing. */
  "report-tampered": { code: "REPORT_SIGNATURE_INVALID", stage: "signature" },
  /** A non-zero byte in the unsigned tail 0x330-0x49F. */
  "unsigned-tail": { code: "MALFORMED_REPORT_RESERVED", stage: "parse" },
  /** The VCEK's hwID is another chip's. */
  "chip-id": { code: "CHIP_ID_MISMATCH", stage: "binding" },
  /** The VCEK's snpSPL differs from REPORTED_TCB. */
  "vcek-tcb": { code: "VCEK_TCB_MISMATCH", stage: "binding" },
  /** SIGNING_KEY says VCEK but the endorsement is a VLEK (with its ASVK chain). */
  "vlek-as-vcek": { code: "SIGNING_KEY_MISMATCH", stage: "binding" },
  /** SIGNING_KEY says VLEK but the endorsement is a VCEK. */
  "vcek-as-vlek": { code: "SIGNING_KEY_MISMATCH", stage: "binding" },
  /** The VCEK is not signed by the ASK (signed by the ARK's key instead). */
  "vcek-signature": { code: "VCEK_SIGNATURE_INVALID", stage: "chain" },
  /** The ASK is not signed by the ARK (self-signed instead). */
  "ask-signature": { code: "ASK_SIGNATURE_INVALID", stage: "chain" },
  /** The VCEK expired before `at`. */
  "vcek-expired": { code: "CERT_EXPIRED", stage: "chain" },
  /** An ARK-signed CRL lists serial 0, i.e. every VCEK/VLEK of the product. */
  "revoked-vcek": { code: "CERT_REVOKED", stage: "chain" },
  /** An ARK-signed CRL lists the ASK (or ASVK). */
  "revoked-ask": { code: "CERT_REVOKED", stage: "chain" },
  /** The CRL is signed by the ASK, not the ARK. */
  "crl-signature": { code: "CRL_SIGNATURE_INVALID", stage: "chain" },
  /** CPUID (v3+) names another product than the chain. */
  "product-mismatch": { code: "PRODUCT_MISMATCH", stage: "chain" },
  /** POLICY bit 19: the guest allows debugging. */
  debug: { code: "DEBUG_ENABLED", stage: "policy" },
  /** POLICY bit 18: a migration agent may be attached. */
  "migration-agent": { code: "MIGRATION_AGENT_ENABLED", stage: "policy" },
  /** The report was requested at VMPL 1 (an SVSM/paravisor guest). */
  vmpl: { code: "VMPL_NOT_ALLOWED", stage: "policy" },
  /** SNP SPL one below the AMD-SB-3019 minimum (Milan 24, Genoa 23; Turin: below `expect.policy`'s minimum). */
  "tcb-below-minimum": { code: "TCB_BELOW_MINIMUM", stage: "policy" },
} as const;

export type SnpFault = keyof typeof SNP_FAULTS;
export const SNP_FAULT_NAMES = Object.keys(SNP_FAULTS) as SnpFault[];

/** The AMD-SB-3019 default minimum SNP SPL of the verifier's policy (none for Turin). */
const MIN_SNP_SPL: Record<SnpProduct, number | null> = { Milan: 24, Genoa: 23, Turin: null };

interface ProductDefaults { version: 2 | 3 | 5; tcb: SnpTcbParts; firmware: FirmwareVersion; platformInfo: bigint; mitVector: bigint }

/** Realistic defaults per product (shaped like the fixtures, above the AMD-SB-3019 minimums). */
const DEFAULTS: Record<SnpProduct, ProductDefaults> = {
  Milan: { version: 3, tcb: { bl: 4, tee: 0, snp: 24, ucode: 219 }, firmware: { major: 1, minor: 55, build: 35 }, platformInfo: 0x3n, mitVector: 0n },
  Genoa: { version: 5, tcb: { bl: 10, tee: 0, snp: 27, ucode: 88 }, firmware: { major: 1, minor: 55, build: 49 }, platformInfo: 0x27n, mitVector: 0xbn },
  Turin: { version: 5, tcb: { fmc: 0, bl: 1, tee: 0, snp: 2, ucode: 71 }, firmware: { major: 1, minor: 55, build: 65 }, platformInfo: 0x67n, mitVector: 0n },
};

export interface SimulateSnpOptions {
  product?: SnpProduct;
  /** Report version; default Milan 3, Genoa 5, Turin 5. */
  version?: 2 | 3 | 5;
  /** Which key signs the report; default VCEK. */
  signer?: "VCEK" | "VLEK";
  /** REPORTED_TCB (components not given take the product default); CURRENT, COMMITTED and LAUNCH default to it. */
  tcb?: Partial<SnpTcbParts>;
  currentTcb?: Partial<SnpTcbParts>;
  committedTcb?: Partial<SnpTcbParts>;
  launchTcb?: Partial<SnpTcbParts>;
  /** The whole POLICY field; default 0x30000 (SMT allowed, reserved bit 17), then `debug` / `migrationAgent` / `smt` applied. */
  policy?: bigint;
  debug?: boolean;
  migrationAgent?: boolean;
  smt?: boolean;
  vmpl?: number;
  guestSvn?: number;
  /** 64 bytes (or 8 on Turin, zero-extended); default a fixed per-product id, zero for a VLEK. */
  chipId?: Uint8Array;
  measurement?: Uint8Array;
  reportData?: Uint8Array;
  hostData?: Uint8Array;
  idKeyDigest?: Uint8Array;
  authorKeyDigest?: Uint8Array;
  familyId?: Uint8Array;
  imageId?: Uint8Array;
  reportId?: Uint8Array;
  /** REPORT_ID_MA; default all 0xFF (no migration agent). */
  reportIdMa?: Uint8Array;
  platformInfo?: bigint;
  firmware?: FirmwareVersion;
  committedFirmware?: FirmwareVersion;
  /** v5 mitigation vectors. */
  mitVector?: { launch?: bigint; current?: bigint };
  /** KEY_INFO bits 0 (AUTHOR_KEY_EN) and 1 (MASK_CHIP_KEY); SIGNING_KEY comes from `signer`. */
  keyInfoFlags?: number;
  /** VLEK cspID; default "CN=sim-csp.tee-attest.invalid". */
  cspId?: string;
  /** PSS parameter encoding of the VCEK signature (AMD's ASK/ARK always carry the explicit trailer). */
  vcekPss?: PssEncoding;
  /** Verification time (Unix seconds) the certificates are valid at; default now. */
  at?: number;
  /** Also return an ARK-signed CRL (listing `revoked`, default none). */
  withCrl?: boolean;
  revoked?: bigint[];
  /** The P-384 VCEK/VLEK key; default a fresh one. */
  endorsementKey?: KeyObject;
  /** The CA to issue from; default the process-wide test CA of the product. */
  ca?: SnpTestCa;
  fault?: SnpFault;
}

export interface SnpExpectation {
  /** null = verifies. */
  code: string | null;
  stage: string | null;
  /** A policy (verifySnp's `policy`) needed for the expected outcome, when the defaults do not give it. */
  policy?: { min_tcb: Record<string, Partial<SnpTcbParts>> };
}

export interface SimulatedSnp {
  product: SnpProduct;
  version: 2 | 3 | 5;
  signer: "VCEK" | "VLEK";
  /** The 1184-byte report. */
  report: Uint8Array;
  /** The VCEK or VLEK certificate (DER). */
  vcek: Uint8Array;
  /** DER certificates: `ask` is the ASVK on the VLEK path. */
  chain: { ask: Uint8Array; ark: Uint8Array };
  /** ASK/ASVK then ARK in PEM, as KDS's cert_chain serves them. */
  chainPem: string;
  crl?: Uint8Array;
  /** A Unix time at which every certificate (and the CRL) is valid. */
  at: number;
  /** The roots a verifier must trust for this evidence (verifySnp's `roots`; the registry's AMD roots). */
  roots: Partial<Record<"milan" | "genoa" | "turin", Uint8Array>>;
  /** The endorsement's private key (to sign more reports for the same platform). */
  endorsementKey: KeyObject;
  expect: SnpExpectation;
}

const DAY = 86_400;
const rootKey = (p: SnpProduct) => p.toLowerCase() as "milan" | "genoa" | "turin";
const digest = (algo: string, text: string, size: number) => new Uint8Array(createHash(algo).update(text).digest()).slice(0, size);
const fill = (size: number, value: number) => new Uint8Array(size).fill(value);

function defaultChipId(product: SnpProduct): Uint8Array {
  const id = digest("sha512", `tee-attest sim chip ${product}`, 64);
  if (product === "Turin") id.fill(0, 8);
  return id;
}

function chipIdOf(product: SnpProduct, vlek: boolean, given?: Uint8Array): Uint8Array {
  if (given === undefined) return vlek ? new Uint8Array(64) : defaultChipId(product);
  if (given.length === 64) return given;
  if (given.length === 8 && product === "Turin") { const id = new Uint8Array(64); id.set(given); return id; }
  throw new RangeError(`chipId must be 64 bytes${product === "Turin" ? " or 8" : ""}, got ${given.length}`);
}

function tcbOf(product: SnpProduct, base: SnpTcbParts, over?: Partial<SnpTcbParts>): SnpTcbParts {
  if (product !== "Turin" && over?.fmc !== undefined) throw new RangeError(`${product} TCB has no FMC component`);
  const t = { ...base, ...(over ?? {}) };
  if (product !== "Turin") delete t.fmc;
  else t.fmc ??= 0;
  return t;
}

function policyOf(o: SimulateSnpOptions, fault?: SnpFault): bigint {
  let p = o.policy ?? (POLICY.smt | POLICY.reserved17);
  const flag = (bit: bigint, on: boolean | undefined) => { if (on === true) p |= bit; else if (on === false) p &= ~bit; };
  flag(POLICY.debug, o.debug || fault === "debug" ? true : o.debug);
  flag(POLICY.migrateMa, o.migrationAgent || fault === "migration-agent" ? true : o.migrationAgent);
  flag(POLICY.smt, o.smt);
  return p;
}

/** A different product's CPUID, for the product-mismatch fault. */
const OTHER_PRODUCT: Record<SnpProduct, SnpProduct> = { Milan: "Genoa", Genoa: "Milan", Turin: "Genoa" };

function expectation(product: SnpProduct, reported: SnpTcbParts, fault?: SnpFault): SnpExpectation {
  if (!fault) return { code: null, stage: null };
  const { code, stage } = SNP_FAULTS[fault];
  if (fault === "tcb-below-minimum" && MIN_SNP_SPL[product] === null) {
    return { code, stage, policy: { min_tcb: { [rootKey(product)]: { snp: reported.snp + 1 } } } };
  }
  return { code, stage };
}

/** Builds one piece of simulated SEV-SNP evidence (see the header). Throws RangeError on inconsistent options. */
export function simulateSnp(options: SimulateSnpOptions = {}): SimulatedSnp {
  const product = options.product ?? "Milan";
  const fault = options.fault;
  if (fault && !(fault in SNP_FAULTS)) throw new RangeError(`unknown SNP fault '${fault}'`);
  const d = DEFAULTS[product];
  const version = options.version ?? d.version;
  if (![2, 3, 5].includes(version)) throw new RangeError(`report version must be 2, 3 or 5, got ${version}`);
  if (fault === "product-mismatch" && version < 3) throw new RangeError("product-mismatch needs CPUID, i.e. report version 3 or 5");
  // The key that signs the report vs the certificate presented: the VLEK/VCEK confusions split them.
  const signer = options.signer ?? "VCEK";
  const certVlek = fault === "vlek-as-vcek" ? true : fault === "vcek-as-vlek" ? false : signer === "VLEK";
  const reportVlek = fault === "vlek-as-vcek" ? false : fault === "vcek-as-vlek" ? true : signer === "VLEK";
  const ca = options.ca ?? snpTestCa(product);
  if (ca.product !== product) throw new RangeError(`the CA is ${ca.product}'s, not ${product}'s`);
  const at = options.at ?? Math.floor(Date.now() / 1000);

  let reported = tcbOf(product, d.tcb, options.tcb);
  if (fault === "tcb-below-minimum" && MIN_SNP_SPL[product] !== null) reported = { ...reported, snp: MIN_SNP_SPL[product]! - 1 };
  const current = tcbOf(product, reported, options.currentTcb);
  const committed = tcbOf(product, current, options.committedTcb);
  const launch = tcbOf(product, current, options.launchTcb);
  const chipId = chipIdOf(product, certVlek, options.chipId);
  const firmware = options.firmware ?? d.firmware;

  const report = encodeReport({
    version, product, guestSvn: options.guestSvn ?? 0, policy: policyOf(options, fault),
    familyId: options.familyId ?? new Uint8Array(16), imageId: options.imageId ?? new Uint8Array(16),
    vmpl: fault === "vmpl" ? Math.max(1, options.vmpl ?? 1) : options.vmpl ?? 0,
    currentTcb: current, reportedTcb: reported, committedTcb: committed, launchTcb: launch,
    platformInfo: options.platformInfo ?? d.platformInfo,
    keyInfo: ((reportVlek ? SIGNING_KEY.VLEK : SIGNING_KEY.VCEK) << 2) | ((options.keyInfoFlags ?? 0) & 0x3),
    reportData: options.reportData ?? new Uint8Array(64),
    measurement: options.measurement ?? digest("sha384", `tee-attest sim measurement ${product}`, 48),
    hostData: options.hostData ?? new Uint8Array(32), idKeyDigest: options.idKeyDigest ?? new Uint8Array(48),
    authorKeyDigest: options.authorKeyDigest ?? new Uint8Array(48),
    reportId: options.reportId ?? digest("sha256", `tee-attest sim report id ${at}`, 32), reportIdMa: options.reportIdMa ?? fill(32, 0xff),
    chipId, currentVersion: firmware, committedVersion: options.committedFirmware ?? firmware,
    launchMitVector: options.mitVector?.launch ?? (version >= 5 ? d.mitVector : 0n),
    currentMitVector: options.mitVector?.current ?? (version >= 5 ? d.mitVector : 0n),
    cpuid: fault === "product-mismatch" ? CPUID[OTHER_PRODUCT[product]] : undefined,
  });

  const endorsementKey = options.endorsementKey ?? generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
  const signingKey = fault === "report-signature" ? generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey : endorsementKey;
  signReportInPlace(report, signingKey);
  if (fault === "report-tampered") report[OFF.reportData] ^= 0x01;
  if (fault === "unsigned-tail") report[OFF.signatureTail + 7] = 0x01;

  // The endorsement: KDS extensions from REPORTED_TCB and the chip id (8 bytes on Turin).
  const certTcb = fault === "vcek-tcb" ? { ...reported, snp: (reported.snp + 1) & 0xff } : reported;
  const hwId = product === "Turin" ? chipId.slice(0, 8) : chipId.slice();
  if (fault === "chip-id") hwId[0] ^= 0xff;
  const lifetime = certVlek ? VLEK_LIFETIME : VCEK_LIFETIME;
  const notBefore = fault === "vcek-expired" ? at - lifetime - DAY : at - DAY;
  const vcek = endorsement({
    product, vlek: certVlek, publicKey: endorsementKey, notBefore, notAfter: notBefore + lifetime, pss: options.vcekPss,
    signer: fault === "vcek-signature" ? ca.keys.ark : certVlek ? ca.keys.asvk : ca.keys.ask,
    kds: {
      structVersion: product === "Turin" ? 1 : 0, productName: product === "Turin" ? "Turin" : `${product}-B0`,
      spl: splExtensions(product, certTcb), hwId: certVlek ? null : hwId,
      cspId: certVlek ? options.cspId ?? "CN=sim-csp.tee-attest.invalid" : null,
    },
  });
  let ask = certVlek ? ca.asvk : ca.ask;
  if (fault === "ask-signature") ask = intermediate(product, ca.keys, certVlek, certVlek ? ca.keys.asvk : ca.keys.ask);

  const revoked = [...(options.revoked ?? [])];
  if (fault === "revoked-vcek") revoked.push(VCEK_SERIAL);
  if (fault === "revoked-ask") revoked.push(certVlek ? asvkSerial(product) : askSerial(product));
  const wantCrl = options.withCrl || revoked.length > 0 || fault === "crl-signature";
  const crl = wantCrl
    ? buildCrl({ product, signer: fault === "crl-signature" ? ca.keys.ask : ca.keys.ark, thisUpdate: at - DAY, nextUpdate: at + 30 * DAY, revoked })
    : undefined;

  return {
    product, version, signer, report, vcek, chain: { ask, ark: ca.ark }, chainPem: pem("CERTIFICATE", ask) + pem("CERTIFICATE", ca.ark),
    ...(crl ? { crl } : {}), at, roots: { [rootKey(product)]: ca.ark }, endorsementKey, expect: expectation(product, reported, fault),
  };
}

/** Re-signs a (modified) report with the simulated platform's key, e.g. after changing a field by hand. */
export function resignSnpReport(report: Uint8Array, endorsementKey: KeyObject): Uint8Array {
  return signReportInPlace(report.slice(), endorsementKey);
}
