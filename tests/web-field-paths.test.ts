import { describe, expect, it } from 'vitest';
import { atList } from '../apps/web/lib/field-paths';

/** Issue 23, item 8: a list entry's message lands at the row (or list control) it concerns. */
describe('atList', () => {
  const errors = [
    { field: 'input.terms[2].responseMinutes', message: 'Term 3 must be 1 or more.' },
    { field: 'input.terms.0', message: 'Term 1 is given twice.' },
    { field: 'input.termsNote', message: 'Terms note is too long.' },
    { field: 'input.name', message: 'Name must not be empty.' },
    { message: 'Not allowed for your role.' },
  ];

  it('keys each entry by its row, and leaves other fields alone', () => {
    expect(atList(errors, 'terms', (i) => `terms-${i}`).map((e) => e.field)).toEqual([
      'terms-2',
      'terms-0',
      'input.termsNote',
      'input.name',
      undefined,
    ]);
  });

  it('without a row, sends every entry to the list control', () => {
    expect(atList(errors, 'terms').map((e) => e.field)).toEqual(['terms', 'terms', 'input.termsNote', 'input.name', undefined]);
    expect(atList([{ field: 'input.participants.3.name', message: 'x' }], 'participants', (i) => (i < 2 ? 'a' : 'b'))[0]!.field).toBe('b');
  });
});
