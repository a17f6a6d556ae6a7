// Tests for scripts/check-wasm.ts (CosmWasm upload checks + our stricter rules) and the binary reader it
// is built on (scripts/lib/wasm-reader.ts). Modules are assembled from WAT with the `wabt` package: one
// minimal valid contract, then one bad module per rule, each asserted to fail with its own violation.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import wabtInit from "wabt";
import { checkWasm, formatResult, main, type CheckResult } from "../scripts/check-wasm";
import { ByteReader, WasmReadError, bodyOperators, parseModule, type Operator } from "../scripts/lib/wasm-reader";

const wabt = await wabtInit();
type Features = Parameters<typeof wabt.parseWat>[2];

function wat2wasm(text: string, features: Features = {}): Uint8Array {
  const module = wabt.parseWat("test.wat", text, { multi_value: true, ...features });
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

interface ContractParts {
  imports?: string;
  memory?: string;
  allocate?: string;
  deallocate?: string;
  marker?: string;
  extra?: string;
}

const DEFAULT_IMPORTS = `
  (import "env" "abort" (func $abort (param i32)))
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "db_write" (func $db_write (param i32 i32)))
  (import "env" "secp256r1_verify" (func $r1 (param i32 i32 i32) (result i32)))
  (import "env" "secp256k1_recover_pubkey" (func $k1rec (param i32 i32 i32) (result i64)))`;

/** A minimal contract; every part can be replaced to break exactly one rule. */
function contractWat(parts: ContractParts = {}): string {
  return `(module
  ${parts.imports ?? DEFAULT_IMPORTS}
  ${parts.memory ?? `(memory (export "memory") 1)`}
  (global $heap (mut i32) (i32.const 1024))
  ${parts.allocate ?? `(func (export "allocate") (param $size i32) (result i32) (local $ptr i32)
    global.get $heap
    local.set $ptr
    global.get $heap
    local.get $size
    i32.add
    global.set $heap
    local.get $ptr)`}
  ${parts.deallocate ?? `(func (export "deallocate") (param i32))`}
  ${parts.marker ?? `(func (export "interface_version_8"))`}
  (func (export "instantiate") (param i32 i32 i32) (result i32)
    local.get 0
    i32.extend8_s
    i32.const 0
    i32.ne
    if
      i32.const 0
      call $abort
    end
    i32.const 0)
  ${parts.extra ?? ""}
)`;
}

function check(parts: ContractParts, features: Features = {}): CheckResult {
  return checkWasm(wat2wasm(contractWat(parts), features), "test.wasm");
}

function expectViolation(result: CheckResult, substring: string): void {
  expect(result.ok).toBe(false);
  expect(result.violations.some((v) => v.includes(substring)), `expected "${substring}" in:\n${result.violations.join("\n")}`).toBe(true);
}

const repeat = (n: number, make: (i: number) => string): string => Array.from({ length: n }, (_, i) => make(i)).join("\n");

describe("checkWasm: a minimal valid contract", () => {
  it("passes and reports stats", () => {
    const result = check({});
    expect(result.violations).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.stats).toMatchObject({ functions: 4, imports: 5, maxLocals: 1, memoryPages: 1, floatOperators: 0 });
    expect(formatResult(result)).toMatch(/^PASS test\.wasm [\d,]+ B, 4 funcs, 5 imports, max locals 1, 1 page$/);
  });

  it("accepts every whitelisted import with its exact signature", () => {
    const sigs: [string, string][] = [
      ["db_remove", "(param i32)"], ["db_scan", "(param i32 i32 i32) (result i32)"], ["db_next", "(param i32) (result i32)"],
      ["db_next_key", "(param i32) (result i32)"], ["db_next_value", "(param i32) (result i32)"],
      ["addr_validate", "(param i32) (result i32)"], ["addr_canonicalize", "(param i32 i32) (result i32)"],
      ["addr_humanize", "(param i32 i32) (result i32)"], ["secp256k1_verify", "(param i32 i32 i32) (result i32)"],
      ["secp256r1_recover_pubkey", "(param i32 i32 i32) (result i64)"], ["ed25519_verify", "(param i32 i32 i32) (result i32)"],
      ["ed25519_batch_verify", "(param i32 i32 i32) (result i32)"], ["bls12_381_aggregate_g1", "(param i32 i32) (result i32)"],
      ["bls12_381_aggregate_g2", "(param i32 i32) (result i32)"], ["bls12_381_pairing_equality", "(param i32 i32 i32 i32) (result i32)"],
      ["bls12_381_hash_to_g1", "(param i32 i32 i32 i32) (result i32)"], ["bls12_381_hash_to_g2", "(param i32 i32 i32 i32) (result i32)"],
      ["debug", "(param i32)"], ["query_chain", "(param i32) (result i32)"],
    ];
    const imports = DEFAULT_IMPORTS + sigs.map(([name, sig]) => `(import "env" "${name}" (func ${sig}))`).join("\n");
    expect(check({ imports }).violations).toEqual([]);
  });
});

