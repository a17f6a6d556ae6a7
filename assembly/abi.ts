// The plain ABI of build/verifier.wasm (used from JS, the CLI and browsers; not CosmWasm):
//   alloc(len) -> ptr        a fresh buffer for JS to write an input into
//   <operation>(ptr, len, …) -> blob pointer or an i32 code
// A blob is a u32 little-endian length followed by that many bytes. Inputs are copied into managed
// Uint8Arrays before use, so later allocations cannot alias them. Memory is never reset: objects that
// global initialisers allocate at start live on the same heap, so the JS loader recycles the whole
// instance instead (src/wasm/loader.ts).

import { copyMemory } from "./encoding/bytes";

export function alloc(length: u32): usize {
  return heap.alloc(length > 0 ? <usize>length : 1);
}

/** Copies JS-provided input bytes into a managed array. */
export function input(pointer: usize, length: u32): Uint8Array {
  const out = new Uint8Array(<i32>length);
  copyMemory(out.dataStart, pointer, <usize>length);
  return out;
}

/** Returns bytes to JS as a blob (u32 LE length || bytes). */
export function blob(bytes: Uint8Array): usize {
  const out = heap.alloc(4 + <usize>bytes.length);
  store<u32>(out, <u32>bytes.length);
  copyMemory(out + 4, bytes.dataStart, <usize>bytes.length);
  return out;
}

export function blobString(text: string): usize {
  return blob(Uint8Array.wrap(String.UTF8.encode(text)));
}
