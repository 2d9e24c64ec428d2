import { fieldLabel } from '@ikb/domain';
import { expect, vi } from 'vitest';
import { createCategory, createService, createTeam, createUser } from './factories';
import type { ActionItem, ContributingFactor, NumberRef, Review } from './gql-types';
import type { GqlResult, TestApp } from './test-app';
import { ok } from './test-app';

/**
 * Factories and checks for post-incident reviews, all through GraphQL over HTTP, plus a
 * fixed cast and a realistic two-incident outage with a full history at fixed times.
 */

// ---- clock --------------------------------------------------------------------------------------

/**
 * Sets the wall clock of this test process, which is also the API's clock (the server runs in the
 * same process): what the API records as "now" is then exactly this instant, until the next call.
 * Only `Date` is mocked; timers run as usual.
 *
 * The clock only moves forward within a test file: the API's rate limiter keeps per-caller buckets
 * on Date.now(), and a step back in time empties them (RATE_LIMITED for as long as the step). So a
 * file sets its first fixed time before its first request, and goes back to the real clock
 * (`realClock()`) only when it has no fixed times left.
 */
let last = -Infinity;
export function clock(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad clock time ${iso}`);
  if (d.getTime() < last) throw new Error(`clock(${iso}): the clock must not go back (it was at ${new Date(last).toISOString()})`);
  last = d.getTime();
  vi.setSystemTime(d);
  return d;
}

export function realClock(): void {
  vi.useRealTimers();
  last = Math.max(last, Date.now());
}

// ---- generic calls ------------------------------------------------------------------------------

/** Runs an operation that must succeed and returns its (only) root field. */
export async function call<T = unknown>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<T> {
  const d = ok(await t.gql<Record<string, T>>(query, variables, headers));
  return Object.values(d)[0]!;
}

/**
 * Asserts the call failed with exactly one error of `code`, returned no data, and (when `field` is
 * given) named that field in extensions.field and in the message.
 */
export function expectRefused(r: GqlResult, code: string, field?: string) {
  const dump = JSON.stringify({ status: r.status, data: r.data, errors: r.errors });
  expect(r.errors?.length, `expected one ${code} error: ${dump}`).toBe(1);
  const values = r.data ? Object.values(r.data as Record<string, unknown>) : [];
  expect(
    values.every((v) => v === null),
    `expected no data: ${dump}`,
  ).toBe(true);
  const e = r.errors![0]!;
  expect(e.extensions?.code, dump).toBe(code);
  if (field !== undefined) {
    expect(e.extensions?.field, dump).toBe(field);
    // In words ("Due date"), never the path ("input.dueDate").
    expect(e.message.toLowerCase(), dump).toContain(fieldLabel(field).toLowerCase());
    if (/[a-z][A-Z]|\./.test(field)) expect(e.message, dump).not.toContain(field);
  }
  return e;
}

export const as = (u: { email: string }) => ({ 'x-actor-email': u.email });

// ---- fields -------------------------------------------------------------------------------------

export const TIMELINE_ITEM_FIELDS = 'id source at incidentNumber kind summary actorName starred hidden annotation';

export const ACTION_ITEM_FIELDS = `id title kind priority status dueDate overdue wontDoReason doneAt createdAt modelId recurrencesAfter
  owner { id name } problem { id number } workaround { id title } review { id number }`;

export const FACTOR_FIELDS = 'id description evidence createdAt category { key name active }';

export const REVIEW_FIELDS = `id number title status summary customerImpact usersAffected wentWell wentBadly lessons meetingAt
  publishedAt createdAt updatedAt
  facilitator { id name } participants { name user { id name } }
  incidents { id number status priority major }
  fiveWhys { why answer }
  problem { id number title status rootCause rootCauseCategory analysisNotes incidentCount }
  template { id name requiredSections } missingSections recurrencesAfterActions
  contributingFactors { ${FACTOR_FIELDS} }
  actionItems { ${ACTION_ITEM_FIELDS} }
  history { kind summary actorName at }`;

// ---- reviews ------------------------------------------------------------------------------------

export function createReviewRaw(t: TestApp, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql<{ createReview: Review }>(
    `mutation($input: CreateReviewInput!) { createReview(input: $input) { ${REVIEW_FIELDS} } }`,
    { input },
    headers,
  );
}

export async function createReview(t: TestApp, input: Record<string, unknown>, headers?: Record<string, string>) {
  return ok(await createReviewRaw(t, { title: 'Post-incident review', ...input }, headers)).createReview;
}

export function updateReviewRaw(t: TestApp, id: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql<{ updateReview: Review }>(
    `mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { ${REVIEW_FIELDS} } }`,
    { id, input },
    headers,
  );
}

export async function updateReview(t: TestApp, id: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return ok(await updateReviewRaw(t, id, input, headers)).updateReview;
}

export async function getReview(t: TestApp, id: string) {
  return call<Review>(t, `query($id: ID!) { review(id: $id) { ${REVIEW_FIELDS} } }`, { id });
}

export function transitionReviewRaw(t: TestApp, id: string, to: string, reason?: string, headers?: Record<string, string>) {
  return t.gql<{ transitionReview: Review }>(
    `mutation($id: ID!, $to: ReviewStatus!, $reason: String) { transitionReview(id: $id, to: $to, reason: $reason) { ${REVIEW_FIELDS} } }`,
    { id, to, reason },
    headers,
  );
}

export async function transitionReview(t: TestApp, id: string, to: string, reason?: string, headers?: Record<string, string>) {
  return ok(await transitionReviewRaw(t, id, to, reason, headers)).transitionReview;
}

export async function timeline(t: TestApp, reviewId: string, includeHidden = false) {
  const review = await call<{ timeline: TimelineItem[] }>(
    t,
    `query($id: ID!, $h: Boolean!) { review(id: $id) { timeline(includeHidden: $h) { ${TIMELINE_ITEM_FIELDS} } } }`,
    { id: reviewId, h: includeHidden },
  );
  return review.timeline;
}

export interface TimelineItem {
  id: string;
  source: 'DETECTION' | 'INCIDENT_EVENT' | 'ADDED';
  at: string;
  incidentNumber: string | null;
  kind: string;
  summary: string;
  actorName: string | null;
  starred: boolean;
  hidden: boolean;
  annotation: string | null;
}

export function curateRaw(t: TestApp, id: string, entryId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql(
    `mutation($id: ID!, $e: String!, $input: CurateEntryInput!) { curateTimelineEntry(id: $id, entryId: $e, input: $input) { id } }`,
    { id, e: entryId, input },
    headers,
  );
}

export async function curate(t: TestApp, id: string, entryId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  ok(await curateRaw(t, id, entryId, input, headers));
}

export function addEntryRaw(t: TestApp, id: string, input: { at: string; text: string }, headers?: Record<string, string>) {
  return t.gql(
    `mutation($id: ID!, $input: TimelineEntryInput!) { addTimelineEntry(id: $id, input: $input) { id } }`,
    { id, input },
    headers,
  );
}

/** Adds a reviewer's entry and returns its id (the ADDED entry with that text). */
export async function addEntry(
  t: TestApp,
  id: string,
  input: { at: string; text: string },
  headers?: Record<string, string>,
): Promise<string> {
  ok(await addEntryRaw(t, id, input, headers));
  const added = (await timeline(t, id, true)).filter((e) => e.source === 'ADDED' && e.summary === input.text.trim());
  expect(added).toHaveLength(1);
  return added[0]!.id;
}

export function removeEntryRaw(t: TestApp, id: string, entryId: string) {
  return t.gql(`mutation($id: ID!, $e: ID!) { removeTimelineEntry(id: $id, entryId: $e) { id } }`, { id, e: entryId });
}

export function addFactorRaw(t: TestApp, reviewId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql<{ addContributingFactor: ContributingFactor }>(
    `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(reviewId: $id, input: $input) { ${FACTOR_FIELDS} } }`,
    { id: reviewId, input },
    headers,
  );
}

export async function addFactor(t: TestApp, reviewId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return ok(await addFactorRaw(t, reviewId, input, headers)).addContributingFactor;
}

export function setFiveWhysRaw(t: TestApp, id: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql<{ setFiveWhys: Review }>(
    `mutation($id: ID!, $input: FiveWhysInput!) { setFiveWhys(id: $id, input: $input) { ${REVIEW_FIELDS} } }`,
    { id, input },
    headers,
  );
}

export async function setFiveWhys(t: TestApp, id: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return ok(await setFiveWhysRaw(t, id, input, headers)).setFiveWhys;
}

export function addActionItemRaw(t: TestApp, reviewId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return t.gql<{ addActionItem: ActionItem }>(
    `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { ${ACTION_ITEM_FIELDS} } }`,
    { id: reviewId, input },
    headers,
  );
}

export async function addActionItem(t: TestApp, reviewId: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return ok(await addActionItemRaw(t, reviewId, { kind: 'PREVENT', priority: 3, ...input }, headers)).addActionItem;
}

export function setActionItemStatusRaw(t: TestApp, id: string, status: string, reason?: string, headers?: Record<string, string>) {
  return t.gql<{ setActionItemStatus: ActionItem }>(
    `mutation($id: ID!, $input: ActionItemStatusInput!) { setActionItemStatus(id: $id, input: $input) { ${ACTION_ITEM_FIELDS} } }`,
    { id, input: { status, reason } },
    headers,
  );
}

export async function setActionItemStatus(t: TestApp, id: string, status: string, reason?: string, headers?: Record<string, string>) {
  return ok(await setActionItemStatusRaw(t, id, status, reason, headers)).setActionItemStatus;
}

export async function markdown(t: TestApp, id: string): Promise<string> {
  return call<string>(t, `query($id: ID!) { reviewMarkdown(id: $id) }`, { id });
}

/**
 * Fills every section a template can require: summary, customer impact, went well and badly,
 * lessons, a contributing factor, five whys ending in `problemId`, an action item for `ownerId`.
 * The timeline is taken as it is.
 */
export async function fillAllSections(t: TestApp, reviewId: string, opts: { ownerId: string; problemId: string; dueDate?: string }) {
  await updateReview(t, reviewId, {
    summary: 'Checkout failed for card payments.',
    customerImpact: 'Customers could not pay by card.',
    wentWell: 'The workaround was known.',
    wentBadly: 'Detection was late.',
    lessons: 'Alert on pool saturation.',
  });
  await addFactor(t, reviewId, { categoryKey: 'CAPACITY', description: 'The pool was too small.', evidence: [] });
  await setFiveWhys(t, reviewId, { whys: [{ why: 'Why did it fail?', answer: 'The pool was exhausted.' }], problemId: opts.problemId });
  await addActionItem(t, reviewId, {
    title: 'Alert on pool saturation',
    ownerId: opts.ownerId,
    dueDate: opts.dueDate ?? '2099-01-31',
    kind: 'DETECT',
  });
}

// ---- database checks ----------------------------------------------------------------------------

export const REVIEW_TABLES = [
  'reviews',
  'review_incidents',
  'review_events',
  'review_timeline_entries',
  'contributing_factors',
  'action_items',
];

/** Row counts of the given tables. */
export async function rowCounts(t: TestApp, tables: string[] = REVIEW_TABLES): Promise<Record<string, number>> {
  const [row] = await t.sql<Record<string, string>>(`select ${tables.map((x) => `(select count(*) from ${x})::int as "${x}"`).join(', ')}`);
  return Object.fromEntries(tables.map((x) => [x, Number(row![x])]));
}

/** Row counts plus an md5 over every row of each table: any write shows. */
export async function tableSnapshot(t: TestApp, tables: string[]) {
  const counts = await rowCounts(t, tables);
  const [h] = await t.sql<Record<string, string>>(
    `select ${tables.map((x) => `(select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from ${x} r) as "${x}"`).join(', ')}`,
  );
  return { counts, hashes: h };
}

/** Every incident event, every column, in a stable order: what curation must never change. */
export async function incidentEventRows(t: TestApp) {
  return t.sql(`select * from incident_events order by incident_id, seq`);
}

// ---- the cast and the outage --------------------------------------------------------------------

type Person = { id: string; name: string; email: string };

export interface Cast {
  dana: Person; // incident manager, facilitates the review
  ravi: Person; // on-call engineer, Payments SRE
  lena: Person; // communications
  tom: Person; // database engineer
  synthetics: Person; // the monitoring integration's account
  sre: { id: string; name: string };
  dbTeam: { id: string; name: string };
  checkout: { id: string; name: string };
  notifications: { id: string; name: string };
  payments: { id: string; name: string };
}

/** Fixed names; create once per database. */
export async function createCast(t: TestApp): Promise<Cast> {
  const sre = await createTeam(t, { name: 'Payments SRE' });
  const dbTeam = await createTeam(t, { name: 'Database Team' });
  return {
    sre,
    dbTeam,
    dana: await createUser(t, { name: 'Dana Whitfield', teamId: sre.id }),
    ravi: await createUser(t, { name: 'Ravi Menon', teamId: sre.id }),
    lena: await createUser(t, { name: 'Lena Ortiz' }),
    tom: await createUser(t, { name: 'Tom Becker', teamId: dbTeam.id }),
    synthetics: await createUser(t, { name: 'Checkout synthetics' }),
    checkout: await createService(t, { name: 'Checkout', ownerTeamId: sre.id }),
    notifications: await createService(t, { name: 'Order notifications', ownerTeamId: sre.id }),
    payments: await createCategory(t, { name: 'Payments' }),
  };
}

const Q = {
  log: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number } }`,
  assign: `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`,
  ack: `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { id } }`,
  classify: `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`,
  move: `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id status } }`,
  escalate: `mutation($id: ID!, $input: EscalationInput!) { recordEscalation(id: $id, input: $input) { id } }`,
  update: `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`,
  config: `mutation($id: ID!, $input: ConfigurationChangeInput!) { recordConfigurationChange(id: $id, input: $input) { id } }`,
  time: `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`,
  edit: `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { id } }`,
  workaround: `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { id title } }`,
  apply: `mutation($i: ID!, $w: ID!, $note: String) { applyWorkaround(incidentId: $i, workaroundId: $w, note: $note) { id } }`,
};

