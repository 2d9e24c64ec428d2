import type { HoldReason, IncidentStatus, ResolutionKind } from '@ikb/domain';
import type { IncidentSource } from '../../incidents/incident.enums';
import { DATE_FIELDS, MAPPED_FIELDS, type ColumnRef, type ImportMapping, type MappedField } from './mapping';

/** A table read from a file: CSV as is, JSON flattened to columns. */
export interface SourceTable {
  header: string[];
  rows: string[][];
  /** Number of each row in messages: the spreadsheet row for CSV (header = 1), the position for JSON (from 1). */
  rowNumbers: number[];
}

/** One row's values, converted; `undefined` = the mapping has no column for the field. */
export interface RecordValues {
  externalRef?: string | null;
  id?: string | null;
  number?: string | null;
  title?: string | null;
  description?: string | null;
  /** null: the row does not say (empty, or a value such as ServiceNow's -100); the status stays what it was. */
  status?: { status: IncidentStatus; holdReason: HoldReason | null } | null;
  statusCategory?: string | null;
  holdReason?: HoldReason | null;
  source?: IncidentSource | null;
  impact?: number | null;
  urgency?: number | null;
  priority?: number | null;
  service?: string | null;
  category?: string | null;
  subcategory?: string | null;
  team?: string | null;
  assignee?: string | null;
  reporter?: string | null;
  major?: boolean | null;
  detectedAt?: Date | null;
  openedAt?: Date | null;
  acknowledgedAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  updatedAt?: Date | null;
  sequence?: number | null;
  actor?: string | null;
  openedBy?: string | null;
  resolvedBy?: string | null;
  resolutionKind?: ResolutionKind | null;
  resolutionCode?: string | null;
  resolutionNotes?: string | null;
  userConfirmed?: boolean | null;
  reopenCount?: number | null;
  reassignmentCount?: number | null;
  problem?: string | null;
  problemId?: string | null;
  problemTitle?: string | null;
  causedBy?: string | null;
  changeRef?: string | null;
  slaMet?: boolean | 'MET' | 'BREACHED' | null;
  attributesJson?: Record<string, string> | null;
  attributes?: Record<string, string>;
}

/**
 * RecordValues with every field present from the start (undefined until read): one object shape
 * for all rows, so the reader's stores do not grow each row's object field by field.
 */
export class Values implements RecordValues {
  externalRef?: RecordValues['externalRef'] = undefined;
  id?: RecordValues['id'] = undefined;
  number?: RecordValues['number'] = undefined;
  title?: RecordValues['title'] = undefined;
  description?: RecordValues['description'] = undefined;
  status?: RecordValues['status'] = undefined;
  statusCategory?: RecordValues['statusCategory'] = undefined;
  holdReason?: RecordValues['holdReason'] = undefined;
  source?: RecordValues['source'] = undefined;
  impact?: RecordValues['impact'] = undefined;
  urgency?: RecordValues['urgency'] = undefined;
  priority?: RecordValues['priority'] = undefined;
  service?: RecordValues['service'] = undefined;
  category?: RecordValues['category'] = undefined;
  subcategory?: RecordValues['subcategory'] = undefined;
  team?: RecordValues['team'] = undefined;
  assignee?: RecordValues['assignee'] = undefined;
  reporter?: RecordValues['reporter'] = undefined;
  major?: RecordValues['major'] = undefined;
  detectedAt?: RecordValues['detectedAt'] = undefined;
  openedAt?: RecordValues['openedAt'] = undefined;
  acknowledgedAt?: RecordValues['acknowledgedAt'] = undefined;
  resolvedAt?: RecordValues['resolvedAt'] = undefined;
  closedAt?: RecordValues['closedAt'] = undefined;
  updatedAt?: RecordValues['updatedAt'] = undefined;
  sequence?: RecordValues['sequence'] = undefined;
  actor?: RecordValues['actor'] = undefined;
  openedBy?: RecordValues['openedBy'] = undefined;
  resolvedBy?: RecordValues['resolvedBy'] = undefined;
  resolutionKind?: RecordValues['resolutionKind'] = undefined;
  resolutionCode?: RecordValues['resolutionCode'] = undefined;
  resolutionNotes?: RecordValues['resolutionNotes'] = undefined;
  userConfirmed?: RecordValues['userConfirmed'] = undefined;
  reopenCount?: RecordValues['reopenCount'] = undefined;
  reassignmentCount?: RecordValues['reassignmentCount'] = undefined;
  problem?: RecordValues['problem'] = undefined;
  problemId?: RecordValues['problemId'] = undefined;
  problemTitle?: RecordValues['problemTitle'] = undefined;
  causedBy?: RecordValues['causedBy'] = undefined;
  changeRef?: RecordValues['changeRef'] = undefined;
  slaMet?: RecordValues['slaMet'] = undefined;
  attributesJson?: RecordValues['attributesJson'] = undefined;
  attributes?: RecordValues['attributes'] = undefined;
}

