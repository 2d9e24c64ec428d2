import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoToDay, startOfLocalDay } from '../packages/domain/src/metrics';
import { EXPORT_TABLES } from '@ikb/api/src/features/exports/export.tables';
import { parseCsv } from './support/csv';
import { createService, logIncident } from './support/factories';
import { startTestApp, ok, type TestApp } from './support/test-app';

/**
 * GET /export/<table>.csv on the API: every table answers for an admin token with the filter
 * applied, each file agrees with the GraphQL answer it mirrors, and every malformed, hostile or
 * unauthorised request is a 4xx sentence naming what was wrong, never a 5xx.
 */

let t: TestApp;
let base: string;
let admin: string;
const FORMULA = '=HYPERLINK("http://evil.example","x")';
let formulaService: { id: string };

async function get(path: string, token: string | null = admin, init: RequestInit = {}) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  // Bytes as sent: Response.text() would drop a byte order mark.
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  return {
    status: res.status,
    headers: res.headers,
    text,
    rows: res.headers.get('content-type')?.startsWith('text/csv') ? parseCsv(text) : [],
  };
}

async function A<T>(body: string, f: Record<string, unknown>): Promise<T> {
  return ok(await t.gql<{ analytics: T }>(`query($f: AnalyticsFilter!) { analytics(filter: $f) { ${body} } }`, { f })).analytics;
}

