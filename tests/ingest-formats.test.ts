import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { grafana, resolvedThenFiring, sharedFingerprint, SHARED_STARTS_AT } from './fixtures/alerts/alertmanager-fixtures';
import { datadogDefault, datadogFull, datadogMultiAlert, opsgenie, pagerDuty, pagerDutyPing } from './fixtures/alerts/vendor-fixtures';
import { createService, transition } from './support/factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Real-world alert payloads on POST /ingest/alerts (fixtures/alerts name the quirk each one
 * reproduces): identities when a sender reuses fingerprints, the firing-after-resolve rule within
 * one payload and across payloads, and the Grafana, PagerDuty v3, Opsgenie and Datadog formats
 * through create, attach, acknowledge, resolve and reopen.
 */

let t: TestApp;
let token: string;
let strictToken: string;
let checkoutId: string;

beforeAll(async () => {
  t = await startTestApp();
  checkoutId = (await createService(t, { name: 'Checkout' })).id;
  token = (await createIngestSource(t.app.orm.em.fork(), 'Real senders', {})).token;
  // A reopen window of 0: every firing after a resolution opens a follow-up incident.
  strictToken = (await createIngestSource(t.app.orm.em.fork(), 'No reopen', { reopenWindowMinutes: 0 })).token;
});
afterAll(async () => {
  await t?.close();
});

interface Result {
  index: number;
  action: string;
  status: string;
  fingerprint: string;
  incidentId: string | null;
  incident: string | null;
  duplicate?: boolean;
  follows?: string;
  warnings?: string[];
}
interface Answer {
  format?: string;
  error?: string;
  problems?: { index: number | null; message: string }[];
  results: Result[];
}

