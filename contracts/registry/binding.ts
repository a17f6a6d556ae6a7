// Binding a node's keys to its hardware evidence (DESIGN.md §4). The registry recomputes both values from
// the register_node message and compares them with what the hardware signed; src/registry/binding.ts is
// the TypeScript mirror that hosts and clients use (tests/registry-binding.test.ts checks they agree).
//
//   gpu_nonce       = SHA-256("tee-attest/gpu-nonce/v1" || SHA-256(enc_pk || sign_pk) || nonce)
//   report_data     = SHA-256(lp("tee-attest/report-data/v1") || lp(chain_id) || lp(registry) || lp(operator)
//                             || lp(node_id) || lp(enc_pk) || lp(sign_pk) || lp(SHA-256(gpu_report_0 || …)))
//                     || nonce                                                   (64 bytes: REPORTDATA)
//   challenge nonce = SHA-256(lp("tee-attest/challenge/v1") || lp(chain_id) || lp(registry) || lp(operator)
//                             || lp(node_id) || u64be(height) || u64be(counter))
//
// lp(x) = u16be(len(x)) || x: every variable field is framed (as UsageReceiptV1 does), so no two field
// lists hash alike. Strings are UTF-8; keys and reports are raw bytes (decoded from base64); GPU reports are
// concatenated in message order (no GPUs: SHA-256 of the empty string).
import { Sha256, sha256 } from "../../assembly/crypto/sha256";
import { utf8 } from "../../assembly/encoding/bytes";

export const REPORT_DATA_DOMAIN = "tee-attest/report-data/v1";
export const GPU_NONCE_DOMAIN = "tee-attest/gpu-nonce/v1";
export const CHALLENGE_DOMAIN = "tee-attest/challenge/v1";
export const NONCE_LENGTH: i32 = 32;
export const REPORT_DATA_LENGTH: i32 = 64;
/** lp() frames with a u16: longer fields are refused by the message parser before they get here. */
export const MAX_FIELD_LENGTH: i32 = 0xffff;

function lp(h: Sha256, field: Uint8Array): void {
  const header = new Uint8Array(2);
  header[0] = <u8>(field.length >> 8);
  header[1] = <u8>field.length;
  h.update(header);
  h.update(field);
}

function u64be(v: u64): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = <u8>(v >> (<u64>(56 - 8 * i)));
  return out;
}

/** SHA-256 of the GPU reports concatenated in order. */
export function gpuReportsDigest(reports: Array<Uint8Array>): Uint8Array {
  const h = new Sha256();
  for (let i = 0; i < reports.length; i++) h.update(reports[i]);
  return h.digest();
}

/** The nonce every GPU report of the node must answer. */
export function gpuNonce(encPk: Uint8Array, signPk: Uint8Array, nonce: Uint8Array): Uint8Array {
  const keys = new Sha256().update(encPk).update(signPk).digest();
  return new Sha256().update(utf8(GPU_NONCE_DOMAIN)).update(keys).update(nonce).digest();
}

/** The 64 bytes the CPU evidence must carry as REPORTDATA. */
export function expectedReportData(chainId: string, registry: string, operator: string, nodeId: string, encPk: Uint8Array,
  signPk: Uint8Array, gpuDigest: Uint8Array, nonce: Uint8Array): Uint8Array {
  const h = new Sha256();
  lp(h, utf8(REPORT_DATA_DOMAIN));
  lp(h, utf8(chainId));
  lp(h, utf8(registry));
  lp(h, utf8(operator));
  lp(h, utf8(nodeId));
  lp(h, encPk);
  lp(h, signPk);
  lp(h, gpuDigest);
  const head = h.digest();
  const out = new Uint8Array(REPORT_DATA_LENGTH);
  for (let i = 0; i < 32; i++) out[i] = head[i];
  for (let i = 0; i < NONCE_LENGTH && i < nonce.length; i++) out[32 + i] = nonce[i];
  return out;
}

/** The registration challenge for (operator, node_id) at `height`, made unique by the global counter. */
export function challengeNonce(chainId: string, registry: string, operator: string, nodeId: string, height: u64, counter: u64): Uint8Array {
  const h = new Sha256();
  lp(h, utf8(CHALLENGE_DOMAIN));
  lp(h, utf8(chainId));
  lp(h, utf8(registry));
  lp(h, utf8(operator));
  lp(h, utf8(nodeId));
  h.update(u64be(height));
  h.update(u64be(counter));
  return h.digest();
}

/** SHA-256 (re-exported so callers of this file need no other hash import). */
export function digest(data: Uint8Array): Uint8Array { return sha256(data); }
