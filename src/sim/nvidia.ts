// Simulated NVIDIA GPU / NVSwitch attestation evidence (spec nvidia.md §1, §4): byte-exact SPDM 1.1
// GET_MEASUREMENTS request + MEASUREMENTS response (64 DMTF SHA-384 blocks on GPUs, 31 on LS10
// switches, responder nonce, opaque TLVs in NVIDIA's order and encodings, raw r||s P-384 signature by
// the device's leaf key) on the simulated PKI of nvidia-pki.ts, with the golden-measurement JSON that
// matches it. Everything is chosen by the caller (nonce, measurements, versions, FWID, feature flag,
// NVLink topology) or derived from a seed, so tests can build valid evidence and break exactly one
// thing at a time.
//
//   const sim = simulateNvidia({ gpus: 8, switches: 4 });   // HGX H100 PPCIe node
//   verifyNvidia({ gpus: sim.gpus, switches: sim.switches }, { nonce: sim.nonce, golden: sim.golden,
//                 policy: { root_pem: sim.root } })
import { type Bytes, concat } from "./der";
import { NvidiaSimPki, P384Key, derive, type NvidiaChip, type FwidExtension, type SimDeviceChain } from "./nvidia-pki";

export { NvidiaSimPki } from "./nvidia-pki";

export type SimArch = "HOPPER" | "BLACKWELL";

/** RIM indices NVIDIA's driver and VBIOS RIMs mark active (as in the real H100 RIMs: 21 + 12 = 33). */
export const DRIVER_ACTIVE_INDICES = [7, ...Array.from({ length: 20 }, (_, i) => 21 + i)];
export const VBIOS_ACTIVE_INDICES = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12];
const GPU_BLOCKS = 64;
const SWITCH_BLOCKS = 31;
const SWITCH_VBIOS = "96.10.55.00.01";

export interface SimGpuOptions {
  /** Default: the node's arch. */
  arch?: SimArch;
  /** Blackwell chip: GB100 (B200, default) or GB202 (RTX PRO 6000). */
  chip?: "GB100" | "GB202";
  /** Device identity label: two GPUs with the same label are the same device. Default "gpu<i>". */
  label?: string;
  driverVersion?: string;
  vbiosVersion?: string;
  /** FEATURE_FLAG (field 36): 0 SPT, 1 MPT, 2 PPCIe; null omits the field (older drivers). */
  featureFlag?: number | null;
  /** PROTECTED_PCIE_STATUS (field 21); default enabled when the feature flag is PPCIe. */
  ppcie?: boolean;
  nvdecEnabled?: boolean;
  /** Report FWID (field 20), hex or bytes; null omits the field. Default: derived from the firmware. */
  fwid?: Bytes | string | null;
  /** FWID the leaf certificate certifies (default: the report's). null: no FWID extension. */
  certFwid?: Bytes | string | null;
  fwidExtension?: FwidExtension;
  /** Overrides of measurement digests by RIM index (block index + 1), hex or bytes. */
  measurements?: Record<number, Bytes | string>;
  /** This device's request nonce (default: the node's). */
  nonce?: Bytes | string;
  /** NVSwitch PDIs its NVLinks report (field 22, as the switches' own PDIs; reversed on the wire). */
  switchPdis?: Bytes[];
  /** Extra opaque items appended after NVIDIA's (unknown types, duplicates). */
  extraOpaque?: { type: number; value: Bytes }[];
  /** Bytes appended after the signature. */
  trailing?: Bytes;
  notBefore?: number;
  notAfter?: number;
}

export interface SimSwitchOptions {
  label?: string;
  vbiosVersion?: string;
  nonce?: Bytes | string;
  /** GPU PDIs in field 26 (default: the node's GPUs). */
  gpuPdis?: Bytes[];
  /** DEVICE_PDI (field 22); default the certificate's. */
  devicePdi?: Bytes;
}

