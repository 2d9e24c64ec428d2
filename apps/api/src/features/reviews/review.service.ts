import {
  changedInWords,
  checkActionItemStatus,
  checkReviewMove,
  dateProblem,
  describeSections,
  dueDateProblem,
  isValidTimeZone,
  localDateIn,
  listInWords,
  reviewPeople,
  REVIEW_SECTION_LABELS,
  sectionsBlockingMove,
  type ReviewContent,
  type ReviewSection,
  type ReviewStatus,
} from '@ikb/domain';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WriteService } from '../shared/write-service';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { User } from '../directory/user.entity';
import { Incident } from '../incidents/incident.entity';
import { IncidentService } from '../incidents/incident.service';
import { Problem } from '../problems/problem.entity';
import { ProblemService } from '../problems/problem.service';
import { applyReviewChanges } from './review-changes';
import { assembleTimeline } from './review-timeline';
import {
  ActionItem,
  ContributingFactor,
  FactorCategory,
  formatReviewNumber,
  Review,
  ReviewEvent,
  ReviewTemplate,
  ReviewTimelineEntry,
} from './review.entity';
import type {
  ActionItemInput,
  ActionItemStatusInput,
  ContributingFactorInput,
  CreateReviewInput,
  CurateEntryInput,
  FactorCategoryInput,
  FiveWhysInput,
  ReviewTemplateInput,
  TimelineEntryInput,
  UpdateReviewInput,
} from './review.inputs';

/**
 * Template for a review: one named on it, else one for an incident model used, else a major-only
 * one when an incident it covers is flagged major (priority alone never makes an incident major),
 * else one by priority, else the default.
 */
export async function templateFor(em: EntityManager, review: Review): Promise<ReviewTemplate | null> {
  if (review.templateId) return em.findOne(ReviewTemplate, { id: review.templateId });
  const rows = await em.execute<Record<string, unknown>[]>(
    `select t.* from review_templates t
      where t.model_id in (select v.model_id from review_incidents ri join incidents i on i.id = ri.incident_id
        join incident_model_versions v on v.id = i.model_version_id where ri.review_id = ?)
         or (t.major_only is false or exists (select 1 from review_incidents ri join incidents i on i.id = ri.incident_id
               where ri.review_id = ? and i.major))
            and coalesce(t.max_priority, case when t.major_only then 5 end) >= (select min(i.priority) from review_incidents ri
              join incidents i on i.id = ri.incident_id where ri.review_id = ?)
         or t.is_default
      order by (t.model_id is not null) desc, t.major_only desc, t.max_priority asc nulls last, t.is_default desc
      limit 1`,
    [review.id, review.id, review.id],
  );
  return rows[0] ? em.map(ReviewTemplate, rows[0]) : null;
}

export async function reviewContent(em: EntityManager, review: Review): Promise<ReviewContent> {
  // One after the other: inside a transaction they share one connection.
  const factors = await em.count(ContributingFactor, { reviewId: review.id });
  const items = await em.count(ActionItem, { reviewId: review.id });
  const timeline = await assembleTimeline(em, review.id);
  return contentOf(review, { factors, items }, timeline.length);
}

/** What the required sections are checked on, from the review, its counts and its visible timeline entries. */
export function contentOf(review: Review, counts: ReviewCounts, visibleTimelineEntries: number): ReviewContent {
  return {
    summary: review.summary,
    customerImpact: review.customerImpact,
    usersAffected: review.usersAffected,
    visibleTimelineEntries,
    contributingFactors: counts.factors,
    fiveWhys: review.fiveWhys,
    problemLinked: review.problemId !== null,
    wentWell: review.wentWell,
    wentBadly: review.wentBadly,
    lessons: review.lessons,
    actionItems: counts.items,
  };
}

export interface ReviewCounts {
  factors: number;
  items: number;
}