export interface Outage {
  /** INC a: card payments failing (P1, declared major). */
  a: { id: string; number: string };
  /** INC b: order confirmation emails delayed (P2, acknowledged late: a response breach). */
  b: { id: string; number: string };
  workaround: { id: string; title: string };
  /** `day` + 'T' + hh:mm + 'Z'. */
  at: (hhmm: string, plusDays?: number) => string;
}

export const OUTAGE_TITLES = {
  a: 'Card payments fail at checkout with HTTP 502',
  b: 'Order confirmation emails delayed',
  workaround: 'Raise the checkout DB pool size',
};

/**
 * Two interleaved incidents with a full history, each step taken at its own fixed time (the clock is
 * set before every call; a few steps are recorded late and backdated with occurredAt). Day `day`
 * (UTC):
 *
 *   08:52 a: impact begins (detectedAt)           09:12 b: impact begins (detectedAt)
 *   09:00 a: logged from monitoring (synthetics)  09:15 a: stakeholder update to customers (Lena)
 *   09:03 a: assigned to Ravi / Payments SRE      09:20 b: logged from a user report (Lena)
 *   09:04 a: acknowledged (Ravi)                  09:25 a: functional escalation to Database Team (Ravi)
 *   09:06 a: classified, NEW -> TRIAGED (Ravi)    09:30 a: 30 min of work logged (not a review kind)
 *   09:08 a: TRIAGED -> INVESTIGATING (Ravi)      09:31 a: workaround applied (Tom)
 *   09:10 a: declared a major incident (Dana)     09:40 a: resolved (recorded 09:50 by Ravi, backdated)
 *   09:45 a: stakeholder update (Lena)            10:00 b: acknowledged (Tom): 40 min, response breach
 *   10:05 b: NEW -> INVESTIGATING (Tom)           10:10 b: configuration change (Tom)
 *   10:12 a: description edited (not a review kind)
 *   10:20 b: resolved (Tom)
 *   next day 09:00 a closed, 09:05 b closed (Dana)
 *
 * Leaves the clock at next day 09:05 (or at 10:20 without closing).
 */