describe("checkWasm: exports", () => {
  it("requires allocate", () => expectViolation(check({ allocate: "" }), "missing required export: allocate"));
  it("requires deallocate", () => expectViolation(check({ deallocate: "" }), "missing required export: deallocate"));
  it("requires allocate to be (i32) -> i32", () =>
    expectViolation(check({ allocate: `(func (export "allocate") (param i64) (result i32) i32.const 0)` }), "export allocate must be a function of type (i32) -> i32"));
  it("requires a memory export", () => expectViolation(check({ memory: "(memory 1)" }), "missing required export: memory"));
  it("requires the memory export to be a memory", () =>
    expectViolation(check({ memory: `(memory 1) (func (export "memory"))` }), "export memory must be a memory, not a func"));
  it("requires interface_version_8", () => expectViolation(check({ marker: "" }), "missing required export: interface_version_8"));
  it("rejects a second interface_version_* export", () =>
    expectViolation(check({ marker: `(func (export "interface_version_8")) (func (export "interface_version_7"))` }), "more than one interface_version_* export"));
  it("rejects another interface version", () =>
    expectViolation(check({ marker: `(func (export "interface_version_7"))` }), "unsupported interface version export interface_version_7"));
  it("requires interface_version_8 to be () -> ()", () =>
    expectViolation(check({ marker: `(func (export "interface_version_8") (param i32))` }), "export interface_version_8 must be a function of type () -> ()"));
  it("requires interface_version_8 to be a function", () =>
    expectViolation(check({ marker: `(global (export "interface_version_8") i32 (i32.const 8))` }), "export interface_version_8 must be a function, not a global"));
});

describe("checkWasm: imports", () => {
  it("rejects imports outside the whitelist", () => {
    expectViolation(check({ imports: DEFAULT_IMPORTS + `(import "env" "sha256" (func (param i32) (result i32)))` }), "unsupported import: env.sha256");
    expectViolation(check({ imports: DEFAULT_IMPORTS + `(import "wasi" "db_read" (func (param i32) (result i32)))` }), "unsupported import: wasi.db_read");
  });
  it("rejects a whitelisted name with the wrong signature (AssemblyScript's default abort)", () =>
    expectViolation(check({ imports: `(import "env" "abort" (func $abort (param i32 i32 i32 i32)))` }),
      "import env.abort has type (i32, i32, i32, i32) -> (), expected (i32) -> ()"));
  it("rejects a wrong result type", () =>
    expectViolation(check({ imports: DEFAULT_IMPORTS + `(import "env" "secp256r1_recover_pubkey" (func (param i32 i32 i32) (result i32)))` }),
      "import env.secp256r1_recover_pubkey has type (i32, i32, i32) -> i32, expected (i32, i32, i32) -> i64"));
  it("rejects non-function imports", () =>
    expectViolation(check({ imports: DEFAULT_IMPORTS + `(import "env" "flag" (global i32))` }), "non-function import not allowed: env.flag (global)"));
  it("rejects more than 100 imports", () =>
    expectViolation(check({ imports: DEFAULT_IMPORTS + repeat(96, () => `(import "env" "debug" (func (param i32)))`) }), "more than 100 imports (101)"));
});