/** Contributing factors and action items of several reviews, counted in one statement. */
export async function reviewCountsOf(em: EntityManager, reviewIds: readonly string[]): Promise<Map<string, ReviewCounts>> {
  if (!reviewIds.length) return new Map();
  const rows = await em.execute<{ id: string; factors: string; items: string }[]>(
    `select k.id, (select count(*) from contributing_factors f where f.review_id = k.id) as factors,
        (select count(*) from action_items a where a.review_id = k.id) as items
       from (values ${reviewIds.map(() => '(?::uuid)').join(', ')}) as k(id)`,
    [...reviewIds],
  );
  const byId = new Map(rows.map((r) => [r.id, { factors: Number(r.factors), items: Number(r.items) }]));
  return new Map(reviewIds.map((id) => [id, byId.get(id) ?? { factors: 0, items: 0 }]));
}

/**
 * templateFor of several reviews in one statement (the review list's loader): the same choice,
 * the named template where the review has one.
 */
export async function templatesFor(
  em: EntityManager,
  reviews: readonly Pick<Review, 'id' | 'templateId'>[],
): Promise<Map<string, ReviewTemplate | null>> {
  if (!reviews.length) return new Map();
  const rows = await em.execute<(Record<string, unknown> & { review_id: string })[]>(
    `select k.review_id, t.*
       from (values ${reviews.map(() => '(?::uuid, ?::uuid)').join(', ')}) as k(review_id, template_id)
       cross join lateral (
         select t.* from review_templates t
          where case when k.template_id is not null then t.id = k.template_id
                else t.model_id in (select v.model_id from review_incidents ri join incidents i on i.id = ri.incident_id
                  join incident_model_versions v on v.id = i.model_version_id where ri.review_id = k.review_id)
                  or (t.major_only is false or exists (select 1 from review_incidents ri join incidents i on i.id = ri.incident_id
                        where ri.review_id = k.review_id and i.major))
                     and coalesce(t.max_priority, case when t.major_only then 5 end) >= (select min(i.priority)
                       from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = k.review_id)
                  or t.is_default end
          order by (t.model_id is not null) desc, t.major_only desc, t.max_priority asc nulls last, t.is_default desc
          limit 1) t`,
    reviews.flatMap((r) => [r.id, r.templateId]),
  );
  const byId = new Map(rows.map(({ review_id, ...t }) => [review_id, em.map(ReviewTemplate, t)]));
  return new Map(reviews.map((r) => [r.id, byId.get(r.id) ?? null]));
}

export class ReviewService extends WriteService {
  private event(em: EntityManager, review: Review, kind: string, summary: string, data: Record<string, unknown> | null = null) {
    review.updatedAt = this.now();
    em.persist(
      em.create(ReviewEvent, {
        reviewId: review.id,
        at: this.now(),
        actorName: this.actor.name,
        actorId: this.actor.id ?? null,
        kind,
        summary,
        data,
      } as ReviewEvent),
    );
  }

  private async load(em: EntityManager, id: string, field = 'id'): Promise<Review> {
    assertUuid(field, id);
    const r = await em.findOne(Review, { id });
    if (!r) throw notFound(field, 'review', id);
    return r;
  }

  /** Content can change only while the review is not published. */
  private async loadEditable(em: EntityManager, id: string, field = 'id'): Promise<Review> {
    const r = await this.load(em, id, field);
    if (r.status === 'PUBLISHED') {
      throw new AppError(
        'REVIEW_PUBLISHED',
        `${formatReviewNumber(r.seqNumber)} is published; move it back to draft with a reason to change it`,
        { field },
      );
    }
    return r;
  }

  private async checkUser(em: EntityManager, field: string, id: string | undefined | null) {
    if (!id) return;
    assertUuid(field, id);
    if (!(await em.findOne(User, { id }, { fields: ['id'] }))) throw notFound(field, 'user', id);
  }

