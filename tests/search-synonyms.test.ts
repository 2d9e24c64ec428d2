import { DEFAULT_SYNONYM_GROUPS, matchSynonyms, SYNONYM_LIMITS, synonymWords, type SynonymGroup } from '@ikb/domain';
import {
  invalidateSynonymCache,
  loadSynonymGroups,
  SYNONYM_CACHE_MS,
  type SynonymSql,
} from '@ikb/api/src/features/search-synonyms/search-synonym.cache';
import { SearchSynonymService } from '@ikb/api/src/features/search-synonyms/search-synonym.service';
import { SYSTEM_ACTOR } from '@ikb/api/src/graphql/actor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createActors, type Actor, type Role } from './support/auth-factories';
import { ok, startTestApp, type GqlResult, type TestApp } from './support/test-app';
import { uniqSlug } from './support/uniq';

/**
 * The synonym and abbreviation list of the catalog search (issue 21, point 2): the built-in
 * groups seeded by the migration, admins adding, editing, deleting and restoring groups over
 * GraphQL, everyone else reading only, each term checked with its index named, hostile input
 * refused as bad input, every change audited, and the list the search loads (cached for 5 s per
 * process) following each change made in this process at once.
 */

let t: TestApp;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await startTestApp();
  actors = await createActors(t);
});
afterAll(async () => {
  await t?.close();
});

interface Group {
  id: string;
  terms: string[];
  note: string | null;
  builtIn: boolean;
  modified: boolean;
  createdBy: { email: string } | null;
}
const FIELDS = `id terms note builtIn modified createdBy { email }`;
const LIST = `{ searchSynonyms { ${FIELDS} } }`;
const CREATE = `mutation($input: CreateSearchSynonymGroupInput!) { createSearchSynonymGroup(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateSearchSynonymGroupInput!) {
  updateSearchSynonymGroup(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteSearchSynonymGroup(id: $id) { ${FIELDS} } }`;
const RESTORE = `mutation { restoreDefaultSearchSynonyms { ${FIELDS} } }`;

const list = async (headers?: Record<string, string>) => ok(await t.gql<{ searchSynonyms: Group[] }>(LIST, {}, headers)).searchSynonyms;
const create = (terms: unknown, note?: string | null, headers?: Record<string, string>) =>
  t.gql<{ createSearchSynonymGroup: Group }>(CREATE, { input: { terms, note } }, headers);
const created = async (terms: string[], note?: string) => ok(await create(terms, note)).createSearchSynonymGroup;
const update = (id: string, input: Record<string, unknown>, headers?: Record<string, string>) =>
  t.gql<{ updateSearchSynonymGroup: Group }>(UPDATE, { id, input }, headers);
const remove = (id: string, headers?: Record<string, string>) => t.gql<{ deleteSearchSynonymGroup: Group }>(DELETE, { id }, headers);
const restore = (headers?: Record<string, string>) => t.gql<{ restoreDefaultSearchSynonyms: Group[] }>(RESTORE, {}, headers);

const problem = (r: GqlResult) => ({ code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field });
const count = async () => Number((await t.sql<{ n: string }>(`select count(*) as n from search_synonyms`))[0]!.n);
/** A term no other test uses (letters and digits only). */
const word = (prefix: string) => uniqSlug(prefix).toLowerCase();
const byTerm = <G extends { terms: readonly string[] }>(groups: readonly G[], term: string): G | undefined =>
  groups.find((g) => g.terms.includes(term));

