// DER / PEM / X.509 / CRL parsers (assembly/encoding/{der,pem,x509,crl}.ts) through verifier.wasm.
// Oracles: node:crypto X509Certificate / createPublicKey / verify on every real certificate in the
// shared fixtures, openssl-derived facts for the CRLs (table below), and synthetic DER built field by
// field for each strictness rule. Fuzz: fixed-seed random and mutated inputs must never abort the Wasm.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { X509Certificate, verify, constants, createHash, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFixtureSet, FIXTURES, type FixtureSet } from "./helpers/x509-fixtures";
import * as D from "./helpers/der-builder";
import {
  wasmX509Parse, wasmX509ParsePem, wasmX509Extension, wasmCrlParse, wasmCrlIsRevoked, wasmPemDecode, wasmDerWalk, isParseError,
  type X509Certificate as Parsed, type X509Crl, type ParseError,
} from "../src/wasm/x509";

const { hex, toHex } = D;
const FC_SEED = 0x5eed509;

let set: FixtureSet;
beforeAll(() => { set = loadFixtureSet(); });

function ok<T extends object>(r: T | ParseError): T {
  if (isParseError(r)) throw new Error(`parse failed: ${r.error} ${r.detail ?? ""}`);
  return r;
}
const errorOf = (r: object): string => (isParseError(r) ? r.error : "ok");

// Short names node (OpenSSL) prints in X509Certificate.subject/issuer.
const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber", "2.5.4.4": "SN", "2.5.4.42": "GN", "2.5.4.12": "title", "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.25": "DC",
};
const nameLines = (n: Parsed["subject"]): string => n.attributes.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.value}`).join("\n");

/** node's X509Certificate tries PEM first, so DER that embeds a PEM chain (dstack app certs carry a
 * whole TDX quote) would parse as the embedded certificate; wrapping the DER in PEM avoids that. */
const nodeCert = (der: Uint8Array): X509Certificate =>
  new X509Certificate(`-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64")}\n-----END CERTIFICATE-----\n`);

const HASHES: Record<string, string> = { sha256: "sha256", sha384: "sha384", sha512: "sha512" };

/** Verifies `signature` over `data` with node:crypto, using the algorithm our parser extracted. */
function nodeVerify(alg: Parsed["signature_algorithm"], key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const hash = HASHES[alg.hash];
  if (alg.pss) {
    expect(alg.pss.mgf1_hash).toBe(alg.hash); // node's PSS uses the same hash for MGF1
    return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.pss.salt_length }, signature);
  }
  if (alg.name.startsWith("ecdsa")) return verify(hash, data, { key, dsaEncoding: "der" }, signature);
  return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
}

