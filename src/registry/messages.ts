// The registry's messages, queries and responses, defined once: each constant is a JSON Schema (written to
// schema/*.json by scripts/schema.ts) and its `Static<…>` is the TypeScript type the client uses. The
// shapes follow the message contract in contracts/registry/msg.ts (header comment and parsers) and the
// records the contract writes (state.ts, collateral.ts, trust/query code). Schemas are at least as strict
// as the contract's parser: whatever validates here, the contract parses (tests/registry-schema.test.ts).
import {
  array, boolean, empty, literal, named, nullable, object, oneOf, record, string, uint, union, anyObject, type Static,
} from "./schema-dsl";

// ---------------------------------------------------------------------------------------------------
// Scalars

export const Binary = named("Binary", string({
  description: "Binary data, standard base64 with padding (cosmwasm Binary).",
  pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}));
/** Identifiers (node ids, release ids, models): letters, digits and . _ : / @ + - */
const identifier = (max: number, description: string) => string({ description, pattern: `^[A-Za-z0-9._:/@+-]{1,${max}}$` });
export const NodeId = named("NodeId", identifier(64, "Node identifier, 1-64 characters of [A-Za-z0-9._:/@+-]."));
const ReleaseId = identifier(64, "Release identifier, 1-64 characters of [A-Za-z0-9._:/@+-].");
const Model = identifier(128, "Model name, 1-128 characters of [A-Za-z0-9._:/@+-].");
const Endpoint = string({ description: "Node endpoint URL: printable ASCII without spaces, 1-256 characters.", pattern: "^[\\x21-\\x7e]{1,256}$" });
const Address = string({ description: "Bech32 account address.", minLength: 1, maxLength: 256 });
const hexOf = (bytes: number, description: string) => string({ description, pattern: `^[0-9a-fA-F]{${bytes * 2}}$` });
const Hex = string({ description: "Hex bytes.", pattern: "^(?:[0-9a-fA-F]{2})+$" });
const Measurement48 = named("Measurement48", hexOf(48, "48-byte measurement, hex."));
const Certificate = string({ description: "X.509 certificate: PEM text, or base64 / hex of its DER or PEM.", minLength: 1 });
const PemOrDer = string({ description: "PEM text, or base64 / hex of the DER.", minLength: 1 });
const TeeKind = literal(["tdx", "snp"] as const, { description: "CPU TEE kind." });
export const TdxStatus = named("TdxStatus", literal([
  "UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate",
  "OutOfDateConfigurationNeeded", "Revoked", "TDRelaunchAdvised", "TDRelaunchAdvisedConfigurationNeeded",
] as const, { description: "Intel TCB status." }));
const Nonce = named("Nonce", hexOf(32, "32-byte challenge nonce (or GPU nonce), hex."));
const Height = uint({ description: "Block height." });
const Limit = uint({ format: "uint32", description: "Page size (the contract caps it)." });

// ---------------------------------------------------------------------------------------------------
// Governance inputs

const AmdRoots = object({}, {
  milan: nullable(Certificate), genoa: nullable(Certificate), turin: nullable(Certificate),
}, { description: "AMD ARK per product; null = the AMD root pinned in the verifier." });
export const SetRoots = named("SetRoots", object({}, {
  intel: nullable(Certificate, { description: "Intel SGX Root CA; null = the pinned Intel root." }),
  amd: nullable(named("AmdRoots", AmdRoots)),
  nvidia: nullable(Certificate, { description: "NVIDIA device identity root; null = the pinned NVIDIA root." }),
}, { description: "Trust roots; an absent field is unchanged, null restores the vendor root pinned in the verifier." }));

