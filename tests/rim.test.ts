// The RIM governance tool (src/rim, `tee-attest rim extract`) on the real NVIDIA RIMs of
// fixtures/nvidia: every outcome index.json records (signature, chain, validity, product, version,
// active indices) is reproduced; the tampered / expired / mis-chained / re-signed RIMs are refused with
// distinct codes; layout attacks (signature wrapping, ds:Object, partial references, DOCTYPE) are
// refused; a test PKI re-signs a RIM to exercise --root and the certificate-role rules; and the
// extracted golden JSON makes the two full-golden fixture runs match 33/33 through the Wasm verifier.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { X509Certificate, createHash, sign as nodeSign } from "node:crypto";
import { SignedXml, type SignatureAlgorithm, type HashAlgorithm } from "xml-crypto";
import { verifyRim, extractGolden, NVIDIA_CORIM_ROOT_PEM, NVIDIA_CORIM_ROOT_SPKI_SHA256, RIM_ERROR_CODES, type RimVerdict } from "../src/rim/index";
import { parsePayload } from "../src/rim/extract";
import { parseXmlStrict, elementChildren, C14N_10, ENVELOPED, ECDSA_SHA384, DIGEST_SHA384 } from "../src/rim/verify";
import { verifyNvidia, type NvidiaGolden } from "../src/wasm/nvidia";
import { createKey, dn, issueCert, basicConstraints, keyUsage, type SimCert, type SimKey } from "../src/sim/pki";
import { HAVE_FIXTURES, SKIP_MESSAGE, CHECK_TIME, NV, loadIndex, fixtureText, fixtureReport, goldenFromRims } from "./helpers/nvidia-fixtures";

if (!HAVE_FIXTURES) {
  if (process.env.CI) throw new Error(SKIP_MESSAGE);
  console.warn(SKIP_MESSAGE);
}

const R = {
  noGpuDriver: "nvtrust/rims/Driver_RIM_test_no_gpu.swidtag",
  noGpuVbios: "nvtrust/rims/1010_0200_882_96005E0001_test_no_gpu.swidtag",
  prodVbios5E01: "nvtrust/rims/1010_0200_882_96005E0001_PROD.swidtag",
  goDriver: "go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml",
  goVbios: "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml",
  driver550144: "attestation-sdk/rims/NV_GPU_DRIVER_GH100_550.144.03.xml",
  switchBios: "attestation-sdk/rims/NV_SWITCH_BIOS_5612_0002_890_9610550001.xml",
  tampered: "attestation-sdk/rims/NEG_NV_GPU_DRIVER_GH100_535.86.09_tampered.xml",
  expired: "attestation-sdk/rims/NEG_NV_GPU_DRIVER_GH100_570.124.03_expired_signer.xml",
  badSignature: "attestation-sdk/rims/NEG_incorrect_signature_driver_rim.xml",
  badChain: "attestation-sdk/rims/NEG_incorrect_cert_chain_driver_rim.xml",
  switchInvalidSig: "attestation-sdk/rims/NEG_NV_SWITCH_BIOS_5612_0002_890_9610550001_invalid_signature.xml",
  switchTampered: "attestation-sdk/rims/NEG_NV_SWITCH_BIOS_5612_0002_890_9610550001_tampered.xml",
  debugRoot: "attestation-sdk/rims/NEG_incorrect_rim_root.crt",
};
const H100 = "nvtrust/h100_550.90.07_report.hex", H100_CHAIN = "nvtrust/h100_550.90.07_chain.pem";
const H100_2023 = "nvtrust/h100_545.00_report_2023.hex", H100_2023_CHAIN = "nvtrust/h100_545.00_chain_2023.pem";
/** Times at which both RIMs of a pair have valid signer chains (their L4 signers expire after 2 years). */
const AT_2024 = Date.UTC(2024, 5, 1) / 1000; // test_no_gpu and PROD 96005E0001 RIMs
const AT_2025 = Date.UTC(2025, 0, 1) / 1000; // go-nvattest-tools 550.90.07 + 96009F0001
const AT_2025_JUN = Date.UTC(2025, 5, 1) / 1000; // 550.144.03 + 96009F0001

