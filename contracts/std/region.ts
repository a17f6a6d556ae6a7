// Region: the 12-byte little-endian {offset, capacity, length} struct through which the CosmWasm host
// and the contract exchange bytes (cosmwasm packages/std/src/exports/memory.rs). The host calls
// `allocate` for every argument and `deallocate` on every result; with the stub runtime memory is a bump
// allocator that never frees, which is fine because every call runs in a fresh instance.

const REGION_SIZE: usize = 12;

/** Allocates a Region with `capacity` bytes of zeroed storage, length 0. */
export function allocateRegion(capacity: u32): usize {
  const data = heap.alloc(capacity > 0 ? <usize>capacity : 1);
  const region = heap.alloc(REGION_SIZE);
  store<u32>(region, <u32>data, 0);
  store<u32>(region, capacity, 4);
  store<u32>(region, 0, 8);
  return region;
}

/** Copies the bytes of a Region the host handed us. A null pointer yields an empty array. */
export function readRegion(region: usize): Uint8Array {
  if (region == 0) return new Uint8Array(0);
  const offset = load<u32>(region, 0);
  const capacity = load<u32>(region, 4);
  let length = load<u32>(region, 8);
  // The host validates regions it produces; clamp anyway so a bad region can never read past capacity.
  if (length > capacity) length = capacity;
  const out = new Uint8Array(<i32>length);
  copyBytes(changetype<usize>(out.dataStart), <usize>offset, <usize>length);
  return out;
}

/** Builds a new Region holding a copy of `bytes` (its ownership passes to whoever receives the pointer). */
export function toRegion(bytes: Uint8Array): usize {
  const region = allocateRegion(<u32>bytes.length);
  copyBytes(<usize>load<u32>(region, 0), bytes.dataStart, <usize>bytes.length);
  store<u32>(region, <u32>bytes.length, 8);
  return region;
}

export function stringToRegion(text: string): usize {
  return toRegion(Uint8Array.wrap(String.UTF8.encode(text)));
}

/** Releases a Region and its data (a no-op under the stub runtime, kept for the ABI and other runtimes). */
export function freeRegion(region: usize): void {
  if (region == 0) return;
  heap.free(<usize>load<u32>(region, 0));
  heap.free(region);
}

// Bulk-memory is disabled for CosmWasm, so memory.copy must not be emitted: a plain word-wise loop,
// kept in its own function (never inlined) so callers stay far below the 100-locals limit.
@inline function copyWords(dst: usize, src: usize, words: usize): void {
  for (let i: usize = 0; i < words; i++) store<u64>(dst + (i << 3), load<u64>(src + (i << 3)));
}

export function copyBytes(dst: usize, src: usize, length: usize): void {
  const words = length >> 3;
  copyWords(dst, src, words);
  for (let i = words << 3; i < length; i++) store<u8>(dst + i, load<u8>(src + i));
}
