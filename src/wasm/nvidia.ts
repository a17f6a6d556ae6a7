// Typed wrappers for the NVIDIA exports of verifier.wasm (assembly/exports/nvidia.ts): one GPU or
// NVSwitch report with its PEM chain, or a whole node given as our evidence shape or as one of the
// JSON shapes NVIDIA tooling emits:
//   * nvtrust / attestation-sdk / NRAS list: [{arch, nonce, evidence: b64(report), certificate: b64(PEM)}]
//     (entries with arch "LS10" are NVSwitches)
//   * NEAR AI `nvidia_payload` (object or JSON string): {arch, nonce, evidence_list: [...]}, or the whole
//     NEAR AI report {model_attestations: [{nvidia_payload, …}]}
//   * google/go-nvattest-tools jsonpickle dumps: {gpus: [{AttestationReport: {"py/b64"}, CertificateChains:
//     {GpuAttestationCertificateChain: [{pem: b64(PEM)}]}}], nvswitches: [{attestation_report, attestation_cert_chain}]}
//   * ours: {gpus: [{report, certs}], switches?: [...]}
// Unsigned fields of those wrappers (arch, nonce, driver_version, …) are ignored: the expected nonce
// comes from the caller, versions come from the signed report.
import { run, put, takeJson, callExport, type VerifierExports } from "./loader";

export interface NvidiaError { code: string; message: string; indices?: number[]; device?: string }

export interface NvidiaDeviceClaims {
  device: "gpu" | "nvswitch"; arch: string; chip: string;
  driver_version: string | null; vbios_version: string | null; project: string | null; project_sku: string | null;
  chip_sku: string | null; chip_info: string | null; feature_flag: number | null; opaque_data_version: number | null;
  protected_pcie: string | null; nvdec0: string | null; report_fwid: string | null; mode: string | null;
  driver_rim_id: string | null; vbios_rim_id: string | null; ueid: string; leaf_serial: string; device_serial: string;
  nonce: string; nonce_checked: boolean; fwid_kind: string; fwid_checked: boolean;
  golden: { rim_id: string; version: string; compared: number } | null;
  /** measurements[i] = SPDM block i + 1 = RIM index i (hex SHA-384). */
  measurements: (string | null)[];
}

export interface NvidiaNodeClaims {
  arch: string; mode: string; driver_version: string; nonce: string; gpu_count: number; switch_count: number;
  topology_checked: boolean; gpus: NvidiaDeviceClaims[]; switches: NvidiaDeviceClaims[];
}

export interface NvidiaVerdict<C = NvidiaDeviceClaims> {
  ok: boolean; tee: "nvidia"; status?: "Verified" | "Incomplete"; advisory_ids?: string[]; claims?: C;
  /** P-384 verifications the Wasm performed (reports + certificate links not served from the cache). */
  p384_verifications?: number;
  error: NvidiaError | null;
}

/** Golden entry (see assembly/nvidia/golden.ts): blocks keyed by RIM index, hex SHA-384 alternatives. */
export interface NvidiaGolden {
  rim_id?: string; version?: string; arch?: string; driver_version?: string; vbios_version?: string;
  blocks: Record<string, string[]>;
}

export interface NvidiaPolicy {
  allow_zero_padding?: boolean; require_fwid?: boolean | null; require_nonce?: boolean; require_golden?: boolean;
  skip_nvdec_when_disabled?: boolean; require_switches?: boolean; allowed_archs?: string[]; allowed_modes?: string[];
  min_driver_version?: string; revoked_serials?: string[]; revoked_ueids?: string[]; root_pem?: string;
  /** base64 DER of intermediates already verified against the same root (see NvidiaOptions.verifiedIntermediates). */
  verified_intermediates?: string[];
}

export interface NvidiaOptions {
  /** Expected nonce: 32 bytes or 64 hex digits. Omitted: not checked (verdict status "Incomplete"). */
  nonce?: Uint8Array | string;
  golden?: NvidiaGolden | NvidiaGolden[] | string;
  /** Unix seconds (or a Date) for certificate validity; default now. */
  at?: number | bigint | Date;
  policy?: NvidiaPolicy | string;
  /**
   * DER of intermediate certificates the caller already verified against the same root (e.g. a chip family's
   * Provisioner ICA and Identity). A chain link whose child is byte-identical to one of them is not
   * signature-checked again; names, validity, CA flags and all other links still are. Travels as the
   * policy key verified_intermediates.
   */
  verifiedIntermediates?: Uint8Array[];
}

