// The tee-attest TypeScript API. Each verifier area exports its entry points here (verifyTdx,
// verifySnp, verifyNvidia, the simulators, the chain clients).
export * from "./chain/index";
export * from "./snp";
export * from "./registry/client";
export * from "./tdx";
export * from "./rim/index";
export * from "./nvidia";
