import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { placeholders } from '../../db/row-entity';
import { Incident } from '../incidents/incident.entity';
import { impactFactsOf, type ImpactFacts } from './review-impact';
import { assembleTimelines, type AssembledEntry } from './review-timeline';
import { ActionItem, ContributingFactor, FactorCategory, Review, ReviewEvent, type ReviewTemplate } from './review.entity';
import { reviewCountsOf, templatesFor, type ReviewCounts } from './review.service';

/** The EntityManager each set of review loaders reads with (keyed by its reviewTimeline loader). */
const loaderEm = new WeakMap<object, EntityManager>();

/**
 * Whether a Review field may read through the request's loaders: not in a mutation (its results
 * must see what it just did, and a second mutation of the same operation must not get the
 * first one's cached values), and only while ctx.em is the EntityManager the loaders were built on
 * (a mutation swaps in its transaction's). Otherwise the field takes the direct per-review path.
 */
export function reviewLoadersUsable(
  loaders: { reviewTimeline: object },
  em: EntityManager,
  operation: 'query' | 'mutation' | 'subscription',
): boolean {
  return operation === 'query' && loaderEm.get(loaders.reviewTimeline) === em;
}

export function reviewLoaders(em: EntityManager) {
  /** The whole timeline of a review, hidden entries included (filter for the visible ones). */
  const reviewTimeline = new DataLoader<string, AssembledEntry[]>(async (ids) => {
    const byId = await assembleTimelines(em, ids);
    return ids.map((id) => byId.get(id)!);
  });
  loaderEm.set(reviewTimeline, em);
  return {
    reviewTimeline,
    reviewImpact: new DataLoader<string, ImpactFacts>(async (ids) => {
      const byId = await impactFactsOf(em, ids);
      return ids.map((id) => byId.get(id)!);
    }),
    /** Contributing factors and action items counted (for missingSections). */
    reviewCounts: new DataLoader<string, ReviewCounts>(async (ids) => {
      const byId = await reviewCountsOf(em, ids);
      return ids.map((id) => byId.get(id)!);
    }),
    /** The template whose required sections apply (templateFor). Keyed by the review and the template named on it. */
    reviewTemplate: new DataLoader<Pick<Review, 'id' | 'templateId'>, ReviewTemplate | null, string>(
      async (keys) => {
        const byId = await templatesFor(em, keys);
        return keys.map((k) => byId.get(k.id) ?? null);
      },
      { cacheKeyFn: (k) => `${k.id}|${k.templateId ?? ''}` },
    ),
    /** Incidents of the review's problem opened after the last of its done action items; null until one is done. */
    reviewRecurrencesAfterActions: new DataLoader<{ id: string; problemId: string }, number | null, string>(
      async (keys) => {
        const rows = await em.execute<{ review_id: string; n: string }[]>(
          `select k.review_id, (select count(*) from incidents i where i.problem_id = k.problem_id and i.opened_at > d.done_at) as n
             from (values ${keys.map(() => '(?::uuid, ?::uuid)').join(', ')}) as k(review_id, problem_id)
             cross join lateral (select max(a.done_at) as done_at from action_items a where a.review_id = k.review_id
               and a.status = 'DONE') d
            where d.done_at is not null`,
          keys.flatMap((k) => [k.id, k.problemId]),
        );
        return keys.map((k) => {
          const r = rows.find((x) => x.review_id === k.id);
          return r ? Number(r.n) : null;
        });
      },
      { cacheKeyFn: (k) => `${k.id}|${k.problemId}` },
    ),
    reviewIncidents: new DataLoader<string, Incident[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & { review_id: string })[]>(
        `select i.*, ri.review_id from review_incidents ri join incidents i on i.id = ri.incident_id
          where ri.review_id in (${placeholders(ids)}) order by i.opened_at`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.review_id === id).map(({ review_id: _, ...i }) => em.map(Incident, i)));
    }),
    incidentReviews: new DataLoader<string, Review[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & { incident_id: string })[]>(
        `select r.*, ri.incident_id from review_incidents ri join reviews r on r.id = ri.review_id
          where ri.incident_id in (${placeholders(ids)}) order by r.created_at`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.incident_id === id).map(({ incident_id: _, ...r }) => em.map(Review, r)));
    }),
    reviewFactors: new DataLoader<string, ContributingFactor[]>(async (ids) => {
      const rows = await em.find(ContributingFactor, { reviewId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc' } });
      return ids.map((id) => rows.filter((r) => r.reviewId === id));
    }),
    reviewActionItems: new DataLoader<string, ActionItem[]>(async (ids) => {
      const rows = await em.find(
        ActionItem,
        { reviewId: { $in: [...ids] } },
        { orderBy: [{ priority: 'asc' }, { dueDate: 'asc' }, { id: 'asc' }] },
      );
      return ids.map((id) => rows.filter((r) => r.reviewId === id));
    }),
    reviewHistory: new DataLoader<string, ReviewEvent[]>(async (ids) => {
      const rows = await em.find(ReviewEvent, { reviewId: { $in: [...ids] } }, { orderBy: { at: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((r) => r.reviewId === id));
    }),
    factorCategory: new DataLoader<string, FactorCategory | null>(async (keys) => {
      const rows = await em.find(FactorCategory, { key: { $in: [...keys] } });
      return keys.map((k) => rows.find((r) => r.key === k) ?? null);
    }),
    review: new DataLoader<string, Review | null>(async (ids) => {
      const rows = await em.find(Review, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    /** Incidents of the item's problem opened after the item was done. Keyed by action item id. */
    recurrencesAfterItem: new DataLoader<string, number>(async (ids) => {
      const rows = await em.execute<{ id: string; n: string }[]>(
        `select a.id, count(i.id) as n from action_items a left join incidents i on i.problem_id = a.problem_id and i.opened_at > a.done_at
          where a.id in (${placeholders(ids)}) and a.status = 'DONE' and a.problem_id is not null group by a.id`,
        [...ids],
      );
      return ids.map((id) => Number(rows.find((r) => r.id === id)?.n ?? 0));
    }),
    /** Per problem: incidents opened after its fix, and after the last of its action items was done. */
    problemRecurrence: new DataLoader<string, { sinceFix: number | null; afterActions: number | null; actionsDoneAt: Date | null }>(
      async (ids) => {
        const rows = await em.execute<
          { id: string; resolved_at: string | null; done_at: string | null; since_fix: string; after_actions: string }[]
        >(
          `select p.id, p.resolved_at, d.done_at,
            (select count(*) from incidents i where i.problem_id = p.id and p.resolved_at is not null
              and i.opened_at > p.resolved_at) as since_fix,
            (select count(*) from incidents i where i.problem_id = p.id and d.done_at is not null
              and i.opened_at > d.done_at) as after_actions
           from problems p left join lateral (select max(a.done_at) as done_at from action_items a where a.problem_id = p.id
             and a.status = 'DONE') d on true
          where p.id in (${placeholders(ids)})`,
          [...ids],
        );
        return ids.map((id) => {
          const r = rows.find((x) => x.id === id);
          return {
            sinceFix: r?.resolved_at ? Number(r.since_fix) : null,
            afterActions: r?.done_at ? Number(r.after_actions) : null,
            actionsDoneAt: r?.done_at ? new Date(r.done_at) : null,
          };
        });
      },
    ),
  };
}