  async create(input: CreateReviewInput): Promise<Review> {
    return this.tx(async (em) => {
      const ids = [...new Set(input.incidentIds)];
      const incidents = await em.find(Incident, { id: { $in: ids } });
      const missing = ids.find((id) => !incidents.some((i) => i.id === id));
      if (missing) throw notFound('incidentIds', 'incident', missing);
      await this.checkUser(em, 'facilitatorId', input.facilitatorId);
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('review_number_seq') as n`);
      const review = em.create(Review, {
        seqNumber: Number(n),
        title: input.title.trim(),
        facilitatorId: input.facilitatorId ?? null,
        meetingAt: input.meetingAt ?? null,
        createdAt: this.now(),
        updatedAt: this.now(),
      } as Review);
      em.persist(review);
      await em.flush();
      for (const id of ids) await em.execute(`insert into review_incidents (review_id, incident_id) values (?, ?)`, [review.id, id]);
      this.event(em, review, 'CREATED', `Review ${formatReviewNumber(review.seqNumber)} opened for ${incidents.length} incident(s)`, {
        incidentIds: ids,
      });
      return review;
    });
  }

  async update(id: string, input: UpdateReviewInput): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      await this.checkUser(em, 'facilitatorId', input.facilitatorId);
      let participants: Review['participants'] | undefined;
      if (input.participants) {
        for (const [i, p] of input.participants.entries()) {
          if (!p.userId && !p.name?.trim()) throw badInput(`input.participants.${i}`, 'needs a user or a name');
          await this.checkUser(em, `input.participants.${i}.userId`, p.userId);
        }
        const users = await em.find(User, { id: { $in: input.participants.flatMap((p) => (p.userId ? [p.userId] : [])) } });
        participants = input.participants.map((p) => ({
          ...(p.userId ? { userId: p.userId } : {}),
          name: p.name?.trim() || users.find((u) => u.id === p.userId)!.name,
        }));
      }
      if (input.templateId) {
        assertUuid('input.templateId', input.templateId);
        if (!(await em.findOne(ReviewTemplate, { id: input.templateId })))
          throw notFound('input.templateId', 'review template', input.templateId);
      }
      const peopleBefore = reviewPeople(r);
      const hadMeeting = r.meetingAt !== null;
      // Only what really differs from the stored review counts (and is written): see review-changes.ts.
      const changed = applyReviewChanges(r, { ...input, participants });
      if (changed.length) {
        // What notifications need, in the entry itself (no statement more): people added, a meeting removed.
        const added = reviewPeople(r).filter((u) => !peopleBefore.includes(u));
        this.event(em, r, 'UPDATED', `Updated ${changedInWords(changed)}`, {
          fields: changed,
          ...(added.length ? { addedUserIds: added, status: r.status } : {}),
          ...(hadMeeting && r.meetingAt === null ? { meetingRemoved: true } : {}),
        });
      }
      return r;
    });
  }

  async setIncidents(id: string, incidentIds: string[], add: boolean): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      for (const incidentId of new Set(incidentIds)) {
        assertUuid('incidentIds', incidentId);
        if (add) {
          if (!(await em.findOne(Incident, { id: incidentId }, { fields: ['id'] }))) throw notFound('incidentIds', 'incident', incidentId);
          await em.execute(`insert into review_incidents (review_id, incident_id) values (?, ?) on conflict do nothing`, [
            r.id,
            incidentId,
          ]);
        } else {
          await em.execute(`delete from review_incidents where review_id = ? and incident_id = ?`, [r.id, incidentId]);
        }
      }
      const [{ n }] = await em.execute<{ n: string }[]>(`select count(*) as n from review_incidents where review_id = ?`, [r.id]);
      if (Number(n) === 0) throw badInput('incidentIds', 'a review covers at least one incident');
      if (add) await this.linkIncidentsToRootCause(em, r);
      this.event(em, r, add ? 'INCIDENTS_ADDED' : 'INCIDENTS_REMOVED', `${add ? 'Added' : 'Removed'} ${incidentIds.length} incident(s)`, {
        incidentIds,
      });
      return r;
    });
  }

  async setFiveWhys(id: string, input: FiveWhysInput): Promise<Review> {
    if (input.problemId && input.newProblem) throw badInput('input.newProblem', 'give an existing problem or a new one, not both');
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      r.fiveWhys = input.whys.map((w) => ({ why: w.why.trim(), answer: w.answer.trim() }));
      if (input.problemId) {
        assertUuid('input.problemId', input.problemId);
        if (!(await em.findOne(Problem, { id: input.problemId }))) throw notFound('input.problemId', 'problem', input.problemId);
        r.problemId = input.problemId;
        await this.linkIncidentsToRootCause(em, r);
      } else if (input.newProblem) {
        // The root cause the review found becomes a problem record, linked to every incident reviewed.
        const incidents = await em.execute<{ incident_id: string }[]>(`select incident_id from review_incidents where review_id = ?`, [
          r.id,
        ]);
        const first = await em.findOne(Incident, { id: incidents[0]!.incident_id });
        const problems = new ProblemService(em, this.actor, this.opts);
        const p = await problems.create({
          title: input.newProblem.title,
          rootCause: input.newProblem.rootCause,
          rootCauseCategory: input.newProblem.rootCauseCategory,
          description: `Root cause found in review ${formatReviewNumber(r.seqNumber)}: ${r.title}`,
          analysisNotes: r.fiveWhys.map((w, i) => `${i + 1}. ${w.why} — ${w.answer}`).join('\n'),
          serviceId: first?.serviceId ?? undefined,
          categoryId: first?.categoryId ?? undefined,
          incidentIds: incidents.map((x) => x.incident_id),
        });
        if (input.newProblem.rootCauseCategory !== 'UNKNOWN')
          await problems.transition(p.id, 'KNOWN_ERROR', `Root cause documented in ${formatReviewNumber(r.seqNumber)}`);
        r.problemId = p.id;
      }
      this.event(em, r, 'FIVE_WHYS', `Five whys recorded (${r.fiveWhys.length})${r.problemId ? ', root cause linked' : ''}`, {
        problemId: r.problemId,
      });
      return r;
    });
  }

  /**
   * The root cause a review names is the problem of every incident it covers: linking them is what
   * makes recurrence count them. An incident linked to another problem moves (events on both sides).
   */
  private async linkIncidentsToRootCause(em: EntityManager, r: Review) {
    if (!r.problemId) return;
    const rows = await em.execute<{ incident_id: string }[]>(
      `select ri.incident_id from review_incidents ri join incidents i on i.id = ri.incident_id
        where ri.review_id = ? and i.problem_id is distinct from ? order by i.number`,
      [r.id, r.problemId],
    );
    const problems = new ProblemService(em, this.actor, this.opts);
    for (const { incident_id } of rows) await problems.linkIncident(incident_id, r.problemId);
  }

  private async curation(em: EntityManager, r: Review, entryId: string): Promise<ReviewTimelineEntry> {
    if (entryId.startsWith('detected:'))
      throw badInput('entryId', 'detection entries come from the incident and cannot be curated; add a note instead');
    assertUuid('entryId', entryId);
    const own = await em.findOne(ReviewTimelineEntry, { id: entryId, reviewId: r.id });
    if (own) return own;
    const covered = await em.execute(
      `select 1 from incident_events e join review_incidents ri on ri.incident_id = e.incident_id where e.id = ? and ri.review_id = ?`,
      [entryId, r.id],
    );
    if (!covered.length) throw notFound('entryId', 'timeline entry of this review', entryId);
    const existing = await em.findOne(ReviewTimelineEntry, { reviewId: r.id, incidentEventId: entryId });
    if (existing) return existing;
    const c = em.create(ReviewTimelineEntry, { reviewId: r.id, incidentEventId: entryId, createdAt: this.now() } as ReviewTimelineEntry);
    em.persist(c);
    return c;
  }

  async curate(id: string, entryId: string, input: CurateEntryInput): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      const c = await this.curation(em, r, entryId);
      if (input.starred != null) c.starred = input.starred;
      if (input.hidden != null) c.hidden = input.hidden;
      if (input.annotation != null) c.annotation = input.annotation.trim() || null;
      this.event(
        em,
        r,
        'TIMELINE_CURATED',
        `Timeline entry ${[
          input.starred != null ? (input.starred ? 'starred' : 'unstarred') : '',
          input.hidden != null ? (input.hidden ? 'hidden' : 'shown') : '',
          input.annotation != null ? 'annotated' : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
        { entryId },
      );
      return r;
    });
  }

  async addTimelineEntry(id: string, input: TimelineEntryInput): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      if (Number.isNaN(input.at.getTime())) throw badInput('input.at', 'is not a valid date');
      em.persist(
        em.create(ReviewTimelineEntry, {
          reviewId: r.id,
          at: input.at,
          text: input.text.trim(),
          authorName: this.actor.name,
          createdAt: this.now(),
        } as ReviewTimelineEntry),
      );
      this.event(em, r, 'TIMELINE_ENTRY_ADDED', `Added a timeline entry at ${input.at.toISOString()}`);
      return r;
    });
  }

  async removeTimelineEntry(id: string, entryId: string): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      assertUuid('entryId', entryId);
      const entry = await em.findOne(ReviewTimelineEntry, { id: entryId, reviewId: r.id, incidentEventId: null });
      if (!entry) throw notFound('entryId', 'added timeline entry of this review', entryId);
      em.remove(entry);
      this.event(em, r, 'TIMELINE_ENTRY_REMOVED', 'Removed an added timeline entry', { entryId });
      return r;
    });
  }

  private async checkEvidence(em: EntityManager, r: Review, evidence: string[]) {
    if (!evidence.length) return;
    const ids = new Set((await assembleTimeline(em, r.id, { includeHidden: true })).map((e) => e.id));
    evidence.forEach((e, i) => {
      if (!ids.has(e)) throw badInput(`input.evidence.${i}`, `"${e.slice(0, 60)}" is not an entry of this review's timeline`);
    });
  }

  private async checkCategory(em: EntityManager, key: string) {
    const c = await em.findOne(FactorCategory, { key });
    if (!c || !c.active) {
      const active = await em.find(FactorCategory, { active: true }, { orderBy: { position: 'asc' } });
      // The names people read in the list; extensions.allowed keeps the keys for API clients.
      throw new AppError(
        'BAD_USER_INPUT',
        fieldMessage(
          'input.categoryKey',
          `"${key}" is not one in use; choose ${listInWords(
            active.map((c) => c.name),
            'or',
          )}`,
        ),
        { field: 'input.categoryKey', allowed: active.map((c) => c.key) },
      );
    }
  }

  async addFactor(id: string, input: ContributingFactorInput): Promise<ContributingFactor> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      await this.checkCategory(em, input.categoryKey);
      await this.checkEvidence(em, r, input.evidence);
      const f = em.create(ContributingFactor, {
        reviewId: r.id,
        categoryKey: input.categoryKey,
        description: input.description.trim(),
        evidence: [...new Set(input.evidence)],
        createdAt: this.now(),
      } as ContributingFactor);
      em.persist(f);
      this.event(em, r, 'FACTOR_ADDED', `Contributing factor (${input.categoryKey}): ${input.description.slice(0, 120)}`, {
        factorId: f.id,
      });
      return f;
    });
  }

  async updateFactor(factorId: string, input: ContributingFactorInput): Promise<ContributingFactor> {
    return this.tx(async (em) => {
      assertUuid('factorId', factorId);
      const f = await em.findOne(ContributingFactor, { id: factorId });
      if (!f) throw notFound('factorId', 'contributing factor', factorId);
      const r = await this.loadEditable(em, f.reviewId);
      await this.checkCategory(em, input.categoryKey);
      await this.checkEvidence(em, r, input.evidence);
      f.categoryKey = input.categoryKey;
      f.description = input.description.trim();
      f.evidence = [...new Set(input.evidence)];
      this.event(em, r, 'FACTOR_UPDATED', `Contributing factor updated (${input.categoryKey})`, { factorId });
      return f;
    });
  }

  async removeFactor(factorId: string): Promise<Review> {
    return this.tx(async (em) => {
      assertUuid('factorId', factorId);
      const f = await em.findOne(ContributingFactor, { id: factorId });
      if (!f) throw notFound('factorId', 'contributing factor', factorId);
      const r = await this.loadEditable(em, f.reviewId);
      em.remove(f);
      this.event(em, r, 'FACTOR_REMOVED', 'Contributing factor removed', { factorId });
      return r;
    });
  }

  private async checkActionLinks(em: EntityManager, input: ActionItemInput, keptDueDate?: string) {
    await this.checkUser(em, 'input.ownerId', input.ownerId);
    const links: [string, string | undefined, string, string][] = [
      ['input.problemId', input.problemId, 'problems', 'problem'],
      ['input.workaroundId', input.workaroundId, 'workarounds', 'workaround'],
      ['input.modelId', input.modelId, 'incident_models', 'incident model'],
    ];
    for (const [field, value, table, what] of links) {
      if (!value) continue;
      assertUuid(field, value);
      if (!(await em.execute(`select 1 from ${table} where id = ?`, [value])).length) throw notFound(field, what, value);
    }
    const due = new Date(`${input.dueDate}T00:00:00Z`);
    if (Number.isNaN(due.getTime()) || due.toISOString().slice(0, 10) !== input.dueDate)
      throw badInput('input.dueDate', `"${input.dueDate}" is not a real date`);
    const outOfRange = dateProblem(due);
    if (outOfRange) throw badInput('input.dueDate', outOfRange);
    const zone = input.timeZone ?? 'UTC';
    if (!isValidTimeZone(zone))
      throw badInput('input.timeZone', `"${String(zone).slice(0, 64)}" is not an IANA time zone (e.g. Europe/Berlin)`);
    // A due date kept as it was may have passed since; a new or changed one may not lie in the past.
    if (input.dueDate !== keptDueDate) {
      const past = dueDateProblem(input.dueDate, localDateIn(this.now(), zone));
      if (past) throw badInput('input.dueDate', past);
    }
  }

  async addActionItem(id: string, input: ActionItemInput): Promise<ActionItem> {
    return this.tx(async (em) => {
      const r = await this.loadEditable(em, id);
      await this.checkActionLinks(em, input);
      const item = em.create(ActionItem, {
        reviewId: r.id,
        title: input.title.trim(),
        ownerId: input.ownerId,
        dueDate: input.dueDate,
        kind: input.kind,
        priority: input.priority,
        problemId: input.problemId ?? r.problemId ?? null,
        workaroundId: input.workaroundId ?? null,
        modelId: input.modelId ?? null,
        createdAt: this.now(),
        updatedAt: this.now(),
      } as ActionItem);
      em.persist(item);
      this.event(em, r, 'ACTION_ITEM_ADDED', `Action item: ${item.title} (due ${item.dueDate})`, {
        actionItemId: item.id,
        ownerId: item.ownerId,
      });
      return item;
    });
  }

  async updateActionItem(itemId: string, input: ActionItemInput): Promise<ActionItem> {
    return this.tx(async (em) => {
      const item = await this.loadItem(em, itemId);
      const r = await this.load(em, item.reviewId);
      await this.checkActionLinks(em, input, item.dueDate);
      const ownerFrom = item.ownerId;
      Object.assign(item, {
        title: input.title.trim(),
        ownerId: input.ownerId,
        dueDate: input.dueDate,
        kind: input.kind,
        priority: input.priority,
        // Not sending problemId keeps the link: the item keeps counting recurrences of its problem.
        problemId: input.problemId ?? item.problemId,
        workaroundId: input.workaroundId ?? null,
        modelId: input.modelId ?? null,
        updatedAt: this.now(),
      });
      this.event(em, r, 'ACTION_ITEM_UPDATED', `Action item updated: ${item.title}`, {
        actionItemId: item.id,
        ...(ownerFrom !== item.ownerId ? { ownerId: item.ownerId, ownerFrom } : {}),
      });
      return item;
    });
  }

  private async loadItem(em: EntityManager, itemId: string): Promise<ActionItem> {
    assertUuid('actionItemId', itemId);
    const item = await em.findOne(ActionItem, { id: itemId });
    if (!item) throw notFound('actionItemId', 'action item', itemId);
    return item;
  }

  /** Action items move on after publication too: that is how the loop gets closed. */
  async setActionItemStatus(itemId: string, input: ActionItemStatusInput): Promise<ActionItem> {
    const problem = checkActionItemStatus(input.status, input.reason);
    if (problem) throw badInput('input.reason', problem);
    return this.tx(async (em) => {
      const item = await this.loadItem(em, itemId);
      // Engineers work on the action items they own; problem managers and admins on any.
      if (this.actor.role === 'ENGINEER' && item.ownerId !== this.actor.id) {
        throw new AppError(
          'FORBIDDEN',
          `Engineers may change the status of action items they own; "${item.title}" is owned by someone else`,
          { field: 'id' },
        );
      }
      const r = await this.load(em, item.reviewId);
      const from = item.status;
      item.status = input.status;
      item.wontDoReason = input.status === 'WONT_DO' ? input.reason!.trim() : null;
      item.doneAt = input.status === 'DONE' ? (item.doneAt ?? this.now()) : null;
      item.updatedAt = this.now();
      this.event(
        em,
        r,
        'ACTION_ITEM_STATUS',
        `Action item "${item.title}": ${from} -> ${input.status}${input.reason ? ` (${input.reason})` : ''}`,
        { actionItemId: item.id },
      );
      return item;
    });
  }

  async removeActionItem(itemId: string): Promise<Review> {
    return this.tx(async (em) => {
      const item = await this.loadItem(em, itemId);
      const r = await this.loadEditable(em, item.reviewId);
      em.remove(item);
      this.event(em, r, 'ACTION_ITEM_REMOVED', `Action item removed: ${item.title}`, { actionItemId: item.id });
      return r;
    });
  }

  async transition(id: string, to: ReviewStatus, reason?: string): Promise<Review> {
    return this.tx(async (em) => {
      const r = await this.load(em, id);
      const err = checkReviewMove(r.status, to, reason);
      if (err?.code === 'ILLEGAL_TRANSITION') throw new AppError('ILLEGAL_TRANSITION', err.message, { from: r.status, to });
      if (err) throw badInput('reason', err.message);
      if (to !== 'DRAFT') {
        const template = await templateFor(em, r);
        const required = (template?.requiredSections ?? []) as ReviewSection[];
        const missing = sectionsBlockingMove(to, await reviewContent(em, r), required);
        if (missing.length) {
          const what = to === 'PUBLISHED' ? 'be published' : 'go to review';
          throw new AppError(
            'REVIEW_INCOMPLETE',
            `${formatReviewNumber(r.seqNumber)} cannot ${what} yet: fill in ${describeSections(missing)} ` +
              `(required by the template "${template?.name}")`,
            { missing, template: template?.name, labels: missing.map((m) => REVIEW_SECTION_LABELS[m]) },
          );
        }
      }
      const from = r.status;
      r.status = to;
      r.publishedAt = to === 'PUBLISHED' ? this.now() : r.publishedAt;
      this.event(em, r, 'STATUS_CHANGED', `${from} -> ${to}${reason ? `: ${reason}` : ''}`, { from, to, reason: reason ?? null });
      if (to === 'PUBLISHED') {
        // Publishing completes the practice for closed incidents: they become REVIEWED.
        const closed = await em.execute<{ id: string }[]>(
          `select i.id from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = ? and i.status = 'CLOSED'`,
          [r.id],
        );
        for (const { id: incidentId } of closed) {
          await new IncidentService(em, this.actor, { now: this.now() }).transition(incidentId, {
            to: 'REVIEWED',
            note: `Review ${formatReviewNumber(r.seqNumber)} published`,
          });
        }
      }
      return r;
    });
  }

  async createTemplate(input: ReviewTemplateInput): Promise<ReviewTemplate> {
    const t = this.em.create(ReviewTemplate, {
      name: input.name.trim(),
      requiredSections: [...new Set(input.requiredSections)],
      maxPriority: input.maxPriority ?? null,
      majorOnly: input.majorOnly ?? false,
      modelId: input.modelId ?? null,
    } as ReviewTemplate);
    try {
      await this.em.transactional(async (em) => {
        if (input.modelId && !(await em.execute(`select 1 from incident_models where id = ?`, [input.modelId])).length)
          throw notFound('input.modelId', 'incident model', input.modelId);
        em.persist(t);
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new AppError('CONFLICT', 'name: a template with this name already exists', { field: 'name' });
      throw err;
    }
    return t;
  }

  async createFactorCategory(input: FactorCategoryInput): Promise<FactorCategory> {
    return this.em.transactional(async (em) => {
      if (await em.findOne(FactorCategory, { key: input.key }))
        throw new AppError('CONFLICT', `key: factor category ${input.key} already exists`, { field: 'key' });
      const [{ n }] = await em.execute<{ n: number }[]>(`select coalesce(max(position), 0) + 1 as n from factor_categories`);
      const c = em.create(FactorCategory, {
        key: input.key,
        name: input.name.trim(),
        description: input.description,
        active: true,
        position: Number(n),
      } as FactorCategory);
      em.persist(c);
      return c;
    });
  }

  async setFactorCategoryActive(key: string, active: boolean): Promise<FactorCategory> {
    return this.em.transactional(async (em) => {
      const c = await em.findOne(FactorCategory, { key });
      if (!c) throw notFound('key', 'factor category', key);
      c.active = active;
      return c;
    });
  }
}
