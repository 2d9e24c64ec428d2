import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from './support/factories';
import {
  addActionItem,
  addEntry,
  addFactor,
  call,
  clock,
  createProblem,
  createReview,
  curate,
  linkIncidentToProblem,
  realClock,
  setActionItemStatus,
  setFiveWhys,
  simpleIncident,
  timeline,
  TIMELINE_ITEM_FIELDS,
  updateReview,
  type TimelineItem,
} from './support/review-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * The review list reads the computed Review fields (timeline, impact, template, missingSections,
 * recurrencesAfterActions) through request-scoped loaders: the same number of SQL statements for 1,
 * 5 and 50 reviews, and the same values as the per-review path (a single review, and a mutation's
 * result, which reads directly).
 */

let t: TestApp;

const FIELDS = `id missingSections template { id name requiredSections }
  impact { usersAffected durationMinutes durationEntered slaBreaches firstImpactAt restoredAt description }
  recurrencesAfterActions
  timeline { ${TIMELINE_ITEM_FIELDS} }
  all: timeline(includeHidden: true) { ${TIMELINE_ITEM_FIELDS} }`;

/** FIELDS. */
interface Listed {
  id: string;
  missingSections: string[];
  template: { id: string; name: string; requiredSections: string[] } | null;
  impact: {
    usersAffected: number | null;
    durationMinutes: number | null;
    durationEntered: boolean;
    slaBreaches: number;
    firstImpactAt: string | null;
    restoredAt: string | null;
    description: string | null;
  };
  recurrencesAfterActions: number | null;
  timeline: TimelineItem[];
  all: TimelineItem[];
}

const LIST = `query($first: Int!) { reviews(first: $first) { totalCount nodes { ${FIELDS} } } }`;
const ONE = `query($id: ID!) { review(id: $id) { ${FIELDS} } }`;
// A mutation that changes nothing: its result takes the direct per-review path.
const NO_OP = `mutation($id: ID!) { updateReview(id: $id, input: {}) { ${FIELDS} } }`;

