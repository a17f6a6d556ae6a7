// The SEV-SNP fixtures (shared/fixtures/snp: MANIFEST.md, expected.json) for the snp test suites, read
// with node only (no Wasm), plus node:crypto oracles: the RSA-PSS links of every chain and the ECDSA
// report signature, computed independently of verifier.wasm.
import { createHash, verify as nodeVerify, X509Certificate, constants } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = process.env.TEE_ATTEST_FIXTURES ?? join(__dirname, "..", "..", "..", "shared", "fixtures");
export const SNP_DIR = join(FIXTURES, "snp");
export const HAVE_SNP_FIXTURES = existsSync(join(SNP_DIR, "expected.json"));
/** With CI set, missing fixtures are a failure, not a skip (DESIGN.md §8). */
export const REQUIRE_FIXTURES = !!process.env.CI;

export const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(SNP_DIR, rel)));
export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
export const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

export interface ExpectedCase {
  report: string;
  endorsement_cert: string;
  ask_ark_chain: string;
  product: "Milan" | "Genoa" | "Turin";
  report_version: number;
  signing_key: "VCEK" | "VLEK";
  expect: { chain_valid: boolean; signature_valid: boolean; reported_tcb_matches_cert: boolean; chip_id_matches_hwid: boolean | string; reserved_mbz_ok: boolean };
  fields: {
    policy: string; vmpl: number; guest_svn: number; platform_info: string; family_id: string; image_id: string;
    cpuid: { fam: number; mod: number; step: number } | null;
    current_tcb: string; reported_tcb: string; committed_tcb: string; launch_tcb: string;
    reported_tcb_parts: { fmc?: number; bl: number; tee: number; snp: number; ucode: number; raw: string };
    current_version: string; committed_version: string;
    launch_mit_vector: string | null; current_mit_vector: string | null;
    measurement: string; report_data: string; host_data: string; id_key_digest: string; chip_id: string;
  };
  cert: { cn: string; issuer: string; validity: string; productName: string; structVersion: number; cspId: string | null };
  sha256: string;
}

export function expectedCases(): ExpectedCase[] {
  if (!HAVE_SNP_FIXTURES) return [];
  return (JSON.parse(readFileSync(join(SNP_DIR, "expected.json"), "utf8")) as { cases: ExpectedCase[] }).cases;
}

/** A unix time inside the endorsement's validity (the midpoint), so expired VLEKs still verify. */
export function insideValidity(c: ExpectedCase): number {
  const [from, to] = c.cert.validity.split(" -> ").map((s) => Date.parse(s) / 1000);
  return Math.floor((from + to) / 2);
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates of a PEM or DER file, as DER. */
export function certsOf(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString("latin1");
  const blocks = text.match(PEM_CERT);
  if (!blocks) return [bytes];
  return blocks.map((b) => new Uint8Array(new X509Certificate(b).raw));
}

/** The endorsement certificate (first certificate of the file) as DER. */
export const endorsementDer = (c: ExpectedCase): Uint8Array => certsOf(read(c.endorsement_cert))[0];

/** Splits a DER certificate into its tbsCertificate and signature (a plain DER walk, independent of Wasm). */
export function tbsAndSignature(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array; tbsStart: number; tbsEnd: number } {
  const header = (at: number): { len: number; hdr: number } => {
    const first = der[at + 1];
    if (first < 0x80) return { len: first, hdr: 2 };
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    return { len, hdr: 2 + n };
  };
  const outer = header(0);
  const tbsStart = outer.hdr;
  const tbsHeader = header(tbsStart);
  const tbsEnd = tbsStart + tbsHeader.hdr + tbsHeader.len;
  const alg = header(tbsEnd);
  const sigAt = tbsEnd + alg.hdr + alg.len;
  const sig = header(sigAt);
  return { tbs: der.slice(tbsStart, tbsEnd), signature: der.slice(sigAt + sig.hdr + 1, sigAt + sig.hdr + sig.len), tbsStart, tbsEnd };
}

/** node:crypto RSASSA-PSS SHA-384 salt 48 check of `child` signed by `issuer` (both DER). */
export function nodePssLink(child: Uint8Array, issuer: Uint8Array): boolean {
  const { tbs, signature } = tbsAndSignature(child);
  const key = new X509Certificate(Buffer.from(issuer)).publicKey;
  return nodeVerify("sha384", tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, signature);
}

/** node:crypto ECDSA P-384 check of a report with the endorsement's key (R, S little-endian in the report). */
export function nodeReportSignature(report: Uint8Array, endorsement: Uint8Array): boolean {
  const r = Buffer.from(report.slice(0x2a0, 0x2a0 + 48)).reverse();
  const s = Buffer.from(report.slice(0x2e8, 0x2e8 + 48)).reverse();
  const key = new X509Certificate(Buffer.from(endorsement)).publicKey;
  return nodeVerify("sha384", report.slice(0, 0x2a0), { key, dsaEncoding: "ieee-p1363" }, Buffer.concat([r, s]));
}

/** The RSA modulus of a certificate, big-endian hex. */
export function rsaModulusHex(der: Uint8Array): string {
  const jwk = new X509Certificate(Buffer.from(der)).publicKey.export({ format: "jwk" });
  return Buffer.from(jwk.n as string, "base64url").toString("hex");
}

export function sha256Hex(data: Uint8Array): string { return createHash("sha256").update(data).digest("hex"); }
