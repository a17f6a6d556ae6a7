// Intel TDX (and SGX v3) quote verification reachable from JS (src/wasm/tdx.ts). Every function takes
// (pointer, length) pairs of inputs written with alloc() and returns a blob of JSON; `at` is Unix
// seconds (i64, a BigInt on the JS side). See assembly/tdx/api.ts.
import { input, blob } from "../abi";
import { verifyTdx, verifyTdxCollateral, parseTdxQuote } from "../tdx/api";
import { evaluateTdxUnverified } from "../tdx/debug";
import { tdxCollateralRecord, verifyTdxCompact } from "../tdx/api-compact";

/** Verdict JSON for a quote, QuoteCollateralV3 JSON, root (empty = Intel SGX Root CA) and policy JSON
 * (empty = strict defaults). */
export function tdx_verify(quotePtr: usize, quoteLen: u32, collPtr: usize, collLen: u32, rootPtr: usize, rootLen: u32,
  at: i64, policyPtr: usize, policyLen: u32): usize {
  return blob(verifyTdx(input(quotePtr, quoteLen), input(collPtr, collLen), input(rootPtr, rootLen), at, input(policyPtr, policyLen), false));
}

/** As tdx_verify, for collateral this verifier already verified (signature checks skipped). */
export function tdx_verify_trusted_collateral(quotePtr: usize, quoteLen: u32, collPtr: usize, collLen: u32, rootPtr: usize,
  rootLen: u32, at: i64, policyPtr: usize, policyLen: u32): usize {
  return blob(verifyTdx(input(quotePtr, quoteLen), input(collPtr, collLen), input(rootPtr, rootLen), at, input(policyPtr, policyLen), true));
}

/** Collateral verification alone: {"ok":true,"fmspc":…,"valid_from":…,"valid_until":…,…} or an error. */
export function tdx_verify_collateral(collPtr: usize, collLen: u32, rootPtr: usize, rootLen: u32, at: i64): usize {
  return blob(verifyTdxCollateral(input(collPtr, collLen), input(rootPtr, rootLen), at));
}

/** The parsed quote (unverified), for debugging. */
export function tdx_parse(quotePtr: usize, quoteLen: u32): usize {
  return blob(parseTdxQuote(input(quotePtr, quoteLen)));
}

/** Intel's TCB evaluation with every signature check skipped ("verified": false), for debugging. */
export function tdx_evaluate_unverified(quotePtr: usize, quoteLen: u32, collPtr: usize, collLen: u32, rootPtr: usize,
  rootLen: u32, at: i64): usize {
  return blob(evaluateTdxUnverified(input(quotePtr, quoteLen), input(collPtr, collLen), input(rootPtr, rootLen), at));
}

/** Verifies collateral and returns its compact binary record ("TDXC"…), or failure Verdict JSON ("{"…). */
export function tdx_collateral_record(collPtr: usize, collLen: u32, rootPtr: usize, rootLen: u32, at: i64): usize {
  return blob(tdxCollateralRecord(input(collPtr, collLen), input(rootPtr, rootLen), at));
}

/** As tdx_verify, against a compact collateral record instead of the JSON collateral; `leafOnly` != 0
 * completes a quote chain of the PCK leaf alone with the record's PCK CRL issuer chain. */
export function tdx_verify_compact(quotePtr: usize, quoteLen: u32, recPtr: usize, recLen: u32, rootPtr: usize, rootLen: u32,
  at: i64, policyPtr: usize, policyLen: u32, leafOnly: u32): usize {
  return blob(verifyTdxCompact(input(quotePtr, quoteLen), input(recPtr, recLen), input(rootPtr, rootLen), at, input(policyPtr, policyLen), leafOnly != 0));
}
