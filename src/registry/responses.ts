// Query responses of the registry, as schemas (schema/<query>_response.json) and TypeScript types. Shapes
// are what the contract writes (contracts/registry/state.ts records, collateral.ts metadata, the trust
// evaluation of node/nodes/verify_evidence). Responses are produced by our own contract, so their schemas
// describe rather than police: objects allow no unknown members, so a drift fails the schema test.
import { array, boolean, int, nullable, object, string, uint, anyObject, union, literal, named, type Static } from "./schema-dsl";

const str = string();
const optStr = nullable(string());
const u64 = uint();

export const RootsResponse = object({
  intel: optStr,
  amd: object({ milan: optStr, genoa: optStr, turin: optStr }),
  nvidia: optStr,
  version: u64,
}, {}, { description: "Trust roots as base64 DER; null = the vendor root pinned in the verifier." });

export const PolicyResponse = object({
  accepted_tcb_statuses: array(str),
  allowed_advisories: nullable(array(str)),
  min_snp_tcb: nullable(anyObject()),
  allow_debug: boolean(),
  attestation_ttl: u64,
  challenge_ttl: u64,
  p256_backend: literal(["host", "wasm"] as const),
  min_gpus: uint({ format: "uint32" }),
  gpu_policy: nullable(anyObject()),
  version: u64,
});

export const ConfigResponse = object({
  governance: str, paused: boolean(), max_gpus: uint({ format: "uint32" }),
  policy: named("Policy", PolicyResponse), roots: named("Roots", RootsResponse),
});

export const ReleaseResponse = named("Release", object({
  id: str,
  tee: literal(["tdx", "snp"] as const),
  measurements: anyObject({ description: "Measurement name -> lowercase hex." }),
  gpu_golden: nullable(union([anyObject(), array(anyObject())])),
  expires_at: nullable(u64),
  revoked: boolean(),
  added_at: u64,
  revoked_at: nullable(u64),
}));
export const ReleasesResponse = object({ releases: array(ReleaseResponse) });

const Hardware = object({ ppid: str, pck_serial: str, chip_id: str, gpu_ueids: array(str) });
const NodeTcb = object({ fmspc: str, product: str, tcb_evaluation_data_number: u64, reappraised: boolean() });

export const NodeResponse = named("NodeStatus", object({
  node_id: str,
  trusted: boolean(),
  reasons: array(str, { description: "Why the node is not trusted now: \"<CODE>: <detail>\" with a stable registry error code." }),
  tee: literal(["tdx", "snp"] as const),
  tcb_status: str,
  advisory_ids: array(str),
  release_id: str,
  operator: str,
  model: str,
  endpoint: str,
  enc_pk: str,
  sign_pk: str,
  registered_at: u64,
  registered_time: u64,
  expires_at: u64,
  evidence_hash: str,
  hardware: Hardware,
  tcb: NodeTcb,
}, {}, { description: "A node with its trust evaluated against today's releases, exclusions, collateral and policy." }));
export const NodesResponse = object({ nodes: array(NodeResponse), next_start_after: optStr });

export const ExclusionsResponse = object({
  exclusions: array(object({ kind: str, value: str, reason: str, height: u64 })),
});

export const CollateralResponse = object({
  collateral: array(object({
    kind: str, key: str, issued: int({ description: "Unix seconds." }), next_update: int({ description: "Unix seconds." }),
    evaluation_data_number: int(), submitted_at: u64,
  })),
});

export const TdxCollateralResponse = object({
  pck_crl_issuer_chain: str, root_ca_crl: str, pck_crl: str,
  tcb_info: str, tcb_info_signature: str, tcb_info_issuer_chain: str,
  qe_identity: str, qe_identity_signature: str, qe_identity_issuer_chain: str,
}, {}, { description: "QuoteCollateralV3 JSON assembled from the stored pieces." });

export const ChallengeResponse = object({ nonce: optStr, issued_at: nullable(u64), expires_at: nullable(u64), expired: boolean() }, {}, {
  description: "The open challenge (nonce hex); all null when there is none.",
});

const CpuAppraisal = object({
  tee: literal(["tdx", "snp"] as const),
  tcb_status: str,
  advisory_ids: array(str),
  debug: boolean(),
  measurements: anyObject({ description: "Measurement name -> lowercase hex." }),
  report_data: str,
  hardware: object({ ppid: str, pck_serial: str, chip_id: str, fmspc: str, product: str }),
});
export const VerifyEvidenceResponse = object({
  ok: boolean(),
  error: nullable(object({ code: str, message: str })),
  cpu: nullable(CpuAppraisal),
  gpus: nullable(object({ status: str, nonce: str, ueids: array(str) })),
  release_id: optStr,
  binding: str,
}, {}, { description: "The registration appraisal of the given evidence, without storing anything." });

export const BindingResponse = object({ report_data: str, gpu_nonce: str }, {}, { description: "Hex: the 64 REPORTDATA bytes and the 32-byte GPU nonce." });

export const Responses = {
  config: ConfigResponse,
  roots: RootsResponse,
  policy: PolicyResponse,
  node: NodeResponse,
  nodes: NodesResponse,
  release: ReleaseResponse,
  releases: ReleasesResponse,
  exclusions: ExclusionsResponse,
  collateral: CollateralResponse,
  tdx_collateral: TdxCollateralResponse,
  challenge: ChallengeResponse,
  verify_evidence: VerifyEvidenceResponse,
  binding: BindingResponse,
} as const;

export type ConfigResponse = Static<typeof ConfigResponse>;
export type RootsResponse = Static<typeof RootsResponse>;
export type PolicyResponse = Static<typeof PolicyResponse>;
export type ReleaseResponse = Static<typeof ReleaseResponse>;
export type ReleasesResponse = Static<typeof ReleasesResponse>;
export type NodeResponse = Static<typeof NodeResponse>;
export type NodesResponse = Static<typeof NodesResponse>;
export type ExclusionsResponse = Static<typeof ExclusionsResponse>;
export type CollateralResponse = Static<typeof CollateralResponse>;
export type TdxCollateralResponse = Static<typeof TdxCollateralResponse>;
export type ChallengeResponse = Static<typeof ChallengeResponse>;
export type VerifyEvidenceResponse = Static<typeof VerifyEvidenceResponse>;
export type BindingResponse = Static<typeof BindingResponse>;
