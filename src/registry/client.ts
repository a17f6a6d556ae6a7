// A typed client of the node registry contract over the Chain interface, so the same code drives the
// embedded chain (tests, `npm start`, bench) and a real wasmd node (RemoteChain). One method per execute
// message and per query; message and response types come from messages.ts / responses.ts (the same
// definitions the JSON Schemas in schema/ are generated from).
import type { Chain, Coin, ExecuteResult, InstantiateResult } from "../chain/types";
import type {
  AddRelease, Evidence, ExecuteMsg, Exclude, InstantiateMsg, QueryMsg, RegisterNode, SetPolicy, SetRoots, SubmitCollateral, Unexclude,
} from "./messages";
import type {
  BindingResponse, ChallengeResponse, CollateralResponse, ConfigResponse, ExclusionsResponse, NodeResponse, NodesResponse,
  PolicyResponse, ReleaseResponse, ReleasesResponse, RootsResponse, TdxCollateralResponse, VerifyEvidenceResponse,
} from "./responses";
import { trimTdxQuote } from "./tdx-trim";

export interface PageArgs { start_after?: string; limit?: number }

/** Inputs of verify_evidence: the evidence, and whichever binding inputs should be checked. */
export type VerifyEvidenceArgs = Extract<QueryMsg, { verify_evidence: unknown }>["verify_evidence"];
export type BindingArgs = { operator: string; node_id: string; enc_pk: string; sign_pk: string; nonce: string; gpu_reports?: string[] };

/** A registry error code ("CHALLENGE_EXPIRED", …) found in a contract error message, or null. */
export function registryErrorCode(message: string): string | null {
  const m = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/.exec(message);
  return m ? m[1] : null;
}

export class RegistryClient {
  constructor(readonly chain: Chain, readonly contract: string, readonly sender: string) {}

  /** Instantiates an already stored registry code. */
  static async instantiate(chain: Chain, sender: string, codeId: number, msg: InstantiateMsg = {}, label = "tee-attest registry", admin?: string): Promise<{ client: RegistryClient; result: InstantiateResult }> {
    const result = await chain.instantiate(sender, codeId, msg, label, [], admin);
    return { client: new RegistryClient(chain, result.contractAddress, sender), result };
  }

  /** The same registry, sending as someone else. */
  as(sender: string): RegistryClient { return new RegistryClient(this.chain, this.contract, sender); }

  execute(msg: ExecuteMsg, funds: Coin[] = []): Promise<ExecuteResult> {
    return this.chain.execute(this.sender, this.contract, msg, funds);
  }

  query<T>(msg: QueryMsg): Promise<T> { return this.chain.query<T>(this.contract, msg); }

  // ---- governance ------------------------------------------------------------------------------
  updateConfig(args: { paused?: boolean; max_gpus?: number }) { return this.execute({ update_config: args }); }
  transferGovernance(governance: string) { return this.execute({ transfer_governance: { governance } }); }
  setRoots(roots: SetRoots) { return this.execute({ set_roots: roots }); }
  setPolicy(policy: SetPolicy) { return this.execute({ set_policy: policy }); }
  addRelease(release: AddRelease) { return this.execute({ add_release: release }); }
  revokeRelease(id: string) { return this.execute({ revoke_release: { id } }); }
  exclude(exclusion: Exclude) { return this.execute({ exclude: exclusion }); }
  unexclude(exclusion: Unexclude) { return this.execute({ unexclude: exclusion }); }

  // ---- anyone ----------------------------------------------------------------------------------
  submitCollateral(collateral: SubmitCollateral) { return this.execute({ submit_collateral: collateral }); }

  // ---- hosts -----------------------------------------------------------------------------------
  /** Asks for a challenge and returns it (read back through the `challenge` query). */
  async beginRegistration(nodeId: string): Promise<{ result: ExecuteResult; challenge: ChallengeResponse }> {
    const result = await this.execute({ begin_registration: { node_id: nodeId } });
    return { result, challenge: await this.challenge(nodeId, this.sender) };
  }
  registerNode(registration: RegisterNode) { return this.execute({ register_node: registration }); }
  deregisterNode(nodeId: string) { return this.execute({ deregister_node: { node_id: nodeId } }); }

  // ---- queries ---------------------------------------------------------------------------------
  config() { return this.query<ConfigResponse>({ config: {} }); }
  roots() { return this.query<RootsResponse>({ roots: {} }); }
  policy() { return this.query<PolicyResponse>({ policy: {} }); }
  node(nodeId: string) { return this.query<NodeResponse>({ node: { node_id: nodeId } }); }
  nodes(args: { model?: string; trusted_only?: boolean } & PageArgs = {}) { return this.query<NodesResponse>({ nodes: args }); }
  release(id: string) { return this.query<ReleaseResponse>({ release: { id } }); }
  releases(args: { include_revoked?: boolean } & PageArgs = {}) { return this.query<ReleasesResponse>({ releases: args }); }
  exclusions(args: PageArgs = {}) { return this.query<ExclusionsResponse>({ exclusions: args }); }
  collateral(args: PageArgs = {}) { return this.query<CollateralResponse>({ collateral: args }); }
  tdxCollateral(fmspc: string, ca: "platform" | "processor") { return this.query<TdxCollateralResponse>({ tdx_collateral: { fmspc, ca } }); }
  challenge(nodeId: string, operator = this.sender) { return this.query<ChallengeResponse>({ challenge: { node_id: nodeId, operator } }); }
  verifyEvidence(args: VerifyEvidenceArgs) { return this.query<VerifyEvidenceResponse>({ verify_evidence: args }); }
  binding(args: BindingArgs) { return this.query<BindingResponse>({ binding: args }); }
}

