// Entry of build/verifier.wasm: the verification library with plain exports for JS (see abi.ts).
// Each area exposes its operations from assembly/exports/<area>.ts; src/wasm wraps them with types.
export { alloc } from "./abi";
import "./abort";
export * from "./exports/encoding";
export * from "./exports/hash";
export * from "./exports/x509";
export * from "./exports/nvidia";
export * from "./exports/ecdsa";
export * from "./exports/rsa";
export * from "./exports/tdx";
export * from "./exports/snp";
export * from "./exports/p256-backend";
