import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addActionItem,
  addEntry,
  addFactor,
  as,
  buildOutage,
  clock,
  createCast,
  createReview,
  curate,
  expectRefused,
  getReview,
  markdown,
  OUTAGE_TITLES,
  realClock,
  setActionItemStatus,
  setFiveWhys,
  timeline,
  transitionReview,
  updateReview,
  type Cast,
  type Outage,
} from './support/review-factories';
import type { Review } from './support/gql-types';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The Markdown export checked against a complete example: a review of a two-incident
 * outage built at fixed times with fixed names (the API's clock is set before every step), exported
 * as Markdown and compared with the whole document written out below. Only the record numbers are
 * placeholders ({R} review, {A} {B} incidents, {P} problem), filled from the API.
 */

let t: TestApp;
let c: Cast;
let o: Outage;
let review: Review;
let numbers: Record<string, string>;

const TITLE = 'Checkout card payment outage on 10 March 2026';
const SUMMARY =
  `For 48 minutes no card payment at checkout succeeded: release 4.2 had lowered the checkout ` +
  `database pool to \
50 connections, and the morning peak exhausted it. Raising the pool to 200 restored payments at 09:40 UTC.

Order confirmation emails queued behind the failed payments and went out up to an hour late.`;
const CUSTOMER_IMPACT =
  'Card payments failed for every customer between 08:52 and 09:40 UTC; about 18,250 checkout ' +
  'attempts were lost. Order confirmation emails were delayed by up to an hour.';
const WENT_WELL = 'The workaround was already documented and took one minute to apply.';
const WENT_BADLY = 'Monitoring saw the failure 8 minutes after it began, and the database team was pulled in only 33 minutes in.';
const LESSONS = `- Pool sizes are capacity settings and need a review like any other setting.
- A P1 needs a customer update within 15 minutes.`;
const ROOT_CAUSE =
  'Release 4.2 replaced the checkout DB pool size of 200 with the library default of 50; the morning peak needs about 120 connections.';

const WHYS = [
  { why: 'Why did card payments fail?', answer: 'The checkout service got no database connections and answered HTTP 502.' },
  { why: 'Why were there no connections?', answer: 'The pool allowed only 50 connections and the morning peak needs about 120.' },
  { why: 'Why only 50?', answer: 'Release 4.2 shipped a configuration template with the library default.' },
  { why: 'Why was the default not noticed?', answer: 'Pool sizes are not part of the release configuration review.' },
  { why: 'Why are they not reviewed?', answer: 'Nobody owns the capacity settings of the checkout database.' },
];

function fill(doc: string): string {
  return doc.replace(/\{([RABP])\}/g, (_, k: string) => {
    const v = numbers[k];
    if (!v) throw new Error(`no number for {${k}}`);
    return v;
  });
}

/** Line by line first, so a failure points at the line; then the whole document, byte for byte. */
function expectDocument(actual: string, expected: string) {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) expect(a[i], `line ${i + 1}`).toBe(e[i]);
  expect(actual).toBe(expected);
}

beforeAll(async () => {
  t = await startTestApp();
  // Fixed times from the first request on (the clock only moves forward; see clock()).
  clock('2026-03-01T00:00:00Z');
  c = await createCast(t);
  o = await buildOutage(t, c, '2026-03-10');
  clock('2026-03-11T10:00:00Z');
  review = await createReview(
    t,
    { title: TITLE, incidentIds: [o.a.id, o.b.id], facilitatorId: c.dana.id, meetingAt: '2026-03-12T14:00:00Z' },
    as(c.dana),
  );
  numbers = { R: review.number, A: o.a.number, B: o.b.number };
});

afterAll(async () => {
  realClock();
  await t?.close();
});

/** Every section of the major-incident template, as the export names them when all are empty. */
const EVERY_SECTION =
  'Summary, Customer impact, Contributing factors, Five whys, Root cause, Went well, Went badly, Lessons and Action items';

