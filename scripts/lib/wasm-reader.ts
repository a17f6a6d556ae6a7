// A small, bounds-checked WebAssembly binary reader (no dependencies), used by scripts/check-wasm.ts to lint
// our modules against CosmWasm's upload rules and by scripts/lib/gas-meter.ts to rewrite function bodies.
// This file parses the module structure (every standard section, eagerly) and locates function bodies,
// whose operators are decoded lazily by the iterator in ./wasm-decode.ts (re-exported here, so this is
// the one module to import). It decodes; it does not type-check. Malformed input ends in a WasmReadError.
import {
  ByteReader,
  readConstExpr,
  readOperators,
  readValType,
  type ExprRange,
  type Operator,
  type ValType,
} from "./wasm-decode";

export * from "./wasm-decode";

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  min: number;
  max?: number;
  shared: boolean;
  memory64: boolean;
}

export interface TableType {
  refType: ValType;
  limits: Limits;
}

export interface GlobalType {
  valType: ValType;
  mutable: boolean;
}

export type ExternalKind = "func" | "table" | "memory" | "global" | "tag";
const EXTERNAL_KINDS: readonly ExternalKind[] = ["func", "table", "memory", "global", "tag"];

export function formatFuncType(type: FuncType): string {
  const results = type.results.length === 0 ? "()" : type.results.length === 1 ? type.results[0] : `(${type.results.join(", ")})`;
  return `(${type.params.join(", ")}) -> ${results}`;
}

export interface Import {
  module: string;
  name: string;
  kind: ExternalKind;
  /** Function or tag type index. */
  typeIndex?: number;
  table?: TableType;
  memory?: Limits;
  global?: GlobalType;
}

export interface Export {
  name: string;
  kind: ExternalKind;
  index: number;
}

export interface Global {
  type: GlobalType;
  init: ExprRange;
}

export interface ElementSegment {
  mode: "active" | "passive" | "declarative";
  tableIndex: number;
  offset?: ExprRange;
  /** Items are given as constant expressions (flags 4-7) rather than function indices. */
  usesExpressions: boolean;
  itemExprs: ExprRange[];
  functionIndices: number[];
}

export interface DataSegment {
  mode: "active" | "passive";
  memoryIndex: number;
  offset?: ExprRange;
  dataStart: number;
  dataEnd: number;
}

export interface LocalGroup {
  count: number;
  type: ValType;
}

export interface FunctionBody {
  /** Function index in the module's function index space (imported functions come first). */
  funcIndex: number;
  /** Offset of the body-size LEB128. */
  start: number;
  /** First byte after the size (start of the locals vector). */
  bodyStart: number;
  /** First operator byte (after the locals). */
  codeStart: number;
  end: number;
  localGroups: LocalGroup[];
  /** Declared locals (parameters not included). */
  localCount: number;
}

export interface Section {
  id: number;
  name: string;
  /** Offset of the section id byte. */
  start: number;
  payloadStart: number;
  end: number;
  /** Custom sections only. */
  customName?: string;
}

export interface WasmModule {
  bytes: Uint8Array;
  sections: Section[];
  types: FuncType[];
  imports: Import[];
  /** Type index of each function defined in this module (function section). */
  functionTypeIndices: number[];
  tables: TableType[];
  memories: Limits[];
  /** Type index of each defined exception tag. */
  tags: number[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elements: ElementSegment[];
  dataCount?: number;
  data: DataSegment[];
  bodies: FunctionBody[];
  importedFunctionCount: number;
  importedTableCount: number;
  importedMemoryCount: number;
  importedGlobalCount: number;
  importedTagCount: number;
}

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export",
  "start", "element", "code", "data", "datacount", "tag"];
