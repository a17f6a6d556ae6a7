// Reads the golden measurements out of a RIM's signed SWID content (the canonical XML returned by
// verify.ts, never the unverified input): product, colloquial version and the Payload's Measurement
// resources `index active alternatives size Hash0..HashN` (Hash attributes in the xmlenc#sha384
// namespace). Strict on purpose (go-nvattest-tools' failure_*.xml negatives): a missing or malformed
// field, a duplicate index or a Hash count that disagrees with `alternatives` is MALFORMED_RIM.
import { rimFail } from "./errors";
import { parseXmlStrict, elementChildren, SWID_NS } from "./verify";

export const HASH_NS = "http://www.w3.org/2001/04/xmlenc#sha384";
/** Same bounds as the on-chain parser (assembly/nvidia/golden.ts). */
export const MAX_RIM_INDEX = 253;
export const MAX_ALTERNATIVES = 16;
const SHA384_BYTES = 48;

export type RimKind = "driver" | "vbios" | "switch";
export type RimArch = "HOPPER" | "BLACKWELL" | "NVSWITCH";

export interface RimMeasurement { index: number; active: boolean; size: number; alternatives: string[] }

export interface RimContent {
  /** SoftwareIdentity name (= Meta product), e.g. "GH100", "GB100", "LS10". */
  product: string;
  edition: string;
  /** Meta colloquialVersion: driver "550.90.07" or VBIOS "96.00.9F.00.01" (upper-case hex). */
  version: string;
  tagId: string;
  kind: RimKind;
  arch: RimArch;
  measurements: RimMeasurement[];
}

type Element = ReturnType<typeof elementChildren>[number] & { getAttributeNS(ns: string, name: string): string | null };

const DRIVER_VERSION = /^\d{1,4}(\.\d{1,4}){1,2}$/;
const VBIOS_VERSION = /^[0-9A-Fa-f]{2}(\.[0-9A-Fa-f]{2}){4}$/;

function attr(e: Element, name: string, what: string): string {
  const v = e.getAttribute(name);
  if (v === null || v === "") return rimFail("MALFORMED_RIM", `${what} has no ${name}`);
  return v;
}

function decimal(text: string, max: number, what: string): number {
  if (!/^(0|[1-9]\d{0,5})$/.test(text) || Number(text) > max) rimFail("MALFORMED_RIM", `${what} "${text}" is not a number 0..${max}`);
  return Number(text);
}

function archOf(product: string): RimArch {
  if (product === "GH100") return "HOPPER";
  if (/^GB[0-9][0-9A-Z]{2}$/.test(product)) return "BLACKWELL";
  if (product === "LS10") return "NVSWITCH";
  return rimFail("MALFORMED_RIM", `unknown RIM product "${product}" (supported: GH100, GB1xx/GB2xx, LS10)`);
}

function parseResource(r: Element): RimMeasurement {
  const where = `Resource ${r.getAttribute("index") ?? "?"}`;
  if (r.getAttribute("type") !== "Measurement") rimFail("MALFORMED_RIM", `${where} has type "${r.getAttribute("type") ?? ""}", not Measurement`);
  const index = decimal(attr(r, "index", where), MAX_RIM_INDEX, `${where} index`);
  const activeText = attr(r, "active", where).toLowerCase();
  if (activeText !== "true" && activeText !== "false") rimFail("MALFORMED_RIM", `${where} active is not True/False`);
  const count = decimal(attr(r, "alternatives", where), MAX_ALTERNATIVES, `${where} alternatives`);
  if (count === 0) rimFail("MALFORMED_RIM", `${where} has 0 alternatives`);
  const size = decimal(attr(r, "size", where), 1 << 16, `${where} size`);
  if (size !== SHA384_BYTES) rimFail("MALFORMED_RIM", `${where} size ${size}: only SHA-384 (48-byte) measurements are supported`);
  const alternatives: string[] = [];
  for (let i = 0; i < count; i++) {
    const h = r.getAttributeNS(HASH_NS, `Hash${i}`);
    if (h === null || h === "") rimFail("MALFORMED_RIM", `${where} lacks Hash${i} (in namespace ${HASH_NS})`);
    if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== 2 * size) rimFail("MALFORMED_RIM", `${where} Hash${i} is not ${size} bytes of hex`);
    alternatives.push(h.toLowerCase());
  }
  for (const a of Array.from(r.attributes)) {
    const m = /^Hash(\d+)$/.exec(a.localName ?? a.name);
    if (m && (a.namespaceURI !== HASH_NS || Number(m[1]) >= count)) rimFail("MALFORMED_RIM", `${where} has ${a.name} beyond its ${count} alternatives or outside ${HASH_NS}`);
  }
  return { index, active: activeText === "true", size, alternatives };
}

