// Simulated NVIDIA device PKI (spec nvidia.md §2): a test "NVIDIA Device Identity CA" root, the
// per-family "NVIDIA <chip> Identity" and "<chip> Provisioner ICA" CAs, and per-device BROM and
// "FMC LF" leaf certificates, all P-384 / ecdsa-with-SHA384, laid out like NVIDIA's real ones (same
// names, attribute types, extensions and criticality; Hopper FWID extension 2.23.133.5.4.1 and
// Blackwell DiceTcbInfo 2.23.133.5.4.1.1). Only the keys differ, so evidence built on it verifies
// only against this root (passed to the verifier as policy root_pem), never against the pinned one.
//
// Keys and ECDSA nonces are derived from a seed (RFC 6979 in @noble/curves), so the same options give
// byte-identical certificates and reports.
import { createHash } from "node:crypto";
import { p384 } from "@noble/curves/nist.js";
import {
  type Bytes, concat, seq, set, explicit, tlv, octets, bitString, bool, integer, oid, utf8String, printableString, time,
} from "./der";

const OID = {
  ecPublicKey: "1.2.840.10045.2.1", secp384r1: "1.3.132.0.34", ecdsaSha384: "1.2.840.10045.4.3.3", sha384: "2.16.840.1.101.3.4.2.2",
  cn: "2.5.4.3", serialNumber: "2.5.4.5", c: "2.5.4.6", o: "2.5.4.10",
  ski: "2.5.29.14", keyUsage: "2.5.29.15", san: "2.5.29.17", basicConstraints: "2.5.29.19", aki: "2.5.29.35",
  nvidiaSanName: "1.3.6.1.4.1.412.274.1", fwidHopper: "2.23.133.5.4.1", fwidBlackwell: "2.23.133.5.4.1.1",
};

/** Dates of NVIDIA's real chains (Unix seconds); every device certificate ends 9999-12-31T23:59:59Z. */
export const NV_NOT_AFTER = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;
const DATES = {
  root: Date.UTC(2021, 10, 5) / 1000, identity: Date.UTC(2022, 0, 12) / 1000, ica: Date.UTC(2022, 2, 1) / 1000,
  device: Date.UTC(2020, 9, 17) / 1000,
};

const P384_N = BigInt("0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");

export const sha384 = (data: Bytes): Bytes => new Uint8Array(createHash("sha384").update(data).digest());
const hexOf = (b: Bytes): string => Buffer.from(b).toString("hex");

/** 48 pseudo-random bytes from a label (deterministic test data). */
export function derive(label: string, length = 48): Bytes {
  const out: Bytes[] = [];
  for (let i = 0; out.length * 48 < length; i++) out.push(sha384(new TextEncoder().encode(`${label}#${i}`)));
  return concat(...out).slice(0, length);
}

export class P384Key {
  readonly secret: Bytes;
  /** Uncompressed point 04 || X || Y. */
  readonly point: Bytes;

  constructor(label: string) {
    const scalar = (BigInt("0x" + hexOf(derive(`key:${label}`, 64))) % (P384_N - 1n)) + 1n;
    this.secret = new Uint8Array(Buffer.from(scalar.toString(16).padStart(96, "0"), "hex"));
    this.point = p384.getPublicKey(this.secret, false);
  }

  /** Raw r || s (96 bytes) over SHA-384(message), deterministic (RFC 6979), low-S not forced. */
  signRaw(message: Bytes): Bytes {
    return p384.sign(sha384(message), this.secret, { prehash: false, lowS: false });
  }

  /** DER Ecdsa-Sig-Value over SHA-384(message) (X.509 signatureValue). */
  signDer(message: Bytes): Bytes {
    const raw = this.signRaw(message);
    return p384.Signature.fromBytes(raw, "compact").toBytes("der");
  }

  spki(): Bytes {
    return seq(seq(oid(OID.ecPublicKey), oid(OID.secp384r1)), bitString(this.point));
  }
}

