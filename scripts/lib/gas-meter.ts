// Gas measurement by binary rewriting: `instrument()` adds counters to a module so that running it in
// Node's WebAssembly reports how much CosmWasm gas the same execution would cost on chain.
//
// It reproduces the metering of cosmwasm-vm (specs/cosmwasm.md §3): Wasmer's metering middleware adds an
// operator's cost to a running total and, right BEFORE each "accounting" operator (loop, end, if, else,
// br, br_if, br_table, call, call_indirect, return, and the exception/tail-call branch ops), emits code
// that charges the total, which includes the accounting operator itself. We insert counter updates at
// exactly those points, so a run of straight-line operators is counted when control reaches its closing
// accounting operator. Consequences, identical to the chain: a branch that jumps over an `end`/`else`
// skips that (one-operator) charge; ops before a trap (e.g. `unreachable`) that is not preceded by an
// accounting op are not charged. AssemblyScript aborts call env.abort first, so they are charged.
//
// Costs (cosmwasm-vm engine.rs, since the CWA-2024-004 fixes): 115 CWg per operator, 1,610 CWg per
// accounting operator; wasmd divides by 140,000 to get SDK gas. Host-function costs are NOT included.
//
// Counters are three new mutable i64 globals appended after all existing globals (so no index shifts)
// and exported as __gas_ops, __gas_accounting_ops and __gas_cwg. Our own inserted code is not counted.
// The result is for measurement only; it is never uploaded.
import { ByteReader, bodyOperators, parseModule, sectionRank, type FunctionBody, type Operator, type WasmModule } from "./wasm-reader";

export const OP_COST_CWG = 115;
export const ACCOUNTING_OP_COST_CWG = 1610;
/** wasmd DefaultGasMultiplier (wasmd >= 0.51): SDK gas = CWg / 140,000. */
export const GAS_MULTIPLIER = 140_000;

export const GAS_EXPORTS = {
  ops: "__gas_ops",
  accountingOps: "__gas_accounting_ops",
  cwg: "__gas_cwg",
} as const;

/** Operators Wasmer's metering middleware (and cosmwasm's `is_accounting`) treats as block boundaries. */
export const ACCOUNTING_OPERATORS: ReadonlySet<string> = new Set([
  "loop", "end", "if", "else", "br", "br_if", "br_table", "call", "call_indirect", "return",
  "throw", "throw_ref", "rethrow", "delegate", "catch", "return_call", "return_call_indirect",
]);

export function isAccountingOperator(op: Operator): boolean {
  return ACCOUNTING_OPERATORS.has(op.name) && op.sub === undefined;
}

/** SDK gas for a CWg amount (integer division, as wasmd's FromWasmVMGas). */
export function sdkGas(cwg: bigint): bigint {
  return cwg / BigInt(GAS_MULTIPLIER);
}

/** CWg for a given number of executed operators, `accountingOps` of which are accounting operators. */
export function cwgFor(ops: bigint, accountingOps: bigint): bigint {
  return (ops - accountingOps) * BigInt(OP_COST_CWG) + accountingOps * BigInt(ACCOUNTING_OP_COST_CWG);
}

// ---------------------------------------------------------------------------------------------------
// Encoding helpers

class ByteWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];
  length = 0;

  byte(b: number): void {
    this.pending.push(b & 0xff);
    this.length++;
  }

  bytes(data: Uint8Array): void {
    this.flush();
    this.chunks.push(data);
    this.length += data.length;
  }

  u32(value: number): void {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
  }

  i64(value: bigint): void {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }

  name(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  private flush(): void {
    if (this.pending.length) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function section(id: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.byte(id);
  w.u32(payload.length);
  w.bytes(payload);
  return w.finish();
}

const OP_GLOBAL_GET = 0x23;
const OP_GLOBAL_SET = 0x24;
const OP_I64_CONST = 0x42;
const OP_I64_ADD = 0x7c;
const OP_END = 0x0b;
const TYPE_I64 = 0x7e;
const EXPORT_KIND_GLOBAL = 0x03;

interface CounterGlobals {
  ops: number;
  accountingOps: number;
  cwg: number;
}

/** `global.get g; i64.const n; i64.add; global.set g` */
function emitAdd(w: ByteWriter, global: number, amount: bigint): void {
  w.byte(OP_GLOBAL_GET);
  w.u32(global);
  w.byte(OP_I64_CONST);
  w.i64(amount);
  w.byte(OP_I64_ADD);
  w.byte(OP_GLOBAL_SET);
  w.u32(global);
}

/** Charges a run of `ops` operators that ends with one accounting operator. */
function emitCharge(w: ByteWriter, g: CounterGlobals, ops: number): void {
  emitAdd(w, g.ops, BigInt(ops));
  emitAdd(w, g.accountingOps, 1n);
  emitAdd(w, g.cwg, cwgFor(BigInt(ops), 1n));
}

/** Re-encodes one function body (size prefix included) with counter updates before accounting ops. */
function instrumentBody(m: WasmModule, body: FunctionBody, g: CounterGlobals): Uint8Array {
  const src = m.bytes;
  const w = new ByteWriter();
  w.bytes(src.subarray(body.bodyStart, body.codeStart)); // locals, unchanged
  let copiedUpTo = body.codeStart;
  let run = 0;
  for (const op of bodyOperators(m, body)) {
    run++;
    if (!isAccountingOperator(op)) continue;
    w.bytes(src.subarray(copiedUpTo, op.start));
    emitCharge(w, g, run);
    copiedUpTo = op.start;
    run = 0;
  }
  // The body always ends with `end`, an accounting operator, so nothing is left uncharged.
  w.bytes(src.subarray(copiedUpTo, body.end));
  const code = w.finish();
  const out = new ByteWriter();
  out.u32(code.length);
  out.bytes(code);
  return out.finish();
}

/** Payload of a vector section with `extra` more items appended after the existing ones. */
function extendVectorSection(m: WasmModule, sectionId: number, extraCount: number, extra: Uint8Array): Uint8Array {
  const existing = m.sections.find((s) => s.id === sectionId);
  const w = new ByteWriter();
  if (!existing) {
    w.u32(extraCount);
  } else {
    const r = new ByteReader(m.bytes, existing.payloadStart, existing.end);
    w.u32(r.u32() + extraCount);
    w.bytes(m.bytes.subarray(r.pos, existing.end));
  }
  w.bytes(extra);
  return w.finish();
}

const GLOBAL_SECTION = 6;
const EXPORT_SECTION = 7;
const CODE_SECTION = 10;

/**
 * Returns a copy of the module that counts executed operators in three exported i64 globals
 * (GAS_EXPORTS). Throws WasmReadError on malformed input and Error if the export names are taken.
 */
export function instrument(bytes: Uint8Array): Uint8Array {
  const m = parseModule(bytes);
  for (const name of Object.values(GAS_EXPORTS)) {
    if (m.exports.some((e) => e.name === name)) throw new Error(`module already exports ${name}`);
  }
  const firstCounter = m.importedGlobalCount + m.globals.length;
  const g: CounterGlobals = { ops: firstCounter, accountingOps: firstCounter + 1, cwg: firstCounter + 2 };

  const newGlobals = new ByteWriter();
  for (let i = 0; i < 3; i++) {
    newGlobals.byte(TYPE_I64);
    newGlobals.byte(1); // mutable
    newGlobals.byte(OP_I64_CONST);
    newGlobals.byte(0);
    newGlobals.byte(OP_END);
  }
  const newExports = new ByteWriter();
  for (const [name, index] of [[GAS_EXPORTS.ops, g.ops], [GAS_EXPORTS.accountingOps, g.accountingOps], [GAS_EXPORTS.cwg, g.cwg]] as const) {
    newExports.name(name);
    newExports.byte(EXPORT_KIND_GLOBAL);
    newExports.u32(index);
  }
  const globalSection = section(GLOBAL_SECTION, extendVectorSection(m, GLOBAL_SECTION, 3, newGlobals.finish()));
  const exportSection = section(EXPORT_SECTION, extendVectorSection(m, EXPORT_SECTION, 3, newExports.finish()));

  const codeSection = (): Uint8Array => {
    const w = new ByteWriter();
    w.u32(m.bodies.length);
    for (const body of m.bodies) w.bytes(instrumentBody(m, body, g));
    return section(CODE_SECTION, w.finish());
  };

  // Copy sections in order, replacing global/export/code and inserting global/export where they belong
  // if the module has none (before the first non-custom section that must follow them).
  const out = new ByteWriter();
  out.bytes(bytes.subarray(0, 8));
  const pending: [rank: number, data: Uint8Array][] = [
    [sectionRank(GLOBAL_SECTION) ?? 0, globalSection],
    [sectionRank(EXPORT_SECTION) ?? 0, exportSection],
  ];
  const emitPendingBefore = (rank: number): void => {
    while (pending.length && pending[0][0] < rank) out.bytes(pending.shift()![1]);
  };
  for (const s of m.sections) {
    if (s.id !== 0) emitPendingBefore(sectionRank(s.id) ?? 0);
    if (s.id === GLOBAL_SECTION || s.id === EXPORT_SECTION) {
      const item = pending.shift();
      if (item) out.bytes(item[1]);
    } else if (s.id === CODE_SECTION) {
      out.bytes(codeSection());
    } else {
      out.bytes(bytes.subarray(s.start, s.end));
    }
  }
  emitPendingBefore(Number.POSITIVE_INFINITY);
  return out.finish();
}

export interface GasCounters {
  ops: bigint;
  accountingOps: bigint;
  cwg: bigint;
}

type GlobalLike = { value: unknown };

function counterGlobal(exports: WebAssembly.Exports, name: string): GlobalLike {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`export ${name} is missing: was the module instrumented?`);
  return g;
}

/** Reads the counters of an instance of an instrumented module. */
export function readGasCounters(exports: WebAssembly.Exports): GasCounters {
  const read = (name: string): bigint => BigInt(counterGlobal(exports, name).value as bigint);
  return { ops: read(GAS_EXPORTS.ops), accountingOps: read(GAS_EXPORTS.accountingOps), cwg: read(GAS_EXPORTS.cwg) };
}

/** Sets all counters of an instance back to zero. */
export function resetGasCounters(exports: WebAssembly.Exports): void {
  for (const name of Object.values(GAS_EXPORTS)) counterGlobal(exports, name).value = 0n;
}

export interface StaticFunctionCount {
  funcIndex: number;
  operators: number;
  accountingOperators: number;
}

/** Static operator counts per defined function (each operator once, whether or not it ever runs). */
export function countStatic(bytes: Uint8Array): StaticFunctionCount[] {
  const m = parseModule(bytes);
  return m.bodies.map((body) => {
    let operators = 0;
    let accountingOperators = 0;
    for (const op of bodyOperators(m, body)) {
      operators++;
      if (isAccountingOperator(op)) accountingOperators++;
    }
    return { funcIndex: body.funcIndex, operators, accountingOperators };
  });
}
