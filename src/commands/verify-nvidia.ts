// `tee-attest verify nvidia`: verifies NVIDIA GPU / NVSwitch attestation evidence against the pinned
// NVIDIA Device Identity CA (or --root, e.g. the simulator's test root). Input is either one raw report
// (--report: binary, hex or base64) with its PEM chain (--certs), or a JSON evidence file given as
// --report / --evidence in any shape NVIDIA tooling emits (nvtrust / NVAT / NRAS list, NEAR AI payload
// or report, go-nvattest-tools dump, ours), in which case all devices are verified as one node.
// Exit 0 verified, 1 rejected, 2 usage error or unreadable input (a file that is not evidence at all).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { readEvidence, parseAt, UsageError } from "./input";
import {
  verifyNvidia, normalizeNvidiaEvidence, verifyNvidiaNode, type NvidiaVerdict, type NvidiaDeviceClaims, type NvidiaNodeClaims,
  type NvidiaPolicy, type NvidiaGolden, type NvidiaOptions,
} from "../wasm/nvidia";

interface NvidiaCliOptions {
  report?: string; evidence?: string; certs?: string; nonce?: string; golden?: string; policy?: string; root?: string; at?: string; json?: boolean;
}

/** Verdict codes meaning "this file is not that kind of object at all", i.e. unreadable input: not an
 * SPDM GET_MEASUREMENTS exchange, not PEM, not evidence/policy/golden JSON. A report that is an SPDM
 * exchange but breaks a rule (lying lengths, bad TLVs) is rejected (1). */
const UNREADABLE = new Set([
  "MALFORMED_REPORT", "MALFORMED_SPDM_REQUEST", "MALFORMED_CERT_CHAIN", "MALFORMED_EVIDENCE", "MALFORMED_POLICY", "MALFORMED_GOLDEN",
  "MALFORMED_ROOT", "MALFORMED_NONCE",
]);

function readText(path: string, what: string): string {
  try { return readFileSync(path, "utf8"); } catch (err) { throw new UsageError(`cannot read ${what} ${path}: ${(err as Error).message}`); }
}

