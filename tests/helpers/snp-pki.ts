// A throw-away AMD-shaped PKI for the SNP tests: RSA-4096 ARK and ASK/ASVK, a P-384 VCEK/VLEK with the
// KDS extensions, SEV-SNP reports signed with it, and ARK-signed CRLs, all built with node:crypto and
// a small DER builder. It exists to reach the paths real fixtures cannot (CRLs, wrong profiles, an
// "ARK-Milan" with the wrong key, Turin-shaped certificates with chosen values); the verifier is
// always pointed at it explicitly (custom roots), never by default.
import { generateKeyPairSync, sign, constants, type KeyObject } from "node:crypto";
import { seq, set, int, oid, octets, bits, bool, explicit, utf8, utcTime, generalizedTime, tlv, pssAlgorithm, OIDS, type Bytes } from "./der-builder";

export const AMD_OID = "1.3.6.1.4.1.3704.1";
const RSA_SHA256 = "1.2.840.113549.1.1.11";
const ECDSA_SHA384 = "1.2.840.10045.4.3.3";

/** CN first, then the AMD location attributes (order is free; the verifier checks the set). */
export function amdName(cn: string, extra: [string, string][] = []): Bytes {
  const attrs: [string, string][] = [["2.5.4.3", cn], ["2.5.4.10", "Advanced Micro Devices"], ["2.5.4.8", "CA"], ["2.5.4.7", "Santa Clara"],
    ["2.5.4.6", "US"], ["2.5.4.11", "Engineering"], ...extra];
  return seq(...attrs.map(([id, v]) => set(seq(oid(id), utf8(v)))));
}