/** The Measurement resources of a SWID Payload element. */
export function parsePayload(payload: Element): RimMeasurement[] {
  const resources = elementChildren(payload) as Element[];
  if (resources.length === 0) rimFail("MALFORMED_RIM", "Payload has no Resource");
  const seen = new Set<number>();
  return resources.map((r) => {
    if (r.localName !== "Resource" || r.namespaceURI !== SWID_NS) rimFail("MALFORMED_RIM", `Payload holds ${r.localName}, not only SWID Resource elements`);
    const m = parseResource(r);
    if (seen.has(m.index)) rimFail("MALFORMED_RIM", `measurement index ${m.index} appears twice`);
    seen.add(m.index);
    return m;
  });
}

function single(root: Element, name: string): Element {
  const found = elementChildren(root).filter((e) => e.localName === name && e.namespaceURI === SWID_NS) as Element[];
  if (found.length !== 1) rimFail("MALFORMED_RIM", `SoftwareIdentity must have one ${name} (found ${found.length})`);
  return found[0];
}

/** Parses SWID RIM content (call it on the signed canonical XML). */
export function parseRimContent(xml: string): RimContent {
  const root = parseXmlStrict(xml, "signed RIM content").documentElement as Element;
  if (root.localName !== "SoftwareIdentity" || root.namespaceURI !== SWID_NS) rimFail("MALFORMED_RIM", "signed content is not a SWID SoftwareIdentity");
  const name = attr(root, "name", "SoftwareIdentity");
  const tagId = attr(root, "tagId", "SoftwareIdentity");
  const meta = single(root, "Meta");
  const product = attr(meta, "product", "Meta");
  if (product !== name) rimFail("MALFORMED_RIM", `Meta product "${product}" differs from SoftwareIdentity name "${name}"`);
  const edition = attr(meta, "edition", "Meta");
  let version = attr(meta, "colloquialVersion", "Meta");
  const arch = archOf(product);
  let kind: RimKind;
  if (arch === "NVSWITCH" || edition === "SWITCH") {
    if (arch !== "NVSWITCH" || edition !== "SWITCH") rimFail("MALFORMED_RIM", `edition ${edition} does not fit product ${product}`);
    if (!VBIOS_VERSION.test(version)) rimFail("MALFORMED_RIM", `switch BIOS version "${version}" is not NN.NN.NN.NN.NN`);
    kind = "switch";
  } else if (DRIVER_VERSION.test(version)) {
    kind = "driver";
  } else if (VBIOS_VERSION.test(version)) {
    kind = "vbios";
  } else {
    return rimFail("MALFORMED_RIM", `colloquialVersion "${version}" is neither a driver (550.90.07) nor a VBIOS (96.00.9F.00.01) version`);
  }
  if (kind !== "driver") version = version.toUpperCase();
  const measurements = parsePayload(single(root, "Payload"));
  if (!measurements.some((m) => m.active)) rimFail("MALFORMED_RIM", "the RIM has no active measurement");
  return { product, edition, version, tagId, kind, arch, measurements };
}
