// SHA-256 (FIPS 180-4 §6.2). Attestation evidence is hashed everywhere (quote bodies, report data,
// GPU nonces, transcripts), so this is one of the hottest paths on chain, where every executed Wasm
// operator is charged. Hence:
//   - the compression function is fully unrolled: the eight working variables and a rolling 16-word
//     window of the message schedule (W[t] overwrites W[t-16]) live in locals, and the round
//     constants are immediates, so a block costs no loop control, no schedule loads/stores and no
//     constant-table address arithmetic. About 35 locals, well under CosmWasm's 100-locals limit;
//   - message words are read with one unaligned load<u32> + bswap instead of four byte loads;
//   - whole blocks are compressed straight from the caller's memory and only a partial tail is
//     buffered; sha256Pointer / updatePointer hash a raw memory range, so callers holding bytes that
//     are not in a Uint8Array (e.g. an ABI input buffer) need not copy them first;
//   - copies and padding work eight bytes at a time.

/** Digest length in bytes. */
export const SHA256_OUTPUT_LENGTH: i32 = 32;
/** Compression block length in bytes. */
export const SHA256_BLOCK_LENGTH: i32 = 64;

const BLOCK: usize = <usize>SHA256_BLOCK_LENGTH;
const BLOCK_SHIFT: usize = 6; // log2(BLOCK)
const STATE_BYTES: usize = 32; // eight u32 words, native (little-endian) order
// The 64-bit message bit length goes in the last 8 bytes of the final block.
const LENGTH_FIELD: usize = 8;
const PAD_MARKER: u8 = 0x80; // the single 1 bit that follows the message

// Initial hash value: first 32 bits of the fractional parts of the square roots of the first 8 primes.
const IV: StaticArray<u32> = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

// Scratch shared by every caller; nothing here re-enters, so one copy of each suffices.
const FINAL_STATE: usize = memory.data(<i32>STATE_BYTES); // digest() works on a copy so the hasher stays usable
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

// A byte swap, written out: the stdlib's bswap<u32> is a polyfill that -O3 leaves as a call per use
// (a call is an expensive accounting operator on chain), while this inlines to eleven operators.
// @ts-ignore: decorator
@inline function bigEndian32(x: u32): u32 { return rotl<u32>(x & 0xff00ff00, 8) | rotr<u32>(x & 0x00ff00ff, 8); }

/** Runs the compression function over `blocks` consecutive 64-byte blocks at `src`, updating the
 * eight state words at `state` in place. */
