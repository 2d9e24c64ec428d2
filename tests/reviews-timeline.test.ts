import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEntry,
  addEntryRaw,
  addFactor,
  addFactorRaw,
  as,
  buildOutage,
  call,
  clock,
  createCast,
  createReview,
  curate,
  curateRaw,
  expectRefused,
  FACTOR_FIELDS,
  getReview,
  incidentEventRows,
  incidentWithTimeline,
  realClock,
  removeEntryRaw,
  simpleIncident,
  tableSnapshot,
  timeline,
  type Cast,
  type Outage,
  type TimelineItem,
} from './support/review-factories';
import type { Review } from './support/gql-types';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * "The assembled timeline of a review matches the incidents' events in order and time, and
 * curating it never alters an incident event"; contributing factors typed by the configurable
 * taxonomy, with evidence that must be entries of the review's timeline.
 */

/** What a review timeline shows of an incident's events (the issue: detection, acknowledgement,
 * escalations, stakeholder updates, workaround applied, resolution, and the rest of the response). */
const REVIEW_KINDS = [
  'LOGGED',
  'CLASSIFIED',
  'PRIORITY_OVERRIDDEN',
  'ASSIGNED',
  'ACKNOWLEDGED',
  'STATUS_CHANGED',
  'REOPENED',
  'STAKEHOLDER_UPDATE',
  'ESCALATION',
  'DR_PLAN_TRIGGERED',
  'CONFIGURATION_CHANGE',
  'WORKAROUND_APPLIED',
  'MODEL_APPLIED',
];

let t: TestApp;
let c: Cast;
let o: Outage;
/** A third incident whose detection and logging fall on the same instant as an event of a. */
let third: { id: string; number: string };
let review: Review;

beforeAll(async () => {
  t = await startTestApp();
  // Fixed times from the first request on (the clock only moves forward; see clock()).
  clock('2026-03-01T00:00:00Z');
  c = await createCast(t);
  o = await buildOutage(t, c, '2026-03-10');
  // Logged the next morning, backdated to when it happened.
  clock('2026-03-11T09:30:00Z');
  third = await simpleIncident(
    t,
    { title: 'Payment provider webhook timeouts', openedAt: o.at('09:10'), detectedAt: o.at('09:10'), serviceId: c.checkout.id },
    { resolvedAt: o.at('09:35') },
  );
  clock('2026-03-11T10:00:00Z');
  review = await createReview(t, { title: 'Checkout outage', incidentIds: [o.a.id, o.b.id], facilitatorId: c.dana.id }, as(c.dana));
  realClock();
});

afterAll(async () => {
  realClock();
  await t?.close();
});

/**
 * The expected timeline, built independently from the incidents' own timelines: their events of the
 * review kinds plus one detection entry per incident, ordered by time; at the same instant detection
 * first, then events by incident number and position.
 */
async function expectedTimeline(incidentIds: string[]) {
  const rows: {
    id: string;
    source: string;
    at: string;
    incidentNumber: string;
    kind: string;
    summary: string;
    actorName: string | null;
    seq: number;
  }[] = [];
  for (const id of incidentIds) {
    const inc = await incidentWithTimeline(t, id);
    if (inc.detectedAt)
      rows.push({
        id: `detected:${inc.id}`,
        source: 'DETECTION',
        at: inc.detectedAt,
        incidentNumber: inc.number,
        kind: 'DETECTED',
        summary: `Impact began / first seen (${inc.number})`,
        actorName: null,
        seq: 0,
      });
    for (const e of inc.timeline) {
      if (REVIEW_KINDS.includes(e.kind))
        rows.push({
          id: e.id,
          source: 'INCIDENT_EVENT',
          at: e.at,
          incidentNumber: inc.number,
          kind: e.kind,
          summary: e.summary,
          actorName: e.actorName,
          seq: e.seq,
        });
    }
  }
  // Same instant: detection (seq 0) first, then by incident number, then by position in the incident.
  rows.sort(
    (x, y) =>
      Date.parse(x.at) - Date.parse(y.at) ||
      Number(x.source !== 'DETECTION') - Number(y.source !== 'DETECTION') ||
      x.incidentNumber.localeCompare(y.incidentNumber) ||
      x.seq - y.seq,
  );
  return rows.map(({ seq: _, ...r }) => r);
}

