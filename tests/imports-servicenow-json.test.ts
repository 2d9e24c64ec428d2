import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { formatSummary } from '@ikb/api/src/features/imports/import-summary';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * `import servicenow` with the Table API's JSON (GET /api/now/table/incident) in its three shapes:
 * sysparm_display_value=false (codes, sys_ids, references as {link, value}), =true (labels and
 * names) and =all ({display_value, value} everywhere); JSON told from CSV by content, not by name;
 * durations written as dates, empty dates as "", booleans as strings; hostile JSON refused whole.
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'sn-json-'));

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

function run(file: string, opts: Partial<ImportOptions> = {}) {
  return importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: file.startsWith('/') ? file : join(FIXTURES, file), ...opts });
}

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the import to be refused').toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

const INCIDENT = `status holdReason impact urgency priority reopenCount reassignmentCount openedAt resolvedAt closedAt title description
  resolution { kind code notes } service { name } category { name } team { name } assignee { name } reporter { name }
  slaClocks { target verdict }`;

async function byRef(ref: string) {
  const [row] = await t.sql<{ id: string; source_attributes: Record<string, string> | null }>(
    `select id, source_attributes from incidents where external_ref = $1`,
    [ref],
  );
  expect(row, `no incident ${ref}`).toBeTruthy();
  const d = ok(await t.gql<{ incident: Record<string, unknown> }>(`query($id: ID!) { incident(id: $id) { ${INCIDENT} } }`, { id: row.id }));
  return { ...d.incident, attributes: row.source_attributes ?? {} } as Record<string, unknown> & { attributes: Record<string, string> };
}

/** A fixture with its incidents renumbered (INC00100xx -> <prefix>xx), so each test has its own. */
function renumbered(file: string, prefix: string): string {
  const out = join(dir, `${prefix}-${file}`);
  writeFileSync(out, readFileSync(join(FIXTURES, file), 'utf8').replaceAll('INC00100', prefix));
  return out;
}

