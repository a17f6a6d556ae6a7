// Claims JSON of an SEV-SNP report: every field a relying party may base a decision on, decoded for the
// product the verifier settled on, plus the Verdict envelope (DESIGN.md §3). Byte fields are lowercase
// hex; TCBs are {"raw", ["fmc",] "bl", "tee", "snp", "ucode"} so callers never decode TCB bytes
// themselves (the Turin layout differs, spec snp.md §1.2).
import { JsonWriter } from "../encoding/json-writer";
import { SnpError } from "./errors";
import { SnpReport, SIGNING_KEY_VLEK, POLICY_ABI_MINOR_MASK, POLICY_ABI_MAJOR_SHIFT, POLICY_SMT, POLICY_MIGRATE_MA,
  POLICY_DEBUG, POLICY_SINGLE_SOCKET, POLICY_CXL_ALLOW, POLICY_MEM_AES_256_XTS, POLICY_RAPL_DIS, POLICY_CIPHERTEXT_HIDING,
  POLICY_PAGE_SWAP_DISABLE, PLATFORM_SMT_EN, PLATFORM_TSME_EN, PLATFORM_ECC_EN, PLATFORM_RAPL_DIS,
  PLATFORM_CIPHERTEXT_HIDING_EN, PLATFORM_ALIAS_CHECK_COMPLETE, PLATFORM_IOMMU_WRITE_SAFE, PLATFORM_TIO_EN,
  OFF_FAMILY_ID, OFF_IMAGE_ID, OFF_REPORT_DATA, OFF_MEASUREMENT, OFF_HOST_DATA, OFF_ID_KEY_DIGEST, OFF_AUTHOR_KEY_DIGEST,
  OFF_REPORT_ID, OFF_REPORT_ID_MA, OFF_CHIP_ID, ID_SIZE, REPORT_DATA_SIZE, MEASUREMENT_SIZE, HOST_DATA_SIZE, KEY_DIGEST_SIZE,
  REPORT_ID_SIZE, CHIP_ID_SIZE } from "./report";
import { Tcb, productName, PRODUCT_UNKNOWN, PRODUCT_TURIN } from "./tcb";

export const PRODUCT_SOURCE_CPUID = "cpuid";
export const PRODUCT_SOURCE_CHAIN = "chain";
export const PRODUCT_SOURCE_HINT = "hint";
/** v2 report without a chain or hint: TCBs are decoded with the Milan/Genoa layout, as an assumption. */
export const PRODUCT_SOURCE_ASSUMED = "assumed";

/** What the verifier learned from the endorsement certificate (written when known). */
export class Endorsement {
  kind: string = "";
  productName: string = "";
  cspId: string = "";
  notBefore: i64 = 0;
  notAfter: i64 = 0;
}

function hex64(v: u64): string { return "0x" + v.toString(16); }

/** ASCII of the lowercase hex digit v (0-15). */
function hexDigit(v: u32): u8 { return <u8>(v < 10 ? 0x30 + v : 0x57 + v); }

/** "name":"<hex of data[offset, offset+size)>", written as bytes straight into the JSON. Claims hold ~1 KiB
 * of hex; going through a string (hexEncode, then UTF-8 encoding and escaping it) cost ~4x the operators. */
function fieldHex(w: JsonWriter, name: string, data: Uint8Array, offset: i32, size: i32): void {
  const out = new Uint8Array(2 * size + 2);
  out[0] = 0x22;
  for (let i = 0; i < size; i++) {
    const b = <u32>data[offset + i];
    unchecked(out[1 + 2 * i] = hexDigit(b >> 4));
    unchecked(out[2 + 2 * i] = hexDigit(b & 15));
  }
  out[2 * size + 1] = 0x22;
  w.key(name).raw(out);
}

