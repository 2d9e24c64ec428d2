import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { dbSnapshot, expectSameDb, type DbSnapshot } from './support/assertions';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * ServiceNow imports: both shapes (the audit event log, one row per update, and the
 * incident table, one row per incident), day-first and month-first dates, ambiguity refused,
 * "?" as empty, reopened incidents, problems shared by several incidents, made_sla as the recorded
 * SLA verdict, re-import idempotence, a newer export, dry runs, and the real `pnpm cli import`.
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

function run(file: string, opts: Partial<ImportOptions> = {}) {
  return importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: join(FIXTURES, file), ...opts });
}

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the import to be refused').toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

/** A snapshot without what any import run writes (its run record) or background jobs touch. */
async function snapshot(): Promise<DbSnapshot> {
  const s = await dbSnapshot(t);
  for (const part of [s.counts, s.hashes] as Record<string, unknown>[]) {
    for (const k of Object.keys(part)) if (k === 'import_runs' || k.startsWith('analytics_') || k === 'audit_log') delete part[k];
  }
  return s;
}

const INCIDENT = `id number title description status holdReason source externalRef impact urgency priority priorityOverridden
  reopenCount reassignmentCount openedAt acknowledgedAt resolvedAt closedAt
  resolution { kind code notes }
  service { name } category { name } team { name } assignee { name } reporter { name }
  problem { id number title }
  slaClocks { target state verdict }
  timeline { seq kind summary actorName at before after }`;

async function byRef(ref: string) {
  const [row] = await t.sql<{ id: string }>(`select id from incidents where external_ref = $1`, [ref]);
  expect(row, `no incident ${ref}`).toBeTruthy();
  const d = ok(await t.gql<{ incident: ImportedIncident }>(`query($id: ID!) { incident(id: $id) { ${INCIDENT} } }`, { id: row.id }));
  return d.incident;
}

/** INCIDENT, as these tests read it. */
interface ImportedIncident {
  title: string;
  description: string | null;
  status: string;
  acknowledgedAt: string | null;
  problem: { id: string; number: string; title: string } | null;
  slaClocks: { target: string; state: string; verdict: string }[];
  timeline: { seq: number; kind: string; summary: string; actorName: string | null; at: string; before: unknown; after: unknown }[];
}