describe('ServiceNow Table API JSON', () => {
  it('sysparm_display_value=all: names from display values, dates and durations from values (UTC)', async () => {
    const s = await run('servicenow-table-api-all.json');
    expect(s).toMatchObject({ mapping: 'ServiceNow Table API (JSON)', shape: 'one row per incident', rows: 3, incidents: 3, created: 3 });
    expect(s.warnings).toEqual([]);
    const closed = await byRef('INC0010001');
    expect(closed).toMatchObject({
      status: 'CLOSED',
      impact: 1,
      urgency: 1,
      priority: 1,
      reopenCount: 1,
      reassignmentCount: 2,
      // The display values are 12:00:00 AM Pacific; the values are UTC and win.
      openedAt: '2024-03-01T08:00:00.000Z',
      resolvedAt: '2024-03-21T14:05:49.000Z',
      closedAt: '2024-03-24T14:06:00.000Z',
      title: 'Email down for the Berlin office',
      resolution: { kind: 'PERMANENT_FIX', code: 'Solved (Permanently)' },
      team: { name: 'Network' },
      assignee: { name: 'Beth Anglin' },
      reporter: { name: 'Abel Tuter' },
      service: { name: 'Email' },
    });
    expect(closed.attributes).toMatchObject({
      sysId: '1c741bd70b2322007518478d83673af3',
      businessDuration: '20 d 06:05:49',
      calendarDuration: '20 d 06:05:49',
      tags: 'email, berlin',
      configurationItem: 'EXCH-SD-05',
    });
    const open = await byRef('INC0010002');
    expect(open).toMatchObject({
      status: 'INVESTIGATING',
      priority: 3,
      resolvedAt: null,
      closedAt: null,
      assignee: null,
      team: { name: 'Service Desk' },
    });
    expect(open.attributes.businessDuration).toBeUndefined();
    const held = await byRef('INC0010003');
    expect(held).toMatchObject({ status: 'ON_HOLD', holdReason: 'AWAITING_USER', priority: 4, service: null });
    expect(held.attributes.holdReason).toBe('Awaiting Caller');
  });

  it('the same incidents exported raw or as display values change nothing when they say the same', async () => {
    // =true: the same names and labels (categories are labels there too); re-importing is idempotent.
    const again = await run('servicenow-table-api-all.json');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const display = await run('servicenow-table-api-display.json');
    expect(display).toMatchObject({ rows: 3, created: 0 });
    expect(display.warnings?.join('\n')).toContain('dates are display values');
    const closed = await byRef('INC0010001');
    expect(closed).toMatchObject({ status: 'CLOSED', priority: 1, team: { name: 'Network' }, assignee: { name: 'Beth Anglin' } });
    expect((await byRef('INC0010003')).team).toEqual({ name: 'Network' });
    // Told the zone, the display dates are read in it and the warning goes.
    const zoned = await run('servicenow-table-api-display.json', { timeZone: 'UTC', dryRun: true });
    expect(zoned.warnings).toEqual([]);
  });

  it('sysparm_display_value=false: codes read, sys_ids kept as names with a warning', async () => {
    const s = await run(renumbered('servicenow-table-api-raw.json', 'INC00200'));
    expect(s).toMatchObject({ rows: 3, created: 3, rejectedRows: 0 });
    expect(s.warnings?.[0]).toMatch(/^assignment_group, assigned_to, caller_id, .*hold sys_ids only.*sysparm_display_value=all/);
    expect(formatSummary(s)).toContain('note: assignment_group');
    const closed = await byRef('INC0020001');
    expect(closed).toMatchObject({
      status: 'CLOSED',
      priority: 1,
      impact: 1,
      openedAt: '2024-03-01T08:00:00.000Z',
      team: { name: '287ebd7da9fe198100f92cc8d1d2154e' },
      assignee: { name: '46d44a23a9fe19810012d100cca80666' },
    });
    expect(closed.attributes.businessDuration).toBe('20 d 06:05:49');
    expect((await byRef('INC0020003')).status).toBe('ON_HOLD');
    const [runRow] = await t.sql<{ details: { warnings?: string[] }; options: { mapping: string } }>(
      `select details, options from import_runs where id = $1`,
      [s.runId],
    );
    expect(runRow.details.warnings?.[0]).toContain('sys_ids only');
    expect(runRow.options.mapping).toBe('ServiceNow Table API (JSON)');
  });

  it('is told from CSV by its content, whatever the file is called, and from text given directly', async () => {
    const one = { number: 'INC0010009', state: '1', opened_at: '2024-01-02 03:04:05', short_description: 'x' };
    const text = `\n  ${JSON.stringify({ result: [one] })}`;
    const csvNamed = join(dir, 'export.csv');
    writeFileSync(csvNamed, text);
    expect(await run(csvNamed)).toMatchObject({ rows: 1, created: 1, mapping: 'ServiceNow Table API (JSON)' });
    // The text of an upload, with a BOM.
    const s = await importFile(t.app.orm.em.fork(), { kind: 'servicenow', file: 'upload', text: `\ufeff${text}`, dryRun: true });
    expect(s).toMatchObject({ rows: 1, unchanged: 1 });
    // The CSV export still reads as before.
    expect(await run('servicenow-table.csv', { dryRun: true })).toMatchObject({ mapping: 'ServiceNow incident export' });
  });

  it('sets bad records aside with --skip-invalid, into a JSON rejects file; the CLI reads JSON too', async () => {
    const file = join(dir, 'mixed.json');
    const good = { number: 'INC0030001', state: { display_value: 'New', value: '1' }, opened_at: '2024-01-02 03:04:05' };
    const bad = { number: 'INC0030002', state: { display_value: 'Weird', value: '42' }, opened_at: '2024-01-02 03:04:05' };
    writeFileSync(file, JSON.stringify({ result: [good, bad] }));
    const s = await run(file, { skipInvalid: true });
    expect(s).toMatchObject({ created: 1, rejectedRows: 1, rejectsFile: join(dir, 'mixed.rejects.json') });
    const rejects = JSON.parse(readFileSync(join(dir, 'mixed.rejects.json'), 'utf8'));
    expect(rejects.rejects[0]).toMatchObject({ record: 2, values: { number: 'INC0030002', state: 'Weird' } });
    expect(rejects.rejects[0].reasons[0]).toMatch(/not a known status/);

    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const raw = renumbered('servicenow-table-api-raw.json', 'INC00400');
    const code = await runImportsCli('import', ['servicenow', raw], (fn) => fn(t.app.orm.em.fork()), io);
    expect(lines.join('\n')).toMatch(/ServiceNow Table API \(JSON\), one row per incident\): 3 rows[\s\S]*note: assignment_group/);
    expect(code).toBe(0);
  });

  it('leaves empty a reference whose record is gone (a sys_id without a display value), and says so', async () => {
    const file = join(dir, 'dangling.json');
    const gone = { display_value: '', value: '0a52d3dcd7011200f2d224837e6103f2' };
    const rec = {
      number: 'INC0050001',
      state: { display_value: 'New', value: '1' },
      opened_at: '2024-01-02 03:04:05',
      assignment_group: gone,
    };
    writeFileSync(file, JSON.stringify({ result: [rec] }));
    const s = await run(file);
    expect(s.warnings?.join('\n')).toMatch(/some assignment_group values are sys_ids without a display value/);
    expect(await byRef('INC0050001')).toMatchObject({ team: null });
  });

  it('refuses hostile JSON whole, saying why, and writes nothing', async () => {
    const cases: [string, RegExp][] = [
      ['{"result": [{"number": "INC1", "opened_at": "2024-01-01 00:00:00"', /not valid JSON/],
      ['{"result": "nope"}', /expected the Table API's \{"result": \[\.\.\.\]\}/],
      [
        '{"error": {"message": "User Not Authenticated", "detail": "Required to provide Auth information"}, "status": "failure"}',
        /ServiceNow error answer.*User Not Authenticated/,
      ],
      ['{"result": [1, 2]}', /records 1, 2 are not an object/],
      ['[]', /has no records to import/],
      ['{"result": [{"short_description": "no number"}]}', /does not have the columns/],
      ['{"result": [{"number": "INC0010077", "state": "42", "opened_at": "2024-01-01 00:00:00"}]}', /not a known status/],
      ['{"result": [{"number": "INC0010078", "state": "1", "opened_at": ""}]}', /opened/],
    ];
    const before = await t.sql<{ n: number }>(`select count(*)::int as n from incidents`);
    for (const [text, why] of cases) {
      const file = join(dir, 'hostile.json');
      writeFileSync(file, text);
      const err = await refusal(run(file));
      expect(err.message).toMatch(why);
    }
    const deep = join(dir, 'deep.json');
    writeFileSync(
      deep,
      `{"result": [{"number": "INC0010079", "opened_at": "2024-01-01 00:00:00", "x": ${'['.repeat(5000)}${']'.repeat(5000)}}]}`,
    );
    await run(deep, { dryRun: true }).catch((e: unknown) => expect(e).toBeInstanceOf(ImportRefused));
    expect(await t.sql<{ n: number }>(`select count(*)::int as n from incidents`)).toEqual(before);
  });
});
