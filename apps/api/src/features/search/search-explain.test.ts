import { describe, expect, it } from 'vitest';
import { explainHit, type ExplainInput, type LexEntry } from './search-explain';

const base: ExplainInput = {
  kind: 'INCIDENT',
  status: 'RESOLVED',
  boost: 1,
  strict: true,
  exact: false,
  retired: false,
  ids: [],
  titleLex: [],
  bodyLex: [],
  fixLex: [],
};

// "reboot pasword gateway": reboot has the synonym restart; pasword was corrected to password.
const map: LexEntry[] = [
  { w: 'reboot', via: null, how: 'term', lex: ['reboot'] },
  { w: 'pasword', via: null, how: 'term', lex: ['pasword'] },
  { w: 'gateway', via: null, how: 'term', lex: ['gateway'] },
  { w: 'restart', via: 'reboot', how: 'synonym', lex: ['restart'] },
  { w: 'password', via: 'pasword', how: 'spelling', lex: ['password'] },
];

describe('why this matched, in words', () => {
  it('names the words as typed per field, with the synonym or spelling they came from, in query order', () => {
    const lines = explainHit({ ...base, titleLex: ['gateway', 'reboot'], bodyLex: ['password', 'restart'], fixLex: ['reboot'] }, map);
    expect(lines).toEqual([
      '“reboot”, “gateway” in the title.',
      '“restart” (a synonym of “reboot”), “password” (for your “pasword”) in the description.',
      '“reboot” in the resolution notes.',
    ]);
  });

  it('says which words are missing from a record that has only some', () => {
    const lines = explainHit({ ...base, strict: false, titleLex: ['restart'] }, map);
    expect(lines).toContain('Has only some of your words: “pasword”, “gateway” not found.');
  });

  it('tells an exact identifier from a mention, and a match only through the incidents a fix learned from', () => {
    expect(explainHit({ ...base, exact: true, ids: ['inc-000123'] }, map)[0]).toBe('Its own identifier is the one you typed (INC-000123).');
    expect(explainHit({ ...base, ids: ['inc-000123'] }, map)[0]).toBe('Mentions INC-000123, an identifier you typed.');
    expect(explainHit({ ...base, kind: 'PROBLEM' }, map)).toEqual([
      'Matched through the incidents it fixed: their titles and descriptions use your words.',
    ]);
  });

  it('gives the ranking reasons in plain words, never a factor', () => {
    const why = (x: Partial<ExplainInput>) => explainHit({ ...base, titleLex: ['gateway'], ...x }, map).slice(1);
    expect(why({ boost: 1.3 })).toEqual(['Ranked higher: it was resolved without being reopened.']);
    expect(why({ boost: 1.5 })).toEqual(['Ranked higher: it was resolved without being reopened, and a workaround restored service.']);
    expect(why({ boost: 1.2 })).toEqual(['Ranked higher: a workaround restored service.']);
    expect(why({ kind: 'KNOWN_ERROR', boost: 1.5 })[0]).toMatch(/^Ranked higher: a known error/);
    expect(why({ kind: 'WORKAROUND', boost: 0.8 })).toEqual(['Ranked lower: a draft workaround, not approved yet.']);
    expect(why({ kind: 'WORKAROUND', retired: true })).toEqual(['Listed after current records: it is retired.']);
    expect(why({ kind: 'REVIEW', boost: 1.2 })).toEqual(['Ranked higher: a published review.']);
    expect(why({ boost: 1 })).toEqual([]);
    for (const boost of [0.8, 1, 1.2, 1.3, 1.5])
      for (const kind of ['INCIDENT', 'PROBLEM', 'KNOWN_ERROR', 'WORKAROUND', 'MODEL', 'REVIEW'] as const)
        expect(why({ kind, boost }).join(' ')).not.toMatch(/\d|score|boost/);
  });
});
