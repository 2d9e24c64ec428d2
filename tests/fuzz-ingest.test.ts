import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { grafana } from './fixtures/alerts/alertmanager-fixtures';
import { datadogDefault, datadogFull, opsgenie, pagerDuty, pagerDutyPing } from './fixtures/alerts/vendor-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * POST /ingest/alerts under generated hostile input. Payloads start from plausible
 * Alertmanager, generic, Grafana, PagerDuty v3, Opsgenie and Datadog bodies (tests/fixtures/alerts)
 * and replace any part with random JSON, values nested thousands
 * deep, huge strings, control characters, lone surrogates, bidi and invisible characters, wrong
 * types, odd dates, too many labels or alerts and fingerprints shared between alerts; or the body is
 * random JSON, raw bytes, cut-off JSON, sent with another content type. After every request:
 * no 5xx; a 400 carries an error and its problems; a 400 (or any refusal) wrote nothing; a 200
 * recorded exactly what it says (each result's alert row and incident, one incident per
 * "created"). At the end the API still answers /healthz and /readyz, and every alert incident has
 * its alert row and ALERT_FIRING event (one transaction per alert: never half-written).
 *
 * FUZZ_INGEST_SECONDS (default 5) bounds the time, FUZZ_INGEST_RUNS (default 5000) the requests;
 * FUZZ_SEED fixes the seed (printed on failure).
 */

const SECONDS = Number(process.env.FUZZ_INGEST_SECONDS ?? 5);
const RUNS = Number(process.env.FUZZ_INGEST_RUNS ?? 5000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
let token: string;
let sourceId: string;

beforeAll(async () => {
  t = await startTestApp();
  const made = await createIngestSource(t.app.orm.em.fork(), 'Fuzz', {
    rules: [{ name: 'fuzz critical', when: { severity: 'critical' }, set: { impact: 1, urgency: 1 } }],
  });
  token = made.token;
  sourceId = made.source.id;
});
afterAll(async () => {
  await t?.close();
});

// ---- generators -----------------------------------------------------------------------------

const HOSTILE_CHARS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00ad',
  '\n',
  '\t',
  '\r',
  '\u2028',
  '"',
  '\\',
  '😀',
  'é',
  "'",
  '%',
  '{',
  ' ',
];
const hostileChar = fc.oneof(
  fc.constantFrom(...HOSTILE_CHARS),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const hostileString = fc.string({ unit: hostileChar, maxLength: 24 });
/** Around the limits (200, 2,000, 20,000), with a two-unit character where a clip would cut. */
const hugeString = fc
  .tuple(fc.constantFrom(199, 200, 201, 1999, 2000, 2001, 19_999, 20_000, 20_001, 60_000), fc.constantFrom('x', '😀', 'é\n'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n));
const plainText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const anyString = fc.oneof(
  { arbitrary: plainText, weight: 4 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A marker replaced by a value nested that deep once the body is text (JSON.stringify would overflow on it). */
const deep = fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ $deep: depth }));
const value = fc.oneof({ arbitrary: anyString, weight: 6 }, { arbitrary: wrongType, weight: 2 }, { arbitrary: deep, weight: 1 });

const oddDate = fc.oneof(
  fc.constantFrom(
    '+099999-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '1970-01-01T00:00:00Z',
    '2099-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-11-27T10:15:00.123456789Z',
    '2026-11-27T10:15:00+14:00',
    'yesterday',
    '',
    'T'.repeat(100),
    8.64e15,
    8.64e15 + 1,
    -1,
    0,
    1e20,
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2020-01-01'), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString()),
  wrongType,
);

const labelName = fc.oneof(
  { arbitrary: fc.constantFrom('alertname', 'severity', 'service', 'instance', 'job', '__proto__', 'constructor'), weight: 3 },
  { arbitrary: anyString, weight: 2 },
);
const labelsArb = fc.oneof(
  { arbitrary: fc.dictionary(labelName, value, { maxKeys: 6 }), weight: 6 },
  {
    arbitrary: fc.integer({ min: 95, max: 110 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, `v${i}`]))),
    weight: 1,
  },
  { arbitrary: wrongType, weight: 1 },
  { arbitrary: deep, weight: 1 },
);
const fingerprint = fc.oneof({ arbitrary: fc.constantFrom('fz-1', 'fz-2', 'fz-3', 'fz-4'), weight: 5 }, { arbitrary: value, weight: 1 });

