import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '@ikb/api/src/features/imports/file/csv';
import { exportToString } from '@ikb/api/src/features/imports/export';
import { importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { loadMappingFile, MappingError, validateMapping } from '@ikb/api/src/features/imports/file/mapping';
import { createCategory, createService, createTeam, createUser, incidentIn, mutate } from './support/factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Files: a file with bad rows refused whole (each row and reason named) or imported
 * without its bad incidents (--skip-invalid, rejects written), another tool's CSV or JSON read
 * with a mapping file (the documented Jira Service Management one included), and the export read
 * back unchanged: into the same database and into an empty one.
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
const MAPPINGS = resolve(__dirname, '../apps/api/import-mappings');
let t: TestApp;
let tmp: string;

beforeAll(async () => {
  t = await startTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'ikb-imports-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const em = () => t.app.orm.em.fork();
const run = (kind: ImportOptions['kind'], file: string, opts: Partial<ImportOptions> = {}) =>
  importFile(em(), { kind, file: join(FIXTURES, file), ...opts });

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the import to be refused').toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

async function byRef(ref: string) {
  const [row] = await t.sql<{ id: string }>(`select id from incidents where external_ref = $1`, [ref]);
  expect(row, `no incident ${ref}`).toBeTruthy();
  return ok(
    await t.gql<{ incident: unknown }>(
      `query($id: ID!) { incident(id: $id) {
    id title description status holdReason priority priorityOverrideReason impact urgency openedAt resolvedAt closedAt
    resolution { kind code } service { name } category { name } team { name } assignee { name } reporter { name } problem { id title }
    timeline { kind summary } } }`,
      { id: row.id },
    ),
  ).incident;
}

describe('bad rows', () => {
  it('refuses a file with bad rows whole, naming each row and why; nothing is written', async () => {
    const err = await refusal(run('servicenow', 'servicenow-eventlog-bad-rows.csv'));
    expect(err.reason).toBe('INVALID_ROWS');
    expect(err.problems).toEqual([
      { row: 3, reasons: ['impact: "7 - Huge" is not an impact 1 (high) to 3 (low)'] },
      { row: 8, reasons: ['sys_updated_at: "31/31/2016 10:00" has no month 31 (read day-first)'] },
      { row: 16, reasons: ["number: is empty; every row needs the incident's reference"] },
      { row: 19, reasons: [expect.stringContaining('incident_state: "Frozen" is not a known status')] },
      { row: 21, reasons: ['resolved_at: 2016-01-01T00:00:00.000Z is before the incident was opened (2016-03-15T07:45:00.000Z)'] },
    ]);
    expect(err.message).toContain('5 rows are invalid; nothing was written');
    expect(err.message).toContain('--skip-invalid');
    const [n] = await t.sql(
      `select (select count(*) from incidents)::int as incidents, (select count(*) from problems)::int as problems, (select count(*)
        from import_runs where outcome <> 'REFUSED')::int as runs`,
    );
    expect(n).toEqual({ incidents: 0, problems: 0, runs: 0 });
    // The refusal is on record in the history, with its rows and reasons.
    const [refused] = await t.sql(`select outcome, refusal_reason, rows_rejected, rejects from import_runs`);
    expect(refused).toEqual({ outcome: 'REFUSED', refusal_reason: 'INVALID_ROWS', rows_rejected: 5, rejects: err.problems });
  });

  it('with --skip-invalid imports the good incidents and writes the rejected rows, with reasons, to a file', async () => {
    const rejectsFile = join(tmp, 'rejects.csv');
    const s = await run('servicenow', 'servicenow-eventlog-bad-rows.csv', { skipInvalid: true, rejectsFile });
    expect(s).toMatchObject({ created: 2, rejectedRows: 18, rejectedIncidents: 3, rejectsFile });
    const refs = await t.sql(`select external_ref from incidents order by 1`);
    expect(refs.map((r) => r.external_ref)).toEqual(['INC0020057', 'INC0020070']);
    // The rejects are the rows as they were, plus their row number and reason: fix and import that file.
    const rejects = parseCsv(readFileSync(rejectsFile, 'utf8'));
    expect(rejects.header.slice(-2)).toEqual(['rejected_row', 'rejected_reason']);
    expect(rejects.rows).toHaveLength(18);
    const byRow = new Map(rejects.rows.map((r) => [r[r.length - 2], r[r.length - 1]]));
    expect(byRow.get('3')).toBe('impact: "7 - Huge" is not an impact 1 (high) to 3 (low)');
    expect(byRow.get('2')).toBe('another row of INC0020045 (3) is invalid, so its whole incident is left out');
    expect(rejects.rows.find((r) => r[r.length - 2] === '3')![0]).toBe('INC0020045');
    // The run is on record.
    const [runRow] = await t.sql(
      `select source, shape, rows, incidents_created, rows_rejected from import_runs where outcome = 'IMPORTED'`,
    );
    expect(runRow).toEqual({ source: 'ServiceNow', shape: 'EVENT_LOG', rows: 21, incidents_created: 2, rows_rejected: 18 });
  });
});

describe('other tools, with a mapping file', () => {
  it('imports a Jira Service Management CSV export with the documented mapping', async () => {
    const mapping = loadMappingFile(join(MAPPINGS, 'jira-service-management.json'));
    const s = await run('csv', 'jira-service-management.csv', { mapping });
    expect(s).toMatchObject({ created: 4, problemsCreated: 1, rejectedRows: 0 });
    const login = await byRef('ITSM-101');
    expect(login).toMatchObject({
      title: 'Login page returns 500',
      description: 'SSO callback fails with HTTP 500\nfor all users',
      status: 'CLOSED',
      impact: 1,
      urgency: 1,
      priority: 1,
      openedAt: '2024-03-12T09:05:00.000Z',
      resolvedAt: '2024-03-12T11:40:00.000Z',
      closedAt: '2024-03-13T16:00:00.000Z',
      resolution: { kind: 'PERMANENT_FIX', code: 'Done' },
      service: { name: 'Identity Provider' },
      category: { name: 'Report a system problem' },
      team: { name: 'Identity team' },
      assignee: { name: 'Ada Lovelace' },
      reporter: { name: 'Grace Hopper' },
    });
    expect(await byRef('ITSM-103')).toMatchObject({ status: 'ON_HOLD', holdReason: 'AWAITING_USER', priority: 2 });
    // Jira's priority beats the matrix: kept, with the reason.
    expect(await byRef('ITSM-104')).toMatchObject({
      status: 'RESOLVED',
      resolution: { kind: 'WORKAROUND' },
      priority: 2,
      priorityOverrideReason: 'Priority as recorded in Jira Service Management',
    });
    // One problem (ITSM-90) behind three incidents; repeated Labels columns are all kept.
    const [p] = await t.sql(
      `select external_ref, (select count(*)::int from incidents i where i.problem_id = p.id) as n from problems p where
        external_ref = 'ITSM-90'`,
    );
    expect(p).toEqual({ external_ref: 'ITSM-90', n: 3 });
    const [a] = await t.sql(`select source_attributes from incidents where external_ref = 'ITSM-101'`);
    expect(a.source_attributes).toMatchObject({ labels: 'sso, login', components: 'Identity', issueType: 'Incident' });
  });

  it("imports another tool's JSON export with a mapping file (nested fields, offsets in dates)", async () => {
    const mapping = loadMappingFile(join(FIXTURES, 'generic-incidents.mapping.json'));
    const s = await run('json', 'generic-incidents.json', { mapping });
    expect(s).toMatchObject({ created: 3, rows: 3 });
    expect(await byRef('PD-Q1')).toMatchObject({
      status: 'RESOLVED',
      impact: 1,
      urgency: 1,
      priority: 2,
      priorityOverrideReason: 'Priority as recorded in PagerDuty',
      service: { name: 'Orders database' },
      team: { name: 'DBA on-call' },
      assignee: { name: 'Ada Lovelace' },
      resolvedAt: '2024-05-01T09:30:00.000Z',
    });
    expect(await byRef('PD-Q2')).toMatchObject({
      status: 'INVESTIGATING',
      openedAt: '2024-05-02T10:00:00.000Z',
      priority: 5,
      priorityOverrideReason: null,
      assignee: null,
    });
    expect(await byRef('PD-Q3')).toMatchObject({ status: 'NEW', priority: 1, team: { name: 'DBA on-call' } });
  });

  it('refuses a mapping file with its problems named', async () => {
    expect(() =>
      validateMapping({ columns: { externalRef: 'Key', bogus: 'x' }, values: { status: { Open: 'OPENED' } } }, 'm.json'),
    ).toThrowError(MappingError);
    try {
      validateMapping(
        { columns: { externalRef: 'Key', bogus: 'x' }, values: { status: { Open: 'OPENED' }, impact: { High: 7 } } },
        'm.json',
      );
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain('columns.bogus: unknown field');
      expect(msg).toContain('columns.openedAt: required');
      expect(msg).toContain('values.status["Open"]: must be one of NEW');
      expect(msg).toContain('values.impact["High"]: must be 1, 2 or 3');
    }
    // A mapping naming columns the file does not have.
    const err = await refusal(
      run('csv', 'jira-service-management.csv', { mapping: validateMapping({ columns: { externalRef: 'Key', openedAt: 'Opened' } }) }),
    );
    expect(err.reason).toBe('MISSING_COLUMNS');
    expect(err.message).toContain('externalRef (column "Key"), openedAt (column "Opened")');
  });
});

describe('export', () => {
  it('exports csv and json that read back unchanged into the same database', async () => {
    // Incidents logged here too (no external reference), with a problem and a hand-set priority.
    const team = await createTeam(t, { name: 'Export team' });
    await createUser(t, { name: 'Export person', teamId: team.id });
    const service = await createService(t, { name: 'Export service', ownerTeamId: team.id });
    const parent = await createCategory(t, { name: 'Export parent' });
    const child = await createCategory(t, { name: 'Export child', parentId: parent.id });
    const native = await incidentIn(t, 'CLOSED', {
      serviceId: service.id,
      categoryId: child.id,
      description: '  Leading spaces and\na second line  ',
    });
    await mutate(t, `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`, {
      id: (await incidentIn(t, 'INVESTIGATING')).id,
      input: { priority: 1, priorityReason: 'VIP customer' },
    });
    const problem = await mutate<{ id: string }>(t, `mutation { createProblem(input: { title: "Export problem" }) { id } }`);
    await mutate(t, `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
      i: native.id,
      p: problem.id,
    });

    const csv = await exportToString(em(), 'csv');
    const json = await exportToString(em(), 'json');
    const total = (await t.sql<{ n: number }>(`select count(*)::int as n from incidents`))[0]!.n;
    expect(parseCsv(csv).rows).toHaveLength(total);
    expect(JSON.parse(json).incidents).toHaveLength(total);
    const back = await importFile(em(), { kind: 'csv', file: 'export.csv', text: csv });
    expect(back).toMatchObject({ created: 0, updated: 0, unchanged: total, problemsCreated: 0, events: 0 });
    const backJson = await importFile(em(), { kind: 'json', file: 'export.json', text: json });
    expect(backJson).toMatchObject({ created: 0, updated: 0, unchanged: total, problemsCreated: 0 });
  });

  it('exports csv that an empty database imports to the same incidents (the round trip)', async () => {
    const csv = await exportToString(em(), 'csv');
    const other = await startTestApp();
    try {
      const s = await importFile(other.app.orm.em.fork(), { kind: 'csv', file: 'export.csv', text: csv });
      const total = parseCsv(csv).rows.length;
      expect(s).toMatchObject({ created: total, updated: 0 });
      const again = await exportToString(other.app.orm.em.fork(), 'csv');
      // Numbers are the new database's own; SLA clocks are recomputed from the single-step timeline.
      const skip = new Set(['number', 'updatedAt', 'resolutionSlaClock']);
      const rows = (text: string) => {
        const table = parseCsv(text);
        return table.rows
          .map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]).filter(([h]) => !skip.has(h))))
          .sort((a, b) => (a.id < b.id ? -1 : 1));
      };
      expect(rows(again)).toEqual(rows(csv));
      expect(await importFile(other.app.orm.em.fork(), { kind: 'csv', file: 'export.csv', text: again })).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: total,
      });
    } finally {
      await other.close();
    }
  }, 180_000);
});

describe('command functions', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
  };
  const withEm = <T>(fn: (e: ReturnType<typeof em>) => Promise<T>) => fn(em());

  it('explains usage mistakes without touching the database', async () => {
    const c = capture();
    expect(await runImportsCli('import', ['xml', 'file.xml'], withEm, c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('say what to import: servicenow, csv or json');
    expect(await runImportsCli('import', ['servicenow', 'x.csv', '--date-format', 'ddmm'], withEm, c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('--date-format must be one of auto, dmy, mdy, ymd');
    expect(await runImportsCli('import', ['servicenow', join(FIXTURES, 'servicenow-table.csv'), '--rejects', 'r.csv'], withEm, c.io)).toBe(
      2,
    );
    expect(await runImportsCli('export', ['xml'], withEm, c.io)).toBe(2);
    expect(await runImportsCli('import', ['csv', join(tmp, 'missing.csv')], withEm, c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('no file');
  });

  it('imports with a summary and exports to a file', async () => {
    const c = capture();
    expect(await runImportsCli('import', ['servicenow', join(FIXTURES, 'servicenow-table.csv'), '--dry-run'], withEm, c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/incidents would be created: +5/);
    const out = join(tmp, 'export.json');
    expect(await runImportsCli('export', ['json', '--out', out], withEm, c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/Exported \d+ incidents to .*export.json \(json\)/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'incident-knowledge-base/incidents', version: 1 });
  });
});