describe('ServiceNow audit event log', () => {
  it('rebuilds each incident from its update rows: final state, timeline of state changes, "?" as empty', async () => {
    const s = await run('servicenow-eventlog-dmy.csv');
    expect(s).toMatchObject({
      shape: 'event log',
      rows: 21,
      incidents: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      problemsCreated: 2,
      rejectedRows: 0,
      dateOrder: 'dmy',
    });
    expect(s.dateEvidence).toContain('row 2 opened_at "29/2/2016 01:16"');

    const reopened = await byRef('INC0000047');
    expect(reopened).toMatchObject({
      status: 'CLOSED',
      source: 'IMPORT',
      externalRef: 'INC0000047',
      impact: 2,
      urgency: 1,
      priority: 2,
      priorityOverridden: false,
      reopenCount: 1,
      reassignmentCount: 1,
      openedAt: '2016-03-01T09:00:00.000Z',
      acknowledgedAt: '2016-03-01T09:40:00.000Z',
      resolvedAt: '2016-03-04T17:45:00.000Z',
      closedAt: '2016-03-09T18:00:00.000Z',
      resolution: { kind: 'PERMANENT_FIX', code: 'code 9' },
      category: { name: 'Subcategory 215' },
      team: { name: 'Group 24' },
      assignee: { name: 'Resolver 31' },
      reporter: { name: 'Caller 2833' },
    });
    expect(reopened.title).toBe('Symptom 471 · Category 40 / Subcategory 215');
    const kinds = reopened.timeline.map((e: { kind: string; summary: string }) => `${e.kind}: ${e.summary}`);
    expect(kinds[0]).toMatch(/^LOGGED: Logged INC-\d{6} from import \(ServiceNow INC0000047\)/);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ACKNOWLEDGED: Acknowledged by Updated by 21',
        'ASSIGNED: Assigned to Resolver 17 / Group 70',
        'STATUS_CHANGED: NEW -> INVESTIGATING',
        'STATUS_CHANGED: INVESTIGATING -> ON_HOLD (awaiting user)',
        'ASSIGNED: Reassigned to Resolver 31 / Group 24',
        'STATUS_CHANGED: INVESTIGATING -> RESOLVED (code 6)',
        'REOPENED: Reopened (reopen #1)',
        'STATUS_CHANGED: INVESTIGATING -> RESOLVED (code 9)',
        'STATUS_CHANGED: RESOLVED -> CLOSED',
      ]),
    );
    // In the order it happened, numbered from 1, at the source's times, by the source's people.
    const at = reopened.timeline.map((e: { at: string }) => e.at);
    expect([...at].sort()).toEqual(at);
    expect(reopened.timeline.map((e: { seq: number }) => e.seq)).toEqual(reopened.timeline.map((_: unknown, i: number) => i + 1));
    const onHold = reopened.timeline.find((e: { summary: string }) => e.summary.includes('ON_HOLD'));
    expect(onHold).toMatchObject({
      at: '2016-03-01T10:10:00.000Z',
      actorName: 'Updated by 17',
      after: { status: 'ON_HOLD', holdReason: 'AWAITING_USER' },
    });
    expect(reopened.timeline.find((e) => e.kind === 'REOPENED')!.at).toBe('2016-03-04T08:15:00.000Z');

    // rfc and caused_by are kept as references; made_sla is the recorded resolution verdict.
    const refs = await t.sql(
      `select external_ref, change_ref, caused_by_ref, recorded_resolution_sla_verdict as verdict from incidents order by external_ref`,
    );
    expect(refs).toEqual([
      { external_ref: 'INC0000045', change_ref: null, caused_by_ref: null, verdict: 'MET' },
      { external_ref: 'INC0000047', change_ref: 'CHG0000123', caused_by_ref: 'CHG0000100', verdict: 'BREACHED' },
      // Open and not breached yet: no verdict.
      { external_ref: 'INC0000057', change_ref: null, caused_by_ref: null, verdict: null },
      { external_ref: 'INC0000062', change_ref: null, caused_by_ref: null, verdict: 'MET' },
      { external_ref: 'INC0000070', change_ref: null, caused_by_ref: null, verdict: null },
    ]);
    // The same through the API.
    const api = ok(
      await t.gql<{ incidents: { nodes: { externalRef: string }[] } }>(
        `{ incidents(first: 10) { nodes { externalRef changeRef causedByRef recordedResolutionSlaVerdict } } }`,
      ),
    ).incidents.nodes;
    expect(api.find((n) => n.externalRef === 'INC0000047')).toEqual({
      externalRef: 'INC0000047',
      changeRef: 'CHG0000123',
      causedByRef: 'CHG0000100',
      recordedResolutionSlaVerdict: 'BREACHED',
    });

    // "?" is empty: no caller, no subcategory (the category stands alone), no assignment group.
    const sparse = await byRef('INC0000057');
    expect(sparse).toMatchObject({
      status: 'ON_HOLD',
      holdReason: 'AWAITING_VENDOR',
      reporter: null,
      team: null,
      category: { name: 'Category 26' },
      assignee: { name: 'Resolver 8' },
    });
    expect(sparse.title).toBe('Category 26');
    const [attrs] = await t.sql(`select source_attributes from incidents where external_ref = 'INC0000057'`);
    expect(attrs.source_attributes).toEqual({
      contactType: 'Email',
      knowledge: 'false',
      notify: 'Do Not Notify',
      priorityConfirmation: 'false',
      vendor: 'Vendor 1',
    });

    // The unknown state (-100) keeps the state it had; resolved straight from new.
    const direct = await byRef('INC0000062');
    expect(
      direct.timeline
        .map((e: { kind: string; summary: string }) => `${e.kind}: ${e.summary}`)
        .filter((x: string) => x.startsWith('STATUS')),
    ).toEqual(['STATUS_CHANGED: NEW -> RESOLVED (code 5)', 'STATUS_CHANGED: RESOLVED -> CLOSED']);
    expect(direct.acknowledgedAt).toBeNull();

    // A priority raised on the way: classified when it happened, SLA on the final priority.
    const raised = await byRef('INC0000045');
    expect(raised.timeline.find((e) => e.kind === 'CLASSIFIED')).toMatchObject({
      at: '2016-02-29T08:53:00.000Z',
      before: { impact: 2, priority: 3 },
      after: { impact: 1, priority: 2 },
    });
    expect(raised.slaClocks.map((c: { target: string; state: string }) => `${c.target} ${c.state}`).sort()).toEqual([
      'RESOLUTION STOPPED',
      'RESPONSE STOPPED',
    ]);
  });

  it('links incidents to problems found or created by their reference, shared by several incidents', async () => {
    const problems = await t.sql(
      `select external_ref, title, status, (select count(*)::int from incidents i where i.problem_id = p.id) as incidents from problems
        p order by external_ref`,
    );
    expect(problems).toEqual([
      { external_ref: 'PRB000012', title: 'Problem PRB000012 (imported)', status: 'OPEN', incidents: 2 },
      { external_ref: 'PRB000013', title: 'Problem PRB000013 (imported)', status: 'OPEN', incidents: 2 },
    ]);
    const first = await byRef('INC0000045');
    const second = await byRef('INC0000047');
    expect(first.problem!.id).toBe(second.problem!.id);
    expect(second.timeline.find((e) => e.kind === 'PROBLEM_LINKED')).toMatchObject({
      at: '2016-03-04T17:45:00.000Z',
      summary: expect.stringContaining(first.problem!.number),
    });
    const d = ok(
      await t.gql<{ problem: { timeline: { kind: string }[] } }>(`query($id: ID!) { problem(id: $id) { timeline { kind summary } } }`, {
        id: first.problem!.id,
      }),
    );
    expect(d.problem.timeline.map((e) => e.kind)).toEqual(['CREATED', 'INCIDENT_LINKED', 'INCIDENT_LINKED']);
  });

  it('gives imported incidents SLA clocks and search documents', async () => {
    const [c] = await t.sql(`select count(*)::int as clocks, count(distinct incident_id)::int as incidents from sla_clocks`);
    expect(c).toEqual({ clocks: 10, incidents: 5 });
    // Resolved and closed incidents are in the solution catalog, found by their ServiceNow number.
    const docs = await t.sql(`select count(*)::int as n from search_documents where kind = 'INCIDENT'`);
    expect(docs[0].n).toBe(3);
    // Their vectors (computed ahead on a second connection, search-side.ts) are what the search view gives.
    const [{ differ }] = await t.sql(
      `select count(*)::int as differ from search_documents d join search_source_incidents s using (entity_id)
        where d.tsv is distinct from search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned) or d.body is distinct from s.body
          or d.fix is distinct from s.fix or d.identifiers is distinct from s.identifiers`,
    );
    expect(differ).toBe(0);
    const found = ok(
      await t.gql<{ search: { nodes: { kind: string; title: string }[] } }>(
        `query { search(input: { query: "INC0000047" }) { nodes { kind title } } }`,
      ),
    );
    // The incident first; its problem after it (it learned the incident's text, number included).
    expect(found.search.nodes[0]).toEqual(
      expect.objectContaining({ kind: 'INCIDENT', title: 'Symptom 471 · Category 40 / Subcategory 215' }),
    );
    expect(found.search.nodes.slice(1).map((n) => n.kind)).toEqual(['PROBLEM']);
    // The row triggers are back on: a change made in the app reaches the catalog again.
    const [{ tgenabled }] = await t.sql(`select tgenabled from pg_trigger where tgname = 'search_on_incidents'`);
    expect(tgenabled).toBe('O');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot();
    const s = await run('servicenow-eventlog-dmy.csv');
    expect(s).toMatchObject({ created: 0, updated: 0, unchanged: 5, problemsCreated: 0, events: 0 });
    expectSameDb(before, await snapshot(), 'same file again');
  });

  it('reports in a dry run what a newer export would change, and writes nothing', async () => {
    const before = await snapshot();
    const s = await run('servicenow-eventlog-dmy-v2.csv', { dryRun: true });
    expect(s).toMatchObject({ dryRun: true, created: 1, updated: 2, unchanged: 3, runId: null });
    expect(
      s.changes
        .filter((c) => c.action === 'update')
        .map((c) => [c.ref, c.fields.sort()])
        .sort(),
    ).toEqual([
      ['INC0000057', ['holdReason', 'resolutionCode', 'resolutionKind', 'resolvedAt', 'status', 'verdict']],
      ['INC0000070', ['acknowledgedAt', 'assigneeId', 'status']],
    ]);
    expectSameDb(before, await snapshot(), 'dry run');
  });

  it('updates what a newer export changed, continuing the timelines, and adds the new incidents', async () => {
    const old = await byRef('INC0000057');
    const s = await run('servicenow-eventlog-dmy-v2.csv');
    expect(s).toMatchObject({ created: 1, updated: 2, unchanged: 3, problemsCreated: 0 });
    const now = await byRef('INC0000057');
    expect(now).toMatchObject({
      status: 'RESOLVED',
      holdReason: null,
      resolvedAt: '2016-03-21T15:00:00.000Z',
      resolution: { kind: 'PERMANENT_FIX', code: 'code 7' },
    });
    // The old events stay as they were; the new rows follow them.
    expect(now.timeline.slice(0, old.timeline.length)).toEqual(old.timeline);
    expect(
      now.timeline.slice(old.timeline.length).map((e: { kind: string; summary: string; at: string }) => `${e.at} ${e.summary}`),
    ).toEqual(['2016-03-20T09:00:00.000Z ON_HOLD -> INVESTIGATING', '2016-03-21T15:00:00.000Z INVESTIGATING -> RESOLVED (code 7)']);
    // The verdict ServiceNow recorded comes with the resolution.
    expect(now.timeline.at(-1)).toMatchObject({
      before: { recordedSlaVerdict: null },
      after: { status: 'RESOLVED', recordedSlaVerdict: 'BREACHED' },
    });
    const [v] = await t.sql(`select recorded_resolution_sla_verdict as v from incidents where external_ref = 'INC0000057'`);
    expect(v.v).toBe('BREACHED');
    expect(await byRef('INC0000070')).toMatchObject({ status: 'INVESTIGATING', assignee: { name: 'Resolver 17' } });
    expect(await byRef('INC0000081')).toMatchObject({ status: 'INVESTIGATING', assignee: { name: 'Resolver 149' } });
    // And that newer file is now the one that changes nothing.
    const before = await snapshot();
    expect(await run('servicenow-eventlog-dmy-v2.csv')).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
    expectSameDb(before, await snapshot(), 'newer file again');
  });
});

