// A small DER encoder for the simulated PKIs (src/sim): just enough ASN.1 to build X.509 certificates,
// CRLs and vendor extensions field by field. Output is always minimal DER (definite, shortest lengths).

export type Bytes = Uint8Array;

export function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function lengthBytes(n: number): Bytes {
  if (n < 0x80) return new Uint8Array([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

/** Tag byte (low-tag form) + minimal length + content. */
export function tlv(tag: number, ...content: Bytes[]): Bytes {
  const c = concat(...content);
  return concat(new Uint8Array([tag]), lengthBytes(c.length), c);
}

export const seq = (...items: Bytes[]): Bytes => tlv(0x30, ...items);
export const set = (...items: Bytes[]): Bytes => tlv(0x31, ...items);
/** [n] EXPLICIT (constructed context tag). */
export const explicit = (n: number, ...items: Bytes[]): Bytes => tlv(0xa0 | n, ...items);
export const octets = (b: Bytes): Bytes => tlv(0x04, b);
export const bitString = (b: Bytes, unusedBits = 0): Bytes => tlv(0x03, new Uint8Array([unusedBits]), b);
export const bool = (v: boolean): Bytes => tlv(0x01, new Uint8Array([v ? 0xff : 0x00]));
export const nullValue = (): Bytes => new Uint8Array([0x05, 0x00]);
export const utf8String = (s: string): Bytes => tlv(0x0c, new TextEncoder().encode(s));
export const printableString = (s: string): Bytes => tlv(0x13, new TextEncoder().encode(s));
export const ia5String = (s: string): Bytes => tlv(0x16, new TextEncoder().encode(s));

function integerContent(v: bigint): Bytes {
  if (v < 0n) throw new RangeError("negative INTEGER not supported");
  let h = v.toString(16);
  if (h.length % 2) h = "0" + h;
  const b = Uint8Array.from(Buffer.from(h, "hex"));
  return b[0] & 0x80 ? concat(new Uint8Array([0]), b) : b;
}

/** INTEGER from a non-negative value (minimal, with a sign octet when needed). */
export const integer = (v: bigint | number): Bytes => tlv(0x02, integerContent(BigInt(v)));
/** ENUMERATED from a non-negative value. */
export const enumerated = (v: bigint | number): Bytes => tlv(0x0a, integerContent(BigInt(v)));

export function oid(dotted: string): Bytes {
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const values = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const groups: number[] = [];
    let x = v;
    do { groups.unshift(Number(x & 0x7fn)); x >>= 7n; } while (x > 0n);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return tlv(0x06, new Uint8Array(out));
}

/** UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5); `unix` in seconds. */
export function time(unix: number): Bytes {
  const d = new Date(unix * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  const text = y >= 1950 && y < 2050 ? `${p(y % 100)}${rest}` : `${y}${rest}`;
  return tlv(y >= 1950 && y < 2050 ? 0x17 : 0x18, new TextEncoder().encode(text));
}
