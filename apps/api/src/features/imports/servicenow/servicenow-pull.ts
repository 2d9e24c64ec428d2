import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionPool } from '../../../db/internals';
import { importFile } from '../import-file';
import type { ImportSummary } from '../import-summary';
import { JsonShapeError } from '../file/json-table';
import { FOLLOWED_FIELDS, historyRows, namesFromRecords, unknownReferences, type AuditEntry } from './servicenow-audit';
import { errorDetail, nextLink, PullError, ServiceNowHttp, type HttpOptions } from './servicenow-http';
import { tableApiRecords, tableFromRecords } from './table-api';

/**
 * `pnpm cli import servicenow --instance <url> --user <name>`: incidents pulled page by page from
 * the Table API and imported like a file.
 *
 * - Requests: GET /api/now/table/incident with sysparm_display_value=all (names and codes both),
 *   sysparm_exclude_reference_link=true, sysparm_limit=<page size>, a stable order
 *   (ORDERBYsys_updated_on^ORDERBYsys_id), then the Link rel="next" the instance answers with;
 *   X-Total-Count for the progress. Retries: servicenow-http.ts.
 * - Each page is one import (one transaction, one line in the import history): a page is written
 *   whole or not at all. After a page commits, its last (sys_updated_on, sys_id) is stored as the
 *   pull's cursor in the database (servicenow_pulls, one row per instance and query). A pull that
 *   stops (an error, Ctrl-C) leaves the pages it committed; the same command again continues from
 *   the cursor (sys_updated_on >= the cursor's; the overlap is imported again, which changes
 *   nothing). A crash between a page's commit and the cursor's update re-imports that page: same.
 * - Incremental: at the end the high-water mark (the latest sys_updated_on imported) is stored and
 *   the next run asks only for sys_updated_on >= it. Records updated while a pull runs can move
 *   between pages under offset paging; so the mark never passes the pull's start less 5 minutes
 *   (clock skew), and the next run looks again from there. --since <date> overrides the mark.
 *   Dates in an encoded query written as text are read by ServiceNow in UTC, as the mark is.
 * - History: sys_audit rows of each page's incidents (tablename=incident, documentkey IN ...), made
 *   into event-log rows (servicenow-audit.ts). A 403 there (no read right on sys_audit) means the
 *   rest of the pull goes on without history, and the summary says so.
 */

export interface PullOptions extends Omit<HttpOptions, 'base'> {
  base: URL;
  /** An encoded query ANDed with the pull's own conditions (e.g. assignment_group.name=Network). */
  query?: string;
  /** Overrides the stored high-water mark: "2024-03-01" or "2024-03-01 08:00:00" (UTC). */
  since?: string;
  pageSize?: number;
  /** Fetch sys_audit too (default true). */
  audit?: boolean;
  dryRun?: boolean;
  now?: () => Date;
  /** A line per page and per notable event, for the CLI. */
  log?: (line: string) => void;
}

export interface PullResult {
  pages: number;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  historyUpdates: number;
  mark: string | null;
  from: string | null;
  resumed: boolean;
  warnings: string[];
  requests: number;
  summaries: ImportSummary[];
}

interface PullState {
  high_water_mark: string | null;
  cursor: { updatedOn: string; sysId: string; mark: string | null; pages: number; from: string | null } | null;
}

const SN_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** --since as ServiceNow's "yyyy-MM-dd HH:mm:ss" (UTC). */
export function sinceValue(text: string): string {
  const t = text.trim();
  if (/^\d{4}-\d\d-\d\d$/.test(t)) return `${t} 00:00:00`;
  if (SN_DATE.test(t)) return t;
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d(:\d\d)?)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(t);
  if (m) {
    const d = new Date(`${m[1]}T${m[2]}${m[3] ? '' : ':00'}${m[5] ?? 'Z'}`);
    if (!Number.isNaN(d.getTime())) return snDate(d);
  }
  throw new PullError(`--since: "${text}" is not a date (2024-03-01, "2024-03-01 08:00:00" in UTC, or ISO 8601)`);
}

const snDate = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

export function pullQuery(userQuery: string, from: string | null): string {
  const parts = [userQuery.trim(), from ? `sys_updated_on>=${from}` : ''].filter(Boolean);
  return [...parts, 'ORDERBYsys_updated_on', 'ORDERBYsys_id'].join('^');
}

