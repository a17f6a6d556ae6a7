// A tiny JSON Schema (draft-07) builder whose values also carry their TypeScript type, so each registry
// message is written once (src/registry/messages.ts) and both the client's types (`Static<typeof X>`) and
// the generated schema/*.json come from that one definition. Output follows cosmwasm-schema's layout
// (named types under `definitions`, `$ref: "#/definitions/<Name>"`, enums as `oneOf` of one-key objects,
// `additionalProperties: false`), which is what @cosmwasm/ts-codegen reads.

export type JsonSchema = { [key: string]: unknown };

/** A schema node; `T` is the TypeScript type of the JSON it accepts (phantom, never set). */
export interface Schema<T> {
  readonly json: JsonSchema;
  /** Named definitions this node refers to (transitively). */
  readonly defs: ReadonlyMap<string, JsonSchema>;
  readonly __type?: T;
}

export type Static<S> = S extends Schema<infer T> ? T : never;

type Flat<T> = { [K in keyof T]: T[K] } & {};
type Shape = Record<string, Schema<unknown>>;
type ObjectOf<R extends Shape, O extends Shape> = Flat<{ [K in keyof R]: Static<R[K]> } & { [K in keyof O]?: Static<O[K]> }>;
type VariantOf<V extends Shape> = { [K in keyof V]: { [P in K]: Static<V[K]> } }[keyof V];

interface Doc { description?: string }

function mergeDefs(...nodes: Schema<unknown>[]): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const n of nodes) for (const [k, v] of n.defs) out.set(k, v);
  return out;
}

function node<T>(json: JsonSchema, defs: Map<string, JsonSchema> = new Map()): Schema<T> {
  return { json, defs };
}

function withDoc(json: JsonSchema, doc?: Doc): JsonSchema {
  return doc?.description ? { description: doc.description, ...json } : json;
}

export function string(opts: Doc & { pattern?: string; minLength?: number; maxLength?: number } = {}): Schema<string> {
  const { description, ...rest } = opts;
  return node(withDoc({ type: "string", ...rest }, { description }));
}

export function literal<const V extends readonly string[]>(values: V, doc?: Doc): Schema<V[number]> {
  return node(withDoc({ type: "string", enum: [...values] }, doc));
}

/** A non-negative integer (u32/u64 in the contract). */
export function uint(opts: Doc & { format?: "uint32" | "uint64"; minimum?: number; maximum?: number } = {}): Schema<number> {
  const { description, format = "uint64", minimum = 0, ...rest } = opts;
  return node(withDoc({ type: "integer", format, minimum, ...rest }, { description }));
}

/** A signed integer (i64 in the contract). */
export function int(doc?: Doc): Schema<number> {
  return node(withDoc({ type: "integer", format: "int64" }, doc));
}

export function boolean(doc?: Doc): Schema<boolean> {
  return node(withDoc({ type: "boolean" }, doc));
}

export function array<T>(item: Schema<T>, opts: Doc & { minItems?: number; maxItems?: number } = {}): Schema<T[]> {
  const { description, ...rest } = opts;
  return node(withDoc({ type: "array", items: item.json, ...rest }, { description }), mergeDefs(item));
}

/** `T | null` (cosmwasm-schema's Option<T> form: anyOf with null). */
export function nullable<T>(s: Schema<T>, doc?: Doc): Schema<T | null> {
  return node(withDoc({ anyOf: [s.json, { type: "null" }] }, doc), mergeDefs(s));
}

/** Any of the given shapes (`anyOf`; the shapes should not overlap). */
export function union<S extends Schema<unknown>[]>(schemas: [...S], doc?: Doc): Schema<Static<S[number]>> {
  return node(withDoc({ anyOf: schemas.map((s) => s.json) }, doc), mergeDefs(...schemas));
}

/** An object with required and optional members and no others. */
export function object<R extends Shape, O extends Shape = {}>(required: R, optional?: O, opts: Doc & { minProperties?: number; maxProperties?: number; extra?: JsonSchema } = {}): Schema<ObjectOf<R, O>> {
  const { description, extra, ...rest } = opts;
  const properties: JsonSchema = {};
  for (const [k, v] of Object.entries(required)) properties[k] = v.json;
  for (const [k, v] of Object.entries(optional ?? {})) properties[k] = v.json;
  const json: JsonSchema = { type: "object" };
  const req = Object.keys(required);
  if (req.length > 0) json.required = req;
  json.properties = properties;
  json.additionalProperties = false;
  Object.assign(json, rest, extra ?? {});
  return node(withDoc(json, { description }), mergeDefs(...Object.values(required), ...Object.values(optional ?? {})));
}

/** A map from string keys (matching `keyPattern`) to values of one schema. */
export function record<T>(value: Schema<T>, opts: Doc & { keyPattern?: string; minProperties?: number } = {}): Schema<Record<string, T>> {
  const { description, keyPattern, ...rest } = opts;
  const json: JsonSchema = { type: "object", additionalProperties: value.json, ...rest };
  if (keyPattern) json.propertyNames = { pattern: keyPattern };
  return node(withDoc(json, { description }), mergeDefs(value));
}

/** Any JSON object (content checked by the contract, e.g. an object given as exact JSON text). */
export function anyObject(doc?: Doc): Schema<Record<string, unknown>> {
  return node(withDoc({ type: "object" }, doc));
}

/** A Rust-style enum: exactly one of the given keys, each mapping to its body. */
export function oneOf<V extends Shape>(variants: V, doc?: Doc): Schema<VariantOf<V>> {
  const branches = Object.entries(variants).map(([k, v]) => ({
    type: "object",
    required: [k],
    properties: { [k]: v.json },
    additionalProperties: false,
    ...(v.json.description ? { description: v.json.description } : {}),
  }));
  return node(withDoc({ oneOf: branches }, doc), mergeDefs(...Object.values(variants)));
}

/** An empty struct variant body ({} in JSON). */
export function empty(doc?: Doc): Schema<Record<string, never>> {
  return node(withDoc({ type: "object", additionalProperties: false }, doc));
}

/** A named type: `{$ref: "#/definitions/<name>"}` here, its schema under `definitions` of the root. */
export function named<T>(name: string, s: Schema<T>): Schema<T> {
  const defs = mergeDefs(s);
  defs.set(name, s.json);
  return node({ $ref: `#/definitions/${name}` }, defs);
}

/** The root document of one schema file (cosmwasm-schema layout). */
export function rootSchema(title: string, s: Schema<unknown>): JsonSchema {
  let json = s.json;
  // A root that is itself a reference is inlined, as cosmwasm-schema does.
  const ref = typeof json.$ref === "string" ? json.$ref.replace("#/definitions/", "") : null;
  if (ref && s.defs.has(ref)) json = s.defs.get(ref)!;
  const definitions: JsonSchema = {};
  for (const k of [...s.defs.keys()].sort()) if (k !== ref || usesRef(s.defs, ref)) definitions[k] = s.defs.get(k);
  const out: JsonSchema = { $schema: "http://json-schema.org/draft-07/schema#", title, ...json };
  if (Object.keys(definitions).length > 0) out.definitions = definitions;
  return out;
}

function usesRef(defs: ReadonlyMap<string, JsonSchema>, name: string): boolean {
  const needle = `"#/definitions/${name}"`;
  for (const v of defs.values()) if (JSON.stringify(v).includes(needle)) return true;
  return false;
}
