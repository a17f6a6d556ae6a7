// Verifies one NVIDIA RIM (ISO SWID XML with an enveloped XMLDSig, ECDSA P-384 / SHA-384, C14N 1.1) and
// returns the exact XML the signature covers. Layout is checked before any cryptography so that the
// signature can only be one thing: a single ds:Signature, child of the SoftwareIdentity root, with one
// Reference URI="" and the enveloped transform, i.e. the whole document except the signature itself.
// Nothing may hide in ds:Object or KeyInfo, and callers read the measurements from the canonical XML
// xml-crypto digested (getSignedReferences), never from the document they were handed.
// Then: signer chain to the pinned root (chain.ts), validity at `at`, digest, signature value.
import { createHash, verify as nodeVerify } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml, C14nCanonicalization, type SignatureAlgorithm, type HashAlgorithm } from "xml-crypto";
import { rimFail, RimError } from "./errors";
import { parseRimCert, type RimCert } from "./roots";
import { verifyRimChain, type RimChain } from "./chain";

export const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
export const SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
export const C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
export const C14N_11 = "http://www.w3.org/2006/12/xml-c14n11";
export const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const ECDSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
export const DIGEST_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
const CANONICALIZATIONS = new Set([C14N_10, C14N_11]);
/** RIMs are ~17-25 KB; anything this large is not one. */
export const MAX_RIM_BYTES = 4 * 1024 * 1024;
const DSIG_ELEMENT_NAMES = new Set([
  "Signature", "SignedInfo", "SignatureValue", "KeyInfo", "Reference", "Transforms", "Transform", "DigestMethod",
  "DigestValue", "CanonicalizationMethod", "SignatureMethod", "X509Data", "X509Certificate", "Object", "Manifest",
]);

const ELEMENT_NODE = 1, TEXT_NODE = 3, CDATA_NODE = 4, COMMENT_NODE = 8, DOCTYPE_NODE = 10;

type XNode = { nodeType: number; localName?: string | null; namespaceURI?: string | null; childNodes: ArrayLike<XNode>; parentNode: XNode | null; nodeValue?: string | null; textContent?: string | null };
type XElement = XNode & { localName: string; attributes: ArrayLike<{ name: string; prefix?: string | null; localName?: string | null; namespaceURI?: string | null; value: string }>; getAttribute(n: string): string | null; hasAttribute(n: string): boolean };
type XDocument = XNode & { documentElement: XElement | null };