/** One attribute per RDN, in the order given (as NVIDIA's names are). */
type Attr = ["serialNumber" | "c" | "o" | "cn", string];

function name(attrs: Attr[]): Bytes {
  return seq(...attrs.map(([type, value]) => {
    const printable = type === "serialNumber" || type === "c";
    return set(seq(oid(OID[type]), printable ? printableString(value) : utf8String(value)));
  }));
}

function extension(id: string, critical: boolean, value: Bytes): Bytes {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

const keyId = (key: P384Key): Bytes => createHash("sha1").update(key.point).digest();

export interface CertSpec {
  serial: Bytes;
  issuer: Bytes;
  subject: Bytes;
  key: P384Key;
  issuerKey: P384Key;
  notBefore: number;
  notAfter: number;
  extensions: Bytes[];
}

export interface SimCert { der: Bytes; pem: string; subject: Bytes; key: P384Key }

export function pem(der: Bytes): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** A v3 certificate signed with ecdsa-with-SHA384 by `issuerKey`. */
export function buildCertificate(spec: CertSpec): SimCert {
  const algorithm = seq(oid(OID.ecdsaSha384));
  const tbs = seq(
    explicit(0, integer(2)), tlv(0x02, spec.serial), algorithm, spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)), spec.subject, spec.key.spki(),
    explicit(3, seq(...spec.extensions)),
  );
  const der = seq(tbs, algorithm, bitString(spec.issuerKey.signDer(tbs)));
  return { der, pem: pem(der), subject: spec.subject, key: spec.key };
}

const KU_DIGITAL_SIGNATURE = new Uint8Array([0x03, 0x02, 0x07, 0x80]);
const KU_CERT_SIGN = new Uint8Array([0x03, 0x02, 0x02, 0x04]);
const KU_CERT_AND_CRL_SIGN = new Uint8Array([0x03, 0x02, 0x01, 0x06]);
const CA_TRUE = seq(bool(true));

function caExtensions(key: P384Key, issuerKey: P384Key, keyUsage: Bytes): Bytes[] {
  return [
    extension(OID.basicConstraints, true, CA_TRUE), extension(OID.keyUsage, true, keyUsage),
    extension(OID.ski, false, octets(keyId(key))), extension(OID.aki, false, seq(tlv(0x80, keyId(issuerKey)))),
  ];
}

/** A positive serial of `length` bytes with the top bit clear (no sign octet), like NVIDIA's. */
function serialBytes(label: string, length: number, first?: number): Bytes {
  const b = derive(`serial:${label}`, length);
  b[0] = first ?? (b[0] & 0x7f) | 0x10;
  return b;
}

/** The device families NVIDIA's PKI has (names as in real chains). */
export type NvidiaChip = "GH100" | "GB100" | "GB202" | "LS_10";

export interface ChipNames { leafCn: string; bromCn: string; ica: string; identity: string; sanChip: string; diceModel: string; bromPrefix: number }

export const CHIP_NAMES: Record<NvidiaChip, ChipNames> = {
  GH100: { leafCn: "GH100 A01 GSP FMC LF", bromCn: "GH100 A01 GSP BROM", ica: "NVIDIA GH100 Provisioner ICA 1", identity: "NVIDIA GH100 Identity", sanChip: "GH100", diceModel: "GH100 A01 GSP", bromPrefix: 0x41 },
  GB100: { leafCn: "GB100 A01 GSP FMC LF", bromCn: "GB100 A01 GSP BROM", ica: "NVIDIA GB100 Provisioner ICA 00000", identity: "NVIDIA GB100 Identity", sanChip: "GB100", diceModel: "GB100 A01 GSP", bromPrefix: 0x41 },
  GB202: { leafCn: "GB20X A01 GSP FMC LF", bromCn: "GB20X A01 GSP BROM", ica: "NVIDIA GB202 Provisioner ICA 00000", identity: "NVIDIA GB20X Identity", sanChip: "GB20X", diceModel: "GB20X A01 GSP", bromPrefix: 0x41 },
  // NVSwitch LS10 chains go through the GH100 Identity, as real ones do.
  LS_10: { leafCn: "LS_10 A01 FSP FMC LF", bromCn: "LS_10 A01 FSP BROM", ica: "NVIDIA LS_10 Provisioner ICA 1", identity: "NVIDIA GH100 Identity", sanChip: "LS_10", diceModel: "LS_10 A01 FSP", bromPrefix: 0x50 },
};

