// Lints Wasm modules against CosmWasm's upload checks (specs/cosmwasm.md §2: `check_wasm` in
// cosmwasm-vm's compatibility.rs plus the Gatekeeper and wasmd's size cap) and our stricter house rules:
// exact import signatures, no floats anywhere, no start section, no post-MVP features except
// sign-extension. Used by scripts/build-wasm.ts after every build and as a CLI:
//   node dist/scripts/check-wasm.js [--plain | --plain=<file>[,<file>]] <file.wasm>...
// `--plain` is for modules that are not CosmWasm contracts (build/verifier.wasm, loaded by JS): it skips
// the contract-only rules (exports, imports, memory, table limits, size) and keeps the rest.
// Exit status: 0 all pass, 1 any violation, 2 usage error or unreadable file.
import { readFileSync, realpathSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import {
  WasmReadError,
  bodyOperators,
  exprOperators,
  formatFuncType,
  functionType,
  parseModule,
  type ExprRange,
  type FuncType,
  type Operator,
  type ValType,
  type WasmModule,
} from "./lib/wasm-reader";

/** Current defaults of cosmwasm-vm (WasmLimits in config.rs) and wasmd (MaxWasmSize). */
export const LIMITS = {
  maxWasmSize: 819_200,
  memoryPages: 512,
  tableSize: 2500,
  imports: 100,
  functions: 20_000,
  paramsPerType: 100,
  totalParams: 10_000,
  resultsPerType: 1,
  localsPerFunction: 100,
  totalLocals: 10_000,
} as const;

type Sig = readonly [params: readonly ValType[], results: readonly ValType[]];
const I32 = "i32" as const;
const I64 = "i64" as const;

/** Host functions of module "env" with the exact types cosmwasm-std declares (imports.rs). */
export const CONTRACT_IMPORTS: ReadonlyMap<string, Sig> = new Map<string, Sig>([
  ["abort", [[I32], []]],
  ["db_read", [[I32], [I32]]],
  ["db_write", [[I32, I32], []]],
  ["db_remove", [[I32], []]],
  ["db_scan", [[I32, I32, I32], [I32]]],
  ["db_next", [[I32], [I32]]],
  ["db_next_key", [[I32], [I32]]],
  ["db_next_value", [[I32], [I32]]],
  ["addr_validate", [[I32], [I32]]],
  ["addr_canonicalize", [[I32, I32], [I32]]],
  ["addr_humanize", [[I32, I32], [I32]]],
  ["secp256k1_verify", [[I32, I32, I32], [I32]]],
  ["secp256k1_recover_pubkey", [[I32, I32, I32], [I64]]],
  ["secp256r1_verify", [[I32, I32, I32], [I32]]],
  ["secp256r1_recover_pubkey", [[I32, I32, I32], [I64]]],
  ["ed25519_verify", [[I32, I32, I32], [I32]]],
  ["ed25519_batch_verify", [[I32, I32, I32], [I32]]],
  ["bls12_381_aggregate_g1", [[I32, I32], [I32]]],
  ["bls12_381_aggregate_g2", [[I32, I32], [I32]]],
  ["bls12_381_pairing_equality", [[I32, I32, I32, I32], [I32]]],
  ["bls12_381_hash_to_g1", [[I32, I32, I32, I32], [I32]]],
  ["bls12_381_hash_to_g2", [[I32, I32, I32, I32], [I32]]],
  ["debug", [[I32], []]],
  ["query_chain", [[I32], [I32]]],
]);

export const INTERFACE_VERSION_EXPORT = "interface_version_8";

/** Operator categories we reject, and the name used in violations. Sign-extension is allowed. */
const FORBIDDEN_CATEGORIES: ReadonlyMap<Operator["category"], string> = new Map([
  ["float", "float"],
  ["sat-trunc", "float"],
  ["bulk-memory", "bulk-memory"],
  ["simd", "simd"],
  ["threads", "threads"],
  ["reference-types", "reference-types"],
  ["exceptions", "exceptions"],
  ["tail-call", "tail-call"],
]);

export interface CheckOptions {
  /** Not a CosmWasm contract: skip export, import, memory, table-limit and size rules. */
  plain?: boolean;
}

export interface WasmStats {
  size: number;
  /** Functions defined in the module (imports excluded), the number cosmwasm limits. */
  functions: number;
  imports: number;
  exports: number;
  types: number;
  globals: number;
  tables: number;
  /** Initial pages of the first memory, or null without a memory. */
  memoryPages: number | null;
  /** Largest number of declared locals in one function (parameters excluded). */
  maxLocals: number;
  totalLocals: number;
  maxParams: number;
  totalParams: number;
  maxResults: number;
  /** Decoded operators over all function bodies. */
  operators: number;
  floatOperators: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  violations: string[];
  stats: WasmStats;
}

function emptyStats(size: number): WasmStats {
  return {
    size, functions: 0, imports: 0, exports: 0, types: 0, globals: 0, tables: 0, memoryPages: null,
    maxLocals: 0, totalLocals: 0, maxParams: 0, totalParams: 0, maxResults: 0, operators: 0, floatOperators: 0,
  };
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function sigToString([params, results]: Sig): string {
  return formatFuncType({ params: [...params], results: [...results] });
}

const hex = (offset: number): string => `0x${offset.toString(16)}`;

/** "a, b, c (+N more)" */
function listSome(items: string[], max = 5): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} (+${items.length - max} more)`;
}

// ---------------------------------------------------------------------------------------------------
// Rules

function checkExports(m: WasmModule, out: string[]): void {
  const byName = new Map(m.exports.map((e) => [e.name, e]));
  const requireFunction = (name: string, expected: FuncType): void => {
    const exp = byName.get(name);
    if (!exp) return void out.push(`missing required export: ${name}`);
    if (exp.kind !== "func") return void out.push(`export ${name} must be a function, not a ${exp.kind}`);
    const type = functionType(m, exp.index);
    if (!type || !sameTypes(type.params, expected.params) || !sameTypes(type.results, expected.results)) {
      out.push(`export ${name} must be a function of type ${formatFuncType(expected)}, found ${type ? formatFuncType(type) : "unknown type"}`);
    }
  };
  requireFunction("allocate", { params: [I32], results: [I32] });
  requireFunction("deallocate", { params: [I32], results: [] });

  const memory = byName.get("memory");
  if (!memory) out.push("missing required export: memory");
  else if (memory.kind !== "memory") out.push(`export memory must be a memory, not a ${memory.kind}`);

  const markers = m.exports.filter((e) => e.name.startsWith("interface_version_")).map((e) => e.name);
  if (markers.length === 0) out.push(`missing required export: ${INTERFACE_VERSION_EXPORT}`);
  else if (markers.length > 1) out.push(`more than one interface_version_* export: ${markers.join(", ")}`);
  else if (markers[0] !== INTERFACE_VERSION_EXPORT) {
    out.push(`unsupported interface version export ${markers[0]} (expected ${INTERFACE_VERSION_EXPORT})`);
  }
  if (byName.has(INTERFACE_VERSION_EXPORT)) requireFunction(INTERFACE_VERSION_EXPORT, { params: [], results: [] });
}

function checkImports(m: WasmModule, out: string[]): void {
  if (m.imports.length > LIMITS.imports) out.push(`more than ${LIMITS.imports} imports (${m.imports.length})`);
  for (const imp of m.imports) {
    const full = `${imp.module}.${imp.name}`;
    if (imp.kind !== "func") {
      out.push(`non-function import not allowed: ${full} (${imp.kind})`);
      continue;
    }
    const expected = imp.module === "env" ? CONTRACT_IMPORTS.get(imp.name) : undefined;
    if (!expected) {
      out.push(`unsupported import: ${full}`);
      continue;
    }
    const type = m.types[imp.typeIndex ?? -1];
    if (!type || !sameTypes(type.params, expected[0]) || !sameTypes(type.results, expected[1])) {
      out.push(`import ${full} has type ${type ? formatFuncType(type) : "unknown"}, expected ${sigToString(expected)}`);
    }
  }
}

function checkMemory(m: WasmModule, out: string[]): void {
  if (m.importedMemoryCount > 0) out.push("imported memory not allowed");
  const total = m.importedMemoryCount + m.memories.length;
  if (total !== 1) out.push(`module must have exactly one memory (found ${total})`);
  for (const memory of m.memories) {
    if (memory.max !== undefined) out.push(`memory maximum must be unset (found ${memory.max} pages)`);
    if (memory.min > LIMITS.memoryPages) out.push(`memory initial size ${memory.min} pages exceeds ${LIMITS.memoryPages} pages`);
  }
}

/** Table rules: at most one funcref table in every module; maximum <= 2500 for contracts. */
function checkTables(m: WasmModule, out: string[], contract: boolean): void {
  const total = m.importedTableCount + m.tables.length;
  if (total > 1) out.push(`more than one table (${total})`);
  for (const table of m.tables) {
    if (table.refType !== "funcref") out.push(`table of type ${table.refType} not allowed (reference-types)`);
    if (!contract) continue;
    if (table.limits.max === undefined) out.push("table without maximum not allowed");
    else if (table.limits.max > LIMITS.tableSize) out.push(`table maximum ${table.limits.max} exceeds ${LIMITS.tableSize} elements`);
  }
}

/**
 * Function limits. Locals: cosmwasm v3.0.9 / wasmvm 2.3.4 added "locals per function <= 100" and "total
 * locals <= 10,000". We count DECLARED locals only (the local groups of each code-section body,
 * parameters excluded), which is what a wasmparser locals reader yields; see the report for the caveat.
 */
function checkFunctions(m: WasmModule, stats: WasmStats, out: string[]): void {
  if (stats.functions > LIMITS.functions) out.push(`more than ${LIMITS.functions} functions (${stats.functions})`);
  const manyParams: string[] = [];
  const manyResults: string[] = [];
  m.types.forEach((type, index) => {
    if (type.params.length > LIMITS.paramsPerType) manyParams.push(`type ${index} (${type.params.length})`);
    if (type.results.length > LIMITS.resultsPerType) manyResults.push(`type ${index} (${type.results.length})`);
  });
  if (manyParams.length) out.push(`function type with more than ${LIMITS.paramsPerType} parameters: ${listSome(manyParams)}`);
  if (manyResults.length) out.push(`function type with more than ${LIMITS.resultsPerType} result: ${listSome(manyResults)}`);
  if (stats.totalParams > LIMITS.totalParams) {
    out.push(`more than ${LIMITS.totalParams} function parameters in total (${stats.totalParams})`);
  }
  const manyLocals = m.bodies
    .filter((b) => b.localCount > LIMITS.localsPerFunction)
    .map((b) => `function ${b.funcIndex} (${b.localCount})`);
  if (manyLocals.length) out.push(`more than ${LIMITS.localsPerFunction} locals in ${manyLocals.length} function(s): ${listSome(manyLocals)}`);
  if (stats.totalLocals > LIMITS.totalLocals) out.push(`more than ${LIMITS.totalLocals} locals in total (${stats.totalLocals})`);
}

function checkSegments(m: WasmModule, out: string[]): void {
  if (m.start !== undefined) out.push(`start section not allowed (start function ${m.start})`);
  if (m.dataCount !== undefined) out.push("DataCount section not allowed (bulk-memory)");
  const passiveData = m.data.filter((d) => d.mode === "passive").length;
  if (passiveData) out.push(`passive data segment not allowed (bulk-memory): ${passiveData} segment(s)`);
  const activeOtherMemory = m.data.filter((d) => d.mode === "active" && d.memoryIndex !== 0).length;
  if (activeOtherMemory) out.push(`data segment for memory other than 0 not allowed: ${activeOtherMemory} segment(s)`);
  for (const mode of ["passive", "declarative"] as const) {
    const n = m.elements.filter((e) => e.mode === mode).length;
    if (n) out.push(`${mode} element segment not allowed (${mode === "passive" ? "bulk-memory" : "reference-types"}): ${n} segment(s)`);
  }
  const withExpressions = m.elements.filter((e) => e.usesExpressions).length;
  if (withExpressions) out.push(`element segment with expressions not allowed (reference-types): ${withExpressions} segment(s)`);
  if (m.tags.length || m.importedTagCount) out.push("exception tags not allowed (exceptions)");
}

/** Only i32 and i64 values: no f32/f64 (our rule), no v128 (SIMD) and no references. */
function checkValueTypes(m: WasmModule, out: string[]): void {
  const describe = (t: ValType): string => (t === "f32" || t === "f64" ? "float" : t === "v128" ? "simd" : "reference-types");
  const bad = (t: ValType): boolean => t !== "i32" && t !== "i64";
  const found = new Map<string, string[]>();
  const note = (t: ValType, where: string): void => {
    const key = `${describe(t)} value type ${t}`;
    const list = found.get(key) ?? [];
    list.push(where);
    found.set(key, list);
  };
  m.types.forEach((type, index) => {
    for (const t of [...type.params, ...type.results]) if (bad(t)) note(t, `function type ${index}`);
  });
  for (const body of m.bodies) for (const g of body.localGroups) if (bad(g.type)) note(g.type, `local of function ${body.funcIndex}`);
  m.globals.forEach((g, i) => {
    if (bad(g.type.valType)) note(g.type.valType, `global ${m.importedGlobalCount + i}`);
  });
  for (const imp of m.imports) if (imp.global && bad(imp.global.valType)) note(imp.global.valType, `imported global ${imp.module}.${imp.name}`);
  for (const [key, where] of found) out.push(`${key} not allowed in ${listSome([...new Set(where)])}`);
}

interface OperatorTally {
  counts: Map<string, number>;
  first: string;
}

/** Decodes every operator (bodies and constant expressions) and reports forbidden ones by category. */
function checkOperators(m: WasmModule, stats: WasmStats, out: string[]): void {
  const byCategory = new Map<string, OperatorTally>();
  const visit = (ops: Iterable<Operator>, where: string, countStats: boolean): void => {
    for (const op of ops) {
      if (countStats) stats.operators++;
      if (op.float) stats.floatOperators++;
      const category = FORBIDDEN_CATEGORIES.get(op.category);
      if (!category) continue;
      let tally = byCategory.get(category);
      if (!tally) {
        tally = { counts: new Map(), first: `${where} at ${hex(op.start)}` };
        byCategory.set(category, tally);
      }
      tally.counts.set(op.name, (tally.counts.get(op.name) ?? 0) + 1);
    }
  };
  const exprs: [ExprRange, string][] = [];
  m.globals.forEach((g, i) => exprs.push([g.init, `initialiser of global ${m.importedGlobalCount + i}`]));
  m.elements.forEach((e, i) => {
    if (e.offset) exprs.push([e.offset, `offset of element segment ${i}`]);
    for (const item of e.itemExprs) exprs.push([item, `item of element segment ${i}`]);
  });
  m.data.forEach((d, i) => d.offset && exprs.push([d.offset, `offset of data segment ${i}`]));
  for (const [expr, where] of exprs) visit(exprOperators(m, expr), where, false);
  for (const body of m.bodies) visit(bodyOperators(m, body), `function ${body.funcIndex}`, true);
  for (const [category, tally] of byCategory) {
    const names = [...tally.counts].map(([name, n]) => `${name} x${n}`);
    out.push(`${category} operators not allowed: ${listSome(names)} (first in ${tally.first})`);
  }
}

function collectStats(m: WasmModule, stats: WasmStats): void {
  stats.functions = m.bodies.length;
  stats.imports = m.imports.length;
  stats.exports = m.exports.length;
  stats.types = m.types.length;
  stats.globals = m.importedGlobalCount + m.globals.length;
  stats.tables = m.importedTableCount + m.tables.length;
  const firstMemory = m.imports.find((i) => i.memory)?.memory ?? m.memories[0];
  stats.memoryPages = firstMemory ? firstMemory.min : null;
  for (const body of m.bodies) {
    stats.maxLocals = Math.max(stats.maxLocals, body.localCount);
    stats.totalLocals += body.localCount;
  }
  for (const type of m.types) {
    stats.maxParams = Math.max(stats.maxParams, type.params.length);
    stats.maxResults = Math.max(stats.maxResults, type.results.length);
  }
  for (const typeIndex of m.functionTypeIndices) stats.totalParams += m.types[typeIndex].params.length;
}

/**
 * Lints one module. Never throws: unparseable input yields `ok: false` with a "malformed: ..." violation.
 * The `name` only labels the result.
 */
export function checkWasm(bytes: Uint8Array, name = "<module>", options: CheckOptions = {}): CheckResult {
  const stats = emptyStats(bytes.length);
  const violations: string[] = [];
  const contract = !options.plain;
  try {
    const m = parseModule(bytes);
    collectStats(m, stats);
    if (contract && bytes.length > LIMITS.maxWasmSize) {
      violations.push(`size ${bytes.length.toLocaleString("en-US")} B exceeds ${LIMITS.maxWasmSize.toLocaleString("en-US")} B (800 KiB)`);
    }
    if (contract) {
      checkExports(m, violations);
      checkImports(m, violations);
      checkMemory(m, violations);
    }
    checkTables(m, violations, contract);
    checkFunctions(m, stats, violations);
    checkSegments(m, violations);
    checkValueTypes(m, violations);
    checkOperators(m, stats, violations);
    if (!WebAssembly.validate(bytes as BufferSource)) violations.push("invalid: module fails WebAssembly validation");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    violations.push(err instanceof WasmReadError ? `malformed: ${message}` : `malformed (reader error): ${message}`);
  }
  return { name, ok: violations.length === 0, violations, stats };
}

/** One-line summary as printed by the CLI. */
export function formatResult(result: CheckResult): string {
  if (!result.ok) return `FAIL ${result.name}: ${result.violations.join("; ")}`;
  const s = result.stats;
  const pages = s.memoryPages === null ? "no memory" : `${s.memoryPages} page${s.memoryPages === 1 ? "" : "s"}`;
  return `PASS ${result.name} ${s.size.toLocaleString("en-US")} B, ${s.functions} funcs, ${s.imports} imports, max locals ${s.maxLocals}, ${pages}`;
}

// ---------------------------------------------------------------------------------------------------
// CLI

const USAGE = "usage: check-wasm [--plain | --plain=<file>[,<file>...]] <file.wasm>...";

export function main(argv: string[]): number {
  const files: string[] = [];
  const plainFiles = new Set<string>();
  let allPlain = false;
  for (const arg of argv) {
    if (arg === "--plain") {
      allPlain = true;
    } else if (arg.startsWith("--plain=")) {
      for (const file of arg.slice("--plain=".length).split(",")) {
        if (file) plainFiles.add(file);
      }
    } else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith("-")) {
      console.error(`check-wasm: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let status = 0;
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (err) {
      console.error(`ERROR ${file}: ${err instanceof Error ? err.message : String(err)}`);
      status = 2;
      continue;
    }
    const result = checkWasm(bytes, file, { plain: allPlain || plainFiles.has(file) });
    console.log(formatResult(result));
    if (!result.ok && status === 0) status = 1;
  }
  return status;
}

/**
 * True when this file is the process entry point. The basename test matters: esbuild inlines this module
 * into dist/scripts/build-wasm.js, where import.meta.url is the bundle's own URL.
 */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry || !/^check-wasm\.(c|m)?(j|t)s$/.test(basename(entry))) return false;
  try {
    return import.meta.url === pathToFileURL(entry).href || import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = main(process.argv.slice(2));
