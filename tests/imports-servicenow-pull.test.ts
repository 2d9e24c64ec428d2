import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { backoffMs, instanceUrl, nextLink, PullError, retryAfterMs } from '@ikb/api/src/features/imports/servicenow/servicenow-http';
import { pullServiceNow, type PullOptions } from '@ikb/api/src/features/imports/servicenow/servicenow-pull';
import { allShape, PASSWORD, startFakeServiceNow, USER, type FakeServiceNow, type Rec } from './support/fake-servicenow';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * `pnpm cli import servicenow --instance`: a pull from a local server answering like the Table API.
 * Pages followed through Link headers, X-Total-Count, 429 with Retry-After and a 503 retried, basic
 * authentication, sys_audit made into history (and a 403 on it), the resume of an interrupted pull,
 * a second run asking only for what changed, and every wrong answer a clear error.
 */

let t: TestApp;
let sn: FakeServiceNow;

beforeAll(async () => {
  [t, sn] = await Promise.all([startTestApp(), startFakeServiceNow()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), sn?.close()]);
});

const GROUPS = { net: ['287ebd7da9fe198100f92cc8d1d2154e', 'Network'], sd: ['d625dccec0a8016700a222a0f7900d06', 'Service Desk'] } as const;
const USERS = {
  beth: ['46d44a23a9fe19810012d100cca80666', 'Beth Anglin'],
  abel: ['62826bf03710200044e0bfc8bcbe5df1', 'Abel Tuter'],
} as const;
const STATES: Record<string, string> = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed' };

function sysId(prefix: string, i: number) {
  return `${prefix}${String(i).padStart(4, '0')}`.padEnd(32, 'a');
}

function incident(prefix: string, i: number, over: Record<string, string | [string, string]> = {}): Rec {
  const state = (over.state as string | undefined) ?? '2';
  return allShape({
    sys_id: sysId(prefix.toLowerCase().replace(/[^0-9a-f]/g, 'b'), i),
    number: `${prefix}${String(i).padStart(5, '0')}`,
    short_description: `Incident ${i} of ${prefix}`,
    description: '',
    state: [state, STATES[state]],
    incident_state: [state, STATES[state]],
    priority: ['3', '3 - Moderate'],
    impact: ['2', '2 - Medium'],
    urgency: ['2', '2 - Medium'],
    assignment_group: [...GROUPS.net],
    assigned_to: [...USERS.beth],
    caller_id: [...USERS.abel],
    business_service: ['', ''],
    opened_at: [`2024-05-0${1 + (i % 9)} 08:00:00`, `05/0${1 + (i % 9)}/2024 01:00:00 AM`],
    resolved_at: ['', ''],
    closed_at: ['', ''],
    sys_updated_on: [`2024-06-01 10:0${i % 10}:00`, `06/01/2024 03:0${i % 10}:00 AM`],
    sys_mod_count: '4',
    business_duration: ['', ''],
    calendar_duration: ['1970-01-02 04:23:17', '1 Day 4 Hours 23 Minutes'],
    made_sla: 'true',
    reopen_count: '0',
    reassignment_count: '1',
    sys_tags: '',
    ...over,
  });
}

const waits: number[] = [];
function opts(over: Partial<PullOptions> = {}): PullOptions {
  return {
    base: new URL(sn.url),
    user: USER,
    password: PASSWORD,
    pageSize: 2,
    sleep: async (ms) => {
      waits.push(ms);
    },
    baseDelayMs: 10,
    ...over,
  };
}
const pull = (over: Partial<PullOptions> = {}) => pullServiceNow(t.app.orm.em.fork(), opts(over));

async function failure(p: Promise<unknown>): Promise<PullError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the pull to fail').toBeInstanceOf(PullError);
  return err as PullError;
}

async function byRef(ref: string) {
  const [row] = await t.sql<{ id: string }>(`select id from incidents where external_ref = $1`, [ref]);
  if (!row) return null;
  const d = ok(
    await t.gql<{
      incident: Record<string, unknown> & {
        timeline: { kind: string; summary: string; actorName: string | null; at: string; before: unknown }[];
      };
    }>(
      `query($id: ID!) { incident(id: $id) { status priority openedAt resolvedAt team { name } assignee { name } reporter { name }
        timeline { kind summary actorName at before } } }`,
      { id: row.id },
    ),
  );
  return d.incident;
}