/** Base64 of bytes (cosmwasm Binary). */
export function toBinary(bytes: Uint8Array): string { return Buffer.from(bytes).toString("base64"); }

/** The four submit_collateral messages of a QuoteCollateralV3 bundle (what Intel PCCS serves), root CRL
 * first: the registry checks the other pieces against the Root CA CRL it already holds. */
export function tdxCollateralMessages(c: {
  pck_crl_issuer_chain: string; root_ca_crl: string; pck_crl: string; tcb_info_issuer_chain: string; tcb_info: string;
  tcb_info_signature: string; qe_identity_issuer_chain: string; qe_identity: string; qe_identity_signature: string;
}): SubmitCollateral[] {
  return [
    { root_crl: { root_ca_crl: c.root_ca_crl } },
    { pck_crl: { pck_crl: c.pck_crl, pck_crl_issuer_chain: c.pck_crl_issuer_chain } },
    { tdx_tcb_info: { tcb_info: c.tcb_info, tcb_info_signature: c.tcb_info_signature, tcb_info_issuer_chain: c.tcb_info_issuer_chain } },
    { qe_identity: { qe_identity: c.qe_identity, qe_identity_signature: c.qe_identity_signature, qe_identity_issuer_chain: c.qe_identity_issuer_chain } },
  ];
}

/** Evidence of a TDX node with its GPUs. */
export function tdxEvidence(quote: Uint8Array, gpus: { report: Uint8Array; certs: string }[] = []): Evidence {
  return { cpu: { tdx: { quote: toBinary(quote) } }, gpus: gpus.map((g) => ({ report: toBinary(g.report), certs: g.certs })) };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;
/** The PEM certificate blocks of a text, in order. */
export function pemCertificates(text: string): string[] { return text.match(PEM_CERTIFICATE) ?? []; }

/** submit_collateral {nvidia_ca}: the three certificates every GPU of a chip family shares (the last
 * three of a device chain: Provisioner ICA, <chip> Identity, Device Identity CA). */
export function nvidiaCaCollateral(gpuChainPem: string): SubmitCollateral {
  const certs = pemCertificates(gpuChainPem);
  if (certs.length !== 5) throw new Error(`nvidiaCaCollateral: expected a five-certificate GPU chain, got ${certs.length}`);
  return { nvidia_ca: { certs: certs.slice(2).join("") } };
}

/** A GPU's own two certificates (leaf + BROM), the short form of gpus[].certs once nvidia_ca is stored. */
export function gpuDeviceCerts(gpuChainPem: string): string {
  const certs = pemCertificates(gpuChainPem);
  if (certs.length < 2) throw new Error(`gpuDeviceCerts: expected a GPU chain of at least two certificates, got ${certs.length}`);
  return certs.slice(0, 2).join("");
}

/** Evidence of a TDX node in the short forms: the quote with only its PCK leaf, each GPU with only its
 * own two certificates (needs the PCK CRL issuer chain and nvidia_ca stored on chain). */
export function compactTdxEvidence(quote: Uint8Array, gpus: { report: Uint8Array; certs: string }[] = []): Evidence {
  return tdxEvidence(trimTdxQuote(quote), gpus.map((g) => ({ report: g.report, certs: gpuDeviceCerts(g.certs) })));
}

/** Evidence of an SEV-SNP node (VCEK/VLEK PEM or DER; optional ASK/ARK chain) with its GPUs. */
export function snpEvidence(report: Uint8Array, vcek: string | Uint8Array, chain?: string | Uint8Array, gpus: { report: Uint8Array; certs: string }[] = []): Evidence {
  const text = (v: string | Uint8Array) => (typeof v === "string" ? v : toBinary(v));
  const snp = chain === undefined ? { report: toBinary(report), vcek: text(vcek) } : { report: toBinary(report), vcek: text(vcek), chain: text(chain) };
  return { cpu: { snp }, gpus: gpus.map((g) => ({ report: toBinary(g.report), certs: g.certs })) };
}

export { trimTdxQuote } from "./tdx-trim";
export { deployRegistry, readRegistryWasm, registryWasmPath, type Deployment, type DeployOptions } from "./deploy";
export type {
  InstantiateMsg as RegistryInstantiateMsg, ExecuteMsg as RegistryExecuteMsg, QueryMsg as RegistryQueryMsg, SetRoots, SetPolicy, AddRelease,
  Exclude, Unexclude, SubmitCollateral, Evidence as RegistryEvidence, RegisterNode, GpuGolden,
} from "./messages";
export type {
  BindingResponse, ChallengeResponse, CollateralResponse, ConfigResponse, ExclusionsResponse, NodeResponse, NodesResponse, PolicyResponse,
  ReleaseResponse, ReleasesResponse, RootsResponse, TdxCollateralResponse, VerifyEvidenceResponse,
} from "./responses";
