// The registry main job (`npm start`), on the embedded chain with an operator-counting copy of
// build/registry.wasm so every call shows the SDK gas wasmd would charge:
//   1. a simulated platform: deploy, governance sets the simulated roots, a release and the policy, anyone
//      submits the TCB collateral and the shared NVIDIA intermediates (nvidia_ca), a simulated TDX + NVIDIA
//      node takes a challenge and registers in the short forms real nodes use (quote with only its PCK leaf,
//      GPU with only its own two certificates), trust is queried, governance revokes the release and the
//      node turns untrusted (with the reason);
//   2. real evidence: a TDX quote (with its real Intel collateral), an SEV-SNP report and an NVIDIA H100
//      report (with golden measurements from NVIDIA's signed RIMs) through `verify_evidence`, each on a
//      chain whose clock is set to the fixture's time, against the vendor roots pinned in the verifier.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash, X509Certificate } from "node:crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { EmbeddedChain } from "../chain/embedded";
import { GasMeter } from "../../scripts/lib/gas-run";
import { instrument } from "../../scripts/lib/gas-meter";
import type { GasBreakdown } from "../../scripts/lib/gas-price";
import { simulateTdx, TDX_SIM_DEFAULT_AT } from "../sim/tdx";
import { simulateNvidia } from "../sim/nvidia";
import { extractGolden } from "../rim/index";
import {
  RegistryClient, registryErrorCode, tdxCollateralMessages, tdxEvidence, compactTdxEvidence, nvidiaCaCollateral, snpEvidence, toBinary,
} from "./client";
import { deployRegistry, readRegistryWasm } from "./deploy";
import type { RegistryEvidence } from "./client";
import type { VerifyEvidenceResponse } from "./responses";

type Log = (line: string) => void;

/** Where the real-evidence fixtures are: TEE_ATTEST_FIXTURES, else ../shared/fixtures (as the tests do). */
export function fixturesDir(root = process.cwd()): string {
  return process.env.TEE_ATTEST_FIXTURES ?? join(root, "..", "shared", "fixtures");
}

/** SDK gas of the transaction bytes (cosmos-sdk TxSizeCostPerByte = 10; ~250 bytes of signature, auth
 * info, addresses and Any wrapping around the contract message). */
export function txBytesGas(msg: unknown): bigint {
  return 10n * BigInt(Buffer.byteLength(JSON.stringify(msg)) + 250);
}

const fmt = (n: bigint | number) => Number(n).toLocaleString("en-US");
const sha384 = (label: string) => createHash("sha384").update(label).digest("hex");

/** A chain with the registry deployed from an instrumented copy, and a log of gas per call. */
export class MeteredRegistry {
  readonly meter: GasMeter;
  readonly governance: string;
  client!: RegistryClient;
  readonly calls: { label: string; gas: GasBreakdown; txGas: bigint }[] = [];

  constructor(readonly chain: EmbeddedChain, readonly log: Log) {
    this.meter = new GasMeter(chain);
    this.governance = chain.address("governance");
  }

  async deploy(msg: Parameters<typeof deployRegistry>[3] = {}): Promise<void> {
    const wasm = instrument(readRegistryWasm());
    const m = await this.meter.measure(() => deployRegistry(this.chain, this.governance, wasm, msg), (d) => []);
    this.client = m.result.client;
    this.record("instantiate", m.gas, { governance: this.governance });
  }

  record(label: string, gas: GasBreakdown, msg: unknown | null): void {
    const txGas = msg === null ? 0n : txBytesGas(msg);
    this.calls.push({ label, gas, txGas });
  }

  /** Executes as `sender` and records the gas. */
  async exec(label: string, sender: string, msg: Record<string, unknown>): Promise<void> {
    const m = await this.meter.execute(sender, this.client.contract, msg);
    this.record(label, m.gas, msg);
  }

  async query<T>(label: string, msg: Record<string, unknown>): Promise<T> {
    const m = await this.meter.query<T>(this.client.contract, msg);
    this.record(label, m.gas, null);
    return m.result;
  }

