import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EntityManager } from '@mikro-orm/postgresql';
import { countImportRun } from '../../http/metrics';
import { assemble } from './file/assemble';
import { EXPORT_MAPPING } from './file/mapping';
import { SERVICENOW_MAPPING, SERVICENOW_TABLE_API_MAPPING } from './servicenow/servicenow-mapping';
import { readRows } from './file/read-rows';
import { localise } from './file/languages';
import { compileColumns, type RowProblem } from './file/records';
import { openSource } from './file/row-source';
import type { ImportOptions } from './import-options';
import { ImportRefused, describeProblems } from './import-refused';
import { insertImportRun, messageWithoutRowList, recordRunAlone, startRun, type RunFacts, type RunRecord } from './import-run';
import { defaultRejectsPath, writeRejects, type ImportSummary } from './import-summary';
import { PhaseTrace } from './progress';
import { writeImport } from './write/write-import';

export type { ImportKind, ImportOptions, ImportProgress } from './import-options';
export { describeProblems, ImportRefused, type RefusalReason } from './import-refused';
export { defaultRejectsPath, formatSummary, type ImportSummary } from './import-summary';

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
  let label = opts.kind === 'json' ? 'record' : 'row';
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
  if (source.tableApi) label = 'record';
  const header = source.header;
  if (!header.length) throw new ImportRefused('BAD_FILE', `${name} has no ${label}s to import`);
  totalRows = source.estimatedRows;
  report(0.02, 'reading rows', 0);

  // ServiceNow's Table API JSON has fields the CSV export has not (sys_id, durations): its own mapping.
  const chosen =
    opts.mapping ?? (opts.kind === 'servicenow' ? (source.tableApi ? SERVICENOW_TABLE_API_MAPPING : SERVICENOW_MAPPING) : EXPORT_MAPPING);
  if (source.tableApi && !opts.mapping) run.options.mapping = chosen.name;
  const warnings = [...(source.warnings ?? [])];
  if (source.tableApi && opts.timeZone) {
    // Told the zone: the warning about display dates has been acted on.
    const i = warnings.findIndex((w) => w.startsWith('dates are display values'));
    if (i >= 0) warnings.splice(i, 1);
  }
  warnings.push(...(opts.warnings ?? []));
  // The file's language (mappings with languages): the header read as the mapping names it.
  const local = localise(chosen, header, name);
  const { mapping, language } = local;
  run.options.language = language?.name ?? null;
  const cols = compileColumns(mapping, local.header, header);
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
      `${name} does not have the columns the ${mapping.name} mapping needs: ${missing.join(', ')}.\n  Columns in the file: ` +
        `${header.slice(0, 60).join(', ')}` +
        (language
          ? `\n  The column names were read as ${language.name}; the mapping knows ` +
            `${['English', ...Object.values(mapping.languages ?? {}).map((l) => l.name)].join(', ')}.`
          : ''),
    );
  }

  const read = readRows(source, mapping, cols, opts, { name, label, totalRows, dateNames: local.dateNames }, report, (n) => {
    totalRows = n;
    run.rows = n;
  });
  const { records, problems, order, evidence, timeZone } = read;
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
      `${name} was not imported: ${allProblems.length} ${label}${allProblems.length > 1 ? 's are' : ' is'} invalid; nothing was ` +
        `written.\n${describeProblems(allProblems, label)}\n` +
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
    rejectsFile = opts.rejectsFile ?? defaultRejectsPath(opts.file, source.tableApi ? 'json' : opts.kind);
    writeRejects(rejectsFile, source.tableApi ? 'json' : opts.kind, header, source.rows(new Set(rejects.map((r) => r.row))), rejects);
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
    options: { dateOrder: order, timeZone, rejectsFile, language: language?.name ?? null },
    details: {
      incidents: distinctKeys,
      rejectedIncidents: new Set([...badKeys].filter(Boolean)).size,
      events: r.events,
      teamsCreated: r.teamsCreated,
      usersCreated: r.usersCreated,
      servicesCreated: r.servicesCreated,
      categoriesCreated: r.categoriesCreated,
      dateEvidence: evidence,
      ...(warnings.length ? { warnings } : {}),
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
    language: language?.name ?? null,
    dryRun: !!opts.dryRun,
    rejectsFile,
    rejects,
    changes: result.changes,
    seconds,
    rowsPerSecond: Math.round(totalRows / Math.max(seconds, 0.001)),
    runId: opts.dryRun ? null : runId,
    warnings,
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
