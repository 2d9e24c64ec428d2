import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { ProblemEvent, type Problem } from './problem.entity';

export function appendProblemEvent(
  em: EntityManager,
  problem: Problem,
  actor: Actor,
  draft: { kind: string; summary: string; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; data?: Record<string, unknown> | null },
  now: Date,
): ProblemEvent {
  problem.updatedAt = now;
  const event = em.create(ProblemEvent, {
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
