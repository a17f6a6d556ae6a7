// Shared by the TDX suites: the real-evidence fixtures of ../shared/fixtures/tdx (cases.json), loaded
// without copying anything into the repository. With CI set, missing fixtures fail the run; elsewhere
// the suites skip with a message saying so.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = process.env.TEE_ATTEST_FIXTURES ?? join(__dirname, "..", "..", "..", "shared", "fixtures");
export const TDX_DIR = join(FIXTURES, "tdx");
export const HAVE_TDX_FIXTURES = existsSync(join(TDX_DIR, "cases.json"));

if (!HAVE_TDX_FIXTURES) {
  if (process.env.CI) throw new Error(`TDX fixtures missing at ${TDX_DIR} (set TEE_ATTEST_FIXTURES); CI requires them`);
  console.warn(`SKIPPED: TDX real-evidence suites — no fixtures at ${TDX_DIR} (set TEE_ATTEST_FIXTURES)`);
}

export interface TdxCase {
  name: string;
  quote: string;
  collateral: string;
  root_ca: string;
  time: number;
  time_iso: string;
  expect: { ok: boolean; status?: string; advisory_ids?: string[]; error_class?: string };
  note?: string;
}

export function loadCases(): TdxCase[] {
  return HAVE_TDX_FIXTURES ? (JSON.parse(readFileSync(join(TDX_DIR, "cases.json"), "utf8")) as TdxCase[]) : [];
}

/** Quote bytes: binary, or hex text (optionally 0x-prefixed) for .hex / .txt files. */
export function loadQuote(path: string): Uint8Array {
  const bytes = readFileSync(join(TDX_DIR, path));
  if (!path.endsWith(".hex") && !path.endsWith(".txt")) return new Uint8Array(bytes);
  const text = bytes.toString("utf8").trim().replace(/^0x/, "");
  return new Uint8Array(Buffer.from(text, "hex"));
}

export function loadText(path: string): string {
  return readFileSync(join(TDX_DIR, path), "utf8");
}

export function loadBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(TDX_DIR, path)));
}

/** The pinned Intel root is the default: pass a root only when the case uses another one. */
export function rootFor(c: TdxCase): Uint8Array | undefined {
  return c.root_ca === "dcap-qvl/TrustedRootCA.der" ? undefined : loadBytes(c.root_ca);
}

/** cases.json error classes -> our stable codes. */
export const ERROR_CLASS_TO_CODE: Record<string, string> = {
  collateral_expired: "COLLATERAL_EXPIRED",
  collateral_not_yet_valid: "COLLATERAL_NOT_YET_VALID",
  untrusted_root: "UNTRUSTED_ROOT",
  tcb_level_not_found: "TCB_LEVEL_NOT_FOUND",
  qe_identity_mismatch: "QE_IDENTITY_MISMATCH",
  quote_signature_invalid: "QUOTE_SIGNATURE_INVALID",
  qe_report_signature_invalid: "QE_REPORT_SIGNATURE_INVALID",
  qe_report_data_mismatch_or_invalid_attestation_key: "QE_REPORT_DATA_MISMATCH",
  decode_error: "MALFORMED_QUOTE",
  tcb_info_signature_invalid: "TCB_INFO_SIGNATURE_INVALID",
  qe_identity_signature_invalid: "QE_IDENTITY_SIGNATURE_INVALID",
};
