import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { timeCursor } from '../../graphql/cursors';
import { PageInfo } from '../incidents/incident.types';
import { MAX_STORED_REJECTS, type ImportOutcome } from './import-run';
import {
  ImportOutcomeEnum,
  ImportReject,
  ImportRun,
  ImportRunConnection,
  ImportRunEdge,
  type ImportRunPage,
  type ImportShape,
} from './import-run.types';

/**
 * The import history for the web app's admin pages (admins only: importRuns and importRun are in
 * ADMIN_QUERIES). A page of runs is one statement (two with totalCount, three when it asks for
 * the runs' rejects too), whatever its size. The totalCounts of a request are one statement
 * together: Admin → Imports asks for the count of every outcome beside its page.
 */

const COLUMNS = `id, outcome, refusal_reason, message, source, file_name, file_sha256, shape, rows, incidents_created, incidents_updated,
  incidents_unchanged, problems_created, rows_rejected, jsonb_array_length(rejects) as rejects_stored, details, options, actor_name, ran_by,
  started_at, finished_at, duration_ms`;

export const importRunCursor = (r: ImportRun) => Buffer.from(`${r.startedAt.toISOString()}|${r.id}`).toString('base64url');

type Row = Record<string, unknown>;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const int = (v: unknown): number | null => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function asRun(r: Row): ImportRun {
  const options = json<Record<string, unknown>>(r.options) ?? {};
  const details = json<Record<string, unknown>>(r.details) ?? {};
  const run: ImportRun = {
    id: r.id as string,
    outcome: r.outcome as ImportOutcome,
    refusalReason: str(r.refusal_reason),
    message: str(r.message),
    startedAt: new Date(r.started_at as string),
    finishedAt: new Date(r.finished_at as string),
    durationMs: Number(r.duration_ms),
    fileName: r.file_name as string,
    fileSha256: str(r.file_sha256),
    source: r.source as string,
    kind: str(options.kind) ?? 'unknown',
    shape: (str(r.shape) as ImportShape | null) ?? null,
    rows: int(r.rows),
    incidentsInFile: int(details.incidents),
    incidentsCreated: Number(r.incidents_created),
    incidentsUpdated: Number(r.incidents_updated),
    incidentsUnchanged: Number(r.incidents_unchanged),
    problemsCreated: Number(r.problems_created),
    rowsRejected: Number(r.rows_rejected),
    incidentsRejected: int(details.rejectedIncidents),
    rejectsStored: Number(r.rejects_stored ?? 0),
    eventsCreated: int(details.events),
    teamsCreated: int(details.teamsCreated),
    peopleCreated: int(details.usersCreated),
    servicesCreated: int(details.servicesCreated),
    categoriesCreated: int(details.categoriesCreated),
    dateEvidence: str(details.dateEvidence),
    actorName: r.actor_name as string,
    ranBy: str(r.ran_by),
    options: {
      kind: str(options.kind) ?? 'unknown',
      mapping: str(options.mapping) ?? '',
      dateFormat: str(options.dateFormat),
      dateOrder: str(options.dateOrder),
      timeZone: str(options.timeZone),
      language: str(options.language),
      skipInvalid: options.skipInvalid === true,
      dryRun: options.dryRun === true || r.outcome === 'DRY_RUN',
      rejectsFile: str(options.rejectsFile),
    },
  };
  if (r.rejects !== undefined) run.storedRejects = json<ImportReject[]>(r.rejects) ?? [];
  return run;
}

/** The rejects of the runs of one request, in one statement however many runs ask. */
const rejectLoaders = new WeakMap<object, DataLoader<string, ImportReject[]>>();
function rejectsOf(ctx: Context): DataLoader<string, ImportReject[]> {
  let loader = rejectLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.sql<Row[]>(`select id, rejects from import_runs where id in (${ids.map(() => '?').join(', ')})`, [...ids]);
      const byId = new Map(rows.map((r) => [r.id as string, json<ImportReject[]>(r.rejects) ?? []]));
      return ids.map((id) => byId.get(id) ?? []);
    });
    rejectLoaders.set(ctx, loader);
  }
  return loader;
}

/**
 * The totalCounts of one request, in one grouped statement however many filters ask: a key is a
 * filter's outcomes, sorted and joined ('' for all runs), and its count is the sum of theirs.
 */
