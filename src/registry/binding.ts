// The TypeScript mirror of contracts/registry/binding.ts (DESIGN.md §4): what a node must put into its
// CPU REPORTDATA and ask its GPUs to sign as nonce, computed exactly as the registry recomputes them.
// tests/registry-*.test.ts check the two agree (a registration only passes when they do).
//
//   gpu_nonce   = SHA-256("tee-attest/gpu-nonce/v1" || SHA-256(enc_pk || sign_pk) || nonce)
//   report_data = SHA-256(lp("tee-attest/report-data/v1") || lp(chain_id) || lp(registry) || lp(operator)
//                         || lp(node_id) || lp(enc_pk) || lp(sign_pk) || lp(SHA-256(gpu_report_0 || …))) || nonce
//   lp(x) = u16be(len(x)) || x
import { sha256 } from "@noble/hashes/sha2.js";

const REPORT_DATA_DOMAIN = "tee-attest/report-data/v1";
const GPU_NONCE_DOMAIN = "tee-attest/gpu-nonce/v1";
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function lp(field: Uint8Array): Uint8Array {
  if (field.length > 0xffff) throw new RangeError("binding field longer than 65535 bytes");
  return concat([new Uint8Array([field.length >> 8, field.length & 0xff]), field]);
}

export interface BindingInput {
  chainId: string;
  registry: string;
  operator: string;
  nodeId: string;
  encPk: Uint8Array;
  signPk: Uint8Array;
  /** The 32-byte challenge nonce from begin_registration. */
  nonce: Uint8Array;
  /** Raw GPU reports in the order they are sent in register_node. */
  gpuReports: Uint8Array[];
}

/** The nonce every GPU report of the node must answer. */
export function gpuNonce(encPk: Uint8Array, signPk: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concat([utf8(GPU_NONCE_DOMAIN), sha256(concat([encPk, signPk])), nonce]));
}

/** The 64 bytes the CPU evidence must carry as REPORTDATA. */
export function reportData(b: BindingInput): Uint8Array {
  if (b.nonce.length !== 32) throw new RangeError("the challenge nonce is 32 bytes");
  const head = sha256(concat([
    lp(utf8(REPORT_DATA_DOMAIN)), lp(utf8(b.chainId)), lp(utf8(b.registry)), lp(utf8(b.operator)), lp(utf8(b.nodeId)),
    lp(b.encPk), lp(b.signPk), lp(sha256(concat(b.gpuReports))),
  ]));
  return concat([head, b.nonce]);
}
