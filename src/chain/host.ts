// Makes @oraichain/cosmwasm-vm-js behave like wasmvm where it matters for our contracts:
//  - the standard import set with exact semantics: db_scan returns a u32 iterator id and db_next its
//    section encoding (vm-js passes Regions instead), db_next_key / db_next_value, secp256r1_verify and
//    secp256r1_recover_pubkey (CosmWasm >= 2.1; vm-js has none), a one-argument abort;
//  - a fresh instance for every entry-point call (wasmvm never reuses memory between calls);
//  - db_write / db_remove refused during queries;
//  - UTF-8-correct argument allocation (vm-js sizes Regions by JS string length);
//  - an observer hook that sees every call's instance and host-call tally (scripts/gas prices them).
import { createRequire } from "node:module";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";

const require = createRequire(import.meta.url);
// The same CommonJS module instance cw-simulate extends, so patching its prototype reaches every VM.
const vmjs = require("@oraichain/cosmwasm-vm-js") as { VMInstance: { prototype: Record<string, unknown> } };

/** Host-side work done during one entry-point call, in the units wasmvm and wasmd charge. */
export interface HostTally {
  /** Host calls by import name. */
  calls: Record<string, number>;
  /** Regions the host read from contract memory (arguments of host calls), and their bytes. */
  regionReads: number;
  regionBytesRead: number;
  kvReads: number; kvReadBytes: number;
  kvWrites: number; kvWriteBytes: number;
  kvDeletes: number; kvIteratorNexts: number;
}

export interface CallObservation {
  entryPoint: string;
  exports: WebAssembly.Exports;
  tally: HostTally;
}

type Observer = (observation: CallObservation) => void;
let observer: Observer | null = null;

/** Registers a function that sees every entry-point call (one at a time; null to stop). */
export function setCallObserver(fn: Observer | null): void { observer = fn; }

export function emptyTally(): HostTally {
  return { calls: {}, regionReads: 0, regionBytesRead: 0, kvReads: 0, kvReadBytes: 0, kvWrites: 0, kvWriteBytes: 0, kvDeletes: 0, kvIteratorNexts: 0 };
}

// CryptoError codes of cosmwasm-crypto (errors.rs).
const INVALID_HASH_FORMAT = 3;
const INVALID_SIGNATURE_FORMAT = 4;
const INVALID_PUBKEY_FORMAT = 5;
const INVALID_RECOVERY_PARAM = 6;
const GENERIC_ERROR = 10;

type Curve = typeof p256 | typeof secp256k1;

function ecdsaVerifyHost(curve: Curve, hash: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): number {
  if (hash.length !== 32) return INVALID_HASH_FORMAT;
  if (signature.length !== 64) return INVALID_SIGNATURE_FORMAT;
  if (!(pubkey.length === 33 && (pubkey[0] === 2 || pubkey[0] === 3)) && !(pubkey.length === 65 && pubkey[0] === 4)) return INVALID_PUBKEY_FORMAT;
  try { curve.Point.fromBytes(pubkey); } catch { return GENERIC_ERROR; }
  try {
    return curve.verify(signature, hash, pubkey, { prehash: false, lowS: false }) ? 0 : 1;
  } catch {
    return 1;
  }
}

/** secp256k1_verify as wasmvm implements it (same conventions as secp256r1_verify below). */
export function secp256k1VerifyHost(hash: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): number {
  return ecdsaVerifyHost(secp256k1, hash, signature, pubkey);
}

/** secp256r1_verify as wasmvm implements it: prehashed 32-byte digest, 64-byte r||s, SEC1 key; high-S
 * accepted (the host normalises S). Returns 0 valid, 1 invalid, > 1 an error code. */
export function secp256r1VerifyHost(hash: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): number {
  return ecdsaVerifyHost(p256, hash, signature, pubkey);
}

