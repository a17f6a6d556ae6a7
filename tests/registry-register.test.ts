// Full registrations on the embedded chain with simulated hardware (src/sim): a TDX + NVIDIA node and an
// SNP node register and are trusted; every way to fail is refused with its code and no state change;
// trust then changes at query time with no host action (release revoked, newer collateral marking the
// TCB OutOfDate, exclusion, TTL expiry). The binding values come from src/registry/binding.ts, the
// TypeScript mirror of the contract's, so these tests also prove the two agree.
import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { EmbeddedChain } from "../src/chain/embedded";
import { simulateTdx, TDX_SIM_DEFAULT_AT, type SimulateTdxOptions } from "../src/sim/tdx";
import { simulateNvidia, type SimulatedNvidia } from "../src/sim/nvidia";
import { simulateSnp } from "../src/sim/snp";
import { reportData, gpuNonce } from "../src/registry/binding";
import { deployRegistry, expectRejected, eventAttrs, b64, hex, fromHex, type Deployed, collateralMessages } from "./helpers/registry";

const AT = Number(TDX_SIM_DEFAULT_AT);
const MRTD = "a1".repeat(48);
const RTMR = ["b0", "b1", "b2", "b3"].map((x) => x.repeat(48));
const NV_SEED = "registry-test-gpus";

interface NodeStatus {
  node_id: string; trusted: boolean; reasons: string[]; tee: string; tcb_status: string; release_id: string; operator: string;
  enc_pk: string; sign_pk: string; expires_at: number; hardware: { ppid: string; chip_id: string; gpu_ueids: string[] };
}

function keys() {
  const sign = new Uint8Array(33);
  sign.set(randomBytes(32), 1);
  sign[0] = 0x02;
  return { enc: new Uint8Array(randomBytes(32)), sign };
}

/** A simulated Confidential MLNode able to answer a challenge. */
class SimNode {
  readonly k = keys();
  constructor(readonly d: Deployed, readonly operator: string, readonly nodeId: string, readonly gpuLabels: string[] = ["gpu0"]) {}

  async begin(): Promise<Uint8Array> {
    const r = await this.d.chain.execute(this.operator, this.d.contract, { begin_registration: { node_id: this.nodeId } });
    const data = JSON.parse(Buffer.from(r.data!).toString("utf8")) as { nonce: string };
    return fromHex(data.nonce);
  }

  gpus(nonce: Uint8Array, gpuNonceOverride?: Uint8Array): SimulatedNvidia {
    return simulateNvidia({ seed: NV_SEED, nonce: gpuNonceOverride ?? gpuNonce(this.k.enc, this.k.sign, nonce), gpus: this.gpuLabels.map((label) => ({ label })) });
  }

  reportData(nonce: Uint8Array, gpuReports: Uint8Array[], operator = this.operator): Uint8Array {
    return reportData({ chainId: this.d.chain.chainId, registry: this.d.contract, operator, nodeId: this.nodeId,
      encPk: this.k.enc, signPk: this.k.sign, nonce, gpuReports });
  }

  message(cpu: unknown, gpus: SimulatedNvidia | null): unknown {
    return { register_node: { node_id: this.nodeId, model: "llama-70b", endpoint: `https://${this.nodeId}.example/v1`, enc_pk: b64(this.k.enc),
      sign_pk: b64(this.k.sign), evidence: { cpu, gpus: gpus === null ? [] : gpus.gpus.map((g) => ({ report: b64(g.report), certs: g.certs })) } } };
  }

  /** A TDX quote bound to this node (or broken as asked) plus its GPUs. */
  tdxMessage(nonce: Uint8Array, tdx: SimulateTdxOptions, opts: { operatorInBinding?: string; gpuNonce?: Uint8Array } = {}): unknown {
    return this.tdxSim(nonce, tdx, opts).msg;
  }

  tdxSim(nonce: Uint8Array, tdx: SimulateTdxOptions, opts: { operatorInBinding?: string; gpuNonce?: Uint8Array } = {}) {
    const gpus = this.gpus(nonce, opts.gpuNonce);
    const rd = this.reportData(nonce, gpus.gpus.map((g) => g.report), opts.operatorInBinding);
    const sim = simulateTdx({ at: AT, mrTd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3], reportData: rd, ...tdx });
    return { msg: this.message({ tdx: { quote: b64(sim.quote) } }, gpus), sim };
  }

  register(msg: unknown) { return this.d.chain.execute(this.operator, this.d.contract, msg); }
  status() { return this.d.chain.query<NodeStatus>(this.d.contract, { node: { node_id: this.nodeId } }); }
}

