import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { foldNow } from '../../analytics/analytics.fold-now';
import type { IncidentEventKind } from '../../incidents/incident.enums';
import { formatProblemNumber } from '../../problems/problem.entity';
import type { Assembly } from '../file/assemble';
import { bulkInsert, copyRows, CopyWriter, IN_TEXT, IN_UUID, jsonList, sql, withRawClient } from '../sql-bulk';
import { BatchWriter } from './batch-writer';
import { PolicyBook, SLA_EVENT_KINDS, type SlaEventLike } from './import-sla';
import { TriggersOff, writeNewRows } from './new-rows';
import { planImport, type Plan } from './plan';
import { nextNumbers } from './rows';
import { SearchSide } from './search-side';
import { SearchWords } from './search-words';
import { EventWriter } from './timeline-events';
import { TimelineWriter } from './timelines';
import type { WriteOptions, WriteResult } from './write-result';

export type { IncidentChange, WriteOptions, WriteResult } from './write-result';

/**
 * The database half of an import: match incidents by external reference, find or create teams,
 * people, services, categories and problems by name or reference, work out what changed, and
 * write incidents, timeline events, problem links and SLA clocks set-wise in the caller's
 * transaction. Search documents are rebuilt once at the end instead of by the row triggers.
 *
 * Must run inside the caller's transaction when writing: the search and analytics triggers are
 * switched off for it, and what they would have done is done before it returns.
 */
export async function writeImport(em: EntityManager, assembly: Assembly, opts: WriteOptions): Promise<WriteResult> {
  const { mapping, now, dryRun } = opts;
  const progress = opts.onProgress ?? (() => {});
  const source = mapping.source;
  const result: WriteResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    problemsCreated: 0,
    teamsCreated: 0,
    usersCreated: 0,
    servicesCreated: 0,
    categoriesCreated: 0,
    events: 0,
    changes: [],
    incidentIds: [],
  };
  // An import writes history, not news: the notification triggers skip this transaction (decision 0006).
  if (!dryRun) await sql(em, `select pg_advisory_xact_lock(hashtext('ikb:import')), set_config('ikb.notify', 'off', true)`);
  const plan = await planImport(em, assembly, mapping, now, result, progress);
  if (!plan) {
    progress(1, 'nothing to change');
    return result;
  }
  const { creates, updates, newProblems } = plan;

  // Numbers in opening order, problems first so link summaries can name them.
  creates.sort((a, b) => a.target.openedAt.getTime() - b.target.openedAt.getTime() || (a.inc.key < b.inc.key ? -1 : 1));
  const numbers = dryRun ? creates.map(() => 0) : await nextNumbers(em, 'incident_number_seq', creates.length);
  const problemNumbers = dryRun ? newProblems.map(() => 0) : await nextNumbers(em, 'problem_number_seq', newProblems.length);
  newProblems.sort((a, b) => a.firstSnap.openedAt.getTime() - b.firstSnap.openedAt.getTime());
  newProblems.forEach((p, i) => plan.dir.names.set(p.id, `${formatProblemNumber(problemNumbers[i])}: ${p.title}`));

  const stored = dryRun ? new Map<string, SlaEventLike[]>() : await storedSlaEvents(em, plan);
  const book = dryRun
    ? null
    : await PolicyBook.load(
        em,
        updates.flatMap((u) => (u.ex!.slaPolicyVersionId ? [u.ex!.slaPolicyVersionId] : [])),
      );

  let words: SearchWords | null = null;
  let triggers: TriggersOff | null = null;
  if (!dryRun) {
    progress(0.22, 'writing teams, people, services, categories and problems');
    triggers = await TriggersOff.switchOff(em);
    // The search lexicon of the incidents' documents is collected here (see search-words.ts).
    words = await SearchWords.prepare(em);
    await words?.disableTrigger(em);
    await writeNewRows(em, plan, problemNumbers, source, now);
  }
  const problemEvents: Record<string, unknown>[] = newProblems.map((p, i) => ({
    id: randomUUID(),
    problem_id: p.id,
    at: p.firstSnap.openedAt,
    actor_name: opts.actorName.slice(0, 200),
    kind: 'CREATED',
    summary: `Opened ${formatProblemNumber(problemNumbers[i])}: ${p.title} (imported from ${source}${p.ref ? ` ${p.ref}` : ''})`,
    data: { import: { source, ref: p.ref } },
  }));

  // Rows only point at rows written before them, so foreign keys are checked as they go in
  // (immediate): that work is spread over the batches instead of piling up at commit.
  if (!dryRun) await sql(em, `set constraints all immediate`);
  const writer = dryRun ? null : await BatchWriter.open(em);
  // The search vectors of the batch's documents, computed on a second connection meanwhile (search-side.ts).
  const side = writer?.copy ? SearchSide.open(em) : null;
  if (writer) writer.side = side;
  const timelines = new TimelineWriter({
    events: new EventWriter(plan.dir, source),
    writer,
    side,
    words,
    book,
    stored,
    source,
    runId: opts.runId,
    now,
    matchById: !!mapping.matchById,
    eventLog: assembly.eventLog,
    sourceGiven: assembly.provided.has('source'),
    result,
    problemEvents,
    total: creates.length + updates.length,
    progress,
  });
  progress(0.25, 'rebuilding timelines and writing');
  for (let i = 0; i < creates.length; i++) await timelines.create(creates[i], numbers[i]);
  for (const p of updates) await timelines.update(p);
  await timelines.finish();
  if (!writer) {
    progress(1, 'dry run: nothing written');
    return result;
  }
  await writer.finish();
  await words?.finish(em);
  await finishProblems(em, problemEvents);
  await refreshLearned(em, plan);
  // The analytics: these incidents' facts and rollup cells, set-wise, before the caller commits.
  progress(0.97, 'folding into the analytics');
  const folded = await withRawClient(em, (c) =>
    foldNow(c, result.incidentIds, {
      copy: writer.copy
        ? (table, columns, fill) => {
            const w = new CopyWriter();
            fill((text) => w.line(text));
            return copyRows(em, table, columns, w.data());
          }
        : undefined,
    }),
  );
  result.analytics = { incidents: folded.incidents, cells: folded.cells, ms: folded.ms };
  // Every foreign key was checked as rows went in, so the triggers can be switched back on.
  await triggers!.switchOn();
  progress(1, 'done');
  return result;
}

