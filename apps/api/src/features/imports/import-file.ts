import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isValidTimeZone } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { countImportRun } from '../../http/metrics';
import { assemble } from './assemble';
import { CsvError, csvHeader, firstLineOf, guessDelimiter, isBlankRecord, scanCsvBytes, toCsv } from './csv';
import { DateOrderDetector, DateReader, describeOrder, type DateOrder } from './dates';
import { writeImport, type IncidentChange } from './importer';
import { JsonShapeError, jsonToTable } from './json-table';
import { EXPORT_MAPPING, SERVICENOW_MAPPING } from './mapping';
import type { ImportKind, ImportOptions } from './import-options';
import { insertImportRun, messageWithoutRowList, recordRunAlone, startRun, type RunFacts, type RunRecord } from './import-run';
import { PhaseTrace } from './progress';
import {
  compileColumns,
  createRecordReader,
  dateValuesOf,
  finishDates,
  type DateMemo,
  type PendingDates,
  type RowProblem,
  type SourceRecord,
  type SourceTable,
} from './records';

export type { ImportKind, ImportOptions, ImportProgress } from './import-options';

export interface ImportSummary {
  file: string;
  mapping: string;
  shape: 'event log' | 'one row per incident';
  rows: number;
  incidents: number;
  created: number;
  updated: number;
  unchanged: number;
  problemsCreated: number;
  rejectedRows: number;
  rejectedIncidents: number;
  teamsCreated: number;
  usersCreated: number;
  servicesCreated: number;
  categoriesCreated: number;
  events: number;
  dateOrder: DateOrder;
  dateEvidence: string | null;
  timeZone: string;
  dryRun: boolean;
  rejectsFile: string | null;
  rejects: RowProblem[];
  changes: IncidentChange[];
  seconds: number;
  rowsPerSecond: number;
  runId: string | null;
}

export type RefusalReason = 'INVALID_ROWS' | 'AMBIGUOUS_DATES' | 'MIXED_DATES' | 'BAD_FILE' | 'MISSING_COLUMNS' | 'BAD_OPTION';

/** The file was not imported (nothing was written); `problems` names each bad row and why. */
export class ImportRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly problems: RowProblem[] = [],
  ) {
    super(message);
  }
}

const MAX_LISTED = 200;

export function describeProblems(problems: RowProblem[], label = 'row', max = MAX_LISTED): string {
  const lines = problems.slice(0, max).map((p) => `  ${label} ${p.row}: ${p.reasons.join('; ')}`);
  if (problems.length > max) lines.push(`  ... and ${problems.length - max} more`);
  return lines.join('\n');
}

/**
 * The rows of a file, visited as often as needed. CSV is scanned from its text each time (only the
 * columns asked for are copied out), so a large file is never held as millions of strings; JSON is
 * small enough to flatten once.
 */
interface RowSource {
  header: string[];
  /** About how many rows (CSV: line breaks; exact for JSON), for the progress bar. */
  estimatedRows: number;
  forEach(fn: (fields: string[], row: number) => void, keep?: readonly boolean[]): void;
  /** Whole rows by number (for the rejects file). */
  rows(numbers: ReadonlySet<number>): Map<number, string[]>;
}