/** Parses XML strictly: any xmldom warning or error, or a DOCTYPE, is MALFORMED_RIM. */
export function parseXmlStrict(text: string, what: string): XDocument {
  const problems: string[] = [];
  let doc: XDocument;
  try {
    const parser = new DOMParser({ onError: (level: string, message: string) => { problems.push(`${level}: ${message}`); } });
    doc = parser.parseFromString(text, "text/xml") as unknown as XDocument;
  } catch (err) {
    return rimFail("MALFORMED_RIM", `${what} is not well-formed XML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (problems.length > 0) rimFail("MALFORMED_RIM", `${what} is not well-formed XML: ${problems[0].split("\n")[0]}`);
  for (const n of Array.from(doc.childNodes)) {
    if (n.nodeType === DOCTYPE_NODE) rimFail("MALFORMED_RIM", `${what} has a DOCTYPE (entities are not allowed in RIMs)`);
  }
  if (!doc.documentElement) rimFail("MALFORMED_RIM", `${what} has no root element`);
  return doc;
}

export const elementChildren = (n: XNode): XElement[] => Array.from(n.childNodes).filter((c) => c.nodeType === ELEMENT_NODE) as XElement[];

function* allElements(n: XNode): Generator<XElement> {
  for (const c of elementChildren(n)) {
    yield c;
    yield* allElements(c);
  }
}

const isDsig = (e: XElement, name: string): boolean => e.namespaceURI === DSIG_NS && e.localName === name;

/** Element children must be exactly `names` (DSIG namespace, in order); other content only whitespace/comments. */
function expectChildren(parent: XElement, names: string[], what: string): XElement[] {
  for (const c of Array.from(parent.childNodes)) {
    const textual = c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE;
    if (textual && (c.nodeValue ?? "").trim() !== "") rimFail("RIM_SIGNATURE_SCOPE", `${what} contains text`);
    if (c.nodeType !== ELEMENT_NODE && !textual && c.nodeType !== COMMENT_NODE) rimFail("RIM_SIGNATURE_SCOPE", `${what} contains an unexpected node`);
  }
  const kids = elementChildren(parent);
  const got = kids.map((k) => (k.namespaceURI === DSIG_NS ? k.localName : `{${k.namespaceURI ?? ""}}${k.localName}`));
  if (got.length !== names.length || got.some((g, i) => g !== names[i])) {
    rimFail("RIM_SIGNATURE_SCOPE", `${what} must contain exactly ${names.join(", ")}; found ${got.join(", ") || "nothing"}`);
  }
  return kids;
}

/** Text-only element content (DigestValue, SignatureValue, X509Certificate). */
function textOnly(e: XElement, what: string): string {
  const kids = Array.from(e.childNodes);
  if (kids.some((k) => k.nodeType !== TEXT_NODE)) rimFail("RIM_SIGNATURE_SCOPE", `${what} must contain only text`);
  return kids.map((k) => k.nodeValue ?? "").join("");
}

function algorithmOf(e: XElement, what: string): string {
  const a = e.getAttribute("Algorithm");
  if (a === null) return rimFail("RIM_UNSUPPORTED_ALGORITHM", `${what} has no Algorithm`);
  if (elementChildren(e).length > 0) rimFail("RIM_SIGNATURE_SCOPE", `${what} has parameters`);
  return a;
}

function strictBase64(text: string, what: string, code: "RIM_CERT_MALFORMED" | "RIM_SIGNATURE_INVALID"): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) rimFail(code, `${what} is not base64`);
  return Buffer.from(compact, "base64");
}

export interface SignatureLayout {
  signature: XElement;
  canonicalization: string;
  certs: RimCert[];
}

/** Checks where the signature is, what it covers and which algorithms it uses; parses KeyInfo's certificates. */
export function checkSignatureLayout(doc: XDocument): SignatureLayout {
  const root = doc.documentElement!;
  if (root.localName !== "SoftwareIdentity" || root.namespaceURI !== SWID_NS) {
    rimFail("MALFORMED_RIM", `root element is {${root.namespaceURI ?? ""}}${root.localName}, not a SWID SoftwareIdentity`);
  }
  const signatures: XElement[] = [];
  for (const e of allElements(root)) if (isDsig(e, "Signature") || e.localName === "Signature") signatures.push(e);
  if (signatures.length === 0) rimFail("RIM_UNSIGNED", "the RIM has no ds:Signature");
  if (signatures.length > 1) rimFail("RIM_MULTIPLE_SIGNATURES", `the RIM has ${signatures.length} Signature elements`);
  const signature = signatures[0];
  if (!isDsig(signature, "Signature")) rimFail("RIM_SIGNATURE_SCOPE", "the Signature element is not in the XMLDSig namespace");
  if (signature.parentNode !== root) rimFail("RIM_SIGNATURE_SCOPE", "ds:Signature is not a child of the SoftwareIdentity root");
  // Signature-looking elements elsewhere could steer xml-crypto's by-name lookups.
  for (const e of allElements(root)) {
    if (e === signature) continue;
    let inside = false;
    for (let p: XNode | null = e.parentNode; p !== null; p = p.parentNode) if (p === signature) { inside = true; break; }
    if (!inside && (e.namespaceURI === DSIG_NS || DSIG_ELEMENT_NAMES.has(e.localName))) {
      rimFail("RIM_SIGNATURE_SCOPE", `XMLDSig element ${e.localName} outside ds:Signature`);
    }
  }
  const [signedInfo, signatureValue, keyInfo] = expectChildren(signature, ["SignedInfo", "SignatureValue", "KeyInfo"], "ds:Signature");
  const [c14n, sigMethod, reference] = expectChildren(signedInfo, ["CanonicalizationMethod", "SignatureMethod", "Reference"], "ds:SignedInfo");
  const canonicalization = algorithmOf(c14n, "CanonicalizationMethod");
  if (!CANONICALIZATIONS.has(canonicalization)) rimFail("RIM_UNSUPPORTED_ALGORITHM", `canonicalization ${canonicalization}`);
  const sigAlg = algorithmOf(sigMethod, "SignatureMethod");
  if (sigAlg !== ECDSA_SHA384) rimFail("RIM_UNSUPPORTED_ALGORITHM", `signature method ${sigAlg} (need ecdsa-sha384)`);
  if (reference.getAttribute("URI") !== "") rimFail("RIM_SIGNATURE_SCOPE", `Reference URI is ${reference.hasAttribute("URI") ? `"${reference.getAttribute("URI")}"` : "absent"}, not "" (the whole document)`);
  const [transforms, digestMethod, digestValue] = expectChildren(reference, ["Transforms", "DigestMethod", "DigestValue"], "ds:Reference");
  const transformList = elementChildren(transforms).map((t, i) => {
    if (!isDsig(t, "Transform")) rimFail("RIM_SIGNATURE_SCOPE", "ds:Transforms holds a non-Transform element");
    return algorithmOf(t, `Transform ${i}`);
  });
  expectChildren(transforms, transformList.map(() => "Transform"), "ds:Transforms");
  const scopeOk = transformList[0] === ENVELOPED && (transformList.length === 1 || (transformList.length === 2 && CANONICALIZATIONS.has(transformList[1])));
  if (!scopeOk) rimFail("RIM_SIGNATURE_SCOPE", `Reference transforms ${transformList.join(", ")} (need enveloped-signature, then optionally C14N)`);
  const digestAlg = algorithmOf(digestMethod, "DigestMethod");
  if (digestAlg !== DIGEST_SHA384) rimFail("RIM_UNSUPPORTED_ALGORITHM", `digest method ${digestAlg} (need sha384)`);
  textOnly(digestValue, "DigestValue");
  textOnly(signatureValue, "SignatureValue");
  // C14N 1.1 is run as C14N 1.0; the two differ only in how xml:* attributes are inherited/fixed up.
  if ([canonicalization, ...transformList].includes(C14N_11)) {
    for (const e of [root, ...allElements(root)]) {
      const xmlAttr = Array.from(e.attributes).find((a) => a.prefix === "xml");
      if (xmlAttr) rimFail("RIM_UNSUPPORTED_ALGORITHM", `attribute ${xmlAttr.name}: C14N 1.1 with xml:* attributes is not supported`);
    }
  }
  const [x509Data] = expectChildren(keyInfo, ["X509Data"], "ds:KeyInfo");
  const certElements = elementChildren(x509Data);
  if (certElements.length === 0) rimFail("RIM_CERT_MALFORMED", "X509Data has no X509Certificate");
  expectChildren(x509Data, certElements.map(() => "X509Certificate"), "ds:X509Data");
  const certs = certElements.map((e, i) => {
    const cert = parseRimCert(new Uint8Array(strictBase64(textOnly(e, `X509Certificate ${i}`), `X509Certificate ${i}`, "RIM_CERT_MALFORMED")));
    if (cert === null) return rimFail("RIM_CERT_MALFORMED", `X509Certificate ${i} is not a valid certificate`);
    return cert;
  });
  return { signature, canonicalization, certs };
}

class C14n11AsC14n10 extends C14nCanonicalization {
  getAlgorithmName(): string { return C14N_11; }
}

class Sha384Digest implements HashAlgorithm {
  getHash(xml: string): string { return createHash("sha384").update(xml, "utf8").digest("base64"); }
  getAlgorithmName(): string { return DIGEST_SHA384; }
}

/** Runs xml-crypto with only our algorithms; returns the canonical XML of the one signed Reference. */
function checkXmlSignature(xml: string, layout: SignatureLayout, signer: RimCert): string {
  const outcome = { called: false };
  const signerKey = signer.node.publicKey;
  class EcdsaSha384Raw implements SignatureAlgorithm {
    getSignature(): string { throw new Error("signing is not supported"); }
    verifySignature(material: string, _key: unknown, signatureValue: string): boolean {
      outcome.called = true;
      const sig = strictBase64(signatureValue, "SignatureValue", "RIM_SIGNATURE_INVALID");
      if (sig.length !== 96) rimFail("RIM_SIGNATURE_INVALID", `SignatureValue is ${sig.length} bytes, not the 96 of a raw P-384 r||s`);
      return nodeVerify("sha384", Buffer.from(material, "utf8"), { key: signerKey, dsaEncoding: "ieee-p1363" }, sig);
    }
    getAlgorithmName(): string { return ECDSA_SHA384; }
  }
  const sx = new SignedXml({ getCertFromKeyInfo: () => signer.node.toString() });
  sx.SignatureAlgorithms = { [ECDSA_SHA384]: EcdsaSha384Raw };
  sx.HashAlgorithms = { [DIGEST_SHA384]: Sha384Digest };
  sx.CanonicalizationAlgorithms[C14N_11] = C14n11AsC14n10;
  let valid: boolean;
  try {
    sx.loadSignature(layout.signature as unknown as Node);
    valid = sx.checkSignature(xml);
  } catch (err) {
    if (err instanceof RimError) throw err;
    if (outcome.called) return rimFail("RIM_SIGNATURE_INVALID", `SignatureValue does not verify under the signer key (${signer.fields.subject.cn ?? "?"})`);
    return rimFail("MALFORMED_RIM", `XML signature could not be processed: ${(err as Error).message.slice(0, 200)}`);
  }
  if (!valid) rimFail("RIM_DIGEST_MISMATCH", "the signed content does not match the Reference digest (the RIM was modified)");
  const signed = sx.getSignedReferences();
  if (signed.length !== 1) rimFail("RIM_SIGNATURE_SCOPE", `expected one signed reference, got ${signed.length}`);
  return signed[0];
}

export interface VerifiedSignature {
  /** The canonical XML the signature covers: the SoftwareIdentity without its ds:Signature. */
  signedXml: string;
  chain: RimChain;
  canonicalization: string;
}

/** Verifies layout, chain (at Unix time `at`) and signature of one RIM; throws RimError. */
export function verifyRimSignature(xml: string, anchor: RimCert, at: number): VerifiedSignature {
  if (xml.length > MAX_RIM_BYTES) rimFail("MALFORMED_RIM", `RIM is ${xml.length} bytes (limit ${MAX_RIM_BYTES})`);
  const doc = parseXmlStrict(xml, "RIM");
  const layout = checkSignatureLayout(doc);
  const chain = verifyRimChain(layout.certs, anchor, at);
  const signedXml = checkXmlSignature(xml, layout, chain.path[0]);
  return { signedXml, chain, canonicalization: layout.canonicalization };
}