/** secp256r1_recover_pubkey: returns [errorCode, uncompressed 65-byte key]. */
export function secp256r1RecoverHost(hash: Uint8Array, signature: Uint8Array, recoveryParam: number): [number, Uint8Array] {
  if (hash.length !== 32) return [INVALID_HASH_FORMAT, new Uint8Array(0)];
  if (signature.length !== 64) return [INVALID_SIGNATURE_FORMAT, new Uint8Array(0)];
  if (recoveryParam !== 0 && recoveryParam !== 1) return [INVALID_RECOVERY_PARAM, new Uint8Array(0)];
  try {
    const point = p256.Signature.fromBytes(signature, "compact").addRecoveryBit(recoveryParam).recoverPublicKey(hash);
    return [0, point.toBytes(false)];
  } catch {
    return [GENERIC_ERROR, new Uint8Array(0)];
  }
}

interface RegionView { data: Uint8Array; str: string; ptr: number }
interface VM {
  instance: WebAssembly.Instance;
  exports: WebAssembly.Exports;
  backend: { storage: { get(k: Uint8Array): Uint8Array | null; set(k: Uint8Array, v: Uint8Array): void; remove(k: Uint8Array): void; scan(s: Uint8Array | null, e: Uint8Array | null, o: number): Uint8Array; next(id: Uint8Array): { key: Uint8Array; value: Uint8Array } | null } };
  region(ptr: number): RegionView;
  allocate(size: number): { ptr: number; write(b: Uint8Array): void };
  allocate_bytes(b: Uint8Array): { ptr: number };
  [key: string]: unknown;
  __module?: WebAssembly.Module;
  __imports?: WebAssembly.Imports;
  __readonly?: boolean;
  __iterators?: { records: StoredRecord[]; position: number }[];
  __tally?: HostTally;
}

interface StoredRecord { key: Uint8Array; value: Uint8Array }

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** All (key, value) pairs of the contract's store, whichever vm-js storage class backs it. */
function storageEntries(vm: VM): [Uint8Array, Uint8Array][] {
  const dict = (vm.backend.storage as unknown as { dict: { entries(): Iterable<[unknown, unknown]> } }).dict;
  const out: [Uint8Array, Uint8Array][] = [];
  for (const [k, v] of dict.entries()) {
    const key = typeof k === "string" ? Uint8Array.from(Buffer.from(k, "base64")) : new Uint8Array(k as Uint8Array);
    const value = typeof v === "string" ? Uint8Array.from(Buffer.from(v, "base64")) : new Uint8Array(v as Uint8Array);
    out.push([key, value]);
  }
  return out;
}

const MAX_KEY = 64 * 1024;
const MAX_VALUE = 128 * 1024;

function memoryOf(vm: VM): WebAssembly.Memory { return vm.exports.memory as WebAssembly.Memory; }

function readRegion(vm: VM, ptr: number): Uint8Array {
  const view = new DataView(memoryOf(vm).buffer);
  const offset = view.getUint32(ptr, true);
  const capacity = view.getUint32(ptr + 4, true);
  const length = view.getUint32(ptr + 8, true);
  if (offset === 0 || length > capacity) throw new Error(`invalid region at ${ptr}`);
  const bytes = new Uint8Array(memoryOf(vm).buffer, offset, length).slice();
  if (vm.__tally) { vm.__tally.regionReads++; vm.__tally.regionBytesRead += bytes.length; }
  return bytes;
}

function writeNewRegion(vm: VM, bytes: Uint8Array): number {
  const region = vm.allocate(bytes.length);
  region.write(bytes);
  return region.ptr;
}

/** Writes into a Region the contract pre-allocated (addr_canonicalize / addr_humanize). */
function writeIntoRegion(vm: VM, ptr: number, bytes: Uint8Array): void {
  const view = new DataView(memoryOf(vm).buffer);
  const offset = view.getUint32(ptr, true);
  const capacity = view.getUint32(ptr + 4, true);
  if (bytes.length > capacity) throw new Error("destination region too small");
  new Uint8Array(memoryOf(vm).buffer, offset, bytes.length).set(bytes);
  view.setUint32(ptr + 8, bytes.length, true);
}

