import { JsonShapeError } from '../file/json-table';
import type { SourceTable } from '../file/records';

/**
 * ServiceNow's Table API JSON (`GET /api/now/table/incident`: `{"result": [...]}`) as a table of
 * the incident table's columns, so the built-in mapping reads it like the CSV export. The three
 * shapes of sysparm_display_value:
 *
 * - false (the default, "raw"): choice fields as codes ("7", "1"), references as
 *   {"link": ".../sys_user_group/<sys_id>", "value": "<sys_id>"} or "" (or the bare sys_id with
 *   sysparm_exclude_reference_link=true), dates in UTC as "2016-12-14 02:46:44", durations as dates
 *   after the epoch ("1970-01-21 06:05:49" is 20 days 6 h 5 min 49 s), booleans as "true"/"false".
 * - true: display values: "Closed", "1 - Critical", names for references (plain, or
 *   {"display_value": ..., "link": ...}), dates in the exporting user's format and time zone.
 * - all: {"display_value": ..., "value": ...} for every field.
 *
 * With both, a reference is read by its display value (the name), a date and a duration by the
 * value (UTC, unambiguous), a choice code (state, priority, impact, urgency) by its code when it is
 * one of the incident table's own, else by its display value. With raw references only the sys_id
 * is known: it becomes the team/person/service name, and a warning says so (see `warnings`).
 */

/** Fields read as dates: by their value (UTC) when the display value is there too. */
const DATE_FIELDS = new Set([
  'opened_at',
  'sys_created_on',
  'sys_updated_on',
  'resolved_at',
  'closed_at',
  'reopened_time',
  'activity_due',
  'due_date',
  'sla_due',
  'work_start',
  'work_end',
  'expected_start',
  'follow_up',
  'approval_set',
]);
/** Durations, written as a date after 1970-01-01 00:00:00 in raw values. */
const DURATION_FIELDS = new Set(['business_duration', 'calendar_duration', 'time_worked']);
/** Choice fields whose codes the mapping knows: read by code when the code is a known one. */
const CODE_FIELDS: Record<string, RegExp> = {
  state: /^(1|2|3|6|7|8|-100)$/,
  incident_state: /^(1|2|3|6|7|8|-100)$/,
  priority: /^[1-5]$/,
  impact: /^[1-3]$/,
  urgency: /^[1-3]$/,
  severity: /^[1-3]$/,
};
/** References the mapping turns into names (teams, people, services, problems). */
export const NAMED_REFERENCES = [
  'assignment_group',
  'assigned_to',
  'caller_id',
  'business_service',
  'opened_by',
  'resolved_by',
  'problem_id',
  'caused_by',
  'rfc',
  'cmdb_ci',
  'location',
];

export interface TableApiTable extends SourceTable {
  /** What the reader should know: raw sys_ids used as names, display dates in an unknown zone. */
  warnings: string[];
  /** Each record as read, by row number (for the rejects file and the audit history). */
  records: Record<string, string>[];
}

const SYS_ID = /^[0-9a-f]{32}$/i;

/** Whether a buffer holds JSON rather than CSV: its first character past spaces and a BOM is { or [. */
export function looksLikeJson(buf: Buffer): boolean {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const end = Math.min(buf.length, i + 4096);
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return buf[i] === 0x7b || buf[i] === 0x5b;
}

/** The records of a Table API answer: {"result": [...]}, {"result": {...}} (one record), {"records": [...]}, or a list. */
export function tableApiRecords(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'object' || raw === null) throw new JsonShapeError('expected the Table API\'s {"result": [...]} or a list of records');
  const obj = raw as Record<string, unknown>;
  if (obj.error && typeof obj.error === 'object') {
    const e = obj.error as Record<string, unknown>;
    throw new JsonShapeError(`it is a ServiceNow error answer, not records: ${String(e.message ?? '')} ${String(e.detail ?? '')}`.trim());
  }
  for (const key of ['result', 'records']) {
    if (Array.isArray(obj[key])) return obj[key] as unknown[];
    if (key === 'result' && obj[key] && typeof obj[key] === 'object') return [obj[key]];
  }
  throw new JsonShapeError(
    `expected the Table API's {"result": [...]} (or {"records": [...]}, or a list); found the keys ` +
      Object.keys(obj).slice(0, 10).join(', '),
  );
}

