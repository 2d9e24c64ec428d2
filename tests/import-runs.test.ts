import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '@ikb/api/src/features/imports/file/csv';
import { importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { storable } from '@ikb/api/src/features/imports/import-run';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { loadMappingFile, MappingError } from '@ikb/api/src/features/imports/file/mapping';
import type { Page } from './support/gql-types';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Administration without the CLI: the import history. Every run of an import is
 * recorded, the refused ones included (with each rejected row and its reasons), dry runs and runs
 * that failed while writing too, and never with any incident data when nothing was imported. The
 * history is read through GraphQL by admins only (importRuns, newest first, cursor paged, a
 * constant number of statements whatever the page size; importRun with its rejects).
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
let t: TestApp;
let tmp: string;

beforeAll(async () => {
  t = await startTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'ikb-import-runs-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const em = () => t.app.orm.em.fork();
const fixture = (file: string, opts: Partial<ImportOptions> = {}) =>
  importFile(em(), { kind: 'servicenow', file: join(FIXTURES, file), ...opts });

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected the import to be refused, got ${String(err)}`).toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

const RUN_FIELDS = `id outcome refusalReason message startedAt finishedAt durationMs fileName fileSha256 source kind shape rows
  incidentsInFile incidentsCreated incidentsUpdated incidentsUnchanged problemsCreated rowsRejected incidentsRejected rejectsStored
  eventsCreated teamsCreated peopleCreated servicesCreated categoriesCreated dateEvidence actorName ranBy
  options { kind mapping dateFormat dateOrder timeZone skipInvalid dryRun rejectsFile }`;

/** RUN_FIELDS. */
interface ImportRun {
  id: string;
  outcome: string;
  refusalReason: string | null;
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  fileName: string | null;
  fileSha256: string | null;
  source: string;
  kind: string;
  shape: string | null;
  rows: number;
  incidentsInFile: number;
  incidentsCreated: number;
  incidentsUpdated: number;
  incidentsUnchanged: number;
  problemsCreated: number;
  rowsRejected: number;
  incidentsRejected: number;
  rejectsStored: number;
  eventsCreated: number;
  teamsCreated: number;
  peopleCreated: number;
  servicesCreated: number;
  categoriesCreated: number;
  dateEvidence: string | null;
  actorName: string | null;
  ranBy: string | null;
  options: Record<string, unknown> | null;
}

type Reject = { row: number; reasons: string[] };

async function runs(vars: { first: number; after?: string | null; outcome?: string[] }) {
  return ok(
    await t.gql<{ importRuns: Page<ImportRun> }>(
      `query ($first: Int!, $after: String, $outcome: [ImportOutcome!]) {
        importRuns(first: $first, after: $after, outcome: $outcome) {
          totalCount pageInfo { hasNextPage endCursor } nodes { ${RUN_FIELDS} }
        }
      }`,
      vars,
    ),
  ).importRuns;
}
const detail = async (id: string) =>
  ok(
    await t.gql<{ importRun: ImportRun & { rejects: Reject[] } }>(
      `query ($id: ID!) { importRun(id: $id) { ${RUN_FIELDS} rejects { row reasons } } }`,
      {
        id,
      },
    ),
  ).importRun;
const latest = async () => detail((await runs({ first: 1 })).nodes[0]!.id);

/** An operation of the web app (apps/web/graphql, components/**), with the fragments it spreads, as the app sends it. */
function webOperation(name: string): string {
  const web = resolve(__dirname, '../apps/web');
  const files = ['graphql', 'components'].flatMap((dir) =>
    readdirSync(join(web, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => join(web, dir, f)),
  );
  const definitions = files.flatMap((f) => parse(readFileSync(f, 'utf8')).definitions);
  const fragments = new Map(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`no operation ${name} in apps/web`);
  const used = new Map<string, DefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || used.has(spread.name.value)) return;
        used.set(spread.name.value, fragment);
        collect(fragment);
      },
    });
  collect(operation);
  return [operation, ...used.values()].map((d) => print(d)).join('\n');
}

/** What an import writes besides its history. */
const written = async () =>
  (
    await t.sql(`select (select count(*) from incidents)::int as incidents, (select count(*) from incident_events)::int as events,
      (select count(*) from problems)::int as problems, (select count(*) from teams)::int as teams,
      (select count(*) from users)::int as users, (select count(*) from sla_clocks)::int as clocks,
      (select count(*) from search_documents)::int as documents`)
  )[0];

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('recording', () => {
  it('records a successful import with its counts, options, who ran it and how long it took', async () => {
    const file = join(FIXTURES, 'servicenow-table.csv');
    const s = await fixture('servicenow-table.csv', { ranBy: 'ops@build-01', timeZone: 'Europe/Berlin' });
    expect(s.runId).toBeTruthy();
    const r = await detail(s.runId!);
    expect(r).toMatchObject({
      id: s.runId,
      outcome: 'IMPORTED',
      refusalReason: null,
      message: null,
      fileName: 'servicenow-table.csv',
      fileSha256: sha256(file),
      source: 'ServiceNow',
      kind: 'servicenow',
      shape: 'TABLE',
      rows: s.rows,
      incidentsInFile: s.incidents,
      incidentsCreated: s.created,
      incidentsUpdated: 0,
      incidentsUnchanged: 0,
      problemsCreated: s.problemsCreated,
      rowsRejected: 0,
      incidentsRejected: 0,
      rejectsStored: 0,
      eventsCreated: s.events,
      teamsCreated: s.teamsCreated,
      peopleCreated: s.usersCreated,
      servicesCreated: s.servicesCreated,
      categoriesCreated: s.categoriesCreated,
      actorName: 'import (ServiceNow)',
      ranBy: 'ops@build-01',
      options: {
        kind: 'servicenow',
        mapping: s.mapping,
        dateFormat: 'auto',
        dateOrder: s.dateOrder,
        timeZone: 'Europe/Berlin',
        skipInvalid: false,
        dryRun: false,
        rejectsFile: null,
      },
      rejects: [],
    });
    expect(s.created).toBeGreaterThan(0);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
    // The run's id is the one its incidents' timeline events carry.
    const [ev] = await t.sql(`select count(*)::int as n from incident_events where data->'import'->>'runId' = $1`, [s.runId]);
    expect(ev.n).toBeGreaterThan(0);
    // Importing it again changes nothing, and is on record as such; by default the runner is the OS user at this host.
    const again = await fixture('servicenow-table.csv', { timeZone: 'Europe/Berlin' });
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect(await detail(again.runId!)).toMatchObject({
      outcome: 'IMPORTED',
      incidentsCreated: 0,
      incidentsUpdated: 0,
      incidentsUnchanged: again.unchanged,
      ranBy: expect.stringMatching(/.@./),
    });
  });

  it('records a refused file with each bad row and its reasons, and writes nothing else', async () => {
    const before = await written();
    const err = await refusal(fixture('servicenow-eventlog-bad-rows.csv'));
    expect(await written()).toEqual(before);
    const r = await latest();
    expect(r).toMatchObject({
      outcome: 'REFUSED',
      refusalReason: 'INVALID_ROWS',
      fileName: 'servicenow-eventlog-bad-rows.csv',
      fileSha256: sha256(join(FIXTURES, 'servicenow-eventlog-bad-rows.csv')),
      source: 'ServiceNow',
      rows: 21,
      incidentsCreated: 0,
      incidentsUpdated: 0,
      incidentsUnchanged: 0,
      problemsCreated: 0,
      rowsRejected: 5,
      rejectsStored: 5,
      eventsCreated: null,
      options: { kind: 'servicenow', dateFormat: 'auto', skipInvalid: false, dryRun: false },
    });
    // Exactly the rows and reasons the importer gave; the message without the list it repeats.
    expect(r.rejects).toEqual(err.problems);
    expect(r.rejects[0]).toEqual({ row: 3, reasons: ['impact: "7 - Huge" is not an impact 1 (high) to 3 (low)'] });
    expect(r.message).toContain('servicenow-eventlog-bad-rows.csv was not imported: 5 rows are invalid; nothing was written.');
    expect(r.message).toContain('--skip-invalid');
    expect(r.message).not.toMatch(/row 3:/);
    expect(err.message).toMatch(/row 3:/); // the command's own message is as before
  });

  it('records the other refusals: an unreadable file, missing columns, unsettled dates, a bad option, a bad mapping file', async () => {
    const before = await written();
    const utf16 = join(tmp, 'utf16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('number,opened_at\r\nINC1,2024-01-01\r\n', 'utf16le')]));
    await refusal(importFile(em(), { kind: 'servicenow', file: utf16 }));
    expect(await latest()).toMatchObject({
      outcome: 'REFUSED',
      refusalReason: 'BAD_FILE',
      rows: null,
      fileSha256: null,
      message: 'utf16.csv is UTF-16 text; save it as UTF-8 (CSV UTF-8 in Excel) and import again',
    });

    // A header with a NUL and a lone surrogate: the message names the columns, stored without them.
    await refusal(importFile(em(), { kind: 'servicenow', file: 'binary.csv', text: 'num\u0000ber,half\uD800\nINC1,x\n' }));
    const missing = await latest();
    expect(missing).toMatchObject({ outcome: 'REFUSED', refusalReason: 'MISSING_COLUMNS' });
    expect(missing.message).toContain('Columns in the file: num\uFFFDber, half\uFFFD');

    await refusal(fixture('servicenow-eventlog-ambiguous.csv'));
    expect(await latest()).toMatchObject({
      outcome: 'REFUSED',
      refusalReason: 'AMBIGUOUS_DATES',
      rowsRejected: 0,
      rejects: [],
      message: expect.stringContaining('cannot tell day-first from month-first'),
    });

    await refusal(fixture('servicenow-table.csv', { timeZone: 'Mars/Olympus' }));
    expect(await latest()).toMatchObject({ outcome: 'REFUSED', refusalReason: 'BAD_OPTION', options: { timeZone: 'Mars/Olympus' } });

    // Through the command: the same message and exit code as before, and the refusal on record.
    const mappingFile = join(tmp, 'bad-mapping.json');
    writeFileSync(mappingFile, '{"source": "PagerDuty", "columns": {}}');
    const expected = (() => {
      try {
        loadMappingFile(mappingFile);
      } catch (e) {
        return (e as MappingError).message;
      }
      return '';
    })();
    expect(expected).toContain('is not a valid mapping');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const code = await runImportsCli(
      'import',
      ['csv', join(FIXTURES, 'jira-service-management.csv'), '--mapping', mappingFile, '--dry-run'],
      (fn) => fn(em()),
      io,
    );
    expect(code).toBe(1);
    expect(lines).toEqual([expected]);
    expect(await latest()).toMatchObject({
      outcome: 'REFUSED',
      refusalReason: 'BAD_MAPPING',
      fileName: 'jira-service-management.csv',
      kind: 'csv',
      message: expected,
      rows: null,
      options: { kind: 'csv', mapping: 'mapping file bad-mapping.json', dryRun: true },
    });
    expect(await written()).toEqual(before);
  });

  it('keeps hostile text storable: a NUL or a lone surrogate in a rejected value or a message', async () => {
    expect(storable('a\u0000b\uD800c\uDC00d\uD83D\uDE00', 100)).toBe('a\uFFFDb\uFFFDc\uFFFDd\uD83D\uDE00');
    expect(storable('x'.repeat(10), 5)).toBe('xxxx\u2026');
    const header = ['number', 'short_description', 'state', 'impact', 'urgency', 'opened_at'];
    const text = toCsv(header, [
      ['INC7000001', 'Fine', 'New', '2', '2', '2024-03-04 09:12:00'],
      ['INC7000002', 'Status', 'Fro\u0000zen', '2', '2', '2024-03-04 09:12:00'],
      ['INC7000003', 'Impact', 'New', '9\uD800', '2', '2024-03-04 09:12:00'],
    ]);
    const err = await refusal(importFile(em(), { kind: 'servicenow', file: 'hostile.csv', text }));
    const r = await latest();
    expect(r).toMatchObject({ outcome: 'REFUSED', refusalReason: 'INVALID_ROWS', rowsRejected: err.problems.length });
    // The reason quotes the value with its lone surrogate already replaced (jsonb refuses one).
    expect(err.problems[1]!.reasons[0]).not.toMatch(/[\uD800-\uDFFF]/);
    expect(r.rejects).toEqual(err.problems.map((p) => ({ row: p.row, reasons: p.reasons.map((x) => storable(x, 1000)) })));
    expect(r.rejects[1].reasons[0]).toBe('impact: "9\uFFFD" is not an impact 1 (high) to 3 (low)');
  });

  it('records a dry run: what would change, and nothing written', async () => {
    const before = await written();
    const s = await fixture('servicenow-eventlog-dmy.csv', { dryRun: true });
    expect(s.runId).toBeNull();
    expect(s.created).toBeGreaterThan(0);
    expect(await written()).toEqual(before);
    const r = await latest();
    expect(r).toMatchObject({
      outcome: 'DRY_RUN',
      fileName: 'servicenow-eventlog-dmy.csv',
      fileSha256: sha256(join(FIXTURES, 'servicenow-eventlog-dmy.csv')),
      shape: 'EVENT_LOG',
      rows: s.rows,
      incidentsCreated: s.created,
      incidentsUpdated: s.updated,
      incidentsUnchanged: s.unchanged,
      problemsCreated: s.problemsCreated,
      eventsCreated: s.events,
      dateEvidence: s.dateEvidence,
      options: { dryRun: true, dateFormat: 'auto', dateOrder: 'dmy' },
    });
  });

  it('records --skip-invalid: imported, with the rows left out and why', async () => {
    const rejectsFile = join(tmp, 'bad-rows.rejects.csv');
    const s = await fixture('servicenow-eventlog-bad-rows.csv', { skipInvalid: true, rejectsFile });
    const r = await detail(s.runId!);
    expect(r).toMatchObject({
      outcome: 'IMPORTED',
      rows: 21,
      incidentsCreated: 2,
      rowsRejected: 18,
      rejectsStored: 18,
      incidentsRejected: 3,
      options: { skipInvalid: true, rejectsFile },
    });
    expect(r.rejects).toHaveLength(18);
    expect(r.rejects.map((x: { row: number }) => x.row)).toEqual(
      r.rejects.map((x: { row: number }) => x.row).sort((a: number, b: number) => a - b),
    );
    expect(r.rejects.find((x: { row: number }) => x.row === 2)).toEqual({
      row: 2,
      reasons: ['another row of INC0020045 (3) is invalid, so its whole incident is left out'],
    });
    expect(r.rejects.find((x: { row: number }) => x.row === 3)).toEqual({
      row: 3,
      reasons: ['impact: "7 - Huge" is not an impact 1 (high) to 3 (low)'],
    });
  });

  it('keeps the first 1,000 rejected rows with the total, and pages through them', async () => {
    const header = ['number', 'short_description', 'state', 'impact', 'urgency', 'opened_at'];
    const rows = Array.from({ length: 1200 }, (_, i) => [
      `INC8${String(i).padStart(6, '0')}`,
      `Title ${i}`,
      'New',
      '7',
      '2',
      '2024-03-04 09:12:00',
    ]);
    const err = await refusal(importFile(em(), { kind: 'servicenow', file: 'many-bad.csv', text: toCsv(header, rows) }));
    expect(err.problems).toHaveLength(1200);
    const r = await latest();
    expect(r).toMatchObject({ outcome: 'REFUSED', rows: 1200, rowsRejected: 1200, rejectsStored: 1000 });
    expect(r.rejects).toHaveLength(1000);
    expect(r.rejects[0]).toEqual(err.problems[0]);
    expect(r.rejects.at(-1)).toEqual(err.problems[999]);
    expect(r.message).not.toMatch(/\.\.\. and \d+ more/);
    const page = ok(
      await t.gql<{ importRun: { rejects: { row: number }[] } }>(
        `query ($id: ID!) { importRun(id: $id) { rejects(first: 10, afterRow: 995) { row } } }`,
        { id: r.id },
      ),
    ).importRun.rejects;
    expect(page.map((x) => x.row)).toEqual([996, 997, 998, 999, 1000, 1001]);
    const tooMany = await t.gql(`query ($id: ID!) { importRun(id: $id) { rejects(first: 1001) { row } } }`, { id: r.id });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('records a run that failed while writing, which rolled everything back', async () => {
    await t.sql(
      `create function ikb_test_refuse_incident() returns trigger language plpgsql as $$
        begin raise exception 'disk quota exceeded (test)'; end $$`,
    );
    await t.sql(
      `create trigger ikb_test_refuse_incident before insert on incidents for each row execute function ikb_test_refuse_incident()`,
    );
    try {
      const before = await written();
      const text = toCsv(
        ['number', 'short_description', 'state', 'impact', 'urgency', 'opened_at'],
        [['INC6000001', 'New one', 'New', '2', '2', '2024-03-04 09:12:00']],
      );
      const err = await importFile(em(), { kind: 'servicenow', file: 'fails.csv', text }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toContain('disk quota exceeded (test)');
      expect(await written()).toEqual(before);
      const r = await latest();
      expect(r).toMatchObject({ outcome: 'FAILED', fileName: 'fails.csv', rows: 1, incidentsCreated: 0, refusalReason: null });
      expect(r.message).toContain('disk quota exceeded (test)');
    } finally {
      await t.sql(`drop trigger ikb_test_refuse_incident on incidents`);
      await t.sql(`drop function ikb_test_refuse_incident()`);
    }
  });
});

describe('reading the history', () => {
  it('lists the runs newest first, in pages, with the total, and filters by outcome', async () => {
    // A few more quick ones, at known times in the past.
    for (let i = 0; i < 5; i++)
      await refusal(
        importFile(em(), { kind: 'json', file: `old-${i}.json`, text: '{"not": "a list"', now: new Date(Date.UTC(2020, 0, 1 + i)) }),
      );
    const all = await runs({ first: 100 });
    expect(all.totalCount).toBe(all.nodes.length);
    expect(all.totalCount).toBeGreaterThanOrEqual(15);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const times = all.nodes.map((n: { startedAt: string }) => Date.parse(n.startedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.nodes.at(-1)).toMatchObject({ fileName: 'old-0.json', kind: 'json', outcome: 'REFUSED', refusalReason: 'BAD_FILE' });

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] } =
        await runs({ first: 4, after });
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((n: { id: string }) => n.id));

    const refused = await runs({ first: 100, outcome: ['REFUSED'] });
    expect(refused.totalCount).toBe(all.nodes.filter((n: { outcome: string }) => n.outcome === 'REFUSED').length);
    expect(new Set(refused.nodes.map((n: { outcome: string }) => n.outcome))).toEqual(new Set(['REFUSED']));
    const dry = await runs({ first: 100, outcome: ['DRY_RUN', 'FAILED'] });
    expect(dry.nodes.map((n: { outcome: string }) => n.outcome).sort()).toEqual(['DRY_RUN', 'FAILED']);
  });

  it('runs a constant number of SQL statements whatever the page size, rejects included', async () => {
    const q = `query ($first: Int!) {
      importRuns(first: $first) {
        totalCount pageInfo { endCursor hasNextPage } edges { cursor node { ${RUN_FIELDS} rejects(first: 3) { row reasons } } }
      }
    }`;
    await t.gql(q, { first: 1 }); // warm the token check
    const small = await t.gql(q, { first: 1 });
    const big = await t.gql<{ importRuns: { edges: { node: { rejects: Reject[] } }[] } }>(q, { first: 100 });
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    expect(big.data!.importRuns.edges.length).toBeGreaterThanOrEqual(15);
    expect(big.data!.importRuns.edges.some((e) => e.node.rejects.length === 3)).toBe(true);
    expect(big.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(big.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
    // Without the rejects, a page is read with one statement more than the count.
    const plain = await t.gql(`query { importRuns(first: 100) { totalCount nodes { id outcome rowsRejected } } }`);
    expect(plain.extensions?.sqlStatements).toBe(big.extensions!.sqlStatements! - 1);
  });

  it('reads the Admin → Imports page with one statement for its page and one for all its counts', async () => {
    const byOutcome = new Map(
      (await t.sql<{ outcome: string; n: number }>(`select outcome, count(*)::int as n from import_runs group by outcome`)).map((r) => [
        r.outcome,
        r.n,
      ]),
    );
    const total = [...byOutcome.values()].reduce((a, b) => a + b, 0);
    expect(byOutcome.size).toBe(4); // every outcome has runs, so every count is checked against a real figure

    // The page's own operation, as the web app sends it: one page of runs, its total, and the count
    // of every outcome for the filter's buttons.
    const page = webOperation('AdminImportRuns');
    type Count = { totalCount: number };
    type AdminPage = {
      importRuns: Count & { pageInfo: { endCursor: string | null }; nodes: { outcome: string }[] };
      all: Count;
      imported: Count;
      refused: Count;
      dryRuns: Count;
      failed: Count;
    };
    await t.gql(page, { first: 50 }); // warm the token check
    const unfiltered = await t.gql<AdminPage>(page, { first: 50 });
    const filtered = await t.gql<AdminPage>(page, { first: 50, outcome: ['REFUSED', 'FAILED'] });
    const later = await t.gql<AdminPage>(page, { first: 50, after: ok(unfiltered).importRuns.pageInfo.endCursor, outcome: ['DRY_RUN'] });
    for (const [res, pageTotal] of [
      [unfiltered, total],
      [filtered, byOutcome.get('REFUSED')! + byOutcome.get('FAILED')!],
      [later, byOutcome.get('DRY_RUN')!],
    ] as const) {
      expect(ok(res)).toMatchObject({
        importRuns: { totalCount: pageTotal },
        all: { totalCount: total },
        imported: { totalCount: byOutcome.get('IMPORTED') },
        refused: { totalCount: byOutcome.get('REFUSED') },
        dryRuns: { totalCount: byOutcome.get('DRY_RUN') },
        failed: { totalCount: byOutcome.get('FAILED') },
      });
      // The runs of the page, and one grouped count for the six totalCounts.
      expect(res.extensions?.sqlStatements).toBe(2);
    }
    expect(ok(unfiltered).importRuns.nodes).toHaveLength(Math.min(50, total));
    expect(new Set(ok(filtered).importRuns.nodes.map((n) => n.outcome))).toEqual(new Set(['REFUSED', 'FAILED']));
  });

  it('refuses a bad cursor, a page too large and an id that is not one; an unknown id is null', async () => {
    const bad = await t.gql(`query { importRuns(first: 5, after: "bm90LWEtY3Vyc29y") { nodes { id } } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const big = await t.gql(`query { importRuns(first: 101) { nodes { id } } }`);
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const notId = await t.gql(`query { importRun(id: "1' or '1'='1") { id } }`);
    expect(notId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(
      ok(await t.gql<{ importRun: { id: string } | null }>(`query { importRun(id: "00000000-0000-4000-8000-000000000000") { id } }`))
        .importRun,
    ).toBeNull();
  });

  it('is for admins only', async () => {
    const [run] = (await runs({ first: 1 })).nodes;
    for (const role of ['PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as const) {
      const { token } = await t.tokenForRole(role);
      const list = await t.gql<{ importRuns: unknown }>(
        `query { importRuns(first: 5) { nodes { id } } }`,
        {},
        { authorization: `Bearer ${token}` },
      );
      expect(
        list.errors?.map((e) => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN']);
      expect(list.data?.importRuns ?? null).toBeNull();
      const one = await t.gql<{ importRun: unknown }>(
        `query ($id: ID!) { importRun(id: $id) { id rejects { row } } }`,
        { id: run.id },
        { authorization: `Bearer ${token}` },
      );
      expect(
        one.errors?.map((e) => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN']);
      expect(one.data?.importRun ?? null).toBeNull();
    }
    const anonymous = await t.gql(`query { importRuns(first: 5) { nodes { id } } }`, {}, { authorization: '' });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
