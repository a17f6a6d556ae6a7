// A tiny DER encoder for tests: builds synthetic certificates and CRLs field by field, so each parser
// rule (duplicate extensions, PSS parameter forms, unsupported keys, string types, …) can be exercised
// with exactly one thing wrong. Signatures in these objects are placeholders; nothing here verifies.

// The encoding primitives are the simulators' (src/sim/der.ts); the short names are what the tests read.
import type { Bytes } from "../../src/sim/der";
import { concat, tlv, seq, set, explicit, octets, bitString, bool, nullValue, integer, oid, utf8String, printableString } from "../../src/sim/der";
export type { Bytes };

export const hex = (h: string): Bytes => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export { concat, tlv, seq, set, explicit, octets, bool, oid };
export const bits = bitString;
export const nul = nullValue;
export const int = integer;
export const utf8 = utf8String;
export const printable = printableString;
export const utcTime = (s: string): Bytes => tlv(0x17, new TextEncoder().encode(s));
export const generalizedTime = (s: string): Bytes => tlv(0x18, new TextEncoder().encode(s));

export const OIDS = {
  cn: "2.5.4.3", o: "2.5.4.10", c: "2.5.4.6",
  ecPublicKey: "1.2.840.10045.2.1", p256: "1.2.840.10045.3.1.7", p384: "1.3.132.0.34", secp256k1: "1.3.132.0.10",
  rsa: "1.2.840.113549.1.1.1", ed25519: "1.3.101.112",
  ecdsaSha256: "1.2.840.10045.4.3.2", ecdsaSha384: "1.2.840.10045.4.3.3", rsaSha256: "1.2.840.113549.1.1.11",
  pss: "1.2.840.113549.1.1.10", mgf1: "1.2.840.113549.1.1.8", sha1: "1.3.14.3.2.26", sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  basicConstraints: "2.5.29.19", keyUsage: "2.5.29.15", ski: "2.5.29.14", aki: "2.5.29.35", crlNumber: "2.5.29.20",
  crlReason: "2.5.29.21",
};

export const name = (cn: Bytes, ...more: Bytes[]): Bytes => seq(set(seq(oid(OIDS.cn), cn)), ...more.map((m) => set(m)));

export const ecdsaSha256 = (): Bytes => seq(oid(OIDS.ecdsaSha256));

/** RSASSA-PSS AlgorithmIdentifier; `trailer` false omits [3] (the DEFAULT), as newer AMD VCEKs do. */
export function pssAlgorithm(opts: { hash?: string; mgfHash?: string; salt?: number | null; trailer?: number | false; params?: boolean } = {}): Bytes {
  const hash = opts.hash ?? OIDS.sha384, mgfHash = opts.mgfHash ?? hash;
  if (opts.params === false) return seq(oid(OIDS.pss));
  const fields = [
    explicit(0, seq(oid(hash), nul())),
    explicit(1, seq(oid(OIDS.mgf1), seq(oid(mgfHash), nul()))),
  ];
  if (opts.salt !== null) fields.push(explicit(2, int(opts.salt ?? 48)));
  if (opts.trailer !== false) fields.push(explicit(3, int(opts.trailer ?? 1)));
  return seq(oid(OIDS.pss), seq(...fields));
}

export const P256_POINT = hex("04" + "11".repeat(32) + "22".repeat(32));

export const ecSpki = (curve = OIDS.p256, point: Bytes = P256_POINT): Bytes => seq(seq(oid(OIDS.ecPublicKey), oid(curve)), bits(point));
export const rsaSpki = (n: bigint, e = 65537n): Bytes => seq(seq(oid(OIDS.rsa), nul()), bits(seq(int(n), int(e))));

export const extension = (id: string, value: Bytes, critical?: boolean): Bytes =>
  seq(oid(id), ...(critical === undefined ? [] : [bool(critical)]), octets(value));

export interface CertParts {
  version?: Bytes | null;
  serial?: Bytes;
  innerAlg?: Bytes;
  outerAlg?: Bytes;
  issuer?: Bytes;
  subject?: Bytes;
  validity?: Bytes;
  spki?: Bytes;
  extensions?: Bytes[] | null;
  signature?: Bytes;
  /** Extra raw TBS fields after the SPKI (unique IDs etc.), before the extensions. */
  tail?: Bytes[];
}

export function certificate(p: CertParts = {}): Bytes {
  const alg = p.innerAlg ?? ecdsaSha256();
  const exts = p.extensions === undefined ? [extension(OIDS.basicConstraints, seq(bool(true)), true)] : p.extensions;
  const tbs = seq(
    ...(p.version === null ? [] : [p.version ?? explicit(0, int(2))]),
    p.serial ?? int(0x1234),
    alg,
    p.issuer ?? name(utf8("Test CA")),
    p.validity ?? seq(utcTime("240101000000Z"), generalizedTime("20500101000000Z")),
    p.subject ?? name(utf8("Test Leaf")),
    p.spki ?? ecSpki(),
    ...(p.tail ?? []),
    ...(exts === null ? [] : [explicit(3, seq(...exts))]),
  );
  return seq(tbs, p.outerAlg ?? alg, p.signature ?? bits(hex("3006020101020101")));
}

export interface CrlParts {
  version?: Bytes | null;
  alg?: Bytes;
  issuer?: Bytes;
  thisUpdate?: Bytes;
  nextUpdate?: Bytes | null;
  entries?: Bytes[] | null;
  extensions?: Bytes[] | null;
}

export const crlEntry = (serial: bigint, date = "240101000000Z", ...exts: Bytes[]): Bytes =>
  seq(int(serial), utcTime(date), ...(exts.length ? [seq(...exts)] : []));

export function crl(p: CrlParts = {}): Bytes {
  const alg = p.alg ?? ecdsaSha256();
  const tbs = seq(
    ...(p.version === null ? [] : [p.version ?? int(1)]),
    alg,
    p.issuer ?? name(utf8("Test CA")),
    p.thisUpdate ?? utcTime("240101000000Z"),
    ...(p.nextUpdate === null ? [] : [p.nextUpdate ?? utcTime("240201000000Z")]),
    ...(p.entries === null || p.entries === undefined ? [] : [seq(...p.entries)]),
    ...(p.extensions === null || p.extensions === undefined ? [] : [explicit(0, seq(...p.extensions))]),
  );
  return seq(tbs, alg, bits(hex("3006020101020101")));
}
