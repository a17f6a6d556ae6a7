// Object identifiers used by the X.509/CRL parsers, as DER content bytes (no tag/length), so a parsed
// OID is recognised by comparing bytes in place (oidIs) instead of building dotted strings.

// Public key algorithms and curves (RFC 5480, RFC 3279).
/** 1.2.840.10045.2.1 id-ecPublicKey */
export const OID_EC_PUBLIC_KEY: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/** 1.2.840.10045.3.1.7 prime256v1 / secp256r1 (NIST P-256) */
export const OID_CURVE_P256: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/** 1.3.132.0.34 secp384r1 (NIST P-384) */
export const OID_CURVE_P384: StaticArray<u8> = [0x2b, 0x81, 0x04, 0x00, 0x22];
/** 1.2.840.113549.1.1.1 rsaEncryption */
export const OID_RSA_ENCRYPTION: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

// Signature algorithms (RFC 5758, RFC 4055).
/** 1.2.840.10045.4.3.2 ecdsa-with-SHA256 */
export const OID_ECDSA_SHA256: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/** 1.2.840.10045.4.3.3 ecdsa-with-SHA384 */
export const OID_ECDSA_SHA384: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/** 1.2.840.10045.4.3.4 ecdsa-with-SHA512 */
export const OID_ECDSA_SHA512: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
/** 1.2.840.113549.1.1.11 sha256WithRSAEncryption */
export const OID_RSA_SHA256: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/** 1.2.840.113549.1.1.12 sha384WithRSAEncryption */
export const OID_RSA_SHA384: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/** 1.2.840.113549.1.1.13 sha512WithRSAEncryption */
export const OID_RSA_SHA512: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/** 1.2.840.113549.1.1.10 id-RSASSA-PSS */
export const OID_RSASSA_PSS: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/** 1.2.840.113549.1.1.8 id-mgf1 */
export const OID_MGF1: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];

// Hash algorithms (NIST CSOR).
/** 2.16.840.1.101.3.4.2.1 id-sha256 */
export const OID_SHA256: StaticArray<u8> = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/** 2.16.840.1.101.3.4.2.2 id-sha384 */
export const OID_SHA384: StaticArray<u8> = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/** 2.16.840.1.101.3.4.2.3 id-sha512 */
export const OID_SHA512: StaticArray<u8> = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

// Name attributes (X.520).
/** 2.5.4.3 id-at-commonName */
export const OID_COMMON_NAME: StaticArray<u8> = [0x55, 0x04, 0x03];

// Certificate and CRL extensions (RFC 5280 §4.2, §5.2).
/** 2.5.29.14 subjectKeyIdentifier */
export const OID_SUBJECT_KEY_ID: StaticArray<u8> = [0x55, 0x1d, 0x0e];
/** 2.5.29.15 keyUsage */
export const OID_KEY_USAGE: StaticArray<u8> = [0x55, 0x1d, 0x0f];
/** 2.5.29.19 basicConstraints */
export const OID_BASIC_CONSTRAINTS: StaticArray<u8> = [0x55, 0x1d, 0x13];
/** 2.5.29.20 cRLNumber */
export const OID_CRL_NUMBER: StaticArray<u8> = [0x55, 0x1d, 0x14];
/** 2.5.29.35 authorityKeyIdentifier */
export const OID_AUTHORITY_KEY_ID: StaticArray<u8> = [0x55, 0x1d, 0x23];
