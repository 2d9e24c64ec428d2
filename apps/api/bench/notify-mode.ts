/**
 * `pnpm bench:load --notify`: the same load with notifications on (issue 25). Before the load two
 * channels hear of every event a channel may: a signed webhook to a receiver in this process
 * (answers 200 at once) and a Slack-style channel to a closed port (every send fails, so it retries
 * in the background throughout). And people: SUBSCRIBERS users each subscribe to every event a
 * person may, with mail to an SMTP sink in this process (the API is started with SMTP_URL pointing
 * at it). After the load: what was delivered, what waits, how many requests the receiver took and
 * how many mails arrived. Run without --notify for the figures to compare.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_EVENTS, EVENT_DEFINITIONS } from '@ikb/domain';
import { lightGql } from './bench-db';

/** The benchmark's own GraphQL client (bench-db.ts), failing on any error. */
async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const body = await lightGql(`${url}/graphql`, token)(query, variables);
  if (body.errors?.length) throw new Error(`--notify: ${body.errors[0]!.message}`);
  return body.data;
}

const SUBSCRIBERS = 20;

/** SUBSCRIBERS viewers, each with a token, subscribed to every event about incidents. */
async function subscribers(url: string, adminToken: string, events: string[]): Promise<void> {
  const stamp = Date.now().toString(36);
  for (let n = 0; n < SUBSCRIBERS; n++) {
    const made = await gql(url, adminToken, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
      i: { email: `bench-subscriber-${stamp}-${n}@example.test`, name: `Bench subscriber ${n}`, role: 'VIEWER' },
    });
    const userId = (made.createUser as { id: string }).id;
    const tok = await gql(url, adminToken, `mutation($u: ID!) { createApiToken(userId: $u, role: VIEWER, name: "bench") { secret } }`, {
      u: userId,
    });
    await gql(
      url,
      (tok.createApiToken as { secret: string }).secret,
      `mutation($i: NotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { emailMode } }`,
      { i: { events } },
    );
  }
}

export async function setupNotify(url: string, adminToken: string, mails: () => number = () => 0) {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const events = NOTIFICATION_EVENTS.filter((e) => !EVENT_DEFINITIONS[e].personal);
  const create = `mutation($i: CreateNotificationChannelInput!) { createNotificationChannel(input: $i) { channel { id } } }`;
  await gql(url, adminToken, create, {
    i: { kind: 'WEBHOOK', name: 'bench receiver', url: `http://127.0.0.1:${port}/hook`, perMinute: 6000, rules: [{ events }] },
  });
  await gql(url, adminToken, create, {
    i: { kind: 'SLACK', name: 'bench dead channel', url: 'http://127.0.0.1:9/dead', perMinute: 6000, rules: [{ events }] },
  });
  await subscribers(url, adminToken, events);
  return {
    async report(): Promise<string> {
      const data = await gql(url, adminToken, `{ notificationChannels { name pending dead lastDeliveredAt } }`);
      const chans = (data.notificationChannels as { name: string; pending: number; dead: number }[])
        .map((c) => `${c.name}: ${c.pending} waiting, ${c.dead} dead`)
        .join('; ');
      return `notifications on: the receiver took ${received} requests; ${chans}; ${SUBSCRIBERS} subscribers got ${mails()} mails`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
