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
import { displayText } from '../../shared/clip-text';
import type { DateReader } from './dates';
import { LEVEL_WORDS, MAPPED_FIELDS, PRIORITY_WORDS, STATUS_WORDS, type ImportMapping, type MappedField } from './mapping';

/** Raw text -> typed values for each kind of mapped field, and the rules each text field must meet. */

/**
 * What each text field accepts: the limits of the GraphQL inputs (incident.inputs.ts: references
 * 120, resolution code 80; names 120 as in the directory), with the shared text rules of
 * @ikb/domain. A value against them is a reason on its row, like any unreadable value, instead of a
 * database error that would stop the import. Titles, descriptions and resolution notes are the
 * other tool's own words: too long is clipped (assemble.ts; Jira allows 255-character summaries),
 * and a title's line breaks become spaces, rather than losing the incident.
 */
const ONE_LINE = (max: number): TextRule => ({ singleLine: true, max });
export const TEXT_RULES: Partial<Record<MappedField, TextRule>> = {
  externalRef: ONE_LINE(120),
  number: ONE_LINE(120),
  title: { singleLine: true },
  description: {},
  statusCategory: ONE_LINE(80),
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
export const ATTRIBUTE_NAME: TextRule = ONE_LINE(200);
export const ATTRIBUTE_VALUE: TextRule = { max: 20_000 };

const lowerTable = (t: Record<string, string | number | boolean> | undefined) =>
  t ? new Map(Object.entries(t).map(([k, v]) => [k.trim().toLowerCase(), v])) : null;

export const BOOL_WORDS: Record<string, boolean> = {
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

/** The mapping's value tables (values.status and so on), with lower-cased keys. */
export function mappedValues(mapping: ImportMapping) {
  return {
    status: lowerTable(mapping.values?.status),
    statusCategory: lowerTable(mapping.values?.statusCategory),
    impact: lowerTable(mapping.values?.impact),
    urgency: lowerTable(mapping.values?.urgency),
    priority: lowerTable(mapping.values?.priority),
    resolutionKind: lowerTable(mapping.values?.resolutionKind),
    slaMet: lowerTable(mapping.values?.slaMet),
    major: lowerTable(mapping.values?.major),
    userConfirmed: lowerTable(mapping.values?.userConfirmed),
  };
}
export type MappedValues = ReturnType<typeof mappedValues>;

/**
 * The converter of one mapped field: raw text to its typed value, or a Bad naming the column, the
 * value and why. Values that repeat (levels, states, flags) are converted once.
 */
export function fieldConverter(
  field: MappedField,
  column: string,
  values: MappedValues,
  dates: DateReader | null,
): (raw: string) => unknown {
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
          ? new UnknownStatus(
              `${column}: ${clip(raw)} is not a known status; map it in the mapping's values.status ` +
                `(to ${INCIDENT_STATUSES.join(', ')} or ON_HOLD:<reason>)`,
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
  return convert;
}

export function dateConverter(column: string, dates: DateReader): (raw: string) => Date | Bad {
  return (raw) => {
    const d = dates.parse(raw);
    if (typeof d === 'string') return new Bad(`${column}: ${d}`);
    // Year 9999 parses, but no incident happened then (and SLA clocks would walk its calendar).
    const why = dateProblem(d);
    return why ? new Bad(`${column}: ${displayText(raw.trim())} ${why}`) : d;
  };
}

export class Bad {
  constructor(readonly why: string) {}
}
/** A status the mapping does not know: the row's status category may still say (record-reader.ts). */
export class UnknownStatus extends Bad {}

/** A value quoted in a reason: short, control characters escaped (the reasons go to a terminal and a rejects file). */
export const clip = (s: string) => displayText(s, 60);
