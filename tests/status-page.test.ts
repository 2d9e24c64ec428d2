import { dailyUptime, utcDays } from '@ikb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, logIncident, mutate } from './support/factories';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from './support/smtp-inbox';
import { startTestApp, type TestApp } from './support/test-app';
import { uniq, uniqSlug } from './support/uniq';

/**
 * The public status page (issue 25): GET /status.json built only from public services and public
 * updates, its state rule and uptime, caching; e-mail subscriptions with double opt-in against a
 * real SMTP server, fanned out by the background job.
 */
let t: TestApp;
let smtp: SmtpInbox;

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url, publicWebUrl: 'http://web.example.test' } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const UPDATE = `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`;
const SET_PUBLIC = `mutation($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id public } }`;

interface StatusDoc {
  state: string;
  services: {
    id: string;
    name: string;
    state: string;
    uptime: number;
    days: { date: string; uptime: number; downMinutes: number; state: string }[];
  }[];
  active: { title: string; state: string; services: { id: string }[]; updates: { body: string }[] }[];
  recent: { title: string }[];
}

const status = async (headers: Record<string, string> = {}) => fetch(`${t.app.url}/status.json`, { headers });
const doc = async () => (await (await status()).json()) as StatusDoc;
const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${t.app.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
const linkIn = (m: ReceivedMail, path: string) => {
  const found = new RegExp(`http://web\\.example\\.test${path.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_.-]+)`).exec(m.parsed.text ?? '');
  if (!found) throw new Error(`no ${path} link in: ${m.parsed.text}`);
  return found[1]!;
};
const mailsTo = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));

async function publicService(name = uniq('Checkout')) {
  const s = await createService(t, { name });
  await mutate(t, SET_PUBLIC, { id: s.id, input: { public: true } });
  return s;
}

