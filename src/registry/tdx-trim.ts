// Shrinks a TDX quote for register_node: its certification data (type 5) keeps only the PCK leaf
// certificate; the PCK CA and Intel root, identical for every machine of a CA, are already on chain in
// the registry's PCK CRL issuer chain (verified against the governance root when submitted), and the
// registry supplies them to the verifier. That saves ~1.7 KB of quote (~2.3 KB of base64, ~23k SDK gas of
// transaction bytes). Only unsigned bytes change: the signed header and body, the QE report and its
// signature, and the leaf are kept verbatim, and the verifier still checks leaf -> CA -> root.
// A quote that is not v4/v5 with a type-6/type-5 PCK chain is returned unchanged.

const HEADER = 48;
const TD10 = 584, TD15 = 648;
const SIG_AND_KEY = 128;
const QE_REPORT_AND_SIG = 384 + 64;
const END_MARKER = "-----END CERTIFICATE-----";

const u16 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
function putU32(b: Uint8Array, at: number, v: number): void { b[at] = v & 0xff; b[at + 1] = (v >>> 8) & 0xff; b[at + 2] = (v >>> 16) & 0xff; b[at + 3] = (v >>> 24) & 0xff; }

/** The quote with only the PCK leaf in its certification data (unchanged if it cannot be trimmed). */
export function trimTdxQuote(quote: Uint8Array): Uint8Array {
  if (quote.length < HEADER + 6) return quote;
  const version = u16(quote, 0);
  let bodyStart = HEADER, bodySize = TD10;
  if (version === 5) {
    const type = u16(quote, HEADER);
    bodySize = type === 3 ? TD15 : TD10;
    bodyStart = HEADER + 6;
  } else if (version !== 4) return quote;
  const sigLenAt = bodyStart + bodySize;
  const outerAt = sigLenAt + 4 + SIG_AND_KEY; // type 6 header
  if (quote.length < outerAt + 6 || u16(quote, outerAt) !== 6) return quote;
  const authAt = outerAt + 6 + QE_REPORT_AND_SIG;
  if (quote.length < authAt + 2) return quote;
  const innerAt = authAt + 2 + u16(quote, authAt); // type 5 header
  if (quote.length < innerAt + 6 || u16(quote, innerAt) !== 5) return quote;
  const pemStart = innerAt + 6;
  const pemEnd = pemStart + u32(quote, innerAt + 2);
  if (pemEnd > quote.length) return quote;
  const text = Buffer.from(quote.subarray(pemStart, pemEnd)).toString("latin1");
  const end = text.indexOf(END_MARKER);
  if (end < 0) return quote;
  let leafEnd = end + END_MARKER.length;
  if (text[leafEnd] === "\n") leafEnd++;
  if (text.indexOf(END_MARKER, leafEnd) < 0) return quote; // already only the leaf
  const out = new Uint8Array(pemStart + leafEnd);
  out.set(quote.subarray(0, pemStart + leafEnd));
  putU32(out, innerAt + 2, leafEnd);
  putU32(out, outerAt + 2, u32(quote, outerAt + 2) - (pemEnd - pemStart - leafEnd));
  putU32(out, sigLenAt, u32(quote, sigLenAt) - (pemEnd - pemStart - leafEnd));
  return out;
}
