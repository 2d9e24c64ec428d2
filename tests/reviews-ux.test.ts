import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addActionItem,
  addActionItemRaw,
  addFactor,
  as,
  buildOutage,
  call,
  clock,
  createCast,
  createProblem,
  createReview,
  curateRaw,
  expectRefused,
  getReview,
  linkIncidentToProblem,
  realClock,
  REVIEW_TABLES,
  setFiveWhys,
  simpleIncident,
  tableSnapshot,
  timeline,
  transitionReview,
  transitionReviewRaw,
  updateReview,
  type Cast,
  type Outage,
} from './support/review-factories';
import { drain } from '@ikb/api/src/features/analytics/analytics.rollups';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 23, items 2 and 9, through the API: saving a review records only real changes; a review
 * leaves DRAFT only with its required sections filled; the major-incident template goes to major
 * incidents only; detection entries are not offered for curation; an action item's due date is
 * checked against today in the user's time zone; naming an existing problem as the root cause
 * links the review's incidents to it, so that recurrence counts them.
 */

const MAJOR = '00000000-0000-4000-8000-00000000b001';
const STANDARD = '00000000-0000-4000-8000-00000000b002';
const GUARDED = [...REVIEW_TABLES, 'problems', 'problem_events', 'incidents', 'incident_events'];

let t: TestApp;
let c: Cast;
let o: Outage;

beforeAll(async () => {
  t = await startTestApp();
  clock('2026-03-01T00:00:00Z');
  c = await createCast(t);
  o = await buildOutage(t, c, '2026-03-10');
  clock('2026-03-12T14:00:00Z');
});

afterAll(async () => {
  realClock();
  await t?.close();
});

describe('saving a review', () => {
  it('records nothing when nothing changed: participants in another order, the same instant, text with spaces around', async () => {
    const r = await createReview(t, { title: 'Checkout outage', incidentIds: [o.a.id], meetingAt: '2026-03-12T14:00:00Z' });
    clock('2026-03-12T14:01:00Z');
    await updateReview(t, r.id, {
      summary: 'Card payments failed for 48 minutes.',
      participants: [{ userId: c.dana.id }, { userId: c.ravi.id }, { name: 'Acquirer on-call' }],
    });
    const before = await getReview(t, r.id);
    expect(before.history.map((h) => h.summary)).toEqual([
      expect.stringMatching(/^Review PIR-\d+ opened/),
      'Updated summary and participants',
    ]);
    const snapshot = await tableSnapshot(t, GUARDED);
    clock('2026-03-12T14:05:00Z');
    const same = await updateReview(t, r.id, {
      title: '  Checkout outage ',
      summary: 'Card payments failed for 48 minutes.\n',
      meetingAt: '2026-03-12T15:00:00+01:00',
      participants: [{ name: 'acquirer on-call' }, { userId: c.ravi.id }, { userId: c.dana.id }],
      facilitatorId: undefined,
    });
    expect(same.history).toEqual(before.history);
    expect(same.updatedAt).toBe(before.updatedAt);
    expect(await tableSnapshot(t, GUARDED)).toEqual(snapshot);

    // A real change is recorded, by its name alone.
    clock('2026-03-12T14:06:00Z');
    const renamed = await updateReview(t, r.id, { title: 'Checkout outage of 10 March', summary: 'Card payments failed for 48 minutes.' });
    expect(renamed.history.at(-1)).toMatchObject({ kind: 'UPDATED', summary: 'Updated title' });
    expect(renamed.history).toHaveLength(before.history.length + 1);
    clock('2026-03-12T14:07:00Z');
    const fewer = await updateReview(t, r.id, { participants: [{ userId: c.dana.id }, { name: 'Acquirer on-call' }] });
    expect(fewer.history.at(-1)!.summary).toBe('Updated participants');
    expect(fewer.participants.map((p) => p.name)).toEqual(['Dana Whitfield', 'Acquirer on-call']);
    clock('2026-03-12T14:08:00Z');
    const moved = await updateReview(t, r.id, { meetingAt: '2026-03-13T09:00:00Z' });
    expect(moved.history.at(-1)!.summary).toBe('Updated meeting time');
  });
});