const read = (rel: string): string => fixtureText(rel);
const nonceOf = (report: Uint8Array) => Buffer.from(report.subarray(4, 36)).toString("hex");
/** The signer (first KeyInfo certificate) as node:crypto reads it, independent of src/rim. */
function signerOf(xml: string): X509Certificate {
  return new X509Certificate(Buffer.from(/X509Certificate>([^<]+)</.exec(xml)![1].replace(/\s+/g, ""), "base64"));
}
const unix = (date: string): number => Math.floor(Date.parse(date) / 1000);

function expectCode(v: RimVerdict | ReturnType<typeof extractGolden>, code: string): void {
  expect(v.ok, JSON.stringify(v.error)).toBe(false);
  expect(v.error!.code).toBe(code);
  expect(RIM_ERROR_CODES).toContain(code);
}
function expectRim(v: RimVerdict) {
  if (!v.ok) throw new Error(`${v.error.code}: ${v.error.message}`);
  return v.rim;
}

/** "7,21,23(alt2)" as index.json writes active indices. */
const activeIdx = (rim: { measurements: { index: number; active: boolean; alternatives: string[] }[] }): string =>
  rim.measurements.filter((m) => m.active).map((m) => (m.alternatives.length > 1 ? `${m.index}(alt${m.alternatives.length})` : `${m.index}`)).join(",");

