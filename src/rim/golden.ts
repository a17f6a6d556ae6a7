// Combines verified RIMs into the golden-measurement entries governance uploads, in exactly the shape the
// on-chain parser reads (assembly/nvidia/golden.ts, src/wasm/nvidia.ts NvidiaGolden):
//   {rim_id, version: "1", arch, driver_version, vbios_version, blocks: {"<RIM index>": ["<96 hex>", …]}}
// One entry per (driver RIM, VBIOS RIM) pair of the same architecture: the union of their active
// measurements (the two active sets must be disjoint, as both NVIDIA verifiers require), all
// alternatives kept. An NVSwitch BIOS RIM gives its own entry (arch NVSWITCH, vbios_version only).
// `version` is the format version of this JSON, not a RIM version.
import { rimFail } from "./errors";
import type { RimArch, RimContent } from "./extract";

export const GOLDEN_FORMAT_VERSION = "1";
/** The on-chain parser accepts at most 64 entries. */
export const MAX_GOLDEN_ENTRIES = 64;

export interface GoldenEntry {
  rim_id: string;
  version: string;
  arch: RimArch;
  driver_version?: string;
  vbios_version: string;
  blocks: Record<string, string[]>;
}

/** A verified RIM as the combiner needs it. */
export interface RimForGolden { content: RimContent; id: string }

function activeBlocks(content: RimContent): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of content.measurements) if (m.active) out.set(m.index, [...new Set(m.alternatives)]);
  return out;
}

function blocksJson(parts: Map<number, string[]>[]): Record<string, string[]> {
  const merged = new Map<number, string[]>();
  for (const p of parts) for (const [k, v] of p) merged.set(k, v);
  const blocks: Record<string, string[]> = {};
  for (const k of [...merged.keys()].sort((a, b) => a - b)) blocks[String(k)] = merged.get(k)!;
  return blocks;
}

/** NVIDIA's RIM id of a driver RIM: Hopper NV_GPU_DRIVER_GH100_<v>, Blackwell NV_GPU_CC_DRIVER_<chip>_<v>. */
export function driverRimId(content: RimContent): string {
  return content.arch === "HOPPER" ? `NV_GPU_DRIVER_GH100_${content.version}` : `NV_GPU_CC_DRIVER_${content.product}_${content.version}`;
}

/** A VBIOS / switch BIOS RIM id. NVIDIA's id also names the board (project, SKU, chip SKU), which the
 * RIM does not contain: taken from the file name when it carries `<proj>_<sku>_<chipsku>_<version hex>`
 * for this very version (a label only; entries apply by arch and versions, which are signed). */
export function biosRimId(content: RimContent, fileName: string): string {
  const hex = content.version.replaceAll(".", "");
  const prefix = content.kind === "switch" ? "NV_SWITCH_BIOS" : "NV_GPU_VBIOS";
  const m = /([0-9A-Za-z]{4})_(\d{4})_(\d{3})_([0-9A-Fa-f]{10})(?![0-9A-Fa-f])/.exec(fileName);
  if (m && m[4].toUpperCase() === hex) return `${prefix}_${m[1].toUpperCase()}_${m[2]}_${m[3]}_${hex}`;
  return `${prefix}_${content.product}_${hex}`;
}

function conflicts(a: Map<number, string[]>, b: Map<number, string[]>): number[] {
  return [...a.keys()].filter((k) => b.has(k)).sort((x, y) => x - y);
}

/** Golden entries for the given verified RIMs; throws RIM_COMBINATION_INVALID / RIM_INDEX_CONFLICT. */
export function buildGolden(rims: RimForGolden[]): GoldenEntry[] {
  const drivers = rims.filter((r) => r.content.kind === "driver");
  const vbioses = rims.filter((r) => r.content.kind === "vbios");
  const switches = rims.filter((r) => r.content.kind === "switch");
  const entries: GoldenEntry[] = [];
  if (drivers.length > 0 || vbioses.length > 0) {
    if (drivers.length === 0 || vbioses.length === 0) {
      rimFail("RIM_COMBINATION_INVALID", `a GPU entry needs a driver RIM and a VBIOS RIM (got ${drivers.length} driver, ${vbioses.length} VBIOS)`);
    }
    const archs = new Set([...drivers, ...vbioses].map((r) => r.content.arch));
    if (archs.size !== 1) rimFail("RIM_COMBINATION_INVALID", `GPU RIMs of different architectures: ${[...archs].join(", ")}`);
    for (const d of drivers) {
      for (const v of vbioses) {
        const db = activeBlocks(d.content), vb = activeBlocks(v.content);
        const both = conflicts(db, vb);
        if (both.length > 0) rimFail("RIM_INDEX_CONFLICT", `${d.id} and ${v.id} both have active measurements at index ${both.join(",")}`);
        entries.push({
          rim_id: `${d.id}+${v.id}`, version: GOLDEN_FORMAT_VERSION, arch: d.content.arch,
          driver_version: d.content.version, vbios_version: v.content.version, blocks: blocksJson([db, vb]),
        });
      }
    }
  }
  for (const s of switches) {
    entries.push({ rim_id: s.id, version: GOLDEN_FORMAT_VERSION, arch: "NVSWITCH", vbios_version: s.content.version, blocks: blocksJson([activeBlocks(s.content)]) });
  }
  if (entries.length === 0) rimFail("RIM_COMBINATION_INVALID", "no RIM given");
  if (entries.length > MAX_GOLDEN_ENTRIES) rimFail("RIM_COMBINATION_INVALID", `${entries.length} entries (the chain accepts at most ${MAX_GOLDEN_ENTRIES})`);
  return entries;
}
