import {
  dateProblem,
  HOLD_REASONS,
  INCIDENT_STATUSES,
  RESOLUTION_KINDS,
  textProblem,
  type HoldReason,
  type IncidentStatus,
  type ResolutionKind,
  type TextRule,
} from '@ikb/domain';
import { INCIDENT_SOURCES, type IncidentSource } from '../incidents/incident.enums';
import { displayText } from './clip-text';
import type { DateReader } from './dates';
import {
  DATE_FIELDS,
  LEVEL_WORDS,
  MAPPED_FIELDS,
  PRIORITY_WORDS,
  STATUS_WORDS,
  type ColumnRef,
  type ImportMapping,
  type MappedField,
} from './mapping';

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
class Values implements RecordValues {
  externalRef?: RecordValues['externalRef'] = undefined;
  id?: RecordValues['id'] = undefined;
  number?: RecordValues['number'] = undefined;
  title?: RecordValues['title'] = undefined;
  description?: RecordValues['description'] = undefined;
  status?: RecordValues['status'] = undefined;
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

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What each text field accepts: the limits of the GraphQL inputs (incident.inputs.ts: references
 * 120, resolution code 80; names 120 as in the directory), with the shared text rules of
 * @ikb/domain. A value against them is a reason on its row, like any unreadable value, instead of a
 * database error that would stop the import. Titles, descriptions and resolution notes are the
 * other tool's own words: too long is clipped (assemble.ts; Jira allows 255-character summaries),
 * and a title's line breaks become spaces, rather than losing the incident.
 */
const ONE_LINE = (max: number): TextRule => ({ singleLine: true, max });
const TEXT_RULES: Partial<Record<MappedField, TextRule>> = {
  externalRef: ONE_LINE(120),
  number: ONE_LINE(120),
  title: { singleLine: true },
  description: {},
  holdReason: ONE_LINE(40),
  source: ONE_LINE(40),
  service: ONE_LINE(120),
  category: ONE_LINE(120),
  subcategory: ONE_LINE(120),
  team: ONE_LINE(120),
  assignee: ONE_LINE(120),
  reporter: ONE_LINE(120),
  actor: ONE_LINE(200),
  openedBy: ONE_LINE(200),
  resolvedBy: ONE_LINE(200),
  resolutionCode: ONE_LINE(80),
  resolutionNotes: {},
  problem: ONE_LINE(120),
  problemTitle: ONE_LINE(200),
  causedBy: ONE_LINE(120),
  changeRef: ONE_LINE(120),
};
/** Source attributes (kept as JSON on the incident): names one line, values as long as a description. */
const ATTRIBUTE_NAME: TextRule = ONE_LINE(200);
const ATTRIBUTE_VALUE: TextRule = { max: 20_000 };

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
 */
export function compileColumns(mapping: ImportMapping, header: string[]) {
  const nulls = new Set(['', ...(mapping.nullValues ?? [])].map((s) => s.trim().toLowerCase()));
  const longest = Math.max(...[...nulls].map((s) => s.length)) + 2;
  const isNull = (s: string) => s.length <= longest && nulls.has(s.trim().toLowerCase());
  const getterOf = (ref: ColumnRef, joinAll = false): { getter: Getter; columns: string[]; indexes: number[] } | null => {
    const names = Array.isArray(ref) ? ref : [ref];
    const idx: number[] = [];
    const found: string[] = [];
    for (const n of names) {
      const hits = columnIndexes(header, n);
      if (hits.length) found.push(header[hits[0]]);
      idx.push(...hits);
    }
    if (!idx.length) return null;
    const indexes = idx;
    if (joinAll && idx.length > 1) {
      // Repeated columns (Jira writes one "Labels" column per label): every value, joined.
      return {
        columns: found,
        indexes,
        getter: (row) => {
          const parts: string[] = [];
          for (const i of idx) {
            const s = row[i];
            if (s !== undefined && !isNull(s) && s.trim()) parts.push(s.trim());
          }
          return parts.length ? parts.join(', ') : null;
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

const lowerTable = (t: Record<string, string | number | boolean> | undefined) =>
  t ? new Map(Object.entries(t).map(([k, v]) => [k.trim().toLowerCase(), v])) : null;

const BOOL_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  y: true,
  n: false,
  '1': true,
  '0': false,
  t: true,
  f: false,
  met: true,
  breached: false,
};

/** Leading number ("2 - High", "P2", "2") or a word ("High"). */
function scaleValue(raw: string, words: Record<string, number>, max: number): number | null {
  const s = raw.trim().toLowerCase();
  const m = /^p?(\d+)(?![\d.])/.exec(s);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= max ? n : null;
  }
  const word = s.replace(/^[\d\s\-–:.]+/, '').split(/[\s/(,-]+/)[0];
  return words[s] ?? words[word] ?? null;
}

export function statusOf(
  raw: string,
  table: Map<string, string | number | boolean> | null,
): { status: IncidentStatus; holdReason: HoldReason | null } | null | undefined {
  const s = raw.trim();
  const key = s.toLowerCase();
  const target =
    (table?.get(key) as string | undefined) ??
    STATUS_WORDS[key] ??
    (INCIDENT_STATUSES.includes(s.toUpperCase() as IncidentStatus) ? s.toUpperCase() : undefined) ??
    (/^ON_HOLD:/i.test(s) ? s.toUpperCase() : undefined);
  if (target === undefined) return undefined;
  if (target === '') return null;
  const [status, reason] = target.split(':') as [IncidentStatus, HoldReason | undefined];
  if (status === 'ON_HOLD') return { status, holdReason: reason && HOLD_REASONS.includes(reason) ? reason : 'AWAITING_USER' };
  return { status, holdReason: null };
}

/** Resolution kind from a close code: "Solved (Work Around)" -> WORKAROUND and so on; null when it says nothing. */
export function resolutionKindFrom(text: string | null | undefined): ResolutionKind | null {
  if (!text) return null;
  const s = text.toLowerCase();
  if (RESOLUTION_KINDS.includes(text.trim().toUpperCase() as ResolutionKind)) return text.trim().toUpperCase() as ResolutionKind;
  if (/work\s*-?around/.test(s)) return 'WORKAROUND';
  if (/vendor|provider|third.?party|escalat/.test(s)) return 'ESCALATED_TO_PROVIDER';
  if (/not solved|no fix|not reproducible|duplicate|cancel|by caller|user error|no action|won.?t/.test(s)) return 'NO_FIX_NEEDED';
  if (/solved|fixed|permanent|resolved/.test(s)) return 'PERMANENT_FIX';
  return null;
}

/**
 * Date values read before the date format is settled (`createRecordReader` without a DateReader):
 * per date field its raw text and where its reason goes among the row's others, to be converted
 * by `finishDates` once the whole file told day-first from month-first. Flat: field, raw, slot, ...
 */
export type PendingDates = (string | number)[];

function dateConverter(column: string, dates: DateReader): (raw: string) => Date | Bad {
  return (raw) => {
    const d = dates.parse(raw);
    if (typeof d === 'string') return new Bad(`${column}: ${d}`);
    // Year 9999 parses, but no incident happened then (and SLA clocks would walk its calendar).
    const why = dateProblem(d);
    return why ? new Bad(`${column}: ${displayText(raw.trim())} ${why}`) : d;
  };
}

/** Checks across fields (the dates must be read). */
function crossFieldReasons(v: RecordValues, cols: CompiledColumns, reasons: string[]): void {
  if (v.openedAt && v.resolvedAt && v.resolvedAt < v.openedAt)
    reasons.push(
      `${cols.fields.get('resolvedAt')!.columns[0]}: ${v.resolvedAt.toISOString()} is before the incident was opened (${v.openedAt.toISOString()})`,
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
  const values = {
    status: lowerTable(mapping.values?.status),
    impact: lowerTable(mapping.values?.impact),
    urgency: lowerTable(mapping.values?.urgency),
    priority: lowerTable(mapping.values?.priority),
    resolutionKind: lowerTable(mapping.values?.resolutionKind),
    slaMet: lowerTable(mapping.values?.slaMet),
    major: lowerTable(mapping.values?.major),
    userConfirmed: lowerTable(mapping.values?.userConfirmed),
  };
  // One converter per mapped field; values that repeat (levels, states, flags) are converted once.
  const entries = [...cols.fields.entries()].map(([field, c]) => {
    const column = c.columns[0];
    const type = MAPPED_FIELDS[field];
    const bad = (raw: string, why: string) => new Bad(`${column}: ${clip(raw)} ${why}`);
    let convert: (raw: string) => unknown;
    switch (type) {
      case 'text':
        // Long texts keep their spacing (a round trip must give them back as they were).
        convert =
          field === 'description' || field === 'resolutionNotes'
            ? (raw) => (raw.trim() === '' ? null : raw)
            : field === 'title'
              ? (raw) => raw.replace(/[\t\r\n\u2028\u2029]+/g, ' ').trim() || null
              : (raw) => raw.trim() || null;
        break;
      case 'date':
        // Without a DateReader the raw text is kept (see PendingDates).
        convert = dates ? dateConverter(column, dates) : (raw) => raw;
        break;
      case 'integer':
        convert = (raw) => (/^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : bad(raw, 'is not a whole number >= 0'));
        break;
      case 'boolean':
        convert = (raw) => {
          const t = values[field as 'major' | 'userConfirmed']?.get(raw.trim().toLowerCase()) ?? BOOL_WORDS[raw.trim().toLowerCase()];
          return typeof t === 'boolean' ? t : bad(raw, 'is not true or false');
        };
        break;
      case 'verdict':
        // MET / BREACHED is a verdict as recorded; true / false is ServiceNow's made_sla (see assemble).
        convert = (raw) => {
          const word = raw.trim().toUpperCase();
          const t =
            values.slaMet?.get(raw.trim().toLowerCase()) ??
            (word === 'MET' || word === 'BREACHED' ? word : BOOL_WORDS[raw.trim().toLowerCase()]);
          return t === true || t === false || t === 'MET' || t === 'BREACHED'
            ? t
            : bad(raw, 'is not an SLA verdict (true/false, MET/BREACHED)');
        };
        break;
      case 'level':
        convert = (raw) => {
          const mapped = values[field as 'impact' | 'urgency']?.get(raw.trim().toLowerCase());
          const n = typeof mapped === 'number' ? mapped : scaleValue(raw, LEVEL_WORDS, 3);
          return n === null ? bad(raw, `is not ${field === 'impact' ? 'an impact' : 'an urgency'} 1 (high) to 3 (low)`) : n;
        };
        break;
      case 'priority':
        convert = (raw) => {
          const mapped = values.priority?.get(raw.trim().toLowerCase());
          const n = typeof mapped === 'number' ? mapped : scaleValue(raw, PRIORITY_WORDS, 5);
          return n === null ? bad(raw, 'is not a priority 1 (critical) to 5 (planning)') : n;
        };
        break;
      case 'status':
        convert = (raw) => {
          const st = statusOf(raw, values.status);
          return st === undefined
            ? bad(
                raw,
                `is not a known status; map it in the mapping's values.status (to ${INCIDENT_STATUSES.join(', ')} or ON_HOLD:<reason>)`,
              )
            : st;
        };
        break;
      case 'resolutionKind':
        convert = (raw) => {
          const mapped = values.resolutionKind?.get(raw.trim().toLowerCase());
          return (typeof mapped === 'string' ? (mapped as ResolutionKind) : null) ?? resolutionKindFrom(raw);
        };
        break;
      case 'json':
        convert = (raw) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw);
          } catch {
            return bad(raw, 'is not a JSON object');
          }
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bad(raw, 'is not a JSON object');
          const out: Record<string, string> = {};
          for (const [k, x] of Object.entries(parsed)) {
            let value: string;
            try {
              value = typeof x === 'string' ? x : JSON.stringify(x);
            } catch {
              // JSON.stringify recurses: a value nested thousands deep overflows the stack.
              return new Bad(`${column}: the value of ${displayText(k)} is nested too deeply`);
            }
            const why = textProblem(k, ATTRIBUTE_NAME) ?? textProblem(value, ATTRIBUTE_VALUE);
            if (why) return new Bad(`${column}: ${displayText(k)} ${textProblem(k, ATTRIBUTE_NAME) ? 'as a name ' : ''}${why}`);
            out[k] = value;
          }
          return out;
        };
        break;
    }
    const rule = TEXT_RULES[field];
    if (type === 'text' && rule) {
      const read = convert;
      convert = (raw) => {
        const x = read(raw);
        const why = typeof x === 'string' ? textProblem(x, rule) : null;
        return why ? new Bad(`${column}: ${why}`) : x;
      };
    }
    if (type !== 'text' && type !== 'json' && type !== 'date') {
      const inner = convert;
      const cache = new Map<string, unknown>();
      convert = (raw) => {
        let hit = cache.get(raw);
        if (hit === undefined && !cache.has(raw)) {
          hit = inner(raw);
          if (cache.size < 10_000) cache.set(raw, hit);
        }
        return hit;
      };
    }
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
  const attrRaws: (string | null)[] = attrs.map(() => null);
  let lastAttrs: { a: Record<string, string>; why: string[] } | null = null;
  const refCol = cols.fields.get('externalRef');
  const idCol = cols.fields.get('id');

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
          const problem = textProblem(raw.trim(), ATTRIBUTE_VALUE);
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
    if (v.id && !UUID_RE.test(v.id)) reasons.push(`${idCol!.columns[0]}: ${clip(v.id)} is not an id`);
    if (v.problemId && !UUID_RE.test(v.problemId))
      reasons.push(`${cols.fields.get('problemId')!.columns[0]}: ${clip(v.problemId)} is not an id`);
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

export class Bad {
  constructor(readonly why: string) {}
}

/** A value quoted in a reason: short, control characters escaped (the reasons go to a terminal and a rejects file). */
const clip = (s: string) => displayText(s, 60);
