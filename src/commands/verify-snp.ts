// `tee-attest verify snp`: verifies an AMD SEV-SNP attestation report with its VCEK/VLEK against AMD's
// pinned roots (or roots given with --root, e.g. the simulator's test ARK), optionally with the ASK/ARK
// chain, AMD CRLs and a policy file. Exit 0 verified, 1 rejected, 2 usage error or unreadable input:
// a file that is not a report, certificate, CRL or policy at all (wrong report length, undecodable DER/PEM)
// is unreadable input (2); a well-formed report with bad content (reserved bits, version) is rejected (1).
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import type { Command } from "commander";
import { readEvidence, parseAt, UsageError } from "./input";
import { verifySnp, type SnpVerdict, type SnpPolicy, type SnpVerifyOptions } from "../wasm/snp";

interface SnpCliOptions { report: string; vcek: string; chain?: string; crl?: string; at?: string; policy?: string; root?: string[]; json?: boolean }

/** Verdict codes meaning "this file is not that kind of object", i.e. unreadable input. */
const UNREADABLE = new Set(["MALFORMED_REPORT_LENGTH", "MALFORMED_VCEK", "MALFORMED_CHAIN", "MALFORMED_CRL", "MALFORMED_POLICY"]);

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** --root files (PEM or DER ARKs); the product comes from each ARK's subject CN (ARK-Milan, …). */
function readRoots(paths: string[]): SnpVerifyOptions["roots"] {
  const roots: NonNullable<SnpVerifyOptions["roots"]> = {};
  for (const path of paths) {
    const bytes = readEvidence(path);
    const blocks = Buffer.from(bytes).toString("latin1").match(PEM_CERT) ?? [Buffer.from(bytes)];
    for (const block of blocks) {
      let cert: X509Certificate;
      try { cert = new X509Certificate(block); } catch { throw new UsageError(`--root ${path}: not an X.509 certificate`); }
      const product = /CN=ARK-(Milan|Genoa|Turin)/.exec(cert.subject)?.[1];
      if (!product) continue; // ASKs in a bundle are not roots
      roots[product.toLowerCase() as "milan" | "genoa" | "turin"] = new Uint8Array(cert.raw);
    }
  }
  if (Object.keys(roots).length === 0) throw new UsageError("--root: no ARK-Milan/Genoa/Turin certificate found");
  return roots;
}

function readPolicy(path: string): SnpPolicy {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (err) { throw new UsageError(`cannot read ${path}: ${(err as Error).message}`); }
  try { return JSON.parse(text) as SnpPolicy; } catch { throw new UsageError(`--policy ${path}: not JSON`); }
}

function describe(v: SnpVerdict): string {
  const c = v.claims;
  if (v.ok && c) {
    const t = c.reported_tcb;
    const tcb = `${t.fmc !== undefined ? `fmc=${t.fmc} ` : ""}bl=${t.bl} tee=${t.tee} snp=${t.snp} ucode=${t.ucode}`;
    return [`verified: SEV-SNP ${c.product} report v${c.version} signed by a ${c.signing_key}`, `  measurement  ${c.measurement}`,
      `  report_data  ${c.report_data}`, `  host_data    ${c.host_data}`, `  chip_id      ${c.chip_id}`, `  reported TCB ${tcb}`,
      `  vmpl ${c.vmpl}, firmware ${c.current_version}`].join("\n");
  }
  return `rejected: ${v.error!.code} (${v.error!.stage}): ${v.error!.message}`;
}

export function runVerifySnp(o: SnpCliOptions): number {
  const report = readEvidence(o.report);
  const verdict = verifySnp(report, readEvidence(o.vcek), {
    chain: o.chain !== undefined ? readEvidence(o.chain) : undefined,
    crl: o.crl !== undefined ? readEvidence(o.crl) : undefined,
    at: parseAt(o.at),
    policy: o.policy !== undefined ? readPolicy(o.policy) : undefined,
    roots: o.root && o.root.length ? readRoots(o.root) : undefined,
  });
  console.log(o.json ? JSON.stringify(verdict, null, 2) : describe(verdict));
  if (verdict.ok) return 0;
  return UNREADABLE.has(verdict.error!.code) ? 2 : 1;
}

export function registerSnp(verify: Command): void {
  verify
    .command("snp")
    .description("verify an AMD SEV-SNP attestation report (Milan, Genoa, Turin; VCEK or VLEK)")
    .requiredOption("--report <file>", "the 1184-byte report (binary, hex or base64)")
    .requiredOption("--vcek <file>", "the VCEK/VLEK certificate (DER or PEM; a PEM may also carry the ASK and ARK)")
    .option("--chain <file>", "ASK/ASVK and ARK (PEM or DER); default: AMD's pinned intermediates")
    .option("--crl <file>", "AMD CRL(s) from KDS (PEM or DER)")
    .option("--at <unix>", "verification time (UNIX seconds or ISO date); default now")
    .option("--policy <file>", "policy JSON (allow_debug, allowed_vmpls, min_tcb, measurements, …)")
    .option("--root <file...>", "trust these ARK certificates instead of AMD's (e.g. a test PKI)")
    .option("--json", "print the verdict JSON")
    .action((opts: SnpCliOptions) => { process.exitCode = runVerifySnp(opts); });
}
