// Generates the unrolled field kernels of the ECDSA verifier and the generator tables:
//   assembly/crypto/fp256.ts, assembly/crypto/fp384.ts   Montgomery arithmetic mod the P-256/P-384 primes
//   assembly/crypto/p256-table.ts, p384-table.ts          odd multiples of G (affine, Montgomery form)
//
// Why generated: a field element has 9 (P-256) or 13 (P-384) limbs of 30 bits, and the kernels keep
// both operands in Wasm locals so each 30x30-bit product costs four operators (get, get, mul, add).
// Locals cannot be indexed at run time, so every column is written out with fixed names; 169 products
// plus the reduction terms are not reviewable by hand, this generator is. The tables are computed here
// with BigInt (independent of the Wasm code under test) and land in the module's data segment.
//
// Representation (see assembly/crypto/field.ts for the reasoning and the bounds):
//   - little-endian limbs of 30 bits, stored as u32 words, loaded into i64 locals;
//   - Montgomery form with R = 2^(30*n) (2^270 for P-256, 2^390 for P-384), values kept lazily reduced
//     (any representative < R, not necessarily < p);
//   - REDC uses the special form of p: p = -1 mod 2^30, so the per-limb multiplier m is the limb itself
//     (no multiplication), and m*(p+1) has four signed power-of-two terms, i.e. four shifted adds.
//   - the products that feed a linear step of the point formulas carry that step in their own carry
//     chain (emitMulLinear), which saves a pass over memory; P-256 (R / p = 2^14) also skips the folds.
//
// Usage: node scripts/gen-ecdsa-field.mjs   (rewrites the four files; commit them with this script)
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const W = 30; // limb bits
const MASK = (1n << BigInt(W)) - 1n;

