import { HOLD_REASONS, textProblem, type HoldReason } from '@ikb/domain';
import { INCIDENT_SOURCES, type IncidentSource } from '../../incidents/incident.enums';
import type { DateReader } from './dates';
import { MAPPED_FIELDS, type ImportMapping, type MappedField } from './mapping';
import { Values, type CompiledColumns, type RecordValues, type RowProblem, type SourceRecord, type SourceTable } from './records';
import { ATTRIBUTE_VALUE, Bad, clip, dateConverter, fieldConverter, mappedValues, statusOf, UnknownStatus } from './value-converters';
import { isUuid } from '../../../ids';

/**
 * Date values read before the date format is settled (`createRecordReader` without a DateReader):
 * per date field its raw text and where its reason goes among the row's others, to be converted
 * by `finishDates` once the whole file told day-first from month-first. Flat: field, raw, slot, ...
 */
export type PendingDates = (string | number)[];

/** Checks across fields (the dates must be read). */
function crossFieldReasons(v: RecordValues, cols: CompiledColumns, reasons: string[]): void {
  if (v.openedAt && v.resolvedAt && v.resolvedAt < v.openedAt)
    reasons.push(
      `${cols.fields.get('resolvedAt')!.columns[0]}: ${v.resolvedAt.toISOString()} is before the incident was opened ` +
        `(${v.openedAt.toISOString()})`,
    );
  if (v.resolvedAt && v.closedAt && v.closedAt < v.resolvedAt)
    reasons.push(
      `${cols.fields.get('closedAt')!.columns[0]}: ${v.closedAt.toISOString()} is before it was resolved (${v.resolvedAt.toISOString()})`,
    );
}

/**
 * Converts the dates a reader without a DateReader left pending, now that the format is known:
 * the record gets its dates, and the row's reasons come out in the order a reader with the
 * DateReader would have given them. Returns the row's problem (null when it has none).
 */
export function finishDates(
  record: SourceRecord,
  pending: PendingDates,
  reasons: readonly string[],
  cols: CompiledColumns,
  dates: DateReader,
  cache: Map<string, DateMemo>,
): RowProblem | null {
  let out: string[] | null = null;
  const target = record.v as Record<string, unknown>;
  // Backwards, so that earlier slots stay where they are.
  for (let k = pending.length - 3; k >= 0; k -= 3) {
    const field = pending[k] as MappedField;
    let memo = cache.get(field);
    if (!memo) cache.set(field, (memo = { convert: dateConverter(cols.fields.get(field)!.columns[0], dates), raw: null, value: null }));
    const raw = pending[k + 1] as string;
    // Rows of an incident repeat their dates: the same text as the row before is read once.
    if (raw !== memo.raw) {
      memo.raw = raw;
      memo.value = memo.convert(raw);
    }
    const x = memo.value!;
    if (x instanceof Bad) (out ??= [...reasons]).splice(pending[k + 2] as number, 0, x.why);
    else target[field] = x;
  }
  const cross: string[] = [];
  crossFieldReasons(record.v, cols, cross);
  if (cross.length) (out ??= [...reasons]).push(...cross);
  const all = out ?? reasons;
  return all.length ? { row: record.row, reasons: [...all] } : null;
}

/** The last date read per field (see finishDates). */
export interface DateMemo {
  convert: (raw: string) => Date | Bad;
  raw: string | null;
  value: Date | Bad | null;
}

/**
 * Reads every row into typed values; a row with any unreadable value gets a problem naming the
 * column, the value and why. Keys (external reference) are required on every row. Without a
 * DateReader (the date format is detected from the same pass over the file), date values are left
 * pending: `pending` says which, and `finishDates` converts them (and gives the row's problem).
 */
