// Writes the registry's JSON Schemas (draft-07, cosmwasm-schema's file layout) to schema/: instantiate_msg,
// execute_msg, query_msg and one <query>_response per query, all generated from the definitions in
// src/registry/messages.ts and responses.ts. @cosmwasm/ts-codegen reads the directory as is
// (`cosmwasm-ts-codegen generate --schema schema --out <dir> --name Registry`). `--check` only compares
// and exits 1 when a file is missing or stale.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { rootSchema, type JsonSchema } from "../src/registry/schema-dsl";
import { ExecuteMsg, InstantiateMsg, QueryMsg } from "../src/registry/messages";
import { Responses } from "../src/registry/responses";

const pascal = (s: string) => s.split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join("");

/** File name -> schema document. */
export function registrySchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {
    "instantiate_msg.json": rootSchema("InstantiateMsg", InstantiateMsg),
    "execute_msg.json": rootSchema("ExecuteMsg", ExecuteMsg),
    "query_msg.json": rootSchema("QueryMsg", QueryMsg),
  };
  for (const [query, schema] of Object.entries(Responses)) out[`${query}_response.json`] = rootSchema(`${pascal(query)}Response`, schema);
  return out;
}

export function schemaText(doc: JsonSchema): string { return JSON.stringify(doc, null, 2) + "\n"; }

export function main(argv: string[]): number {
  const check = argv.includes("--check");
  const dir = argv.find((a) => !a.startsWith("--")) ?? join(process.cwd(), "schema");
  const stale: string[] = [];
  if (!check) mkdirSync(dir, { recursive: true });
  for (const [file, doc] of Object.entries(registrySchemas())) {
    const path = join(dir, file);
    const text = schemaText(doc);
    if (check) {
      if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(file);
    } else {
      writeFileSync(path, text);
    }
  }
  if (check) {
    if (stale.length > 0) { console.error(`schema: stale or missing in ${dir}: ${stale.join(", ")} (run \`npm run schema\`)`); return 1; }
    console.log(`schema: ${dir} is up to date`);
  } else {
    console.log(`schema: wrote ${Object.keys(registrySchemas()).length} files to ${dir}`);
  }
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry || !/^schema\.(c|m)?(j|t)s$/.test(basename(entry))) return false;
  try {
    return import.meta.url === pathToFileURL(entry).href || import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = main(process.argv.slice(2));