const u8 = uint({ format: "uint32", maximum: 255 });
export const SnpMinTcb = named("SnpMinTcb", object({}, { fmc: u8, bl: u8, tee: u8, snp: u8, ucode: u8 }, {
  description: "Minimum SEV-SNP TCB component SVNs.",
}));
const MinSnpTcb = object({}, { milan: SnpMinTcb, genoa: SnpMinTcb, turin: SnpMinTcb }, { description: "Minimum SNP TCB per product." });
const StringList = array(string({ minLength: 1, maxLength: 64 }), { maxItems: 64 });
export const GpuPolicy = named("GpuPolicy", object({}, {
  allow_zero_padding: boolean(), require_fwid: nullable(boolean()), skip_nvdec_when_disabled: boolean(),
  require_switches: boolean(), allowed_archs: StringList, allowed_modes: StringList,
  min_driver_version: string({ minLength: 1, maxLength: 64 }), revoked_serials: StringList, revoked_ueids: StringList,
}, { description: "Extra NVIDIA verifier policy (the registry always requires the nonce and golden measurements, and sets the root)." }));

export const SetPolicy = named("SetPolicy", object({}, {
  accepted_tcb_statuses: array(TdxStatus, { minItems: 1, maxItems: 64, description: "TDX TCB statuses accepted at registration and query time." }),
  allowed_advisories: nullable(StringList, { description: "null: advisories not filtered; a list: every advisory must be in it." }),
  min_snp_tcb: nullable(named("MinSnpTcb", MinSnpTcb)),
  allow_debug: boolean({ description: "Accept debug TDs / guests (never in production)." }),
  attestation_ttl: uint({ minimum: 1, maximum: 10_000_000, description: "Blocks a registration stays valid." }),
  challenge_ttl: uint({ minimum: 1, maximum: 10_000_000, description: "Blocks a registration challenge stays valid." }),
  p256_backend: literal(["host", "wasm"] as const, { description: "P-256 ECDSA: the chain's secp256r1_verify or pure Wasm." }),
  min_gpus: uint({ format: "uint32", maximum: 64, description: "GPUs a node must attest." }),
  gpu_policy: nullable(GpuPolicy),
}, { description: "Trust policy; an absent field is unchanged." }));

const TdxMeasurements = object({ mrtd: Measurement48 }, {
  rtmr0: Measurement48, rtmr1: Measurement48, rtmr2: Measurement48, rtmr3: Measurement48, mrconfigid: Measurement48,
}, {
  description: "TDX release measurements: MRTD and either RTMR0-3 or MRCONFIGID.",
  extra: { anyOf: [{ required: ["rtmr0", "rtmr1", "rtmr2", "rtmr3"] }, { required: ["mrconfigid"] }] },
});
const SnpMeasurements = object({ measurement: Measurement48 }, { host_data: hexOf(32, "32-byte HOST_DATA, hex.") }, {
  description: "SEV-SNP release measurements.",
});
export const GpuGolden = named("GpuGolden", object({ blocks: record(array(hexOf(48, "SHA-384, hex."), { minItems: 1 }), { keyPattern: "^[0-9]{1,3}$" }) }, {
  rim_id: string({ minLength: 1 }), version: string({ minLength: 1 }), arch: string({ minLength: 1 }),
  driver_version: string({ minLength: 1 }), vbios_version: string({ minLength: 1 }),
}, { description: "NVIDIA golden measurements: SPDM measurement blocks keyed by RIM index, each with its allowed SHA-384 values." }));
const GpuGoldenSet = nullable(union([GpuGolden, array(GpuGolden, { minItems: 1 })]), { description: "Golden GPU measurements; null = the release admits no GPUs." });
const ExpiresAt = nullable(uint({ description: "Unix seconds after which the release no longer admits nodes; null = never." }));
export const AddRelease = named("AddRelease", union([
  object({ id: ReleaseId, tee: literal(["tdx"] as const), measurements: named("TdxMeasurements", TdxMeasurements) }, { gpu_golden: GpuGoldenSet, expires_at: ExpiresAt }),
  object({ id: ReleaseId, tee: literal(["snp"] as const), measurements: named("SnpMeasurements", SnpMeasurements) }, { gpu_golden: GpuGoldenSet, expires_at: ExpiresAt }),
], { description: "An allowed measurement set (one TEE image, optionally with its GPU golden measurements)." }));