export function createRecordReader(mapping: ImportMapping, cols: CompiledColumns, dates: DateReader | null) {
  const values = mappedValues(mapping);
  // One converter per mapped field (value-converters.ts).
  const entries = [...cols.fields.entries()].map(([field, c]) => {
    const column = c.columns[0];
    const type = MAPPED_FIELDS[field];
    const convert = fieldConverter(field, column, values, dates);
    // The same raw value as the row before (an export repeats most of an incident's values on each
    // of its rows; the CSV scanner even hands over the same string): converted once.
    return {
      field,
      convert,
      getter: c.getter,
      lastRaw: null as string | null,
      last: undefined as unknown,
      pending: !dates && type === 'date',
    };
  });
  const attrs = [...cols.attributes.entries()];
  // Repeated columns joined (Jira's Comment columns: a long thread) may hold the limit once per column.
  const attrRules = attrs.map(([, c]) =>
    c.indexes.length > 1 ? { ...ATTRIBUTE_VALUE, max: ATTRIBUTE_VALUE.max! * c.indexes.length } : ATTRIBUTE_VALUE,
  );
  const attrRaws: (string | null)[] = attrs.map(() => null);
  let lastAttrs: { a: Record<string, string>; why: string[] } | null = null;
  const refCol = cols.fields.get('externalRef');
  const idCol = cols.fields.get('id');
  const byCategory = categoryStatus(cols, values);

  /** One row: its record, and its problem when a value cannot be read. */
  return (
    row: string[],
    rowNumber: number,
    index: number,
  ): { record: SourceRecord; problem: RowProblem | null; pending: PendingDates | null; reasons: string[] } => {
    const reasons: string[] = [];
    const v: RecordValues = new Values();
    const target = v as Record<string, unknown>;
    let badKey = false;
    let pending: PendingDates | null = null;
    for (const e of entries) {
      const raw = e.getter(row);
      if (raw === null) {
        target[e.field] = null;
        continue;
      }
      if (e.pending) {
        (pending ??= []).push(e.field, raw, reasons.length);
        continue;
      }
      let x: unknown;
      if (raw === e.lastRaw) x = e.last;
      else {
        x = e.convert(raw);
        e.lastRaw = raw;
        e.last = x;
      }
      if (byCategory && x instanceof UnknownStatus) x = byCategory(row, x);
      if (x instanceof Bad) {
        reasons.push(x.why);
        if (e.field === 'externalRef' || e.field === 'id') badKey = true;
      } else target[e.field] = x;
    }
    if (attrs.length) {
      // Attributes as the row before when all their values are: the same object (assemble shares it too).
      let same = lastAttrs !== null;
      for (let k = 0; k < attrs.length; k++) {
        const raw = attrs[k][1].getter(row);
        if (raw !== attrRaws[k]) {
          same = false;
          attrRaws[k] = raw;
        }
      }
      if (!same) {
        const a: Record<string, string> = {};
        const why: string[] = [];
        for (let k = 0; k < attrs.length; k++) {
          const raw = attrRaws[k];
          if (raw === null || raw.trim() === '') continue;
          const [name, c] = attrs[k];
          const problem = textProblem(raw.trim(), attrRules[k]);
          if (problem) why.push(`${c.columns[0]}: ${problem}`);
          else a[name] = raw.trim();
        }
        lastAttrs = { a, why };
      }
      v.attributes = lastAttrs!.a;
      for (const w of lastAttrs!.why) reasons.push(w);
    }
    // Checks across fields and lengths.
    const key = v.externalRef ?? (mapping.matchById ? v.id : null) ?? null;
    if (!key && !badKey) {
      const names = [refCol?.columns[0], mapping.matchById ? idCol?.columns[0] : undefined].filter(Boolean).join(' or ');
      reasons.push(`${names || 'the external reference column'}: is empty; every row needs the incident's reference`);
    }
    if (v.id && !isUuid(v.id)) reasons.push(`${idCol!.columns[0]}: ${clip(v.id)} is not an id`);
    if (v.problemId && !isUuid(v.problemId)) reasons.push(`${cols.fields.get('problemId')!.columns[0]}: ${clip(v.problemId)} is not an id`);
    if (v.holdReason !== undefined && v.holdReason !== null) {
      const h = String(v.holdReason).toUpperCase();
      if (!HOLD_REASONS.includes(h as HoldReason))
        reasons.push(
          `${cols.fields.get('holdReason')!.columns[0]}: ${clip(String(v.holdReason))} is not one of ${HOLD_REASONS.join(', ')}`,
        );
      else v.holdReason = h as HoldReason;
    }
    if (v.source)
      v.source = (INCIDENT_SOURCES as readonly string[]).includes(String(v.source).toUpperCase())
        ? (String(v.source).toUpperCase() as IncidentSource)
        : null;
    if (!pending) crossFieldReasons(v, cols, reasons);
    const record = { index, row: rowNumber, key: key ?? '', v };
    // Pending dates: the problem is known once they are read (finishDates).
    return { record, problem: reasons.length && !pending ? { row: rowNumber, reasons } : null, pending, reasons };
  };
}
/**
 * A status the mapping does not list, read from the row's status category instead (Jira Cloud
 * exports a "Status Category": To Do, In Progress, Done, whatever the workflow calls the status).
 * A Done category whose resolution says nothing was fixed (Won't Do, Duplicate...) is CLOSED: the
 * issue was closed without a fix, there is nothing left to resolve. Only rows with an unknown
 * status come here.
 */
function categoryStatus(cols: CompiledColumns, values: ReturnType<typeof mappedValues>) {
  const category = cols.fields.get('statusCategory');
  if (!category || !values.statusCategory) return null;
  const resolution = cols.fields.get('resolutionKind');
  const kindOf = resolution ? fieldConverter('resolutionKind', resolution.columns[0]!, values, null) : null;
  return (row: string[], unknown: UnknownStatus): unknown => {
    const raw = category.getter(row);
    const name = raw?.trim();
    if (!name) return unknown;
    const target = values.statusCategory!.get(name.toLowerCase());
    const st = typeof target === 'string' ? statusOf(target, null) : undefined;
    if (!st) return new UnknownStatus(`${unknown.why}; nor is its ${category.columns[0]} ${clip(name)} a known status category`);
    const fix = resolution ? resolution.getter(row) : null;
    if (st.status === 'RESOLVED' && fix && kindOf?.(fix) === 'NO_FIX_NEEDED') return { status: 'CLOSED', holdReason: null };
    return st;
  };
}

/** Reads every row of a table (see createRecordReader). */
export function readRecords(
  table: SourceTable,
  mapping: ImportMapping,
  cols: CompiledColumns,
  dates: DateReader,
  progress?: (done: number, total: number) => void,
): { records: SourceRecord[]; problems: RowProblem[] } {
  const read = createRecordReader(mapping, cols, dates);
  const records: SourceRecord[] = [];
  const problems: RowProblem[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    if (progress && r % 5000 === 0) progress(r, table.rows.length);
    const { record, problem } = read(table.rows[r], table.rowNumbers[r], r);
    records.push(record);
    if (problem) problems.push(problem);
  }
  return { records, problems };
}
