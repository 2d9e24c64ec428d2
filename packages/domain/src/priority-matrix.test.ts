import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_PRIORITY_MATRIX,
  PRIORITY_LABELS,
  derivePriority,
  isLevel,
  validatePriorityMatrix,
  type Level,
  type PriorityMatrix,
} from './priority-matrix';

describe('default matrix', () => {
  // ITIL: priority = impact + urgency - 1, written cell by cell so a typo in the constant fails.
  const cases: [Level, Level, number, string][] = [
    [1, 1, 1, 'Critical'],
    [1, 2, 2, 'High'],
    [1, 3, 3, 'Moderate'],
    [2, 1, 2, 'High'],
    [2, 2, 3, 'Moderate'],
    [2, 3, 4, 'Low'],
    [3, 1, 3, 'Moderate'],
    [3, 2, 4, 'Low'],
    [3, 3, 5, 'Planning'],
  ];
  it.each(cases)('impact %i x urgency %i -> priority %i (%s)', (impact, urgency, priority, label) => {
    expect(derivePriority(impact, urgency)).toBe(priority);
    expect(PRIORITY_LABELS[derivePriority(impact, urgency)]).toBe(label);
  });

  it('is itself valid', () => {
    expect(validatePriorityMatrix(DEFAULT_PRIORITY_MATRIX)).toEqual({
      ok: true,
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 5],
      ],
    });
  });

  it('uses a custom matrix when given one', () => {
    const m: PriorityMatrix = [
      [1, 1, 2],
      [1, 2, 3],
      [2, 3, 5],
    ];
    expect(derivePriority(1, 2, m)).toBe(1);
    expect(derivePriority(3, 3, m)).toBe(5);
    expect(derivePriority(2, 3, m)).toBe(3);
  });

  it('rejects levels outside 1..3 from untyped callers', () => {
    expect(() => derivePriority(0 as Level, 1)).toThrow(RangeError);
    expect(() => derivePriority(1, 4 as Level)).toThrow(RangeError);
  });
});

describe('isLevel', () => {
  it('accepts exactly 1, 2, 3', () => {
    expect([1, 2, 3].every(isLevel)).toBe(true);
    for (const v of [0, 4, 1.5, '1', null, undefined, NaN, -1]) expect(isLevel(v)).toBe(false);
  });
});

describe('validatePriorityMatrix', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not an array', 'x', /3 rows/],
    [
      'two rows',
      [
        [1, 2, 3],
        [2, 3, 4],
      ],
      /3 rows/,
    ],
    [
      'short row',
      [
        [1, 2, 3],
        [2, 3],
        [3, 4, 5],
      ],
      /impact 2 must have 3 cells/,
    ],
    [
      'zero',
      [
        [0, 2, 3],
        [2, 3, 4],
        [3, 4, 5],
      ],
      /^The priority for impact 1 with urgency 1 must be a whole number from 1 to 5, not 0$/,
    ],
    [
      'six',
      [
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 6],
      ],
      /impact 3 with urgency 3 .*not 6/,
    ],
    [
      'fraction',
      [
        [1, 2, 3],
        [2, 2.5, 4],
        [3, 4, 5],
      ],
      /impact 2 with urgency 2 .*not 2\.5/,
    ],
    [
      'string',
      [
        [1, 2, 3],
        [2, '3', 4],
        [3, 4, 5],
      ],
      /impact 2 with urgency 2 .*not "3"/,
    ],
    [
      'impact not monotone',
      [
        [1, 2, 3],
        [2, 3, 4],
        [1, 4, 5],
      ],
      /^Impact 3 with urgency 1 gives P1 Critical, more urgent than impact 2 with urgency 1 \(P2 High\): lower impact/,
    ],
    [
      'urgency not monotone',
      [
        [1, 2, 3],
        [2, 4, 3],
        [3, 4, 5],
      ],
      /^Impact 2 with urgency 3 gives P3 Moderate, more urgent than impact 2 with urgency 2 \(P4 Low\): lower urgency/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, m, message) => {
    const r = validatePriorityMatrix(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('names the cell at fault, so a form can show the message there', () => {
    const six = validatePriorityMatrix([
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 6],
    ]);
    expect(!six.ok && six.cell).toEqual([2, 2]);
    const inverted = validatePriorityMatrix([
      [3, 3, 3],
      [1, 3, 4],
      [3, 4, 5],
    ]);
    expect(!inverted.ok && inverted.cell).toEqual([1, 0]);
    const short = validatePriorityMatrix([[1, 2, 3]]);
    expect(!short.ok && short.cell).toBeUndefined();
  });

  it('returns a copy the caller cannot change afterwards', () => {
    const input = [
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ];
    const r = validatePriorityMatrix(input);
    input[0][0] = 5;
    expect(r.ok && r.matrix[0][0]).toBe(1);
  });

  it('accepts exactly the monotone 3x3 matrices (fast-check against brute force)', () => {
    const prio = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(fc.array(fc.array(prio, { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }), (m) => {
        let monotone = true;
        for (let i = 0; i < 3; i++)
          for (let u = 0; u < 3; u++)
            for (let i2 = i; i2 < 3; i2++) for (let u2 = u; u2 < 3; u2++) if (m[i2][u2] < m[i][u]) monotone = false;
        expect(validatePriorityMatrix(m).ok).toBe(monotone);
      }),
      { numRuns: 2000 },
    );
  });
});
