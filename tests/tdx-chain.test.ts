// PCK chain, CRLs and revocation on real quotes. No fixture has a revoked certificate, so CRLs are
// re-encoded here with an extra entry: stored (trusted) collateral skips CRL signatures and must still
// enforce revocation; fresh collateral must reject the re-encoded CRL's signature.
import { describe, it, expect } from "vitest";
import { X509Certificate } from "node:crypto";
import { verifyTdx, PERMISSIVE_TDX_POLICY } from "../src/wasm/tdx";
import { HAVE_TDX_FIXTURES, loadQuote, loadText } from "./helpers/tdx-fixtures";

// --- a minimal DER reader/writer for CRLs ----------------------------------------------------------
interface Tlv { tag: number; header: number; length: number; start: number; end: number }

function readTlv(b: Uint8Array, at: number): Tlv {
  const tag = b[at];
  let length = b[at + 1], header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + b[at + 2 + i];
    header = 2 + n;
  }
  return { tag, header, length, start: at, end: at + header + length };
}

function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start + t.header; at < t.end;) { const c = readTlv(b, at); out.push(c); at = c.end; }
  return out;
}

function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([tag, ...len, ...content]);
}

const concat = (parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

function integer(serialHex: string): Uint8Array {
  let bytes = [...Buffer.from(serialHex, "hex")];
  if (bytes[0] & 0x80) bytes = [0, ...bytes];
  return encodeTlv(0x02, new Uint8Array(bytes));
}

/** The CRL with `serialHex` added to revokedCertificates (signature left as it was). */
function revoke(crlHex: string, serialHex: string): string {
  const b = new Uint8Array(Buffer.from(crlHex, "hex"));
  const outer = readTlv(b, 0);
  const [tbs, ...rest] = children(b, outer);
  const parts = children(b, tbs); // version, signature, issuer, thisUpdate, nextUpdate, [revoked], [extensions]
  const entry = encodeTlv(0x30, concat([integer(serialHex), encodeTlv(0x17, new TextEncoder().encode("250101000000Z"))]));
  const revokedAt = 5;
  const hasList = parts.length > revokedAt && parts[revokedAt].tag === 0x30;
  const list = hasList ? concat([b.slice(parts[revokedAt].start + parts[revokedAt].header, parts[revokedAt].end), entry]) : entry;
  const newParts = [...parts.slice(0, revokedAt).map((p) => b.slice(p.start, p.end)), encodeTlv(0x30, list),
    ...parts.slice(hasList ? revokedAt + 1 : revokedAt).map((p) => b.slice(p.start, p.end))];
  const newTbs = encodeTlv(0x30, concat(newParts));
  return Buffer.from(encodeTlv(0x30, concat([newTbs, ...rest.map((p) => b.slice(p.start, p.end))]))).toString("hex");
}

/** Certificates of a PEM chain, leaf first. */
function pemCerts(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p));
}

/** The PEM chain inside a quote's type-5 certification data. */
function quoteChain(q: Uint8Array): string {
  return Buffer.from(q).toString("latin1").match(/-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----/)![0];
}

