import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { grafana, sharedFingerprint } from './fixtures/alerts/alertmanager-fixtures';
import { datadogFull, opsgenie, pagerDuty } from './fixtures/alerts/vendor-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Hostile variants of the Grafana, PagerDuty, Opsgenie and Datadog bodies: wrong types, missing
 * ids, huge arrays, deep nesting, NUL bytes, dates in year 99999. Each is a 400 whose problem names
 * the field path, and nothing is written.
 */

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  token = (await createIngestSource(t.app.orm.em.fork(), 'Hostile', {})).token;
});
afterAll(async () => {
  await t?.close();
});

const written = async () =>
  (await t.sql<{ n: number }>(`select ((select count(*) from incidents) + (select count(*) from ingested_alerts))::int as n`))[0]!.n;

/** A value nested `depth` deep, as JSON text (JSON.stringify of such a value would overflow the stack). */
const DEEP = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;

async function refused(body: unknown, deepAt?: string) {
  let text = JSON.stringify(body);
  if (deepAt) text = text.replace(JSON.stringify(deepAt), DEEP);
  const res = await fetch(`${t.app.url}/ingest/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: text,
  });
  const answer = (await res.json()) as { error: string; problems: { message: string }[] };
  return { status: res.status, messages: answer.problems?.map((p) => p.message) ?? [], answer };
}

type Case = [name: string, body: unknown, expected: RegExp, deepAt?: string];
const set = <T extends Record<string, unknown>>(body: T, edit: (b: T) => void): T => {
  const copy = structuredClone(body);
  edit(copy);
  return copy;
};
const pd = () => pagerDuty('incident.triggered');
const og = () => opsgenie('Create');
const dd = () => datadogFull('Triggered');

const CASES: Case[] = [
  [
    'PagerDuty without the incident id',
    set(pd(), (b) => delete (b.event.data as { id?: string }).id),
    /^event\.data\.id: must be a text .* not missing$/,
  ],
  [
    'PagerDuty id of the wrong type',
    set(pd(), (b) => Object.assign(b.event.data, { id: { x: 1 } })),
    /^event\.data\.id: must be a text .* not an object$/,
  ],
  // Found by fuzz-ingest: an empty event_type was a 400 without any problem listed.
  ['PagerDuty event_type empty', set(pd(), (b) => Object.assign(b.event, { event_type: '' })), /^event\.event_type: is missing or empty/],
  [
    'PagerDuty title a number',
    set(pd(), (b) => Object.assign(b.event.data, { title: 42 })),
    /^event\.data\.title: must be a text, not a number$/,
  ],
  ['PagerDuty title with a NUL', set(pd(), (b) => Object.assign(b.event.data, { title: 'Down\u0000' })), /^event\.data\.title: /],
  [
    'PagerDuty title nested 5,000 deep',
    set(pd(), (b) => Object.assign(b.event.data, { title: '@deep' })),
    /^event\.data\.title: must be a text, not an object$/,
    '@deep',
  ],
  [
    'PagerDuty occurred_at in year 99999',
    pagerDuty('incident.acknowledged', '+099999-01-01T00:00:00Z'),
    /^event\.occurred_at: must be between/,
  ],
  [
    'PagerDuty event_type a list',
    set(pd(), (b) => Object.assign(b.event, { event_type: ['incident.triggered'] })),
    /^event\.event_type: must be a text, not a list$/,
  ],
  ['PagerDuty data a text', set(pd(), (b) => Object.assign(b.event, { data: 'incident' })), /^event\.data: must be an object, not a text$/],
  [
    'PagerDuty service summary with a NUL',
    set(pd(), (b) => Object.assign(b.event.data.service, { summary: 'Check\u0000out' })),
    /^event\.data\.service\.summary: /,
  ],
  ['PagerDuty agent with a NUL', set(pd(), (b) => Object.assign(b.event.agent, { summary: 'Jane\u0000' })), /^event\.agent\.summary: /],
  ['Datadog org name with a NUL', set(dd(), (b) => Object.assign(b.org, { name: 'Acme\u0000' })), /^org\.name: /],
  ['Datadog event id with a NUL', set(dd(), (b) => Object.assign(b, { id: '54\u000085' })), /^id: /],
  ['Datadog tags over two lines', set(dd(), (b) => Object.assign(b, { tags: 'env:prod,\nteam:x' })), /^tags: /],
  [
    'Opsgenie updatedAt in year 99999 (ns)',
    set(og(), (b) => Object.assign(b.alert, { updatedAt: 3.0934964448e21 })),
    /^alert\.updatedAt: must be between/,
  ],
  [
    'Opsgenie without alias and alertId',
    set(og(), (b) => {
      delete (b.alert as { alias?: string }).alias;
      delete (b.alert as { alertId?: string }).alertId;
    }),
    /^alert\.alertId: must be a text .* not missing$/,
  ],
  [
    'Opsgenie with 10,000 tags',
    set(og(), (b) => Object.assign(b.alert, { tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) })),
    /^alert\.tags: at most 100, got 10000$/,
  ],
  [
    'Opsgenie tag of the wrong type',
    set(og(), (b) => Object.assign(b.alert, { tags: ['ok', 7] })),
    /^alert\.tags\[1\]: must be a text, not a number$/,
  ],
  [
    'Opsgenie priority not P1..P5',
    set(og(), (b) => Object.assign(b.alert, { priority: 'urgent' })),
    /^alert\.priority: must be P1 to P5, not "urgent"$/,
  ],
  [
    'Opsgenie createdAt in year 99999',
    set(og(), (b) => Object.assign(b.alert, { createdAt: 3_093_496_444_800_000 })),
    /^alert\.createdAt: must be between/,
  ],
  ['Opsgenie message with a NUL', set(og(), (b) => Object.assign(b.alert, { message: 'Disk\u0000' })), /^alert\.message: /],
  [
    'Opsgenie details nested 5,000 deep',
    set(og(), (b) => Object.assign(b.alert, { details: { runbook: '@deep' } })),
    /^alert\.details\.runbook: must be a text, a number or true\/false, not an object$/,
    '@deep',
  ],
  ['Datadog date in year 99999 (digits)', set(dd(), (b) => Object.assign(b, { date: '3093496444800000' })), /^date: must be between/],
  ['Datadog without a title', set(dd(), (b) => delete (b as { title?: string }).title), /^title: is missing/],
  [
    'Datadog unknown transition',
    set(dd(), (b) => Object.assign(b, { alert_transition: 'Exploded' })),
    /^alert_transition: "Exploded" is not a transition/,
  ],
  [
    'Datadog 500 tags',
    set(dd(), (b) => Object.assign(b, { tags: Array.from({ length: 500 }, (_, i) => `k${i}:v`).join(',') })),
    /^tags: at most 100 tags, got 500$/,
  ],
  [
    'Datadog aggreg_key an object',
    set(dd(), (b) => Object.assign(b, { aggreg_key: { k: 1 } })),
    /^aggreg_key: must be a text .* not an object$/,
  ],
  [
    'Datadog body nested 5,000 deep',
    set(dd(), (b) => Object.assign(b, { body: '@deep' })),
    /^body: must be a text, not an object$/,
    '@deep',
  ],
  [
    'Grafana valueString a number',
    set(grafana(), (b) => Object.assign(b.alerts[0], { valueString: 5 })),
    /^alerts\[0\]\.valueString: must be a text, not a number$/,
  ],
  [
    'Grafana fingerprint a list',
    set(grafana(), (b) => Object.assign(b.alerts[1], { fingerprint: [] })),
    /^alerts\[1\]\.fingerprint: must be a text/,
  ],
  [
    'Alertmanager endsAt in year 99999',
    set(sharedFingerprint(), (b) => Object.assign(b.alerts[2] as object, { endsAt: '+099999-01-01T00:00:00Z' })),
    /^alerts\[2\]\.endsAt: must be between/,
  ],
];

describe('hostile bodies of the sender formats', () => {
  it.each(CASES)('%s: 400 naming the field, nothing written', async (_name, body, expected, deepAt) => {
    const before = await written();
    const r = await refused(body, deepAt);
    expect(r.status, JSON.stringify(r.answer).slice(0, 300)).toBe(400);
    expect(r.answer.error).toBe('The payload was not accepted; nothing was recorded');
    expect(
      r.messages.some((m) => expected.test(m)),
      JSON.stringify(r.messages),
    ).toBe(true);
    expect(await written()).toBe(before);
  });

  it('a whole body nested 5,000 deep, or a format forced on a body of another, is a 400 too', async () => {
    const deep = await fetch(`${t.app.url}/ingest/alerts?format=datadog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: `{"title":${DEEP}}`,
    });
    expect(deep.status).toBe(400);
    const body = (await deep.json()) as { problems: { message: string }[] };
    expect(body.problems.map((p) => p.message)).toContain('title: must be a text, not an object');
    expect(await written()).toBe(0);
  });
});
