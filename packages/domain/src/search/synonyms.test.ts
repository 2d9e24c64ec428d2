import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNONYM_GROUPS } from './synonym-defaults';
import {
  checkSynonymTerms,
  describeSynonymMatch,
  matchSynonyms,
  normaliseSynonymTerm,
  SYNONYM_LIMITS,
  synonymWords,
  usableSynonymTerm,
  type SynonymGroup,
  type SynonymMatch,
} from './synonyms';

const g = (id: string, ...terms: string[]): SynonymGroup => ({ id, terms });
const LIST: SynonymGroup[] = [
  g('db', 'db', 'database'),
  g('pg', 'postgres', 'postgresql', 'pg'),
  g('k8s', 'k8s', 'kubernetes'),
  g('oom', 'oom', 'out of memory', 'oomkilled'),
  g('mem', 'mem', 'memory', 'ram'),
  g('5xx', '5xx', 'http 500', 'server error'),
  g('500', 'http 500', 'internal server error'),
  g('node', 'node.js', 'nodejs'),
];
const simple = (ms: SynonymMatch[]) => ms.map((m) => [m.text, m.alternatives]);

describe('synonymWords', () => {
  it.each([
    ['out of memory killed', ['out', 'of', 'memory', 'killed']],
    ['HTTP 500', ['http', '500']],
    ['HTTP/500', ['http', '500']],
    ['5xx', ['5xx']],
    ['OOM-killed!', ['oom', 'killed']],
    ['node.js', ['node', 'js']],
    ['ｋ８ｓ', ['k8s']],
    ['Café résumé', ['café', 'résumé']],
    ['cafe\u0301', ['café']],
    ['数据库 连接', ['数据库', '连接']],
    ['  --  ', []],
    ['', []],
  ])('%j -> %j', (text, words) => {
    expect(synonymWords(text)).toEqual(words);
  });
});

describe('normaliseSynonymTerm', () => {
  it.each([
    ['  Out   of\tMemory ', 'out of memory'],
    ['DB', 'db'],
    ['HTTP\u00a0500', 'http 500'],
    ['Node.JS', 'node.js'],
    ['ＴＬＳ', 'tls'],
    ['x', 'x'],
    ['7', '7'],
  ])('%j -> %j', (raw, n) => {
    expect(normaliseSynonymTerm(raw)).toBe(n);
  });

  it.each(['', '   ', '---', '!?', '\u00a0\u3000', '...'])('has no term in %j', (raw) => {
    expect(normaliseSynonymTerm(raw)).toBeNull();
  });

  it('is idempotent, trimmed, single-spaced and lower case (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const n = normaliseSynonymTerm(s);
        if (n === null) return;
        expect(normaliseSynonymTerm(n)).toBe(n);
        expect(n).toBe(n.trim());
        expect(n).not.toMatch(/\s{2}|[\t\n\r]/);
        expect(n.toLowerCase()).toBe(n);
      }),
    );
  });
});