export interface NvidiaDeviceEvidence { report: Uint8Array; certs: string }
export interface NvidiaNodeEvidence { gpus: NvidiaDeviceEvidence[]; switches: NvidiaDeviceEvidence[] }

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Raw bytes from bytes, hex (optionally 0x-prefixed) or base64 text. */
export function evidenceBytes(input: Uint8Array | string): Uint8Array {
  if (typeof input !== "string") return input;
  const text = input.trim();
  const hex = text.startsWith("0x") ? text.slice(2) : text;
  if (hex.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(hex)) return new Uint8Array(Buffer.from(hex, "hex"));
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** PEM text from PEM, or base64 of PEM (what NVIDIA's JSON carries). */
function pemText(input: Uint8Array | string): string {
  const text = typeof input === "string" ? input : decoder.decode(input);
  if (text.includes("-----BEGIN")) return text;
  return Buffer.from(text.trim(), "base64").toString("utf8");
}

function nonceBytes(nonce: Uint8Array | string | undefined): Uint8Array {
  if (nonce === undefined) return new Uint8Array(0);
  if (typeof nonce !== "string") return nonce;
  const hex = nonce.startsWith("0x") ? nonce.slice(2) : nonce;
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) throw new Error("nonce must be hex");
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function jsonBytes(value: unknown): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return encoder.encode(typeof value === "string" ? value : JSON.stringify(value));
}

function atSeconds(at: NvidiaOptions["at"]): bigint {
  if (at === undefined) return BigInt(Math.floor(Date.now() / 1000));
  if (at instanceof Date) return BigInt(Math.floor(at.getTime() / 1000));
  return BigInt(at);
}

type Export = (...args: (number | bigint)[]) => number;

function exported(w: VerifierExports, name: string): Export {
  const fn = w[name];
  if (typeof fn !== "function") throw new Error(`verifier.wasm has no export ${name}`);
  return fn as Export;
}

type Entry = Record<string, unknown>;
const isObject = (v: unknown): v is Entry => typeof v === "object" && v !== null && !Array.isArray(v);

function fromNvidiaEntry(e: Entry): NvidiaDeviceEvidence {
  if (typeof e.evidence !== "string" || typeof e.certificate !== "string") throw new Error("NVIDIA evidence entries need `evidence` and `certificate`");
  return { report: evidenceBytes(e.evidence), certs: pemText(e.certificate) };
}

function goReport(v: unknown): Uint8Array {
  if (isObject(v) && typeof v["py/b64"] === "string") return evidenceBytes(v["py/b64"] as string);
  throw new Error("go-nvattest-tools report must be {\"py/b64\": …}");
}

function goChain(list: unknown): string {
  if (!Array.isArray(list)) throw new Error("go-nvattest-tools chain must be a list");
  return list.map((c) => pemText(isObject(c) ? (c.pem as string) : (c as string))).join("\n");
}

/** Converts any supported evidence shape (see the header) into {gpus, switches}. */
export function normalizeNvidiaEvidence(evidence: unknown): NvidiaNodeEvidence {
  let value = evidence;
  if (typeof value === "string") value = JSON.parse(value);
  if (Array.isArray(value)) {
    const out: NvidiaNodeEvidence = { gpus: [], switches: [] };
    for (const e of value as Entry[]) (String(e.arch).toUpperCase() === "LS10" ? out.switches : out.gpus).push(fromNvidiaEntry(e));
    return out;
  }
  if (!isObject(value)) throw new Error("unsupported NVIDIA evidence shape");
  if (Array.isArray(value.evidence_list)) return normalizeNvidiaEvidence(value.evidence_list);
  // A whole NEAR AI attestation report: its single model attestation carries the payload.
  if (Array.isArray(value.model_attestations)) {
    if (value.model_attestations.length !== 1) throw new Error("NEAR AI report: expected exactly one model attestation");
    return normalizeNvidiaEvidence(value.model_attestations[0]);
  }
  if (typeof value.nvidia_payload === "string") return normalizeNvidiaEvidence(value.nvidia_payload);
  if (Array.isArray(value.gpus)) {
    const gpus = value.gpus as Entry[];
    const switches = (value.switches ?? value.nvswitches ?? []) as Entry[];
    const device = (e: Entry): NvidiaDeviceEvidence => {
      if ("report" in e) return { report: evidenceBytes(e.report as Uint8Array | string), certs: pemText(e.certs as string) };
      if ("evidence" in e) return fromNvidiaEntry(e);
      if ("AttestationReport" in e) {
        const chains = e.CertificateChains as Entry;
        return { report: goReport(e.AttestationReport), certs: goChain(chains.GpuAttestationCertificateChain) };
      }
      if ("attestation_report" in e) return { report: goReport(e.attestation_report), certs: goChain(e.attestation_cert_chain) };
      throw new Error("unsupported NVIDIA device entry");
    };
    return { gpus: gpus.map(device), switches: switches.map(device) };
  }
  throw new Error("unsupported NVIDIA evidence shape");
}

/** The policy with options.verifiedIntermediates merged in as verified_intermediates. */
function policyWithIntermediates(options: NvidiaOptions): NvidiaPolicy | string | undefined {
  const extra = options.verifiedIntermediates;
  if (extra === undefined || extra.length === 0) return options.policy;
  const policy: NvidiaPolicy = typeof options.policy === "string" ? JSON.parse(options.policy) : { ...(options.policy ?? {}) };
  policy.verified_intermediates = [...(policy.verified_intermediates ?? []), ...extra.map((d) => Buffer.from(d).toString("base64"))];
  return policy;
}

function optionsArgs(w: VerifierExports, options: NvidiaOptions): { nonce: [number, number]; golden: [number, number]; policy: [number, number]; at: bigint } {
  return {
    nonce: put(w, nonceBytes(options.nonce)),
    golden: put(w, jsonBytes(options.golden)),
    policy: put(w, jsonBytes(policyWithIntermediates(options))),
    at: atSeconds(options.at),
  };
}

/** Verifies one report + PEM chain, or (given an evidence object / list instead) a whole node. */
export function verifyNvidia(report: Uint8Array | string, certsPem: string | Uint8Array, options?: NvidiaOptions): NvidiaVerdict;
export function verifyNvidia(evidence: object | string, options?: NvidiaOptions): NvidiaVerdict<NvidiaNodeClaims>;
export function verifyNvidia(first: Uint8Array | string | object, second?: string | Uint8Array | NvidiaOptions, third?: NvidiaOptions): NvidiaVerdict<NvidiaDeviceClaims | NvidiaNodeClaims> {
  // A single report always comes with its chain (string or bytes); anything else is node evidence.
  const secondIsChain = typeof second === "string" || second instanceof Uint8Array;
  if ((typeof first === "object" && !(first instanceof Uint8Array)) || !secondIsChain) {
    return verifyNvidiaNode(normalizeNvidiaEvidence(first), (second as NvidiaOptions | undefined) ?? {});
  }
  const reportBytes = evidenceBytes(first as Uint8Array | string);
  const certs = encoder.encode(pemText(second as string | Uint8Array));
  const options = third ?? {};
  return run((w) => {
    const [rp, rn] = put(w, reportBytes);
    const [cp, cn] = put(w, certs);
    const o = optionsArgs(w, options);
    return takeJson<NvidiaVerdict>(w, exported(w, "nvidia_verify")(rp, rn, cp, cn, ...o.nonce, ...o.golden, o.at, ...o.policy));
  });
}

/** Verifies a node's GPUs (and NVSwitches) sharing one nonce. */
export function verifyNvidiaNode(evidence: NvidiaNodeEvidence, options: NvidiaOptions = {}): NvidiaVerdict<NvidiaNodeClaims> {
  const toJson = (d: NvidiaDeviceEvidence) => ({ report: Buffer.from(d.report).toString("base64"), certs: d.certs });
  const body: Record<string, unknown> = { gpus: evidence.gpus.map(toJson) };
  if (evidence.switches.length > 0) body.switches = evidence.switches.map(toJson);
  const bytes = encoder.encode(JSON.stringify(body));
  return run((w) => {
    const [ep, en] = put(w, bytes);
    const o = optionsArgs(w, options);
    return takeJson<NvidiaVerdict<NvidiaNodeClaims>>(w, exported(w, "nvidia_verify_node")(ep, en, ...o.nonce, ...o.golden, o.at, ...o.policy));
  });
}

export interface NvidiaParsedReport {
  nonce: string; responder_nonce: string; blocks: number; signature_offset: number; trailing_bytes: number;
  opaque_types: number[]; driver_version: string | null; vbios_version: string | null; pdis: string[];
  measurements: (string | null)[]; [field: string]: unknown;
}

/** Parses a report without verifying anything (tools, debugging). */
export function parseNvidiaReport(report: Uint8Array | string): { ok: boolean; report?: NvidiaParsedReport; error: NvidiaError | null } {
  const bytes = evidenceBytes(report);
  return run((w) => takeJson(w, callExport(w, "nvidia_parse", ...put(w, bytes))));
}
