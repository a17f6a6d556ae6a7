// Compact TDX collateral records (assembly/tdx/compact-*.ts), one per (roots version, FMSPC, PCK CA
// kind): computed whenever a TDX collateral piece is stored, from the stored pieces as registration
// would splice them, so registration verifies a quote against a ~3 KB binary record instead of
// re-parsing ~16 KB of JSON, hex and PEM. The verdict is the same as with the JSON bundle (tested in
// tests/tdx-compact.test.ts); when no current record exists (a piece missing or out of its window at
// submission, roots changed since) registration uses the JSON bundle as before.
import { tdxCollateralRecord } from "../../assembly/tdx/api-compact";
import { StorageMap } from "../std/storage";
import { COLLATERAL, Roots } from "./state";
import { tdxBundle, rootDer } from "./collateral";

export const TDX_RECORDS = new StorageMap("tdx_record");
const PCK_CA_KINDS: StaticArray<string> = ["processor", "platform"];
const TCB_INFO_PREFIX = "tdx_tcb_info:";
/** FMSPCs re-derived per submission of a shared piece (root CRL, QE identity, PCK CRL). */
const MAX_PLATFORMS: i32 = 256;
const RECORD_MAGIC_0: u8 = 0x54; // 'T' of "TDXC"; a failure verdict starts with '{'

function recordKey(roots: Roots, fmspc: string, ca: string): string { return roots.version.toString() + ":" + fmspc + ":" + ca; }

function refreshOne(roots: Roots, fmspc: string, ca: string, at: i64): void {
  const key = recordKey(roots, fmspc, ca);
  const bundle = tdxBundle(fmspc, ca);
  if (!bundle.ok) { TDX_RECORDS.removeStr(key); return; }
  // The pieces were each verified (signatures included) when submitted: trusted, as registration does.
  const record = tdxCollateralRecord(bundle.json, rootDer(roots.intel), at, true);
  if (record.length > 0 && record[0] == RECORD_MAGIC_0) TDX_RECORDS.setStr(key, record);
  else TDX_RECORDS.removeStr(key);
}

/** After storing a TDX piece of `kind` (key = FMSPC for TCB info): recomputes the affected records. */
export function refreshTdxRecords(kind: string, key: string, roots: Roots, at: i64): void {
  if (kind == "tdx_tcb_info") {
    for (let i = 0; i < PCK_CA_KINDS.length; i++) refreshOne(roots, key, PCK_CA_KINDS[i], at);
    return;
  }
  if (kind != "qe_identity" && kind != "pck_crl" && kind != "root_crl") return;
  const keys = COLLATERAL.keys(4096);
  let platforms = 0;
  for (let i = 0; i < keys.length && platforms < MAX_PLATFORMS; i++) {
    const k = String.UTF8.decode(keys[i].buffer);
    if (!k.startsWith(TCB_INFO_PREFIX)) continue;
    platforms++;
    const fmspc = k.substring(TCB_INFO_PREFIX.length);
    for (let j = 0; j < PCK_CA_KINDS.length; j++) {
      if (kind == "pck_crl" && PCK_CA_KINDS[j] != key) continue;
      refreshOne(roots, fmspc, PCK_CA_KINDS[j], at);
    }
  }
}

/** The current record for a platform, or null (use the JSON bundle). */
export function tdxRecord(roots: Roots, fmspc: string, ca: string): Uint8Array | null {
  return TDX_RECORDS.getStr(recordKey(roots, fmspc, ca));
}