/** What SLA clocks need besides the new events: the stored events of updated incidents. */
async function storedSlaEvents(em: EntityManager, plan: Plan): Promise<Map<string, SlaEventLike[]>> {
  const stored = new Map<string, SlaEventLike[]>();
  const updatedIds = plan.updates.map((u) => u.ex!.id);
  if (!updatedIds.length) return stored;
  const rows = await sql<{ incident_id: string; kind: IncidentEventKind; at: string | Date; seq: number; after: unknown }>(
    em,
    `select incident_id, kind, at, seq, after from incident_events
      where incident_id in ${IN_UUID} and kind in ${IN_TEXT}`,
    [jsonList(updatedIds), jsonList([...SLA_EVENT_KINDS])],
  );
  for (const r of rows) {
    let list = stored.get(r.incident_id);
    if (!list) stored.set(r.incident_id, (list = []));
    list.push({
      kind: r.kind,
      at: new Date(r.at),
      seq: r.seq,
      after: typeof r.after === 'string' ? JSON.parse(r.after) : (r.after as Record<string, unknown> | null),
    });
  }
  return stored;
}

/** The problems' timelines (their search documents are refreshLearned's). */
async function finishProblems(em: EntityManager, problemEvents: Record<string, unknown>[]): Promise<void> {
  await bulkInsert(
    em,
    'problem_events',
    [
      ['id', 'uuid'],
      ['problem_id', 'uuid'],
      ['at', 'timestamptz'],
      ['actor_name', 'varchar'],
      ['kind', 'varchar'],
      ['summary', 'text'],
      ['data', 'jsonb'],
    ],
    problemEvents,
  );
}

/**
 * The search documents of the new problems and of those the imported incidents link to (with what
 * they learned from them, search_learned), and of their workarounds: the row triggers are off.
 */
async function refreshLearned(em: EntityManager, plan: Plan): Promise<void> {
  const ids = new Set<string>(plan.newProblems.map((p) => p.id));
  for (const p of [...plan.creates, ...plan.updates]) for (const st of p.states) if (st.problemId) ids.add(st.problemId);
  if (!ids.size) return;
  // Set-wise: one statement each (one per problem took 4 ms, 5.7 s for 1,421 problems).
  const list = jsonList([...ids]);
  await sql(em, `select search_refresh_problems(array(select p.id from problems p where p.id in ${IN_UUID}))`, [list]);
  await sql(
    em,
    `select search_refresh_workarounds(array(select distinct pw.workaround_id from problem_workarounds pw
       where pw.problem_id in ${IN_UUID}))`,
    [list],
  );
}
