import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPostmortemCorpus } from '@ikb/api/bench/postmortems/load';
import { KNOWN_ERRORS, POSTMORTEMS } from '@ikb/api/bench/postmortems';
import { miniSearchBaseline } from '@ikb/api/bench/relevance-baseline';
import {
  buildRelevanceCorpus,
  evaluate,
  evaluateWith,
  formatReport,
  RELEVANCE_QUERIES,
  type RelevanceCorpus,
  type RelevanceQuery,
  type RelevanceReport,
  type Sql,
} from '@ikb/api/bench/relevance-set';
import { POSTMORTEM_QUERIES } from '@ikb/api/bench/relevance-set-2';
import { formatSideBySide, readBefore, regressions, TARGET_MRR, type SetId } from '@ikb/api/bench/relevance-targets';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Relevance of the solution catalog search (issue 21), on the two sets `pnpm bench:relevance` prints:
 *   set 1: the graded keyword queries of apps/api/bench/relevance-set.ts over the demo seed plus the
 *          records the set adds;
 *   set 2: the symptom sentences of apps/api/bench/relevance-set-2.ts over the postmortem corpus,
 *          imported from its CSV export with a mapping into a database without the demo seed.
 * Through GraphQL, side by side with the MiniSearch baseline over the same records. Done when, on
 * each set, MRR@10 >= 0.95, MRR@10 >= the baseline's, and no query's first relevant rank is worse
 * than in apps/api/bench/relevance-before.json by more than one (set 1 also keeps nDCG@10 >= 0.8).
 */

interface SetUnderTest {
  t: TestApp;
  sql: Sql;
  corpus: RelevanceCorpus;
  queries: RelevanceQuery[];
  ours: RelevanceReport;
  baseline: RelevanceReport;
}

const sets = {} as Record<SetId, SetUnderTest>;

async function evaluateSet(t: TestApp, corpus: RelevanceCorpus, queries: RelevanceQuery[]): Promise<SetUnderTest> {
  const conn = t.app.orm.em.getConnection();
  const sql: Sql = (text, params) => conn.execute(text, params ?? []);
  const ours = await evaluate((q, v) => t.gql(q, v), sql, corpus, queries);
  const baseline = await evaluateWith((await miniSearchBaseline(sql)).search, sql, corpus, queries);
  return { t, sql, corpus, queries, ours, baseline };
}

