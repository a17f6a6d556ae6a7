// A test AMD key-distribution PKI for simulated SEV-SNP evidence: per product an RSA-4096 ARK (self-signed),
// ASK (VCEK path) and ASVK (VLEK path), all signed with RSASSA-PSS SHA-384 / MGF1-SHA-384 / salt 48 like
// AMD's, and P-384 VCEK/VLEK certificates with the KDS extensions (structVersion, productName, the SPLs,
// hwID or cspID). Names, serials, extension sets and both PSS parameter encodings follow the real AMD
// certificates (specs/snp.md §3), so the verifier runs its full profile on them.
//
// Nothing here is trusted by default: a verifier accepts this PKI only when its ARK is passed as a root
// (verifySnp's `roots`, or the registry's governance-set AMD roots). Keys are generated on first use,
// once per product and process (RSA-4096 key generation takes about a second each), unless supplied.
import { generateKeyPairSync, createPublicKey, sign, constants, type KeyObject } from "node:crypto";
import { seq, set, integer, oid, octets, bitString, bool, explicit, utf8String, ia5String, nullValue, time, tlv, type Bytes } from "./der";

export type SnpProduct = "Milan" | "Genoa" | "Turin";
export const SNP_PRODUCTS: readonly SnpProduct[] = ["Milan", "Genoa", "Turin"];

const AMD_OID = "1.3.6.1.4.1.3704.1";
const OID = {
  pss: "1.2.840.113549.1.1.10", mgf1: "1.2.840.113549.1.1.8", sha384: "2.16.840.1.101.3.4.2.2",
  keyUsage: "2.5.29.15", basicConstraints: "2.5.29.19", crlDistributionPoints: "2.5.29.31",
  subjectKeyId: "2.5.29.14", authorityKeyId: "2.5.29.35", crlNumber: "2.5.29.20",
};

/** Serial numbers of AMD's own certificates (fixtures: ARK 0x0N0000, ASK 0x0N0001, ASVK 0x0N0101). */
const PRODUCT_NUMBER: Record<SnpProduct, bigint> = { Milan: 1n, Genoa: 2n, Turin: 3n };
export const arkSerial = (p: SnpProduct): bigint => PRODUCT_NUMBER[p] << 16n;
export const askSerial = (p: SnpProduct): bigint => (PRODUCT_NUMBER[p] << 16n) | 1n;
export const asvkSerial = (p: SnpProduct): bigint => (PRODUCT_NUMBER[p] << 16n) | 0x101n;
/** Every VCEK and VLEK has serial 0 (so a CRL can only revoke all of them at once). */
export const VCEK_SERIAL = 0n;

/** AMD's validity windows for the CA certificates are ~25 years; ours cover 2020-2046. */
const CA_NOT_BEFORE = 1_600_000_000;
const CA_NOT_AFTER = 2_400_000_000;
const DAY = 86_400;
/** KDS issues a VCEK for 7 years from download, a VLEK for 1 year (specs/snp.md §3.1). */
export const VCEK_LIFETIME = 7 * 365 * DAY;
export const VLEK_LIFETIME = 365 * DAY;

/** The AMD name of a certificate role; go-sev-guest checks every attribute, so all are present. */
export function amdName(cn: string): Bytes {
  const attrs: [string, string][] = [["2.5.4.11", "Engineering"], ["2.5.4.6", "US"], ["2.5.4.7", "Santa Clara"],
    ["2.5.4.8", "CA"], ["2.5.4.10", "Advanced Micro Devices"], ["2.5.4.3", cn]];
  return seq(...attrs.map(([id, v]) => set(seq(oid(id), utf8String(v)))));
}

export const arkName = (p: SnpProduct): Bytes => amdName(`ARK-${p}`);
export const askName = (p: SnpProduct, vlek: boolean): Bytes => amdName(vlek ? `SEV-VLEK-${p}` : `SEV-${p}`);

/** How the RSASSA-PSS parameters are encoded: with the explicit trailerField (ARK/ASK, VCEKs until ~2023)
 * or without it (the DEFAULT; VCEKs issued 2024 and later). */
