// A reusable test PKI for the simulated TEEs (src/sim): keys, X.509 v3 certificates and v2 CRLs built
// field by field and signed with node:crypto. Generic on purpose — ECDSA P-256/P-384 (Intel, NVIDIA)
// and RSA PKCS#1 v1.5 / PSS (AMD) — so every simulator issues its vendor's chain the same way; the
// vendor-specific parts (names, extensions, validity) are the caller's.
//
//   const root = issueCert(dn({ CN: "Test Root" }), "self", rootKey, [basicConstraints(true)], validity, 1n);
//   const leaf = issueCert(dn({ CN: "Leaf" }), root, leafKey, [basicConstraints(false)], validity, 2n);
//   const crl = issueCrl(root, [{ serial: 2n }], { thisUpdate, nextUpdate });
import { generateKeyPairSync, sign as nodeSign, constants, createHash, type KeyObject } from "node:crypto";
import {
  type Bytes, concat, seq, set, tlv, explicit, octets, bitString, bool, nullValue, integer, enumerated, oid, time,
  utf8String, printableString,
} from "./der";

export type KeyAlgorithm = "p256" | "p384" | "rsa2048" | "rsa3072" | "rsa4096";
export type SignatureScheme =
  | "ecdsa-sha256" | "ecdsa-sha384" | "rsa-pkcs1-sha256" | "rsa-pkcs1-sha384" | "rsa-pss-sha256" | "rsa-pss-sha384";

export interface SimKey {
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  spki: Bytes;
  /** EC keys: the SEC1 uncompressed point (0x04 || x || y); RSA: null. */
  point: Bytes | null;
}

export interface Validity { notBefore: number; notAfter: number }
export interface CrlValidity { thisUpdate: number; nextUpdate: number }

/** An issued certificate; also usable as the issuer of the next one. */
export interface SimCert {
  der: Bytes;
  pem: string;
  /** Subject Name DER (the issuer name of what this certificate signs). */
  subject: Bytes;
  key: SimKey;
  serial: bigint;
  validity: Validity;
}

/** Who signs: an issued certificate (or anything with its subject name and key), or "self". */
export type SimIssuer = { subject: Bytes; key: SimKey } | "self";

export interface SimCrl { der: Bytes; pem: string }

export const OID = {
  ecPublicKey: "1.2.840.10045.2.1", p256: "1.2.840.10045.3.1.7", p384: "1.3.132.0.34",
  ecdsaSha256: "1.2.840.10045.4.3.2", ecdsaSha384: "1.2.840.10045.4.3.3",
  rsaSha256: "1.2.840.113549.1.1.11", rsaSha384: "1.2.840.113549.1.1.12", rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8", sha256: "2.16.840.1.101.3.4.2.1", sha384: "2.16.840.1.101.3.4.2.2",
  basicConstraints: "2.5.29.19", keyUsage: "2.5.29.15", subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35", crlDistributionPoints: "2.5.29.31", crlNumber: "2.5.29.20", crlReason: "2.5.29.21",
} as const;

const NAME_ATTRIBUTES: Record<string, string> = {
  CN: "2.5.4.3", O: "2.5.4.10", OU: "2.5.4.11", L: "2.5.4.7", ST: "2.5.4.8", C: "2.5.4.6",
};

// ---------------------------------------------------------------------------------------------------
// Keys and signatures

