// Mutation test: for every valid real quote of cases.json, changing any single byte inside the signed
// region (header + body), the signature data (quote signature, attestation key, certification data
// headers, QE report, QE report signature, QE auth data) or the PCK chain (the PEM text of the type-5
// certification data) must be rejected.
//
// The quotes are split over two test files (tdx-mutation-a/-b.test.ts) so vitest runs them in
// parallel. Speed: every mutant is verified against stored collateral (`trustedCollateral`: parsed again, its
// signatures not re-checked), so a mutant costs at most the quote's own three P-256 verifications.
// The mutation keeps PEM text meaningful: a base64 character becomes the next one of the alphabet
// (so the DER changes, not just the encoding), whitespace becomes a base64 character, anything else
// has its low bit flipped.
import { describe, it, expect } from "vitest";
import { verifyTdx, parseTdxQuote, PERMISSIVE_TDX_POLICY } from "../../src/wasm/tdx";
import { HAVE_TDX_FIXTURES, loadCases, loadQuote, loadText, rootFor, type TdxCase } from "./tdx-fixtures";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function mutateByte(b: number, inPem: boolean): number {
  if (!inPem) return b ^ 0x01;
  const i = B64.indexOf(String.fromCharCode(b));
  if (i >= 0) return B64.charCodeAt((i + 1) % 64);
  if (b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09) return 0x41; // 'A'
  return b ^ 0x01;
}

interface Layout { signedEnd: number; sigStart: number; certStart: number; certEnd: number }

/** Offsets from the quote's own length fields (the parser is tested elsewhere; here they only place
 * the mutations). */
function layout(q: Uint8Array): Layout {
  const p = parseTdxQuote(q);
  if (!p.ok) throw new Error("fixture quote does not parse");
  const signedEnd = p.signed_size!;
  const end = q.length - p.trailing_bytes!;
  return { signedEnd, sigStart: signedEnd + 4, certStart: end - p.cert_data_size!, certEnd: end };
}

const validCases = loadCases().filter((c) => c.expect.ok);
const distinct = validCases.filter((c, i) => validCases.findIndex((d) => d.quote === c.quote) === i);

function sweep(c: TdxCase, from: number, to: number, inPem: boolean): { rejected: number; accepted: number[] } {
  const quote = loadQuote(c.quote);
  const collateral = loadText(c.collateral);
  const options = { root: rootFor(c), at: c.time, policy: PERMISSIVE_TDX_POLICY, trustedCollateral: true };
  let rejected = 0;
  const accepted: number[] = [];
  for (let i = from; i < to; i++) {
    const m = quote.slice();
    m[i] = mutateByte(m[i], inPem);
    const v = verifyTdx(m, collateral, options);
    if (v.ok) accepted.push(i); else rejected++;
  }
  return { rejected, accepted };
}

/** Defines the suite for quotes i with i % shards == shard. */
export function mutationSuite(shard: number, shards: number): void {
describe(`TDX single-byte mutations are rejected (part ${shard + 1}/${shards})`, () => {
  it("covers every distinct valid quote", () => expect(distinct.length).toBe(12));

  for (const c of distinct.filter((_, i) => i % shards === shard)) {
    it(`${c.name} (${c.quote})`, () => {
      const q = loadQuote(c.quote);
      const { signedEnd, sigStart, certStart, certEnd } = layout(q);
      const baseline = verifyTdx(q, loadText(c.collateral), { root: rootFor(c), at: c.time, policy: PERMISSIVE_TDX_POLICY, trustedCollateral: true });
      expect(baseline.ok).toBe(true);
      // signed region; then the signature length field and everything up to the PCK chain; then the chain
      const signed = sweep(c, 0, signedEnd, false);
      const sigData = sweep(c, signedEnd, certStart, false);
      const chain = sweep(c, certStart, certEnd, true);
      expect(signed.accepted, "signed region").toEqual([]);
      expect(sigData.accepted, "signature data").toEqual([]);
      expect(chain.accepted, "PCK chain").toEqual([]);
      expect(signed.rejected + sigData.rejected + chain.rejected).toBe(certEnd);
      expect(sigStart).toBeLessThan(certStart);
    });
  }
});
}
