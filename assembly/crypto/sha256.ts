// SHA-256 (FIPS 180-4 §6.2). Attestation evidence is hashed everywhere (quote bodies, report data,
// GPU nonces, transcripts), so this is one of the hottest paths on chain: whole blocks are compressed
// straight from the caller's bytes, only a partial tail is buffered, and the message schedule lives
// in one static scratch area instead of being allocated per block. The round loop stays a loop (eight
// rounds per pass, working variables in locals) so it keeps well under CosmWasm's 100-locals limit.

/** Digest length in bytes. */
export const SHA256_OUTPUT_LENGTH: i32 = 32;
/** Compression block length in bytes. */
export const SHA256_BLOCK_LENGTH: i32 = 64;

const ROUNDS: usize = 64;
// The 64-bit message bit length goes in the last 8 bytes of the final block.
const LENGTH_FIELD: i32 = 8;

// Round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// Initial hash value: first 32 bits of the fractional parts of the square roots of the first 8 primes.
const IV: StaticArray<u32> = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

// Scratch shared by every instance; compression never re-enters, so one copy suffices.
const SCHEDULE: usize = memory.data(<i32>ROUNDS * 4); // W[0..63]
const FINAL_STATE: usize = memory.data(32); // digest() works on a copy so the hasher stays usable
const FINAL_BLOCKS: usize = memory.data(2 * SHA256_BLOCK_LENGTH); // padding may spill into a 2nd block

// @ts-ignore: decorator
@inline function bigSigma0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function bigSigma1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function choose(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function majority(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }
// @ts-ignore: decorator
@inline function smallSigma0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function smallSigma1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }

/** Runs the compression function over `blocks` consecutive 64-byte blocks at `src`, updating the
 * eight state words at `state` in place. */
