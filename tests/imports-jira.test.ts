import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, importFile, ImportRefused, type ImportOptions } from '@ikb/api/src/features/imports/import-file';
import { loadMappingFile, type ImportMapping } from '@ikb/api/src/features/imports/file/mapping';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Jira CSV exports read with the shipped mapping, in the languages it knows. The fixtures
 * (tests/fixtures/imports/jira/) were written for these tests after studying public samples; each
 * reproduces these quirks of real exports:
 * - jira-cloud-en.csv: Jira Cloud's English export: `18/Jul/26 9:10 AM` dates (12 AM and 12 PM
 *   included), repeated Labels / Component/s / Watchers / Sprint / Comment columns, comments as
 *   `date;accountId;body` with commas and line breaks, default workflow statuses (To Do, Backlog,
 *   Selected for Development, In Review, Done, Closed), custom statuses known only by their
 *   Status Category, default resolutions (Done, Fixed, Won't Do, Cannot Reproduce).
 * - jira-es.csv: Spanish headers (Clave de incidencia, Creada...), month names with and without a
 *   dot (jul, jul., ago, dic), both AM and "a. m." / "p. m." (older and newer Java), localised
 *   statuses (Tareas por hacer, En curso, Listo), resolution Finalizada, a custom status by category.
 * - jira-es-semicolon.csv: a Spanish export saved with semicolons (as a public sample's README asks),
 *   JSM's "Campo personalizado (Prioridad SD)", and comments quoted because they hold semicolons.
 * - jira-de.csv: German headers (Vorgangsschlüssel, Erstellt, Stichwörter...), 24-hour times, Mär,
 *   Mai, Okt, Dez; statuses Zu erledigen / In Arbeit / Fertig / Erledigt.
 * - jira-fr.csv: French headers as a public JSM export has them (Catégorie d'état, Champs
 *   personnalisés (...)), months juil., févr., déc., août with AM/PM (the public sample's format).
 * - jira-pt.csv: Portuguese headers as public exports have them (Chave da item, Resumo, Criado...),
 *   three repeated Rótulos columns, months fev, set, out, dez; Itens Pendentes / Itens concluídos.
 * - jira-ja.csv: Japanese headers, `18/7月/26 9:10 午前` and year-first 2026/07/19 14:05 dates,
 *   午後 after noon, 12 午前 at midnight, statuses 未着手 / 進行中 / 完了.
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports/jira');
const MAPPING = resolve(__dirname, '../apps/api/import-mappings/jira-service-management.json');
let t: TestApp;
let tmp: string;
let mapping: ImportMapping;

beforeAll(async () => {
  t = await startTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'ikb-jira-'));
  mapping = loadMappingFile(MAPPING);
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const run = (file: string, opts: Partial<ImportOptions> = {}) =>
  importFile(t.app.orm.em.fork(), { kind: 'csv', file: join(FIXTURES, file), mapping, ...opts });

/** A file written for one test (hostile input). */
function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the import to be refused').toBeInstanceOf(ImportRefused);
  return err as ImportRefused;
}

interface Row {
  ref: string;
  status: string;
  opened: string;
  resolved: string | null;
  kind: string | null;
  priority: number;
  attrs: Record<string, string>;
}
/** The incidents of one file: each fixture has its own project key. */
async function incidents(project: string): Promise<Map<string, Row>> {
  const rows = await t.sql<Row>(
    `select external_ref as ref, status, to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as opened,
       to_char(resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as resolved, resolution_kind as kind, priority,
       source_attributes as attrs from incidents where external_ref like $1 order by 1`,
    [`${project}-%`],
  );
  return new Map(rows.map((r) => [r.ref, r]));
}

describe('Jira Cloud, English', () => {
  it('reads the default workflows, status categories, resolutions, dates and repeated columns', async () => {
    const s = await run('jira-cloud-en.csv');
    expect(s).toMatchObject({ created: 9, rejectedRows: 0, language: 'English' });
    expect(formatSummary(s)).toContain('language: English');
    const r = await incidents('OPS');
    const pick = (ref: string) => {
      const x = r.get(ref)!;
      return [x.status, x.opened, x.resolved, x.kind];
    };
    expect(pick('OPS-1')).toEqual(['NEW', '2026-07-18T09:10', null, null]);
    expect(pick('OPS-2')).toEqual(['INVESTIGATING', '2026-07-18T12:05', null, null]); // In Review, 12:05 PM
    expect(pick('OPS-3')).toEqual(['TRIAGED', '2026-07-18T00:30', null, null]); // Selected for Development, 12:30 AM
    expect(pick('OPS-4')).toEqual(['NEW', '2026-07-17T23:45', null, null]); // Backlog
    expect(pick('OPS-5')).toEqual(['CLOSED', '2026-07-19T01:15', '2026-07-19T02:40', 'PERMANENT_FIX']);
    // Custom statuses the mapping does not list: by their Status Category.
    expect(pick('OPS-6')).toEqual(['INVESTIGATING', '2026-07-19T10:00', null, null]); // Awaiting Deploy / In Progress
    expect(pick('OPS-7')).toEqual(['RESOLVED', '2026-07-20T08:00', '2026-07-20T09:15', 'PERMANENT_FIX']); // Shipped / Done, Fixed
    expect(pick('OPS-8')).toEqual(['CLOSED', '2026-07-20T11:00', '2026-07-20T11:05', 'NO_FIX_NEEDED']); // Binned / Done, Won't Do
    expect(pick('OPS-9')).toEqual(['CLOSED', '2026-07-20T15:00', '2026-07-21T09:00', 'NO_FIX_NEEDED']); // Cannot Reproduce
    // Every repeated column kept: lists joined, comments kept apart by a blank line.
    expect(r.get('OPS-1')!.attrs).toMatchObject({
      labels: 'payments, checkout',
      components: 'Payments, API',
      watchers: 'Ana Ruiz, Ben Cole',
      sprints: 'OPS Sprint 7',
      comments: '18/Jul/26 9:11 AM;557058:aa11;Paged the payments on-call, looking now.',
    });
    expect(r.get('OPS-2')!.attrs).toMatchObject({
      sprints: 'OPS Sprint 7, OPS Sprint 8',
      blockedBy: 'OPS-1',
      comments:
        '18/Jul/26 12:10 PM;557058:bb22;Reindex started\n\n18/Jul/26 12:40 PM;557058:aa11;Still lagging:\nconsumer group rebalancing',
    });
    expect(r.get('OPS-4')!.attrs.labels).toBe('batch, export, nightly');
    // Imported twice: nothing changes (the language tables do not disturb idempotence).
    expect(await run('jira-cloud-en.csv')).toMatchObject({ created: 0, updated: 0, unchanged: 9 });
  });

  it('reads other date settings (year-first, month-first numbers) and the current-fields export', async () => {
    // Jira's date formats are a site setting: ISO-like and US numeric ones are common in public exports.
    // "Export CSV (current fields)" names columns as the issue navigator does: Key, Components.
    const path = write(
      'other-dates.csv',
      'Key,Summary,Status,Created,Resolved,Components,Components\nDAT-1,a,Done,2026-07-18 09:10,2026-07-18 17:45,API,Web\n' +
        'DAT-2,b,To Do,7/18/2026 9:10,,,\nDAT-3,c,In Progress,7/19/2026 1:05 PM,,,\n',
    );
    const s = await run('', { file: path });
    expect(s).toMatchObject({ created: 3, dateOrder: 'mdy', language: 'English' });
    const r = await incidents('DAT');
    expect(r.get('DAT-1')).toMatchObject({ status: 'CLOSED', opened: '2026-07-18T09:10', resolved: '2026-07-18T17:45' });
    expect(r.get('DAT-1')!.attrs.components).toBe('API, Web');
    expect(r.get('DAT-2')).toMatchObject({ status: 'NEW', opened: '2026-07-18T09:10' });
    expect(r.get('DAT-3')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-07-19T13:05' });
  });

  it('refuses a status neither the mapping nor its category knows, naming both values', async () => {
    const path = write(
      'unknown-status.csv',
      'Issue key,Summary,Status,Status Category,Created\nHOS-1,a,Parked,Someday,18/Jul/26 9:10 AM\nHOS-2,b,Frozen,,18/Jul/26 9:10 AM\n',
    );
    const err = await refusal(run('', { file: path }));
    expect(err.reason).toBe('INVALID_ROWS');
    expect(err.problems).toEqual([
      {
        row: 2,
        reasons: [
          expect.stringMatching(/^Status: "Parked" is not a known status.*; nor is its Status Category "Someday" a known status category$/),
        ],
      },
      { row: 3, reasons: [expect.stringMatching(/^Status: "Frozen" is not a known status; map it in the mapping's values.status/)] },
    ]);
  });
});

describe('Jira in other languages', () => {
  it('Spanish: headers, statuses, resolutions, jul / jul. / dic months and a. m. / p. m.', async () => {
    const s = await run('jira-es.csv');
    expect(s).toMatchObject({ created: 5, rejectedRows: 0, language: 'Spanish' });
    expect(formatSummary(s)).toContain('language: Spanish (column names, values and month names read in Spanish)');
    const r = await incidents('SOP');
    expect(r.get('SOP-1')).toMatchObject({ status: 'NEW', opened: '2026-07-18T09:10', priority: 1 });
    expect(r.get('SOP-1')!.attrs).toMatchObject({ labels: 'pagos, tarjetas', components: 'Pagos' });
    expect(r.get('SOP-2')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-07-18T15:45', priority: 3 });
    expect(r.get('SOP-3')).toMatchObject({
      status: 'CLOSED',
      opened: '2026-12-02T11:00',
      resolved: '2026-12-02T12:30',
      kind: 'PERMANENT_FIX',
    });
    expect(r.get('SOP-4')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-08-05T00:05' }); // custom, En curso
    expect(r.get('SOP-5')).toMatchObject({ status: 'CLOSED', kind: 'NO_FIX_NEEDED', priority: 5 }); // custom, Listo + No se hará
    // The history says which language was read, over GraphQL as the web app's run page shows it.
    const [run0] = await t.sql<{ id: string }>(`select id from import_runs where outcome = 'IMPORTED' and file_name = 'jira-es.csv'`);
    const res = ok(
      await t.gql<{ importRun: { options: { language: string | null } } }>(
        `query($id: ID!) { importRun(id: $id) { options { language } } }`,
        {
          id: run0!.id,
        },
      ),
    );
    expect(res.importRun.options.language).toBe('Spanish');
  });

  it('Spanish saved with semicolons: comments quoted, each kept', async () => {
    expect(await run('jira-es-semicolon.csv')).toMatchObject({ created: 2, rejectedRows: 0, language: 'Spanish' });
    const r = await incidents('SDQ');
    expect(r.get('SDQ-1')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-07-18T09:10', priority: 2 });
    expect(r.get('SDQ-1')!.attrs.comments).toBe(
      '18/jul/26 9:15 AM;557058:cc33;Reiniciado; seguimos mirando\n\n18/jul/26 9:25 AM;557058:dd44;Estable',
    );
    expect(r.get('SDQ-2')).toMatchObject({ status: 'NEW', opened: '2026-07-19T16:05', priority: 3 });
  });

  it('German: 24-hour times, Mär / Mai / Okt / Dez', async () => {
    expect(await run('jira-de.csv')).toMatchObject({ created: 4, rejectedRows: 0, language: 'German' });
    const r = await incidents('BET');
    expect(r.get('BET-1')).toMatchObject({ status: 'NEW', opened: '2026-03-18T09:10', priority: 1 });
    expect(r.get('BET-1')!.attrs).toMatchObject({ labels: 'sso, login', components: 'Identität' });
    expect(r.get('BET-2')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-05-02T14:05' });
    expect(r.get('BET-2')!.attrs.comments).toBe('2/Mai/26 14:30;557058:dd44;Toner, Papier und Netz geprüft');
    expect(r.get('BET-3')).toMatchObject({
      status: 'CLOSED',
      opened: '2026-10-30T23:50',
      resolved: '2026-10-31T07:30',
      kind: 'PERMANENT_FIX',
    });
    expect(r.get('BET-4')).toMatchObject({ status: 'RESOLVED', opened: '2026-12-24T00:15', kind: 'NO_FIX_NEEDED' });
  });

  it('French: juil. / févr. / déc. / août with AM/PM', async () => {
    expect(await run('jira-fr.csv')).toMatchObject({ created: 4, rejectedRows: 0, language: 'French' });
    const r = await incidents('ASS');
    expect(r.get('ASS-1')).toMatchObject({ status: 'NEW', opened: '2026-07-18T09:10', priority: 2 });
    expect(r.get('ASS-2')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-02-03T14:15' });
    expect(r.get('ASS-2')!.attrs.labels).toBe('vpn, réseau');
    expect(r.get('ASS-3')).toMatchObject({ status: 'CLOSED', opened: '2026-12-09T08:05', kind: 'PERMANENT_FIX' });
    expect(r.get('ASS-4')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-08-01T12:00', priority: 5 });
  });

  it('Portuguese: three Rótulos columns, fev / set / out / dez', async () => {
    expect(await run('jira-pt.csv')).toMatchObject({ created: 5, rejectedRows: 0, language: 'Portuguese' });
    const r = await incidents('SUP');
    expect(r.get('SUP-1')).toMatchObject({ status: 'NEW', opened: '2026-07-18T09:10', priority: 1 });
    expect(r.get('SUP-1')!.attrs.labels).toBe('pagamentos, cartoes, urgente');
    expect(r.get('SUP-1')!.attrs.comments).toBe(
      '18/jul/26 9:15 AM;557058:ff66;Abrimos chamado no adquirente\n\n18/jul/26 9:18 AM;557058:aa11;Sem resposta ainda',
    );
    expect(r.get('SUP-2')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-02-03T14:00' });
    expect(r.get('SUP-3')).toMatchObject({
      status: 'CLOSED',
      opened: '2026-09-20T23:00',
      resolved: '2026-09-21T00:40',
      kind: 'PERMANENT_FIX',
    });
    expect(r.get('SUP-4')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-10-01T06:00' });
    expect(r.get('SUP-5')).toMatchObject({ status: 'CLOSED', opened: '2026-12-24T10:30', kind: 'NO_FIX_NEEDED', priority: 5 });
  });

  it('Japanese: 7月 months, 午前 / 午後, year-first dates', async () => {
    expect(await run('jira-ja.csv')).toMatchObject({ created: 4, rejectedRows: 0, language: 'Japanese' });
    const r = await incidents('KAI');
    expect(r.get('KAI-1')).toMatchObject({ status: 'NEW', opened: '2026-07-18T09:10', priority: 1 });
    expect(r.get('KAI-1')!.attrs.labels).toBe('決済, カード');
    expect(r.get('KAI-2')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-07-18T15:45', priority: 3 });
    expect(r.get('KAI-3')).toMatchObject({
      status: 'CLOSED',
      opened: '2026-07-19T14:05',
      resolved: '2026-07-19T15:30',
      kind: 'PERMANENT_FIX',
    });
    expect(r.get('KAI-4')).toMatchObject({ status: 'INVESTIGATING', opened: '2026-12-12T00:10', priority: 4 });
  });
});

describe('hostile and mismatched input', () => {
  it('refuses a month name of another language, naming the value and the language', async () => {
    const path = write(
      'es-with-german-month.csv',
      'Clave de incidencia,Resumen,Estado,Creada\nHOS-1,a,En curso,18/Okt/26 9:10 AM\nHOS-2,b,En curso,18/oct/26 9:10 AM\n',
    );
    const err = await refusal(run('', { file: path }));
    expect(err.problems).toEqual([
      {
        row: 2,
        reasons: [expect.stringContaining('Creada: "18/Okt/26 9:10 AM" has a month name "Okt" that is not Spanish')],
      },
    ]);
  });

  it('refuses an AM/PM marker of another language', async () => {
    const path = write('es-with-ja-marker.csv', 'Clave de incidencia,Resumen,Estado,Creada\nHOS-1,a,En curso,18/jul/26 9:10 午後\n');
    const err = await refusal(run('', { file: path }));
    expect(err.problems[0]!.reasons[0]).toContain('has the time marker "午後", which is not Spanish');
  });

  it('refuses column names in two languages, naming both', async () => {
    const de = write('es-de.csv', 'Clave de incidencia,Zusammenfassung,Estado,Creada\nHOS-1,a,En curso,18/jul/26 9:10 AM\n');
    const err = await refusal(run('', { file: de }));
    expect(err.reason).toBe('MIXED_LANGUAGES');
    expect(err.message).toMatch(/mix languages: Spanish \("Clave de incidencia", "Estado", "Creada"\) and German \("Zusammenfassung"\)\./);
    // The same column twice, in English and in Spanish.
    const en = write('es-en.csv', 'Clave de incidencia,Resumen,Estado,Created,Creada\nHOS-1,a,En curso,18/Jul/26 9:10 AM,18/jul/26\n');
    const err2 = await refusal(run('', { file: en }));
    expect(err2.reason).toBe('MIXED_LANGUAGES');
    expect(err2.message).toContain('English ("Created") and Spanish ("Creada"');
    const [n] = await t.sql(`select count(*)::int as n from incidents where external_ref like 'HOS-%'`);
    expect(n).toEqual({ n: 0 });
  });

  it('keeps a long comment thread whole: the limit holds per Comment column, not for their sum', async () => {
    const long = (n: number) => `18/Jul/26 9:1${n} AM;557058:aa11;${'x'.repeat(15_000)}`;
    const path = write(
      'long-thread.csv',
      `Issue key,Summary,Status,Created,Comment,Comment,Comment\nHOS-3,a,To Do,18/Jul/26 9:10 AM,${long(1)},${long(2)},${long(3)}\n`,
    );
    expect(await run('', { file: path })).toMatchObject({ created: 1, rejectedRows: 0 });
    const r = await incidents('HOS');
    expect(r.get('HOS-3')!.attrs.comments).toBe([long(1), long(2), long(3)].join('\n\n'));
    // One column over the limit is still refused, naming the column.
    const one = write('too-long.csv', `Issue key,Summary,Status,Created,Labels\nHOS-4,a,To Do,18/Jul/26 9:10 AM,${'y'.repeat(20_001)}\n`);
    const err = await refusal(run('', { file: one }));
    expect(err.problems).toEqual([{ row: 2, reasons: ['Labels: must be at most 20000 characters (got 20001)'] }]);
  });

  it('keeps all of 200 repeated Labels columns, and refuses a missing key column listing the columns', async () => {
    const labels = Array.from({ length: 200 }, (_, i) => `l${i}`);
    const path = write(
      'many-labels.csv',
      `Issue key,Summary,Status,Created,${labels.map(() => 'Labels').join(',')}\nHOS-1,a,To Do,18/Jul/26 9:10 AM,${labels.join(',')}\n`,
    );
    expect(await run('', { file: path })).toMatchObject({ created: 1 });
    const r = await incidents('HOS');
    expect(r.get('HOS-1')!.attrs.labels).toBe(labels.join(', '));
    const missing = write('no-key.csv', 'Resumen,Estado,Creada\na,En curso,18/jul/26 9:10 AM\n');
    const err = await refusal(run('', { file: missing }));
    expect(err.reason).toBe('MISSING_COLUMNS');
    expect(err.message).toContain('Columns in the file: Resumen, Estado, Creada');
    expect(err.message).toContain('read as Spanish');
  });
});
