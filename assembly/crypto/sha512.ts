// SHA-512 and SHA-384 (FIPS 180-4 §6.4, §6.5): one 80-round compression over 64-bit words; SHA-384
// only changes the initial value and truncates the output to 48 bytes. Used for the P-384 / RSA-PSS
// SHA-384 signatures of Intel and AMD certificates and reports. Same shape as sha256.ts: blocks are
// compressed in place from the input, the schedule lives in static scratch, and the round loop stays
// a loop so the function keeps well under CosmWasm's 100-locals limit.

export const SHA512_OUTPUT_LENGTH: i32 = 64;
export const SHA384_OUTPUT_LENGTH: i32 = 48;
/** Compression block length in bytes. */
export const SHA512_BLOCK_LENGTH: i32 = 128;

const ROUNDS: usize = 80;
// The 128-bit message bit length goes in the last 16 bytes of the final block.
const LENGTH_FIELD: i32 = 16;

// Round constants: first 64 bits of the fractional parts of the cube roots of the first 80 primes.
const K: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

// SHA-512 initial value: fractional parts of the square roots of the first 8 primes.
const IV512: StaticArray<u64> = [
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
];

// SHA-384 initial value: fractional parts of the square roots of the 9th to 16th primes.
const IV384: StaticArray<u64> = [
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
];

// Scratch shared by every instance; compression never re-enters, so one copy suffices.
const SCHEDULE: usize = memory.data(<i32>ROUNDS * 8); // W[0..79]
const FINAL_STATE: usize = memory.data(64); // digest() works on a copy so the hasher stays usable
const FINAL_BLOCKS: usize = memory.data(2 * SHA512_BLOCK_LENGTH); // padding may spill into a 2nd block