const HexValue = string({ description: "Hex.", pattern: "^(?:[0-9a-fA-F]{2}){1,128}$" });
const Reason = string({ minLength: 1, maxLength: 256 });
const exclusionVariants = (withReason: boolean) => {
  const opt = withReason ? { reason: Reason } : {};
  return union([
    object({ pck_serial: HexValue }, opt), object({ chip_id: HexValue }, opt), object({ ppid: HexValue }, opt),
    object({ gpu_ueid: identifier(256, "GPU UEID (decimal).") }, opt), object({ node_id: NodeId }, opt),
  ]);
};
export const Exclude = named("Exclude", exclusionVariants(true));
export const Unexclude = named("Unexclude", exclusionVariants(false));

// ---------------------------------------------------------------------------------------------------
// Collateral (QuoteCollateralV3 field names)

const SignedJsonText = union([string({ minLength: 1 }), anyObject()], { description: "The exact signed JSON text (or the object)." });
export const SubmitCollateral = named("SubmitCollateral", oneOf({
  tdx_tcb_info: object({ tcb_info: SignedJsonText, tcb_info_signature: Hex, tcb_info_issuer_chain: PemOrDer }, {}, { description: "Intel TCB info for one FMSPC." }),
  qe_identity: object({ qe_identity: SignedJsonText, qe_identity_signature: Hex, qe_identity_issuer_chain: PemOrDer }, {}, { description: "Intel TDX QE identity." }),
  pck_crl: object({ pck_crl: PemOrDer, pck_crl_issuer_chain: PemOrDer }, {}, { description: "Intel PCK CRL (platform or processor CA)." }),
  root_crl: object({ root_ca_crl: PemOrDer }, {}, { description: "Intel Root CA CRL." }),
  amd_crl: object({ crl: PemOrDer }, {}, { description: "AMD CRL of one product's ARK." }),
  nvidia_ca: object({ certs: string({ minLength: 1, description: "PEM text of the three certificates a chip family's GPUs share: \"NVIDIA <chip> Provisioner ICA\", \"NVIDIA <chip> Identity\", \"NVIDIA Device Identity CA\" (the last three of a device chain)." }) }, {}, {
    description: "NVIDIA intermediates, checked against the governance NVIDIA root; once stored, a GPU of that chip may send only its leaf + BROM certificates (resubmit after set_roots).",
  }),
}, { description: "Vendor collateral: verified against the roots, kept only if newer than what is stored." }));

// ---------------------------------------------------------------------------------------------------
// Evidence and registration

export const GpuEvidence = named("GpuEvidence", object({ report: Binary, certs: string({ minLength: 1,
  description: "PEM certificate chain of the GPU (leaf first): all five certificates, or only the GPU's own two (leaf + BROM) once nvidia_ca for its chip is stored." }) }));
export const CpuEvidence = named("CpuEvidence", oneOf({
  tdx: object({ quote: Binary }, {}, { description: "A TDX v4/v5 quote; its PCK chain may be the leaf alone (trimTdxQuote): the registry adds the stored PCK CA and root." }),
  snp: object({ report: Binary, vcek: PemOrDer }, { chain: nullable(PemOrDer) }),
}));
export const Evidence = named("Evidence", object({ cpu: CpuEvidence }, { gpus: nullable(array(GpuEvidence)) }, {
  description: "Hardware evidence of a node: one CPU report and the reports of its GPUs.",
}));
const EncPk = named("EncPk", string({ description: "X25519 public key (HPKE), 32 bytes, base64.", pattern: "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$" }));
const SignPk = named("SignPk", string({ description: "Compressed secp256k1 public key (receipts), 33 bytes, base64 (first byte 02 or 03).", pattern: "^A[g-z0-9+/][A-Za-z0-9+/]{42}$" }));
const registrationFields = { node_id: NodeId, model: Model, endpoint: Endpoint, enc_pk: EncPk, sign_pk: SignPk, evidence: Evidence };
/** verify_evidence may appraise GPU reports alone (no cpu). */
const DryRunEvidence = named("DryRunEvidence", object({}, { cpu: nullable(CpuEvidence), gpus: nullable(array(GpuEvidence)) }, {
  description: "Evidence for a dry run: CPU and/or GPU reports.",
  minProperties: 1,
}));
export const RegisterNode = named("RegisterNode", object(registrationFields, {}, {
  description: "Registers a node: evidence verified against stored collateral, a live release and policy, bound to the challenge and keys.",
}));

