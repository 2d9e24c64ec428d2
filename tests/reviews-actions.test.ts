import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_ITEM_FIELDS,
  addActionItem,
  addActionItemRaw,
  as,
  buildOutage,
  call,
  clock,
  createCast,
  createProblem,
  createReview,
  expectRefused,
  getReview,
  linkIncidentToProblem,
  realClock,
  REVIEW_TABLES,
  setActionItemStatus,
  setActionItemStatusRaw,
  setFiveWhys,
  simpleIncident,
  tableSnapshot,
  type Cast,
  type Outage,
} from './support/review-factories';
import type { ActionItem, Review } from './support/gql-types';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Action items: owner, due date (not before the review's first incident), kind, priority,
 * status (WONT_DO with a reason), links to the problem, workaround or incident model they created,
 * the overdue flag; and closing the loop: once an item is done, later incidents of the same problem
 * count as recurrences after the action, on the problem, the item and the review.
 */

let t: TestApp;
let c: Cast;
let o: Outage;
let review: Review;
/** The root cause the review ended in, created from it. */
let problem: { id: string; number: string };

const GUARDED = [...REVIEW_TABLES, 'problems', 'incidents', 'incident_events'];
/** Moves the (frozen) clock on by a minute, so that what happens next has its own instant. */
let minute = Date.parse('2026-03-12T14:00:00Z');
const step = () => clock(new Date((minute += 60_000)).toISOString());

const RECURRENCE = `query($p: ID!, $r: ID!) {
  problem(id: $p) { recurrencesAfterActions actionItems { id status } }
  review(id: $r) { recurrencesAfterActions actionItems { id status doneAt recurrencesAfter } }
}`;
type Recurrence = {
  problem: { recurrencesAfterActions: number | null; actionItems: { id: string; status: string }[] };
  review: {
    recurrencesAfterActions: number | null;
    actionItems: { id: string; status: string; doneAt: string | null; recurrencesAfter: number | null }[];
  };
};

beforeAll(async () => {
  t = await startTestApp();
  // Fixed times from the first request on (the clock only moves forward; see clock()).
  clock('2026-03-01T00:00:00Z');
  c = await createCast(t);
  o = await buildOutage(t, c, '2026-03-10');
  clock('2026-03-12T14:00:00Z');
  review = await createReview(t, { title: 'Checkout outage', incidentIds: [o.b.id, o.a.id], facilitatorId: c.dana.id }, as(c.dana));
  const r = await setFiveWhys(t, review.id, {
    whys: [{ why: 'Why did payments fail?', answer: 'The DB pool was exhausted.' }],
    newProblem: {
      title: 'Checkout DB pool undersized',
      rootCause: 'Release 4.2 lowered the pool to 50 connections.',
      rootCauseCategory: 'CHANGE',
    },
  });
  problem = r.problem!;
});

afterAll(async () => {
  realClock();
  await t?.close();
});

describe('action items', () => {
  it("have a title, owner, due date, kind and priority, and default to the review's problem", async () => {
    step();
    const item = await addActionItem(
      t,
      review.id,
      { title: '  Alert on pool saturation ', ownerId: c.tom.id, dueDate: '2026-03-31', kind: 'DETECT', priority: 1 },
      as(c.dana),
    );
    expect(item).toMatchObject({
      title: 'Alert on pool saturation',
      owner: { id: c.tom.id, name: 'Tom Becker' },
      dueDate: '2026-03-31',
      kind: 'DETECT',
      priority: 1,
      status: 'OPEN',
      wontDoReason: null,
      doneAt: null,
      problem: { id: problem.id, number: problem.number },
      workaround: null,
      modelId: null,
      recurrencesAfter: null,
      review: { id: review.id, number: review.number },
    });
    // Priority defaults to 3.
    step();
    const plain = await call<{ priority: number }>(
      t,
      `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { priority } }`,
      { id: review.id, input: { title: 'Write the runbook', ownerId: c.lena.id, dueDate: '2026-04-15', kind: 'PROCESS' } },
    );
    expect(plain.priority).toBe(3);
    expect((await getReview(t, review.id)).history.filter((h) => h.kind === 'ACTION_ITEM_ADDED').map((h) => h.summary)).toEqual([
      'Action item: Alert on pool saturation (due 2026-03-31)',
      'Action item: Write the runbook (due 2026-04-15)',
    ]);
  });

  it('require an owner, and a due date that is a real day, not in the past', async () => {
    const before = await tableSnapshot(t, GUARDED);
    for (const input of [{}, { ownerId: null }]) {
      const r = await addActionItemRaw(t, review.id, { title: 'Nobody owns this', dueDate: '2026-04-01', kind: 'PREVENT', ...input });
      expect(r.status).toBe(400);
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toBe('Owner is required');
    }
    expectRefused(
      await addActionItemRaw(t, review.id, { title: 'Ghost owner', ownerId: randomUUID(), dueDate: '2026-04-01', kind: 'PREVENT' }),
      'NOT_FOUND',
      'input.ownerId',
    );
    // Today is 12 March (UTC): the day of the incidents (10 March) is already past.
    const e = expectRefused(
      await addActionItemRaw(t, review.id, { title: 'Too early', ownerId: c.tom.id, dueDate: '2026-03-10', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'input.dueDate',
    );
    expect(e.message).toBe('Due date: 2026-03-10 is in the past (today is 2026-03-12); pick today or a later day');
    expectRefused(
      await addActionItemRaw(t, review.id, { title: 'Long ago', ownerId: c.tom.id, dueDate: '1999-12-31', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'input.dueDate',
    );
    expectRefused(
      await addActionItemRaw(t, review.id, { title: 'No such day', ownerId: c.tom.id, dueDate: '2026-02-29', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'input.dueDate',
    );
    expectRefused(
      await addActionItemRaw(t, review.id, { title: 'A time', ownerId: c.tom.id, dueDate: '2026-04-01T10:00', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'dueDate',
    );
    expectRefused(
      await addActionItemRaw(t, review.id, { title: 'Bad kind', ownerId: c.tom.id, dueDate: '2026-04-01', kind: 'REPAIR' }),
      'BAD_USER_INPUT',
    );
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);

    // Today itself is fine.
    const sameDay = await addActionItem(t, review.id, { title: 'Same day', ownerId: c.tom.id, dueDate: '2026-03-12', kind: 'MITIGATE' });
    expect(sameDay.dueDate).toBe('2026-03-12');
    // Updates are checked the same way.
    const upd = (input: Record<string, unknown>) =>
      t.gql(`mutation($id: ID!, $input: ActionItemInput!) { updateActionItem(id: $id, input: $input) { id } }`, {
        id: sameDay.id,
        input: { title: 'Same day', ownerId: c.tom.id, kind: 'MITIGATE', dueDate: '2026-03-12', ...input },
      });
    const mid = await tableSnapshot(t, GUARDED);
    expectRefused(await upd({ dueDate: '2026-03-11' }), 'BAD_USER_INPUT', 'input.dueDate');
    expectRefused(await upd({ ownerId: randomUUID() }), 'NOT_FOUND', 'input.ownerId');
    expect(await tableSnapshot(t, GUARDED)).toEqual(mid);
    await call(t, `mutation($id: ID!) { removeActionItem(id: $id) { id } }`, { id: sameDay.id });
  });

  it('WONT_DO needs a reason; other statuses drop it', async () => {
    const item = await addActionItem(t, review.id, {
      title: 'Move emails out of the checkout transaction',
      ownerId: c.ravi.id,
      dueDate: '2026-04-30',
      kind: 'MITIGATE',
    });
    const before = await tableSnapshot(t, GUARDED);
    expectRefused(await setActionItemStatusRaw(t, item.id, 'WONT_DO'), 'BAD_USER_INPUT', 'input.reason');
    const e = expectRefused(await setActionItemStatusRaw(t, item.id, 'WONT_DO', '  '), 'BAD_USER_INPUT', 'input.reason');
    expect(e.message).toContain("Won't do needs a reason");
    expectRefused(await setActionItemStatusRaw(t, randomUUID(), 'DONE'), 'NOT_FOUND', 'actionItemId');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);

    step();
    const wont = await setActionItemStatus(t, item.id, 'WONT_DO', ' Superseded by the notifications rewrite ');
    expect(wont).toMatchObject({
      status: 'WONT_DO',
      wontDoReason: 'Superseded by the notifications rewrite',
      doneAt: null,
      overdue: false,
    });
    const history = (await getReview(t, review.id)).history.at(-1)!;
    expect(history.summary).toContain('OPEN -> WONT_DO');
    step();
    const reopened = await setActionItemStatus(t, item.id, 'OPEN');
    expect(reopened).toMatchObject({ status: 'OPEN', wontDoReason: null });
    await call(t, `mutation($id: ID!) { removeActionItem(id: $id) { id } }`, { id: item.id });
  });

  it('are flagged overdue while open or in progress after their due date', async () => {
    // Set while their due dates were ahead (a due date may not be set in the past), seen on 20 March.
    const add = (title: string, dueDate: string) => addActionItem(t, review.id, { title, ownerId: c.ravi.id, dueDate, kind: 'PREVENT' });
    const late = await add('Late, open', '2026-03-13');
    const lateInProgress = await add('Late, in progress', '2026-03-19');
    const lateDone = await add('Late, done', '2026-03-13');
    const lateWont = await add('Late, not done', '2026-03-13');
    const today = await add('Due today', '2026-03-20');
    const future = await add('Due later', '2026-03-21');
    clock('2026-03-20T10:00:00Z');
    await setActionItemStatus(t, lateInProgress.id, 'IN_PROGRESS');
    await setActionItemStatus(t, lateDone.id, 'DONE');
    await setActionItemStatus(t, lateWont.id, 'WONT_DO', 'Not worth it');
    const items = new Map((await getReview(t, review.id)).actionItems.map((i) => [i.id, i]));
    expect([late, lateInProgress, lateDone, lateWont, today, future].map((i) => [i.title, items.get(i.id)!.overdue])).toEqual([
      ['Late, open', true],
      ['Late, in progress', true],
      ['Late, done', false],
      ['Late, not done', false],
      ['Due today', false],
      ['Due later', false],
    ]);
    // A day later, what was due today is overdue.
    clock('2026-03-21T00:30:00Z');
    const again = await call<{ actionItems: { id: string; overdue: boolean }[] }>(
      t,
      `query($id: ID!) { review(id: $id) { actionItems { id overdue } } }`,
      { id: review.id },
    );
    expect(again.actionItems.find((i) => i.id === today.id)!.overdue).toBe(true);
    expect(again.actionItems.find((i) => i.id === future.id)!.overdue).toBe(false);
    for (const i of [late, lateInProgress, lateDone, lateWont, today, future])
      await call(t, `mutation($id: ID!) { removeActionItem(id: $id) { id } }`, { id: i.id });
  });

  it('link to the problem, workaround or incident model they created', async () => {
    const other = await createProblem(t, { title: 'Emails sent inside the checkout transaction' });
    const model = await call<{ id: string; name: string }>(
      t,
      `mutation { createIncidentModel(input: { name: "Checkout DB pool exhausted" }) { id name } }`,
    );
    const item = await addActionItem(t, review.id, {
      title: 'Document the pool workaround and model',
      ownerId: c.tom.id,
      dueDate: '2026-04-10',
      kind: 'MITIGATE',
      problemId: other.id,
      workaroundId: o.workaround.id,
      modelId: model.id,
    });
    expect(item).toMatchObject({
      problem: { id: other.id, number: other.number },
      workaround: { id: o.workaround.id, title: 'Raise the checkout DB pool size' },
      modelId: model.id,
    });
    // Seen from the problem as well.
    const p = await call<{ actionItems: { id: string; title: string }[] }>(
      t,
      `query($id: ID!) { problem(id: $id) { actionItems { id title } } }`,
      {
        id: other.id,
      },
    );
    expect(p.actionItems).toEqual([{ id: item.id, title: 'Document the pool workaround and model' }]);

    const before = await tableSnapshot(t, GUARDED);
    const base = { title: 'Bad link', ownerId: c.tom.id, dueDate: '2026-04-10', kind: 'MITIGATE' };
    expectRefused(await addActionItemRaw(t, review.id, { ...base, problemId: randomUUID() }), 'NOT_FOUND', 'input.problemId');
    expectRefused(await addActionItemRaw(t, review.id, { ...base, workaroundId: randomUUID() }), 'NOT_FOUND', 'input.workaroundId');
    expectRefused(await addActionItemRaw(t, review.id, { ...base, modelId: randomUUID() }), 'NOT_FOUND', 'input.modelId');
    expectRefused(await addActionItemRaw(t, review.id, { ...base, workaroundId: 'WA-1' }), 'BAD_USER_INPUT', 'workaroundId');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
    await call(t, `mutation($id: ID!) { removeActionItem(id: $id) { id } }`, { id: item.id });
  });
});

describe('closing the loop', () => {
  let first: ActionItem; // done on 1 April
  let second: ActionItem; // done on 10 April
  const state = async () => ok(await t.gql<Recurrence>(RECURRENCE, { p: problem.id, r: review.id }));

  beforeAll(async () => {
    const items = (await getReview(t, review.id)).actionItems.filter((i) => i.problem?.id === problem.id);
    expect(items.map((i) => i.title)).toEqual(['Alert on pool saturation', 'Write the runbook']);
    [first, second] = items as [ActionItem, ActionItem];
  });

  /** An incident of the problem opened at `openedAt`, logged at the clock's `now`. */
  async function recurrence(now: string, openedAt: string, problemId = problem.id) {
    clock(now);
    const inc = await simpleIncident(t, { title: 'Checkout 502s again', serviceId: c.checkout.id, openedAt });
    await linkIncidentToProblem(t, inc.id, problemId);
    return inc;
  }

  const counts = (s: Recurrence) => ({
    problem: s.problem.recurrencesAfterActions,
    review: s.review.recurrencesAfterActions,
    items: Object.fromEntries(
      s.review.actionItems
        .filter((i) => i.id === first.id || i.id === second.id)
        .map((i) => [i.id === first.id ? 'first' : 'second', i.recurrencesAfter]),
    ),
  });

  it('counts nothing until an action item is done', async () => {
    await recurrence('2026-03-25T09:00:00Z', '2026-03-25T08:00:00Z');
    expect(counts(await state())).toEqual({ problem: null, review: null, items: { first: null, second: null } });
  });

  it('after an item is done, later incidents of its problem recur after the action; earlier ones do not', async () => {
    clock('2026-04-01T12:00:00Z');
    const done = await setActionItemStatus(t, first.id, 'DONE', undefined, as(c.tom));
    expect(done.doneAt).toBe('2026-04-01T12:00:00.000Z');
    // The reviewed incidents and the one of 25 March were all opened before: nothing recurred yet.
    expect(counts(await state())).toEqual({ problem: 0, review: 0, items: { first: 0, second: null } });

    // Logged on 3 April but opened on 28 March, before the action was done: not a recurrence after it.
    await recurrence('2026-04-03T09:00:00Z', '2026-03-28T10:00:00Z');
    // Opened after the action, but another problem's incident.
    const elsewhere = await createProblem(t, { title: 'Unrelated checkout glitch' });
    await recurrence('2026-04-04T09:00:00Z', '2026-04-04T08:00:00Z', elsewhere.id);
    expect(counts(await state())).toEqual({ problem: 0, review: 0, items: { first: 0, second: null } });

    // Opened on 5 April, after the action: it recurs.
    await recurrence('2026-04-05T09:00:00Z', '2026-04-05T08:00:00Z');
    expect(counts(await state())).toEqual({ problem: 1, review: 1, items: { first: 1, second: null } });
  });

  it('problem and review count from the last done action; each item from its own', async () => {
    clock('2026-04-10T12:00:00Z');
    await setActionItemStatus(t, second.id, 'DONE');
    expect(counts(await state())).toEqual({ problem: 0, review: 0, items: { first: 1, second: 0 } });

    await recurrence('2026-04-12T09:00:00Z', '2026-04-12T08:30:00Z');
    expect(counts(await state())).toEqual({ problem: 1, review: 1, items: { first: 2, second: 1 } });

    // The same figures on the problem's own list of action items and in the problem list.
    const p = await call<{
      recurrencesAfterActions: number | null;
      incidentCount: number;
      actionItems: { id: string; status: string; recurrencesAfter: number | null }[];
    }>(t, `query($id: ID!) { problem(id: $id) { recurrencesAfterActions incidentCount actionItems { id status recurrencesAfter } } }`, {
      id: problem.id,
    });
    expect(p.recurrencesAfterActions).toBe(1);
    expect(p.incidentCount).toBe(2 + 4);
    expect(p.actionItems.map((i) => [i.id, i.status, i.recurrencesAfter])).toEqual([
      [first.id, 'DONE', 2],
      [second.id, 'DONE', 1],
    ]);
  });

  it('an item that is no longer done stops counting', async () => {
    clock('2026-04-13T09:00:00Z');
    const undone = await setActionItemStatus(t, second.id, 'IN_PROGRESS');
    expect(undone).toMatchObject({ status: 'IN_PROGRESS', doneAt: null, recurrencesAfter: null });
    // Now the last done action is the first one again (1 April): two incidents since.
    expect(counts(await state())).toEqual({ problem: 2, review: 2, items: { first: 2, second: null } });
    // A review without a root-cause problem has no recurrence figure.
    const plain = await createReview(t, { title: 'No root cause', incidentIds: [o.a.id] });
    expect(plain.recurrencesAfterActions).toBeNull();
    realClock();
  });
});

describe('action item fields', () => {
  it('are all readable in one query', async () => {
    const r = await call<{ actionItems: ActionItem[] }>(
      t,
      `query($id: ID!) { review(id: $id) { actionItems { ${ACTION_ITEM_FIELDS} } } }`,
      {
        id: review.id,
      },
    );
    expect(r.actionItems.length).toBeGreaterThan(0);
    for (const i of r.actionItems) expect(i.review.id).toBe(review.id);
  });
});
