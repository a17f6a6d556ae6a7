// Fuzzes the untrusted-input parsers of verifier.wasm (DER walk, PEM, X.509, CRL, JSON) through their
// src/wasm wrappers with random and mutated inputs, and counts ok / clean error / abort per parser.
// Any abort (a WasmAbort, i.e. an out-of-bounds access or assertion inside the module, or any other
// exception) is a bug: the script prints the first few inputs and exits with status 1.
//   node dist/bench/fuzz.js [cases=120000] [seed=1]      (after `npm run build`)
// Seeds are real certificates, CRLs, PEM texts and JSON documents from the shared fixtures
// (TEE_ATTEST_FIXTURES, default ../shared/fixtures from the working directory).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadFixtureSet, FIXTURES } from "../tests/helpers/x509-fixtures";
import { wasmX509Parse, wasmCrlParse, wasmPemDecode, wasmDerWalk, isParseError } from "../src/wasm/x509";
import { wasmJsonProbe } from "../src/wasm/encoding";

type Target = "der" | "pem" | "x509" | "crl" | "json";
const TARGETS: Target[] = ["der", "pem", "x509", "crl", "json"];

interface Tally { ok: number; error: number; abort: number; errors: Map<string, number> }

/** splitmix32: small, seedable, and identical on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Mutator {
  private readonly next: () => number;
  constructor(seed: number) { this.next = rng(seed); }
  int(n: number): number { return n <= 0 ? 0 : this.next() % n; }
  pick<T>(list: T[]): T { return list[this.int(list.length)]; }
  bytes(n: number): Uint8Array { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = this.int(256); return b; }

  /** One of several mutation strategies applied to a copy of `src` (`pool` supplies splice donors). */
  mutate(src: Uint8Array, pool: Uint8Array[]): Uint8Array {
    if (src.length === 0) return this.bytes(this.int(64));
    const at = this.int(src.length);
    switch (this.int(9)) {
      case 0: { // flip 1-4 bytes
        const m = src.slice();
        for (let k = 1 + this.int(4); k > 0; k--) m[this.int(m.length)] = this.int(256);
        return m;
      }
      case 1: { // flip one bit
        const m = src.slice();
        m[at] ^= 1 << this.int(8);
        return m;
      }
      case 2: return src.subarray(0, at); // truncate
      case 3: return concat(src.subarray(0, at), this.bytes(1 + this.int(8)), src.subarray(at)); // insert
      case 4: return concat(src.subarray(0, at), src.subarray(Math.min(src.length, at + 1 + this.int(16)))); // delete
      case 5: { // splice a range of another input in
        const donor = this.pick(pool);
        const from = this.int(donor.length), len = this.int(Math.min(256, donor.length - from) + 1);
        return concat(src.subarray(0, at), donor.subarray(from, from + len), src.subarray(Math.min(src.length, at + this.int(64))));
      }
      case 6: { // DER-aware: disturb the length octet after a likely tag byte
        const m = src.slice();
        for (let tries = 0; tries < 16; tries++) {
          const i = this.int(m.length - 1);
          if ([0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0xa0, 0xa3].includes(m[i])) {
            m[i + 1] = this.pick([m[i + 1] + 1, m[i + 1] - 1, 0x80, 0x81, 0x82, 0x84, 0x85, 0xff, 0x00]) & 0xff;
            return m;
          }
        }
        return m;
      }
      case 7: { // interesting values
        const m = src.slice();
        m[at] = this.pick([0x00, 0x01, 0x7f, 0x80, 0x81, 0xff, 0x1f, 0x9f, 0x3f, 0xbf, 0x2d, 0x0a, 0x3d]);
        return m;
      }
      default: { // duplicate a range (nested repeats)
        const len = 1 + this.int(Math.min(128, src.length - at));
        return concat(src.subarray(0, at + len), src.subarray(at, at + len), src.subarray(at + len));
      }
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function jsonCorpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json") && statSync(path).size < 64 * 1024) out.push(new Uint8Array(readFileSync(path)));
    }
  };
  walk(FIXTURES);
  const extra = ['{"a":[1,2,{"b":null}],"c":"\\u00e9\\ud83d\\ude00","d":-0.5e10}', "[[[[[[[[]]]]]]]]", '"\\"', "{}", "[]", "1e999", '{"x":true,"y":false}'];
  for (const e of extra) out.push(new TextEncoder().encode(e));
  return out;
}