export interface SourceRecord {
  index: number;
  row: number;
  /** What groups rows into one incident: the external reference, or the id for this tool's export. */
  key: string;
  v: RecordValues;
}

export interface RowProblem {
  row: number;
  reasons: string[];
}

type Getter = (row: string[]) => string | null;

/** Column lookup: exact header name first, then case- and space-insensitive. */
export function columnIndexes(header: string[], name: string): number[] {
  const exact = header.flatMap((h, i) => (h === name ? [i] : []));
  if (exact.length) return exact;
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const n = norm(name);
  return header.flatMap((h, i) => (norm(h) === n ? [i] : []));
}

/**
 * Compiles the mapping against a header: which fields are present, and a getter per field that
 * returns the first non-empty value of its columns (null when all are empty or a null value).
 * `shown` is the header as the file has it, for messages, when `header` was translated (languages.ts).
 */
export function compileColumns(mapping: ImportMapping, header: string[], shown: string[] = header) {
  const nulls = new Set(['', ...(mapping.nullValues ?? [])].map((s) => s.trim().toLowerCase()));
  const longest = Math.max(...[...nulls].map((s) => s.length)) + 2;
  const isNull = (s: string) => s.length <= longest && nulls.has(s.trim().toLowerCase());
  const getterOf = (ref: ColumnRef, joinAll = false): { getter: Getter; columns: string[]; indexes: number[] } | null => {
    const names = Array.isArray(ref) ? ref : [ref];
    const idx: number[] = [];
    const found: string[] = [];
    for (const n of names) {
      const hits = columnIndexes(header, n);
      if (hits.length) found.push(shown[hits[0]] ?? header[hits[0]]);
      idx.push(...hits);
    }
    if (!idx.length) return null;
    const indexes = idx;
    if (joinAll && idx.length > 1) {
      // Repeated columns (Jira writes one "Labels" column per label, one "Comment" per comment): every
      // value, joined with ", " - or with a blank line when a value has commas, semicolons or lines of
      // its own (a Jira comment is "date;author;text"), so that the values can still be told apart.
      return {
        columns: found,
        indexes,
        getter: (row) => {
          const parts: string[] = [];
          let prose = false;
          for (const i of idx) {
            const s = row[i];
            if (s !== undefined && !isNull(s) && s.trim()) {
              const t = s.trim();
              if (!prose && /[,;\n]/.test(t)) prose = true;
              parts.push(t);
            }
          }
          return parts.length ? parts.join(prose ? '\n\n' : ', ') : null;
        },
      };
    }
    if (idx.length === 1) {
      const i = idx[0];
      return {
        columns: found,
        indexes,
        getter: (row) => {
          const s = row[i];
          if (s === undefined || isNull(s)) return null;
          return s;
        },
      };
    }
    return {
      columns: found,
      indexes,
      getter: (row) => {
        for (const i of idx) {
          const s = row[i];
          if (s !== undefined && !isNull(s)) return s;
        }
        return null;
      },
    };
  };
  const fields = new Map<MappedField, { getter: Getter; columns: string[]; indexes: number[] }>();
  for (const [field, ref] of Object.entries(mapping.columns) as [MappedField, ColumnRef][]) {
    if (!(field in MAPPED_FIELDS)) continue;
    const g = getterOf(ref);
    if (g) fields.set(field, g);
  }
  const attributes = new Map<string, { getter: Getter; columns: string[]; indexes: number[] }>();
  for (const [name, ref] of Object.entries(mapping.attributes ?? {})) {
    const g = getterOf(ref, true);
    if (g) attributes.set(name, g);
  }
  // Which columns are read at all, and which hold dates (a CSV scan leaves the others out).
  const width = header.length;
  const keep: boolean[] = Array.from({ length: width }, () => false);
  const dateKeep: boolean[] = Array.from({ length: width }, () => false);
  for (const [field, c] of fields) {
    for (const i of c.indexes) {
      keep[i] = true;
      if (DATE_FIELDS.includes(field)) dateKeep[i] = true;
    }
  }
  for (const c of attributes.values()) for (const i of c.indexes) keep[i] = true;
  return { fields, attributes, keep, dateKeep };
}

export type CompiledColumns = ReturnType<typeof compileColumns>;

/** Feeds every value of the mapped date columns of a row to `add` (day-first / month-first detection). */
export function dateValuesOf(
  cols: CompiledColumns,
): (row: string[], rowNumber: number, add: (value: string, row: number, column: string) => void) => void {
  const dateCols = DATE_FIELDS.flatMap((f) => {
    const c = cols.fields.get(f);
    return c ? [c] : [];
  });
  // A value as the row before (the scanner hands over the same string) was looked at already.
  const last: (string | null)[] = dateCols.map(() => null);
  return (row, rowNumber, add) => {
    for (let k = 0; k < dateCols.length; k++) {
      const v = dateCols[k].getter(row);
      if (v === null || v === last[k]) continue;
      last[k] = v;
      add(v, rowNumber, dateCols[k].columns[0]);
    }
  };
}
