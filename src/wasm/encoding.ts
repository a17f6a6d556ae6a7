// Typed wrappers for the encoding exports of verifier.wasm.
import { run, put, putString, takeBlob, takeJson, callExport } from "./loader";

export function wasmBase64Decode(text: string, options: { urlSafe?: boolean; paddingOptional?: boolean } = {}): Uint8Array | null {
  return run((w) => takeBlob(w, callExport(w, "base64_decode", ...putString(w, text), (options.urlSafe ? 1 : 0) | (options.paddingOptional ? 2 : 0))));
}

export function wasmBase64Encode(bytes: Uint8Array, options: { urlSafe?: boolean; noPadding?: boolean } = {}): string {
  return run((w) => new TextDecoder().decode(takeBlob(w, callExport(w, "base64_encode", ...put(w, bytes), (options.urlSafe ? 1 : 0) | (options.noPadding ? 4 : 0)))!));
}

export interface JsonProbe { ok: boolean; error?: string; kind?: number; start?: number; end?: number; string?: string; u64?: string; keys?: string[] }

export function wasmJsonProbe(source: Uint8Array | string, path = ""): JsonProbe {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  return run((w) => {
    const [p, n] = put(w, bytes);
    const [pp, pn] = putString(w, path);
    return takeJson<JsonProbe>(w, callExport(w, "json_probe", p, n, pp, pn));
  });
}