function compress(state: usize, src: usize, blocks: usize): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (; blocks > 0; blocks--, src += BLOCK) {
    // Message words are big-endian and may be unaligned; Wasm loads are little-endian and allow that.
    let w0 = bigEndian32(load<u32>(src, 0)), w1 = bigEndian32(load<u32>(src, 4)), w2 = bigEndian32(load<u32>(src, 8)), w3 = bigEndian32(load<u32>(src, 12));
    let w4 = bigEndian32(load<u32>(src, 16)), w5 = bigEndian32(load<u32>(src, 20)), w6 = bigEndian32(load<u32>(src, 24)), w7 = bigEndian32(load<u32>(src, 28));
    let w8 = bigEndian32(load<u32>(src, 32)), w9 = bigEndian32(load<u32>(src, 36)), w10 = bigEndian32(load<u32>(src, 40)), w11 = bigEndian32(load<u32>(src, 44));
    let w12 = bigEndian32(load<u32>(src, 48)), w13 = bigEndian32(load<u32>(src, 52)), w14 = bigEndian32(load<u32>(src, 56)), w15 = bigEndian32(load<u32>(src, 60));
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let ab0: u32, ab1 = b ^ c; // a ^ b of the last two rounds, see majority()
    // Round t: T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t]; d += T1; h = T1 + Σ0(a) + Maj(a,b,c). Instead
    // of shifting all eight variables each round, their roles rotate by one from line to line. The hex
    // literals are K[t] (FIPS 180-4 §4.2.2: cube roots of the first 64 primes). From round 16 on, the
    // line before each round computes W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] into the
    // window slot t mod 16, which held W[t-16].
    h += bigSigma1(e) + choose(e, f, g) + 0x428a2f98 + w0; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    g += bigSigma1(d) + choose(d, e, f) + 0x71374491 + w1; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    f += bigSigma1(c) + choose(c, d, e) + 0xb5c0fbcf + w2; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    e += bigSigma1(b) + choose(b, c, d) + 0xe9b5dba5 + w3; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    d += bigSigma1(a) + choose(a, b, c) + 0x3956c25b + w4; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    c += bigSigma1(h) + choose(h, a, b) + 0x59f111f1 + w5; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    b += bigSigma1(g) + choose(g, h, a) + 0x923f82a4 + w6; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    a += bigSigma1(f) + choose(f, g, h) + 0xab1c5ed5 + w7; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    h += bigSigma1(e) + choose(e, f, g) + 0xd807aa98 + w8; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    g += bigSigma1(d) + choose(d, e, f) + 0x12835b01 + w9; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    f += bigSigma1(c) + choose(c, d, e) + 0x243185be + w10; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    e += bigSigma1(b) + choose(b, c, d) + 0x550c7dc3 + w11; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    d += bigSigma1(a) + choose(a, b, c) + 0x72be5d74 + w12; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    c += bigSigma1(h) + choose(h, a, b) + 0x80deb1fe + w13; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    b += bigSigma1(g) + choose(g, h, a) + 0x9bdc06a7 + w14; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    a += bigSigma1(f) + choose(f, g, h) + 0xc19bf174 + w15; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + choose(e, f, g) + 0xe49b69c1 + w0; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + choose(d, e, f) + 0xefbe4786 + w1; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + choose(c, d, e) + 0x0fc19dc6 + w2; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + choose(b, c, d) + 0x240ca1cc + w3; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + choose(a, b, c) + 0x2de92c6f + w4; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + choose(h, a, b) + 0x4a7484aa + w5; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + choose(g, h, a) + 0x5cb0a9dc + w6; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + choose(f, g, h) + 0x76f988da + w7; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + choose(e, f, g) + 0x983e5152 + w8; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + choose(d, e, f) + 0xa831c66d + w9; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + choose(c, d, e) + 0xb00327c8 + w10; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + choose(b, c, d) + 0xbf597fc7 + w11; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + choose(a, b, c) + 0xc6e00bf3 + w12; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + choose(h, a, b) + 0xd5a79147 + w13; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + choose(g, h, a) + 0x06ca6351 + w14; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + choose(f, g, h) + 0x14292967 + w15; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + choose(e, f, g) + 0x27b70a85 + w0; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + choose(d, e, f) + 0x2e1b2138 + w1; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + choose(c, d, e) + 0x4d2c6dfc + w2; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + choose(b, c, d) + 0x53380d13 + w3; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + choose(a, b, c) + 0x650a7354 + w4; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + choose(h, a, b) + 0x766a0abb + w5; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + choose(g, h, a) + 0x81c2c92e + w6; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + choose(f, g, h) + 0x92722c85 + w7; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + choose(e, f, g) + 0xa2bfe8a1 + w8; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + choose(d, e, f) + 0xa81a664b + w9; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + choose(c, d, e) + 0xc24b8b70 + w10; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + choose(b, c, d) + 0xc76c51a3 + w11; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + choose(a, b, c) + 0xd192e819 + w12; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + choose(h, a, b) + 0xd6990624 + w13; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + choose(g, h, a) + 0xf40e3585 + w14; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + choose(f, g, h) + 0x106aa070 + w15; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w0 += smallSigma1(w14) + w9 + smallSigma0(w1);
    h += bigSigma1(e) + choose(e, f, g) + 0x19a4c116 + w0; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w1 += smallSigma1(w15) + w10 + smallSigma0(w2);
    g += bigSigma1(d) + choose(d, e, f) + 0x1e376c08 + w1; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w2 += smallSigma1(w0) + w11 + smallSigma0(w3);
    f += bigSigma1(c) + choose(c, d, e) + 0x2748774c + w2; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w3 += smallSigma1(w1) + w12 + smallSigma0(w4);
    e += bigSigma1(b) + choose(b, c, d) + 0x34b0bcb5 + w3; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w4 += smallSigma1(w2) + w13 + smallSigma0(w5);
    d += bigSigma1(a) + choose(a, b, c) + 0x391c0cb3 + w4; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w5 += smallSigma1(w3) + w14 + smallSigma0(w6);
    c += bigSigma1(h) + choose(h, a, b) + 0x4ed8aa4a + w5; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w6 += smallSigma1(w4) + w15 + smallSigma0(w7);
    b += bigSigma1(g) + choose(g, h, a) + 0x5b9cca4f + w6; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w7 += smallSigma1(w5) + w0 + smallSigma0(w8);
    a += bigSigma1(f) + choose(f, g, h) + 0x682e6ff3 + w7; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    w8 += smallSigma1(w6) + w1 + smallSigma0(w9);
    h += bigSigma1(e) + choose(e, f, g) + 0x748f82ee + w8; d += h; h += bigSigma0(a) + (b ^ ((ab0 = a ^ b) & ab1));
    w9 += smallSigma1(w7) + w2 + smallSigma0(w10);
    g += bigSigma1(d) + choose(d, e, f) + 0x78a5636f + w9; c += g; g += bigSigma0(h) + (a ^ ((ab1 = h ^ a) & ab0));
    w10 += smallSigma1(w8) + w3 + smallSigma0(w11);
    f += bigSigma1(c) + choose(c, d, e) + 0x84c87814 + w10; b += f; f += bigSigma0(g) + (h ^ ((ab0 = g ^ h) & ab1));
    w11 += smallSigma1(w9) + w4 + smallSigma0(w12);
    e += bigSigma1(b) + choose(b, c, d) + 0x8cc70208 + w11; a += e; e += bigSigma0(f) + (g ^ ((ab1 = f ^ g) & ab0));
    w12 += smallSigma1(w10) + w5 + smallSigma0(w13);
    d += bigSigma1(a) + choose(a, b, c) + 0x90befffa + w12; h += d; d += bigSigma0(e) + (f ^ ((ab0 = e ^ f) & ab1));
    w13 += smallSigma1(w11) + w6 + smallSigma0(w14);
    c += bigSigma1(h) + choose(h, a, b) + 0xa4506ceb + w13; g += c; c += bigSigma0(d) + (e ^ ((ab1 = d ^ e) & ab0));
    w14 += smallSigma1(w12) + w7 + smallSigma0(w15);
    b += bigSigma1(g) + choose(g, h, a) + 0xbef9a3f7 + w14; f += b; b += bigSigma0(c) + (d ^ ((ab0 = c ^ d) & ab1));
    w15 += smallSigma1(w13) + w8 + smallSigma0(w0);
    a += bigSigma1(f) + choose(f, g, h) + 0xc67178f2 + w15; e += a; a += bigSigma0(b) + (c ^ ((ab1 = b ^ c) & ab0));
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}

