import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors';
import { Problem } from './problem.entity';
import type { ProblemFilter } from './problem.inputs';
import { rowAsEntity } from '../../db/internals';
import { timeCursor } from '../../graphql/cursors';

export const MAX_PAGE = 100;

/** SQL condition: root cause documented, not yet fixed, at least one active workaround. */
export const KNOWN_ERROR_SQL = `(p.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') and length(btrim(coalesce(p.root_cause, ''))) >= 10
  and exists (select 1 from problem_workarounds pw join workarounds w on w.id = pw.workaround_id and w.status = 'ACTIVE'
    where pw.problem_id = p.id))`;

export function parseProblemNumber(raw: string): number | null {
  const m = /^\s*(?:PRB-?)?0*(\d{1,9})\s*$/i.exec(raw);
  return m ? Number(m[1]) : null;
}

function where(f: ProblemFilter | undefined): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (!f) return { sql, params };
  if (f.status?.length) {
    sql.push(`p.status in (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f.knownErrorOnly) sql.push(KNOWN_ERROR_SQL);
  if (f.serviceId) {
    sql.push('p.service_id = ?');
    params.push(f.serviceId);
  }
  if (f.categoryId) {
    sql.push('(p.category_id = ? or p.category_id in (select id from categories where parent_id = ?))');
    params.push(f.categoryId, f.categoryId);
  }
  const text = f.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const n = parseProblemNumber(text);
    sql.push(`(p.title ilike ? or p.description ilike ? or p.root_cause ilike ?${n !== null ? ' or p.number = ?' : ''})`);
    params.push(like, like, like, ...(n !== null ? [n] : []));
  }
  return { sql, params };
}

export interface ProblemPage {
  items: Problem[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

/** Newest first, keyset on (created_at, id). */
export async function listProblems(
  em: EntityManager,
  filter: ProblemFilter | undefined,
  first: number,
  after?: string | null,
): Promise<ProblemPage> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be between 0 and ${MAX_PAGE}`);
  const w = where(filter);
  const page = { sql: [...w.sql], params: [...w.params] };
  if (after) {
    const c = timeCursor(after);
    page.sql.push('(p.created_at, p.id) < (?, ?)');
    page.params.push(c.at, c.id);
  }
  const clause = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select p.* from problems p ${clause(page.sql)} order by p.created_at desc, p.id desc limit ${first + 1}`,
    page.params,
  );
  let counted: Promise<number> | undefined;
  return {
    items: rows.slice(0, first).map((r) => rowAsEntity(em.getMetadata(), Problem, r)),
    hasNextPage: rows.length > first,
    count: () =>
      (counted ??= em
        .execute<{ n: string }[]>(`select count(*) as n from problems p ${clause(w.sql)}`, w.params)
        .then((r) => Number(r[0]!.n))),
  };
}

export const problemCursor = (p: Problem) => Buffer.from(`${p.createdAt.toISOString()}|${p.id}`).toString('base64url');
