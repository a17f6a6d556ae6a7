// The RIM governance tool's API: verify NVIDIA RIMs (XMLDSig + signer chain to the pinned CoRIM root at
// a given time) and turn the verified driver + VBIOS RIMs into the golden-measurement JSON governance
// uploads (what `tee-attest rim extract` writes). Every failure is a stable code (errors.ts).
import { createHash } from "node:crypto";
import { RimError, type RimErrorInfo } from "./errors";
import { loadRimRoot } from "./roots";
import { verifyRimSignature } from "./verify";
import { parseRimContent, type RimContent } from "./extract";
import { buildGolden, driverRimId, biosRimId, type GoldenEntry } from "./golden";

export { RIM_ERROR_CODES, RimError, type RimErrorCode, type RimErrorInfo } from "./errors";
export { NVIDIA_CORIM_ROOT_PEM, NVIDIA_CORIM_ROOT_SPKI_SHA256 } from "./roots";
export type { RimContent, RimMeasurement, RimKind, RimArch } from "./extract";
export type { GoldenEntry as RimGoldenEntry } from "./golden";

export interface RimOptions {
  /** Check time: Unix seconds, bigint or Date; default now. */
  at?: number | bigint | Date;
  /** A test root (PEM or DER) instead of the pinned NVIDIA CoRIM signing root. */
  rootPem?: string | Uint8Array;
}

export interface RimSigner { subject: string; issuer: string; serial: string; not_before: number; not_after: number }

export interface VerifiedRim extends RimContent {
  /** NVIDIA-style RIM id (see golden.ts driverRimId / biosRimId). */
  rim_id: string;
  /** SHA-256 of the RIM file as given, so voters can re-derive the entry from the same bytes. */
  sha256: string;
  signer: RimSigner;
  /** Subjects of the chain above the signer, ending with the pinned root. */
  chain: string[];
}

export type RimVerdict = { ok: true; rim: VerifiedRim; error: null } | { ok: false; error: RimErrorInfo };
export type GoldenVerdict =
  | { ok: true; golden: GoldenEntry | GoldenEntry[]; rims: VerifiedRim[]; error: null }
  | { ok: false; rims: VerifiedRim[]; error: RimErrorInfo };

function atSeconds(at: RimOptions["at"]): number {
  if (at === undefined) return Math.floor(Date.now() / 1000);
  if (at instanceof Date) return Math.floor(at.getTime() / 1000);
  return Number(at);
}

function asError(err: unknown, file?: string): RimErrorInfo {
  if (err instanceof RimError) return { code: err.code, message: err.message, ...(file === undefined ? {} : { file }) };
  throw err;
}

function verifyOne(xml: string | Uint8Array, options: RimOptions, fileName: string): VerifiedRim {
  const bytes = typeof xml === "string" ? Buffer.from(xml, "utf8") : Buffer.from(xml);
  const text = typeof xml === "string" ? xml : bytes.toString("utf8");
  const anchor = loadRimRoot(options.rootPem);
  const verified = verifyRimSignature(text, anchor, atSeconds(options.at));
  const content = parseRimContent(verified.signedXml);
  const signer = verified.chain.path[0];
  return {
    ...content,
    rim_id: content.kind === "driver" ? driverRimId(content) : biosRimId(content, fileName),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    signer: {
      subject: signer.fields.subject.cn ?? "", issuer: signer.fields.issuer.cn ?? "", serial: signer.fields.serial,
      not_before: signer.fields.not_before, not_after: signer.fields.not_after,
    },
    chain: [...verified.chain.path.slice(1), verified.chain.anchor].map((c) => c.fields.subject.cn ?? ""),
  };
}

/** Verifies one RIM and reads its measurements from the signed content. `fileName` only labels the id. */
export function verifyRim(xml: string | Uint8Array, options: RimOptions = {}, fileName = ""): RimVerdict {
  try {
    return { ok: true, rim: verifyOne(xml, options, fileName), error: null };
  } catch (err) {
    return { ok: false, error: asError(err) };
  }
}

/** Verifies every RIM and builds the golden entries: one object for a single entry, else an array. */
export function extractGolden(files: { name: string; xml: string | Uint8Array }[], options: RimOptions = {}): GoldenVerdict {
  const rims: VerifiedRim[] = [];
  for (const f of files) {
    try {
      rims.push(verifyOne(f.xml, options, f.name));
    } catch (err) {
      return { ok: false, rims, error: asError(err, f.name) };
    }
  }
  try {
    const entries = buildGolden(rims.map((r) => ({ content: r, id: r.rim_id })));
    return { ok: true, golden: entries.length === 1 ? entries[0] : entries, rims, error: null };
  } catch (err) {
    return { ok: false, rims, error: asError(err) };
  }
}
