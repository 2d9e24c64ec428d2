// Log-bucketed histograms of durations, mergeable by addition, for percentiles over any union
// of pre-aggregated cells: a DDSketch (Masson, Rim, Lee, VLDB 2019) with a fixed, unbounded-range
// log mapping and no bin collapsing. Kept here rather than taken from a library because the
// rollups store its bins as bytea and sum them in tight loops over typed arrays.
//
// Bin k >= 1 holds durations in [G^(k-OFFSET), G^(k-OFFSET+1)) seconds with G = 1.02 (bins 2 %
// wide); bin 0 holds zero (and negative) durations. A bin is reported as its geometric centre
// G^(k-OFFSET+0.5), so any value in it is reported within a factor of sqrt(1.02): a relative
// error below 1 % (RELATIVE_ERROR). Durations below G^(1-OFFSET) s (about 0.37 ms) share bin 1.
//
// Percentiles are nearest-rank: the p-th percentile of n values is the value of rank ceil(p n)
// (1-based) in ascending order, as PostgreSQL's percentile_disc. From a histogram it is the
// centre of the bin holding that rank, so it is within RELATIVE_ERROR of the exact value.

export const GROWTH = 1.02;
export const BIN_OFFSET = 400;
export const MAX_BIN = 0xffff; // about 1.02^65135 s: nothing real reaches it
export const RELATIVE_ERROR = Math.sqrt(GROWTH) - 1; // 0.00995

const LN_G = Math.log(GROWTH);

export function binOf(seconds: number): number {
  if (!(seconds > 0)) return 0;
  const k = Math.floor(Math.log(seconds) / LN_G) + BIN_OFFSET;
  return k < 1 ? 1 : k > MAX_BIN ? MAX_BIN : k;
}

/** The value a bin reports: its geometric centre (0 for bin 0). */
export function binValue(bin: number): number {
  return bin === 0 ? 0 : Math.pow(GROWTH, bin - BIN_OFFSET + 0.5);
}

/**
 * Counts per bin, stored densely over the range of bins in use (grown as needed): summing many
 * histograms is a tight loop over typed arrays, with no per-bin allocation.
 */
export class Histogram {
  private lo = 0;
  private counts: Int32Array | null = null;
  private nonZero = 0;

  /** Number of bins with a non-zero count. */
  get size(): number {
    return this.nonZero;
  }

  private ensure(lo: number, hi: number): Int32Array {
    // Makes [lo, hi] addressable.
    if (!this.counts) {
      this.lo = Math.max(0, lo - 16);
      this.counts = new Int32Array(Math.max(64, hi - this.lo + 17));
      return this.counts;
    }
    const cur = this.counts;
    const curHi = this.lo + cur.length - 1;
    if (lo >= this.lo && hi <= curHi) return cur;
    const newLo = Math.max(0, Math.min(this.lo, lo - 16));
    const newHi = Math.max(curHi, hi + 16);
    const next = new Int32Array(Math.max(newHi - newLo + 1, cur.length * 2));
    next.set(cur, this.lo - newLo);
    this.lo = newLo;
    this.counts = next;
    return next;
  }

  add(bin: number, n: number): void {
    if (n === 0) return;
    const c = this.ensure(bin, bin);
    const i = bin - this.lo;
    const before = c[i];
    const after = before + n;
    c[i] = after;
    if (before === 0) this.nonZero += 1;
    else if (after === 0) this.nonZero -= 1;
  }

  /** this += sign * other. */
  merge(other: Histogram, sign = 1): void {
    const o = other.counts;
    if (!o || other.nonZero === 0) return;
    let first = 0;
    while (o[first] === 0) first++;
    let last = o.length - 1;
    while (o[last] === 0) last--;
    const c = this.ensure(other.lo + first, other.lo + last);
    const shift = other.lo - this.lo;
    for (let i = first; i <= last; i++) {
      const n = o[i];
      if (n === 0) continue;
      const j = i + shift;
      const before = c[j];
      const after = before + sign * n;
      c[j] = after;
      if (before === 0) this.nonZero += 1;
      else if (after === 0) this.nonZero -= 1;
    }
  }

  /** Non-zero bins in ascending order. */
  forEach(fn: (bin: number, count: number) => void): void {
    const c = this.counts;
    if (!c) return;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) fn(this.lo + i, c[i]);
  }

  get(bin: number): number {
    const c = this.counts;
    if (!c || bin < this.lo || bin >= this.lo + c.length) return 0;
    return c[bin - this.lo];
  }
}

export function addToHistogram(h: Histogram, seconds: number, count = 1): void {
  h.add(binOf(seconds), count);
}

/** a += sign * b. */
export function mergeHistogram(a: Histogram, b: Histogram, sign = 1): Histogram {
  a.merge(b, sign);
  return a;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  h.forEach((_, c) => {
    n += c;
  });
  return n;
}

/** 1-based nearest rank of the p-th percentile among n values (p in [0, 1]). */
export function nearestRank(p: number, n: number): number {
  if (n <= 0) return 0;
  // p * n is computed in binary floating point (0.9 * 30 = 27.000000000000004): round away the noise.
  const exact = Math.round(p * n * 1e9) / 1e9;
  return Math.min(n, Math.max(1, Math.ceil(exact)));
}

/** Nearest-rank percentile from a histogram (the bin centre), or null when it is empty. */
export function histogramQuantile(h: Histogram, p: number): number | null {
  const n = histogramCount(h);
  if (n <= 0) return null;
  const rank = nearestRank(p, n);
  let seen = 0;
  let found = -1;
  let last = -1;
  h.forEach((b, c) => {
    last = b;
    if (found >= 0) return;
    seen += c;
    if (seen >= rank) found = b;
  });
  return binValue(found >= 0 ? found : last);
}

/** Exact nearest-rank percentile of values (any order), or null when empty. */
export function exactQuantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[nearestRank(p, sorted.length) - 1];
}

/**
 * Compact binary form: per non-zero bin, uint16 bin then int32 count, little-endian, bins
 * ascending. About 6 bytes per distinct bin.
 */
export function encodeHistogram(h: Histogram): Uint8Array {
  const out = new Uint8Array(h.size * 6);
  const view = new DataView(out.buffer);
  let i = 0;
  h.forEach((b, c) => {
    view.setUint16(i * 6, b, true);
    view.setInt32(i * 6 + 2, c, true);
    i += 1;
  });
  return out;
}

/** Adds (sign * counts of) an encoded histogram into h. */
export function decodeHistogramInto(h: Histogram, bytes: Uint8Array | null | undefined, sign = 1): Histogram {
  if (!bytes || bytes.length < 6) return h;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 6 <= bytes.length; i += 6) h.add(view.getUint16(i, true), sign * view.getInt32(i + 2, true));
  return h;
}
