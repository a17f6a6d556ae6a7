// `npm run gas -- <contract.wasm> [--instantiate JSON] [--execute JSON]... [--query JSON]... [--funds AMOUNT]`
// Deploys an operator-counting copy of the contract on the embedded chain, runs the calls in order and
// prints what wasmvm >= 2 + wasmd >= 0.51 would charge for each (see lib/gas-price.ts). Without calls
// it only instantiates with {}.
import { readFileSync, realpathSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { EmbeddedChain } from "../src/chain/embedded";
import { GasMeter } from "./lib/gas-run";
import type { GasBreakdown } from "./lib/gas-price";

const USAGE = "usage: gas <contract.wasm> [--instantiate JSON] [--execute JSON]... [--query JSON]... [--funds AMOUNT]";

type Step = { kind: "execute" | "query"; msg: unknown; funds: string | null };

function fmt(n: bigint): string { return Number(n).toLocaleString("en-US"); }

export function formatGasRow(label: string, gas: GasBreakdown): string {
  return [label.padEnd(40), fmt(gas.ops).padStart(12), fmt(gas.accountingOps).padStart(10), fmt(gas.wasmCwg + gas.hostCwg).padStart(16),
    fmt(gas.vmSdkGas).padStart(8), fmt(gas.storageSdkGas + gas.eventSdkGas).padStart(8), fmt(gas.totalSdkGas).padStart(10)].join(" ");
}

export const GAS_HEADER = ["call".padEnd(40), "operators".padStart(12), "acct ops".padStart(10), "CWg (wasm+host)".padStart(16),
  "VM gas".padStart(8), "KV+evt".padStart(8), "SDK gas".padStart(10)].join(" ");

export async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith("--"));
  if (!file) { console.error(USAGE); return 2; }
  let instantiateMsg: unknown = {};
  const steps: Step[] = [];
  let funds: string | null = null;
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === file) continue;
      const value = argv[i + 1];
      if (arg === "--instantiate") { instantiateMsg = JSON.parse(value); i++; }
      else if (arg === "--execute") { steps.push({ kind: "execute", msg: JSON.parse(value), funds }); funds = null; i++; }
      else if (arg === "--query") { steps.push({ kind: "query", msg: JSON.parse(value), funds: null }); i++; }
      else if (arg === "--funds") { funds = value; i++; }
      else { console.error(`gas: unknown argument ${arg}\n${USAGE}`); return 2; }
    }
  } catch (err) {
    console.error(`gas: bad JSON argument: ${err instanceof Error ? err.message : err}`);
    return 2;
  }
  let wasm: Uint8Array;
  try { wasm = new Uint8Array(readFileSync(file)); } catch (err) { console.error(`gas: ${err instanceof Error ? err.message : err}`); return 2; }

  const chain = new EmbeddedChain();
  const meter = new GasMeter(chain);
  const sender = chain.address("gas-sender");
  chain.fund(sender, "1000000000000");
  const codeId = await meter.storeCode(sender, wasm);
  console.log(`${basename(file)}: ${wasm.length.toLocaleString("en-US")} B; upload ≈ ${(wasm.length * 3).toLocaleString("en-US")} SDK gas compile cost (3/B)`);
  console.log(GAS_HEADER);
  const inst = await meter.measure(() => chain.instantiate(sender, codeId, instantiateMsg, "gas"));
  console.log(formatGasRow(`instantiate ${JSON.stringify(instantiateMsg)}`.slice(0, 40), inst.gas));
  const contract = inst.result.contractAddress;
  for (const step of steps) {
    const label = `${step.kind} ${JSON.stringify(step.msg)}`.slice(0, 40);
    try {
      if (step.kind === "execute") {
        const coin = step.funds ? [{ denom: chain.denom, amount: step.funds.replace(/[^0-9]/g, "") }] : [];
        console.log(formatGasRow(label, (await meter.execute(sender, contract, step.msg, coin)).gas));
      } else {
        console.log(formatGasRow(label, (await meter.query(contract, step.msg)).gas));
      }
    } catch (err) {
      console.log(`${label.padEnd(40)} failed: ${err instanceof Error ? err.message : err}`);
    }
  }
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry || !/^gas\.(c|m)?(j|t)s$/.test(basename(entry))) return false;
  try { return import.meta.url === pathToFileURL(realpathSync(entry)).href || import.meta.url === pathToFileURL(entry).href; } catch { return false; }
}

if (isEntryPoint()) main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
