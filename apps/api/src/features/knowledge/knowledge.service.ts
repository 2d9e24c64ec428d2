import { randomUUID } from 'node:crypto';
import {
  attentionReasons,
  canMarkReviewed,
  DEFAULT_REVIEW_DAYS,
  knowledgeMoveProblem,
  knowledgeMoves,
  legacyStatus,
  nextReviewBy,
  type KnowledgeKind,
  type KnowledgeState,
} from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { rawDate } from '../../db/raw-dates';
import { WriteService, type WriteOptions } from '../shared/write-service';
import { lifecycleFacts, stale, type ItemKey, type LifecycleFacts } from './knowledge.facts';
import type {
  KnowledgeFeedbackInput,
  KnowledgeRefInput,
  MarkKnowledgeReviewedInput,
  SetKnowledgeOwnerInput,
  TransitionKnowledgeInput,
} from './knowledge.inputs';
import type { KnowledgeFeedback, KnowledgeItem } from './knowledge.types';

const WHAT: Record<KnowledgeKind, string> = { WORKAROUND: 'workaround', KNOWN_ERROR: 'known error', MODEL: 'incident model' };
const PATH: Record<KnowledgeKind, string> = { WORKAROUND: '/workarounds/', KNOWN_ERROR: '/problems/', MODEL: '/models/' };

/** The API view of lifecycle facts; attention needs the effectiveness verdict (false when not judged). */
export function itemView(f: LifecycleFacts, now: Date, lowEffectiveness = false): KnowledgeItem {
  const reasons = stale(f, now);
  return {
    id: f.id,
    kind: f.kind,
    itemId: f.itemId,
    title: f.title,
    state: f.state,
    reviewBy: f.reviewBy,
    reviewedAt: f.reviewedAt,
    stateChangedAt: f.stateChangedAt,
    stale: reasons.length > 0,
    staleReasons: reasons,
    attention: attentionReasons({ ...f, lowEffectiveness }, now),
    moves: [...knowledgeMoves(f.state)],
    href: `${PATH[f.kind]}${encodeURIComponent(f.ref)}`,
    ownerId: f.ownerId,
    serviceId: f.serviceId,
    categoryId: f.categoryId,
    teamId: f.teamId,
  };
}

interface FeedbackRow {
  id: string;
  kind: KnowledgeKind;
  item_id: string;
  incident_id: string | null;
  helpful: boolean;
  reason: string | null;
  context: 'APPLIED' | 'SEARCH_RESULT';
  updated_at: Date | string;
}

export const feedbackView = (r: FeedbackRow): KnowledgeFeedback => ({
  id: r.id,
  kind: r.kind,
  itemId: r.item_id,
  incidentId: r.incident_id,
  helpful: r.helpful,
  reason: r.reason,
  context: r.context,
  updatedAt: rawDate(r.updated_at)!,
});

/**
 * Lifecycle moves, reviews, owners and feedback. Each write locks the item's lifecycle row first
 * (one order everywhere), and keeps the item's own status in step (legacyStatus) in the same transaction.
 */
export class KnowledgeService extends WriteService {
  protected override readonly recordName = 'knowledge item';

  /** opts.now: a replay at historical times (the demo seed); otherwise the clock. */
  constructor(em: EntityManager, actor: Actor, opts: WriteOptions = {}) {
    super(em, actor, opts);
  }

  private async locked(em: EntityManager, ref: ItemKey): Promise<LifecycleFacts> {
    const rows = await em.execute<{ state: string }[]>(`select state from knowledge_items where kind = ? and item_id = ? for update`, [
      ref.kind,
      ref.itemId,
    ]);
    const facts = rows.length ? (await lifecycleFacts(em, [ref])).get(`${ref.kind}:${ref.itemId}`) : undefined;
    if (!facts) throw notFound('itemId', WHAT[ref.kind], ref.itemId);
    return facts;
  }

  async item(ref: KnowledgeRefInput): Promise<KnowledgeItem> {
    return itemView(await this.locked(this.em, ref), this.now());
  }

  async transition(input: TransitionKnowledgeInput): Promise<KnowledgeItem> {
    return this.tx(async (em) => {
      const f = await this.locked(em, input);
      const problem = knowledgeMoveProblem(f.state, input.to);
      if (problem) throw new AppError('ILLEGAL_TRANSITION', `This ${WHAT[input.kind]}: ${problem}`, { from: f.state, to: input.to });
      const now = this.now();
      if (input.to === 'PUBLISHED') await this.review(em, f, now, DEFAULT_REVIEW_DAYS[f.kind], true);
      else
        await em.execute(`update knowledge_items set state = ?, state_changed_at = ?, updated_at = ? where kind = ? and item_id = ?`, [
          input.to,
          now,
          now,
          f.kind,
          f.itemId,
        ]);
      await this.followLegacy(em, f.kind, f.itemId, input.to, now);
      return this.reread(em, input);
    });
  }