describe("checkWasm: memory and tables", () => {
  it("rejects an imported memory", () =>
    expectViolation(check({ memory: `(import "env" "memory" (memory 1)) (export "memory" (memory 0))` }), "imported memory not allowed"));
  it("requires a memory", () => expectViolation(check({ memory: "" }), "module must have exactly one memory (found 0)"));
  it("rejects two memories", () =>
    expectViolation(check({ imports: DEFAULT_IMPORTS + `(import "env" "mem0" (memory 1))`, memory: `(memory (export "memory") 1)` }),
      "module must have exactly one memory (found 2)"));
  it("rejects a memory maximum", () => expectViolation(check({ memory: `(memory (export "memory") 1 2)` }), "memory maximum must be unset"));
  it("rejects more than 512 initial pages", () =>
    expectViolation(check({ memory: `(memory (export "memory") 513)` }), "memory initial size 513 pages exceeds 512 pages"));
  it("accepts 512 pages and a table with maximum 2500", () =>
    expect(check({ memory: `(memory (export "memory") 512)`, extra: `(table 3 2500 funcref)` }).violations).toEqual([]));
  it("rejects two tables", () =>
    expectViolation(check({ extra: `(table 1 1 funcref) (table 1 1 funcref)` }, { reference_types: true }), "more than one table (2)"));
  it("rejects a table without maximum", () => expectViolation(check({ extra: `(table 1 funcref)` }), "table without maximum not allowed"));
  it("rejects a table maximum above 2500", () =>
    expectViolation(check({ extra: `(table 1 2501 funcref)` }), "table maximum 2501 exceeds 2500 elements"));
  it("rejects an externref table", () =>
    expectViolation(check({ extra: `(table 1 1 externref)` }, { reference_types: true }), "table of type externref not allowed"));
});

describe("checkWasm: function limits", () => {
  it("rejects more than 20,000 functions", () => {
    const result = check({ extra: repeat(19_997, () => "(func)") });
    expect(result.stats.functions).toBe(20_001);
    expectViolation(result, "more than 20000 functions (20001)");
  });
  it("accepts exactly 20,000 functions", () => expect(check({ extra: repeat(19_996, () => "(func)") }).ok).toBe(true));
  it("rejects a function type with more than 100 parameters", () =>
    expectViolation(check({ extra: `(func (param ${"i32 ".repeat(101)}))` }), "function type with more than 100 parameters: type"));
  it("rejects more than 10,000 parameters in total", () => {
    const extra = `(type $p100 (func (param ${"i32 ".repeat(100)})))\n` + repeat(100, () => "(func (type $p100))");
    expectViolation(check({ extra }), "more than 10000 function parameters in total (10005)");
  });
  it("rejects more than one result", () =>
    expectViolation(check({ extra: `(func (result i32 i32) i32.const 1 i32.const 2)` }), "function type with more than 1 result"));
  it("rejects more than 100 locals in a function (declared locals, params not counted)", () => {
    expect(check({ extra: `(func (param i32 i32) (local ${"i32 ".repeat(100)}))` }).ok).toBe(true);
    const result = check({ extra: `(func (local ${"i64 ".repeat(101)}))` });
    expect(result.stats.maxLocals).toBe(101);
    expectViolation(result, "more than 100 locals in 1 function(s): function 9 (101)");
  });
  it("rejects more than 10,000 locals in total", () => {
    const result = check({ extra: repeat(100, () => `(func (local ${"i32 ".repeat(100)}))`) });
    expect(result.stats.totalLocals).toBe(10_001);
    expectViolation(result, "more than 10000 locals in total (10001)");
  });
});