function compress(state: usize, src: usize, blocks: i32): void {
  const w = SCHEDULE;
  const k = changetype<usize>(K);
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (; blocks > 0; blocks--, src += <usize>SHA256_BLOCK_LENGTH) {
    // Words are big-endian; Wasm loads are little-endian (and may be unaligned).
    for (let t: usize = 0; t < 64; t += 4) store<u32>(w + t, bswap<u32>(load<u32>(src + t)));
    for (let t: usize = 64; t < ROUNDS * 4; t += 4) {
      store<u32>(w + t, smallSigma1(load<u32>(w + t - 8)) + load<u32>(w + t - 28) + smallSigma0(load<u32>(w + t - 60)) + load<u32>(w + t - 64));
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    // Eight rounds per pass with the variable roles rotated, instead of shifting all eight each round.
    for (let t: usize = 0; t < ROUNDS * 4; t += 32) {
      h += bigSigma1(e) + choose(e, f, g) + load<u32>(k + t, 0) + load<u32>(w + t, 0); d += h; h += bigSigma0(a) + majority(a, b, c);
      g += bigSigma1(d) + choose(d, e, f) + load<u32>(k + t, 4) + load<u32>(w + t, 4); c += g; g += bigSigma0(h) + majority(h, a, b);
      f += bigSigma1(c) + choose(c, d, e) + load<u32>(k + t, 8) + load<u32>(w + t, 8); b += f; f += bigSigma0(g) + majority(g, h, a);
      e += bigSigma1(b) + choose(b, c, d) + load<u32>(k + t, 12) + load<u32>(w + t, 12); a += e; e += bigSigma0(f) + majority(f, g, h);
      d += bigSigma1(a) + choose(a, b, c) + load<u32>(k + t, 16) + load<u32>(w + t, 16); h += d; d += bigSigma0(e) + majority(e, f, g);
      c += bigSigma1(h) + choose(h, a, b) + load<u32>(k + t, 20) + load<u32>(w + t, 20); g += c; c += bigSigma0(d) + majority(d, e, f);
      b += bigSigma1(g) + choose(g, h, a) + load<u32>(k + t, 24) + load<u32>(w + t, 24); f += b; b += bigSigma0(c) + majority(c, d, e);
      a += bigSigma1(f) + choose(f, g, h) + load<u32>(k + t, 28) + load<u32>(w + t, 28); e += a; a += bigSigma0(b) + majority(b, c, d);
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}

// @ts-ignore: decorator
@inline function copyBytes(dst: usize, src: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Streaming SHA-256. digest() does not disturb the running state: more data may follow it.
 * A call of updateRange with a range outside its array hashes nothing and marks the hasher failed
 * (see `ok`); a failed hasher's digest() is an empty array, which equals no real digest. */
export class Sha256 {
  private state: StaticArray<u32> = new StaticArray<u32>(8);
  private block: StaticArray<u8> = new StaticArray<u8>(SHA256_BLOCK_LENGTH);
  private buffered: i32 = 0; // bytes waiting in `block`
  private total: u64 = 0; // message bytes so far (the bit length is taken mod 2^64, as FIPS allows)
  private failed: bool = false;

  constructor() { this.reset(); }

  /** False once an update was given an out-of-range span. */
  get ok(): bool { return !this.failed; }

  reset(): Sha256 {
    const s = changetype<usize>(this.state);
    for (let i = 0; i < 8; i++) store<u32>(s + (<usize>i << 2), unchecked(IV[i]));
    this.buffered = 0;
    this.total = 0;
    this.failed = false;
    return this;
  }

  update(data: Uint8Array): Sha256 { return this.updateRange(data, 0, data.length); }

  /** Hashes data[start..end). */
  updateRange(data: Uint8Array, start: i32, end: i32): Sha256 {
    if (start < 0 || end < start || end > data.length) {
      this.failed = true;
      return this;
    }
    let src = data.dataStart + <usize>start;
    let n = end - start;
    this.total += <u64>n;
    const block = changetype<usize>(this.block);
    if (this.buffered > 0) {
      const room = SHA256_BLOCK_LENGTH - this.buffered;
      const take = n < room ? n : room;
      copyBytes(block + <usize>this.buffered, src, <usize>take);
      this.buffered += take;
      src += <usize>take;
      n -= take;
      if (this.buffered < SHA256_BLOCK_LENGTH) return this;
      compress(changetype<usize>(this.state), block, 1);
      this.buffered = 0;
    }
    const blocks = n / SHA256_BLOCK_LENGTH;
    if (blocks > 0) {
      compress(changetype<usize>(this.state), src, blocks);
      const done = blocks * SHA256_BLOCK_LENGTH;
      src += <usize>done;
      n -= done;
    }
    copyBytes(block, src, <usize>n);
    this.buffered = n;
    return this;
  }

  /** The 32-byte digest of everything hashed since the last reset(). */
  digest(): Uint8Array {
    if (this.failed) return new Uint8Array(0);
    const state = FINAL_STATE;
    copyBytes(state, changetype<usize>(this.state), 32);
    const pad = FINAL_BLOCKS;
    const n = <usize>this.buffered;
    copyBytes(pad, changetype<usize>(this.block), n);
    // 0x80, zeros, then the 64-bit big-endian bit length; a second block if the length does not fit.
    const padded: usize = n < <usize>(SHA256_BLOCK_LENGTH - LENGTH_FIELD) ? 64 : 128;
    store<u8>(pad + n, 0x80);
    for (let i = n + 1; i < padded - <usize>LENGTH_FIELD; i++) store<u8>(pad + i, 0);
    store<u64>(pad + padded - <usize>LENGTH_FIELD, bswap<u64>(this.total << 3));
    compress(state, pad, <i32>(padded >> 6));
    const out = new Uint8Array(SHA256_OUTPUT_LENGTH);
    const o = out.dataStart;
    for (let i: usize = 0; i < 32; i += 4) store<u32>(o + i, bswap<u32>(load<u32>(state + i)));
    return out;
  }
}

/** SHA-256 of data. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}

/** SHA-256 of data[start..end) without copying it; an empty array if the range is out of bounds. */
export function sha256Range(data: Uint8Array, start: i32, end: i32): Uint8Array {
  return new Sha256().updateRange(data, start, end).digest();
}
