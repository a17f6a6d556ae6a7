// Typed wrappers for the DER / PEM / X.509 / CRL exports of verifier.wasm (assembly/exports/x509.ts).
// Binary fields come back as lowercase hex; offsets index the DER that was passed in.
import { run, put, putString, takeJson, callExport } from "./loader";

export interface ParseError { error: string; detail?: string }

export interface X509Algorithm {
  oid: string;
  /** "ecdsa-with-SHA256", "sha384WithRSAEncryption", "rsassa-pss", ... */
  name: string;
  hash: "sha256" | "sha384" | "sha512";
  /** The whole AlgorithmIdentifier DER. */
  der: string;
  pss?: { mgf1_hash: string; salt_length: number; trailer_field: number; trailer_explicit: boolean };
}

export interface X509NameAttribute { oid: string; tag: number; value?: string; value_hex?: string }
export interface X509Name { raw: string; cn: string | null; attributes: X509NameAttribute[] }

export type X509PublicKey =
  | { kind: "ec"; curve: "P-256" | "P-384"; point: string; spki: string; spki_start: number; spki_end: number }
  | { kind: "rsa"; modulus: string; exponent: string; spki: string; spki_start: number; spki_end: number };

export interface X509Extension { oid: string; critical: boolean; value: string }

export interface X509Certificate {
  version: number;
  serial: string;
  tbs_start: number;
  tbs_end: number;
  signature_algorithm: X509Algorithm;
  issuer: X509Name;
  subject: X509Name;
  /** Unix seconds. */
  not_before: number;
  not_after: number;
  public_key: X509PublicKey;
  extensions: X509Extension[];
  basic_constraints: { ca: boolean; path_len: number | null } | null;
  /** Bit i set = KeyUsage bit i (0 digitalSignature, 5 keyCertSign, 6 cRLSign). */
  key_usage: number | null;
  subject_key_id: string | null;
  authority_key_id: string | null;
  signature: string;
}

export interface X509Crl {
  version: number;
  tbs_start: number;
  tbs_end: number;
  signature_algorithm: X509Algorithm;
  issuer: X509Name;
  this_update: number;
  next_update: number | null;
  revoked: { serial: string; date: number }[];
  extensions: X509Extension[];
  authority_key_id: string | null;
  signature: string;
}

export interface DerWalk { ok: true; nodes: number; max_depth: number; integers: number; oids: number; times: number; depth_limit: number }

export function isParseError(value: object): value is ParseError {
  return typeof (value as ParseError).error === "string";
}

export function wasmX509Parse(der: Uint8Array): X509Certificate | ParseError {
  return run((w) => takeJson<X509Certificate | ParseError>(w, callExport(w, "x509_parse", ...put(w, der))));
}

/** Every certificate of a PEM chain, in order (tbs/spki offsets index each certificate's own DER). */
export function wasmX509ParsePem(text: string | Uint8Array): X509Certificate[] | ParseError {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const result = run((w) => takeJson<{ certificates: X509Certificate[] } | ParseError>(w, callExport(w, "x509_parse_pem", ...put(w, bytes))));
  return isParseError(result) ? result : result.certificates;
}

export function wasmX509Extension(der: Uint8Array, oid: string): { found: boolean; critical?: boolean; value?: string } | ParseError {
  return run((w) => {
    const [p, n] = put(w, der);
    const [op, on] = putString(w, oid);
    return takeJson(w, callExport(w, "x509_extension", p, n, op, on));
  });
}

export function wasmCrlParse(der: Uint8Array): X509Crl | ParseError {
  return run((w) => takeJson<X509Crl | ParseError>(w, callExport(w, "crl_parse", ...put(w, der))));
}

/** true / false, or null when the CRL does not parse. */
export function wasmCrlIsRevoked(crl: Uint8Array, serial: Uint8Array): boolean | null {
  return run((w) => {
    const [p, n] = put(w, crl);
    const [sp, sn] = put(w, serial);
    const result = callExport(w, "crl_is_revoked", p, n, sp, sn);
    return result < 0 ? null : result === 1;
  });
}

export interface PemBlock { label: string; der: Uint8Array }

/** All PEM blocks in the text, or a ParseError (also when there is none: PEM_NO_BLOCKS). */
export function wasmPemDecode(text: string | Uint8Array): PemBlock[] | ParseError {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const result = run((w) => takeJson<{ blocks: { label: string; der: string }[] } | ParseError>(w, callExport(w, "pem_decode", ...put(w, bytes))));
  if (isParseError(result)) return result;
  return result.blocks.map((b) => ({ label: b.label, der: Uint8Array.from(Buffer.from(b.der, "hex")) }));
}

export function wasmDerWalk(der: Uint8Array): DerWalk | ParseError {
  return run((w) => takeJson<DerWalk | ParseError>(w, callExport(w, "der_walk", ...put(w, der))));
}
