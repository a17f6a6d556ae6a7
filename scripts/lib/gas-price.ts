// Prices one contract call the way wasmvm >= 2 and wasmd >= 0.51 charge it (specs/cosmwasm.md §3):
//   CosmWasm gas (CWg) = 115 per executed operator + 1,610 per accounting operator (counted by the
//                        instrumented module) + host-function costs
//   SDK gas            = CWg / 140,000 + instance cost + KV store costs + event costs
// The KV and event costs are the Cosmos SDK's own (store/types/gas.go KVGasConfig; wasmd gas_register).
import type { HostTally } from "../../src/chain/host";

export const GAS_MULTIPLIER = 140_000n;

/** wasmvm GasConfig (2.1+), in CWg. */
export const HOST_COST_CWG = {
  hostCallBase: 18_000n,
  readRegionBase: 200_000n,
  readRegionPerByte: 115n,
  stringFromBytesBase: 28_700n,
  stringFromBytesPerByte: 1_400n,
  secp256k1Verify: 96_000_000n,
  secp256k1Recover: 194_000_000n,
  secp256r1Verify: 279_000_000n,
  secp256r1Recover: 592_000_000n,
  ed25519Verify: 35_000_000n,
  ed25519BatchBase: 24_000_000n,
  ed25519BatchPerItem: 21_000_000n,
} as const;

/** SDK-side charges, in SDK gas. */
export const SDK_COST = {
  instance: 60_000n,
  instanceDiscounted: 2_000n,
  kvReadFlat: 1_000n,
  kvReadPerByte: 3n,
  kvWriteFlat: 2_000n,
  kvWritePerByte: 30n,
  kvDelete: 1_000n,
  kvIteratorNext: 30n,
  eventPerAttribute: 10n,
  eventCustom: 20n,
  eventFreeBytes: 100n,
} as const;

export interface WasmCounters { ops: bigint; accountingOps: bigint; cwg: bigint }

export interface GasBreakdown {
  ops: bigint;
  accountingOps: bigint;
  wasmCwg: bigint;
  hostCwg: bigint;
  /** (wasmCwg + hostCwg) / 140,000 */
  vmSdkGas: bigint;
  instanceSdkGas: bigint;
  storageSdkGas: bigint;
  eventSdkGas: bigint;
  totalSdkGas: bigint;
}

const FIXED_HOST_COSTS: Record<string, bigint> = {
  secp256k1_verify: HOST_COST_CWG.secp256k1Verify,
  secp256k1_recover_pubkey: HOST_COST_CWG.secp256k1Recover,
  secp256r1_verify: HOST_COST_CWG.secp256r1Verify,
  secp256r1_recover_pubkey: HOST_COST_CWG.secp256r1Recover,
  ed25519_verify: HOST_COST_CWG.ed25519Verify,
};

export function hostCostCwg(tally: HostTally): bigint {
  let total = 0n;
  let calls = 0n;
  for (const [name, count] of Object.entries(tally.calls)) {
    calls += BigInt(count);
    const fixed = FIXED_HOST_COSTS[name];
    if (fixed !== undefined) total += fixed * BigInt(count);
    if (name === "ed25519_batch_verify") total += HOST_COST_CWG.ed25519BatchBase * BigInt(count);
    if (name.startsWith("addr_")) total += HOST_COST_CWG.stringFromBytesBase * BigInt(count);
  }
  total += calls * HOST_COST_CWG.hostCallBase;
  // Every Region the host reads is charged (argument regions of host calls).
  total += HOST_COST_CWG.readRegionBase * BigInt(tally.regionReads) + HOST_COST_CWG.readRegionPerByte * BigInt(tally.regionBytesRead);
  return total;
}

export interface EventLike { type: string; attributes: { key: string; value: string }[] }

export function eventSdkGas(events: EventLike[]): bigint {
  let gas = 0n;
  for (const event of events) {
    if (event.type !== "message" && event.type !== "execute" && event.type !== "instantiate") gas += SDK_COST.eventCustom;
    for (const a of event.attributes) {
      gas += SDK_COST.eventPerAttribute;
      const bytes = BigInt(Buffer.byteLength(a.key) + Buffer.byteLength(a.value));
      if (bytes > SDK_COST.eventFreeBytes) gas += bytes - SDK_COST.eventFreeBytes;
    }
  }
  return gas;
}

export function storageSdkGas(tally: HostTally): bigint {
  return SDK_COST.kvReadFlat * BigInt(tally.kvReads) + SDK_COST.kvReadPerByte * BigInt(tally.kvReadBytes)
    + SDK_COST.kvWriteFlat * BigInt(tally.kvWrites) + SDK_COST.kvWritePerByte * BigInt(tally.kvWriteBytes)
    + SDK_COST.kvDelete * BigInt(tally.kvDeletes) + SDK_COST.kvIteratorNext * BigInt(tally.kvIteratorNexts);
}

export function priceCall(counters: WasmCounters, tally: HostTally, events: EventLike[] = [], discounted = false): GasBreakdown {
  const hostCwg = hostCostCwg(tally);
  const vmSdkGas = (counters.cwg + hostCwg) / GAS_MULTIPLIER;
  const instanceSdkGas = discounted ? SDK_COST.instanceDiscounted : SDK_COST.instance;
  const storage = storageSdkGas(tally);
  const eventGas = eventSdkGas(events);
  return {
    ops: counters.ops,
    accountingOps: counters.accountingOps,
    wasmCwg: counters.cwg,
    hostCwg,
    vmSdkGas,
    instanceSdkGas,
    storageSdkGas: storage,
    eventSdkGas: eventGas,
    totalSdkGas: vmSdkGas + instanceSdkGas + storage + eventGas,
  };
}
