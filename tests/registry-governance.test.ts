// Registry governance on the embedded chain: instantiate, transfer, roots, policy, releases, exclusions,
// config — each change emits its event; a non-governance caller or a malformed change is refused with
// its stable code and leaves storage untouched.
import { describe, it, expect, beforeAll } from "vitest";
import { EmbeddedChain } from "../src/chain/embedded";
import { simulateTdx } from "../src/sim/tdx";
import { deployRegistry, expectRejected, eventAttrs, b64, type Deployed } from "./helpers/registry";

const MRTD = "11".repeat(48);
const RTMRS = { rtmr0: "20".repeat(48), rtmr1: "21".repeat(48), rtmr2: "22".repeat(48), rtmr3: "23".repeat(48) };

describe("registry governance", () => {
  let d: Deployed;
  let mallory = "";
  let exec: (sender: string, msg: unknown) => ReturnType<EmbeddedChain["execute"]>;

  beforeAll(async () => {
    const chain = new EmbeddedChain({ chainId: "registry-gov-1" });
    d = await deployRegistry(chain);
    mallory = chain.address("mallory");
    exec = (sender, msg) => chain.execute(sender, d.contract, msg);
  });

  it("instantiates with the sender as governance and default policy", async () => {
    const config = await d.chain.query<{ governance: string; paused: boolean; max_gpus: number; policy: Record<string, unknown> }>(d.contract, { config: {} });
    expect(config.governance).toBe(d.governance);
    expect(config.paused).toBe(false);
    expect(config.max_gpus).toBe(8);
    expect(config.policy.accepted_tcb_statuses).toEqual(["UpToDate", "SWHardeningNeeded"]);
    expect(config.policy.allow_debug).toBe(false);
  });

  it("refuses every governance message from another address, with no state change", async () => {
    const messages: unknown[] = [
      { update_config: { paused: true } },
      { transfer_governance: { governance: mallory } },
      { set_roots: { intel: null } },
      { set_policy: { allow_debug: true } },
      { add_release: { id: "r-evil", tee: "tdx", measurements: { mrtd: MRTD, ...RTMRS } } },
      { revoke_release: { id: "r-any" } },
      { exclude: { node_id: "n1" } },
      { unexclude: { node_id: "n1" } },
    ];
    for (const msg of messages) await expectRejected(d, () => exec(mallory, msg), "UNAUTHORIZED");
  });

  it("sets the policy (event with the new version) and refuses an invalid one", async () => {
    const r = await exec(d.governance, { set_policy: { accepted_tcb_statuses: ["UpToDate"], attestation_ttl: 500, p256_backend: "host" } });
    const e = eventAttrs(r.events, "tee_attest.set_policy")!;
    expect(e.policy_version).toBe("1");
    const policy = await d.chain.query<{ accepted_tcb_statuses: string[]; attestation_ttl: number; p256_backend: string }>(d.contract, { policy: {} });
    expect(policy).toMatchObject({ accepted_tcb_statuses: ["UpToDate"], attestation_ttl: 500, p256_backend: "host" });
    await expectRejected(d, () => exec(d.governance, { set_policy: { accepted_tcb_statuses: ["Fine"] } }), "INVALID_POLICY");
    await expectRejected(d, () => exec(d.governance, { set_policy: { p256_backend: "gpu" } }), "INVALID_POLICY");
    await expectRejected(d, () => exec(d.governance, { set_policy: { attestation_ttl: 0 } }), "INVALID_POLICY");
    await expectRejected(d, () => exec(d.governance, { set_policy: { alow_debug: true } }), "INVALID_MESSAGE");
  });

  it("sets roots (validated certificates), resets them to the vendor pin, refuses garbage", async () => {
    const sim = simulateTdx();
    const r = await exec(d.governance, { set_roots: { intel: b64(sim.root.der) } });
    expect(eventAttrs(r.events, "tee_attest.set_roots")).toMatchObject({ intel: "custom", roots_version: "1" });
    const roots = await d.chain.query<{ intel: string | null; version: number }>(d.contract, { roots: {} });
    expect(roots.intel).toBe(b64(sim.root.der));
    await expectRejected(d, () => exec(d.governance, { set_roots: { intel: b64(new Uint8Array([1, 2, 3])) } }), "INVALID_ROOT");
    await expectRejected(d, () => exec(d.governance, { set_roots: { amd: { milan: b64(sim.root.der) } } }), "INVALID_ROOT"); // EC key, not an ARK
    await exec(d.governance, { set_roots: { intel: null } });
    expect((await d.chain.query<{ intel: string | null }>(d.contract, { roots: {} })).intel).toBeNull();
  });

  it("adds releases (ids never reused), lists and revokes them", async () => {
    const r = await exec(d.governance, { add_release: { id: "r1", tee: "tdx", measurements: { mrtd: MRTD, ...RTMRS }, expires_at: 2_000_000_000 } });
    expect(eventAttrs(r.events, "tee_attest.add_release")).toMatchObject({ id: "r1", tee: "tdx", mrtd: MRTD });
    await exec(d.governance, { add_release: { id: "r2", tee: "snp", measurements: { measurement: "ab".repeat(48) } } });
    await expectRejected(d, () => exec(d.governance, { add_release: { id: "r1", tee: "tdx", measurements: { mrtd: MRTD, ...RTMRS } } }), "RELEASE_EXISTS");
    await expectRejected(d, () => exec(d.governance, { add_release: { id: "r3", tee: "tdx", measurements: { mrtd: MRTD } } }), "INVALID_RELEASE");
    await expectRejected(d, () => exec(d.governance, { add_release: { id: "r3", tee: "sgx", measurements: { mrtd: MRTD } } }), "INVALID_RELEASE");
    await expectRejected(d, () => exec(d.governance, { add_release: { id: "r3", tee: "tdx", measurements: { mrtd: "11" } } }), "INVALID_MESSAGE");
    await expectRejected(d, () => exec(d.governance, { add_release: { id: "r3", tee: "tdx", measurements: { mrtd: MRTD, ...RTMRS }, gpu_golden: { nope: 1 } } }), "INVALID_GOLDEN");
    const list = await d.chain.query<{ releases: { id: string; revoked: boolean }[] }>(d.contract, { releases: {} });
    expect(list.releases.map((x) => x.id)).toEqual(["r1", "r2"]);
    const rv = await exec(d.governance, { revoke_release: { id: "r2" } });
    expect(eventAttrs(rv.events, "tee_attest.revoke_release")).toMatchObject({ id: "r2" });
    await expectRejected(d, () => exec(d.governance, { revoke_release: { id: "r2" } }), "RELEASE_REVOKED");
    await expectRejected(d, () => exec(d.governance, { revoke_release: { id: "nope" } }), "RELEASE_NOT_FOUND");
    expect((await d.chain.query<{ releases: unknown[] }>(d.contract, { releases: {} })).releases).toHaveLength(1);
    const all = await d.chain.query<{ releases: { id: string; revoked: boolean }[] }>(d.contract, { releases: { include_revoked: true } });
    expect(all.releases.find((x) => x.id === "r2")!.revoked).toBe(true);
    const one = await d.chain.query<{ id: string; measurements: Record<string, string> }>(d.contract, { release: { id: "r1" } });
    expect(one.measurements.mrtd).toBe(MRTD);
  });

  it("excludes and unexcludes identities", async () => {
    const r = await exec(d.governance, { exclude: { chip_id: "AB".repeat(64), reason: "stolen" } });
    expect(eventAttrs(r.events, "tee_attest.exclude")).toMatchObject({ kind: "chip_id", value: "ab".repeat(64), reason: "stolen" });
    await expectRejected(d, () => exec(d.governance, { exclude: { chip_id: "ab".repeat(64) } }), "ALREADY_EXCLUDED");
    await expectRejected(d, () => exec(d.governance, { exclude: { node_id: "a", chip_id: "ab" } }), "INVALID_MESSAGE");
    const list = await d.chain.query<{ exclusions: { kind: string; value: string }[] }>(d.contract, { exclusions: {} });
    expect(list.exclusions).toHaveLength(1);
    await exec(d.governance, { unexclude: { chip_id: "ab".repeat(64) } });
    await expectRejected(d, () => exec(d.governance, { unexclude: { chip_id: "ab".repeat(64) } }), "NOT_EXCLUDED");
  });

  it("pauses registrations through update_config", async () => {
    await exec(d.governance, { update_config: { paused: true } });
    await expectRejected(d, () => exec(mallory, { begin_registration: { node_id: "n1" } }), "PAUSED");
    await exec(d.governance, { update_config: { paused: false } });
    await expectRejected(d, () => exec(d.governance, { update_config: { max_gpus: 0 } }), "INVALID_MESSAGE");
  });

  it("transfers governance: the old address loses every right", async () => {
    const next = d.chain.address("multisig");
    const r = await exec(d.governance, { transfer_governance: { governance: next } });
    expect(eventAttrs(r.events, "tee_attest.transfer_governance")).toMatchObject({ previous: d.governance, governance: next });
    await expectRejected(d, () => exec(d.governance, { set_policy: { allow_debug: true } }), "UNAUTHORIZED");
    await exec(next, { set_policy: { challenge_ttl: 50 } });
    await expectRejected(d, () => exec(next, { transfer_governance: { governance: "not-an-address" } }), "INVALID_ADDRESS");
  });

  it("answers unknown messages with UNKNOWN_MESSAGE", async () => {
    await expectRejected(d, () => exec(mallory, { fly: {} }), "UNKNOWN_MESSAGE");
    await expect(d.chain.query(d.contract, { fly: {} })).rejects.toThrow(/UNKNOWN_MESSAGE/);
  });
});
