// Pricing of contract calls (scripts/lib/gas-price.ts) and the measuring runner (gas-run.ts) on the
// std test contract: formulas checked by hand, host costs included, results deterministic.
import { describe, it, expect } from "vitest";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { priceCall, HOST_COST_CWG, SDK_COST } from "../scripts/lib/gas-price";
import { GasMeter } from "../scripts/lib/gas-run";
import { EmbeddedChain } from "../src/chain/embedded";
import { emptyTally } from "../src/chain/host";
import { readWasm } from "./helpers/build";

describe("gas pricing", () => {
  it("prices a hand-made tally exactly", () => {
    const tally = emptyTally();
    tally.calls = { secp256r1_verify: 1, db_read: 2 };
    tally.regionReads = 5;
    tally.regionBytesRead = 200;
    tally.kvReads = 2; tally.kvReadBytes = 50;
    tally.kvWrites = 1; tally.kvWriteBytes = 40;
    const ops = 1_000_000n, acct = 100_000n;
    const cwg = ops * 115n + acct * 1610n; // what the instrumented module reports for such a run
    const gas = priceCall({ ops, accountingOps: acct, cwg }, tally, [{ type: "wasm", attributes: [{ key: "k", value: "v" }] }]);
    const host = 3n * HOST_COST_CWG.hostCallBase + HOST_COST_CWG.secp256r1Verify + 5n * HOST_COST_CWG.readRegionBase + 200n * HOST_COST_CWG.readRegionPerByte;
    expect(gas.hostCwg).toBe(host);
    expect(gas.vmSdkGas).toBe((cwg + host) / 140_000n);
    expect(gas.storageSdkGas).toBe(2n * 1000n + 50n * 3n + 2000n + 40n * 30n);
    expect(gas.eventSdkGas).toBe(SDK_COST.eventCustom + SDK_COST.eventPerAttribute);
    expect(gas.totalSdkGas).toBe(gas.vmSdkGas + 60_000n + gas.storageSdkGas + gas.eventSdkGas);
    // 279e6 CWg is 1,992.86 SDK gas: the r1 host call alone dominates the VM part here
    expect(gas.vmSdkGas).toBeGreaterThan(1_992n);
  });
});

describe("gas runner on the std test contract", () => {
  it("counts operators deterministically and charges the secp256r1 host call", async () => {
    const chain = new EmbeddedChain();
    const meter = new GasMeter(chain);
    const sender = chain.address("gas");
    const codeId = await meter.storeCode(sender, readWasm("test-std-test"));
    const { result } = await meter.measure(() => chain.instantiate(sender, codeId, {}, "gas"));
    const contract = result.contractAddress;
    const first = await meter.execute(sender, contract, { set: { key: "k", value: "v" } });
    const second = await meter.execute(sender, contract, { set: { key: "k", value: "v" } });
    expect(first.gas.ops).toBeGreaterThan(1000n);
    expect(second.gas.ops).toBe(first.gas.ops);
    expect(second.gas.wasmCwg).toBe(first.gas.ops * 115n + first.gas.accountingOps * (1610n - 115n));
    expect(first.gas.storageSdkGas).toBeGreaterThan(2000n);

    const secret = p256.utils.randomSecretKey();
    const hash = sha256(new TextEncoder().encode("gas"));
    const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
    const msg = { verify_secp256r1: { hash: b64(hash), signature: b64(p256.sign(hash, secret, { prehash: false })), pubkey: b64(p256.getPublicKey(secret)) } };
    const r1 = await meter.execute(sender, contract, msg);
    expect(r1.gas.hostCwg).toBeGreaterThan(HOST_COST_CWG.secp256r1Verify);
    expect(r1.gas.vmSdkGas).toBeGreaterThan(1993n);

    const query = await meter.query(contract, { get: { key: "k" } });
    expect(query.result).toEqual({ value: "v" });
    expect(query.gas.ops).toBeGreaterThan(0n);
  });
});