function time(unix: number): Bytes {
  const d = new Date(unix * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050 ? utcTime(`${String(y % 100).padStart(2, "0")}${body}`) : generalizedTime(`${y}${body}`);
}

export const ext = (id: string, value: Bytes, critical?: boolean): Bytes => seq(oid(id), ...(critical === undefined ? [] : [bool(critical)]), octets(value));
const ia5 = (s: string): Bytes => tlv(0x16, new TextEncoder().encode(s));

export type SigAlg = "pss" | "pss-no-trailer" | "pss-salt32" | "pss-sha256" | "pkcs1" | "ecdsa";

function algorithm(alg: SigAlg): Bytes {
  if (alg === "pss") return pssAlgorithm();
  if (alg === "pss-no-trailer") return pssAlgorithm({ trailer: false });
  if (alg === "pss-salt32") return pssAlgorithm({ salt: 32 });
  if (alg === "pss-sha256") return pssAlgorithm({ hash: OIDS.sha256, salt: 32 });
  if (alg === "pkcs1") return seq(oid(RSA_SHA256), tlv(0x05, new Uint8Array(0)));
  return seq(oid(ECDSA_SHA384));
}

function signWith(alg: SigAlg, key: KeyObject, tbs: Bytes): Uint8Array {
  if (alg === "pkcs1") return sign("sha256", tbs, key);
  if (alg === "ecdsa") return sign("sha384", tbs, key);
  const hash = alg === "pss-sha256" ? "sha256" : "sha384";
  const saltLength = alg === "pss-salt32" || alg === "pss-sha256" ? 32 : 48;
  return sign(hash, tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
}

export interface CertSpec {
  issuer: Bytes;
  subject: Bytes;
  serial: bigint;
  publicKey: KeyObject;
  signer: KeyObject;
  alg?: SigAlg;
  notBefore?: number;
  notAfter?: number;
  extensions?: Bytes[];
}

export function makeCert(s: CertSpec): Uint8Array {
  const alg = algorithm(s.alg ?? "pss");
  const spki = new Uint8Array(s.publicKey.export({ format: "der", type: "spki" }));
  const tbs = seq(explicit(0, int(2)), int(s.serial), alg, s.issuer,
    seq(time(s.notBefore ?? 1_600_000_000), time(s.notAfter ?? 2_400_000_000)), s.subject, spki,
    ...(s.extensions && s.extensions.length ? [explicit(3, seq(...s.extensions))] : []));
  return seq(tbs, alg, bits(signWith(s.alg ?? "pss", s.signer, tbs)));
}

export const caExtensions = (pathLen?: number): Bytes[] => [
  ext(OIDS.keyUsage, bits(new Uint8Array([0x06]), 1), true), // keyCertSign | cRLSign
  ext(OIDS.basicConstraints, seq(bool(true), ...(pathLen === undefined ? [] : [int(pathLen)])), true),
];

export interface KdsSpec {
  structVersion?: number | null;
  productName?: string | null;
  /** SPL values by sub-arc (1 bl, 2 tee, 3 snp, 4-7 reserved, 8 ucode, 9 fmc); undefined = absent. */
  spl?: Record<number, number>;
  hwId?: Uint8Array | null;
  cspId?: string | null;
}

export function kdsExtensions(k: KdsSpec): Bytes[] {
  const out: Bytes[] = [];
  if (k.structVersion !== null) out.push(ext(`${AMD_OID}.1`, int(k.structVersion ?? 0)));
  if (k.productName !== null) out.push(ext(`${AMD_OID}.2`, ia5(k.productName ?? "Milan-B0")));
  for (const [arc, v] of Object.entries(k.spl ?? {})) out.push(ext(`${AMD_OID}.3.${arc}`, int(v)));
  if (k.hwId) out.push(ext(`${AMD_OID}.4`, k.hwId));
  if (k.cspId) out.push(ext(`${AMD_OID}.5`, ia5(k.cspId)));
  return out;
}

export interface Keys { ark: KeyObject; arkPub: KeyObject; ask: KeyObject; askPub: KeyObject; vcek: KeyObject; vcekPub: KeyObject; other: KeyObject; otherPub: KeyObject }

let cachedKeys: Keys | null = null;

/** RSA-4096 ARK, ASK and a spare RSA-4096 key, and a P-384 VCEK key (generated once per process). */
export function keys(): Keys {
  if (cachedKeys) return cachedKeys;
  const rsa = () => generateKeyPairSync("rsa", { modulusLength: 4096, publicExponent: 65537 });
  const ark = rsa(), ask = rsa(), other = rsa();
  const vcek = generateKeyPairSync("ec", { namedCurve: "P-384" });
  cachedKeys = { ark: ark.privateKey, arkPub: ark.publicKey, ask: ask.privateKey, askPub: ask.publicKey, other: other.privateKey,
    otherPub: other.publicKey, vcek: vcek.privateKey, vcekPub: vcek.publicKey };
  return cachedKeys;
}

export type Product = "Milan" | "Genoa" | "Turin";

export function makeArk(product: Product, k = keys(), key: KeyObject = k.arkPub, signer: KeyObject = k.ark): Uint8Array {
  const n = amdName(`ARK-${product}`);
  return makeCert({ issuer: n, subject: n, serial: 0x010000n, publicKey: key, signer, extensions: caExtensions() });
}

export function makeAsk(product: Product, opts: { vlek?: boolean; alg?: SigAlg; signer?: KeyObject; serial?: bigint; key?: KeyObject; notAfter?: number } = {}, k = keys()): Uint8Array {
  return makeCert({ issuer: amdName(`ARK-${product}`), subject: amdName(opts.vlek ? `SEV-VLEK-${product}` : `SEV-${product}`),
    serial: opts.serial ?? 0x010001n, publicKey: opts.key ?? k.askPub, signer: opts.signer ?? k.ark, alg: opts.alg, notAfter: opts.notAfter,
    extensions: caExtensions(0) });
}

export interface Platform {
  product: Product;
  vlek?: boolean;
  /** 8 raw TCB bytes (report layout). */
  tcb: Uint8Array;
  chipId: Uint8Array;
}

/** SPL extension values for a raw TCB in the product's layout. */
export function splFromTcb(product: Product, tcb: Uint8Array): Record<number, number> {
  if (product === "Turin") return { 9: tcb[0], 1: tcb[1], 2: tcb[2], 3: tcb[3], 5: 0, 6: 0, 7: 0, 8: tcb[7] };
  return { 1: tcb[0], 2: tcb[1], 4: tcb[2], 5: tcb[3], 6: tcb[4], 7: tcb[5], 3: tcb[6], 8: tcb[7] };
}

export function makeVcek(p: Platform, opts: { alg?: SigAlg; kds?: KdsSpec; notBefore?: number; notAfter?: number; signer?: KeyObject; key?: KeyObject } = {}, k = keys()): Uint8Array {
  const turin = p.product === "Turin";
  const kds: KdsSpec = {
    structVersion: turin ? 1 : 0,
    productName: turin ? "Turin" : `${p.product}-B0`,
    spl: splFromTcb(p.product, p.tcb),
    hwId: p.vlek ? null : turin ? p.chipId.slice(0, 8) : p.chipId,
    cspId: p.vlek ? "CN=test-csp.example" : null,
    ...(opts.kds ?? {}),
  };
  return makeCert({ issuer: amdName(p.vlek ? `SEV-VLEK-${p.product}` : `SEV-${p.product}`), subject: amdName(p.vlek ? "SEV-VLEK" : "SEV-VCEK"),
    serial: 0n, publicKey: opts.key ?? k.vcekPub, signer: opts.signer ?? k.ask, alg: opts.alg ?? "pss-no-trailer",
    notBefore: opts.notBefore, notAfter: opts.notAfter, extensions: kdsExtensions(kds) });
}

const CPUID: Record<Product, [number, number]> = { Milan: [0x19, 0x01], Genoa: [0x19, 0x11], Turin: [0x1a, 0x02] };

/** An unsigned report (v3 by default) for `p`; all four TCBs = p.tcb, firmware 1.55.50. */
export function makeReport(p: Platform, opts: { version?: number; policy?: bigint; vmpl?: number; reportData?: Uint8Array } = {}): Uint8Array {
  const r = new Uint8Array(1184);
  const dv = new DataView(r.buffer);
  const version = opts.version ?? 3;
  dv.setUint32(0x000, version, true);
  dv.setBigUint64(0x008, opts.policy ?? 0x30000n, true);
  dv.setUint32(0x030, opts.vmpl ?? 0, true);
  dv.setUint32(0x034, 1, true);
  for (const off of [0x038, 0x180, 0x1e0, 0x1f0]) r.set(p.tcb, off);
  dv.setBigUint64(0x040, 0x1n, true);
  dv.setUint32(0x048, (p.vlek ? 1 : 0) << 2, true);
  if (opts.reportData) r.set(opts.reportData, 0x050);
  r.fill(0x5a, 0x090, 0x0c0); // measurement
  r.fill(0x77, 0x140, 0x160); // report id
  r.fill(0xff, 0x160, 0x180); // no migration agent
  if (version >= 3) { r[0x188] = CPUID[p.product][0]; r[0x189] = CPUID[p.product][1]; r[0x18a] = 1; }
  r.set(p.chipId, 0x1a0);
  r.set([50, 55, 1], 0x1e8);
  r.set([50, 55, 1], 0x1ec);
  return r;
}

/** Signs bytes 0x000-0x29F with a P-384 key; R and S go in little-endian, zero-extended to 72 bytes. */
export function signReport(report: Uint8Array, key: KeyObject = keys().vcek): Uint8Array {
  const out = report.slice();
  const rs = sign("sha384", out.subarray(0, 0x2a0), { key, dsaEncoding: "ieee-p1363" });
  out.fill(0, 0x2a0, 0x330);
  out.set(Buffer.from(rs.subarray(0, 48)).reverse(), 0x2a0);
  out.set(Buffer.from(rs.subarray(48, 96)).reverse(), 0x2e8);
  return out;
}

export interface CrlSpec {
  issuer?: Bytes;
  signer?: KeyObject;
  alg?: SigAlg;
  thisUpdate?: number;
  nextUpdate?: number | null;
  revoked?: bigint[];
}

export function makeCrl(product: Product, s: CrlSpec = {}, k = keys()): Uint8Array {
  const alg = algorithm(s.alg ?? "pss");
  const entries = (s.revoked ?? []).map((serial) => seq(int(serial), time(1_700_000_000)));
  const tbs = seq(int(1), alg, s.issuer ?? amdName(`ARK-${product}`), time(s.thisUpdate ?? 1_700_000_000),
    ...(s.nextUpdate === null ? [] : [time(s.nextUpdate ?? 2_000_000_000)]), ...(entries.length ? [seq(...entries)] : []));
  return seq(tbs, alg, bits(signWith(s.alg ?? "pss", s.signer ?? k.ark, tbs)));
}

export const hexOf = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A Milan platform with distinct TCB bytes and a full 64-byte chip id. */
export function milan(vlek = false): Platform {
  const chipId = new Uint8Array(64).map((_, i) => (i * 7 + 3) & 0xff);
  return { product: "Milan", vlek, tcb: Uint8Array.from([4, 0, 0, 0, 0, 0, 24, 219]), chipId: vlek ? new Uint8Array(64) : chipId };
}

export function turin(): Platform {
  const chipId = new Uint8Array(64);
  chipId.set([0x3b, 0x42, 0x09, 0x2f, 0x69, 0xc6, 0x56, 0xd3]);
  return { product: "Turin", tcb: Uint8Array.from([0, 1, 0, 2, 0, 0, 0, 71]), chipId };
}