function sections(...parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length + 4, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; view.setUint32(at, p.length, false); at += 4; }
  return out;
}

function standardImports(vm: VM): Record<string, (...args: never[]) => unknown> {
  const count = (name: string) => { const t = vm.__tally; if (t) t.calls[name] = (t.calls[name] ?? 0) + 1; };
  const original = (name: string) => (vm[name] as (...a: unknown[]) => unknown).bind(vm);
  const delegate = (name: string) => { const fn = original(name); return (...args: number[]) => { count(name); return fn(...args); }; };
  const nextRecord = (id: number): StoredRecord | null => {
    const iterator = (vm.__iterators ?? [])[id - 1];
    if (!iterator) throw new Error(`iterator ${id} does not exist`);
    if (vm.__tally) vm.__tally.kvIteratorNexts++;
    return iterator.records[iterator.position++] ?? null;
  };
  return {
    db_read: (key: number) => {
      count("db_read");
      const k = readRegion(vm, key);
      if (k.length > MAX_KEY) throw new Error("key too long");
      const value = vm.backend.storage.get(k);
      if (vm.__tally) { vm.__tally.kvReads++; vm.__tally.kvReadBytes += k.length + (value?.length ?? 0); }
      return value === null || value === undefined ? 0 : writeNewRegion(vm, value);
    },
    db_write: (key: number, value: number) => {
      count("db_write");
      if (vm.__readonly) throw new Error("db_write is not allowed in a query (storage is read-only)");
      const k = readRegion(vm, key), v = readRegion(vm, value);
      if (k.length > MAX_KEY || v.length > MAX_VALUE) throw new Error("key or value too long");
      vm.backend.storage.set(k, v);
      if (vm.__tally) { vm.__tally.kvWrites++; vm.__tally.kvWriteBytes += k.length + v.length; }
    },
    db_remove: (key: number) => {
      count("db_remove");
      if (vm.__readonly) throw new Error("db_remove is not allowed in a query (storage is read-only)");
      vm.backend.storage.remove(readRegion(vm, key));
      if (vm.__tally) vm.__tally.kvDeletes++;
    },
    db_scan: (start: number, end: number, order: number) => {
      count("db_scan");
      if (order !== 1 && order !== 2) throw new Error(`invalid order ${order}`);
      const s = start === 0 ? null : readRegion(vm, start);
      const e = end === 0 ? null : readRegion(vm, end);
      // Our own range scan in byte order: vm-js's scan filters keys by a namespace heuristic and
      // iterates in insertion order for fresh contract stores.
      const records: StoredRecord[] = [];
      for (const [key, value] of storageEntries(vm)) {
        if (s && compareBytes(key, s) < 0) continue;
        if (e && compareBytes(key, e) >= 0) continue;
        records.push({ key, value });
      }
      records.sort((a, b) => compareBytes(a.key, b.key));
      if (order === 2) records.reverse();
      vm.__iterators = vm.__iterators ?? [];
      vm.__iterators.push({ records, position: 0 });
      return vm.__iterators.length;
    },
    db_next: (id: number) => {
      count("db_next");
      const record = nextRecord(id);
      return writeNewRegion(vm, record ? sections(record.key, record.value) : sections(new Uint8Array(0), new Uint8Array(0)));
    },
    db_next_key: (id: number) => { count("db_next_key"); const r = nextRecord(id); return r ? writeNewRegion(vm, r.key) : 0; },
    db_next_value: (id: number) => { count("db_next_value"); const r = nextRecord(id); return r ? writeNewRegion(vm, r.value) : 0; },
    addr_validate: (source: number) => {
      count("addr_validate");
      return (original("addr_validate") as (p: number) => number)(source);
    },
    addr_canonicalize: (source: number, destination: number) => {
      count("addr_canonicalize");
      try {
        const human = new TextDecoder().decode(readRegion(vm, source));
        const canonical = (vm.backend as unknown as { backend_api: { canonical_address(h: string): Uint8Array } }).backend_api.canonical_address(human);
        writeIntoRegion(vm, destination, canonical);
        return 0;
      } catch (err) {
        return writeNewRegion(vm, new TextEncoder().encode(err instanceof Error ? err.message : String(err)));
      }
    },
    addr_humanize: (source: number, destination: number) => {
      count("addr_humanize");
      try {
        const canonical = readRegion(vm, source);
        const human = (vm.backend as unknown as { backend_api: { human_address(c: Uint8Array): string } }).backend_api.human_address(canonical);
        writeIntoRegion(vm, destination, new TextEncoder().encode(human));
        return 0;
      } catch (err) {
        return writeNewRegion(vm, new TextEncoder().encode(err instanceof Error ? err.message : String(err)));
      }
    },
    secp256k1_verify: (hash: number, signature: number, pubkey: number) => {
      count("secp256k1_verify");
      return secp256k1VerifyHost(readRegion(vm, hash), readRegion(vm, signature), readRegion(vm, pubkey));
    },
    secp256k1_recover_pubkey: delegate("secp256k1_recover_pubkey"),
    ed25519_verify: delegate("ed25519_verify"),
    ed25519_batch_verify: delegate("ed25519_batch_verify"),
    secp256r1_verify: (hash: number, signature: number, pubkey: number) => {
      count("secp256r1_verify");
      return secp256r1VerifyHost(readRegion(vm, hash), readRegion(vm, signature), readRegion(vm, pubkey));
    },
    secp256r1_recover_pubkey: (hash: number, signature: number, param: number) => {
      count("secp256r1_recover_pubkey");
      const [code, key] = secp256r1RecoverHost(readRegion(vm, hash), readRegion(vm, signature), param);
      if (code !== 0) return BigInt(code) << 32n;
      return BigInt(writeNewRegion(vm, key));
    },
    debug: delegate("debug"),
    query_chain: delegate("query_chain"),
    abort: (message: number) => {
      count("abort");
      throw new Error(`abort: ${new TextDecoder().decode(readRegion(vm, message))}`);
    },
  };
}

