import { describe, expect, it } from 'vitest';
import { SAVED_VIEW_KEYS, SAVED_VIEW_LISTS, savedViewFiltersProblem, savedViewQuery } from './saved-views';

describe('saved view filters', () => {
  it("accept each list's own parameters as text or lists of text", () => {
    for (const list of SAVED_VIEW_LISTS) {
      const filters = Object.fromEntries(SAVED_VIEW_KEYS[list].map((k, i) => [k, i % 2 ? ['a', 'b'] : 'x']));
      expect(savedViewFiltersProblem(list, filters), list).toBeNull();
    }
  });

  it('refuse what is not a filter of the list, not text, or too large, naming the field', () => {
    expect(savedViewFiltersProblem('INCIDENTS', null)).toEqual({ field: 'filters', message: 'must be an object' });
    expect(savedViewFiltersProblem('INCIDENTS', ['status'])).toEqual({ field: 'filters', message: 'must be an object' });
    expect(savedViewFiltersProblem('QUEUE', { sort: 'priority' })?.field).toBe('filters.sort');
    expect(savedViewFiltersProblem('INCIDENTS', { priority: 1 })?.field).toBe('filters.priority');
    expect(savedViewFiltersProblem('INCIDENTS', { status: [{ $ne: 1 }] })?.field).toBe('filters.status');
    expect(savedViewFiltersProblem('INCIDENTS', { q: 'x'.repeat(501) })?.message).toMatch(/500 characters/);
    expect(savedViewFiltersProblem('INCIDENTS', { status: Array.from({ length: 21 }, () => 'NEW') })?.message).toMatch(/20 values/);
    expect(
      savedViewFiltersProblem('INCIDENTS', { q: 'x'.repeat(450), team: Array.from({ length: 20 }, () => 'y'.repeat(200)) })?.field,
    ).toBe('filters');
  });

  it('open as a query string in a stable order', () => {
    expect(savedViewQuery({ status: ['NEW', 'TRIAGED'], mine: 'me', q: 'a&b' })).toBe('?mine=me&q=a%26b&status=NEW&status=TRIAGED');
    expect(savedViewQuery({})).toBe('');
  });
});
