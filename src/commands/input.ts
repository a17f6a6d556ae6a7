// Reading evidence files for the CLI: binary, hex (with or without 0x, whitespace ignored) or base64
// (standard or url-safe). Text is decoded only when the whole file is valid in that encoding.
import { readFileSync } from "node:fs";

export class UsageError extends Error {}

/** The bytes of an evidence file, decoding hex or base64 text. Throws UsageError if unreadable. */
export function readEvidence(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return decodeEvidence(raw);
}

export function decodeEvidence(raw: Uint8Array): Uint8Array {
  // PEM stays as is: without "=" padding, "-----BEGINCERTIFICATE-----…" would pass for url-safe base64.
  if (Buffer.from(raw).toString("latin1").includes("-----BEGIN ")) return new Uint8Array(raw);
  const text = Buffer.from(raw).toString("latin1").replace(/\s+/g, "");
  const hex = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (hex.length > 0 && hex.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(hex)) return new Uint8Array(Buffer.from(hex, "hex"));
  if (text.length > 0 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && isMostlyText(raw)) {
    const b = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length > 0) return new Uint8Array(b);
  }
  return new Uint8Array(raw);
}

function isMostlyText(raw: Uint8Array): boolean {
  for (const b of raw) if (b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e) return false;
  return true;
}

/** Parses --at: a UNIX time in seconds or an ISO-8601 date; default now. */
export function parseAt(at: string | undefined): bigint {
  if (at === undefined) return BigInt(Math.floor(Date.now() / 1000));
  if (/^\d+$/.test(at)) return BigInt(at);
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new UsageError(`--at: not a UNIX time or ISO date: ${at}`);
  return BigInt(Math.floor(ms / 1000));
}