describe('dates', () => {
  it('reads a month-first export', async () => {
    const s = await run('servicenow-eventlog-mdy.csv');
    expect(s).toMatchObject({ created: 5, dateOrder: 'mdy' });
    expect(s.dateEvidence).toContain('"2/29/2016 01:16"');
    const i = await byRef('INC0010045');
    expect(i).toMatchObject({ openedAt: '2016-02-29T01:16:00.000Z', closedAt: '2016-03-05T12:00:00.000Z' });
  });

  it('refuses a file whose dates read both ways, naming the rows that would settle it; --date-format and --timezone decide', async () => {
    const err = await refusal(run('servicenow-eventlog-ambiguous.csv'));
    expect(err.reason).toBe('AMBIGUOUS_DATES');
    expect(err.message).toContain('cannot tell day-first from month-first');
    expect(err.message).toContain('row 2 opened_at "3/4/2016 10:00"');
    expect(err.message).toMatch(/These rows would settle it .*: 2, 3, 4, 5, 6, 7/);
    expect(err.message).toContain('--date-format dmy');
    expect((await t.sql(`select count(*)::int as n from incidents where external_ref like 'INC00090%'`))[0].n).toBe(0);

    const s = await run('servicenow-eventlog-ambiguous.csv', { dateFormat: 'mdy', timeZone: 'Europe/Berlin' });
    expect(s).toMatchObject({ created: 3, dateOrder: 'mdy', timeZone: 'Europe/Berlin' });
    // 3/4/2016 10:00 month-first in Berlin (CET, UTC+1) is 4 March 09:00 UTC; 7/8/2016 is in summer time (UTC+2).
    const rows = await t.sql<{ external_ref: string; opened_at: Date }>(
      `select external_ref, opened_at from incidents where external_ref like 'INC00090%' order by 1`,
    );
    expect(rows.map((r) => new Date(r.opened_at).toISOString())).toEqual([
      '2016-03-04T09:00:00.000Z',
      '2016-05-06T08:00:00.000Z',
      '2016-07-08T08:00:00.000Z',
    ]);
  });

  it('refuses a file that mixes day-first and month-first dates', async () => {
    const header = readFileSync(join(FIXTURES, 'servicenow-eventlog-dmy.csv'), 'utf8').split('\n')[0];
    const cols = header.split(',');
    const line = (number: string, opened: string) =>
      cols
        .map((c) =>
          c === 'number'
            ? number
            : c === 'opened_at' || c === 'sys_updated_at'
              ? opened
              : c === 'incident_state'
                ? 'New'
                : c === 'sys_mod_count'
                  ? '0'
                  : '?',
        )
        .join(',');
    const text = [header, line('INC0099001', '13/02/2016 10:00'), line('INC0099002', '02/14/2016 10:00')].join('\n');
    const err = await refusal(importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: 'mixed.csv', text }));
    expect(err.reason).toBe('MIXED_DATES');
    expect(err.message).toContain(
      'row 2 has opened_at "13/02/2016 10:00" (day first) but row 3 has opened_at "02/14/2016 10:00" (month first)',
    );
  });

  it('refuses an unknown time zone', async () => {
    const err = await refusal(run('servicenow-eventlog-dmy.csv', { timeZone: 'Mars/Olympus' }));
    expect(err.reason).toBe('BAD_OPTION');
    expect(err.message).toContain('"Mars/Olympus" is not an IANA time zone');
  });
});

