// The trust anchor: Intel SGX Root CA, pinned by its public key (not by certificate hash — Intel
// re-issues certificates with the same key, spec tdx.md §2.2). A caller may pass another root (a test
// PKI, Intel's synthetic samples); only then is anything but Intel's key trusted.
import { parseCertificate, x509Error } from "../encoding/x509";
import { pemDecodeAll } from "../encoding/pem";
import { KEY_EC, CURVE_P256 } from "../encoding/x509-algorithm";
import { Result, success, failure, MALFORMED_ROOT } from "./errors";
import { P256_SEC1_KEY_SIZE } from "./signature";

/** Intel SGX Root CA (CN=Intel SGX Root CA, serial 22650cd6…0ac, 2018-05-21..2049-12-31), P-256, SEC1. */
export const INTEL_SGX_ROOT_CA_KEY: StaticArray<u8> = [
  0x04, 0x0b, 0xa9, 0xc4, 0xc0, 0xc0, 0xc8, 0x61, 0x93, 0xa3, 0xfe, 0x23, 0xd6, 0xb0, 0x2c, 0xda, 0x10, 0xa8, 0xbb,
  0xd4, 0xe8, 0x8e, 0x48, 0xb4, 0x45, 0x85, 0x61, 0xa3, 0x6e, 0x70, 0x55, 0x25, 0xf5, 0x67, 0x91, 0x8e, 0x2e, 0xdc,
  0x88, 0xe4, 0x0d, 0x86, 0x0b, 0xd0, 0xcc, 0x4e, 0xe2, 0x6a, 0xac, 0xc9, 0x88, 0xe5, 0x05, 0xa9, 0x53, 0x55, 0x8c,
  0x45, 0x3f, 0x6b, 0x09, 0x04, 0xae, 0x73, 0x94,
];

const RAW_XY_SIZE: i32 = 64;
const PEM_DASH: u8 = 0x2d;

export function intelRootKey(): Uint8Array {
  const out = new Uint8Array(P256_SEC1_KEY_SIZE);
  for (let i = 0; i < P256_SEC1_KEY_SIZE; i++) out[i] = INTEL_SGX_ROOT_CA_KEY[i];
  return out;
}

/** The root key to pin: Intel's when `input` is empty; else a SEC1 key (65 bytes), a raw x || y (64
 * bytes), or the P-256 key of a DER or PEM certificate. */
export function rootKeyFrom(input: Uint8Array): Result<Uint8Array> {
  if (input.length == 0) return success<Uint8Array>(intelRootKey());
  if (input.length == P256_SEC1_KEY_SIZE && input[0] == 0x04) return success<Uint8Array>(input.slice(0));
  if (input.length == RAW_XY_SIZE) {
    const key = new Uint8Array(P256_SEC1_KEY_SIZE);
    key[0] = 0x04;
    for (let i = 0; i < RAW_XY_SIZE; i++) key[i + 1] = input[i];
    return success<Uint8Array>(key);
  }
  let der = input;
  if (input[0] == PEM_DASH) {
    const blocks = pemDecodeAll(input, "CERTIFICATE");
    if (blocks === null || blocks.length != 1) return failure<Uint8Array>(MALFORMED_ROOT, "the root is not one PEM certificate");
    der = blocks[0].der;
  }
  const cert = parseCertificate(der);
  if (cert === null) return failure<Uint8Array>(MALFORMED_ROOT, "the root certificate does not parse: " + x509Error);
  if (cert.publicKey.kind != KEY_EC || cert.publicKey.curve != CURVE_P256) return failure<Uint8Array>(MALFORMED_ROOT, "the root key is not P-256");
  return success<Uint8Array>(cert.ecPoint());
}