const N = 50;
let ids: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  clock('2026-04-01T08:00:00Z');
  const owner = await createUser(t, { name: 'Action Owner' });
  const problems = [
    await createProblem(t, { title: 'Problem A' }),
    await createProblem(t, { title: 'Problem B' }),
    await createProblem(t, { title: 'Problem C' }),
  ];
  const moderate = await call<{ id: string }>(t, `mutation($input: ReviewTemplateInput!) { createReviewTemplate(input: $input) { id } }`, {
    input: { name: 'Moderate review', requiredSections: ['SUMMARY', 'TIMELINE'], maxPriority: 3 },
  });
  const templates = ['00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000b002', moderate.id];

  // Fifty reviews, each different: one or two incidents of various priorities, open or resolved,
  // with or without detection times; added, hidden and starred timeline entries; a named template
  // or the chosen one; factors, action items (some done), five whys ending in a problem, entered impact.
  const made: string[] = [];
  for (let i = 0; i < N; i++) {
    // A minute apart: the list (newest first) shows them in reverse order.
    clock(new Date(Date.parse('2026-04-02T08:00:00Z') + i * 60_000).toISOString());
    const incidents = [];
    for (let k = 0; k < (i % 3 === 0 ? 2 : 1); k++) {
      incidents.push(
        await simpleIncident(
          t,
          {
            title: `Incident ${i}/${k}`,
            impact: 1 + ((i + k) % 3),
            urgency: 1 + (i % 2),
            openedAt: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + k).padStart(2, '0')}:00:00Z`,
            ...(i % 2 === 0 ? { detectedAt: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T07:${String(10 + k * 20)}:00Z` } : {}),
          },
          i % 4 === 1 ? {} : { resolve: true },
        ),
      );
    }
    const review = await createReview(t, { title: `Review ${i}`, incidentIds: incidents.map((x) => x.id) });
    if (i % 5 === 0) await updateReview(t, review.id, { templateId: templates[(i / 5) % 3] });
    if (i % 2 === 0)
      await updateReview(t, review.id, {
        summary: `Summary ${i}`,
        customerImpact: i % 4 === 0 ? 'Checkout was down.' : '',
        lessons: i % 6 === 0 ? 'Alert earlier.' : '',
      });
    if (i % 7 === 0) await updateReview(t, review.id, { impactMinutes: 17 * i, usersAffected: 100 + i });
    if (i % 3 === 1) {
      const note = await addEntry(t, review.id, { at: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T08:30:00Z`, text: `Note ${i}` });
      if (i % 9 === 1) await curate(t, review.id, note, { hidden: true });
    }
    if (i % 6 === 2) {
      const first = (await timeline(t, review.id, true)).find((e) => e.source === 'INCIDENT_EVENT')!;
      await curate(t, review.id, first.id, i % 12 === 2 ? { hidden: true } : { starred: true, annotation: `Look here ${i}` });
    }
    if (i % 4 === 0) await addFactor(t, review.id, { categoryKey: 'CAPACITY', description: `Factor ${i}`, evidence: [] });
    if (i % 2 === 1) {
      const item = await addActionItem(t, review.id, {
        title: `Action ${i}`,
        ownerId: owner.id,
        dueDate: '2099-01-01',
        problemId: problems[i % 3]!.id,
      });
      if (i % 4 === 3) await setActionItemStatus(t, item.id, 'DONE');
    }
    // The newest has a problem too, so that every page reads recurrencesAfterActions.
    if (i % 3 === 2 || i % 4 === 3 || i === N - 1)
      await setFiveWhys(t, review.id, { whys: [{ why: 'Why?', answer: 'Because.' }], problemId: problems[i % 3]!.id });
    made.push(review.id);
  }
  // Recurrences: incidents of the problems opened after the action items were done.
  clock('2026-04-03T08:00:00Z');
  for (const [k, p] of problems.entries()) {
    for (let j = 0; j <= k; j++) {
      const inc = await simpleIncident(t, { title: `Recurrence ${k}/${j}` });
      await linkIncidentToProblem(t, inc.id, p.id);
    }
  }
  ids = made.reverse();
  clock('2026-04-04T12:00:00Z');
}, 600_000);

afterAll(async () => {
  realClock();
  await t?.close();
});

async function list(first: number) {
  const r = await t.gql<{ reviews: { totalCount: number; nodes: Listed[] } }>(LIST, { first });
  const data = ok(r);
  return { statements: r.extensions?.sqlStatements, nodes: data.reviews.nodes, total: data.reviews.totalCount };
}

describe('review list: computed fields without N+1', () => {
  it('reads the same number of SQL statements for 1, 5 and 50 reviews', async () => {
    const one = await list(1);
    const five = await list(5);
    const fifty = await list(N);
    expect(one.total).toBe(N);
    expect([one.nodes.length, five.nodes.length, fifty.nodes.length]).toEqual([1, 5, N]);
    expect(fifty.nodes.map((n) => n.id)).toEqual(ids);
    expect(five.nodes.map((n) => n.id)).toEqual(ids.slice(0, 5));
    expect(typeof one.statements).toBe('number');
    expect(five.statements).toBe(one.statements);
    expect(fifty.statements).toBe(one.statements);
  });

  it('gives each review the values of the per-review path', async () => {
    const { nodes } = await list(N);
    // The data is varied enough to mean something.
    expect(new Set(nodes.map((n) => n.template?.name)).size).toBe(3);
    expect(new Set(nodes.map((n) => n.recurrencesAfterActions))).toEqual(new Set([null, 1, 2, 3]));
    expect(nodes.some((n) => n.all.length > n.timeline.length)).toBe(true);
    expect(nodes.some((n) => n.timeline.some((e) => e.source === 'ADDED'))).toBe(true);
    expect(nodes.some((n) => n.timeline.some((e) => e.source === 'DETECTION'))).toBe(true);
    expect(nodes.some((n) => n.impact.durationEntered)).toBe(true);
    expect(nodes.some((n) => n.impact.restoredAt === null)).toBe(true);
    expect(nodes.some((n) => n.impact.slaBreaches > 0)).toBe(true);
    expect(new Set(nodes.map((n) => n.missingSections.length)).size).toBeGreaterThan(3);
    for (const n of nodes) {
      const single = await call<Listed>(t, ONE, { id: n.id });
      expect(single, `review ${n.id} by id`).toEqual(n);
      const direct = await call<Listed>(t, NO_OP, { id: n.id });
      expect(direct, `review ${n.id} as a mutation result`).toEqual(n);
    }
  });

  it('shows a mutation its own changes, also the second one on the same review in one operation', async () => {
    const id = ids[0]!;
    const before = (await call<Listed>(t, ONE, { id })).all.length;
    const r = ok(
      await t.gql<{ a: { all: { id: string }[] }; b: { all: { id: string }[] } }>(
        `mutation($id: ID!) {
          a: addTimelineEntry(id: $id, input: { at: "2026-04-01T09:00:00Z", text: "First" }) { all: timeline(includeHidden: true) { id }
            missingSections }
          b: addTimelineEntry(id: $id, input: { at: "2026-04-01T09:01:00Z", text: "Second" }) { all: timeline(includeHidden:
            true) { id } missingSections }
        }`,
        { id },
      ),
    );
    expect(r.a.all).toHaveLength(before + 1);
    expect(r.b.all).toHaveLength(before + 2);
    expect((await list(N)).nodes.find((n) => n.id === id)!.all).toHaveLength(before + 2);
  });
});
