import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { createCategory, createService, createTeam, transition } from './support/factories';
import { createModel } from './support/model-factories';
import { startApp } from '@ikb/api/src/app';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Alert ingestion: POST /ingest/alerts with Prometheus Alertmanager webhooks and the
 * generic JSON shape, authenticated by an alert source's token; firing alerts open incidents
 * (source ALERT) or attach to the open incident of the same fingerprint; resolved alerts go on the
 * timeline; classification by the source's rules or a matching incident model.
 */

let t: TestApp;
let token: string;
let dir: { checkout: { id: string }; software: { id: string }; payments: { id: string; name: string }; dba: { id: string; name: string } };

beforeAll(async () => {
  t = await startTestApp();
  const payments = await createTeam(t, { name: 'Payments on-call' });
  const dba = await createTeam(t, { name: 'DBA on-call' });
  const checkout = await createService(t, { name: 'Checkout', ownerTeamId: payments.id });
  const software = await createCategory(t, { name: 'Software' });
  dir = { checkout, software, payments, dba };
  const made = await createIngestSource(t.app.orm.em.fork(), 'Prometheus', {
    rules: [
      {
        name: 'checkout critical',
        when: { severity: 'critical', service: '/^checkout/' },
        set: { impact: 1, urgency: 1, service: 'Checkout', category: 'Software', team: 'Payments on-call', major: true },
      },
    ],
    defaults: { impact: 3, urgency: 3 },
  });
  token = made.token;
});
afterAll(async () => {
  await t?.close();
});