  async markReviewed(input: MarkKnowledgeReviewedInput): Promise<KnowledgeItem> {
    return this.tx(async (em) => {
      const f = await this.locked(em, input);
      if (!canMarkReviewed(f.state)) {
        throw new AppError('ILLEGAL_TRANSITION', `Only a published ${WHAT[input.kind]} (or one needing review) can be marked reviewed`, {
          from: f.state,
        });
      }
      const now = this.now();
      await this.review(em, f, now, input.reviewInDays ?? DEFAULT_REVIEW_DAYS[f.kind], f.state !== 'PUBLISHED');
      await this.followLegacy(em, f.kind, f.itemId, 'PUBLISHED', now);
      return this.reread(em, input);
    });
  }

  async setOwner(input: SetKnowledgeOwnerInput): Promise<KnowledgeItem> {
    return this.tx(async (em) => {
      const f = await this.locked(em, input);
      if (input.ownerId) {
        const users = await em.execute<{ id: string }[]>(`select id from users where id = ? and not disabled`, [input.ownerId]);
        if (!users.length) throw notFound('ownerId', 'active user', input.ownerId);
      }
      await em.execute(`update knowledge_items set owner_id = ?, updated_at = ? where kind = ? and item_id = ?`, [
        input.ownerId ?? null,
        this.now(),
        f.kind,
        f.itemId,
      ]);
      return this.reread(em, input);
    });
  }

  async giveFeedback(input: KnowledgeFeedbackInput): Promise<KnowledgeFeedback> {
    const me = this.actor.id;
    if (!me) throw new AppError('UNAUTHENTICATED', 'Feedback belongs to a signed-in user');
    if (input.context === 'APPLIED' && !input.incidentId) throw badInput('incidentId', 'is needed for feedback after applying an item');
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    return this.tx(async (em) => {
      const exists = await em.execute<{ n: number }[]>(`select count(*)::int as n from knowledge_items where kind = ? and item_id = ?`, [
        input.kind,
        input.itemId,
      ]);
      if (!exists[0]!.n) throw notFound('itemId', WHAT[input.kind], input.itemId);
      if (input.incidentId) {
        const inc = await em.execute<{ n: number }[]>(`select count(*)::int as n from incidents where id = ?`, [input.incidentId]);
        if (!inc[0]!.n) throw notFound('incidentId', 'incident', input.incidentId);
      }
      if (input.context === 'APPLIED' && !(await this.wasApplied(em, input.kind, input.itemId, input.incidentId!))) {
        throw badInput('incidentId', `the ${WHAT[input.kind]} was not applied to this incident`);
      }
      const now = this.now();
      const rows = await em.execute<FeedbackRow[]>(
        `insert into knowledge_feedback (id, kind, item_id, incident_id, user_id, helpful, reason, context, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (kind, item_id, user_id, (coalesce(incident_id, '00000000-0000-0000-0000-000000000000'::uuid)))
         do update set helpful = excluded.helpful, reason = excluded.reason, context = excluded.context, updated_at = excluded.updated_at
         returning id, kind, item_id, incident_id, helpful, reason, context, updated_at`,
        [randomUUID(), input.kind, input.itemId, input.incidentId ?? null, me, input.helpful, reason, input.context, now, now],
      );
      return feedbackView(rows[0]!);
    });
  }

  private async wasApplied(em: EntityManager, kind: KnowledgeKind, itemId: string, incidentId: string): Promise<boolean> {
    const sql: Record<KnowledgeKind, string> = {
      WORKAROUND: `select 1 from workaround_applications where workaround_id = ? and incident_id = ?`,
      MODEL: `select 1 from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
               where v.model_id = ? and a.incident_id = ?`,
      KNOWN_ERROR: `select 1 from incidents where problem_id = ? and id = ?`,
    };
    return (await em.execute(`${sql[kind]} limit 1`, [itemId, incidentId])).length > 0;
  }

  /** Published again with a new review-by date and the service and category it was reviewed against. */
  private async review(em: EntityManager, f: LifecycleFacts, now: Date, days: number, stateChanges: boolean) {
    await em.execute(
      `update knowledge_items set state = 'PUBLISHED', review_by = ?, reviewed_at = ?, reviewed_service_id = ?, reviewed_category_id = ?,
              state_changed_at = ${stateChanges ? '?' : 'state_changed_at'}, updated_at = ?
        where kind = ? and item_id = ?`,
      [nextReviewBy(f.kind, now, days), now, f.serviceId, f.categoryId, ...(stateChanges ? [now] : []), now, f.kind, f.itemId],
    );
  }

  /** Keeps the item's own status (what the rest of the product reads) in step with its lifecycle state. */
  private async followLegacy(em: EntityManager, kind: KnowledgeKind, itemId: string, state: KnowledgeState, now: Date) {
    const status = legacyStatus(kind, state);
    if (status === null) return;
    if (kind === 'WORKAROUND') {
      await em.execute(
        `update workarounds set status = ?, updated_at = ?, version = version + 1,
                retired_at = case when ? = 'RETIRED' then coalesce(retired_at, ?) else null end
          where id = ? and status <> ?`,
        [status, now, status, now, itemId, status],
      );
    } else {
      await em.execute(`update incident_models set status = ?, updated_at = ? where id = ? and status <> ?`, [status, now, itemId, status]);
    }
  }

  private async reread(em: EntityManager, ref: ItemKey): Promise<KnowledgeItem> {
    const f = (await lifecycleFacts(em, [ref])).get(`${ref.kind}:${ref.itemId}`)!;
    return itemView(f, this.now());
  }
}
