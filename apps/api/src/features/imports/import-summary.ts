import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { describeOrder, type DateOrder } from './file/dates';
import { toCsv } from './file/csv';
import type { RowProblem } from './file/records';
import type { ImportKind } from './import-options';
import type { IncidentChange } from './write/write-import';

/** What an import did, as the CLI prints it, and the rejects file it leaves for the rows it left out. */

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
  /** The language the file was read in (mappings with languages), e.g. Spanish. */
  language: string | null;
  dryRun: boolean;
  rejectsFile: string | null;
  rejects: RowProblem[];
  changes: IncidentChange[];
  seconds: number;
  rowsPerSecond: number;
  runId: string | null;
  /** What the reader should know about the data (ServiceNow: sys_ids used as names...). */
  warnings?: string[];
}

export function defaultRejectsPath(file: string, kind: ImportKind): string {
  const ext = extname(file);
  const stem = ext ? file.slice(0, -ext.length) : file;
  return `${stem}.rejects.${kind === 'json' ? 'json' : 'csv'}`;
}

/** The rejected rows as they were, plus their row number and reasons: fix and import that file. */
export function writeRejects(path: string, kind: ImportKind, header: string[], rows: Map<number, string[]>, rejects: RowProblem[]) {
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
  const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;
  const would = s.dryRun ? 'would be ' : '';
  const lines = [
    `${s.dryRun ? 'Dry run of' : 'Imported'} ${basename(s.file)} (${s.mapping}, ${s.shape}): ${plural(s.rows, 'row')}, ` +
      `${plural(s.incidents, 'incident')} in ${s.seconds.toFixed(1)} s (${n(s.rowsPerSecond)} rows/s)` +
      `${s.dryRun ? ' - nothing was written' : ''}`,
    `  incidents ${would}created:   ${n(s.created)}`,
    `  incidents ${would}updated:   ${n(s.updated)}`,
    `  incidents unchanged: ${s.dryRun ? '         ' : ''}${n(s.unchanged)}`,
    `  problems ${would}created:    ${n(s.problemsCreated)}`,
    `  rows rejected:       ${s.dryRun ? '         ' : ''}${n(s.rejectedRows)}` +
      `${s.rejectedIncidents ? ` (${n(s.rejectedIncidents)} incidents left out)` : ''}${s.rejectsFile ? ` -> ${s.rejectsFile}` : ''}`,
    `  also: ${n(s.events)} timeline events, ${n(s.teamsCreated)} teams, ${n(s.usersCreated)} people, ${n(s.servicesCreated)} services, ` +
      `${n(s.categoriesCreated)} categories ${s.dryRun ? 'would be ' : ''}created`,
    `  dates: ${
      s.dateEvidence === 'no date needs a day/month order'
        ? s.dateEvidence
        : `read ${describeOrder(s.dateOrder)}${s.dateEvidence ? ` (${s.dateEvidence})` : ''}`
    }; wall times in ${s.timeZone}`,
  ];
  if (s.language) lines.push(`  language: ${s.language} (column names, values and month names read in ${s.language})`);
  for (const w of s.warnings ?? []) lines.push(`  note: ${w}`);
  const updates = s.changes.filter((c) => c.action === 'update');
  if (s.dryRun && updates.length) {
    lines.push('  would update:');
    for (const c of updates.slice(0, 20)) lines.push(`    ${c.ref} (${c.number}): ${c.fields.join(', ')}`);
    if (updates.length > 20) lines.push(`    ... and ${updates.length - 20} more`);
  }
  return lines.join('\n');
}
