// Typed wrappers for the SHA-2 exports of verifier.wasm (assembly/exports/hash.ts).
import { run, put, takeBlob, callExport, type VerifierExports } from "./loader";

export type Sha2Algorithm = "sha256" | "sha384" | "sha512";

const ALGORITHM_ID: Record<Sha2Algorithm, number> = { sha256: 256, sha384: 384, sha512: 512 };

function digestWith(name: string, data: Uint8Array, ...extra: number[]): Uint8Array {
  const out = run((w) => takeBlob(w, callExport(w, name, ...put(w, data), ...extra)));
  if (out === null) throw new Error(`${name} returned no digest`);
  return out;
}

function checkChunk(chunk: number): void {
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 0xffffffff) throw new RangeError(`chunk must be a positive u32, got ${chunk}`);
}

/** Per-instance input buffer for sha256_digest, which hashes its input in place and keeps no reference
 * to it: reusing one buffer spares every call a fresh allocation (the stub runtime never frees, so each
 * new allocation touches fresh pages, about 2 µs for 4 KiB). */
const SCRATCH_MIN_BYTES = 64 * 1024;
const scratch = new WeakMap<VerifierExports, { pointer: number; capacity: number }>();

function putScratch(w: VerifierExports, data: Uint8Array): [number, number] {
  let s = scratch.get(w);
  if (!s || s.capacity < data.length) {
    const capacity = Math.max(data.length, SCRATCH_MIN_BYTES);
    s = { pointer: w.alloc(capacity), capacity };
    scratch.set(w, s);
  }
  new Uint8Array(w.memory.buffer, s.pointer, data.length).set(data);
  return [s.pointer, data.length];
}

export function wasmSha256(data: Uint8Array): Uint8Array {
  const out = run((w) => takeBlob(w, callExport(w, "sha256_digest", ...putScratch(w, data))));
  if (out === null) throw new Error("sha256_digest returned no digest");
  return out;
}
export function wasmSha384(data: Uint8Array): Uint8Array { return digestWith("sha384_digest", data); }
export function wasmSha512(data: Uint8Array): Uint8Array { return digestWith("sha512_digest", data); }

/** Hashes `data` through the streaming API in update() calls of `chunk` bytes. */
export function wasmSha256Chunked(data: Uint8Array, chunk: number): Uint8Array { checkChunk(chunk); return digestWith("sha256_chunked", data, chunk); }
export function wasmSha384Chunked(data: Uint8Array, chunk: number): Uint8Array { checkChunk(chunk); return digestWith("sha384_chunked", data, chunk); }
export function wasmSha512Chunked(data: Uint8Array, chunk: number): Uint8Array { checkChunk(chunk); return digestWith("sha512_chunked", data, chunk); }

export interface StreamOptions {
  /** Also return the digest taken after every piece (checks that digest() leaves the state alone). */
  prefixDigests?: boolean;
  /** Hash unrelated data and reset() before the message (checks reset()). */
  resetFirst?: boolean;
}

/** Hashes `data` through updateRange() in pieces whose sizes cycle through `sizes` (zeros make empty
 * updates). Returns the digests after each piece (with prefixDigests) followed by the final digest. */
export function wasmShaStream(algorithm: Sha2Algorithm, data: Uint8Array, sizes: number[], options: StreamOptions = {}): Uint8Array[] {
  if (sizes.length === 0 || sizes.every((s) => s === 0)) throw new RangeError("sizes need at least one non-zero entry");
  const list = new Uint8Array(sizes.length * 4);
  const view = new DataView(list.buffer);
  sizes.forEach((s, i) => view.setUint32(i * 4, s, true));
  const flags = (options.prefixDigests ? 1 : 0) | (options.resetFirst ? 2 : 0);
  const out = run((w) => {
    const [p, n] = put(w, data);
    const [sp] = put(w, list);
    return takeBlob(w, callExport(w, "sha2_stream", ALGORITHM_ID[algorithm], p, n, sp, sizes.length, flags));
  });
  if (out === null) throw new Error("sha2_stream returned no digest");
  const size = algorithm === "sha256" ? 32 : algorithm === "sha384" ? 48 : 64;
  const digests: Uint8Array[] = [];
  for (let at = 0; at < out.length; at += size) digests.push(out.subarray(at, at + size));
  return digests;
}

/** Digest of data[start..end) hashed in place; null when the span is out of bounds (the Wasm side
 * must refuse it rather than read outside the array). */
export function wasmShaRange(algorithm: Sha2Algorithm, data: Uint8Array, start: number, end: number): Uint8Array | null {
  return run((w) => takeBlob(w, callExport(w, "sha2_range", ALGORITHM_ID[algorithm], ...put(w, data), start | 0, end | 0)));
}