const shape = (e: TimelineItem) => ({
  id: e.id,
  source: e.source,
  at: e.at,
  incidentNumber: e.incidentNumber,
  kind: e.kind,
  summary: e.summary,
  actorName: e.actorName,
});
const hhmm = (iso: string) => iso.slice(11, 16);

describe('assembled timeline', () => {
  it('matches the events of the covered incidents in order and time, with their detection times', async () => {
    const got = await timeline(t, review.id);
    expect(got.map(shape)).toEqual(await expectedTimeline([o.a.id, o.b.id]));

    // Written out by hand as well, so the comparison above is not the only oracle.
    const A = o.a.number;
    const B = o.b.number;
    expect(
      got.map(
        (e) =>
          `${e.at.slice(0, 10) === '2026-03-10' ? '' : '+1 '}${hhmm(e.at)} ` +
          `${e.incidentNumber === A ? 'a' : e.incidentNumber === B ? 'b' : '?'} ${e.kind}`,
      ),
    ).toEqual([
      '08:52 a DETECTED',
      '09:00 a LOGGED',
      '09:03 a ASSIGNED',
      '09:04 a ACKNOWLEDGED',
      '09:06 a CLASSIFIED',
      '09:06 a STATUS_CHANGED',
      '09:08 a STATUS_CHANGED',
      '09:10 a ESCALATION',
      '09:12 b DETECTED',
      '09:15 a STAKEHOLDER_UPDATE',
      '09:20 b LOGGED',
      '09:25 a ESCALATION',
      '09:31 a WORKAROUND_APPLIED',
      '09:40 a STATUS_CHANGED',
      '09:45 a STAKEHOLDER_UPDATE',
      '10:00 b ACKNOWLEDGED',
      '10:05 b STATUS_CHANGED',
      '10:10 b CONFIGURATION_CHANGE',
      '10:20 b STATUS_CHANGED',
      '+1 09:00 a STATUS_CHANGED',
      '+1 09:05 b STATUS_CHANGED',
    ]);
    expect(got.every((e) => !e.starred && !e.hidden && e.annotation === null)).toBe(true);

    // Time order, not recording order: a's resolution was recorded after the 09:45 update and
    // backdated to 09:40; it comes first.
    const a = await incidentWithTimeline(t, o.a.id);
    const resolved = a.timeline.find((e) => e.summary.startsWith('INVESTIGATING -> RESOLVED'))!;
    const update = a.timeline.find((e) => e.summary.includes('Card payments work again'))!;
    expect(resolved.seq).toBeGreaterThan(update.seq);
    expect(resolved.recordedAt).toBe(o.at('09:50'));
    expect(got.findIndex((e) => e.id === resolved.id)).toBeLessThan(got.findIndex((e) => e.id === update.id));
    expect(got.find((e) => e.id === resolved.id)!.at).toBe(o.at('09:40'));

    // Bookkeeping events are in the incident's timeline but not in the review's.
    const bookkeeping = a.timeline.filter((e) => e.kind === 'TIME_LOGGED' || e.kind === 'UPDATED');
    expect(bookkeeping.map((e) => e.kind).sort()).toEqual(['TIME_LOGGED', 'UPDATED']);
    for (const e of bookkeeping) expect(got.some((x) => x.id === e.id)).toBe(false);
  });

  it('follows the incidents it covers, and breaks ties at one instant by detection, incident number and position', async () => {
    const before = await tableSnapshot(t, ['incident_events', 'incidents']);
    ok(
      await t.gql(`mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
        id: review.id,
        ids: [third.id],
      }),
    );
    let got = await timeline(t, review.id);
    expect(got.map(shape)).toEqual(await expectedTimeline([o.a.id, o.b.id, third.id]));
    const at0910 = got.filter((e) => e.at === o.at('09:10')).map((e) => `${e.incidentNumber} ${e.kind}`);
    expect(at0910).toEqual([`${third.number} DETECTED`, `${o.a.number} ESCALATION`, `${third.number} LOGGED`]);

    ok(
      await t.gql(`mutation($id: ID!, $ids: [ID!]!) { removeIncidentsFromReview(id: $id, incidentIds: $ids) { id } }`, {
        id: review.id,
        ids: [third.id, o.b.id],
      }),
    );
    got = await timeline(t, review.id);
    expect(got.map(shape)).toEqual(await expectedTimeline([o.a.id]));
    expect(got.every((e) => e.incidentNumber === o.a.number)).toBe(true);

    // The last incident cannot go: a review covers at least one.
    const mid = await tableSnapshot(t, ['reviews', 'review_incidents', 'review_events']);
    expectRefused(
      await t.gql(`mutation($id: ID!, $ids: [ID!]!) { removeIncidentsFromReview(id: $id, incidentIds: $ids) { id } }`, {
        id: review.id,
        ids: [o.a.id],
      }),
      'BAD_USER_INPUT',
      'incidentIds',
    );
    expect(await tableSnapshot(t, ['reviews', 'review_incidents', 'review_events'])).toEqual(mid);

    ok(
      await t.gql(`mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
        id: review.id,
        ids: [o.b.id],
      }),
    );
    expect((await timeline(t, review.id)).map(shape)).toEqual(await expectedTimeline([o.a.id, o.b.id]));
    expect(await tableSnapshot(t, ['incident_events', 'incidents'])).toEqual(before);
  });
});

