// Registry bench section: SDK gas per call of the node registry on the embedded chain (operator-counting
// copy of build/registry.wasm, priced by scripts/lib/gas-price.ts, plus 10 gas per transaction byte) for
// submit TCB info, submit nvidia_ca, register TDX + 1 GPU, TDX + 8 GPUs, SNP, and the node query — once
// with P-256 on the chain's secp256r1_verify (policy p256_backend "host") and once in pure Wasm ("wasm").
// The registration headline rows use the short forms real nodes send (quote with only its PCK leaf, each
// GPU with only leaf + BROM after nvidia_ca was submitted once); the full forms are extra rows.
// Targets: TDX + 1 GPU registration <= 400k incl. tx bytes; TDX + 8 GPUs <= 1.2M; node query <= 100k.
import { EmbeddedChain } from "../src/chain/embedded";
import { MeteredRegistry, prepareNode, simulatedPlatform, type EvidenceForm } from "../src/registry/demo";
import { tdxCollateralMessages, toBinary, snpEvidence, nvidiaCaCollateral } from "../src/registry/client";
import { simulateSnp } from "../src/sim/snp";
import { fmtInt, type BenchSection } from "./harness";

type Backend = "host" | "wasm";
interface Row { call: string; backend: Backend; exec: bigint; tx: bigint; total: bigint; ops: bigint; note: string; headline: boolean }

async function runBackend(backend: Backend, rows: Row[]): Promise<void> {
  const platform = simulatedPlatform();
  const chain = new EmbeddedChain({ chainId: "bench-registry", startTime: Number(platform.at) });
  const r = new MeteredRegistry(chain, () => {});
  await r.deploy({ msg: { max_gpus: 8, policy: { p256_backend: backend, min_gpus: 0 } } });
  await r.exec("set_roots", r.governance, { set_roots: { intel: toBinary(platform.tdx.root.der), nvidia: platform.nvidia.root } });
  await r.exec("add_release", r.governance, { add_release: platform.release });
  const relay = chain.address("relay");
  const take = (label: string, call: string, note = "", headline = true) => {
    const c = r.calls.filter((x) => x.label === label).pop()!;
    rows.push({ call, backend, exec: c.gas.totalSdkGas, tx: c.txGas, total: c.gas.totalSdkGas + c.txGas, ops: c.gas.ops, note, headline });
  };
  for (const msg of tdxCollateralMessages(platform.tdx.collateral)) await r.exec(`submit ${Object.keys(msg)[0]}`, relay, { submit_collateral: msg });
  take("submit tdx_tcb_info", "submit_collateral tdx_tcb_info");
  await r.exec("submit nvidia_ca", relay, { submit_collateral: nvidiaCaCollateral(platform.nvidia.gpus[0].certs) });
  take("submit nvidia_ca", "submit_collateral nvidia_ca", "once per chip family and root");

  // Full forms first, each deregistered again so the machine can register in the short forms afterwards.
  const forms: Array<[EvidenceForm, string]> = [["full", " (full forms)"], ["compact", ""]];
  for (const [form, suffix] of forms) {
    for (const gpus of [1, 8]) {
      const operator = chain.address(`operator-${gpus}`);
      const id = `node-${gpus}gpu`;
      const node = await prepareNode(platform, r.client.as(operator), id, gpus, (nodeId) => r.exec("begin", operator, { begin_registration: { node_id: nodeId } }), form);
      await r.exec(`register ${gpus} ${form}`, operator, { register_node: node.registration });
      const what = form === "compact" ? "leaf-only quote, GPU leaf + BROM" : "quote with PCK chain, 5 certs per GPU";
      take(`register ${gpus} ${form}`, `register_node TDX + ${gpus} GPU${gpus > 1 ? "s" : ""}${suffix}`,
        `${what}; ${fmtInt(Buffer.byteLength(JSON.stringify(node.registration)))} B msg`, form === "compact");
      if (form === "full") await r.exec("deregister", operator, { deregister_node: { node_id: id } });
    }
  }
  await r.query("node", { node: { node_id: "node-1gpu" } });
  take("node", "query node (TDX + 1 GPU, trust re-evaluated)");

  // SNP (Genoa, test ARK as governance root), no GPUs.
  try {
    const operator = chain.address("operator-snp");
    const snpOp = r.client.as(operator);
    const measurement = new Uint8Array(48).fill(0x5a);
    const probe = simulateSnp({ product: "Genoa", at: Number(platform.at), measurement });
    await r.exec("set_roots snp", r.governance, { set_roots: { amd: { genoa: toBinary(probe.roots.genoa!) } } });
    await r.exec("add_release snp", r.governance, { add_release: { id: "snp-image", tee: "snp", measurements: { measurement: Buffer.from(measurement).toString("hex") } } });
    await r.exec("begin", operator, { begin_registration: { node_id: "snp-node" } });
    const challenge = await snpOp.challenge("snp-node");
    const encPk = toBinary(new Uint8Array(32).fill(1)), signPk = toBinary(Uint8Array.from([2, ...new Array(32).fill(3)]));
    const { report_data } = await snpOp.binding({ operator, node_id: "snp-node", enc_pk: encPk, sign_pk: signPk, nonce: challenge.nonce! });
    const sim = simulateSnp({ product: "Genoa", at: Number(platform.at), measurement, reportData: Uint8Array.from(Buffer.from(report_data, "hex")) });
    const registration = { node_id: "snp-node", model: "llama-3.3-70b", endpoint: "https://snp.example", enc_pk: encPk, sign_pk: signPk, evidence: snpEvidence(sim.report, sim.vcek, sim.chainPem) };
    await r.exec("register snp", operator, { register_node: registration });
    take("register snp", "register_node SNP (Genoa, no GPU)");
  } catch (err) {
    rows.push({ call: "register_node SNP (Genoa, no GPU)", backend, exec: 0n, tx: 0n, total: 0n, ops: 0n, note: `failed: ${(err as Error).message.slice(0, 120)}`, headline: true });
  }
}