// ---------------------------------------------------------------------------------------------------
// Top-level messages

export const InstantiateMsg = object({}, {
  governance: Address, paused: boolean(), max_gpus: uint({ format: "uint32", minimum: 1, maximum: 64 }),
  policy: SetPolicy, roots: SetRoots,
});

export const ExecuteMsg = oneOf({
  update_config: object({}, { paused: boolean(), max_gpus: uint({ format: "uint32", minimum: 1, maximum: 64 }) }, { description: "Governance: pause, GPU limit." }),
  transfer_governance: object({ governance: Address }, {}, { description: "Governance: hand governance to another address." }),
  set_roots: SetRoots,
  set_policy: SetPolicy,
  add_release: AddRelease,
  revoke_release: object({ id: ReleaseId }, {}, { description: "Governance: revoke a release (its nodes turn untrusted)." }),
  exclude: Exclude,
  unexclude: Unexclude,
  submit_collateral: SubmitCollateral,
  begin_registration: object({ node_id: NodeId }, {}, { description: "Host: get a registration challenge." }),
  register_node: RegisterNode,
  deregister_node: object({ node_id: NodeId }, {}, { description: "Operator or governance: remove a node." }),
});

const Page = { start_after: string({ minLength: 1, maxLength: 256 }), limit: Limit };
export const QueryMsg = oneOf({
  config: empty(),
  roots: empty(),
  policy: empty(),
  node: object({ node_id: NodeId }),
  nodes: object({}, { model: Model, trusted_only: boolean(), ...Page }),
  release: object({ id: ReleaseId }),
  releases: object({}, { include_revoked: boolean(), ...Page }),
  exclusions: object({}, Page),
  collateral: object({}, Page),
  tdx_collateral: object({ fmspc: hexOf(6, "FMSPC, hex."), ca: literal(["platform", "processor"] as const) }),
  challenge: object({ node_id: NodeId, operator: Address }, {}, { description: "The open challenge of (node_id, operator)." }),
  verify_evidence: object({ evidence: DryRunEvidence }, {
    operator: Address, node_id: NodeId, model: Model, endpoint: Endpoint, enc_pk: EncPk, sign_pk: SignPk,
    nonce: Nonce, gpu_nonce: Nonce, release_id: ReleaseId,
  }, { description: "Dry run of register_node's appraisal over the given evidence (no state change); binding is checked only for the inputs given." }),
  binding: object({ operator: Address, node_id: NodeId, enc_pk: EncPk, sign_pk: SignPk, nonce: Nonce }, { gpu_reports: array(Binary) }, {
    description: "The REPORTDATA and GPU nonce the registry expects for these inputs (DESIGN.md §4).",
  }),
});

export type InstantiateMsg = Static<typeof InstantiateMsg>;
export type ExecuteMsg = Static<typeof ExecuteMsg>;
export type QueryMsg = Static<typeof QueryMsg>;
export type SetRoots = Static<typeof SetRoots>;
export type SetPolicy = Static<typeof SetPolicy>;
export type AddRelease = Static<typeof AddRelease>;
export type Exclude = Static<typeof Exclude>;
export type Unexclude = Static<typeof Unexclude>;
export type SubmitCollateral = Static<typeof SubmitCollateral>;
export type Evidence = Static<typeof Evidence>;
export type CpuEvidence = Static<typeof CpuEvidence>;
export type GpuEvidence = Static<typeof GpuEvidence>;
export type RegisterNode = Static<typeof RegisterNode>;
export type GpuGolden = Static<typeof GpuGolden>;
export type SnpMinTcb = Static<typeof SnpMinTcb>;
export type GpuPolicy = Static<typeof GpuPolicy>;
export type TdxStatus = Static<typeof TdxStatus>;