describe('checkSynonymTerms', () => {
  it('normalises the terms of a valid group', () => {
    expect(checkSynonymTerms([' DB ', 'Data   Base', 'node.js'])).toEqual({ ok: true, terms: ['db', 'data base', 'node.js'] });
    expect(checkSynonymTerms(['a', 'b'])).toEqual({ ok: true, terms: ['a', 'b'] });
    expect(checkSynonymTerms(['c++', "o'brien", 'ci/cd', 'snake_case', 'ora-01555']).ok).toBe(true);
    // To matching, c++ and c# are the word c: the same term.
    expect(checkSynonymTerms(['c++', 'c#'])).toMatchObject({ ok: false, index: 1 });
  });

  it.each<[string, unknown[], number | null, RegExp]>([
    ['one term', ['db'], null, /2 to 10 terms \(got 1\)/],
    ['no term', [], null, /got 0/],
    ['eleven terms', Array.from({ length: 11 }, (_, i) => `t${i}`), null, /got 11/],
    ['a blank term', ['db', '   '], 1, /needs a letter or a digit/],
    ['punctuation only', ['db', '--'], 1, /needs a letter or a digit/],
    ['41 characters', ['db', 'a'.repeat(41)], 1, /at most 40 characters \(got 41\)/],
    ['10,000 characters', ['db', 'x'.repeat(10_000)], 1, /got 10000/],
    ['five words', ['a b c d e', 'db'], 0, /has 5 words; a term has at most 4/],
    ['a duplicate', ['db', 'database', ' DB'], 2, /"db" is the same as term 0 \("db"\)/],
    ['the same words', ['node.js', 'node js'], 1, /same as term 0 \("node\.js"\)/],
    ['a quote', ['db', '"database"'], 1, /may hold only letters/],
    ['a leading minus', ['db', '-database'], 1, /starting with a letter or a digit/],
    ['tsquery operators', ['db', 'data & base'], 1, /may hold only/],
    ['a colon', ['db', 'db:*'], 1, /may hold only/],
    ['parentheses', ['db', 'db (primary)'], 1, /may hold only/],
    ['SQL', ['db', "'; drop table users; --"], 1, /may hold only/],
    ['NUL', ['db', 'data\u0000base'], 1, /control character, U\+0000/],
    ['a line break', ['db\nx', 'database'], 0, /line break/],
    ['a bidi override', ['db', 'data\u202ebase'], 1, /bidirectional/],
    ['a lone surrogate', ['db', 'x\ud800'], 1, /unpaired surrogate/],
    ['not text', ['db', 42], 1, /must be text/],
  ])('refuses %s, naming the term', (_name, terms, index, message) => {
    const r = checkSynonymTerms(terms);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.index).toBe(index);
    expect(r.message).toMatch(message);
  });

  it('accepts four words and 40 characters', () => {
    expect(checkSynonymTerms(['a b c d', 'e'.repeat(40)]).ok).toBe(true);
  });

  it('never throws, and what it accepts is usable and normal (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('db', 'k8s', 'out of memory')), { maxLength: 12 }),
        (terms) => {
          const r = checkSynonymTerms(terms);
          if (!r.ok) return;
          for (const t of r.terms) {
            expect(usableSynonymTerm(t)).toBe(t);
            expect(normaliseSynonymTerm(t)).toBe(t);
          }
        },
      ),
    );
  });
});

