/**
 * Evidence-based effectiveness of a knowledge item (issue 27): shares with a Wilson score interval
 * (95 %) and their sample size, medians with theirs. Below MIN_SAMPLE a figure is "not enough
 * data": the share is still computed, but no verdict is drawn from it.
 */
export const MIN_SAMPLE = 5;
/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;
/** An item works poorly when a figure has enough data and even its upper bound is below this. */
export const LOW_EFFECTIVENESS_UPPER = 0.5;

export interface ShareEstimate {
  /** Successes. */
  k: number;
  /** Sample size. */
  n: number;
  /** k / n; null when n = 0. */
  share: number | null;
  low: number | null;
  high: number | null;
  /** n >= MIN_SAMPLE. */
  enoughData: boolean;
}

/** Wilson score interval for k successes out of n; [0, 1] bounds; null when n = 0. */
export function wilsonInterval(k: number, n: number, z: number = Z95): { low: number; high: number } | null {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`successes ${k} must be a whole number between 0 and the sample size ${n}`);
  }
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Exact at the ends (rounding would otherwise leave 1e-17 below 0 or above 1).
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

export function shareEstimate(k: number, n: number): ShareEstimate {
  const ci = wilsonInterval(k, n);
  return { k, n, share: n ? k / n : null, low: ci?.low ?? null, high: ci?.high ?? null, enoughData: n >= MIN_SAMPLE };
}

/** The median of finite numbers (mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

export interface MedianEstimate {
  n: number;
  median: number | null;
  enoughData: boolean;
}

export function medianEstimate(values: readonly number[]): MedianEstimate {
  const xs = values.filter((v) => Number.isFinite(v));
  return { n: xs.length, median: median(xs), enoughData: xs.length >= MIN_SAMPLE };
}

/** Clearly not working: some figure has enough data and its upper bound is below LOW_EFFECTIVENESS_UPPER. */
export function isLowEffectiveness(...figures: readonly ShareEstimate[]): boolean {
  return figures.some((f) => f.enoughData && f.high !== null && f.high < LOW_EFFECTIVENESS_UPPER);
}
