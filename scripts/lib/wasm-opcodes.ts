// WebAssembly opcode tables for scripts/lib/wasm-reader.ts: name, immediate layout and feature category of
// every operator we decode (MVP, sign-extension, 0xFC sat-trunc/bulk-memory/table ops, 0xFD SIMD, 0xFE
// threads, reference types, exceptions, tail calls). Kept separate from the reader so that the decoding
// logic stays short and the tables can be reviewed against the spec's opcode index on their own.

/** Which proposal an operator belongs to; "float" marks MVP operators that touch f32/f64. */
export type OpCategory =
  | "mvp"
  | "float"
  | "sign-ext"
  | "sat-trunc"
  | "bulk-memory"
  | "simd"
  | "threads"
  | "reference-types"
  | "exceptions"
  | "tail-call";

/** How an operator's immediates are laid out in the binary. */
export type ImmediateKind =
  | "none"
  | "blocktype" // block, loop, if, try
  | "label" // br, br_if, rethrow, delegate
  | "br_table" // vec(label) + default label
  | "func" // call, return_call, ref.func
  | "call_indirect" // type index + table index
  | "type" // call_ref, return_call_ref
  | "local"
  | "global"
  | "table" // table.get/set/grow/size/fill
  | "memarg" // align + offset (+ memory index when align bit 6 is set)
  | "memidx" // memory.size, memory.grow, memory.fill
  | "i32"
  | "i64"
  | "f32"
  | "f64"
  | "select_t" // vec(valtype)
  | "heaptype" // ref.null
  | "tag" // throw, catch
  | "try_table" // blocktype + vec(catch clause)
  | "mem_init" // data index + memory index
  | "data" // data.drop
  | "mem_copy" // memory index x2
  | "table_init" // elem index + table index
  | "elem" // elem.drop
  | "table_copy" // table index x2
  | "v128" // 16 literal bytes (v128.const, i8x16.shuffle)
  | "lane" // one lane-index byte
  | "memarg_lane" // memarg + lane-index byte
  | "zero_byte"; // atomic.fence: one reserved 0x00 byte

export interface OpInfo {
  name: string;
  imm: ImmediateKind;
  category: OpCategory;
}

/** True for operators whose name says they read, produce or convert f32/f64 values. */
export function isFloatOpName(name: string): boolean {
  return /^f(32|64)\./.test(name) || /_f(32|64)(_|$)/.test(name);
}

function info(name: string, imm: ImmediateKind, category?: OpCategory): OpInfo {
  return { name, imm, category: category ?? (isFloatOpName(name) ? "float" : "mvp") };
}