describe('matchSynonyms', () => {
  it('expands abbreviations both ways', () => {
    expect(simple(matchSynonyms(['db', 'down'], LIST))).toEqual([['db', ['database']]]);
    expect(simple(matchSynonyms(['database'], LIST))).toEqual([['database', ['db']]]);
    expect(matchSynonyms(['k8s', 'db'], LIST)).toEqual([
      { start: 0, end: 1, text: 'k8s', alternatives: ['kubernetes'], groupIds: ['k8s'] },
      { start: 1, end: 2, text: 'db', alternatives: ['database'], groupIds: ['db'] },
    ]);
  });

  it('matches several words, the longest term first, without overlaps', () => {
    expect(matchSynonyms(['out', 'of', 'memory', 'killed'], LIST)).toEqual([
      { start: 0, end: 3, text: 'out of memory', alternatives: ['oom', 'oomkilled'], groupIds: ['oom'] },
    ]);
    // 'memory' alone is a term too, but its word was taken by the longer match.
    expect(simple(matchSynonyms(['memory', 'out', 'of', 'memory'], LIST))).toEqual([
      ['memory', ['mem', 'ram']],
      ['out of memory', ['oom', 'oomkilled']],
    ]);
    expect(simple(matchSynonyms(['out', 'of', 'disk'], LIST))).toEqual([]);
  });

  it('unites the groups of a term in several groups, without duplicates or the term itself', () => {
    expect(matchSynonyms(['http', '500'], LIST)).toEqual([
      { start: 0, end: 2, text: 'http 500', alternatives: ['5xx', 'server error', 'internal server error'], groupIds: ['5xx', '500'] },
    ]);
    const twice = [g('a', 'db', 'database'), g('b', 'database', 'db', 'datastore')];
    expect(matchSynonyms(['db'], twice)).toEqual([
      { start: 0, end: 1, text: 'db', alternatives: ['database', 'datastore'], groupIds: ['a', 'b'] },
    ]);
  });

  it('matches whole words only', () => {
    expect(matchSynonyms(['dbx', 'xdb', 'k8ss', 'pgbouncer'], LIST)).toEqual([]);
    expect(matchSynonyms(['http'], LIST)).toEqual([]);
    expect(matchSynonyms(['500'], LIST)).toEqual([]);
  });

  it('matches terms with punctuation by their words', () => {
    expect(simple(matchSynonyms(synonymWords('upgrade Node.js'), LIST))).toEqual([['node js', ['nodejs']]]);
    expect(simple(matchSynonyms(['nodejs'], LIST))).toEqual([['nodejs', ['node.js']]]);
  });

  it('reads words as NFKC lower case, whatever the caller passes', () => {
    expect(simple(matchSynonyms(['DB', 'ｋ８ｓ'], LIST))).toEqual([
      ['db', ['database']],
      ['k8s', ['kubernetes']],
    ]);
  });

  it('skips a group whose terms are all the same words as the match', () => {
    expect(matchSynonyms(['node', 'js'], [g('x', 'node.js', 'node js')])).toEqual([]);
  });

  it('caps alternatives per match and matches per query', () => {
    const big = [
      g('big', ...Array.from({ length: 10 }, (_, i) => `t${i}`)),
      g('big2', 't0', ...Array.from({ length: 9 }, (_, i) => `u${i}`)),
    ];
    const [m] = matchSynonyms(['t0'], big);
    expect(m!.alternatives).toHaveLength(SYNONYM_LIMITS.alternativesPerMatch);
    expect(m!.alternatives).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
    expect(m!.groupIds).toEqual(['big']);
    const many = matchSynonyms(
      Array.from({ length: 40 }, () => 'db'),
      LIST,
    );
    expect(many).toHaveLength(SYNONYM_LIMITS.matchesPerQuery);
    expect(many.at(-1)).toMatchObject({ start: 11, end: 12 });
  });

  it('ignores terms that could never be stored: too long, too many words, punctuation only, not text', () => {
    const hostile = [
      g('long', 'db', 'x'.repeat(10_000)),
      g('words', 'db', 'a b c d e'),
      g('junk', 'db', '--', '', 'data"base'),
      { id: 'odd', terms: [42, null, 'db', 'datastore'] as unknown as string[] },
      { id: 'none', terms: null as unknown as string[] },
    ];
    expect(matchSynonyms(['db'], hostile)).toEqual([{ start: 0, end: 1, text: 'db', alternatives: ['datastore'], groupIds: ['odd'] }]);
    expect(matchSynonyms(['a', 'b', 'c', 'd', 'e'], hostile)).toEqual([]);
  });

  it('finds nothing in an empty list or query', () => {
    expect(matchSynonyms([], LIST)).toEqual([]);
    expect(matchSynonyms(['db'], [])).toEqual([]);
    expect(matchSynonyms(['', 'db'], LIST)).toEqual([{ start: 1, end: 2, text: 'db', alternatives: ['database'], groupIds: ['db'] }]);
  });

  it('keeps its promises for any words and list (property)', () => {
    const word = fc.constantFrom('db', 'database', 'out', 'of', 'memory', 'oom', 'http', '500', 'a', 'b', 'c', 'd', 'x');
    const term = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));
    const groups = fc.array(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), terms: fc.array(term, { minLength: 1, maxLength: 12 }) }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), groups, (words, list) => {
        const ms = matchSynonyms(words, list);
        expect(ms.length).toBeLessThanOrEqual(SYNONYM_LIMITS.matchesPerQuery);
        let last = 0;
        for (const m of ms) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end - m.start).toBeLessThanOrEqual(SYNONYM_LIMITS.maxTermWords);
          expect(m.end).toBeLessThanOrEqual(words.length);
          last = m.end;
          expect(m.text).toBe(words.slice(m.start, m.end).join(' '));
          expect(m.alternatives.length).toBeGreaterThan(0);
          expect(m.alternatives.length).toBeLessThanOrEqual(SYNONYM_LIMITS.alternativesPerMatch);
          expect(new Set(m.alternatives).size).toBe(m.alternatives.length);
          expect(m.alternatives).not.toContain(m.text);
          expect(new Set(m.groupIds).size).toBe(m.groupIds.length);
          for (const id of m.groupIds) {
            // Every group named holds the matched text.
            expect(list.some((x) => x.id === id && x.terms.slice(0, SYNONYM_LIMITS.maxTerms).includes(m.text))).toBe(true);
          }
          // Longest first: no longer term with alternatives starts at the same word.
          for (let len = m.end - m.start + 1; len <= SYNONYM_LIMITS.maxTermWords && m.start + len <= words.length; len++) {
            const longer = matchSynonyms(words.slice(m.start, m.start + len), list);
            expect(longer.some((x) => x.start === 0 && x.end === len)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes well under a millisecond for a long query on a full list of 500 groups', () => {
    const list = Array.from({ length: SYNONYM_LIMITS.maxGroups }, (_, i) =>
      g(`g${i}`, ...Array.from({ length: 10 }, (_, j) => `w${(i * 7 + j) % 900} x${j}`)),
    );
    const words = Array.from({ length: 250 }, (_, i) => (i % 2 ? `x${i % 10}` : `w${i % 900}`));
    matchSynonyms(words, list); // compiles the list once
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) matchSynonyms(words, list);
    const each = (performance.now() - t0) / 100;
    expect(each).toBeLessThan(1);
  });
});