export async function buildOutage(t: TestApp, c: Cast, day = '2026-03-10', opts: { close?: boolean } = {}): Promise<Outage> {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const at = (hhmm: string, plusDays = 0) => `${plusDays ? next : day}T${hhmm}:00.000Z`;
  const run = async (time: string, query: string, variables: Record<string, unknown>, who?: Person) => {
    clock(time);
    return call<NumberRef>(t, query, variables, who ? as(who) : undefined);
  };

  clock(`${day}T06:00:00.000Z`);
  const workaround = await call<{ id: string; title: string }>(
    t,
    Q.workaround,
    {
      input: {
        title: OUTAGE_TITLES.workaround,
        steps: '1. Set `maxPoolSize: 200` in checkout-db.yaml\n2. Roll the checkout pods',
        status: 'ACTIVE',
      },
    },
    as(c.tom),
  );

  const a = await run(
    at('09:00'),
    Q.log,
    {
      input: {
        title: OUTAGE_TITLES.a,
        description: 'Synthetic checks see HTTP 502 on POST /checkout/pay',
        source: 'MONITORING',
        serviceId: c.checkout.id,
        impact: 1,
        urgency: 1,
        detectedAt: at('08:52'),
      },
    },
    c.synthetics,
  );
  await run(at('09:03'), Q.assign, { id: a.id, input: { assigneeId: c.ravi.id, teamId: c.sre.id } }, c.dana);
  await run(at('09:04'), Q.ack, { id: a.id }, c.ravi);
  await run(at('09:06'), Q.classify, { id: a.id, input: { categoryId: c.payments.id } }, c.ravi);
  await run(at('09:08'), Q.move, { id: a.id, input: { to: 'INVESTIGATING' } }, c.ravi);
  await run(at('09:10'), Q.escalate, { id: a.id, input: { kind: 'MAJOR_INCIDENT', reason: 'All card payments are failing' } }, c.dana);
  await run(
    at('09:15'),
    Q.update,
    { id: a.id, input: { audience: 'customers', message: 'Card payments at checkout are failing; we are working on it.' } },
    c.lena,
  );
  const b = await run(
    at('09:20'),
    Q.log,
    {
      input: {
        title: OUTAGE_TITLES.b,
        description: 'Customers report no order confirmation email',
        source: 'USER_REPORT',
        serviceId: c.notifications.id,
        impact: 1,
        urgency: 2,
        detectedAt: at('09:12'),
        teamId: c.sre.id,
      },
    },
    c.lena,
  );
  await run(
    at('09:25'),
    Q.escalate,
    { id: a.id, input: { kind: 'FUNCTIONAL', reason: 'Connection pool exhausted on checkout-db', toTeamId: c.dbTeam.id } },
    c.ravi,
  );
  await run(at('09:30'), Q.time, { id: a.id, input: { activity: 'diagnosis', minutes: 30, performedAt: at('09:00') } }, c.tom);
  await run(at('09:31'), Q.apply, { i: a.id, w: workaround.id, note: 'max connections 50 -> 200' }, c.tom);
  await run(at('09:45'), Q.update, { id: a.id, input: { audience: 'customers', message: 'Card payments work again.' } }, c.lena);
  await run(
    at('09:50'),
    Q.move,
    {
      id: a.id,
      input: {
        to: 'RESOLVED',
        occurredAt: at('09:40'),
        resolutionKind: 'WORKAROUND',
        resolutionCode: 'POOL_RAISED',
        resolutionNotes: 'Pool raised to 200',
        workaroundId: workaround.id,
        note: 'error rate back to normal',
      },
    },
    c.ravi,
  );
  await run(at('10:00'), Q.ack, { id: b.id }, c.tom);
  await run(at('10:05'), Q.move, { id: b.id, input: { to: 'INVESTIGATING' } }, c.tom);
  await run(
    at('10:10'),
    Q.config,
    { id: b.id, input: { configurationItem: 'mail-queue workers', description: 'Scaled from 2 to 8 workers', changeRef: 'CHG-2291' } },
    c.tom,
  );
  await run(at('10:12'), Q.edit, { id: a.id, input: { description: 'HTTP 502 on POST /checkout/pay: DB pool exhausted' } }, c.ravi);
  await run(
    at('10:20'),
    Q.move,
    { id: b.id, input: { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionCode: 'SCALED', resolutionNotes: 'Queue drained' } },
    c.tom,
  );
  if (opts.close !== false) {
    await run(at('09:00', 1), Q.move, { id: a.id, input: { to: 'CLOSED', userConfirmed: true } }, c.dana);
    await run(at('09:05', 1), Q.move, { id: b.id, input: { to: 'CLOSED', userConfirmed: true } }, c.dana);
  }
  return { a, b, workaround, at };
}