/** Copies n bytes, eight at a time while possible (never reads past src + n). */
function copyBytes(dst: usize, src: usize, n: usize): void {
  for (; n >= 8; n -= 8, dst += 8, src += 8) store<u64>(dst, load<u64>(src));
  for (; n > 0; n--, dst++, src++) store<u8>(dst, load<u8>(src));
}

/** Zeroes n bytes, eight at a time while possible. */
function zeroBytes(dst: usize, n: usize): void {
  for (; n >= 8; n -= 8, dst += 8) store<u64>(dst, 0);
  for (; n > 0; n--, dst++) store<u8>(dst, 0);
}

/** Loads the initial value into the state at `state`. */
// @ts-ignore: decorator
@inline function initState(state: usize): void { copyBytes(state, changetype<usize>(IV), STATE_BYTES); }

/** Finishes a message whose last `n` (< 64) bytes, at `tail`, are not compressed yet and whose total
 * length is `total` bytes: pads it, compresses the padding block(s) into `state` and writes the
 * 32-byte big-endian digest to `out`. */
function finish(state: usize, tail: usize, n: usize, total: u64, out: usize): void {
  const pad = FINAL_BLOCKS;
  copyBytes(pad, tail, n);
  // 0x80, zeros, then the 64-bit big-endian bit length; a second block if the length does not fit.
  const padded: usize = n < BLOCK - LENGTH_FIELD ? BLOCK : 2 * BLOCK;
  store<u8>(pad + n, PAD_MARKER);
  zeroBytes(pad + n + 1, padded - LENGTH_FIELD - n - 1);
  // The bit length is taken mod 2^64, as FIPS 180-4 allows.
  store<u64>(pad + padded - LENGTH_FIELD, bswap<u64>(total << 3));
  compress(state, pad, padded >> BLOCK_SHIFT);
  for (let i: usize = 0; i < STATE_BYTES; i += 4) store<u32>(out + i, bigEndian32(load<u32>(state + i)));
}

