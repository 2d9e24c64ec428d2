import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addActionItem,
  addActionItemRaw,
  addEntryRaw,
  addFactor,
  addFactorRaw,
  as,
  buildOutage,
  call,
  clock,
  createCast,
  createProblem,
  createReview,
  createReviewRaw,
  curate,
  curateRaw,
  expectRefused,
  fillAllSections,
  getReview,
  incidentWithTimeline,
  realClock,
  REVIEW_TABLES,
  setFiveWhys,
  setFiveWhysRaw,
  simpleIncident,
  tableSnapshot,
  timeline,
  transitionReview,
  transitionReviewRaw,
  updateReview,
  updateReviewRaw,
  type Cast,
  type Outage,
} from './support/review-factories';
import type { Review } from './support/gql-types';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * A whole review through the API, DRAFT -> IN_REVIEW -> PUBLISHED, with the status and
 * publishing rules (required sections by template, back to DRAFT with a reason, illegal moves, no
 * edits once published, covered CLOSED incidents become REVIEWED); five whys ending in an existing or
 * a new problem; and bad input refused clearly with nothing half-saved.
 */

const ALL_SECTIONS = [
  'SUMMARY',
  'CUSTOMER_IMPACT',
  'TIMELINE',
  'CONTRIBUTING_FACTORS',
  'FIVE_WHYS',
  'ROOT_CAUSE',
  'WENT_WELL',
  'WENT_BADLY',
  'LESSONS',
  'ACTION_ITEMS',
];
const STANDARD = ['SUMMARY', 'TIMELINE', 'CONTRIBUTING_FACTORS', 'LESSONS', 'ACTION_ITEMS'];
/** Everything a refused call on a review must leave as it was. */
const GUARDED = [...REVIEW_TABLES, 'problems', 'problem_events', 'incidents', 'incident_events'];

let t: TestApp;
let c: Cast;
let o: Outage;

beforeAll(async () => {
  t = await startTestApp();
  // Fixed times from the first request on (the clock only moves forward; see clock()).
  clock('2026-03-01T00:00:00Z');
  c = await createCast(t);
  o = await buildOutage(t, c, '2026-03-10');
  realClock();
});

afterAll(async () => {
  realClock();
  await t?.close();
});

async function incidentStatus(id: string): Promise<string> {
  return (await incidentWithTimeline(t, id)).status;
}