function openSource(kind: ImportKind, name: string, buf: Buffer): RowSource {
  const refuse = (err: unknown): never => {
    if (err instanceof CsvError || err instanceof JsonShapeError)
      throw new ImportRefused('BAD_FILE', `${name} cannot be read: ${err.message}`);
    throw err;
  };
  if (kind === 'json') {
    let table: SourceTable;
    try {
      table = jsonToTable(buf.toString('utf8'));
    } catch (err) {
      return refuse(err);
    }
    return {
      header: table.header,
      estimatedRows: table.rows.length,
      forEach: (fn) => table.rows.forEach((r, i) => fn(r, table.rowNumbers[i])),
      rows: (numbers) =>
        new Map(table.rows.flatMap((r, i) => (numbers.has(table.rowNumbers[i]) ? [[table.rowNumbers[i], r] as [number, string[]]] : []))),
    };
  }
  // CSV is scanned from its bytes: never decoded whole (see scanCsvBytes).
  const first = firstLineOf(buf);
  const delimiter = guessDelimiter(first);
  let header: string[];
  try {
    header = csvHeader(first, delimiter);
  } catch (err) {
    return refuse(err);
  }
  const scan = (fn: (fields: string[], row: number) => void, keep?: readonly boolean[]) => {
    try {
      scanCsvBytes(
        buf,
        delimiter,
        (fields, n) => {
          if (n > 1 && !isBlankRecord(fields)) fn(fields, n);
        },
        keep,
      );
    } catch (err) {
      refuse(err);
    }
  };
  return {
    header,
    estimatedRows: estimateLines(buf),
    forEach: scan,
    rows: (numbers) => {
      const out = new Map<number, string[]>();
      scan((fields, n) => {
        if (numbers.has(n)) out.set(n, fields);
      });
      return out;
    },
  };
}

/** Data lines of a file, for the progress bar: counted in the first megabyte, scaled to the whole. */
function estimateLines(buf: Buffer): number {
  const sample = Math.min(buf.length, 1 << 20);
  let lines = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < sample; i = buf.indexOf(10, i + 1)) lines++;
  if (sample < buf.length) lines = Math.round((lines * buf.length) / sample);
  else if (buf.length && buf[buf.length - 1] !== 10) lines++;
  return Math.max(1, lines - 1);
}

/**
 * Imports one file in one transaction: everything or nothing. Order of work: read and parse,
 * settle the date format, read every row (collecting each bad row's reasons), refuse the file or
 * set aside the bad incidents (--skip-invalid), rebuild incidents from their rows, then write.
 */
export async function importFile(em: EntityManager, opts: ImportOptions): Promise<ImportSummary> {
  // Every run goes into the history (import_runs, import-run.ts): an import with its incidents, in
  // their transaction; a refusal, a failure or a dry run alone, after the fact (nothing else written).
  const run = startRun(opts, opts.mapping ?? (opts.kind === 'servicenow' ? SERVICENOW_MAPPING : EXPORT_MAPPING));
  try {
    return await importOnce(em, opts, run);
  } catch (err) {
    const record: RunRecord =
      err instanceof ImportRefused
        ? {
            outcome: 'REFUSED',
            refusalReason: err.reason,
            message: messageWithoutRowList(err.message, err.problems.length > 0),
            rowsRejected: err.problems.length,
            rejects: err.problems,
          }
        : { outcome: 'FAILED', message: err instanceof Error ? err.message : String(err), rowsRejected: 0, rejects: [] };
    await recordRunAlone(em, run, record, err instanceof ImportRefused ? undefined : err);
    throw err;
  }
}

