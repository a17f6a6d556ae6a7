// Uint128: CosmWasm's token amount type (decimal string on the wire). Two u64 limbs, checked
// arithmetic only: an overflow returns null instead of wrapping, because amounts are money.

export class Uint128 {
  constructor(public hi: u64 = 0, public lo: u64 = 0) {}

  static fromU64(v: u64): Uint128 { return new Uint128(0, v); }
  static zero(): Uint128 { return new Uint128(0, 0); }

  isZero(): bool { return (this.hi | this.lo) == 0; }

  compare(other: Uint128): i32 {
    if (this.hi != other.hi) return this.hi < other.hi ? -1 : 1;
    if (this.lo != other.lo) return this.lo < other.lo ? -1 : 1;
    return 0;
  }

  checkedAdd(other: Uint128): Uint128 | null {
    const lo = this.lo + other.lo;
    const carry: u64 = lo < this.lo ? 1 : 0;
    const hi = this.hi + other.hi;
    if (hi < this.hi) return null;
    const hi2 = hi + carry;
    if (hi2 < hi) return null;
    return new Uint128(hi2, lo);
  }

  checkedSub(other: Uint128): Uint128 | null {
    if (this.compare(other) < 0) return null;
    const borrow: u64 = this.lo < other.lo ? 1 : 0;
    return new Uint128(this.hi - other.hi - borrow, this.lo - other.lo);
  }

  /** this * small, or null on overflow. */
  checkedMulSmall(factor: u32): Uint128 | null {
    const f = <u64>factor;
    // Multiply 32-bit halves so no partial product exceeds 64 bits.
    const l0 = (this.lo & 0xffffffff) * f;
    const l1 = (this.lo >> 32) * f + (l0 >> 32);
    const lo = (l1 << 32) | (l0 & 0xffffffff);
    const carry = l1 >> 32;
    const h0 = (this.hi & 0xffffffff) * f + carry;
    const h1 = (this.hi >> 32) * f + (h0 >> 32);
    if ((h1 >> 32) != 0) return null;
    return new Uint128((h1 << 32) | (h0 & 0xffffffff), lo);
  }

  /** Divides in place by a small divisor and returns the remainder. */
  private divSmallInPlace(divisor: u32): u32 {
    const d = <u64>divisor;
    let rem: u64 = 0;
    const limbs: u64[] = [this.hi >> 32, this.hi & 0xffffffff, this.lo >> 32, this.lo & 0xffffffff];
    for (let i = 0; i < 4; i++) {
      const cur = (rem << 32) | limbs[i];
      limbs[i] = cur / d;
      rem = cur % d;
    }
    this.hi = (limbs[0] << 32) | limbs[1];
    this.lo = (limbs[2] << 32) | limbs[3];
    return <u32>rem;
  }

  toString(): string {
    if (this.hi == 0) return this.lo.toString();
    const tmp = new Uint128(this.hi, this.lo);
    let digits = "";
    while (!tmp.isZero()) digits = String.fromCharCode(0x30 + tmp.divSmallInPlace(10)) + digits;
    return digits;
  }

  /** Strict decimal parse: digits only, no sign, no leading zeros, <= 2^128 - 1. */
  static parse(text: string): Uint128 | null {
    const n = text.length;
    if (n == 0 || n > 39) return null;
    if (n > 1 && text.charCodeAt(0) == 0x30) return null;
    let acc = Uint128.zero();
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
      const times10 = acc.checkedMulSmall(10);
      if (times10 === null) return null;
      const next = times10.checkedAdd(Uint128.fromU64(<u64>(c - 0x30)));
      if (next === null) return null;
      acc = next;
    }
    return acc;
  }
}
