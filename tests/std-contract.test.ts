// The std test contract on the embedded chain: every entry point and host import of contracts/std.
import { describe, it, expect, beforeAll } from "vitest";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { EmbeddedChain } from "../src/chain/embedded";
import { findAttribute } from "../src/chain/types";
import { readWasm } from "./helpers/build";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("std test contract on the embedded chain", () => {
  const chain = new EmbeddedChain({ chainId: "std-test-1" });
  const admin = chain.address("admin");
  const alice = chain.address("alice");
  let codeId = 0;
  let contract = "";

  beforeAll(async () => {
    codeId = await chain.storeCode(admin, readWasm("test-std-test"));
    const result = await chain.instantiate(admin, codeId, { owner: alice }, "std-test");
    contract = result.contractAddress;
    expect(findAttribute(result, "owner")).toBe(alice);
    expect(findAttribute(result, "contract")).toBe(contract);
  });

  it("stores the owner through addr_validate and db_write, and reads it back in a query", async () => {
    expect(await chain.query(contract, { owner: {} })).toEqual({ owner: alice });
  });

  it("rejects an invalid address at instantiate (addr_validate error surfaced)", async () => {
    await expect(chain.instantiate(admin, codeId, { owner: "not-an-address" }, "bad")).rejects.toThrow(/invalid address/);
  });

  it("passes Env through: height, time, chain id and contract address", async () => {
    const env = await chain.query<{ height: number; time: string; chain_id: string; contract: string }>(contract, { env: {} });
    expect(env.height).toBe(await chain.height());
    expect(BigInt(env.time) / 1_000_000_000n).toBe(BigInt(await chain.time()));
    expect(env.chain_id).toBe("std-test-1");
    expect(env.contract).toBe(contract);
  });

  it("sets, gets, removes and paginates map entries in key order", async () => {
    for (const key of ["d", "a", "c", "b", "e", "ü"]) await chain.execute(alice, contract, { set: { key, value: `v-${key}` } });
    expect(await chain.query(contract, { get: { key: "c" } })).toEqual({ value: "v-c" });
    expect(await chain.query(contract, { get: { key: "ü" } })).toEqual({ value: "v-ü" });
    const page1 = await chain.query<{ entries: string[][] }>(contract, { list: { limit: 2 } });
    expect(page1.entries).toEqual([["a", "v-a"], ["b", "v-b"]]);
    const page2 = await chain.query<{ entries: string[][] }>(contract, { list: { start_after: "b", limit: 2 } });
    expect(page2.entries).toEqual([["c", "v-c"], ["d", "v-d"]]);
    const desc = await chain.query<{ entries: string[][] }>(contract, { list: { start_after: "c", limit: 5, descending: true } });
    expect(desc.entries).toEqual([["b", "v-b"], ["a", "v-a"]]);
    await chain.execute(alice, contract, { remove: { key: "c" } });
    expect(await chain.query(contract, { get: { key: "c" } })).toEqual({ value: null });
    const all = await chain.query<{ entries: string[][] }>(contract, { list: {} });
    expect(all.entries.map((e) => e[0])).toEqual(["a", "b", "d", "e", "ü"]);
  });

  it("iterates keys and values alone (db_next_key / db_next_value)", async () => {
    const result = await chain.query<{ keys: string[]; values: string[] }>(contract, { keys: {} });
    expect(result.keys).toEqual(["a", "b", "d", "e", "ü"]);
    expect(result.values).toEqual(["v-a", "v-b", "v-d", "v-e", "v-ü"]);
  });

  it("refuses storage writes during a query", async () => {
    await expect(chain.query(contract, { write_in_query: {} })).rejects.toThrow(/read-only/);
  });

  it("executes with funds and sends them on with BankMsg::Send", async () => {
    chain.fund(alice, "1000");
    const funded = await chain.execute(alice, contract, { funds: { denom: chain.denom } }, [{ denom: chain.denom, amount: "600" }]);
    expect(findAttribute(funded, "received")).toBe("600");
    expect(await chain.balance(contract)).toBe("600");
    const bob = chain.address("bob");
    await chain.execute(alice, contract, { send: { to: bob, denom: chain.denom, amount: "250" } });
    expect(await chain.balance(bob)).toBe("250");
    expect(await chain.balance(contract)).toBe("350");
    await expect(chain.execute(alice, contract, { send: { to: bob, denom: chain.denom, amount: "5000" } })).rejects.toThrow();
    expect(await chain.balance(contract)).toBe("350");
  });

  it("queries the bank through query_chain", async () => {
    const result = await chain.execute(alice, contract, { balance: { address: contract, denom: chain.denom } });
    expect(findAttribute(result, "balance")).toBe(await chain.balance(contract));
  });

  it("verifies secp256r1 through the injected host function: valid -> 0, tampered -> 1, bad key -> error code", async () => {
    const secret = p256.utils.randomSecretKey();
    const pub = p256.getPublicKey(secret, true);
    const hash = sha256(new TextEncoder().encode("tee-attest"));
    const sig = p256.sign(hash, secret, { prehash: false });
    const ok = await chain.execute(alice, contract, { verify_secp256r1: { hash: b64(hash), signature: b64(sig), pubkey: b64(pub) } });
    expect(findAttribute(ok, "code")).toBe("0");
    const tampered = sig.slice(); tampered[10] ^= 1;
    const bad = await chain.execute(alice, contract, { verify_secp256r1: { hash: b64(hash), signature: b64(tampered), pubkey: b64(pub) } });
    expect(findAttribute(bad, "code")).toBe("1");
    const badKey = await chain.execute(alice, contract, { verify_secp256r1: { hash: b64(hash), signature: b64(sig), pubkey: b64(pub.slice(1)) } });
    expect(Number(findAttribute(badKey, "code"))).toBeGreaterThan(1);
  });

  it("accepts a high-S secp256r1 signature like wasmvm does", async () => {
    const secret = p256.utils.randomSecretKey();
    const pub = p256.getPublicKey(secret, false);
    const hash = sha256(new TextEncoder().encode("high-s"));
    const sig = p256.Signature.fromBytes(p256.sign(hash, secret, { prehash: false }), "compact");
    const n = p256.Point.CURVE().n;
    const highS = new p256.Signature(sig.r, n - sig.s).toBytes("compact");
    const result = await chain.execute(alice, contract, { verify_secp256r1: { hash: b64(hash), signature: b64(highS), pubkey: b64(pub) } });
    expect(findAttribute(result, "code")).toBe("0");
  });

  it("verifies secp256k1 and recovers its public key", async () => {
    const secret = secp256k1.utils.randomSecretKey();
    const pub = secp256k1.getPublicKey(secret, true);
    const hash = sha256(new TextEncoder().encode("receipt"));
    const recovered = secp256k1.sign(hash, secret, { prehash: false, format: "recovered" });
    const sig = recovered.slice(1);
    const ok = await chain.execute(alice, contract, { verify_secp256k1: { hash: b64(hash), signature: b64(sig), pubkey: b64(pub) } });
    expect(findAttribute(ok, "code")).toBe("0");
    const tampered = sig.slice(); tampered[40] ^= 0x80;
    const bad = await chain.execute(alice, contract, { verify_secp256k1: { hash: b64(hash), signature: b64(tampered), pubkey: b64(pub) } });
    expect(findAttribute(bad, "code")).toBe("1");
    const rec = await chain.execute(alice, contract, { recover_secp256k1: { hash: b64(hash), signature: b64(sig), recovery_param: recovered[0] } });
    expect(findAttribute(rec, "pubkey")).toBe(Buffer.from(secp256k1.getPublicKey(secret, false)).toString("hex"));
  });

  it("recovers a secp256r1 public key through the injected host function", async () => {
    const secret = p256.utils.randomSecretKey();
    const hash = sha256(new TextEncoder().encode("recover me"));
    const recovered = p256.sign(hash, secret, { prehash: false, format: "recovered" });
    const result = await chain.execute(alice, contract, { recover_secp256r1: { hash: b64(hash), signature: b64(recovered.slice(1)), recovery_param: recovered[0] } });
    expect(findAttribute(result, "pubkey")).toBe(Buffer.from(p256.getPublicKey(secret, false)).toString("hex"));
    await expect(chain.execute(alice, contract, { recover_secp256r1: { hash: b64(hash), signature: b64(recovered.slice(1)), recovery_param: 7 } })).rejects.toThrow(/code 6/);
  });

  it("batch-verifies ed25519 signatures", async () => {
    const items = [0, 1, 2].map((i) => {
      const secret = ed25519.utils.randomSecretKey();
      const message = new TextEncoder().encode(`batch ${i}`);
      return { message: b64(message), signature: b64(ed25519.sign(message, secret)), pubkey: b64(ed25519.getPublicKey(secret)) };
    });
    const ok = await chain.execute(alice, contract, { batch_verify_ed25519: { items } });
    expect(findAttribute(ok, "code")).toBe("0");
    const broken = items.map((item, i) => (i === 1 ? { ...item, message: b64(new TextEncoder().encode("forged")) } : item));
    const bad = await chain.execute(alice, contract, { batch_verify_ed25519: { items: broken } });
    expect(findAttribute(bad, "code")).toBe("1");
  });

  it("verifies ed25519", async () => {
    const secret = ed25519.utils.randomSecretKey();
    const pub = ed25519.getPublicKey(secret);
    const message = new TextEncoder().encode("hello ed25519");
    const sig = ed25519.sign(message, secret);
    const ok = await chain.execute(alice, contract, { verify_ed25519: { message: b64(message), signature: b64(sig), pubkey: b64(pub) } });
    expect(findAttribute(ok, "code")).toBe("0");
    const bad = await chain.execute(alice, contract, { verify_ed25519: { message: b64(message.slice(1)), signature: b64(sig), pubkey: b64(pub) } });
    expect(findAttribute(bad, "code")).toBe("1");
  });

  it("canonicalizes and humanizes addresses", async () => {
    const result = await chain.execute(alice, contract, { canonicalize: { address: alice } });
    expect(findAttribute(result, "human")).toBe(alice);
    expect(findAttribute(result, "canonical")).toMatch(/^[0-9a-f]{40}$/);
  });

  it("surfaces the abort message of an assertion failure", async () => {
    await expect(chain.execute(alice, contract, { boom: {} })).rejects.toThrow(/abort: boom requested at tests\/contracts\/std-test\/contract\.ts/);
  });

  it("turns an out-of-bounds access into an abort, not a crash of the host", async () => {
    await expect(chain.execute(alice, contract, { out_of_bounds: {} })).rejects.toThrow(/abort: Index out of range/);
  });

  it("returns contract errors as {error} and changes nothing", async () => {
    await expect(chain.execute(alice, contract, { fail: { reason: "nope" } })).rejects.toThrow(/nope/);
    await expect(chain.execute(alice, contract, { no_such_message: {} })).rejects.toThrow(/unknown message no_such_message/);
    await expect(chain.execute(alice, contract, { set: { key: 7 } })).rejects.toThrow(/msg.key must be a string/);
  });

  it("rejects malformed JSON from the user with an error, never a trap", async () => {
    // The simulator always serialises objects, so feed raw bytes through the instance directly.
    const { runRaw } = await import("./helpers/raw-call");
    for (const bad of ['{"set":', '{"a":1,"a":2}', '[1,2', '{"k":"\\ud800"}', '\u0000', '{"k":"\u0001"}', "nul", "{}}"]) {
      const out = await runRaw(readWasm("test-std-test"), "execute", bad);
      expect(out).toMatch(/^\{"error":"invalid message JSON/);
    }
    const badEnv = await runRaw(readWasm("test-std-test"), "execute", "{}", '{"block":{}}');
    expect(badEnv).toMatch(/^\{"error":"env\.block\.height missing/);
  });

  it("sets response data and handles migrate", async () => {
    const result = await chain.execute(alice, contract, { set_data: {} });
    expect(new TextDecoder().decode(result.data ?? new Uint8Array())).toBe("hello");
    const migrated = await chain.migrate(admin, contract, codeId, {});
    expect(findAttribute(migrated, "action")).toBe("migrate");
  });

  it("writes debug output without failing", async () => {
    await chain.execute(alice, contract, { debug: { message: "hello from the contract" } });
  });
});