export function writeTcb(w: JsonWriter, name: string, t: Tcb): void {
  w.key(name).beginObject();
  fieldHex(w, "raw", t.raw, 0, t.raw.length);
  if (t.hasFmc) w.fieldU64("fmc", <u64>t.fmc);
  w.fieldU64("bl", <u64>t.bl).fieldU64("tee", <u64>t.tee).fieldU64("snp", <u64>t.snp).fieldU64("ucode", <u64>t.ucode).endObject();
}

function bit(v: u64, mask: u64): bool { return (v & mask) != 0; }

function writePolicyBits(w: JsonWriter, policy: u64): void {
  w.key("policy_bits").beginObject()
    .fieldU64("abi_major", (policy >> POLICY_ABI_MAJOR_SHIFT) & 0xff)
    .fieldU64("abi_minor", policy & POLICY_ABI_MINOR_MASK)
    .fieldBool("smt", bit(policy, POLICY_SMT))
    .fieldBool("migrate_ma", bit(policy, POLICY_MIGRATE_MA))
    .fieldBool("debug", bit(policy, POLICY_DEBUG))
    .fieldBool("single_socket", bit(policy, POLICY_SINGLE_SOCKET))
    .fieldBool("cxl_allow", bit(policy, POLICY_CXL_ALLOW))
    .fieldBool("mem_aes_256_xts", bit(policy, POLICY_MEM_AES_256_XTS))
    .fieldBool("rapl_dis", bit(policy, POLICY_RAPL_DIS))
    .fieldBool("ciphertext_hiding", bit(policy, POLICY_CIPHERTEXT_HIDING))
    .fieldBool("page_swap_disable", bit(policy, POLICY_PAGE_SWAP_DISABLE))
    .endObject();
}

function writePlatformBits(w: JsonWriter, info: u64, product: i32): void {
  w.key("platform_info_bits").beginObject()
    .fieldBool("smt_en", bit(info, PLATFORM_SMT_EN))
    .fieldBool("tsme_en", bit(info, PLATFORM_TSME_EN))
    .fieldBool("ecc_en", bit(info, PLATFORM_ECC_EN))
    .fieldBool("rapl_dis", bit(info, PLATFORM_RAPL_DIS))
    .fieldBool("ciphertext_hiding_en", bit(info, PLATFORM_CIPHERTEXT_HIDING_EN))
    .fieldBool("alias_check_complete", bit(info, PLATFORM_ALIAS_CHECK_COMPLETE));
  // Bit 6 means IOMMU_WRITE_SAFE only on Turin; elsewhere it is reserved (tinfoil-go PR #115).
  if (product == PRODUCT_TURIN) w.fieldBool("iommu_write_safe", bit(info, PLATFORM_IOMMU_WRITE_SAFE));
  else w.fieldBool("reserved_bit6", bit(info, PLATFORM_IOMMU_WRITE_SAFE));
  w.fieldBool("tio_en", bit(info, PLATFORM_TIO_EN)).endObject();
}

function writeCpuid(w: JsonWriter, r: SnpReport): void {
  w.key("cpuid");
  if (!r.hasCpuid) { w.null(); return; }
  w.beginObject().fieldU64("family", <u64>r.cpuidFamily).fieldU64("model", <u64>r.cpuidModel)
    .fieldU64("stepping", <u64>r.cpuidStepping).endObject();
}

function writeMitVector(w: JsonWriter, name: string, has: bool, v: u64): void {
  if (has) w.fieldString(name, hex64(v)); else w.fieldNull(name);
}

