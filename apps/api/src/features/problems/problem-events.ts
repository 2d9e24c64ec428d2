import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { ProblemEvent, type Problem } from './problem.entity';

// The timeline is ordered by (at, id) and one transaction writes several events at one instant:
// ids sort in write order (UUIDv7 layout: ms clock, then a counter), so ties keep that order.
let lastMs = 0;
let tick = 0;
const writeOrderedId = () => {
  const ms = (lastMs = Math.max(Date.now(), lastMs)).toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${(tick = (tick + 1) & 0xfff).toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
};

export function appendProblemEvent(
  em: EntityManager,
  problem: Problem,
  actor: Actor,
  draft: {
    kind: string;
    summary: string;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    data?: Record<string, unknown> | null;
  },
  now: Date,
): ProblemEvent {
  problem.updatedAt = now;
  const event = em.create(ProblemEvent, {
    id: writeOrderedId(),
    problemId: problem.id,
    at: now,
    actorId: actor.id,
    actorName: actor.name,
    kind: draft.kind,
    summary: draft.summary,
    before: draft.before ?? null,
    after: draft.after ?? null,
    data: draft.data ?? null,
  } as ProblemEvent);
  em.persist(event);
  return event;
}
