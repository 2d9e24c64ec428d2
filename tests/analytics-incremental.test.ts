import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, rebuildAll } from '@ikb/api/src/features/analytics/analytics.rollups';
import { analytics, checkDashboard, type Filter } from './support/analytics-factories';
import { createCategory, createService, createTeam, logIncident, mutate } from './support/factories';
import { createCalendar, createPolicy, officeHours, setServicePolicy, targets } from './support/sla-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The rollups follow the incidents. Changes made through the API (log, acknowledge,
 * resolve, reopen, reclassify, reassign, link to a problem, log time, correct detection) and in
 * the tables (a review published, an imported verdict, a subcategory moved) are queued by the
 * database triggers and folded in incrementally; after every round the answers equal the brute
 * force, and the incrementally kept rollup rows equal a rebuild from scratch, byte for byte.
 */

let t: TestApp;
const ids: Record<string, string> = {};
const inc: Record<string, string> = {};

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'];
const FILTERS = (): Filter[] => [
  { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
  { from: '2025-12-31T23:00:00Z', to: '2026-11-30T23:00:00Z', timeZone: 'Europe/Berlin' },
  { from: '2026-02-10T15:00:00Z', to: '2026-11-20T12:00:00Z', timeZone: 'America/New_York' },
  { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z', timeZone: 'Europe/Berlin', serviceIds: [ids.svcA!] },
  { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z', timeZone: 'UTC', categoryIds: [ids.top1!] },
  { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z', timeZone: 'UTC', teamIds: [ids.teamX!], priorities: [1, 2, 3] },
];

const ROLLUPS = `select zone, grain, dim, period::text, value, value2, priority, n, resolved, ttr_ms, biz_n, biz_ms, ack_n, ack_ms,
  det_n, det_ms,
  resp_met, resp_breached, res_met, res_breached, reopened, reused, reused_ttr_ms, recurring, eligible, reviewed, cost_mc, minutes,
    gap_n, gap_ms,
  encode(ttr_hist, 'hex') as ttr_hist, encode(biz_hist, 'hex') as biz_hist
  from analytics.rollups order by zone, grain, dim, period, value, value2, priority`;
const FACTS = `select * from analytics.facts order by incident_id`;

/** Folds the queue in, checks every filter in every zone against the brute force, then against a rebuild. */
async function checkRound(label: string) {
  const r = await drain(t.app.orm.em);
  expect(r.drained, label).toBe(true);
  for (const f of FILTERS()) await checkDashboard(t, f);
  const incremental = { rollups: await t.sql(ROLLUPS), facts: await t.sql(FACTS) };
  expect(incremental.rollups.length, label).toBeGreaterThan(0);
  await rebuildAll(t.app.orm.em);
  const rebuilt = { rollups: await t.sql(ROLLUPS), facts: await t.sql(FACTS) };
  expect(rebuilt.facts, `${label}: facts`).toEqual(incremental.facts);
  expect(rebuilt.rollups, `${label}: rollups`).toEqual(incremental.rollups);
  return r;
}

const log = async (name: string, input: Record<string, unknown>) => {
  inc[name] = (await logIncident(t, { source: 'MONITORING', ...input })).id;
};
const ack = (name: string, at: string) =>
  mutate(t, `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { id } }`, { id: inc[name], at });
const move = (name: string, input: Record<string, unknown>) =>
  mutate(t, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`, {
    id: inc[name],
    input,
  });
const resolve = (name: string, at: string) =>
  move(name, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionCode: 'FIX', resolutionNotes: 'Fixed', occurredAt: at });

beforeAll(async () => {
  t = await startTestApp();
  ids.teamX = (await createTeam(t)).id;
  ids.teamY = (await createTeam(t)).id;
  ids.svcA = (await createService(t)).id;
  ids.svcB = (await createService(t)).id;
  ids.svcOffice = (await createService(t)).id;
  ids.top1 = (await createCategory(t)).id;
  ids.top2 = (await createCategory(t)).id;
  ids.sub1 = (await createCategory(t, { parentId: ids.top1 })).id;
  ids.sub2 = (await createCategory(t, { parentId: ids.top1 })).id;
  // Office hours in Berlin for one service: business time differs from wall time there.
  const cal = await createCalendar(t, {
    timeZone: 'Europe/Berlin',
    weeklyHours: officeHours('08:00', '18:00'),
    holidays: [{ date: '2026-05-01', name: 'Tag der Arbeit' }],
  });
  const policy = await createPolicy(t, {
    calendarId: cal.id,
    isDefault: false,
    targets: targets({ 1: [30, 240], 2: [60, 600], 3: [240, 1800], 4: [600, 3000], 5: [1200, 6000] }),
  });
  await setServicePolicy(t, ids.svcOffice, policy.id);
  ids.problem = (
    await mutate<{ id: string }>(t, `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id } }`, {
      input: { title: 'Pool exhausted' },
    })
  ).id;
  // The zones are built on first use, while there is nothing to count yet.
  for (const timeZone of ZONES)
    expect((await analytics(t, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', timeZone })).incidentCount).toBe(0);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('rollups stay exact through every kind of change', () => {
  it('round 1: incidents logged, acknowledged and resolved', async () => {
    const P = {
      1: { impact: 1, urgency: 1 },
      2: { impact: 1, urgency: 2 },
      3: { impact: 2, urgency: 2 },
      4: { impact: 2, urgency: 3 },
      5: { impact: 3, urgency: 3 },
    };
    await log('a', {
      openedAt: '2026-01-05T09:00:00Z',
      detectedAt: '2026-01-05T08:40:00Z',
      serviceId: ids.svcA,
      categoryId: ids.sub1,
      teamId: ids.teamX,
      ...P[1],
    });
    await log('b', {
      openedAt: '2026-03-22T23:00:00Z',
      detectedAt: '2026-03-22T22:00:00Z',
      serviceId: ids.svcA,
      categoryId: ids.sub2,
      teamId: ids.teamY,
      ...P[3],
    });
    await log('c', { openedAt: '2026-03-29T21:59:59Z', serviceId: ids.svcOffice, categoryId: ids.top2, teamId: ids.teamX, ...P[2] });
    await log('d', {
      openedAt: '2026-05-01T10:00:00Z',
      detectedAt: '2026-05-01T09:00:00Z',
      serviceId: ids.svcOffice,
      categoryId: ids.sub1,
      ...P[4],
    });
    await log('e', { openedAt: '2026-07-31T22:30:00Z', serviceId: ids.svcB, teamId: ids.teamY, ...P[5] });
    await log('f', {
      openedAt: '2026-10-25T01:30:00Z',
      detectedAt: '2026-10-25T01:00:00Z',
      serviceId: ids.svcA,
      categoryId: ids.sub1,
      teamId: ids.teamX,
      major: true,
      ...P[3],
    });
    await log('g', { openedAt: '2026-11-01T05:30:00Z', serviceId: ids.svcB, categoryId: ids.top1, ...P[2] });
    await log('h', { openedAt: '2026-11-10T12:00:00Z', serviceId: ids.svcA, categoryId: ids.sub2, teamId: ids.teamX, ...P[1] });
    await ack('a', '2026-01-05T09:05:00Z');
    await ack('b', '2026-03-23T01:00:00Z');
    await ack('d', '2026-05-01T10:30:00Z');
    await ack('f', '2026-10-25T02:10:00Z');
    await resolve('a', '2026-01-05T15:00:00Z');
    await resolve('b', '2026-03-25T10:00:00Z');
    await resolve('c', '2026-03-31T16:00:00Z');
    await resolve('d', '2026-05-04T12:00:00Z');
    await resolve('f', '2026-10-26T09:00:00Z');
    await checkRound('round 1');
    expect((await t.sql(`select count(*)::int as n from analytics.facts`))[0].n).toBe(8);
  });

  it('round 2: reopen, reclassify, reassign, problem links, time, detection, verdicts, reviews, taxonomy', async () => {
    // Reopened and resolved again; another reopened and left open.
    await mutate(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "Back again") { id } }`, { id: inc.b });
    await resolve('b', '2026-03-30T10:00:00Z');
    await mutate(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "Not fixed") { id } }`, { id: inc.d });
    // Reclassified: another service (and so another SLA policy), category and a manual priority.
    await mutate(t, `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`, {
      id: inc.e,
      input: { serviceId: ids.svcOffice, categoryId: ids.sub2, priority: 1, priorityReason: 'CEO affected' },
    });
    await resolve('e', '2026-08-03T09:30:00Z');
    await mutate(t, `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`, {
      id: inc.g,
      input: { teamId: ids.teamY },
    });
    // Problem links: the later incident first, then an earlier one, which becomes the first occurrence.
    const link = (name: string) =>
      mutate(t, `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
        i: inc[name],
        p: ids.problem,
      });
    await link('h');
    await link('f');
    await drain(t.app.orm.em);
    await link('a');
    await mutate(t, `mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { id } }`, { i: inc.f });
    await link('g');
    // Time logged, detection corrected.
    await mutate(t, `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`, {
      id: inc.g,
      input: { activity: 'diagnosis', minutes: 90, rateCents: 12000 },
    });
    await mutate(t, `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`, {
      id: inc.h,
      input: { activity: 'fix', minutes: 30, rateCents: 9000, billable: true },
    });
    await mutate(t, `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { id } }`, {
      id: inc.h,
      input: { detectedAt: '2026-11-10T11:00:00Z' },
    });
    // An imported verdict; a review published over two incidents; a subcategory moved to another category.
    await t.sql(`update incidents set recorded_resolution_sla_verdict = 'BREACHED' where id = $1`, [inc.a]);
    const [review] = await t.sql(
      `insert into reviews (id, number, title, status) values (gen_random_uuid(), nextval('review_number_seq'), 'PIR', 'DRAFT')
        returning id`,
    );
    await t.sql(`insert into review_incidents (review_id, incident_id) values ($1, $2), ($1, $3)`, [review.id, inc.a, inc.f]);
    await drain(t.app.orm.em);
    await t.sql(`update reviews set status = 'PUBLISHED', published_at = now() where id = $1`, [review.id]);
    await t.sql(`update categories set parent_id = $1 where id = $2`, [ids.top2, ids.sub2]);
    const r = await checkRound('round 2');
    // Only the queued incidents (and their neighbours) were recomputed, not all of them.
    expect(r.taken).toBeGreaterThan(0);
  });

  it('round 3: the background refresher folds changes in by itself, and asOf says when', async () => {
    const before = Date.now();
    await log('i', {
      openedAt: '2026-06-15T12:00:00Z',
      serviceId: ids.svcB,
      categoryId: ids.sub1,
      teamId: ids.teamX,
      impact: 1,
      urgency: 2,
    });
    const q = `query($f: AnalyticsFilter!) { analytics(filter: $f) { asOf pendingChanges incidentCount } }`;
    const f = { from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    let a = await analytics(t, f, q);
    const deadline = Date.now() + 20_000;
    while (a.pendingChanges > 0 && Date.now() < deadline) {
      // Until the refresher runs, asOf stays before the change.
      expect(Date.parse(a.asOf)).toBeLessThan(Date.now());
      await new Promise((r) => setTimeout(r, 200));
      a = await analytics(t, f, q);
    }
    expect(a.pendingChanges).toBe(0);
    expect(Date.parse(a.asOf)).toBeGreaterThanOrEqual(before);
    expect(a.incidentCount).toBe(9);
    for (const filter of FILTERS()) await checkDashboard(t, filter);
  });
});