/** "1970-01-21 06:05:49" -> "20 d 06:05:49"; another text as it is. */
export function durationText(raw: string): string {
  const m = /^1970-01-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(raw.trim());
  // Past a month the date runs into February: read it as seconds since the epoch.
  const m2 = m ? null : /^(19[7-9]\d|20\d\d)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(raw.trim());
  let seconds: number;
  if (m) seconds = (Number(m[1]) - 1) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  else if (m2) seconds = Date.parse(`${m2[1]}-${m2[2]}-${m2[3]}T${m2[4]}:${m2[5]}:${m2[6]}Z`) / 1000;
  else return raw;
  if (!Number.isFinite(seconds) || seconds < 0) return raw;
  const d = Math.floor(seconds / 86400);
  const rest = seconds % 86400;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d ? `${d} d ` : ''}${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

type Seen = { rawRefs: Set<string>; displayDates: boolean; dangling: Set<string> };

/** One field's value as text (see the header). */
function fieldText(field: string, v: unknown, seen: Seen): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    if (DURATION_FIELDS.has(field)) return durationText(v);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object' || x === null) ? v.join(', ') : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  const value = o.value === undefined || o.value === null ? undefined : String(o.value);
  const display = o.display_value === undefined || o.display_value === null ? undefined : String(o.display_value);
  if (display === undefined && value === undefined) return JSON.stringify(v);
  if (display === undefined) {
    // {"link": ..., "value": sys_id}: a raw reference, only the sys_id is known.
    if (value && SYS_ID.test(value) && NAMED_REFERENCES.includes(field)) seen.rawRefs.add(field);
    return DURATION_FIELDS.has(field) ? durationText(value!) : value!;
  }
  if (value === undefined) return display;
  if (DATE_FIELDS.has(field) || field.endsWith('_on') || field.endsWith('_at')) return value;
  if (DURATION_FIELDS.has(field)) return durationText(value);
  const code = CODE_FIELDS[field];
  if (code) return code.test(value.trim()) ? value : display;
  // A reference whose record is gone (deleted group...): a sys_id without a name. Left empty rather
  // than a team or person named by a sys_id.
  if (display === '' && SYS_ID.test(value) && NAMED_REFERENCES.includes(field)) {
    seen.dangling.add(field);
    return '';
  }
  // Other fields: the display value (names of references, labels of choices), or the value when it has none.
  return display !== '' || value === '' ? display : value;
}

/** The Table API JSON as a table of its fields (see the header); throws JsonShapeError when it is not one. */
export function tableApiToTable(text: string): TableApiTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new JsonShapeError(`not valid JSON: ${(err as Error).message}`);
  }
  return tableFromRecords(tableApiRecords(raw));
}

export function tableFromRecords(list: unknown[]): TableApiTable {
  const seen: Seen = { rawRefs: new Set(), displayDates: false, dangling: new Set() };
  const columns = new Map<string, number>();
  const records: Record<string, string>[] = [];
  const bad: number[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      bad.push(i + 1);
      records.push({});
      return;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      let t: string;
      try {
        t = fieldText(k, v, seen);
      } catch {
        throw new JsonShapeError(`record ${i + 1}: ${JSON.stringify(k.slice(0, 60))} is nested too deeply`);
      }
      out[k] = t;
      if (!columns.has(k)) columns.set(k, columns.size);
    }
    // A display-value export (sysparm_display_value=true): the state is a label, dates are the user's.
    const state = (item as Record<string, unknown>).state;
    if (typeof state === 'string' && state !== '' && !/^-?\d+$/.test(state)) seen.displayDates = true;
    records.push(out);
  });
  if (bad.length)
    throw new JsonShapeError(
      `record${bad.length > 1 ? 's' : ''} ${bad.slice(0, 20).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not an object`,
    );
  const header = [...columns.keys()];
  const rows = records.map((o) => header.map((h) => o[h] ?? ''));
  const warnings: string[] = [];
  if (seen.rawRefs.size)
    warnings.push(
      `${[...seen.rawRefs].join(', ')} hold sys_ids only (exported with sysparm_display_value=false): the sys_id is kept as the ` +
        'team, person or service name. Export with sysparm_display_value=all (or true) to get their names ' +
        '(`pnpm cli import servicenow --instance` does).',
    );
  if (seen.dangling.size)
    warnings.push(
      `some ${[...seen.dangling].join(', ')} values are sys_ids without a display value (records deleted in ServiceNow, or not ` +
        'readable by the user): left empty.',
    );
  if (seen.displayDates)
    warnings.push(
      "dates are display values (sysparm_display_value=true): they are in the exporting user's format and time zone; " +
        'pass --timezone if that is not UTC, or export with sysparm_display_value=all (dates in UTC).',
    );
  return { header, rows, rowNumbers: rows.map((_, i) => i + 1), warnings, records };
}
