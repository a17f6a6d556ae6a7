// The Intel-shaped PKI of the simulated TDX platform: an "Intel SGX Root CA", a PCK Platform CA, PCK
// leaf certificates carrying the SGX extension (OID 1.2.840.113741.1.13.1: PPID, TCB components,
// PCESVN, CPUSVN, PCE-ID, FMSPC, SGX type, platform instance, configuration) and the TCB signing
// certificate — the same names, extensions and key types as Intel's, under a throw-away P-256 root.
// Every CN says "Simulated" and still contains the phrase Intel QVL checks.
import { randomBytes } from "node:crypto";
import {
  type SimKey, type SimCert, type Validity, createKey, issueCert, dn, basicConstraints, keyUsage,
  subjectKeyIdentifier, authorityKeyIdentifier, crlDistributionPoint, randomSerial, extension,
} from "./pki";
import { type Bytes, seq, oid, octets, integer, enumerated, bool } from "./der";

export const SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";
const YEAR = 365 * 24 * 3600;

export interface TdxSimPki {
  rootKey: SimKey;
  root: SimCert;
  pckCaKey: SimKey;
  pckCa: SimCert;
  tcbSignerKey: SimKey;
  tcbSigner: SimCert;
}

/** The platform values a PCK certificate certifies. */
export interface PckPlatform {
  fmspc: Bytes;          // 6 bytes
  pceId: Bytes;          // 2 bytes
  sgxComponents: number[]; // 16 SVNs
  pceSvn: number;
  cpuSvn?: Bytes;        // 16 bytes; default: the component SVNs
  ppid?: Bytes;          // 16 bytes
}

const org = (cn: string) => dn({ CN: cn, O: "tee-attest simulated Intel", L: "Santa Clara", ST: "CA", C: "US" });

/** Root, PCK Platform CA and TCB signer valid around `at` (Unix seconds): [at - 5 y, at + 20 y]. */
export function createTdxPki(at: number): TdxSimPki {
  const validity: Validity = { notBefore: at - 5 * YEAR, notAfter: at + 20 * YEAR };
  const rootKey = createKey("p256");
  const rootName = org("Simulated Intel SGX Root CA");
  const root = issueCert(rootName, "self", rootKey, [
    authorityKeyIdentifier(rootKey), crlDistributionPoint("https://sim.invalid/IntelSGXRootCA.der"),
    subjectKeyIdentifier(rootKey), keyUsage("keyCertSign", "cRLSign"), basicConstraints(true, 1),
  ], validity, randomSerial(20));
  const pckCaKey = createKey("p256");
  const pckCa = issueCert(org("Simulated Intel SGX PCK Platform CA"), root, pckCaKey, [
    authorityKeyIdentifier(rootKey), crlDistributionPoint("https://sim.invalid/IntelSGXRootCA.der"),
    subjectKeyIdentifier(pckCaKey), keyUsage("keyCertSign", "cRLSign"), basicConstraints(true, 0),
  ], validity, randomSerial(20));
  const tcbSignerKey = createKey("p256");
  const tcbSigner = issueCert(org("Simulated Intel SGX TCB Signing"), root, tcbSignerKey, [
    authorityKeyIdentifier(rootKey), crlDistributionPoint("https://sim.invalid/IntelSGXRootCA.der"),
    subjectKeyIdentifier(tcbSignerKey), keyUsage("digitalSignature", "nonRepudiation"), basicConstraints(false),
  ], validity, randomSerial(20));
  return { rootKey, root, pckCaKey, pckCa, tcbSignerKey, tcbSigner };
}

const sgxOid = (...arcs: number[]) => oid([SGX_EXTENSION_OID, ...arcs].join("."));

/** The SGX extension value (a SEQUENCE of OID/value pairs), as in Intel's PCK platform certificates. */
export function sgxExtensionValue(p: PckPlatform): Bytes {
  if (p.sgxComponents.length !== 16) throw new Error("sgxComponents must have 16 SVNs");
  const cpuSvn = p.cpuSvn ?? Uint8Array.from(p.sgxComponents);
  const tcb = seq(
    ...p.sgxComponents.map((svn, i) => seq(sgxOid(2, i + 1), integer(svn))),
    seq(sgxOid(2, 17), integer(p.pceSvn)),
    seq(sgxOid(2, 18), octets(cpuSvn)),
  );
  return seq(
    seq(sgxOid(1), octets(p.ppid ?? new Uint8Array(randomBytes(16)))),
    seq(sgxOid(2), tcb),
    seq(sgxOid(3), octets(p.pceId)),
    seq(sgxOid(4), octets(p.fmspc)),
    seq(sgxOid(5), enumerated(1)),
    seq(sgxOid(6), octets(new Uint8Array(randomBytes(16)))),
    seq(sgxOid(7), seq(seq(sgxOid(7, 1), bool(false)), seq(sgxOid(7, 2), bool(true)), seq(sgxOid(7, 3), bool(true)))),
  );
}

/** A PCK leaf for one platform (its key signs the QE report). `validity` defaults to the CA's. */
export function issuePckCertificate(pki: TdxSimPki, platform: PckPlatform, validity?: Validity): { key: SimKey; cert: SimCert } {
  const key = createKey("p256");
  const cert = issueCert(org("Simulated Intel SGX PCK Certificate"), pki.pckCa, key, [
    authorityKeyIdentifier(pki.pckCaKey), crlDistributionPoint("https://sim.invalid/pckcrl?ca=platform"),
    subjectKeyIdentifier(key), keyUsage("digitalSignature", "nonRepudiation"), basicConstraints(false),
    extension(SGX_EXTENSION_OID, sgxExtensionValue(platform)),
  ], validity ?? pki.pckCa.validity, randomSerial(20));
  return { key, cert };
}
