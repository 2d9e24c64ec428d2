// How much of the load falls on the few: the top-decile share and the Gini coefficient.

export interface Concentration {
  /** People with load (more than zero). */
  people: number;
  /** ceil(10 % of people). */
  topCount: number;
  /** Their share of the total load, 0..1; null with no load. */
  topShare: number | null;
  /** 0 = everyone carries the same, towards 1 = one person carries it all; null with no load. */
  gini: number | null;
}

export const TOP_FRACTION = 0.1;

export function concentration(loads: readonly number[], fraction = TOP_FRACTION): Concentration {
  const xs = loads.filter((x) => x > 0).sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total <= 0) return { people: 0, topCount: 0, topShare: null, gini: null };
  // A tiny epsilon keeps 0.1 x 30 = 3.0000000000000004 from becoming 4.
  const topCount = Math.max(1, Math.ceil(n * fraction - 1e-9));
  let top = 0;
  for (let i = n - topCount; i < n; i += 1) top += xs[i]!;
  let weighted = 0;
  xs.forEach((x, i) => (weighted += (i + 1) * x));
  const gini = (2 * weighted) / (n * total) - (n + 1) / n;
  return { people: n, topCount, topShare: top / total, gini: Math.max(0, gini) };
}
