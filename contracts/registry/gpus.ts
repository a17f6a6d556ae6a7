// A node's NVIDIA GPUs, verified through the NVIDIA verifier's node entry (assembly/nvidia/multi.ts
// verifyNode) with the reports msg.ts decoded once — no evidence JSON is rebuilt, re-parsed or
// re-decoded, and no verdict JSON is written and read back.
//
// Shared intermediates: every GPU of a chip family carries the same last three certificates (Provisioner
// ICA, "<chip> Identity", NVIDIA Device Identity CA). They can be submitted once as collateral
// (submit_collateral {nvidia_ca}, nvidia-ca.ts); a GPU may then send only its own two certificates
// (leaf + BROM) and the registry appends the stored three before verification. The stored ICA and
// Identity were verified against the governance root when submitted (nvidia-ca.ts), so they are passed to
// the verifier as pre-verified (chain.ts): their two links (ICA by Identity, Identity by root) are not
// signature-checked again, while names, validity at block time, CA flags and the device's own links are.
// The stored set starts at the ICA, so a GPU costs 3 P-384 verifications: report, leaf by BROM and BROM by
// ICA (the BROM is per device, so its link to the shared ICA is always verified). A stored set recorded
// under other roots (set_roots since) is not used at all. The full five-certificate form keeps working and
// is verified in full (its intermediates are pre-verified only when byte-identical to a loaded stored set).
import { bytesEqual, ByteBuffer } from "../../assembly/encoding/bytes";
import { hexEncode } from "../../assembly/encoding/hex";
import { pemDecodeAll } from "../../assembly/encoding/pem";
import { parseCertificate } from "../../assembly/encoding/x509";
import { parsePolicy as parseNvidiaPolicy } from "../../assembly/nvidia/policy";
import { TrustAnchor, pinnedAnchor, anchorFromPem } from "../../assembly/nvidia/chain";
import { parseGolden, GoldenSet } from "../../assembly/nvidia/golden";
import { VerifyContext } from "../../assembly/nvidia/verify";
import { verifyNode } from "../../assembly/nvidia/multi";
import { deviceComplete } from "../../assembly/nvidia/claims";
import { clearFailure, lastFailure, Failure } from "../../assembly/nvidia/errors";
import { utf8 } from "../../assembly/encoding/bytes";
import { RegistryError } from "./error";
import { GpuEvidence, VERIFIERS_AVAILABLE } from "./evidence";
import { loadNvidiaCa, caKeyOf } from "./nvidia-ca";

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
/** A GPU's own certificates when the shared intermediates come from the store. */
export const DEVICE_CERTS: i32 = 2;

function mapCode(code: string): RegistryError {
  return code == "NONCE_MISMATCH" ? RegistryError.BindingMismatch : RegistryError.EvidenceRejected;
}

function failed(out: GpuEvidence, f: Failure): GpuEvidence {
  return out.fail(mapCode(f.code), "nvidia/" + f.code + ": " + (f.device.length > 0 ? f.device + ": " : "") + f.message);
}

/** Number of PEM certificate blocks in `pem` (by their BEGIN lines). */
export function pemCount(pem: Uint8Array): i32 {
  const marker = utf8(PEM_BEGIN);
  let n = 0;
  for (let i = 0; i + marker.length <= pem.length; i++) {
    if (pem[i] != 0x2d) continue;
    let j = 0;
    while (j < marker.length && pem[i + j] == marker[j]) j++;
    if (j == marker.length) { n++; i += j - 1; }
  }
  return n;
}

class Rebuilt {
  chain: Uint8Array | null = null;
  detail: string = "";
}