describe('curating the timeline', () => {
  let events: Record<string, unknown>[];
  let incidents: Record<string, unknown>[];
  const find = (entries: TimelineItem[], kind: string, text: string) => {
    const found = entries.filter((e) => e.kind === kind && e.summary.includes(text));
    expect(found, `${kind} ${text}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    events = await incidentEventRows(t);
    incidents = await t.sql(`select * from incidents order by id`);
    expect(events.length).toBeGreaterThan(20);
  });

  it('stars, hides, annotates, adds and removes entries without touching any incident event', async () => {
    const entries = await timeline(t, review.id);
    const assigned = find(entries, 'ASSIGNED', 'Assigned to Ravi Menon');
    const declared = find(entries, 'ESCALATION', 'Declared a major incident');
    const applied = find(entries, 'WORKAROUND_APPLIED', 'Applied workaround');

    await curate(t, review.id, declared.id, { starred: true }, as(c.dana));
    await curate(t, review.id, assigned.id, { hidden: true }, as(c.dana));
    await curate(t, review.id, applied.id, { annotation: '  Payments recovered within a minute ' }, as(c.ravi));
    const note = await addEntry(t, review.id, { at: o.at('09:28'), text: '  PayFast status page showed no incident  ' }, as(c.ravi));
    const mistake = await addEntry(t, review.id, { at: o.at('09:29'), text: 'Entered by mistake' }, as(c.ravi));
    ok(await removeEntryRaw(t, review.id, mistake));

    const visible = await timeline(t, review.id);
    const all = await timeline(t, review.id, true);
    // Hidden entries disappear unless asked for.
    expect(visible.some((e) => e.id === assigned.id)).toBe(false);
    expect(all.find((e) => e.id === assigned.id)).toMatchObject({
      hidden: true,
      starred: false,
      at: assigned.at,
      summary: assigned.summary,
    });
    expect(all.filter((e) => e.hidden).map((e) => e.id)).toEqual([assigned.id]);
    expect(all).toHaveLength(visible.length + 1);
    expect(visible.find((e) => e.id === declared.id)).toMatchObject({
      starred: true,
      hidden: false,
      annotation: null,
      summary: declared.summary,
      at: declared.at,
      actorName: 'Dana Whitfield',
    });
    expect(visible.find((e) => e.id === applied.id)).toMatchObject({
      annotation: 'Payments recovered within a minute',
      starred: false,
      summary: applied.summary,
    });
    // The added entry stands at its own time, by its author; the removed one is gone.
    const added = visible.filter((e) => e.source === 'ADDED');
    expect(added).toEqual([
      {
        id: note,
        source: 'ADDED',
        at: o.at('09:28'),
        incidentNumber: null,
        kind: 'NOTE',
        summary: 'PayFast status page showed no incident',
        actorName: 'Ravi Menon',
        starred: false,
        hidden: false,
        annotation: null,
      },
    ]);
    const idx = visible.findIndex((e) => e.id === note);
    expect(hhmm(visible[idx - 1]!.at)).toBe('09:25');
    expect(hhmm(visible[idx + 1]!.at)).toBe('09:31');
    // Apart from the overlay, the entries are still exactly the incidents' events.
    expect(all.filter((e) => e.source !== 'ADDED').map(shape)).toEqual(await expectedTimeline([o.a.id, o.b.id]));

    // Curating again changes the overlay, not the event; an empty annotation clears it.
    await curate(t, review.id, assigned.id, { hidden: false });
    await curate(t, review.id, applied.id, { annotation: '', starred: true });
    await curate(t, review.id, note, { starred: true, annotation: 'Vendor ruled out' });
    const after = await timeline(t, review.id);
    expect(after.find((e) => e.id === assigned.id)).toMatchObject({ hidden: false });
    expect(after.find((e) => e.id === applied.id)).toMatchObject({ annotation: null, starred: true });
    expect(after.find((e) => e.id === note)).toMatchObject({
      starred: true,
      annotation: 'Vendor ruled out',
      summary: 'PayFast status page showed no incident',
    });

    // The review keeps its own history of the curation.
    const history = (await getReview(t, review.id)).history.map((h) => h.kind);
    expect(history.filter((k: string) => k === 'TIMELINE_CURATED')).toHaveLength(6);
    expect(history).toContain('TIMELINE_ENTRY_ADDED');
    expect(history).toContain('TIMELINE_ENTRY_REMOVED');

    // Not one incident event, nor any incident, changed.
    expect(await incidentEventRows(t)).toEqual(events);
    expect(await t.sql(`select * from incidents order by id`)).toEqual(incidents);
  });

  it("keeps each review's curation to itself", async () => {
    const other = await createReview(t, { title: 'Card payments only', incidentIds: [o.a.id] });
    const entries = await timeline(t, other.id, true);
    expect(entries.every((e) => !e.starred && !e.hidden && e.annotation === null)).toBe(true);
    expect(entries.some((e) => e.source === 'ADDED')).toBe(false);
    expect(entries.map(shape)).toEqual(await expectedTimeline([o.a.id]));
    expect(await incidentEventRows(t)).toEqual(events);
  });

  it('refuses what cannot be curated, and writes nothing', async () => {
    const before = await tableSnapshot(t, ['review_timeline_entries', 'review_events', 'reviews', 'incident_events', 'incidents']);
    const a = await incidentWithTimeline(t, o.a.id);
    const timeLogged = a.timeline.find((e) => e.kind === 'TIME_LOGGED')!;
    const thirdLogged = (await incidentWithTimeline(t, third.id)).timeline[0];

    // Detection comes from the incident itself.
    expectRefused(await curateRaw(t, review.id, `detected:${o.a.id}`, { starred: true }), 'BAD_USER_INPUT', 'entryId');
    // An event of an incident the review does not cover.
    expectRefused(await curateRaw(t, review.id, thirdLogged.id, { starred: true }), 'NOT_FOUND', 'entryId');
    expectRefused(await curateRaw(t, review.id, randomUUID(), { hidden: true }), 'NOT_FOUND', 'entryId');
    expectRefused(await curateRaw(t, review.id, 'INC-000001#3', { hidden: true }), 'BAD_USER_INPUT', 'entryId');
    // Only the reviewers' own entries can be removed.
    expectRefused(await removeEntryRaw(t, review.id, a.timeline[0].id), 'NOT_FOUND', 'entryId');
    expectRefused(await removeEntryRaw(t, review.id, timeLogged.id), 'NOT_FOUND', 'entryId');
    // An added entry needs text.
    expectRefused(await addEntryRaw(t, review.id, { at: o.at('09:30'), text: '   ' }), 'BAD_USER_INPUT', 'text');
    // Unknown review.
    expectRefused(await curateRaw(t, randomUUID(), a.timeline[0].id, { starred: true }), 'NOT_FOUND', 'id');

    expect(await tableSnapshot(t, ['review_timeline_entries', 'review_events', 'reviews', 'incident_events', 'incidents'])).toEqual(before);
  });
});

describe('contributing factors', () => {
  const CATEGORIES = `query($all: Boolean!) { factorCategories(includeInactive: $all) { key name description active } }`;
  type Category = { key: string; name: string; description: string | null; active: boolean };
  const TABLES = ['contributing_factors', 'review_events', 'reviews', 'factor_categories'];
  let evidence: { event: string; detection: string; added: string; hidden: string };

  beforeAll(async () => {
    const all = await timeline(t, review.id, true);
    evidence = {
      event: all.find((e) => e.kind === 'ESCALATION' && e.summary.startsWith('Functional'))!.id,
      detection: `detected:${o.b.id}`,
      added: all.find((e) => e.source === 'ADDED')!.id,
      hidden: all.find((e) => e.kind === 'ACKNOWLEDGED' && e.incidentNumber === o.b.number)!.id,
    };
    await curate(t, review.id, evidence.hidden, { hidden: true });
  });

  it('come with the seeded taxonomy, which can grow', async () => {
    const seeded = await call<Category[]>(t, CATEGORIES, { all: false });
    expect(seeded.map((x) => x.key)).toEqual([
      'CHANGE',
      'MONITORING_GAP',
      'CAPACITY',
      'DEPENDENCY',
      'PROCESS',
      'KNOWLEDGE',
      'TESTING',
      'COMMUNICATION',
    ]);
    expect(seeded.every((x) => x.active && x.name && x.description)).toBe(true);

    const created = await call(
      t,
      `mutation($input: FactorCategoryInput!) { createFactorCategory(input: $input) { key name description active } }`,
      {
        input: { key: 'VENDOR_SLA', name: 'Vendor SLA', description: 'A supplier missed what its contract promised.' },
      },
    );
    expect(created).toEqual({
      key: 'VENDOR_SLA',
      name: 'Vendor SLA',
      description: 'A supplier missed what its contract promised.',
      active: true,
    });
    expect((await call<Category[]>(t, CATEGORIES, { all: false })).map((x) => x.key).at(-1)).toBe('VENDOR_SLA');

    const before = await tableSnapshot(t, TABLES);
    expectRefused(await t.gql(`mutation { createFactorCategory(input: { key: "VENDOR_SLA", name: "Again" }) { key } }`), 'CONFLICT', 'key');
    expectRefused(
      await t.gql(`mutation { createFactorCategory(input: { key: "vendor sla", name: "Lower" }) { key } }`),
      'BAD_USER_INPUT',
      'key',
    );
    expectRefused(await t.gql(`mutation { setFactorCategoryActive(key: "NOPE", active: false) { key } }`), 'NOT_FOUND', 'key');
    expect(await tableSnapshot(t, TABLES)).toEqual(before);
  });

  it('are typed by a category and evidenced by entries of this review: events, detection, added and hidden entries', async () => {
    const f = await addFactor(t, review.id, {
      categoryKey: 'VENDOR_SLA',
      description: 'PayFast answered the escalation after 40 minutes.',
      evidence: [evidence.event, evidence.detection, evidence.added, evidence.hidden, evidence.event],
    });
    expect(f.category).toEqual({ key: 'VENDOR_SLA', name: 'Vendor SLA', active: true });
    expect(f.evidence).toEqual([evidence.event, evidence.detection, evidence.added, evidence.hidden]);
    const g = await addFactor(t, review.id, { categoryKey: 'MONITORING_GAP', description: 'No alert on pool saturation.' });
    expect(g.evidence).toEqual([]);
    const r = await getReview(t, review.id);
    expect(r.contributingFactors.map((x) => [x.category.key, x.description])).toEqual([
      ['VENDOR_SLA', 'PayFast answered the escalation after 40 minutes.'],
      ['MONITORING_GAP', 'No alert on pool saturation.'],
    ]);
  });

  it('a retired category cannot be used any more; factors that have it keep it', async () => {
    const retired = await call(t, `mutation { setFactorCategoryActive(key: "VENDOR_SLA", active: false) { key active } }`);
    expect(retired).toEqual({ key: 'VENDOR_SLA', active: false });
    expect((await call<Category[]>(t, CATEGORIES, { all: false })).map((x) => x.key)).not.toContain('VENDOR_SLA');
    expect((await call<Category[]>(t, CATEGORIES, { all: true })).find((x) => x.key === 'VENDOR_SLA')).toMatchObject({ active: false });

    const before = await tableSnapshot(t, TABLES);
    const e = expectRefused(
      await addFactorRaw(t, review.id, { categoryKey: 'VENDOR_SLA', description: 'Late vendor answer' }),
      'BAD_USER_INPUT',
      'input.categoryKey',
    );
    expect(e.message).toContain('VENDOR_SLA');
    expect(e.message).not.toMatch(/MONITORING_GAP/);
    expect(e.extensions?.allowed).toEqual([
      'CHANGE',
      'MONITORING_GAP',
      'CAPACITY',
      'DEPENDENCY',
      'PROCESS',
      'KNOWLEDGE',
      'TESTING',
      'COMMUNICATION',
    ]);
    expectRefused(await addFactorRaw(t, review.id, { categoryKey: 'NOPE', description: 'Unknown' }), 'BAD_USER_INPUT', 'input.categoryKey');
    const existing = (await getReview(t, review.id)).contributingFactors.find((x) => x.category.key === 'MONITORING_GAP')!;
    expectRefused(
      await t.gql(`mutation($id: ID!, $input: ContributingFactorInput!) { updateContributingFactor(id: $id, input: $input) { id } }`, {
        id: existing.id,
        input: { categoryKey: 'VENDOR_SLA', description: 'Moved' },
      }),
      'BAD_USER_INPUT',
      'input.categoryKey',
    );
    expect(await tableSnapshot(t, TABLES)).toEqual(before);

    const kept = (await getReview(t, review.id)).contributingFactors.find((x) => x.category.key === 'VENDOR_SLA')!;
    expect(kept.category).toEqual({ key: 'VENDOR_SLA', name: 'Vendor SLA', active: false });

    // Restored, it is usable again.
    await call(t, `mutation { setFactorCategoryActive(key: "VENDOR_SLA", active: true) { key } }`);
    await addFactor(t, review.id, { categoryKey: 'VENDOR_SLA', description: 'A second vendor factor' });
  });

  it('refuses evidence that is not an entry of this review, naming its position, and saves nothing', async () => {
    const a = await incidentWithTimeline(t, o.a.id);
    const timeLogged = a.timeline.find((e) => e.kind === 'TIME_LOGGED')!.id;
    const thirdEvent = (await incidentWithTimeline(t, third.id)).timeline[0].id;
    const factor = (await getReview(t, review.id)).contributingFactors[0];
    const before = await tableSnapshot(t, TABLES);

    const cases: [string[], string][] = [
      [[evidence.event, randomUUID()], 'input.evidence.1'],
      [[thirdEvent], 'input.evidence.0'], // an event of an incident this review does not cover
      [[evidence.event, evidence.added, timeLogged], 'input.evidence.2'], // not a review kind
      [[`detected:${third.id}`], 'input.evidence.0'],
      [['#3'], 'input.evidence.0'],
    ];
    for (const [ids, field] of cases) {
      const e = expectRefused(
        await addFactorRaw(t, review.id, { categoryKey: 'CHANGE', description: 'Bad evidence', evidence: ids }),
        'BAD_USER_INPUT',
        field,
      );
      expect(e.message).toContain("is not an entry of this review's timeline");
      expectRefused(
        await t.gql(
          `mutation($id: ID!, $input: ContributingFactorInput!) { updateContributingFactor(id: $id, input: $input) { ${FACTOR_FIELDS} } }`,
          { id: factor.id, input: { categoryKey: 'CHANGE', description: 'Changed', evidence: ids } },
        ),
        'BAD_USER_INPUT',
        field,
      );
    }
    expect(await tableSnapshot(t, TABLES)).toEqual(before);
    // An added entry that was removed is no evidence any more.
    const gone = await addEntry(t, review.id, { at: o.at('09:33'), text: 'Short-lived note' });
    ok(await removeEntryRaw(t, review.id, gone));
    const mid = await tableSnapshot(t, TABLES);
    expectRefused(
      await addFactorRaw(t, review.id, { categoryKey: 'CHANGE', description: 'Bad evidence', evidence: [gone] }),
      'BAD_USER_INPUT',
      'input.evidence.0',
    );
    expect(await tableSnapshot(t, TABLES)).toEqual(mid);
    expect((await getReview(t, review.id)).contributingFactors[0]).toEqual(factor);
  });
});