describe('status page', () => {
  it('shows public services and what public updates say, never the incident itself', async () => {
    const shop = await publicService();
    const hidden = await createService(t, { name: uniq('Internal ledger') });
    const secretTitle = uniq('Database primary ran out of disk on db-7');
    const inc = await logIncident(t, {
      title: secretTitle,
      description: 'SECRET-DESCRIPTION root password rotated',
      serviceId: shop.id,
      impact: 1,
      urgency: 1,
    });
    await mutate(t, `mutation($id: ID!, $input: WorkNoteInput!) { addWorkNote(id: $id, input: $input) { id } }`, {
      id: inc.id,
      input: { note: 'SECRET-WORK-NOTE failover to db-8' },
    });
    // An internal-only update on the same incident: never on the page.
    await mutate(t, UPDATE, { id: inc.id, input: { message: 'SECRET-INTERNAL-UPDATE execs told' } });
    await mutate(t, UPDATE, {
      id: inc.id,
      input: { message: 'Payments are failing for some customers.', statusPage: true, publicState: 'INVESTIGATING' },
    });
    const hiddenInc = await logIncident(t, { serviceId: hidden.id, impact: 1, urgency: 1 });
    await mutate(t, UPDATE, {
      id: hiddenInc.id,
      input: { message: 'Ledger public words', statusPage: true, publicState: 'IDENTIFIED', publicTitle: 'Ledger slow' },
    });

    const res = await status();
    const text = await res.text();
    for (const secret of [
      secretTitle,
      'SECRET-DESCRIPTION',
      'SECRET-WORK-NOTE',
      'SECRET-INTERNAL-UPDATE',
      inc.number,
      inc.id,
      hidden.id,
      'Internal ledger',
    ])
      expect(text).not.toContain(secret);
    const d = JSON.parse(text) as StatusDoc;
    expect(d.services.map((s) => s.id)).toContain(shop.id);
    expect(d.services.map((s) => s.id)).not.toContain(hidden.id);
    const shown = d.active.find((a) => a.updates[0]!.body === 'Payments are failing for some customers.')!;
    expect(shown).toMatchObject({ title: 'Service disruption', state: 'INVESTIGATING', services: [{ id: shop.id }] });
    // The ledger's update was published: its words show, its service does not.
    expect(d.active.find((a) => a.title === 'Ledger slow')!.services).toEqual([]);
    expect(d.services.find((s) => s.id === shop.id)!.state).toBe('MAJOR_OUTAGE');
    // Resolved on the page by a public update.
    await mutate(t, UPDATE, {
      id: inc.id,
      input: { message: 'Fixed.', statusPage: true, publicState: 'RESOLVED', notifySubscribers: false },
    });
    const after = await doc();
    expect(after.services.find((s) => s.id === shop.id)!.state).toBe('OPERATIONAL');
    expect(after.recent.map((r) => r.title)).toContain('Service disruption');
  });

  it('a service takes the worst open published incident: P1 major, P2 partial, P3 degraded; unpublished ones do not count', async () => {
    const svc = await publicService();
    const stateOf = async () => (await doc()).services.find((s) => s.id === svc.id)!.state;
    await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 1 }); // no public update: not on the page
    expect(await stateOf()).toBe('OPERATIONAL');
    const p3 = await logIncident(t, { serviceId: svc.id, impact: 2, urgency: 2 });
    expect(p3.priority).toBe(3);
    await mutate(t, UPDATE, { id: p3.id, input: { message: 'Slow pages', statusPage: true, publicState: 'INVESTIGATING' } });
    expect(await stateOf()).toBe('DEGRADED_PERFORMANCE');
    const p2 = await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 2 });
    expect(p2.priority).toBe(2);
    await mutate(t, UPDATE, { id: p2.id, input: { message: 'Some logins fail', statusPage: true, publicState: 'IDENTIFIED' } });
    expect(await stateOf()).toBe('PARTIAL_OUTAGE');
    await mutate(t, UPDATE, { id: p2.id, input: { message: 'Logins work', statusPage: true, publicState: 'RESOLVED' } });
    expect(await stateOf()).toBe('DEGRADED_PERFORMANCE');
  });

  it('uptime per day is the union of published P1/P2 intervals, as a brute-force count says', async () => {
    const svc = await publicService();
    const now = Math.floor(Date.now() / 60_000) * 60_000; // minute-aligned spans: the brute force is exact
    const H = 3_600_000;
    // Two overlapping outages and one degraded period, placed in the past through the table itself.
    const a = await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 1 });
    const b = await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 2 });
    const c = await logIncident(t, { serviceId: svc.id, impact: 2, urgency: 2 });
    for (const [inc, st] of [
      [a, 'RESOLVED'],
      [b, 'RESOLVED'],
      [c, 'RESOLVED'],
    ] as const)
      await mutate(t, UPDATE, { id: inc.id, input: { message: 'x', statusPage: true, publicState: st, notifySubscribers: false } });
    const spans = [
      [a.id, now - 50 * H, now - 47 * H],
      [b.id, now - 48 * H, now - 45 * H],
      [c.id, now - 30 * H, now - 20 * H],
    ] as const;
    for (const [id, s, e] of spans)
      await t.sql(
        `update status_updates set started_at = to_timestamp($2::float8 / 1000), posted_at = to_timestamp($3::float8 / 1000)
          where incident_id = $1`,
        [id, s, e],
      );
    const d = await doc();
    const got = d.services.find((s) => s.id === svc.id)!;
    const minute = Math.ceil(Date.now() / 60_000) * 60_000; // the page counts to the end of the current minute
    // Brute force: each minute of each day that has passed, down when an outage (a or b) covers it.
    const days = utcDays(minute, 90);
    const outages = spans.slice(0, 2);
    for (const [n, day] of days.entries()) {
      let down = 0;
      let elapsed = 0;
      for (let m = day.start; m + 60_000 <= Math.min(day.end, minute); m += 60_000) {
        elapsed++;
        if (outages.some(([, s, e]) => s <= m && m + 60_000 <= e)) down++;
      }
      const shown = got.days[n]!;
      expect(shown.downMinutes).toBe(down);
      expect(shown.uptime).toBeCloseTo(elapsed ? 1 - down / elapsed : 1, 9);
    }
    expect(got.days.reduce((s, x) => s + x.downMinutes, 0)).toBe(300);
    expect(got.days.some((x) => x.state === 'DEGRADED_PERFORMANCE')).toBe(true);
    const want = dailyUptime(
      outages.map(([, s, e]) => ({ start: s, end: e })),
      days,
      minute,
    );
    const total = want.reduce((s, x) => s + x.elapsedMs, 0);
    expect(got.uptime).toBeCloseTo(1 - (5 * H) / total, 6);
  });

  it('is cacheable: Cache-Control, ETag and 304', async () => {
    const res = await status();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=30, s-maxage=30');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await status({ 'if-none-match': etag });
    // Within the same minute the document is the same.
    if (again.status === 200) expect(again.headers.get('etag')).not.toBe(etag);
    else {
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('cache-control')).toBe('public, max-age=30, s-maxage=30');
    }
    expect((await fetch(`${t.app.url}/status.json`, { method: 'DELETE' })).status).toBe(405);
  });

  it('subscribe, confirm, get an update with an unsubscribe link, unsubscribe, get no more', async () => {
    const svc = await publicService();
    const addr = `${uniqSlug('reader').toLowerCase()}@example.test`;
    const first = await post('/status/subscribe', JSON.stringify({ email: addr, serviceIds: [svc.id] }));
    expect(first.status).toBe(202);
    const answer = await first.json();
    await expect.poll(() => mailsTo(addr).length, { timeout: 10_000 }).toBe(1);
    const confirmMail = mailsTo(addr)[0]!;
    expect(confirmMail.parsed.subject).toBe('Confirm your status page subscription');
    expect(confirmMail.raw).toMatch(/^List-Unsubscribe:\s*<http:\/\/web\.example\.test\/status\/unsubscribe\?token=/m);
    const token = linkIn(confirmMail, '/status/confirm');

    // Before confirming, a posted update mails nobody at this address.
    const inc = await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 1 });
    await mutate(t, UPDATE, { id: inc.id, input: { message: 'Early words', statusPage: true, publicState: 'INVESTIGATING' } });
    await expect
      .poll(() => t.sql(`select 1 from status_updates where incident_id = $1 and fanout_pending`, [inc.id]), { timeout: 10_000 })
      .toEqual([]);
    expect(mailsTo(addr)).toHaveLength(1);

    const confirmed = await fetch(`${t.app.url}/status/confirm?token=${token}`);
    expect(confirmed.status).toBe(200);
    // The same answer (and no second mail) when the address asks again once subscribed.
    const again = await post('/status/subscribe', `email=${encodeURIComponent(addr.toUpperCase())}`, 'application/x-www-form-urlencoded');
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(answer);

    await mutate(t, UPDATE, {
      id: inc.id,
      input: { message: 'We found the cause <b>bold</b>.', statusPage: true, publicState: 'IDENTIFIED', publicTitle: 'Card payments fail' },
    });
    await expect.poll(() => mailsTo(addr).length, { timeout: 10_000 }).toBe(2);
    const update = mailsTo(addr)[1]!;
    expect(update.parsed.subject).toBe('[Identified] Card payments fail');
    expect(update.parsed.text).toContain('We found the cause <b>bold</b>.');
    expect(update.parsed.html).toContain('We found the cause &lt;b&gt;bold&lt;/b&gt;.');
    expect(update.raw).toMatch(/^List-Unsubscribe:\s*<http:\/\/web\.example\.test\/status\/unsubscribe\?token=/m);
    const unsub = linkIn(update, '/status/unsubscribe');
    expect(update.parsed.text).not.toContain(inc.title);

    const gone = await fetch(`${t.app.url}/status/unsubscribe?token=${unsub}`, { method: 'POST' });
    expect(gone.status).toBe(200);
    expect((await fetch(`${t.app.url}/status/unsubscribe?token=${unsub}`)).status).toBe(200); // idempotent
    await mutate(t, UPDATE, { id: inc.id, input: { message: 'Monitoring now', statusPage: true, publicState: 'MONITORING' } });
    await expect
      .poll(() => t.sql(`select 1 from status_updates where incident_id = $1 and fanout_pending`, [inc.id]), { timeout: 10_000 })
      .toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(addr)).toHaveLength(2);
    // The confirmation link of a removed subscriber no longer works.
    expect((await fetch(`${t.app.url}/status/confirm?token=${token}`)).status).toBe(410);
  });

  it('refuses forged, damaged, wrong-kind and expired links with a 4xx naming the token', async () => {
    const addr = `${uniqSlug('forger').toLowerCase()}@example.test`;
    await post('/status/subscribe', JSON.stringify({ email: addr }));
    await expect.poll(() => mailsTo(addr).length, { timeout: 10_000 }).toBe(1);
    const token = linkIn(mailsTo(addr)[0]!, '/status/confirm');
    const unsub = linkIn(mailsTo(addr)[0]!, '/status/unsubscribe');
    const [payload, mac] = token.split('.') as [string, string];
    const forgedMac = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherId = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/\.[0-9a-f-]{36}\./, '.00000000-0000-4000-8000-000000000000.'),
    ).toString('base64url');
    const expiredPayload = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/\.\d+$/, '.1000'),
    ).toString('base64url');
    for (const [bad, code] of [
      [forgedMac, 400],
      [`${otherId}.${mac}`, 400],
      [`${expiredPayload}.${mac}`, 400], // changing the expiry breaks the signature
      ['', 400],
      ['not-a-token', 400],
      ['x'.repeat(5000), 400],
      [unsub, 400], // an unsubscribe link does not confirm
    ] as const) {
      const res = await fetch(`${t.app.url}/status/confirm?token=${encodeURIComponent(bad)}`);
      expect(res.status, bad.slice(0, 40)).toBe(code);
      expect(await res.json()).toMatchObject({ field: 'token' });
    }
    // A genuinely signed link past its 48 hours.
    const { signToken, linkSecret } = await import('@ikb/api/src/features/status-page/status-tokens');
    const [sub] = await t.sql<{ id: string }>(`select id from status_subscribers where email = $1`, [addr]);
    const old = signToken(await linkSecret(t.app.orm.em), 'confirm', sub!.id, Date.now() - 49 * 3_600_000);
    const expired = await fetch(`${t.app.url}/status/confirm?token=${old}`);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ field: 'token', error: expect.stringMatching(/expired/) });
    expect((await t.sql(`select confirmed_at from status_subscribers where id = $1`, [sub!.id]))[0]).toEqual({ confirmed_at: null });
  });

  it('answers hostile subscription requests with a 4xx naming the field', async () => {
    const cases: [string, string, number, string][] = [
      ['{"email":', 'application/json', 400, 'body'],
      ['[1,2]', 'application/json', 400, 'body'],
      ['{"email":"a@b.example","serviceIds":"x"}', 'application/json', 400, 'serviceIds'],
      ['{"email":"no-at-sign"}', 'application/json', 400, 'email'],
      [JSON.stringify({ email: 'a@b.example\r\nBcc: evil@example.test' }), 'application/json', 400, 'email'],
      [
        JSON.stringify({ email: 'a@b.example', serviceIds: ['00000000-0000-4000-8000-000000000000'] }),
        'application/json',
        400,
        'serviceIds',
      ],
      [JSON.stringify({ email: { $ne: 1 } }), 'application/json', 400, 'email'],
      [`email=${'a'.repeat(300)}@example.test`, 'application/x-www-form-urlencoded', 400, 'email'],
      ['email=a@b.example', 'text/plain', 415, 'body'],
      [JSON.stringify({ email: 'a@b.example', pad: 'x'.repeat(10_000) }), 'application/json', 413, 'body'],
    ];
    for (const [body, type, code, field] of cases) {
      const res = await post('/status/subscribe', body, type);
      expect(res.status, body.slice(0, 60)).toBe(code);
      expect(await res.json()).toMatchObject({ field });
    }
    expect((await fetch(`${t.app.url}/status/subscribe`)).status).toBe(405);
  });

  it('posting an update costs the same statements with no subscribers as with 1,000 (the fan-out is background)', async () => {
    const svc = await publicService();
    const inc = await logIncident(t, { serviceId: svc.id, impact: 1, urgency: 1 });
    const input = { message: 'Counting', statusPage: true, publicState: 'INVESTIGATING' };
    await t.sql(`delete from status_subscribers`);
    const quiet = (await t.gql(UPDATE, { id: inc.id, input })).extensions?.sqlStatements;
    await t.sql(
      `insert into status_subscribers (email, confirmed_at) select 'bulk' || n || '@example.test', now() from generate_series(1, 1000) n`,
    );
    const busy = (await t.gql(UPDATE, { id: inc.id, input })).extensions?.sqlStatements;
    const [last] = await t.sql<{ id: string }>(`select max(id)::text id from status_updates where incident_id = $1`, [inc.id]);
    expect(quiet).toBeGreaterThan(0);
    expect(busy).toBe(quiet);
    // The job mails them all, once each.
    await expect
      .poll(
        async () => Number((await t.sql<{ n: string }>(`select count(*) n from status_sends where update_id = $1`, [last!.id]))[0]!.n),
        { timeout: 30_000 },
      )
      .toBe(1000);
    const dup = await t.sql(
      `select to_address from notify.mails where purpose = 'STATUS_UPDATE' and to_address like 'bulk%'
        group by to_address, ref having count(*) > 1`,
    );
    expect(dup).toEqual([]);
  }, 60_000);

  it('says in the timeline who was told, and derives no notification when subscribers are not told', async () => {
    const inc = await logIncident(t, { impact: 3, urgency: 3 });
    await mutate(t, UPDATE, {
      id: inc.id,
      input: { message: 'Quiet words', statusPage: true, publicState: 'MONITORING', notifySubscribers: false },
    });
    const [ev] = await t.sql<{ summary: string; data: Record<string, unknown> }>(
      `select summary, data from incident_events where incident_id = $1 and kind = 'STAKEHOLDER_UPDATE'`,
      [inc.id],
    );
    expect(ev!.data).toMatchObject({ notify: false, statusPage: { state: 'MONITORING', title: null } });
    expect(ev!.summary).toMatch(/status page \(monitoring\).*subscribers not told/);
    const refused = await t.gql(UPDATE, { id: inc.id, input: { message: 'x', statusPage: true } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ field: 'publicState' });
  });
});