describe("registry: simulated TDX + NVIDIA node", () => {
  let d: Deployed;
  let pki: ReturnType<typeof simulateTdx>["pki"];
  let alice = "", bob = "";
  let node: SimNode;

  beforeAll(async () => {
    const chain = new EmbeddedChain({ chainId: "registry-sim-1", startTime: AT });
    const base = simulateTdx({ at: AT });
    pki = base.pki;
    const nv = simulateNvidia({ seed: NV_SEED });
    d = await deployRegistry(chain, { roots: { intel: b64(base.root.der), nvidia: nv.root }, policy: { p256_backend: "host" } });
    for (const msg of collateralMessages(base.collateral as unknown as Record<string, string>)) await chain.execute(chain.address("pccs"), d.contract, msg);
    await chain.execute(d.governance, d.contract, { add_release: { id: "mlnode-1", tee: "tdx", gpu_golden: nv.golden,
      measurements: { mrtd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3] } } });
    alice = chain.address("alice");
    bob = chain.address("bob");
    node = new SimNode(d, alice, "node-a");
  });

  it("refuses register_node without a challenge", async () => {
    await expectRejected(d, () => node.register(node.tdxMessage(new Uint8Array(32), { pki })), "CHALLENGE_NOT_FOUND");
  });

  it("refuses a quote whose REPORTDATA binds another operator, and GPUs answering another nonce", async () => {
    const nonce = await node.begin();
    await expectRejected(d, () => node.register(node.tdxMessage(nonce, { pki }, { operatorInBinding: bob })), "BINDING_MISMATCH");
    await expectRejected(d, () => node.register(node.tdxMessage(nonce, { pki }, { gpuNonce: new Uint8Array(32).fill(7) })), "BINDING_MISMATCH");
  });

  it("refuses unknown measurements, a debug TD, a bad TCB and a revoked PCK", async () => {
    const nonce = await node.begin();
    await expectRejected(d, () => node.register(node.tdxMessage(nonce, { pki, mrTd: "ff".repeat(48) })), "NO_MATCHING_RELEASE");
    await expectRejected(d, () => node.register(node.tdxMessage(nonce, { pki, failure: "debug-td" })), "DEBUG_NOT_ALLOWED");
    // Revocation comes from the stored PCK CRL: a newer CRL listing this PCK is submitted first.
    const { msg, sim } = node.tdxSim(nonce, { pki, failure: "revoked-pck", at: AT + 3600 });
    const c = sim.collateral as unknown as Record<string, string>;
    await d.chain.execute(bob, d.contract, { submit_collateral: { pck_crl: { pck_crl: c.pck_crl, pck_crl_issuer_chain: c.pck_crl_issuer_chain } } });
    const revoked = await expectRejected(d, () => node.register(msg), "EVIDENCE_REJECTED");
    expect(revoked).toMatch(/tdx\/\w*REVOKED/);
  });

  it("refuses a stale (expired) challenge", async () => {
    const nonce = await node.begin();
    const msg = node.tdxMessage(nonce, { pki });
    await d.chain.advanceBlocks(101); // default challenge_ttl 100 blocks
    await expectRejected(d, () => node.register(msg), "CHALLENGE_EXPIRED");
  });

  it("registers the node (events, challenge consumed) and reports it trusted", async () => {
    const nonce = await node.begin();
    const r = await node.register(node.tdxMessage(nonce, { pki }));
    expect(eventAttrs(r.events, "tee_attest.register_node")).toMatchObject({ node_id: "node-a", operator: alice, tee: "tdx", tcb_status: "UpToDate", release_id: "mlnode-1", gpus: "1" });
    const s = await node.status();
    expect(s.reasons).toEqual([]);
    expect(s.trusted).toBe(true);
    expect(s).toMatchObject({ tee: "tdx", tcb_status: "UpToDate", release_id: "mlnode-1", operator: alice, enc_pk: b64(node.k.enc), sign_pk: b64(node.k.sign) });
    expect(s.hardware.ppid).toMatch(/^[0-9a-f]{32}$/);
    expect(s.hardware.gpu_ueids).toHaveLength(1);
    const challenge = await d.chain.query<{ nonce: string | null }>(d.contract, { challenge: { node_id: "node-a", operator: alice } });
    expect(challenge.nonce).toBeNull();
    const listed = await d.chain.query<{ nodes: NodeStatus[] }>(d.contract, { nodes: { model: "llama-70b", trusted_only: true } });
    expect(listed.nodes.map((n) => n.node_id)).toEqual(["node-a"]);
    await expectRejected(d, () => node.register(node.tdxMessage(nonce, { pki })), "CHALLENGE_NOT_FOUND"); // single use
  });

  it("one registration per node_id and per GPU: another operator cannot take either", async () => {
    const thief = new SimNode(d, bob, "node-a");
    const n1 = await thief.begin();
    await expectRejected(d, () => thief.register(thief.tdxMessage(n1, { pki })), "NODE_ID_TAKEN");
    const sameGpu = new SimNode(d, bob, "node-b", ["gpu0"]);
    const n2 = await sameGpu.begin();
    const msg = await expectRejected(d, () => sameGpu.register(sameGpu.tdxMessage(n2, { pki })), "HARDWARE_IN_USE");
    expect(msg).toMatch(/gpu_ueid:/);
    const otherGpu = new SimNode(d, bob, "node-b", ["gpu1"]);
    const n3 = await otherGpu.begin();
    await otherGpu.register(otherGpu.tdxMessage(n3, { pki }));
    expect((await otherGpu.status()).trusted).toBe(true);
    const page = await d.chain.query<{ nodes: NodeStatus[]; next_start_after: string | null }>(d.contract, { nodes: { limit: 1 } });
    expect(page.nodes.map((n) => n.node_id)).toEqual(["node-a"]);
    expect(page.next_start_after).toBe("node-a");
    const page2 = await d.chain.query<{ nodes: NodeStatus[] }>(d.contract, { nodes: { start_after: "node-a", limit: 5 } });
    expect(page2.nodes.map((n) => n.node_id)).toEqual(["node-b"]);
  });

  it("verify_evidence runs the same appraisal as a dry run (binding checked when the inputs are given)", async () => {
    const nonce = await node.begin();
    const msg = node.tdxMessage(nonce, { pki }) as { register_node: Record<string, unknown> };
    const { evidence, enc_pk, sign_pk } = msg.register_node;
    const v = await d.chain.query<{ ok: boolean; binding: string; release_id: string }>(d.contract, { verify_evidence: { evidence, operator: alice, node_id: "node-a", enc_pk, sign_pk, nonce: hex(nonce) } });
    expect(v).toMatchObject({ ok: true, binding: "ok", release_id: "mlnode-1" });
    const w = await d.chain.query<{ ok: boolean; error: { code: string } }>(d.contract, { verify_evidence: { evidence, operator: bob, node_id: "node-a", enc_pk, sign_pk, nonce: hex(nonce) } });
    expect(w.error.code).toBe("BINDING_MISMATCH");
    const binding = await d.chain.query<{ report_data: string; gpu_nonce: string }>(d.contract, { binding: { operator: alice, node_id: "node-a", enc_pk, sign_pk, nonce: hex(nonce),
      gpu_reports: node.gpus(nonce).gpus.map((g) => b64(g.report)) } });
    expect(binding.gpu_nonce).toBe(hex(gpuNonce(node.k.enc, node.k.sign, nonce)));
    expect(binding.report_data).toBe(hex(node.reportData(nonce, node.gpus(nonce).gpus.map((g) => g.report))));
  });

  it("newer collateral marking the TCB OutOfDate makes the node untrusted, with the reason", async () => {
    const outdated = simulateTdx({ at: AT, pki, tcbStatus: "OutOfDate", tcbEvaluationDataNumber: 99 });
    const [, , tcbInfo] = collateralMessages(outdated.collateral as unknown as Record<string, string>);
    await d.chain.execute(d.chain.address("pccs"), d.contract, tcbInfo);
    const s = await node.status();
    expect(s.trusted).toBe(false);
    expect(s.tcb_status).toBe("OutOfDate");
    expect(s.reasons.join("\n")).toMatch(/TCB_STATUS_NOT_ACCEPTED/);
    // Governance accepting OutOfDate restores trust, again without any host action.
    await d.chain.execute(d.governance, d.contract, { set_policy: { accepted_tcb_statuses: ["UpToDate", "SWHardeningNeeded", "OutOfDate"] } });
    expect((await node.status()).trusted).toBe(true);
  });

  it("an exclusion and a revoked release make the node untrusted, with the reasons", async () => {
    const ppid = (await node.status()).hardware.ppid;
    await d.chain.execute(d.governance, d.contract, { exclude: { ppid, reason: "compromised host" } });
    let s = await node.status();
    expect(s.trusted).toBe(false);
    expect(s.reasons).toEqual([`EXCLUDED: ppid ${ppid} is excluded (compromised host)`]);
    await d.chain.execute(d.governance, d.contract, { unexclude: { ppid } });
    await d.chain.execute(d.governance, d.contract, { revoke_release: { id: "mlnode-1" } });
    s = await node.status();
    expect(s.trusted).toBe(false);
    expect(s.reasons).toEqual(["RELEASE_REVOKED: release mlnode-1 is revoked"]);
    const trusted = await d.chain.query<{ nodes: NodeStatus[] }>(d.contract, { nodes: { trusted_only: true } });
    expect(trusted.nodes).toEqual([]);
  });

  it("the attestation lapses after the TTL", async () => {
    const s = await node.status();
    await d.chain.advanceBlocks(s.expires_at - (await d.chain.height()) + 1);
    const later = await node.status();
    expect(later.reasons.some((r) => r.startsWith("ATTESTATION_EXPIRED"))).toBe(true);
  });

  it("deregistration: only the operator or governance", async () => {
    await expectRejected(d, () => d.chain.execute(bob, d.contract, { deregister_node: { node_id: "node-a" } }), "UNAUTHORIZED");
    await d.chain.execute(alice, d.contract, { deregister_node: { node_id: "node-a" } });
    await expect(node.status()).rejects.toThrow(/NODE_NOT_FOUND/);
  });
});

