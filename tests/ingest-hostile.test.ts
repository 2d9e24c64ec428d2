import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '@ikb/api/src/app';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Alert ingestion against hostile and careless senders. Alertmanager re-sends a batch
 * that got a 5xx, so one bad alert answered with a 500 would block its whole group for ever: every
 * bad input must be a 400 naming the alert and the field, with nothing written. The limits of the
 * GraphQL edge (title 200, description 20,000, the shared text and date rules) hold here too, and a
 * request never holds one long transaction.
 */

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  token = (await createIngestSource(t.app.orm.em.fork(), 'Hostile probe')).token;
});
afterAll(async () => {
  await t?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.app.url}/ingest/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* asserted by the caller */
  }
  return { status: res.status, body: json as IngestAnswer, text };
}

/** The ingest endpoint's JSON answer, as these tests read it (null when it was not JSON). */
interface IngestAnswer {
  error?: string;
  requestId?: string;
  problems?: { index: number | null; message: string }[];
  results: { action: string; incidentId: string; duplicate?: boolean; warnings?: string[] }[];
}

const counts = async () =>
  (
    await t.sql<{ incidents: number; alerts: number; events: number }>(
      `select (select count(*) from incidents)::int as incidents, (select count(*) from ingested_alerts)::int as alerts, (select
        count(*) from incident_events)::int as events`,
    )
  )[0];

/** Posts, expects a 400 whose problems name `index` and match `message`, and that nothing was written. */
async function refused(body: unknown, index: number | null, message: RegExp | string) {
  const before = await counts();
  const r = await post(body);
  expect(r.status, r.text.slice(0, 500)).toBe(400);
  expect(r.body.error).toContain('nothing was recorded');
  expect(r.body.problems).toEqual(
    expect.arrayContaining([{ index, message: typeof message === 'string' ? message : expect.stringMatching(message) }]),
  );
  expect(await counts()).toEqual(before);
  return r.body.problems as { index: number | null; message: string }[];
}

const ok = (title: string, extra: Record<string, unknown> = {}) => ({ title, severity: 'info', fingerprint: `ok-${title}`, ...extra });