const incidentRequests = () => sn.requests.filter((r) => r.path === '/api/now/table/incident');

describe('the HTTP side', () => {
  it('reads Link headers, Retry-After, backoff with jitter, and the instance URL', () => {
    expect(nextLink('<https://a.service-now.com/x?o=0>;rel="first",<https://a.service-now.com/x?o=2>;rel="next"')).toBe(
      'https://a.service-now.com/x?o=2',
    );
    expect(nextLink('<https://a/x>;rel="last"')).toBeNull();
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeNull();
    for (const attempt of [1, 2, 3, 8]) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      expect(backoffMs(attempt, 1000, 60_000, () => 0)).toBe(ceiling / 2);
      expect(backoffMs(attempt, 1000, 60_000, () => 0.999)).toBeLessThanOrEqual(ceiling);
    }
    expect(instanceUrl('acme').href).toBe('https://acme.service-now.com/');
    expect(instanceUrl('https://acme.service-now.com/now/nav/ui').href).toBe('https://acme.service-now.com/');
    expect(instanceUrl('http://127.0.0.1:8080').href).toBe('http://127.0.0.1:8080/');
    expect(() => instanceUrl('http://acme.example.com')).toThrow(/plain http.*--allow-http/);
    expect(instanceUrl('http://acme.example.com', true).protocol).toBe('http:');
    expect(() => instanceUrl('https://u:p@acme.service-now.com')).toThrow(/no user or password in the URL/);
  });
});

