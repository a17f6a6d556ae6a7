// Finds every real certificate and CRL in the shared fixtures, independently of the Wasm parsers (plain
// regexes and node's JSON/base64), so tests can compare our parsers against node:crypto on all of them.
// Sources: PEM/CRT files, DER files, PEM chains and hex CRLs inside collateral JSON, base64 PEM chains
// inside NVIDIA evidence JSON (also when nested as a JSON string), X509Certificate elements of RIM XML,
// and PCK chains embedded in binary TDX/SGX quotes.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, extname, basename } from "node:path";

/** tests/helpers -> ../../../shared/fixtures; bundled scripts (no __dirname in ESM) resolve from the cwd. */
export const FIXTURES = process.env.TEE_ATTEST_FIXTURES ??
  (typeof __dirname !== "undefined" ? join(__dirname, "..", "..", "..", "shared", "fixtures") : join(process.cwd(), "..", "shared", "fixtures"));

export interface DerItem {
  /** Where it was found: relative path, plus a JSON path or block index. */
  source: string;
  der: Uint8Array;
}

/** A PEM text found somewhere, with the blocks a plain regex sees in it (the oracle for pem_decode). */
export interface PemText {
  source: string;
  text: Uint8Array;
  blocks: { label: string; der: Uint8Array }[];
}

export interface FixtureSet {
  certs: DerItem[];
  crls: DerItem[];
  pems: PemText[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END \1-----/g;

function pemBlocks(text: string): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) out.push({ label: m[1], der: new Uint8Array(Buffer.from(m[2].replace(/\s+/g, ""), "base64")) });
  return out;
}

function walkFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walkFiles(path, out);
    else out.push(path);
  }
}

const isHex = (s: string): boolean => /^(0x)?([0-9a-fA-F]{2})+$/.test(s);

export function loadFixtureSet(): FixtureSet {
  if (!existsSync(FIXTURES)) throw new Error(`fixtures not found at ${FIXTURES} (set TEE_ATTEST_FIXTURES)`);
  const certs = new Map<string, DerItem>();
  const crls = new Map<string, DerItem>();
  const pems: PemText[] = [];
  const addDer = (map: Map<string, DerItem>, source: string, der: Uint8Array): void => {
    const key = createHash("sha256").update(der).digest("hex");
    if (!map.has(key)) map.set(key, { source, der });
  };
  const addPem = (source: string, text: string | Uint8Array): void => {
    const bytes = typeof text === "string" ? new Uint8Array(Buffer.from(text, "latin1")) : text;
    const blocks = pemBlocks(Buffer.from(bytes).toString("latin1"));
    if (blocks.length === 0) return;
    pems.push({ source, text: bytes, blocks });
    blocks.forEach((b, i) => {
      if (b.label === "CERTIFICATE") addDer(certs, `${source}#${i}`, b.der);
      else if (b.label === "X509 CRL") addDer(crls, `${source}#${i}`, b.der);
    });
  };
  const visitJson = (source: string, value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (value.includes("-----BEGIN ")) addPem(`${source}:${path}`, value);
      else if (/crl/i.test(path) && isHex(value)) addDer(crls, `${source}:${path}`, new Uint8Array(Buffer.from(value.replace(/^0x/, ""), "hex")));
      else if (/^[\[{]/.test(value)) {
        try { visitJson(source, JSON.parse(value), `${path}(json)`); } catch { /* not JSON */ }
      } else if (value.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(value)) {
        const decoded = Buffer.from(value, "base64").toString("latin1");
        if (decoded.startsWith("-----BEGIN ")) addPem(`${source}:${path}(b64)`, decoded);
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visitJson(source, v, `${path}[${i}]`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) visitJson(source, v, path ? `${path}.${k}` : k);
  };

  const files: string[] = [];
  walkFiles(FIXTURES, files);
  for (const file of files) {
    const rel = relative(FIXTURES, file);
    const ext = extname(file).toLowerCase();
    const bytes = new Uint8Array(readFileSync(file));
    const text = Buffer.from(bytes).toString("latin1");
    if (ext === ".json") {
      visitJson(rel, JSON.parse(text), "");
    } else if (ext === ".pem" || ext === ".crt") {
      addPem(rel, bytes);
    } else if (ext === ".xml" || ext === ".swidtag") {
      for (const m of text.matchAll(/<(?:\w+:)?X509Certificate>([^<]*)<\/(?:\w+:)?X509Certificate>/g)) {
        const body = m[1].replace(/\s+/g, "");
        if (/^[A-Za-z0-9+/]+={0,2}$/.test(body)) addDer(certs, `${rel}#x509`, new Uint8Array(Buffer.from(body, "base64")));
      }
    } else if (bytes.length > 0 && bytes[0] === 0x30 && (ext === ".der" || ext === "" || ext === ".cer")) {
      // DER: CRLs are named so (platform_crl.der, rootCaCrl.der, pckcrl, …); the rest are certificates.
      addDer(/crl/i.test(basename(file)) ? crls : certs, rel, bytes);
    } else if ((ext === ".dat" || ext === ".bin") && text.includes("-----BEGIN CERTIFICATE-----")) {
      // PCK chain inside a binary quote: the PEM text runs to the end (often followed by NUL padding).
      addPem(`${rel}(quote)`, bytes.subarray(text.indexOf("-----BEGIN CERTIFICATE-----")));
    }
  }
  return { certs: [...certs.values()], crls: [...crls.values()], pems };
}