export interface SimulateNvidiaOptions {
  /** Deterministic keys and data; same seed + options -> identical bytes. */
  seed?: string;
  /** Reuse a PKI (several nodes under one root). */
  pki?: NvidiaSimPki;
  arch?: SimArch;
  /** 32-byte request nonce (hex or bytes); default derived from the seed. */
  nonce?: Bytes | string;
  /** A count or per-GPU options. Default 1. */
  gpus?: number | SimGpuOptions[];
  /** A count or per-switch options (LS10). With switches the GPUs default to PPCIe mode. */
  switches?: number | SimSwitchOptions[];
  driverVersion?: string;
  vbiosVersion?: string;
}

export interface SimDeviceEvidence { kind: "gpu" | "nvswitch"; report: Uint8Array; certs: string; arch: string; pdi: string }

export interface SimGolden {
  rim_id: string; version: string; arch: string; driver_version?: string; vbios_version: string; blocks: Record<string, string[]>;
}

export interface SimulatedNvidia {
  /** Every device: GPUs first, then switches. */
  reports: SimDeviceEvidence[];
  gpus: SimDeviceEvidence[];
  switches: SimDeviceEvidence[];
  /** The simulated NVIDIA Device Identity CA (PEM): pass as policy root_pem. */
  root: string;
  /** Golden measurements matching the devices' default firmware (one entry per GPU configuration,
   * one for the NVSwitches). */
  golden: SimGolden[];
  /** Hex. */
  nonce: string;
  /** NVIDIA's evidence JSON list ([{arch, nonce, evidence, certificate}], switches with arch "LS10"). */
  evidenceList: { arch: string; nonce: string; evidence: string; certificate: string }[];
  pki: NvidiaSimPki;
}

const hex = (b: Bytes): string => Buffer.from(b).toString("hex");
function bytesOf(v: Bytes | string): Bytes {
  return typeof v === "string" ? new Uint8Array(Buffer.from(v.replace(/^0x/, ""), "hex")) : v;
}
const u16 = (n: number): Bytes => new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number): Bytes => new Uint8Array([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]);
/** ASCII padded with NULs to `size` (NVIDIA pads SKU/project fields). */
function ascii(text: string, size = text.length + 1): Bytes {
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(text));
  return out;
}

/** "96.00.9F.00.01" -> NVIDIA's 8-byte field (nvtrust format_vbios_version, inverted). */
export function vbiosBytes(version: string): Bytes {
  const p = version.split(".").map((x) => parseInt(x, 16));
  if (p.length !== 5 || p.some((x) => !(x >= 0 && x <= 255))) throw new Error(`VBIOS version must be 5 hex bytes: ${version}`);
  return new Uint8Array([p[3], p[2], p[1], p[0], p[4], 0, 0, 0]);
}

function opaqueItem(type: number, value: Bytes): Bytes { return concat(u16(type), u16(value.length), value); }

/** Request || response-before-signature || signature (|| trailing). */
export function buildSpdmReport(args: {
  nonce: Bytes; blocks: Bytes[]; responderNonce: Bytes; opaque: Bytes; key: P384Key; trailing?: Bytes;
}): Uint8Array {
  if (args.nonce.length !== 32) throw new Error("nonce must be 32 bytes");
  const request = concat(new Uint8Array([0x11, 0xe0, 0x01, 0xff]), args.nonce, new Uint8Array([0]));
  const record = concat(...args.blocks.map((digest, i) => concat(new Uint8Array([i + 1, 0x01]), u16(51), new Uint8Array([0x01]), u16(48), digest)));
  const header = concat(new Uint8Array([0x11, 0x60, 0, 0, args.blocks.length]), new Uint8Array([record.length & 0xff, (record.length >> 8) & 0xff, record.length >> 16]));
  const signed = concat(request, header, record, args.responderNonce, u16(args.opaque.length), args.opaque);
  return concat(signed, args.key.signRaw(signed), args.trailing ?? new Uint8Array(0));
}