beforeAll(async () => {
  t = await startTestApp({ seedDemo: true });
  base = t.app.graphqlUrl.replace(/\/graphql$/, '');
  admin = await t.tokenFor('test-admin@example.test');
  formulaService = await createService(t, { name: FORMULA });
  await logIncident(t, { serviceId: formulaService.id, openedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
}, 400_000);
afterAll(() => t?.close());

describe('every table', () => {
  it('answers 200 with its header row for an admin, as CSV, for every table of the registry', async () => {
    for (const name of Object.keys(EXPORT_TABLES)) {
      const res = await get(`/export/${name}.csv`);
      expect(res.status, `${name}: ${res.text.slice(0, 300)}`).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${name}_[0-9_-]+\\.csv"$`));
      expect(res.rows[0]!.length, name).toBeGreaterThan(1);
      // Every row as wide as the header.
      for (const row of res.rows.slice(1)) expect(row.length, name).toBe(res.rows[0]!.length);
      // The name without ".csv" is the same table.
      expect((await get(`/export/${name}`)).rows[0]).toEqual(res.rows[0]);
    }
  }, 120_000);
});

describe('the figures, with the filter applied', () => {
  it('time to resolve by service: the rows GraphQL answers, for one service only when filtered, in its time zone', async () => {
    const [svc] = await t.sql<{ id: string }>(
      `select service_id as id from incidents where resolved_at is not null group by 1 order by count(*) desc limit 1`,
    );
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const res = await get(`/export/time-to-resolve-by-service.csv?range=custom&from=${from}&to=${to}&tz=Europe/Berlin&service=${svc!.id}`);
    expect(res.status).toBe(200);
    type K = { key: { name: string }; count: number; medianHours: number | null };
    const want = (
      await A<{ timeToResolve: { byService: K[] } }>(`timeToResolve { byService { key { name } count medianHours p90Hours } }`, {
        from: new Date(startOfLocalDay(isoToDay(from), 'Europe/Berlin')).toISOString(),
        to: new Date(startOfLocalDay(isoToDay(to) + 1, 'Europe/Berlin')).toISOString(),
        timeZone: 'Europe/Berlin',
        serviceIds: [svc!.id],
      })
    ).timeToResolve.byService;
    expect(res.rows[0]).toEqual(['Service', 'Resolved incidents', 'Median time to resolve (hours)', 'p90 time to resolve (hours)']);
    expect(res.rows.slice(1)).toHaveLength(want.length);
    expect(want.length).toBe(1);
    expect(res.rows[1]![0]).toBe(want[0]!.key.name);
    expect(Number(res.rows[1]![1])).toBe(want[0]!.count);
    expect(Number(res.rows[1]![2])).toBeCloseTo(want[0]!.medianHours!, 5);
  });

  it('volume: the totals add up to the incidents opened under the filter, by priority columns', async () => {
    const res = await get('/export/volume.csv?range=90d&priority=1,2&bucket=WEEK');
    expect(res.status).toBe(200);
    const head = res.rows[0]!;
    expect(head.slice(0, 2)).toEqual(['Bucket start (local date)', 'Bucket end (local date, included)']);
    expect(head.slice(2, -2).every((h) => /^P[12] /.test(h))).toBe(true);
    expect(head.at(-1)).toBe('Partial bucket');
    const total = res.rows.slice(1).reduce((n, r) => n + Number(r.at(-2)), 0);
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(today) - 89 * 86_400_000).toISOString();
    const a = await A<{ incidentCount: number }>('incidentCount', {
      from,
      to: new Date(Date.parse(today) + 86_400_000).toISOString(),
      priorities: [1, 2],
    });
    expect(total).toBe(a.incidentCount);
    // Weeks start on Mondays; the last one is still in progress.
    for (const r of res.rows.slice(2)) expect(new Date(`${r[0]}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(res.rows.at(-1)!.at(-1)).toMatch(/^partial: up to .* \(still in progress\)$/);
  });

  it('SLA by service: formula-looking names are text, no verdict is empty (not 0), the about lines name the filter', async () => {
    const res = await get(`/export/sla-by-service.csv?about=1&bom=1&range=30d`);
    expect(res.text.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(res.text.replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual(['Table', 'SLA compliance by service']);
    expect(rows[1]![0]).toBe('Metric');
    expect(rows[1]![1]).toMatch(/^SLA compliance/);
    expect(rows[2]).toEqual([
      'Filters',
      expect.stringMatching(/^Incidents opened .* \(UTC\); service: all; category: all; team: all; priority: all$/),
    ]);
    expect(rows[3]![0]).toBe('Figures as of');
    expect(rows[4]).toEqual(['']);
    const body = rows.slice(5);
    expect(body[0]![0]).toBe('Service');
    const evil = body.find((r) => r[0]!.includes('HYPERLINK'))!;
    expect(evil[0]).toBe(`'${FORMULA}`);
    expect(body.some((r) => r[0]!.startsWith('='))).toBe(false);
    const filtered = parseCsv((await get(`/export/sla-by-service.csv?about=1&range=30d&service=${formulaService.id}`)).text);
    expect(filtered[2]![1]).toContain(`service: ${FORMULA}`);
  });

  it('workload, follow-through and knowledge health: the same rows as their GraphQL queries', async () => {
    const f = { from: new Date(Date.now() - 365 * 86_400_000).toISOString(), to: new Date().toISOString() };
    const w = ok(
      await t.gql<{ workload: { people: { name: string; personHours: number }[] } }>(
        `query($f: AnalyticsFilter!) { workload(filter: $f) { people { name personHours } } }`,
        { f },
      ),
    );
    const people = await get('/export/workload-people.csv');
    expect(
      people.rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(w.workload.people.map((p) => p.name).sort());
    const kh = ok(await t.gql<{ knowledgeHealth: { totalCount: number } }>(`{ knowledgeHealth(first: 1) { totalCount } }`));
    const health = await get('/export/knowledge-health.csv');
    expect(health.rows.length - 1).toBe(kh.knowledgeHealth.totalCount);
    const owners = await get('/export/follow-through-owners.csv?range=12m');
    expect(owners.status).toBe(200);
    expect(owners.rows[0]!.slice(0, 3)).toEqual(['Owner', 'Team', 'Action items']);
  });

  it('knowledge health: streams every page (more items than one 200-item page), each once', async () => {
    for (let i = 0; i < 220; i++) {
      ok(
        await t.gql(`mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { id } }`, {
          input: { title: `Paging workaround ${String(i).padStart(3, '0')}`, steps: 'Restart it.', status: 'ACTIVE' },
        }),
      );
    }
    await t.sql(`update knowledge_items set review_by = now() - interval '1 day' where state = 'PUBLISHED'`);
    const kh = ok(await t.gql<{ knowledgeHealth: { totalCount: number } }>(`{ knowledgeHealth(first: 1) { totalCount } }`));
    expect(kh.knowledgeHealth.totalCount).toBeGreaterThan(220);
    const res = await get('/export/knowledge-health.csv?kind=WORKAROUND');
    expect(res.status).toBe(200);
    const titles = res.rows.slice(1).map((r) => r[2]!);
    expect(Number(res.headers.get('x-export-rows'))).toBe(titles.length);
    expect(new Set(titles).size).toBe(titles.length);
    for (let i = 0; i < 220; i++) expect(titles).toContain(`Paging workaround ${String(i).padStart(3, '0')}`);
    expect(res.rows.slice(1).every((r) => r[1] === 'Workaround')).toBe(true);
    const paging = res.rows.slice(1).filter((r) => r[2]!.startsWith('Paging workaround'));
    expect(paging.every((r) => r[5]!.includes('review date passed'))).toBe(true);
  }, 120_000);

  it('runs a bounded number of statements whatever the size of the table', async () => {
    for (const name of ['sla-by-service', 'volume', 'workload-people', 'follow-through-owners', 'search-queries']) {
      const n = Number((await get(`/export/${name}.csv`)).headers.get('x-sql-statements'));
      expect(n, name).toBeGreaterThan(0);
      expect(n, name).toBeLessThanOrEqual(25);
    }
  });
});

describe('refusals', () => {
  it('says which parameter is wrong, with a 400', async () => {
    const cases: [string, string][] = [
      ['/export/volume.csv?from=2026-02-30&range=custom', 'from'],
      ['/export/volume.csv?tz=Mars/Olympus', 'tz'],
      ['/export/volume.csv?bucket=YEAR', 'bucket'],
      ['/export/volume.csv?service=not-an-id', 'service'],
      ['/export/volume.csv?priority=9', 'priority'],
      ['/export/volume.csv?colour=red', 'colour'],
      ['/export/volume.csv?about=maybe', 'about'],
      ['/export/volume.csv?range=custom&from=1970-01-01&to=2026-01-01', 'from'],
      ['/export/search-gaps.csv?days=12', 'days'],
      ['/export/search-gaps.csv?service=x', 'service'],
      ['/export/knowledge-health.csv?kind=ESSAY', 'kind'],
      ['/export/knowledge-health.csv?owner=1%27%20or%201=1', 'owner'],
    ];
    for (const [path, param] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const body = JSON.parse(res.text) as { errors: { message: string; extensions: { code: string; field: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0]!.extensions.field, path).toBe(param);
      expect(body.errors[0]!.message).toContain(`${param}:`);
    }
  });

  it('unknown tables, methods and callers', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'hasOwnProperty', '..%2Fgraphql', 'volume.csv.csv', 'x'.repeat(3000)]) {
      const res = await get(`/export/${name}`);
      expect(res.status, name).toBe(404);
      expect(res.text).toContain('Tables: ');
    }
    expect((await get('/export/volume.csv', null)).status).toBe(401);
    expect((await get('/export/volume.csv', 'ikb_not-a-real-token')).status).toBe(401);
    const post = await get('/export/volume.csv', admin, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const head = await fetch(`${base}/export/volume.csv`, { method: 'HEAD', headers: { authorization: `Bearer ${admin}` } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('keeps each role to what its pages show', async () => {
    const viewer = (await t.tokenForRole('VIEWER')).token;
    const res = await get('/export/search-queries.csv', viewer);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await get('/export/volume.csv', viewer)).status).toBe(200);
  });

  it('never answers 5xx to random parameters (fuzz)', async () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const keys = [
      'range',
      'from',
      'to',
      'tz',
      'bucket',
      'stack',
      'service',
      'category',
      'team',
      'priority',
      'about',
      'bom',
      'kind',
      'days',
      'owner',
      '__proto__',
      '',
    ];
    const values = [
      '',
      'custom',
      '2026-13-01',
      '0000-01-01',
      '2026-01-01',
      'DAY',
      'week',
      '1',
      '-1',
      '9'.repeat(400),
      '\u0000',
      '%',
      '%E0%A4%A',
      'Europe/Berlin',
      '../..',
      '{}',
      '[]',
      'true',
      'null',
      '00000000-0000-0000-0000-000000000000',
    ];
    const names = Object.keys(EXPORT_TABLES);
    for (let i = 0; i < 150; i++) {
      const q = Array.from(
        { length: 1 + rnd(4) },
        () => `${encodeURIComponent(keys[rnd(keys.length)]!)}=${encodeURIComponent(values[rnd(values.length)]!)}`,
      ).join('&');
      const path = `/export/${names[rnd(names.length)]}.csv?${q}`;
      const res = await get(path);
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
  }, 120_000);
});