// @ts-ignore: decorator
@inline function bigSigma0(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
// @ts-ignore: decorator
@inline function bigSigma1(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
// @ts-ignore: decorator
@inline function choose(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function majority(x: u64, y: u64, z: u64): u64 { return (x & y) | (z & (x | y)); }
// @ts-ignore: decorator
@inline function smallSigma0(x: u64): u64 { return rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >>> 7); }
// @ts-ignore: decorator
@inline function smallSigma1(x: u64): u64 { return rotr<u64>(x, 19) ^ rotr<u64>(x, 61) ^ (x >>> 6); }

/** Runs the compression function over `blocks` consecutive 128-byte blocks at `src`, updating the
 * eight state words at `state` in place. */
function compress(state: usize, src: usize, blocks: i32): void {
  const w = SCHEDULE;
  const k = changetype<usize>(K);
  let h0 = load<u64>(state, 0), h1 = load<u64>(state, 8), h2 = load<u64>(state, 16), h3 = load<u64>(state, 24);
  let h4 = load<u64>(state, 32), h5 = load<u64>(state, 40), h6 = load<u64>(state, 48), h7 = load<u64>(state, 56);
  for (; blocks > 0; blocks--, src += <usize>SHA512_BLOCK_LENGTH) {
    // Words are big-endian; Wasm loads are little-endian (and may be unaligned).
    for (let t: usize = 0; t < 128; t += 8) store<u64>(w + t, bswap<u64>(load<u64>(src + t)));
    for (let t: usize = 128; t < ROUNDS * 8; t += 8) {
      store<u64>(w + t, smallSigma1(load<u64>(w + t - 16)) + load<u64>(w + t - 56) + smallSigma0(load<u64>(w + t - 120)) + load<u64>(w + t - 128));
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    // Eight rounds per pass with the variable roles rotated, instead of shifting all eight each round.
    for (let t: usize = 0; t < ROUNDS * 8; t += 64) {
      h += bigSigma1(e) + choose(e, f, g) + load<u64>(k + t, 0) + load<u64>(w + t, 0); d += h; h += bigSigma0(a) + majority(a, b, c);
      g += bigSigma1(d) + choose(d, e, f) + load<u64>(k + t, 8) + load<u64>(w + t, 8); c += g; g += bigSigma0(h) + majority(h, a, b);
      f += bigSigma1(c) + choose(c, d, e) + load<u64>(k + t, 16) + load<u64>(w + t, 16); b += f; f += bigSigma0(g) + majority(g, h, a);
      e += bigSigma1(b) + choose(b, c, d) + load<u64>(k + t, 24) + load<u64>(w + t, 24); a += e; e += bigSigma0(f) + majority(f, g, h);
      d += bigSigma1(a) + choose(a, b, c) + load<u64>(k + t, 32) + load<u64>(w + t, 32); h += d; d += bigSigma0(e) + majority(e, f, g);
      c += bigSigma1(h) + choose(h, a, b) + load<u64>(k + t, 40) + load<u64>(w + t, 40); g += c; c += bigSigma0(d) + majority(d, e, f);
      b += bigSigma1(g) + choose(g, h, a) + load<u64>(k + t, 48) + load<u64>(w + t, 48); f += b; b += bigSigma0(c) + majority(c, d, e);
      a += bigSigma1(f) + choose(f, g, h) + load<u64>(k + t, 56) + load<u64>(w + t, 56); e += a; a += bigSigma0(b) + majority(b, c, d);
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u64>(state, h0, 0); store<u64>(state, h1, 8); store<u64>(state, h2, 16); store<u64>(state, h3, 24);
  store<u64>(state, h4, 32); store<u64>(state, h5, 40); store<u64>(state, h6, 48); store<u64>(state, h7, 56);
}

// @ts-ignore: decorator
@inline function copyBytes(dst: usize, src: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Streaming SHA-512 (and, through Sha384, SHA-384). digest() does not disturb the running state:
 * more data may follow it. A call of updateRange with a range outside its array hashes nothing and
 * marks the hasher failed (see `ok`); a failed hasher's digest() is an empty array. */
export class Sha512 {
  private state: StaticArray<u64> = new StaticArray<u64>(8);
  private block: StaticArray<u8> = new StaticArray<u8>(SHA512_BLOCK_LENGTH);
  private buffered: i32 = 0; // bytes waiting in `block`
  private total: u64 = 0; // message bytes so far (2^64 bytes is far beyond any input we can hold)
  private failed: bool = false;
  private iv: StaticArray<u64>;
  /** Digest length in bytes: 64, or 48 for SHA-384. */
  readonly outputLength: i32;

  /** outputLength 48 selects SHA-384 (its own initial value, truncated output); anything else is SHA-512. */
  constructor(outputLength: i32 = SHA512_OUTPUT_LENGTH) {
    const is384 = outputLength == SHA384_OUTPUT_LENGTH;
    this.iv = is384 ? IV384 : IV512;
    this.outputLength = is384 ? SHA384_OUTPUT_LENGTH : SHA512_OUTPUT_LENGTH;
    this.reset();
  }

  /** False once an update was given an out-of-range span. */
  get ok(): bool { return !this.failed; }

  reset(): Sha512 {
    const s = changetype<usize>(this.state);
    const iv = this.iv;
    for (let i = 0; i < 8; i++) store<u64>(s + (<usize>i << 3), unchecked(iv[i]));
    this.buffered = 0;
    this.total = 0;
    this.failed = false;
    return this;
  }

  update(data: Uint8Array): Sha512 { return this.updateRange(data, 0, data.length); }

  /** Hashes data[start..end). */
  updateRange(data: Uint8Array, start: i32, end: i32): Sha512 {
    if (start < 0 || end < start || end > data.length) {
      this.failed = true;
      return this;
    }
    let src = data.dataStart + <usize>start;
    let n = end - start;
    this.total += <u64>n;
    const block = changetype<usize>(this.block);
    if (this.buffered > 0) {
      const room = SHA512_BLOCK_LENGTH - this.buffered;
      const take = n < room ? n : room;
      copyBytes(block + <usize>this.buffered, src, <usize>take);
      this.buffered += take;
      src += <usize>take;
      n -= take;
      if (this.buffered < SHA512_BLOCK_LENGTH) return this;
      compress(changetype<usize>(this.state), block, 1);
      this.buffered = 0;
    }
    const blocks = n / SHA512_BLOCK_LENGTH;
    if (blocks > 0) {
      compress(changetype<usize>(this.state), src, blocks);
      const done = blocks * SHA512_BLOCK_LENGTH;
      src += <usize>done;
      n -= done;
    }
    copyBytes(block, src, <usize>n);
    this.buffered = n;
    return this;
  }

  /** The digest (outputLength bytes) of everything hashed since the last reset(). */
  digest(): Uint8Array {
    if (this.failed) return new Uint8Array(0);
    const state = FINAL_STATE;
    copyBytes(state, changetype<usize>(this.state), 64);
    const pad = FINAL_BLOCKS;
    const n = <usize>this.buffered;
    copyBytes(pad, changetype<usize>(this.block), n);
    // 0x80, zeros, then the 128-bit big-endian bit length; a second block if the length does not fit.
    const padded: usize = n < <usize>(SHA512_BLOCK_LENGTH - LENGTH_FIELD) ? 128 : 256;
    store<u8>(pad + n, 0x80);
    for (let i = n + 1; i < padded - 8; i++) store<u8>(pad + i, 0);
    // The high half of the length field (zeroed above) only holds the top 3 bits of the byte count.
    store<u64>(pad + padded - 16, bswap<u64>(this.total >>> 61));
    store<u64>(pad + padded - 8, bswap<u64>(this.total << 3));
    compress(state, pad, <i32>(padded >> 7));
    const out = new Uint8Array(this.outputLength);
    const o = out.dataStart;
    for (let i: usize = 0; i < <usize>this.outputLength; i += 8) store<u64>(o + i, bswap<u64>(load<u64>(state + i)));
    return out;
  }
}

/** Streaming SHA-384: SHA-512 with its own initial value, truncated to 48 bytes. */
export class Sha384 extends Sha512 {
  constructor() { super(SHA384_OUTPUT_LENGTH); }
}

/** SHA-512 of data. */
export function sha512(data: Uint8Array): Uint8Array {
  return new Sha512().update(data).digest();
}

/** SHA-384 of data. */
export function sha384(data: Uint8Array): Uint8Array {
  return new Sha384().update(data).digest();
}

/** SHA-512 of data[start..end) without copying it; an empty array if the range is out of bounds. */
export function sha512Range(data: Uint8Array, start: i32, end: i32): Uint8Array {
  return new Sha512().updateRange(data, start, end).digest();
}

/** SHA-384 of data[start..end) without copying it; an empty array if the range is out of bounds. */
export function sha384Range(data: Uint8Array, start: i32, end: i32): Uint8Array {
  return new Sha384().updateRange(data, start, end).digest();
}
