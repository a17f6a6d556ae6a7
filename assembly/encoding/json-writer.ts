// Streaming JSON writer: objects, arrays, escaped strings, integer numbers, raw JSON. Commas are
// inserted automatically, so callers only say what comes next. Output is compact (no whitespace),
// which is what CosmWasm and our verdicts use.
import { ByteBuffer } from "./bytes";

const HEX = "0123456789abcdef";

export class JsonWriter {
  readonly out: ByteBuffer = new ByteBuffer(256);
  // One entry per open container: true until its first element has been written.
  private first: Array<bool> = [];
  private afterKey: bool = false;

  private separate(): void {
    if (this.afterKey) { this.afterKey = false; return; }
    const depth = this.first.length;
    if (depth == 0) return;
    if (this.first[depth - 1]) this.first[depth - 1] = false;
    else this.out.pushByte(0x2c);
  }

  beginObject(): JsonWriter { this.separate(); this.out.pushByte(0x7b); this.first.push(true); return this; }
  endObject(): JsonWriter { this.first.pop(); this.out.pushByte(0x7d); return this; }
  beginArray(): JsonWriter { this.separate(); this.out.pushByte(0x5b); this.first.push(true); return this; }
  endArray(): JsonWriter { this.first.pop(); this.out.pushByte(0x5d); return this; }

  key(name: string): JsonWriter {
    this.separate();
    this.writeQuoted(name);
    this.out.pushByte(0x3a);
    this.afterKey = true;
    return this;
  }

  string(value: string): JsonWriter { this.separate(); this.writeQuoted(value); return this; }
  u64(value: u64): JsonWriter { this.separate(); this.out.pushString(value.toString()); return this; }
  i64(value: i64): JsonWriter { this.separate(); this.out.pushString(value.toString()); return this; }
  bool(value: bool): JsonWriter { this.separate(); this.out.pushString(value ? "true" : "false"); return this; }
  null(): JsonWriter { this.separate(); this.out.pushString("null"); return this; }
  /** Inserts already-serialised JSON (the caller vouches for its validity). */
  raw(json: Uint8Array): JsonWriter { this.separate(); this.out.pushBytes(json); return this; }
  rawString(json: string): JsonWriter { this.separate(); this.out.pushString(json); return this; }

  // Convenience: "key": value
  fieldString(name: string, value: string): JsonWriter { return this.key(name).string(value); }
  fieldU64(name: string, value: u64): JsonWriter { return this.key(name).u64(value); }
  fieldBool(name: string, value: bool): JsonWriter { return this.key(name).bool(value); }
  fieldNull(name: string): JsonWriter { return this.key(name).null(); }

  toBytes(): Uint8Array { return this.out.toBytes(); }
  toString(): string { return this.out.toUtf8String(); }

  private writeQuoted(text: string): void {
    const out = this.out;
    out.pushByte(0x22);
    // Almost every string we write (hex, names, codes) needs no escaping: copied as is.
    if (out.pushPlainAscii(text, true)) { out.pushByte(0x22); return; }
    const bytes = Uint8Array.wrap(String.UTF8.encode(text));
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c == 0x22 || c == 0x5c) { out.pushByte(0x5c); out.pushByte(c); }
      else if (c == 0x0a) { out.pushByte(0x5c); out.pushByte(0x6e); }
      else if (c == 0x0d) { out.pushByte(0x5c); out.pushByte(0x72); }
      else if (c == 0x09) { out.pushByte(0x5c); out.pushByte(0x74); }
      else if (c < 0x20) {
        out.pushString("\\u00");
        out.pushByte(<u8>HEX.charCodeAt(c >> 4));
        out.pushByte(<u8>HEX.charCodeAt(c & 15));
      } else out.pushByte(c);
    }
    out.pushByte(0x22);
  }
}