interface GpuPlan {
  o: SimGpuOptions; arch: SimArch; chip: NvidiaChip; driver: string; vbios: string; featureFlag: number | null; chain: SimDeviceChain;
  blocks: Bytes[]; fwid: Bytes | null;
}

const PROFILE = {
  HOPPER: { driver: "580.95.05", vbios: "96.00.9F.00.01", project: "1010", projectSku: "0200", chipSku: "882", chipSkuMod: "0", boardId: 0x3b1, gpuInfo: "8001000000000000" },
  GB100: { driver: "580.95.05", vbios: "97.00.0B.00.01", project: "G520", projectSku: "0280", chipSku: "886", chipSkuMod: "0", boardId: 0x652, gpuInfo: "b001000002000000" },
  GB202: { driver: "595.58.03", vbios: "98.02.81.00.01", project: "G153", projectSku: "0210", chipSku: "895", chipSkuMod: "0", boardId: 0x652, gpuInfo: "b001000002000000" },
};

function profileOf(chip: NvidiaChip) { return chip === "GH100" ? PROFILE.HOPPER : chip === "GB202" ? PROFILE.GB202 : PROFILE.GB100; }

/** Default firmware measurement of a RIM index: a digest per (chip, version, index); zero if inactive. */
function defaultDigest(seed: string, chip: NvidiaChip, driver: string, vbios: string, rimIndex: number): Bytes {
  if (DRIVER_ACTIVE_INDICES.includes(rimIndex)) return derive(`${seed}/measurement/${chip}/driver/${driver}/${rimIndex}`);
  if (VBIOS_ACTIVE_INDICES.includes(rimIndex)) return derive(`${seed}/measurement/${chip}/vbios/${vbios}/${rimIndex}`);
  return new Uint8Array(48);
}

function gpuOpaque(p: GpuPlan, switchPdis: Bytes[] | null): Bytes {
  const prof = profileOf(p.chip);
  const items: Bytes[] = [
    opaqueItem(6, vbiosBytes(p.vbios)), opaqueItem(14, u32(prof.boardId)), opaqueItem(15, ascii(prof.chipSku, 9)),
    opaqueItem(16, ascii(prof.chipSkuMod, 5)), opaqueItem(17, ascii(prof.project, 5)), opaqueItem(18, ascii(prof.projectSku, 5)),
    opaqueItem(19, ascii(p.chip === "GH100" ? "" : "0", 2)), opaqueItem(3, ascii(p.driver)), opaqueItem(4, bytesOf(prof.gpuInfo)),
    opaqueItem(12, concat(...p.blocks.map((b) => u32(b.some((x) => x !== 0) ? 1 : 0)))), opaqueItem(13, u32(0x1c000)),
    opaqueItem(11, new Uint8Array([p.o.nvdecEnabled ? 0xaa : 0x55])),
  ];
  if (p.fwid !== null) items.push(opaqueItem(20, p.fwid));
  const ppcie = p.o.ppcie ?? p.featureFlag === 2;
  items.push(opaqueItem(21, new Uint8Array([ppcie ? 0xaa : 0x55])));
  if (switchPdis !== null && switchPdis.length > 0) {
    // Two NVLinks per switch port group, 18 links in all (as on HGX H100), each naming its switch
    // with the PDI bytes reversed.
    const links: Bytes[] = [];
    for (let i = 0; i < 18; i++) links.push(switchPdis[i % switchPdis.length].slice().reverse());
    items.push(opaqueItem(22, concat(...links)));
  }
  if (p.arch === "BLACKWELL") items.push(opaqueItem(33, u16(7)), opaqueItem(35, ascii(p.chip)));
  if (p.featureFlag !== null) items.push(opaqueItem(34, u16(1)), opaqueItem(36, u16(p.featureFlag)));
  for (const e of p.o.extraOpaque ?? []) items.push(opaqueItem(e.type, e.value));
  return concat(...items);
}

