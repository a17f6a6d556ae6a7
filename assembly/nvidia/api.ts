// Entry points of the NVIDIA verifier over plain byte inputs, returning Verdict JSON. Shared by the
// verifier.wasm exports (assembly/exports/nvidia.ts) and the contracts, so both run the same code.
//
//   verifyNvidiaReport(report, certsPem, nonce, golden, at, policy)   one GPU or NVSwitch
//   verifyNvidiaNode(evidence, nonce, golden, at, policy)             a node, evidence JSON:
//       {"gpus": [{"report": "<base64>", "certs": "<PEM chain>"}, …], "switches": [ … ]}
//   parseNvidiaReport(report)                                         parse only, no verification
//
// nonce: empty (not checked) or the 32-byte expected nonce; golden / policy: JSON or empty; at: Unix
// seconds (block time on chain) for certificate validity. Policy key verified_intermediates (base64 DER)
// names intermediates already verified against the same root (chain.ts: their links are not re-verified).
import { parseJson, jsonError, JsonValue } from "../encoding/json";
import { base64DecodeRange } from "../encoding/base64";
import { utf8 } from "../encoding/bytes";
import { clearFailure, lastFailure, fail, failBool, MALFORMED_NONCE, MALFORMED_EVIDENCE } from "./errors";
import { parseSpdmReport, NONCE_LENGTH } from "./spdm";
import { parseOpaque } from "./opaque";
import { TrustAnchor, pinnedAnchor, anchorFromPem } from "./chain";
import { GoldenSet, parseGolden } from "./golden";
import { parsePolicy } from "./policy";
import { VerifyContext, verifyDevice } from "./verify";
import { verifyNode } from "./multi";
import { deviceVerdict, failureVerdict, nodeVerdict, parsedReportJson } from "./claims";

function buildContext(nonce: Uint8Array, golden: Uint8Array, at: i64, policyJson: Uint8Array): VerifyContext | null {
  const policy = parsePolicy(policyJson);
  if (policy === null) return null;
  let anchor: TrustAnchor | null = pinnedAnchor();
  if (policy.rootPem.length > 0) anchor = anchorFromPem(utf8(policy.rootPem));
  if (anchor === null) return null;
  if (nonce.length != 0 && nonce.length != NONCE_LENGTH) return fail<VerifyContext>(MALFORMED_NONCE, "nonce must be 32 bytes, got " + nonce.length.toString());
  let set: GoldenSet | null = null;
  if (golden.length > 0) {
    set = parseGolden(golden);
    if (set === null) return null;
  }
  const ctx = new VerifyContext(policy, changetype<TrustAnchor>(anchor), at, nonce, set);
  ctx.cache.preVerified = policy.verifiedIntermediates;
  return ctx;
}

export function verifyNvidiaReport(report: Uint8Array, certsPem: Uint8Array, nonce: Uint8Array, golden: Uint8Array, at: i64, policy: Uint8Array): Uint8Array {
  clearFailure();
  const ctx = buildContext(nonce, golden, at, policy);
  if (ctx === null) return failureVerdict(lastFailure());
  const d = verifyDevice(ctx, report, certsPem);
  if (d === null) return failureVerdict(lastFailure());
  return deviceVerdict(d, ctx.cache.p384Verifications);
}

class DeviceList {
  reports: Array<Uint8Array> = [];
  chains: Array<Uint8Array> = [];
}

/** [{"report": base64, "certs": PEM}, …] into `out`; false with MALFORMED_EVIDENCE. */
function readDevices(list: JsonValue | null, key: string, out: DeviceList): bool {
  if (list === null) return true;
  if (!list.isArray) return failBool(MALFORMED_EVIDENCE, key + " must be an array");
  for (let i = 0; i < list.length; i++) {
    const item = list.items[i];
    const where = key + "[" + i.toString() + "]";
    const report = item.get("report"), certs = item.get("certs");
    if (!item.isObject || item.length != 2 || report === null || certs === null) return failBool(MALFORMED_EVIDENCE, where + " must be {\"report\", \"certs\"}");
    const reportText = report.asString(), certsText = certs.asString();
    if (reportText === null || certsText === null) return failBool(MALFORMED_EVIDENCE, where + " fields must be strings");
    const b64 = utf8(reportText);
    const bytes = base64DecodeRange(b64, 0, b64.length, false, true);
    if (bytes === null) return failBool(MALFORMED_EVIDENCE, where + ".report is not base64");
    out.reports.push(bytes);
    out.chains.push(utf8(certsText));
  }
  return true;
}

export function verifyNvidiaNode(evidence: Uint8Array, nonce: Uint8Array, golden: Uint8Array, at: i64, policy: Uint8Array): Uint8Array {
  clearFailure();
  const ctx = buildContext(nonce, golden, at, policy);
  if (ctx === null) return failureVerdict(lastFailure());
  const root = parseJson(evidence);
  if (root === null) { fail<VerifyContext>(MALFORMED_EVIDENCE, "evidence is not JSON: " + jsonError); return failureVerdict(lastFailure()); }
  const gpus = new DeviceList(), switches = new DeviceList();
  const shapeOk = root.isObject && root.has("gpus") && root.length == (root.has("switches") ? 2 : 1);
  if (!shapeOk) { fail<VerifyContext>(MALFORMED_EVIDENCE, "evidence must be {\"gpus\": […], \"switches\"?: […]}"); return failureVerdict(lastFailure()); }
  if (!readDevices(root.get("gpus"), "gpus", gpus) || !readDevices(root.get("switches"), "switches", switches)) return failureVerdict(lastFailure());
  const node = verifyNode(ctx, gpus.reports, gpus.chains, switches.reports, switches.chains);
  if (node === null) return failureVerdict(lastFailure());
  return nodeVerdict(node, ctx.cache.p384Verifications);
}

export function parseNvidiaReport(report: Uint8Array): Uint8Array {
  clearFailure();
  const parsed = parseSpdmReport(report);
  if (parsed === null) return failureVerdict(lastFailure());
  const info = parseOpaque(report, parsed.opaqueStart, parsed.opaqueEnd);
  if (info === null) return failureVerdict(lastFailure());
  return parsedReportJson(parsed, info);
}