describe('a review from DRAFT to PUBLISHED', () => {
  let review: Review;
  /** Resolved but not closed: publishing leaves it alone. */
  let resolvedOnly: { id: string; number: string };
  let problem: { id: string; number: string };

  beforeAll(async () => {
    resolvedOnly = await simpleIncident(
      t,
      { title: 'Checkout latency above 2 s', serviceId: c.checkout.id, impact: 2, urgency: 2 },
      { resolve: true },
    );
    problem = await createProblem(t, {
      title: 'Checkout DB pool too small',
      rootCause: 'Release 4.2 lowered the pool to 50 connections.',
      rootCauseCategory: 'CHANGE',
    });
  });

  /** Sending to review (and publishing) is refused, naming exactly `missing`, and changes nothing. */
  async function expectIncomplete(missing: string[]) {
    const before = await tableSnapshot(t, GUARDED);
    for (const to of ['IN_REVIEW', 'PUBLISHED']) {
      const e = expectRefused(await transitionReviewRaw(t, review.id, to, undefined, as(c.dana)), 'REVIEW_INCOMPLETE');
      expect(e.extensions!.missing).toEqual(missing);
      expect(e.extensions!.template).toBe('Major incident review');
      expect((e.extensions!.labels as string[]).length).toBe(missing.length);
      expect(e.message).toContain(`${review.number} cannot ${to === 'PUBLISHED' ? 'be published' : 'go to review'} yet: fill in `);
    }
    const r = await getReview(t, review.id);
    expect(r.status).toBe('DRAFT');
    expect(r.publishedAt).toBeNull();
    expect(r.missingSections).toEqual(missing);
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
  }

  it('starts as a DRAFT under the template its most urgent incident calls for', async () => {
    review = await createReview(
      t,
      {
        title: 'Checkout outage of 10 March',
        incidentIds: [o.a.id, o.b.id, resolvedOnly.id, o.a.id],
        facilitatorId: c.dana.id,
        meetingAt: '2026-03-12T14:00:00Z',
      },
      as(c.dana),
    );
    expect(review).toMatchObject({
      status: 'DRAFT',
      title: 'Checkout outage of 10 March',
      publishedAt: null,
      facilitator: { id: c.dana.id, name: 'Dana Whitfield' },
      meetingAt: '2026-03-12T14:00:00.000Z',
      problem: null,
      recurrencesAfterActions: null,
    });
    expect(review.number).toMatch(/^PIR-\d{4}$/);
    expect(review.incidents.map((i) => i.id).sort()).toEqual([o.a.id, o.b.id, resolvedOnly.id].sort());
    expect(review.template).toEqual({
      id: '00000000-0000-4000-8000-00000000b001',
      name: 'Major incident review',
      requiredSections: ALL_SECTIONS,
    });
    // The timeline is already there (assembled from the incidents); everything else is to be written.
    expect(review.missingSections).toEqual(ALL_SECTIONS.filter((s) => s !== 'TIMELINE'));
    expect(review.history).toEqual([expect.objectContaining({ kind: 'CREATED', actorName: 'Dana Whitfield' })]);
    // Covering incidents is visible from their side too.
    const covered = await call<{ reviews: { id: string; number: string; status: string }[] }>(
      t,
      `query($id: ID!) { incident(id: $id) { reviews { id number status } } }`,
      { id: o.a.id },
    );
    expect(covered.reviews).toEqual([{ id: review.id, number: review.number, status: 'DRAFT' }]);
  });

  it('is refused IN_REVIEW (and publication) with exactly the missing sections until each is filled, then moves', async () => {
    let missing = ALL_SECTIONS.filter((s) => s !== 'TIMELINE');
    await expectIncomplete(missing);

    // Blank text fills nothing.
    await updateReview(t, review.id, { summary: '   \n ', lessons: '\t' });
    await expectIncomplete(missing);

    const steps: [string, () => Promise<unknown>][] = [
      ['SUMMARY', () => updateReview(t, review.id, { summary: 'Card payments failed for 48 minutes.' })],
      ['CUSTOMER_IMPACT', () => updateReview(t, review.id, { usersAffected: 18250 })],
      [
        'CONTRIBUTING_FACTORS',
        () =>
          addFactor(t, review.id, {
            categoryKey: 'CHANGE',
            description: 'Release 4.2 lowered the pool size.',
            evidence: [`detected:${o.a.id}`],
          }),
      ],
      ['FIVE_WHYS', () => setFiveWhys(t, review.id, { whys: [{ why: 'Why did payments fail?', answer: 'The DB pool was exhausted.' }] })],
      [
        'ROOT_CAUSE',
        () =>
          setFiveWhys(t, review.id, {
            whys: [{ why: 'Why did payments fail?', answer: 'The DB pool was exhausted.' }],
            problemId: problem.id,
          }),
      ],
      ['WENT_WELL', () => updateReview(t, review.id, { wentWell: 'The workaround was known.' })],
      ['WENT_BADLY', () => updateReview(t, review.id, { wentBadly: 'Detection took 8 minutes.' })],
      ['LESSONS', () => updateReview(t, review.id, { lessons: 'Review pool sizes with every release.' })],
      [
        'ACTION_ITEMS',
        () => addActionItem(t, review.id, { title: 'Alert on pool saturation', ownerId: c.tom.id, dueDate: '2099-03-31', kind: 'DETECT' }),
      ],
    ];
    for (const [section, fill] of steps) {
      await fill();
      missing = missing.filter((s) => s !== section);
      if (missing.length) await expectIncomplete(missing);
    }
    expect((await getReview(t, review.id)).missingSections).toEqual([]);
    const inReview = await transitionReview(t, review.id, 'IN_REVIEW', undefined, as(c.dana));
    expect(inReview.status).toBe('IN_REVIEW');
    expect(inReview.history.at(-1)).toMatchObject({ kind: 'STATUS_CHANGED', summary: 'DRAFT -> IN_REVIEW', actorName: 'Dana Whitfield' });
  });

  it('publishes, and the covered CLOSED incidents become REVIEWED', async () => {
    expect(await incidentStatus(o.a.id)).toBe('CLOSED');
    const published = await transitionReview(t, review.id, 'PUBLISHED', undefined, as(c.dana));
    expect(published.status).toBe('PUBLISHED');
    expect(Date.now() - Date.parse(published.publishedAt!)).toBeLessThan(60_000);
    expect(published.history.at(-1)).toMatchObject({ kind: 'STATUS_CHANGED', summary: 'IN_REVIEW -> PUBLISHED' });
    expect(await incidentStatus(o.a.id)).toBe('REVIEWED');
    expect(await incidentStatus(o.b.id)).toBe('REVIEWED');
    // Resolved but not yet closed: not moved.
    expect(await incidentStatus(resolvedOnly.id)).toBe('RESOLVED');
    const a = await incidentWithTimeline(t, o.a.id);
    expect(a.timeline.at(-1)).toMatchObject({
      kind: 'STATUS_CHANGED',
      summary: `CLOSED -> REVIEWED: Review ${review.number} published`,
      actorName: 'Dana Whitfield',
    });
  });

  it('refuses illegal moves from PUBLISHED', async () => {
    const before = await tableSnapshot(t, GUARDED);
    const e = expectRefused(await transitionReviewRaw(t, review.id, 'IN_REVIEW'), 'ILLEGAL_TRANSITION');
    expect(e.extensions).toMatchObject({ from: 'PUBLISHED', to: 'IN_REVIEW' });
    expect(e.message).toBe('Cannot move a review from Published to In review; from Published the status can move to Draft');
    expectRefused(await transitionReviewRaw(t, review.id, 'PUBLISHED'), 'ILLEGAL_TRANSITION');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
  });

  it('refuses every edit of a PUBLISHED review, and changes nothing', async () => {
    const r = await getReview(t, review.id);
    const entry = (await timeline(t, review.id)).find((e) => e.source === 'INCIDENT_EVENT')!;
    const factorId = r.contributingFactors[0].id;
    const itemId = r.actionItems[0].id;
    const before = await tableSnapshot(t, GUARDED);
    const edits: [string, Promise<GqlResult>][] = [
      ['updateReview', updateReviewRaw(t, review.id, { summary: 'Rewritten after publication' })],
      [
        'addIncidentsToReview',
        t.gql(`mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
          id: review.id,
          ids: [resolvedOnly.id],
        }),
      ],
      [
        'removeIncidentsFromReview',
        t.gql(`mutation($id: ID!, $ids: [ID!]!) { removeIncidentsFromReview(id: $id, incidentIds: $ids) { id } }`, {
          id: review.id,
          ids: [o.b.id],
        }),
      ],
      ['setFiveWhys', setFiveWhysRaw(t, review.id, { whys: [{ why: 'Why?', answer: 'Because.' }] })],
      ['curateTimelineEntry', curateRaw(t, review.id, entry.id, { starred: true })],
      ['addTimelineEntry', addEntryRaw(t, review.id, { at: o.at('09:30'), text: 'Late note' })],
      ['addContributingFactor', addFactorRaw(t, review.id, { categoryKey: 'PROCESS', description: 'Late factor' })],
      [
        'updateContributingFactor',
        t.gql(
          `mutation($id: ID!) { updateContributingFactor(id: $id, input: { categoryKey: "PROCESS", description: "Changed" }) { id } }`,
          { id: factorId },
        ),
      ],
      ['removeContributingFactor', t.gql(`mutation($id: ID!) { removeContributingFactor(id: $id) { id } }`, { id: factorId })],
      ['removeActionItem', t.gql(`mutation($id: ID!) { removeActionItem(id: $id) { id } }`, { id: itemId })],
      [
        'addActionItem',
        addActionItemRaw(t, review.id, { title: 'Added after publication', ownerId: c.ravi.id, dueDate: '2026-04-30', kind: 'PROCESS' }),
      ],
    ];
    for (const [what, call] of edits) {
      const e = expectRefused(await call, 'REVIEW_PUBLISHED');
      expect(e.message, what).toBe(`${review.number} is published; move it back to draft with a reason to change it`);
    }
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
    expect((await getReview(t, review.id)).summary).toBe('Card payments failed for 48 minutes.');

    // Action items still move on after publication: that is how the loop gets closed.
    const item = await call<{ status: string }>(
      t,
      `mutation($id: ID!) { setActionItemStatus(id: $id, input: { status: IN_PROGRESS }) { status } }`,
      {
        id: itemId,
      },
    );
    expect(item.status).toBe('IN_PROGRESS');
  });

  it('goes back to DRAFT only with a reason, is editable again, and can be published again', async () => {
    const before = await tableSnapshot(t, GUARDED);
    expectRefused(await transitionReviewRaw(t, review.id, 'DRAFT'), 'BAD_USER_INPUT', 'reason');
    const e = expectRefused(await transitionReviewRaw(t, review.id, 'DRAFT', '   '), 'BAD_USER_INPUT', 'reason');
    expect(e.message).toContain('Moving a review back to Draft from Published needs a reason');
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);

    const draft = await transitionReview(t, review.id, 'DRAFT', 'The vendor sent its own timeline', as(c.dana));
    expect(draft.status).toBe('DRAFT');
    expect(draft.history.at(-1)).toMatchObject({
      kind: 'STATUS_CHANGED',
      summary: 'PUBLISHED -> DRAFT: The vendor sent its own timeline',
      actorName: 'Dana Whitfield',
    });
    // The incidents stay REVIEWED.
    expect(await incidentStatus(o.a.id)).toBe('REVIEWED');
    expectRefused(await transitionReviewRaw(t, review.id, 'DRAFT', 'again'), 'ILLEGAL_TRANSITION');

    const edited = await updateReview(t, review.id, { summary: 'Card payments failed for 48 minutes; PayFast was not involved.' });
    expect(edited.summary).toBe('Card payments failed for 48 minutes; PayFast was not involved.');

    // DRAFT -> PUBLISHED directly is allowed; incidents already REVIEWED are not moved again.
    const eventsBefore = (await incidentWithTimeline(t, o.a.id)).timeline.length;
    const republished = await transitionReview(t, review.id, 'PUBLISHED');
    expect(republished.status).toBe('PUBLISHED');
    expect((await incidentWithTimeline(t, o.a.id)).timeline.length).toBe(eventsBefore);
    expect(republished.history.filter((h) => h.kind === 'STATUS_CHANGED').map((h) => h.summary)).toEqual([
      'DRAFT -> IN_REVIEW',
      'IN_REVIEW -> PUBLISHED',
      'PUBLISHED -> DRAFT: The vendor sent its own timeline',
      'DRAFT -> PUBLISHED',
    ]);
  });

  it('IN_REVIEW back to DRAFT needs a reason too', async () => {
    const other = await createReview(t, { title: 'Latency review', incidentIds: [resolvedOnly.id] });
    await fillAllSections(t, other.id, { ownerId: c.tom.id, problemId: problem.id });
    await transitionReview(t, other.id, 'IN_REVIEW');
    expectRefused(await transitionReviewRaw(t, other.id, 'DRAFT'), 'BAD_USER_INPUT', 'reason');
    expect((await transitionReview(t, other.id, 'DRAFT', 'Wrong facilitator')).status).toBe('DRAFT');
    expectRefused(await transitionReviewRaw(t, randomUUID(), 'IN_REVIEW'), 'NOT_FOUND', 'id');
  });
});

describe('templates', () => {
  it('a lower-priority review uses the default Standard review; hidden entries do not fill the TIMELINE section', async () => {
    const inc = await simpleIncident(t, { title: 'Search slow for some users', impact: 2, urgency: 2 }, { close: true });
    const r = await createReview(t, { title: 'Search slowness', incidentIds: [inc.id] });
    expect(r.incidents[0].priority).toBe(3);
    expect(r.template).toMatchObject({ name: 'Standard review', requiredSections: STANDARD });
    expect(r.missingSections).toEqual(['SUMMARY', 'CONTRIBUTING_FACTORS', 'LESSONS', 'ACTION_ITEMS']);

    // No detection time: every entry can be hidden, and then the timeline section is empty.
    for (const e of await timeline(t, r.id)) await curate(t, r.id, e.id, { hidden: true });
    expect(await timeline(t, r.id)).toEqual([]);
    expect((await getReview(t, r.id)).missingSections).toEqual(STANDARD);
    const e = expectRefused(await transitionReviewRaw(t, r.id, 'IN_REVIEW'), 'REVIEW_INCOMPLETE');
    expect(e.extensions).toMatchObject({ missing: STANDARD, template: 'Standard review' });

    // A template chosen by hand wins over the automatic choice.
    const chosen = await updateReview(t, r.id, { templateId: '00000000-0000-4000-8000-00000000b001' });
    expect(chosen.template!.name).toBe('Major incident review');
    expect(chosen.missingSections).toEqual(ALL_SECTIONS);
    expectRefused(await updateReviewRaw(t, r.id, { templateId: randomUUID() }), 'NOT_FOUND', 'input.templateId');

    // A custom template, e.g. a lighter one chosen for this review.
    const light = await call<{ id: string }>(
      t,
      `mutation($input: ReviewTemplateInput!) { createReviewTemplate(input: $input) { id name requiredSections isDefault maxPriority } }`,
      { input: { name: 'Summary only', requiredSections: ['SUMMARY'] } },
    );
    expect(light).toMatchObject({ name: 'Summary only', requiredSections: ['SUMMARY'], isDefault: false, maxPriority: null });
    expectRefused(
      await t.gql(`mutation { createReviewTemplate(input: { name: "summary ONLY", requiredSections: [LESSONS] }) { id } }`),
      'CONFLICT',
      'name',
    );
    await updateReview(t, r.id, { templateId: light.id, summary: 'Search was slow for 2 hours.' });
    expect((await transitionReview(t, r.id, 'PUBLISHED')).status).toBe('PUBLISHED');
    expect(await incidentStatus(inc.id)).toBe('REVIEWED');
  });
});

describe('five whys', () => {
  let review: Review;
  beforeAll(async () => {
    const x = await simpleIncident(
      t,
      { title: 'Card payments declined', serviceId: c.checkout.id, impact: 1, urgency: 1 },
      { close: true },
    );
    const y = await simpleIncident(
      t,
      { title: 'Card payments declined again', serviceId: c.checkout.id, impact: 1, urgency: 2 },
      { resolve: true },
    );
    review = await createReview(t, { title: 'Declined card payments', incidentIds: [x.id, y.id] });
  });

  const WHYS = [
    { why: 'Why were payments declined?', answer: 'The acquirer rejected our TLS handshake.' },
    { why: 'Why was it rejected?', answer: 'Our client certificate had expired.' },
    { why: 'Why had it expired?', answer: 'Renewal is manual and nobody was reminded.' },
  ];

  it('end in an existing problem', async () => {
    const existing = await createProblem(t, { title: 'Client certificates expire unnoticed' });
    const r = await setFiveWhys(t, review.id, {
      whys: WHYS.map((w) => ({ why: ` ${w.why} `, answer: `${w.answer}\n` })),
      problemId: existing.id,
    });
    expect(r.fiveWhys).toEqual(WHYS);
    expect(r.problem).toMatchObject({
      id: existing.id,
      number: existing.number,
      title: 'Client certificates expire unnoticed',
      status: 'OPEN',
    });
    expect(r.missingSections).not.toContain('FIVE_WHYS');
    expect(r.missingSections).not.toContain('ROOT_CAUSE');
    expect(r.history.at(-1)).toMatchObject({ kind: 'FIVE_WHYS', summary: 'Five whys recorded (3), root cause linked' });
  });

  it('end in a new problem created from the review: root cause filled, incidents linked, KNOWN_ERROR', async () => {
    const problemsBefore = (await t.sql<{ n: number }>(`select count(*)::int as n from problems`))[0]!.n;
    const r = await setFiveWhys(t, review.id, {
      whys: WHYS,
      newProblem: {
        title: 'Acquirer client certificate renewal is manual',
        rootCause: 'The client certificate for the acquirer is renewed by hand and expired unnoticed.',
        rootCauseCategory: 'CONFIGURATION',
      },
    });
    expect((await t.sql(`select count(*)::int as n from problems`))[0].n).toBe(problemsBefore + 1);
    const p = await call<{ id: string; knownErrorAt: string | null; recentIncidents: { id: string; problem: { id: string } | null }[] }>(
      t,
      `query($id: ID!) { problem(id: $id) { id number title status rootCause rootCauseCategory description analysisNotes incidentCount
        knownErrorAt service { id } recentIncidents(first: 10) { id problem { id } } } }`,
      { id: r.problem!.id },
    );
    expect(p).toMatchObject({
      title: 'Acquirer client certificate renewal is manual',
      status: 'KNOWN_ERROR',
      rootCause: 'The client certificate for the acquirer is renewed by hand and expired unnoticed.',
      rootCauseCategory: 'CONFIGURATION',
      description: `Root cause found in review ${review.number}: Declined card payments`,
      analysisNotes: WHYS.map((w, i) => `${i + 1}. ${w.why} — ${w.answer}`).join('\n'),
      incidentCount: 2,
      service: { id: c.checkout.id },
    });
    expect(p.knownErrorAt).not.toBeNull();
    expect(p.recentIncidents.map((i) => i.id).sort()).toEqual(review.incidents.map((i) => i.id).sort());
    expect(p.recentIncidents.every((i) => i.problem!.id === p.id)).toBe(true);
    expect(r.problem).toMatchObject({ id: p.id, status: 'KNOWN_ERROR' });
  });

  it('a new problem with an unknown root-cause category stays OPEN', async () => {
    const r = await setFiveWhys(t, review.id, {
      whys: WHYS.slice(0, 1),
      newProblem: {
        title: 'Declines of unknown origin',
        rootCause: 'Not understood yet; declines stopped on their own.',
        rootCauseCategory: 'UNKNOWN',
      },
    });
    expect(r.problem).toMatchObject({ title: 'Declines of unknown origin', status: 'OPEN', rootCauseCategory: 'UNKNOWN' });
    expect(r.fiveWhys).toEqual(WHYS.slice(0, 1));
  });

  it('refuses bad five whys and saves nothing', async () => {
    const before = await tableSnapshot(t, GUARDED);
    const problem = (await getReview(t, review.id)).problem;
    expectRefused(await setFiveWhysRaw(t, review.id, { whys: WHYS, problemId: randomUUID() }), 'NOT_FOUND', 'input.problemId');
    expectRefused(
      await setFiveWhysRaw(t, review.id, {
        whys: WHYS,
        problemId: problem!.id,
        newProblem: { title: 'Both', rootCause: 'Both given at once here', rootCauseCategory: 'CHANGE' },
      }),
      'BAD_USER_INPUT',
      'input.newProblem',
    );
    expectRefused(await setFiveWhysRaw(t, review.id, { whys: [] }), 'BAD_USER_INPUT', 'whys');
    expectRefused(await setFiveWhysRaw(t, review.id, { whys: [{ why: 'Why?', answer: '  ' }] }), 'BAD_USER_INPUT', 'whys.0.answer');
    expectRefused(
      await setFiveWhysRaw(t, review.id, { whys: WHYS, newProblem: { title: 'Short', rootCause: 'short', rootCauseCategory: 'CHANGE' } }),
      'BAD_USER_INPUT',
      'newProblem.rootCause',
    );
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
  });
});

describe('bad input is refused clearly and nothing is half-saved', () => {
  let review: Review;
  let snapshot: Awaited<ReturnType<typeof tableSnapshot>>;
  beforeAll(async () => {
    review = await createReview(t, { title: 'For bad input', incidentIds: [o.a.id] });
  });

  async function refused(r: Promise<GqlResult>, code: string, field: string, text?: string) {
    snapshot = await tableSnapshot(t, GUARDED);
    const e = expectRefused(await r, code, field);
    if (text) expect(e.message).toContain(text);
    expect(await tableSnapshot(t, GUARDED)).toEqual(snapshot);
    return e;
  }

  it('creating a review', async () => {
    const unknown = randomUUID();
    const before = await tableSnapshot(t, GUARDED);
    const gone = await refused(
      createReviewRaw(t, { title: 'Unknown incident', incidentIds: [o.a.id, unknown] }),
      'NOT_FOUND',
      'incidentIds',
      'there is no such incident',
    );
    expect(gone.extensions?.id).toBe(unknown);
    await refused(createReviewRaw(t, { title: 'No incidents', incidentIds: [] }), 'BAD_USER_INPUT', 'incidentIds', 'at least one entry');
    await refused(createReviewRaw(t, { title: 'Not an id', incidentIds: ['INC-000001'] }), 'BAD_USER_INPUT', 'incidentIds');
    await refused(createReviewRaw(t, { title: '   ', incidentIds: [o.a.id] }), 'BAD_USER_INPUT', 'title', 'must not be blank');
    await refused(createReviewRaw(t, { title: '', incidentIds: [o.a.id] }), 'BAD_USER_INPUT', 'title');
    await refused(createReviewRaw(t, { title: 'x'.repeat(201), incidentIds: [o.a.id] }), 'BAD_USER_INPUT', 'title');
    await refused(
      createReviewRaw(t, { title: 'Unknown facilitator', incidentIds: [o.a.id], facilitatorId: randomUUID() }),
      'NOT_FOUND',
      'facilitatorId',
    );
    // Missing required arguments never reach the resolver.
    const r = await createReviewRaw(t, { incidentIds: [o.a.id] });
    expect(r.status).toBe(400);
    expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toBe('Title is required');
    // Not one row anywhere.
    expect(await tableSnapshot(t, GUARDED)).toEqual(before);
  });

  it('editing a review', async () => {
    await refused(updateReviewRaw(t, review.id, { summary: 'Half', facilitatorId: randomUUID() }), 'NOT_FOUND', 'facilitatorId');
    await refused(
      updateReviewRaw(t, review.id, { summary: 'Half', participants: [{ userId: c.ravi.id }, {}] }),
      'BAD_USER_INPUT',
      'input.participants.1',
    );
    await refused(
      updateReviewRaw(t, review.id, { lessons: 'Half', participants: [{ userId: randomUUID() }] }),
      'NOT_FOUND',
      'input.participants.0.userId',
    );
    await refused(updateReviewRaw(t, review.id, { usersAffected: -1 }), 'BAD_USER_INPUT', 'usersAffected');
    await refused(updateReviewRaw(t, review.id, { title: ' ' }), 'BAD_USER_INPUT', 'title');
    await refused(updateReviewRaw(t, randomUUID(), { summary: 'Nobody' }), 'NOT_FOUND', 'id');
    await refused(
      t.gql(`mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
        id: review.id,
        ids: [o.b.id, randomUUID()],
      }),
      'NOT_FOUND',
      'incidentIds',
    );
    const r = await getReview(t, review.id);
    expect(r).toMatchObject({ summary: '', lessons: '', participants: [], facilitator: null });
    expect(r.incidents.map((i) => i.id)).toEqual([o.a.id]);
  });

  it('contributing factors and action items', async () => {
    await refused(
      addFactorRaw(t, review.id, { categoryKey: 'NOT_A_CATEGORY', description: 'Something' }),
      'BAD_USER_INPUT',
      'input.categoryKey',
      'Factor category: "NOT_A_CATEGORY" is not one in use',
    );
    await refused(addFactorRaw(t, review.id, { categoryKey: 'CHANGE', description: '  ' }), 'BAD_USER_INPUT', 'description');
    await refused(
      addFactorRaw(t, review.id, { categoryKey: 'CHANGE', description: 'Evidence from elsewhere', evidence: [randomUUID()] }),
      'BAD_USER_INPUT',
      'input.evidence.0',
    );

    // An action item without an owner is not even valid GraphQL input.
    snapshot = await tableSnapshot(t, GUARDED);
    for (const ownerId of [undefined, null]) {
      const r = await addActionItemRaw(t, review.id, { title: 'Nobody owns this', dueDate: '2026-04-01', kind: 'PREVENT', ownerId });
      expect(r.status).toBe(400);
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toBe('Owner is required');
    }
    expect(await tableSnapshot(t, GUARDED)).toEqual(snapshot);
    await refused(
      addActionItemRaw(t, review.id, { title: 'Unknown owner', ownerId: randomUUID(), dueDate: '2026-04-01', kind: 'PREVENT' }),
      'NOT_FOUND',
      'input.ownerId',
    );
    await refused(
      addActionItemRaw(t, review.id, { title: 'Too early', ownerId: c.tom.id, dueDate: '2026-03-09', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'input.dueDate',
      '2026-03-09 is in the past',
    );
    await refused(
      addActionItemRaw(t, review.id, { title: 'No such day', ownerId: c.tom.id, dueDate: '2026-02-30', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'input.dueDate',
      'is not a real date',
    );
    await refused(
      addActionItemRaw(t, review.id, { title: 'Wrong format', ownerId: c.tom.id, dueDate: '01/04/2026', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'dueDate',
      'year-month-day, e.g. 2026-03-31',
    );
    await refused(
      addActionItemRaw(t, review.id, { title: ' ', ownerId: c.tom.id, dueDate: '2026-04-01', kind: 'PREVENT' }),
      'BAD_USER_INPUT',
      'title',
    );
    await refused(
      addActionItemRaw(t, review.id, { title: 'Priority 0', ownerId: c.tom.id, dueDate: '2026-04-01', kind: 'PREVENT', priority: 0 }),
      'BAD_USER_INPUT',
      'priority',
    );
    await refused(
      addActionItemRaw(t, review.id, {
        title: 'Unknown problem',
        ownerId: c.tom.id,
        dueDate: '2026-04-01',
        kind: 'PREVENT',
        problemId: randomUUID(),
      }),
      'NOT_FOUND',
      'input.problemId',
    );
    await refused(
      addActionItemRaw(t, randomUUID(), { title: 'Unknown review', ownerId: c.tom.id, dueDate: '2026-04-01', kind: 'PREVENT' }),
      'NOT_FOUND',
      'id',
    );
    const r = await getReview(t, review.id);
    expect(r.contributingFactors).toEqual([]);
    expect(r.actionItems).toEqual([]);
  });

  it('a valid review afterwards writes exactly its own rows', async () => {
    const before = await tableSnapshot(t, GUARDED);
    const r = await createReview(t, { title: 'After the refusals', incidentIds: [o.b.id] });
    expect(r.number).toMatch(/^PIR-\d{4}$/);
    const after = await tableSnapshot(t, GUARDED);
    expect(after.counts.reviews).toBe(before.counts.reviews + 1);
    expect(after.counts.review_incidents).toBe(before.counts.review_incidents + 1);
    expect(after.counts.review_events).toBe(before.counts.review_events + 1);
  });
});