/** How the leaf certifies the firmware digest: Hopper / LS10 style, Blackwell DiceTcbInfo, or none. */
export type FwidExtension = "hopper" | "blackwell" | "none";

export interface DeviceCertOptions {
  chip: NvidiaChip;
  /** Distinguishes devices; the same label gives the same keys, serials and PDI (a duplicate device). */
  label: string;
  /** The 48-byte FWID the leaf certifies (null: no FWID extension). */
  fwid: Bytes | null;
  fwidExtension?: FwidExtension;
  notBefore?: number;
  notAfter?: number;
}

export interface SimDeviceChain {
  leaf: SimCert;
  brom: SimCert;
  /** 8-byte Platform Data Identifier: the last 8 bytes of the BROM subject serialNumber. */
  pdi: Bytes;
  /** PEM chain leaf, BROM, ICA, Identity, root (what NVML returns). */
  pem: string;
}

function hopperFwid(key: P384Key, fwid: Bytes): Bytes {
  return seq(integer(1), key.spki(), seq(oid(OID.sha384), octets(fwid)));
}

function blackwellFwid(model: string, fwid: Bytes): Bytes {
  const text = (tag: number, s: string) => tlv(0x80 | tag, new TextEncoder().encode(s));
  const raw = (tag: number, bytes: number[]) => tlv(0x80 | tag, new Uint8Array(bytes));
  const digest = (d: Bytes) => seq(oid(OID.sha384), octets(d));
  return seq(
    text(0, "NVIDIA"), text(1, model), text(2, "02"), raw(3, [2]), raw(4, [0]), raw(5, [0]),
    tlv(0xa6, digest(fwid), digest(new Uint8Array(48))), raw(7, [0, 0x80, 0, 0, 1]), raw(8, [0xc0]), raw(9, [0]),
  );
}

/** The simulated NVIDIA root and its per-family CAs, created lazily and shared by every device. */
export class NvidiaSimPki {
  readonly root: SimCert;
  private readonly identities = new Map<string, SimCert>();
  private readonly icas = new Map<string, SimCert>();

  constructor(readonly seed = "tee-attest nvidia sim") {
    const key = new P384Key(`${seed}/root`);
    const subject = name([["cn", "NVIDIA Device Identity CA"], ["o", "NVIDIA"]]);
    this.root = buildCertificate({
      serial: serialBytes(`${seed}/root`, 16), issuer: subject, subject, key, issuerKey: key, notBefore: DATES.root, notAfter: NV_NOT_AFTER,
      extensions: caExtensions(key, key, KU_CERT_AND_CRL_SIGN),
    });
  }

  get rootPem(): string { return this.root.pem; }

  private identity(chip: NvidiaChip): SimCert {
    const cn = CHIP_NAMES[chip].identity;
    let cert = this.identities.get(cn);
    if (!cert) {
      const key = new P384Key(`${this.seed}/${cn}`);
      cert = buildCertificate({
        serial: serialBytes(`${this.seed}/${cn}`, 16), issuer: this.root.subject, subject: name([["cn", cn], ["o", "NVIDIA Corporation"]]), key,
        issuerKey: this.root.key, notBefore: DATES.identity, notAfter: NV_NOT_AFTER, extensions: caExtensions(key, this.root.key, KU_CERT_AND_CRL_SIGN),
      });
      this.identities.set(cn, cert);
    }
    return cert;
  }