describe('describeSynonymMatch', () => {
  it('says what else the words were read as', () => {
    expect(describeSynonymMatch({ text: 'db', alternatives: ['database'] })).toBe('db (also: database)');
    expect(describeSynonymMatch({ text: 'http 500', alternatives: ['5xx', 'server error'] })).toBe('http 500 (also: 5xx, server error)');
  });
});

describe('DEFAULT_SYNONYM_GROUPS', () => {
  it('are valid groups, already normal, with unique ids', () => {
    for (const group of DEFAULT_SYNONYM_GROUPS) {
      expect(checkSynonymTerms(group.terms), group.id).toEqual({ ok: true, terms: group.terms });
      expect(group.id).toMatch(/^[a-z0-9-]{2,40}$/);
    }
    expect(new Set(DEFAULT_SYNONYM_GROUPS.map((x) => x.id)).size).toBe(DEFAULT_SYNONYM_GROUPS.length);
    expect(DEFAULT_SYNONYM_GROUPS.length).toBeGreaterThanOrEqual(40);
    expect(DEFAULT_SYNONYM_GROUPS.length).toBeLessThan(SYNONYM_LIMITS.maxGroups / 2);
  });

  it('share a term only where it belongs to two groups on purpose', () => {
    const owners = new Map<string, string[]>();
    for (const group of DEFAULT_SYNONYM_GROUPS) for (const t of group.terms) owners.set(t, [...(owners.get(t) ?? []), group.id]);
    const shared = [...owners].filter(([, ids]) => ids.length > 1);
    expect(shared).toEqual([['http 500', ['http-5xx', 'http-500']]]);
  });

  it('read the examples of the issue as an engineer would', () => {
    const read = (q: string) => simple(matchSynonyms(synonymWords(q), DEFAULT_SYNONYM_GROUPS));
    expect(read('db failover')).toEqual([['db', ['database']]]);
    expect(read('Expired cert on the LB')).toEqual([
      ['cert', ['certificate', 'x509']],
      ['lb', ['load balancer', 'loadbalancer']],
    ]);
    expect(read('SSL handshake')).toEqual([['ssl', ['tls']]]);
    expect(read('k8s pod OOMKilled')).toEqual([
      ['k8s', ['kubernetes', 'kube']],
      ['oomkilled', ['oom', 'out of memory', 'oom killed', 'oom killer', 'exit code 137']],
    ]);
    expect(read('out of memory killed')).toEqual([['out of memory', ['oom', 'oomkilled', 'oom killed', 'oom killer', 'exit code 137']]]);
    expect(read('5xx spike')).toEqual([['5xx', ['http 5xx', 'server error', 'http 500']]]);
    expect(read('HTTP 500')[0]).toEqual([
      'http 500',
      ['5xx', 'http 5xx', 'server error', 'error 500', '500 error', 'internal server error'],
    ]);
    expect(read('502 Bad Gateway')).toEqual([['bad gateway', ['http 502', 'error 502', '502 error']]]);
    expect(read('No space left on device')).toEqual([['no space left', ['disk full', 'out of disk space', 'enospc']]]);
    // A certificate is not the protocol, and a release is not looked for as a deployment.
    expect(read('certificate')[0]![1]).not.toContain('tls');
    expect(read('release notes')).toEqual([]);
  });
});