describe('leaving DRAFT', () => {
  it('is refused, naming each empty required section in plain words, until they are filled', async () => {
    const r = await createReview(t, { title: 'Delayed e-mails', incidentIds: [o.b.id] });
    expect(r.template!.name).toBe('Standard review');
    const before = await tableSnapshot(t, GUARDED);
    const e = expectRefused(await transitionReviewRaw(t, r.id, 'IN_REVIEW'), 'REVIEW_INCOMPLETE');
    expect(e.extensions).toMatchObject({
      missing: ['SUMMARY', 'CONTRIBUTING_FACTORS', 'LESSONS', 'ACTION_ITEMS'],
      labels: ['Summary', 'Contributing factors (at least one)', 'Lessons', 'Action items (at least one)'],
      template: 'Standard review',
    });
    expect(e.message).toBe(
      `${r.number} cannot go to review yet: fill in Summary, Contributing factors (at least one), Lessons and ` +
        'Action items (at least one) (required by the template "Standard review")',
    );
    // Straight to publication is refused the same way.
    const p = expectRefused(await transitionReviewRaw(t, r.id, 'PUBLISHED'), 'REVIEW_INCOMPLETE');
    expect(p.message).toContain(`${r.number} cannot be published yet: fill in Summary`);
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);

    await updateReview(t, r.id, { summary: 'Order e-mails were delayed by two hours.', lessons: 'Queue e-mails outside checkout.' });
    await addFactor(t, r.id, { categoryKey: 'CAPACITY', description: 'The mail queue had one worker.', evidence: [] });
    const last = expectRefused(await transitionReviewRaw(t, r.id, 'IN_REVIEW'), 'REVIEW_INCOMPLETE');
    expect(last.extensions!.missing).toEqual(['ACTION_ITEMS']);
    await addActionItem(t, r.id, { title: 'Second mail worker', ownerId: c.ravi.id, dueDate: '2026-04-01', kind: 'MITIGATE' });
    expect((await transitionReview(t, r.id, 'IN_REVIEW')).status).toBe('IN_REVIEW');
    // Back to DRAFT needs no filled sections, only a reason.
    expect((await transitionReview(t, r.id, 'DRAFT', 'Facilitator changes')).status).toBe('DRAFT');
  });
});

describe('the template chosen automatically', () => {
  it('is the major-incident one only when an incident it covers is flagged major, whatever the priorities', async () => {
    const p1 = await simpleIncident(t, { title: 'Search down', impact: 1, urgency: 1 }, { resolve: true });
    const majorP3 = await simpleIncident(t, { title: 'Login slow', impact: 2, urgency: 2, major: true }, { resolve: true });
    const cases: [string, string[], string][] = [
      ['non-major P2', [o.b.id], STANDARD],
      ['non-major P1', [p1.id], STANDARD],
      ['major P1', [o.a.id], MAJOR],
      ['major P3', [majorP3.id], MAJOR],
      ['a major among others', [o.b.id, majorP3.id], MAJOR],
    ];
    const got: [string, boolean[], number[], string][] = [];
    for (const [name, incidentIds] of cases) {
      const r = await createReview(t, { title: name, incidentIds });
      got.push([name, r.incidents.map((i) => i.major), r.incidents.map((i) => i.priority).sort(), r.template!.id]);
    }
    expect(got.map(([name, , , id]) => [name, id])).toEqual(cases.map(([name, , id]) => [name, id]));
    expect(got.find(([n]) => n === 'non-major P2')!.slice(1, 3)).toEqual([[false], [2]]);
    expect(got.find(([n]) => n === 'non-major P1')!.slice(1, 3)).toEqual([[false], [1]]);

    const mine = await call<{ id: string; majorOnly: boolean; maxPriority: number | null }>(
      t,
      `mutation($input: ReviewTemplateInput!) { createReviewTemplate(input: $input) { id majorOnly maxPriority } }`,
      { input: { name: 'Major P1 review', requiredSections: ['SUMMARY'], majorOnly: true, maxPriority: 1 } },
    );
    expect(mine).toMatchObject({ majorOnly: true, maxPriority: 1 });
    expect((await createReview(t, { title: 'major P1 again', incidentIds: [o.a.id] })).template!.id).toBe(mine.id);
    expect((await createReview(t, { title: 'major P3 again', incidentIds: [majorP3.id] })).template!.id).toBe(MAJOR);
    expect((await createReview(t, { title: 'P1 again', incidentIds: [p1.id] })).template!.id).toBe(STANDARD);
  });
});

describe('timeline curation', () => {
  it('marks detection entries as not curatable, and refuses to curate them', async () => {
    const r = await createReview(t, { title: 'Curation', incidentIds: [o.a.id] });
    const items = await call<{ timeline: { id: string; source: string; curatable: boolean }[] }>(
      t,
      `query($id: ID!) { review(id: $id) { timeline { id source curatable } } }`,
      { id: r.id },
    );
    const detection = items.timeline.filter((i) => i.source === 'DETECTION');
    expect(detection.length).toBe(1);
    expect(detection.every((i) => !i.curatable)).toBe(true);
    expect(items.timeline.filter((i) => i.source !== 'DETECTION').every((i) => i.curatable)).toBe(true);
    const before = await tableSnapshot(t, GUARDED);
    const e = expectRefused(await curateRaw(t, r.id, detection[0]!.id, { starred: true }), 'BAD_USER_INPUT', 'entryId');
    expect(e.message).toContain('cannot be curated');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
    expect((await timeline(t, r.id)).length).toBe(items.timeline.length);
  });
});

