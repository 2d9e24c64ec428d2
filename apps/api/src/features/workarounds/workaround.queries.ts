import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors';
import { Workaround } from './workaround.entity';
import type { WorkaroundFilter } from './workaround.inputs';
import { rowAsEntity } from '../../db/internals';
import { cursorDate, cursorId, cursorParts } from '../../graphql/cursors';

export interface WorkaroundPage {
  items: Workaround[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

/** Active first, then drafts, retired last; newest first within each. */
export async function listWorkarounds(
  em: EntityManager,
  f: WorkaroundFilter | undefined,
  first: number,
  after?: string | null,
): Promise<WorkaroundPage> {
  if (!Number.isInteger(first) || first < 0 || first > 100) throw badInput('first', 'must be between 0 and 100');
  const sql: string[] = [];
  const params: unknown[] = [];
  if (f?.status?.length) {
    sql.push(`w.status in (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f?.problemId) {
    sql.push('exists (select 1 from problem_workarounds pw where pw.workaround_id = w.id and pw.problem_id = ?)');
    params.push(f.problemId);
  }
  const text = f?.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    sql.push('(w.title ilike ? or w.steps ilike ?)');
    params.push(like, like);
  }
  const rank = `(case w.status when 'ACTIVE' then 0 when 'DRAFT' then 1 else 2 end)`;
  const page = [...sql];
  const pageParams = [...params];
  if (after) {
    const [r, at, id] = cursorParts(after, 3);
    if (!/^[0-2]$/.test(r!)) throw badInput('after', 'is not a cursor from this list');
    page.push(`(${rank} > ? or (${rank} = ? and (w.created_at, w.id) < (?, ?)))`);
    pageParams.push(Number(r), Number(r), cursorDate(at), cursorId(id));
  }
  const clause = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select w.* from workarounds w ${clause(page)} order by ${rank}, w.created_at desc, w.id desc limit ${first + 1}`,
    pageParams,
  );
  let counted: Promise<number> | undefined;
  return {
    items: rows.slice(0, first).map((r) => rowAsEntity(em.getMetadata(), Workaround, r)),
    hasNextPage: rows.length > first,
    count: () =>
      (counted ??= em
        .execute<{ n: string }[]>(`select count(*) as n from workarounds w ${clause(sql)}`, params)
        .then((r) => Number(r[0]!.n))),
  };
}

export const encodeWorkaroundCursor = (w: Workaround) =>
  Buffer.from(`${w.status === 'ACTIVE' ? 0 : w.status === 'DRAFT' ? 1 : 2}|${w.createdAt.toISOString()}|${w.id}`).toString('base64url');