async function importOnce(em: EntityManager, opts: ImportOptions, run: RunFacts): Promise<ImportSummary> {
  const t0 = Date.now();
  const now = opts.now ?? new Date();
  const name = basename(opts.file);
  const label = opts.kind === 'json' ? 'record' : 'row';
  let totalRows = 0;
  const trace = PhaseTrace.fromEnv();
  const report = (fraction: number, phase: string, rows = totalRows) => {
    trace?.mark(phase);
    opts.onProgress?.({ fraction: Math.min(1, fraction), rows, totalRows, phase });
  };

  report(0, 'reading');
  const buf = opts.text !== undefined ? Buffer.from(opts.text, 'utf8') : readFileSync(opts.file);
  // Excel's "Unicode text" is UTF-16: read as UTF-8 every other character would be a NUL.
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    throw new ImportRefused('BAD_FILE', `${name} is UTF-16 text; save it as UTF-8 (CSV UTF-8 in Excel) and import again`);
  // The file's SHA-256 (for import_runs): on another thread while this one reads the rows.
  const sha256 = opts.text !== undefined ? Promise.resolve(createHash('sha256').update(buf).digest('hex')) : fileSha256(opts.file, buf);
  run.sha256 = sha256;
  const source = openSource(opts.kind, name, buf);
  const header = source.header;
  if (!header.length) throw new ImportRefused('BAD_FILE', `${name} has no ${label}s to import`);
  totalRows = source.estimatedRows;
  report(0.02, 'reading rows', 0);

  const mapping = opts.mapping ?? (opts.kind === 'servicenow' ? SERVICENOW_MAPPING : EXPORT_MAPPING);
  const cols = compileColumns(mapping, header);
  const missing: string[] = [];
  const need = (field: 'externalRef' | 'openedAt' | 'id') => {
    const ref = mapping.columns[field];
    if (ref && !cols.fields.has(field))
      missing.push(`${field} (column ${Array.isArray(ref) ? ref.map((r) => `"${r}"`).join(' or ') : `"${ref}"`})`);
  };
  if (mapping.matchById && !cols.fields.has('externalRef')) need('id');
  else need('externalRef');
  need('openedAt');
  if (missing.length) {
    throw new ImportRefused(
      'MISSING_COLUMNS',
      `${name} does not have the columns the ${mapping.name} mapping needs: ${missing.join(', ')}.\n  Columns in the file: ${header.slice(0, 60).join(', ')}`,
    );
  }

  // Dates: day-first or month-first, from the option or from the data.
  const timeZone = opts.timeZone ?? mapping.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone))
    throw new ImportRefused('BAD_OPTION', `--timezone: "${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
  const option = opts.dateFormat ?? mapping.dateFormat ?? 'auto';
  let order: DateOrder;
  let evidence: string | null = null;

  // One pass over the rows. With --date-format auto, the dates are looked at for day-first or
  // month-first evidence on the same pass and converted after it (the rows are read with their
  // date values pending): a large file is scanned once.
  report(0.02, 'reading rows', 0);
  const detector = option === 'auto' ? new DateOrderDetector() : null;
  let read = createRecordReader(mapping, cols, detector ? null : new DateReader(option as DateOrder, timeZone));
  // Once a date settles the order (a day or month above 12), the rows after it are read in that
  // order straight away: the file is then read in it, or refused for mixing orders (see settled()).
  let early: DateOrder | null = null;
  const records: SourceRecord[] = [];
  const problems: RowProblem[] = [];
  const pendingAt: number[] = [];
  const pendingDates: PendingDates[] = [];
  const pendingReasons: string[][] = [];
  const add = detector?.add.bind(detector);
  const visit = detector ? dateValuesOf(cols) : null;
  source.forEach((fields, row) => {
    if (visit) {
      visit(fields, row, add!);
      if (!early && (early = detector!.settled())) read = createRecordReader(mapping, cols, new DateReader(early, timeZone));
    }
    const { record, problem, pending, reasons } = read(fields, row, records.length);
    if (pending) {
      pendingAt.push(records.length);
      pendingDates.push(pending);
      pendingReasons.push(reasons);
    } else if (problem) problems.push(problem);
    records.push(record);
    if (records.length % 5000 === 0) report(0.02 + 0.38 * Math.min(1, records.length / totalRows), 'reading rows', records.length);
  }, cols.keep);
  totalRows = records.length;
  run.rows = totalRows;

  if (detector) {
    report(0.38, 'checking dates');
    const d = detector.result();
    if (d.conflict) {
      throw new ImportRefused(
        'MIXED_DATES',
        `${name} mixes date formats: ${label} ${d.conflict.dmy.row} has ${d.conflict.dmy.column} "${d.conflict.dmy.value}" (day first) but ${label} ${d.conflict.mdy.row} has ${d.conflict.mdy.column} "${d.conflict.mdy.value}" (month first). Fix the file or pass --date-format dmy or mdy.`,
      );
    }
    if (!d.order) {
      const shown = d.ambiguous.slice(0, 10).map((s) => `${label} ${s.row} ${s.column} "${s.value}"`);
      const rows = [...new Set(d.ambiguous.map((s) => s.row))];
      throw new ImportRefused(
        'AMBIGUOUS_DATES',
        `${name}: cannot tell day-first from month-first dates: no date has a number above 12 in first or second place, and ${d.ambiguous.length} read differently either way, e.g. ${shown.join(', ')}.\n` +
          `  These ${label}s would settle it if one of their dates had a day above 12: ${rows.slice(0, 20).join(', ')}${rows.length > 20 ? `, ... (${rows.length} in all)` : ''}.\n` +
          `  Check one of them against the source tool and pass --date-format dmy (day first) or --date-format mdy (month first).`,
      );
    }
    order = d.order;
    // settled() promises this: the rows read since were read in the order of the whole file.
    if (early && order !== early) throw new Error(`date order ${early} settled early, ${order} at the end`);
    if (d.evidence) evidence = `detected from ${label} ${d.evidence.row} ${d.evidence.column} "${d.evidence.value}"`;
    else if (d.unambiguous) evidence = 'no date needs a day/month order';
    // The dates read in that order; each row's reasons as a reader knowing it would have given them.
    const dates = new DateReader(order, timeZone);
    const converters = new Map<string, DateMemo>();
    for (let k = 0; k < pendingAt.length; k++) {
      const problem = finishDates(records[pendingAt[k]!]!, pendingDates[k]!, pendingReasons[k]!, cols, dates, converters);
      if (problem) problems.push(problem);
    }
    problems.sort((a, b) => a.row - b.row);
  } else {
    order = option as DateOrder;
  }
  if (!totalRows) throw new ImportRefused('BAD_FILE', `${name} has no ${label}s to import`);
  report(0.4, 'rebuilding incidents');

  // A bad row takes its whole incident with it: an incident is never half-imported either.
  const badKeys = new Set<string>();
  const badRows = new Map(problems.map((p) => [p.row, p]));
  for (const r of records) if (badRows.has(r.row)) badKeys.add(r.key);
  const skip = new Set<number>();
  for (const r of records) if (badKeys.has(r.key) || !r.key) skip.add(r.row);
  const assembly = assemble(records, mapping, cols, skip);
  const keyOfRow = assembly.problems.length ? new Map(records.map((r) => [r.row, r.key])) : new Map<number, string>();
  for (const p of assembly.problems) {
    badRows.set(p.row, p);
    const key = keyOfRow.get(p.row);
    if (key !== undefined) {
      badKeys.add(key);
      for (const r of records) if (r.key === key) skip.add(r.row);
    }
  }
  const allProblems = [...badRows.values()].sort((a, b) => a.row - b.row);
  if (allProblems.length && !opts.skipInvalid) {
    throw new ImportRefused(
      'INVALID_ROWS',
      `${name} was not imported: ${allProblems.length} ${label}${allProblems.length > 1 ? 's are' : ' is'} invalid; nothing was written.\n${describeProblems(allProblems, label)}\n` +
        `Fix them and import again, or pass --skip-invalid to import the other incidents and write these ${label}s to a rejects file.`,
      allProblems,
    );
  }
  // Rejects: the bad rows with their reasons, and the other rows of the same incidents.
  const rejects: RowProblem[] = [];
  if (skip.size) {
    const culprit = new Map<string, number>();
    for (const r of records) if (badRows.has(r.row) && !culprit.has(r.key)) culprit.set(r.key, r.row);
    for (const r of records) {
      if (!skip.has(r.row)) continue;
      const own = badRows.get(r.row);
      if (own) rejects.push(own);
      else
        rejects.push({
          row: r.row,
          reasons: [`another ${label} of ${r.key} (${culprit.get(r.key) ?? '?'}) is invalid, so its whole incident is left out`],
        });
    }
  }
  let rejectsFile: string | null = null;
  if (rejects.length && (!opts.dryRun || opts.rejectsFile)) {
    rejectsFile = opts.rejectsFile ?? defaultRejectsPath(opts.file, opts.kind);
    writeRejects(rejectsFile, opts.kind, header, source.rows(new Set(rejects.map((r) => r.row))), rejects);
  }
  const keys = new Set<string>();
  for (const r of records) if (r.key) keys.add(r.key);
  const distinctKeys = keys.size;
  // The records are not needed any more: let the memory go before the biggest part of the work.
  records.length = 0;
  const incidentsToImport = assembly.incidents.filter((i) => !badKeys.has(i.key));
  const importable = { ...assembly, incidents: incidentsToImport };

  const runId = run.id;
  const writeOpts = {
    mapping,
    actorName: opts.actorName ?? `import (${mapping.source})`,
    now,
    dryRun: !!opts.dryRun,
    runId,
    onProgress: (f: number, phase: string) => report(0.45 + 0.55 * f, phase),
  };
  // The run's line in the history (import-run.ts): with the incidents, or alone after a dry run.
  const runRecord = (r: Awaited<ReturnType<typeof writeImport>>): RunRecord => ({
    outcome: opts.dryRun ? 'DRY_RUN' : 'IMPORTED',
    shape: assembly.eventLog ? 'EVENT_LOG' : 'TABLE',
    counts: r,
    rowsRejected: rejects.length,
    rejects,
    options: { dateOrder: order, timeZone, rejectsFile },
    details: {
      incidents: distinctKeys,
      rejectedIncidents: new Set([...badKeys].filter(Boolean)).size,
      events: r.events,
      teamsCreated: r.teamsCreated,
      usersCreated: r.usersCreated,
      servicesCreated: r.servicesCreated,
      categoriesCreated: r.categoriesCreated,
      dateEvidence: evidence,
    },
  });
  const result = opts.dryRun
    ? await writeImport(em, importable, writeOpts)
    : await em.transactional(async (tem) => {
        const r = await writeImport(tem, importable, writeOpts);
        report(0.99, 'committing');
        await insertImportRun(tem, run, runRecord(r));
        return r;
      });
  if (opts.dryRun) await recordRunAlone(em, run, runRecord(result));
  report(1, opts.dryRun ? 'dry run done' : 'done', totalRows);
  trace?.write({ rows: totalRows, incidents: result.created + result.updated + result.unchanged, analytics: result.analytics ?? null });
  countImportRun(!!opts.dryRun, totalRows, rejects.length);
  const seconds = (Date.now() - t0) / 1000;
  return {
    file: opts.file,
    mapping: mapping.name,
    shape: assembly.eventLog ? 'event log' : 'one row per incident',
    rows: totalRows,
    incidents: distinctKeys,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    problemsCreated: result.problemsCreated,
    rejectedRows: rejects.length,
    rejectedIncidents: new Set([...badKeys].filter(Boolean)).size,
    teamsCreated: result.teamsCreated,
    usersCreated: result.usersCreated,
    servicesCreated: result.servicesCreated,
    categoriesCreated: result.categoriesCreated,
    events: result.events,
    dateOrder: order,
    dateEvidence: evidence,
    timeZone,
    dryRun: !!opts.dryRun,
    rejectsFile,
    rejects,
    changes: result.changes,
    seconds,
    rowsPerSecond: Math.round(totalRows / Math.max(seconds, 0.001)),
    runId: opts.dryRun ? null : runId,
  };
}

/**
 * SHA-256 of a file, computed by a worker thread that reads it again (from the page cache): the
 * importing thread is the critical path while it reads the rows, the other core is idle then.
 * Falls back to hashing `buf` here if the worker fails.
 */
function fileSha256(path: string, buf: Buffer): Promise<string> {
  const here = () => createHash('sha256').update(buf).digest('hex');
  return new Promise<string>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const { createHash } = require('node:crypto');
         const { readFileSync } = require('node:fs');
         parentPort.postMessage(createHash('sha256').update(readFileSync(workerData)).digest('hex'));`,
        { eval: true, workerData: path },
      );
    } catch {
      resolve(here());
      return;
    }
    worker.once('message', (hex: string) => resolve(hex));
    worker.once('error', () => resolve(here()));
    worker.once('exit', (code) => {
      if (code !== 0) resolve(here());
    });
  });
}