/** Single-byte opcodes (index = opcode). */
export const SINGLE_BYTE_OPS: ReadonlyArray<OpInfo | undefined> = (() => {
  const table: (OpInfo | undefined)[] = new Array(256).fill(undefined);
  const set = (code: number, name: string, imm: ImmediateKind = "none", category?: OpCategory) => {
    table[code] = info(name, imm, category);
  };
  set(0x00, "unreachable");
  set(0x01, "nop");
  set(0x02, "block", "blocktype");
  set(0x03, "loop", "blocktype");
  set(0x04, "if", "blocktype");
  set(0x05, "else");
  set(0x06, "try", "blocktype", "exceptions");
  set(0x07, "catch", "tag", "exceptions");
  set(0x08, "throw", "tag", "exceptions");
  set(0x09, "rethrow", "label", "exceptions");
  set(0x0a, "throw_ref", "none", "exceptions");
  set(0x0b, "end");
  set(0x0c, "br", "label");
  set(0x0d, "br_if", "label");
  set(0x0e, "br_table", "br_table");
  set(0x0f, "return");
  set(0x10, "call", "func");
  set(0x11, "call_indirect", "call_indirect");
  set(0x12, "return_call", "func", "tail-call");
  set(0x13, "return_call_indirect", "call_indirect", "tail-call");
  set(0x14, "call_ref", "type", "reference-types");
  set(0x15, "return_call_ref", "type", "tail-call");
  set(0x18, "delegate", "label", "exceptions");
  set(0x19, "catch_all", "none", "exceptions");
  set(0x1a, "drop");
  set(0x1b, "select");
  set(0x1c, "select", "select_t", "reference-types");
  set(0x1f, "try_table", "try_table", "exceptions");
  set(0x20, "local.get", "local");
  set(0x21, "local.set", "local");
  set(0x22, "local.tee", "local");
  set(0x23, "global.get", "global");
  set(0x24, "global.set", "global");
  set(0x25, "table.get", "table", "reference-types");
  set(0x26, "table.set", "table", "reference-types");
  const memoryOps = [
    "i32.load", "i64.load", "f32.load", "f64.load",
    "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
    "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u",
    "i32.store", "i64.store", "f32.store", "f64.store",
    "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32",
  ];
  memoryOps.forEach((name, i) => set(0x28 + i, name, "memarg"));
  set(0x3f, "memory.size", "memidx");
  set(0x40, "memory.grow", "memidx");
  set(0x41, "i32.const", "i32");
  set(0x42, "i64.const", "i64");
  set(0x43, "f32.const", "f32");
  set(0x44, "f64.const", "f64");
  const numeric = [
    "i32.eqz", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u",
    "i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u",
    "f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le", "f32.ge",
    "f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge",
    "i32.clz", "i32.ctz", "i32.popcnt", "i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u",
    "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s", "i32.shr_u", "i32.rotl", "i32.rotr",
    "i64.clz", "i64.ctz", "i64.popcnt", "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u",
    "i64.and", "i64.or", "i64.xor", "i64.shl", "i64.shr_s", "i64.shr_u", "i64.rotl", "i64.rotr",
    "f32.abs", "f32.neg", "f32.ceil", "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt",
    "f32.add", "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign",
    "f64.abs", "f64.neg", "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest", "f64.sqrt",
    "f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign",
    "i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
    "i64.extend_i32_s", "i64.extend_i32_u", "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
    "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u", "f32.demote_f64",
    "f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
    "i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64",
  ];
  numeric.forEach((name, i) => set(0x45 + i, name));
  if (0x45 + numeric.length !== 0xc0) throw new Error("internal: numeric opcode table is misaligned");
  ["i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"].forEach((name, i) =>
    set(0xc0 + i, name, "none", "sign-ext"),
  );
  set(0xd0, "ref.null", "heaptype", "reference-types");
  set(0xd1, "ref.is_null", "none", "reference-types");
  set(0xd2, "ref.func", "func", "reference-types");
  return table;
})();

/** 0xFC prefix: saturating truncation (0-7), bulk memory (8-11), table operations (12-17). */
export const PREFIX_FC_OPS: ReadonlyMap<number, OpInfo> = new Map<number, OpInfo>([
  [0, info("i32.trunc_sat_f32_s", "none", "sat-trunc")],
  [1, info("i32.trunc_sat_f32_u", "none", "sat-trunc")],
  [2, info("i32.trunc_sat_f64_s", "none", "sat-trunc")],
  [3, info("i32.trunc_sat_f64_u", "none", "sat-trunc")],
  [4, info("i64.trunc_sat_f32_s", "none", "sat-trunc")],
  [5, info("i64.trunc_sat_f32_u", "none", "sat-trunc")],
  [6, info("i64.trunc_sat_f64_s", "none", "sat-trunc")],
  [7, info("i64.trunc_sat_f64_u", "none", "sat-trunc")],
  [8, info("memory.init", "mem_init", "bulk-memory")],
  [9, info("data.drop", "data", "bulk-memory")],
  [10, info("memory.copy", "mem_copy", "bulk-memory")],
  [11, info("memory.fill", "memidx", "bulk-memory")],
  [12, info("table.init", "table_init", "bulk-memory")],
  [13, info("elem.drop", "elem", "bulk-memory")],
  [14, info("table.copy", "table_copy", "bulk-memory")],
  [15, info("table.grow", "table", "reference-types")],
  [16, info("table.size", "table", "reference-types")],
  [17, info("table.fill", "table", "reference-types")],
]);

