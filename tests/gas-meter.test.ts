// Tests for scripts/lib/gas-meter.ts: instrumented modules must count executed operators exactly as
// Wasmer's metering middleware charges them in cosmwasm-vm (a run of operators is charged right before
// the accounting operator that closes it). Every expected count below is worked out by hand in comments.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import {
  ACCOUNTING_OP_COST_CWG,
  GAS_EXPORTS,
  GAS_MULTIPLIER,
  OP_COST_CWG,
  countStatic,
  cwgFor,
  instrument,
  readGasCounters,
  resetGasCounters,
  sdkGas,
} from "../scripts/lib/gas-meter";
import { parseModule } from "../scripts/lib/wasm-reader";

const wabt = await wabtInit();

function wat2wasm(text: string): Uint8Array {
  const module = wabt.parseWat("test.wat", text, { multi_value: true });
  try {
    module.validate();
    return module.toBinary({ write_debug_names: true }).buffer;
  } finally {
    module.destroy();
  }
}

type Fn = (...args: number[]) => number;

function instantiate(bytes: Uint8Array, imports: WebAssembly.Imports = {}): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), imports).exports;
}

/** Runs `call` on a fresh counter state and returns what it cost. */
function measure(exports: WebAssembly.Exports, call: () => unknown): { ops: bigint; accountingOps: bigint; cwg: bigint } {
  resetGasCounters(exports);
  call();
  return readGasCounters(exports);
}

const expected = (ops: number, accountingOps: number) => ({
  ops: BigInt(ops),
  accountingOps: BigInt(accountingOps),
  cwg: BigInt((ops - accountingOps) * 115 + accountingOps * 1610),
});

// Runs (charge points) are listed in code order; "xN" is how often each run is charged.
const CONTROL_FLOW_WAT = `(module
  (type $unary (func (param i32) (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $inc)

  ;; run: local.get, i32.const, i32.add, end = 4 ops
  (func $inc (type $unary)
    local.get 0
    i32.const 1
    i32.add)

  ;; Adds 1 to acc ten times through $inc.
  (func (export "loop10") (result i32) (local $i i32) (local $acc i32)
    block $exit
      loop $top          ;; A: block, loop                          = 2 ops  x1
        local.get $i
        i32.const 10
        i32.ge_u
        br_if $exit      ;; B: local.get, i32.const, i32.ge_u, br_if = 4 ops  x11
        local.get $acc
        call $inc        ;; C: local.get, call                       = 2 ops  x10
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $top          ;; D: local.set, local.get, i32.const, i32.add, local.set, br = 6 ops x10
      end                ;; E: end (dead: br always jumps back)       = 1 op   x0
    end                  ;; F: end (br_if jumps past it)             = 1 op   x0
    local.get $acc)      ;; G: local.get, end                        = 2 ops  x1

  (func (export "sign") (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.lt_s
    if (result i32)      ;; R1: local.get, i32.const, i32.lt_s, if = 4
      i32.const -1
    else                 ;; R2: i32.const, else = 2   (then-arm; jumps past the outer end)
      local.get 0
      i32.eqz
      if (result i32)    ;; R3: local.get, i32.eqz, if = 3
        i32.const 0
      else               ;; R4: i32.const, else = 2   (inner then-arm; jumps past the inner end)
        i32.const 1
      end                ;; R5: i32.const, end = 2
    end                  ;; R6: end = 1
    )                    ;; R7: end = 1

  (func (export "early") (param i32) (result i32)
    local.get 0
    if                   ;; R1: local.get, if = 2
      i32.const 42
      return             ;; R2: i32.const, return = 2
    end                  ;; R3: end = 1   (false condition jumps past it)
    i32.const 7)         ;; R4: i32.const, end = 2

  (func (export "switch") (param i32) (result i32)
    block $b2
      block $b1
        block $b0
          local.get 0
          br_table $b0 $b1 $b2  ;; R1: block x3, local.get, br_table = 5
        end                     ;; dead
        i32.const 10
        return                  ;; R2: i32.const, return = 2
      end                       ;; dead
      i32.const 20
      return                    ;; R3: i32.const, return = 2
    end                         ;; dead
    i32.const 30)               ;; R4: i32.const, end = 2

  (func (export "indirect") (param i32) (result i32)
    local.get 0
    i32.const 0
    call_indirect (type $unary))  ;; R1: local.get, i32.const, call_indirect = 3; R2: end = 1
)`;

