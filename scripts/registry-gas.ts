// Registry gas scenario, for tuning the contract (not a test, not the bench): deploys a registry module on
// the embedded chain with simulated hardware (src/sim) and prints the SDK gas of each call the issue sets
// targets for — submit TCB info, register TDX + 1 GPU, TDX + 8 GPUs, SNP, and the node query — split into
// VM / instance / KV / events, plus the transaction bytes (10 gas per byte of the JSON message + 250 for
// the envelope, as bench/registry.ts counts them).
//
//   node dist/scripts/registry-gas.js [--wasm build/registry.wasm] [--backend host|wasm] [--profile N]
//                                     [--gpu-certs full|device] [--quote full|trimmed] [--storage] [--json]
//
// --profile N prints the N functions with the highest self cost per call (scripts/lib/gas-profile.ts).
// --gpu-certs device sends each GPU's own two certificates only, after submitting the shared NVIDIA
// intermediates once (submit_collateral {nvidia_ca}); "full" sends the whole chain with every GPU.
// --quote trimmed sends TDX quotes whose PCK chain is the leaf alone (src/registry/tdx-trim.ts).
import { readFileSync } from "node:fs";
import { EmbeddedChain } from "../src/chain/embedded";
import { setCallObserver, emptyTally, type HostTally } from "../src/chain/host";
import { simulateTdx } from "../src/sim/tdx";
import { simulateNvidia } from "../src/sim/nvidia";
import { simulateSnp } from "../src/sim/snp";
import { reportData, gpuNonce } from "../src/registry/binding";
import { trimTdxQuote } from "../src/registry/tdx-trim";
import { tdxCollateralMessages } from "../src/registry/client";
import { priceCall, type GasBreakdown } from "./lib/gas-price";
import { instrument, readGasCounters } from "./lib/gas-meter";
import { profileInstrument, readProfile, functionNames } from "./lib/gas-profile";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const WASM = arg("wasm", "build/registry.wasm");
const BACKEND = arg("backend", "host");
const PROFILE = Number(arg("profile", "0"));
const GPU_CERTS = arg("gpu-certs", "full");
const QUOTE = arg("quote", "full");
const JSON_OUT = process.argv.includes("--json");

const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
const AT = 1768435200;
const MRTD = "a1".repeat(48), RTMR = ["b0", "b1", "b2", "b3"].map((x) => x.repeat(48));
const NV_SEED = "registry-gas";

export const txGas = (msg: unknown): bigint => 10n * BigInt(Buffer.byteLength(JSON.stringify(msg)) + 250);

interface Row { call: string; gas: GasBreakdown; tally?: HostTally; tx: bigint; bytes: number; profile?: Map<number, bigint> }

/** PEM blocks of a concatenated chain. */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
}

