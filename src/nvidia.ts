// The NVIDIA part of the tee-attest API: verify GPU / NVSwitch evidence (one report + PEM chain, or a
// node's evidence in any shape NVIDIA tooling emits; all checks run in verifier.wasm, the same code the
// contracts run), parse a report, and simulate NVIDIA devices on a test PKI. Names are explicit (no
// `export *`) so areas cannot collide in src/index.ts.
export {
  verifyNvidia, verifyNvidiaNode, parseNvidiaReport, normalizeNvidiaEvidence,
  type NvidiaVerdict, type NvidiaDeviceClaims, type NvidiaNodeClaims, type NvidiaError, type NvidiaGolden, type NvidiaPolicy,
  type NvidiaOptions, type NvidiaDeviceEvidence, type NvidiaNodeEvidence, type NvidiaParsedReport,
} from "./wasm/nvidia";
export {
  simulateNvidia, NvidiaSimPki, buildSpdmReport, DRIVER_ACTIVE_INDICES, VBIOS_ACTIVE_INDICES,
  type SimulateNvidiaOptions, type SimulatedNvidia, type SimGpuOptions, type SimSwitchOptions, type SimDeviceEvidence, type SimGolden, type SimArch,
} from "./sim/nvidia";