/** A plausible alert (most are accepted, so the 200 path is checked too). */
const validAlert = fc.record({
  status: fc.constantFrom('firing', 'firing', 'resolved'),
  title: plainText,
  severity: fc.constantFrom('critical', 'warning', 'info'),
  labels: fc.record({ alertname: fc.constantFrom('HighErrorRate', 'DiskFull', 'Fuzz'), instance: fc.constantFrom('web-1', 'db-2') }),
  annotations: fc.record({ summary: plainText }, { requiredKeys: [] }),
  fingerprint: fc.constantFrom('fz-1', 'fz-2', 'fz-3', 'fz-4'),
  startsAt: fc.date({ min: new Date('2020-01-01'), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString()),
});
const FIELDS = [
  'status',
  'title',
  'description',
  'severity',
  'service',
  'category',
  'labels',
  'annotations',
  'fingerprint',
  'startsAt',
  'endsAt',
  'generatorURL',
  'url',
] as const;
const fieldValue = (f: (typeof FIELDS)[number]) =>
  f === 'labels' || f === 'annotations'
    ? labelsArb
    : f === 'startsAt' || f === 'endsAt'
      ? oddDate
      : f === 'fingerprint'
        ? fingerprint
        : value;
/** A plausible alert with none, one or two fields replaced by generated values, or removed. */
const alertArb = fc
  .tuple(
    validAlert,
    fc.array(
      fc.constantFrom(...FIELDS).chain((f) => fc.tuple(fc.constant(f), fc.option(fieldValue(f), { nil: undefined }))),
      { maxLength: 2 },
    ),
  )
  .map(([a, changes]) => {
    const out: Record<string, unknown> = { ...a };
    for (const [f, v] of changes) {
      if (v === undefined) delete out[f];
      else out[f] = v;
    }
    return out;
  });

const alertmanagerBody = fc.record({
  version: fc.constant('4'),
  groupKey: fc.oneof(fc.constant('{}:{alertname="Fuzz"}'), value),
  status: fc.oneof(fc.constantFrom('firing', 'resolved'), value),
  receiver: fc.constant('incident-kb'),
  groupLabels: labelsArb,
  commonLabels: labelsArb,
  commonAnnotations: labelsArb,
  externalURL: value,
  alerts: fc.array(alertArb, { maxLength: 5 }),
});
const genericBody = fc.oneof(fc.record({ alerts: fc.array(alertArb, { maxLength: 5 }) }), alertArb);
const manyAlerts = fc.integer({ min: 99, max: 102 }).map((n) => ({
  alerts: Array.from({ length: n }, (_, i) => ({ title: `Fuzz bulk ${i % 3}`, fingerprint: `fz-bulk-${i % 3}`, severity: 'info' })),
}));

/** A sender body with none, one or two fields (at a path) replaced by generated values, or removed. */
function mutated(base: fc.Arbitrary<Record<string, unknown>>, paths: string[][], dates: string[]) {
  const change = fc
    .constantFrom(...paths)
    .chain((path) => fc.tuple(fc.constant(path), fc.option(dates.includes(path.at(-1)!) ? oddDate : value, { nil: undefined })));
  return fc.tuple(base, fc.array(change, { maxLength: 2 })).map(([b, changes]) => {
    const out = structuredClone(b);
    for (const [path, v] of changes) {
      let at: Record<string, unknown> = out;
      for (const k of path.slice(0, -1)) {
        if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
        at = at[k] as Record<string, unknown>;
      }
      if (v === undefined) delete at[path.at(-1)!];
      else at[path.at(-1)!] = v;
    }
    return out;
  });
}
const recent = fc.date({ min: new Date(Date.now() - 86_400_000), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString());
const pagerDutyBody = mutated(
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom('incident.triggered', 'incident.acknowledged', 'incident.resolved', 'incident.reopened', 'incident.annotated'),
        recent,
        fc.constantFrom('PFZ1', 'PFZ2'),
      )
      .map(([type, at, id]) => {
        const b = pagerDuty(type, at);
        b.event.data.id = id;
        return b as unknown as Record<string, unknown>;
      }),
    fc.constant(pagerDutyPing() as unknown as Record<string, unknown>),
  ),
  [
    ['event'],
    ['event', 'event_type'],
    ['event', 'occurred_at'],
    ['event', 'data'],
    ['event', 'data', 'id'],
    ['event', 'data', 'title'],
    ['event', 'data', 'service'],
    ['event', 'data', 'service', 'summary'],
    ['event', 'data', 'priority'],
    ['event', 'data', 'urgency'],
    ['event', 'data', 'number'],
    ['event', 'data', 'created_at'],
    ['event', 'data', 'html_url'],
    ['event', 'agent', 'summary'],
    ['event', 'id'],
  ],
  ['occurred_at', 'created_at'],
);
const opsgenieBody = mutated(
  fc
    .tuple(fc.constantFrom('Create', 'Close', 'Acknowledge', 'AddNote'), fc.constantFrom(3, 'P1', 'P5'), fc.constantFrom('og-1', 'og-2'))
    .map(([action, priority, alias]) => {
      const b = opsgenie(action, priority);
      b.alert.alias = alias;
      return b as unknown as Record<string, unknown>;
    }),
  [
    ['action'],
    ['alert'],
    ['alert', 'alias'],
    ['alert', 'alertId'],
    ['alert', 'message'],
    ['alert', 'tags'],
    ['alert', 'priority'],
    ['alert', 'createdAt'],
    ['alert', 'details'],
    ['alert', 'entity'],
    ['alert', 'description'],
  ],
  ['createdAt'],
);
const datadogBody = mutated(
  fc
    .tuple(fc.constantFrom('Triggered', 'Re-Triggered', 'Recovered', 'Warn', 'No Data'), fc.boolean())
    .map(([transition, full]) => (full ? datadogFull(transition) : datadogDefault(transition)) as Record<string, unknown>),
  [
    ['title'],
    ['alert_transition'],
    ['aggreg_key'],
    ['alert_id'],
    ['date'],
    ['last_updated'],
    ['tags'],
    ['priority'],
    ['body'],
    ['link'],
    ['org'],
    ['org', 'name'],
    ['id'],
    ['hostname'],
  ],
  ['date', 'last_updated'],
);
const grafanaBody = mutated(
  fc.constantFrom('firing', 'resolved').map((status) => grafana(status as 'firing') as unknown as Record<string, unknown>),
  [
    ['orgId'],
    ['alerts'],
    ['alerts', '0', 'valueString'],
    ['alerts', '0', 'fingerprint'],
    ['alerts', '1', 'labels'],
    ['alerts', '1', 'startsAt'],
    ['alerts', '0', 'endsAt'],
    ['alerts', '0', 'dashboardURL'],
    ['alerts', '1', 'status'],
  ],
  ['startsAt', 'endsAt'],
);
const formatParam = fc.oneof(
  { arbitrary: fc.constant(''), weight: 8 },
  { arbitrary: fc.constantFrom('?format=grafana', '?format=pagerduty', '?format=opsgenie', '?format=datadog', '?format=x'), weight: 1 },
);

