// Entry points for the compact collateral record (compact-write.ts / compact-read.ts): verify
// QuoteCollateralV3 JSON once (exactly as verifyTdxCollateral does) and keep the binary record, then
// verify quotes against the record instead of re-parsing the JSON, PEM chains and CRLs every time.
// The verdicts are those of verifyTdx with the same collateral (tests/tdx-compact.test.ts).
import { bytesEqual } from "../encoding/bytes";
import { TdxError, fail, MALFORMED_COLLATERAL, UNTRUSTED_ROOT } from "./errors";
import { parseQuote, quoteError } from "./quote";
import { checkCollateralTime } from "./collateral";
import { rootKeyFrom } from "./roots";
import { parsePolicy } from "./policy";
import { failureJson } from "./verdict";
import { loadCollateral, verdictFor } from "./api";
import { writeCompactRecord } from "./compact-write";
import { readCompactRecord } from "./compact-read";

/** Verifies collateral (signatures included) at `at` and returns its compact record; on failure the
 * failure Verdict JSON (which starts with '{', a record starts with "TDXC"). */
export function tdxCollateralRecord(collateral: Uint8Array, root: Uint8Array, at: i64, trusted: bool = false): Uint8Array {
  const error = new Array<TdxError>();
  const vc = loadCollateral(collateral, root, at, trusted, error);
  if (vc === null) return failureJson(error[0], "tdx");
  const record = writeCompactRecord(vc);
  if (record === null) return failureJson(fail(MALFORMED_COLLATERAL, "the collateral does not fit a compact record"), "tdx");
  return record;
}

function teeOf(quote: Uint8Array): string { return quote.length > 4 && quote[4] == 0 ? "sgx" : "tdx"; }

/** As verifyTdx, with a compact record (from tdxCollateralRecord) in place of the JSON collateral.
 * `root` (empty = Intel's pinned key) must be the key the record was verified under. With `leafOnly`, a
 * quote carrying only its PCK leaf is verified as if its chain were leaf + the collateral's PCK CRL
 * issuer chain (what the registry does for trimmed quotes). */
export function verifyTdxCompact(quoteBytes: Uint8Array, record: Uint8Array, root: Uint8Array, at: i64, policyBytes: Uint8Array, leafOnly: bool = false): Uint8Array {
  const tee = teeOf(quoteBytes);
  const policy = parsePolicy(policyBytes);
  if (policy.failed) return failureJson(policy.err, tee);
  const quote = parseQuote(quoteBytes);
  if (quote === null) return failureJson(changetype<TdxError>(quoteError), tee);
  const key = rootKeyFrom(root);
  if (key.failed) return failureJson(key.err, tee);
  const read = readCompactRecord(record);
  if (read.failed) return failureJson(read.err, tee);
  const vc = read.ok;
  vc.leafOnly = leafOnly;
  if (!bytesEqual(vc.rootKey, key.ok)) return failureJson(fail(UNTRUSTED_ROOT, "the collateral record was verified under another root key"), tee);
  const late = checkCollateralTime(vc, at);
  if (late !== null) return failureJson(late, tee);
  return verdictFor(quote, vc, at, policy.ok);
}
