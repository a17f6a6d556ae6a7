// Every module the build produced passes our CosmWasm upload lint, and the start pass did its job.
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkWasm } from "../scripts/check-wasm";
import { inlineStartIntoExports } from "../scripts/lib/start-pass";
import { ROOT } from "./helpers/build";

const BUILD = join(ROOT, "build");
const modules = readdirSync(BUILD).filter((f) => f.endsWith(".wasm")).sort();

describe("built modules", () => {
  it("exist (verifier and at least one contract)", () => {
    expect(modules).toContain("verifier.wasm");
    expect(modules.some((m) => m !== "verifier.wasm")).toBe(true);
  });

  for (const file of modules) {
    it(`${file} passes check-wasm`, () => {
      const bytes = new Uint8Array(readFileSync(join(BUILD, file)));
      const report = checkWasm(bytes, file, { plain: file === "verifier.wasm" });
      expect(report.violations).toEqual([]);
      expect(report.stats.floatOperators).toBe(0);
      expect(report.stats.maxLocals).toBeLessThanOrEqual(100);
      if (file !== "verifier.wasm") expect(bytes.length).toBeLessThanOrEqual(800 * 1024);
    });
  }

  it("the start pass refuses a module without the start export and keeps others callable", async () => {
    const wabt = await (await import("wabt")).default();
    const wat = `(module (global $started (mut i32) (i32.const 0)) (global $value (mut i32) (i32.const 0))
      (func $start (if (i32.eqz (global.get $started)) (then (global.set $started (i32.const 1)) (global.set $value (i32.const 42)))))
      (func (export "get") (result i32) (global.get $value))
      (export "_initialize" (func $start)) (memory (export "memory") 1))`;
    const bytes = new Uint8Array(wabt.parseWat("t.wat", wat).toBinary({}).buffer);
    expect(() => inlineStartIntoExports(bytes, "missing")).toThrow(/not found/);
    const { bytes: out, patchedExports } = inlineStartIntoExports(bytes, "_initialize");
    expect(patchedExports.length).toBe(1);
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(out), {});
    expect(Object.keys(instance.exports)).not.toContain("_initialize");
    expect((instance.exports.get as () => number)()).toBe(42);
  });
});