describe("checkWasm: start section, segments and post-MVP features", () => {
  it("rejects a start section", () => expectViolation(check({ extra: `(func $init) (start $init)` }), "start section not allowed"));
  it("rejects bulk-memory operators", () => {
    const result = check({ extra: `(func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy
      local.get 0 local.get 1 local.get 2 memory.fill)` }, { bulk_memory: true });
    expectViolation(result, "bulk-memory operators not allowed: memory.copy x1, memory.fill x1 (first in function 9 at 0x");
  });
  it("rejects passive data segments", () => expectViolation(check({ extra: `(data "abc")` }, { bulk_memory: true }), "passive data segment not allowed"));
  it("rejects the DataCount section", () => {
    const result = check({ extra: `(data $d "abc") (func data.drop $d)` }, { bulk_memory: true });
    expectViolation(result, "DataCount section not allowed");
    expectViolation(result, "bulk-memory operators not allowed: data.drop x1");
  });
  it("rejects passive element segments", () =>
    expectViolation(check({ extra: `(table 1 1 funcref) (func $f) (elem func $f)` }, { bulk_memory: true, reference_types: true }), "passive element segment not allowed"));
  it("rejects SIMD", () =>
    expectViolation(check({ extra: `(func (result i32) v128.const i32x4 1 2 3 4 i32x4.extract_lane 1)` }, { simd: true }),
      "simd operators not allowed: v128.const x1, i32x4.extract_lane x1"));
  it("rejects threads", () => {
    const result = check({ memory: `(memory (export "memory") 1 1 shared)`, extra: `(func (result i32) atomic.fence i32.const 0 i32.atomic.load)` }, { threads: true });
    expectViolation(result, "threads operators not allowed: atomic.fence x1, i32.atomic.load x1");
  });
  it("rejects reference types", () => {
    const result = check({ extra: `(table 1 1 funcref) (func (result i32) ref.null func ref.is_null i32.const 0 table.get 0 drop)` }, { reference_types: true });
    expectViolation(result, "reference-types operators not allowed: ref.null x1, ref.is_null x1, table.get x1");
  });
  it("rejects exceptions", () => {
    const result = check({ extra: `(tag $e (param i32)) (func i32.const 1 throw $e) (func try nop catch $e drop end)` }, { exceptions: true });
    expectViolation(result, "exceptions operators not allowed: throw x1, try x1, catch x1");
    expectViolation(result, "exception tags not allowed");
  });
  it("rejects tail calls", () =>
    expectViolation(check({ extra: `(func $g (result i32) i32.const 1) (func (result i32) return_call $g)` }, { tail_call: true }),
      "tail-call operators not allowed: return_call x1"));
});

describe("checkWasm: no floats (our rule)", () => {
  it("rejects float operators", () => {
    const result = check({ extra: `(func (result i32) i32.const 1 f64.convert_i32_s f64.const 2 f64.add i32.trunc_f64_s)` });
    expectViolation(result, "float operators not allowed: f64.convert_i32_s x1, f64.const x1, f64.add x1, i32.trunc_f64_s x1");
    expect(result.stats.floatOperators).toBe(4);
  });
  it("rejects float memory access and reinterpretation", () =>
    expectViolation(check({ extra: `(func (result i64) i32.const 0 f64.load i64.reinterpret_f64)` }), "float operators not allowed: f64.load x1, i64.reinterpret_f64 x1"));
  it("rejects saturating float-to-int", () =>
    expectViolation(check({ extra: `(func (result i32) f32.const 1.5 i32.trunc_sat_f32_s)` }, { sat_float_to_int: true }),
      "float operators not allowed: f32.const x1, i32.trunc_sat_f32_s x1"));
  it("rejects float parameters and results in function types", () =>
    expectViolation(check({ extra: `(func (param f32))` }), "float value type f32 not allowed in function type"));
  it("rejects float locals", () => expectViolation(check({ extra: `(func (local f64))` }), "float value type f64 not allowed in local of function 9"));
  it("rejects float globals", () => {
    const result = check({ extra: `(global $g f64 (f64.const 1))` });
    expectViolation(result, "float value type f64 not allowed in global 1");
    expectViolation(result, "float operators not allowed: f64.const x1 (first in initialiser of global 1");
  });
});

describe("checkWasm: size", () => {
  it("rejects modules over 800 KiB", () => {
    const result = check({ memory: `(memory (export "memory") 14)`, extra: `(data (i32.const 1024) "${"a".repeat(820_000)}")` });
    expect(result.stats.size).toBeGreaterThan(819_200);
    expectViolation(result, "exceeds 819,200 B (800 KiB)");
  });
});

describe("checkWasm: malformed input", () => {
  const valid = wat2wasm(contractWat());

  it("rejects every truncation of a valid module without throwing", () => {
    // A cut exactly between two sections leaves a well-formed (but incomplete) module.
    const sectionBoundaries = new Set([8, ...parseModule(valid).sections.map((s) => s.end)]);
    for (let length = 0; length < valid.length; length++) {
      const result = checkWasm(valid.subarray(0, length));
      expect(result.ok, `truncated to ${length} bytes`).toBe(false);
      if (!sectionBoundaries.has(length)) expect(result.violations[0], `truncated to ${length} bytes`).toMatch(/^malformed: /);
    }
  });

  it("rejects garbage", () => {
    expectViolation(checkWasm(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])), "malformed: bad magic number");
    const overlong = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expectViolation(checkWasm(overlong), "malformed: u32 LEB128 value exceeds 32 bits");
    const hugeCount = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expectViolation(checkWasm(hugeCount), "malformed: type count 4294967295 exceeds");
  });

  it("never throws on random mutations", () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    for (let round = 0; round < 2000; round++) {
      const mutated = valid.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) mutated[8 + Math.floor(random() * (mutated.length - 8))] = Math.floor(random() * 256);
      const result = checkWasm(mutated);
      expect(typeof result.ok).toBe("boolean");
      expect(result.violations.some((v) => v.startsWith("malformed (reader error)"))).toBe(false);
    }
    for (let round = 0; round < 500; round++) {
      const garbage = Uint8Array.from({ length: 8 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      garbage.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
      expect(checkWasm(garbage).ok).toBe(false);
    }
  });
});

