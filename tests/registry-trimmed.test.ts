// Registrations that send less (the registry's gas work, issue 7 "Performance"): a TDX quote whose PCK
// chain is the leaf alone (the registry supplies the stored PCK CA and root), and GPUs that send only
// their own two certificates (leaf + BROM) once the shared NVIDIA intermediates were submitted as
// collateral. Each shortcut is accepted only with a stored, verified counterpart under the current roots,
// and every check still runs; the full forms keep working. Also: trust re-evaluation from the stored TCB
// inputs of an SNP node (the registry keeps those instead of whole reports).
import { describe, it, expect, beforeAll } from "vitest";
import { EmbeddedChain } from "../src/chain/embedded";
import { simulateTdx, TDX_SIM_DEFAULT_AT } from "../src/sim/tdx";
import { simulateNvidia, type SimulatedNvidia } from "../src/sim/nvidia";
import { simulateSnp } from "../src/sim/snp";
import { reportData, gpuNonce } from "../src/registry/binding";
import { trimTdxQuote } from "../src/registry/tdx-trim";
import { deployRegistry, expectRejected, eventAttrs, b64, hex, fromHex, type Deployed, submitTdxCollateral } from "./helpers/registry";

const AT = Number(TDX_SIM_DEFAULT_AT);
const MRTD = "c1".repeat(48);
const RTMR = ["d0", "d1", "d2", "d3"].map((x) => x.repeat(48));
const NV_SEED = "registry-trimmed-gpus";
const pemBlocks = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];

interface Status { trusted: boolean; reasons: string[]; tcb_status: string; hardware: { gpu_ueids: string[] } }