function writeByteFields(w: JsonWriter, r: SnpReport): void {
  const d = r.raw;
  fieldHex(w, "family_id", d, OFF_FAMILY_ID, ID_SIZE);
  fieldHex(w, "image_id", d, OFF_IMAGE_ID, ID_SIZE);
  fieldHex(w, "report_data", d, OFF_REPORT_DATA, REPORT_DATA_SIZE);
  fieldHex(w, "measurement", d, OFF_MEASUREMENT, MEASUREMENT_SIZE);
  fieldHex(w, "host_data", d, OFF_HOST_DATA, HOST_DATA_SIZE);
  fieldHex(w, "id_key_digest", d, OFF_ID_KEY_DIGEST, KEY_DIGEST_SIZE);
  fieldHex(w, "author_key_digest", d, OFF_AUTHOR_KEY_DIGEST, KEY_DIGEST_SIZE);
  fieldHex(w, "report_id", d, OFF_REPORT_ID, REPORT_ID_SIZE);
  fieldHex(w, "report_id_ma", d, OFF_REPORT_ID_MA, REPORT_ID_SIZE);
  fieldHex(w, "chip_id", d, OFF_CHIP_ID, CHIP_ID_SIZE);
}

function writeEndorsement(w: JsonWriter, e: Endorsement): void {
  w.key("endorsement").beginObject().fieldString("kind", e.kind).fieldString("product_name", e.productName);
  if (e.cspId.length > 0) w.fieldString("csp_id", e.cspId); else w.fieldNull("csp_id");
  w.key("not_before").i64(e.notBefore).key("not_after").i64(e.notAfter).endObject();
}

/** Writes the claims object (as the value of the current key or array slot). */
export function writeClaims(w: JsonWriter, r: SnpReport, product: i32, productSource: string, endorsement: Endorsement | null): void {
  w.beginObject().fieldU64("version", <u64>r.version);
  if (product == PRODUCT_UNKNOWN) w.fieldNull("product"); else w.fieldString("product", productName(product));
  w.fieldString("product_source", productSource);
  writeCpuid(w, r);
  w.fieldU64("guest_svn", <u64>r.guestSvn).fieldString("policy", hex64(r.policy));
  writePolicyBits(w, r.policy);
  w.fieldU64("vmpl", <u64>r.vmpl)
    .fieldString("signing_key", r.signingKey == SIGNING_KEY_VLEK ? "VLEK" : "VCEK")
    .fieldBool("author_key_en", r.authorKeyEnabled)
    .fieldBool("mask_chip_key", r.maskChipKey)
    .fieldString("platform_info", hex64(r.platformInfo));
  writePlatformBits(w, r.platformInfo, product);
  writeByteFields(w, r);
  writeTcb(w, "current_tcb", r.currentTcb(product));
  writeTcb(w, "reported_tcb", r.reportedTcb(product));
  writeTcb(w, "committed_tcb", r.committedTcb(product));
  writeTcb(w, "launch_tcb", r.launchTcb(product));
  w.fieldString("current_version", r.currentVersion()).fieldString("committed_version", r.committedVersion());
  writeMitVector(w, "launch_mit_vector", r.hasMitigationVectors, r.launchMitVector);
  writeMitVector(w, "current_mit_vector", r.hasMitigationVectors, r.currentMitVector);
  if (endorsement !== null) writeEndorsement(w, endorsement);
  w.endObject();
}

export function writeError(w: JsonWriter, e: SnpError): void {
  w.key("error").beginObject().fieldString("code", e.code).fieldString("message", e.message).fieldString("stage", e.stage).endObject();
}

/** The Verdict: {"ok", "tee":"snp", "status", "advisory_ids", "claims", "error"}. Claims are written
 * whenever the report parsed (also on failure, for diagnostics; `ok` alone decides trust). */
export function writeVerdict(w: JsonWriter, error: SnpError | null, r: SnpReport | null, product: i32, productSource: string,
  endorsement: Endorsement | null): void {
  w.beginObject().fieldBool("ok", error === null).fieldString("tee", "snp");
  if (error === null) w.fieldString("status", "UpToDate"); else w.fieldNull("status");
  w.key("advisory_ids").beginArray().endArray();
  w.key("claims");
  if (r !== null) writeClaims(w, r, product, productSource, endorsement); else w.null();
  if (error === null) w.fieldNull("error"); else writeError(w, error);
  w.endObject();
}