export type PssEncoding = "explicit-trailer" | "default-trailer";

export function pssAlgorithm(encoding: PssEncoding = "explicit-trailer"): Bytes {
  const sha384 = seq(oid(OID.sha384), nullValue());
  const fields = [explicit(0, sha384), explicit(1, seq(oid(OID.mgf1), sha384)), explicit(2, integer(48))];
  if (encoding === "explicit-trailer") fields.push(explicit(3, integer(1)));
  return seq(oid(OID.pss), seq(...fields));
}

export function pssSign(key: KeyObject, data: Bytes): Uint8Array {
  return new Uint8Array(sign("sha384", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }));
}

export const extension = (id: string, value: Bytes, critical = false): Bytes =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface CertificateFields {
  serial: bigint;
  issuer: Bytes;
  subject: Bytes;
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
  extensions: Bytes[];
  /** Signs the DER tbsCertificate (RSA-PSS with the issuer's key). */
  signer: KeyObject;
  pss?: PssEncoding;
}

/** A v3 certificate signed with AMD's RSASSA-PSS profile. */
export function certificate(f: CertificateFields): Uint8Array {
  const alg = pssAlgorithm(f.pss);
  const spki = new Uint8Array(f.publicKey.export({ format: "der", type: "spki" }));
  const tbs = seq(explicit(0, integer(2)), integer(f.serial), alg, f.issuer, seq(time(f.notBefore), time(f.notAfter)),
    f.subject, spki, ...(f.extensions.length ? [explicit(3, seq(...f.extensions))] : []));
  return seq(tbs, alg, bitString(pssSign(f.signer, tbs)));
}

/** keyUsage keyCertSign | cRLSign (critical), basicConstraints CA (critical), one KDS CRL distribution point. */
function caExtensions(crlUrl: string, pathLen?: number): Bytes[] {
  const uri = tlv(0x86, new TextEncoder().encode(crlUrl));
  const distributionPoint = seq(explicit(0, explicit(0, uri)));
  return [
    extension(OID.keyUsage, bitString(new Uint8Array([0x06]), 1), true),
    extension(OID.basicConstraints, seq(bool(true), ...(pathLen === undefined ? [] : [integer(pathLen)])), true),
    extension(OID.crlDistributionPoints, seq(distributionPoint)),
  ];
}

const kdsUrl = (p: SnpProduct, vlek: boolean) => `https://kdsintf.amd.com/${vlek ? "vlek" : "vcek"}/v1/${p}/crl`;

export interface SnpCaKeys { ark: KeyObject; ask: KeyObject; asvk: KeyObject }

/** One product's CA: keys and the ARK, ASK and ASVK certificates (DER). */
export interface SnpTestCa {
  product: SnpProduct;
  keys: SnpCaKeys;
  ark: Uint8Array;
  ask: Uint8Array;
  asvk: Uint8Array;
}

export const newRsa4096 = (): KeyObject => generateKeyPairSync("rsa", { modulusLength: 4096, publicExponent: 65537 }).privateKey;
export const newP384 = (): KeyObject => generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;

/** The public half of a key (node:crypto derives it from a private KeyObject). */
const publicOf = (key: KeyObject): KeyObject => (key.type === "private" ? createPublicKey(key) : key);

/** Builds a product's CA from the given keys (any missing key is generated). */
export function createSnpCa(product: SnpProduct, keys: Partial<SnpCaKeys> = {}): SnpTestCa {
  const k: SnpCaKeys = { ark: keys.ark ?? newRsa4096(), ask: keys.ask ?? newRsa4096(), asvk: keys.asvk ?? newRsa4096() };
  const ark = certificate({ serial: arkSerial(product), issuer: arkName(product), subject: arkName(product), notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER, publicKey: publicOf(k.ark), signer: k.ark, extensions: caExtensions(kdsUrl(product, false)) });
  return { product, keys: k, ark, ask: intermediate(product, k, false), asvk: intermediate(product, k, true) };
}

