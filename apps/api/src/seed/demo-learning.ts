// The demo's learning loop (issue 27): working calendars, a year of knowledge lifecycle (owners,
// reviews, reclassified problems, a new known error), and the votes engineers left after applying
// workarounds and models. Runs after the incident replay, in its transaction, through the services
// the API uses, at the historical times they happened.
import type { KnowledgeKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../graphql/actor';
import type { Category } from '../features/directory/category.entity';
import type { Service } from '../features/directory/service.entity';
import type { Team } from '../features/directory/team.entity';
import type { User } from '../features/directory/user.entity';
import { KnowledgeService } from '../features/knowledge/knowledge.service';
import { ProblemService } from '../features/problems/problem.service';
import { SlaService } from '../features/sla/sla.service';
import { setWorkingCalendar } from '../features/workload/working-calendar.service';
import {
  HELPFUL_REASONS,
  IN_REVIEW_DAYS_AGO,
  KNOWLEDGE_HISTORY,
  NEW_KNOWN_ERROR,
  NOT_HELPFUL,
  PERSON_CALENDARS,
  RECLASSIFIED,
  TEAM_CALENDARS,
  WORK_CALENDARS,
} from './demo-learning-data';
import type { Random } from './random';

const MIN = 60_000;
const DAY = 1440 * MIN;

export interface DemoWorld {
  em: EntityManager;
  rnd: Random;
  start: Date;
  until: Date;
  users: User[];
  teams: Map<string, Team>;
  services: Map<string, Service>;
  categories: Map<string, Category>;
  /** The Berlin office calendar the seed made for Workplace IT's SLA. */
  officeCalendarId: string;
  /** Per problem story: its problem and workaround. */
  knowledge: Map<string, { problemId: string; workaroundId: string | null }>;
  /** Per story: its incident model. */
  models: Map<string, string>;
  manager: Actor;
  admin: Actor;
}

const actorOf = (u: User): Actor => ({ id: u.id, name: u.name, role: u.role });
/** A fresh identity map in the seed's transaction: the problems were changed by other forks since they were loaded. */
const fresh = (em: EntityManager) => em.fork({ keepTransactionContext: true });

export async function seedLearningLoop(w: DemoWorld): Promise<void> {
  await workingCalendars(w);
  await newKnownError(w);
  await historicalLifecycle(w.em);
  await knowledgeHistory(w);
  await feedback(w);
}

/** Teams' hours and a couple of people's own, as an admin sets them (decision 0009). */
async function workingCalendars(w: DemoWorld) {
  const sla = new SlaService(w.em);
  const ids = new Map<string, string>([['office', w.officeCalendarId]]);
  for (const c of WORK_CALENDARS) {
    const cal = await sla.createCalendar({ name: c.name, timeZone: c.timeZone, weeklyHours: [...c.weeklyHours], holidays: [] });
    ids.set(c.key, cal.id);
  }
  for (const [team, key] of Object.entries(TEAM_CALENDARS))
    await setWorkingCalendar(w.em, w.admin, { teamId: w.teams.get(team)!.id, calendarId: ids.get(key)! });
  for (const p of PERSON_CALENDARS) {
    const user = w.users.find((u) => u.name === p.name)!;
    await setWorkingCalendar(w.em, w.admin, { userId: user.id, calendarId: ids.get(p.calendar)!, timeZone: p.timeZone });
  }
}

/** A problem opened weeks ago for the new starters' missing groups, a known error since last week. */
async function newKnownError(w: DemoWorld) {
  const ke = NEW_KNOWN_ERROR;
  const at = (daysAgo: number) => new Date(w.until.getTime() - daysAgo * DAY);
  const owner = w.users.find((u) => u.name === ke.owner)!;
  const problems = (t: Date) => new ProblemService(fresh(w.em), actorOf(owner), { now: t });
  const opened = at(ke.createdDaysAgo);
  const rows = await w.em.execute<{ id: string; last_at: Date | string }[]>(
    // Linked after the incident's last event: its timeline stays in order.
    `select i.id, (select max(e.at) from incident_events e where e.incident_id = i.id) as last_at from incidents i
      where i.title = ? and i.opened_at >= ? and i.resolved_at is not null order by i.opened_at, i.id`,
    [ke.story, new Date(opened.getTime() - 60 * DAY)],
  );
  const story = await w.em.execute<{ service_id: string; category_id: string }[]>(
    `select service_id, category_id from incidents where title = ? and service_id is not null limit 1`,
    [ke.story],
  );
  const problem = await problems(opened).create({
    title: ke.title,
    description: ke.description,
    keywords: ke.keywords,
    serviceId: story[0]?.service_id ?? w.services.get('Single Sign-On')!.id,
    categoryId: story[0]?.category_id ?? w.categories.get('Access/Permissions')!.id,
    ownerId: owner.id,
    teamId: owner.teamId ?? undefined,
    analysisNotes: 'Opened after the third report of new joiners without access this month.',
  });
  // Every write at its own time, in time order: both timelines (incident and problem) stay in order.
  const known = at(ke.knownErrorDaysAgo).getTime();
  const writes: { at: number; write: (t: Date) => Promise<unknown> }[] = [
    { at: known, write: (t) => problems(t).update(problem.id, { rootCause: ke.rootCause!, rootCauseCategory: ke.rootCauseCategory }) },
    { at: known, write: (t) => problems(t).transition(problem.id, 'KNOWN_ERROR') },
  ];
  for (const r of rows) {
    const t = Math.max(opened.getTime(), new Date(r.last_at).getTime() + 2 * 60 * MIN);
    if (t < w.until.getTime()) writes.push({ at: t, write: (when) => problems(when).linkIncident(r.id, problem.id) });
  }
  writes.sort((a, b) => a.at - b.at);
  for (const x of writes) await x.write(new Date(x.at));
}

/**
 * The lifecycle triggers stamp rows with the database's clock (the seed's wall time), but the
 * items were published during the year: the rows are set to what the triggers would have written
 * then (migration 20261212300000: published at creation, the review due the kind's days later).
 * A new database has no backfill, so its 30-day grace does not apply: a year-old item is overdue.
 */
async function historicalLifecycle(em: EntityManager) {
  await em.execute(
    `with h as (
       select 'WORKAROUND'::varchar as kind, w.id as item_id, w.created_at as at, coalesce(w.retired_at, w.created_at) as changed
         from workarounds w
       union all
       select 'MODEL', m.id, m.created_at, m.created_at from incident_models m
       union all
       select 'KNOWN_ERROR', p.id, p.known_error_at, coalesce(p.resolved_at, p.known_error_at) from problems p
     )
     update knowledge_items k
        set created_at = h.at, state_changed_at = h.changed, updated_at = h.changed,
            reviewed_at = case when k.reviewed_at is not null then h.at end,
            review_by = case when k.review_by is not null then h.at + make_interval(days => knowledge_default_days(k.kind)) end
       from h where h.kind = k.kind and h.item_id = k.item_id and h.at is not null`,
  );
}

/** Owners, reviews at their historical dates, reclassified problems, a draft waiting in review. */
async function knowledgeHistory(w: DemoWorld) {
  const userId = (name: string) => w.users.find((u) => u.name === name)!.id;
  const knowledge = (t: Date) => new KnowledgeService(w.em, w.manager, { now: t });
  const dayOf = (d: number) => new Date(w.start.getTime() + d * DAY);
  const reviews: { at: Date; kind: KnowledgeKind; itemId: string }[] = [];
  for (const h of KNOWLEDGE_HISTORY) {
    const k = w.knowledge.get(h.story)!;
    const parts: [KnowledgeKind, string | null | undefined, { owner: string; reviewedOn?: number } | undefined][] = [
      ['WORKAROUND', k.workaroundId, h.workaround],
      ['KNOWN_ERROR', k.problemId, h.knownError],
      ['MODEL', w.models.get(h.story), h.model],
    ];
    for (const [kind, itemId, plan] of parts) {
      if (!itemId || !plan) continue;
      await knowledge(dayOf(30)).setOwner({ kind, itemId, ownerId: userId(plan.owner) });
      if (plan.reviewedOn !== undefined) reviews.push({ at: dayOf(plan.reviewedOn), kind, itemId });
    }
  }
  reviews.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const r of reviews) await knowledge(r.at).markReviewed({ kind: r.kind, itemId: r.itemId });

  for (const r of RECLASSIFIED) {
    const problemId = w.knowledge.get(r.story)!.problemId;
    await new ProblemService(fresh(w.em), w.manager, { now: new Date(w.until.getTime() - r.daysAgo * DAY) }).update(problemId, {
      ...(r.category ? { categoryId: w.categories.get(r.category)!.id } : {}),
      ...(r.service ? { serviceId: w.services.get(r.service)!.id } : {}),
      ...(r.team ? { teamId: w.teams.get(r.team)!.id } : {}),
      ...(r.note ? { analysisNotes: r.note } : {}),
    });
  }

  const drafts = await w.em.execute<{ item_id: string }[]>(
    `select item_id from knowledge_items where kind = 'WORKAROUND' and state = 'DRAFT' order by created_at, item_id limit 1`,
  );
  for (const d of drafts) {
    const at = new Date(w.until.getTime() - IN_REVIEW_DAYS_AGO * DAY);
    await knowledge(at).transition({ kind: 'WORKAROUND', itemId: d.item_id, to: 'IN_REVIEW' });
  }
}