function run(target: Target, input: Uint8Array): string {
  switch (target) {
    case "der": { const r = wasmDerWalk(input); return isParseError(r) ? r.error : "ok"; }
    case "pem": { const r = wasmPemDecode(input); return isParseError(r) ? r.error : "ok"; }
    case "x509": { const r = wasmX509Parse(input); return isParseError(r) ? r.error : "ok"; }
    case "crl": { const r = wasmCrlParse(input); return isParseError(r) ? r.error : "ok"; }
    case "json": { const r = wasmJsonProbe(input); return r.ok ? "ok" : `JSON:${r.error ?? ""}`.slice(0, 40); }
  }
}

export interface FuzzReport { cases: number; seed: number; tallies: Record<Target, Tally>; aborts: { target: Target; input: string; message: string }[]; seconds: number }

export function fuzz(cases: number, seed: number): FuzzReport {
  const fixtures = loadFixtureSet();
  const ders = [...fixtures.certs, ...fixtures.crls].map((c) => c.der);
  const corpora: Record<Target, Uint8Array[]> = {
    der: ders,
    x509: fixtures.certs.map((c) => c.der),
    crl: fixtures.crls.map((c) => c.der),
    pem: fixtures.pems.map((p) => p.text.length > 16384 ? p.text.subarray(0, 16384) : p.text),
    json: jsonCorpus(),
  };
  const m = new Mutator(seed);
  const tallies = Object.fromEntries(TARGETS.map((t) => [t, { ok: 0, error: 0, abort: 0, errors: new Map<string, number>() }])) as Record<Target, Tally>;
  const aborts: FuzzReport["aborts"] = [];
  const started = Date.now();
  for (let i = 0; i < cases; i++) {
    const target = TARGETS[i % TARGETS.length];
    const corpus = corpora[target];
    // 1 in 5 purely random (sometimes behind a plausible header), the rest mutated seeds (1-3 rounds).
    let input: Uint8Array;
    if (m.int(5) === 0) {
      input = m.bytes(m.int(600));
      if (m.int(2) === 0) input = concat(new Uint8Array(target === "pem" ? new TextEncoder().encode("-----BEGIN CERTIFICATE-----\n") : target === "json" ? [0x7b] : [0x30, 0x82, input.length >> 8, input.length & 0xff]), input);
    } else {
      input = m.pick(corpus);
      for (let r = 1 + m.int(3); r > 0; r--) input = m.mutate(input, corpus);
    }
    const tally = tallies[target];
    try {
      const result = run(target, input);
      if (result === "ok") tally.ok++;
      else { tally.error++; tally.errors.set(result, (tally.errors.get(result) ?? 0) + 1); }
    } catch (err) {
      tally.abort++;
      if (aborts.length < 5) aborts.push({ target, input: Buffer.from(input).toString("hex"), message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }
  return { cases, seed, tallies, aborts, seconds: (Date.now() - started) / 1000 };
}

export function main(argv = process.argv.slice(2)): number {
  const cases = Number(argv[0] ?? 120_000), seed = Number(argv[1] ?? 1);
  const report = fuzz(cases, seed);
  console.log(`fuzz: ${report.cases.toLocaleString("en-US")} cases, seed ${report.seed}, ${report.seconds.toFixed(1)} s`);
  console.log("parser   cases      ok   clean-error   abort   top errors");
  let total = 0;
  for (const t of TARGETS) {
    const x = report.tallies[t];
    const top = [...x.errors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([e, n]) => `${e} ${n}`).join(", ");
    console.log(`${t.padEnd(6)} ${String(x.ok + x.error + x.abort).padStart(7)} ${String(x.ok).padStart(7)} ${String(x.error).padStart(13)} ${String(x.abort).padStart(7)}   ${top}`);
    total += x.abort;
  }
  for (const a of report.aborts) console.log(`ABORT in ${a.target}: ${a.message}\n  input ${a.input.slice(0, 400)}${a.input.length > 400 ? "…" : ""}`);
  console.log(total === 0 ? "aborts: 0" : `aborts: ${total} (BUG)`);
  return total === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
