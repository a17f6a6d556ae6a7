// Low-level half of the Wasm binary reader (re-exported by ./wasm-reader.ts, the module-level entry point):
// bounds-checked byte cursor with LEB128 decoding, value/block types, and the operator decoder that reads
// every operator with its immediates (opcode tables in ./wasm-opcodes.ts). Malformed input always ends in
// a WasmReadError: every read is checked against the end of its section or body, and every vector count
// against the bytes left, so a hostile length can neither loop for long nor allocate much.
import {
  PREFIX_FC_OPS,
  PREFIX_FE_OPS,
  SINGLE_BYTE_OPS,
  simdOp,
  type ImmediateKind,
  type OpCategory,
  type OpInfo,
} from "./wasm-opcodes";

export { isFloatOpName, type OpCategory } from "./wasm-opcodes";

export class WasmReadError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte 0x${offset.toString(16)})`);
    this.name = "WasmReadError";
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------------------------------
// Byte-level reader

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Cursor over bytes[pos, end); every read fails cleanly instead of running past `end`. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly end: number;
  pos: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) throw new WasmReadError("range out of bounds", start);
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, at: number = this.pos): never {
    throw new WasmReadError(message, at);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos++];
  }

  peekU8(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos];
  }

  take(length: number): Uint8Array {
    if (length < 0 || length > this.remaining) this.fail(`length ${length} exceeds the ${this.remaining} bytes left`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail("u32 LEB128 is longer than 5 bytes", start);
        if (byte & 0x70) this.fail("u32 LEB128 value exceeds 32 bits", start);
      }
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("u32 LEB128 is longer than 5 bytes", start);
  }

  /** Signed LEB128, at most 5 bytes, value in i32 range. */
  i32(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail("i32 LEB128 is longer than 5 bytes", start);
        const signExtension = byte & 0x70;
        if (signExtension !== ((byte & 0x08) ? 0x70 : 0)) this.fail("i32 LEB128 value exceeds 32 bits", start);
        return (result | ((byte & 0x0f) << 28)) | 0;
      }
      result |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) {
        const shift = 7 * (i + 1);
        if (byte & 0x40) result |= -1 << shift;
        return result | 0;
      }
    }
    return this.fail("i32 LEB128 is longer than 5 bytes", start);
  }

  /** Signed 33-bit LEB128 (block type indices, heap types), at most 5 bytes. */
  s33(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail("s33 LEB128 is longer than 5 bytes", start);
        if ((byte & 0x60) !== ((byte & 0x10) ? 0x60 : 0)) this.fail("s33 LEB128 value exceeds 33 bits", start);
      }
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        const bits = 7 * (i + 1);
        return byte & 0x40 ? result - 2 ** bits : result;
      }
    }
    return this.fail("s33 LEB128 is longer than 5 bytes", start);
  }

  /** Signed LEB128, at most 10 bytes, value in i64 range. */
  i64(): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail("i64 LEB128 is longer than 10 bytes", start);
        if (byte !== 0x00 && byte !== 0x7f) this.fail("i64 LEB128 value exceeds 64 bits", start);
      }
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        const shift = BigInt(7 * (i + 1));
        if (byte & 0x40) result |= -1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
    return this.fail("i64 LEB128 is longer than 10 bytes", start);
  }

  /** Unsigned LEB128, at most 10 bytes, value < 2^64. */
  u64(): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail("u64 LEB128 is longer than 10 bytes", start);
        if (byte > 1) this.fail("u64 LEB128 value exceeds 64 bits", start);
      }
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("u64 LEB128 is longer than 10 bytes", start);
  }

  f32(): number {
    const raw = this.take(4);
    return new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true);
  }

  f64(): number {
    const raw = this.take(8);
    return new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, true);
  }

  /** A vector length; each element occupies at least `minItemBytes`, so the count is bounded by what is left. */
  count(what: string, minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minItemBytes > this.remaining) this.fail(`${what} count ${n} exceeds the ${this.remaining} bytes left`, at);
    return n;
  }

  name(): string {
    const at = this.pos;
    const raw = this.take(this.count("name byte"));
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail("name is not valid UTF-8", at);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Types

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref" | "exnref" | "ref";

const VALTYPE_BY_BYTE: ReadonlyMap<number, ValType> = new Map<number, ValType>([
  [0x7f, "i32"], [0x7e, "i64"], [0x7d, "f32"], [0x7c, "f64"], [0x7b, "v128"],
  [0x70, "funcref"], [0x6f, "externref"], [0x69, "exnref"],
]);
/** `ref null ht` / `ref ht` (typed function references); the heap type follows as s33. */
const TYPED_REF_BYTES = new Set([0x63, 0x64]);

export function readValType(r: ByteReader): ValType {
  const at = r.pos;
  const byte = r.u8();
  const type = VALTYPE_BY_BYTE.get(byte);
  if (type) return type;
  if (TYPED_REF_BYTES.has(byte)) {
    r.s33();
    return "ref";
  }
  return r.fail(`unknown value type 0x${byte.toString(16)}`, at);
}

export type BlockType =
  | { kind: "empty" }
  | { kind: "value"; type: ValType }
  | { kind: "func"; typeIndex: number };

export function readBlockType(r: ByteReader): BlockType {
  const byte = r.peekU8();
  if (byte === 0x40) {
    r.pos++;
    return { kind: "empty" };
  }
  if (VALTYPE_BY_BYTE.has(byte) || TYPED_REF_BYTES.has(byte)) return { kind: "value", type: readValType(r) };
  const at = r.pos;
  const typeIndex = r.s33();
  if (typeIndex < 0) r.fail("invalid block type", at);
  return { kind: "func", typeIndex };
}

// ---------------------------------------------------------------------------------------------------
// Operators

export interface MemArg {
  align: number;
  offset: number;
  memoryIndex: number;
}

export interface CatchClause {
  kind: "catch" | "catch_ref" | "catch_all" | "catch_all_ref";
  tagIndex?: number;
  labelIndex: number;
}

/** Decoded immediates; which fields are present depends on the operator (see ImmediateKind). */
export interface Immediates {
  blockType?: BlockType;
  labelIndex?: number;
  labels?: number[];
  funcIndex?: number;
  typeIndex?: number;
  tableIndex?: number;
  sourceTableIndex?: number;
  localIndex?: number;
  globalIndex?: number;
  memarg?: MemArg;
  memoryIndex?: number;
  sourceMemoryIndex?: number;
  dataIndex?: number;
  elemIndex?: number;
  tagIndex?: number;
  heapType?: number;
  valueTypes?: ValType[];
  catches?: CatchClause[];
  i32?: number;
  i64?: bigint;
  float?: number;
  v128?: Uint8Array;
  lane?: number;
}

export interface Operator {
  /** Text-format name, e.g. "i32.add", "memory.copy"; SIMD ops without immediates are "simd.0x<sub>". */
  name: string;
  /** First opcode byte (0xFC/0xFD/0xFE for prefixed operators). */
  code: number;
  /** Sub-opcode of a prefixed operator. */
  sub?: number;
  /** Byte range of the whole instruction (opcode and immediates) within the module. */
  start: number;
  end: number;
  category: OpCategory;
  /** Reads, produces or converts f32/f64 values (MVP float ops and saturating truncations). */
  float: boolean;
  imm: Immediates;
}

function readMemArg(r: ByteReader): MemArg {
  let align = r.u32();
  let memoryIndex = 0;
  if (align & 0x40) {
    align &= ~0x40;
    memoryIndex = r.u32();
  }
  return { align, offset: r.u32(), memoryIndex };
}

const CATCH_KINDS: readonly CatchClause["kind"][] = ["catch", "catch_ref", "catch_all", "catch_all_ref"];

function readImmediates(r: ByteReader, kind: ImmediateKind): Immediates {
  switch (kind) {
    case "none": return {};
    case "blocktype": return { blockType: readBlockType(r) };
    case "label": return { labelIndex: r.u32() };
    case "br_table": {
      const n = r.count("br_table label");
      const labels: number[] = [];
      for (let i = 0; i < n; i++) labels.push(r.u32());
      return { labels, labelIndex: r.u32() };
    }
    case "func": return { funcIndex: r.u32() };
    case "call_indirect": {
      const typeIndex = r.u32();
      return { typeIndex, tableIndex: r.u32() };
    }
    case "type": return { typeIndex: r.u32() };
    case "local": return { localIndex: r.u32() };
    case "global": return { globalIndex: r.u32() };
    case "table": return { tableIndex: r.u32() };
    case "memarg": return { memarg: readMemArg(r) };
    case "memidx": return { memoryIndex: r.u32() };
    case "i32": return { i32: r.i32() };
    case "i64": return { i64: r.i64() };
    case "f32": return { float: r.f32() };
    case "f64": return { float: r.f64() };
    case "select_t": {
      const n = r.count("select type");
      const valueTypes: ValType[] = [];
      for (let i = 0; i < n; i++) valueTypes.push(readValType(r));
      return { valueTypes };
    }
    case "heaptype": return { heapType: r.s33() };
    case "tag": return { tagIndex: r.u32() };
    case "try_table": {
      const blockType = readBlockType(r);
      const n = r.count("try_table catch clause", 2);
      const catches: CatchClause[] = [];
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const clauseKind = CATCH_KINDS[r.u8()];
        if (!clauseKind) r.fail("unknown try_table catch kind", at);
        const tagIndex = clauseKind === "catch" || clauseKind === "catch_ref" ? r.u32() : undefined;
        catches.push({ kind: clauseKind, tagIndex, labelIndex: r.u32() });
      }
      return { blockType, catches };
    }
    case "mem_init": {
      const dataIndex = r.u32();
      return { dataIndex, memoryIndex: r.u32() };
    }
    case "data": return { dataIndex: r.u32() };
    case "mem_copy": {
      const memoryIndex = r.u32();
      return { memoryIndex, sourceMemoryIndex: r.u32() };
    }
    case "table_init": {
      const elemIndex = r.u32();
      return { elemIndex, tableIndex: r.u32() };
    }
    case "elem": return { elemIndex: r.u32() };
    case "table_copy": {
      const tableIndex = r.u32();
      return { tableIndex, sourceTableIndex: r.u32() };
    }
    case "v128": return { v128: r.take(16) };
    case "lane": return { lane: r.u8() };
    case "memarg_lane": {
      const memarg = readMemArg(r);
      return { memarg, lane: r.u8() };
    }
    case "zero_byte": {
      const at = r.pos;
      if (r.u8() !== 0) r.fail("expected a zero byte", at);
      return {};
    }
  }
}

/** Decodes the single operator at r.pos. */
export function decodeOperator(r: ByteReader): Operator {
  const start = r.pos;
  const code = r.u8();
  let sub: number | undefined;
  let opInfo: OpInfo | undefined;
  if (code === 0xfc || code === 0xfd || code === 0xfe) {
    sub = r.u32();
    opInfo = code === 0xfc ? PREFIX_FC_OPS.get(sub) : code === 0xfd ? simdOp(sub) : PREFIX_FE_OPS.get(sub);
  } else {
    opInfo = SINGLE_BYTE_OPS[code];
  }
  if (!opInfo) {
    const label = sub === undefined ? `0x${code.toString(16)}` : `0x${code.toString(16)} ${sub}`;
    return r.fail(`unknown opcode ${label}`, start);
  }
  const imm = readImmediates(r, opInfo.imm);
  const category = opInfo.category;
  return { name: opInfo.name, code, sub, start, end: r.pos, category, float: category === "float" || category === "sat-trunc", imm };
}

/** +1 for operators that open a block, -1 for those that close one (end, delegate), else 0. */
function blockDepthChange(op: Operator): number {
  if (op.sub !== undefined) return 0;
  switch (op.code) {
    case 0x02: case 0x03: case 0x04: case 0x06: case 0x1f: return 1;
    case 0x0b: case 0x18: return -1;
    default: return 0;
  }
}

/**
 * Iterates the operators of an expression in bytes[start, end), which must close its implicit outer
 * block with an `end` exactly at `end` (the final `end` is yielded too).
 */
export function* readOperators(bytes: Uint8Array, start: number, end: number): Generator<Operator, void, undefined> {
  const r = new ByteReader(bytes, start, end);
  let depth = 1;
  while (!r.atEnd) {
    const op = decodeOperator(r);
    depth += blockDepthChange(op);
    yield op;
    if (depth === 0) {
      if (!r.atEnd) r.fail("bytes after the final end of the expression");
      return;
    }
  }
  r.fail("expression is not terminated by end");
}

/** Byte range of a constant expression, including its terminating `end`. */
export interface ExprRange {
  start: number;
  end: number;
}

/** Skips over a constant expression (global initialiser, segment offset) starting at r.pos. */
export function readConstExpr(r: ByteReader): ExprRange {
  const start = r.pos;
  let depth = 1;
  while (depth > 0) {
    const op = decodeOperator(r);
    depth += blockDepthChange(op);
  }
  return { start, end: r.pos };
}
