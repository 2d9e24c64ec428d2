import { INCIDENT_STATUSES } from '@ikb/domain';
import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { rowAsEntity } from '../../db/internals';
import { badInput } from '../../errors';
import { Category } from '../directory/category.entity';
import { afterCursorSql, decodeCursor, encodeCursor, IncidentOrderBy, SORT_SPECS, type SortKey } from './incident-order';
import { Incident } from './incident.entity';
import type { IncidentFilter } from './incident.inputs';
import type { MineScope } from './incident-mine';

export const MAX_PAGE = 100;

/**
 * Cursor of the lists that always run newest opened first (a model's incidents): "openedAt|id".
 * The register itself uses the order-aware cursors of incident-order.ts.
 */
export function encodeOpenedAtCursor(i: Incident): string {
  return Buffer.from(`${i.openedAt.toISOString()}|${i.id}`).toString('base64url');
}

export function parseIncidentNumber(raw: string): number | null {
  const m = /^\s*(?:INC-?)?0*(\d{1,9})\s*$/i.exec(raw);
  return m ? Number(m[1]) : null;
}

async function whereOf(em: EntityManager, f: IncidentFilter | undefined, mine: MineScope): Promise<FilterQuery<Incident>[]> {
  const and: FilterQuery<Incident>[] = [];
  if (mine.assigneeId) and.push({ assigneeId: mine.assigneeId });
  if (mine.myTeam) and.push(mine.myTeam.teamId ? { teamId: mine.myTeam.teamId } : { id: { $in: [] } });
  if (!f) return and;
  if (f.status?.length) and.push({ status: { $in: f.status } });
  if (f.priority?.length) and.push({ priority: { $in: f.priority } });
  if (f.serviceId?.length) and.push({ serviceId: { $in: f.serviceId } });
  if (f.teamId?.length) and.push({ teamId: { $in: f.teamId } });
  if (f.major != null) and.push({ major: f.major });
  if (f.problemId?.length) and.push({ problemId: { $in: f.problemId } });
  if (f.categoryId?.length) {
    // A category filter includes its subcategories.
    const children = await em.find(Category, { parentId: { $in: f.categoryId } }, { fields: ['id'] });
    and.push({ categoryId: { $in: [...f.categoryId, ...children.map((c) => c.id)] } });
  }
  if (f.openedFrom) and.push({ openedAt: { $gte: f.openedFrom } });
  if (f.openedTo) and.push({ openedAt: { $lt: f.openedTo } });
  const text = f.text?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const or: FilterQuery<Incident>[] = [{ title: { $ilike: like } }, { description: { $ilike: like } }, { externalRef: { $ilike: like } }];
    const n = parseIncidentNumber(text);
    if (n !== null) or.push({ seqNumber: n });
    and.push({ $or: or });
  }
  return and;
}

export interface IncidentPage {
  items: Incident[];
  /** One cursor per item, encoding the sort key and id of that item under the requested order. */
  cursors: string[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

const DEFAULT_ORDER: IncidentOrderBy = { field: 'OPENED_AT', direction: 'DESC' };

/** The sort key of a loaded row, read from the entity (every key but SLA_DUE is a column). */
function keyOf(i: Incident, field: IncidentOrderBy['field']): SortKey {
  if (field === 'OPENED_AT') return i.openedAt;
  if (field === 'UPDATED_AT') return i.updatedAt;
  if (field === 'PRIORITY') return i.priority;
  if (field === 'NUMBER') return i.seqNumber;
  // array_position is 1-based.
  if (field === 'STATUS') return INCIDENT_STATUSES.indexOf(i.status) + 1;
  return null;
}

/**
 * Keyset pagination in any supported order (default newest opened first): the page is
 * "rows after (key, id) of the cursor", so it stays stable while incidents are logged or edited
 * elsewhere in the list. A constant number of statements: the page, plus for SLA_DUE one lookup of
 * the page's due times (not a column of the row), plus the count when asked for.
 */
export async function listIncidents(
  em: EntityManager,
  filter: IncidentFilter | undefined,
  first: number,
  after?: string | null,
  orderBy: IncidentOrderBy = DEFAULT_ORDER,
  mine: MineScope = {},
): Promise<IncidentPage> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be between 0 and ${MAX_PAGE}`);
  const order = { field: orderBy.field ?? 'OPENED_AT', direction: orderBy.direction ?? 'DESC' } as IncidentOrderBy;
  const spec = SORT_SPECS[order.field];
  if (!spec) throw badInput('orderBy.field', `"${String(order.field)}" is not a sort field`);
  const and = await whereOf(em, filter, mine);
  const page = [...and];
  if (after) {
    const c = decodeCursor(after, order);
    const [sql, params] = afterCursorSql(spec, order.direction, c, '[::alias::]');
    page.push({ [raw((a: string) => sql.replaceAll('[::alias::]', a), params)]: [] } as FilterQuery<Incident>);
  }
  const dir = order.direction === 'ASC' ? 'asc' : 'desc';
  // "nulls last" only where a key can be null: on a NOT NULL column it would stop PostgreSQL from
  // walking the (opened_at, id) index backwards for the default order.
  const keyOrder = spec.nullable ? `${dir} nulls last` : dir;
  // The query builder makes the statement; the rows become unmanaged entities (rowAsEntity), which
  // costs a fraction of em.find's hydration for a read-only page.
  const statement = em
    .createQueryBuilder(Incident, 'i')
    .select('*')
    .where(page.length ? { $and: page } : {})
    .orderBy([{ [raw((a: string) => spec.sql(a))]: keyOrder }, { id: dir }] as never)
    .limit(first + 1);
  const metadata = em.getMetadata();
  const rows = (await statement.execute<Record<string, unknown>[]>('all', false)).map((row) => rowAsEntity(metadata, Incident, row));
  const items = rows.slice(0, first);
  let keys = items.map((i) => keyOf(i, order.field));
  if (order.field === 'SLA_DUE' && items.length) {
    const due = await em.execute<{ incident_id: string; due_at: Date | string | null }[]>(
      `select incident_id, due_at from sla_clocks where target = 'RESOLUTION' and incident_id = any(?::uuid[])`,
      [pgTextArray(items.map((i) => i.id))],
    );
    const byId = new Map(due.map((d) => [d.incident_id, d.due_at === null ? null : new Date(d.due_at)]));
    keys = items.map((i) => byId.get(i.id) ?? null);
  }
  let counted: Promise<number> | undefined;
  return {
    items,
    cursors: items.map((i, n) => encodeCursor({ ...order, key: keys[n]!, id: i.id })),
    hasNextPage: rows.length > first,
    count: () => (counted ??= em.count(Incident, and.length ? { $and: and } : {})),
  };
}