async function post(body: unknown, opts: { token?: string; query?: string } = {}) {
  const res = await fetch(`${t.app.url}/ingest/alerts${opts.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

type Inc = {
  id: string;
  title: string;
  description: string;
  status: string;
  reopenCount: number;
  impact: number;
  urgency: number;
  detectedAt: string | null;
  acknowledgedAt: string | null;
  service: { name: string } | null;
  timeline: { kind: string; summary: string; data: Record<string, unknown> | null }[];
  alerts: {
    status: string;
    startsAt: string | null;
    endsAt: string | null;
    receivedCount: number;
    labels: { name: string; value: string }[];
  }[];
};
const incident = async (id: string) =>
  ok(
    await t.gql<{ incident: Inc }>(
      `query($id: ID!) { incident(id: $id) { id title description status reopenCount impact urgency detectedAt acknowledgedAt
        service { name } timeline { kind summary data } alerts { status startsAt endsAt receivedCount labels { name value } } } }`,
      { id },
    ),
  ).incident;
const count = async (sql: string) => (await t.sql<{ n: number }>(sql))[0]!.n;
const incidents = () => count(`select count(*)::int as n from incidents`);
const resolve = (id: string) => transition(t, id, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionNotes: 'Fixed' });

describe('Alertmanager quirks', () => {
  let ids: string[];

  it('tells apart four alerts sharing a fingerprint by labels; zero-time endsAt is open; 9 digits and offsets exact', async () => {
    const r = await post(sharedFingerprint());
    expect(r.status).toBe(200);
    expect(r.body.format).toBe('alertmanager');
    expect(r.body.results.map((x) => x.action)).toEqual(['created', 'created', 'created', 'created']);
    ids = r.body.results.map((x) => x.incidentId!);
    expect(new Set(ids).size).toBe(4);
    const first = await incident(ids[0]);
    expect(first.detectedAt).toBe(SHARED_STARTS_AT);
    expect(first.alerts).toEqual([expect.objectContaining({ status: 'FIRING', startsAt: SHARED_STARTS_AT, endsAt: null })]);
    // The same four again: each is a repeat of its own alert.
    const again = await post(sharedFingerprint());
    expect(again.body.results.map((x) => [x.action, x.duplicate, x.incidentId])).toEqual(ids.map((id) => ['attached', true, id]));
    expect(await incidents()).toBe(4);
  });

  it('in one payload, a resolved alert then firing ones: the resolved incident is reopened, never attached to', async () => {
    await resolve(ids[0]);
    const r = await post(resolvedThenFiring());
    expect(r.body.results.map((x) => [x.action, x.incidentId])).toEqual([
      ['resolved', ids[0]],
      ['reopened', ids[0]],
      ['attached', ids[1]],
    ]);
    const reopened = await incident(ids[0]);
    expect(reopened).toMatchObject({ status: 'INVESTIGATING', reopenCount: 1 });
    expect(reopened.timeline.map((e) => e.kind).slice(-3)).toEqual(['ALERT_RESOLVED', 'REOPENED', 'ALERT_FIRING']);
    expect(reopened.alerts[0]).toMatchObject({ status: 'FIRING', endsAt: null });
    expect(await incidents()).toBe(4);
  });

  it('after the reopen window (here 0), a firing alert opens a new incident that follows the resolved one', async () => {
    const first = await post(sharedFingerprint(), { token: strictToken });
    const api0 = first.body.results[0].incidentId!;
    const api1 = first.body.results[1].incidentId!;
    await resolve(api0);
    const r = await post(resolvedThenFiring(), { token: strictToken });
    expect(r.body.results.map((x) => x.action)).toEqual(['resolved', 'created', 'attached']);
    expect(r.body.results[1]).toMatchObject({ follows: expect.stringMatching(/^INC-\d{6}$/) });
    expect(r.body.results[1].incidentId).not.toBe(api0);
    expect(r.body.results[2].incidentId).toBe(api1);
    const follow = await incident(r.body.results[1].incidentId!);
    expect(follow.timeline.find((e) => e.kind === 'ALERT_FIRING')).toMatchObject({
      data: expect.objectContaining({ followsIncidentId: api0 }),
    });
    expect(await count(`select count(*)::int as n from ingested_alerts where follows_incident_id = '${api0}'`)).toBe(1);
    // The resolved incident was left as it was.
    expect((await incident(api0)).status).toBe('RESOLVED');
  });

  it('lists the alerts of many incidents with their identities in a fixed number of statements', async () => {
    const q = `query { incidents(first: 50) { nodes { id alerts { fingerprint identity status } } } }`;
    const r = await t.gql<{ incidents: { nodes: { id: string; alerts: { fingerprint: string; identity: string }[] }[] } }>(q);
    const mine = r.data!.incidents.nodes.filter((n) => ids.includes(n.id));
    expect(mine).toHaveLength(4);
    const identities = mine.map((n) => n.alerts[0].identity);
    expect(new Set(identities).size).toBe(4);
    for (const i of identities) expect(i).toMatch(/^3b8c5e7d9f1a2c4e\/[0-9a-f]{16}$/);
    // The page, its count and one statement for all alerts (dataloader): not one per incident.
    const one = await t.gql(q.replace('first: 50', 'first: 1'));
    expect(r.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(r.extensions?.sqlStatements).toBe(one.extensions?.sqlStatements);
    const sources = await t.gql<{ alertSources: { name: string; distinctAlerts: number; incidents: number }[] }>(
      `{ alertSources { name distinctAlerts incidents } }`,
    );
    expect(sources.data!.alertSources.find((x) => x.name === 'Real senders')).toMatchObject({ distinctAlerts: 4, incidents: 4 });
    expect(sources.extensions?.sqlStatements).toBe(1);
  });

  it('matches rows recorded before identities (identity = fingerprint) by fingerprint and labels, and upgrades them', async () => {
    await t.sql(`update ingested_alerts set identity = fingerprint where incident_id = any($1::uuid[])`, [ids]);
    const r = await post(sharedFingerprint());
    expect(r.body.results.map((x) => [x.action, x.incidentId])).toEqual(ids.map((id) => ['attached', id]));
    expect(
      await count(
        `select count(*)::int as n from ingested_alerts where incident_id = any('{${ids.join(',')}}') and identity = fingerprint`,
      ),
    ).toBe(0);
  });
});

describe('Grafana Alerting', () => {
  it('reads the contact point body: alerts with fingerprints, values and links; [FIRING:2] title is not the incident title', async () => {
    const before = await incidents();
    const r = await post(grafana('firing'));
    expect(r.body.format).toBe('grafana');
    expect(r.body.results.map((x) => x.action)).toEqual(['created', 'created']);
    const i = await incident(r.body.results[0].incidentId!);
    expect(i.title).toBe('High memory usage');
    expect(i.description).toContain('Memory above 90 % in eu-1');
    expect(i.description).toContain("values: [ var='B' labels={zone=eu-1} value=91.5 ]");
    expect(i.description).toContain('dashboard: https://grafana.example/d/mem?orgId=1');
    const second = await incident(r.body.results[1].incidentId!);
    // dashboardURL "" is no link; a zero-time startsAt no detection time.
    expect(second.description).not.toContain('dashboard:');
    expect(second.detectedAt).toBeNull();
    expect(await incidents()).toBe(before + 2);
    const resolved = await post(grafana('resolved'));
    expect(resolved.body.results.map((x) => [x.action, x.incidentId])).toEqual(r.body.results.map((x) => ['resolved', x.incidentId]));
    expect((await incident(r.body.results[0].incidentId!)).alerts[0]).toMatchObject({
      status: 'RESOLVED',
      endsAt: '2026-12-05T08:30:00.000Z',
    });
  });
});

describe('PagerDuty v3 webhooks', () => {
  it('triggered creates, acknowledged sets acknowledgedAt once, resolved records, reopened reopens; others are ignored', async () => {
    const ping = await post(pagerDutyPing());
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ format: 'pagerduty', results: [{ action: 'ignored', status: 'other', incidentId: null }] });
    const r = await post(pagerDuty('incident.triggered'));
    expect(r.body.results).toEqual([expect.objectContaining({ action: 'created', fingerprint: 'PGR0VU2' })]);
    const id = r.body.results[0].incidentId!;
    let i = await incident(id);
    // urgency high is its severity: impact 1, urgency 2; the PagerDuty service names ours.
    expect(i).toMatchObject({ title: 'Checkout API latency above SLO', impact: 1, urgency: 2, service: { name: 'Checkout' } });
    expect(i.description).toContain('Source: https://acme.pagerduty.com/incidents/PGR0VU2');
    // The sender's time is the acknowledgement's (here just after the incident was opened here).
    const ackAt = new Date().toISOString();
    const ack = await post(pagerDuty('incident.acknowledged', ackAt));
    expect(ack.body.results).toEqual([expect.objectContaining({ action: 'acknowledged', incidentId: id })]);
    expect((await incident(id)).acknowledgedAt).toBe(ackAt);
    const again = await post(pagerDuty('incident.acknowledged', '2026-12-05T10:09:00Z'));
    expect(again.body.results[0]).toMatchObject({ action: 'ignored', warnings: [expect.stringMatching(/already acknowledged/)] });
    expect((await incident(id)).acknowledgedAt).toBe(ackAt);
    const note = await post(pagerDuty('incident.annotated'));
    expect(note.body.results[0]).toMatchObject({ action: 'ignored', warnings: ['incident.annotated: not acted on'] });
    const resolved = await post(pagerDuty('incident.resolved', '2026-12-05T10:20:00Z', null));
    expect(resolved.body.results[0]).toMatchObject({ action: 'resolved', incidentId: id });
    await resolve(id);
    const reopened = await post(pagerDuty('incident.reopened', '2026-12-05T10:25:00Z'));
    expect(reopened.body.results[0]).toMatchObject({ action: 'reopened', incidentId: id });
    i = await incident(id);
    expect(i).toMatchObject({ status: 'INVESTIGATING', reopenCount: 1 });
  });
});

describe('Opsgenie webhooks', () => {
  it('Create, Acknowledge, AddNote (ignored), Close; ms and ns epochs; priority 3 is P3; tags a list', async () => {
    const r = await post(opsgenie('Create'));
    expect(r.body.format).toBe('opsgenie');
    expect(r.body.results).toEqual([expect.objectContaining({ action: 'created', fingerprint: 'disk-db-3' })]);
    const id = r.body.results[0].incidentId!;
    const i = await incident(id);
    expect(i).toMatchObject({ title: 'Disk usage above 95 % on db-3', impact: 2, urgency: 2, detectedAt: '2026-12-05T10:00:00.000Z' });
    expect(i.description).toContain('Free space 4.1 GB of 100 GB');
    expect(i.alerts[0].labels).toEqual(
      expect.arrayContaining([
        { name: 'tags', value: 'database, prod' },
        { name: 'priority', value: 'P3' },
        { name: 'entity', value: 'db-3' },
      ]),
    );
    const dup = await post(opsgenie('Create', 'P1'));
    expect(dup.body.results[0]).toMatchObject({ action: 'attached', duplicate: true, incidentId: id });
    // updatedAt in nanoseconds (here just now, after the incident was opened) is the acknowledgement's time.
    const ackMs = Date.now();
    const ack = await post(opsgenie('Acknowledge', 3, `${ackMs}000110`));
    expect(ack.body.results[0]).toMatchObject({ action: 'acknowledged', incidentId: id });
    expect((await incident(id)).acknowledgedAt).toBe(new Date(ackMs).toISOString());
    expect((await post(opsgenie('AddNote'))).body.results[0]).toMatchObject({ action: 'ignored', warnings: ['AddNote: not acted on'] });
    expect((await post(opsgenie('Close'))).body.results[0]).toMatchObject({ action: 'resolved', incidentId: id });
    expect((await incident(id)).alerts[0].status).toBe('RESOLVED');
  });
});

describe('Datadog webhooks', () => {
  it('reads the default template: transition from the title, digits as ms, deduplicated by the title (warned)', async () => {
    const r = await post(datadogDefault('Triggered'));
    expect(r.body.format).toBe('datadog');
    expect(r.body.results[0]).toMatchObject({ action: 'created', warnings: [expect.stringMatching(/aggreg_key/)] });
    const id = r.body.results[0].incidentId!;
    const i = await incident(id);
    expect(i.title).toBe('[TEST] CPU high on web-1');
    expect(i.detectedAt).toBe('2026-12-05T10:00:00.000Z');
    expect(i.description.startsWith('CPU above 90 % on web-1')).toBe(true);
    expect((await post(datadogDefault('Re-Triggered'))).body.results[0]).toMatchObject({
      action: 'attached',
      duplicate: true,
      incidentId: id,
    });
    expect((await post(datadogDefault('Recovered'))).body.results[0]).toMatchObject({ action: 'resolved', incidentId: id });
  });

  it('tells apart the groups of a multi-alert monitor ("[Triggered on {host:web-2}]") with the default template', async () => {
    const a = await post(datadogMultiAlert('Triggered', 'web-2'));
    const b = await post(datadogMultiAlert('Triggered', 'web-3'));
    expect([a.body.results[0].action, b.body.results[0].action]).toEqual(['created', 'created']);
    expect(a.body.results[0].incidentId).not.toBe(b.body.results[0].incidentId);
    const i = await incident(a.body.results[0].incidentId!);
    expect(i.title).toBe('CPU high');
    expect(i.alerts[0].labels).toContainEqual({ name: 'scope', value: '{host:web-2}' });
    const back = await post(datadogMultiAlert('Recovered', 'web-3'));
    expect(back.body.results[0]).toMatchObject({ action: 'resolved', incidentId: b.body.results[0].incidentId });
  });

  it('reads the recommended template: aggreg_key identity, $TAGS as labels (service names ours), $PRIORITY', async () => {
    const r = await post(datadogFull('Triggered'));
    expect(r.body.results[0]).toMatchObject({ action: 'created', fingerprint: '8d6a3c6d2ba9b11e' });
    expect(r.body.results[0].warnings).toBeUndefined();
    const i = await incident(r.body.results[0].incidentId!);
    expect(i).toMatchObject({ title: 'Checkout error rate high', service: { name: 'Checkout' }, impact: 1, urgency: 2 });
    expect(i.alerts[0].labels).toEqual(
      expect.arrayContaining([
        { name: 'env', value: 'prod' },
        { name: 'critical', value: 'true' },
      ]),
    );
    expect((await post(datadogFull('Recovered'))).body.results[0]).toMatchObject({ action: 'resolved' });
    expect(checkoutId).toBeTruthy();
  });
});

describe('format selection', () => {
  it('says which formats exist when a body is none of them, and honours ?format= and the source setting', async () => {
    const before = await incidents();
    const none = await post({ hello: 'world' });
    expect(none.status).toBe(400);
    expect(none.body.problems![0].message).toMatch(
      /not a recognised alert format \(alertmanager, grafana, pagerduty, opsgenie, datadog, generic\)/,
    );
    const v2 = await post({ messages: [{ event: 'incident.trigger', incident: { id: 'PIJ90N7' } }] });
    expect(v2.body.problems).toEqual([
      { index: null, message: expect.stringMatching(/^messages: PagerDuty v1\/v2 webhooks are not read/) },
    ]);
    // An Opsgenie body without its action says what is missing, not "unknown format".
    const noAction = await post({ alert: opsgenie('Create').alert });
    expect(noAction.body.problems!.map((p) => p.message)).toEqual(['action: is missing (Create, Close, Acknowledge...)']);
    const notList = await post({ alerts: { a: 1 } });
    expect(notList.body.problems!.map((p) => p.message)).toEqual(['alerts: must be a list, not an object']);
    const bad = await post(sharedFingerprint(), { query: '?format=nagios' });
    expect(bad.status).toBe(400);
    expect(bad.body.problems![0].message).toMatch(/\?format=: must be one of alertmanager, grafana/);
    const forced = await post(sharedFingerprint(), { query: '?format=pagerduty' });
    expect(forced.status).toBe(400);
    expect(forced.body.problems![0].message).toBe('event: must be an object, not missing');
    const forcedSource = (await createIngestSource(t.app.orm.em.fork(), 'Only Opsgenie', { format: 'opsgenie' })).token;
    const wrong = await post(pagerDuty('incident.triggered'), { token: forcedSource });
    expect(wrong.body.problems!.map((p) => p.message)).toEqual([
      'action: is missing (Create, Close, Acknowledge...)',
      'alert: must be an object, not missing',
    ]);
    expect(await incidents()).toBe(before);
  });
});