/** leaf + BROM + the stored ICA, Identity and root; the detail says why not when null. */
function rebuild(devicePem: Uint8Array, rootsVersion: u64, keys: Array<string>, cached: Array<Uint8Array>): Rebuilt {
  const out = new Rebuilt();
  const blocks = pemDecodeAll(devicePem, "CERTIFICATE");
  if (blocks === null || blocks.length != DEVICE_CERTS) { out.detail = "the device certificates are not two PEM certificates"; return out; }
  const brom = parseCertificate(blocks[1].der);
  if (brom === null) { out.detail = "the BROM certificate does not parse"; return out; }
  const key = caKeyOf(brom.issuer.raw());
  let shared: Uint8Array | null = null;
  for (let i = 0; i < keys.length; i++) if (keys[i] == key) shared = cached[i];
  if (shared === null) {
    const stored = loadNvidiaCa(key, rootsVersion);
    if (stored.length == 0) { out.detail = "no NVIDIA intermediates for this GPU's issuer are stored under the current roots (submit_collateral nvidia_ca, or send all five certificates)"; return out; }
    keys.push(key);
    cached.push(stored);
    shared = stored;
  }
  const buf = new ByteBuffer(devicePem.length + shared.length + 1);
  buf.pushBytes(devicePem);
  if (devicePem.length > 0 && devicePem[devicePem.length - 1] != 0x0a) buf.pushString("\n");
  buf.pushBytes(shared);
  out.chain = buf.toBytes();
  return out;
}

/** The stored ICA and Identity DER of every loaded set (its root copy is not part of a device chain). */
function preVerifiedOf(stored: Array<Uint8Array>): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  for (let i = 0; i < stored.length; i++) {
    const blocks = pemDecodeAll(stored[i], "CERTIFICATE");
    if (blocks === null) continue;
    for (let j = 0; j < blocks.length - 1; j++) out.push(blocks[j].der);
  }
  return out;
}

/**
 * Verifies every GPU (`chains[i]` PEM text: five certificates, or leaf + BROM with stored intermediates)
 * against `nonce`, the release's golden measurements and the NVIDIA policy JSON, at block time `at`.
 */
export function verifyGpus(reports: Array<Uint8Array>, chains: Array<Uint8Array>, nonce: Uint8Array, golden: Uint8Array, at: i64, policyJson: Uint8Array,
  rootsVersion: u64): GpuEvidence {
  const out = new GpuEvidence();
  if (!VERIFIERS_AVAILABLE) return out.fail(RegistryError.EvidenceVerifierUnavailable, "nvidia evidence verification is not available in this build");
  clearFailure();
  const policy = parseNvidiaPolicy(policyJson);
  if (policy === null) return failed(out, lastFailure());
  let anchor: TrustAnchor | null = policy.rootPem.length > 0 ? anchorFromPem(utf8(policy.rootPem)) : pinnedAnchor();
  if (anchor === null) return failed(out, lastFailure());
  const set: GoldenSet | null = parseGolden(golden);
  if (set === null) return failed(out, lastFailure());
  const full = new Array<Uint8Array>();
  const keys = new Array<string>(), cached = new Array<Uint8Array>();
  for (let i = 0; i < chains.length; i++) {
    if (pemCount(chains[i]) != DEVICE_CERTS) { full.push(chains[i]); continue; }
    const r = rebuild(chains[i], rootsVersion, keys, cached);
    const chain = r.chain;
    if (chain === null) return out.fail(RegistryError.CollateralMissing, "gpus[" + i.toString() + "]: " + r.detail);
    full.push(chain);
  }
  const ctx = new VerifyContext(policy, changetype<TrustAnchor>(anchor), at, nonce, set);
  ctx.cache.preVerified = preVerifiedOf(cached);
  const node = verifyNode(ctx, reports, full, new Array<Uint8Array>(), new Array<Uint8Array>());
  if (node === null) return failed(out, lastFailure());
  for (let i = 0; i < node.gpus.length; i++) {
    if (!deviceComplete(node.gpus[i])) return out.fail(RegistryError.EvidenceRejected, "nvidia/INCOMPLETE: nonce or golden measurements were not checked");
    out.ueids.push(node.gpus[i].ueid);
  }
  if (!bytesEqual(node.gpus[0].report.requestNonce(), nonce)) return out.fail(RegistryError.BindingMismatch, "nvidia/NONCE_MISMATCH: the reports answer another nonce");
  out.status = "Verified";
  out.nonce = hexEncode(nonce);
  out.ok = true;
  return out;
}
