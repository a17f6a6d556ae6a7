// The SEV-SNP part of the tee-attest API: verify a report with its VCEK/VLEK (all checks run in
// verifier.wasm, the same code the contracts run), parse or re-appraise one, and simulate SNP hardware
// with a test AMD PKI. Names are explicit (no `export *`) so areas cannot collide in src/index.ts.
export {
  verifySnp, parseSnpReport, appraiseSnp, checkSnpLink,
  type SnpVerdict, type SnpClaims, type SnpError, type SnpTcb, type SnpMinTcb, type SnpPolicy, type SnpVerifyOptions,
  type SnpParseResult, type SnpProduct,
} from "./wasm/snp";
export {
  simulateSnp, resignSnpReport, snpTestCa, createSnpCa, useSnpTestCa, SNP_FAULTS, SNP_FAULT_NAMES, SNP_POLICY_BITS,
  type SimulateSnpOptions, type SimulatedSnp, type SnpFault, type SnpExpectation, type SnpTestCa, type SnpTcbParts,
} from "./sim/snp";