describe('the built-in list', () => {
  it('is there on a new database, readable by every role, each group marked built-in and unmodified', async () => {
    const groups = await list();
    expect(groups).toHaveLength(DEFAULT_SYNONYM_GROUPS.length);
    expect(groups.every((g) => g.builtIn && !g.modified && g.createdBy === null)).toBe(true);
    expect(byTerm(groups, 'k8s')!.terms).toEqual(['k8s', 'kubernetes', 'kube']);
    expect(byTerm(groups, 'oom')!.note).toMatch(/exit code 137/i);
    // Sorted by first term, for reading.
    const firsts = groups.map((g) => g.terms[0]!);
    expect(firsts).toEqual([...firsts].sort());
    for (const role of ['PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as const)
      expect(await list(bearer(actors[role]))).toHaveLength(groups.length);
    const anonymous = await t.gql(LIST, {}, { authorization: '' });
    expect(problem(anonymous).code).toBe('UNAUTHENTICATED');
  });

  it('reads the examples of the issue through the loader the search uses', async () => {
    const groups = await loadSynonymGroups(t.app.orm.em.fork());
    const read = (q: string) => matchSynonyms(synonymWords(q), groups).map((m) => [m.text, [...m.alternatives].sort()]);
    expect(read('db down after cert expiry')).toEqual([
      ['db', ['database']],
      ['cert', ['certificate', 'x509']],
    ]);
    expect(read('out of memory killed on k8s')).toEqual([
      ['out of memory', ['exit code 137', 'oom', 'oom killed', 'oom killer', 'oomkilled']],
      ['k8s', ['kube', 'kubernetes']],
    ]);
    expect(read('5xx from the lb')[0]).toEqual(['5xx', ['http 500', 'http 5xx', 'server error']]);
  });
});

describe('admins keep the list', () => {
  it('add a group: terms normalised, note trimmed, who added it kept', async () => {
    const a = word('pgbouncer');
    const g = await created([`  ${a.toUpperCase()} `, 'Connection   Pooler'], '  Pooling in front of PostgreSQL ');
    expect(g).toMatchObject({ terms: [a, 'connection pooler'], note: 'Pooling in front of PostgreSQL', builtIn: false, modified: false });
    expect(g.createdBy).toEqual({ email: 'test-admin@example.test' });
    expect(byTerm(await list(), a)?.id).toBe(g.id);
    const [row] = await t.sql<{ terms: string[]; builtin_key: string | null; version: number }>(
      `select terms, builtin_key, version from search_synonyms where id = $1`,
      [g.id],
    );
    expect(row).toEqual({ terms: [a, 'connection pooler'], builtin_key: null, version: 1 });
  });

  it('edit the terms or the note of any group, a built-in one then shown as modified', async () => {
    const a = word('zk');
    const g = await created([a, 'zookeeper']);
    const renamed = ok(await update(g.id, { terms: [a, 'zookeeper', 'Apache ZooKeeper'] })).updateSearchSynonymGroup;
    expect(renamed).toMatchObject({ terms: [a, 'zookeeper', 'apache zookeeper'], note: null });
    const noted = ok(await update(g.id, { note: 'coordination' })).updateSearchSynonymGroup;
    expect(noted).toMatchObject({ terms: [a, 'zookeeper', 'apache zookeeper'], note: 'coordination' });
    expect(ok(await update(g.id, { note: null })).updateSearchSynonymGroup.note).toBeNull();
    expect(ok(await update(g.id, { note: '   ' })).updateSearchSynonymGroup.note).toBeNull();

    const db = byTerm(await list(), 'db')!;
    const edited = ok(await update(db.id, { terms: ['db', 'database', 'datastore'] })).updateSearchSynonymGroup;
    expect(edited).toMatchObject({ builtIn: true, modified: true, terms: ['db', 'database', 'datastore'] });
    ok(await update(db.id, { terms: ['db', 'database'] }));
    expect(byTerm(await list(), 'db')).toMatchObject({ modified: false });
  });

  it('delete a group, getting it back as it was; an unknown or malformed id is named', async () => {
    const g = await created([word('gone'), 'vanished']);
    const deleted = ok(await remove(g.id)).deleteSearchSynonymGroup;
    expect(deleted).toMatchObject({ id: g.id, terms: g.terms });
    expect(await t.sql(`select 1 from search_synonyms where id = $1`, [g.id])).toEqual([]);
    expect(problem(await remove(g.id))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(problem(await update(g.id, { note: 'x' }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
    expect(problem(await remove('not-an-id'))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(problem(await remove("1' or '1'='1"))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('refuse a second group with the same terms, in any order, as a conflict', async () => {
    const a = word('dup');
    const g = await created([a, 'duplicate']);
    const again = await create(['Duplicate', a]);
    expect(problem(again)).toEqual({ code: 'CONFLICT', field: 'input.terms' });
    expect(again.errors![0]!.message).toContain(`${a}, duplicate`);
    // A subset or a superset is another group (a term may sit in several).
    ok(await create([a, 'duplicate', 'copy']));
    const other = await created([word('other'), 'thing']);
    expect(problem(await update(other.id, { terms: ['duplicate', a] }))).toEqual({ code: 'CONFLICT', field: 'input.terms' });
    // Saving a group with its own terms is no conflict.
    ok(await update(g.id, { terms: ['duplicate', a] }));
  });

  it('restore the defaults: deleted built-in groups come back, edits are undone, their own groups stay', async () => {
    const before = await list();
    const k8s = byTerm(before, 'k8s')!;
    const tls = byTerm(before, 'tls')!;
    ok(await remove(k8s.id));
    ok(await update(tls.id, { terms: ['tls', 'ssl', 'https'], note: 'mine' }));
    const own = await created([word('mine'), 'my own']);
    // A group an earlier release shipped that this one does not: kept as the admins' own.
    await t.sql(`insert into search_synonyms (builtin_key, terms) values ('retired-in-this-release', '{old,older}')`);

    const restored = ok(await restore()).restoreDefaultSearchSynonyms;
    expect(restored.filter((g) => g.builtIn)).toHaveLength(DEFAULT_SYNONYM_GROUPS.length);
    expect(restored.filter((g) => g.modified)).toEqual([]);
    expect(byTerm(restored, 'k8s')).toMatchObject({ terms: ['k8s', 'kubernetes', 'kube'], builtIn: true });
    expect(byTerm(restored, 'k8s')!.id).not.toBe(k8s.id);
    expect(byTerm(restored, 'tls')).toMatchObject({ id: tls.id, terms: ['tls', 'ssl'], note: null, modified: false });
    expect(byTerm(restored, own.terms[0]!)).toMatchObject({ id: own.id, builtIn: false });
    expect(byTerm(restored, 'older')).toMatchObject({ builtIn: false });
    expect(restored).toEqual(await list());
    // A deleted built-in group an admin has added again as their own is not added twice.
    const vm = byTerm(restored, 'vm')!;
    ok(await remove(vm.id));
    const mine = await created(['virtual machine', 'vm']);
    const again = ok(await restore()).restoreDefaultSearchSynonyms;
    expect(again.filter((g) => g.terms.includes('vm')).map((g) => g.id)).toEqual([mine.id]);
    ok(await remove(mine.id));
    expect(byTerm(ok(await restore()).restoreDefaultSearchSynonyms, 'vm')).toMatchObject({ builtIn: true, terms: vm.terms });
    // Restoring again changes nothing: the unchanged built-in rows are not even rewritten.
    const versions = await t.sql<{ v: string }>(`select sum(version) as v from search_synonyms`);
    ok(await restore());
    expect(await t.sql(`select sum(version) as v from search_synonyms`)).toEqual(versions);
  });
});

describe('who may change it', () => {
  it('refuses every change to problem managers, engineers and viewers, and to anonymous callers, writing nothing', async () => {
    const g = byTerm(await list(), 'vm')!;
    const before = await t.sql(`select * from search_synonyms order by id`);
    const audit = await t.sql<{ n: string }>(`select count(*) as n from audit_log`);
    for (const role of ['PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as const) {
      const h = bearer(actors[role]);
      for (const r of [await create(['a', 'b'], null, h), await update(g.id, { note: 'x' }, h), await remove(g.id, h), await restore(h)]) {
        expect(problem(r).code, `${role}: ${JSON.stringify(r.errors)}`).toBe('FORBIDDEN');
        expect(r.data ?? null).toBeNull();
      }
    }
    expect(problem(await create(['a', 'b'], null, { authorization: '' })).code).toBe('UNAUTHENTICATED');
    expect(await t.sql(`select * from search_synonyms order by id`)).toEqual(before);
    expect(await t.sql(`select count(*) as n from audit_log`)).toEqual(audit);
  });

  it('audits every change: who, the operation, the row before and after', async () => {
    const [{ last }] = await t.sql<{ last: string }>(`select coalesce(max(id), 0) as last from audit_log`);
    const a = word('audited');
    const g = await created([a, 'logged']);
    ok(await update(g.id, { terms: [a, 'logged', 'recorded'] }));
    ok(await remove(g.id));
    ok(await restore());
    const rows = await t.sql<{
      operation: string;
      target_type: string | null;
      target_id: string | null;
      actor_name: string;
      before: { terms: string[] } | null;
      after: { terms: string[] } | null;
    }>(
      `select operation, target_type, target_id, actor_name, before, after from audit_log
        where id > $1 and operation like '%SearchSynonym%' order by id`,
      [last],
    );
    expect(rows.map((r) => [r.operation, r.target_type, r.target_id === g.id])).toEqual([
      ['createSearchSynonymGroup', 'search_synonyms', true],
      ['updateSearchSynonymGroup', 'search_synonyms', true],
      ['deleteSearchSynonymGroup', 'search_synonyms', true],
      ['restoreDefaultSearchSynonyms', 'search_synonyms', false],
    ]);
    expect(rows[0]).toMatchObject({ actor_name: 'Test Admin', before: null, after: { terms: [a, 'logged'] } });
    expect(rows[1]).toMatchObject({ before: { terms: [a, 'logged'] }, after: { terms: [a, 'logged', 'recorded'] } });
    expect(rows[2]).toMatchObject({ before: { terms: [a, 'logged', 'recorded'] }, after: null });
  });
});

describe('what it refuses', () => {
  const long = 'x'.repeat(10_000);
  it.each<[string, unknown, string, RegExp]>([
    ['one term', ['lonely'], 'terms', /at least 2/],
    ['no terms', [], 'terms', /at least 2/],
    ['eleven terms', Array.from({ length: 11 }, (_, i) => `t${i}`), 'terms', /at most 10 entries/],
    ['ten thousand terms', Array.from({ length: 10_000 }, (_, i) => `t${i}`), 'terms', /at most 10 entries/],
    ['a blank term', ['db', '   '], 'input.terms.1', /needs a letter or a digit/],
    ['punctuation only', ['---', 'db'], 'input.terms.0', /needs a letter or a digit/],
    ['41 characters', ['db', 'a'.repeat(41)], 'input.terms.1', /at most 40 characters \(got 41\)/],
    ['a 10,000-character term', ['db', 'dbx', long], 'input.terms.2', /at most 40 characters \(got 10000\)/],
    ['five words', ['db', 'one two three four five'], 'input.terms.1', /5 words; a term has at most 4/],
    ['the same term twice', ['db', 'database', 'DB '], 'input.terms.2', /the same as term 0/],
    ['a quote', ['db', 'data"base'], 'input.terms.1', /may hold only letters, digits/],
    ['SQL', ['db', "'); drop table search_synonyms; --"], 'input.terms.1', /may hold only/],
    ['tsquery syntax', ['db', 'data & !base:*'], 'input.terms.1', /may hold only/],
    ['a leading minus', ['db', '-database'], 'input.terms.1', /starting with a letter or a digit/],
    ['an emoji', ['db', 'db 🔥'], 'input.terms.1', /may hold only/],
    ['NUL', ['db', 'data\u0000base'], 'input.terms.1', /control character, U\+0000/],
    ['ESC', ['\u001b[31mdb', 'database'], 'input.terms.0', /control character, U\+001B/],
    ['a line break', ['db', 'data\nbase'], 'input.terms.1', /line break/],
    ['a bidi override', ['db', 'data\u202ebase'], 'input.terms.1', /bidirectional/],
    ['a zero-width space', ['db', 'data\u200bbase'], 'input.terms.1', /invisible/],
    ['a lone surrogate', ['db', 'x\ud800'], 'input.terms.1', /unpaired surrogate/],
  ])('%s, naming the field', async (_name, terms, field, message) => {
    const n = await count();
    const r = await create(terms);
    expect(r.status).toBe(200);
    expect(problem(r), JSON.stringify(r.errors)).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(r.errors![0]!.message).toMatch(message);
    expect(await count()).toBe(n);
  });

  it('names the refused term of an edit too, and refuses clearing the terms', async () => {
    const g = byTerm(await list(), 'cpu')!;
    const r = await update(g.id, { terms: ['cpu', 'processor', 'a b c d e'] });
    expect(problem(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.terms.2' });
    expect(r.errors![0]!.extensions).toMatchObject({ index: 2 });
    expect(problem(await update(g.id, { terms: null }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(problem(await update(g.id, { terms: ['cpu'] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'terms' });
    expect(problem(await update(g.id, { note: 'n'.repeat(501) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'note' });
    expect(problem(await update(g.id, { note: 'line\nbreak' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.note' });
    expect(byTerm(await list(), 'cpu')).toEqual(g);
  });

  it('refuses terms of the wrong type before anything runs', async () => {
    const n = await count();
    for (const terms of [[1, 2], 'db,database', [{ a: 1 }, 'db'], [null, 'db'], null]) {
      const r = await create(terms);
      expect(problem(r).code, JSON.stringify(r.errors)).toBe('BAD_USER_INPUT');
    }
    expect(await count()).toBe(n);
  });

  it('keeps SQL-looking words, other scripts and accents as plain data', async () => {
    const a = word('drop');
    const g = await created([`${a} table users`, 'select from where', "o'brien"]);
    expect(g.terms).toEqual([`${a} table users`, 'select from where', "o'brien"]);
    expect(Number((await t.sql<{ n: string }>(`select count(*) as n from users`))[0]!.n)).toBeGreaterThan(0);
    const cyr = await created(['База Данных', 'СУБД', 'ｄａｔｅｎｂａｎｋ']);
    expect(cyr.terms).toEqual(['база данных', 'субд', 'datenbank']);
    const cjk = await created(['数据库', 'データベース']);
    expect(cjk.terms).toEqual(['数据库', 'データベース']);
    const accents = await created(['Café', 'cafe\u0301 crème']);
    expect(accents.terms).toEqual(['café', 'café crème']);
    const groups = await loadSynonymGroups(t.app.orm.em.fork());
    expect(matchSynonyms(synonymWords('СУБД упала'), groups)[0]?.alternatives).toEqual(['база данных', 'datenbank']);
  });

  it('holds at most 500 groups, and tells the admin what to do', async () => {
    const n = await count();
    await t.sql(`insert into search_synonyms (terms) select array['filler' || i, 'padding' || i] from generate_series(1, $1::int) i`, [
      SYNONYM_LIMITS.maxGroups - n,
    ]);
    const r = await create([word('onemore'), 'too many']);
    expect(problem(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.terms' });
    expect(r.errors![0]!.message).toMatch(/already has 500 groups.*edit or delete one first/);
    // The search still loads every group (read afresh: rows written by SQL), and a long query still expands a bounded number of words.
    const em = t.app.orm.em.fork();
    const groups = await loadSynonymGroups(<T>(text: string, params: unknown[]) => em.execute(text, params) as Promise<T>, { scope: {} });
    expect(groups.length).toBe(SYNONYM_LIMITS.maxGroups);
    const words = Array.from({ length: 200 }, (_, i) => `filler${i + 1}`);
    expect(matchSynonyms(words, groups)).toHaveLength(SYNONYM_LIMITS.matchesPerQuery);
    await t.sql(`delete from search_synonyms where terms[1] like 'filler%'`);
    ok(await create([word('roomagain'), 'fits']));
  });
});

describe('the list the search loads', () => {
  const fresh = () => t.app.orm.em.fork();
  const has = (groups: readonly SynonymGroup[], term: string) => groups.some((g) => g.terms.includes(term));

  it('follows a change made through this process at once', async () => {
    const a = word('now');
    await loadSynonymGroups(fresh());
    const g = await created([a, 'immediately']);
    expect(has(await loadSynonymGroups(fresh()), a)).toBe(true);
    ok(await update(g.id, { terms: [a, 'at once'] }));
    expect(byTerm(await loadSynonymGroups(fresh()), a)!.terms).toEqual([a, 'at once']);
    ok(await remove(g.id));
    expect(has(await loadSynonymGroups(fresh()), a)).toBe(false);
  });

  // Embedded PostgreSQL (PGlite) is one session: a read on another connection waits for the open transaction.
  it.runIf(process.env.DATABASE_URL)('does not keep a list read while a change was being written', async () => {
    const a = word('racing');
    const em = fresh();
    await em.transactional(async (tem) => {
      await new SearchSynonymService(tem, SYSTEM_ACTOR).create({ terms: [a, 'in flight'] });
      // A search in this process meanwhile reads the list as committed so far.
      expect(has(await loadSynonymGroups(fresh()), a)).toBe(false);
    });
    expect(has(await loadSynonymGroups(fresh()), a)).toBe(true);
  });

  it('shows a change made elsewhere (another instance, SQL) within 5 s, not before', async () => {
    const a = word('elsewhere');
    const first = await loadSynonymGroups(fresh());
    const t0 = performance.now();
    await t.sql(`insert into search_synonyms (terms) values (array[$1, 'other instance'])`, [a]);
    const cached = await loadSynonymGroups(fresh());
    if (performance.now() - t0 < SYNONYM_CACHE_MS - 500) {
      expect(cached).toBe(first);
      expect(has(cached, a)).toBe(false);
    }
    await new Promise((r) => setTimeout(r, SYNONYM_CACHE_MS + 100));
    const later = await loadSynonymGroups(fresh());
    expect(has(later, a)).toBe(true);
    // Unchanged on the next reload: the same array, so the search keeps its compiled index.
    invalidateSynonymCache();
    expect(await loadSynonymGroups(fresh())).toBe(later);
  }, 20_000);

  it('gives the search only usable terms, whatever a row holds', async () => {
    const a = word('rowdy');
    await t.sql(`insert into search_synonyms (terms) values (array[$1, '"; drop table x', $2, 'Mixed   Case', ' '])`, [a, 'y'.repeat(100)]);
    await t.sql(`insert into search_synonyms (terms) values (array[$1, '--'])`, [`${a}alone`]);
    invalidateSynonymCache();
    const groups = await loadSynonymGroups(fresh());
    expect(byTerm(groups, a)!.terms).toEqual([a, 'mixed case']);
    expect(byTerm(groups, `${a}alone`)).toBeUndefined();
    expect(Object.isFrozen(groups) && Object.isFrozen(groups[0])).toBe(true);
  });

  it('loads through a plain statement runner too (the search has no EntityManager)', async () => {
    const em = fresh();
    const statements: string[] = [];
    const run: SynonymSql = <T>(text: string, params: unknown[]) => {
      statements.push(text);
      return em.execute(text, params) as Promise<T>;
    };
    const scope = {};
    const groups = await loadSynonymGroups(run, { scope });
    expect(groups.length).toBeGreaterThan(DEFAULT_SYNONYM_GROUPS.length - 5);
    expect(await loadSynonymGroups(run, { scope })).toBe(groups);
    expect(statements).toHaveLength(1);
    // Concurrent first loads share one statement.
    const other = {};
    const all = await Promise.all(Array.from({ length: 20 }, () => loadSynonymGroups(run, { scope: other })));
    expect(new Set(all).size).toBe(1);
    expect(statements).toHaveLength(2);
  });
});