/** p + 1 and 2^bits - p as signed power-of-two terms [bit, sign]. */
const FIELDS = {
  p256: {
    cls: "Fp256",
    curve: "P-256",
    // R / p = 2^14: products of inputs below ~100p still land below 2p, so the point formulas skip
    // the folds and let coordinates grow to 18p (weierstrass.ts); P-384 (R / p = 2^6) folds.
    wide: true,
    p: (1n << 256n) - (1n << 224n) + (1n << 192n) + (1n << 96n) - 1n,
    n: 9,
    bits: 256,
    pPlusOne: [[96, 1], [192, 1], [224, -1], [256, 1]],
    foldTerms: [[0, 1], [96, -1], [192, -1], [224, 1]],
    a: -3n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  p384: {
    cls: "Fp384",
    curve: "P-384",
    wide: false,
    p: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 1n,
    n: 13,
    bits: 384,
    pPlusOne: [[32, 1], [96, -1], [128, -1], [384, 1]],
    foldTerms: [[0, 1], [32, -1], [96, 1], [128, 1]],
    a: -3n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
};

// ------------------------------------------------------------------------------------------------
// BigInt helpers

const mod = (x, m) => ((x % m) + m) % m;
function modPow(b, e, m) {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const modInv = (x, m) => modPow(x, m - 2n, m);

function limbs(x, n) {
  const out = [];
  for (let i = 0; i < n; i++, x >>= BigInt(W)) out.push(x & MASK);
  if (x !== 0n) throw new Error("value does not fit");
  return out;
}
const hex32 = (v) => "0x" + v.toString(16).padStart(8, "0");
const u32List = (x, n) => limbs(x, n).map(hex32).join(", ");

// ------------------------------------------------------------------------------------------------
// Kernel emitters

function emitter() {
  const lines = [];
  const emit = (s = "") => lines.push(s);
  return { lines, emit };
}

/** Declares `const name_i = i64.load32_u(ptr, 4i)` for i < n, eight per line. */
function loads(emit, name, ptr, n) {
  const decl = Array.from({ length: n }, (_, i) => `${name}${i} = i64.load32_u(${ptr}, ${4 * i})`);
  for (let i = 0; i < n; i += 5) emit(`    const ${decl.slice(i, i + 5).join(", ")};`);
}

/** Bias that keeps every REDC column non-negative (see field.ts): 2 * (largest negative per column). */
function redcBias(f) {
  let worst = 0n;
  for (let k = 0; k < 2 * f.n - 1; k++) {
    let neg = 0n;
    for (const [bit, sign] of f.pPlusOne) {
      const q = Math.floor(bit / W), s = bit % W;
      if (sign < 0 && k - q >= 0 && k - q < f.n) neg += 1n << BigInt(W + s);
    }
    if (neg > worst) worst = neg;
  }
  let bias = 1n << BigInt(W);
  while (bias < 2n * worst) bias <<= 1n;
  const first = Math.min(...f.pPlusOne.filter(([, s]) => s < 0).map(([bit]) => Math.floor(bit / W)));
  return { bias, first };
}

/** Column k of a product: the given products plus REDC terms, the carry and the bias. */
function redcColumn(f, k, products, bias) {
  const parts = products.map((p) => `+ ${p}`);
  for (const [bit, sign] of f.pPlusOne) {
    const q = Math.floor(bit / W), s = bit % W;
    const j = k - q;
    if (j < 0 || j >= f.n) continue;
    parts.push(`${sign > 0 ? "+" : "-"} ${s === 0 ? `m${j}` : `(m${j} << ${s})`}`);
  }
  if (k > 0) parts.push("+ (t >>> 30)");
  const last = 2 * f.n - 2;
  let c = 0n;
  if (k === bias.first) c = bias.bias;
  else if (k > bias.first && k < last) c = bias.bias - (bias.bias >> BigInt(W));
  else if (k === last) c = -(bias.bias >> BigInt(W));
  if (c > 0n) parts.push(`+ ${c}`);
  if (c < 0n) parts.push(`- ${-c}`);
  return parts.join(" ").replace(/^\+ /, "");
}

function emitRedcTail(emit, f, k) {
  if (k < f.n) emit(`    const m${k} = t & MASK;`);
  else emit(`    i64.store32(out, t & MASK, ${4 * (k - f.n)});`);
}

function emitMul(emit, f) {
  const bias = redcBias(f);
  emit(`  /** out = a * b / R mod p, lazily reduced: a, b < R with a * b < R * p give out < 2p (field.ts). */`);
  emit(`  mul(out: usize, a: usize, b: usize): void {`);
  loads(emit, "a", "a", f.n);
  loads(emit, "b", "b", f.n);
  emit(`    let t: i64;`);
  for (let k = 0; k <= 2 * f.n - 2; k++) {
    const prods = [];
    for (let i = Math.max(0, k - f.n + 1); i <= Math.min(k, f.n - 1); i++) prods.push(`a${i} * b${k - i}`);
    emit(`    t = ${redcColumn(f, k, prods, bias)};`);
    emitRedcTail(emit, f, k);
  }
  emit(`    i64.store32(out, t >>> 30, ${4 * (f.n - 1)});`);
  emit(`  }`);
}

function emitSqr(emit, f) {
  const bias = redcBias(f);
  emit(`  /** out = a^2 / R mod p; cross products use the doubled limbs d_j = 2 a_j (same bounds as mul). */`);
  emit(`  sqr(out: usize, a: usize): void {`);
  loads(emit, "a", "a", f.n);
  const d = Array.from({ length: f.n - 1 }, (_, j) => `d${j + 1} = a${j + 1} << 1`);
  for (let i = 0; i < d.length; i += 6) emit(`    const ${d.slice(i, i + 6).join(", ")};`);
  emit(`    let t: i64;`);
  for (let k = 0; k <= 2 * f.n - 2; k++) {
    const prods = [];
    for (let i = Math.max(0, k - f.n + 1); i <= Math.min(k, f.n - 1); i++) {
      const j = k - i;
      if (i < j) prods.push(`a${i} * d${j}`);
      else if (i === j) prods.push(`a${i} * a${i}`);
    }
    emit(`    t = ${redcColumn(f, k, prods, bias)};`);
    emitRedcTail(emit, f, k);
  }
  emit(`    i64.store32(out, t >>> 30, ${4 * (f.n - 1)});`);
  emit(`  }`);
}

/** A product followed by a linear tail, in one carry chain: out = a * b / R + sum(coef_i * x_i) + K*p,
 * optionally folded. The tail's limb j joins REDC column n + j, so it costs one load and one add (and
 * a shift) per limb instead of a separate pass over memory with its own carries. The REDC bias runs on
 * through the last column and is taken back from the top limb, so negative tail terms (at most 2^35
 * per column, far below the bias) never make a column negative before its unsigned shift. With
 * spec.bPrep the second operand is itself a linear combination, formed and normalized in locals
 * (one carry chain instead of a pass that stores it and a load of it here). */
function emitMulLinear(emit, f, raw) {
  const spec = resolve(f, raw);
  const bias = redcBias(f);
  const n = f.n;
  const kp = limbs(BigInt(spec.k) * f.p, n);
  emit(`  /** ${spec.doc} */`);
  const bInputs = spec.bPrep ? spec.bPrep.terms.map(([, x]) => x) : ["b"];
  const params = [spec.out, "a", ...(spec.sqr ? [] : bInputs), ...spec.terms.map(([, x]) => x)];
  emit(`  ${spec.name}(${params.map((p) => `${p}: usize`).join(", ")}): void {`);
  loads(emit, "a", "a", n);
  if (spec.sqr) {
    const d = Array.from({ length: n - 1 }, (_, j) => `d${j + 1} = a${j + 1} << 1`);
    for (let i = 0; i < d.length; i += 6) emit(`    const ${d.slice(i, i + 6).join(", ")};`);
  } else if (spec.bPrep) {
    // b = sum(coef_i * x_i) + K'p, normalized here in locals (its own carry chain, signed)
    const kb = limbs(BigInt(spec.bPrep.k) * f.p, n);
    emit(`    let c: i64;`);
    for (let j = 0; j < n; j++) {
      const parts = spec.bPrep.terms.map(([coef, x]) => {
        const load = `i64.load32_u(${x}, ${4 * j})`;
        const mag = Math.abs(coef);
        const v = mag === 1 ? load : (mag & (mag - 1)) === 0 ? `(${load} << ${Math.log2(mag)})` : `${load} * ${mag}`;
        return `${coef > 0 ? "+" : "-"} ${v}`;
      });
      if (kb[j] !== 0n) parts.push(`+ ${hex32(kb[j])}`);
      if (j > 0) parts.push(`+ (c >> 30)`);
      let expr = parts.join(" ").replace(/^\+ /, "");
      if (expr.startsWith("- ")) expr = "0 " + expr;
      emit(`    c = ${expr};`);
      emit(`    const b${j} = ${j === n - 1 ? "c" : "c & MASK"};`);
    }
  } else {
    loads(emit, "b", "b", n);
  }
  const tail = (j) => {
    const parts = [];
    for (const [coef, x] of spec.terms) {
      const load = `i64.load32_u(${x}, ${4 * j})`;
      const mag = Math.abs(coef);
      const v = mag === 1 ? load : (mag & (mag - 1)) === 0 ? `(${load} << ${Math.log2(mag)})` : `${load} * ${mag}`;
      parts.push(`${coef > 0 ? "+" : "-"} ${v}`);
    }
    return parts;
  };
  if (spec.double && (spec.fold || spec.terms.length > 0 || spec.k !== 0)) throw new Error("double: a plain product only");
  emit(spec.double ? `    let t: i64, u: i64; // u: the doubled output's own carry chain` : `    let t: i64;`);
  const last = 2 * n - 2;
  for (let k = 0; k <= last; k++) {
    const prods = [];
    for (let i = Math.max(0, k - n + 1); i <= Math.min(k, n - 1); i++) {
      const j = k - i;
      if (!spec.sqr) prods.push(`a${i} * b${j}`);
      else if (i < j) prods.push(`a${i} * d${j}`);
      else if (i === j) prods.push(`a${i} * a${i}`);
    }
    let expr = redcColumn(f, k, prods, bias);
    if (k >= n) {
      // tail limb k - n; the last column keeps the bias (B - B / 2^30) instead of closing it
      const j = k - n;
      let c = kp[j];
      if (k === last) {
        expr = expr.replace(/ - \d+$/, "");
        c += bias.bias - (bias.bias >> BigInt(W));
      } else {
        // redcColumn already added its bias constant; fold the K*p limb into it
        const m = expr.match(/ \+ (\d+)$/);
        if (!m) throw new Error("expected a bias constant");
        c += BigInt(m[1]);
        expr = expr.slice(0, -m[0].length);
      }
      expr = [expr, ...tail(j), `+ ${c}`].join(" ");
      emit(`    t = ${expr};`);
      if (spec.fold) emit(`    let l${j} = t & MASK;`);
      else if (spec.double) {
        emit(`    u = ${j === 0 ? "(t & MASK) << 1" : "((t & MASK) << 1) + (u >>> 30)"};`);
        emit(`    i64.store32(${spec.out}, u & MASK, ${4 * j});`);
      } else emit(`    i64.store32(${spec.out}, t & MASK, ${4 * j});`);
    } else {
      emit(`    t = ${expr};`);
      emit(`    const m${k} = t & MASK;`);
    }
  }
  // top limb: the carry minus the bias still in it, plus the tail's top limb
  const top = [`(t >>> 30) - ${bias.bias >> BigInt(W)}`, ...tail(n - 1), `+ ${kp[n - 1]}`].join(" ");
  if (spec.fold) {
    emit(`    let l${n - 1} = ${top};`);
    emitFoldLocals(emit, f);
    for (let k = 0; k < n; k += 4) {
      emit("    " + Array.from({ length: Math.min(4, n - k) }, (_, i) => `i64.store32(${spec.out}, l${k + i}, ${4 * (k + i)});`).join(" "));
    }
  } else if (spec.double) {
    emit(`    u = ((${top}) << 1) + (u >>> 30);`);
    emit(`    i64.store32(${spec.out}, u, ${4 * (n - 1)});`);
  } else {
    emit(`    i64.store32(${spec.out}, ${top}, ${4 * (n - 1)});`);
  }
  emit(`  }`);
}

/** The products with a linear tail (weierstrass.ts documents the bounds). */
const MUL_LINEAR = [
  {
    name: "mulDbl", sqr: false, out: "z3", terms: [], k: 0, fold: false, double: true,
    doc: "Doubling: z3 = 2 a b / R < 4p (a b / R < 2p), doubled in a second carry chain on the output.",
  },
  {
    name: "sqrDblX3", sqr: true, out: "x3", terms: [[-8, "beta"]], k: 16, fold: (f) => !f.wide,
    doc: (f) => `Doubling: x3 = ${f.wide ? "alpha^2 / R - 8beta + 16p < 18p" : "fold(alpha^2 / R - 8beta + 16p) < 2p"} (alpha^2 / R < 2p, beta < 2p).`,
  },
  {
    name: "mulDblY3", sqr: false, out: "y3", terms: [[-8, "gamma2"]], k: 16, fold: (f) => !f.wide,
    bPrep: { terms: [[4, "beta"], [-1, "x3"]], k: (f) => (f.wide ? 18 : 2) },
    doc: (f) => `Doubling: y3 = ${f.wide ? "alpha u / R - 8gamma2 + 16p < 18p" : "fold(alpha u / R - 8gamma2 + 16p) < 2p"} `
      + `with u = 4beta - x3 + ${f.wide ? "18p < 26p" : "2p < 10p"} formed here (alpha u / R < 2p, beta, gamma2 < 2p).`,
  },
  {
    name: "sqrAddX3", sqr: true, out: "x3", terms: [[-1, "hhh"], [-2, "v"]], k: 6, fold: (f) => !f.wide,
    doc: (f) => `Addition: x3 = ${f.wide ? "r^2 / R - hhh - 2v + 6p < 8p" : "fold(r^2 / R - hhh - 2v + 6p) < 2p"} (r^2 / R, hhh, v < 2p).`,
  },
  {
    name: "mulAddY3", sqr: false, out: "y3", terms: [[-1, "shhh"]], k: 2, fold: false,
    doc: "Addition: y3 = r w / R - shhh + 2p < 4p (r w / R, shhh < 2p).",
  },
];

/** A kernel spec with its field-dependent entries (functions of the field) evaluated. */
function resolve(f, spec) {
  const value = (v) => (typeof v === "function" ? v(f) : v);
  const out = { ...spec, doc: value(spec.doc), fold: value(spec.fold), k: value(spec.k) };
  if (spec.bPrep) out.bPrep = { ...spec.bPrep, k: value(spec.bPrep.k) };
  if (spec.outputs) out.outputs = spec.outputs.map((o) => ({ ...o, k: value(o.k), fold: value(o.fold) }));
  return out;
}

/** Emits the fold of locals l0..l(n-1) (normalized, value < 2^(30n)) to a value < 2^bits + small. */
function emitFoldLocals(emit, f) {
  const topShift = f.bits - W * (f.n - 1);
  emit(`    const hi = l${f.n - 1} >> ${topShift};`);
  emit(`    l${f.n - 1} &= ${((1n << BigInt(topShift)) - 1n).toString()};`);
  for (const [bit, sign] of f.foldTerms) {
    const q = Math.floor(bit / W), s = bit % W;
    emit(`    l${q} ${sign > 0 ? "+=" : "-="} ${s === 0 ? "hi" : `hi << ${s}`};`);
  }
  for (let k = 1; k < f.n; k++) emit(`    l${k} += l${k - 1} >> 30; l${k - 1} &= MASK;`);
}

/** A linear combination sum(coef_i * x_i) + K*p, one carry pass, optionally folded. */
function emitLinear(emit, f, raw) {
  const spec = resolve(f, raw);
  emit(`  /** ${spec.doc} */`);
  emit(`  ${spec.name}(${spec.params.map((p) => `${p}: usize`).join(", ")}): void {`);
  for (const o of spec.outputs) {
    const kp = limbs(BigInt(o.k) * f.p, f.n);
    if (spec.outputs.length > 1) emit(`    {`);
    const ind = spec.outputs.length > 1 ? "      " : "    ";
    const sub = (s) => emit(ind + s.trim());
    sub(`let t: i64;`);
    for (let k = 0; k < f.n; k++) {
      const parts = [];
      for (const [coef, x] of o.terms) {
        const load = `i64.load32_u(${x}, ${4 * k})`;
        const mag = Math.abs(coef);
        const v = mag === 1 ? load : (mag & (mag - 1)) === 0 ? `(${load} << ${Math.log2(mag)})` : `${load} * ${mag}`;
        parts.push(coef > 0 ? `+ ${v}` : `- ${v}`);
      }
      if (kp[k] !== 0n) parts.push(`+ ${hex32(kp[k])}`);
      if (k > 0) parts.push(`+ (t >> 30)`);
      let expr = parts.join(" ").replace(/^\+ /, "");
      if (expr.startsWith("- ")) expr = "0 " + expr;
      const limb = k === f.n - 1 ? "t" : "t & MASK";
      if (o.fold) sub(`t = ${expr}; let l${k} = ${limb};`);
      else sub(`t = ${expr}; i64.store32(${o.out}, ${limb}, ${4 * k});`);
    }
    if (o.fold) {
      const inner = { emit: (s) => sub(s) };
      emitFoldLocals(inner.emit, f);
      for (let k = 0; k < f.n; k += 4) {
        sub(Array.from({ length: Math.min(4, f.n - k) }, (_, i) => `i64.store32(${o.out}, l${k + i}, ${4 * (k + i)});`).join(" "));
      }
    }
    if (spec.outputs.length > 1) emit(`    }`);
  }
  emit(`  }`);
}

/** The linear steps of the point formulas (assembly/crypto/weierstrass.ts documents the bounds). */
const LINEAR = [
  {
    name: "dblPrep", params: ["t0", "t1", "x", "delta"],
    doc: (f) => `Doubling: t0 = 3x - 3delta + 6p, t1 = x + delta (delta < 2p, x < ${f.wide ? 18 : 2}p).`,
    outputs: [
      { out: "t0", terms: [[3, "x"], [-3, "delta"]], k: 6 },
      { out: "t1", terms: [[1, "x"], [1, "delta"]], k: 0 },
    ],
  },
  {
    name: "addW", params: ["w", "v", "x3"],
    doc: (f) => (f.wide ? "Addition: w = v - x3 + 8p < 10p (v < 2p, x3 < 8p)." : "Addition: w = v - x3 + 2p < 4p (v, x3 < 2p)."),
    outputs: [{ out: "w", terms: [[1, "v"], [-1, "x3"]], k: (f) => (f.wide ? 8 : 2) }],
  },
  {
    name: "addHR", params: ["h", "r", "u2", "u1", "s2", "s1"],
    doc: (f) => (f.wide
      ? "Addition: h = u2 - u1 + 18p < 20p, r = s2 - s1 + 18p < 20p (u2, s2 < 2p; u1, s1 < 18p)."
      : "Addition: h = u2 - u1 + 2p < 4p, r = s2 - s1 + 4p < 6p (u1, u2, s2 < 2p; s1 < 4p)."),
    outputs: [
      { out: "h", terms: [[1, "u2"], [-1, "u1"]], k: (f) => (f.wide ? 18 : 2) },
      { out: "r", terms: [[1, "s2"], [-1, "s1"]], k: (f) => (f.wide ? 18 : 4) },
    ],
  },
  {
    name: "addHRNeg", params: ["h", "r", "u2", "u1", "s2", "s1"],
    doc: (f) => (f.wide
      ? "Addition of a negated point: h = u2 - u1 + 18p < 20p, r = -s2 - s1 + 20p < 20p."
      : "Addition of a negated point: h = u2 - u1 + 2p < 4p, r = -s2 - s1 + 6p < 6p."),
    outputs: [
      { out: "h", terms: [[1, "u2"], [-1, "u1"]], k: (f) => (f.wide ? 18 : 2) },
      { out: "r", terms: [[-1, "s2"], [-1, "s1"]], k: (f) => (f.wide ? 20 : 6) },
    ],
  },
  {
    name: "neg", params: ["out", "a"],
    doc: "out = 4p - a (a < 4p): the y of a negated point.",
    outputs: [{ out: "out", terms: [[-1, "a"]], k: 4 }],
  },
  {
    name: "sub", params: ["out", "a", "b"],
    doc: "out = a - b + 4p (b < 4p), for checks outside the hot loop.",
    outputs: [{ out: "out", terms: [[1, "a"], [-1, "b"]], k: 4 }],
  },
  {
    name: "add", params: ["out", "a", "b"],
    doc: "out = a + b.",
    outputs: [{ out: "out", terms: [[1, "a"], [1, "b"]], k: 0 }],
  },
  {
    name: "fold", params: ["out", "a"],
    doc: "out = a mod 2^bits + (a >> bits) * (2^bits - p): congruent, normalized, < 2p for any a < R.",
    outputs: [{ out: "out", terms: [[1, "a"]], k: 0, fold: true }],
  },
];

function emitIsZero(emit, f) {
  const R = 1n << BigInt(W * f.n);
  const multiples = R / f.p + 1n; // a < R is one of 0, p, ..., (multiples - 1) p if it is 0 mod p
  emit(`  /** Whether a = 0 mod p (for any a < R). A multiple kp of p (k < ${multiples}) has low limb -k mod 2^30`);
  emit(`   * (p = -1 mod 2^30), which rejects almost every nonzero a at once; otherwise the fold leaves a < 2p,`);
  emit(`   * so a is 0 mod p iff it is 0 or p. */`);
  emit(`  isZero(a: usize): bool {`);
  emit(`    let l0 = i64.load32_u(a, 0);`);
  emit(`    if (((0 - l0) & MASK) >= ${multiples}) return false;`);
  for (let k = 1; k < f.n; k++) emit(`    let l${k} = i64.load32_u(a, ${4 * k});`);
  emitFoldLocals(emit, f);
  const p = limbs(f.p, f.n);
  const zero = Array.from({ length: f.n }, (_, k) => `l${k}`).join(" | ");
  const eqp = Array.from({ length: f.n }, (_, k) => `(l${k} ^ ${hex32(p[k])})`).join(" | ");
  emit(`    return (${zero}) == 0 || (${eqp}) == 0;`);
  emit(`  }`);
}

function fieldFile(f) {
  const { lines, emit } = emitter();
  const R = 1n << BigInt(W * f.n);
  emit(`// GENERATED by scripts/gen-ecdsa-field.mjs: do not edit by hand, rerun the generator.`);
  emit(`//`);
  emit(`// Arithmetic modulo the ${f.curve} prime p = ${f.p.toString(16).replace(/^/, "0x")}`);
  emit(`// in ${f.n} little-endian limbs of 30 bits (u32 words), Montgomery form with R = 2^${W * f.n}.`);
  emit(`// assembly/crypto/field.ts explains the representation, the REDC shortcut and every bound.`);
  emit();
  emit(`const MASK: i64 = 0x3fffffff;`);
  emit();
  emit(`/** p in limbs. */`);
  emit(`const P: usize = memory.data<u32>([${u32List(f.p, f.n)}]);`);
  emit(`/** R^2 mod p: mul(x, R2) takes x into Montgomery form. */`);
  emit(`const R2: usize = memory.data<u32>([${u32List(mod(R * R, f.p), f.n)}]);`);
  emit(`/** R mod p: 1 in Montgomery form. */`);
  emit(`const ONE: usize = memory.data<u32>([${u32List(mod(R, f.p), f.n)}]);`);
  emit();
  const sqrtExp = (f.p + 1n) / 4n;
  const sqrtBytes = [];
  for (let x = sqrtExp; x > 0n; x >>= 8n) sqrtBytes.unshift(Number(x & 0xffn));
  emit(`/** (p + 1) / 4 as big-endian bytes: p = 3 mod 4, so a square a has the root a^((p + 1) / 4). */`);
  emit(`const SQRT_EXPONENT: usize = memory.data<u8>([${sqrtBytes.map((b) => "0x" + b.toString(16).padStart(2, "0")).join(", ")}]);`);
  emit();
  emit(`@final`);
  emit(`export class ${f.cls} {`);
  emit(`  /** Limbs per element. */`);
  emit(`  get limbs(): i32 { return ${f.n}; }`);
  emit(`  /** Bytes of a big-endian encoding. */`);
  emit(`  get bytes(): i32 { return ${f.bits / 8}; }`);
  emit(`  get p(): usize { return P; }`);
  emit(`  get r2(): usize { return R2; }`);
  emit(`  get one(): usize { return ONE; }`);
  emit(`  get sqrtExponent(): usize { return SQRT_EXPONENT; }`);
  emit(`  get sqrtExponentLength(): i32 { return ${sqrtBytes.length}; }`);
  emit();
  emitMul(emit, f);
  emit();
  emitSqr(emit, f);
  for (const spec of LINEAR) {
    emit();
    emitLinear(emit, f, spec);
  }
  for (const spec of MUL_LINEAR) {
    emit();
    emitMulLinear(emit, f, spec);
  }
  emit();
  emitIsZero(emit, f);
  emit(`}`);
  return lines.join("\n") + "\n";
}

// ------------------------------------------------------------------------------------------------
// Generator tables: affine odd multiples 1G, 3G, ..., (2^(w-1) - 1)G in Montgomery form.

/** Window width of the generator's wNAF; the table holds 2^(G_WINDOW - 2) points. */
const G_WINDOW = 10;

function affineAdd(f, P1, P2) {
  const { p } = f;
  if (P1 === null) return P2;
  if (P2 === null) return P1;
  let l;
  if (P1[0] === P2[0]) {
    if (mod(P1[1] + P2[1], p) === 0n) return null;
    l = mod((3n * P1[0] * P1[0] + f.a) * modInv(2n * P1[1], p), p);
  } else {
    l = mod((P2[1] - P1[1]) * modInv(P2[0] - P1[0], p), p);
  }
  const x = mod(l * l - P1[0] - P2[0], p);
  return [x, mod(l * (P1[0] - x) - P1[1], p)];
}

function tableFile(f, name) {
  const { lines, emit } = emitter();
  const R = 1n << BigInt(W * f.n);
  const G = [f.gx, f.gy];
  if (mod(G[1] * G[1] - (G[0] ** 3n + f.a * G[0] + f.b), f.p) !== 0n) throw new Error("G not on curve");
  const G2 = affineAdd(f, G, G);
  const count = 1 << (G_WINDOW - 2);
  emit(`// GENERATED by scripts/gen-ecdsa-field.mjs: do not edit by hand, rerun the generator.`);
  emit(`//`);
  emit(`// ${f.curve} constants in the Montgomery form of ${f.cls.toLowerCase()}.ts, and the table of the generator's`);
  emit(`// odd multiples 1G, 3G, ..., ${2 * count - 1}G (affine x then y, ${f.n} limbs each) for its width-${G_WINDOW} wNAF.`);
  emit(`// The table sits in the data segment (${count * 2 * f.n * 4} bytes); ${name}.ts explains that choice.`);
  emit();
  emit(`/** The group order n (plain limbs), R^2 mod n for R = 2^${W * f.n}, and p - n (plain limbs). */`);
  emit(`export const ${name.toUpperCase()}_N: usize = memory.data<u32>([${u32List(f.order, f.n)}]);`);
  emit(`export const ${name.toUpperCase()}_R2_MOD_N: usize = memory.data<u32>([${u32List(mod(R * R, f.order), f.n)}]);`);
  emit(`export const ${name.toUpperCase()}_P_MINUS_N: usize = memory.data<u32>([${u32List(f.p - f.order, f.n)}]);`);
  emit();
  emit(`/** Window width of the generator's wNAF (digits are odd, |d| < 2^${G_WINDOW - 1}). */`);
  emit(`export const ${name.toUpperCase()}_G_WINDOW: i32 = ${G_WINDOW};`);
  emit(`/** The curve coefficient b, times R mod p. */`);
  emit(`export const ${name.toUpperCase()}_B_MONT: usize = memory.data<u32>([${u32List(mod(f.b * R, f.p), f.n)}]);`);
  emit();
  emit(`/** Odd multiples (2i + 1)G, i < ${count}: x at 2i * ${f.n} limbs, y right after. */`);
  emit(`export const ${name.toUpperCase()}_G_TABLE: usize = memory.data<u32>([`);
  let P = G;
  for (let i = 0; i < count; i++) {
    emit(`  ${u32List(mod(P[0] * R, f.p), f.n)},`);
    emit(`  ${u32List(mod(P[1] * R, f.p), f.n)},`);
    P = affineAdd(f, P, G2);
  }
  emit(`]);`);
  return lines.join("\n") + "\n";
}

for (const [name, f] of Object.entries(FIELDS)) {
  if (mod(f.p + 1n, 1n << BigInt(W)) !== 0n) throw new Error("p must be -1 mod 2^30");
  const pp1 = f.pPlusOne.reduce((s, [bit, sign]) => s + BigInt(sign) * (1n << BigInt(bit)), 0n);
  if (pp1 !== f.p + 1n) throw new Error("pPlusOne terms");
  const c = f.foldTerms.reduce((s, [bit, sign]) => s + BigInt(sign) * (1n << BigInt(bit)), 0n);
  if (c !== (1n << BigInt(f.bits)) - f.p) throw new Error("fold terms");
  const fieldName = `fp${name.slice(1)}`;
  writeFileSync(join(ROOT, "assembly", "crypto", `${fieldName}.ts`), fieldFile(f));
  writeFileSync(join(ROOT, "assembly", "crypto", `${name}-table.ts`), tableFile(f, name));
}