export async function registryBench(): Promise<BenchSection> {
  const rows: Row[] = [];
  await runBackend("host", rows);
  await runBackend("wasm", rows);
  const targets: Record<string, bigint> = {
    "register_node TDX + 1 GPU": 400_000n, "register_node TDX + 8 GPUs": 1_200_000n, "query node (TDX + 1 GPU, trust re-evaluated)": 100_000n,
  };
  const verdict = (r: Row) => (targets[r.call] === undefined || r.total === 0n ? "" : r.total <= targets[r.call] ? `<= ${fmtInt(targets[r.call])} ok` : `> ${fmtInt(targets[r.call])} MISSED`);
  // Headline rows (what a node pays) first, the full forms after them, host before wasm within each.
  rows.sort((a, b) => Number(b.headline) - Number(a.headline));
  return {
    key: "registry",
    title: "Registry: SDK gas per call on the embedded chain (exec = VM + instance + KV + events; tx = 10 gas per tx byte)",
    columns: ["call", "P-256", "Wasm ops", "exec gas", "tx gas", "total", "target", "note"],
    rows: rows.map((r) => [r.call, r.backend, fmtInt(r.ops), fmtInt(r.exec), fmtInt(r.tx), fmtInt(r.total), verdict(r), r.note]),
    notes: [
      "Targets: TDX + 1 GPU registration <= 400k incl. tx bytes; TDX + 8 GPUs <= 1.2M; node query <= 100k (checked on the headline rows).",
      "Headline registrations use the short forms: the TDX quote carries only its PCK leaf (src/registry/tdx-trim.ts; the registry adds the stored PCK CA and root) and each GPU only its leaf + BROM (the shared NVIDIA intermediates were submitted once as nvidia_ca). \"(full forms)\" rows send every certificate.",
    ],
    json: rows.map((r) => ({ call: r.call, p256: r.backend, ops: Number(r.ops), exec: Number(r.exec), tx: Number(r.tx), total: Number(r.total), target: targets[r.call] ? Number(targets[r.call]) : null, headline: r.headline, note: r.note })),
  };
}