export const INCIDENT_TIMELINE = `query($id: ID!) { incident(id: $id) { id number status detectedAt openedAt resolvedAt problem { id
  number } timeline { id seq kind summary actorName at recordedAt } } }`;

export interface IncidentWithTimeline {
  id: string;
  number: string;
  status: string;
  detectedAt: string | null;
  openedAt: string;
  resolvedAt: string | null;
  problem: NumberRef | null;
  timeline: { id: string; seq: number; kind: string; summary: string; actorName: string | null; at: string; recordedAt: string }[];
}

export async function incidentWithTimeline(t: TestApp, id: string) {
  return call<IncidentWithTimeline>(t, INCIDENT_TIMELINE, { id });
}

/**
 * A small incident logged at the current clock; with `resolve` (or a `resolvedAt`) resolved, with
 * `close` also closed. Resolution and closure take occurredAt when given.
 */
export async function simpleIncident(
  t: TestApp,
  input: Record<string, unknown> = {},
  steps: { resolve?: boolean; resolvedAt?: string; close?: boolean; closedAt?: string } = {},
) {
  const inc = await call<NumberRef>(t, Q.log, {
    input: { title: 'Search returns no results', source: 'USER_REPORT', impact: 2, urgency: 2, ...input },
  });
  if (steps.resolve || steps.resolvedAt || steps.close) {
    await call(t, Q.move, { id: inc.id, input: { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', occurredAt: steps.resolvedAt } });
  }
  if (steps.close) await call(t, Q.move, { id: inc.id, input: { to: 'CLOSED', userConfirmed: true, occurredAt: steps.closedAt } });
  return inc;
}

export async function createProblem(t: TestApp, input: Record<string, unknown> = {}) {
  return call<{ id: string; number: string; title: string; status: string }>(
    t,
    `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id number title status } }`,
    {
      input: { title: 'Checkout DB pool exhausted under load', ...input },
    },
  );
}

export async function linkIncidentToProblem(t: TestApp, incidentId: string, problemId: string) {
  return call<{ id: string }>(t, `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
    i: incidentId,
    p: problemId,
  });
}