/** Required relative order of the non-custom sections (the tag section sits between memory and global). */
const SECTION_RANK: ReadonlyMap<number, number> = new Map([
  [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [13, 6], [6, 7], [7, 8], [8, 9], [9, 10], [12, 11], [10, 12], [11, 13],
]);

export function sectionName(id: number): string {
  return SECTION_NAMES[id] ?? `unknown(${id})`;
}

export function sectionRank(id: number): number | undefined {
  return SECTION_RANK.get(id);
}

/** Largest local count the binary format allows per function (2^32 - 1). */
const MAX_LOCALS_PER_FUNCTION = 0xffff_ffff;

function readLimits(r: ByteReader, what: string): Limits {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 7) r.fail(`invalid ${what} limits flags 0x${flags.toString(16)}`, at);
  const memory64 = (flags & 0x04) !== 0;
  const readBound = (): number => {
    if (!memory64) return r.u32();
    const boundAt = r.pos;
    const value = r.u64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) r.fail(`${what} limit too large`, boundAt);
    return Number(value);
  };
  const min = readBound();
  const max = flags & 0x01 ? readBound() : undefined;
  return { min, max, shared: (flags & 0x02) !== 0, memory64 };
}

function readTableType(r: ByteReader): TableType {
  const refType = readValType(r);
  return { refType, limits: readLimits(r, "table") };
}

function readGlobalType(r: ByteReader): GlobalType {
  const valType = readValType(r);
  const at = r.pos;
  const mutability = r.u8();
  if (mutability > 1) r.fail("invalid global mutability", at);
  return { valType, mutable: mutability === 1 };
}

function readTypeSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("type", 3);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const form = r.u8();
    if (form === 0x4e || form === 0x50 || form === 0x4f) r.fail("GC type definitions are not supported", at);
    if (form !== 0x60) r.fail(`unknown type form 0x${form.toString(16)}`, at);
    const params: ValType[] = [];
    for (let p = r.count("parameter"); p > 0; p--) params.push(readValType(r));
    const results: ValType[] = [];
    for (let q = r.count("result"); q > 0; q--) results.push(readValType(r));
    m.types.push({ params, results });
  }
}

function readTypeIndex(r: ByteReader, m: WasmModule): number {
  const at = r.pos;
  const index = r.u32();
  if (index >= m.types.length) r.fail(`type index ${index} out of range`, at);
  return index;
}

function readImportSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("import", 4);
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    const at = r.pos;
    const kind = EXTERNAL_KINDS[r.u8()];
    if (!kind) r.fail("unknown import kind", at);
    const entry: Import = { module, name, kind };
    if (kind === "func") {
      entry.typeIndex = readTypeIndex(r, m);
      m.importedFunctionCount++;
    } else if (kind === "table") {
      entry.table = readTableType(r);
      m.importedTableCount++;
    } else if (kind === "memory") {
      entry.memory = readLimits(r, "memory");
      m.importedMemoryCount++;
    } else if (kind === "global") {
      entry.global = readGlobalType(r);
      m.importedGlobalCount++;
    } else {
      if (r.u8() !== 0) r.fail("invalid tag attribute", at + 1);
      entry.typeIndex = readTypeIndex(r, m);
      m.importedTagCount++;
    }
    m.imports.push(entry);
  }
}

function readExportSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("export", 3);
  const seen = new Set<string>();
  const limits: Record<ExternalKind, number> = {
    func: m.importedFunctionCount + m.functionTypeIndices.length,
    table: m.importedTableCount + m.tables.length,
    memory: m.importedMemoryCount + m.memories.length,
    global: m.importedGlobalCount + m.globals.length,
    tag: m.importedTagCount + m.tags.length,
  };
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const name = r.name();
    if (seen.has(name)) r.fail(`duplicate export name "${name}"`, at);
    seen.add(name);
    const kindAt = r.pos;
    const kind = EXTERNAL_KINDS[r.u8()];
    if (!kind) r.fail("unknown export kind", kindAt);
    const index = r.u32();
    if (index >= limits[kind]) r.fail(`export "${name}" refers to ${kind} ${index}, which does not exist`, kindAt);
    m.exports.push({ name, kind, index });
  }
}

function readElementSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("element segment", 2);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail(`invalid element segment flags ${flags}`, at);
    const usesExpressions = (flags & 0x04) !== 0;
    const mode = flags & 0x01 ? (flags & 0x02 ? "declarative" : "passive") : "active";
    let tableIndex = 0;
    let offset: ExprRange | undefined;
    if (mode === "active") {
      if (flags & 0x02) tableIndex = r.u32();
      offset = readConstExpr(r);
    }
    // Flags 0 and 4 imply funcref; the others carry an element kind (0x00) or a reference type.
    if (flags & 0x03) {
      if (usesExpressions) readValType(r);
      else if (r.u8() !== 0x00) r.fail("unknown element kind", r.pos - 1);
    }
    const itemExprs: ExprRange[] = [];
    const functionIndices: number[] = [];
    const items = r.count("element");
    for (let k = 0; k < items; k++) {
      if (usesExpressions) itemExprs.push(readConstExpr(r));
      else functionIndices.push(r.u32());
    }
    m.elements.push({ mode, tableIndex, offset, usesExpressions, itemExprs, functionIndices });
  }
}

function readCodeSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("function body");
  for (let i = 0; i < n; i++) {
    const start = r.pos;
    const size = r.u32();
    const bodyStart = r.pos;
    if (size > r.remaining) r.fail(`function body size ${size} exceeds the section`, start);
    const end = bodyStart + size;
    const body = new ByteReader(r.bytes, bodyStart, end);
    const groups = body.count("local group", 2);
    const localGroups: LocalGroup[] = [];
    let localCount = 0;
    for (let g = 0; g < groups; g++) {
      const count = body.u32();
      localGroups.push({ count, type: readValType(body) });
      localCount += count;
      if (localCount > MAX_LOCALS_PER_FUNCTION) body.fail("too many locals");
    }
    if (body.atEnd) body.fail("function body has no code");
    m.bodies.push({ funcIndex: m.importedFunctionCount + i, start, bodyStart, codeStart: body.pos, end, localGroups, localCount });
    r.pos = end;
  }
}

function readDataSection(r: ByteReader, m: WasmModule): void {
  const n = r.count("data segment", 2);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail(`invalid data segment flags ${flags}`, at);
    const mode = flags === 1 ? "passive" : "active";
    const memoryIndex = flags === 2 ? r.u32() : 0;
    const offset = mode === "active" ? readConstExpr(r) : undefined;
    const length = r.count("data byte");
    const dataStart = r.pos;
    r.take(length);
    m.data.push({ mode, memoryIndex, offset, dataStart, dataEnd: r.pos });
  }
}

function readSectionPayload(id: number, r: ByteReader, m: WasmModule, section: Section): void {
  switch (id) {
    case 0: section.customName = r.name(); r.pos = r.end; break;
    case 1: readTypeSection(r, m); break;
    case 2: readImportSection(r, m); break;
    case 3: for (let n = r.count("function"); n > 0; n--) m.functionTypeIndices.push(readTypeIndex(r, m)); break;
    case 4:
      for (let n = r.count("table", 2); n > 0; n--) {
        if (r.peekU8() === 0x40) {
          // Table with an explicit initialiser (function references): 0x40 0x00 tabletype expr.
          r.pos++;
          if (r.u8() !== 0x00) r.fail("invalid table initialiser prefix", r.pos - 1);
          m.tables.push(readTableType(r));
          readConstExpr(r);
        } else {
          m.tables.push(readTableType(r));
        }
      }
      break;
    case 5: for (let n = r.count("memory", 2); n > 0; n--) m.memories.push(readLimits(r, "memory")); break;
    case 13:
      for (let n = r.count("tag", 2); n > 0; n--) {
        if (r.u8() !== 0) r.fail("invalid tag attribute", r.pos - 1);
        m.tags.push(readTypeIndex(r, m));
      }
      break;
    case 6:
      for (let n = r.count("global", 3); n > 0; n--) {
        const type = readGlobalType(r);
        m.globals.push({ type, init: readConstExpr(r) });
      }
      break;
    case 7: readExportSection(r, m); break;
    case 8: {
      const at = r.pos;
      m.start = r.u32();
      if (m.start >= m.importedFunctionCount + m.functionTypeIndices.length) r.fail("start function index out of range", at);
      break;
    }
    case 9: readElementSection(r, m); break;
    case 12: m.dataCount = r.u32(); break;
    case 10: readCodeSection(r, m); break;
    case 11: readDataSection(r, m); break;
    default: r.fail(`unknown section id ${id}`, section.start);
  }
}