beforeAll(async () => {
  const [one, two] = await Promise.all([
    (async () => {
      const t = await startTestApp({ seedDemo: true });
      return evaluateSet(t, await buildRelevanceCorpus((q, v) => t.gql(q, v)), RELEVANCE_QUERIES);
    })(),
    (async () => {
      const t = await startTestApp();
      const conn = t.app.orm.em.getConnection();
      const corpus = await loadPostmortemCorpus(
        (q, v) => t.gql(q, v),
        (text, params) => conn.execute(text, params ?? []),
        (fn) => fn(t.app.orm.em.fork()),
      );
      return evaluateSet(t, corpus, POSTMORTEM_QUERIES);
    })(),
  ]);
  sets['1'] = one;
  sets['2'] = two;
  const before = readBefore();
  for (const id of ['1', '2'] as const) {
    console.log(`set ${id}\n${formatSideBySide(sets[id].ours, sets[id].baseline, before.ranks[id])}`);
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(Object.values(sets).map((s) => s.t.close()));
});

const words = (text: string) => text.trim().split(/\s+/).length;

describe('the relevance sets', () => {
  it('set 1 has at least 40 graded queries covering typos, stemming, phrases, codes, numbers, OR and minus', () => {
    expect(RELEVANCE_QUERIES.length).toBeGreaterThanOrEqual(40);
    for (const tag of ['typo', 'stemming', 'phrase', 'code', 'number', 'or', 'minus'] as const) {
      expect(RELEVANCE_QUERIES.filter((q) => q.tags.includes(tag)).length, tag).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(RELEVANCE_QUERIES.map((q) => q.id)).size).toBe(RELEVANCE_QUERIES.length);
    for (const q of RELEVANCE_QUERIES)
      expect(
        q.relevant.some((j) => j.grade >= 2),
        q.id,
      ).toBe(true);
  });

  it('set 2 has at least 40 sentence queries of 6 to 14 words and a few keyword queries, each with a record graded 3', () => {
    const sentences = POSTMORTEM_QUERIES.filter((q) => q.tags.includes('sentence'));
    expect(sentences.length).toBeGreaterThanOrEqual(40);
    expect(sentences.filter((q) => words(q.query) < 6 || words(q.query) > 14).map((q) => q.query)).toEqual([]);
    expect(POSTMORTEM_QUERIES.filter((q) => q.tags.includes('keyword')).length).toBeGreaterThanOrEqual(8);
    expect(new Set(POSTMORTEM_QUERIES.map((q) => q.id)).size).toBe(POSTMORTEM_QUERIES.length);
    for (const q of POSTMORTEM_QUERIES)
      expect(
        q.relevant.some((j) => j.grade === 3),
        q.id,
      ).toBe(true);
  });

  it('set 2 has its corpus: every postmortem imported from the CSV export, and the known errors with their fix', async () => {
    const { sql } = sets['2'];
    expect(POSTMORTEMS.length).toBeGreaterThanOrEqual(60);
    const [runs] = await sql(
      `select count(*)::int as n, sum(incidents_created)::int as created from import_runs where outcome = 'IMPORTED'`,
    );
    expect(runs).toEqual({ n: 1, created: POSTMORTEMS.length });
    const [docs] = await sql(
      `select (select count(*)::int from search_documents where kind = 'INCIDENT') as incidents,
        (select count(*)::int from search_documents where kind = 'KNOWN_ERROR') as known_errors,
        (select count(*)::int from search_documents where kind = 'WORKAROUND') as workarounds,
        (select count(*)::int from incidents where resolution_workaround_id is not null) as resolved_with_workaround,
        (select count(*)::int from incidents where problem_id is not null) as linked`,
    );
    expect(docs).toEqual({
      incidents: POSTMORTEMS.length,
      known_errors: KNOWN_ERRORS.length,
      workarounds: KNOWN_ERRORS.length,
      resolved_with_workaround: POSTMORTEMS.filter((p) => p.status === 'Monitoring').length,
      linked: KNOWN_ERRORS.flatMap((k) => k.refs).length,
    });
  });

  it('answers every query of both sets without an error, and every judged record exists in its corpus', async () => {
    for (const id of ['1', '2'] as const) {
      const s = sets[id];
      expect(s.ours.results.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`)).toEqual([]);
      // A judgment that matches nothing would be a typo in the set, not a ranking failure. (Reviews of
      // a demo story exist only for the stories whose incidents were reviewed: not checked.)
      const missing: string[] = [];
      for (const q of s.queries) {
        for (const j of q.relevant) {
          if (j.title?.startsWith('Review: ') || (id === '1' && j.grade < 2)) continue;
          const num = j.number === undefined ? null : (s.corpus.numbers[j.number] ?? j.number).toLowerCase();
          const [row] = await s.sql(
            `select count(*)::int as n from search_documents where (?::text is null or title = ?)
              and (?::text is null or ? = any(identifiers)) and (?::text[] is null or kind = any(?::text[]))`,
            [j.title ?? null, j.title ?? null, num, num, ...Array(2).fill(j.kinds ? `{${j.kinds.join(',')}}` : null)],
          );
          if (!row!.n) missing.push(`set ${id} ${q.id}: ${JSON.stringify(j)}`);
        }
      }
      expect(missing).toEqual([]);
    }
  });

  it('has a before rank for every query of both sets', () => {
    const before = readBefore();
    expect(Object.keys(before.ranks['1']).sort()).toEqual(RELEVANCE_QUERIES.map((q) => q.id).sort());
    expect(Object.keys(before.ranks['2']).sort()).toEqual(POSTMORTEM_QUERIES.map((q) => q.id).sort());
  });
});

describe('relevance of the solution catalog search', () => {
  it.each(['1', '2'] as const)(`set %s: MRR@10 >= ${TARGET_MRR}`, (id) => {
    expect(sets[id].ours.mrr).toBeGreaterThanOrEqual(TARGET_MRR);
  });

  it.each(['1', '2'] as const)('set %s: MRR@10 at least as good as the MiniSearch baseline', (id) => {
    expect(sets[id].ours.mrr).toBeGreaterThanOrEqual(sets[id].baseline.mrr);
  });

  it.each(['1', '2'] as const)('set %s: no query worse than before by more than one rank', (id) => {
    expect(regressions(sets[id].ours, readBefore().ranks[id])).toEqual([]);
  });

  it('set 1: nDCG@10 >= 0.8, something relevant in the first 10 for every query', () => {
    const report = sets['1'].ours;
    if (report.ndcg < 0.8) console.log(formatReport(report));
    expect(report.ndcg).toBeGreaterThanOrEqual(0.8);
    expect(report.results.filter((r) => r.firstRelevantRank === null).map((r) => r.id)).toEqual([]);
  });

  it('never returns excluded or uncatalogued records', () => {
    const hits = (id: string) => sets['1'].ours.results.find((r) => r.id === id)!.hits;
    expect(hits('minus-vpn').some((h) => /macOS/.test(h.title))).toBe(false);
    expect(hits('minus-search').some((h) => /latency/i.test(h.title))).toBe(false);
    expect(hits('code-ora-open').some((h) => /ORA-00600/.test(h.title))).toBe(false);
    expect(hits('review-bf').some((h) => /Draft review/.test(h.title))).toBe(false);
  });
});
