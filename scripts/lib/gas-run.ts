// Runs contract calls on the embedded chain with an operator-counting copy of the module and prices
// each call (gas-price.ts). The instrumented module behaves exactly like the original; only counters
// are added (gas-meter.ts), so results are the real contract's results.
import { EmbeddedChain } from "../../src/chain/embedded";
import { setCallObserver, emptyTally, type HostTally, type CallObservation } from "../../src/chain/host";
import type { Coin, ExecuteResult } from "../../src/chain/types";
import { instrument } from "./gas-meter";
import { priceCall, type GasBreakdown, type WasmCounters } from "./gas-price";

export interface MeasuredCall<T> { result: T; gas: GasBreakdown }

function readCounter(exports: WebAssembly.Exports, name: string): bigint {
  const global = exports[name] as WebAssembly.Global | undefined;
  if (!global) throw new Error(`module is not instrumented (no ${name} export)`);
  return BigInt(global.value as bigint);
}

function addTally(into: HostTally, from: HostTally): void {
  for (const [k, v] of Object.entries(from.calls)) into.calls[k] = (into.calls[k] ?? 0) + v;
  into.regionReads += from.regionReads; into.regionBytesRead += from.regionBytesRead;
  into.kvReads += from.kvReads; into.kvReadBytes += from.kvReadBytes;
  into.kvWrites += from.kvWrites; into.kvWriteBytes += from.kvWriteBytes;
  into.kvDeletes += from.kvDeletes; into.kvIteratorNexts += from.kvIteratorNexts;
}

export class GasMeter {
  constructor(readonly chain: EmbeddedChain) {}

  /** Stores the instrumented copy of a contract module. */
  async storeCode(sender: string, wasm: Uint8Array): Promise<number> {
    return this.chain.storeCode(sender, instrument(wasm));
  }

  /** Runs `action` and sums the counters of every entry-point call it made (replies included). */
  async measure<T>(action: () => Promise<T>, eventsOf: (result: T) => ExecuteResult["events"] = (r) => (r as unknown as ExecuteResult).events ?? []): Promise<MeasuredCall<T>> {
    const counters: WasmCounters = { ops: 0n, accountingOps: 0n, cwg: 0n };
    const tally = emptyTally();
    setCallObserver((o: CallObservation) => {
      counters.ops += readCounter(o.exports, "__gas_ops");
      counters.accountingOps += readCounter(o.exports, "__gas_accounting_ops");
      counters.cwg += readCounter(o.exports, "__gas_cwg");
      addTally(tally, o.tally);
    });
    try {
      const result = await action();
      return { result, gas: priceCall(counters, tally, eventsOf(result)) };
    } finally {
      setCallObserver(null);
    }
  }

  execute(sender: string, contract: string, msg: unknown, funds: Coin[] = []) {
    return this.measure(() => this.chain.execute(sender, contract, msg, funds));
  }

  query<T>(contract: string, msg: unknown) {
    return this.measure(() => this.chain.query<T>(contract, msg), () => []);
  }
}