describe('bad input is a 400 naming the alert and the field, never a 5xx', () => {
  it('refuses a NUL in a title (the good alert before it is not written either)', async () => {
    await refused(
      { alerts: [ok('fine'), { title: 'Disk\u0000full' }] },
      1,
      'alerts[1].title: contains a control character, U+0000, at position 5',
    );
  });

  it('refuses a NUL in a label name and in a label value', async () => {
    await refused(
      { alerts: [{ title: 'x', labels: { 'bad\u0000key': 'v' } }] },
      0,
      /^alerts\[0\]\.labels\["bad\\u0000key"\]: the name contains a control character, U\+0000/,
    );
    await refused(
      { alerts: [{ title: 'x', labels: { host: 'db\u0000' } }] },
      0,
      /^alerts\[0\]\.labels\.host: contains a control character, U\+0000/,
    );
    await refused(
      { alerts: [{ title: 'x', annotations: { runbook: 'a\u0007b' } }] },
      0,
      /^alerts\[0\]\.annotations\.runbook: contains a control character, U\+0007/,
    );
  });

  it('refuses a lone surrogate written as a JSON escape', async () => {
    await refused(
      '{"alerts":[{"title":"half \\ud800 a character"}]}',
      0,
      /^alerts\[0\]\.title: contains an unpaired surrogate \(not a character\), U\+D800/,
    );
    await refused(
      '{"alerts":[{"title":"x","labels":{"\\udfff":"v"}}]}',
      0,
      /^alerts\[0\]\.labels\["\\udfff"\]: the name contains an unpaired surrogate/,
    );
    await refused(
      '{"version":"4","status":"firing","alerts":[{"labels":{"alertname":"A"},"annotations":{"summary":"s \\ud83d"}}]}',
      0,
      /^alerts\[0\]\.annotations\.summary: contains an unpaired surrogate/,
    );
  });

  it('refuses dates outside 1970..2100 in startsAt and endsAt, as strings and as numbers', async () => {
    await refused(
      { alerts: [{ title: 'x', startsAt: '+099999-01-01T00:00:00Z' }] },
      0,
      /^alerts\[0\]\.startsAt: must be between 1970-01-01 and 2100-01-01/,
    );
    await refused(
      { alerts: [{ title: 'x', startsAt: 3_093_496_444_800_000 }] },
      0,
      /^alerts\[0\]\.startsAt: must be between 1970-01-01 and 2100-01-01/,
    );
    await refused(
      { alerts: [{ title: 'x', status: 'resolved', endsAt: '2999-01-01T00:00:00Z' }] },
      0,
      /^alerts\[0\]\.endsAt: must be between/,
    );
    await refused({ alerts: [{ title: 'x', startsAt: '1969-07-20T20:17:00Z' }] }, 0, /^alerts\[0\]\.startsAt: must be between/);
    await refused({ alerts: [{ title: 'x', startsAt: true }] }, 0, /^alerts\[0\]\.startsAt: must be a date in ISO 8601/);
    // Alertmanager's "not ended" (Go's zero time) is not a date to refuse: it means none.
    const r = await post({
      version: '4',
      status: 'firing',
      alerts: [{ labels: { alertname: 'ZeroTime' }, startsAt: '2026-11-27T10:15:00.123456789Z', endsAt: '0001-01-01T00:00:00Z' }],
    });
    expect(r.status, r.text).toBe(200);
    const [row] = await t.sql(`select starts_at, ends_at from ingested_alerts where title = 'ZeroTime'`);
    expect(row).toEqual({ starts_at: new Date('2026-11-27T10:15:00.123Z'), ends_at: null });
  });

  it('refuses labels nested 5,000 deep, and any value that is not a text, number or true/false', async () => {
    // Written as text: JSON.stringify itself runs out of stack on such an object.
    const deep = `${'{"a":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`;
    await refused(
      `{"alerts":[{"title":"x","labels":{"nested":${deep}}}]}`,
      0,
      'alerts[0].labels.nested: must be a text, a number or true/false, not an object',
    );
    await refused(
      { alerts: [{ title: 'x', annotations: { list: ['a', 'b'] } }] },
      0,
      'alerts[0].annotations.list: must be a text, a number or true/false, not a list',
    );
    // A JSON body nested deeper than any stack: read without recursion, refused by its shape.
    await refused(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, null, /^the body must be a JSON object/);
    await refused(`{"alerts":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`, 0, 'alerts[0]: must be an object');
  });

  it('refuses wrong types for the named fields instead of ignoring or stringifying them', async () => {
    await refused({ alerts: [{ title: 42 }] }, 0, 'alerts[0].title: must be a text, not a number');
    await refused({ alerts: [{ title: 'x', description: { text: 'y' } }] }, 0, 'alerts[0].description: must be a text, not an object');
    await refused({ alerts: [{ title: 'x', status: ['firing'] }] }, 0, 'alerts[0].status: must be "firing" or "resolved", not a list');
    await refused(
      { alerts: [{ title: 'x', fingerprint: 7 }] },
      0,
      'alerts[0].fingerprint: must be a text of 1 to 200 characters, not a number',
    );
    await refused({ alerts: [{ title: 'x', labels: ['a'] }] }, 0, 'alerts[0].labels: must be an object of name -> text, not a list');
  });

  it('applies the GraphQL limits to what the sender names: title 200, description 20,000, one-line titles', async () => {
    await refused({ alerts: [{ title: 'T'.repeat(201) }] }, 0, 'alerts[0].title: must be at most 200 characters (got 201)');
    await refused(
      { alerts: [{ title: 'x', description: 'D'.repeat(980_038) }] },
      0,
      'alerts[0].description: must be at most 20000 characters (got 980038)',
    );
    await refused(
      { alerts: [{ title: 'Checkout \u202Edown' }] },
      0,
      /^alerts\[0\]\.title: contains a bidirectional control character, U\+202E/,
    );
    await refused({ alerts: [{ title: 'x', fingerprint: 'f\u0000p' }] }, 0, /^alerts\[0\]\.fingerprint: contains a control character/);
    await refused({ alerts: [{ title: 'x', url: 'https://grafana/\u0000' }] }, 0, /^alerts\[0\]\.url: contains a control character/);
  });

  it('caps labels and annotations per alert, the size of their names and values, and alerts per request', async () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'v']));
    await refused({ alerts: [{ title: 'x', labels: many }] }, 0, 'alerts[0].labels: at most 100 per alert, got 10000');
    await refused({ alerts: [{ title: 'x', annotations: many }] }, 0, 'alerts[0].annotations: at most 100 per alert, got 10000');
    await refused(
      { alerts: [{ title: 'x', labels: { ['k'.repeat(201)]: 'v' } }] },
      0,
      /^alerts\[0\]\.labels\["k+…"\]: the name must be at most 200 characters \(got 201\)$/,
    );
    await refused(
      { alerts: [{ title: 'x', labels: { host: 'h'.repeat(2001) } }] },
      0,
      'alerts[0].labels.host: must be at most 2000 characters (got 2001)',
    );
    await refused(
      { alerts: [{ title: 'x', labels: { 'two\nlines': 'v' } }] },
      0,
      /^alerts\[0\]\.labels\["two\\nlines"\]: the name contains a line break/,
    );
    const alerts = Array.from({ length: 101 }, (_, i) => ok(`cap ${i}`));
    await refused({ alerts }, null, "alerts: at most 100 per request, got 101 (set max_alerts: 100 in Alertmanager's webhook_config)");
  });

  it('lists at most 100 problems, then says how many more', async () => {
    const alerts = Array.from({ length: 100 }, () => ({ title: '\u0000', startsAt: 'never' }));
    const r = await post({ alerts });
    expect(r.status).toBe(400);
    expect(r.body.problems).toHaveLength(101);
    expect(r.body.problems![100]).toEqual({ index: null, message: '... and 100 more problems' });
  });
});

