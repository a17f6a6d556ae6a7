// The registry passes its stored nvidia_ca set (Provisioner ICA + Identity, verified against the governance
// root at submission) to the NVIDIA verifier as pre-verified (contracts/registry/gpus.ts). What must still
// hold at registration: the device's own links are verified, so a BROM that merely carries the stored ICA's
// name (issued by another key) is rejected; governance cannot smuggle pre-verified certificates in through
// gpu_policy; and genuine devices register and are trusted.
import { describe, it, expect, beforeAll } from "vitest";
import { EmbeddedChain } from "../src/chain/embedded";
import { simulateTdx, TDX_SIM_DEFAULT_AT } from "../src/sim/tdx";
import { simulateNvidia, type SimulatedNvidia } from "../src/sim/nvidia";
import { reportData, gpuNonce } from "../src/registry/binding";
import { deployRegistry, expectRejected, b64, fromHex, type Deployed, submitTdxCollateral } from "./helpers/registry";

const AT = Number(TDX_SIM_DEFAULT_AT);
const MRTD = "c7".repeat(48);
const RTMR = ["e0", "e1", "e2", "e3"].map((x) => x.repeat(48));
const NV_SEED = "registry-preverified-gpus";
const pemBlocks = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];

describe("registry: stored NVIDIA intermediates as pre-verified links", () => {
  let d: Deployed;
  let base: ReturnType<typeof simulateTdx>;
  let nv: SimulatedNvidia;
  let operator = "";

  beforeAll(async () => {
    const chain = new EmbeddedChain({ chainId: "registry-preverified-1", startTime: AT });
    base = simulateTdx({ at: AT });
    nv = simulateNvidia({ seed: NV_SEED });
    d = await deployRegistry(chain, { roots: { intel: b64(base.root.der), nvidia: nv.root }, policy: { p256_backend: "host" } });
    const c = base.collateral as unknown as Record<string, string>;
    const pccs = chain.address("pccs");
    await submitTdxCollateral(d, pccs, c);
    await chain.execute(pccs, d.contract, { submit_collateral: { nvidia_ca: { certs: pemBlocks(nv.gpus[0].certs).slice(2).join("") } } });
    await chain.execute(d.governance, d.contract, { add_release: { id: "pv-1", tee: "tdx", gpu_golden: nv.golden,
      measurements: { mrtd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3] } } });
    operator = chain.address("pat");
  });

  /** register_node for `nodeId` with GPUs from `pki` sending only leaf + BROM. */
  async function registration(nodeId: string, gpuSeed: string, pki?: SimulatedNvidia["pki"]) {
    const enc = new Uint8Array(32).fill(nodeId.length), sign = new Uint8Array(33).fill(9); sign[0] = 2;
    const begun = await d.chain.execute(operator, d.contract, { begin_registration: { node_id: nodeId } });
    const nonce = fromHex((JSON.parse(Buffer.from(begun.data!).toString("utf8")) as { nonce: string }).nonce);
    const gpus = simulateNvidia({ seed: gpuSeed, pki, nonce: gpuNonce(enc, sign, nonce), gpus: [{ label: `${nodeId}-gpu0` }] });
    const rd = reportData({ chainId: d.chain.chainId, registry: d.contract, operator, nodeId, encPk: enc, signPk: sign, nonce, gpuReports: gpus.gpus.map((g) => g.report) });
    const quote = simulateTdx({ at: AT, pki: base.pki, mrTd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3], reportData: rd }).quote;
    const gpuList = gpus.gpus.map((g) => ({ report: b64(g.report), certs: pemBlocks(g.certs).slice(0, 2).join("") }));
    return { register_node: { node_id: nodeId, model: "llama-70b", endpoint: `https://${nodeId}.example`, enc_pk: b64(enc), sign_pk: b64(sign),
      evidence: { cpu: { tdx: { quote: b64(quote) } }, gpus: gpuList } } };
  }
  const register = (msg: unknown) => d.chain.execute(operator, d.contract, msg);

  it("a BROM carrying the stored ICA's name but issued by another key is rejected (the BROM -> ICA link is verified)", async () => {
    // Same seed for the report data, another PKI: identical certificate names, different keys.
    const msg = await registration("rogue-1", NV_SEED, simulateNvidia({ seed: "rogue vendor" }).pki);
    const detail = await expectRejected(d, () => register(msg), "EVIDENCE_REJECTED");
    expect(detail).toMatch(/CERT_SIGNATURE_INVALID/);
    expect(detail).toMatch(/BROM certificate signature/);
  });

  it("a genuine GPU sending leaf + BROM registers and is trusted", async () => {
    await register(await registration("genuine-1", NV_SEED, nv.pki));
    const s = await d.chain.query<{ trusted: boolean; reasons: string[] }>(d.contract, { node: { node_id: "genuine-1" } });
    expect(s.reasons).toEqual([]);
    expect(s.trusted).toBe(true);
  });

  it("governance cannot set verified_intermediates in gpu_policy", async () => {
    const ica = Buffer.from(pemBlocks(nv.gpus[0].certs)[2].replace(/-----[^-]+-----|\s/g, ""), "base64").toString("base64");
    const detail = await expectRejected(d, () => d.chain.execute(d.governance, d.contract, { set_policy: { gpu_policy: { verified_intermediates: [ica] } } }), "INVALID_POLICY");
    expect(detail).toMatch(/verified_intermediates/);
  });
});