describe('pulling incidents from the Table API', () => {
  it('pulls page by page with retries, names from display values, dates from UTC values, history from sys_audit', async () => {
    sn.incidents = [1, 2, 3, 4, 5].map((i) => incident('PUL', i));
    // Incident 1: closed by Beth after a reassignment from a group that is on no page (looked up by sys_id).
    const oldGroup = '0a52d3dcd7011200f2d224837e6103f2';
    sn.names.sys_user_group[oldGroup] = 'Hardware';
    sn.incidents[0] = incident('PUL', 1, {
      state: '7',
      resolved_at: ['2024-06-01 09:00:00', '06/01/2024 02:00:00 AM'],
      closed_at: ['2024-06-01 10:01:00', '06/01/2024 03:01:00 AM'],
      sys_mod_count: '4',
    });
    const doc = (sn.incidents[0].sys_id as { value: string }).value;
    sn.audit = [
      {
        documentkey: doc,
        fieldname: 'state',
        oldvalue: '',
        newvalue: '1',
        user: 'abel.tuter',
        sys_created_on: '2024-05-02 08:00:00',
        record_checkpoint: '0',
      },
      {
        documentkey: doc,
        fieldname: 'assignment_group',
        oldvalue: '',
        newvalue: oldGroup,
        user: 'abel.tuter',
        sys_created_on: '2024-05-02 08:00:00',
        record_checkpoint: '0',
      },
      {
        documentkey: doc,
        fieldname: 'state',
        oldvalue: '1',
        newvalue: '2',
        user: 'beth.anglin',
        sys_created_on: '2024-05-02 09:00:00',
        record_checkpoint: '1',
      },
      {
        documentkey: doc,
        fieldname: 'assignment_group',
        oldvalue: oldGroup,
        newvalue: GROUPS.net[0],
        user: 'beth.anglin',
        sys_created_on: '2024-05-02 10:00:00',
        record_checkpoint: '2',
      },
      {
        documentkey: doc,
        fieldname: 'state',
        oldvalue: '2',
        newvalue: '6',
        user: 'beth.anglin',
        sys_created_on: '2024-06-01 09:00:00',
        record_checkpoint: '3',
      },
      {
        documentkey: doc,
        fieldname: 'state',
        oldvalue: '6',
        newvalue: '7',
        user: 'system',
        sys_created_on: '2024-06-01 10:01:00',
        record_checkpoint: '4',
      },
      // A field the history does not follow.
      {
        documentkey: doc,
        fieldname: 'work_notes',
        oldvalue: '',
        newvalue: 'called the user',
        user: 'beth.anglin',
        sys_created_on: '2024-05-03 10:00:00',
        record_checkpoint: '2',
      },
    ];
    // Rate limited on the second page (Retry-After honoured), the third answers 503 once.
    sn.faults = [
      {
        when: (u) => u.pathname.endsWith('/incident') && u.searchParams.get('sysparm_offset') === '2',
        status: 429,
        headers: { 'retry-after': '7' },
      },
      {
        when: (u) => u.pathname.endsWith('/incident') && u.searchParams.get('sysparm_offset') === '4',
        status: 503,
        body: '<html>down</html>',
      },
    ];
    sn.requests = [];
    waits.length = 0;
    const lines: string[] = [];
    const r = await pull({ log: (l) => lines.push(l) });
    expect(r).toMatchObject({ pages: 3, records: 5, created: 5, updated: 0, resumed: false, from: null, mark: '2024-06-01 10:05:00' });
    expect(r.historyUpdates).toBe(4);
    expect(waits[0]).toBe(7000);
    expect(waits).toHaveLength(2);
    const pages = incidentRequests();
    expect(pages.map((p) => `${p.params.sysparm_offset}:${p.status}`)).toEqual(['0:200', '2:429', '2:200', '4:503', '4:200']);
    expect(pages[0].params).toMatchObject({
      sysparm_display_value: 'all',
      sysparm_exclude_reference_link: 'true',
      sysparm_limit: '2',
      sysparm_query: 'ORDERBYsys_updated_on^ORDERBYsys_id',
    });
    expect(lines.join('\n')).toMatch(/page 3: 1 incident .*; 5 of 5/);

    const closed = await byRef('PUL00001');
    expect(closed).toMatchObject({
      status: 'CLOSED',
      priority: 3,
      openedAt: '2024-05-02T08:00:00.000Z',
      resolvedAt: '2024-06-01T09:00:00.000Z',
      team: { name: 'Network' },
      assignee: { name: 'Beth Anglin' },
      reporter: { name: 'Abel Tuter' },
    });
    const events = closed!.timeline.map((e) => `${e.kind}: ${e.summary}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'STATUS_CHANGED: NEW -> INVESTIGATING',
        expect.stringMatching(/Reassigned to .*Network/),
        expect.stringMatching(/-> RESOLVED/),
      ]),
    );
    // The first assignment, to a group on no page, named through sys_user_group.
    const before = closed!.timeline.find((e) => e.kind === 'ASSIGNED')?.before as { teamId: string };
    expect(await t.sql(`select name from teams where id = $1`, [before.teamId])).toEqual([{ name: 'Hardware' }]);
    expect(closed!.timeline.some((e) => e.actorName === 'beth.anglin')).toBe(true);
    expect(await byRef('PUL00004')).toMatchObject({ status: 'INVESTIGATING', team: { name: 'Network' } });
    const [state] = await t.sql<{ high_water_mark: string; cursor: unknown; records_imported: string }>(
      `select high_water_mark, cursor, records_imported from servicenow_pulls where instance = $1 and query = ''`,
      [sn.url],
    );
    expect(state).toMatchObject({ high_water_mark: '2024-06-01 10:05:00', cursor: null, records_imported: '5' });
  });

  it('a second run asks only for what changed since the mark, and imports it', async () => {
    sn.requests = [];
    const again = await pull();
    expect(incidentRequests().map((p) => p.params.sysparm_query)).toEqual([
      'sys_updated_on>=2024-06-01 10:05:00^ORDERBYsys_updated_on^ORDERBYsys_id',
    ]);
    // Only the record at the mark itself comes again (the mark is inclusive), and changes nothing.
    expect(again).toMatchObject({ records: 1, created: 0, updated: 0, unchanged: 1, mark: '2024-06-01 10:05:00' });

    sn.incidents[2] = incident('PUL', 3, {
      state: '6',
      resolved_at: ['2024-06-02 12:00:00', ''],
      sys_updated_on: ['2024-06-02 12:00:00', ''],
      sys_mod_count: '5',
    });
    sn.incidents.push(incident('PUL', 6, { sys_updated_on: ['2024-06-02 13:00:00', ''] }));
    sn.requests = [];
    const third = await pull();
    expect(third).toMatchObject({ records: 3, created: 1, updated: 1, unchanged: 1, mark: '2024-06-02 13:00:00' });
    expect(incidentRequests()).toHaveLength(2);
    expect((await byRef('PUL00003'))?.status).toBe('RESOLVED');

    // A dry run fetches and checks, writes nothing, and moves neither the mark nor a cursor.
    sn.incidents.push(incident('PUL', 7, { sys_updated_on: ['2024-06-03 08:00:00', ''] }));
    const dry = await pull({ dryRun: true });
    expect(dry).toMatchObject({ records: 2, created: 1, unchanged: 1 });
    expect(await byRef('PUL00007')).toBeNull();
    const [state] = await t.sql<{ high_water_mark: string; cursor: unknown }>(
      `select high_water_mark, cursor from servicenow_pulls where instance = $1 and query = ''`,
      [sn.url],
    );
    expect(state).toEqual({ high_water_mark: '2024-06-02 13:00:00', cursor: null });
    sn.incidents.pop();
  });

  it('continues an interrupted pull after the last committed page', async () => {
    const query = 'assignment_group.name=Network';
    sn.incidents = [1, 2, 3, 4, 5, 6].map((i) => incident('RES', i));
    sn.audit = [];
    // The third page answers with a login page until the instance is back.
    sn.faults = [
      {
        when: (u) => u.pathname.endsWith('/incident') && u.searchParams.get('sysparm_offset') === '4',
        status: 200,
        times: 100,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>Log in | ServiceNow</title></head><body>Please sign in</body></html>',
      },
    ];
    sn.requests = [];
    const err = await failure(pull({ query }));
    expect(err.message).toMatch(/answered with an HTML page instead of JSON.*Log in \| ServiceNow/);
    expect(err.message).toMatch(/2 pages \(4 incidents\) were imported and kept; run the same command again/);
    expect(await byRef('RES00004')).not.toBeNull();
    expect(await byRef('RES00005')).toBeNull();
    const [stopped] = await t.sql<{ cursor: { updatedOn: string; pages: number }; last_error: string; high_water_mark: string | null }>(
      `select cursor, last_error, high_water_mark from servicenow_pulls where instance = $1 and query = $2`,
      [sn.url, query],
    );
    expect(stopped).toMatchObject({ cursor: { updatedOn: '2024-06-01 10:04:00', pages: 2 }, high_water_mark: null });
    expect(stopped.last_error).toContain('HTML page');

    sn.faults = [];
    sn.requests = [];
    const lines: string[] = [];
    const resumed = await pull({ query, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/Continuing the interrupted pull .* after 2024-06-01 10:04:00 \(2 pages were imported\)/);
    expect(incidentRequests()[0].params.sysparm_query).toBe(
      `${query}^sys_updated_on>=2024-06-01 10:04:00^ORDERBYsys_updated_on^ORDERBYsys_id`,
    );
    expect(resumed).toMatchObject({ resumed: true, records: 3, created: 2, unchanged: 1, mark: '2024-06-01 10:06:00' });
    expect(await byRef('RES00006')).not.toBeNull();
  });

  it('runs one pull of an instance and query at a time; the next may start once it ends', async () => {
    const query = 'assignment_group.name=Locks';
    sn.incidents = [1, 2, 3].map((i) => incident('LCK', i));
    sn.audit = [];
    // The first pull waits in a 429's back-off until the test lets it go.
    sn.faults = [{ when: (u) => u.pathname.endsWith('/incident'), status: 429, headers: { 'retry-after': '1' }, body: '{}' }];
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    let waiting!: () => void;
    const inBackoff = new Promise<void>((r) => (waiting = r));
    const first = pull({
      query,
      sleep: async () => {
        waiting();
        await held;
      },
    });
    await inBackoff;
    const err = await failure(pull({ query }));
    expect(err.message).toMatch(/another pull of .* with the query "assignment_group.name=Locks" is running/);
    expect(err.message).toMatch(/Nothing was imported by this run/);
    // A dry run writes nothing and may run beside it; another query of the instance is another pull
    // (the fake instance ignores the query: it brings the same three).
    await expect(pull({ query, dryRun: true })).resolves.toMatchObject({ records: 3, created: 3 });
    await expect(pull({ query: 'assignment_group.name=Other' })).resolves.toMatchObject({ records: 3, created: 3 });
    letGo();
    await expect(first).resolves.toMatchObject({ records: 3, unchanged: 3 });
    // The lock went with the pull: the same command runs again at once (from the mark: the last record's second).
    await expect(pull({ query })).resolves.toMatchObject({ records: 1, unchanged: 1 });
  });

  it('goes on without history when sys_audit is refused (403), and says so', async () => {
    sn.incidents = [incident('ACL', 1)];
    sn.auditForbidden = true;
    const r = await pull({ since: '2024-01-01' });
    expect(r).toMatchObject({ records: 1, created: 1, historyUpdates: 0 });
    expect(r.warnings.join('\n')).toMatch(/may not read sys_audit \(403\)/);
    sn.auditForbidden = false;
  });

  it('gives a clear error for every wrong answer, and writes nothing of the failing page', async () => {
    sn.incidents = [incident('BAD', 1)];
    const cases: [Partial<PullOptions>, Record<string, unknown> | null, RegExp][] = [
      [{ password: 'wrong' }, null, /refused the user name or password \(401\)/],
      [{}, { status: 200, body: '{"result": [{"number": "BAD00001"' }, /not valid JSON \(cut short\?\)/],
      [{}, { status: 200, body: '{"result": "nope"}' }, /expected the Table API's/],
      [{}, { status: 200, body: '{"records": []}' }, /no "result" list/],
      [
        {},
        { status: 302, headers: { location: 'https://sso.example.com/login' } },
        /redirected to https:\/\/sso.example.com\/login.*single sign-on/,
      ],
      [
        {},
        { status: 403, body: '{"error": {"message": "User Not Authorized"}}' },
        /may not read the incident table \(403\): User Not Authorized/,
      ],
      [
        {},
        { status: 400, body: '{"error": {"message": "Invalid query", "detail": "x"}, "status": "failure"}' },
        /answered 400: Invalid query - x/,
      ],
      [{ maxAttempts: 3 }, { status: 503, times: 3 }, /gave up after 3 attempts: .* answered 503/],
      [
        { maxBytes: 100 },
        { status: 200, body: JSON.stringify({ result: [sn.incidents[0]] }) },
        /more than the 100 bytes read; lower --page-size/,
      ],
      [{}, { status: 200, body: '{"result": [1]}' }, /record 1 is not an object/],
      [
        {},
        { status: 200, body: JSON.stringify({ result: [{ number: 'BAD00009', state: '99', opened_at: '2024-01-01 00:00:00' }] }) },
        /not a known status/,
      ],
    ];
    for (const [over, fault, why] of cases) {
      sn.faults = fault ? [{ ...(fault as object), when: (u: URL) => u.pathname.endsWith('/incident') } as never] : [];
      const err = await failure(pull({ since: '2024-01-01', ...over }));
      expect(err.message).toMatch(why);
      expect(err.message).toContain('Nothing was imported by this run.');
    }
    sn.faults = [];
    expect(await byRef('BAD00001')).toBeNull();
    expect(await byRef('BAD00009')).toBeNull();
    // A network error, retried then given up.
    const dead = await failure(pull({ base: new URL('http://127.0.0.1:9'), maxAttempts: 2 }));
    expect(dead.message).toMatch(/gave up after 2 attempts: could not reach http:\/\/127.0.0.1:9/);
    // Never credentials to another site.
    sn.faults = [
      {
        status: 200,
        headers: { link: '<https://evil.example.com/api/now/table/incident>;rel="next"' },
        body: JSON.stringify({ result: [incident('BAD', 2)] }),
      },
    ];
    expect((await failure(pull({ since: '2024-01-01' }))).message).toMatch(/link to another site \(https:\/\/evil.example.com\)/);
    sn.faults = [];
    // An instance whose next page is always the same page.
    const loop = `${sn.url}/api/now/table/incident?sysparm_offset=7`;
    sn.faults = [
      { status: 200, times: 3, headers: { link: `<${loop}>;rel="next"` }, body: JSON.stringify({ result: [incident('BAD', 3)] }) },
    ];
    expect((await failure(pull({ since: '2024-01-01' }))).message).toMatch(/leads back to a page already read/);
    sn.faults = [];
  });
});

describe('pnpm cli import servicenow --instance', () => {
  async function cli(args: string[], password: string | null = PASSWORD) {
    const lines: string[] = [];
    const before = process.env.SERVICENOW_PASSWORD;
    if (password === null) delete process.env.SERVICENOW_PASSWORD;
    else process.env.SERVICENOW_PASSWORD = password;
    try {
      const code = await runImportsCli('import', args, (fn) => fn(t.app.orm.em.fork()), {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      });
      return { code, out: lines.join('\n') };
    } finally {
      if (before === undefined) delete process.env.SERVICENOW_PASSWORD;
      else process.env.SERVICENOW_PASSWORD = before;
    }
  }

  it('pulls with the password from SERVICENOW_PASSWORD, retrying a 429, and prints what it did', async () => {
    sn.incidents = [incident('CLI', 1), incident('CLI', 2, { state: '7' })];
    sn.faults = [{ status: 429, headers: { 'retry-after': '0' } }];
    const r = await cli(['servicenow', '--instance', sn.url, '--user', USER, '--page-size', '1', '--query', 'numberSTARTSWITHCLI']);
    expect(r.out).toMatch(/rate limited.*trying again in 0.0 s \(attempt 2\)/);
    expect(r.out).toMatch(/Pulled from http:\/\/127.0.0.1:\d+: 2 incidents in 2 pages/);
    expect(r.out).toMatch(/incidents created: 2/);
    expect(r.out).toMatch(/next run: incidents updated since 2024-06-01 10:02:00 \(UTC\)/);
    expect(r.code).toBe(0);
    expect((await byRef('CLI00002'))?.status).toBe('CLOSED');
  });

  it('refuses what it must: no password, a password on the command line, plain http, bad options', async () => {
    expect(await cli(['servicenow', '--instance', sn.url, '--user', USER], null)).toMatchObject({
      code: 1,
      out: expect.stringMatching(/set SERVICENOW_PASSWORD/),
    });
    expect((await cli(['servicenow', '--instance', sn.url, '--user', USER, '--password', 'x'])).code).toBe(2);
    expect(await cli(['servicenow', '--instance', 'http://sn.example.com', '--user', USER])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/plain http/),
    });
    expect(await cli(['servicenow', '--instance', sn.url])).toMatchObject({ code: 2, out: expect.stringMatching(/--user is required/) });
    expect(await cli(['servicenow', 'x.csv', '--instance', sn.url, '--user', USER])).toMatchObject({
      code: 2,
      out: expect.stringMatching(/not both/),
    });
    expect(await cli(['servicenow', 'x.csv', '--user', USER])).toMatchObject({
      code: 2,
      out: expect.stringMatching(/--user goes with --instance/),
    });
    expect(await cli(['servicenow', '--instance', sn.url, '--user', USER, '--page-size', '0'])).toMatchObject({ code: 2 });
    expect(await cli(['servicenow', '--instance', sn.url, '--user', USER, '--since', 'yesterday'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/--since: "yesterday" is not a date/),
    });
    expect(await cli(['servicenow', '--instance', sn.url, '--user', USER], 'wrong')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/401[\s\S]*Nothing was imported by this run \(the 1 page of the interrupted pull stay imported/),
    });
  });

  it('runs as the real command, the password from the environment (no terminal: never asked)', async () => {
    sn.incidents = [incident('REAL', 1, { state: '6', resolved_at: ['2024-06-01 09:30:00', ''] })];
    const exec = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent' };
    const args = ['cli', 'import', 'servicenow', '--instance', sn.url, '--user', USER, '--query', 'numberSTARTSWITHREAL'];
    const root = resolve(__dirname, '..');
    const { stdout, stderr } = await exec('pnpm', args, { cwd: root, env: { ...env, SERVICENOW_PASSWORD: PASSWORD }, timeout: 120_000 });
    expect(stdout).toMatch(/Pulled from http:\/\/127\.0\.0\.1:\d+: 1 incident in 1 page \(/);
    expect(stderr).toMatch(/Pulling every incident of http/);
    expect((await byRef('REAL00001'))?.status).toBe('RESOLVED');
    const refused = await exec('pnpm', args, { cwd: root, env: { ...env, SERVICENOW_PASSWORD: '' }, timeout: 120_000 }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('set SERVICENOW_PASSWORD');
  }, 180_000);
});
