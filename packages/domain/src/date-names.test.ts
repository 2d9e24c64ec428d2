import { describe, expect, it } from 'vitest';
import { DATE_NAMES, monthTable } from './date-names';

describe('month names per language', () => {
  it.each(Object.keys(DATE_NAMES))('%s has 12 months, and no spelling names two of them', (code) => {
    const names = DATE_NAMES[code]!;
    expect(names.months).toHaveLength(12);
    const spellings = names.months.flat().map((s) => s.toLowerCase());
    expect(new Set(spellings).size).toBe(spellings.length);
    expect(monthTable(names).size).toBe(spellings.length);
  });

  it('reads the short names Java writes in each locale', () => {
    const month = (code: string, name: string) => monthTable(DATE_NAMES[code]!).get(name);
    expect([month('es', 'ene'), month('es', 'ago'), month('es', 'dic'), month('es', 'sept')]).toEqual([1, 8, 12, 9]);
    expect([month('de', 'mär'), month('de', 'mrz'), month('de', 'mai'), month('de', 'okt'), month('de', 'dez')]).toEqual([3, 3, 5, 10, 12]);
    expect([month('fr', 'janv'), month('fr', 'févr'), month('fr', 'juil'), month('fr', 'août'), month('fr', 'déc')]).toEqual([
      1, 2, 7, 8, 12,
    ]);
    expect([month('pt', 'fev'), month('pt', 'abr'), month('pt', 'set'), month('pt', 'out'), month('pt', 'dez')]).toEqual([2, 4, 9, 10, 12]);
    expect([month('ja', '7月'), month('ja', '07月'), month('ja', '12月')]).toEqual([7, 7, 12]);
    // A name of another language is not guessed.
    expect(month('es', 'okt')).toBeUndefined();
    expect(month('de', 'dic')).toBeUndefined();
  });
});