export function createKey(algorithm: KeyAlgorithm = "p256"): SimKey {
  const pair = algorithm === "p256" || algorithm === "p384"
    ? generateKeyPairSync("ec", { namedCurve: algorithm === "p256" ? "prime256v1" : "secp384r1" })
    : generateKeyPairSync("rsa", { modulusLength: Number(algorithm.slice(3)) });
  const spki = new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" }));
  let point: Bytes | null = null;
  if (algorithm === "p256" || algorithm === "p384") {
    const jwk = pair.publicKey.export({ format: "jwk" });
    point = concat(new Uint8Array([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url"));
  }
  return { algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey, spki, point };
}

/** The scheme a vendor would use with this key (ECDSA with the curve's hash, RSA-PSS SHA-384 as AMD). */
export function defaultScheme(key: SimKey): SignatureScheme {
  if (key.algorithm === "p256") return "ecdsa-sha256";
  if (key.algorithm === "p384") return "ecdsa-sha384";
  return "rsa-pss-sha384";
}

function hashOf(scheme: SignatureScheme): "sha256" | "sha384" { return scheme.endsWith("sha256") ? "sha256" : "sha384"; }

/** Signs `data`; ECDSA signatures are DER (X.509) unless `raw` asks for r || s (fixed width). */
export function signData(key: SimKey, data: Bytes, scheme: SignatureScheme = defaultScheme(key), raw = false): Bytes {
  const hash = hashOf(scheme);
  if (scheme.startsWith("ecdsa")) {
    return new Uint8Array(nodeSign(hash, data, { key: key.privateKey, dsaEncoding: raw ? "ieee-p1363" : "der" }));
  }
  if (scheme.startsWith("rsa-pss")) {
    return new Uint8Array(nodeSign(hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash === "sha256" ? 32 : 48 }));
  }
  return new Uint8Array(nodeSign(hash, data, key.privateKey));
}

/** AlgorithmIdentifier of a signature scheme (PSS with explicit parameters, as AMD encodes them). */
export function signatureAlgorithm(scheme: SignatureScheme): Bytes {
  switch (scheme) {
    case "ecdsa-sha256": return seq(oid(OID.ecdsaSha256));
    case "ecdsa-sha384": return seq(oid(OID.ecdsaSha384));
    case "rsa-pkcs1-sha256": return seq(oid(OID.rsaSha256), nullValue());
    case "rsa-pkcs1-sha384": return seq(oid(OID.rsaSha384), nullValue());
    default: {
      const h = scheme === "rsa-pss-sha256" ? OID.sha256 : OID.sha384;
      const hashAlg = seq(oid(h), nullValue());
      return seq(oid(OID.rsaPss), seq(explicit(0, hashAlg), explicit(1, seq(oid(OID.mgf1), hashAlg)),
        explicit(2, integer(scheme === "rsa-pss-sha256" ? 32 : 48)), explicit(3, integer(1))));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Names and extensions

/** A distinguished name from attributes in the given order (CN, O, OU, L, ST, C). */
export function dn(attributes: Record<string, string>): Bytes {
  return seq(...Object.entries(attributes).map(([k, v]) => {
    const id = NAME_ATTRIBUTES[k];
    if (!id) throw new Error(`dn: unknown attribute ${k}`);
    return set(seq(oid(id), k === "C" ? printableString(v) : utf8String(v)));
  }));
}

export function extension(id: string, value: Bytes, critical = false): Bytes {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

export function basicConstraints(ca: boolean, pathLength?: number): Bytes {
  const fields = ca ? [bool(true), ...(pathLength === undefined ? [] : [integer(pathLength)])] : [];
  return extension(OID.basicConstraints, seq(...fields), true);
}

const KEY_USAGE_BITS = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
  "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"] as const;
export type KeyUsage = typeof KEY_USAGE_BITS[number];

export function keyUsage(...usages: KeyUsage[]): Bytes {
  let v = 0;
  for (const u of usages) v |= 1 << KEY_USAGE_BITS.indexOf(u);
  const bytes = v > 0xff ? [(v & 0xff), v >> 8] : [v & 0xff];
  // DER: bits numbered from the MSB of the first byte; trailing zero bits are unused.
  const reversed = bytes.map((b) => { let r = 0; for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i; return r; });
  while (reversed.length > 1 && reversed[reversed.length - 1] === 0) reversed.pop();
  const last = reversed[reversed.length - 1];
  let unused = 0;
  while (unused < 7 && last !== 0 && (last & (1 << unused)) === 0) unused++;
  return extension(OID.keyUsage, bitString(new Uint8Array(reversed), unused), true);
}

/** RFC 5280 method 1: SHA-1 of the public key bits (we use SHA-256 truncated to 20 bytes). */
export function keyIdentifier(key: SimKey): Bytes {
  return new Uint8Array(createHash("sha256").update(key.spki).digest().subarray(0, 20));
}

export const subjectKeyIdentifier = (key: SimKey): Bytes => extension(OID.subjectKeyIdentifier, octets(keyIdentifier(key)));
export const authorityKeyIdentifier = (issuerKey: SimKey): Bytes =>
  extension(OID.authorityKeyIdentifier, seq(tlv(0x80, keyIdentifier(issuerKey))));
export const crlDistributionPoint = (url: string): Bytes =>
  extension(OID.crlDistributionPoints, seq(seq(explicit(0, explicit(0, tlv(0x86, new TextEncoder().encode(url)))))));

// ---------------------------------------------------------------------------------------------------
// Certificates and CRLs

export function toPem(der: Bytes, label: string): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function signed(tbs: Bytes, key: SimKey, scheme: SignatureScheme): Bytes {
  return seq(tbs, signatureAlgorithm(scheme), bitString(signData(key, tbs, scheme)));
}

/**
 * An X.509 v3 certificate for `key`'s public key, named `subject`, signed by `issuer` (or by `key`
 * itself for "self"). `extensions` are complete Extension DERs (see the helpers above).
 */
export function issueCert(subject: Bytes, issuer: SimIssuer, key: SimKey, extensions: Bytes[], validity: Validity,
  serial: bigint, scheme?: SignatureScheme): SimCert {
  const issuerName = issuer === "self" ? subject : issuer.subject;
  const signer = issuer === "self" ? key : issuer.key;
  const alg = scheme ?? defaultScheme(signer);
  const tbs = seq(
    explicit(0, integer(2)), integer(serial), signatureAlgorithm(alg), issuerName,
    seq(time(validity.notBefore), time(validity.notAfter)), subject, key.spki,
    ...(extensions.length > 0 ? [explicit(3, seq(...extensions))] : []),
  );
  const der = signed(tbs, signer, alg);
  return { der, pem: toPem(der, "CERTIFICATE"), subject, key, serial, validity };
}

export interface RevokedEntry { serial: bigint; revokedAt?: number; reason?: number }

/** An X.509 v2 CRL by `issuer` listing `revoked`, with a CRL number and the issuer's key identifier. */
export function issueCrl(issuer: { subject: Bytes; key: SimKey }, revoked: Array<bigint | RevokedEntry>, validity: CrlValidity,
  options: { crlNumber?: bigint; scheme?: SignatureScheme } = {}): SimCrl {
  const alg = options.scheme ?? defaultScheme(issuer.key);
  const entries = revoked.map((r) => {
    const e = typeof r === "bigint" ? { serial: r } : r;
    const ext = e.reason === undefined ? [] : [seq(extension(OID.crlReason, enumerated(e.reason)))];
    return seq(integer(e.serial), time(e.revokedAt ?? validity.thisUpdate), ...ext);
  });
  const tbs = seq(
    integer(1), signatureAlgorithm(alg), issuer.subject, time(validity.thisUpdate), time(validity.nextUpdate),
    ...(entries.length > 0 ? [seq(...entries)] : []),
    explicit(0, seq(extension(OID.crlNumber, integer(options.crlNumber ?? 1n)), authorityKeyIdentifier(issuer.key))),
  );
  const der = signed(tbs, issuer.key, alg);
  return { der, pem: toPem(der, "X509 CRL"), };
}

/** A random positive serial of `bytes` bytes (certificate serials are usually 16–20 random bytes). */
export function randomSerial(bytes = 16): bigint {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  b[0] &= 0x7f;
  b[0] |= 0x01;
  return BigInt("0x" + Buffer.from(b).toString("hex"));
}
