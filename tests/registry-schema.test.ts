// The registry's JSON Schemas (schema/, generated from src/registry/messages.ts and responses.ts): they
// compile under ajv's strict draft-07 mode, the committed files match the definitions, every message the
// typed client sends validates, broken messages do not, and — against build/registry.wasm on the
// embedded chain — whatever the schema accepts the contract's parser accepts, and what it refuses the
// parser refuses too.
import { describe, it, expect, beforeAll } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { registrySchemas, schemaText } from "../scripts/schema";
import { RegistryClient, registryErrorCode, tdxEvidence, snpEvidence, nvidiaCaCollateral, compactTdxEvidence } from "../src/registry/client";
import { simulateNvidia } from "../src/sim/nvidia";
import { TDX_SIM_DEFAULT_AT } from "../src/sim/tdx";
import { deployRegistry } from "../src/registry/deploy";
import { EmbeddedChain } from "../src/chain/embedded";
import type { Chain, ExecuteResult } from "../src/chain/types";
import { ROOT, wasmPath } from "./helpers/build";

const schemas = registrySchemas();

function compiler(): Ajv {
  // strictRequired is off only because a TDX release's "rtmr0-3 or mrconfigid" rule names members of the
  // enclosing object inside anyOf (valid draft-07 that ajv's strict mode flags as a style warning).
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  ajv.addFormat("uint32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff });
  ajv.addFormat("uint64", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

const ajv = compiler();
const validators: Record<string, ValidateFunction> = {};
for (const [file, doc] of Object.entries(schemas)) validators[file] = ajv.compile(doc);
const validate = (file: string, msg: unknown) => { const ok = validators[file](msg); return ok ? null : ajv.errorsText(validators[file].errors); };

// ---------------------------------------------------------------------------------------------------
// Example values

const b64 = (bytes: number[] | Uint8Array) => Buffer.from(Uint8Array.from(bytes)).toString("base64");
const hex48 = (byte: number) => byte.toString(16).padStart(2, "0").repeat(48);
const ENC_PK = b64(new Uint8Array(32).fill(7));
const SIGN_PK = b64([0x02, ...new Array(32).fill(9)]);
const OPERATOR = "gonka1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"; // any bech32-looking text
const EVIDENCE_TDX = tdxEvidence(new Uint8Array(64).fill(1), [{ report: new Uint8Array(40).fill(2), certs: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" }]);
const EVIDENCE_SNP = snpEvidence(new Uint8Array(1184).fill(3), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
const REGISTRATION = { node_id: "node-1", model: "llama-3.3-70b", endpoint: "https://node-1.example:8443", enc_pk: ENC_PK, sign_pk: SIGN_PK, evidence: EVIDENCE_TDX };
const GOLDEN = { rim_id: "GH100-test", version: "1.0", blocks: { "1": [hex48(0xaa)], "2": [hex48(0xbb), hex48(0xbc)] } };

/** A Chain that records what the client sends (and answers nothing useful): for checking message shapes. */
class RecordingChain implements Chain {
  readonly chainId = "record-1"; readonly bech32Prefix = "gonka"; readonly denom = "ngonka";
  sent: { kind: "instantiate" | "execute" | "query"; msg: unknown }[] = [];
  private done(): ExecuteResult { return { events: [], data: null, txHash: null, gasUsed: null }; }
  async storeCode() { return 1; }
  async instantiate(_s: string, _c: number, msg: unknown) { this.sent.push({ kind: "instantiate", msg }); return { ...this.done(), contractAddress: "gonka1contract" }; }
  async execute(_s: string, _c: string, msg: unknown) { this.sent.push({ kind: "execute", msg }); return this.done(); }
  async migrate() { return this.done(); }
  async query<T>(_c: string, msg: unknown) { this.sent.push({ kind: "query", msg }); return { nonce: b64(new Uint8Array(32)), issued_at: 1, expires_at: 2 } as T; }
  async balance() { return "0"; }
  async height() { return 1; }
  async time() { return 0; }
  async advanceBlocks() {}
}

/** Drives every client method once with realistic arguments. */
async function exerciseClient(client: RegistryClient): Promise<void> {
  await client.updateConfig({ paused: false, max_gpus: 8 });
  await client.setRoots({ intel: null, amd: { milan: null, genoa: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" }, nvidia: null });
  await client.setPolicy({ accepted_tcb_statuses: ["UpToDate", "SWHardeningNeeded"], allowed_advisories: null, min_snp_tcb: { genoa: { bl: 9, tee: 0, snp: 23, ucode: 72 } },
    allow_debug: false, attestation_ttl: 14_400, challenge_ttl: 100, p256_backend: "host", min_gpus: 1, gpu_policy: { allowed_archs: ["HOPPER"] } });
  await client.addRelease({ id: "r-2026.01", tee: "tdx", measurements: { mrtd: hex48(1), rtmr0: hex48(2), rtmr1: hex48(3), rtmr2: hex48(4), rtmr3: hex48(5) }, gpu_golden: GOLDEN, expires_at: 1_800_000_000 });
  await client.addRelease({ id: "snp-r1", tee: "snp", measurements: { measurement: hex48(6), host_data: "ab".repeat(32) }, gpu_golden: [GOLDEN] });
  await client.addRelease({ id: "r-cfg", tee: "tdx", measurements: { mrtd: hex48(1), mrconfigid: hex48(7) } });
  await client.revokeRelease("r-2026.01");
  await client.exclude({ pck_serial: "0a1b2c", reason: "key compromise" });
  await client.exclude({ gpu_ueid: "123456789012345678901234567890" });
  await client.unexclude({ node_id: "node-1" });
  await client.submitCollateral({ tdx_tcb_info: { tcb_info: "{\"id\":\"TDX\"}", tcb_info_signature: "ab".repeat(64), tcb_info_issuer_chain: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" } });
  await client.submitCollateral({ qe_identity: { qe_identity: { id: "TD_QE" }, qe_identity_signature: "cd".repeat(64), qe_identity_issuer_chain: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" } });
  await client.submitCollateral({ pck_crl: { pck_crl: "3082", pck_crl_issuer_chain: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" } });
  await client.submitCollateral({ root_crl: { root_ca_crl: "3082" } });
  await client.submitCollateral({ amd_crl: { crl: "-----BEGIN X509 CRL-----\nAA==\n-----END X509 CRL-----\n" } });
  await client.submitCollateral({ nvidia_ca: { certs: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n".repeat(3) } });
  await client.beginRegistration("node-1");
  await client.registerNode(REGISTRATION);
  await client.registerNode({ ...REGISTRATION, node_id: "snp-node", evidence: EVIDENCE_SNP });
  await client.deregisterNode("node-1");
  await client.config(); await client.roots(); await client.policy();
  await client.node("node-1");
  await client.nodes(); await client.nodes({ model: "llama-3.3-70b", trusted_only: true, start_after: "node-0", limit: 10 });
  await client.release("snp-r1"); await client.releases({ include_revoked: true, limit: 5 });
  await client.exclusions({ limit: 3 }); await client.collateral();
  await client.tdxCollateral("00906ed50000", "platform");
  await client.challenge("node-1"); await client.challenge("node-1", OPERATOR);
  await client.verifyEvidence({ ...REGISTRATION, operator: OPERATOR });
  await client.binding({ operator: OPERATOR, node_id: "node-1", enc_pk: ENC_PK, sign_pk: SIGN_PK, nonce: "00".repeat(32), gpu_reports: [b64([1, 2, 3])] });
  await client.verifyEvidence({ evidence: EVIDENCE_SNP, nonce: "11".repeat(32), release_id: "snp-r1" });
  await client.transferGovernance(OPERATOR); // last: governance calls after it would stop at UNAUTHORIZED
}

// Messages the schema must refuse (and, below, the contract too): [kind, message, why]
const INVALID: Array<["execute" | "query", unknown, string]> = [
  ["execute", { no_such_message: {} }, "unknown variant"],
  ["execute", { revoke_release: { id: "r1" }, add_release: { id: "r1" } }, "two variants"],
  ["execute", { begin_registration: {} }, "missing node_id"],
  ["execute", { begin_registration: { node_id: "has space" } }, "node_id charset"],
  ["execute", { begin_registration: { node_id: "x".repeat(65) } }, "node_id too long"],
  ["execute", { set_policy: { p256_backend: "gpu" } }, "unknown backend"],
  ["execute", { set_policy: { attestation_tll: 5 } }, "misspelt policy key"],
  ["execute", { set_policy: { accepted_tcb_statuses: [] } }, "no accepted status"],
  ["execute", { set_policy: { attestation_ttl: 0 } }, "zero TTL"],
  ["execute", { set_policy: { allow_debug: "no" } }, "bool as string"],
  ["execute", { add_release: { id: "r1", tee: "sgx", measurements: { mrtd: hex48(1), mrconfigid: hex48(2) } } }, "unknown TEE"],
  ["execute", { add_release: { id: "r1", tee: "tdx", measurements: { mrtd: "abcd", mrconfigid: hex48(2) } } }, "short measurement"],
  ["execute", { add_release: { id: "r1", tee: "tdx", measurements: { mrtd: hex48(1) } } }, "TDX without RTMRs or MRCONFIGID"],
  ["execute", { add_release: { id: "r1", tee: "snp", measurements: { mrtd: hex48(1) } } }, "SNP with TDX measurements"],
  ["execute", { exclude: { chip_id: "zz" } }, "non-hex chip id"],
  ["execute", { exclude: { chip_id: "ab", node_id: "n" } }, "two exclusion kinds"],
  ["execute", { exclude: {} }, "no exclusion kind"],
  ["execute", { submit_collateral: { sgx_tcb_info: { tcb_info: "{}" } } }, "unknown collateral kind"],
  ["execute", { submit_collateral: { nvidia_ca: {} } }, "nvidia_ca without certs"],
  ["execute", { submit_collateral: { nvidia_ca: { certs: "" } } }, "nvidia_ca with empty certs"],
  ["execute", { submit_collateral: { nvidia_ca: { certs: 5 } } }, "nvidia_ca certs not a string"],
  ["execute", { submit_collateral: { nvidia_ca: { certs: "-----BEGIN CERTIFICATE-----", chain: "x" } } }, "nvidia_ca unknown member"],
  ["execute", { submit_collateral: { nvidia_ca: { certs: "x" }, amd_crl: { crl: "3082" } } }, "two collateral kinds"],
  ["execute", { register_node: { ...REGISTRATION, enc_pk: b64(new Uint8Array(31)) } }, "enc_pk length"],
  ["execute", { register_node: { ...REGISTRATION, sign_pk: b64([0x04, ...new Array(32).fill(1)]) } }, "uncompressed sign_pk"],
  ["execute", { register_node: { ...REGISTRATION, endpoint: "https://a b" } }, "endpoint with space"],
  ["execute", { register_node: { ...REGISTRATION, evidence: { cpu: {} } } }, "empty cpu"],
  ["execute", { register_node: { ...REGISTRATION, evidence: { cpu: { tdx: { quote: "!!!" } } } } }, "quote not base64"],
  ["execute", { register_node: { ...REGISTRATION, evidence: { ...EVIDENCE_TDX, gpus: {} } } }, "gpus not an array"],
  ["execute", { register_node: { ...REGISTRATION, evidence: { ...EVIDENCE_TDX, extra: 1 } } }, "unknown evidence member"],
  ["query", { node: {} }, "node without id"],
  ["query", { nodes: { limit: -1 } }, "negative limit"],
  ["query", { everything: {} }, "unknown query"],
  ["query", { challenge: { node_id: "n1" } }, "challenge without operator"],
  ["query", { binding: { operator: OPERATOR, node_id: "n1", enc_pk: ENC_PK, sign_pk: SIGN_PK, nonce: "abcd" } }, "short nonce"],
];

describe("registry JSON Schemas", () => {
  it("writes the cosmwasm-schema file set: instantiate, execute, query and one response per query", () => {
    const files = Object.keys(schemas);
    expect(files).toEqual(expect.arrayContaining(["instantiate_msg.json", "execute_msg.json", "query_msg.json", "node_response.json", "verify_evidence_response.json"]));
    const queries = (schemas["query_msg.json"].oneOf as { required: string[] }[]).map((b) => b.required[0]);
    for (const q of queries) expect(files, `response schema for ${q}`).toContain(`${q}_response.json`);
    const executes = (schemas["execute_msg.json"].oneOf as { required: string[] }[]).map((b) => b.required[0]);
    expect(executes.sort()).toEqual(["add_release", "begin_registration", "deregister_node", "exclude", "submit_collateral", "register_node",
      "revoke_release", "set_policy", "set_roots", "transfer_governance", "unexclude", "update_config"].sort());
    for (const [file, doc] of Object.entries(schemas)) {
      expect(doc.$schema, file).toBe("http://json-schema.org/draft-07/schema#");
      expect(typeof doc.title, file).toBe("string");
    }
  });

  it("has no dangling $ref", () => {
    for (const [file, doc] of Object.entries(schemas)) {
      const refs = [...JSON.stringify(doc).matchAll(/"#\/definitions\/([A-Za-z0-9_]+)"/g)].map((m) => m[1]);
      for (const r of refs) expect((doc.definitions as Record<string, unknown> | undefined)?.[r], `${file}: ${r}`).toBeDefined();
    }
  });

  it("matches the committed schema/ directory (regenerate with `npm run schema`)", () => {
    for (const [file, doc] of Object.entries(schemas)) {
      const path = join(ROOT, "schema", file);
      expect(existsSync(path), `${path} exists`).toBe(true);
      expect(readFileSync(path, "utf8"), file).toBe(schemaText(doc));
    }
  });

  it("validates every message the typed client sends", async () => {
    const chain = new RecordingChain();
    const { client } = await RegistryClient.instantiate(chain, OPERATOR, 1, { governance: OPERATOR, max_gpus: 8, policy: { p256_backend: "wasm" }, roots: { intel: null } });
    await exerciseClient(client);
    expect(chain.sent.length).toBeGreaterThan(35);
    for (const { kind, msg } of chain.sent) {
      expect(validate(`${kind === "instantiate" ? "instantiate" : kind}_msg.json`, msg), JSON.stringify(msg).slice(0, 200)).toBeNull();
    }
  });

  it.each(INVALID)("refuses %s message %j (%s)", (kind, msg) => {
    expect(validate(`${kind}_msg.json`, msg)).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// Against the contract's parser

const HAVE_CONTRACT = existsSync(join(ROOT, "contracts", "registry", "contract.ts"));
const HAVE_WASM = existsSync(wasmPath("registry"));
if (HAVE_CONTRACT && !HAVE_WASM) throw new Error("build/registry.wasm is missing: run `npm run build` before the tests");
if (!HAVE_CONTRACT) console.warn("[registry-schema] SKIPPED contract parser checks: contracts/registry/contract.ts does not exist yet");

/** Codes the contract returns when a message does not parse (shape, charset, length). */
const PARSE_CODES = new Set(["UNKNOWN_MESSAGE", "INVALID_MESSAGE", "COLLATERAL_UNSUPPORTED", "INVALID_KEY", "MALFORMED_EVIDENCE", "INVALID_RELEASE", "INVALID_POLICY"]);

describe("registry schemas vs the contract's parser", () => {
  const chain = new EmbeddedChain({ chainId: "schema-1" });
  const governance = chain.address("governance");
  let client: RegistryClient;

  beforeAll(async () => {
    ({ client } = await deployRegistry(chain, governance, new Uint8Array(readFileSync(wasmPath("registry")))));
  });

  async function outcome(kind: "execute" | "query", msg: unknown): Promise<string> {
    try {
      if (kind === "execute") await chain.execute(governance, client.contract, msg);
      else await chain.query(client.contract, msg);
      return "OK";
    } catch (err) {
      return registryErrorCode((err as Error).message) ?? `UNCODED: ${(err as Error).message}`;
    }
  }

  it("gets past the parser with every schema-valid message the client sends", async () => {
    const recorder = new RecordingChain();
    await exerciseClient(new RegistryClient(recorder, "x", governance));
    for (const { kind, msg } of recorder.sent) {
      if (kind === "instantiate") continue;
      expect(validate(`${kind}_msg.json`, msg)).toBeNull();
      const code = await outcome(kind as "execute" | "query", msg);
      // Semantic refusals (fake certificates, no challenge, unknown node, …) are fine here; a parse error is not.
      expect(PARSE_CODES.has(code), `${JSON.stringify(msg).slice(0, 160)} -> ${code}`).toBe(false);
      expect(code.startsWith("UNCODED"), `${JSON.stringify(msg).slice(0, 160)} -> ${code}`).toBe(false);
    }
  });

  it.each(INVALID)("contract refuses %s message %j (%s) at parse time", async (kind, msg) => {
    const code = await outcome(kind, msg);
    expect(PARSE_CODES.has(code), `got ${code}`).toBe(true);
  });

  it("answers queries with responses valid under the response schemas", async () => {
    const checks: Array<[string, unknown]> = [
      ["config", await client.config()],
      ["challenge", await client.challenge("nobody")],
      ["binding", await client.binding({ operator: governance, node_id: "n1", enc_pk: ENC_PK, sign_pk: SIGN_PK, nonce: "00".repeat(32) })],
      ["verify_evidence", await client.verifyEvidence({ evidence: EVIDENCE_TDX })],
      ["nodes", await client.nodes()],
      ["roots", await client.roots()],
      ["policy", await client.policy()],
      ["releases", await client.releases({ include_revoked: true })],
      ["exclusions", await client.exclusions()],
      ["collateral", await client.collateral()],
    ];
    for (const [q, response] of checks) expect(validate(`${q}_response.json`, response), `${q}: ${JSON.stringify(response).slice(0, 300)}`).toBeNull();
  });
});

describe("nvidia_ca collateral: schema and contract agree on a real submission", () => {
  it("a schema-valid nvidia_ca from a device chain is stored, listed, and the listing matches its response schema", async () => {
    const sim = simulateNvidia({ seed: "registry-schema-nvidia-ca" });
    const chain = new EmbeddedChain({ chainId: "schema-nv-1", startTime: Number(TDX_SIM_DEFAULT_AT) });
    const governance = chain.address("governance");
    const { client } = await deployRegistry(chain, governance, new Uint8Array(readFileSync(wasmPath("registry"))), { msg: { roots: { nvidia: sim.root } } });
    const msg = nvidiaCaCollateral(sim.gpus[0].certs);
    expect(validate("execute_msg.json", { submit_collateral: msg })).toBeNull();
    await client.as(chain.address("relayer")).submitCollateral(msg);
    const listed = await client.collateral();
    expect(validate("collateral_response.json", listed)).toBeNull();
    expect(listed.collateral.map((c) => c.kind)).toContain("nvidia_ca");
    // The short evidence forms are the same schema shapes as the full ones.
    const evidence = compactTdxEvidence(new Uint8Array(64).fill(1), sim.gpus.map((g) => ({ report: g.report, certs: g.certs })));
    expect(evidence.gpus![0].certs.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(validate("execute_msg.json", { register_node: { ...REGISTRATION, evidence } })).toBeNull();
  });
});