type Req = { body: string | Uint8Array; contentType: string | null; kind: string; query?: string };

/** JSON text with every {$deep: n} replaced by a value nested n deep (objects or lists). */
function toText(v: unknown): string {
  const deeps: number[] = [];
  const text = JSON.stringify(v, (_k, x) => {
    if (
      x &&
      typeof x === 'object' &&
      !Array.isArray(x) &&
      typeof (x as { $deep?: unknown }).$deep === 'number' &&
      Object.keys(x).length === 1
    ) {
      deeps.push((x as { $deep: number }).$deep);
      return `\u0000deep${deeps.length - 1}\u0000`;
    }
    return x;
  });
  return text.replace(/"\\u0000deep(\d+)\\u0000"/g, (_m, i) => {
    const n = deeps[Number(i)];
    return n % 2 ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
  });
}

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/xml',
    ),
    weight: 1,
  },
);
const request: fc.Arbitrary<Req> = fc.oneof(
  {
    arbitrary: fc.tuple(alertmanagerBody, contentType).map(([b, ct]) => ({ body: toText(b), contentType: ct, kind: 'alertmanager' })),
    weight: 25,
  },
  { arbitrary: fc.tuple(genericBody, contentType).map(([b, ct]) => ({ body: toText(b), contentType: ct, kind: 'generic' })), weight: 25 },
  { arbitrary: manyAlerts.map((b) => ({ body: JSON.stringify(b), contentType: 'application/json', kind: 'many alerts' })), weight: 1 },
  ...(
    [
      [grafanaBody, 'grafana'],
      [pagerDutyBody, 'pagerduty'],
      [opsgenieBody, 'opsgenie'],
      [datadogBody, 'datadog'],
    ] as const
  ).map(([arb, kind]) => ({
    arbitrary: fc.tuple(arb, formatParam).map(([b, query]) => ({ body: toText(b), contentType: 'application/json', kind, query })),
    weight: 10,
  })),
  {
    arbitrary: fc.jsonValue().map((v) => ({ body: JSON.stringify(v) ?? 'null', contentType: 'application/json', kind: 'random json' })),
    weight: 4,
  },
  { arbitrary: deep.map((d) => ({ body: toText(d), contentType: 'application/json', kind: 'deep body' })), weight: 4 },
  {
    arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => ({ body: b, contentType: 'application/json', kind: 'raw bytes' })),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(alertmanagerBody, fc.nat()).map(([b, cut]) => {
      const s = toText(b);
      return { body: s.slice(0, cut % (s.length + 1)), contentType: 'application/json', kind: 'cut json' };
    }),
    weight: 4,
  },
);