  private ica(chip: NvidiaChip): SimCert {
    const cn = CHIP_NAMES[chip].ica;
    let cert = this.icas.get(cn);
    if (!cert) {
      const parent = this.identity(chip);
      const key = new P384Key(`${this.seed}/${cn}`);
      cert = buildCertificate({
        serial: serialBytes(`${this.seed}/${cn}`, 16), issuer: parent.subject, subject: name([["cn", cn], ["o", "NVIDIA Corporation"], ["c", "US"]]), key,
        issuerKey: parent.key, notBefore: DATES.ica, notAfter: NV_NOT_AFTER, extensions: caExtensions(key, parent.key, KU_CERT_AND_CRL_SIGN),
      });
      this.icas.set(cn, cert);
    }
    return cert;
  }

  /** A device's BROM + leaf under its family's ICA, and the PEM chain NVML would return. */
  device(options: DeviceCertOptions): SimDeviceChain {
    const names = CHIP_NAMES[options.chip];
    const label = `${this.seed}/${options.chip}/${options.label}`;
    const ica = this.ica(options.chip), identity = this.identity(options.chip);
    const notBefore = options.notBefore ?? DATES.device, notAfter = options.notAfter ?? NV_NOT_AFTER;
    const bromKey = new P384Key(`${label}/brom`), leafKey = new P384Key(`${label}/leaf`);
    const bromSerial = serialBytes(`${label}/brom`, 9, names.bromPrefix);
    const pdi = bromSerial.slice(1);
    const bromSerialText = hexOf(bromSerial).toUpperCase();
    const bromSubject = name([["serialNumber", bromSerialText], ["c", "US"], ["o", "NVIDIA Corporation"], ["cn", names.bromCn]]);
    const brom = buildCertificate({
      serial: bromSerial, issuer: ica.subject, subject: bromSubject, key: bromKey, issuerKey: ica.key, notBefore, notAfter,
      extensions: [
        extension(OID.basicConstraints, true, CA_TRUE), extension(OID.keyUsage, true, KU_CERT_SIGN),
        extension(OID.ski, false, octets(keyId(bromKey))), extension(OID.aki, false, seq(tlv(0x80, keyId(ica.key)))),
      ],
    });
    const leafSerial = serialBytes(`${label}/leaf`, 20);
    const sanName = `NVIDIA:${names.sanChip}:${hexOf(derive(`${label}/san`, 8)).toUpperCase()}`;
    const san = seq(tlv(0xa0, oid(OID.nvidiaSanName), explicit(0, utf8String(sanName))));
    const extensions = [
      extension(OID.keyUsage, true, KU_DIGITAL_SIGNATURE), extension(OID.ski, false, octets(leafSerial)),
      extension(OID.aki, false, seq(tlv(0x80, keyId(bromKey)))), extension(OID.san, false, san),
    ];
    const kind = options.fwidExtension ?? (options.chip === "GB100" || options.chip === "GB202" ? "blackwell" : "hopper");
    if (options.fwid !== null && kind !== "none") {
      extensions.push(kind === "hopper"
        ? extension(OID.fwidHopper, false, hopperFwid(leafKey, options.fwid))
        : extension(OID.fwidBlackwell, false, blackwellFwid(names.diceModel, options.fwid)));
    }
    const leaf = buildCertificate({
      serial: leafSerial, issuer: bromSubject, key: leafKey, issuerKey: bromKey, notBefore, notAfter, extensions,
      subject: name([["serialNumber", hexOf(leafSerial).toUpperCase()], ["c", "US"], ["o", "NVIDIA Corporation"], ["cn", names.leafCn]]),
    });
    return { leaf, brom, pdi, pem: [leaf.pem, brom.pem, ica.pem, identity.pem, this.root.pem].join("") };
  }
}