/** NVSwitch firmware measurements: blocks 1..12 (RIM indices 0..11) active. */
const SWITCH_ACTIVE = 12;
const switchDigest = (seed: string, vbios: string, rimIndex: number): Bytes =>
  rimIndex < SWITCH_ACTIVE ? derive(`${seed}/switch-measurement/${vbios}/${rimIndex}`) : new Uint8Array(48);

function switchGolden(seed: string, vbios: string): SimGolden {
  const blocks: Record<string, string[]> = {};
  for (let i = 0; i < SWITCH_ACTIVE; i++) blocks[String(i)] = [hex(switchDigest(seed, vbios, i))];
  return { rim_id: `NV_SWITCH_BIOS_5612_0002_890_${vbios.replace(/\./g, "")}`, version: "1", arch: "NVSWITCH", vbios_version: vbios, blocks };
}

function switchOpaque(vbios: string, devicePdi: Bytes, gpuPdis: Bytes[], blocks: Bytes[]): Bytes {
  const gpuField = new Uint8Array(128).fill(0xff);
  gpuPdis.slice(0, 8).forEach((pdi, i) => gpuField.set(pdi, 8 * i));
  gpuField.set(Uint8Array.from({ length: 32 }, (_, i) => i >> 2), 96);
  return concat(
    opaqueItem(6, new TextEncoder().encode(vbios)), opaqueItem(22, devicePdi),
    opaqueItem(12, concat(...blocks.map((b) => u32(b.some((x) => x !== 0) ? 1 : 0)))),
    opaqueItem(26, gpuField), opaqueItem(23, u16(0xec)), opaqueItem(24, u16(0)), opaqueItem(25, u16(1)),
  );
}

function goldenFor(p: GpuPlan, seed: string): SimGolden {
  const prof = profileOf(p.chip);
  const driverRim = p.arch === "HOPPER" ? `NV_GPU_DRIVER_GH100_${p.driver}` : `NV_GPU_CC_DRIVER_${p.chip}_${p.driver}`;
  const vbiosRim = `NV_GPU_VBIOS_${prof.project}_${prof.projectSku}_${prof.chipSku}_${p.vbios.replace(/\./g, "").toUpperCase()}`;
  const blocks: Record<string, string[]> = {};
  for (const i of [...VBIOS_ACTIVE_INDICES, ...DRIVER_ACTIVE_INDICES].sort((a, b) => a - b)) {
    blocks[String(i)] = [hex(defaultDigest(seed, p.chip, p.driver, p.vbios, i))];
  }
  return { rim_id: `${driverRim}+${vbiosRim}`, version: "1", arch: p.arch, driver_version: p.driver, vbios_version: p.vbios, blocks };
}

