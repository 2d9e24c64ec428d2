// The demo's search log (decision 0011): ten weeks of catalog searches and the hits people opened,
// so that search analytics shows top queries, content gaps, MRR over time and the searches that
// preceded the new known error. Hit counts and opened hits are what the catalog search answers for
// each query over the seeded catalog (run once per query); the rows go through the recorder's own
// writes (writeSearches, writeOpens), which keep the daily rollup.
import { randomUUID } from 'node:crypto';
import { normalizeSearchQuery } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../features/directory/user.entity';
import { loadSynonymGroups } from '../features/search-synonyms/search-synonym.cache';
import { searchCatalog, synonymMatcher, type RunSql } from '../features/search/search.service';
import { FLUSH_ROWS, writeOpens, writeSearches, type OpenRecord, type SearchRecord } from '../features/search-log/search-log.recorder';
import { BACKGROUND_QUERIES, NEW_KNOWN_ERROR, PRECURSOR_QUERIES, STORY_QUERIES } from './demo-learning-data';
import type { Random } from './random';

const MIN = 60_000;
const DAY = 1440 * MIN;
/** How far back the log reaches. */
const WINDOW_DAYS = 70;
/** Background searches (outside incidents) a day, on average. */
const BACKGROUND_PER_DAY = 3;

export interface DemoSearchLog {
  searches: SearchRecord[];
  opens: Omit<OpenRecord, 'tries'>[];
}

interface Answer {
  hits: number;
  page: { kind: string; id: string }[];
}

/** Position of the hit opened: mostly the first, sometimes further down. */
function position(rnd: Random, shown: number): number {
  const r = rnd.next();
  const p = r < 0.6 ? 1 : r < 0.82 ? 2 : r < 0.93 ? 3 : rnd.int(4, 6);
  return Math.min(p, shown);
}

/** Built inside the seed's transaction (the catalog is searched there); written after it commits. */
export async function demoSearchLog(em: EntityManager, rnd: Random, users: User[], until: Date): Promise<DemoSearchLog> {
  const sql: RunSql = (text, params) => em.execute(text, params) as never;
  const synonyms = synonymMatcher(await loadSynonymGroups(em));
  const answers = new Map<string, Answer>();
  const answer = async (query: string): Promise<Answer> => {
    let a = answers.get(query);
    if (!a) {
      const found = await searchCatalog(sql, { query }, 10, null, synonyms);
      a = { hits: found.totalCount, page: found.nodes.map((n) => ({ kind: n.kind, id: n.id })) };
      answers.set(query, a);
    }
    return a;
  };
  const log: DemoSearchLog = { searches: [], opens: [] };
  const searchers = users.filter((u) => u.role !== 'VIEWER');
  const search = async (o: { query: string; at: number; user: User; incidentId?: string; open: number; wanted?: string | null }) => {
    const a = await answer(o.query);
    const id = randomUUID();
    log.searches.push({
      id,
      at: new Date(o.at),
      query: normalizeSearchQuery(o.query),
      filters: {},
      hits: a.hits,
      role: o.user.role,
      userId: o.user.id,
      incidentId: o.incidentId ?? null,
    });
    if (!a.page.length || !rnd.chance(o.open)) return;
    // The record that later resolved the incident, when it is on the page; else wherever the eye fell.
    const wantedAt = o.wanted ? a.page.findIndex((h) => h.id === o.wanted) : -1;
    const first = wantedAt >= 0 ? wantedAt + 1 : position(rnd, a.page.length);
    const opened = [first, ...(rnd.chance(0.15) && a.page.length > first ? [first + 1] : [])];
    let t = o.at;
    for (const p of opened) {
      t += rnd.int(4, 90) * 1000;
      log.opens.push({ searchId: id, kind: a.page[p - 1]!.kind, itemId: a.page[p - 1]!.id, position: p, at: new Date(t) });
    }
  };

  const end = until.getTime() - MIN;
  const from = until.getTime() - WINDOW_DAYS * DAY;
  // Engineers search for what is in front of them once they have acknowledged it.
  const incidents = await em.execute<
    { id: string; title: string; acknowledged_at: Date | string; assignee_id: string | null; wa: string | null }[]
  >(
    `select id, title, acknowledged_at, assignee_id, resolution_workaround_id as wa from incidents
      where acknowledged_at >= ? order by acknowledged_at, id`,
    [new Date(from)],
  );
  for (const i of incidents) {
    const story = STORY_QUERIES[i.title];
    const user = users.find((u) => u.id === i.assignee_id);
    if (!story || !user || !rnd.chance(0.8)) continue;
    let at = new Date(i.acknowledged_at).getTime() + rnd.minutes(6) * MIN;
    const tries = rnd.chance(0.25) ? 2 : 1;
    for (let n = 0; n < tries && at < end; n++) {
      const query = n === 0 || story.queries.length === 1 ? story.queries[0]! : rnd.pick(story.queries.slice(1));
      await search({ query, at, user, incidentId: i.id, open: story.open, wanted: i.wa });
      at += rnd.minutes(10) * MIN;
    }
  }
  // Outside incidents: vague words, things the catalog has nothing on, and the favourites.
  for (let d = 0; d < WINDOW_DAYS * BACKGROUND_PER_DAY; d++) {
    const q = rnd.weighted(BACKGROUND_QUERIES);
    await search({ query: q.query, at: from + rnd.next() * (end - from), user: rnd.pick(searchers), open: q.open });
  }
  // The weeks before the new known error: its symptom searched for, nothing useful found.
  const knownAt = until.getTime() - NEW_KNOWN_ERROR.knownErrorDaysAgo * DAY;
  for (let n = 0; n < 9; n++) {
    const at = knownAt - rnd.int(1, 29) * DAY - rnd.int(0, 600) * MIN;
    await search({ query: rnd.pick(PRECURSOR_QUERIES), at, user: rnd.pick(searchers), open: 0 });
  }
  log.searches.sort((a, b) => a.at.getTime() - b.at.getTime());
  log.opens.sort((a, b) => a.at.getTime() - b.at.getTime());
  return log;
}

/** Writes the log as the recorder flushes its buffer (after the seed's transaction: the recorder uses its own connection). */
export async function writeDemoSearchLog(em: EntityManager, log: DemoSearchLog): Promise<void> {
  for (let i = 0; i < log.searches.length; i += FLUSH_ROWS) await writeSearches(em, log.searches.slice(i, i + FLUSH_ROWS));
  for (let i = 0; i < log.opens.length; i += FLUSH_ROWS) await writeOpens(em, log.opens.slice(i, i + FLUSH_ROWS));
}
