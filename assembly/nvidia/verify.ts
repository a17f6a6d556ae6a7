// Verification of one device's evidence (a GPU or an NVSwitch): the report and its PEM chain, against
// the caller's nonce, golden measurements, policy and time. Order: parse everything (cheap, rejects
// junk before any crypto) -> nonce -> report signature -> certificate chain -> FWID binding ->
// revocation and device policy -> golden measurements. Each step either passes or records a stable
// error (errors.ts); nothing is accepted unless every mandatory step ran.
import { bytesEqual } from "../encoding/bytes";
import { sha384Range } from "../crypto/sha512";
import {
  fail, failBool, lastFailure, Failure, UNSUPPORTED_DEVICE, OPAQUE_UNEXPECTED_FIELD, OPAQUE_MISSING_FIELD, NONCE_MISMATCH,
  NONCE_REQUIRED, SIGNATURE_INVALID, CERT_FWID_MISSING, FWID_MISMATCH, FWID_MISSING, GOLDEN_REQUIRED,
} from "./errors";
import { SpdmReport, parseSpdmReport } from "./spdm";
import {
  OpaqueInfo, parseOpaque, STATUS_DISABLED, OPAQUE_FLOORSWEPT_PORTS, OPAQUE_SWITCH_GPU_PDIS, OPAQUE_DRIVER_VERSION,
  OPAQUE_VBIOS_VERSION, OPAQUE_SWITCH_PDI,
} from "./opaque";
import { DeviceChain, TrustAnchor, LinkCache, parseDeviceChain, verifyDeviceChain } from "./chain";
import { CertFwid, certificateFwid, FWID_KIND_NONE } from "./fwid";
import { GoldenSet, GoldenMatch, DeviceIdentity, matchGolden, NVDEC_RIM_INDEX } from "./golden";
import { Policy, checkTrailing, fwidRequired, gpuMode, checkRevocation, checkDevicePolicy, ueidOf } from "./policy";
import { Chip, chipFromLeafName } from "./ids";
import { verifyP384 } from "./p384";

/** Everything one verification needs besides the evidence; one per operation (owns the link cache). */
export class VerifyContext {
  cache: LinkCache = new LinkCache();
  constructor(public policy: Policy, public anchor: TrustAnchor, public at: i64, public nonce: Uint8Array, public golden: GoldenSet | null) {}
}

/** A device whose evidence verified, with what the claims are built from. */
export class DeviceResult {
  mode: string = "";
  ueid: string = "";
  fwid: CertFwid = new CertFwid(FWID_KIND_NONE, null);
  /** The report's FWID was compared with the certificate's (false: report has none and policy allows). */
  fwidChecked: bool = false;
  nonceChecked: bool = false;
  golden: GoldenMatch | null = null;

  constructor(public report: SpdmReport, public info: OpaqueInfo, public chain: DeviceChain, public chip: Chip) {}
}

/** Parses the report, its opaque data and the chain; identifies the chip. */
function parseEvidence(ctx: VerifyContext, reportBytes: Uint8Array, chainPem: Uint8Array): DeviceResult | null {
  const report = parseSpdmReport(reportBytes);
  if (report === null) return null;
  const info = parseOpaque(reportBytes, report.opaqueStart, report.opaqueEnd);
  if (info === null) return null;
  if (!checkTrailing(report, ctx.policy)) return null;
  const chain = parseDeviceChain(chainPem);
  if (chain === null) return null;
  const cn = chain.leaf.subject.commonName;
  const chip = cn !== null ? chipFromLeafName(cn) : null;
  if (chip === null) return fail<DeviceResult>(UNSUPPORTED_DEVICE, "unknown device \"" + (cn !== null ? cn : "") + "\"");
  return new DeviceResult(report, info, chain, chip);
}

/** GPU reports must not carry NVSwitch-only fields (23-26); both kinds need their version fields. */
function checkFieldSet(d: DeviceResult): bool {
  const info = d.info;
  if (d.chip.isSwitch) {
    if (!info.has(OPAQUE_VBIOS_VERSION)) return failBool(OPAQUE_MISSING_FIELD, "NVSwitch report has no VBIOS_VERSION");
    if (!info.has(OPAQUE_SWITCH_PDI)) return failBool(OPAQUE_MISSING_FIELD, "NVSwitch report has no DEVICE_PDI");
    return true;
  }
  for (let t = OPAQUE_FLOORSWEPT_PORTS; t <= OPAQUE_SWITCH_GPU_PDIS; t++) {
    if (info.has(t)) return failBool(OPAQUE_UNEXPECTED_FIELD, "GPU report carries NVSwitch field " + t.toString());
  }
  if (!info.has(OPAQUE_DRIVER_VERSION)) return failBool(OPAQUE_MISSING_FIELD, "GPU report has no DRIVER_VERSION");
  if (!info.has(OPAQUE_VBIOS_VERSION)) return failBool(OPAQUE_MISSING_FIELD, "GPU report has no VBIOS_VERSION");
  return true;
}

