// The two signature checks of SEV-SNP, over exact input bytes:
// - RSASSA-PSS / SHA-384 / MGF1-SHA-384 / salt 48 for every AMD certificate and CRL (spec snp.md §3.2),
//   checked over the DER tbsCertificate / tbsCertList span;
// - ECDSA P-384 / SHA-384 for the report, over bytes [0x000, 0x2A0) of the input (never a
//   re-serialisation: virtee/sev hashes its re-encoded struct).
// The algorithm identifiers are checked here too: anything but AMD's PSS profile is refused before any
// arithmetic, so a PKCS#1 v1.5, SHA-256 or salt-20 signature can never be "verified".
import { sha384Range } from "../crypto/sha512";
import { rsaPssVerify, RSA_VALID } from "../crypto/rsa";
import { HASH_ALG_SHA384 } from "../crypto/hash-alg";
import { ecdsaVerifyP384, ECDSA_VALID } from "../crypto/ecdsa";
import { SignatureAlgorithm, SCHEME_RSA_PSS, HASH_SHA384 } from "../encoding/x509-algorithm";
import { RsaPublicKey } from "./roots";
import { SnpReport, SIGNED_END } from "./report";

/** AMD's PSS salt length: the SHA-384 output length. */
export const AMD_PSS_SALT_LENGTH: i32 = 48;
/** Every AMD RSA key is 4096 bits. */
export const AMD_RSA_MODULUS_BYTES: i32 = 512;

/** True when `alg` is exactly AMD's RSASSA-PSS profile (both parameter encodings parse to this). */
export function isAmdPss(alg: SignatureAlgorithm): bool {
  return alg.scheme == SCHEME_RSA_PSS && alg.hash == HASH_SHA384 && alg.mgf1Hash == HASH_SHA384 &&
    alg.saltLength == AMD_PSS_SALT_LENGTH && alg.trailerField == 1;
}

/** RSASSA-PSS-SHA384 (salt 48) verification of `signature` over raw[start, end). */
export function verifyAmdPss(key: RsaPublicKey, raw: Uint8Array, start: i32, end: i32, signature: Uint8Array): bool {
  const digest = sha384Range(raw, start, end);
  return rsaPssVerify(key.modulus, key.exponent, digest, signature, HASH_ALG_SHA384, AMD_PSS_SALT_LENGTH) == RSA_VALID;
}

/** ECDSA P-384 verification of the report (R, S already converted to big-endian by the parser) with the
 * VCEK/VLEK public point (04 || X || Y). */
export function verifyReportSignature(report: SnpReport, point: Uint8Array): bool {
  const digest = sha384Range(report.raw, 0, SIGNED_END);
  return ecdsaVerifyP384(digest, report.signatureR, report.signatureS, point) == ECDSA_VALID;
}
