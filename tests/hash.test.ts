// SHA-256 / SHA-384 / SHA-512 in verifier.wasm against FIPS 180-4 known answers and node:crypto:
// one-shot over random and block-boundary lengths, streaming with arbitrary piece sizes, digest()
// in the middle of a stream, reset(), and out-of-range spans (refused, never read).
import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  wasmSha256, wasmSha384, wasmSha512,
  wasmSha256Chunked, wasmSha384Chunked, wasmSha512Chunked,
  wasmShaStream, wasmShaRange, type Sha2Algorithm,
} from "../src/wasm/hash";

const ALGORITHMS: Sha2Algorithm[] = ["sha256", "sha384", "sha512"];
const ONE_SHOT: Record<Sha2Algorithm, (d: Uint8Array) => Uint8Array> = { sha256: wasmSha256, sha384: wasmSha384, sha512: wasmSha512 };
const CHUNKED: Record<Sha2Algorithm, (d: Uint8Array, c: number) => Uint8Array> = {
  sha256: wasmSha256Chunked, sha384: wasmSha384Chunked, sha512: wasmSha512Chunked,
};
const BLOCK: Record<Sha2Algorithm, number> = { sha256: 64, sha384: 128, sha512: 128 };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const oracle = (algorithm: Sha2Algorithm, data: Uint8Array) => createHash(algorithm).update(data).digest("hex");
const ascii = (s: string) => new TextEncoder().encode(s);

/** Deterministic pseudo-random bytes (xorshift32) so failures reproduce. */
function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// FIPS 180-4 example messages (NIST CSRC "Examples with Intermediate Values") and their digests.
const MESSAGES = {
  empty: "",
  abc: "abc",
  bits448: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
  bits896: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
  millionA: "a".repeat(1_000_000),
};
const KNOWN: Record<Sha2Algorithm, Record<keyof typeof MESSAGES, string>> = {
  sha256: {
    empty: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    abc: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    bits448: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    bits896: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    millionA: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  },
  sha384: {
    empty: "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
    abc: "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    bits448: "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
    bits896: "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
    millionA: "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
  },
  sha512: {
    empty: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    abc: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    bits448: "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
    bits896: "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    millionA: "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
  },
};

// Lengths where padding changes shape: the length field just fits, just spills into a second block,
// and whole blocks, for both block sizes.
const BOUNDARY_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 191, 192, 239, 240, 255, 256, 257];

describe.each(ALGORITHMS)("%s", (algorithm) => {
  const oneShot = ONE_SHOT[algorithm];
  const chunked = CHUNKED[algorithm];
  const block = BLOCK[algorithm];

  describe("FIPS 180-4 known answers", () => {
    for (const [name, message] of Object.entries(MESSAGES) as [keyof typeof MESSAGES, string][]) {
      it(name, () => {
        const expected = KNOWN[algorithm][name];
        expect(expected).toHaveLength(algorithm === "sha256" ? 64 : algorithm === "sha384" ? 96 : 128);
        expect(hex(oneShot(ascii(message)))).toBe(expected);
        // Streaming: odd pieces cross every block boundary at a different offset.
        expect(hex(chunked(ascii(message), 997))).toBe(expected);
      });
    }
  });

  it("matches node:crypto at every length 0..300 (all padding shapes)", () => {
    const data = bytes(300, 7);
    for (let n = 0; n <= 300; n++) expect(hex(oneShot(data.subarray(0, n))), `length ${n}`).toBe(oracle(algorithm, data.subarray(0, n)));
  });

  it("matches node:crypto on random inputs of length 0..1000", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1000 }), (data) => {
        expect(hex(oneShot(data))).toBe(oracle(algorithm, data));
      }),
      { seed: 0x5a2, numRuns: 200 },
    );
  });

  it("matches node:crypto on a 1 MiB input", () => {
    const data = bytes(1 << 20, 3);
    expect(hex(oneShot(data))).toBe(oracle(algorithm, data));
  });

  it("update() in fixed chunks equals one-shot, around block boundaries", () => {
    const chunks = [1, 2, 3, 7, block - 1, block, block + 1, 2 * block - 1, 2 * block + 1, 1000];
    for (const n of BOUNDARY_LENGTHS) {
      const data = bytes(n, n + 11);
      const expected = oracle(algorithm, data);
      for (const chunk of chunks) expect(hex(chunked(data, chunk)), `length ${n} chunk ${chunk}`).toBe(expected);
    }
  });

  it("updateRange() with random piece sizes equals one-shot, and digest() mid-stream leaves the state alone", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 700 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: block - 2, max: block + 2 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 8 }),
        (data, rawSizes) => {
          const sizes = rawSizes.some((s) => s > 0) ? rawSizes : [...rawSizes, 1];
          const digests = wasmShaStream(algorithm, data, sizes, { prefixDigests: true });
          // Replay the same cutting with node:crypto: one digest per piece, then the final one.
          const expected: string[] = [];
          let at = 0;
          for (let piece = 0; at < data.length; piece++) {
            at = Math.min(data.length, at + sizes[piece % sizes.length]);
            expected.push(oracle(algorithm, data.subarray(0, at)));
          }
          expected.push(oracle(algorithm, data));
          expect(digests.map(hex)).toEqual(expected);
        },
      ),
      { seed: 0xb10c, numRuns: 300 },
    );
  });

  it("reset() restarts from the initial value", () => {
    for (const n of [0, 5, block, 3 * block + 9]) {
      const data = bytes(n, 99);
      const [digest] = wasmShaStream(algorithm, data, [17], { resetFirst: true });
      expect(hex(digest)).toBe(oracle(algorithm, data));
    }
  });

  it("hashes a span in place and refuses spans outside the input", () => {
    const data = bytes(300, 5);
    for (const [start, end] of [[0, 0], [0, 300], [1, 300], [17, 17 + block], [299, 300], [300, 300], [40, 200]]) {
      expect(hex(wasmShaRange(algorithm, data, start, end)!), `${start}..${end}`).toBe(oracle(algorithm, data.subarray(start, end)));
    }
    for (const [start, end] of [[-1, 10], [0, 301], [10, 9], [301, 301], [0, -1], [-0x80000000, 0x7fffffff], [0x7fffffff, 0x7fffffff]]) {
      expect(wasmShaRange(algorithm, data, start, end), `${start}..${end}`).toBeNull();
    }
  });
});

describe("wrappers", () => {
  it("reject a zero chunk and an all-zero size list", () => {
    expect(() => wasmSha256Chunked(new Uint8Array(4), 0)).toThrow(RangeError);
    expect(() => wasmShaStream("sha512", new Uint8Array(4), [0, 0])).toThrow(RangeError);
  });

  it("return digests of the right length that differ between algorithms", () => {
    const data = ascii("tee-attest");
    expect(wasmSha256(data)).toHaveLength(32);
    expect(wasmSha384(data)).toHaveLength(48);
    expect(wasmSha512(data)).toHaveLength(64);
    // SHA-384 is not a truncated SHA-512 (different initial value).
    expect(hex(wasmSha384(data))).not.toBe(hex(wasmSha512(data)).slice(0, 96));
  });
});