  printGas(title: string): void {
    this.log(`\n  ${title} (SDK gas as wasmvm >= 2 / wasmd >= 0.51 charge it; tx bytes at 10 gas/byte):`);
    this.log(`    ${"call".padEnd(40)} ${"Wasm ops".padStart(12)} ${"VM".padStart(9)} ${"KV".padStart(7)} ${"exec".padStart(9)} ${"+tx bytes".padStart(9)} ${"total".padStart(9)}`);
    for (const c of this.calls) {
      const total = c.gas.totalSdkGas + c.txGas;
      this.log(`    ${c.label.padEnd(40)} ${fmt(c.gas.ops).padStart(12)} ${fmt(c.gas.vmSdkGas).padStart(9)} ${fmt(c.gas.storageSdkGas).padStart(7)} ${fmt(c.gas.totalSdkGas).padStart(9)} ${fmt(c.txGas).padStart(9)} ${fmt(total).padStart(9)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Part 1: a simulated TDX + NVIDIA node

export interface SimulatedNode {
  nodeId: string;
  operator: string;
  encPk: Uint8Array;
  signPk: Uint8Array;
  registration: { node_id: string; model: string; endpoint: string; enc_pk: string; sign_pk: string; evidence: RegistryEvidence };
}

/** Simulated platform (Intel-shaped PKI + NVIDIA device PKI) and the release its node runs. */
export function simulatedPlatform(at = TDX_SIM_DEFAULT_AT) {
  const image = { mrTd: sha384("demo image mrtd"), rtmr0: sha384("demo rtmr0"), rtmr1: sha384("demo rtmr1"), rtmr2: sha384("demo rtmr2"), rtmr3: sha384("demo rtmr3") };
  const tdx = simulateTdx({ at, ...image });
  const nvidia = simulateNvidia({ seed: "tee-attest demo", gpus: 1 });
  const release = {
    id: "demo-image-2026.01", tee: "tdx" as const,
    measurements: { mrtd: image.mrTd, rtmr0: image.rtmr0, rtmr1: image.rtmr1, rtmr2: image.rtmr2, rtmr3: image.rtmr3 },
    gpu_golden: nvidia.golden,
  };
  return { at, image, tdx, nvidia, release };
}

/** How a node sends its evidence: "compact" = the TDX quote with only its PCK leaf and each GPU with only its
 * own two certificates (needs the PCK CRL issuer chain and nvidia_ca on chain); "full" = the whole chains. */
export type EvidenceForm = "compact" | "full";

/** A node's fresh keys, its challenge, the binding values the registry expects, and evidence that carries them. */
export async function prepareNode(platform: ReturnType<typeof simulatedPlatform>, client: RegistryClient, nodeId: string, gpus = 1,
  begin: (nodeId: string) => Promise<void> = async (id) => { await client.execute({ begin_registration: { node_id: id } }); },
  form: EvidenceForm = "compact"): Promise<SimulatedNode> {
  const encPk = x25519.getPublicKey(x25519.utils.randomSecretKey());
  const signPk = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
  await begin(nodeId);
  const challenge = await client.challenge(nodeId);
  if (challenge.nonce === null) throw new Error(`no challenge for ${nodeId}`);
  const keys = { operator: client.sender, node_id: nodeId, enc_pk: toBinary(encPk), sign_pk: toBinary(signPk), nonce: challenge.nonce };
  const { gpu_nonce } = await client.binding(keys);
  const nv = simulateNvidia({ seed: "tee-attest demo", pki: platform.nvidia.pki, nonce: gpu_nonce, gpus: Array.from({ length: gpus }, (_, i) => ({ label: `${nodeId}-gpu${i}` })) });
  const gpuEvidence = nv.gpus.map((g) => ({ report: g.report, certs: g.certs }));
  const { report_data } = await client.binding({ ...keys, gpu_reports: gpuEvidence.map((g) => toBinary(g.report)) });
  const quote = simulateTdx({ at: platform.at, pki: platform.tdx.pki, reportData: report_data, ...platform.image }).quote;
  return {
    nodeId, operator: client.sender, encPk, signPk,
    registration: { node_id: nodeId, model: "llama-3.3-70b", endpoint: `https://${nodeId}.example:8443`, enc_pk: keys.enc_pk, sign_pk: keys.sign_pk, evidence: form === "compact" ? compactTdxEvidence(quote, gpuEvidence) : tdxEvidence(quote, gpuEvidence) },
  };
}

async function simulatedScenario(log: Log): Promise<MeteredRegistry> {
  const platform = simulatedPlatform();
  const chain = new EmbeddedChain({ chainId: "tee-attest-demo", startTime: Number(platform.at) });
  const r = new MeteredRegistry(chain, log);
  const operator = chain.address("operator");
  log(`\n1. Simulated platform on the embedded chain ${chain.chainId} (block time ${new Date(Number(platform.at) * 1000).toISOString()})`);
  await r.deploy();
  log(`   deployed the registry at ${r.client.contract}; governance ${r.governance}`);
  await r.exec("set_roots (simulated Intel + NVIDIA)", r.governance, { set_roots: { intel: toBinary(platform.tdx.root.der), nvidia: platform.nvidia.root } });
  log("   governance set the simulated Intel SGX root and NVIDIA device identity root");
  await r.exec("set_policy", r.governance, { set_policy: { p256_backend: "host", min_gpus: 1, attestation_ttl: 14_400 } });
  log("   governance set the policy: P-256 on the host, >= 1 GPU, attestation valid 14,400 blocks");
  await r.exec("add_release", r.governance, { add_release: platform.release });
  log(`   governance added release ${platform.release.id} (MRTD ${platform.release.measurements.mrtd.slice(0, 16)}…, RTMR0-3, ${platform.nvidia.golden.length} GPU golden set)`);
  const submitter = chain.address("pccs-relay");
  for (const msg of tdxCollateralMessages(platform.tdx.collateral)) {
    const kind = Object.keys(msg)[0];
    await r.exec(`submit_collateral ${kind}`, submitter, { submit_collateral: msg });
  }
  // The NVIDIA intermediates every GPU of the chip shares (checked against the NVIDIA root): once stored,
  // each GPU sends only its own two certificates.
  await r.exec("submit_collateral nvidia_ca", submitter, { submit_collateral: nvidiaCaCollateral(platform.nvidia.gpus[0].certs) });
  const stored = await r.client.collateral();
  log(`   a relayer submitted the TCB collateral and the shared NVIDIA intermediates; stored: ${stored.collateral.map((c) => `${c.kind}:${c.key}`).join(", ")}`);

  const node = await prepareNode(platform, r.client.as(operator), "node-1", 1, (id) => r.exec("begin_registration", operator, { begin_registration: { node_id: id } }));
  log(`   operator ${operator} took a challenge for node-1 and built a TDX quote + 1 GPU report bound to its keys`);
  log(`   it sends the short forms: the quote with only its PCK leaf certificate, the GPU with only its leaf + BROM (${fmt(Buffer.byteLength(JSON.stringify(node.registration)))} B message)`);
  await r.exec("register_node (TDX + 1 GPU)", operator, { register_node: node.registration });
  let status = await r.query<Awaited<ReturnType<RegistryClient["node"]>>>("query node", { node: { node_id: "node-1" } });
  log(`   registered: node-1 trusted=${status.trusted} tee=${status.tee} tcb=${status.tcb_status} release=${status.release_id} gpus=${status.hardware.gpu_ueids.length} expires at height ${status.expires_at}`);
  await r.exec("revoke_release", r.governance, { revoke_release: { id: platform.release.id } });
  log(`   governance revoked release ${platform.release.id}`);
  status = await r.query("query node (after revocation)", { node: { node_id: "node-1" } });
  log(`   node-1 trusted=${status.trusted}; reasons: ${status.reasons.join("; ") || "(none)"}`);
  if (status.trusted) throw new Error("the node is still trusted after its release was revoked");
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Part 2: real fixtures through verify_evidence

function verdictLine(v: VerifyEvidenceResponse): string {
  if (v.ok) {
    const parts = [`VERIFIED`];
    if (v.cpu) parts.push(`${v.cpu.tee} tcb=${v.cpu.tcb_status}${v.cpu.advisory_ids.length ? ` advisories=${v.cpu.advisory_ids.join(",")}` : ""}`);
    if (v.gpus) parts.push(`gpus ${v.gpus.status} (${v.gpus.ueids.length} UEID${v.gpus.ueids.length === 1 ? "" : "s"})`);
    parts.push(`release=${v.release_id}`, `binding=${v.binding}`);
    return parts.join("  ");
  }
  return `REJECTED ${v.error?.message ?? "(no error)"}`;
}

async function fixtureChain(log: Log, chainId: string, at: number): Promise<MeteredRegistry> {
  const r = new MeteredRegistry(new EmbeddedChain({ chainId, startTime: at }), log);
  await r.deploy({ msg: { policy: { min_gpus: 0, p256_backend: "host" } } });
  return r;
}

/** Runs verify_evidence; when the hardware verifies but no release names its measurements, governance adds one and it runs again. */
async function verifyWithRelease(r: MeteredRegistry, label: string, evidence: RegistryEvidence, release: (v: VerifyEvidenceResponse) => Record<string, unknown> | null): Promise<VerifyEvidenceResponse> {
  let v = await r.query<VerifyEvidenceResponse>(`verify_evidence ${label}`, { verify_evidence: { evidence } });
  if (!v.ok && registryErrorCode(v.error?.message ?? "") === "NO_MATCHING_RELEASE") {
    const rel = release(v);
    if (rel) {
      r.log(`     hardware verified, no release yet: ${v.error!.message}`);
      await r.exec(`add_release (${label})`, r.governance, { add_release: rel });
      r.log(`     governance added release ${String(rel.id)} with the measured values; again:`);
      v = await r.query<VerifyEvidenceResponse>(`verify_evidence ${label} (with release)`, { verify_evidence: { evidence } });
    }
  }
  return v;
}

interface TdxCase { name: string; quote: string; collateral: string; root_ca: string; time: number; expect: { ok: boolean } }

async function realTdx(dir: string, log: Log): Promise<MeteredRegistry | null> {
  const cases = JSON.parse(readFileSync(join(dir, "tdx", "cases.json"), "utf8")) as TdxCase[];
  const c = cases.find((x) => x.expect.ok && x.root_ca === "dcap-qvl/TrustedRootCA.der" && !x.quote.endsWith(".hex") && x.name.includes("tdx"));
  if (!c) { log("   (no verifiable real TDX case in cases.json)"); return null; }
  const r = await fixtureChain(log, "tee-attest-real-tdx", c.time);
  log(`   TDX  ${c.quote} at ${new Date(c.time * 1000).toISOString()} (Intel root pinned, collateral ${c.collateral}):`);
  const collateral = JSON.parse(readFileSync(join(dir, "tdx", c.collateral), "utf8"));
  for (const msg of tdxCollateralMessages(collateral)) await r.exec(`submit_collateral ${Object.keys(msg)[0]} (real)`, r.chain.address("pccs-relay"), { submit_collateral: msg });
  const quote = new Uint8Array(readFileSync(join(dir, "tdx", c.quote)));
  const v = await verifyWithRelease(r, "TDX (real)", tdxEvidence(quote), (first) => first.cpu && {
    id: "real-tdx-image", tee: "tdx", measurements: Object.fromEntries(["mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"].map((k) => [k, first.cpu!.measurements[k] as string])),
  });
  log(`     verdict: ${verdictLine(v)}`);
  return r;
}

interface SnpCase {
  report: string; endorsement_cert: string; ask_ark_chain: string; product: string; signing_key: string; expect: Record<string, boolean>;
  fields: { policy: string; vmpl: number; reported_tcb_parts: { snp: number } };
}
/** The registry's default minimum SNP SPL per product (AMD-SB-3019). */
const SNP_MIN_SPL: Record<string, number> = { Milan: 24, Genoa: 23 };

async function realSnp(dir: string, log: Log, at: number): Promise<MeteredRegistry | null> {
  const expected = JSON.parse(readFileSync(join(dir, "snp", "expected.json"), "utf8")) as { cases: SnpCase[] };
  // A production guest: VCEK-signed, every independent check passed, POLICY.DEBUG (bit 19) clear, VMPL 0,
  // preferably at or above AMD-SB-3019's minimum SNP SPL (the registry's default policy) so it can pass.
  const production = expected.cases.filter((x) => x.signing_key === "VCEK" && Object.values(x.expect).every((b) => b === true) && (BigInt(x.fields.policy) & (1n << 19n)) === 0n && x.fields.vmpl === 0);
  const c = production.find((x) => x.fields.reported_tcb_parts.snp >= (SNP_MIN_SPL[x.product] ?? 256)) ?? production[0];
  if (!c) { log("   (no verifiable real SNP case in expected.json)"); return null; }
  // Evaluate inside the VCEK's validity (fixtures come from different years): the later of `at` and one
  // day after its notBefore.
  const vcekCert = new X509Certificate(readFileSync(join(dir, "snp", c.endorsement_cert)));
  at = Math.max(at, Math.floor(Date.parse(vcekCert.validFrom) / 1000) + 86_400);
  const r = await fixtureChain(log, "tee-attest-real-snp", at);
  log(`   SNP  ${c.report} (${c.product}, VCEK ${c.endorsement_cert}) at ${new Date(at * 1000).toISOString()} (AMD roots pinned):`);
  const report = new Uint8Array(readFileSync(join(dir, "snp", c.report)));
  const vcek = new Uint8Array(readFileSync(join(dir, "snp", c.endorsement_cert)));
  const chain = readFileSync(join(dir, "snp", c.ask_ark_chain), "utf8");
  const v = await verifyWithRelease(r, "SNP (real)", snpEvidence(report, vcek, chain), (first) => first.cpu && {
    id: "real-snp-image", tee: "snp", measurements: { measurement: first.cpu.measurements.measurement as string },
  });
  log(`     verdict: ${verdictLine(v)}`);
  return r;
}

const NV_REPORT = "nvtrust/h100_550.90.07_report.hex";
const NV_CHAIN = "nvtrust/h100_550.90.07_chain.pem";
const NV_RIMS = ["go-nvattest-tools/rims/NV_GPU_DRIVER_GH100_550.90.07.xml", "go-nvattest-tools/rims/NV_GPU_VBIOS_1010_0200_882_96009F0001.xml"];
const NV_AT = Date.UTC(2025, 6, 1) / 1000; // inside the validity of both the device chain and the RIM signers

const SNP_AT = Date.UTC(2025, 6, 1) / 1000;

async function realNvidia(dir: string, log: Log): Promise<MeteredRegistry | null> {
  const nv = join(dir, "nvidia");
  if (!existsSync(join(nv, NV_REPORT))) { log(`   (no ${NV_REPORT})`); return null; }
  const r = await fixtureChain(log, "tee-attest-real-nvidia", NV_AT);
  log(`   GPU  ${NV_REPORT} at ${new Date(NV_AT * 1000).toISOString()} (NVIDIA root pinned; golden values from NVIDIA's signed RIMs):`);
  const golden = extractGolden(NV_RIMS.map((f) => ({ name: f.split("/").pop()!, xml: readFileSync(join(nv, f)) })), { at: NV_AT });
  if (!golden.ok) { log(`     RIMs did not verify: ${golden.error.code}: ${golden.error.message}`); return r; }
  log(`     RIMs verified (${golden.rims.map((x) => x.rim_id).join(", ")})`);
  const report = new Uint8Array(Buffer.from(readFileSync(join(nv, NV_REPORT), "utf8").trim().replace(/^0x/, ""), "hex"));
  const certs = readFileSync(join(nv, NV_CHAIN), "utf8");
  // GPUs are admitted through a release; this one pins the H100's golden set (its CPU measurements are not used here).
  const release = { id: "real-h100-550.90.07", tee: "tdx", measurements: { mrtd: sha384("gpu-only release"), mrconfigid: sha384("gpu-only release cfg") }, gpu_golden: golden.golden };
  await r.exec("add_release (GPU golden from RIMs)", r.governance, { add_release: release });
  const requestNonce = Buffer.from(report.subarray(4, 36)).toString("hex");
  const evidence = { gpus: [{ report: toBinary(report), certs }] } as RegistryEvidence;
  const v = await r.query<VerifyEvidenceResponse>("verify_evidence GPU (real H100)", { verify_evidence: { evidence, gpu_nonce: requestNonce, release_id: release.id } });
  log(`     verdict: ${verdictLine(v)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------

export async function runRegistryDemo(log: Log = console.log): Promise<void> {
  const sim = await simulatedScenario(log);
  sim.printGas("Gas of each call");
  const dir = fixturesDir();
  log(`\n2. Real evidence through verify_evidence (fixtures: ${dir})`);
  if (!existsSync(dir)) { log(`   fixtures not found at ${dir} (set TEE_ATTEST_FIXTURES): real-evidence part SKIPPED`); return; }
  const runs = [await realTdx(dir, log), await realSnp(dir, log, SNP_AT), await realNvidia(dir, log)];
  const real = new MeteredRegistry(sim.chain, log);
  for (const r of runs) if (r) real.calls.push(...r.calls.filter((c) => c.label !== "instantiate"));
  real.printGas("Gas of the real-evidence calls");
}
