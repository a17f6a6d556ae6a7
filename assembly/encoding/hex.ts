// Hex encoding (lowercase out; either case in, optional 0x prefix). Strict: odd length or a non-hex
// character yields null, never a partial result.

const DIGITS = "0123456789abcdef";

export function hexEncode(data: Uint8Array): string {
  // Written straight into the UTF-16 string (two code units per byte), no UTF-8 round trip.
  const n = data.length;
  const out = changetype<string>(__new(<usize>n << 2, idof<string>()));
  const src = data.dataStart, dst = changetype<usize>(out), digits = changetype<usize>(DIGITS);
  for (let i = 0; i < n; i++) {
    const b = <usize>load<u8>(src + <usize>i);
    store<u32>(dst + (<usize>i << 2), <u32>load<u16>(digits + ((b >> 4) << 1)) | (<u32>load<u16>(digits + ((b & 15) << 1)) << 16));
  }
  return out;
}

function nibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

export function hexDecode(text: string): Uint8Array | null {
  let start = 0;
  if (text.length >= 2 && text.charCodeAt(0) == 0x30 && (text.charCodeAt(1) | 0x20) == 0x78) start = 2;
  const n = text.length - start;
  if ((n & 1) != 0) return null;
  const out = new Uint8Array(n >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(start + 2 * i));
    const lo = nibble(text.charCodeAt(start + 2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = <u8>((hi << 4) | lo);
  }
  return out;
}
