// Test helpers: locate build outputs (built by `npm run build`, which CI runs before `npm test`).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

export function wasmPath(name: string): string {
  return join(ROOT, "build", `${name}.wasm`);
}

export function readWasm(name: string): Uint8Array {
  const path = wasmPath(name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` before the tests`);
  return new Uint8Array(readFileSync(path));
}
