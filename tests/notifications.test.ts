import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importFile } from '@ikb/api/src/features/imports/import-file';
import { scanSla } from '@ikb/api/src/features/notifications/notify.sla-scan';
import { verify } from '@ikb/api/src/features/notifications/webhook-signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIncident, mutate } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 25's outbox end to end (decision 0006): incidents changed through the API reach channels
 * an admin set up, by the background job of the running API, at local HTTP receivers that check
 * what real receivers would: the webhook's signature and timestamp, Slack's body shape, the order
 * of one channel's messages, retries after a 500, a refusal that is not retried, and a receiver
 * that never answers slowing no mutation.
 */

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let t: TestApp;
let server: Server;
let base: string;
const received: Received[] = [];
/** Answers per path, used in turn; the last one repeats. "hang" never answers. */
const answers = new Map<string, (number | 'hang')[]>();
const hanging: ServerResponse[] = [];
const SECRET = 'whsec_notify_test_secret';
/** Statements of one stakeholder update before any channel exists. */
let quietStatements: number | undefined;
const UPDATE = `mutation($id: ID!, $i: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $i) { id } }`;

beforeAll(async () => {
  t = await startTestApp();
  const first = await logIncident(t, { impact: 3, urgency: 3 });
  quietStatements = (await t.gql(UPDATE, { id: first.id, i: { message: 'Nobody is told' } })).extensions?.sqlStatements;
  expect(quietStatements).toBeGreaterThan(0);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const list = answers.get(path) ?? [200];
      const answer = list.length > 1 ? list.shift()! : list[0]!;
      if (answer === 'hang') return void hanging.push(res);
      res.writeHead(answer, answer === 429 ? { 'retry-after': '1' } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const r of hanging) r.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await t?.close();
});

async function channel(kind: string, path: string, rule: { events: string[]; priorities?: number[] }, secret: string | null = null) {
  const [ch] = await t.sql<{ id: string }>(`insert into notify.channels (kind, name, url, secret) values ($1, $2, $3, $4) returning id`, [
    kind,
    `${kind} ${path} ${Math.random()}`,
    `${base}${path}`,
    secret,
  ]);
  await t.sql(`insert into notify.rules (channel_id, events, priorities) values ($1, $2, $3)`, [
    ch!.id,
    rule.events,
    rule.priorities ?? [],
  ]);
  return ch!.id;
}
const at = (path: string) => received.filter((r) => r.path === path);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const deliveries = (channelId: string) =>
  t.sql<{ status: string; attempts: number; last_error: string | null }>(
    `select status, attempts, last_error from notify.deliveries where channel_id = $1 order by id`,
    [channelId],
  );

