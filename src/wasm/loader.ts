// Loads build/verifier.wasm and moves bytes across its plain ABI (assembly/abi.ts). One instance per
// process. The stub runtime never frees, and resetting its bump pointer would also wipe objects that
// global initialisers allocated at start, so instead of resetting, the loader replaces the instance
// with a fresh one once its memory passes MEMORY_RECYCLE_BYTES.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface VerifierExports {
  memory: WebAssembly.Memory;
  alloc(length: number): number;
  [name: string]: unknown;
}

/** Thrown when the Wasm aborted (an assertion or bounds check inside the verifier). */
export class WasmAbort extends Error {
  constructor(message: string) { super(message); this.name = "WasmAbort"; }
}

let cached: VerifierExports | null = null;
let cachedIsDefault = false;
/** The instance loadVerifier() made from build/verifier.wasm (recycled when its memory grows large). */
let defaultInstance: VerifierExports | null = null;
let defaultModule: WebAssembly.Module | null = null;

/** Memory size after which the default instance is replaced by a fresh one. */
export const MEMORY_RECYCLE_BYTES = 64 * 1024 * 1024;

/** Finds build/verifier.wasm from src/ (tests), dist/src/ (bundled CLI) or TEE_ATTEST_WASM. */
export function verifierWasmPath(): string {
  if (process.env.TEE_ATTEST_WASM) return process.env.TEE_ATTEST_WASM;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "build", "verifier.wasm");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("build/verifier.wasm not found: run `npm run build`");
}

export function loadVerifier(bytes?: Uint8Array): VerifierExports {
  if (cached && !bytes) return cached;
  let module: WebAssembly.Module;
  if (bytes) module = new WebAssembly.Module(bytes);
  else module = defaultModule ??= new WebAssembly.Module(readFileSync(verifierWasmPath()));
  let memory: WebAssembly.Memory | null = null;
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(region: number) {
        const view = new DataView(memory!.buffer);
        const offset = view.getUint32(region, true), length = view.getUint32(region + 8, true);
        throw new WasmAbort(new TextDecoder().decode(new Uint8Array(memory!.buffer, offset, length)));
      },
    },
  });
  const exports = instance.exports as unknown as VerifierExports;
  memory = exports.memory;
  if (!bytes) { cached = exports; cachedIsDefault = true; defaultInstance = exports; }
  return exports;
}

/** Makes `exports` the instance every wrapper uses (e.g. an operator-counting copy for benchmarks);
 * returns the previous one so callers can restore it. */
export function useVerifier(exports: VerifierExports | null): VerifierExports | null {
  const previous = cached;
  cached = exports;
  // Restoring the default instance (as countOps does) keeps it recyclable.
  cachedIsDefault = exports !== null && exports === defaultInstance;
  return previous;
}

/** Copies bytes into Wasm memory; returns [pointer, length]. */
export function put(wasm: VerifierExports, bytes: Uint8Array): [number, number] {
  const pointer = wasm.alloc(bytes.length);
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return [pointer, bytes.length];
}

export function putString(wasm: VerifierExports, text: string): [number, number] {
  return put(wasm, new TextEncoder().encode(text));
}

/** Reads a blob (u32 LE length || bytes); null for a 0 pointer. */
export function takeBlob(wasm: VerifierExports, pointer: number): Uint8Array | null {
  if (pointer === 0) return null;
  pointer >>>= 0; // an i32 result above 2 GiB arrives negative
  const length = new DataView(wasm.memory.buffer).getUint32(pointer, true);
  return new Uint8Array(wasm.memory.buffer, pointer + 4, length).slice();
}

export function takeJson<T = unknown>(wasm: VerifierExports, pointer: number): T {
  const bytes = takeBlob(wasm, pointer);
  if (bytes === null) throw new Error("verifier returned no result");
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

/** Runs one top-level operation on the current instance (a fresh one when memory has grown large). */
export function run<T>(fn: (wasm: VerifierExports) => T): T {
  let wasm = loadVerifier();
  if (cachedIsDefault && wasm.memory.buffer.byteLength > MEMORY_RECYCLE_BYTES) {
    cached = null;
    wasm = loadVerifier();
  }
  return fn(wasm);
}

/** Calls an export by name with the given numeric arguments. */
export function callExport(wasm: VerifierExports, name: string, ...args: number[]): number {
  const fn = wasm[name];
  if (typeof fn !== "function") throw new Error(`verifier.wasm has no export ${name}`);
  return (fn as (...a: number[]) => number)(...args);
}