/** Builds a node's evidence (see the header); every report is signed by its own simulated device. */
export function simulateNvidia(options: SimulateNvidiaOptions = {}): SimulatedNvidia {
  const seed = options.seed ?? "tee-attest nvidia sim";
  const pki = options.pki ?? new NvidiaSimPki(seed);
  const nodeArch = options.arch ?? "HOPPER";
  const nonce = options.nonce !== undefined ? bytesOf(options.nonce) : derive(`${seed}/nonce`, 32);
  const gpuOptions: SimGpuOptions[] = typeof options.gpus === "number" || options.gpus === undefined
    ? Array.from({ length: options.gpus ?? 1 }, () => ({})) : options.gpus;
  const switchOptions: SimSwitchOptions[] = typeof options.switches === "number" || options.switches === undefined
    ? Array.from({ length: options.switches ?? 0 }, () => ({})) : options.switches;
  const multi = gpuOptions.length > 1;
  const defaultFlag = switchOptions.length > 0 ? 2 : multi && nodeArch === "BLACKWELL" ? 1 : 0;

  const switchChains = switchOptions.map((s, i) => pki.device({ chip: "LS_10", label: s.label ?? `switch${i}`, fwid: derive(`${seed}/switch-fw`) }));
  const plans: GpuPlan[] = gpuOptions.map((o, i) => {
    const arch = o.arch ?? nodeArch;
    const chip: NvidiaChip = arch === "HOPPER" ? "GH100" : o.chip ?? "GB100";
    const prof = profileOf(chip);
    const driver = o.driverVersion ?? options.driverVersion ?? prof.driver;
    const vbios = o.vbiosVersion ?? options.vbiosVersion ?? prof.vbios;
    const defaultFwid = derive(`${seed}/fwid/${chip}/${driver}/${vbios}`);
    const fwid = o.fwid === null ? null : o.fwid !== undefined ? bytesOf(o.fwid) : defaultFwid;
    const certFwid = o.certFwid === null ? null : o.certFwid !== undefined ? bytesOf(o.certFwid) : fwid ?? defaultFwid;
    const chain = pki.device({ chip, label: o.label ?? `gpu${i}`, fwid: certFwid, fwidExtension: o.fwidExtension, notBefore: o.notBefore, notAfter: o.notAfter });
    const blocks = Array.from({ length: GPU_BLOCKS }, (_, b) => {
      const override = o.measurements?.[b];
      return override !== undefined ? bytesOf(override) : defaultDigest(seed, chip, driver, vbios, b);
    });
    return { o, arch, chip, driver, vbios, featureFlag: o.featureFlag === undefined ? defaultFlag : o.featureFlag, chain, blocks, fwid };
  });

  const switchPdis = switchChains.map((c) => c.pdi);
  const gpus: SimDeviceEvidence[] = plans.map((p, i) => {
    const report = buildSpdmReport({
      nonce: p.o.nonce !== undefined ? bytesOf(p.o.nonce) : nonce, blocks: p.blocks,
      responderNonce: derive(`${seed}/responder/gpu${i}`, 32), opaque: gpuOpaque(p, p.o.switchPdis ?? switchPdis),
      key: p.chain.leaf.key, trailing: p.o.trailing,
    });
    return { kind: "gpu", report, certs: p.chain.pem, arch: p.arch, pdi: hex(p.chain.pdi) };
  });
  const gpuPdis = plans.map((p) => p.chain.pdi);
  const switches: SimDeviceEvidence[] = switchChains.map((chain, i) => {
    const s = switchOptions[i];
    const vbios = s.vbiosVersion ?? SWITCH_VBIOS;
    const blocks = Array.from({ length: SWITCH_BLOCKS }, (_, b) => switchDigest(seed, vbios, b));
    const report = buildSpdmReport({
      nonce: s.nonce !== undefined ? bytesOf(s.nonce) : nonce, blocks, responderNonce: derive(`${seed}/responder/switch${i}`, 32),
      opaque: switchOpaque(vbios, s.devicePdi ?? chain.pdi, s.gpuPdis ?? gpuPdis, blocks), key: chain.leaf.key,
    });
    return { kind: "nvswitch", report, certs: chain.pem, arch: "LS10", pdi: hex(chain.pdi) };
  });

  const golden: SimGolden[] = [];
  for (const p of plans) {
    const g = goldenFor(p, seed);
    if (!golden.some((x) => x.rim_id === g.rim_id)) golden.push(g);
  }
  for (const s of switchOptions) {
    const g = switchGolden(seed, s.vbiosVersion ?? SWITCH_VBIOS);
    if (!golden.some((x) => x.rim_id === g.rim_id)) golden.push(g);
  }
  const reports = [...gpus, ...switches];
  return {
    reports, gpus, switches, root: pki.rootPem, golden, nonce: hex(nonce), pki,
    evidenceList: reports.map((d) => ({
      arch: d.arch, nonce: hex(nonce), evidence: Buffer.from(d.report).toString("base64"), certificate: Buffer.from(d.certs).toString("base64"),
    })),
  };
}
