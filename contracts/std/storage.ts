// Typed access to contract storage in the spirit of cw-storage-plus, with its key encoding so state is
// readable by standard tooling:
//   Item:  key = namespace bytes
//   Map:   key = u16be(len(namespace)) || namespace || key            (single key)
//          key = u16be(len(ns)) || ns || u16be(len(k1)) || k1 || k2   (two-part key; prefix = k1)
// Values are bytes; contracts store their own JSON or binary encodings.
import { db_read, db_write, db_remove, db_scan, db_next, db_next_key, db_next_value } from "./imports";
import { readRegion, toRegion } from "./region";
import { ByteBuffer, copyInto, utf8 } from "../../assembly/encoding/bytes";

export const ORDER_ASCENDING: i32 = 1;
export const ORDER_DESCENDING: i32 = 2;

export function storageGet(key: Uint8Array): Uint8Array | null {
  const result = db_read(<u32>toRegion(key));
  if (result == 0) return null;
  return readRegion(<usize>result);
}

export function storageSet(key: Uint8Array, value: Uint8Array): void {
  db_write(<u32>toRegion(key), <u32>toRegion(value));
}

export function storageRemove(key: Uint8Array): void {
  db_remove(<u32>toRegion(key));
}

export class Record {
  constructor(public key: Uint8Array, public value: Uint8Array) {}
}

/** Decodes db_next's section encoding `key || u32be(keylen) || value || u32be(valuelen)`; null at the end
 * (an empty key) or on a malformed region. */
function decodeNext(region: Uint8Array): Record | null {
  const n = region.length;
  if (n < 8) return null;
  const valueLength = <i32>((<u32>region[n - 4] << 24) | (<u32>region[n - 3] << 16) | (<u32>region[n - 2] << 8) | <u32>region[n - 1]);
  const keyEnd = n - 4 - valueLength;
  if (valueLength < 0 || keyEnd < 4) return null;
  const keyLength = <i32>((<u32>region[keyEnd - 4] << 24) | (<u32>region[keyEnd - 3] << 16) | (<u32>region[keyEnd - 2] << 8) | <u32>region[keyEnd - 1]);
  if (keyLength <= 0 || keyLength != keyEnd - 4) return null;
  return new Record(region.slice(0, keyLength), region.slice(keyEnd, n - 4));
}

/** Raw range scan over [start, end) (null = unbounded), at most `limit` records. */
export function storageRange(start: Uint8Array | null, end: Uint8Array | null, order: i32, limit: i32): Array<Record> {
  const startRegion = start === null ? 0 : <u32>toRegion(start);
  const endRegion = end === null ? 0 : <u32>toRegion(end);
  const iterator = db_scan(startRegion, endRegion, order);
  const out = new Array<Record>();
  while (out.length < limit) {
    const record = decodeNext(readRegion(<usize>db_next(iterator)));
    if (record === null) break;
    out.push(record);
  }
  return out;
}

/** Keys only in [start, end) (db_next_key, CosmWasm >= 1.4): cheaper when values are not needed. */
export function storageKeys(start: Uint8Array | null, end: Uint8Array | null, order: i32, limit: i32): Array<Uint8Array> {
  const iterator = db_scan(start === null ? 0 : <u32>toRegion(start), end === null ? 0 : <u32>toRegion(end), order);
  const out = new Array<Uint8Array>();
  while (out.length < limit) {
    const key = db_next_key(iterator);
    if (key == 0) break;
    out.push(readRegion(<usize>key));
  }
  return out;
}

/** Values only in [start, end) (db_next_value, CosmWasm >= 1.4). */
export function storageValues(start: Uint8Array | null, end: Uint8Array | null, order: i32, limit: i32): Array<Uint8Array> {
  const iterator = db_scan(start === null ? 0 : <u32>toRegion(start), end === null ? 0 : <u32>toRegion(end), order);
  const out = new Array<Uint8Array>();
  while (out.length < limit) {
    const value = db_next_value(iterator);
    if (value == 0) break;
    out.push(readRegion(<usize>value));
  }
  return out;
}

/** The smallest key greater than every key starting with `prefix` (null if none exists: all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  const out = prefix.slice(0);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] != 0xff) { out[i] = out[i] + 1; return out.slice(0, i + 1); }
  }
  return null;
}

/** key || 0x00: the first key strictly after `key` in byte order. */
export function keySuccessor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  copyInto(out, 0, key, 0, key.length);
  return out;
}