describe("registry: leaf-only TDX quotes and GPUs with stored NVIDIA intermediates", () => {
  let d: Deployed;
  let base: ReturnType<typeof simulateTdx>;
  let nv: SimulatedNvidia;
  let operator = "";

  beforeAll(async () => {
    const chain = new EmbeddedChain({ chainId: "registry-trimmed-1", startTime: AT });
    base = simulateTdx({ at: AT });
    nv = simulateNvidia({ seed: NV_SEED });
    d = await deployRegistry(chain, { roots: { intel: b64(base.root.der), nvidia: nv.root }, policy: { p256_backend: "host" } });
    const c = base.collateral as unknown as Record<string, string>;
    const pccs = chain.address("pccs");
    await submitTdxCollateral(d, pccs, c);
    await chain.execute(d.governance, d.contract, { add_release: { id: "trim-1", tee: "tdx", gpu_golden: nv.golden,
      measurements: { mrtd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3] } } });
    operator = chain.address("erin");
  });

  /** A register_node message for `nodeId` answering a fresh challenge. */
  async function registration(nodeId: string, opts: { quote: "full" | "leaf"; gpus: "full" | "device"; pki?: ReturnType<typeof simulateTdx>["pki"]; labels?: string[] }) {
    const enc = new Uint8Array(32).fill(nodeId.length), sign = new Uint8Array(33).fill(7); sign[0] = 2;
    const begun = await d.chain.execute(operator, d.contract, { begin_registration: { node_id: nodeId } });
    const nonce = fromHex((JSON.parse(Buffer.from(begun.data!).toString("utf8")) as { nonce: string }).nonce);
    const gpus = simulateNvidia({ seed: NV_SEED, pki: nv.pki, nonce: gpuNonce(enc, sign, nonce), gpus: (opts.labels ?? [`${nodeId}-gpu0`]).map((label) => ({ label })) });
    const rd = reportData({ chainId: d.chain.chainId, registry: d.contract, operator, nodeId, encPk: enc, signPk: sign, nonce, gpuReports: gpus.gpus.map((g) => g.report) });
    const full = simulateTdx({ at: AT, pki: opts.pki ?? base.pki, mrTd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3], reportData: rd }).quote;
    const quote = opts.quote === "leaf" ? trimTdxQuote(full) : full;
    const gpuList = gpus.gpus.map((g) => ({ report: b64(g.report), certs: opts.gpus === "device" ? pemBlocks(g.certs).slice(0, 2).join("") : g.certs }));
    return { full, quote, msg: { register_node: { node_id: nodeId, model: "llama-70b", endpoint: `https://${nodeId}.example`, enc_pk: b64(enc), sign_pk: b64(sign),
      evidence: { cpu: { tdx: { quote: b64(quote) } }, gpus: gpuList } } } };
  }
  const register = (msg: unknown) => d.chain.execute(operator, d.contract, msg);
  const status = (nodeId: string) => d.chain.query<Status>(d.contract, { node: { node_id: nodeId } });
  const shared = (n: SimulatedNvidia) => pemBlocks(n.gpus[0].certs).slice(2).join("");

  it("trimTdxQuote drops the PCK CA and root and keeps every other byte of the quote's structure", async () => {
    const { full, quote } = await registration("probe", { quote: "leaf", gpus: "full" });
    expect(quote.length).toBeLessThan(full.length - 1000);
    const text = Buffer.from(quote).toString("latin1");
    expect(text.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(Buffer.from(quote.subarray(0, 632)).equals(Buffer.from(full.subarray(0, 632)))).toBe(true); // header + body (signed)
    expect(trimTdxQuote(quote)).toBe(quote); // already trimmed
  });

  it("a GPU with only leaf + BROM is refused while no NVIDIA intermediates are stored", async () => {
    const { msg } = await registration("node-1", { quote: "full", gpus: "device" });
    expect(await expectRejected(d, () => register(msg), "COLLATERAL_MISSING")).toMatch(/nvidia_ca/);
  });

  it("nvidia_ca collateral is checked against the governance NVIDIA root before it is stored", async () => {
    const pccs = d.chain.address("pccs");
    const foreign = simulateNvidia({ seed: "some other vendor root" });
    await expectRejected(d, () => d.chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: shared(foreign) } } }), "COLLATERAL_INVALID");
    const twoOnly = pemBlocks(nv.gpus[0].certs).slice(2, 4).join("");
    await expectRejected(d, () => d.chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: twoOnly } } }), "COLLATERAL_INVALID");
    const deviceCerts = pemBlocks(nv.gpus[0].certs).slice(0, 3).join(""); // leaf, BROM, ICA: wrong certificates
    await expectRejected(d, () => d.chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: deviceCerts } } }), "COLLATERAL_INVALID");
    const r = await d.chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: shared(nv) } } });
    expect(eventAttrs(r.events, "tee_attest.collateral_submitted")).toMatchObject({ kind: "nvidia_ca" });
    await expectRejected(d, () => d.chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: shared(nv) } } }), "COLLATERAL_NOT_NEWER");
    const list = await d.chain.query<{ collateral: { kind: string }[] }>(d.contract, { collateral: {} });
    expect(list.collateral.map((x) => x.kind)).toContain("nvidia_ca");
  });

  it("registers with a leaf-only quote and device-only GPU certificates, and is trusted", async () => {
    const trimmed = await registration("node-1", { quote: "leaf", gpus: "device", labels: ["n1-a", "n1-b"] });
    const fullSize = JSON.stringify((await registration("node-x", { quote: "full", gpus: "full", labels: ["nx-a", "nx-b"] })).msg).length;
    expect(JSON.stringify(trimmed.msg).length).toBeLessThan(fullSize - 6000);
    await register(trimmed.msg);
    const s = await status("node-1");
    expect(s.reasons).toEqual([]);
    expect(s).toMatchObject({ trusted: true, tcb_status: "UpToDate" });
    expect(s.hardware.gpu_ueids).toHaveLength(2);
  });

  it("the full forms keep working next to the trimmed ones", async () => {
    const { msg } = await registration("node-2", { quote: "full", gpus: "full" });
    await register(msg);
    expect((await status("node-2")).trusted).toBe(true);
  });

  it("a leaf-only quote whose PCK leaf was not issued by the stored PCK CA is refused", async () => {
    const stranger = simulateTdx({ at: AT }); // another PKI: same CA names, other keys
    const { msg } = await registration("node-3", { quote: "leaf", gpus: "full", pki: stranger.pki });
    expect(await expectRejected(d, () => register(msg), "EVIDENCE_REJECTED")).toMatch(/tdx\/CERT_CHAIN_INVALID: the PCK certificate/);
  });

  it("after set_roots the stored NVIDIA intermediates are not used until submitted again", async () => {
    const other = simulateNvidia({ seed: "replacement root" });
    await d.chain.execute(d.governance, d.contract, { set_roots: { nvidia: other.root } });
    // Under the replacement root the old intermediates do not verify at all…
    await expectRejected(d, () => d.chain.execute(d.chain.address("pccs"), d.contract, { submit_collateral: { nvidia_ca: { certs: shared(nv) } } }), "COLLATERAL_INVALID");
    // …and back under the original root, the set stored before the change is still not used.
    await d.chain.execute(d.governance, d.contract, { set_roots: { nvidia: nv.root } });
    const first = await registration("node-4", { quote: "full", gpus: "device" });
    expect(await expectRejected(d, () => register(first.msg), "COLLATERAL_MISSING")).toMatch(/current roots/);
    await d.chain.execute(d.chain.address("pccs"), d.contract, { submit_collateral: { nvidia_ca: { certs: shared(nv) } } });
    const again = await registration("node-4", { quote: "full", gpus: "device" });
    await register(again.msg);
    expect((await status("node-4")).trusted).toBe(true);
  });
});