describe("instrument: executed operator counts", () => {
  const original = wat2wasm(CONTROL_FLOW_WAT);
  const plain = instantiate(original);
  const metered = instantiate(instrument(original));
  const call = (name: string, ...args: number[]) => (metered[name] as Fn)(...args);

  it("counts a loop with a call and a conditional exit", () => {
    // A 2x1 + B 4x11 + C 2x10 + D 6x10 + G 2x1 + $inc 4x10 = 168 ops; 1+11+10+10+1+10 = 43 charges.
    const cost = measure(metered, () => expect(call("loop10")).toBe(10));
    expect(cost).toEqual(expected(168, 43));
    expect(cost.cwg).toBe(83_605n);
  });

  it("counts if/else: a taken then-arm skips the charge before the matching end", () => {
    expect(measure(metered, () => expect(call("sign", -5)).toBe(-1))).toEqual(expected(4 + 2 + 1, 3)); // R1 R2 R7
    expect(measure(metered, () => expect(call("sign", 0)).toBe(0))).toEqual(expected(4 + 3 + 2 + 1 + 1, 5)); // R1 R3 R4 R6 R7
    expect(measure(metered, () => expect(call("sign", 9)).toBe(1))).toEqual(expected(4 + 3 + 2 + 1 + 1, 5)); // R1 R3 R5 R6 R7
  });

  it("counts the operators before return and br_table", () => {
    expect(measure(metered, () => expect(call("early", 1)).toBe(42))).toEqual(expected(2 + 2, 2)); // R1 R2
    expect(measure(metered, () => expect(call("early", 0)).toBe(7))).toEqual(expected(2 + 2, 2)); // R1 R4
    expect(measure(metered, () => expect(call("switch", 0)).toBe(10))).toEqual(expected(5 + 2, 2));
    expect(measure(metered, () => expect(call("switch", 1)).toBe(20))).toEqual(expected(5 + 2, 2));
    expect(measure(metered, () => expect(call("switch", 99)).toBe(30))).toEqual(expected(5 + 2, 2));
  });

  it("counts call_indirect and the callee", () => {
    expect(measure(metered, () => expect(call("indirect", 5)).toBe(6))).toEqual(expected(3 + 4 + 1, 3));
  });

  it("accumulates across calls until reset", () => {
    resetGasCounters(metered);
    call("early", 1);
    call("early", 0);
    expect(readGasCounters(metered)).toEqual(expected(8, 4));
  });

  it("computes the same results as the original module", () => {
    const p = (name: string, ...args: number[]) => (plain[name] as Fn)(...args);
    for (const x of [-7, -1, 0, 1, 2, 3, 1000]) {
      expect(call("sign", x)).toBe(p("sign", x));
      expect(call("early", x)).toBe(p("early", x));
      expect(call("switch", x)).toBe(p("switch", x));
      expect(call("indirect", x)).toBe(p("indirect", x));
    }
    expect(call("loop10")).toBe(p("loop10"));
  });
});