// ---- checks ---------------------------------------------------------------------------------

const stats: Record<string, number> = {};
const counts = async () =>
  (
    await t.sql<{
      incidents: number;
      alerts: number;
      received: number;
      events: number;
    }>(`select (select count(*) from incidents)::int as incidents, (select count(*) from ingested_alerts)::int as alerts,
     (select coalesce(sum(received_count), 0) from ingested_alerts)::int as received, (select count(*) from incident_events)::int
       as events`)
  )[0];

interface AlertResult {
  index: number;
  fingerprint: string;
  status: string;
  action: string;
  incidentId: string | null;
  incident: string | null;
  duplicate?: boolean;
}

async function send(r: Req) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (r.contentType) headers['content-type'] = r.contentType;
  const res = await fetch(`${t.app.url}/ingest/alerts${r.query ?? ''}`, {
    method: 'POST',
    headers,
    body: typeof r.body === 'string' ? r.body : Buffer.from(r.body),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** A 200 recorded what it says: each result's alert row on its incident, one incident per "created". */
async function checkRecorded(body: { received: number; results: AlertResult[] }, before: Awaited<ReturnType<typeof counts>>) {
  expect(body.results).toHaveLength(body.received);
  const last = new Map<string, AlertResult>();
  for (const [i, r] of body.results.entries()) {
    expect(r.index).toBe(i);
    // An ignored acknowledgement names the incident it did not change.
    if (r.action === 'ignored') continue;
    expect(['created', 'attached', 'reopened', 'resolved', 'acknowledged']).toContain(r.action);
    const [row] = await t.sql(
      `select i.number, i.source from ingested_alerts x join incidents i on i.id = x.incident_id where x.source_id = $1
        and x.fingerprint = $2 and x.incident_id = $3`,
      [sourceId, r.fingerprint, r.incidentId],
    );
    expect(row, `no alert row for result ${JSON.stringify(r)}`).toBeTruthy();
    expect(r.incident).toBe(`INC-${String(row.number).padStart(6, '0')}`);
    expect(row.source).toBe('ALERT');
    // An acknowledgement leaves the alert's state as it was.
    if (r.action !== 'acknowledged') last.set(`${r.fingerprint}\u0000${r.incidentId}`, r);
  }
  for (const r of last.values()) {
    const [row] = await t.sql(`select status from ingested_alerts where source_id = $1 and fingerprint = $2 and incident_id = $3`, [
      sourceId,
      r.fingerprint,
      r.incidentId,
    ]);
    expect(row.status).toBe(r.action === 'resolved' ? 'RESOLVED' : 'FIRING');
  }
  const after = await counts();
  const created = body.results.filter((r) => r.action === 'created').length;
  expect(after.incidents - before.incidents).toBe(created);
  expect(after.alerts - before.alerts).toBe(created);
  expect(after.received - before.received).toBe(body.results.filter((r) => r.action !== 'ignored').length);
}

describe('POST /ingest/alerts under generated hostile input', () => {
  it(
    `never answers 5xx, refuses with reasons and writes nothing, and records what it says (${SECONDS} s or ${RUNS} requests)`,
    async () => {
      const prop = fc.asyncProperty(request, async (r) => {
        const before = await counts();
        const { status, text } = await send(r);
        stats[`${r.kind} ${status}`] = (stats[`${r.kind} ${status}`] ?? 0) + 1;
        expect(status, text.slice(0, 300)).toBeLessThan(500);
        const body = JSON.parse(text);
        if (status === 200) {
          await checkRecorded(body, before);
          return;
        }
        // A body over MAX_BODY_BYTES is the server's own 413 (in its GraphQL error shape); nothing else is expected.
        expect([400, 413], text.slice(0, 300)).toContain(status);
        if (status === 400) {
          expect(typeof body.error).toBe('string');
          expect(body.error.length).toBeGreaterThan(0);
          expect(Array.isArray(body.problems)).toBe(true);
          expect(body.problems.length).toBeGreaterThan(0);
          for (const p of body.problems) {
            expect(p.index === null || Number.isInteger(p.index)).toBe(true);
            expect(typeof p.message).toBe('string');
          }
        } else {
          expect(body.errors?.[0]?.message).toMatch(/larger than/);
        }
        expect(await counts()).toEqual(before);
      });
      const out = await fc.check(prop, {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true,
        plugins: [fc.interruptAfterTimeLimit(SECONDS * 1000)],
      });
      console.log(`fuzz-ingest: ${out.numRuns} requests in ${SECONDS} s at most; ${JSON.stringify(stats)}`);
      if (out.failed) {
        const shown = JSON.stringify(out.counterexample, (_k, v) =>
          typeof v === 'string' && v.length > 300
            ? `${v.slice(0, 300)}… (${v.length})`
            : v instanceof Uint8Array
              ? `<${v.length} bytes>`
              : v,
        );
        throw new Error(
          `${String((out.errorInstance as Error)?.message ?? out.errorInstance).slice(0, 1500)}\n  ` +
            `counterexample: ${shown?.slice(0, 2000)}\n  seed ${out.seed} (FUZZ_SEED=${out.seed})`,
        );
      }
      // Time-bounded: a busy machine runs fewer, but never none.
      expect(out.numRuns).toBeGreaterThanOrEqual(5);
    },
    SECONDS * 1000 + 120_000,
  );

  it('still answers afterwards, and no alert incident is half-written', async () => {
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.app.url}/readyz`)).status).toBe(200);
    const [orphans] = await t.sql(`select
      (select count(*) from incidents i where i.source = 'ALERT' and not exists (select 1 from ingested_alerts x where
        x.incident_id = i.id))::int as without_alert,
      (select count(*) from incidents i where i.source = 'ALERT' and not exists (select 1 from incident_events e where
        e.incident_id = i.id and e.kind = 'ALERT_FIRING'))::int as without_event`);
    expect(orphans).toEqual({ without_alert: 0, without_event: 0 });
  });
});
