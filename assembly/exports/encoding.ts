// Encoding primitives reachable from JS (tests and tools).
import { input, blob } from "../abi";
import { base64DecodeRange, base64Encode } from "../encoding/base64";
import { parseJson, jsonError, JsonValue } from "../encoding/json";
import { JsonWriter } from "../encoding/json-writer";
import { utf8 } from "../encoding/bytes";

/** Decodes base64 (flags: bit0 url-safe, bit1 padding optional); returns a blob, or 0 on invalid input. */
export function base64_decode(pointer: usize, length: u32, flags: u32): usize {
  const text = input(pointer, length);
  const decoded = base64DecodeRange(text, 0, text.length, (flags & 1) != 0, (flags & 2) == 0);
  return decoded === null ? 0 : blob(decoded);
}

export function base64_encode(pointer: usize, length: u32, flags: u32): usize {
  return blob(utf8(base64Encode(input(pointer, length), (flags & 1) != 0, (flags & 4) == 0)));
}

/** Parses JSON and returns a blob with {"ok":true,"kind":k,"start":s,"end":e,"keys":[…]} for the root
 * (or of the member at `path`, dot-separated), or {"ok":false,"error":"…"}. Used to test spans. */
export function json_probe(pointer: usize, length: u32, pathPointer: usize, pathLength: u32): usize {
  const source = input(pointer, length);
  const path = String.UTF8.decode(input(pathPointer, pathLength).buffer);
  const w = new JsonWriter();
  let value = parseJson(source);
  w.beginObject();
  if (value === null) {
    w.fieldBool("ok", false).fieldString("error", jsonError).endObject();
    return blob(w.toBytes());
  }
  if (path.length > 0) {
    const parts = path.split(".");
    for (let i = 0; i < parts.length && value !== null; i++) {
      const v: JsonValue = value;
      value = v.isArray ? v.at(I32.parseInt(parts[i])) : v.get(parts[i]);
    }
  }
  if (value === null) {
    w.fieldBool("ok", false).fieldString("error", "path not found").endObject();
    return blob(w.toBytes());
  }
  const found: JsonValue = value;
  w.fieldBool("ok", true).fieldU64("kind", <u64>found.kind).fieldU64("start", <u64>found.start).fieldU64("end", <u64>found.end);
  const text = found.asString();
  if (text !== null) w.fieldString("string", text);
  const number = found.asU64();
  if (number.ok) w.fieldString("u64", number.value.toString());
  w.key("keys").beginArray();
  for (let i = 0; i < found.keys.length; i++) w.string(found.keys[i]);
  w.endArray().endObject();
  return blob(w.toBytes());
}