describe('what the system assembles is clipped, not refused (an Alertmanager batch is not lost for a long annotation)', () => {
  it('clips a long summary to a 200-character title, long annotations to a 20,000-character description; marker and warning', async () => {
    const emoji = '😀'; // two UTF-16 units: a clip must not split it into a lone surrogate
    const r = await post({
      version: '4',
      status: 'firing',
      receiver: 'kb',
      alerts: [
        {
          labels: { alertname: 'LongText', severity: 'warning' },
          annotations: {
            summary: `${'s'.repeat(188)}${emoji.repeat(20)}`,
            description: 'd'.repeat(19_000),
            details: `${'e'.repeat(30_000)}${emoji}`,
          },
          fingerprint: 'long-text',
        },
      ],
    });
    expect(r.status, r.text.slice(0, 500)).toBe(200);
    expect(r.body.results[0]).toMatchObject({ action: 'created' });
    expect(r.body.results[0].warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^annotations\.details: clipped to 20000 characters \(was 30002\)$/),
        expect.stringMatching(/^title: clipped to 200 characters/),
        expect.stringMatching(/^description: clipped to 20000 characters/),
      ]),
    );
    const [row] = await t.sql<{ title: string; description: string }>(`select title, description from incidents where id = $1`, [
      r.body.results[0]!.incidentId,
    ]);
    expect(row.title.length).toBeLessThanOrEqual(200);
    expect(row.title).toMatch(/^LongText: s+(😀)*…$/u);
    expect(row.description.length).toBeLessThanOrEqual(20_000);
    expect(row.description).toMatch(
      /\[clipped: the alert's text was \d[\d,]* characters; its labels and annotations are kept with the alert\]$/,
    );
    const [alert] = await t.sql<{ annotations: Record<string, string> }>(
      `select annotations from ingested_alerts where fingerprint = 'long-text'`,
    );
    expect(alert.annotations.details.length).toBeLessThanOrEqual(20_000);
    expect(alert.annotations.details.endsWith('…')).toBe(true);
  });
});