describe("checkWasm: plain modules (not contracts)", () => {
  const plainWat = (extra = ""): string => `(module (memory (export "mem") 1 4) (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) ${extra})`;

  it("skips the contract rules", () => {
    const bytes = wat2wasm(plainWat());
    expect(checkWasm(bytes, "plain.wasm").ok).toBe(false);
    expect(checkWasm(bytes, "plain.wasm", { plain: true }).violations).toEqual([]);
  });
  it("still rejects floats, bulk memory, start and locals", () => {
    const plain = (extra: string, features: Features = {}) => checkWasm(wat2wasm(plainWat(extra), features), "p", { plain: true });
    expectViolation(plain(`(func (result f64) f64.const 1)`), "float operators not allowed");
    expectViolation(plain(`(func i32.const 0 i32.const 0 i32.const 0 memory.fill)`, { bulk_memory: true }), "bulk-memory operators not allowed");
    expectViolation(plain(`(func $s) (start $s)`), "start section not allowed");
    expectViolation(plain(`(func (local ${"i32 ".repeat(101)}))`), "more than 100 locals");
  });
});

describe("check-wasm CLI", () => {
  afterEach(() => vi.restoreAllMocks());

  function run(args: string[]): { status: number; stdout: string; stderr: string } {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
    const status = main(args);
    return { status, stdout: out.join("\n"), stderr: err.join("\n") };
  }

  const dir = mkdtempSync(join(tmpdir(), "check-wasm-"));
  const good = join(dir, "good.wasm");
  const bad = join(dir, "bad.wasm");
  const plain = join(dir, "plain.wasm");
  writeFileSync(good, wat2wasm(contractWat()));
  writeFileSync(bad, wat2wasm(contractWat({ extra: "(func $s) (start $s)" })));
  writeFileSync(plain, wat2wasm(`(module (func (export "f")))`));

  it("prints PASS lines and exits 0", () => {
    const { status, stdout } = run([good]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^PASS .*good\.wasm [\d,]+ B, 4 funcs, 5 imports, max locals 1, 1 page$/);
  });
  it("prints FAIL lines and exits 1", () => {
    const { status, stdout } = run([good, bad]);
    expect(status).toBe(1);
    expect(stdout).toContain("FAIL");
    expect(stdout).toContain("bad.wasm: start section not allowed");
  });
  it("supports --plain and --plain=<file>", () => {
    expect(run([plain]).status).toBe(1);
    expect(run(["--plain", plain]).status).toBe(0);
    expect(run([`--plain=${plain}`, good, plain]).status).toBe(0);
    expect(run([`--plain=${plain}`, good, plain]).stdout).toMatch(/plain\.wasm [\d,]+ B, 1 funcs, 0 imports, max locals 0, no memory/);
  });
  it("exits 2 on usage errors and unreadable files", () => {
    expect(run([]).status).toBe(2);
    expect(run(["--bogus", good]).status).toBe(2);
    const missing = run([good, join(dir, "missing.wasm")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing.wasm");
  });
});

describe("wasm-reader", () => {
  it("decodes LEB128 with length and range limits", () => {
    const r = (...b: number[]) => new ByteReader(Uint8Array.from(b));
    expect(r(0xe5, 0x8e, 0x26).u32()).toBe(624_485);
    expect(r(0xff, 0xff, 0xff, 0xff, 0x0f).u32()).toBe(0xffff_ffff);
    expect(() => r(0xff, 0xff, 0xff, 0xff, 0x1f).u32()).toThrow(WasmReadError);
    expect(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32()).toThrow(/longer than 5 bytes/);
    expect(() => r(0x80).u32()).toThrow(/unexpected end/);
    expect(r(0x7f).i32()).toBe(-1);
    expect(r(0x80, 0x7f).i32()).toBe(-128);
    expect(r(0x80, 0x80, 0x80, 0x80, 0x78).i32()).toBe(-(2 ** 31));
    expect(r(0xff, 0xff, 0xff, 0xff, 0x07).i32()).toBe(2 ** 31 - 1);
    expect(() => r(0xff, 0xff, 0xff, 0xff, 0x0f).i32()).toThrow(/exceeds 32 bits/);
    expect(r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).i64()).toBe(-(2n ** 63n));
    expect(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00).i64()).toBe(2n ** 63n - 1n);
    expect(() => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).i64()).toThrow(/exceeds 64 bits/);
    expect(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).u64()).toBe(2n ** 64n - 1n);
    expect(() => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).u64()).toThrow(/exceeds 64 bits/);
    expect(r(0x40).s33()).toBe(-64);
  });

  it("decodes operators of every supported proposal contiguously, with offsets and categories", () => {
    const text = `(module
      (memory 1 1 shared) (table $t 2 2 funcref) (tag $e)
      (func $f (param i32) (result i32) local.get 0)
      (func (result i32) (local i64 f64)
        i64.const -9223372036854775808 drop f64.const 1.5 local.set 1 i32.const -1 i32.extend8_s drop
        f32.const 2 i32.trunc_sat_f32_u drop
        i32.const 0 i32.const 0 i32.const 0 memory.copy
        v128.const i64x2 1 2 i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 drop
        i32.const 0 v128.load8_lane offset=3 1 drop
        i32.const 0 i32.const 1 i32.atomic.rmw.add drop
        ref.null extern ref.is_null drop ref.func $f drop
        block (result i32) i32.const 1 i32.const 2 br_table 0 0 end drop
        try (result i32) i32.const 3 catch $e i32.const 4 catch_all i32.const 5 end drop
        try_table (catch_all 0) throw $e end
        i32.const 1 i32.const 0 call_indirect $t (param i32) (result i32) drop
        i32.const 7 return_call $f)
      (elem declare func $f))`;
    const bytes = wat2wasm(text, { threads: true, simd: true, bulk_memory: true, reference_types: true, exceptions: true, tail_call: true });
    const m = parseModule(bytes);
    const ops: Operator[] = [...bodyOperators(m, m.bodies[1])];
    for (let i = 1; i < ops.length; i++) expect(ops[i].start).toBe(ops[i - 1].end);
    expect(ops[0].start).toBe(m.bodies[1].codeStart);
    expect(ops[ops.length - 1]).toMatchObject({ name: "end", end: m.bodies[1].end });
    const find = (name: string): Operator => {
      const op = ops.find((o) => o.name === name);
      if (!op) throw new Error(`${name} not decoded: ${ops.map((o) => o.name).join(" ")}`);
      return op;
    };
    expect(find("i64.const").imm.i64).toBe(-(2n ** 63n));
    expect(find("f64.const")).toMatchObject({ category: "float", float: true, imm: { float: 1.5 } });
    expect(find("i32.extend8_s").category).toBe("sign-ext");
    expect(find("i32.trunc_sat_f32_u")).toMatchObject({ category: "sat-trunc", float: true });
    expect(find("memory.copy").category).toBe("bulk-memory");
    expect(find("i8x16.shuffle").imm.v128?.length).toBe(16);
    expect(find("v128.load8_lane")).toMatchObject({ category: "simd", imm: { memarg: { offset: 3 }, lane: 1 } });
    expect(find("i32.atomic.rmw.add").category).toBe("threads");
    expect(find("ref.null").category).toBe("reference-types");
    expect(find("ref.func").imm.funcIndex).toBe(0);
    expect(find("br_table").imm).toMatchObject({ labels: [0], labelIndex: 0 });
    expect(find("catch_all").category).toBe("exceptions");
    expect(find("try_table").imm.catches).toEqual([{ kind: "catch_all", tagIndex: undefined, labelIndex: 0 }]);
    expect(find("call_indirect").imm).toMatchObject({ typeIndex: expect.any(Number), tableIndex: 0 });
    expect(find("return_call").category).toBe("tail-call");
    expect(m.bodies[1].localGroups).toEqual([{ count: 1, type: "i64" }, { count: 1, type: "f64" }]);
    expect(m.elements[0].mode).toBe("declarative");
  });
});
