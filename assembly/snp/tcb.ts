// SEV-SNP products and TCB_VERSION decoding (spec snp.md §1.2).
//
// A TCB_VERSION is 8 bytes whose layout depends on the product: Milan and Genoa (KDS structVersion 0)
// put the SNP SPL in byte 6, Turin (structVersion 1) adds an FMC SPL in byte 0 and moves the others
// down. Decoding with the wrong layout silently swaps components (virtee/snphost #125), so the product
// must be known first (CPUID on v3+, the verifying chain on v2). Components are independent security
// version numbers: compare them one by one, never as one integer.

export const PRODUCT_UNKNOWN: i32 = 0;
export const PRODUCT_MILAN: i32 = 1;
export const PRODUCT_GENOA: i32 = 2;
export const PRODUCT_TURIN: i32 = 3;
export const PRODUCT_COUNT: i32 = 4;

export const TCB_SIZE: i32 = 8;

// CPUID combined family (base + extended) per product line.
const FAMILY_ZEN3_ZEN4: u8 = 0x19;
const FAMILY_ZEN5: u8 = 0x1a;

// Byte positions, Milan/Genoa layout.
const LEGACY_BL: i32 = 0;
const LEGACY_TEE: i32 = 1;
const LEGACY_SNP: i32 = 6;
const LEGACY_UCODE: i32 = 7;
// Byte positions, Turin layout.
const TURIN_FMC: i32 = 0;
const TURIN_BL: i32 = 1;
const TURIN_TEE: i32 = 2;
const TURIN_SNP: i32 = 3;
const TURIN_UCODE: i32 = 7;

export function productName(product: i32): string {
  if (product == PRODUCT_MILAN) return "Milan";
  if (product == PRODUCT_GENOA) return "Genoa";
  if (product == PRODUCT_TURIN) return "Turin";
  return "";
}

/** Lower-case key used in policy JSON ("milan", ...). */
export function productKey(product: i32): string { return productName(product).toLowerCase(); }

/** Product line from the v3+ CPUID fields, as virtee/sev identifies it; PRODUCT_UNKNOWN otherwise
 * (Venice and anything newer are not supported: their TCB layout is not published). Bergamo and Siena
 * (Genoa models 0xA0-0xAF) use Genoa's KDS endpoint and roots. */
export function productFromCpuid(family: u8, model: u8): i32 {
  if (family == FAMILY_ZEN3_ZEN4) {
    if (model <= 0x0f) return PRODUCT_MILAN;
    if ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf)) return PRODUCT_GENOA;
    return PRODUCT_UNKNOWN;
  }
  if (family == FAMILY_ZEN5 && model <= 0x11) return PRODUCT_TURIN;
  return PRODUCT_UNKNOWN;
}

/** A decoded TCB_VERSION. `hasFmc` is true for the Turin layout. */
export class Tcb {
  raw: Uint8Array = new Uint8Array(TCB_SIZE);
  hasFmc: bool = false;
  fmc: i32 = 0;
  bl: i32 = 0;
  tee: i32 = 0;
  snp: i32 = 0;
  ucode: i32 = 0;
}

export function usesTurinLayout(product: i32): bool { return product == PRODUCT_TURIN; }

/** Decodes data[offset, offset+8) with the layout of `product` (the Milan/Genoa layout for
 * PRODUCT_UNKNOWN, which callers must report as an assumption). The caller guarantees the bounds. */
export function decodeTcb(data: Uint8Array, offset: i32, product: i32): Tcb {
  const t = new Tcb();
  for (let i = 0; i < TCB_SIZE; i++) t.raw[i] = data[offset + i];
  if (usesTurinLayout(product)) {
    t.hasFmc = true;
    t.fmc = <i32>t.raw[TURIN_FMC];
    t.bl = <i32>t.raw[TURIN_BL];
    t.tee = <i32>t.raw[TURIN_TEE];
    t.snp = <i32>t.raw[TURIN_SNP];
    t.ucode = <i32>t.raw[TURIN_UCODE];
  } else {
    t.bl = <i32>t.raw[LEGACY_BL];
    t.tee = <i32>t.raw[LEGACY_TEE];
    t.snp = <i32>t.raw[LEGACY_SNP];
    t.ucode = <i32>t.raw[LEGACY_UCODE];
  }
  return t;
}

/** A TCB built from components (minimums from policy, values from VCEK extensions). `reserved` holds the
 * Milan/Genoa SPL4-SPL7 bytes 2..5 (ignored for Turin, whose bytes 4..6 are always zero). */
export function tcbFromParts(product: i32, fmc: i32, bl: i32, tee: i32, snp: i32, ucode: i32, reserved: StaticArray<i32> | null): Tcb {
  const t = new Tcb();
  t.hasFmc = usesTurinLayout(product);
  t.fmc = t.hasFmc ? fmc : 0;
  t.bl = bl; t.tee = tee; t.snp = snp; t.ucode = ucode;
  if (t.hasFmc) {
    t.raw[TURIN_FMC] = <u8>fmc; t.raw[TURIN_BL] = <u8>bl; t.raw[TURIN_TEE] = <u8>tee;
    t.raw[TURIN_SNP] = <u8>snp; t.raw[TURIN_UCODE] = <u8>ucode;
  } else {
    t.raw[LEGACY_BL] = <u8>bl; t.raw[LEGACY_TEE] = <u8>tee; t.raw[LEGACY_SNP] = <u8>snp; t.raw[LEGACY_UCODE] = <u8>ucode;
    if (reserved !== null) for (let i = 0; i < reserved.length && i < 4; i++) t.raw[2 + i] = <u8>reserved[i];
  }
  return t;
}

/** Name of the first component of `a` below the same component of `b` ("" when a >= b everywhere).
 * FMC takes part only when both use the Turin layout. */
export function firstComponentBelow(a: Tcb, b: Tcb): string {
  if (a.hasFmc && b.hasFmc && a.fmc < b.fmc) return "fmc";
  if (a.bl < b.bl) return "bl";
  if (a.tee < b.tee) return "tee";
  if (a.snp < b.snp) return "snp";
  if (a.ucode < b.ucode) return "ucode";
  return "";
}

/** Component value by name (for messages). */
export function component(t: Tcb, name: string): i32 {
  if (name == "fmc") return t.fmc;
  if (name == "bl") return t.bl;
  if (name == "tee") return t.tee;
  if (name == "snp") return t.snp;
  return t.ucode;
}

/** Human-readable form, e.g. "fmc0 bl1 tee0 snp2 ucode71". */
export function tcbToString(t: Tcb): string {
  const head = t.hasFmc ? "fmc" + t.fmc.toString() + " " : "";
  return head + "bl" + t.bl.toString() + " tee" + t.tee.toString() + " snp" + t.snp.toString() + " ucode" + t.ucode.toString();
}

/** Byte-exact equality of two raw TCBs. */
export function tcbRawEqual(a: Tcb, b: Tcb): bool {
  for (let i = 0; i < TCB_SIZE; i++) if (a.raw[i] != b.raw[i]) return false;
  return true;
}