describe("TDX PCK chain and revocation", () => {
  const quote = loadQuote("dcap-qvl/tdx_quote");
  const base = JSON.parse(loadText("dcap-qvl/tdx_quote_collateral.json"));
  const at = 1751328000;
  const verify = (collateral: object, trusted: boolean, q = quote) =>
    verifyTdx(q, JSON.stringify(collateral), { at, policy: PERMISSIVE_TDX_POLICY, trustedCollateral: trusted });
  const [leaf, ca] = pemCerts(quoteChain(quote));

  it("baseline verifies both fresh and stored", () => {
    expect(verify(base, false).ok).toBe(true);
    expect(verify(base, true).ok).toBe(true);
  });

  it("a revoked PCK certificate is CERT_REVOKED; the re-encoded CRL fails its signature when fresh", () => {
    const coll = { ...base, pck_crl: revoke(base.pck_crl, leaf.serialNumber) };
    const stored = verify(coll, true);
    expect(stored.error?.code).toBe("CERT_REVOKED");
    expect(stored.error?.message).toContain("PCK certificate");
    expect(verify(coll, false).error?.code).toBe("CRL_SIGNATURE_INVALID");
    // an unrelated serial changes nothing
    expect(verify({ ...base, pck_crl: revoke(base.pck_crl, "0123456789") }, true).ok).toBe(true);
  });

  it("a revoked PCK CA (root CRL) and a revoked TCB signing certificate are CERT_REVOKED", () => {
    expect(verify({ ...base, root_ca_crl: revoke(base.root_ca_crl, ca.serialNumber) }, true).error?.code).toBe("CERT_REVOKED");
    const signer = pemCerts(base.tcb_info_issuer_chain)[0];
    const r = verify({ ...base, root_ca_crl: revoke(base.root_ca_crl, signer.serialNumber) }, true);
    expect(r.error?.code).toBe("CERT_REVOKED");
    expect(r.error?.message).toContain("signing certificate");
  });

  it("a PCK CRL from the other PCK CA (Processor vs Platform) is CRL_ISSUER_MISMATCH", () => {
    const sgx = JSON.parse(loadText("dcap-qvl/sgx_quote_collateral.json"));
    const at2 = 1751328000;
    const coll = { ...base, pck_crl: sgx.pck_crl, pck_crl_issuer_chain: sgx.pck_crl_issuer_chain };
    expect(verifyTdx(quote, JSON.stringify(coll), { at: at2, policy: PERMISSIVE_TDX_POLICY }).error?.code).toBe("CRL_ISSUER_MISMATCH");
  });

  it("a chain supplied with the collateral replaces the quote's; a wrong one fails the QE report signature", () => {
    // the quote's own chain, supplied as pck_certificate_chain: same verdict
    expect(verify({ ...base, pck_certificate_chain: quoteChain(quote) }, false).ok).toBe(true);
    // another platform's chain (valid up to the root): the QE report is not signed by that PCK key
    const other = quoteChain(loadQuote("go-tdx-guest/tdx_v4_50806f000000_quote.bin"));
    expect(verify({ ...base, pck_certificate_chain: other }, false).error?.code).toBe("QE_REPORT_SIGNATURE_INVALID");
  });

  it("chains must be exactly leaf, CA, root and issued in that order", () => {
    const pems = quoteChain(quote).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
    const chain = (...i: number[]) => i.map((k) => pems[k]).join("\n") + "\n";
    expect(verify({ ...base, pck_certificate_chain: chain(0, 1) }, true).error?.code).toBe("CERT_CHAIN_INVALID");
    expect(verify({ ...base, pck_certificate_chain: chain(1, 0, 2) }, true).error?.code).toBe("CERT_CHAIN_INVALID");
    expect(verify({ ...base, pck_certificate_chain: chain(0, 1, 2, 2) }, true).error?.code).toBe("CERT_CHAIN_INVALID");
    // the root CA in place of the PCK CA: not issued by... the PCK leaf's issuer
    expect(verify({ ...base, pck_certificate_chain: chain(0, 2, 2) }, true).error?.code).toBe("CERT_CHAIN_INVALID");
    // text outside the PEM blocks is refused
    expect(verify({ ...base, pck_certificate_chain: "x" + chain(0, 1, 2) }, true).error?.code).toBe("MALFORMED_QUOTE");
  });

  it("a TCB signing chain that is a CA, or a TCB info chain of the wrong shape, is CERT_CHAIN_INVALID", () => {
    // the PCK CRL issuer chain (Platform CA + root) used to "sign" TCB info: a CA, not Intel's TCB signer
    expect(verify({ ...base, tcb_info_issuer_chain: base.pck_crl_issuer_chain }, false).error?.code).toBe("CERT_CHAIN_INVALID");
    const rootOnly = pemCerts(base.tcb_info_issuer_chain)[1].toString();
    expect(verify({ ...base, qe_identity_issuer_chain: rootOnly }, false).error?.code).toBe("CERT_CHAIN_INVALID");
  });
});
