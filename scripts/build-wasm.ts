// Compiles the AssemblyScript tree into Wasm:
//   build/verifier.wasm          plain exports for JS, the CLI and browsers (assembly/verifier.ts)
//   build/<contract>.wasm        one CosmWasm module per contracts/<name>/contract.ts (std excluded)
//   build/test-<name>.wasm       CosmWasm test contracts under tests/contracts/<name>/contract.ts
// Contract modules get the start pass (scripts/lib/start-pass.ts). Every module is then linted by
// scripts/check-wasm; any violation fails the build.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import asc from "assemblyscript/asc";
import { inlineStartIntoExports } from "./lib/start-pass";
import { checkWasm } from "./check-wasm";

const ROOT = process.cwd();
const BUILD = join(ROOT, "build");
const START_EXPORT = "_initialize";

/** Flags shared by every module. Optimisation: -O3 with shrink level 1; see README ("Build") for the
 * measured locals/speed trade-off. No floats, no bulk-memory, no non-trapping float conversions. */
const COMMON_FLAGS = [
  "--runtime", "stub",
  "--optimizeLevel", "3",
  "--shrinkLevel", "1",
  "--disable", "bulk-memory",
  "--disable", "nontrapping-f2i",
  "--disable", "simd",
  "--disable", "reference-types",
  "--disable", "multi-value",
  "--use", "abort=assembly/abort/contractAbort",
];

interface Target { name: string; entry: string; kind: "plain" | "contract" }

function targets(): Target[] {
  const list: Target[] = [];
  if (existsSync(join(ROOT, "assembly/verifier.ts"))) list.push({ name: "verifier", entry: "assembly/verifier.ts", kind: "plain" });
  for (const dir of ["contracts", "tests/contracts"]) {
    const base = join(ROOT, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (name === "std") continue;
      const entry = join(dir, name, "contract.ts");
      if (!existsSync(join(ROOT, entry))) continue;
      list.push({ name: dir === "contracts" ? name : `test-${name}`, entry, kind: "contract" });
    }
  }
  return list;
}

async function compile(target: Target): Promise<Uint8Array> {
  // asc writes to a private temporary file; the final module is renamed into place only when complete,
  // so a test or bench reading build/ never sees a half-written or not yet post-processed module.
  const out = join("build", `.tmp-${process.pid}-${target.name}.wasm`);
  const args = [target.entry, "--outFile", out, "--textFile", join("build", `${target.name}.wat`), ...COMMON_FLAGS];
  // Every module gets the start pass, the plain verifier too: it then has exactly the shape of the
  // code that runs inside contracts, which keeps its operator counts representative.
  args.push("--exportStart", START_EXPORT);
  const stderr: string[] = [];
  const { error } = await asc.main(args, {
    stdout: { write: (s: string) => { process.stdout.write(s); return true; } } as never,
    stderr: { write: (s: string) => { stderr.push(String(s)); return true; } } as never,
  });
  if (error) throw new Error(`asc failed for ${target.entry}:\n${stderr.join("")}`);
  let bytes: Uint8Array = readFileSync(join(ROOT, out));
  bytes = inlineStartIntoExports(bytes, START_EXPORT).bytes;
  writeFileSync(join(ROOT, out), bytes);
  renameSync(join(ROOT, out), join(ROOT, "build", `${target.name}.wasm`));
  return bytes;
}

async function main(): Promise<void> {
  mkdirSync(BUILD, { recursive: true });
  let failed = false;
  for (const target of targets()) {
    const started = Date.now();
    const bytes = await compile(target);
    const report = checkWasm(bytes, `build/${target.name}.wasm`, { plain: target.kind === "plain" });
    const took = ((Date.now() - started) / 1000).toFixed(1);
    if (report.ok) {
      console.log(`built ${relative(ROOT, join(BUILD, target.name + ".wasm"))} ${bytes.length.toLocaleString("en-US")} B (${took}s)`);
    } else {
      failed = true;
      console.error(`FAIL build/${target.name}.wasm: ${report.violations.join("; ")}`);
    }
  }
  if (failed) process.exit(1);
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