describe('notifications through channels', () => {
  it('sends a signed webhook and a Slack message when a P1 is logged, and nothing for a P3', async () => {
    await channel('WEBHOOK', '/hook', { events: ['INCIDENT_MAJOR', 'STAKEHOLDER_UPDATE'] }, SECRET);
    await channel('SLACK', '/slack', { events: ['INCIDENT_MAJOR'], priorities: [1] });
    const p3 = await logIncident(t, { impact: 2, urgency: 3 });
    const p1 = await logIncident(t, { impact: 1, urgency: 1, title: 'Checkout returns 502 <!channel> & more' });
    expect(p1.priority).toBe(1);

    await poll(() => at('/hook').length).toBe(1);
    const hook = at('/hook')[0]!;
    const check = verify(SECRET, hook.body, hook.headers['x-ikb-signature'] as string, Math.floor(Date.now() / 1000));
    expect(check.ok).toBe(true);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-ikb-event']).toBe('INCIDENT_MAJOR');
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({
      event: 'INCIDENT_MAJOR',
      subject: { type: 'INCIDENT', id: p1.id },
      data: { incidentId: p1.id, priority: 1 },
    });
    expect(body.data.url).toMatch(new RegExp(`/incidents/${p1.number}$`));
    expect(body.id).toBe(hook.headers['x-ikb-delivery']);

    await poll(() => at('/slack').length).toBe(1);
    const slack = JSON.parse(at('/slack')[0]!.body);
    expect(slack.text).toContain(p1.number);
    expect(slack.text).not.toContain('<!channel>');
    expect(slack.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'actions']);
    // The P3 told nobody: no occurrence for it at all.
    expect(await t.sql(`select 1 from notify.occurrences where incident_id = $1`, [p3.id])).toEqual([]);
  }, 60_000);

  it('imports write history, not news: nothing is queued for their incidents, P1 and P2 included', async () => {
    const queued = async () => Number((await t.sql<{ n: string }>(`select count(*) as n from notify.queue`))[0]!.n);
    const occurrences = async () => Number((await t.sql<{ n: string }>(`select count(*) as n from notify.occurrences`))[0]!.n);
    const [before, events] = [await occurrences(), Number((await t.sql<{ n: string }>(`select count(*) as n from incident_events`))[0]!.n)];
    // The fixture's incidents made P1 and P2: what would be announced if logged here.
    const lines = readFileSync(resolve(__dirname, 'fixtures/imports/servicenow-eventlog-mdy.csv'), 'utf8').split('\n');
    const text = [
      lines[0],
      ...lines.slice(1).map((l) => l.replaceAll('2 - Medium,2 - Medium,3 - Moderate', '1 - High,1 - High,1 - Critical')),
    ].join('\n');
    const r = await importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: 'p1-history.csv', text });
    expect(r.created).toBeGreaterThan(0);
    const written = Number((await t.sql<{ n: string }>(`select count(*) as n from incident_events`))[0]!.n) - events;
    expect(written).toBeGreaterThan(r.created);
    const [p1] = await t.sql<{ n: string }>(`select count(*) as n from incidents where priority <= 2 and source = 'IMPORT'`);
    expect(Number(p1!.n)).toBeGreaterThan(0);
    // Nothing queued by the import's statements, so nothing to route or send.
    expect(await queued()).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await occurrences()).toBe(before);
  }, 60_000);

  it('announces an SLA clock passing 75 %, 90 % and its target once each, and nothing older than a day', async () => {
    await channel('MATTERMOST', '/sla', { events: ['SLA_WARNING_75', 'SLA_WARNING_90', 'SLA_BREACHED'] });
    const inc = await logIncident(t, { impact: 2, urgency: 1 });
    const old = await logIncident(t, { impact: 2, urgency: 1 });
    const [clock] = await t.sql<{ state: string }>(`select state from sla_clocks where incident_id = $1 and target = 'RESPONSE'`, [inc.id]);
    expect(clock!.state).toBe('RUNNING');
    const scan = () => scanSla(t.app.orm.em, { publicWebUrl: 'https://ikb.example.com' });
    // This incident's messages (other incidents of the file may cross their own instants meanwhile).
    const mine = () => at('/sla').filter((r) => (JSON.parse(r.body).attachments[0].title as string).includes(inc.number));
    const texts = () => mine().map((r) => JSON.parse(r.body).attachments[0].text as string);
    // Time passes: 75 % of the response target is used (the clock's own instant, moved into the past).
    await t.sql(`update sla_clocks set warn75_at = now() - interval '2 minutes' where incident_id = $1 and target = 'RESPONSE'`, [inc.id]);
    await t.sql(`update sla_clocks set warn75_at = now() - interval '2 days' where incident_id = $1 and target = 'RESPONSE'`, [old.id]);
    await scan();
    await poll(() => texts().length).toBe(1);
    expect(texts()[0]).toMatch(/^Response SLA: 75 % of its target used; due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/);
    expect(JSON.parse(mine()[0]!.body).attachments[0].title).toBe(`P2 ${inc.number} SLA at 75 %: ${inc.title}`);
    if (at('/sla').length > mine().length)
      console.log(
        'other SLA messages:',
        at('/sla').map((r) => JSON.parse(r.body).attachments[0].title),
      );
    // Scanning again tells nobody again.
    await scan();
    await t.sql(
      `update sla_clocks set warn90_at = now() - interval '1 minute', due_at = now() - interval '10 seconds'
                  where incident_id = $1 and target = 'RESPONSE'`,
      [inc.id],
    );
    await scan();
    await poll(() => texts().length).toBe(3);
    expect(texts().slice(1).sort()).toEqual(
      [expect.stringMatching(/^Response SLA: 90 % of its target used/), expect.stringMatching(/^Response SLA: target passed/)].sort(),
    );
    await scan();
    await new Promise((r) => setTimeout(r, 1500));
    expect(texts()).toHaveLength(3);
    const [oldOnes] = await t.sql<{ n: string }>(
      `select count(*) as n from notify.occurrences where incident_id = $1 and event like 'SLA%'`,
      [old.id],
    );
    expect(Number(oldOnes!.n)).toBe(0);
  }, 60_000);

  it('keeps one channel in order, retries after a 500, and gives up at once on a 410', async () => {
    const flaky = await channel('WEBHOOK', '/flaky', { events: ['STAKEHOLDER_UPDATE'] });
    const gone = await channel('MATTERMOST', '/gone', { events: ['STAKEHOLDER_UPDATE'] });
    answers.set('/flaky', [500, 200]);
    answers.set('/gone', [410]);
    const inc = await logIncident(t, { impact: 2, urgency: 2 });
    for (const message of ['First update', 'Second update', 'Third update'])
      await mutate(t, `mutation($id: ID!, $i: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $i) { id } }`, {
        id: inc.id,
        i: { message },
      });
    await poll(async () => (await deliveries(gone)).map((d) => d.status)).toEqual(['DEAD', 'DEAD', 'DEAD']);
    expect((await deliveries(gone))[0]!.last_error).toBe(
      'the receiver answered 410; not retried (only 408, 425, 429, 5xx and no answer are)',
    );
    expect((await deliveries(gone)).every((d) => d.attempts === 1)).toBe(true);

    // The first try met the 500 and waits (15 s or more); make it due now, as time would.
    await poll(async () => (await deliveries(flaky))[0]).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      last_error: 'the receiver answered 500',
    });
    await t.sql(`update notify.deliveries set next_at = now() where channel_id = $1 and status = 'PENDING'`, [flaky]);
    await poll(async () => (await deliveries(flaky)).map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
    const texts = at('/flaky').map((r) => JSON.parse(r.body).data.text);
    // The first message twice (500, then 200), each in order after it.
    expect(texts.filter((x, i) => texts.indexOf(x) === i)).toEqual(['First update', 'Second update', 'Third update']);
    const log = await t.sql<{ status: number }>(
      `select a.status from notify.attempts a join notify.deliveries d on d.id = a.delivery_id where d.channel_id = $1 order by a.id`,
      [flaky],
    );
    expect(log.map((a) => a.status)).toEqual([500, 200, 200, 200].slice(0, log.length));
  }, 60_000);

  it('a receiver that never answers slows no mutation and holds up no other channel', async () => {
    const hang = await channel('TEAMS', '/hang', { events: ['INCIDENT_MAJOR', 'STAKEHOLDER_UPDATE'] });
    answers.set('/hang', ['hang']);
    const hooks = at('/hook').length;
    const r = await t.gql<{ logIncident: { id: string } }>(`mutation($i: LogIncidentInput!) { logIncident(input: $i) { id } }`, {
      i: { title: 'Region down', description: 'Everything fails', source: 'USER_REPORT', impact: 1, urgency: 1 },
    });
    expect(r.errors).toBeUndefined();
    // The Teams receiver now holds a request open (it would for 10 s, the send's timeout).
    await poll(() => at('/hang').length).toBeGreaterThan(0);
    const update = await t.gql(UPDATE, { id: r.data!.logIncident.id, i: { message: 'Failing over' } });
    expect(update.errors).toBeUndefined();
    // Both mutations answered while the send to Teams is still open (no attempt recorded: it ends
    // only at its 10 s timeout), so neither waited for it. Judged by state, not by a clock.
    expect(await t.sql(`select 1 from notify.attempts where channel_id = $1`, [hang])).toEqual([]);
    // The same statements as before any channel existed: the outbox is filled by a trigger.
    expect(update.extensions?.sqlStatements).toBe(quietStatements);
    // The webhook channel hears of the P1 and of the update while Teams still hangs.
    await poll(() => at('/hook').length).toBe(hooks + 2);
    expect(
      at('/hook')
        .map((h) => JSON.parse(h.body).data.text)
        .at(-1),
    ).toBe('Failing over');
    expect(hanging.length).toBeGreaterThan(0);
  }, 60_000);
});