async function post(body: unknown, auth: string | null = token, method = 'POST') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  const res = await fetch(`${t.app.url}/ingest/alerts`, {
    method,
    headers,
    body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  return { status: res.status, body: (await res.json()) as IngestAnswer };
}

/** The ingest endpoint's JSON answer, as these tests read it. */
interface IngestAnswer {
  source?: string;
  error?: string;
  problems?: { index: number | null; message: string }[];
  results: { action: string; fingerprint: string; incidentId: string; duplicate?: boolean; classifiedBy?: string; follows?: string }[];
}

function alertmanager(status: 'firing' | 'resolved', alerts: Record<string, unknown>[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'incident-kb',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

// Alerts started a while ago (a start in the future is not taken as the detection time).
const STARTED = new Date(Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000);
const ENDED = new Date(STARTED.getTime() + 20 * 60_000);

const checkoutAlert = (status: 'firing' | 'resolved') => ({
  status,
  labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'checkout-web', instance: 'web-1:9100' },
  annotations: {
    summary: 'Checkout 5xx above 5 %',
    description: 'Error ratio 7.2 % over 5 minutes',
    runbook_url: 'https://runbooks/checkout',
  },
  startsAt: STARTED.toISOString(),
  endsAt: status === 'resolved' ? ENDED.toISOString() : '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=rate',
  fingerprint: 'a1b2c3d4e5f60718',
});

const INCIDENT = `id number title status source priority impact urgency major detectedAt service { name } category { name } team { name }
  timeline { kind summary actorName data } model { id model { name } }
  alerts { source fingerprint status title labels { name value } startsAt endsAt receivedCount }`;
type AlertIncident = {
  status: string;
  timeline: { kind: string; summary: string; actorName: string | null; data: Record<string, unknown> | null }[];
  alerts: { status: string; receivedCount: number; labels: { name: string; value: string }[] }[];
};
const incident = async (id: string) =>
  ok(await t.gql<{ incident: AlertIncident }>(`query($id: ID!) { incident(id: $id) { ${INCIDENT} } }`, { id })).incident;
const count = async (sql: string) => (await t.sql<{ n: number }>(sql))[0]!.n;

describe('authentication', () => {
  it('refuses requests without a valid source token, and other methods', async () => {
    const none = await post(alertmanager('firing', [checkoutAlert('firing')]), null);
    expect(none.status).toBe(401);
    expect(none.body.error).toContain('Authorization: Bearer <token>');
    const wrong = await post(alertmanager('firing', [checkoutAlert('firing')]), 'ikb_ing_not-a-real-token');
    expect(wrong.status).toBe(401);
    // A user's API token is not an alert source token.
    expect((await post(alertmanager('firing', [checkoutAlert('firing')]), 'ikb_abc')).status).toBe(401);
    expect((await post(null, token, 'GET')).status).toBe(405);
    expect(await count(`select count(*)::int as n from incidents`)).toBe(0);
  });
});

describe('Alertmanager webhook', () => {
  let incidentId: string;

  it('opens an incident for a firing alert, classified by the source rules', async () => {
    const r = await post(alertmanager('firing', [checkoutAlert('firing')]));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: 'Prometheus', format: 'alertmanager', received: 1 });
    expect(r.body.results).toEqual([
      expect.objectContaining({
        index: 0,
        fingerprint: 'a1b2c3d4e5f60718',
        status: 'firing',
        action: 'created',
        classifiedBy: 'rule "checkout critical"',
        incident: expect.stringMatching(/^INC-\d{6}$/),
      }),
    ]);
    incidentId = r.body.results[0].incidentId;
    const i = await incident(incidentId);
    expect(i).toMatchObject({
      title: 'HighErrorRate: Checkout 5xx above 5 %',
      status: 'NEW',
      source: 'ALERT',
      impact: 1,
      urgency: 1,
      priority: 1,
      major: true,
      detectedAt: STARTED.toISOString(),
      service: { name: 'Checkout' },
      category: { name: 'Software' },
      team: { name: 'Payments on-call' },
    });
    expect(i.timeline.map((e: { kind: string }) => e.kind)).toEqual(['LOGGED', 'ALERT_FIRING']);
    expect(i.alerts).toEqual([
      expect.objectContaining({
        source: 'Prometheus',
        fingerprint: 'a1b2c3d4e5f60718',
        status: 'FIRING',
        startsAt: STARTED.toISOString(),
        endsAt: null,
        receivedCount: 1,
      }),
    ]);
    expect(i.alerts[0].labels).toContainEqual({ name: 'severity', value: 'critical' });
    expect(i.timeline[1]).toMatchObject({
      summary: 'Alert firing from Prometheus: HighErrorRate: Checkout 5xx above 5 %',
      actorName: 'Prometheus (alerts)',
    });
    expect(i.timeline[1]!.data?.alert).toMatchObject({
      fingerprint: 'a1b2c3d4e5f60718',
      labels: { severity: 'critical' },
      url: 'http://prometheus:9090/graph?g0.expr=rate',
    });
  });

  it('attaches a repeat of the same alert to the open incident instead of opening another (deduplication)', async () => {
    const r = await post(alertmanager('firing', [checkoutAlert('firing')]));
    expect(r.body.results).toEqual([expect.objectContaining({ action: 'attached', duplicate: true, incidentId })]);
    expect(await count(`select count(*)::int as n from incidents`)).toBe(1);
    expect((await incident(incidentId)).timeline).toHaveLength(2);
    expect((await incident(incidentId)).alerts).toEqual([expect.objectContaining({ status: 'FIRING', receivedCount: 2 })]);
    const [a] = await t.sql(`select status, received_count from ingested_alerts`);
    expect(a).toEqual({ status: 'FIRING', received_count: 2 });
  });

  it('records a resolved alert on the incident timeline and leaves the incident to people', async () => {
    const r = await post(alertmanager('resolved', [checkoutAlert('resolved')]));
    expect(r.body.results).toEqual([expect.objectContaining({ action: 'resolved', incidentId })]);
    const i = await incident(incidentId);
    expect(i.status).toBe('NEW');
    expect(i.timeline.at(-1)).toMatchObject({ kind: 'ALERT_RESOLVED', summary: 'Alert resolved: HighErrorRate: Checkout 5xx above 5 %' });
    expect(i.alerts).toEqual([expect.objectContaining({ status: 'RESOLVED', endsAt: expect.any(String), receivedCount: 3 })]);
    // A second resolved notification has nothing left to resolve.
    const again = await post(alertmanager('resolved', [checkoutAlert('resolved')]));
    expect(again.body.results).toEqual([expect.objectContaining({ action: 'ignored', incidentId: null })]);
  });

  it('attaches the alert firing again while open; reopens it once resolved (the window); a closed one gets a follow-up', async () => {
    const r = await post(alertmanager('firing', [checkoutAlert('firing')]));
    expect(r.body.results).toEqual([expect.objectContaining({ action: 'attached', duplicate: false, incidentId })]);
    expect((await incident(incidentId)).timeline.at(-1)).toMatchObject({
      kind: 'ALERT_FIRING',
      summary: 'Alert firing again: HighErrorRate: Checkout 5xx above 5 %',
    });
    await transition(t, incidentId, { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionNotes: 'Rolled back' });
    // Within the reopen window (60 min by default): the resolution did not hold.
    const again = await post(alertmanager('firing', [checkoutAlert('firing')]));
    expect(again.body.results).toEqual([expect.objectContaining({ action: 'reopened', incidentId })]);
    const reopened = await incident(incidentId);
    expect(reopened.status).toBe('INVESTIGATING');
    expect(reopened.timeline.map((e) => e.kind).slice(-2)).toEqual(['REOPENED', 'ALERT_FIRING']);
    expect(await count(`select reopen_count as n from incidents where id = '${incidentId}'`)).toBe(1);
    // Closed: confirmed fixed, so a new incident that follows it.
    await transition(t, incidentId, { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionNotes: 'Rolled back again' });
    await transition(t, incidentId, { to: 'CLOSED', userConfirmed: true });
    const next = await post(alertmanager('firing', [checkoutAlert('firing')]));
    expect(next.body.results).toEqual([expect.objectContaining({ action: 'created', follows: expect.stringMatching(/^INC-/) })]);
    expect(next.body.results[0].incidentId).not.toBe(incidentId);
    expect(await count(`select count(*)::int as n from incidents where source = 'ALERT'`)).toBe(2);
    const follow = await incident(next.body.results[0].incidentId);
    expect(follow.timeline.at(-1)).toMatchObject({
      kind: 'ALERT_FIRING',
      data: expect.objectContaining({ followsIncidentId: incidentId }),
    });
  });

  it('handles several alerts in one delivery, each on its own', async () => {
    const disk = {
      status: 'firing',
      labels: { alertname: 'NodeDiskFull', severity: 'warning', instance: 'db-3' },
      annotations: { summary: 'Disk 95 % full' },
      startsAt: '2026-11-27T09:00:00Z',
    };
    const unknown = {
      status: 'resolved',
      labels: { alertname: 'NeverFired' },
      annotations: { summary: 'Was never seen' },
      fingerprint: 'ffff0000',
    };
    const r = await post(alertmanager('firing', [disk, unknown]));
    expect(r.body.results.map((x) => x.action)).toEqual(['created', 'ignored']);
    const i = await incident(r.body.results[0].incidentId);
    // No rule matches: the severity decides impact and urgency (warning: 2 / 2 -> P3); no model matches yet.
    expect(i).toMatchObject({ title: 'NodeDiskFull: Disk 95 % full', impact: 2, urgency: 2, priority: 3, service: null, model: null });
    expect(r.body.results[0].classifiedBy).toBe('severity warning');
  });
});

