// Priority = f(impact, urgency) through a configurable ITIL matrix.

/** Impact and urgency: 1 high .. 3 low. */
export type Level = 1 | 2 | 3;
/** 1 critical .. 5 planning. */
export type Priority = 1 | 2 | 3 | 4 | 5;
/** Indexed [impact - 1][urgency - 1]. */
export type PriorityMatrix = readonly (readonly Priority[])[];

export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = Object.freeze([
  Object.freeze([1, 2, 3] as Priority[]),
  Object.freeze([2, 3, 4] as Priority[]),
  Object.freeze([3, 4, 5] as Priority[]),
]);

export const PRIORITY_LABELS: Record<Priority, string> = Object.freeze({
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
});

export function isLevel(n: unknown): n is Level {
  return n === 1 || n === 2 || n === 3;
}

const isPriority = (n: unknown): n is Priority => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 5;
// Impact and urgency as the matrix form labels them, so a refusal points at the cell people see.
const cell = (i: number, u: number): string => `impact ${i + 1} with urgency ${u + 1}`;
const cap = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);
const named = (p: number): string => `P${p} ${PRIORITY_LABELS[p as Priority]}`;

/**
 * Matrices arrive from admin input, so shape, range and monotonicity are all
 * checked: a matrix where more impact yields a lower priority is a typo.
 */
export function validatePriorityMatrix(
  m: unknown,
):
  | { ok: true; matrix: PriorityMatrix }
  | { ok: false; message: string; /** [impact - 1, urgency - 1] of the cell at fault. */ cell?: [number, number] } {
  if (!Array.isArray(m) || m.length !== 3) return { ok: false, message: 'The priority matrix must have 3 rows (impact 1..3)' };
  for (let i = 0; i < 3; i++) {
    const row: unknown = m[i];
    if (!Array.isArray(row) || row.length !== 3) {
      return { ok: false, message: `Row for impact ${i + 1} must have 3 cells (urgency 1..3)` };
    }
    for (let u = 0; u < 3; u++) {
      if (!isPriority(row[u])) {
        return {
          ok: false,
          message: `The priority for ${cell(i, u)} must be a whole number from 1 to 5, not ${JSON.stringify(row[u])}`,
          cell: [i, u],
        };
      }
    }
  }
  const g = m as Priority[][];
  for (let i = 0; i < 3; i++) {
    for (let u = 0; u < 3; u++) {
      if (i > 0 && g[i][u] < g[i - 1][u]) {
        return {
          ok: false,
          message:
            `${cap(cell(i, u))} gives ${named(g[i][u])}, more urgent than ${cell(i - 1, u)} (${named(g[i - 1][u])}): ` +
            'lower impact must not give a higher priority',
          cell: [i, u],
        };
      }
      if (u > 0 && g[i][u] < g[i][u - 1]) {
        return {
          ok: false,
          message:
            `${cap(cell(i, u))} gives ${named(g[i][u])}, more urgent than ${cell(i, u - 1)} (${named(g[i][u - 1])}): ` +
            'lower urgency must not give a higher priority',
          cell: [i, u],
        };
      }
    }
  }
  // A copy, so later edits to the caller's arrays cannot change a validated matrix.
  return { ok: true, matrix: Object.freeze(g.map((row) => Object.freeze([...row]))) };
}

export function derivePriority(impact: Level, urgency: Level, matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX): Priority {
  // Guards callers that bypass the types (GraphQL input, imports).
  if (!isLevel(impact) || !isLevel(urgency)) throw new RangeError(`Impact and urgency must be 1, 2 or 3 (got ${impact}, ${urgency})`);
  return matrix[impact - 1][urgency - 1];
}