describe('Markdown export of a review', () => {
  it('exports the fresh draft: incidents, impact taken from them, the assembled timeline, and every missing section named', async () => {
    expect(review.number).toMatch(/^PIR-\d{4}$/);
    expect(o.a.number).toMatch(/^INC-\d{6}$/);
    const doc = await markdown(t, review.id);
    expectDocument(
      doc,
      fill(`# {R}: ${TITLE}

- **Status:** Draft
- **Facilitator:** Dana Whitfield
- **Participants:** —
- **Meeting:** 2026-03-12 14:00 UTC
- **Template:** Major incident review
- **Missing sections:** ${EVERY_SECTION}

## Incidents

| Incident | Title | Service | Priority | Opened | Resolved |
| --- | --- | --- | --- | --- | --- |
| {A} | Card payments fail at checkout with HTTP 502 | Checkout | P1 Critical, major | 2026-03-10 09:00 UTC | 2026-03-10 09:40 UTC |
| {B} | Order confirmation emails delayed | Order notifications | P2 High | 2026-03-10 09:20 UTC | 2026-03-10 10:20 UTC |

## Summary

_Not filled in._

## Customer impact

- **Users affected:** not known
- **Duration of impact:** 1 h 28 min (from 2026-03-10 08:52 UTC to 2026-03-10 10:20 UTC)
- **SLA breaches:** 1

## Timeline

| # | Time | Incident | What happened | By | Note |
| --- | --- | --- | --- | --- | --- |
| 1 | 2026-03-10 08:52 UTC | {A} | Impact began / first seen ({A}) | — |  |
| 2 | 2026-03-10 09:00 UTC | {A} | Logged {A} from monitoring: Card payments fail at checkout with HTTP 502 | Checkout synthetics |  |
| 3 | 2026-03-10 09:03 UTC | {A} | Assigned to Ravi Menon / Payments SRE | Dana Whitfield |  |
| 4 | 2026-03-10 09:04 UTC | {A} | Acknowledged by Ravi Menon | Ravi Menon |  |
| 5 | 2026-03-10 09:06 UTC | {A} | Classified: impact 1, urgency 1, priority P1 | Ravi Menon |  |
| 6 | 2026-03-10 09:06 UTC | {A} | New → Triaged | Ravi Menon |  |
| 7 | 2026-03-10 09:08 UTC | {A} | Triaged → Investigating | Ravi Menon |  |
| 8 | 2026-03-10 09:10 UTC | {A} | Declared a major incident: All card payments are failing | Dana Whitfield |  |
| 9 | 2026-03-10 09:12 UTC | {B} | Impact began / first seen ({B}) | — |  |
| 10 | 2026-03-10 09:15 UTC | {A} | Update to customers: Card payments at checkout are failing; we are working on it. | Lena Ortiz |  |
| 11 | 2026-03-10 09:20 UTC | {B} | Logged {B} from user report: Order confirmation emails delayed | Lena Ortiz |  |
| 12 | 2026-03-10 09:25 UTC | {A} | Functional escalation to Database Team: Connection pool exhausted on checkout-db | Ravi Menon |  |
| 13 | 2026-03-10 09:31 UTC | {A} | Applied workaround "Raise the checkout DB pool size": max connections 50 -> 200 | Tom Becker |  |
| 14 | 2026-03-10 09:40 UTC | {A} | Investigating → Resolved: error rate back to normal | Ravi Menon |  |
| 15 | 2026-03-10 09:45 UTC | {A} | Update to customers: Card payments work again. | Lena Ortiz |  |
| 16 | 2026-03-10 10:00 UTC | {B} | Acknowledged by Tom Becker | Tom Becker |  |
| 17 | 2026-03-10 10:05 UTC | {B} | New → Investigating | Tom Becker |  |
| 18 | 2026-03-10 10:10 UTC | {B} | Changed mail-queue workers (CHG-2291): Scaled from 2 to 8 workers | Tom Becker |  |
| 19 | 2026-03-10 10:20 UTC | {B} | Investigating → Resolved | Tom Becker |  |
| 20 | 2026-03-11 09:00 UTC | {A} | Resolved → Closed | Dana Whitfield |  |
| 21 | 2026-03-11 09:05 UTC | {B} | Resolved → Closed | Dana Whitfield |  |

## Contributing factors

_None recorded._

## Five whys

_Not done._

## Root cause

_No problem linked._

## What went well

_Not filled in._

## What went badly

_Not filled in._

## Lessons

_Not filled in._

## Action items

_None._
`),
    );
  });

  it('exports the published review as one complete document', async () => {
    clock('2026-03-12T14:30:00Z');
    await updateReview(
      t,
      review.id,
      {
        participants: [
          { userId: c.dana.id },
          { userId: c.ravi.id },
          { userId: c.lena.id },
          { userId: c.tom.id },
          { name: 'Marco Diaz (PayFast)' },
        ],
        summary: SUMMARY,
        usersAffected: 18250,
        customerImpact: CUSTOMER_IMPACT,
        wentWell: WENT_WELL,
        wentBadly: WENT_BADLY,
        lessons: LESSONS,
      },
      as(c.dana),
    );

    // Curation: hide the routine assignment, star the declaration, annotate the workaround (a "|"
    // must not break the table), and add what the team saw outside the incident tools.
    const entries = await timeline(t, review.id);
    const find = (kind: string, text: string) => {
      const found = entries.filter((e) => e.kind === kind && e.summary.includes(text));
      expect(found, `${kind} ${text}`).toHaveLength(1);
      return found[0]!.id;
    };
    const assigned = find('ASSIGNED', 'Assigned to Ravi Menon');
    const declared = find('ESCALATION', 'Declared a major incident');
    const functional = find('ESCALATION', 'Functional escalation');
    const applied = find('WORKAROUND_APPLIED', OUTAGE_TITLES.workaround);
    const firstUpdate = find('STAKEHOLDER_UPDATE', 'we are working on it');
    const loggedA = find('LOGGED', o.a.number);
    await curate(t, review.id, assigned, { hidden: true }, as(c.dana));
    await curate(t, review.id, declared, { starred: true }, as(c.dana));
    await curate(t, review.id, applied, { annotation: '  Error rate p95 | p99 back to normal within a minute  ' }, as(c.ravi));
    const note = await addEntry(
      t,
      review.id,
      { at: o.at('09:28'), text: 'PayFast status page showed no incident on their side' },
      as(c.ravi),
    );

    clock('2026-03-12T14:40:00Z');
    await addFactor(
      t,
      review.id,
      {
        categoryKey: 'CHANGE',
        description: 'Release 4.2 lowered the checkout DB pool from 200 to 50 connections.',
        evidence: [functional, applied],
      },
      as(c.dana),
    );
    clock('2026-03-12T14:41:00Z');
    await addFactor(
      t,
      review.id,
      {
        categoryKey: 'MONITORING_GAP',
        description: 'Nothing alerted on pool saturation; the first alert came 8 minutes after impact began.',
        evidence: [`detected:${o.a.id}`, loggedA],
      },
      as(c.dana),
    );
    clock('2026-03-12T14:42:00Z');
    await addFactor(
      t,
      review.id,
      {
        categoryKey: 'COMMUNICATION',
        description: 'The first customer update went out 23 minutes after impact began.',
        evidence: [firstUpdate, assigned],
      },
      as(c.dana),
    );

    clock('2026-03-12T14:50:00Z');
    const withProblem = await setFiveWhys(
      t,
      review.id,
      {
        whys: WHYS,
        newProblem: {
          title: 'Checkout DB connection pool undersized since release 4.2',
          rootCause: ROOT_CAUSE,
          rootCauseCategory: 'CHANGE',
        },
      },
      as(c.dana),
    );
    numbers.P = withProblem.problem!.number;
    expect(numbers.P).toMatch(/^PRB-\d{5}$/);

    clock('2026-03-12T14:55:00Z');
    const restore = await addActionItem(t, review.id, {
      title: 'Restore a pool of 200 and add pool sizes to the release config review',
      ownerId: c.ravi.id,
      dueDate: '2026-03-13',
      kind: 'PREVENT',
      priority: 1,
    });
    const alert = await addActionItem(t, review.id, {
      title: 'Alert when the checkout DB pool is over 80 % used',
      ownerId: c.tom.id,
      dueDate: '2026-03-17',
      kind: 'DETECT',
      priority: 1,
    });
    await addActionItem(t, review.id, {
      title: 'Post the first status page update within 15 minutes of a P1',
      ownerId: c.lena.id,
      dueDate: '2026-03-31',
      kind: 'PROCESS',
      priority: 2,
    });
    const emails = await addActionItem(t, review.id, {
      title: 'Send order confirmation emails outside the checkout transaction',
      ownerId: c.ravi.id,
      dueDate: '2026-04-30',
      kind: 'MITIGATE',
      priority: 3,
    });

    clock('2026-03-12T15:00:00Z');
    await transitionReview(t, review.id, 'IN_REVIEW', undefined, as(c.dana));
    clock('2026-03-12T16:00:00Z');
    const published = await transitionReview(t, review.id, 'PUBLISHED', undefined, as(c.dana));
    expect(published.publishedAt).toBe('2026-03-12T16:00:00.000Z');

    // Action items move on after publication.
    clock('2026-03-12T17:00:00Z');
    await setActionItemStatus(t, restore.id, 'IN_PROGRESS', undefined, as(c.ravi));
    clock('2026-03-16T10:00:00Z');
    await setActionItemStatus(t, alert.id, 'DONE', undefined, as(c.tom));
    clock('2026-03-18T09:00:00Z');
    await setActionItemStatus(t, emails.id, 'WONT_DO', 'Superseded by the notifications rewrite (PRJ-88)', as(c.dana));

    // Exported on 20 March: the first action item is past its due date.
    clock('2026-03-20T10:00:00Z');
    const doc = await markdown(t, review.id);
    // A backslash at the end of a line below continues that line: the document has no break there.
    expectDocument(
      doc,
      fill(`# {R}: ${TITLE}

- **Status:** Published (published 2026-03-12 16:00 UTC)
- **Facilitator:** Dana Whitfield
- **Participants:** Dana Whitfield, Ravi Menon, Lena Ortiz, Tom Becker, Marco Diaz (PayFast)
- **Meeting:** 2026-03-12 14:00 UTC
- **Template:** Major incident review

## Incidents

| Incident | Title | Service | Priority | Opened | Resolved |
| --- | --- | --- | --- | --- | --- |
| {A} | Card payments fail at checkout with HTTP 502 | Checkout | P1 Critical, major | 2026-03-10 09:00 UTC | 2026-03-10 09:40 UTC |
| {B} | Order confirmation emails delayed | Order notifications | P2 High | 2026-03-10 09:20 UTC | 2026-03-10 10:20 UTC |

## Summary

For 48 minutes no card payment at checkout succeeded: release 4.2 had lowered the checkout database pool to 50 connections, and \
the morning peak exhausted it. Raising the pool to 200 restored payments at 09:40 UTC.

Order confirmation emails queued behind the failed payments and went out up to an hour late.

## Customer impact

- **Users affected:** 18250
- **Duration of impact:** 1 h 28 min (from 2026-03-10 08:52 UTC to 2026-03-10 10:20 UTC)
- **SLA breaches:** 1

Card payments failed for every customer between 08:52 and 09:40 UTC; about 18,250 checkout attempts were lost. Order confirmation \
emails were delayed by up to an hour.

## Timeline

| # | Time | Incident | What happened | By | Note |
| --- | --- | --- | --- | --- | --- |
| 1 | 2026-03-10 08:52 UTC | {A} | Impact began / first seen ({A}) | — |  |
| 2 | 2026-03-10 09:00 UTC | {A} | Logged {A} from monitoring: Card payments fail at checkout with HTTP 502 | Checkout synthetics |  |
| 3 | 2026-03-10 09:04 UTC | {A} | Acknowledged by Ravi Menon | Ravi Menon |  |
| 4 | 2026-03-10 09:06 UTC | {A} | Classified: impact 1, urgency 1, priority P1 | Ravi Menon |  |
| 5 | 2026-03-10 09:06 UTC | {A} | New → Triaged | Ravi Menon |  |
| 6 | 2026-03-10 09:08 UTC | {A} | Triaged → Investigating | Ravi Menon |  |
| 7 ★ | 2026-03-10 09:10 UTC | {A} | Declared a major incident: All card payments are failing | Dana Whitfield |  |
| 8 | 2026-03-10 09:12 UTC | {B} | Impact began / first seen ({B}) | — |  |
| 9 | 2026-03-10 09:15 UTC | {A} | Update to customers: Card payments at checkout are failing; we are working on it. | Lena Ortiz |  |
| 10 | 2026-03-10 09:20 UTC | {B} | Logged {B} from user report: Order confirmation emails delayed | Lena Ortiz |  |
| 11 | 2026-03-10 09:25 UTC | {A} | Functional escalation to Database Team: Connection pool exhausted on checkout-db | Ravi Menon |  |
| 12 | 2026-03-10 09:28 UTC | — | PayFast status page showed no incident on their side | Ravi Menon |  |
| 13 | 2026-03-10 09:31 UTC | {A} | Applied workaround "Raise the checkout DB pool size": max connections 50 -> 200 | Tom Becker \
| Error rate p95 \\| p99 back to normal within a minute |
| 14 | 2026-03-10 09:40 UTC | {A} | Investigating → Resolved: error rate back to normal | Ravi Menon |  |
| 15 | 2026-03-10 09:45 UTC | {A} | Update to customers: Card payments work again. | Lena Ortiz |  |
| 16 | 2026-03-10 10:00 UTC | {B} | Acknowledged by Tom Becker | Tom Becker |  |
| 17 | 2026-03-10 10:05 UTC | {B} | New → Investigating | Tom Becker |  |
| 18 | 2026-03-10 10:10 UTC | {B} | Changed mail-queue workers (CHG-2291): Scaled from 2 to 8 workers | Tom Becker |  |
| 19 | 2026-03-10 10:20 UTC | {B} | Investigating → Resolved | Tom Becker |  |
| 20 | 2026-03-11 09:00 UTC | {A} | Resolved → Closed | Dana Whitfield |  |
| 21 | 2026-03-11 09:05 UTC | {B} | Resolved → Closed | Dana Whitfield |  |
| 22 | 2026-03-12 16:00 UTC | {A} | Closed → Reviewed: Review {R} published | Dana Whitfield |  |
| 23 | 2026-03-12 16:00 UTC | {B} | Closed → Reviewed: Review {R} published | Dana Whitfield |  |

## Contributing factors

- **Change:** Release 4.2 lowered the checkout DB pool from 200 to 50 connections. (evidence: timeline #11, #13)
- **Monitoring gap:** Nothing alerted on pool saturation; the first alert came 8 minutes after impact began. (evidence: timeline #1, #2)
- **Communication:** The first customer update went out 23 minutes after impact began. (evidence: timeline #9, (hidden entry))

## Five whys

1. **Why did card payments fail?** The checkout service got no database connections and answered HTTP 502.
2. **Why were there no connections?** The pool allowed only 50 connections and the morning peak needs about 120.
3. **Why only 50?** Release 4.2 shipped a configuration template with the library default.
4. **Why was the default not noticed?** Pool sizes are not part of the release configuration review.
5. **Why are they not reviewed?** Nobody owns the capacity settings of the checkout database.

## Root cause

{P}: Checkout DB connection pool undersized since release 4.2 (Known error, change)

${ROOT_CAUSE}

## What went well

${WENT_WELL}

## What went badly

${WENT_BADLY}

## Lessons

- Pool sizes are capacity settings and need a review like any other setting.
- A P1 needs a customer update within 15 minutes.

## Action items

| Action | Kind | Priority | Owner | Due | Status |
| --- | --- | --- | --- | --- | --- |
| Restore a pool of 200 and add pool sizes to the release config review | Prevent | 1 | Ravi Menon | 2026-03-13 | In progress (overdue) |
| Alert when the checkout DB pool is over 80 % used | Detect | 1 | Tom Becker | 2026-03-17 | Done |
| Post the first status page update within 15 minutes of a P1 | Process | 2 | Lena Ortiz | 2026-03-31 | Open |
| Send order confirmation emails outside the checkout transaction | Mitigate | 3 | Ravi Menon | 2026-04-30 | Won't do: Superseded \
by the notifications rewrite (PRJ-88) |
`),
    );

    // The document says what the API says.
    const r = await getReview(t, review.id);
    expect(r.status).toBe('PUBLISHED');
    expect(r.missingSections).toEqual([]);
    expect(r.incidents.map((i) => i.status)).toEqual(['REVIEWED', 'REVIEWED']);
    expect(r.actionItems.map((a) => [a.title.slice(0, 20), a.overdue])).toEqual([
      ['Restore a pool of 20', true],
      ['Alert when the check', false],
      ['Post the first statu', false],
      ['Send order confirmat', false],
    ]);
    const visible = await timeline(t, review.id);
    expect(visible).toHaveLength(23);
    expect(visible[11]!.id).toBe(note);
    expect(visible.find((e) => e.id === assigned)).toBeUndefined();
  });

  it('refuses an unknown review', async () => {
    realClock();
    const r = await t.gql(`query($id: ID!) { reviewMarkdown(id: $id) }`, { id: '00000000-0000-4000-8000-000000000000' });
    expectRefused(r, 'BAD_USER_INPUT', 'id');
    expectRefused(await t.gql(`query($id: ID!) { reviewMarkdown(id: $id) }`, { id: 'PIR-0001' }), 'BAD_USER_INPUT', 'id');
  });
});
