// SHA-2 reachable from JS: one-shot digests, plus streaming drivers so tests can check that any way
// of cutting a message into update() calls, intermediate digests, reset() and out-of-range spans
// behave. Algorithm ids are the output bit lengths: 256, 384, 512.
import { input, blob } from "../abi";
import { Sha256, sha256PointerInto, SHA256_OUTPUT_LENGTH } from "../crypto/sha256";
import { Sha384, Sha512, sha384, sha512 } from "../crypto/sha512";
import { ByteBuffer } from "../encoding/bytes";

// sha2_stream flags.
const STREAM_PREFIX_DIGESTS: u32 = 1; // also emit the digest after every piece
const STREAM_RESET_FIRST: u32 = 2; // hash some garbage and reset() before the real message

export function sha256_digest(pointer: usize, length: u32): usize {
  const out = heap.alloc(4 + <usize>SHA256_OUTPUT_LENGTH);
  store<u32>(out, SHA256_OUTPUT_LENGTH);
  sha256PointerInto(pointer, length, out + 4);
  return out;
}
export function sha384_digest(pointer: usize, length: u32): usize { return blob(sha384(input(pointer, length))); }
export function sha512_digest(pointer: usize, length: u32): usize { return blob(sha512(input(pointer, length))); }

/** Hashes the input through update() in pieces of `chunk` bytes (the last may be shorter); 0 if chunk is 0. */
export function sha256_chunked(pointer: usize, length: u32, chunk: u32): usize { return chunked(new Sha256(), input(pointer, length), chunk); }
export function sha384_chunked(pointer: usize, length: u32, chunk: u32): usize { return chunked(new Sha384(), input(pointer, length), chunk); }
export function sha512_chunked(pointer: usize, length: u32, chunk: u32): usize { return chunked(new Sha512(), input(pointer, length), chunk); }

/** Hashes the input through updateRange() in pieces whose sizes cycle through the u32 LE list at
 * `sizesPointer` (zero sizes make empty updates). Returns the final digest, preceded by the digest
 * after each piece when flags has STREAM_PREFIX_DIGESTS; 0 on an unknown algorithm, an empty size list
 * or one of only zeros. */
export function sha2_stream(algorithm: u32, pointer: usize, length: u32, sizesPointer: usize, sizesCount: u32, flags: u32): usize {
  const data = input(pointer, length);
  const sizes = input(sizesPointer, sizesCount << 2);
  if (algorithm == 256) return stream(new Sha256(), data, sizes, flags);
  if (algorithm == 384) return stream(new Sha384(), data, sizes, flags);
  if (algorithm == 512) return stream(new Sha512(), data, sizes, flags);
  return 0;
}

/** Hashes input[start..end) with updateRange(); 0 if the range is out of bounds (the hasher failed). */
export function sha2_range(algorithm: u32, pointer: usize, length: u32, start: i32, end: i32): usize {
  const data = input(pointer, length);
  if (algorithm == 256) return range(new Sha256(), data, start, end);
  if (algorithm == 384) return range(new Sha384(), data, start, end);
  if (algorithm == 512) return range(new Sha512(), data, start, end);
  return 0;
}

function chunked<T>(hasher: T, data: Uint8Array, chunk: u32): usize {
  if (chunk == 0) return 0;
  const step = chunk >= <u32>data.length ? data.length + 1 : <i32>chunk;
  for (let at = 0; at < data.length; at += step) {
    const end = data.length - at > step ? at + step : data.length;
    hasher.update(data.subarray(at, end));
  }
  return blob(hasher.digest());
}

function stream<T>(hasher: T, data: Uint8Array, sizes: Uint8Array, flags: u32): usize {
  const count = sizes.length >> 2;
  if (count == 0) return 0;
  if ((flags & STREAM_RESET_FIRST) != 0) {
    hasher.update(data).update(data);
    hasher.digest();
    hasher.reset();
  }
  const out = new ByteBuffer();
  let at = 0, piece = 0, idle = 0;
  while (at < data.length) {
    const size = load<u32>(sizes.dataStart + (<usize>(piece % count) << 2));
    piece++;
    const end = <u32>(data.length - at) > size ? at + <i32>size : data.length;
    if (end == at) {
      if (++idle >= count) return 0;
    } else {
      idle = 0;
    }
    hasher.updateRange(data, at, end);
    at = end;
    if ((flags & STREAM_PREFIX_DIGESTS) != 0) out.pushBytes(hasher.digest());
  }
  out.pushBytes(hasher.digest());
  return blob(out.toBytes());
}

function range<T>(hasher: T, data: Uint8Array, start: i32, end: i32): usize {
  hasher.updateRange(data, start, end);
  return hasher.ok ? blob(hasher.digest()) : 0;
}
