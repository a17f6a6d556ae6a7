// The RIM signer's certificate chain, as embedded in ds:KeyInfo/X509Data (signer first: "HCC RIM L4
// Signer" -> "NVIDIA Reference Value L3 …" -> "NVIDIA Reference Value … CA" -> "NVIDIA CoRIM signing Root
// CA"), validated up to the pinned root by key. Order of checks, so each broken fixture gets its own
// code: algorithms -> links (issuer name + signature, RIM_CHAIN_INVALID) -> anchor (RIM_ROOT_UNTRUSTED)
// -> roles (basic constraints, key usage, path length, critical extensions) -> validity at `at`.
import { type RimCert, isP384, signedWithEcdsaSha384 } from "./roots";
import { rimFail } from "./errors";

/** More certificates than any NVIDIA RIM carries (4) but enough for a re-organised hierarchy. */
const MAX_CHAIN = 8;
const KU_DIGITAL_SIGNATURE = 1 << 0;
const KU_KEY_CERT_SIGN = 1 << 5;
/** Extensions whose meaning this check covers (or which do not restrict use): critical ones are fine. */
const UNDERSTOOD_EXTENSIONS = new Set([
  "2.5.29.19", // basicConstraints
  "2.5.29.15", // keyUsage
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.35", // authorityKeyIdentifier
  "2.5.29.31", // cRLDistributionPoints
  "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
  "2.5.29.32", // certificatePolicies (any policy accepted)
  "2.5.29.17", // subjectAltName
]);

export interface RimChain {
  /** Signer first, then the intermediates; the anchor is separate. */
  path: RimCert[];
  anchor: RimCert;
}

const cn = (c: RimCert): string => c.fields.subject.cn ?? c.node.subject.replace(/\n/g, ", ");

function issuedBy(child: RimCert, issuer: RimCert): boolean {
  return child.fields.issuer.raw === issuer.fields.subject.raw && child.node.verify(issuer.node.publicKey);
}

const isSelfSigned = (c: RimCert): boolean => issuedBy(c, c);

/** Walks certs[0..] until a certificate the anchor issued; returns the path (without the anchor). */
function buildPath(certs: RimCert[], anchor: RimCert): RimCert[] {
  const path: RimCert[] = [];
  for (let i = 0; ; i++) {
    const cur = certs[i];
    if (cur.spkiSha256 === anchor.spkiSha256) rimFail("RIM_CHAIN_INVALID", `certificate ${i} (${cn(cur)}) is the root itself, not a signer or intermediate`);
    path.push(cur);
    if (issuedBy(cur, anchor)) {
      const rest = certs.slice(i + 1);
      // NVIDIA ships its copy of the root last; accepted only when it is the pinned key.
      if (rest.length > 1 || (rest.length === 1 && rest[0].spkiSha256 !== anchor.spkiSha256)) {
        rimFail("RIM_CHAIN_INVALID", `unexpected certificate(s) after ${cn(cur)}, which the pinned root issued`);
      }
      return path;
    }
    const next = certs[i + 1];
    if (next === undefined) {
      return rimFail("RIM_ROOT_UNTRUSTED", `chain ends at ${cn(cur)} (issuer ${cur.fields.issuer.cn ?? "?"}), which the pinned root ${cn(anchor)} did not issue`);
    }
    if (cur.fields.issuer.raw !== next.fields.subject.raw) {
      rimFail("RIM_CHAIN_INVALID", `${cn(cur)} names issuer "${cur.fields.issuer.cn ?? "?"}" but the next certificate is "${cn(next)}"`);
    }
    if (!cur.node.verify(next.node.publicKey)) rimFail("RIM_CHAIN_INVALID", `signature of ${cn(cur)} does not verify under ${cn(next)}`);
    if (isSelfSigned(next)) {
      rimFail("RIM_ROOT_UNTRUSTED", `chain ends at self-signed ${cn(next)} (SPKI SHA-256 ${next.spkiSha256}), not the pinned root ${cn(anchor)} (${anchor.spkiSha256})`);
    }
  }
}

function checkRoles(path: RimCert[], anchor: RimCert): void {
  const signer = path[0];
  const sbc = signer.fields.basic_constraints;
  if (sbc !== null && sbc.ca) rimFail("RIM_CERT_KEY_USAGE", `signer ${cn(signer)} is a CA certificate`);
  const sku = signer.fields.key_usage;
  if (sku !== null && (sku & KU_DIGITAL_SIGNATURE) === 0) rimFail("RIM_CERT_KEY_USAGE", `signer ${cn(signer)} key usage lacks digitalSignature`);
  const issuers = [...path.slice(1), anchor];
  issuers.forEach((ca, j) => {
    const bc = ca.fields.basic_constraints;
    if (bc === null || !bc.ca) rimFail("RIM_CERT_KEY_USAGE", `${cn(ca)} issues certificates but is not a CA (basicConstraints)`);
    const ku = ca.fields.key_usage;
    if (ku !== null && (ku & KU_KEY_CERT_SIGN) === 0) rimFail("RIM_CERT_KEY_USAGE", `${cn(ca)} key usage lacks keyCertSign`);
    // j = number of intermediate CAs between the signer and this CA.
    if (bc.path_len !== null && j > bc.path_len) rimFail("RIM_CERT_KEY_USAGE", `${cn(ca)} allows path length ${bc.path_len}, chain needs ${j}`);
  });
  for (const c of [...path, anchor]) {
    const unknown = c.fields.extensions.find((e) => e.critical && !UNDERSTOOD_EXTENSIONS.has(e.oid));
    if (unknown) rimFail("RIM_CERT_CRITICAL_EXTENSION", `${cn(c)} has critical extension ${unknown.oid}`);
  }
}

function checkValidity(path: RimCert[], anchor: RimCert, at: number): void {
  const iso = (t: number): string => new Date(t * 1000).toISOString();
  for (const c of [...path, anchor]) {
    if (at < c.fields.not_before) rimFail("RIM_CERT_NOT_YET_VALID", `${cn(c)} is valid from ${iso(c.fields.not_before)}, check time ${iso(at)}`);
    if (at > c.fields.not_after) rimFail("RIM_CERT_EXPIRED", `${cn(c)} expired ${iso(c.fields.not_after)}, check time ${iso(at)}`);
  }
}

/** Validates the embedded chain against the anchor at Unix time `at`; throws RimError. */
export function verifyRimChain(certs: RimCert[], anchor: RimCert, at: number): RimChain {
  if (certs.length === 0) rimFail("RIM_CERT_MALFORMED", "KeyInfo carries no certificate");
  if (certs.length > MAX_CHAIN) rimFail("RIM_CHAIN_INVALID", `KeyInfo carries ${certs.length} certificates (at most ${MAX_CHAIN})`);
  for (const c of certs) {
    if (!isP384(c) || !signedWithEcdsaSha384(c)) {
      rimFail("RIM_CERT_UNSUPPORTED_ALGORITHM", `${cn(c)}: key ${c.fields.public_key.kind === "ec" ? c.fields.public_key.curve : c.fields.public_key.kind}, signature ${c.fields.signature_algorithm.name} (need P-384, ecdsa-with-SHA384)`);
    }
  }
  const path = buildPath(certs, anchor);
  checkRoles(path, anchor);
  checkValidity(path, anchor, at);
  return { path, anchor };
}