describe('a title the system assembles', () => {
  it('drops invisible and bidi characters of alertname and summary (warning); a title the sender names is refused for them', async () => {
    const r = await post({
      version: '4',
      status: 'firing',
      alerts: [{ labels: { alertname: 'Disk\u00ADFull' }, annotations: { summary: 'db-1 \u202Eat 95 %\u200B' }, fingerprint: 'unshown' }],
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.results[0].warnings).toEqual([
      'title: invisible or bidirectional control characters of labels.alertname left out',
      'title: invisible or bidirectional control characters of annotations.summary left out',
    ]);
    const [row] = await t.sql(`select title from incidents where id = $1`, [r.body.results[0].incidentId]);
    expect(row.title).toBe('DiskFull: db-1 at 95 %');
    await refused({ alerts: [{ title: 'Disk\u00ADFull' }] }, 0, /^alerts\[0\]\.title: contains an invisible character, U\+00AD/);
  });
});

describe('transactions', () => {
  it('validates the whole payload first: a bad last alert writes nothing of the good ones before it', async () => {
    const alerts = [...Array.from({ length: 30 }, (_, i) => ok(`upfront ${i}`)), { title: 'bad', startsAt: 'soon' }];
    await refused({ alerts }, 30, /^alerts\[30\]\.startsAt: "soon" is not a date/);
  });

  it('commits each alert on its own: other connections see the first incidents before the request is over', async () => {
    const labels = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`label_${i}`, `value ${i}`]));
    const alerts = Array.from({ length: 50 }, (_, i) => ({
      title: `Short transactions ${i}`,
      severity: 'warning',
      fingerprint: `tx-${i}`,
      labels,
    }));
    const seen: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        seen.push((await t.sql<{ n: number }>(`select count(*)::int as n from incidents where title like 'Short transactions %'`))[0]!.n);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const r = await post({ alerts });
    done = true;
    await poll;
    expect(r.status).toBe(200);
    expect(r.body.results.filter((x: { action: string }) => x.action === 'created')).toHaveLength(50);
    // Seen part-way: neither nothing nor everything (a single transaction shows 0 until the very end).
    expect(
      seen.some((n) => n > 0 && n < 50),
      `counts seen while the request ran: ${[...new Set(seen)].join(', ')}`,
    ).toBe(true);

    // Re-sending the batch (what Alertmanager does after a timeout) opens nothing new.
    const again = await post({ alerts });
    expect(again.body.results.every((x: { action: string; duplicate?: boolean }) => x.action === 'attached' && x.duplicate)).toBe(true);
    expect((await t.sql(`select count(*)::int as n from incidents where title like 'Short transactions %'`))[0].n).toBe(50);
  });

  it(
    'answers 500 naming the request id when recording fails part-way (503 when the database is down), keeping the alerts ' +
      'before; the re-sent batch attaches them and records the rest',
    async () => {
      // A statement failing on the third alert only: what Alertmanager sees, and what its retry does.
      await t.sql(`create function ingest_probe_fail() returns trigger language plpgsql as $$
      begin if new.title = 'Explodes' then raise exception 'probe failure'; end if; return new; end $$`);
      await t.sql(`create trigger ingest_probe_fail before insert on incidents for each row execute function ingest_probe_fail()`);
      const alerts = ['Before one', 'Before two', 'Explodes', 'After'].map((title) => ({
        title,
        fingerprint: `partial-${title}`,
        severity: 'info',
      }));
      try {
        const r = await post({ alerts });
        expect(r.status).toBe(500);
        expect(r.body.error).toBe(
          `Internal server error (request id ${r.body.requestId}). Alert 2 could not be recorded; the 2 ` +
            `before it were. Re-sending the batch is safe: they are matched by identity.`,
        );
        expect(r.body.results.map((x: { action: string }) => x.action)).toEqual(['created', 'created']);
        expect(
          (await t.sql(`select title from incidents where title in ('Before one', 'Before two', 'Explodes', 'After') order by title`)).map(
            (x) => x.title,
          ),
        ).toEqual(['Before one', 'Before two']);
      } finally {
        await t.sql(`drop trigger ingest_probe_fail on incidents`);
        await t.sql(`drop function ingest_probe_fail()`);
      }
      const again = await post({ alerts });
      expect(again.status).toBe(200);
      expect(
        again.body.results.map((x: { action: string; duplicate?: boolean }) => `${x.action}${x.duplicate ? ' (duplicate)' : ''}`),
      ).toEqual(['attached (duplicate)', 'attached (duplicate)', 'created', 'created']);
    },
  );

  it('on the embedded database, a GraphQL read is answered while a large delivery is recorded (waits for one alert, not all)', async () => {
    // PGlite serves one statement at a time: every other connection waits while a transaction is open.
    const app = await startApp({ port: 0, seedDemo: false, exposeSqlCount: false, rateLimitPerMinute: 0 });
    try {
      const auth = new AuthService(app.orm.em.fork());
      const reader = await auth.createUserAccount({ email: 'reader@example.test', name: 'Reader', role: 'VIEWER' });
      const readerToken = (await auth.createToken({ id: reader.id }, 'VIEWER', 'reader')).secret;
      const sourceToken = (await createIngestSource(app.orm.em.fork(), 'Embedded')).token;
      const labels = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`label_${i}`, `value ${i}`]));
      const alerts = Array.from({ length: 40 }, (_, i) => ({
        title: `Embedded ${i}`,
        severity: 'warning',
        fingerprint: `emb-${i}`,
        labels,
      }));
      const read = async () => {
        const t0 = performance.now();
        const res = await fetch(app.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${readerToken}` },
          body: JSON.stringify({ query: '{ incidents(first: 1) { totalCount } }' }),
        });
        expect(res.status).toBe(200);
        return performance.now() - t0;
      };
      await read();
      const started = performance.now();
      let done = false;
      const delivery = fetch(`${app.url}/ingest/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sourceToken}` },
        body: JSON.stringify({ alerts }),
      }).finally(() => {
        done = true;
      });
      const waits: number[] = [];
      while (!done) {
        waits.push(await read());
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await delivery).status).toBe(200);
      const total = performance.now() - started;
      const longest = Math.max(...waits);
      // One transaction for the whole delivery keeps a read waiting about as long as the delivery
      // (measured: 97 %); one per alert, for one alert at a time (10-25 %, on a busy machine too).
      expect(longest, `longest read ${Math.round(longest)} ms during a ${Math.round(total)} ms delivery`).toBeLessThan(total / 2);
      expect(waits.length, `reads during a ${Math.round(total)} ms delivery`).toBeGreaterThanOrEqual(3);
      console.log(
        `embedded: ${alerts.length} alerts in ${Math.round(total)} ms; ${waits.length} reads meanwhile, longest ${Math.round(longest)} ms`,
      );
    } finally {
      await app.close();
    }
  }, 120_000);
});
