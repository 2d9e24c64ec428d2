import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkaround, knownError } from './support/knowledge-factories';
import { directory, resolvedIncident, search, titles } from './support/search-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * The ranking model (Migration20261206000000_search_ranking): sentences match on most of their
 * terms, rare terms outweigh common ones, fix text outweighs descriptions, fixes are found by the
 * symptoms of the incidents they fixed, and the term statistics stay exact under every kind of write.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** search_terms plus the deltas not folded yet, against a count from scratch: must be equal for every lexeme. */
async function statsDrift(): Promise<{ lexeme: string; stored: number; actual: number }[]> {
  return t.sql<{ lexeme: string; stored: number; actual: number }>(
    `with actual as (
       select l as lexeme, count(*)::bigint as n from search_documents d, unnest(tsvector_to_array(d.tsv)) l group by l
       union all select ' docs', count(*) from search_documents
       union all select ' length', coalesce(sum(length(tsv)), 0) from search_documents),
     stored as (
       select lexeme, sum(n)::bigint as n from (select lexeme, df as n from search_terms union all
         select lexeme, delta from search_term_deltas) x group by lexeme)
     select coalesce(a.lexeme, s.lexeme) as lexeme, coalesce(s.n, 0)::int as stored, coalesce(a.n, 0)::int as actual
       from actual a full join stored s on s.lexeme = a.lexeme where coalesce(a.n, 0) <> coalesce(s.n, 0)`,
  );
}