describe("registry: SNP trust re-evaluated from the stored TCB inputs", () => {
  it("a stricter minimum TCB makes a registered node untrusted, and relaxing it restores trust", async () => {
    const probe = simulateSnp({ product: "Genoa" });
    const chain = new EmbeddedChain({ chainId: "registry-trimmed-snp", startTime: probe.at });
    const d = await deployRegistry(chain, { roots: { amd: { genoa: b64(probe.roots.genoa!) } }, policy: { min_gpus: 0 } });
    const measurement = new Uint8Array(48).fill(0x3c);
    await chain.execute(d.governance, d.contract, { add_release: { id: "snp-t", tee: "snp", measurements: { measurement: hex(measurement) } } });
    const operator = chain.address("frank");
    const enc = new Uint8Array(32).fill(1), sign = new Uint8Array(33).fill(2); sign[0] = 3;
    const begun = await chain.execute(operator, d.contract, { begin_registration: { node_id: "snp-t" } });
    const nonce = fromHex((JSON.parse(Buffer.from(begun.data!).toString("utf8")) as { nonce: string }).nonce);
    const rd = reportData({ chainId: chain.chainId, registry: d.contract, operator, nodeId: "snp-t", encPk: enc, signPk: sign, nonce, gpuReports: [] });
    const sim = simulateSnp({ product: "Genoa", measurement, reportData: rd, at: probe.at });
    await chain.execute(operator, d.contract, { register_node: { node_id: "snp-t", model: "m", endpoint: "https://snp.example", enc_pk: b64(enc), sign_pk: b64(sign),
      evidence: { cpu: { snp: { report: b64(sim.report), vcek: b64(sim.vcek), chain: sim.chainPem } }, gpus: [] } } });
    const status = () => chain.query<Status>(d.contract, { node: { node_id: "snp-t" } });
    expect((await status()).trusted).toBe(true);
    await chain.execute(d.governance, d.contract, { set_policy: { min_snp_tcb: { genoa: { snp: 255 } } } });
    const strict = await status();
    expect(strict.trusted).toBe(false);
    expect(strict.reasons.join("\n")).toMatch(/snp\//);
    await chain.execute(d.governance, d.contract, { set_policy: { min_snp_tcb: { milan: {}, genoa: {}, turin: {} } } });
    expect((await status()).reasons).toEqual([]);
  });
});
