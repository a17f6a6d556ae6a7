// The trust anchor of NVIDIA RIM signatures: "NVIDIA CoRIM signing Root CA" (P-384, self-signed,
// 2023-03-16 .. 2053-03-08; nvtrust verifier_RIM_root.pem = attestation-sdk rim_root.crt). It is pinned
// by its SubjectPublicKeyInfo: a chain is anchored when its top certificate is signed by this key and
// names this subject; the chain's own copy of the root is only accepted if it carries the same key.
// A different root (tests) is used only when passed explicitly (--root).
import { X509Certificate, createHash } from "node:crypto";
import { wasmX509Parse, isParseError, type X509Certificate as ParsedCert } from "../wasm/x509";
import { rimFail } from "./errors";

export const NVIDIA_CORIM_ROOT_PEM = `-----BEGIN CERTIFICATE-----
MIICKTCCAbCgAwIBAgIQRdrjoA5QN73fh1N17LXicDAKBggqhkjOPQQDAzBFMQsw
CQYDVQQGEwJVUzEPMA0GA1UECgwGTlZJRElBMSUwIwYDVQQDDBxOVklESUEgQ29S
SU0gc2lnbmluZyBSb290IENBMCAXDTIzMDMxNjE1MzczNFoYDzIwNTMwMzA4MTUz
NzM0WjBFMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGTlZJRElBMSUwIwYDVQQDDBxO
VklESUEgQ29SSU0gc2lnbmluZyBSb290IENBMHYwEAYHKoZIzj0CAQYFK4EEACID
YgAEuECyi9vNM+Iw2lfUzyBldHAwaC1HF7TCgp12QcEyUTm3Tagxwr48d55+K2VI
lWYIDk7NlAIQdcV/Ff7euGLI+Qauj93HsSI4WX298PpW54RTgz9tC+Q684caR/BX
WEeZo2MwYTAdBgNVHQ4EFgQUpaXrOPK4ZDAk08DBskn594zeZjAwHwYDVR0jBBgw
FoAUpaXrOPK4ZDAk08DBskn594zeZjAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8B
Af8EBAMCAQYwCgYIKoZIzj0EAwMDZwAwZAIwHGDyscDP6ihHqRvZlI3eqZ4YkvjE
1duaN84tAHRVgxVMvNrp5Tnom3idHYGW/dskAjATvjIx6VzHm/4e2GiZAyZEIUBD
OKPzp5ei/A0iUZpdvngenDwV8Qa/wGdiTmJ7Bp4=
-----END CERTIFICATE-----
`;

/** SHA-256 of the pinned root's SubjectPublicKeyInfo (spec nvidia.md §3, fixtures MANIFEST). */
export const NVIDIA_CORIM_ROOT_SPKI_SHA256 = "dec1dc316477aa851eebdf51327ae9f864bc8d89254657ed1e7eb9168af1e1a3";

/** A parsed certificate: node:crypto for signatures, the project's X.509 parser for the fields. */
export interface RimCert {
  der: Uint8Array;
  node: X509Certificate;
  fields: ParsedCert;
  /** Hex SHA-256 of the SubjectPublicKeyInfo DER. */
  spkiSha256: string;
}

/** Parses one DER certificate; null if either parser refuses it. */
export function parseRimCert(der: Uint8Array): RimCert | null {
  let node: X509Certificate;
  try {
    node = new X509Certificate(Buffer.from(der));
  } catch {
    return null;
  }
  const fields = wasmX509Parse(der);
  if (isParseError(fields)) return null;
  const spki = Buffer.from(fields.public_key.spki, "hex");
  return { der, node, fields, spkiSha256: createHash("sha256").update(spki).digest("hex") };
}

export const isP384 = (c: RimCert): boolean => c.fields.public_key.kind === "ec" && c.fields.public_key.curve === "P-384";
export const signedWithEcdsaSha384 = (c: RimCert): boolean => c.fields.signature_algorithm.name === "ecdsa-with-SHA384";
const KEY_USAGE_KEY_CERT_SIGN = 1 << 5;

/** The trust anchor: the pinned NVIDIA root, or an explicitly given test root (PEM or DER). */
export function loadRimRoot(pem?: string | Uint8Array): RimCert {
  const input = pem === undefined ? NVIDIA_CORIM_ROOT_PEM : pem;
  const text = typeof input === "string" ? input : Buffer.from(input).toString("latin1");
  let der: Uint8Array;
  if (text.includes("-----BEGIN")) {
    const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)];
    if (blocks.length !== 1) rimFail("RIM_ROOT_INVALID", `the root must be exactly one PEM certificate (found ${blocks.length})`);
    der = new Uint8Array(Buffer.from(blocks[0][1].replace(/\s+/g, ""), "base64"));
  } else {
    if (typeof input === "string") return rimFail("RIM_ROOT_INVALID", "the root is neither PEM nor DER");
    der = input;
  }
  const root = parseRimCert(der);
  if (root === null) return rimFail("RIM_ROOT_INVALID", "the root is not a parsable X.509 certificate");
  if (!isP384(root)) rimFail("RIM_ROOT_INVALID", `root ${root.fields.subject.cn ?? "?"} has no P-384 key`);
  const bc = root.fields.basic_constraints;
  const ku = root.fields.key_usage;
  if (bc === null || !bc.ca || (ku !== null && (ku & KEY_USAGE_KEY_CERT_SIGN) === 0)) {
    rimFail("RIM_ROOT_INVALID", `root ${root.fields.subject.cn ?? "?"} is not a CA certificate (basicConstraints CA / keyCertSign)`);
  }
  if (pem === undefined && root.spkiSha256 !== NVIDIA_CORIM_ROOT_SPKI_SHA256) {
    throw new Error("embedded NVIDIA CoRIM root does not match its pinned key hash"); // a build defect, not input
  }
  return root;
}