const countLoaders = new WeakMap<object, DataLoader<string, number>>();
function countsOf(ctx: Context): DataLoader<string, number> {
  let loader = countLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (keys) => {
      const outcomes = keys.includes('') ? [] : [...new Set(keys.flatMap((k) => k.split(',')))];
      const where = outcomes.length ? `where outcome in (${outcomes.map(() => '?').join(', ')})` : '';
      const rows = await ctx.sql<{ outcome: string; n: string }[]>(
        `select outcome, count(*) as n from import_runs ${where} group by outcome`,
        outcomes,
      );
      const byOutcome = new Map(rows.map((r) => [r.outcome, Number(r.n)]));
      const sum = (of: Iterable<string>) => [...of].reduce((n, o) => n + (byOutcome.get(o) ?? 0), 0);
      return keys.map((k) => (k === '' ? sum(byOutcome.keys()) : sum(k.split(','))));
    });
    countLoaders.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => ImportRun)
export class ImportRunResolver {
  @Query(() => ImportRunConnection, {
    description: 'The import history, newest first: every run of `pnpm cli import`, refused and dry runs included (admins).',
  })
  importRuns(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('outcome', () => [ImportOutcomeEnum], { nullable: true, description: 'Only runs with one of these outcomes.' })
    outcome?: ImportOutcome[],
  ): ImportRunConnection {
    if (!Number.isInteger(first) || first < 0 || first > 100) throw badInput('first', 'must be between 0 and 100');
    if (outcome && outcome.length > 4) throw badInput('outcome', 'lists at most 4 outcomes');
    const where: string[] = [];
    const params: unknown[] = [];
    if (outcome?.length) {
      where.push(`outcome in (${outcome.map(() => '?').join(', ')})`);
      params.push(...outcome);
    }
    if (after) {
      const c = timeCursor(after);
      where.push('(started_at, id) < (?, ?)');
      params.push(c.at, c.id);
    }
    const clause = where.length ? `where ${where.join(' and ')}` : '';
    const read = async (): Promise<ImportRunPage> => {
      const rows = await ctx.sql<Row[]>(
        `select ${COLUMNS} from import_runs ${clause} order by started_at desc, id desc limit ${first + 1}`,
        params,
      );
      const nodes = rows.slice(0, first).map(asRun);
      const edges = nodes.map((node) => ({ node, cursor: importRunCursor(node) }));
      return { edges, nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
    };
    // Read when a field of the page asks, once: the outcome filter's counts (first: 0) read no runs.
    let paged: Promise<ImportRunPage> | undefined;
    const key = [...new Set(outcome ?? [])].sort().join(',');
    return { page: () => (paged ??= read()), count: () => countsOf(ctx).load(key) };
  }

  @Query(() => ImportRun, { nullable: true, description: 'One run of the import history with its rejected rows (admins).' })
  async importRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ImportRun | null> {
    assertUuid('id', id);
    const rows = await ctx.sql<Row[]>(`select ${COLUMNS}, rejects from import_runs where id = ?`, [id]);
    return rows[0] ? asRun(rows[0]) : null;
  }

  @FieldResolver(() => [ImportReject], {
    description:
      `Rejected rows with their reasons, by row number: the first ${MAX_STORED_REJECTS.toLocaleString('en-US')} are kept ` +
      '(rowsRejected has the total).',
  })
  async rejects(
    @Root() run: ImportRun,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: MAX_STORED_REJECTS }) first: number,
    @Arg('afterRow', () => Int, { nullable: true, description: 'Only rows after this row number (paging).' }) afterRow?: number,
  ): Promise<ImportReject[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_STORED_REJECTS)
      throw badInput('first', `must be between 0 and ${MAX_STORED_REJECTS}`);
    const all = run.storedRejects ?? (await rejectsOf(ctx).load(run.id));
    const from = afterRow == null ? all : all.filter((r) => r.row > afterRow);
    return from.slice(0, first);
  }
}

@Resolver(() => ImportRunConnection)
export class ImportRunConnectionResolver {
  @FieldResolver(() => [ImportRunEdge])
  async edges(@Root() c: ImportRunConnection) {
    return (await c.page()).edges;
  }

  @FieldResolver(() => [ImportRun])
  async nodes(@Root() c: ImportRunConnection) {
    return (await c.page()).nodes;
  }

  @FieldResolver(() => PageInfo)
  async pageInfo(@Root() c: ImportRunConnection) {
    return (await c.page()).pageInfo;
  }

  @FieldResolver(() => Int)
  totalCount(@Root() c: ImportRunConnection) {
    return c.count();
  }
}