/** One pass of the scenario; `profile` stores the per-function profiled copy instead of the metered one. */
async function run(wasm: Uint8Array, profile: boolean): Promise<Row[]> {
  const chain = new EmbeddedChain({ chainId: "registry-gas-1", startTime: AT });
  const governance = chain.address("governance");
  const code = profile ? await chain.storeCode(governance, profileInstrument(wasm)) : await chain.storeCode(governance, instrument(wasm));
  const base = simulateTdx({ at: AT });
  const nv = simulateNvidia({ seed: NV_SEED });
  const instantiate = { max_gpus: 8, roots: { intel: b64(base.root.der), nvidia: nv.root }, policy: { p256_backend: BACKEND } };
  const contract = (await chain.instantiate(governance, code, instantiate, "registry")).contractAddress;
  const rows: Row[] = [];

  async function measured<T>(call: string | null, action: () => Promise<T>, msg: unknown): Promise<T> {
    if (!profile) {
      const counters = { ops: 0n, accountingOps: 0n, cwg: 0n };
      const tally = emptyTally();
      setCallObserver((o) => {
        const g = readGasCounters(o.exports);
        counters.ops += g.ops; counters.accountingOps += g.accountingOps; counters.cwg += g.cwg;
        for (const [k, v] of Object.entries(o.tally)) if (typeof v === "number") (tally as unknown as Record<string, number>)[k] += v;
        for (const [k, v] of Object.entries(o.tally.calls)) tally.calls[k] = (tally.calls[k] ?? 0) + v;
      });
      try {
        const result = await action();
        const gas = priceCall(counters, tally, (result as { events?: never[] }).events ?? []);
        if (call !== null) rows.push({ call, gas, tally, tx: msg === null ? 0n : txGas(msg), bytes: msg === null ? 0 : Buffer.byteLength(JSON.stringify(msg)) });
        return result;
      } finally { setCallObserver(null); }
    }
    const into = new Map<number, bigint>();
    setCallObserver((o) => readProfile(o.exports, into));
    try {
      const result = await action();
      if (call !== null) rows.push({ call, gas: undefined as unknown as GasBreakdown, tx: 0n, bytes: 0, profile: into });
      return result;
    } finally { setCallObserver(null); }
  }
  const exec = (call: string | null, sender: string, msg: Record<string, unknown>) => measured(call, () => chain.execute(sender, contract, msg), msg);
  const query = <T>(call: string, msg: Record<string, unknown>) => measured(call, () => chain.query<T>(contract, msg), null);

  const c = base.collateral as unknown as Record<string, string>;
  const pccs = chain.address("pccs");
  for (const m of tdxCollateralMessages(c as unknown as Parameters<typeof tdxCollateralMessages>[0])) {
    await exec("tdx_tcb_info" in m ? "submit_collateral tdx_tcb_info" : null, pccs, { submit_collateral: m });
  }
  await exec(null, governance, { add_release: { id: "mlnode-1", tee: "tdx", gpu_golden: nv.golden,
    measurements: { mrtd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3] } } });
  if (GPU_CERTS === "device") {
    const shared = pemBlocks(nv.gpus[0].certs).slice(2).join("");
    await exec("submit_collateral nvidia_ca", pccs, { submit_collateral: { nvidia_ca: { certs: shared } } });
  }

  for (const count of [1, 8]) {
    const operator = chain.address(`operator-${count}`);
    const nodeId = `node-${count}gpu`;
    const encPk = new Uint8Array(32).fill(count), signPk = new Uint8Array(33).fill(count); signPk[0] = 2;
    const begun = await exec(null, operator, { begin_registration: { node_id: nodeId } }) as { data?: Uint8Array };
    const nonce = new Uint8Array(Buffer.from((JSON.parse(Buffer.from(begun.data!).toString()) as { nonce: string }).nonce, "hex"));
    const gpus = simulateNvidia({ seed: NV_SEED, pki: nv.pki, nonce: gpuNonce(encPk, signPk, nonce),
      gpus: Array.from({ length: count }, (_, i) => ({ label: `${nodeId}-gpu${i}` })) });
    const rd = reportData({ chainId: chain.chainId, registry: contract, operator, nodeId, encPk, signPk, nonce, gpuReports: gpus.gpus.map((g) => g.report) });
    const fullQuote = simulateTdx({ at: AT, pki: base.pki, mrTd: MRTD, rtmr0: RTMR[0], rtmr1: RTMR[1], rtmr2: RTMR[2], rtmr3: RTMR[3], reportData: rd }).quote;
    const quote = QUOTE === "trimmed" ? trimTdxQuote(fullQuote) : fullQuote;
    const gpuList = gpus.gpus.map((g) => ({ report: b64(g.report), certs: GPU_CERTS === "device" ? pemBlocks(g.certs).slice(0, 2).join("") : g.certs }));
    const msg = { register_node: { node_id: nodeId, model: "llama-70b", endpoint: `https://${nodeId}.example/v1`, enc_pk: b64(encPk), sign_pk: b64(signPk),
      evidence: { cpu: { tdx: { quote: b64(quote) } }, gpus: gpuList } } };
    await exec(`register_node TDX + ${count} GPU`, operator, msg);
  }
  await query("query node (TDX + 1 GPU)", { node: { node_id: "node-1gpu" } });

  // SNP (Genoa, test ARK as governance root), no GPUs.
  const snpOperator = chain.address("operator-snp");
  const measurement = new Uint8Array(48).fill(0x5a);
  const probe = simulateSnp({ product: "Genoa", at: AT, measurement });
  await exec(null, governance, { set_roots: { amd: { genoa: b64(probe.roots.genoa!) } } });
  await exec(null, governance, { set_policy: { min_gpus: 0 } });
  await exec(null, governance, { add_release: { id: "snp-image", tee: "snp", measurements: { measurement: Buffer.from(measurement).toString("hex") } } });
  const begun = await exec(null, snpOperator, { begin_registration: { node_id: "snp-node" } }) as { data?: Uint8Array };
  const nonce = new Uint8Array(Buffer.from((JSON.parse(Buffer.from(begun.data!).toString()) as { nonce: string }).nonce, "hex"));
  const encPk = new Uint8Array(32).fill(9), signPk = new Uint8Array(33).fill(9); signPk[0] = 3;
  const rd = reportData({ chainId: chain.chainId, registry: contract, operator: snpOperator, nodeId: "snp-node", encPk, signPk, nonce, gpuReports: [] });
  const sim = simulateSnp({ product: "Genoa", at: AT, measurement, reportData: rd });
  await exec("register_node SNP (Genoa)", snpOperator, { register_node: { node_id: "snp-node", model: "llama-70b", endpoint: "https://snp.example", enc_pk: b64(encPk), sign_pk: b64(signPk),
    evidence: { cpu: { snp: { report: b64(sim.report), vcek: b64(sim.vcek), chain: sim.chainPem } }, gpus: [] } } });
  await query("query node (SNP)", { node: { node_id: "snp-node" } });

  if (process.argv.includes("--storage") && !profile) {
    const storage = (chain.app.wasm.getContractStorage(contract) as unknown as { toJS(): Record<string, string> }).toJS();
    console.log("stored values (key -> bytes):");
    for (const [k, v] of Object.entries(storage)) {
      const key = Buffer.from(k, "base64").toString("latin1").replace(/[^\x20-\x7e]/g, ".");
      console.log(`  ${String(Buffer.from(v, "base64").length).padStart(6)}  ${key.slice(0, 90)}`);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const wasm = new Uint8Array(readFileSync(WASM));
  const rows = await run(wasm, false);
  const profiles = PROFILE > 0 ? await run(wasm, true) : [];
  const names = PROFILE > 0 ? functionNames(WASM) : new Map<number, string>();
  const fmt = (n: bigint | number): string => Number(n).toLocaleString("en-US");
  if (JSON_OUT) {
    console.log(JSON.stringify(rows.map((r) => ({ call: r.call, ops: Number(r.gas.ops), vm: Number(r.gas.vmSdkGas), instance: Number(r.gas.instanceSdkGas),
      kv: Number(r.gas.storageSdkGas), events: Number(r.gas.eventSdkGas), exec: Number(r.gas.totalSdkGas), tx: Number(r.tx), total: Number(r.gas.totalSdkGas + r.tx) })), null, 1));
    return;
  }
  console.log(`${WASM} (${fmt(wasm.length)} B), P-256 ${BACKEND}, GPU certs ${GPU_CERTS}, TDX quote ${QUOTE}`);
  console.log(`${"call".padEnd(32)} ${"ops".padStart(11)} ${"VM".padStart(8)} ${"inst".padStart(7)} ${"KV".padStart(8)} ${"events".padStart(7)} ${"exec".padStart(9)} ${"tx".padStart(9)} ${"total".padStart(10)}`);
  for (const r of rows) {
    const g = r.gas;
    console.log(`${r.call.padEnd(32)} ${fmt(g.ops).padStart(11)} ${fmt(g.vmSdkGas).padStart(8)} ${fmt(g.instanceSdkGas).padStart(7)} ${fmt(g.storageSdkGas).padStart(8)} ${fmt(g.eventSdkGas).padStart(7)} ${fmt(g.totalSdkGas).padStart(9)} ${fmt(r.tx).padStart(9)} ${fmt(g.totalSdkGas + r.tx).padStart(10)}`);
  }
  console.log("\nstorage: reads (count/bytes), writes (count/bytes), deletes");
  for (const r of rows) {
    const t = r.tally;
    if (t) console.log(`  ${r.call.padEnd(32)} ${String(t.kvReads).padStart(4)} / ${fmt(t.kvReadBytes).padStart(8)}   ${String(t.kvWrites).padStart(4)} / ${fmt(t.kvWriteBytes).padStart(8)}   ${t.kvDeletes}`);
  }
  if (PROFILE > 0) {
    for (const r of profiles) {
      if (!r.profile || r.profile.size === 0) continue;
      const total = [...r.profile.values()].reduce((a, b) => a + b, 0n);
      console.log(`\n${r.call}: ${fmt(total / 140_000n)} SDK gas of Wasm operators; top ${PROFILE} functions (self):`);
      const top = [...r.profile.entries()].sort((a, b) => (b[1] > a[1] ? 1 : -1)).slice(0, PROFILE);
      for (const [idx, cwg] of top) console.log(`  ${fmt(cwg / 140_000n).padStart(8)}  ${(Number(cwg * 1000n / total) / 10).toFixed(1).padStart(5)}%  ${names.get(idx) ?? `#${idx}`}`);
    }
  }
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); process.exit(1); });