const ENTRY_POINTS = ["instantiate", "execute", "query", "migrate", "sudo", "reply"] as const;
let installed = false;

/** Patches cosmwasm-vm-js once per process. Idempotent. */
export function installStandardHost(): void {
  if (installed) return;
  installed = true;
  const proto = vmjs.VMInstance.prototype as Record<string, unknown>;
  const moduleCache = new Map<string, WebAssembly.Module>();

  proto.build = async function build(this: VM, wasm: Uint8Array, checksum?: string): Promise<void> {
    const key = checksum ?? Buffer.from(await crypto.subtle.digest("SHA-256", wasm)).toString("hex");
    let module = moduleCache.get(key);
    if (!module) { module = await WebAssembly.compile(wasm); moduleCache.set(key, module); }
    this.__module = module;
    this.__imports = { env: standardImports(this) } as unknown as WebAssembly.Imports;
    this.instance = await WebAssembly.instantiate(module, this.__imports);
  };

  // vm-js sizes argument Regions by JS string length, which breaks on non-ASCII JSON.
  proto.allocate_str = function allocateStr(this: VM, text: string) {
    const bytes = new TextEncoder().encode(text);
    const region = this.allocate(bytes.length);
    region.write(bytes);
    return region;
  };

  for (const entry of ENTRY_POINTS) {
    const original = proto[entry] as (...args: unknown[]) => unknown;
    proto[entry] = function freshInstanceCall(this: VM, ...args: unknown[]) {
      // A fresh instance per call, as wasmvm does: no memory or globals survive between calls.
      this.instance = new WebAssembly.Instance(this.__module as WebAssembly.Module, this.__imports as WebAssembly.Imports);
      this.__iterators = [];
      this.__readonly = entry === "query";
      this.__tally = emptyTally();
      try {
        return original.apply(this, args);
      } finally {
        observer?.({ entryPoint: entry, exports: this.instance.exports, tally: this.__tally });
        this.__readonly = false;
      }
    };
  }
}
