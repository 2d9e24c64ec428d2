/**
 * `pnpm bench:load --notify`: the same load with notifications on (issue 25). Before the load two
 * channels hear of every event a channel may: a signed webhook to a receiver in this process
 * (answers 200 at once) and a Slack-style channel to a closed port (every send fails, so it retries
 * in the background throughout). After the load: what was delivered, what waits, and how many
 * requests the receiver took. Run without --notify for the figures to compare.
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

export async function setupNotify(url: string, adminToken: string) {
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
  return {
    async report(): Promise<string> {
      const data = await gql(url, adminToken, `{ notificationChannels { name pending dead lastDeliveredAt } }`);
      const chans = (data.notificationChannels as { name: string; pending: number; dead: number }[])
        .map((c) => `${c.name}: ${c.pending} waiting, ${c.dead} dead`)
        .join('; ');
      return `notifications on: the receiver took ${received} requests; ${chans}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