describe("an action item's due date", () => {
  it('may not be in the past at creation, where "today" is the user\'s own day', async () => {
    clock('2026-03-12T23:30:00Z');
    const r = await createReview(t, { title: 'Due dates', incidentIds: [o.a.id] });
    const add = (dueDate: string, timeZone?: string) =>
      addActionItemRaw(t, r.id, { title: `Due ${dueDate}`, ownerId: c.tom.id, dueDate, kind: 'PREVENT', timeZone });
    const before = await tableSnapshot(t, GUARDED);
    // After the incidents (10 March), but already past.
    const past = expectRefused(await add('2026-03-11'), 'BAD_USER_INPUT', 'input.dueDate');
    expect(past.message).toBe('Due date: 2026-03-11 is in the past (today is 2026-03-12); pick today or a later day');
    // 23:30 UTC is already the 13th in Tokyo.
    expect(expectRefused(await add('2026-03-12', 'Asia/Tokyo'), 'BAD_USER_INPUT', 'input.dueDate').message).toContain(
      'today is 2026-03-13',
    );
    expectRefused(await add('2026-03-20', 'Mars/Olympus_Mons'), 'BAD_USER_INPUT', 'input.timeZone');
    expectRefused(await add('2026-03-20', 'x'.repeat(65)), 'BAD_USER_INPUT', 'timeZone');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
    // Still the 12th in Los Angeles (15:30) and in UTC.
    const la = await addActionItem(t, r.id, {
      title: 'LA',
      ownerId: c.tom.id,
      dueDate: '2026-03-12',
      kind: 'PREVENT',
      timeZone: 'America/Los_Angeles',
    });
    expect(la.dueDate).toBe('2026-03-12');
    await addActionItem(t, r.id, { title: 'UTC', ownerId: c.tom.id, dueDate: '2026-03-12', kind: 'PREVENT' });

    // Later, an item whose day has passed can still be edited as long as its due date stays.
    clock('2026-03-20T10:00:00Z');
    const upd = (dueDate: string) =>
      t.gql(`mutation($id: ID!, $input: ActionItemInput!) { updateActionItem(id: $id, input: $input) { id title dueDate } }`, {
        id: la.id,
        input: { title: 'LA, renamed', ownerId: c.tom.id, kind: 'PREVENT', dueDate },
      });
    expect((await upd('2026-03-12')).data).toEqual({ updateActionItem: { id: la.id, title: 'LA, renamed', dueDate: '2026-03-12' } });
    expectRefused(await upd('2026-03-19'), 'BAD_USER_INPUT', 'input.dueDate');
    expect((await upd('2026-03-20')).errors).toBeUndefined();
  });
});

describe('naming an existing problem as the root cause', () => {
  const RECURRENCE = `query($f: AnalyticsFilter!) { analytics(filter: $f) { recurrence { incidents recurring } } }`;
  const recurrence = async () => {
    await drain(t.app.orm.em);
    return call<{ recurrence: { incidents: number; recurring: number } }>(t, RECURRENCE, {
      f: { from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' },
    }).then((a) => a.recurrence);
  };

  it("links the review's incidents to it (moving one linked elsewhere), so that recurrence counts them", async () => {
    clock('2026-03-21T09:00:00Z');
    const other = await createProblem(t, { title: 'Mail queue starved' });
    const pool = await createProblem(t, { title: 'Checkout DB pool too small' });
    await linkIncidentToProblem(t, o.b.id, other.id);
    const before = await recurrence();
    const r = await createReview(t, { title: 'Root cause', incidentIds: [o.a.id, o.b.id] }, as(c.dana));
    const done = await setFiveWhys(t, r.id, {
      whys: [{ why: 'Why did payments fail?', answer: 'The pool ran dry.\n\n- at peak' }],
      problemId: pool.id,
    });
    expect(done.fiveWhys[0]!.answer).toBe('The pool ran dry.\n\n- at peak');
    expect(done.problem).toMatchObject({ id: pool.id, incidentCount: 2 });
    const links = await t.sql<{ id: string; problem_id: string }>(`select id, problem_id from incidents where id in ($1, $2)`, [
      o.a.id,
      o.b.id,
    ]);
    expect(links.map((l) => l.problem_id)).toEqual([pool.id, pool.id]);
    const otherNow = await call<{ incidentCount: number }>(t, `query($id: ID!) { problem(id: $id) { incidentCount } }`, { id: other.id });
    expect(otherNow.incidentCount).toBe(0);
    const events = await t.sql<{ kind: string; summary: string }>(
      `select kind, summary from incident_events where incident_id = $1 and kind in ('PROBLEM_LINKED', 'PROBLEM_UNLINKED') order by seq`,
      [o.b.id],
    );
    expect(events.map((e) => e.kind)).toEqual(['PROBLEM_LINKED', 'PROBLEM_UNLINKED', 'PROBLEM_LINKED']);
    expect(events.at(-1)!.summary).toContain(pool.number);
    // b was opened after a: with both on one problem, b recurs.
    const after = await recurrence();
    expect(after.recurring).toBe(before.recurring + 1);

    // An incident added to the review later joins the root cause too.
    const late = await simpleIncident(t, { title: 'Card payments failing again', impact: 1, urgency: 1 }, { resolve: true });
    await call(t, `mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
      id: r.id,
      ids: [late.id],
    });
    const [row] = await t.sql<{ problem_id: string }>(`select problem_id from incidents where id = $1`, [late.id]);
    expect(row!.problem_id).toBe(pool.id);
  });
});
