// NVIDIA GPU / NVSwitch verification reachable from JS (src/wasm/nvidia.ts). Every function returns a
// blob of Verdict JSON (see assembly/nvidia/claims.ts); errors are verdicts, never traps.
// Pre-verified intermediates (assembly/nvidia/chain.ts) travel in the policy JSON as
// "verified_intermediates": [base64 DER, …]; without that key every link is verified.
import { input, blob } from "../abi";
import { verifyNvidiaReport, verifyNvidiaNode, parseNvidiaReport } from "../nvidia/api";

/** One report + PEM chain. nonce: 0 or 32 bytes; golden / policy: JSON or empty; at: Unix seconds. */
export function nvidia_verify(
  reportPtr: usize, reportLen: u32, certsPtr: usize, certsLen: u32, noncePtr: usize, nonceLen: u32,
  goldenPtr: usize, goldenLen: u32, at: i64, policyPtr: usize, policyLen: u32,
): usize {
  return blob(verifyNvidiaReport(input(reportPtr, reportLen), input(certsPtr, certsLen), input(noncePtr, nonceLen),
    input(goldenPtr, goldenLen), at, input(policyPtr, policyLen)));
}

/** A node: evidence JSON {"gpus":[{"report":b64,"certs":PEM}], "switches":[…]} sharing one nonce. */
export function nvidia_verify_node(
  evidencePtr: usize, evidenceLen: u32, noncePtr: usize, nonceLen: u32, goldenPtr: usize, goldenLen: u32,
  at: i64, policyPtr: usize, policyLen: u32,
): usize {
  return blob(verifyNvidiaNode(input(evidencePtr, evidenceLen), input(noncePtr, nonceLen), input(goldenPtr, goldenLen), at,
    input(policyPtr, policyLen)));
}

/** Parse-only view of a report (no cryptography): {"ok":true,"report":{…}} or an error verdict. */
export function nvidia_parse(reportPtr: usize, reportLen: u32): usize {
  return blob(parseNvidiaReport(input(reportPtr, reportLen)));
}