describe("RIM verification: every fixture RIM as index.json records it", () => {
  const index = HAVE_FIXTURES ? loadIndex() : null;
  const rims = HAVE_FIXTURES ? Object.entries(index!.files).filter(([f, e]) => e.rim_check && !f.includes("rims_malformed")) : [];
  /** Refusal of the RIMs index.json marks sigOk false, at a time their chain is valid. */
  const BAD_SIGNATURE: Record<string, string> = {
    [R.tampered]: "RIM_DIGEST_MISMATCH", [R.badSignature]: "RIM_SIGNATURE_INVALID", [R.switchInvalidSig]: "RIM_DIGEST_MISMATCH",
    [R.switchTampered]: "RIM_DIGEST_MISMATCH", [R.expired]: "RIM_DIGEST_MISMATCH", // expired at 2026-11-21 too
  };

  it("covers the 38 RIMs (26 nvtrust, 9 attestation-sdk, 3 go-nvattest-tools)", () => {
    expect(rims.length).toBe(38);
  });

  for (const [file, entry] of rims) {
    const check = entry.rim_check as { product: string; version: string; sigOk: boolean; chainToPinnedRoot: boolean; chainInDate_2026_11_21: boolean; nActive: number; activeIdx: string };
    it(file, () => {
      const xml = read(file);
      const signer = signerOf(xml);
      const inside = unix(signer.validFrom) + 86_400;
      const v = verifyRim(xml, { at: inside }, file.split("/").pop());
      if (!check.chainToPinnedRoot) {
        expectCode(v, "RIM_CHAIN_INVALID");
        return;
      }
      if (!check.sigOk) {
        expectCode(v, BAD_SIGNATURE[file]);
      } else {
        const rim = expectRim(v);
        expect(rim.product).toBe(check.product);
        expect(rim.version).toBe(check.version);
        expect(rim.measurements.filter((m) => m.active).length).toBe(check.nActive);
        expect(activeIdx(rim)).toBe(check.activeIdx);
        expect(rim.sha256).toBe(entry.sha256);
        expect(rim.chain[rim.chain.length - 1]).toBe("NVIDIA CoRIM signing Root CA");
      }
      // index.json's "in date" column at its clock (2026-11-21): out of date is RIM_CERT_EXPIRED.
      const now = verifyRim(xml, { at: CHECK_TIME });
      if (check.chainInDate_2026_11_21) expect(now.ok ? "ok" : now.error.code).toBe(check.sigOk ? "ok" : BAD_SIGNATURE[file]);
      else expectCode(now, "RIM_CERT_EXPIRED");
    });
  }

  it("tampered, expired, re-signed and mis-chained RIMs get distinct codes (also at index.json's clock)", () => {
    const codes = [R.tampered, R.expired, R.badSignature, R.badChain].map((f) => {
      const v = verifyRim(read(f), { at: CHECK_TIME });
      return v.ok ? "ok" : v.error.code;
    });
    expect(codes).toEqual(["RIM_DIGEST_MISMATCH", "RIM_CERT_EXPIRED", "RIM_SIGNATURE_INVALID", "RIM_CHAIN_INVALID"]);
  });

  it("validity is checked at the given time, to the second", () => {
    const xml = read(R.goDriver);
    const signer = signerOf(xml);
    const from = unix(signer.validFrom), to = unix(signer.validTo);
    expectRim(verifyRim(xml, { at: from }));
    expectRim(verifyRim(xml, { at: to }));
    expectRim(verifyRim(xml, { at: new Date(to * 1000) }));
    expectCode(verifyRim(xml, { at: to + 1 }), "RIM_CERT_EXPIRED");
    expectCode(verifyRim(xml, { at: from - 1 }), "RIM_CERT_NOT_YET_VALID");
    expectCode(verifyRim(xml), "RIM_CERT_EXPIRED"); // default: now (index.json says expired since 2026-06-01)
  });

  it("the 22 go-nvattest-tools malformed / unsigned / foreign-signed files are all refused", () => {
    const dir = join(NV, "go-nvattest-tools/rims_malformed");
    const files = readdirSync(dir).filter((f) => f.endsWith(".xml"));
    expect(files.length).toBe(22);
    for (const f of files) {
      const v = verifyRim(readFileSync(join(dir, f)), { at: CHECK_TIME });
      expect(v.ok, f).toBe(false);
      expect(["RIM_UNSIGNED", "MALFORMED_RIM"], f).toContain(v.ok ? "ok" : v.error.code);
    }
  });

  it("the payload parser refuses every failure_* payload and reads the success_payload_* ones", () => {
    const dir = join(NV, "go-nvattest-tools/rims_malformed");
    const payloadOf = (f: string) => {
      const doc = parseXmlStrict(readFileSync(join(dir, f), "utf8"), f);
      const payloads = elementChildren(doc.documentElement!).filter((e) => e.localName === "Payload");
      if (payloads.length !== 1) throw Object.assign(new Error("no payload"), { code: "MALFORMED_RIM" });
      return parsePayload(payloads[0] as Parameters<typeof parsePayload>[0]);
    };
    const failures = ["duplicate_index", "empty_payload", "hash_empty_namespace", "invalid_alternatives", "invalid_index", "invalid_size",
      "missing_alternatives", "missing_hash", "missing_index", "missing_size", "no_payload"];
    for (const f of failures) {
      expect(() => payloadOf(`failure_${f}.xml`), f).toThrow();
      try { payloadOf(`failure_${f}.xml`); } catch (err) { expect((err as { code: string }).code, f).toBe("MALFORMED_RIM"); }
    }
    expect(payloadOf("success_payload_single_measurement.xml").map((m) => m.index)).toEqual([0]);
    // go-nvattest-tools' parser takes any size; ours only SHA-384 (48 bytes), which is all the chain compares.
    expect(() => payloadOf("success_payload_multiple_measurements.xml")).toThrow(/only SHA-384/);
    expect(payloadOf("success_payload_multiple_alternatives.xml").some((m) => m.alternatives.length > 1)).toBe(true);
  });
});

