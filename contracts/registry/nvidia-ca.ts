// NVIDIA intermediates as collateral: submit_collateral {"nvidia_ca": {"certs": PEM}} with the last three
// certificates of a GPU's device chain — "NVIDIA <chip> Provisioner ICA", "NVIDIA <chip> Identity",
// "NVIDIA Device Identity CA" — in that order. Anyone may submit them; they are checked against the
// governance NVIDIA root (or the pinned vendor root) at block time before they are stored: the root copy
// must be the governance root (subject and key), Identity issued by it and ICA issued by Identity (names,
// ECDSA P-384 / SHA-384 signatures, CA flags, validity). Stored under "nvidia_ca:<hash of the ICA's
// subject>" with the roots version they were checked under; gpus.ts appends them to GPUs that send only
// leaf + BROM and passes ICA and Identity to the verifier as pre-verified, so their two signatures are
// not checked again at registration (names, validity at block time and CA flags are). After set_roots they
// are not used until submitted again, since they were verified under the old root.
import { pemDecodeAll } from "../../assembly/encoding/pem";
import { Certificate, parseCertificate } from "../../assembly/encoding/x509";
import { KEY_EC, CURVE_P384, SCHEME_ECDSA, HASH_SHA384 } from "../../assembly/encoding/x509-algorithm";
import { bytesEqual } from "../../assembly/encoding/bytes";
import { sha384Range } from "../../assembly/crypto/sha512";
import { TrustAnchor, pinnedAnchor, anchorFromPem } from "../../assembly/nvidia/chain";
import { verifyP384Der } from "../../assembly/nvidia/p384";
import { utf8 } from "../../assembly/encoding/bytes";
import { parseJson } from "../../assembly/encoding/json";
import { jsonStringBytes } from "../../assembly/tdx/fields";
import { ByteBuffer } from "../../assembly/encoding/bytes";
import { COLLATERAL_DATA, ju64 } from "./state";
import { CollateralCheck } from "./collateral-verify";
import { pemOf } from "./evidence";
import { hexEncode } from "../../assembly/encoding/hex";
import { sha256 } from "../../assembly/crypto/sha256";

export const NVIDIA_CA_KIND = "nvidia_ca";

/** Storage key of the intermediates whose Provisioner ICA has subject `icaName` (a BROM's issuer). */
export function caKeyOf(icaName: Uint8Array): string { return hexEncode(sha256(icaName)).substring(0, 32); }

class Named {
  constructor(public cert: Certificate, public name: string) {}
}

function p384Ecdsa(cert: Certificate): bool {
  return cert.publicKey.kind == KEY_EC && cert.publicKey.curve == CURVE_P384 &&
    cert.signatureAlgorithm.scheme == SCHEME_ECDSA && cert.signatureAlgorithm.hash == HASH_SHA384;
}

/** "" when `child` is issued by (issuerName, issuerPoint), is a P-384 CA certificate valid at `at`. */
function link(child: Named, issuerName: Uint8Array, issuerPoint: Uint8Array, at: i64): string {
  const c = child.cert;
  if (!p384Ecdsa(c)) return child.name + " is not P-384 / ecdsa-with-SHA384";
  if (!c.isCA()) return child.name + " is not a CA certificate";
  if (at < c.notBefore || at > c.notAfter) return child.name + " is not valid at block time";
  if (!bytesEqual(c.issuer.raw(), issuerName)) return child.name + " is not issued by the expected certificate";
  if (!verifyP384Der(sha384Range(c.raw, c.tbsStart, c.tbsEnd), c.signature, issuerPoint)) return child.name + " signature does not verify under its issuer's key";
  return "";
}

/** The anchor governance set (base64 DER), or NVIDIA's pinned one. */
export function nvidiaAnchor(rootDerB64: string | null): TrustAnchor | null {
  return rootDerB64 === null ? pinnedAnchor() : anchorFromPem(utf8(pemOf(rootDerB64)));
}

/** Checks submitted intermediates; on success `check.key` is the storage key suffix. */
export function checkNvidiaCa(pem: Uint8Array, rootDerB64: string | null, at: i64): CollateralCheck {
  const check = new CollateralCheck();
  const blocks = pemDecodeAll(pem, "CERTIFICATE");
  if (blocks === null || blocks.length != 3) return check.fail("nvidia_ca.certs must be three PEM certificates: Provisioner ICA, Identity, Device Identity CA");
  const certs = new Array<Certificate>();
  for (let i = 0; i < 3; i++) {
    const c = parseCertificate(blocks[i].der);
    if (c === null) return check.fail("nvidia_ca.certs[" + i.toString() + "] does not parse");
    certs.push(c);
  }
  const anchor = nvidiaAnchor(rootDerB64);
  if (anchor === null) return check.fail("the governance NVIDIA root is unusable");
  const root = certs[2];
  if (!bytesEqual(root.subject.raw(), anchor.subject) || !bytesEqual(root.ecPoint(), anchor.point)) return check.fail("the third certificate is not the governance NVIDIA root");
  let problem = link(new Named(certs[1], "the Identity certificate"), anchor.subject, anchor.point, at);
  if (problem.length == 0) problem = link(new Named(certs[0], "the Provisioner ICA certificate"), certs[1].subject.raw(), certs[1].ecPoint(), at);
  if (problem.length > 0) return check.fail(problem);
  check.key = caKeyOf(certs[0].subject.raw());
  check.issued = certs[0].notBefore > certs[1].notBefore ? certs[0].notBefore : certs[1].notBefore;
  check.nextUpdate = certs[0].notAfter < certs[1].notAfter ? certs[0].notAfter : certs[1].notAfter;
  check.ok = true;
  return check;
}

/** The stored PEM of the intermediates under `key`, or empty when absent or checked under other roots. */
export function loadNvidiaCa(key: string, rootsVersion: u64): Uint8Array {
  const members = COLLATERAL_DATA.getStr(NVIDIA_CA_KIND + ":" + key);
  if (members === null) return new Uint8Array(0);
  const buf = new ByteBuffer(members.length + 2);
  buf.pushString("{");
  buf.pushBytes(members);
  buf.pushString("}");
  const v = parseJson(buf.toBytes());
  if (v === null || !v.isObject || ju64(v, "roots_version") != rootsVersion) return new Uint8Array(0);
  const certs = v.get("certs");
  const bytes: Uint8Array | null = certs === null ? null : jsonStringBytes(certs);
  return bytes === null ? new Uint8Array(0) : bytes;
}
