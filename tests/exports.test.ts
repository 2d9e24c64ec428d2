import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, startWeb, type WebServer } from './support/browser';
import { parseCsv } from './support/csv';
import { createService, incidentIn, logIncident } from './support/factories';
import { ok, startTestApp, type TestApp } from './support/test-app';
import { webSessionCookie } from './support/web-session';

/**
 * CSV exports hold every row the list's filters match, however long the list: more rows than any
 * API page (200), read with keyset pages, counted against the API's own total and the database.
 * Hostile query strings on every export answer 4xx or a file, never a 5xx.
 */

const LISTS = ['incidents', 'queue', 'awaiting-review', 'problems', 'known-errors', 'workarounds', 'models', 'reviews'];
const MANY = 230;

describe('CSV exports of long lists', () => {
  let api: TestApp;
  let web: WebServer;
  let admin: string;
  const password = 'Exports-Every-Row-42';

  const signIn = (email: string) => webSessionCookie(web.url, email, password);
  const get = (path: string) => fetch(`${web.url}${path}`, { headers: { cookie: admin }, redirect: 'manual' });
  const csvRows = async (res: Response) => parseCsv(await res.text()).slice(1);

  /** Copies of one incident (new id and number, the rest as it is): many rows without many mutations. */
  async function clone(id: string, n: number) {
    const cols = (
      await api.sql<{ c: string }>(
        `select column_name as c from information_schema.columns where table_name = 'incidents' and column_name not in ('id', 'number')
        order by ordinal_position`,
      )
    ).map((r) => r.c);
    const set: Record<string, string> = { title: `title || ' #' || g`, external_ref: 'null', import_hash: 'null' };
    const pick = cols.map((c) => set[c] ?? c).join(', ');
    await api.sql(
      `insert into incidents (id, number, ${cols.join(', ')})
        select gen_random_uuid(), nextval('incident_number_seq'), ${pick} from incidents, generate_series(1, ${n}) g where id = $1`,
      [id],
    );
  }

  beforeAll(async () => {
    await ensureWebBuild();
    api = await startTestApp();
    ok(
      await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
        i: { email: 'exports.admin@example.test', name: 'Exports admin', role: 'ADMIN', password },
      }),
    );
    web = await startWeb(api.app.graphqlUrl);
    admin = await signIn('exports.admin@example.test');
  }, 600_000);
  afterAll(async () => {
    await web?.close();
    await api?.close();
  }, 60_000);

  it('awaiting review: every row (more than one 200-row page), as many as the API counts, each once, longest waiting first', async () => {
    const service = await createService(api);
    const first = await incidentIn(api, 'RESOLVED', { serviceId: service.id, impact: 1, urgency: 1 });
    await clone(first.id, MANY);
    const count = ok(
      await api.gql<{ incidentsAwaitingReviewCount: number }>('{ incidentsAwaitingReviewCount }'),
    ).incidentsAwaitingReviewCount;
    expect(count).toBeGreaterThan(MANY);

    const res = await get('/export/awaiting-review');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-export-rows')).toBe(String(count));
    expect(res.headers.get('x-export-truncated')).toBeNull();
    const rows = await csvRows(res);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r[0])).size).toBe(count);
    const db = await api.sql<{ number: number }>(
      `select i.number from incidents i where (i.priority <= 2 or i.major) and i.resolved_at is not null
        and not exists (select 1 from review_incidents ri join reviews r on r.id = ri.review_id and r.status = 'PUBLISHED'
          where ri.incident_id = i.id) order by i.resolved_at, i.id`,
    );
    expect(rows.map((r) => r[0])).toEqual(db.map((d) => `INC-${String(d.number).padStart(6, '0')}`));
  });

  it('work queue: every open incident of the filter, in the queue order, each once', async () => {
    const service = await createService(api);
    const one = await logIncident(api, { serviceId: service.id, impact: 2, urgency: 2 });
    await clone(one.id, MANY);
    await logIncident(api, { serviceId: service.id, impact: 1, urgency: 1, title: 'Most urgent of the lot' });
    const res = await get(`/export/queue?service=${service.id}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const rows = await csvRows(res);
    expect(rows).toHaveLength(MANY + 2);
    expect(new Set(rows.map((r) => r[0])).size).toBe(MANY + 2);
    // The queue's own first page (priority first) starts the file the same way.
    const page = ok(
      await api.gql<{ workQueue: { number: string }[] }>(`query($s: ID) { workQueue(first: 50, serviceId: $s) { number } }`, {
        s: service.id,
      }),
    ).workQueue;
    expect(rows.slice(0, 50).map((r) => r[0])).toEqual(page.map((i) => i.number));
    expect(rows[0]![1]).toBe('Most urgent of the lot');
  });

  it('the register: every row of a filter longer than its 100-row pages, as many as its totalCount', async () => {
    const service = await createService(api);
    const one = await logIncident(api, { serviceId: service.id });
    await clone(one.id, MANY);
    const total = ok(
      await api.gql<{ incidents: { totalCount: number } }>(`query($s: [ID!]) { incidents(filter: { serviceId: $s }) { totalCount } }`, {
        s: [service.id],
      }),
    ).incidents.totalCount;
    expect(total).toBe(MANY + 1);
    const res = await get(`/export/incidents?service=${service.id}`);
    expect(res.headers.get('x-export-rows')).toBe(String(total));
    const rows = await csvRows(res);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
  });

  it('never answers a hostile query string with a 5xx', async () => {
    const hostile = [
      'after=x',
      `after=${'9'.repeat(400)}`,
      'offset=-1&size=1e309',
      'service=%00',
      "service=' or 1=1 --",
      `team=${'a'.repeat(5000)}`,
      'mine=__proto__',
      'status=NOT_A_STATUS&status[]=x',
      'sort=;drop table incidents&dir=sideways',
      'priority=99999999999999999999',
      'q=%F0%9F%92%A9%ED%A0%80',
      'kind[constructor][prototype]=1',
    ];
    // The keyset arguments the exports use, malformed, straight to the API: a 400-class refusal naming the argument.
    for (const [query, arg] of [
      ['{ workQueue(first: 200, after: "x") { id } }', 'after'],
      ['{ incidentsAwaitingReview(first: 200, after: "1 or 1=1") { daysSinceResolution } }', 'after'],
      ['{ incidentsAwaitingReview(first: 201) { daysSinceResolution } }', 'first'],
    ] as const) {
      const r = await api.gql(query);
      expect(r.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(r.errors), query).toContain(arg);
    }
    for (const list of LISTS)
      for (const qs of hostile) {
        const res = await get(`/export/${list}?${qs}`);
        expect(res.status, `${list}?${qs}`).toBeLessThan(500);
        await res.arrayBuffer();
      }
  });
});
