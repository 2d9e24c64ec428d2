import { codeLabel, fieldLabel } from '@ikb/domain';
import { Field, ObjectType } from 'type-graphql';
import type { Loaders } from '../../graphql/loaders';
import { formatProblemNumber } from '../problems/problem.entity';
import type { IncidentEvent } from './incident-event.entity';
import { isUuid } from '../../ids';

@ObjectType({ description: 'One field an event changed, in words: ids are shown as the names or numbers of what they point at.' })
export class IncidentEventChange {
  @Field(() => String, { description: 'The field as people call it, e.g. "Assignee".' }) field!: string;
  @Field(() => String, { nullable: true, description: 'The value before, as text; null when it was empty.' }) before!: string | null;
  @Field(() => String, { nullable: true, description: 'The value after, as text; null when it is empty.' }) after!: string | null;
}

type Namer = (loaders: Loaders, id: string) => Promise<string | null>;

const user: Namer = async (l, id) => (await l.user.load(id))?.name ?? null;
/** Which record each id field points at, and how it is named. */
const NAMERS: Record<string, Namer> = {
  assigneeId: user,
  reporterId: user,
  toUserId: user,
  teamId: async (l, id) => (await l.team.load(id))?.name ?? null,
  toTeamId: async (l, id) => (await l.team.load(id))?.name ?? null,
  serviceId: async (l, id) => (await l.service.load(id))?.name ?? null,
  categoryId: async (l, id) => (await l.category.load(id))?.name ?? null,
  problemId: async (l, id) => {
    const p = await l.problem.load(id);
    return p ? `${formatProblemNumber(p.seqNumber)} ${p.title}` : null;
  },
  resolutionWorkaroundId: async (l, id) => (await l.workaround.load(id))?.title ?? null,
  workaroundId: async (l, id) => (await l.workaround.load(id))?.title ?? null,
  incidentModelId: async (l, id) => (await l.incidentModel.load(id))?.name ?? null,
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

async function text(loaders: Loaders, key: string, v: unknown): Promise<string | null> {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return key === 'priority' ? `P${v}` : String(v);
  if (typeof v === 'string') {
    const namer = NAMERS[key];
    if (namer && isUuid(v)) return (await namer(loaders, v)) ?? 'a record since deleted';
    // An id this table does not know: say that it changed, never show the id itself.
    if (isUuid(v)) return 'set';
    if (ISO.test(v)) return `${v.slice(0, 16).replace('T', ' ')} UTC`;
    if (/^[A-Z][A-Z0-9_]+$/.test(v)) return codeLabel(v);
    return v;
  }
  if (Array.isArray(v)) return (await Promise.all(v.map((x) => text(loaders, key.replace(/Ids$/, 'Id'), x)))).filter(Boolean).join(', ');
  return JSON.stringify(v);
}

/** The event's before/after as readable changes; names come through the request's loaders (batched, no N+1). */
export async function eventChanges(e: IncidentEvent, loaders: Loaders): Promise<IncidentEventChange[]> {
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  const all = await Promise.all(
    keys.map(async (key) => ({
      field: fieldLabel(key),
      before: await text(loaders, key, e.before?.[key]),
      after: await text(loaders, key, e.after?.[key]),
    })),
  );
  // A snapshot (the LOGGED event) lists empty fields too: empty before and after is no change.
  return all.filter((c) => c.before !== null || c.after !== null);
}