describe("real certificates (node:crypto as oracle)", () => {
  it("finds the fixture certificates", () => {
    expect(set.certs.length).toBeGreaterThan(200);
    expect(set.crls.length).toBeGreaterThanOrEqual(12);
  });

  it("every certificate node accepts parses, with the same fields; node-rejected ones are rejected", () => {
    let compared = 0;
    for (const item of set.certs) {
      let node: X509Certificate | null = null;
      try { node = nodeCert(item.der); } catch { /* malformed fixture (RIM negative cases) */ }
      const parsed = wasmX509Parse(item.der);
      if (node === null) {
        expect(isParseError(parsed), item.source).toBe(true);
        continue;
      }
      const c = ok(parsed);
      const where = item.source;
      expect(BigInt("0x" + c.serial), where).toBe(BigInt("0x" + node.serialNumber));
      expect(nameLines(c.subject), where).toBe(node.subject);
      expect(nameLines(c.issuer), where).toBe(node.issuer);
      expect(c.not_before * 1000, where).toBe(Date.parse(node.validFrom));
      expect(c.not_after * 1000, where).toBe(Date.parse(node.validTo));
      const spki = node.publicKey.export({ type: "spki", format: "der" });
      expect(c.public_key.spki, where).toBe(spki.toString("hex"));
      expect(toHex(item.der.subarray(c.public_key.spki_start, c.public_key.spki_end))).toBe(c.public_key.spki);
      const jwk = node.publicKey.export({ format: "jwk" });
      if (c.public_key.kind === "ec") {
        expect(c.public_key.curve).toBe(jwk.crv);
        expect(c.public_key.point).toBe("04" + Buffer.from(jwk.x!, "base64url").toString("hex") + Buffer.from(jwk.y!, "base64url").toString("hex"));
      } else {
        expect(c.public_key.modulus).toBe(Buffer.from(jwk.n!, "base64url").toString("hex"));
        expect(c.public_key.exponent).toBe(Buffer.from(jwk.e!, "base64url").toString("hex"));
      }
      expect(c.basic_constraints?.ca ?? false, where).toBe(node.ca);
      expect(c.tbs_start).toBe(4);
      expect(c.tbs_end).toBeLessThan(item.der.length);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it("the signature over the tbs span verifies with the issuer key exactly when node says so", () => {
    const nodes = set.certs.flatMap((item) => {
      try { return [{ item, node: nodeCert(item.der), parsed: ok(wasmX509Parse(item.der)) }]; } catch { return []; }
    });
    let verified = 0, rejected = 0;
    const schemes = new Set<string>();
    for (const child of nodes) {
      for (const parent of nodes) {
        if (!child.node.checkIssued(parent.node)) continue;
        const expected = child.node.verify(parent.node.publicKey);
        const tbs = child.item.der.subarray(child.parsed.tbs_start, child.parsed.tbs_end);
        const ours = nodeVerify(child.parsed.signature_algorithm, parent.node.publicKey, tbs, hex(child.parsed.signature));
        expect(ours, `${child.item.source} <- ${parent.item.source}`).toBe(expected);
        if (ours) { verified++; schemes.add(child.parsed.signature_algorithm.name); } else rejected++;
        // AKI of the child names the issuer's SKI when both are present.
        if (expected && child.parsed.authority_key_id && parent.parsed.subject_key_id) {
          expect(child.parsed.authority_key_id).toBe(parent.parsed.subject_key_id);
        }
      }
    }
    expect(verified).toBeGreaterThan(150);
    // The routex VCEK with a rewritten productName (and chains pairing keys wrongly) must not verify.
    expect(rejected).toBeGreaterThan(0);
    expect([...schemes].sort()).toEqual(["ecdsa-with-SHA256", "ecdsa-with-SHA384", "rsassa-pss", "sha256WithRSAEncryption"]);
    console.log(`x509 fixtures: ${nodes.length} certificates, ${verified} issuer signatures verified, ${rejected} (correctly) not`);
  });

  it("AMD RSASSA-PSS: both real-world parameter encodings (snp.md §3.2) parse to SHA-384 / MGF1-SHA-384 / salt 48 / trailer 1", () => {
    const pss = set.certs.map((i) => wasmX509Parse(i.der)).filter((r): r is Parsed => !isParseError(r) && r.signature_algorithm.name === "rsassa-pss");
    expect(pss.length).toBeGreaterThan(20);
    const encodings = new Set<string>();
    for (const c of pss) {
      const a = c.signature_algorithm;
      expect(a.oid).toBe("1.2.840.113549.1.1.10");
      expect([a.hash, a.pss!.mgf1_hash, a.pss!.salt_length, a.pss!.trailer_field]).toEqual(["sha384", "sha384", 48, 1]);
      encodings.add(a.der);
    }
    expect(pss.some((c) => c.signature_algorithm.pss!.trailer_explicit)).toBe(true);
    expect(pss.some((c) => !c.signature_algorithm.pss!.trailer_explicit)).toBe(true);
    const params = "a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130";
    expect([...encodings].sort()).toEqual([
      `304106092a864886f70d01010a3034${params}`,
      `304606092a864886f70d01010a3039${params}a303020101`,
    ]);
  });

  it("decodes the standard extensions of known certificates (values from openssl x509 -text)", () => {
    const find = (cn: string, serialPrefix = ""): Parsed => {
      const hit = set.certs.map((i) => wasmX509Parse(i.der)).find((r): r is Parsed => !isParseError(r) && r.subject.cn === cn && r.serial.startsWith(serialPrefix));
      if (!hit) throw new Error(`no fixture certificate with CN ${cn}`);
      return hit;
    };
    const intelRoot = find("Intel SGX Root CA");
    expect(intelRoot.serial).toBe("22650cd65a9d3489f383b49552bf501b392706ac");
    expect(intelRoot.basic_constraints).toEqual({ ca: true, path_len: 1 });
    expect(intelRoot.key_usage).toBe((1 << 5) | (1 << 6)); // keyCertSign | cRLSign
    expect(intelRoot.subject_key_id).toBe("22650cd65a9d3489f383b49552bf501b392706ac");
    expect(intelRoot.authority_key_id).toBe(intelRoot.subject_key_id);
    expect(intelRoot.extensions.find((e) => e.oid === "2.5.29.15")!.critical).toBe(true);
    expect(intelRoot.extensions.find((e) => e.oid === "2.5.29.31")!.critical).toBe(false);
    expect(intelRoot.not_after).toBe(Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);

    const ask = find("SEV-Milan");
    expect(ask.basic_constraints).toEqual({ ca: true, path_len: 0 });
    expect(ask.key_usage).toBe(1 << 5);
    expect(ask.subject_key_id).toBe("3bc66e182ac3fd3d6264489be3b7472cb4fcbff8");
    expect(ask.authority_key_id).toBe("85ac1ad143f7c8ac55d4c51d4148abd5784ad453");
    const ark = find("ARK-Milan");
    expect(ark.basic_constraints).toEqual({ ca: true, path_len: null });
    expect(ark.key_usage).toBe((1 << 5) | (1 << 6));
    expect(ark.serial).toBe("010000");
    expect(ark.public_key.kind).toBe("rsa");
    if (ark.public_key.kind === "rsa") { expect(ark.public_key.modulus.length).toBe(1024); expect(ark.public_key.exponent).toBe("010001"); }

    // VCEK: serial 0, P-384, only AMD extensions (snp.md §3.3).
    const vcek = ok(wasmX509Parse(new Uint8Array(readFileSync(join(FIXTURES, "snp/virtee-sev/milan_v2_vcek.der")))));
    expect(vcek.serial).toBe("00");
    expect(vcek.public_key.kind === "ec" && vcek.public_key.curve).toBe("P-384");
    expect(vcek.basic_constraints).toBeNull();
    expect(vcek.key_usage).toBeNull();
    expect(vcek.extensions.every((e) => e.oid.startsWith("1.3.6.1.4.1.3704.1."))).toBe(true);
    const product = vcek.extensions.find((e) => e.oid === "1.3.6.1.4.1.3704.1.2")!;
    expect(Buffer.from(product.value, "hex").subarray(2).toString()).toMatch(/^Milan/);
    expect(vcek.extensions.find((e) => e.oid === "1.3.6.1.4.1.3704.1.4")!.value.length).toBe(128); // 64-byte raw hwID
  });

  it("extension(oid) looks up by dotted OID", () => {
    const der = new Uint8Array(readFileSync(join(FIXTURES, "tdx/dcap-qvl/TrustedRootCA.der")));
    expect(wasmX509Extension(der, "2.5.29.19")).toEqual({ found: true, critical: true, value: "30060101ff020101" });
    expect(wasmX509Extension(der, "2.5.29.17")).toEqual({ found: false });
    expect(wasmX509Extension(der, "not.an.oid")).toEqual({ found: false });
    expect(wasmX509Extension(der, "2.999.1")).toEqual({ found: false });
    // Every extension of an AMD VCEK (long private-arc OIDs) is found by its printed OID.
    const vcek = new Uint8Array(readFileSync(join(FIXTURES, "snp/virtee-sev/turin_vcek_no_report.der")));
    const parsed = ok(wasmX509Parse(vcek));
    expect(parsed.extensions.length).toBeGreaterThan(8);
    for (const e of parsed.extensions) expect(wasmX509Extension(vcek, e.oid)).toEqual({ found: true, critical: e.critical, value: e.value });
  });
});

// openssl crl -text on each fixture: revoked count, lastUpdate, nextUpdate, and the first 16 hex of
// sha256(serials in CRL order, minimal lowercase hex, comma-joined).
const CRL_FACTS: [string, number, number, number, string][] = [
  ["tdx/automata/orig/0825/platform_crl.der", 44, 1755236486, 1757828486, "4af3ee82f9e5d927"],
  ["tdx/automata/orig/1025/pck_crl.der", 44, 1760352332, 1762944332, "4af3ee82f9e5d927"],
  ["tdx/automata/orig/extracted/onchain_platformCrlDer.der", 44, 1749028771, 1751620771, "4af3ee82f9e5d927"],
  ["tdx/automata/orig/extracted/setup_rootCrlDer.der", 0, 1742469717, 1775215317, "e3b0c44298fc1c14"],
  ["tdx/dcap-qvl/near-gas-test/quote_collateral.json:pck_crl", 44, 1756796631, 1759388631, "4af3ee82f9e5d927"],
  ["tdx/dcap-qvl/sgx_quote_collateral.json:pck_crl", 0, 1750328598, 1752920598, "e3b0c44298fc1c14"],
  ["tdx/dcap-qvl/tdx_quote_collateral.json:pck_crl", 44, 1750327235, 1752919235, "4af3ee82f9e5d927"],
  ["tdx/dcap-qvl/tdx_quote_outdated_collateral.json:pck_crl", 57, 1771411275, 1774003275, "61b6674f290ab0c8"],
  ["tdx/go-tdx-guest/orig/pckcrl", 44, 1686209272, 1688801272, "d88e8ae034c83666"],
  ["tdx/go-tdx-guest/orig/rootcrl.der", 0, 1680517371, 1712053371, "e3b0c44298fc1c14"],
  ["tdx/intel-qvl/orig/tdx/intermediateCaCrl.der", 0, 1628258115, 1943618115, "e3b0c44298fc1c14"],
  ["tdx/intel-qvl/orig/tdx/rootCaCrl.der", 0, 1628258115, 1943618115, "e3b0c44298fc1c14"],
];

describe("real CRLs", () => {
  it("match openssl: revoked serials, thisUpdate, nextUpdate", () => {
    for (const [source, count, thisUpdate, nextUpdate, digest] of CRL_FACTS) {
      const item = set.crls.find((c) => c.source === source);
      expect(item, source).toBeDefined();
      const crl = ok(wasmCrlParse(item!.der));
      expect(crl.revoked.length, source).toBe(count);
      expect([crl.this_update, crl.next_update], source).toEqual([thisUpdate, nextUpdate]);
      const serials = crl.revoked.map((r) => BigInt("0x" + r.serial).toString(16)).join(",");
      expect(createHash("sha256").update(serials).digest("hex").slice(0, 16), source).toBe(digest);
      expect(crl.version).toBe(2);
    }
    expect(set.crls.length).toBe(CRL_FACTS.length);
  });

  it("every CRL signature verifies over its tbs span with the issuing certificate's key", () => {
    for (const item of set.crls) {
      const crl = ok(wasmCrlParse(item.der));
      const issuers = set.certs.map((i) => ({ i, r: wasmX509Parse(i.der) })).filter(({ r }) => !isParseError(r) && (r as Parsed).subject.raw === crl.issuer.raw);
      expect(issuers.length, item.source).toBeGreaterThan(0);
      const tbs = item.der.subarray(crl.tbs_start, crl.tbs_end);
      const good = issuers.some(({ i }) => nodeVerify(crl.signature_algorithm, nodeCert(i.der).publicKey, tbs, hex(crl.signature)));
      expect(good, item.source).toBe(true);
      // AKI names the issuer's key.
      if (crl.authority_key_id) expect(issuers.some(({ r }) => (r as Parsed).subject_key_id === crl.authority_key_id)).toBe(true);
    }
  });

  it("isRevoked finds every listed serial (also with extra leading zeros) and nothing else", () => {
    const item = set.crls.find((c) => c.source === "tdx/dcap-qvl/tdx_quote_outdated_collateral.json:pck_crl")!;
    const crl = ok(wasmCrlParse(item.der));
    for (const r of crl.revoked) {
      expect(wasmCrlIsRevoked(item.der, hex(r.serial))).toBe(true);
      expect(wasmCrlIsRevoked(item.der, hex("0000" + r.serial))).toBe(true);
      const other = hex(r.serial);
      other[other.length - 1] ^= 1;
      expect(wasmCrlIsRevoked(item.der, other)).toBe(crl.revoked.some((x) => x.serial === toHex(other)));
    }
    expect(wasmCrlIsRevoked(item.der, hex("00"))).toBe(false);
    expect(wasmCrlIsRevoked(item.der, new Uint8Array(0))).toBe(false);
    expect(wasmCrlIsRevoked(hex("3000"), hex("01"))).toBeNull();
  });
});

describe("PEM", () => {
  it("decodes every PEM text in the fixtures exactly as a plain regex does (incl. NUL-padded quote chains)", () => {
    expect(set.pems.length).toBeGreaterThan(100);
    for (const p of set.pems) {
      const blocks = wasmPemDecode(p.text);
      if (isParseError(blocks)) throw new Error(`${p.source}: ${blocks.error}`);
      expect(blocks.map((b) => [b.label, toHex(b.der)]), p.source).toEqual(p.blocks.map((b) => [b.label, toHex(b.der)]));
    }
    expect(set.pems.some((p) => p.text[p.text.length - 1] === 0)).toBe(true);
  });

  const der1 = hex("300602010102010a"), der2 = hex("30030201ff");
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
  it("x509_parse_pem parses whole chains (only CERTIFICATE blocks) and reports the first failure", () => {
    const chain = set.pems.find((p) => p.source === "snp/roots/ask_ark_milan.pem")!;
    const certs = wasmX509ParsePem(chain.text);
    if (isParseError(certs)) throw new Error(certs.error);
    expect(certs.map((c) => c.subject.cn)).toEqual(["SEV-Milan", "ARK-Milan"]);
    const withKey = `-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n${Buffer.from(chain.text).toString()}`;
    expect((wasmX509ParsePem(withKey) as Parsed[]).length).toBe(2);
    expect(wasmX509ParsePem("nothing")).toEqual({ error: "X509_NO_CERTIFICATES" });
    expect(wasmX509ParsePem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----")).toEqual({ error: "X509_BAD_PEM", detail: "PEM_BAD_BASE64" });
    expect(errorOf(wasmX509ParsePem("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----"))).toBe("X509_MALFORMED_TBS");
  });

  it("tolerates CRLF, odd wrapping, indentation, text between blocks and trailing NULs", () => {
    const text = `junk before\r\n-----BEGIN CERTIFICATE-----\r\n  ${b64(der1).slice(0, 3)}\r\n\t${b64(der1).slice(3)}  \r\n-----END CERTIFICATE-----\r\nsome text\n` +
      `-----BEGIN X509 CRL-----\n${b64(der2)}\n-----END X509 CRL-----\n\0\0\0`;
    const blocks = wasmPemDecode(text);
    expect(isParseError(blocks)).toBe(false);
    expect((blocks as { label: string; der: Uint8Array }[]).map((b) => [b.label, toHex(b.der)])).toEqual([["CERTIFICATE", toHex(der1)], ["X509 CRL", toHex(der2)]]);
  });

  it("rejects malformed blocks with stable codes", () => {
    const body = b64(der1);
    const cases: [string, string][] = [
      [`-----BEGIN CERTIFICATE-----\n${body}\n-----END X509 CRL-----`, "PEM_LABEL_MISMATCH"],
      [`-----BEGIN CERTIFICATE-----\n${body}\n`, "PEM_UNTERMINATED"],
      [`-----BEGIN CERTIFICATE-----\n${body}!\n-----END CERTIFICATE-----`, "PEM_BAD_BASE64"],
      [`-----BEGIN CERTIFICATE-----\n${body.slice(0, -1)}\n-----END CERTIFICATE-----`, "PEM_BAD_BASE64"],
      [`-----BEGIN CERTIFICATE-----\nKey: value\n${body}\n-----END CERTIFICATE-----`, "PEM_BAD_BASE64"],
      [`-----BEGIN CERT\u0001-----\n${body}\n-----END CERT\u0001-----`, "PEM_BAD_LABEL"],
      [`-----BEGIN CERTIFICATE`, "PEM_UNTERMINATED"],
      ["no pem here", "PEM_NO_BLOCKS"],
      ["", "PEM_NO_BLOCKS"],
    ];
    for (const [text, code] of cases) expect(errorOf(wasmPemDecode(text)), text).toBe(code);
  });
});

describe("DER reader", () => {
  const walk = (h: string) => wasmDerWalk(hex(h));
  it("enforces definite, minimal, bounded lengths and minimal tags", () => {
    const cases: [string, string][] = [
      ["30800000", "DER_INDEFINITE_LENGTH"],
      ["0481050102030405", "DER_NON_MINIMAL_LENGTH"],
      [`048200${"80"}${"00".repeat(128)}`, "DER_NON_MINIMAL_LENGTH"],
      ["0485010000000000", "DER_LENGTH_OVERFLOW"],
      ["3003040500", "DER_TRUNCATED"],
      ["04", "DER_TRUNCATED"],
      ["0484ffffffff", "DER_TRUNCATED"],
      ["9f1e00", "DER_BAD_TAG"],
      ["9f801f00", "DER_BAD_TAG"],
      ["9f8080808001", "DER_BAD_TAG"],
      ["9f", "DER_TRUNCATED"],
      ["010101", "DER_BAD_BOOLEAN"],
      ["01020000", "DER_BAD_BOOLEAN"],
      ["050100", "DER_BAD_NULL"],
      ["0200", "DER_BAD_INTEGER"],
      ["0202007f", "DER_BAD_INTEGER"],
      ["0202ff80", "DER_BAD_INTEGER"],
      ["0600", "DER_BAD_OID"],
      ["060181", "DER_BAD_OID"],
      ["06028001", "DER_BAD_OID"],
      ["0300", "DER_BAD_BIT_STRING"],
      ["030108", "DER_BAD_BIT_STRING"],
      ["03020781", "DER_BAD_BIT_STRING"],
      ["030207ff", "DER_BAD_BIT_STRING"],
    ];
    for (const [h, code] of cases) expect(errorOf(walk(h)), h).toBe(code);
    for (const h of ["9f1f00", "bf810000", "0101ff", "010100", "0500", "020100", "020200ff", "0201ff", "03020780", "030100", "3000", "06022a03"]) {
      expect(errorOf(walk(h)), h).toBe("ok");
    }
    expect(ok(walk("0201ff") as object) as { negative_integers: number }).toMatchObject({ negative_integers: 1 });
    expect(errorOf(walk("020200ff04"))).toBe("DER_TRUNCATED");
  });

  it("bounds the nesting depth", () => {
    const nest = (n: number): Uint8Array => { let b: Uint8Array = hex("0500"); for (let i = 0; i < n; i++) b = D.seq(b); return b; };
    const limit = (ok(wasmDerWalk(hex("3000"))) as { depth_limit: number }).depth_limit;
    expect(errorOf(wasmDerWalk(nest(limit)))).toBe("ok");
    expect(errorOf(wasmDerWalk(nest(limit + 1)))).toBe("DER_TOO_DEEP");
    expect(errorOf(wasmDerWalk(nest(5000)))).toBe("DER_TOO_DEEP");
  });

  it("prints OIDs in dotted form (property: any arcs round-trip)", () => {
    const oids = (h: string) => (ok(wasmDerWalk(hex(h))) as { oids: string[] }).oids;
    expect(oids("0603551d13")).toEqual(["2.5.29.19"]);
    expect(oids("06092a864886f70d01010a")).toEqual(["1.2.840.113549.1.1.10"]);
    expect(oids("06028837")).toEqual(["2.999"]);
    expect(errorOf(wasmDerWalk(hex("060a81808080808080808001")))).toBe("DER_BAD_OID"); // arc wider than 63 bits
    const arc = fc.bigInt({ min: 0n, max: (1n << 62n) - 1n });
    fc.assert(fc.property(fc.constantFrom(0n, 1n, 2n), fc.bigInt({ min: 0n, max: 39n }), fc.array(arc, { maxLength: 8 }), (a0, a1, rest) => {
      const dotted = [a0, a1, ...rest].join(".");
      expect(oids(toHex(D.oid(dotted)))).toEqual([dotted]);
    }), { seed: FC_SEED, numRuns: 300 });
  });

  it("converts UTCTime (1950-2049 rule) and GeneralizedTime to Unix seconds", () => {
    const times = (b: Uint8Array) => (ok(wasmDerWalk(b)) as { times: number[] }).times;
    expect(times(D.utcTime("491231235959Z"))).toEqual([Date.UTC(2049, 11, 31, 23, 59, 59) / 1000]);
    expect(times(D.utcTime("500101000000Z"))).toEqual([Date.UTC(1950, 0, 1) / 1000]);
    expect(times(D.utcTime("700101000000Z"))).toEqual([0]);
    expect(times(D.generalizedTime("99991231235959Z"))).toEqual([253402300799]);
    expect(times(D.generalizedTime("20240229120000Z"))).toEqual([Date.UTC(2024, 1, 29, 12) / 1000]);
    expect(times(D.generalizedTime("20000229000000Z"))).toEqual([Date.UTC(2000, 1, 29) / 1000]);
    expect(times(D.generalizedTime("00010101000000Z"))).toEqual([-62135596800]);
    for (const bad of [D.generalizedTime("20230229000000Z"), D.generalizedTime("19000229000000Z"), D.utcTime("240431000000Z"),
      D.utcTime("241301000000Z"), D.utcTime("240100000000Z"), D.utcTime("240101240000Z"), D.utcTime("240101006000Z"),
      D.utcTime("240101000060Z"), D.utcTime("2401010000Z"), D.utcTime("240101000000+0000"), D.utcTime("2401010000000"),
      D.generalizedTime("20240101000000.5Z"), D.generalizedTime("2024010100000Z"), D.utcTime("24010100000aZ"), D.utcTime(" 40101000000Z")]) {
      expect(errorOf(wasmDerWalk(bad)), toHex(bad)).toBe("DER_BAD_TIME");
    }
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    const fmt = (d: Date) => `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1950, 0, 1) / 1000, max: Date.UTC(2049, 11, 31, 23, 59, 59) / 1000 }), (t) => {
      const d = new Date(t * 1000);
      expect(times(D.utcTime(pad(d.getUTCFullYear() % 100) + fmt(d)))).toEqual([t]);
    }), { seed: FC_SEED, numRuns: 300 });
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1000, 0, 1) / 1000, max: 253402300799 }), (t) => {
      const d = new Date(t * 1000);
      expect(times(D.generalizedTime(pad(d.getUTCFullYear(), 4) + fmt(d)))).toEqual([t]);
    }), { seed: FC_SEED, numRuns: 300 });
  });

  it("walks real certificates completely", () => {
    for (const item of set.certs.slice(0, 50)) {
      const w = wasmDerWalk(item.der);
      if (isParseError(w)) continue; // node-rejected negatives
      expect(w.nodes).toBeGreaterThan(20);
      expect(w.oids.length).toBeGreaterThan(3);
      expect(w.times.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("X.509 strictness (synthetic certificates)", () => {
  const parse = (der: Uint8Array) => wasmX509Parse(der);
  const { seq, set: dset, explicit, int, oid, bits, octets, bool, nul, utf8, printable, tlv, extension, OIDS } = D;
  const ext = (...e: Uint8Array[]) => D.certificate({ extensions: e });

  it("parses a minimal v3 certificate", () => {
    const c = ok(parse(D.certificate()));
    expect(c.version).toBe(3);
    expect(c.serial).toBe("1234");
    expect(c.issuer.cn).toBe("Test CA");
    expect(c.subject.cn).toBe("Test Leaf");
    expect([c.not_before, c.not_after]).toEqual([Date.UTC(2024, 0, 1) / 1000, Date.UTC(2050, 0, 1) / 1000]);
    expect(c.basic_constraints).toEqual({ ca: true, path_len: null });
    expect(c.public_key).toMatchObject({ kind: "ec", curve: "P-256", point: toHex(D.P256_POINT) });
    expect(c.signature).toBe("3006020101020101");
  });

  it("versions, serials and unique identifiers", () => {
    expect(ok(parse(D.certificate({ version: null, extensions: null }))).version).toBe(1);
    expect(ok(parse(D.certificate({ version: explicit(0, int(1)), extensions: null }))).version).toBe(2);
    expect(errorOf(parse(D.certificate({ version: null })))).toBe("X509_EXTENSIONS_IN_V1");
    expect(errorOf(parse(D.certificate({ version: explicit(0, int(3)) })))).toBe("X509_BAD_VERSION");
    expect(ok(parse(D.certificate({ serial: int(0) }))).serial).toBe("00");
    expect(ok(parse(D.certificate({ serial: int(0x80) }))).serial).toBe("80");
    expect(ok(parse(D.certificate({ serial: int((1n << 159n) + 5n) }))).serial).toBe("80" + "00".repeat(18) + "05");
    expect(errorOf(parse(D.certificate({ serial: tlv(0x02, hex("80")) })))).toBe("X509_BAD_SERIAL");
    expect(errorOf(parse(D.certificate({ serial: tlv(0x02, hex("0001")) })))).toBe("X509_BAD_SERIAL");
    expect(errorOf(parse(D.certificate({ serial: int(1n << 160n) })))).toBe("X509_BAD_SERIAL");
    expect(ok(parse(D.certificate({ tail: [tlv(0x81, hex("0001"))] }))).version).toBe(3);
    expect(errorOf(parse(D.certificate({ version: null, extensions: null, tail: [tlv(0x81, hex("00"))] })))).toBe("X509_BAD_UNIQUE_ID");
    expect(errorOf(parse(D.certificate({ tail: [int(5)] })))).toBe("X509_MALFORMED_TBS");
  });

  it("outer structure: trailing data, signature bit string, algorithm equality", () => {
    const good = D.certificate();
    expect(errorOf(parse(D.concat(good, hex("00"))))).toBe("X509_TRAILING_DATA");
    expect(errorOf(parse(good.subarray(0, good.length - 1)))).toBe("X509_MALFORMED");
    expect(errorOf(parse(D.certificate({ signature: bits(hex("3006020101020100"), 1) })))).toBe("X509_BAD_SIGNATURE");
    expect(errorOf(parse(D.certificate({ outerAlg: seq(oid(OIDS.ecdsaSha384)) })))).toBe("X509_SIGALG_MISMATCH");
    expect(errorOf(parse(D.certificate({ innerAlg: seq(oid(OIDS.ecdsaSha256), nul()) })))).toBe("X509_BAD_SIGALG");
    expect(errorOf(parse(D.certificate({ innerAlg: seq(oid("1.3.101.112")) })))).toBe("X509_UNSUPPORTED_SIGALG");
    expect(ok(parse(D.certificate({ innerAlg: seq(oid(OIDS.rsaSha256), nul()) }))).signature_algorithm.name).toBe("sha256WithRSAEncryption");
    expect(ok(parse(D.certificate({ innerAlg: seq(oid(OIDS.rsaSha256)) }))).signature_algorithm.hash).toBe("sha256");
    expect(errorOf(parse(seq(D.certificate())))).toBe("X509_BAD_SERIAL"); // the whole certificate taken as the TBS
    expect(errorOf(parse(new Uint8Array(0)))).toBe("X509_MALFORMED");
  });

  it("RSASSA-PSS parameters: both AMD encodings, defaults, and rejections", () => {
    const pss = (o: Parameters<typeof D.pssAlgorithm>[0]) => parse(D.certificate({ innerAlg: D.pssAlgorithm(o) }));
    expect(ok(pss({})).signature_algorithm.pss).toEqual({ mgf1_hash: "sha384", salt_length: 48, trailer_field: 1, trailer_explicit: true });
    expect(ok(pss({ trailer: false })).signature_algorithm.pss).toEqual({ mgf1_hash: "sha384", salt_length: 48, trailer_field: 1, trailer_explicit: false });
    expect(ok(pss({ salt: null, hash: OIDS.sha256 })).signature_algorithm).toMatchObject({ hash: "sha256", pss: { salt_length: 20 } });
    expect(ok(pss({ mgfHash: OIDS.sha256 })).signature_algorithm.pss!.mgf1_hash).toBe("sha256");
    expect(errorOf(pss({ params: false }))).toBe("X509_BAD_SIGALG");
    expect(errorOf(parse(D.certificate({ innerAlg: seq(oid(OIDS.pss), seq()) })))).toBe("X509_UNSUPPORTED_SIGALG"); // all-SHA-1 defaults
    expect(errorOf(pss({ hash: OIDS.sha1 }))).toBe("X509_UNSUPPORTED_SIGALG");
    expect(errorOf(pss({ trailer: 2 }))).toBe("X509_BAD_SIGALG");
    expect(errorOf(pss({ salt: 100000 }))).toBe("X509_BAD_SIGALG");
    const reordered = seq(oid(OIDS.pss), seq(explicit(2, int(48)), explicit(0, seq(oid(OIDS.sha384), nul())), explicit(1, seq(oid(OIDS.mgf1), seq(oid(OIDS.sha384))))));
    expect(isParseError(parse(D.certificate({ innerAlg: reordered })))).toBe(true);
  });

  it("AMD ARK with a tampered PSS trailer or a mismatched outer algorithm is rejected", () => {
    const ark = set.certs.map((i) => i.der).find((der) => { const r = wasmX509Parse(der); return !isParseError(r) && r.subject.cn === "ARK-Milan"; })!;
    const h = toHex(ark);
    expect(h.split("a303020101").length - 1).toBe(2);
    expect(errorOf(parse(hex(h.replaceAll("a303020101", "a303020102"))))).toBe("X509_BAD_SIGALG");
    const lastSalt = h.lastIndexOf("a203020130");
    expect(errorOf(parse(hex(h.slice(0, lastSalt) + "a203020120" + h.slice(lastSalt + 10))))).toBe("X509_SIGALG_MISMATCH");
  });

  it("public keys: P-256, P-384, RSA; other curves, compressed points and other key types are refused", () => {
    const spki = (s: Uint8Array) => parse(D.certificate({ spki: s }));
    const p384 = hex("04" + "33".repeat(96));
    expect(ok(spki(D.ecSpki(OIDS.p384, p384))).public_key).toMatchObject({ kind: "ec", curve: "P-384", point: toHex(p384) });
    const n = (1n << 2047n) + 12345n;
    expect(ok(spki(D.rsaSpki(n))).public_key).toMatchObject({ kind: "rsa", modulus: n.toString(16), exponent: "010001" });
    expect(ok(spki(seq(seq(oid(OIDS.rsa)), bits(seq(int(n), int(3)))))).public_key).toMatchObject({ exponent: "03" });
    expect(errorOf(spki(D.ecSpki(OIDS.secp256k1)))).toBe("X509_UNSUPPORTED_CURVE");
    expect(errorOf(spki(D.ecSpki(OIDS.p256, hex("02" + "11".repeat(32)))))).toBe("X509_BAD_EC_POINT");
    expect(errorOf(spki(D.ecSpki(OIDS.p384, D.P256_POINT)))).toBe("X509_BAD_EC_POINT");
    expect(errorOf(spki(seq(seq(oid(OIDS.ecPublicKey), oid(OIDS.p256)), bits(D.P256_POINT, 1))))).toBe("X509_BAD_SPKI");
    expect(errorOf(spki(seq(seq(oid(OIDS.ecPublicKey), nul()), bits(D.P256_POINT))))).toBe("X509_BAD_SPKI");
    expect(errorOf(spki(seq(seq(oid(OIDS.ed25519)), bits(hex("11".repeat(32))))))).toBe("X509_UNSUPPORTED_KEY");
    expect(errorOf(spki(seq(seq(oid(OIDS.rsa), nul()), bits(D.concat(seq(int(n), int(65537)), hex("00"))))))).toBe("X509_BAD_SPKI");
    expect(errorOf(spki(D.rsaSpki(0n)))).toBe("X509_BAD_SPKI");
    expect(errorOf(spki(D.concat(D.ecSpki(), hex("0500"))))).toBe("X509_MALFORMED_TBS");
  });

  it("names: string types, multi-valued RDNs, empty names; undecodable CNs are errors", () => {
    const subject = (s: Uint8Array) => parse(D.certificate({ subject: s }));
    const bmp = tlv(0x1e, Buffer.from("\u00c9t\u00e9 \ud83d\ude00", "utf16le").swap16());
    expect(ok(subject(D.name(bmp))).subject.cn).toBe("\u00c9t\u00e9 \ud83d\ude00");
    expect(ok(subject(D.name(printable("Printable CN")))).subject.cn).toBe("Printable CN");
    expect(ok(subject(D.name(tlv(0x14, hex("e9")))))).toMatchObject({ subject: { cn: "\u00e9" } });
    expect(ok(subject(D.name(utf8("\u65e5\u672c")))).subject.cn).toBe("\u65e5\u672c");
    const multi = ok(subject(seq(dset(seq(oid(OIDS.o), utf8("Org")), seq(oid(OIDS.cn), utf8("Multi"))))));
    expect(multi.subject.attributes.map((a) => a.value)).toEqual(["Org", "Multi"]);
    expect(multi.subject.cn).toBe("Multi");
    expect(ok(subject(seq())).subject).toMatchObject({ cn: null, attributes: [], raw: "3000" });
    expect(ok(subject(D.name(utf8("x"), seq(oid("1.2.3.4"), tlv(0x04, hex("0102")))))).subject.attributes[1]).toMatchObject({ oid: "1.2.3.4", value_hex: "0102" });
    expect(errorOf(subject(D.name(tlv(0x0c, hex("c0af")))))).toBe("X509_BAD_NAME");
    expect(errorOf(subject(D.name(tlv(0x13, hex("80")))))).toBe("X509_BAD_NAME");
    expect(errorOf(subject(D.name(tlv(0x1e, hex("d800")))))).toBe("X509_BAD_NAME");
    expect(errorOf(subject(seq(dset())))).toBe("X509_BAD_NAME");
    expect(errorOf(subject(seq(dset(seq(oid(OIDS.cn), utf8("a"), utf8("b"))))))).toBe("X509_BAD_NAME");
  });

  it("validity must be two well-formed times", () => {
    const v = (...t: Uint8Array[]) => parse(D.certificate({ validity: seq(...t) }));
    expect(ok(v(D.generalizedTime("20490101000000Z"), D.utcTime("491231000000Z"))).not_after).toBe(Date.UTC(2049, 11, 31) / 1000);
    expect(errorOf(v(D.utcTime("240101000000Z")))).toBe("X509_BAD_VALIDITY");
    expect(errorOf(v(D.utcTime("240101000000Z"), D.utcTime("240230000000Z")))).toBe("X509_BAD_VALIDITY");
    expect(errorOf(v(D.utcTime("240101000000Z"), D.utcTime("250101000000Z"), D.utcTime("260101000000Z")))).toBe("X509_BAD_VALIDITY");
    expect(errorOf(v(D.utcTime("240101000000Z"), printable("250101000000Z")))).toBe("X509_BAD_VALIDITY");
  });

  it("extensions: duplicates, critical flag, basicConstraints, keyUsage, key identifiers", () => {
    const bc = (v: Uint8Array) => extension(OIDS.basicConstraints, v, true);
    expect(errorOf(parse(ext(bc(seq()), bc(seq()))))).toBe("X509_DUPLICATE_EXTENSION");
    expect(errorOf(parse(D.certificate({ extensions: [] })))).toBe("X509_BAD_EXTENSIONS");
    expect(errorOf(parse(ext(seq(oid(OIDS.ski), tlv(0x01, hex("01")), octets(octets(hex("01")))))))).toBe("X509_BAD_EXTENSIONS");
    expect(errorOf(parse(ext(seq(oid(OIDS.ski), octets(octets(hex("01"))), bool(true)))))).toBe("X509_BAD_EXTENSIONS");
    const explicitFalse = ok(parse(ext(extension(OIDS.ski, octets(hex("0102")), false))));
    expect(explicitFalse.extensions).toEqual([{ oid: "2.5.29.14", critical: false, value: "04020102" }]);
    expect(explicitFalse.subject_key_id).toBe("0102");
    expect(explicitFalse.basic_constraints).toBeNull();

    expect(ok(parse(ext(bc(seq(bool(true), int(3)))))).basic_constraints).toEqual({ ca: true, path_len: 3 });
    expect(ok(parse(ext(bc(seq())))).basic_constraints).toEqual({ ca: false, path_len: null });
    expect(errorOf(parse(ext(bc(D.concat(seq(bool(true)), hex("00"))))))).toBe("X509_BAD_BASIC_CONSTRAINTS");
    expect(errorOf(parse(ext(bc(seq(bool(true), int(1000))))))).toBe("X509_BAD_BASIC_CONSTRAINTS");
    expect(errorOf(parse(ext(bc(seq(int(1), bool(true))))))).toBe("X509_BAD_BASIC_CONSTRAINTS");

    const ku = (v: Uint8Array) => parse(ext(extension(OIDS.keyUsage, v, true)));
    expect(ok(ku(bits(hex("86"), 1))).key_usage).toBe(1 | (1 << 5) | (1 << 6));
    expect(ok(ku(bits(hex("0080"), 7))).key_usage).toBe(1 << 8);
    expect(errorOf(ku(bits(hex("87"), 1)))).toBe("X509_BAD_KEY_USAGE");
    expect(errorOf(ku(bits(new Uint8Array(0))))).toBe("X509_BAD_KEY_USAGE");
    expect(errorOf(ku(bits(hex("000000"))))).toBe("X509_BAD_KEY_USAGE");

    const aki = (v: Uint8Array) => parse(ext(extension(OIDS.aki, v)));
    expect(ok(aki(seq(tlv(0x80, hex("abcd")), tlv(0xa1, seq()), tlv(0x82, hex("01"))))).authority_key_id).toBe("abcd");
    expect(ok(aki(seq())).authority_key_id).toBe("");
    expect(errorOf(aki(seq(tlv(0x85, hex("01")))))).toBe("X509_BAD_KEY_ID");
    expect(errorOf(parse(ext(extension(OIDS.ski, hex("0102")))))).toBe("X509_BAD_KEY_ID");
  });
});

describe("CRL strictness (synthetic CRLs)", () => {
  const { seq, int, oid, tlv, extension, OIDS } = D;
  const reason = extension(OIDS.crlReason, hex("0a0101"));

  it("parses entries, optional nextUpdate and CRL extensions", () => {
    const der = D.crl({
      entries: [D.crlEntry(5n), D.crlEntry(0x80n, "240102000000Z", reason), D.crlEntry(1n << 150n)],
      extensions: [extension(OIDS.crlNumber, int(7)), extension(OIDS.aki, seq(tlv(0x80, hex("beef"))))],
    });
    const c = ok(wasmCrlParse(der));
    expect(c.revoked).toEqual([
      { serial: "05", date: Date.UTC(2024, 0, 1) / 1000 },
      { serial: "80", date: Date.UTC(2024, 0, 2) / 1000 },
      { serial: "40" + "00".repeat(18), date: Date.UTC(2024, 0, 1) / 1000 },
    ]);
    expect([c.this_update, c.next_update]).toEqual([Date.UTC(2024, 0, 1) / 1000, Date.UTC(2024, 1, 1) / 1000]);
    expect(c.authority_key_id).toBe("beef");
    expect(c.extensions.map((e) => e.oid)).toEqual(["2.5.29.20", "2.5.29.35"]);
    expect([der[c.tbs_start], der[c.tbs_start + 1], c.tbs_end - c.tbs_start]).toEqual([0x30, 0x81, 0xbf + 3]);
    expect(wasmCrlIsRevoked(der, hex("80"))).toBe(true);
    expect(wasmCrlIsRevoked(der, hex("0080"))).toBe(true);
    expect(wasmCrlIsRevoked(der, hex("81"))).toBe(false);
    expect(ok(wasmCrlParse(D.crl({ nextUpdate: null }))).next_update).toBeNull();
    expect(ok(wasmCrlParse(D.crl({ thisUpdate: D.generalizedTime("20500101000000Z"), nextUpdate: null }))).this_update).toBe(Date.UTC(2050, 0, 1) / 1000);
    expect(ok(wasmCrlParse(D.crl({ version: null }))).version).toBe(1);
  });

  it("rejects malformed CRLs with stable codes", () => {
    const cases: [Uint8Array, string][] = [
      [D.crl({ version: int(2) }), "CRL_BAD_VERSION"],
      [D.crl({ version: int(0) }), "CRL_BAD_VERSION"],
      [D.crl({ version: null, extensions: [extension(OIDS.crlNumber, int(1))] }), "CRL_BAD_EXTENSIONS"],
      [D.crl({ version: null, entries: [D.crlEntry(1n, "240101000000Z", reason)] }), "CRL_BAD_ENTRY"],
      [D.crl({ entries: [] }), "CRL_BAD_ENTRY"],
      [D.crl({ entries: [seq(tlv(0x02, hex("ff")), D.utcTime("240101000000Z"))] }), "CRL_BAD_ENTRY"],
      [D.crl({ entries: [seq(int(1))] }), "CRL_BAD_ENTRY"],
      [D.crl({ entries: [D.crlEntry(1n << 170n)] }), "CRL_BAD_ENTRY"],
      [D.crl({ thisUpdate: D.utcTime("241301000000Z") }), "CRL_BAD_TIME"],
      [D.crl({ nextUpdate: D.utcTime("2401010000Z") }), "CRL_BAD_TIME"],
      [D.crl({ issuer: seq(D.set()) }), "CRL_BAD_ISSUER"],
      [D.crl({ extensions: [extension(OIDS.crlNumber, int(1)), extension(OIDS.crlNumber, int(2))] }), "CRL_BAD_EXTENSIONS"],
      [D.crl({ alg: seq(oid("1.3.101.112")) }), "X509_UNSUPPORTED_SIGALG"],
      [D.concat(D.crl(), hex("00")), "CRL_TRAILING_DATA"],
      [hex("3000"), "CRL_MALFORMED_TBS"],
      [hex("30"), "CRL_MALFORMED"],
    ];
    for (const [der, code] of cases) expect(errorOf(wasmCrlParse(der)), toHex(der)).toBe(code);
    const good = D.crl();
    const outerAlgAt = toHex(good).lastIndexOf("06082a8648ce3d040302");
    const mismatched = hex(toHex(good).slice(0, outerAlgAt) + "06082a8648ce3d040303" + toHex(good).slice(outerAlgAt + 20));
    expect(errorOf(wasmCrlParse(mismatched))).toBe("CRL_SIGALG_MISMATCH");
  });

  it("isRevoked agrees with a plain set for random serial lists (property)", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.bigInt({ min: 0n, max: (1n << 159n) - 1n }), { minLength: 1, maxLength: 40 }), fc.bigInt({ min: 0n, max: (1n << 159n) - 1n }), (serials, probe) => {
      const der = D.crl({ entries: serials.map((s) => D.crlEntry(s)) });
      const toBytes = (v: bigint) => { let h = v.toString(16); if (h.length % 2) h = "0" + h; return hex(h); };
      expect(wasmCrlIsRevoked(der, toBytes(serials[serials.length >> 1]))).toBe(true);
      expect(wasmCrlIsRevoked(der, toBytes(probe))).toBe(serials.includes(probe));
    }), { seed: FC_SEED, numRuns: 150 });
  });
});

describe("large hostile inputs stay linear (the stub runtime never frees)", () => {
  it("a 60,000-character CN, a 5,000-entry CRL, an oversized OID, a 2 MB random blob", () => {
    const cn = "A".repeat(60_000);
    expect(ok(wasmX509Parse(D.certificate({ subject: D.name(D.printable(cn)) }))).subject.cn).toBe(cn);
    expect(ok(wasmX509Parse(D.certificate({ subject: D.name(D.tlv(0x14, new Uint8Array(60_000).fill(0xe9))) }))).subject.cn!.length).toBe(60_000);
    const entries = Array.from({ length: 5000 }, (_, i) => D.crlEntry(BigInt(i * 7919 + 1)));
    const big = D.crl({ entries });
    expect(ok(wasmCrlParse(big)).revoked.length).toBe(5000);
    expect(wasmCrlIsRevoked(big, hex("01"))).toBe(true);
    expect(wasmCrlIsRevoked(big, hex("02"))).toBe(false);
    const longOid = D.tlv(0x06, new Uint8Array(129).fill(0x01));
    expect(errorOf(wasmDerWalk(longOid))).toBe("DER_BAD_OID");
    expect(errorOf(wasmDerWalk(D.tlv(0x06, new Uint8Array(128).fill(0x01))))).toBe("ok");
    expect(errorOf(wasmX509Parse(D.certificate({ extensions: [D.seq(longOid, D.octets(hex("00")))] })))).toBe("X509_BAD_EXTENSIONS");
    const blob = new Uint8Array(2 << 20).map((_, i) => (i * 2654435761) >>> 24);
    for (const r of [wasmX509Parse(blob), wasmCrlParse(blob), wasmDerWalk(blob), wasmPemDecode(blob)]) expect(isParseError(r)).toBe(true);
  });
});

describe("fuzz (fixed seed): random and mutated inputs end in a clean result, never a Wasm abort", () => {
  // Any WasmAbort (or malformed JSON) thrown by a wrapper fails the property.
  const parseAll = (bytes: Uint8Array): void => {
    for (const r of [wasmX509Parse(bytes), wasmCrlParse(bytes), wasmDerWalk(bytes), wasmPemDecode(bytes)]) {
      expect(typeof r).toBe("object");
    }
  };

  it("random bytes (also behind a DER SEQUENCE header)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, wrap) => {
      parseAll(wrap ? D.seq(bytes) : bytes);
    }), { seed: FC_SEED, numRuns: 800 });
  });

  it("single-byte mutations, insertions and deletions of real certificates and CRLs", () => {
    const corpus = [...set.certs.filter((c) => c.der.length < 4000).slice(0, 40), ...set.crls].map((c) => c.der);
    let parsed = 0;
    fc.assert(fc.property(fc.nat(corpus.length - 1), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "insert", "delete"), (which, at, value, op) => {
      const src = corpus[which];
      const i = at % src.length;
      const m = op === "set" ? Uint8Array.from(src) : op === "insert" ? D.concat(src.subarray(0, i), new Uint8Array([value]), src.subarray(i)) : D.concat(src.subarray(0, i), src.subarray(i + 1));
      if (op === "set") m[i] = value;
      const cert = wasmX509Parse(m), crl = wasmCrlParse(m);
      expect(typeof wasmDerWalk(m)).toBe("object");
      for (const r of [cert, crl] as (Parsed | X509Crl | ParseError)[]) {
        if (isParseError(r)) { expect(r.error).toMatch(/^(X509|CRL|DER)_[A-Z0-9_]+$/); continue; }
        parsed++;
        expect(r.tbs_start).toBeGreaterThanOrEqual(2);
        expect(r.tbs_end).toBeLessThan(m.length);
      }
    }), { seed: FC_SEED, numRuns: 2500 });
    expect(parsed).toBeGreaterThan(100); // many mutations land in values that stay valid
  });

  it("every truncation of a real certificate or CRL is rejected", () => {
    const corpus = [...set.certs.slice(0, 20), ...set.crls.slice(0, 3)].map((c) => c.der);
    fc.assert(fc.property(fc.nat(corpus.length - 1), fc.nat(), (which, cut) => {
      const src = corpus[which];
      const t = src.subarray(0, cut % src.length);
      expect(isParseError(wasmX509Parse(t))).toBe(true);
      expect(isParseError(wasmCrlParse(t))).toBe(true);
    }), { seed: FC_SEED, numRuns: 600 });
  });

  it("mutated PEM texts", () => {
    const corpus = set.pems.slice(0, 30).map((p) => p.text);
    fc.assert(fc.property(fc.nat(corpus.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (which, edits) => {
      const m = Uint8Array.from(corpus[which]);
      for (const [at, v] of edits) m[at % m.length] = v;
      const r = wasmPemDecode(m);
      if (isParseError(r)) expect(r.error).toMatch(/^PEM_[A-Z0-9_]+$/);
    }), { seed: FC_SEED, numRuns: 400 });
  });

  it("generated DER trees walk with the right node count", () => {
    type Tree = { tag: number; children?: Tree[]; content?: Uint8Array };
    const tree = fc.letrec<{ node: Tree }>((tie) => ({
      node: fc.oneof({ depthSize: "small", withCrossShrink: true },
        fc.record({ tag: fc.constantFrom(0x04, 0x0c, 0x80, 0x9f), content: fc.uint8Array({ maxLength: 300 }) }),
        fc.record({ tag: fc.constantFrom(0x30, 0x31, 0xa0, 0xa3), children: fc.array(tie("node"), { maxLength: 4 }) })),
    })).node;
    const encode = (t: Tree): Uint8Array => t.tag === 0x9f ? D.concat(hex("9f2a"), D.tlv(0x04, t.content!).subarray(1)) : t.children ? D.tlv(t.tag, ...t.children.map(encode)) : D.tlv(t.tag, t.content!);
    const count = (t: Tree): number => 1 + (t.children ?? []).reduce((n, c) => n + count(c), 0);
    fc.assert(fc.property(tree, (t) => {
      const w = ok(wasmDerWalk(encode(t)));
      expect(w.nodes).toBe(count(t));
    }), { seed: FC_SEED, numRuns: 300 });
  });
});