describe('ServiceNow incident table export', () => {
  it('imports one row per incident: states, close codes, services, multi-line text', async () => {
    const s = await run('servicenow-table.csv');
    expect(s).toMatchObject({ shape: 'one row per incident', created: 5, problemsCreated: 1 });
    const outage = await byRef('INC0010001');
    expect(outage).toMatchObject({
      title: 'Checkout returns HTTP 502',
      status: 'CLOSED',
      priority: 1,
      service: { name: 'Payments API' },
      category: { name: 'Payment gateway' },
      team: { name: 'Payments on-call' },
      assignee: { name: 'Ada Lovelace' },
      reporter: { name: 'Grace Hopper' },
      resolution: { kind: 'WORKAROUND', code: 'Solved (Work Around)', notes: 'Rolled back the gateway client; retries cleared the queue.' },
      resolvedAt: '2024-03-04T10:02:30.000Z',
      closedAt: '2024-03-06T09:00:00.000Z',
      reassignmentCount: 1,
    });
    expect(outage.description).toBe('Customers cannot pay; the payment step fails with "Bad gateway".\nStarted after the 09:00 deploy.');
    // Without update rows the timeline is what the row's times say: logged, resolved, closed.
    expect(outage.timeline.map((e: { kind: string; at: string }) => `${e.kind} ${e.at}`)).toEqual([
      'LOGGED 2024-03-04T09:12:00.000Z',
      'STATUS_CHANGED 2024-03-04T10:02:30.000Z',
      'STATUS_CHANGED 2024-03-06T09:00:00.000Z',
      'PROBLEM_LINKED 2024-03-06T09:00:00.000Z',
    ]);
    expect(await byRef('INC0010002')).toMatchObject({ status: 'ON_HOLD', holdReason: 'AWAITING_USER', resolvedAt: null });
    expect(await byRef('INC0010003')).toMatchObject({ status: 'RESOLVED', reopenCount: 1, resolution: { kind: 'PERMANENT_FIX' } });
    expect(await byRef('INC0010004')).toMatchObject({
      status: 'CLOSED',
      resolution: { kind: 'NO_FIX_NEEDED', code: 'Closed/Resolved by Caller' },
    });
    expect(await byRef('INC0010005')).toMatchObject({ status: 'INVESTIGATING', priority: 4 });
    const [v] = await t.sql(
      `select string_agg(coalesce(recorded_resolution_sla_verdict, '-'), ',' order by external_ref) as v from incidents where
        external_ref in ('INC0010001', 'INC0010002', 'INC0010003', 'INC0010004', 'INC0010005')`,
    );
    expect(v.v).toBe('MET,-,BREACHED,MET,-');
  });

  it('applies a newer table export as one step per incident', async () => {
    const text = readFileSync(join(FIXTURES, 'servicenow-table.csv'), 'utf8')
      .replace(
        'INC0010005,Mailbox full warnings,Users get quota warnings,In Progress,3 - Low,2 - Medium,4 - Low',
        'INC0010005,Mailbox full warnings,Users get quota warnings,Resolved,3 - Low,1 - High,3 - Moderate',
      )
      .replace(
        '2024-03-09 10:00:00,,,2024-03-09 10:20:00,1,,',
        '2024-03-09 10:00:00,2024-03-09 12:00:00,,2024-03-09 12:00:00,2,Solved (Permanently),',
      );
    const s = await importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: 'servicenow-table-newer.csv', text });
    expect(s).toMatchObject({ created: 0, updated: 1, unchanged: 4 });
    const i = await byRef('INC0010005');
    expect(i).toMatchObject({ status: 'RESOLVED', urgency: 1, priority: 3, resolvedAt: '2024-03-09T12:00:00.000Z' });
    expect(i.timeline.slice(-2).map((e: { kind: string; summary: string }) => `${e.kind}: ${e.summary}`)).toEqual([
      'CLASSIFIED: Classified: impact 3, urgency 1, priority P3',
      'STATUS_CHANGED: INVESTIGATING -> RESOLVED (Solved (Permanently))',
    ]);
    expect(i.timeline.at(-1)!.after).toMatchObject({ status: 'RESOLVED', recordedSlaVerdict: 'MET' });
  });
});

describe('pnpm cli import', () => {
  it('runs the real command against the test database', async () => {
    const root = resolve(__dirname, '..');
    const exec = promisify(execFile);
    const { stdout } = await exec(
      'pnpm',
      ['cli', 'import', 'servicenow', 'tests/fixtures/imports/servicenow-eventlog-bad-rows.csv', '--skip-invalid', '--dry-run'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent' },
        timeout: 120_000,
      },
    );
    expect(stdout).toContain('Dry run of servicenow-eventlog-bad-rows.csv');
    expect(stdout).toMatch(/incidents would be created: +2/);
    expect(stdout).toMatch(/rows rejected: +18 \(3 incidents left out\)/);

    const refused = await exec('pnpm', ['cli', 'import', 'servicenow', 'tests/fixtures/imports/servicenow-eventlog-bad-rows.csv'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent' },
      timeout: 120_000,
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('row 3: impact: "7 - Huge" is not an impact 1 (high) to 3 (low)');
    expect((await t.sql(`select count(*)::int as n from incidents where external_ref like 'INC002%'`))[0].n).toBe(0);
  }, 180_000);
});
