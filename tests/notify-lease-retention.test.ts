import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimDue, sendAll } from '@ikb/api/src/features/notifications/notify.sender';
import { sweepNotifications } from '@ikb/api/src/features/notifications/notify.retention';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Two things of decision 0006 that need no clock of the running job (it is off here): a channel
 * is sent for by one claimer at a time across instances (its lease), so its order holds; and the
 * retention sweep deletes settled history older than the setting, never what is still to send.
 */
let t: TestApp;
let server: Server;
let url: string;
const got: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ notify: { intervalMs: 0 } });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push(JSON.parse(body).data.title);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await t?.close();
});

async function channel(): Promise<string> {
  const [c] = await t.sql<{ id: string }>(`insert into notify.channels (kind, name, url) values ('WEBHOOK', $1, $2) returning id`, [
    `lease ${Math.random()}`,
    url,
  ]);
  return c!.id;
}

/** Occurrences made `ageDays` ago with one delivery each to the channel, in this order. */
async function queue(channelId: string, titles: string[], opts: { ageDays?: number; status?: string } = {}) {
  for (const title of titles)
    await t.sql(
      `with o as (insert into notify.occurrences (event, dedup_key, occurred_at, facts, message, created_at)
                  values ('STAKEHOLDER_UPDATE', $1, now(), '{}', $2, now() - make_interval(days => $3)) returning id)
       insert into notify.deliveries (occurrence_id, channel_id, status) select id, $4, $5 from o`,
      [
        `k:${Math.random()}`,
        JSON.stringify({ title, text: '', url: 'https://x', linkLabel: 'x', facts: [], tone: 'neutral' }),
        opts.ageDays ?? 0,
        channelId,
        opts.status ?? 'PENDING',
      ],
    );
}

const src = () => t.app.orm.em;

describe('one sender per channel across instances', () => {
  it('a second claimer gets none of a channel being sent for, until the first is done', async () => {
    const ch = await channel();
    await queue(ch, ['one', 'two', 'three']);
    const a = await claimDue(src());
    const b = await claimDue(src());
    expect(a.filter((d) => d.channel_id === ch).map((d) => d.message.title)).toEqual(['one', 'two', 'three']);
    expect(b.filter((d) => d.channel_id === ch)).toEqual([]);
    await queue(ch, ['four']);
    // Still held while A sends: "four" waits for A's channel to be free, so it cannot overtake.
    expect((await claimDue(src())).filter((d) => d.channel_id === ch)).toEqual([]);
    await sendAll(
      src(),
      a.filter((d) => d.channel_id === ch),
    );
    expect(got.slice(-3)).toEqual(['one', 'two', 'three']);
    const [free] = await t.sql<{ sending_until: Date | null }>(`select sending_until from notify.channels where id = $1`, [ch]);
    expect(free!.sending_until).toBeNull();
    expect((await claimDue(src())).filter((d) => d.channel_id === ch).map((d) => d.message.title)).toEqual(['four']);
  });

  it('a claimer that died holds its channel only until its lease runs out', async () => {
    const ch = await channel();
    await queue(ch, ['five']);
    expect((await claimDue(src(), { leaseS: 60 })).filter((d) => d.channel_id === ch)).toHaveLength(1);
    expect((await claimDue(src())).filter((d) => d.channel_id === ch)).toHaveLength(0);
    // The minute passes.
    await t.sql(`update notify.channels set sending_until = now() - interval '1 second' where id = $1`, [ch]);
    await t.sql(`update notify.deliveries set next_at = now() - interval '1 second' where channel_id = $1`, [ch]);
    expect((await claimDue(src())).filter((d) => d.channel_id === ch).map((d) => d.attempts)).toEqual([2]);
  });
});

describe('retention', () => {
  it('deletes settled history older than the setting, keeps what is pending or recent', async () => {
    const ch = await channel();
    await queue(ch, ['old delivered'], { ageDays: 100, status: 'DELIVERED' });
    await queue(ch, ['old dead'], { ageDays: 100, status: 'DEAD' });
    await queue(ch, ['old pending'], { ageDays: 100 });
    await queue(ch, ['recent delivered'], { ageDays: 10, status: 'DELIVERED' });
    await t.sql(
      `insert into notify.mails (purpose, to_address, subject, text_body, status, created_at) values
         ('TEST', 'a@example.test', 'old sent', 'x', 'DELIVERED', now() - interval '100 days'),
         ('TEST', 'a@example.test', 'old unsent', 'x', 'PENDING', now() - interval '100 days'),
         ('TEST', 'a@example.test', 'recent sent', 'x', 'DELIVERED', now() - interval '10 days')`,
    );
    const swept = await sweepNotifications(src(), 90);
    expect(swept).toMatchObject({ occurrences: 2, mails: 1 });
    const left = await t.sql<{ title: string }>(
      `select o.message->>'title' as title from notify.occurrences o join notify.deliveries d on d.occurrence_id = o.id
        where d.channel_id = $1 order by o.id`,
      [ch],
    );
    expect(left.map((r) => r.title)).toEqual(['old pending', 'recent delivered']);
    const mails = await t.sql<{ subject: string }>(`select subject from notify.mails where subject like '%sent' order by id`);
    expect(mails.map((m) => m.subject)).toEqual(['old unsent', 'recent sent']);
  });
});