describe("RIM verification: roots and chains", () => {
  it("the embedded root is the fixture's NVIDIA CoRIM signing root, pinned by SPKI SHA-256", () => {
    const fixtureRoot = new X509Certificate(read("roots/nvidia_corim_signing_root_ca.pem"));
    const embedded = new X509Certificate(NVIDIA_CORIM_ROOT_PEM);
    expect(embedded.raw.equals(fixtureRoot.raw)).toBe(true);
    expect(createHash("sha256").update(embedded.publicKey.export({ type: "spki", format: "der" })).digest("hex")).toBe(NVIDIA_CORIM_ROOT_SPKI_SHA256);
  });

  it("another root: the device identity root is untrusted for RIMs; the debug-only signer cert is no root", () => {
    const xml = read(R.goDriver);
    expectCode(verifyRim(xml, { at: AT_2025, rootPem: read("roots/nvidia_device_identity_ca.pem") }), "RIM_ROOT_UNTRUSTED");
    expectCode(verifyRim(xml, { at: AT_2025, rootPem: read(R.debugRoot) }), "RIM_ROOT_INVALID");
    expectCode(verifyRim(xml, { at: AT_2025, rootPem: "not a certificate" }), "RIM_ROOT_INVALID");
    expectRim(verifyRim(xml, { at: AT_2025, rootPem: read("roots/nvidia_corim_signing_root_ca.pem") }));
  });

  // KeyInfo lies inside ds:Signature, outside the signed content, so its certificates can be edited
  // without touching the signature: the chain rules alone must hold.
  const certBlocks = (xml: string) => [...xml.matchAll(/<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/g)].map((m) => m[0]);
  const withCerts = (xml: string, certs: string[]) => xml.replace(/<ds:X509Data>[\s\S]*<\/ds:X509Data>/, `<ds:X509Data>${certs.join("")}</ds:X509Data>`);

  it("chain edits: root copy optional; reordered, truncated or padded chains refused", () => {
    const xml = read(R.goDriver);
    const [l4, l3, ca, root] = certBlocks(xml);
    expect(root).toBeDefined();
    expectRim(verifyRim(withCerts(xml, [l4, l3, ca]), { at: AT_2025 }));
    expectCode(verifyRim(withCerts(xml, [l4, ca, l3, root]), { at: AT_2025 }), "RIM_CHAIN_INVALID");
    expectCode(verifyRim(withCerts(xml, [l4, l3]), { at: AT_2025 }), "RIM_ROOT_UNTRUSTED");
    expectCode(verifyRim(withCerts(xml, [l4, l3, ca, root, root]), { at: AT_2025 }), "RIM_CHAIN_INVALID");
    expectCode(verifyRim(withCerts(xml, [l3, l4, ca, root]), { at: AT_2025 }), "RIM_CHAIN_INVALID");
    expectCode(verifyRim(withCerts(xml, [root]), { at: AT_2025 }), "RIM_CHAIN_INVALID");
    expectCode(verifyRim(withCerts(xml, []), { at: AT_2025 }), "RIM_CERT_MALFORMED");
    expectCode(verifyRim(withCerts(xml, ["<ds:X509Certificate>AAAA</ds:X509Certificate>"]), { at: AT_2025 }), "RIM_CERT_MALFORMED");
    // Another genuine NVIDIA signer (550.144.03's) does not carry this RIM's signature.
    const other = certBlocks(read(R.driver550144));
    expectCode(verifyRim(withCerts(xml, other), { at: AT_2025_JUN }), "RIM_SIGNATURE_INVALID");
  });
});