describe("instrument: module structure", () => {
  it("appends the counters after imported and existing globals without shifting indices", () => {
    const bytes = wat2wasm(`(module
      (import "env" "base" (global $base i32))
      (import "env" "hits" (global $hits (mut i64)))
      (global $own (mut i32) (i32.const 5))
      (func (export "read") (result i32) global.get $base global.get $own i32.add)     ;; 4 ops, 1 charge
      (func (export "bump") global.get $hits i64.const 1 i64.add global.set $hits)     ;; 5 ops, 1 charge
      (export "own" (global $own)))`);
    const hits = new WebAssembly.Global({ value: "i64", mutable: true }, 10n);
    const instrumented = instrument(bytes);
    const m = parseModule(instrumented);
    expect(m.importedGlobalCount).toBe(2);
    expect(m.globals.length).toBe(4);
    const counterExports = m.exports.filter((e) => e.name.startsWith("__gas_"));
    expect(counterExports).toEqual([
      { name: GAS_EXPORTS.ops, kind: "global", index: 3 },
      { name: GAS_EXPORTS.accountingOps, kind: "global", index: 4 },
      { name: GAS_EXPORTS.cwg, kind: "global", index: 5 },
    ]);
    const exports = instantiate(instrumented, { env: { base: 37, hits } });
    expect(measure(exports, () => expect((exports.read as Fn)()).toBe(42))).toEqual(expected(4, 1));
    expect(measure(exports, () => (exports.bump as Fn)())).toEqual(expected(5, 1));
    expect(hits.value).toBe(11n);
    expect((exports.own as WebAssembly.Global).value).toBe(5);
  });

  it("creates global and export sections when the module has none, keeping custom sections", () => {
    const bytes = wat2wasm(`(module (func $f (result i32) i32.const 1) (start $g) (func $g call $f drop))`);
    const instrumented = instrument(bytes);
    expect(WebAssembly.validate(instrumented as BufferSource)).toBe(true);
    const m = parseModule(instrumented);
    expect(m.sections.map((s) => s.name)).toEqual(["type", "function", "global", "export", "start", "code", "custom"]);
    // The start function $g ran during instantiation and was counted:
    // $g R1: call = 1 op; $f: i32.const, end = 2; $g R2: drop, end = 2  => 5 ops, 3 charges.
    const exports = instantiate(instrumented);
    expect(readGasCounters(exports)).toEqual(expected(5, 3));
  });

  it("refuses a module that already exports a counter name", () => {
    expect(() => instrument(wat2wasm(`(module (global (export "__gas_ops") i32 (i32.const 0)))`))).toThrow(/already exports __gas_ops/);
  });

  it("instruments an AssemblyScript contract into a valid module", () => {
    const path = join(__dirname, "..", "build", "test-std-test.wasm");
    expect(existsSync(path)).toBe(true); // built by `npm run build`, which CI runs before the tests
    const bytes = new Uint8Array(readFileSync(path));
    const instrumented = instrument(bytes);
    expect(WebAssembly.validate(instrumented as BufferSource)).toBe(true);
    const before = parseModule(bytes);
    const after = parseModule(instrumented);
    expect(after.bodies.length).toBe(before.bodies.length);
    expect(after.globals.length).toBe(before.globals.length + 3);
  });
});

describe("gas constants and helpers", () => {
  it("uses cosmwasm-vm's costs and wasmd's multiplier", () => {
    expect(OP_COST_CWG).toBe(115);
    expect(ACCOUNTING_OP_COST_CWG).toBe(1610);
    expect(GAS_MULTIPLIER).toBe(140_000);
    expect(cwgFor(10n, 3n)).toBe(7n * 115n + 3n * 1610n);
    expect(sdkGas(139_999n)).toBe(0n);
    expect(sdkGas(280_000n)).toBe(2n);
    expect(sdkGas(1_000_000_000n)).toBe(7142n);
  });

  it("counts operators statically", () => {
    const counts = countStatic(wat2wasm(CONTROL_FLOW_WAT));
    // $inc: 4 ops, 1 accounting (end). loop10: 18 ops; accounting: loop, br_if, call, br, end, end, end = 7.
    expect(counts[0]).toEqual({ funcIndex: 0, operators: 4, accountingOperators: 1 });
    expect(counts[1]).toEqual({ funcIndex: 1, operators: 18, accountingOperators: 7 });
  });
});