export class Item {
  readonly key: Uint8Array;
  constructor(namespace: string) { this.key = utf8(namespace); }
  load(): Uint8Array | null { return storageGet(this.key); }
  save(value: Uint8Array): void { storageSet(this.key, value); }
  loadString(): string | null {
    const v = this.load();
    return v === null ? null : String.UTF8.decode(v.buffer);
  }
  saveString(value: string): void { this.save(utf8(value)); }
  remove(): void { storageRemove(this.key); }
  exists(): bool { return this.load() !== null; }
}

/** Pagination bounds shared by every list query: default 10, at most 30 (cw-plus defaults). */
export const DEFAULT_PAGE_LIMIT: u32 = 10;
export const MAX_PAGE_LIMIT: u32 = 30;

export function pageLimit(requested: i64): i32 {
  if (requested <= 0) return <i32>DEFAULT_PAGE_LIMIT;
  return requested > <i64>MAX_PAGE_LIMIT ? <i32>MAX_PAGE_LIMIT : <i32>requested;
}

export class StorageMap {
  readonly prefix: Uint8Array;

  constructor(namespace: string) {
    const ns = utf8(namespace);
    const buf = new ByteBuffer(ns.length + 2);
    buf.pushU16BE(<u32>ns.length);
    buf.pushBytes(ns);
    this.prefix = buf.toBytes();
  }

  /** Full storage key of a single-part key. */
  keyOf(key: Uint8Array): Uint8Array {
    const buf = new ByteBuffer(this.prefix.length + key.length);
    buf.pushBytes(this.prefix);
    buf.pushBytes(key);
    return buf.toBytes();
  }

  /** Storage prefix of all two-part keys whose first part is `first`. */
  subPrefix(first: Uint8Array): Uint8Array {
    const buf = new ByteBuffer(this.prefix.length + first.length + 2);
    buf.pushBytes(this.prefix);
    buf.pushU16BE(<u32>first.length);
    buf.pushBytes(first);
    return buf.toBytes();
  }

  keyOf2(first: Uint8Array, second: Uint8Array): Uint8Array {
    const p = this.subPrefix(first);
    const buf = new ByteBuffer(p.length + second.length);
    buf.pushBytes(p);
    buf.pushBytes(second);
    return buf.toBytes();
  }

  get(key: Uint8Array): Uint8Array | null { return storageGet(this.keyOf(key)); }
  set(key: Uint8Array, value: Uint8Array): void { storageSet(this.keyOf(key), value); }
  remove(key: Uint8Array): void { storageRemove(this.keyOf(key)); }
  has(key: Uint8Array): bool { return this.get(key) !== null; }

  getStr(key: string): Uint8Array | null { return this.get(utf8(key)); }
  setStr(key: string, value: Uint8Array): void { this.set(utf8(key), value); }
  removeStr(key: string): void { this.remove(utf8(key)); }

  /** Keys (stripped of the map prefix) in order, without reading values. */
  keys(limit: i32, order: i32 = ORDER_ASCENDING): Array<Uint8Array> {
    const keys = storageKeys(this.prefix, prefixEnd(this.prefix), order, limit);
    for (let i = 0; i < keys.length; i++) keys[i] = keys[i].slice(this.prefix.length);
    return keys;
  }

  /** Values in key order, without reading keys. */
  values(limit: i32, order: i32 = ORDER_ASCENDING): Array<Uint8Array> {
    return storageValues(this.prefix, prefixEnd(this.prefix), order, limit);
  }

  /** Entries in key order after `startAfter` (exclusive), with keys stripped of the map prefix. */
  page(startAfter: Uint8Array | null, limit: i32, order: i32 = ORDER_ASCENDING): Array<Record> {
    return this.pageUnder(this.prefix, startAfter, limit, order);
  }

  /** Like page(), restricted to two-part keys whose first part is `first`; keys are the second part. */
  pageOf(first: Uint8Array, startAfter: Uint8Array | null, limit: i32, order: i32 = ORDER_ASCENDING): Array<Record> {
    return this.pageUnder(this.subPrefix(first), startAfter, limit, order);
  }

  private pageUnder(prefix: Uint8Array, startAfter: Uint8Array | null, limit: i32, order: i32): Array<Record> {
    let start: Uint8Array = prefix;
    let end: Uint8Array | null = prefixEnd(prefix);
    if (startAfter !== null) {
      const full = new ByteBuffer(prefix.length + startAfter.length);
      full.pushBytes(prefix);
      full.pushBytes(startAfter);
      if (order == ORDER_ASCENDING) start = keySuccessor(full.toBytes());
      else end = full.toBytes();
    }
    const records = storageRange(start, end, order, limit);
    for (let i = 0; i < records.length; i++) records[i].key = records[i].key.slice(prefix.length);
    return records;
  }
}
