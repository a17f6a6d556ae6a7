// The tee-attest TypeScript API. Each verifier area exports its entry points here (verifyTdx,
// verifySnp, verifyNvidia, the simulators, the chain clients).
export * from "./chain/index";