interface Application {
  kind: KnowledgeKind;
  item_id: string;
  incident_id: string;
  user_id: string;
  resolved_at: Date | string;
  restored: boolean | null;
  reopened: boolean;
}

/** After resolving, about half the engineers said whether what they applied helped (one click, a reason now and then). */
async function feedback(w: DemoWorld) {
  const apps = await w.em.execute<Application[]>(
    `select 'WORKAROUND' as kind, a.workaround_id as item_id, a.incident_id, a.applied_by_id as user_id, i.resolved_at,
            a.restored_service as restored, i.reopen_count > 0 as reopened
       from workaround_applications a join incidents i on i.id = a.incident_id
      where a.applied_by_id is not null and i.resolved_at is not null
     union all
     select 'MODEL', v.model_id, a.incident_id, a.applied_by_id, i.resolved_at, null, i.reopen_count > 0
       from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
       join incidents i on i.id = a.incident_id
      where a.applied_by_id is not null and i.resolved_at is not null
     order by resolved_at, kind, item_id, incident_id`,
  );
  const people = new Map(w.users.map((u) => [u.id, u]));
  for (const a of apps) {
    if (!w.rnd.chance(a.kind === 'WORKAROUND' ? 0.6 : 0.5)) continue;
    const user = people.get(a.user_id);
    if (!user) continue;
    let helpful: boolean;
    let reason: string | null;
    if (a.reopened) [helpful, reason] = [false, w.rnd.pick(NOT_HELPFUL.reopened)];
    else if (a.restored === false) [helpful, reason] = [false, w.rnd.pick(NOT_HELPFUL.notRestored)];
    else if (a.kind === 'MODEL' && w.rnd.chance(0.25)) [helpful, reason] = [false, w.rnd.pick(NOT_HELPFUL.model)];
    else [helpful, reason] = [true, w.rnd.pick(HELPFUL_REASONS)];
    const at = Math.min(new Date(a.resolved_at).getTime() + w.rnd.minutes(20) * MIN, w.until.getTime() - MIN);
    await new KnowledgeService(w.em, actorOf(user), { now: new Date(at) }).giveFeedback({
      kind: a.kind,
      itemId: a.item_id,
      incidentId: a.incident_id,
      helpful,
      reason,
      context: 'APPLIED',
    });
  }
}
