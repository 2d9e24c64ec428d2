import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../apps/web/lib/csv';
import { ensureWebBuild, startWeb, type WebServer } from './support/browser';
import { parseCsv } from './support/csv';
import { createService, createTeam, logIncident } from './support/factories';
import { ok, startTestApp, type TestApp } from './support/test-app';
import { webSessionCookie } from './support/web-session';

/**
 * The web app's lists over HTTP (no browser): CSV exports (content against the database, RFC 4180
 * quoting, formula injection defused, BOM, filters and permissions of the list) and HTTP 404 for
 * record pages whose record does not exist, whatever the id looks like.
 */

describe('csv cells (apps/web/lib/csv.ts)', () => {
  it('quotes as RFC 4180 says and defuses what a spreadsheet would run', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    for (const hostile of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example","x")'])
      expect(csvCell(hostile).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('yes');
    expect(csvLine(['a', 'b,c'])).toBe('a,"b,c"\r\n');
    expect(parseCsv(csvLine(['x"y', 'p\r\nq', "'=1", '=1']))).toEqual([['x"y', 'p\r\nq', "'=1", "'=1"]]);
  });
});

describe('the web app lists over HTTP', () => {
  let api: TestApp;
  let web: WebServer;
  let admin: string;
  let viewer: string;
  const password = 'Lists-Export-And-Not-Found-42';

  const signIn = (email: string) => webSessionCookie(web.url, email, password);
  const get = (path: string, cookie = admin) => fetch(`${web.url}${path}`, { headers: { cookie }, redirect: 'manual' });

  beforeAll(async () => {
    await ensureWebBuild();
    api = await startTestApp();
    for (const [email, role] of [
      ['lists.admin@example.test', 'ADMIN'],
      ['lists.viewer@example.test', 'VIEWER'],
    ])
      ok(await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email, name: email, role, password } }));
    web = await startWeb(api.app.graphqlUrl);
    admin = await signIn('lists.admin@example.test');
    viewer = await signIn('lists.viewer@example.test');
  }, 600_000);
  afterAll(async () => {
    await web?.close();
    await api?.close();
  }, 60_000);

  describe('CSV export', () => {
    it('exports the register with its filters: every matching row, as the database has it, hostile cells defused', async () => {
      const team = await createTeam(api);
      const service = await createService(api, { ownerTeamId: team.id });
      const titles = [
        '=HYPERLINK("http://evil.example","click")',
        '+cmd|" /C calc"!A0',
        '-2+3',
        '@SUM(1)',
        'Comma, "quote" and more',
        'Ünïcødé ✓',
      ];
      for (const title of titles) await logIncident(api, { title, serviceId: service.id, impact: 1, urgency: 1 });
      await logIncident(api, { title: 'Other service', impact: 1, urgency: 1 });

      const res = await get(`/export/incidents?service=${service.id}&sort=number&dir=asc`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
      expect(rows[0]!.slice(0, 5)).toEqual(['Number', 'Title', 'Status', 'Hold reason', 'Priority']);
      const db = await api.sql<{ number: number; title: string; priority: number; opened_at: Date }>(
        `select number, title, priority, opened_at from incidents where service_id = $1 order by number`,
        [service.id],
      );
      expect(rows.slice(1).map((r) => r[0])).toEqual(db.map((d) => `INC-${String(d.number).padStart(6, '0')}`));
      const defuse = (t: string) => (/^[=+\-@\t\r]/.test(t) ? `'${t}` : t);
      expect(rows.slice(1).map((r) => r[1])).toEqual(db.map((d) => defuse(d.title)));
      expect(rows.slice(1).map((r) => r[6])).toEqual(db.map(() => service.name));
      expect(rows.slice(1).map((r) => r[10])).toEqual(db.map((d) => new Date(d.opened_at).toISOString()));
      // No cell a spreadsheet would evaluate.
      for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });

    it('walks every page of a long list (more rows than one API page)', async () => {
      const service = await createService(api);
      for (let i = 0; i < 130; i++) await logIncident(api, { title: `Bulk ${i}`, serviceId: service.id });
      const res = await get(`/export/incidents?service=${service.id}`);
      const rows = parseCsv(await res.text());
      expect(rows).toHaveLength(131);
      expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(130);
      expect(res.headers.get('x-export-rows')).toBe('130');
    });

    it('exports every list page, and a VIEWER gets the same permission answers as the list', async () => {
      for (const list of [
        'queue',
        'awaiting-review',
        'problems',
        'known-errors',
        'workarounds',
        'models',
        'reviews',
        'users',
        'teams',
        'services',
        'categories',
        'workload',
        'workload-teams',
        'follow-through',
        'follow-through-teams',
      ]) {
        const res = await get(`/export/${list}`);
        expect(res.status, list).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(Array.from(bytes.subarray(0, 3)), list).toEqual([0xef, 0xbb, 0xbf]);
        // TextDecoder drops the byte order mark.
        expect(parseCsv(new TextDecoder().decode(bytes))[0]!.length, list).toBeGreaterThan(2);
      }
      const users = parseCsv(await (await get('/export/users')).text());
      const dbUsers = await api.sql<{ email: string }>(`select email from users`);
      expect(
        users
          .slice(1)
          .map((u) => u[1])
          .sort(),
      ).toEqual(dbUsers.map((u) => u.email).sort());
      // Teams carry their working hours, as the admin page shows them.
      const [cal] = await api.sql<{ id: string; name: string }>(`select id, name from business_calendars order by name limit 1`);
      const team = await createTeam(api, { name: `Hours ${randomUUID().slice(0, 8)}` });
      await api.sql(`update teams set calendar_id = $1 where id = $2`, [cal!.id, team!.id]);
      const teams = parseCsv(await (await get('/export/teams')).text());
      const hoursAt = teams[0]!.indexOf('Working hours');
      expect(hoursAt).toBeGreaterThan(0);
      expect(teams.find((r) => r[0] === team!.name)?.[hoursAt]).toBe(cal!.name);
      const dbTeams = await api.sql<{ name: string; hours: string | null }>(
        `select t.name, c.name as hours from teams t left join business_calendars c on c.id = t.calendar_id`,
      );
      expect(new Map(teams.slice(1).map((r) => [r[0], r[hoursAt]]))).toEqual(
        new Map(dbTeams.map((t) => [t.name, t.hours ?? 'Default SLA calendar'])),
      );
      // A viewer may read the register: the same file.
      const asViewer = await get('/export/incidents?priority=1', viewer);
      expect(asViewer.status).toBe(200);
    });

    it('refuses an unknown list, a malformed filter and a signed-out browser with a 4xx or a sign-in redirect, never a 5xx', async () => {
      expect((await get('/export/nope')).status).toBe(404);
      expect((await get('/export/__proto__')).status).toBe(404);
      expect((await get('/export/constructor')).status).toBe(404);
      const bad = await get(`/export/incidents?service=${'x'.repeat(5000)}`);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(await bad.text()).toMatch(/could not be exported/);
      // The workload and follow-through files take the dashboard's parameters: hostile ones are refused or ignored, never a 5xx.
      for (const q of [
        `team=${'x'.repeat(5000)}`,
        'tz=Mars%2FOlympus&range=%00',
        'from=99999-01-01&to=0000-00-00&range=custom',
        'priority=9,-1',
      ]) {
        for (const list of ['workload', 'follow-through']) {
          const res = await get(`/export/${list}?${q}`);
          expect(res.status, `${list}?${q.slice(0, 40)}`).toBeLessThan(500);
        }
      }
      const out = await fetch(`${web.url}/export/incidents`, { redirect: 'manual' });
      expect(out.status).toBeGreaterThanOrEqual(300);
      expect(out.status).toBeLessThan(400);
      expect(out.headers.get('location')).toMatch(/\/sign-in/);
    });
  });

  describe('record pages that do not exist', () => {
    it('answer HTTP 404 with the not-found page, for unknown, malformed, long and SQL-looking ids', async () => {
      const ids = ['INC-999999', '999999', '%00', '%E0%A4%A', 'x'.repeat(3000), "1'%20or%20'1'='1", '..%2F..%2Fetc', randomUUID()];
      const bases = ['/incidents', '/problems', '/reviews', '/workarounds', '/models', '/admin/imports'];
      for (const base of bases)
        for (const id of ids) {
          const res = await get(`${base}/${id}`);
          expect([400, 404], `${base}/${id.slice(0, 40)}`).toContain(res.status);
          if (res.status === 404) expect(await res.text()).toContain('Not found');
        }
    });

    it('answer 200 for a record that exists', async () => {
      const i = await logIncident(api, {});
      expect((await get(`/incidents/${i.number}`)).status).toBe(200);
    });
  });
});