describe("RIM verification: the signature covers the whole document", () => {
  const xml = HAVE_FIXTURES ? read(R.goDriver) : "";
  const at = AT_2025;
  const sigStart = xml.indexOf("<ds:Signature");
  const signature = xml.slice(sigStart, xml.indexOf("</ds:Signature>") + "</ds:Signature>".length);
  const fakePayload = `<Payload xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd"><Resource type="Measurement" index="7" active="True" alternatives="1" xmlns:h="http://www.w3.org/2001/04/xmlenc#sha384" h:Hash0="${"ab".repeat(48)}" size="48"/></Payload>`;

  it("baseline verifies; comments added to signed content change nothing that is read", () => {
    const base = expectRim(verifyRim(xml, { at }));
    const commented = xml.replace("<ns0:Payload", "<!-- x --><ns0:Payload");
    const again = expectRim(verifyRim(commented, { at }));
    expect(again.measurements).toEqual(base.measurements);
  });

  const cases: [string, string, string][] = HAVE_FIXTURES ? [
    ["one digest nibble changed", xml.replace('index="7" active="True" alternatives="1" ns2:Hash0="8', 'index="7" active="True" alternatives="1" ns2:Hash0="9'), "RIM_DIGEST_MISMATCH"],
    ["inactive entry changed", xml.replace('index="0" active="False"', 'index="0" active="True"'), "RIM_DIGEST_MISMATCH"],
    ["version changed", xml.replace('colloquialVersion="550.90.07"', 'colloquialVersion="550.90.08"'), "RIM_DIGEST_MISMATCH"],
    ["signature removed", xml.replace(signature, ""), "RIM_UNSIGNED"],
    ["signature duplicated", xml.replace(signature, signature + signature), "RIM_MULTIPLE_SIGNATURES"],
    ["signature moved into the payload", xml.replace(signature, "").replace("</ns0:Payload>", signature + "</ns0:Payload>"), "RIM_SIGNATURE_SCOPE"],
    ["document wrapped", `<Wrapper>${xml}</Wrapper>`, "MALFORMED_RIM"],
    ["unsigned ds:Object with a payload", xml.replace("</ds:KeyInfo>", `</ds:KeyInfo><ds:Object>${fakePayload}</ds:Object>`), "RIM_SIGNATURE_SCOPE"],
    ["payload hidden in KeyInfo", xml.replace("</ds:X509Data>", `</ds:X509Data>${fakePayload}`), "RIM_SIGNATURE_SCOPE"],
    ["stray SignedInfo in signed content", xml.replace("</ns0:Payload>", "</ns0:Payload><SignedInfo/>"), "RIM_SIGNATURE_SCOPE"],
    ["Reference to an element", xml.replace('<ds:Reference URI="">', '<ds:Reference URI="#x">'), "RIM_SIGNATURE_SCOPE"],
    ["no enveloped transform", xml.replace('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', ""), "RIM_SIGNATURE_SCOPE"],
    ["second Reference", xml.replace("</ds:Reference>", '</ds:Reference><ds:Reference URI=""/>'), "RIM_SIGNATURE_SCOPE"],
    ["RSA signature method", xml.replace("xmldsig-more#ecdsa-sha384", "xmldsig-more#rsa-sha256"), "RIM_UNSUPPORTED_ALGORITHM"],
    ["SHA-1 digest", xml.replace('<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#sha384"/>', '<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>'), "RIM_UNSUPPORTED_ALGORITHM"],
    ["xml:* attribute under C14N 1.1", xml.replace("<ns0:Payload", '<ns0:Payload xml:lang="en"'), "RIM_UNSUPPORTED_ALGORITHM"],
    ["DOCTYPE with an entity", `<!DOCTYPE x [<!ENTITY e "7">]>${xml}`, "MALFORMED_RIM"],
    ["not XML", xml.slice(0, 5000), "MALFORMED_RIM"],
    ["empty", "", "MALFORMED_RIM"],
    ["SignatureValue truncated", xml.replace(/<ds:SignatureValue>[^<]{8}/, "<ds:SignatureValue>"), "RIM_SIGNATURE_INVALID"],
  ] : [];
  for (const [name, mutated, code] of cases) {
    it(name, () => {
      expect(mutated).not.toBe(xml);
      expectCode(verifyRim(mutated, { at }), code);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// A test PKI that re-signs RIM content, for --root and the certificate-role rules.

class Sha384Digest implements HashAlgorithm {
  getHash(xml: string): string { return createHash("sha384").update(xml, "utf8").digest("base64"); }
  getAlgorithmName(): string { return DIGEST_SHA384; }
}
class EcdsaSha384Signer implements SignatureAlgorithm {
  getSignature(signedInfo: string | Buffer, privateKey: unknown): string {
    return nodeSign("sha384", Buffer.from(signedInfo as string), { key: privateKey as SimKey["privateKey"], dsaEncoding: "ieee-p1363" }).toString("base64");
  }
  verifySignature(): boolean { throw new Error("not used"); }
  getAlgorithmName(): string { return ECDSA_SHA384; }
}

function signRim(unsigned: string, signerKey: SimKey, chain: SimCert[]): string {
  const certs = chain.map((c) => `<ds:X509Certificate>${Buffer.from(c.der).toString("base64")}</ds:X509Certificate>`).join("");
  const sx = new SignedXml({
    privateKey: signerKey.privateKey.export({ format: "pem", type: "pkcs8" }) as string,
    canonicalizationAlgorithm: C14N_10, signatureAlgorithm: ECDSA_SHA384,
    getKeyInfoContent: () => `<ds:X509Data>${certs}</ds:X509Data>`,
  });
  sx.SignatureAlgorithms = { [ECDSA_SHA384]: EcdsaSha384Signer };
  sx.HashAlgorithms[DIGEST_SHA384] = Sha384Digest;
  sx.privateKey = signerKey.privateKey;
  sx.addReference({ xpath: "/*", transforms: [ENVELOPED, C14N_10], digestAlgorithm: DIGEST_SHA384, uri: "", isEmptyUri: true });
  sx.computeSignature(unsigned, { prefix: "ds", location: { reference: "/*", action: "append" } });
  return sx.getSignedXml();
}

describe("RIM verification: a test PKI (--root)", () => {
  const validity = { notBefore: unix("2024-01-01T00:00:00Z"), notAfter: unix("2030-01-01T00:00:00Z") };
  const at = unix("2025-01-01T00:00:00Z");
  const rootKey = createKey("p384"), caKey = createKey("p384"), signerKey = createKey("p384");
  const root = issueCert(dn({ CN: "Test RIM Root" }), "self", rootKey, [basicConstraints(true), keyUsage("keyCertSign", "cRLSign")], validity, 1n);
  const ca = issueCert(dn({ CN: "Test RIM CA" }), root, caKey, [basicConstraints(true, 0), keyUsage("keyCertSign")], validity, 2n);
  const leaf = (exts = [basicConstraints(false), keyUsage("digitalSignature")], key = signerKey) =>
    issueCert(dn({ CN: "Test RIM Signer" }), ca, key, exts, validity, 3n);
  const unsigned = HAVE_FIXTURES ? read(R.goDriver).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "") : "";

  it("a RIM signed by the test PKI verifies only with --root; the content read is the content signed", () => {
    const xml = signRim(unsigned, signerKey, [leaf(), ca, root]);
    expectCode(verifyRim(xml, { at }), "RIM_ROOT_UNTRUSTED");
    const rim = expectRim(verifyRim(xml, { at, rootPem: root.pem }));
    const genuine = expectRim(verifyRim(read(R.goDriver), { at: AT_2025 }));
    expect(rim.measurements).toEqual(genuine.measurements);
    expect(rim.signer.subject).toBe("Test RIM Signer");
    expect(rim.chain).toEqual(["Test RIM CA", "Test RIM Root"]);
  });

  it("certificate roles: CA signer, missing digitalSignature, path length, P-256, wrong root key", () => {
    expectCode(verifyRim(signRim(unsigned, signerKey, [leaf([basicConstraints(true)]), ca]), { at, rootPem: root.pem }), "RIM_CERT_KEY_USAGE");
    expectCode(verifyRim(signRim(unsigned, signerKey, [leaf([keyUsage("keyEncipherment")]), ca]), { at, rootPem: root.pem }), "RIM_CERT_KEY_USAGE");
    const subKey = createKey("p384");
    const sub = issueCert(dn({ CN: "Test RIM Sub CA" }), ca, subKey, [basicConstraints(true), keyUsage("keyCertSign")], validity, 4n);
    const deepLeaf = issueCert(dn({ CN: "Deep Signer" }), sub, signerKey, [keyUsage("digitalSignature")], validity, 5n);
    expectCode(verifyRim(signRim(unsigned, signerKey, [deepLeaf, sub, ca]), { at, rootPem: root.pem }), "RIM_CERT_KEY_USAGE"); // CA pathlen 0
    const p256 = createKey("p256");
    expectCode(verifyRim(signRim(unsigned, p256, [leaf(undefined, p256), ca]), { at, rootPem: root.pem }), "RIM_CERT_UNSUPPORTED_ALGORITHM");
    const impostorRoot = issueCert(dn({ CN: "Test RIM Root" }), "self", createKey("p384"), [basicConstraints(true)], validity, 1n);
    expectCode(verifyRim(signRim(unsigned, signerKey, [leaf(), ca]), { at, rootPem: impostorRoot.pem }), "RIM_ROOT_UNTRUSTED");
  });

  it("driver and VBIOS RIMs with a common active index are refused (RIM_INDEX_CONFLICT)", () => {
    const driver = signRim(unsigned, signerKey, [leaf(), ca]);
    const vbios = signRim(unsigned.replace('colloquialVersion="550.90.07"', 'colloquialVersion="96.00.9F.00.01"'), signerKey, [leaf(), ca]);
    const files = [{ name: "d.xml", xml: driver }, { name: "v.xml", xml: vbios }];
    expectCode(extractGolden(files, { at, rootPem: root.pem }), "RIM_INDEX_CONFLICT");
  });

  it("an expired or not-yet-valid root fails like any chain certificate", () => {
    const xml = signRim(unsigned, signerKey, [leaf(), ca]);
    expectCode(verifyRim(xml, { at: validity.notAfter + 1, rootPem: root.pem }), "RIM_CERT_EXPIRED");
    expectCode(verifyRim(xml, { at: validity.notBefore - 1, rootPem: root.pem }), "RIM_CERT_NOT_YET_VALID");
  });
});

describe("golden JSON from RIMs, checked by the Wasm verifier", () => {
  const golden = (files: string[], at: number): NvidiaGolden => {
    const v = extractGolden(files.map((f) => ({ name: f.split("/").pop()!, xml: read(f) })), { at });
    if (!v.ok) throw new Error(`${v.error.code}: ${v.error.message}`);
    return v.golden as NvidiaGolden;
  };
  const runs = [
    { name: "545.00 report vs test_no_gpu RIMs", report: H100_2023, chain: H100_2023_CHAIN, rims: [R.noGpuDriver, R.noGpuVbios], at: AT_2024,
      rimId: "NV_GPU_DRIVER_GH100_545.00+NV_GPU_VBIOS_1010_0200_882_96005E0001" },
    { name: "550.90.07 report vs go-nvattest-tools RIMs", report: H100, chain: H100_CHAIN, rims: [R.goDriver, R.goVbios], at: AT_2025,
      rimId: "NV_GPU_DRIVER_GH100_550.90.07+NV_GPU_VBIOS_1010_0200_882_96009F0001" },
  ];
  for (const run of runs) {
    it(`${run.name}: 33/33 through src/wasm/nvidia.ts`, () => {
      const g = golden(run.rims, run.at);
      expect(Object.keys(g).sort()).toEqual(["arch", "blocks", "driver_version", "rim_id", "vbios_version", "version"]);
      expect(g.rim_id).toBe(run.rimId);
      expect(g.arch).toBe("HOPPER");
      expect(Object.keys(g.blocks).length).toBe(33);
      // Same values as the test helper's independent (regex) reading of the same files.
      expect(g.blocks).toEqual(goldenFromRims(run.rims[0], run.rims[1]).blocks);
      const report = fixtureReport(run.report);
      const v = verifyNvidia(report, read(run.chain), { at: CHECK_TIME, nonce: nonceOf(report), golden: g });
      expect(v.error).toBeNull();
      expect(v.status).toBe("Verified");
      expect(v.claims!.golden).toEqual({ rim_id: run.rimId, version: "1", compared: 33 });
      // The JSON the CLI writes parses to the same thing on chain.
      const fromText = verifyNvidia(report, read(run.chain), { at: CHECK_TIME, golden: JSON.stringify(g) });
      expect(fromText.ok).toBe(true);
    });
  }

  it("argument order does not matter; a wrong RIM gives the recorded mismatches or no applicable entry", () => {
    expect(golden([R.goVbios, R.goDriver], AT_2025)).toEqual(golden([R.goDriver, R.goVbios], AT_2025));
    const wrongVbios = golden([R.noGpuDriver, R.prodVbios5E01], AT_2024);
    const old = fixtureReport(H100_2023);
    const v = verifyNvidia(old, read(H100_2023_CHAIN), { at: CHECK_TIME, golden: wrongVbios });
    expect(v.error!.code).toBe("GOLDEN_MISMATCH");
    expect(v.error!.indices).toEqual([1, 2, 3, 9]); // index.json "GOLDEN 545.00 vs PROD vbios"
    const wrongDriver = golden([R.driver550144, R.goVbios], AT_2025_JUN);
    expect(verifyNvidia(fixtureReport(H100), read(H100_CHAIN), { at: CHECK_TIME, golden: wrongDriver }).error!.code).toBe("GOLDEN_NOT_FOUND");
  });

  it("several RIMs: one entry per driver x VBIOS pair; switch BIOS RIMs get their own entry", () => {
    const g = golden([R.goDriver, R.goVbios, "go-nvattest-tools/rims/NV_GPU_VBIOS_G520_96.00.6D.00.29_success_valid_rim.xml"], AT_2025) as unknown as NvidiaGolden[];
    expect(g.map((e) => e.vbios_version)).toEqual(["96.00.9F.00.01", "96.00.6D.00.29"]);
    expect(verifyNvidia(fixtureReport(H100), read(H100_CHAIN), { at: CHECK_TIME, golden: g }).ok).toBe(true);
    const sw = golden([R.switchBios], CHECK_TIME);
    expect(sw).toMatchObject({ rim_id: "NV_SWITCH_BIOS_5612_0002_890_9610550001", arch: "NVSWITCH", vbios_version: "96.10.55.00.01" });
    expect(Object.keys(sw.blocks).length).toBe(31);
  });

  it("refused combinations: driver only, two VBIOS only, overlapping indices, a tampered member", () => {
    const run = (files: string[], at: number) => extractGolden(files.map((f) => ({ name: f, xml: read(f) })), { at });
    expectCode(run([R.goDriver], AT_2025), "RIM_COMBINATION_INVALID");
    expectCode(run([R.goVbios, R.goVbios], AT_2025), "RIM_COMBINATION_INVALID");
    expectCode(run([R.goVbios, R.noGpuVbios], AT_2024), "RIM_COMBINATION_INVALID");
    const bad = run([R.goDriver, R.tampered], unix(signerOf(read(R.tampered)).validFrom) + 86_400);
    expectCode(bad, "RIM_DIGEST_MISMATCH");
    expect(bad.error!.file).toBe(R.tampered);
    expect(bad.rims.map((r) => r.rim_id)).toEqual(["NV_GPU_DRIVER_GH100_550.90.07"]); // verified before the refusal
  });
});

describe("CLI: tee-attest rim extract", () => {
  const cli = join(__dirname, "..", "dist", "cli.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, "rim", "extract", ...args], { encoding: "utf8" });
  const path = (rel: string) => join(NV, rel);

  it("writes the golden JSON (exit 0) that verifies the 550.90.07 report 33/33", () => {
    const out = join(mkdtempSync(join(tmpdir(), "rim-")), "golden.json");
    const r = run(path(R.goDriver), path(R.goVbios), "--at", String(AT_2025), "--out", out);
    expect(r.stderr).toContain("verified");
    expect(r.status).toBe(0);
    const g = JSON.parse(readFileSync(out, "utf8")) as NvidiaGolden;
    const report = fixtureReport(H100);
    const v = verifyNvidia(report, read(H100_CHAIN), { at: CHECK_TIME, nonce: nonceOf(report), golden: g });
    expect(v.claims?.golden?.compared).toBe(33);
    const stdout = run(path(R.goDriver), path(R.goVbios), "--at", "2025-01-01T00:00:00Z");
    expect(stdout.status).toBe(0);
    expect(JSON.parse(stdout.stdout)).toEqual(g);
  });

  it("exit 1 with the code for tampered / expired / mis-chained RIMs and a wrong root", () => {
    for (const [file, code] of [[R.tampered, "RIM_DIGEST_MISMATCH"], [R.expired, "RIM_CERT_EXPIRED"], [R.badChain, "RIM_CHAIN_INVALID"]]) {
      const r = run(path(file), "--at", String(CHECK_TIME));
      expect(r.status, file).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const expiredNow = run(path(R.goDriver), path(R.goVbios)); // default --at: now
    expect(expiredNow.status).toBe(1);
    expect(expiredNow.stderr).toContain("RIM_CERT_EXPIRED");
    const wrongRoot = run(path(R.goDriver), path(R.goVbios), "--at", String(AT_2025), "--root", path("roots/nvidia_device_identity_ca.pem"));
    expect(wrongRoot.status).toBe(1);
    expect(wrongRoot.stderr).toContain("RIM_ROOT_UNTRUSTED");
  });

  it("exit 2 for unreadable files and bad options", () => {
    expect(run("/nonexistent.xml").status).toBe(2);
    expect(run(path(R.goDriver), "--at", "yesterday-ish").status).toBe(2);
    expect(run(path(R.goDriver), path(R.goVbios), "--root", "/nonexistent.pem").status).toBe(2);
    expect(run().status).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), "rim-"));
    writeFileSync(join(dir, "x.xml"), "<x/>");
    expect(run(join(dir, "x.xml"), "--at", String(AT_2025)).status).toBe(1); // readable but not a RIM: rejected
  });
});
