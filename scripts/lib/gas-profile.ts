// Per-function gas profile by binary rewriting: like gas-meter.ts `instrument()`, but each defined
// function gets its own i64 counter of the CosmWasm gas (CWg) its own operators cost (self cost, callees
// excluded), exported as "__prof_<function index>". Used to find where a contract call's operators go
// (scripts/registry-gas.ts --profile); measurement only, never uploaded. Names come from the `.wat`
// asc writes beside the module (`(func $name` in definition order).
import { readFileSync, existsSync } from "node:fs";
import { bodyOperators, parseModule, type WasmModule, type FunctionBody } from "./wasm-reader";
import { isAccountingOperator, cwgFor } from "./gas-meter";

const OP_GLOBAL_GET = 0x23, OP_GLOBAL_SET = 0x24, OP_I64_CONST = 0x42, OP_I64_ADD = 0x7c, OP_END = 0x0b;
const TYPE_I64 = 0x7e, EXPORT_KIND_GLOBAL = 0x03;
const GLOBAL_SECTION = 6, EXPORT_SECTION = 7, CODE_SECTION = 10;
export const PROFILE_PREFIX = "__prof_";

class W {
  parts: number[] = [];
  byte(b: number): void { this.parts.push(b & 0xff); }
  bytes(d: Uint8Array): void { for (const b of d) this.parts.push(b); }
  u32(v: number): void { let x = v >>> 0; do { const b = x & 0x7f; x >>>= 7; this.byte(x === 0 ? b : b | 0x80); } while (x !== 0); }
  i64(value: bigint): void {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn); v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }
  name(t: string): void { const e = new TextEncoder().encode(t); this.u32(e.length); this.bytes(e); }
  finish(): Uint8Array { return Uint8Array.from(this.parts); }
}

function section(id: number, payload: Uint8Array): Uint8Array { const w = new W(); w.byte(id); w.u32(payload.length); w.bytes(payload); return w.finish(); }

function body(m: WasmModule, b: FunctionBody, global: number): Uint8Array {
  const src = m.bytes;
  const w = new W();
  w.bytes(src.subarray(b.bodyStart, b.codeStart));
  let copied = b.codeStart, run = 0;
  for (const op of bodyOperators(m, b)) {
    run++;
    if (!isAccountingOperator(op)) continue;
    w.bytes(src.subarray(copied, op.start));
    w.byte(OP_GLOBAL_GET); w.u32(global); w.byte(OP_I64_CONST); w.i64(cwgFor(BigInt(run), 1n)); w.byte(OP_I64_ADD); w.byte(OP_GLOBAL_SET); w.u32(global);
    copied = op.start; run = 0;
  }
  w.bytes(src.subarray(copied, b.end));
  const code = w.finish();
  const out = new W(); out.u32(code.length); out.bytes(code);
  return out.finish();
}

function extend(m: WasmModule, id: number, count: number, extra: Uint8Array): Uint8Array {
  const s = m.sections.find((x) => x.id === id);
  const w = new W();
  if (!s) { w.u32(count); w.bytes(extra); return w.finish(); }
  // re-read the existing count
  let pos = s.payloadStart, n = 0, shift = 0, b = 0;
  do { b = m.bytes[pos++]; n |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  w.u32(n + count); w.bytes(m.bytes.subarray(pos, s.end)); w.bytes(extra);
  return w.finish();
}

/** A copy of `bytes` with one self-cost counter per defined function. */
export function profileInstrument(bytes: Uint8Array): Uint8Array {
  const m = parseModule(bytes);
  const first = m.importedGlobalCount + m.globals.length;
  const globals = new W(), exports = new W();
  m.bodies.forEach((b, i) => {
    globals.byte(TYPE_I64); globals.byte(1); globals.byte(OP_I64_CONST); globals.byte(0); globals.byte(OP_END);
    exports.name(PROFILE_PREFIX + b.funcIndex); exports.byte(EXPORT_KIND_GLOBAL); exports.u32(first + i);
  });
  const code = new W();
  code.u32(m.bodies.length);
  m.bodies.forEach((b, i) => code.bytes(body(m, b, first + i)));
  const out = new W();
  out.bytes(bytes.subarray(0, 8));
  let globalsDone = false, exportsDone = false;
  const g = section(GLOBAL_SECTION, extend(m, GLOBAL_SECTION, m.bodies.length, globals.finish()));
  const e = section(EXPORT_SECTION, extend(m, EXPORT_SECTION, m.bodies.length, exports.finish()));
  for (const s of m.sections) {
    if (s.id === GLOBAL_SECTION) { out.bytes(g); globalsDone = true; }
    else if (s.id === EXPORT_SECTION) { if (!globalsDone) throw new Error("module without a global section"); out.bytes(e); exportsDone = true; }
    else if (s.id === CODE_SECTION) out.bytes(section(CODE_SECTION, code.finish()));
    else out.bytes(bytes.subarray(s.start, s.end));
  }
  if (!globalsDone || !exportsDone) throw new Error("module needs global and export sections to be profiled");
  return out.finish();
}

/** Adds an instance's counters into `into` (function index -> CWg). */
export function readProfile(exports: WebAssembly.Exports, into: Map<number, bigint>): void {
  for (const [name, value] of Object.entries(exports)) {
    if (!name.startsWith(PROFILE_PREFIX) || !(value instanceof WebAssembly.Global)) continue;
    const cwg = BigInt(value.value as bigint);
    if (cwg === 0n) continue;
    const idx = Number(name.slice(PROFILE_PREFIX.length));
    into.set(idx, (into.get(idx) ?? 0n) + cwg);
  }
}

/** Function index -> name, from the `.wat` beside `wasmPath` (imports first, then definitions). */
export function functionNames(wasmPath: string): Map<number, string> {
  const names = new Map<number, string>();
  const wat = wasmPath.replace(/\.wasm$/, ".wat");
  if (!existsSync(wat)) return names;
  const text = readFileSync(wat, "utf8");
  let i = 0;
  for (const m of text.matchAll(/^\s*\((?:import "[^"]*" "[^"]*" \(func \$([^\s)]+)|func \$([^\s)]+))/gm)) names.set(i++, m[1] ?? m[2]);
  return names;
}
