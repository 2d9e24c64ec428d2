import { isValidTimeZone, type DateNames } from '@ikb/domain';
import { ImportRefused } from '../import-refused';
import type { ImportOptions } from '../import-options';
import { DateOrderDetector, DateReader, type DateOrder } from './dates';
import type { ImportMapping } from './mapping';
import { createRecordReader, finishDates, type DateMemo, type PendingDates } from './record-reader';
import { dateValuesOf, type CompiledColumns, type RowProblem, type SourceRecord } from './records';
import type { RowSource } from './row-source';

export interface RowsRead {
  records: SourceRecord[];
  /** Each bad row and why, in row order. */
  problems: RowProblem[];
  order: DateOrder;
  /** Where the date order came from, in words (null when it was given). */
  evidence: string | null;
  timeZone: string;
}

/**
 * One pass over the rows. With --date-format auto, the dates are looked at for day-first or
 * month-first evidence on the same pass and converted after it (the rows are read with their date
 * values pending): a large file is scanned once. Refuses a file whose dates mix orders or cannot
 * tell them apart.
 */
export function readRows(
  source: RowSource,
  mapping: ImportMapping,
  cols: CompiledColumns,
  opts: Pick<ImportOptions, 'timeZone' | 'dateFormat'>,
  where: { name: string; label: string; totalRows: number; dateNames?: DateNames | null },
  report: (fraction: number, phase: string, rows: number) => void,
  rowsRead: (n: number) => void,
): RowsRead {
  const { name, label, totalRows } = where;
  const names = where.dateNames ?? null;
  // Day-first or month-first, from the option or from the data.
  const timeZone = opts.timeZone ?? mapping.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone))
    throw new ImportRefused('BAD_OPTION', `--timezone: "${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
  const option = opts.dateFormat ?? mapping.dateFormat ?? 'auto';
  let order: DateOrder;
  let evidence: string | null = null;

  report(0.02, 'reading rows', 0);
  const detector = option === 'auto' ? new DateOrderDetector() : null;
  let read = createRecordReader(mapping, cols, detector ? null : new DateReader(option as DateOrder, timeZone, names));
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
      if (!early && (early = detector!.settled())) read = createRecordReader(mapping, cols, new DateReader(early, timeZone, names));
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
  rowsRead(records.length);

  if (detector) {
    report(0.38, 'checking dates', records.length);
    const d = detector.result();
    if (d.conflict) {
      throw new ImportRefused(
        'MIXED_DATES',
        `${name} mixes date formats: ${label} ${d.conflict.dmy.row} has ${d.conflict.dmy.column} "${d.conflict.dmy.value}" (day first) ` +
          `but ${label} ${d.conflict.mdy.row} has ${d.conflict.mdy.column} "${d.conflict.mdy.value}" (month first). Fix the file or pass ` +
          '--date-format dmy or mdy.',
      );
    }
    if (!d.order) {
      const shown = d.ambiguous.slice(0, 10).map((s) => `${label} ${s.row} ${s.column} "${s.value}"`);
      const rows = [...new Set(d.ambiguous.map((s) => s.row))];
      throw new ImportRefused(
        'AMBIGUOUS_DATES',
        `${name}: cannot tell day-first from month-first dates: no date has a number above 12 in first or second place, and ` +
          `${d.ambiguous.length} read differently either way, e.g. ${shown.join(', ')}.\n` +
          `  These ${label}s would settle it if one of their dates had a day above 12: ` +
          `${rows.slice(0, 20).join(', ')}${rows.length > 20 ? `, ... (${rows.length} in all)` : ''}.\n` +
          `  Check one of them against the source tool and pass --date-format dmy (day first) or --date-format mdy (month first).`,
      );
    }
    order = d.order;
    // settled() promises this: the rows read since were read in the order of the whole file.
    if (early && order !== early) throw new Error(`date order ${early} settled early, ${order} at the end`);
    if (d.evidence) evidence = `detected from ${label} ${d.evidence.row} ${d.evidence.column} "${d.evidence.value}"`;
    else if (d.unambiguous) evidence = 'no date needs a day/month order';
    // The dates read in that order; each row's reasons as a reader knowing it would have given them.
    const dates = new DateReader(order, timeZone, names);
    const converters = new Map<string, DateMemo>();
    for (let k = 0; k < pendingAt.length; k++) {
      const problem = finishDates(records[pendingAt[k]!]!, pendingDates[k]!, pendingReasons[k]!, cols, dates, converters);
      if (problem) problems.push(problem);
    }
    problems.sort((a, b) => a.row - b.row);
  } else {
    order = option as DateOrder;
  }
  return { records, problems, order, evidence, timeZone };
}
