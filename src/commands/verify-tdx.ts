// `tee-attest verify tdx`: verifies an Intel TDX quote (v4/v5; SGX v3 too) with its collateral in the
// QuoteCollateralV3 JSON shape against the pinned Intel SGX Root CA (or --root, e.g. the simulator's),
// at --at (default now), under the strict default policy or --policy. Exit 0 verified, 1 rejected,
// 2 usage error or unreadable input (a file that cannot be read, collateral that is not JSON, a root
// or policy the verifier cannot use). A quote that parses badly is evidence, so it is rejected (1).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { readEvidence, parseAt, UsageError } from "./input";
import { verifyTdx, type TdxVerdict, type TdxPolicy } from "../tdx";

interface TdxCliOptions { quote: string; collateral: string; root?: string; at?: string; policy?: string; json?: boolean }

/** Verdict codes that mean the caller's own input (not the evidence) is unusable. */
const UNUSABLE_INPUT = new Set(["MALFORMED_ROOT", "MALFORMED_POLICY"]);

function readText(path: string, what: string): string {
  try { return readFileSync(path, "utf8"); } catch (err) { throw new UsageError(`${what} ${path}: ${(err as Error).message}`); }
}

function readJson(path: string, what: string): string {
  const text = readText(path, what);
  try { JSON.parse(text); } catch { throw new UsageError(`${what} ${path}: not JSON`); }
  return text;
}

function describe(v: TdxVerdict): string {
  const c = v.claims;
  if (v.ok && c) {
    const lines = [`verified: ${v.tee === "tdx" ? "TDX" : "SGX"} quote v${c.quote_version} (body type ${c.body_type}), TCB ${v.status}` +
      (v.advisory_ids.length ? ` (advisories: ${v.advisory_ids.join(", ")})` : "")];
    const field = (name: string, value: string | number | undefined) => { if (value !== undefined) lines.push(`  ${name.padEnd(14)}${value}`); };
    if (v.tee === "tdx") {
      field("mrtd", c.mrtd); field("rtmr0", c.rtmr0); field("rtmr1", c.rtmr1); field("rtmr2", c.rtmr2); field("rtmr3", c.rtmr3);
      field("td_attributes", c.td_attributes); field("tee_tcb_svn", c.tee_tcb_svn);
    } else {
      field("mrenclave", c.mrenclave); field("mrsigner", c.mrsigner);
    }
    field("report_data", c.report_data); field("fmspc", c.fmspc);
    field("valid until", c.collateral_valid_until);
    return lines.join("\n");
  }
  const status = v.status ? ` (Intel TCB status ${v.status})` : "";
  return `rejected: ${v.error!.code}: ${v.error!.message}${status}`;
}

export function runVerifyTdx(o: TdxCliOptions): number {
  const quote = readEvidence(o.quote);
  if (quote.length === 0) throw new UsageError(`--quote ${o.quote}: empty file`);
  const collateral = readJson(o.collateral, "--collateral");
  const policy = o.policy !== undefined ? (JSON.parse(readJson(o.policy, "--policy")) as TdxPolicy) : undefined;
  const root = o.root !== undefined ? readEvidence(o.root) : undefined;
  const verdict = verifyTdx(quote, collateral, { root, at: parseAt(o.at), policy });
  if (!verdict.ok && UNUSABLE_INPUT.has(verdict.error!.code)) throw new UsageError(verdict.error!.message);
  console.log(o.json ? JSON.stringify(verdict, null, 2) : describe(verdict));
  return verdict.ok ? 0 : 1;
}

export function registerTdx(verify: Command): void {
  verify
    .command("tdx")
    .description("verify an Intel TDX quote (v4/v5; SGX v3) with its collateral (Intel's algorithm, then the policy)")
    .requiredOption("--quote <file>", "the quote (binary, hex with or without 0x, or base64)")
    .requiredOption("--collateral <file>", "collateral JSON in the QuoteCollateralV3 shape (dcap-qvl / Intel PCCS)")
    .option("--root <file>", "trust this root (DER/PEM certificate or P-256 key) instead of the Intel SGX Root CA")
    .option("--at <unix>", "verification time (UNIX seconds or ISO date); default now")
    .option("--policy <file>", "policy JSON (accepted_statuses, allowed_advisories, allow_debug, …)")
    .option("--json", "print the verdict JSON")
    .action((opts: TdxCliOptions) => { process.exitCode = runVerifyTdx(opts); });
}
