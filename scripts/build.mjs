// Build bootstrap: bundle the TypeScript (src/, scripts/, bench/) with esbuild into dist/, then run the
// Wasm build (dist/scripts/build-wasm.js), which compiles AssemblyScript and lints every module.
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { spawnSync } from "node:child_process";

const entries = [];
const add = (path) => { if (existsSync(path)) entries.push(path); };
for (const dir of ["scripts", "bench"]) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith(".ts")) entries.push(`${dir}/${f}`);
}
add("src/cli.ts");
add("src/main.ts");
add("src/index.ts");

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: "dist",
  outbase: ".",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  banner: { js: "import { createRequire as __teeCreateRequire } from 'node:module'; const require = __teeCreateRequire(import.meta.url);" },
});
// src/cli.ts lands at dist/src/cli.js; package.json's bin points at dist/cli.js
for (const name of ["cli", "main", "index"]) {
  if (existsSync(`dist/src/${name}.js`)) {
    writeFileSync(`dist/${name}.js`, `#!/usr/bin/env node\nimport "./src/${name}.js";\n`);
    chmodSync(`dist/${name}.js`, 0o755);
  }
}

if (!process.argv.includes("--ts-only")) {
  const result = spawnSync(process.execPath, ["dist/scripts/build-wasm.js"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
