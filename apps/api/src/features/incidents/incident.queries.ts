import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput } from '../../errors';
import { Category } from '../directory/category.entity';
import { Incident } from './incident.entity';
import type { IncidentFilter } from './incident.inputs';

export const MAX_PAGE = 100;

interface Cursor {
  openedAt: Date;
  id: string;
}

export function encodeCursor(i: Incident): string {
  return Buffer.from(`${i.openedAt.toISOString()}|${i.id}`).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const openedAt = new Date(at ?? '');
  if (!id || Number.isNaN(openedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw badInput('after', 'is not a cursor from this list');
  return { openedAt, id };
}

export function parseIncidentNumber(raw: string): number | null {
  const m = /^\s*(?:INC-?)?0*(\d{1,9})\s*$/i.exec(raw);
  return m ? Number(m[1]) : null;
}

async function whereOf(em: EntityManager, f: IncidentFilter | undefined): Promise<FilterQuery<Incident>[]> {
  const and: FilterQuery<Incident>[] = [];
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
  hasNextPage: boolean;
  count: () => Promise<number>;
}

/** Keyset pagination, newest opened first: stable while incidents are being logged. */
export async function listIncidents(em: EntityManager, filter: IncidentFilter | undefined, first: number, after?: string | null): Promise<IncidentPage> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be between 0 and ${MAX_PAGE}`);
  const and = await whereOf(em, filter);
  const page = [...and];
  if (after) {
    const c = decodeCursor(after);
    page.push({ $or: [{ openedAt: { $lt: c.openedAt } }, { openedAt: c.openedAt, id: { $lt: c.id } }] });
  }
  const rows = await em.find(Incident, page.length ? { $and: page } : {}, { orderBy: [{ openedAt: 'desc' }, { id: 'desc' }], limit: first + 1 });
  let counted: Promise<number> | undefined;
  return {
    items: rows.slice(0, first),
    hasNextPage: rows.length > first,
    count: () => (counted ??= em.count(Incident, and.length ? { $and: and } : {})),
  };
}