/** Streaming SHA-256. digest() does not disturb the running state: more data may follow it.
 * A call of updateRange with a range outside its array hashes nothing and marks the hasher failed
 * (see `ok`); a failed hasher's digest() is an empty array, which equals no real digest. */
export class Sha256 {
  private state: StaticArray<u32> = new StaticArray<u32>(8);
  private block: StaticArray<u8> = new StaticArray<u8>(SHA256_BLOCK_LENGTH);
  private buffered: usize = 0; // bytes waiting in `block`
  private total: u64 = 0; // message bytes so far (the bit length is taken mod 2^64, as FIPS allows)
  private failed: bool = false;

  constructor() { this.reset(); }

  /** False once an update was given an out-of-range span. */
  get ok(): bool { return !this.failed; }

  reset(): Sha256 {
    initState(changetype<usize>(this.state));
    this.buffered = 0;
    this.total = 0;
    this.failed = false;
    return this;
  }

  update(data: Uint8Array): Sha256 { return this.updatePointer(data.dataStart, <usize>data.length); }

  /** Hashes data[start..end). */
  updateRange(data: Uint8Array, start: i32, end: i32): Sha256 {
    if (start < 0 || end < start || end > data.length) {
      this.failed = true;
      return this;
    }
    return this.updatePointer(data.dataStart + <usize>start, <usize>(end - start));
  }

  /** Hashes the `length` bytes of linear memory at `src`, which the caller vouches for (no bounds
   * check is possible on a raw range). They are read during this call only, never kept. */
  updatePointer(src: usize, length: usize): Sha256 {
    let n = length;
    this.total += <u64>n;
    const block = changetype<usize>(this.block);
    if (this.buffered > 0) {
      const room = BLOCK - this.buffered;
      const take = n < room ? n : room;
      copyBytes(block + this.buffered, src, take);
      this.buffered += take;
      src += take;
      n -= take;
      if (this.buffered < BLOCK) return this;
      compress(changetype<usize>(this.state), block, 1);
      this.buffered = 0;
    }
    const blocks = n >> BLOCK_SHIFT;
    if (blocks > 0) {
      compress(changetype<usize>(this.state), src, blocks);
      const done = blocks << BLOCK_SHIFT;
      src += done;
      n -= done;
    }
    copyBytes(block, src, n);
    this.buffered = n;
    return this;
  }

  /** The 32-byte digest of everything hashed since the last reset(). */
  digest(): Uint8Array {
    if (this.failed) return new Uint8Array(0);
    const state = FINAL_STATE;
    copyBytes(state, changetype<usize>(this.state), STATE_BYTES);
    const out = new Uint8Array(SHA256_OUTPUT_LENGTH);
    finish(state, changetype<usize>(this.block), this.buffered, this.total, out.dataStart);
    return out;
  }
}

/** Writes the 32-byte SHA-256 of the `length` bytes at `src` to `out` (which may overlap nothing it
 * reads after the last block, i.e. any buffer the caller owns). No hasher object is allocated: the
 * cheapest way to hash bytes already in linear memory, e.g. an ABI input buffer. */
export function sha256PointerInto(src: usize, length: usize, out: usize): void {
  const state = FINAL_STATE;
  initState(state);
  const blocks = length >> BLOCK_SHIFT;
  compress(state, src, blocks);
  const done = blocks << BLOCK_SHIFT;
  finish(state, src + done, length - done, <u64>length, out);
}

/** SHA-256 of the `length` bytes of linear memory at `src` (see sha256PointerInto). */
export function sha256Pointer(src: usize, length: usize): Uint8Array {
  const out = new Uint8Array(SHA256_OUTPUT_LENGTH);
  sha256PointerInto(src, length, out.dataStart);
  return out;
}

/** SHA-256 of data. */
export function sha256(data: Uint8Array): Uint8Array {
  return sha256Pointer(data.dataStart, <usize>data.length);
}

/** SHA-256 of data[start..end) without copying it; an empty array if the range is out of bounds. */
export function sha256Range(data: Uint8Array, start: i32, end: i32): Uint8Array {
  if (start < 0 || end < start || end > data.length) return new Uint8Array(0);
  return sha256Pointer(data.dataStart + <usize>start, <usize>(end - start));
}
