// The P-256 backend switch of verifier.wasm (assembly/exports/p256-backend.ts): which implementation
// assembly/crypto/p256-backend.ts's p256VerifyDigest (every P-256 check of the verifiers) runs.
// "wasm" is the default; the two counting backends exist to prove the routing in tests and to price
// the Wasm around a host call in the bench. Always restore "wasm" (withP256Backend does).
import { run, put, callExport } from "./loader";

export type P256Backend = "wasm" | "counting" | "counting-reject";
const MODE: Record<P256Backend, number> = { wasm: 0, counting: 1, "counting-reject": 2 };

export function selectP256Backend(backend: P256Backend): void {
  const mode = MODE[backend];
  if (mode === undefined) throw new RangeError(`unknown P-256 backend ${String(backend)}`);
  const code = run((w) => callExport(w, "p256_backend_select", mode));
  if (code !== 0) throw new Error(`p256_backend_select(${backend}) failed`);
}

/** Calls the counting backends received since the last selectP256Backend. */
export function p256BackendCalls(): number {
  return run((w) => callExport(w, "p256_backend_calls"));
}

/** Running total of P-256 verifications the pure-Wasm code started in the current instance (through
 * any backend or none); with the counting backend, its increase equals the backend's calls exactly
 * when nothing bypasses p256VerifyDigest. */
export function p256WasmVerifications(): number {
  return run((w) => callExport(w, "p256_wasm_verifications"));
}

/** Runs `fn` with `backend` selected and returns its result with the number of backend calls; the
 * pure-Wasm backend is restored afterwards, also on exceptions. The loader may swap instances when
 * memory grows, so keep `fn` to a few verifications. */
export function withP256Backend<T>(backend: P256Backend, fn: () => T): { result: T; calls: number } {
  selectP256Backend(backend);
  try {
    const result = fn();
    return { result, calls: p256BackendCalls() };
  } finally {
    selectP256Backend("wasm");
  }
}

/** p256VerifyDigest through the selected backend (32-byte digest, raw r || s, SEC1 key). */
export function wasmP256VerifyDigestBackend(digest: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  return run((w) => callExport(w, "p256_verify_digest_backend", ...put(w, digest), ...put(w, signature), ...put(w, publicKey))) === 1;
}
