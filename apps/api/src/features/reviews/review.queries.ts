import type { ReviewStatus } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import { Review } from './review.entity';
import { rowAsEntity } from '../../db/internals';
import { timeCursor } from '../../graphql/cursors';

export interface ReviewPage {
  items: Review[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

export const reviewCursor = (r: Review) => Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');

export async function listReviews(
  em: EntityManager,
  f: { status?: ReviewStatus[]; incidentId?: string } | undefined,
  first: number,
  after?: string | null,
): Promise<ReviewPage> {
  if (!Number.isInteger(first) || first < 0 || first > 100) throw badInput('first', 'must be between 0 and 100');
  const sql: string[] = [];
  const params: unknown[] = [];
  if (f?.status?.length) {
    sql.push(`r.status in (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f?.incidentId) {
    sql.push('exists (select 1 from review_incidents ri where ri.review_id = r.id and ri.incident_id = ?)');
    params.push(f.incidentId);
  }
  const page = [...sql];
  const pageParams = [...params];
  if (after) {
    const c = timeCursor(after);
    page.push('(r.created_at, r.id) < (?, ?)');
    pageParams.push(c.at, c.id);
  }
  const clause = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select r.* from reviews r ${clause(page)} order by r.created_at desc, r.id desc limit ${first + 1}`,
    pageParams,
  );
  let counted: Promise<number> | undefined;
  return {
    items: rows.slice(0, first).map((r) => rowAsEntity(em.getMetadata(), Review, r)),
    hasNextPage: rows.length > first,
    count: () =>
      (counted ??= em.execute<{ n: string }[]>(`select count(*) as n from reviews r ${clause(sql)}`, params).then((r) => Number(r[0]!.n))),
  };
}

/** Priority 1-2 or major incidents, resolved, with no published review covering them; longest waiting first. */
/**
 * Awaiting review: priority 1-2 or major, resolved, and in no published review. One definition for
 * the list and its count (the overview once showed the length of its 8-row list as the number).
 */
const AWAITING_REVIEW = `(i.priority <= 2 or i.major) and i.resolved_at is not null
  and not exists (select 1 from review_incidents ri join reviews r on r.id = ri.review_id and r.status = 'PUBLISHED'
    where ri.incident_id = i.id)`;

export async function countIncidentsAwaitingReview(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(`select count(*) as n from incidents i where ${AWAITING_REVIEW}`);
  return Number(row?.n ?? 0);
}

export async function incidentsAwaitingReview(
  em: EntityManager,
  first: number,
  now = new Date(),
  after?: string | null,
): Promise<{ incident: Incident; daysSinceResolution: number }[]> {
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first', 'must be between 1 and 200');
  // Keyset on the list's own order: rows after the named incident's (resolved_at, id), so a long list
  // is read page by page (the CSV export) without offsets that skip or repeat rows as it changes.
  const params: unknown[] = [];
  let page = '';
  if (after) {
    page = ' and (i.resolved_at, i.id) > (select a.resolved_at, a.id from incidents a where a.id = ?)';
    params.push(after);
  }
  const rows = await em.execute<Record<string, unknown>[]>(
    `select i.* from incidents i where ${AWAITING_REVIEW}${page} order by i.resolved_at asc, i.id limit ${first}`,
    params,
  );
  return rows.map((row) => {
    const incident = rowAsEntity(em.getMetadata(), Incident, row);
    return { incident, daysSinceResolution: Math.floor((now.getTime() - incident.resolvedAt!.getTime()) / 86_400_000) };
  });
}