describe('generic JSON', () => {
  it('opens an incident from the generic shape and classifies it with a matching incident model', async () => {
    const model = await createModel(
      t,
      {
        name: 'Database disk full',
        matchKeywords: ['disk', 'full'],
        defaultImpact: 2,
        defaultUrgency: 1,
        defaultTeamId: dir.dba.id,
        checklist: ['Check the largest tables', 'Extend the volume'],
      },
      'id name',
    );
    const r = await post({
      alerts: [
        {
          title: 'Disk full on db-primary-01',
          description: 'ENOSPC on /var/lib/postgresql',
          severity: 'high',
          fingerprint: 'db-primary-01/disk',
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'generic', received: 1 });
    expect(r.body.results[0]).toMatchObject({ action: 'created', fingerprint: 'db-primary-01/disk' });
    expect(r.body.results[0].classifiedBy).toMatch(/^incident model "Database disk full" \(score 60: title mentions "disk" and "full"\)$/);
    const i = await incident(r.body.results[0].incidentId);
    expect(i).toMatchObject({
      source: 'ALERT',
      impact: 2,
      urgency: 1,
      priority: 2,
      team: { name: 'DBA on-call' },
      model: { model: { name: model.name } },
    });
    expect(i.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['LOGGED', 'ALERT_FIRING', 'CLASSIFIED', 'ASSIGNED', 'MODEL_APPLIED']),
    );

    // One alert object without the list works too, and its fingerprint defaults to its labels or title.
    const single = await post({ title: 'Disk full on db-primary-01', severity: 'high', fingerprint: 'db-primary-01/disk' });
    expect(single.body.results[0]).toMatchObject({ action: 'attached', duplicate: true, incidentId: r.body.results[0].incidentId });
  });

  it('refuses a bad payload naming every problem, and writes nothing', async () => {
    const before = await count(`select count(*)::int as n from incidents`);
    const bad = await post({
      alerts: [{ status: 'burning', title: 'x' }, { description: 'no title' }, { title: 'ok', startsAt: 'yesterday' }, 'text'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('nothing was recorded');
    expect(bad.body.problems).toEqual([
      { index: 0, message: 'alerts[0].status: must be "firing" or "resolved", got "burning"' },
      { index: 1, message: 'alerts[1]: needs a title (generic) or labels.alertname / annotations.summary (Alertmanager)' },
      { index: 2, message: 'alerts[2].startsAt: "yesterday" is not a date (use ISO 8601, e.g. 2026-11-27T10:15:00Z)' },
      { index: 3, message: 'alerts[3]: must be an object' },
    ]);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ alerts: [] })).body.problems).toEqual([{ index: null, message: 'alerts: the list is empty' }]);
    expect(await count(`select count(*)::int as n from incidents`)).toBe(before);
  });
});

