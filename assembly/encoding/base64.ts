// Base64 (RFC 4648 §4 standard and §5 url-safe). CosmWasm carries Binary values as standard base64
// with padding; NVIDIA and HPKE frames use url-safe without padding. The decoder is strict: canonical
// padding only, no stray characters, and unused trailing bits must be zero (so every byte string has
// exactly one accepted encoding).

const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PAD: u8 = 0x3d; // '='

export function base64Encode(data: Uint8Array, urlSafe: bool = false, pad: bool = true): string {
  const alphabet = urlSafe ? URL_SAFE : STANDARD;
  const out = new Uint8Array(((data.length + 2) / 3) * 4);
  let o = 0, i = 0;
  for (; i + 3 <= data.length; i += 3) {
    const v = (<u32>data[i] << 16) | (<u32>data[i + 1] << 8) | <u32>data[i + 2];
    out[o++] = <u8>alphabet.charCodeAt(v >> 18);
    out[o++] = <u8>alphabet.charCodeAt((v >> 12) & 63);
    out[o++] = <u8>alphabet.charCodeAt((v >> 6) & 63);
    out[o++] = <u8>alphabet.charCodeAt(v & 63);
  }
  const rest = data.length - i;
  if (rest > 0) {
    const v = (<u32>data[i] << 16) | (rest == 2 ? <u32>data[i + 1] << 8 : 0);
    out[o++] = <u8>alphabet.charCodeAt(v >> 18);
    out[o++] = <u8>alphabet.charCodeAt((v >> 12) & 63);
    if (rest == 2) out[o++] = <u8>alphabet.charCodeAt((v >> 6) & 63);
    if (pad) { if (rest == 1) out[o++] = PAD; out[o++] = PAD; }
  }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>o);
}

function sextet(c: u32, urlSafe: bool): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>(c - 0x41);
  if (c >= 0x61 && c <= 0x7a) return <i32>(c - 0x61 + 26);
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30 + 52);
  if (urlSafe) { if (c == 0x2d) return 62; if (c == 0x5f) return 63; }
  else { if (c == 0x2b) return 62; if (c == 0x2f) return 63; }
  return -1;
}

/** Decodes text[start, end). Padding is optional for url-safe input and required for standard input
 * unless `requirePadding` is false. Returns null on any invalid input. */
export function base64DecodeRange(text: Uint8Array, start: i32, end: i32, urlSafe: bool = false, requirePadding: bool = true): Uint8Array | null {
  let n = end - start;
  if (n < 0) return null;
  let padding = 0;
  if (n > 0 && text[end - 1] == PAD) { padding++; if (n > 1 && text[end - 2] == PAD) padding++; }
  if (padding > 0 && (n & 3) != 0) return null;
  if (padding == 0 && requirePadding && !urlSafe && (n & 3) != 0) return null;
  const dataChars = n - padding;
  if ((dataChars & 3) == 1) return null;
  const out = new Uint8Array((dataChars * 3) >> 2);
  let acc: u32 = 0, bits = 0, o = 0;
  for (let i = 0; i < dataChars; i++) {
    const v = sextet(<u32>text[start + i], urlSafe);
    if (v < 0) return null;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = <u8>(acc >> <u32>bits); acc &= (1 << <u32>bits) - 1; }
  }
  if (acc != 0) return null; // non-canonical: leftover bits must be zero
  return out;
}

export function base64Decode(text: string, urlSafe: bool = false, requirePadding: bool = true): Uint8Array | null {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  return base64DecodeRange(bytes, 0, bytes.length, urlSafe, requirePadding);
}