async function loadState(em: EntityManager, instance: string, query: string): Promise<PullState | null> {
  const [row] = await em.execute<PullState[]>(`select high_water_mark, cursor from servicenow_pulls where instance = ? and query = ?`, [
    instance,
    query,
  ]);
  if (!row) return null;
  return { high_water_mark: row.high_water_mark, cursor: typeof row.cursor === 'string' ? JSON.parse(row.cursor) : row.cursor };
}

async function saveState(em: EntityManager, instance: string, query: string, set: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(set);
  const vals = cols.map((c) => (c === 'cursor' && set[c] !== null ? JSON.stringify(set[c]) : set[c]));
  const cast = (c: string) => (c === 'cursor' ? '?::jsonb' : '?');
  await em.execute(
    `insert into servicenow_pulls (instance, query, ${cols.join(', ')}) values (?, ?, ${cols.map(cast).join(', ')})
     on conflict (instance, query) do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [instance, query, ...vals],
  );
}

export async function pullServiceNow(em: EntityManager, o: PullOptions): Promise<PullResult> {
  const instance = o.base.origin;
  const userQuery = (o.query ?? '').trim();
  // A dry run writes neither pages nor cursor: it may run beside a pull.
  const unlock = o.dryRun ? null : await lockPull(em, instance, userQuery);
  try {
    return await pullUnlocked(em, o, instance, userQuery);
  } finally {
    await unlock?.();
  }
}

/**
 * One pull per instance and query at a time: two would share one cursor and mark, each moving them
 * past pages the other has not committed. A session advisory lock on a connection held for the
 * pull; it goes with the connection, so a pull that dies (Ctrl-C, a crash) never leaves it held and
 * the same command can continue at once.
 */
async function lockPull(em: EntityManager, instance: string, query: string): Promise<(() => Promise<void>) | null> {
  const pool = connectionPool(em);
  if (!pool) return null;
  const key = `ikb:servicenow-pull:${instance}\n${query}`;
  const c = await pool.acquire();
  try {
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [key]);
    if (!rows[0]?.ok)
      throw new PullError(
        `another pull of ${instance}${query ? ` with the query "${query}"` : ''} is running: wait for it to finish (two at once ` +
          'would share one cursor). Nothing was imported by this run.',
      );
  } catch (err) {
    await pool.release(c);
    throw err;
  }
  return async () => {
    await c.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => {});
    await pool.release(c);
  };
}

async function pullUnlocked(em: EntityManager, o: PullOptions, instance: string, userQuery: string): Promise<PullResult> {
  const pageSize = o.pageSize ?? 500;
  const log = o.log ?? (() => {});
  const now = o.now ?? (() => new Date());
  const http = new ServiceNowHttp(o);
  const startedAt = now();
  const state = await loadState(em, instance, userQuery);
  const resumed = !!state?.cursor && o.since === undefined;
  // Where to start: --since, else an interrupted pull's cursor, else the high-water mark.
  const from = o.since !== undefined ? sinceValue(o.since) : (state?.cursor?.updatedOn ?? state?.high_water_mark ?? null);
  const firstFrom = resumed ? (state!.cursor!.from ?? null) : from;
  let mark: string | null = resumed ? (state!.cursor!.mark ?? null) : null;
  if (resumed)
    log(
      `Continuing the interrupted pull of ${instance} after ${state!.cursor!.updatedOn} ` +
        `(${state!.cursor!.pages} page${state!.cursor!.pages === 1 ? ' was' : 's were'} imported)`,
    );
  else log(from ? `Pulling incidents of ${instance} updated since ${from} (UTC)` : `Pulling every incident of ${instance}`);
  if (!o.dryRun) await saveState(em, instance, userQuery, { last_started_at: startedAt, last_error: null });

  const warnings: string[] = [];
  let audit = o.audit !== false;
  const result: PullResult = {
    pages: 0,
    records: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    historyUpdates: 0,
    mark: null,
    from: firstFrom,
    resumed,
    warnings,
    requests: 0,
    summaries: [],
  };
  const params = new URLSearchParams({
    sysparm_query: pullQuery(userQuery, from),
    sysparm_display_value: 'all',
    sysparm_exclude_reference_link: 'true',
    sysparm_limit: String(pageSize),
    sysparm_offset: '0',
  });
  let next: string | null = `/api/now/table/incident?${params}`;
  let total: number | null = null;
  const seen = new Set<string>();
  const pagesBefore = resumed ? state!.cursor!.pages : 0;
  try {
    while (next) {
      const page = result.pages + 1;
      const answer = await http.getJson(next, `incidents, page ${page}`);
      if (answer.status === 403)
        throw new PullError(`incidents, page ${page}: the user may not read the incident table (403)${errorDetail(answer.body) ?? ''}`);
      let list: unknown[];
      try {
        list = tableApiRecords(answer.body);
      } catch (err) {
        throw new PullError(`incidents, page ${page}: ${err instanceof JsonShapeError ? err.message : String(err)}`);
      }
      if (!Array.isArray((answer.body as { result?: unknown })?.result))
        throw new PullError(`incidents, page ${page}: the answer has no "result" list`);
      const count = Number(answer.headers.get('x-total-count') ?? NaN);
      if (Number.isFinite(count)) total = count;
      next = followNext(list.length ? nextLink(answer.headers.get('link')) : null, seen, `incidents, page ${page}`);
      if (!list.length) break;
      const raw = list.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
      let table;
      try {
        table = tableFromRecords(list);
      } catch (err) {
        throw new PullError(`incidents, page ${page}: ${err instanceof Error ? err.message : String(err)}`);
      }
      let rows = table.records;
      if (audit) {
        const history = await fetchHistory(http, raw, table.records, log);
        if (history === 'forbidden') {
          audit = false;
          warnings.push(
            "the user may not read sys_audit (403): imported without the incidents' history (their current state only). Give it read " +
              'access to sys_audit for the history.',
          );
          log('sys_audit refused (403): going on without history');
        } else {
          rows = history.rows;
          result.historyUpdates += history.updates;
          if (history.unnamed && !warnings.some((w) => w.startsWith('some assignment')))
            warnings.push(
              'some assignment changes in sys_audit name groups or people whose names could not be read: those changes are left ' +
                'out of the history',
            );
        }
      }
      const summary = await importFile(em, {
        kind: 'servicenow',
        file: `${o.base.host} incident page ${pagesBefore + page}.json`,
        text: JSON.stringify({ result: rows }),
        dryRun: o.dryRun,
        warnings: [...warnings],
      });
      result.summaries.push(summary);
      result.pages = page;
      result.records += table.records.length;
      result.created += summary.created;
      result.updated += summary.updated;
      result.unchanged += summary.unchanged;
      for (const w of summary.warnings ?? []) if (!warnings.includes(w)) warnings.push(w);
      const lastRec = table.records[table.records.length - 1];
      for (const r of table.records) if (r.sys_updated_on && (!mark || r.sys_updated_on > mark)) mark = r.sys_updated_on;
      log(
        `page ${pagesBefore + page}: ${table.records.length} incident${table.records.length === 1 ? '' : 's'} ` +
          `(${summary.created} new, ${summary.updated} updated, ${summary.unchanged} ` +
          `unchanged)${total !== null ? `; ${Math.min(result.records, total)} of ${total}` : ''}`,
      );
      if (!o.dryRun) {
        await saveState(em, instance, userQuery, {
          cursor: {
            updatedOn: lastRec?.sys_updated_on ?? from,
            sysId: lastRec?.sys_id ?? '',
            mark,
            pages: pagesBefore + page,
            from: firstFrom,
          },
        });
        await em.execute(`update servicenow_pulls set records_imported = records_imported + ? where instance = ? and query = ?`, [
          table.records.length,
          instance,
          userQuery,
        ]);
      }
    }
  } catch (err) {
    result.requests = http.requests;
    const message = err instanceof Error ? err.message : String(err);
    if (!o.dryRun) await saveState(em, instance, userQuery, { last_error: message.slice(0, 2000) }).catch(() => {});
    const kept =
      result.pages && !o.dryRun
        ? `${result.pages} page${result.pages > 1 ? 's' : ''} (${result.records} incidents) were imported and kept; run the same ` +
          'command again to continue after them.'
        : `Nothing was imported by this run${
            resumed
              ? ` (the ${pagesBefore} page${pagesBefore > 1 ? 's' : ''} of the interrupted pull stay imported; ` +
                'the same command continues after them)'
              : ''
          }.`;
    throw new PullError(`${message}\n${kept}`);
  }
  // The mark: the latest sys_updated_on imported, but not past the pull's start less 5 minutes; never
  // back before the stored one (a --since further back re-reads what the mark covered already).
  const cap = snDate(new Date(startedAt.getTime() - 5 * 60_000));
  const stored = state?.high_water_mark ?? null;
  const reached = mark === null ? null : mark > cap ? cap : mark;
  const newMark = reached === null || (stored !== null && stored > reached) ? stored : reached;
  result.mark = newMark;
  result.requests = http.requests;
  if (!o.dryRun)
    await saveState(em, instance, userQuery, {
      high_water_mark: newMark,
      cursor: null,
      last_finished_at: now(),
      last_error: null,
    });
  return result;
}

/** sys_audit of a page's incidents, as event-log rows; 'forbidden' on a 403. */
async function fetchHistory(
  http: ServiceNowHttp,
  raw: readonly Record<string, unknown>[],
  records: readonly Record<string, string>[],
  log: (line: string) => void,
): Promise<{ rows: Record<string, string>[]; updates: number; unnamed: number } | 'forbidden'> {
  const ids = records.map((r) => r.sys_id).filter((id) => /^[0-9a-f]{32}$/i.test(id ?? ''));
  if (!ids.length) return { rows: [...records], updates: 0, unnamed: 0 };
  const entries: AuditEntry[] = [];
  // 100 sys_ids a request: a page of 500 in one documentkeyIN would make a 17 KB URL.
  for (let at = 0; at < ids.length; at += AUDIT_IDS_PER_REQUEST) {
    if ((await fetchAudit(http, ids.slice(at, at + AUDIT_IDS_PER_REQUEST), entries)) === 'forbidden') return 'forbidden';
  }
  const names = namesFromRecords(raw);
  // Names the page does not show (a group an incident was assigned to before): asked of the instance.
  for (const [table, idSet] of unknownReferences(entries, names)) {
    const want = [...idSet].slice(0, 500);
    const q = new URLSearchParams({
      sysparm_query: `sys_idIN${want.join(',')}`,
      sysparm_fields: 'sys_id,name',
      sysparm_limit: String(want.length),
    });
    const answer = await http.getJson(`/api/now/table/${table}?${q}`, `${table} names`);
    if (answer.status === 403) {
      log(`${table}: names not readable (403); those changes are left out of the history`);
      continue;
    }
    try {
      for (const r of tableApiRecords(answer.body)) {
        const o = r as Record<string, unknown>;
        if (typeof o?.sys_id === 'string' && typeof o.name === 'string' && o.name) names.set(o.sys_id, o.name);
      }
    } catch {
      // Unreadable: the changes stay unnamed (left out).
    }
  }
  return historyRows(records, entries, names);
}

const AUDIT_IDS_PER_REQUEST = 100;

async function fetchAudit(http: ServiceNowHttp, ids: readonly string[], entries: AuditEntry[]): Promise<'ok' | 'forbidden'> {
  const params = new URLSearchParams({
    sysparm_query: `tablename=incident^documentkeyIN${ids.join(',')}^fieldnameIN${FOLLOWED_FIELDS.join(',')}^ORDERBYsys_created_on`,
    sysparm_fields: 'documentkey,fieldname,oldvalue,newvalue,user,sys_created_on,record_checkpoint',
    sysparm_limit: '10000',
  });
  let next: string | null = `/api/now/table/sys_audit?${params}`;
  const seen = new Set<string>();
  for (let page = 1; next; page++) {
    const answer = await http.getJson(next, `sys_audit, page ${page}`);
    if (answer.status === 403) return 'forbidden';
    let list: unknown[];
    try {
      list = tableApiRecords(answer.body);
    } catch (err) {
      throw new PullError(`sys_audit, page ${page}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const e of list) {
      if (!e || typeof e !== 'object') continue;
      const o = e as Record<string, unknown>;
      const s = (k: string) => {
        const v = o[k];
        if (v && typeof v === 'object') return String((v as { value?: unknown }).value ?? '');
        return v === null || v === undefined ? '' : String(v);
      };
      entries.push({
        documentkey: s('documentkey'),
        fieldname: s('fieldname'),
        oldvalue: s('oldvalue'),
        newvalue: s('newvalue'),
        user: s('user'),
        sys_created_on: s('sys_created_on'),
        record_checkpoint: s('record_checkpoint'),
      });
    }
    next = followNext(list.length ? nextLink(answer.headers.get('link')) : null, seen, 'sys_audit');
  }
  return 'ok';
}

/** The next page's URL; refused when it was read already (an instance answering in a loop). */
function followNext(next: string | null, seen: Set<string>, what: string): string | null {
  if (next === null) return null;
  if (seen.has(next)) throw new PullError(`${what}: the instance's Link rel="next" leads back to a page already read; stopped`);
  seen.add(next);
  return next;
}
