import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSearchQuery, reciprocalRank, suggestsBoost, termsAllAppear } from './search-log';

describe('search log rules', () => {
  it('normalises a query once and for all: idempotent, lower case, single spaces, at most 500 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 700 }), (q) => {
        const n = normalizeSearchQuery(q);
        expect(normalizeSearchQuery(n)).toBe(n);
        expect(n).toBe(n.toLowerCase());
        expect(n).not.toMatch(/\s{2}|^\s|\s$/u);
        expect(Array.from(n).length).toBeLessThanOrEqual(500);
      }),
    );
    expect(normalizeSearchQuery('  VPN \t Drops\n')).toBe('vpn drops');
    expect(normalizeSearchQuery('ＶＰＮ')).toBe('vpn');
    // Never half a surrogate pair: 499 letters and an emoji keep the emoji whole.
    expect(normalizeSearchQuery(`${'a'.repeat(499)}😀😀`)).toBe(`${'a'.repeat(499)}😀`);
  });

  it('terms all appear: every word of the query is a word of the text, and a query without words never matches', () => {
    expect(termsAllAppear('ledger stalls', 'The Ledger sync stalls at month end')).toBe(true);
    expect(termsAllAppear('ledger stall', 'The Ledger sync stalls')).toBe(false);
    expect(termsAllAppear('-- !!', 'anything')).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 6 }), fc.nat(5), (words, k) => {
        const text = words.join(' ');
        const some = words.slice(0, Math.max(1, k)).join(' ');
        expect(termsAllAppear(some, text)).toBe(true);
        expect(termsAllAppear(`${some} zzzzzzzzzzq`, text)).toBe(false);
      }),
    );
  });

  it('reciprocal rank is 1 / position of the first open in time, ties to the higher hit, 0 without opens', () => {
    expect(reciprocalRank([])).toBe(0);
    expect(
      reciprocalRank([
        { position: 3, at: 1 },
        { position: 1, at: 2 },
      ]),
    ).toBe(1 / 3);
    expect(
      reciprocalRank([
        { position: 4, at: 5 },
        { position: 2, at: 5 },
      ]),
    ).toBe(1 / 2);
    fc.assert(
      fc.property(fc.array(fc.record({ position: fc.integer({ min: 1, max: 500 }), at: fc.nat(100) }), { minLength: 1 }), (opens) => {
        const rr = reciprocalRank(opens);
        expect(rr).toBeGreaterThan(0);
        expect(rr).toBeLessThanOrEqual(1);
        const first = Math.min(...opens.map((o) => o.at));
        const best = Math.min(...opens.filter((o) => o.at === first).map((o) => o.position));
        expect(rr).toBe(1 / best);
      }),
    );
  });

  it('suggests a boost only for records opened often while ranked low', () => {
    expect(suggestsBoost(3, 4)).toBe(true);
    expect(suggestsBoost(2, 10)).toBe(false);
    expect(suggestsBoost(10, 3.9)).toBe(false);
  });
});