describe('sentences', () => {
  it('finds a record that has most of the words, although one word of the sentence is nowhere in it', async () => {
    const target = await resolvedIncident(
      t,
      {
        title: 'Quillon ledger stopped accepting writes',
        description: 'The quillon ledger database ran out of transaction ids and refused every insert until a vacuum finished.',
      },
      'Ran a manual vacuum freeze on the quillon ledger tables.',
    );
    await resolvedIncident(t, { title: 'Quillon ledger report slow', description: 'A report on the quillon ledger took minutes.' });
    // "midnight" and "maintenance" are in no record: every word required would find nothing.
    const r = await search(t, 'quillon ledger ran out of transaction ids at midnight during maintenance');
    expect(r.hits[0]?.id).toBe(target.id);
    expect(r.hits[0]?.reason).toContain('some of the words');
  });

  it('ranks the record with the rare words above records with only the common ones', async () => {
    for (let i = 0; i < 6; i++)
      await resolvedIncident(t, { title: `Brannock database outage ${i}`, description: 'The brannock database outage hit users.' });
    const rare = await resolvedIncident(t, {
      title: 'Brannock replica diverged',
      description: 'A split brain left the replica diverged from the primary after a failover.',
    });
    const r = await search(t, 'brannock database outage split brain diverged');
    expect(r.hits[0]?.id).toBe(rare.id);
  });

  it('puts records where the words are in the fix above those where they are only in the description', async () => {
    const inFix = await resolvedIncident(
      t,
      { title: 'Tarrow queue stalled', description: 'Messages piled up in the tarrow queue.' },
      'Rebalanced the consumer partitions of the tarrow queue.',
    );
    const inDescription = await resolvedIncident(
      t,
      { title: 'Tarrow queue stalled', description: 'Messages piled up; someone rebalanced consumer partitions of the tarrow queue.' },
      'Restarted the service.',
    );
    const r = await search(t, 'tarrow rebalanced consumer partitions');
    expect(titles(r).length).toBeGreaterThanOrEqual(2);
    const rank = (id: string) => r.hits.findIndex((h) => h.id === id);
    expect(rank(inFix.id)).toBeLessThan(rank(inDescription.id));
  });

  it('finds a fix by the symptoms of the incidents it fixed (learned), and forgets them when the link goes', async () => {
    const d = await directory(t);
    const ke = await knownError(
      t,
      { title: 'Token signer key rotated early', serviceId: d.service.id },
      { title: 'Re-publish the signing keys', status: 'ACTIVE', steps: 'Run the key publisher job.' },
    );
    const query = 'zarquon partners see invalid signature errors';
    const ids = async () => (await search(t, query)).hits.map((h) => h.id);
    expect(await ids()).not.toContain(ke.workaround.id);
    const incident = await resolvedIncident(t, {
      title: 'Zarquon partners see invalid signature errors',
      description: 'Every partner call failed signature validation.',
    });
    ok(
      await t.gql(`mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
        i: incident.id,
        p: ke.problem.id,
      }),
    );
    const linked = await ids();
    expect(linked).toContain(ke.workaround.id);
    expect(linked).toContain(ke.problem.id);
    const learned = async (id: string) =>
      (await t.sql<{ learned: string }>(`select learned from search_documents where entity_id = $1`, [id]))[0]!.learned;
    expect(await learned(ke.workaround.id)).toContain('Zarquon partners see invalid signature errors');
    ok(await t.gql(`mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { id } }`, { i: incident.id }));
    expect(await learned(ke.workaround.id)).toBe('');
    expect(await ids()).not.toContain(ke.workaround.id);
  });
});

describe('how the query was understood', () => {
  it('says how many terms were required and which words were corrected', async () => {
    await resolvedIncident(t, { title: 'Pellucid certificate expired on the gateway', description: 'Clients got TLS errors.' });
    const r = ok(
      await t.gql<{
        search: { understanding: { summary: string; terms: number; minimumShouldMatch: number; spellings: { term: string }[] } };
      }>(
        `query { search(input: { query: "pellucid certficate expired gateway yesterday" }) {
          understanding { summary terms minimumShouldMatch countedTerms spellings { term alternatives } } } }`,
      ),
    );
    expect(r.search.understanding.terms).toBe(5);
    expect(r.search.understanding.minimumShouldMatch).toBeGreaterThanOrEqual(2);
    expect(r.search.understanding.spellings.map((s) => s.term)).toContain('certficate');
    expect(r.search.understanding.summary).toMatch(/at least \d+ of the \d+/);
  });
});

describe('synonyms', () => {
  it("finds a record by a synonym of the word typed, says so, and takes an admin's new group at once", async () => {
    const db = await resolvedIncident(t, { title: 'Vellacott database refused connections', description: 'The pool was full.' });
    const r = ok(
      await t.gql<{ search: { nodes: { id: string }[]; understanding: { synonyms: { term: string; alternatives: string[] }[] } } }>(
        `query { search(input: { query: "vellacott db refused" }) { nodes { id } understanding { synonyms { term alternatives } } } }`,
      ),
    );
    expect(r.search.nodes[0]?.id).toBe(db.id);
    expect(r.search.understanding.synonyms).toContainEqual(expect.objectContaining({ term: 'db', alternatives: ['database'] }));

    const wobble = await resolvedIncident(t, { title: 'Vellacott flux capacitor overheated', description: 'It glowed.' });
    expect((await search(t, 'ftc')).hits.map((h) => h.id)).not.toContain(wobble.id);
    ok(
      await t.gql(`mutation($input: CreateSearchSynonymGroupInput!) { createSearchSynonymGroup(input: $input) { id } }`, {
        input: { terms: ['ftc', 'flux capacitor'] },
      }),
    );
    expect((await search(t, 'ftc')).hits[0]?.id).toBe(wobble.id);
    // Plurals typed find the singular's synonyms.
    expect((await search(t, 'vellacott dbs')).hits[0]?.id).toBe(db.id);
  });
});

describe('term statistics', () => {
  it('stay exact through inserts, edits, status changes, deletes and rollbacks', async () => {
    const w = await createWorkaround(t, { title: 'Osprey cache warm-up', steps: 'Warm the osprey cache.', status: 'ACTIVE' });
    ok(
      await t.gql(`mutation($id: ID!, $input: UpdateWorkaroundInput!) { updateWorkaround(id: $id, input: $input) { id } }`, {
        id: w.id,
        input: { steps: 'Warm the osprey cache from the snapshot, then flip traffic.' },
      }),
    );
    await t.sql('begin');
    await t.sql(`delete from search_documents where entity_id = $1`, [w.id]);
    await t.sql('rollback');
    await t.sql(`select search_terms_fold(1000000)`);
    expect(await statsDrift()).toEqual([]);
    const [n] = await t.sql<{ n: number }>(`select count(*)::int as n from search_term_deltas`);
    expect(n!.n).toBe(0);
  });

  it('take no deltas when a write leaves the text as it was', async () => {
    const incident = await resolvedIncident(t, { title: 'Kestrel backup window overran', description: 'Backups ran late.' });
    await t.sql(`select search_terms_fold(1000000)`);
    await t.sql(`update incidents set priority = priority where id = $1`, [incident.id]);
    const [n] = await t.sql<{ n: number }>(`select count(*)::int as n from search_term_deltas`);
    expect(n!.n).toBe(0);
  });

  it('do not block or deadlock concurrent writers, and add up afterwards', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        resolvedIncident(t, {
          title: `Concurrent database outage ${i} on shared words`,
          description: 'database outage users latency deploy rollback',
        }),
      ),
    );
    await t.sql(`select search_terms_fold(1000000)`);
    expect(await statsDrift()).toEqual([]);
  });
});