/** Named 0xFD (SIMD) operators that carry immediates; every other SIMD opcode has none. */
const SIMD_WITH_IMMEDIATES: ReadonlyMap<number, [string, ImmediateKind]> = new Map<number, [string, ImmediateKind]>([
  [0, ["v128.load", "memarg"]],
  [1, ["v128.load8x8_s", "memarg"]],
  [2, ["v128.load8x8_u", "memarg"]],
  [3, ["v128.load16x4_s", "memarg"]],
  [4, ["v128.load16x4_u", "memarg"]],
  [5, ["v128.load32x2_s", "memarg"]],
  [6, ["v128.load32x2_u", "memarg"]],
  [7, ["v128.load8_splat", "memarg"]],
  [8, ["v128.load16_splat", "memarg"]],
  [9, ["v128.load32_splat", "memarg"]],
  [10, ["v128.load64_splat", "memarg"]],
  [11, ["v128.store", "memarg"]],
  [12, ["v128.const", "v128"]],
  [13, ["i8x16.shuffle", "v128"]],
  [21, ["i8x16.extract_lane_s", "lane"]],
  [22, ["i8x16.extract_lane_u", "lane"]],
  [23, ["i8x16.replace_lane", "lane"]],
  [24, ["i16x8.extract_lane_s", "lane"]],
  [25, ["i16x8.extract_lane_u", "lane"]],
  [26, ["i16x8.replace_lane", "lane"]],
  [27, ["i32x4.extract_lane", "lane"]],
  [28, ["i32x4.replace_lane", "lane"]],
  [29, ["i64x2.extract_lane", "lane"]],
  [30, ["i64x2.replace_lane", "lane"]],
  [31, ["f32x4.extract_lane", "lane"]],
  [32, ["f32x4.replace_lane", "lane"]],
  [33, ["f64x2.extract_lane", "lane"]],
  [34, ["f64x2.replace_lane", "lane"]],
  [84, ["v128.load8_lane", "memarg_lane"]],
  [85, ["v128.load16_lane", "memarg_lane"]],
  [86, ["v128.load32_lane", "memarg_lane"]],
  [87, ["v128.load64_lane", "memarg_lane"]],
  [88, ["v128.store8_lane", "memarg_lane"]],
  [89, ["v128.store16_lane", "memarg_lane"]],
  [90, ["v128.store32_lane", "memarg_lane"]],
  [91, ["v128.store64_lane", "memarg_lane"]],
  [92, ["v128.load32_zero", "memarg"]],
  [93, ["v128.load64_zero", "memarg"]],
]);

/** Highest SIMD sub-opcode in use: fixed-width SIMD ends at 0xFF, relaxed SIMD uses 0x100-0x113. */
const SIMD_MAX_SUBOPCODE = 0x113;

/**
 * 0xFD prefix. SIMD operators are only classified (the linter rejects them all), so operators without
 * immediates get a generic name `simd.0x<sub-opcode>`; the immediate layout is exact for all of them.
 */
export function simdOp(sub: number): OpInfo | undefined {
  if (sub < 0 || sub > SIMD_MAX_SUBOPCODE) return undefined;
  const known = SIMD_WITH_IMMEDIATES.get(sub);
  if (known) return { name: known[0], imm: known[1], category: "simd" };
  return { name: `simd.0x${sub.toString(16)}`, imm: "none", category: "simd" };
}

/** 0xFE prefix (threads): notify/wait, fence, then atomic loads, stores and read-modify-write ops. */
export const PREFIX_FE_OPS: ReadonlyMap<number, OpInfo> = (() => {
  const map = new Map<number, OpInfo>();
  const add = (sub: number, name: string, imm: ImmediateKind = "memarg") => map.set(sub, { name, imm, category: "threads" });
  add(0x00, "memory.atomic.notify");
  add(0x01, "memory.atomic.wait32");
  add(0x02, "memory.atomic.wait64");
  add(0x03, "atomic.fence", "zero_byte");
  const loads = ["i32.atomic.load", "i64.atomic.load", "i32.atomic.load8_u", "i32.atomic.load16_u",
    "i64.atomic.load8_u", "i64.atomic.load16_u", "i64.atomic.load32_u"];
  loads.forEach((name, i) => add(0x10 + i, name));
  const stores = ["i32.atomic.store", "i64.atomic.store", "i32.atomic.store8", "i32.atomic.store16",
    "i64.atomic.store8", "i64.atomic.store16", "i64.atomic.store32"];
  stores.forEach((name, i) => add(0x17 + i, name));
  const rmwOps = ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"];
  rmwOps.forEach((op, group) => {
    const base = 0x1e + group * 7;
    const u = `${op}_u`;
    add(base + 0, `i32.atomic.rmw.${op}`);
    add(base + 1, `i64.atomic.rmw.${op}`);
    add(base + 2, `i32.atomic.rmw8.${u}`);
    add(base + 3, `i32.atomic.rmw16.${u}`);
    add(base + 4, `i64.atomic.rmw8.${u}`);
    add(base + 5, `i64.atomic.rmw16.${u}`);
    add(base + 6, `i64.atomic.rmw32.${u}`);
  });
  return map;
})();