describe('alert sources', () => {
  it('creates a source with `ingest-source create`, whose token works until rotated', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const withEm = <T>(fn: (em: ReturnType<typeof t.app.orm.em.fork>) => Promise<T>) => fn(t.app.orm.em.fork());
    expect(await runImportsCli('ingest-source', ['create', '--name', 'Grafana'], withEm, io)).toBe(0);
    const created = /\b(ikb_ing_[\w-]+)/.exec(out.join('\n'))![1];
    expect(await runImportsCli('ingest-source', ['create', '--name', 'grafana'], withEm, io)).toBe(1);
    expect(out.join('\n')).toContain('An alert source named "grafana" already exists');
    // Stored hashed: the token itself is nowhere in the database.
    const [row] = await t.sql(`select token_hash, token_prefix from ingest_sources where name = 'Grafana'`);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.sql(`select * from ingest_sources`))).not.toContain(created);

    const generic = { title: 'Grafana: API latency p99 above 2 s', severity: 'warning' };
    expect((await post(generic, created)).body.source).toBe('Grafana');
    out.length = 0;
    expect(await runImportsCli('ingest-source', ['rotate', '--name', 'Grafana'], withEm, io)).toBe(0);
    const rotated = /\b(ikb_ing_[\w-]+)/.exec(out.join('\n'))![1];
    expect((await post(generic, created)).status).toBe(401);
    expect((await post(generic, rotated)).status).toBe(200);
    expect(await runImportsCli('ingest-source', ['revoke', '--name', 'Grafana'], withEm, io)).toBe(0);
    expect((await post(generic, rotated)).status).toBe(401);
    out.length = 0;
    expect(await runImportsCli('ingest-source', ['list'], withEm, io)).toBe(0);
    expect(out.join('\n')).toMatch(/Grafana {2}token ikb_ing_[\w-]{4}\.\.\. {2}REVOKED/);
    expect(out.join('\n')).toMatch(/Prometheus {2}token ikb_ing_.{4}\.\.\. {2}active {2}rules 1/);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After, writing nothing, when a source goes over the per-caller limit; other sources get through', async () => {
    // rateLimitPerMinute 4: a burst of 20 requests, then one every 15 s.
    const limited = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, exposeSqlCount: false, rateLimitPerMinute: 4 });
    try {
      const send = (tok: string, i: number) =>
        fetch(`${limited.url}/ingest/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
          body: JSON.stringify({ title: `Storm ${i}`, fingerprint: `storm-${i}`, severity: 'info' }),
        });
      const other = (await createIngestSource(t.app.orm.em.fork(), 'Rate limit probe')).token;
      const before = await count(`select count(*)::int as n from incidents`);
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push((await send(token, i)).status);
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
      const refused = await send(token, 99);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: string }).error).toMatch(
        /Too many requests from alert source Prometheus; nothing was recorded/,
      );
      expect(await count(`select count(*)::int as n from incidents`)).toBe(before + 20);
      expect(await count(`select count(*)::int as n from incidents where title = 'Storm 99'`)).toBe(0);
      expect((await send(other, 100)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