/** The ASK (vlek = false) or ASVK (vlek = true) of a product, signed by `signer` (default: the ARK). */
export function intermediate(product: SnpProduct, k: SnpCaKeys, vlek: boolean, signer: KeyObject = k.ark, serial?: bigint): Uint8Array {
  return certificate({ serial: serial ?? (vlek ? asvkSerial(product) : askSerial(product)), issuer: arkName(product),
    subject: askName(product, vlek), notBefore: CA_NOT_BEFORE, notAfter: CA_NOT_AFTER, publicKey: publicOf(vlek ? k.asvk : k.ask),
    signer, extensions: caExtensions(kdsUrl(product, vlek), 0) });
}

const cas = new Map<SnpProduct, SnpTestCa>();

/** The process-wide test CA of a product (generated on first use). */
export function snpTestCa(product: SnpProduct): SnpTestCa {
  let ca = cas.get(product);
  if (!ca) { ca = createSnpCa(product); cas.set(product, ca); }
  return ca;
}

/** Replaces the process-wide CA of a product (e.g. with keys loaded from disk, for stable test roots). */
export function useSnpTestCa(ca: SnpTestCa): void { cas.set(ca.product, ca); }

/** The KDS extension values of an endorsement certificate. SPL arcs: 1 bl, 2 tee, 3 snp, 4-7 reserved,
 * 8 ucode, 9 fmc (Turin). */
export interface KdsValues {
  structVersion: number;
  productName: string;
  spl: Array<[number, number]>;
  /** VCEK only: raw chip id bytes (64, or 8 on Turin). */
  hwId: Uint8Array | null;
  /** VLEK only: the cloud provider's id. */
  cspId: string | null;
}

export function kdsExtensions(k: KdsValues): Bytes[] {
  return [
    extension(`${AMD_OID}.1`, integer(k.structVersion)),
    extension(`${AMD_OID}.2`, ia5String(k.productName)),
    ...k.spl.map(([arc, value]) => extension(`${AMD_OID}.3.${arc}`, integer(value))),
    ...(k.hwId ? [extension(`${AMD_OID}.4`, k.hwId)] : []),
    ...(k.cspId !== null ? [extension(`${AMD_OID}.5`, ia5String(k.cspId))] : []),
  ];
}

export interface EndorsementFields {
  product: SnpProduct;
  vlek: boolean;
  kds: KdsValues;
  publicKey: KeyObject;
  signer: KeyObject;
  notBefore: number;
  notAfter: number;
  pss?: PssEncoding;
}

/** A VCEK (CN SEV-VCEK, issued by SEV-<product>) or VLEK (CN SEV-VLEK, issued by SEV-VLEK-<product>). */
export function endorsement(f: EndorsementFields): Uint8Array {
  return certificate({ serial: VCEK_SERIAL, issuer: askName(f.product, f.vlek), subject: amdName(f.vlek ? "SEV-VLEK" : "SEV-VCEK"),
    notBefore: f.notBefore, notAfter: f.notAfter, publicKey: publicOf(f.publicKey), signer: f.signer, pss: f.pss ?? "default-trailer",
    extensions: kdsExtensions(f.kds) });
}

export interface CrlFields {
  product: SnpProduct;
  signer: KeyObject;
  thisUpdate: number;
  nextUpdate: number;
  revoked: bigint[];
  number?: bigint;
}

/** An ARK-issued X.509 v2 CRL (RSASSA-PSS), as KDS serves at /{vcek|vlek}/v1/{product}/crl. */
export function crl(f: CrlFields): Uint8Array {
  const alg = pssAlgorithm();
  const entries = f.revoked.map((serial) => seq(integer(serial), time(f.thisUpdate - DAY)));
  const tbs = seq(integer(1), alg, arkName(f.product), time(f.thisUpdate), time(f.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []), explicit(0, seq(extension(OID.crlNumber, integer(f.number ?? 1n)))));
  return seq(tbs, alg, bitString(pssSign(f.signer, tbs)));
}

/** PEM armour (64-column base64) for certificates and CRLs. */
export function pem(label: "CERTIFICATE" | "X509 CRL", der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