export function defaultRejectsPath(file: string, kind: ImportKind): string {
  const ext = extname(file);
  const stem = ext ? file.slice(0, -ext.length) : file;
  return `${stem}.rejects.${kind === 'json' ? 'json' : 'csv'}`;
}

/** The rejected rows as they were, plus their row number and reasons: fix and import that file. */
function writeRejects(path: string, kind: ImportKind, header: string[], rows: Map<number, string[]>, rejects: RowProblem[]) {
  if (kind === 'json') {
    const out = rejects.map((p) => ({
      record: p.row,
      reasons: p.reasons,
      values: Object.fromEntries(header.map((h, c) => [h, rows.get(p.row)?.[c] ?? ''])),
    }));
    writeFileSync(path, `${JSON.stringify({ rejects: out }, null, 2)}\n`);
    return;
  }
  const lines = rejects.map((p) => [...header.map((_, c) => rows.get(p.row)?.[c] ?? ''), String(p.row), p.reasons.join('; ')]);
  writeFileSync(path, toCsv([...header, 'rejected_row', 'rejected_reason'], lines));
}

/** The end-of-import summary, as printed by the CLI. */
export function formatSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const would = s.dryRun ? 'would be ' : '';
  const lines = [
    `${s.dryRun ? 'Dry run of' : 'Imported'} ${basename(s.file)} (${s.mapping}, ${s.shape}): ${n(s.rows)} rows, ${n(s.incidents)} incidents in ${s.seconds.toFixed(1)} s (${n(s.rowsPerSecond)} rows/s)${s.dryRun ? ' - nothing was written' : ''}`,
    `  incidents ${would}created:   ${n(s.created)}`,
    `  incidents ${would}updated:   ${n(s.updated)}`,
    `  incidents unchanged: ${s.dryRun ? '         ' : ''}${n(s.unchanged)}`,
    `  problems ${would}created:    ${n(s.problemsCreated)}`,
    `  rows rejected:       ${s.dryRun ? '         ' : ''}${n(s.rejectedRows)}${s.rejectedIncidents ? ` (${n(s.rejectedIncidents)} incidents left out)` : ''}${s.rejectsFile ? ` -> ${s.rejectsFile}` : ''}`,
    `  also: ${n(s.events)} timeline events, ${n(s.teamsCreated)} teams, ${n(s.usersCreated)} people, ${n(s.servicesCreated)} services, ${n(s.categoriesCreated)} categories ${s.dryRun ? 'would be ' : ''}created`,
    `  dates: ${s.dateEvidence === 'no date needs a day/month order' ? s.dateEvidence : `read ${describeOrder(s.dateOrder)}${s.dateEvidence ? ` (${s.dateEvidence})` : ''}`}; wall times in ${s.timeZone}`,
  ];
  const updates = s.changes.filter((c) => c.action === 'update');
  if (s.dryRun && updates.length) {
    lines.push('  would update:');
    for (const c of updates.slice(0, 20)) lines.push(`    ${c.ref} (${c.number}): ${c.fields.join(', ')}`);
    if (updates.length > 20) lines.push(`    ... and ${updates.length - 20} more`);
  }
  return lines.join('\n');
}