/** Parses the module structure. Function bodies are located but their operators are decoded lazily. */
export function parseModule(bytes: Uint8Array): WasmModule {
  const r = new ByteReader(bytes);
  if (bytes.length < 8) r.fail("too short to be a Wasm module", 0);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) r.fail("bad magic number", 0);
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if (version !== 1) r.fail(`unsupported binary version ${version >>> 0}`, 4);
  r.pos = 8;
  const m: WasmModule = {
    bytes, sections: [], types: [], imports: [], functionTypeIndices: [], tables: [], memories: [], tags: [],
    globals: [], exports: [], elements: [], data: [], bodies: [],
    importedFunctionCount: 0, importedTableCount: 0, importedMemoryCount: 0, importedGlobalCount: 0, importedTagCount: 0,
  };
  let lastRank = 0;
  while (!r.atEnd) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    const payloadStart = r.pos;
    if (size > r.remaining) r.fail(`${sectionName(id)} section size ${size} runs past the end of the module`, start);
    const end = payloadStart + size;
    if (id !== 0) {
      const rank = SECTION_RANK.get(id) ?? r.fail(`unknown section id ${id}`, start);
      if (rank <= lastRank) r.fail(`${sectionName(id)} section is duplicated or out of order`, start);
      lastRank = rank;
    }
    const section: Section = { id, name: sectionName(id), start, payloadStart, end };
    const payload = new ByteReader(bytes, payloadStart, end);
    readSectionPayload(id, payload, m, section);
    if (payload.pos !== end) payload.fail(`${section.name} section has ${end - payload.pos} unread trailing bytes`);
    m.sections.push(section);
    r.pos = end;
  }
  if (m.functionTypeIndices.length !== m.bodies.length) {
    r.fail(`function section declares ${m.functionTypeIndices.length} functions but the code section has ${m.bodies.length} bodies`, bytes.length);
  }
  if (m.dataCount !== undefined && m.dataCount !== m.data.length) {
    r.fail(`datacount section says ${m.dataCount} segments but the data section has ${m.data.length}`, bytes.length);
  }
  return m;
}

/** The type of function `funcIndex` (imports first, then defined functions). */
export function functionType(m: WasmModule, funcIndex: number): FuncType | undefined {
  if (funcIndex < m.importedFunctionCount) {
    let seen = 0;
    for (const imp of m.imports) {
      if (imp.kind !== "func") continue;
      if (seen++ === funcIndex) return imp.typeIndex === undefined ? undefined : m.types[imp.typeIndex];
    }
    return undefined;
  }
  const typeIndex = m.functionTypeIndices[funcIndex - m.importedFunctionCount];
  return typeIndex === undefined ? undefined : m.types[typeIndex];
}

/** Operators of one function body, from its first instruction to its final `end`. */
export function bodyOperators(m: WasmModule, body: FunctionBody): Generator<Operator, void, undefined> {
  return readOperators(m.bytes, body.codeStart, body.end);
}

/** Operators of a constant expression (global initialiser, segment offset or element item). */
export function exprOperators(m: WasmModule, expr: ExprRange): Generator<Operator, void, undefined> {
  return readOperators(m.bytes, expr.start, expr.end);
}