function readJson<T>(path: string, what: string): T {
  try { return JSON.parse(readText(path, what)) as T; } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${what} ${path}: not JSON`);
  }
}

/** The file as JSON evidence if it is JSON text, else null (a raw report). */
function jsonEvidence(path: string): unknown | null {
  let raw: Buffer;
  try { raw = readFileSync(path); } catch (err) { throw new UsageError(`cannot read ${path}: ${(err as Error).message}`); }
  const text = raw.toString("utf8").trim();
  if (!text.startsWith("{") && !text.startsWith("[") && !text.startsWith("\"")) return null;
  try { return JSON.parse(text); } catch { throw new UsageError(`${path}: looks like JSON but does not parse`); }
}

function options(o: NvidiaCliOptions): NvidiaOptions {
  if (o.nonce !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(o.nonce)) throw new UsageError("--nonce must be 32 bytes in hex (64 digits)");
  const policy: NvidiaPolicy = o.policy !== undefined ? readJson<NvidiaPolicy>(o.policy, "--policy") : {};
  if (o.root !== undefined) policy.root_pem = readText(o.root, "--root");
  return {
    nonce: o.nonce, at: parseAt(o.at), policy,
    golden: o.golden !== undefined ? readJson<NvidiaGolden | NvidiaGolden[]>(o.golden, "--golden") : undefined,
  };
}

function deviceLine(c: NvidiaDeviceClaims): string {
  const versions = c.device === "gpu" ? `driver ${c.driver_version}, VBIOS ${c.vbios_version}, mode ${c.mode}` : `firmware ${c.vbios_version}`;
  const golden = c.golden ? `, golden ${c.golden.compared} indices (${c.golden.rim_id})` : "";
  return `  ${c.device === "gpu" ? "GPU     " : "NVSwitch"} ${c.chip} ueid ${c.ueid} serial ${c.device_serial}: ${versions}, FWID ${c.fwid_checked ? "bound" : "not sent"}${golden}`;
}

function describe(v: NvidiaVerdict<NvidiaDeviceClaims | NvidiaNodeClaims>): string {
  if (!v.ok || !v.claims) {
    const e = v.error!;
    return `rejected: ${e.code}${e.device ? ` (${e.device})` : ""}: ${e.message}${e.indices?.length ? ` [RIM indices ${e.indices.join(", ")}]` : ""}`;
  }
  const status = v.status === "Verified" ? "verified" : "verified (incomplete: no expected nonce or no golden measurements given)";
  const claims = v.claims;
  const lines = [`${status}: NVIDIA, ${v.p384_verifications} P-384 verifications`];
  if ("gpus" in claims) {
    lines.push(`  node: ${claims.gpu_count} ${claims.arch} GPU(s), ${claims.switch_count} NVSwitch(es), mode ${claims.mode}, topology ${claims.topology_checked ? "checked" : "not checked"}`);
    lines.push(`  nonce ${claims.nonce}`);
    for (const d of [...claims.gpus, ...claims.switches]) lines.push(deviceLine(d));
  } else {
    lines.push(`  nonce ${claims.nonce}${claims.nonce_checked ? "" : " (not checked)"}`);
    lines.push(deviceLine(claims));
    if (claims.driver_rim_id) lines.push(`  RIMs ${claims.driver_rim_id}, ${claims.vbios_rim_id}`);
  }
  return lines.join("\n");
}

export function runVerifyNvidia(o: NvidiaCliOptions): number {
  const input = o.evidence ?? o.report;
  if (input === undefined) throw new UsageError("give --report (with --certs) or --evidence");
  if (o.evidence !== undefined && o.report !== undefined) throw new UsageError("give either --report or --evidence, not both");
  const opts = options(o);
  const json = jsonEvidence(input);
  let verdict: NvidiaVerdict<NvidiaDeviceClaims | NvidiaNodeClaims>;
  if (json !== null) {
    if (o.certs !== undefined) throw new UsageError("--certs is only for a raw report; JSON evidence carries its chains");
    let node;
    try { node = normalizeNvidiaEvidence(json); } catch (err) { throw new UsageError(`${input}: ${(err as Error).message}`); }
    verdict = verifyNvidiaNode(node, opts);
  } else {
    if (o.evidence !== undefined) throw new UsageError(`--evidence ${input}: not JSON evidence`);
    if (o.certs === undefined) throw new UsageError("--certs CHAIN.pem is required with a raw --report");
    verdict = verifyNvidia(readEvidence(input), readText(o.certs, "--certs"), opts);
  }
  console.log(o.json ? JSON.stringify(verdict, null, 2) : describe(verdict));
  if (verdict.ok) return 0;
  return UNREADABLE.has(verdict.error!.code) ? 2 : 1;
}

export function registerNvidia(verify: Command): void {
  verify
    .command("nvidia")
    .description("verify NVIDIA GPU / NVSwitch attestation evidence (Hopper, Blackwell, LS10; one report or a node)")
    .option("--report <file>", "a raw SPDM report (binary, hex or base64) or a JSON evidence file")
    .option("--evidence <file>", "JSON evidence: NVIDIA's [{arch, nonce, evidence, certificate}] list, NEAR AI payload/report, …")
    .option("--certs <file>", "the report's PEM certificate chain (leaf, BROM, ICA, Identity, root)")
    .option("--nonce <hex>", "expected 32-byte nonce (64 hex digits); every report must answer it")
    .option("--golden <file>", "golden measurements JSON (one entry or a list; from `tee-attest rim extract`)")
    .option("--policy <file>", "policy JSON (require_fwid, allowed_modes, min_driver_version, revoked_serials, …)")
    .option("--root <file>", "trust this root certificate (PEM) instead of the pinned NVIDIA Device Identity CA")
    .option("--at <unix>", "verification time (UNIX seconds or ISO date); default now")
    .option("--json", "print the verdict JSON")
    .action((opts: NvidiaCliOptions) => { process.exitCode = runVerifyNvidia(opts); });
}