describe("registry: simulated SEV-SNP node", () => {
  it("registers, is trusted, and a second operator cannot reuse the chip", async () => {
    const probe = simulateSnp({ product: "Genoa" });
    const chain = new EmbeddedChain({ chainId: "registry-sim-snp", startTime: probe.at });
    const d = await deployRegistry(chain, { roots: { amd: { genoa: b64(probe.roots.genoa!) } }, policy: { min_gpus: 0 } });
    const measurement = new Uint8Array(48).fill(0x5a);
    await chain.execute(d.governance, d.contract, { add_release: { id: "snp-1", tee: "snp", measurements: { measurement: hex(measurement) } } });
    const node = new SimNode(d, chain.address("carol"), "snp-a", []);
    const snpMessage = (n: SimNode, nonce: Uint8Array, extra: Record<string, unknown> = {}) => {
      const sim = simulateSnp({ product: "Genoa", measurement, reportData: n.reportData(nonce, []), at: probe.at, ...extra });
      return n.message({ snp: { report: b64(sim.report), vcek: b64(sim.vcek), chain: sim.chainPem } }, null);
    };
    const nonce = await node.begin();
    await expectRejected(d, () => node.register(snpMessage(node, nonce, { debug: true })), "DEBUG_NOT_ALLOWED");
    await expectRejected(d, () => node.register(snpMessage(node, nonce, { measurement: new Uint8Array(48).fill(1) })), "NO_MATCHING_RELEASE");
    await node.register(snpMessage(node, nonce));
    const s = await node.status();
    expect(s.reasons).toEqual([]);
    expect(s).toMatchObject({ trusted: true, tee: "snp", release_id: "snp-1" });
    expect(s.hardware.chip_id).toMatch(/^[0-9a-f]{128}$/);
    const other = new SimNode(d, chain.address("dave"), "snp-b", []);
    const n2 = await other.begin();
    expect(await expectRejected(d, () => other.register(snpMessage(other, n2)), "HARDWARE_IN_USE")).toMatch(/chip_id:/);
    await expectRejected(d, () => chain.execute(other.operator, d.contract, { set_policy: { allow_debug: true } }), "UNAUTHORIZED");
  });
});
