// Binds a verified VCEK/VLEK to the report it is supposed to have signed (spec snp.md §3.3):
// - SIGNING_KEY in the report names the certificate's kind (VCEK 0, VLEK 1; TEE-Attestation-Verification
//   #142: a VLEK passed as VCEK must not skip the chip-id check);
// - the certificate's TCB extensions equal REPORTED_TCB byte for byte (not CURRENT_TCB: go-sev-guest #72),
//   in the product's layout (Turin adds fmcSPL and uses structVersion 1);
// - a VCEK's hwID equals CHIP_ID (all 64 bytes; on Turin the first 8 with the rest zero);
// - productName names the chain's product line. Only the line ("Milan" of "Milan-B0"): KDS gets the
//   stepping wrong (go-sev-guest #115/#152), and the product itself was already proven by the chain.
// The signature itself is checked afterwards by verify.ts.
import { SnpError, bindingError, SIGNING_KEY_MISMATCH, VCEK_EXTENSION_MISSING, VCEK_TCB_MISMATCH, CHIP_ID_MISMATCH,
  PRODUCT_MISMATCH } from "./errors";
import { SnpReport, SIGNING_KEY_VLEK, OFF_CHIP_ID, CHIP_ID_SIZE } from "./report";
import { KdsExtensions, SPL_BL, SPL_TEE, SPL_SNP, SPL_4, SPL_7, SPL_UCODE, SPL_FMC } from "./vcek";
import { Tcb, tcbFromParts, tcbRawEqual, tcbToString, usesTurinLayout, productName } from "./tcb";
import { hexEncode } from "../encoding/hex";

/** KDS structVersion per layout. */
const STRUCT_VERSION_LEGACY: i32 = 0;
const STRUCT_VERSION_TURIN: i32 = 1;
/** Turin hwIDs are the first 8 bytes of CHIP_ID (KDS rejects the full 64, microsoft/CCF #7499). */
const TURIN_HW_ID_SIZE: i32 = 8;

function checkKind(report: SnpReport, vlek: bool, x: KdsExtensions): SnpError | null {
  const reportVlek = report.signingKey == SIGNING_KEY_VLEK;
  if (reportVlek != vlek) {
    return bindingError(SIGNING_KEY_MISMATCH, "report SIGNING_KEY says " + (reportVlek ? "VLEK" : "VCEK") + " but the certificate is a " + (vlek ? "VLEK" : "VCEK"));
  }
  if (vlek) {
    if (x.hwId !== null) return bindingError(SIGNING_KEY_MISMATCH, "a VLEK must not carry a hwID");
    if (x.cspId === null) return bindingError(VCEK_EXTENSION_MISSING, "the VLEK has no cspID");
  } else {
    if (x.cspId !== null) return bindingError(SIGNING_KEY_MISMATCH, "a VCEK must not carry a cspID");
    if (x.hwId === null) return bindingError(VCEK_EXTENSION_MISSING, "the VCEK has no hwID");
  }
  return null;
}

/** The certificate's TCB in the product's layout, or an error when SPLs are missing or misplaced. */
class CertTcb { tcb: Tcb | null = null; error: SnpError | null = null; }

function certTcb(x: KdsExtensions, product: i32): CertTcb {
  const out = new CertTcb();
  const turin = usesTurinLayout(product);
  const wantVersion = turin ? STRUCT_VERSION_TURIN : STRUCT_VERSION_LEGACY;
  if (x.structVersion < 0) { out.error = bindingError(VCEK_EXTENSION_MISSING, "no structVersion extension"); return out; }
  if (x.structVersion != wantVersion) {
    out.error = bindingError(VCEK_TCB_MISMATCH, "structVersion " + x.structVersion.toString() + " does not match " + productName(product));
    return out;
  }
  const spl = x.spl;
  if (spl[SPL_BL] < 0 || spl[SPL_TEE] < 0 || spl[SPL_SNP] < 0 || spl[SPL_UCODE] < 0 || (turin && spl[SPL_FMC] < 0)) {
    out.error = bindingError(VCEK_EXTENSION_MISSING, "a TCB SPL extension is missing");
    return out;
  }
  if (!turin && spl[SPL_FMC] >= 0) { out.error = bindingError(VCEK_TCB_MISMATCH, "fmcSPL on a " + productName(product) + " certificate"); return out; }
  // SPL4-SPL7 are the reserved bytes 2..5 of the Milan/Genoa layout; Turin has no place for them.
  const reserved = new StaticArray<i32>(4);
  for (let i = SPL_4; i <= SPL_7; i++) {
    const v = spl[i] < 0 ? 0 : spl[i];
    if (turin && v != 0) { out.error = bindingError(VCEK_TCB_MISMATCH, "non-zero spl" + i.toString() + " on a Turin certificate"); return out; }
    reserved[i - SPL_4] = v;
  }
  out.tcb = tcbFromParts(product, turin ? spl[SPL_FMC] : 0, spl[SPL_BL], spl[SPL_TEE], spl[SPL_SNP], spl[SPL_UCODE], reserved);
  return out;
}

function checkChipId(report: SnpReport, product: i32, hwId: Uint8Array): SnpError | null {
  const data = report.raw;
  if (report.allBytes(OFF_CHIP_ID, CHIP_ID_SIZE, 0)) {
    // MASK_CHIP_ID: accepting it would let a host hide its chip from exclusion lists.
    return bindingError(CHIP_ID_MISMATCH, "CHIP_ID is masked (all zero), so the VCEK's hwID cannot be bound");
  }
  const size = usesTurinLayout(product) ? TURIN_HW_ID_SIZE : CHIP_ID_SIZE;
  let same = hwId.length == size;
  for (let i = 0; same && i < size; i++) same = data[OFF_CHIP_ID + i] == hwId[i];
  for (let i = size; same && i < CHIP_ID_SIZE; i++) same = data[OFF_CHIP_ID + i] == 0;
  if (!same) return bindingError(CHIP_ID_MISMATCH, "VCEK hwID " + hexEncode(hwId) + " does not match the report's CHIP_ID");
  return null;
}

function checkProductName(x: KdsExtensions, product: i32): SnpError | null {
  const name = x.productName;
  if (name === null) return bindingError(VCEK_EXTENSION_MISSING, "no productName extension");
  const dash = name.indexOf("-");
  const line = dash < 0 ? name : name.substring(0, dash);
  if (line != productName(product)) return bindingError(PRODUCT_MISMATCH, "productName '" + name + "' on a " + productName(product) + " chain");
  return null;
}

/** Checks every binding between the endorsement certificate (`x`, of kind `vlek`) and the report. */
export function checkBinding(report: SnpReport, product: i32, vlek: bool, x: KdsExtensions): SnpError | null {
  const kind = checkKind(report, vlek, x);
  if (kind !== null) return kind;
  const name = checkProductName(x, product);
  if (name !== null) return name;
  const cert = certTcb(x, product);
  if (cert.error !== null) return cert.error;
  const expected = cert.tcb!;
  const reported = report.reportedTcb(product);
  if (!tcbRawEqual(expected, reported)) {
    return bindingError(VCEK_TCB_MISMATCH, "reported TCB " + tcbToString(reported) + " (" + hexEncode(reported.raw) + ") but the " +
      (vlek ? "VLEK" : "VCEK") + " says " + tcbToString(expected) + " (" + hexEncode(expected.raw) + ")");
  }
  return vlek ? null : checkChipId(report, product, x.hwId!);
}
