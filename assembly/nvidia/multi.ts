// One node's GPUs (and, for PPCIe, its NVSwitches) verified together. Each device passes verify.ts on
// its own; then the node rules: all reports answer the same nonce, every device is distinct (leaf and
// BROM serials: one GPU must not back two slots, Trustee PR #1551), the GPUs share architecture,
// driver and multi-GPU mode (nvtrust fails mixed SPT/MPT runs), and switch evidence, when present,
// must match the GPUs' NVLink topology (topology.ts). Certificate links shared between devices are
// verified once (chain.ts LinkCache).
import { bytesEqual } from "../encoding/bytes";
import {
  fail, failBool, EVIDENCE_COUNT, DEVICE_KIND_MISMATCH, DUPLICATE_DEVICE, DRIVER_MISMATCH, MODE_MISMATCH, ARCH_MISMATCH,
  NONCE_MISMATCH, SWITCHES_REQUIRED, TOPOLOGY_MISMATCH,
} from "./errors";
import { VerifyContext, DeviceResult, verifyDevice, deviceFailure } from "./verify";
import { MODE_PPCIE } from "./policy";
import { checkTopology } from "./topology";

/** Larger than any real node (HGX: 8 GPUs, 4 switches), small enough to bound the work. */
export const MAX_GPUS: i32 = 16;
export const MAX_SWITCHES: i32 = 8;

export class NodeResult {
  gpus: Array<DeviceResult> = [];
  switches: Array<DeviceResult> = [];
  topologyChecked: bool = false;
}

function label(isSwitch: bool, i: i32): string { return (isSwitch ? "switches[" : "gpus[") + i.toString() + "]"; }

function verifyAll(ctx: VerifyContext, reports: Array<Uint8Array>, chains: Array<Uint8Array>, isSwitch: bool, out: Array<DeviceResult>): bool {
  for (let i = 0; i < reports.length; i++) {
    const d = verifyDevice(ctx, reports[i], chains[i]);
    if (d === null) { deviceFailure(label(isSwitch, i)); return false; }
    if (d.chip.isSwitch != isSwitch) {
      failBool(DEVICE_KIND_MISMATCH, label(isSwitch, i) + " is a" + (d.chip.isSwitch ? "n NVSwitch" : " GPU") + " report");
      deviceFailure(label(isSwitch, i));
      return false;
    }
    out.push(d);
  }
  return true;
}

/** All devices distinct by leaf and by BROM serial. */
function checkDistinct(all: Array<DeviceResult>, gpuCount: i32): bool {
  for (let i = 0; i < all.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = all[i].chain, b = all[j].chain;
      if (bytesEqual(a.leaf.serial, b.leaf.serial) || bytesEqual(a.brom.serial, b.brom.serial)) {
        return failBool(DUPLICATE_DEVICE, label(i >= gpuCount, i >= gpuCount ? i - gpuCount : i) + " is the same device as " +
          label(j >= gpuCount, j >= gpuCount ? j - gpuCount : j));
      }
    }
  }
  return true;
}

/** Every report answers the nonce of the first (the caller's nonce, if given, was checked per device). */
function checkSameNonce(all: Array<DeviceResult>): bool {
  const first = all[0].report.requestNonce();
  for (let i = 1; i < all.length; i++) {
    if (!bytesEqual(all[i].report.requestNonce(), first)) return failBool(NONCE_MISMATCH, "devices answered different nonces");
  }
  return true;
}

function checkGpusAgree(gpus: Array<DeviceResult>): bool {
  const first = gpus[0];
  for (let i = 1; i < gpus.length; i++) {
    const g = gpus[i];
    if (g.chip.arch != first.chip.arch) return failBool(ARCH_MISMATCH, "gpus[" + i.toString() + "] is " + g.chip.arch + ", gpus[0] is " + first.chip.arch);
    if (g.info.driverVersion != first.info.driverVersion) {
      return failBool(DRIVER_MISMATCH, "gpus[" + i.toString() + "] runs driver " + g.info.driverVersion + ", gpus[0] runs " + first.info.driverVersion);
    }
    if (g.mode != first.mode) return failBool(MODE_MISMATCH, "gpus[" + i.toString() + "] is in " + g.mode + " mode, gpus[0] in " + first.mode);
  }
  return true;
}

/** Verifies a node. Null with the failure recorded (device-specific ones name the device). */
export function verifyNode(
  ctx: VerifyContext, gpuReports: Array<Uint8Array>, gpuChains: Array<Uint8Array>,
  switchReports: Array<Uint8Array>, switchChains: Array<Uint8Array>,
): NodeResult | null {
  if (gpuReports.length == 0 || gpuReports.length > MAX_GPUS || gpuChains.length != gpuReports.length) {
    return fail<NodeResult>(EVIDENCE_COUNT, "a node needs 1 to 16 GPU reports, each with its chain");
  }
  if (switchReports.length > MAX_SWITCHES || switchChains.length != switchReports.length) {
    return fail<NodeResult>(EVIDENCE_COUNT, "at most 8 NVSwitch reports, each with its chain");
  }
  const node = new NodeResult();
  if (!verifyAll(ctx, gpuReports, gpuChains, false, node.gpus)) return null;
  if (!verifyAll(ctx, switchReports, switchChains, true, node.switches)) return null;
  const all = node.gpus.concat(node.switches);
  if (!checkSameNonce(all) || !checkDistinct(all, node.gpus.length) || !checkGpusAgree(node.gpus)) return null;
  const ppcie = node.gpus[0].mode == MODE_PPCIE;
  if (node.switches.length == 0) {
    if (ppcie && node.gpus.length > 1 && ctx.policy.requireSwitches) return fail<NodeResult>(SWITCHES_REQUIRED, "policy requires the NVSwitch reports of a PPCIe node");
    return node;
  }
  if (!ppcie) return fail<NodeResult>(TOPOLOGY_MISMATCH, "NVSwitch evidence given but the GPUs are not in PPCIe mode");
  if (!checkTopology(node.gpus, node.switches)) return null;
  node.topologyChecked = true;
  return node;
}
