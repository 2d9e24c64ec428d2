import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '@ikb/api/src/features/imports/file/csv';
import { importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { loadMappingFile, MappingError, validateMapping } from '@ikb/api/src/features/imports/file/mapping';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * File imports against hostile and broken files: a NUL byte, a control character in a
 * title, a lone surrogate, a date in year 9999 or 99999, a field over the API's limit, a record
 * nested deeper than any stack. Each is a reason on its row (file refused whole, or the incident
 * left out and the row written to the rejects file with --skip-invalid), never a crash or a raw
 * SQL error; the limits are the GraphQL edge's (names 120, code 80). A title over 200 characters
 * or a description over 20,000 is the other tool's own text: clipped to those limits, not refused
 * (Jira allows 255-character summaries).
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
let t: TestApp;
let tmp: string;

beforeAll(async () => {
  t = await startTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'ikb-imports-hostile-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const em = () => t.app.orm.em.fork();
const run = (kind: ImportOptions['kind'], file: string, text: string, opts: Partial<ImportOptions> = {}) =>
  importFile(em(), { kind, file, text, ...opts });
// Runs that wrote something: a refused file is on record in the history, and only that.
const written = async () =>
  (
    await t.sql(
      `select (select count(*) from incidents)::int as incidents, (select count(*) from import_runs where outcome <> 'REFUSED')::int
        as runs`,
    )
  )[0];

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected the import to be refused, got ${String(err)}`).toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

// A ServiceNow incident table export, one hostile value per row; rows 2 and 13 are good.
const HEADER = [
  'number',
  'short_description',
  'description',
  'state',
  'impact',
  'urgency',
  'assignment_group',
  'opened_at',
  'resolved_at',
  'close_code',
];
const row = (n: string, o: Partial<Record<(typeof HEADER)[number], string>> = {}) =>
  HEADER.map(
    (h) =>
      o[h] ??
      {
        number: n,
        short_description: `Incident ${n}`,
        description: 'Text',
        state: 'New',
        impact: '2 - Medium',
        urgency: '2 - Medium',
        assignment_group: 'Service Desk',
        opened_at: '2024-03-04 09:12:00',
      }[h] ??
      '',
  );
const SERVICENOW_ROWS = [
  row('INC9000001'),
  row('INC9000002', { short_description: 'Disk\u0000full' }),
  row('INC9000003', { short_description: 'Bell\u0007ringing' }),
  row('INC9000004', { description: 'd'.repeat(20_001) }),
  row('INC9000005', { opened_at: '9999-12-31 10:00:00' }),
  row('INC9000006', { opened_at: '99999-01-01 10:00:00' }),
  row('INC9000007', { short_description: 'T'.repeat(201) }),
  row('INC9000008', { assignment_group: 'G'.repeat(121) }),
  row('INC9000009', { state: 'Resolved', resolved_at: '2150-01-01 00:00:00' }),
  row('INC9000010', { description: 'Line one\nline\u0000two' }),
  row('INC9000011', { state: 'Resolved', resolved_at: '2024-03-05 10:00:00', close_code: 'C'.repeat(81) }),
  row('INC9000012'),
  row('INC9000013', { short_description: 'Checkout \u202Edown' }),
];
const SERVICENOW_REASONS = [
  { row: 3, reasons: ['short_description: contains a control character, U+0000, at position 5'] },
  { row: 4, reasons: ['short_description: contains a control character, U+0007, at position 5'] },
  { row: 6, reasons: ['opened_at: "9999-12-31 10:00:00" must be between 1970-01-01 and 2100-01-01 (got 9999-12-31T10:00:00.000Z)'] },
  { row: 7, reasons: ['opened_at: "99999-01-01 10:00:00" is not a date'] },
  { row: 9, reasons: ['assignment_group: must be at most 120 characters (got 121)'] },
  { row: 10, reasons: ['resolved_at: "2150-01-01 00:00:00" must be between 1970-01-01 and 2100-01-01 (got 2150-01-01T00:00:00.000Z)'] },
  { row: 11, reasons: ['description: contains a control character, U+0000, at position 14'] },
  { row: 12, reasons: ['close_code: must be at most 80 characters (got 81)'] },
  { row: 14, reasons: ['short_description: contains a bidirectional control character, U+202E, at position 10'] },
];

describe('CSV rows with hostile values', () => {
  const csv = toCsv(HEADER, SERVICENOW_ROWS);

  it('refuses the file naming each row, the column and why; nothing is written', async () => {
    const err = await refusal(run('servicenow', 'hostile.csv', csv));
    expect(err.reason).toBe('INVALID_ROWS');
    expect(err.problems).toEqual(SERVICENOW_REASONS);
    expect(err.message).toContain('9 rows are invalid; nothing was written');
    expect(await written()).toEqual({ incidents: 0, runs: 0 });
  });

  it('with --skip-invalid imports the good rows and writes the others, with their reasons, to the rejects file', async () => {
    const file = join(tmp, 'hostile.csv');
    const rejects = join(tmp, 'hostile.rejects.csv');
    writeFileSync(file, csv);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const code = await runImportsCli('import', ['servicenow', file, '--skip-invalid', '--rejects', rejects], (fn) => fn(em()), io);
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/rows rejected: +9 \(9 incidents left out\)/);
    const refs = await t.sql<{ external_ref: string; title: string; title_length: number; description_length: number }>(
      `select external_ref, title, length(title) as title_length, length(description) as description_length from incidents order by 1`,
    );
    expect(refs.map((r) => r.external_ref)).toEqual(['INC9000001', 'INC9000004', 'INC9000007', 'INC9000012']);
    // Too long is clipped to the API's limits, with an ellipsis.
    expect(refs[1]).toMatchObject({ description_length: 20_000 });
    expect(refs[2]).toMatchObject({ title_length: 200, title: `${'T'.repeat(199)}\u2026` });
    const table = parseCsv(readFileSync(rejects, 'utf8'));
    const reasons = table.rows.map((r) => ({ row: Number(r.at(-2)), reasons: [r.at(-1)] }));
    expect(reasons).toEqual(SERVICENOW_REASONS);
    // The rejected rows are there as they were (NUL included): fix them and import that file.
    expect(table.rows[0][1]).toBe('Disk\u0000full');
  });
});

describe('JSON records with hostile values', () => {
  const mapping = loadMappingFile(join(FIXTURES, 'generic-incidents.mapping.json'));
  const rec = (id: string, extra = '') =>
    `{"id":"${id}","summary":"Record ${id}","status":"triggered","urgency":"high","created_at":"2024-05-01T08:00:00Z"${extra}}`;

  it('names the record and field of a lone surrogate, a NUL, a far-future date and a control character in an attribute', async () => {
    const text = `{"incidents":[${[
      rec('H-1'),
      rec('H-2', ',"summary":"half \\ud800 a character"'),
      rec('H-3', ',"description":"nul \\u0000 here"'),
      rec('H-4', ',"created_at":"9999-01-01T00:00:00Z"'),
      rec('H-5', ',"tags":["ok","bad\\u0001tag"]'),
    ].join(',')}]}`;
    const err = await refusal(run('json', 'hostile.json', text, { mapping }));
    expect(err.problems).toEqual([
      { row: 2, reasons: ['summary: contains an unpaired surrogate (not a character), U+D800, at position 6'] },
      { row: 3, reasons: ['description: contains a control character, U+0000, at position 5'] },
      { row: 4, reasons: ['created_at: "9999-01-01T00:00:00Z" must be between 1970-01-01 and 2100-01-01 (got 9999-01-01T00:00:00.000Z)'] },
      { row: 5, reasons: ['tags: contains a control character, U+0001, at position 8'] },
    ]);
    expect(err.message).toContain('record 2: summary: contains an unpaired surrogate');
    const s = await run('json', 'hostile.json', text, { mapping, skipInvalid: true, rejectsFile: join(tmp, 'hostile.rejects.json') });
    expect(s).toMatchObject({ created: 1, rejectedRows: 4 });
    const rejects = JSON.parse(readFileSync(join(tmp, 'hostile.rejects.json'), 'utf8')).rejects;
    expect(rejects.map((r: { record: number }) => r.record)).toEqual([2, 3, 4, 5]);
  });

  it('refuses a record nested deeper than any stack, naming it, instead of crashing', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = `[${rec('D-1')},${rec('D-2', `,"deep":${deep}`)}]`;
    const err = await refusal(run('json', 'deep.json', text, { mapping }));
    expect(err.reason).toBe('BAD_FILE');
    expect(err.message).toBe('deep.json cannot be read: record 2: "deep" is nested more than 64 levels deep');
  });

  it("checks the names and values of an attributes column (this tool's export format)", async () => {
    const header = ['id', 'externalRef', 'title', 'openedAt', 'attributes'];
    const csv = toCsv(header, [
      ['', 'ATTR-1', 'Attributes fine', '2024-05-01T08:00:00Z', '{"site":"Berlin"}'],
      ['', 'ATTR-2', 'NUL in a name', '2024-05-01T08:00:00Z', '{"si\\u0000te":"Berlin"}'],
      ['', 'ATTR-3', 'Nested deep', '2024-05-01T08:00:00Z', `{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`],
    ]);
    const err = await refusal(run('csv', 'export.csv', csv));
    expect(err.problems).toEqual([
      { row: 3, reasons: ['attributes: "si\\u0000te" as a name contains a control character, U+0000, at position 3'] },
      { row: 4, reasons: ['attributes: the value of "x" is nested too deeply'] },
    ]);
  });
});

describe('files and mappings', () => {
  it('refuses a UTF-16 file by name instead of reading NULs', async () => {
    const file = join(tmp, 'utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('number,opened_at\r\nINC1,2024-01-01\r\n', 'utf16le')]));
    const err = await refusal(importFile(em(), { kind: 'servicenow', file }));
    expect(err.reason).toBe('BAD_FILE');
    expect(err.message).toBe('utf16.csv is UTF-16 text; save it as UTF-8 (CSV UTF-8 in Excel) and import again');
  });

  it('refuses a mapping whose names would reach the database with a control character', () => {
    const base = { columns: { externalRef: 'id', openedAt: 'created_at' } };
    expect(() => validateMapping({ ...base, source: 'Pager\u0000Duty' }, 'm.json')).toThrow(MappingError);
    expect(() => validateMapping({ ...base, source: 'Pager\u0000Duty' }, 'm.json')).toThrow(
      'source: contains a control character, U+0000, at position 6',
    );
    expect(() => validateMapping({ ...base, attributes: { 'ta\u200Bgs': 'tags' } }, 'm.json')).toThrow(
      'attributes["ta\u200Bgs"]: the attribute name contains an invisible character, U+200B, at position 3',
    );
  });
});