const CREATE = `mutation($i: CreateNotificationChannelInput!) {
  createNotificationChannel(input: $i) {
    secret channel { id kind name urlHint signed perMinute enabled pending dead rules { events priorities majorOnly } }
  }
}`;
const CHANNELS = `{ notificationChannels { id name urlHint pending dead lastDeliveredAt createdAt rules { events } } }`;
const LOG = `query($c: ID, $s: NotificationDeliveryStatus, $after: ID) {
  notificationDeliveries(channelId: $c, status: $s, first: 2, after: $after) {
    id event title status attempts lastError nextAt deliveredAt createdAt tries { at status error durationMs }
  }
}`;
type Created = { createNotificationChannel: { secret: string | null; channel: { id: string; urlHint: string; signed: boolean } } };

describe('notification channels through the API (admins)', () => {
  it('creates a webhook with a generated secret shown once, hides chat URLs, and refuses bad input at its field', async () => {
    const hook = await t.gql<Created>(CREATE, {
      i: { kind: 'WEBHOOK', name: 'Ops receiver', url: `${base}/api-hook`, rules: [{ events: ['INCIDENT_MAJOR'], priorities: [1, 2] }] },
    });
    expect(hook.errors).toBeUndefined();
    const { secret, channel } = hook.data!.createNotificationChannel;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(channel).toMatchObject({ signed: true, urlHint: `${base}/api-hook/…` });
    const slack = await t.gql<Created>(CREATE, {
      i: {
        kind: 'SLACK',
        name: 'Major incidents',
        url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET',
        rules: [{ events: ['INCIDENT_MAJOR'] }],
      },
    });
    expect(slack.data!.createNotificationChannel).toMatchObject({
      secret: null,
      channel: { urlHint: 'https://hooks.slack.com/services/…', signed: false },
    });
    // The secret is never read back.
    expect(JSON.stringify((await t.gql(CHANNELS)).data)).not.toContain('XXXXSECRET');

    const refused = async (i: Record<string, unknown>, field: string, code = 'BAD_USER_INPUT') => {
      const r = await t.gql(CREATE, { i: { kind: 'WEBHOOK', name: `n ${Math.random()}`, url: `${base}/x`, rules: [], ...i } });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
      expect(r.errors?.[0]?.extensions?.field ?? JSON.stringify(r.errors?.[0]?.extensions?.fields)).toContain(field);
      return r.errors![0]!.message;
    };
    expect(await refused({ url: 'ftp://example.com/x' }, 'url')).toBe('URL must be an http(s) address, not ftp');
    expect(await refused({ url: 'not a url' }, 'url')).toMatch(/whole http\(s\) address/);
    expect(await refused({ url: 'https://user:pw@example.com/x' }, 'url')).toMatch(/user name or password/);
    // The test app reaches loopback only (OUTBOUND_ALLOW_PRIVATE); other private ranges and cloud metadata stay refused.
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:a00:5]/',
    ])
      expect(await refused({ url }, 'url')).toMatch(/cannot be reached by the server: .* is a private or special-purpose address/);
    expect(await refused({ rules: [{ events: ['ASSIGNED_TO_YOU', 'SLA_BREACHED'] }] }, 'rules[0].events')).toBe(
      'Events: Assigned to you is sent to the person concerned, not to a channel',
    );
    expect(
      await refused(
        { rules: [{ events: ['SLA_BREACHED'], serviceIds: ['7d1c1d7e-0000-4000-8000-000000000000'] }] },
        'rules[0].serviceIds',
        'NOT_FOUND',
      ),
    ).toMatch(/no such service/);
    expect(await refused({ kind: 'TEAMS', secret: 'a-secret-of-sixteen+' }, 'secret')).toMatch(/webhooks only/);
    expect(await refused({ name: 'Ops receiver' }, 'name', 'CONFLICT')).toMatch(/already exists/);
    expect(await refused({ perMinute: 0 }, 'perMinute')).toBeTruthy();
    expect(await refused({ rules: [{ events: [] }] }, 'events')).toBeTruthy();
  }, 60_000);

  it('is for admins only', async () => {
    for (const role of ['PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as const) {
      const { token } = await t.tokenForRole(role);
      const headers = { authorization: `Bearer ${token}` };
      expect((await t.gql(CHANNELS, {}, headers)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gql(LOG, {}, headers)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const r = await t.gql(CREATE, { i: { kind: 'SLACK', name: 'x', url: 'https://example.com/x', rules: [] } }, headers);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The catalogue is for everyone signed in (subscription forms).
      expect(
        (await t.gql<{ notificationEvents: unknown[] }>(`{ notificationEvents { event label personal } }`, {}, headers)).data!
          .notificationEvents,
      ).toHaveLength(18);
    }
  }, 60_000);

  it('shows the delivery log with every try, replays dead deliveries, and sends a test message', async () => {
    answers.set('/replay', [503, 503, 404]);
    const created = await t.gql<Created>(CREATE, {
      i: { kind: 'WEBHOOK', name: 'Replay receiver', url: `${base}/replay`, rules: [{ events: ['STAKEHOLDER_UPDATE'] }] },
    });
    const id = created.data!.createNotificationChannel.channel.id;
    const inc = await logIncident(t, { impact: 3, urgency: 3 });
    await t.gql(UPDATE, { id: inc.id, i: { message: 'Replay me' } });
    // 503 twice (made due at once each time), then a 404: dead after three tries.
    for (let i = 0; i < 2; i++) {
      // Once the try is recorded (the claim's lease replaced by the retry time), make the retry due now.
      await poll(async () => (await t.sql(`select 1 from notify.attempts where channel_id = $1`, [id])).length).toBe(i + 1);
      await t.sql(`update notify.deliveries set next_at = now() where channel_id = $1`, [id]);
    }
    await poll(async () => (await deliveries(id))[0]?.status).toBe('DEAD');
    const log = await t.gql<{ notificationDeliveries: { id: string; status: string; tries: { status: number }[]; lastError: string }[] }>(
      LOG,
      { c: id },
    );
    const d = log.data!.notificationDeliveries[0]!;
    expect(d).toMatchObject({
      status: 'DEAD',
      lastError: 'the receiver answered 404; not retried (only 408, 425, 429, 5xx and no answer are)',
    });
    expect(d.tries.map((x) => x.status)).toEqual([503, 503, 404]);
    expect(
      (await t.gql<{ notificationChannels: { id: string; dead: number }[] }>(CHANNELS)).data!.notificationChannels.find((c) => c.id === id),
    ).toMatchObject({ dead: 1 });

    answers.set('/replay', [200]);
    const replayed = await t.gql<{ replayNotificationDeliveries: number }>(
      `mutation($c: ID!) { replayNotificationDeliveries(channelId: $c) }`,
      { c: id },
    );
    expect(replayed.data!.replayNotificationDeliveries).toBe(1);
    await poll(async () => (await deliveries(id))[0]?.status).toBe('DELIVERED');
    expect(JSON.parse(at('/replay').at(-1)!.body).data.text).toBe('Replay me');

    const test = await t.gql<{ sendTestNotification: { delivered: boolean; status: number } }>(
      `mutation($id: ID!) { sendTestNotification(id: $id) { delivered status error } }`,
      { id },
    );
    expect(test.data!.sendTestNotification).toMatchObject({ delivered: true, status: 200 });
    answers.set('/replay', [401]);
    const failing = await t.gql<{ sendTestNotification: { delivered: boolean; error: string } }>(
      `mutation($id: ID!) { sendTestNotification(id: $id) { delivered status error } }`,
      { id },
    );
    expect(failing.data!.sendTestNotification).toMatchObject({ delivered: false, error: 'the receiver answered 401' });
  }, 60_000);

  it('reads channels and the log in a fixed number of statements, however many there are', async () => {
    const before = await t.gql(CHANNELS);
    for (let i = 0; i < 3; i++)
      await t.gql(CREATE, {
        i: {
          kind: 'MATTERMOST',
          name: `More ${i}`,
          url: `${base}/more`,
          rules: [{ events: ['INCIDENT_RESOLVED'] }, { events: ['INCIDENT_REOPENED'] }],
        },
      });
    const after = await t.gql(CHANNELS);
    expect(after.extensions?.sqlStatements).toBe(before.extensions?.sqlStatements);
    const page1 = await t.gql<{ notificationDeliveries: { id: string }[] }>(LOG, {});
    expect(page1.data!.notificationDeliveries).toHaveLength(2);
    const page2 = await t.gql<{ notificationDeliveries: { id: string }[] }>(LOG, { after: page1.data!.notificationDeliveries[1]!.id });
    expect(Number(page2.data!.notificationDeliveries[0]!.id)).toBeLessThan(Number(page1.data!.notificationDeliveries[1]!.id));
    expect(page2.extensions?.sqlStatements).toBe(page1.extensions?.sqlStatements);
    const bad = await t.gql(`{ notificationDeliveries(after: "x'; drop table", first: 500) { id } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 60_000);
});