function checkNonce(ctx: VerifyContext, d: DeviceResult): bool {
  if (ctx.nonce.length == 0) {
    if (ctx.policy.requireNonce) return failBool(NONCE_REQUIRED, "policy requires an expected nonce");
    return true;
  }
  if (!bytesEqual(d.report.requestNonce(), ctx.nonce)) return failBool(NONCE_MISMATCH, "report answers a different nonce");
  d.nonceChecked = true;
  return true;
}

/** ECDSA P-384 / SHA-384 over request || response up to the signature, under the leaf key. */
function checkReportSignature(ctx: VerifyContext, d: DeviceResult): bool {
  const report = d.report;
  const digest = sha384Range(report.raw, 0, report.signatureStart);
  ctx.cache.p384Verifications++;
  if (!verifyP384(digest, report.signatureR(), report.signatureS(), d.chain.leaf.ecPoint())) {
    return failBool(SIGNATURE_INVALID, "report signature does not verify under the leaf certificate key");
  }
  return true;
}

function checkFwid(ctx: VerifyContext, d: DeviceResult): bool {
  const certFwid = certificateFwid(d.chain.leaf);
  if (certFwid === null) return false;
  d.fwid = certFwid;
  const reportFwid = d.info.fwid;
  if (reportFwid === null) {
    if (fwidRequired(ctx.policy, d.chip.isSwitch, d.info.driverVersion)) return failBool(FWID_MISSING, "report has no FWID (opaque field 20) but policy requires it");
    return true;
  }
  const expected = certFwid.digest;
  if (expected === null) return failBool(CERT_FWID_MISSING, "report has an FWID but the leaf certificate has no FWID extension");
  if (!bytesEqual(reportFwid, expected)) return failBool(FWID_MISMATCH, "report FWID differs from the leaf certificate's");
  d.fwidChecked = true;
  return true;
}

function checkGolden(ctx: VerifyContext, d: DeviceResult): bool {
  const golden = ctx.golden;
  if (golden === null) {
    if (ctx.policy.requireGolden) return failBool(GOLDEN_REQUIRED, "policy requires golden measurements");
    return true;
  }
  const skip = ctx.policy.skipNvdecWhenDisabled && d.info.nvdecStatus == STATUS_DISABLED ? NVDEC_RIM_INDEX : -1;
  const identity = new DeviceIdentity(d.chip.arch, d.info.driverVersion, d.info.vbiosVersion);
  d.golden = matchGolden(golden, identity, d.report, skip);
  return d.golden !== null;
}

/** Verifies one device; null with the failure recorded (see lastFailure()). */
export function verifyDevice(ctx: VerifyContext, reportBytes: Uint8Array, chainPem: Uint8Array): DeviceResult | null {
  const d = parseEvidence(ctx, reportBytes, chainPem);
  if (d === null) return null;
  if (!checkFieldSet(d)) return null;
  if (!checkNonce(ctx, d)) return null;
  if (!checkReportSignature(ctx, d)) return null;
  if (!verifyDeviceChain(d.chain, ctx.anchor, ctx.at, ctx.cache)) return null;
  if (!checkFwid(ctx, d)) return null;
  d.mode = d.chip.isSwitch ? "" : gpuMode(d.info);
  d.ueid = ueidOf(d.chain.leaf);
  if (!checkRevocation(ctx.policy, d.chain.certs, d.ueid)) return null;
  if (!checkDevicePolicy(ctx.policy, d.chip.arch, d.chip.isSwitch, d.mode, d.info.driverVersion)) return null;
  if (!checkGolden(ctx, d)) return null;
  return d;
}

/** The failure of the last verifyDevice, tagged with the device it concerns. */
export function deviceFailure(device: string): Failure {
  const f = lastFailure();
  f.device = device;
  return f;
}
