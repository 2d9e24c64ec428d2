import { createHash } from 'node:crypto';
import { dateProblem, textProblem, type TextRule } from '@ikb/domain';
import { clipText, quoteValue } from '../shared/clip-text';

/**
 * Reading and checking an alert webhook body, before anything is written. Every value that reaches
 * PostgreSQL is checked here with the rules of the GraphQL edge (@ikb/domain text-rules), so a bad
 * alert is a 400 naming its index and field: never a database error, which would be a 5xx that
 * Alertmanager re-sends for ever, blocking the rest of its batch.
 *
 * What the sender names (a title, a description, label names and values, a fingerprint) is refused
 * over its limit, as the API refuses it. What the system assembles (the title from alertname and
 * summary, the description from annotations, labels and URL) and annotation values are clipped
 * with a marker and a warning instead: Alertmanager templates write annotations, and losing a whole
 * batch because one annotation is long would be worse than a shortened text.
 */

export const INGEST_LIMITS = {
  /**
   * Alerts in one request. Each new incident costs about 15 statements, so 100 keep one request
   * short enough to answer before a sender's timeout; Alertmanager's `max_alerts` keeps to it.
   */
  alertsPerRequest: 100,
  labelsPerAlert: 100,
  annotationsPerAlert: 100,
  /** Label and annotation names. */
  nameLength: 200,
  labelValueLength: 2000,
  /** Longer annotation values are clipped (they only feed the description). */
  annotationValueLength: 20_000,
  /** As LogIncidentInput (incidents/incident.inputs.ts): title 200, description 20,000. */
  titleLength: 200,
  descriptionLength: 20_000,
  fingerprintLength: 200,
  /** Longer links are left out with a warning. */
  urlLength: 8000,
  /** Problems listed in one 400. */
  problemsListed: 100,
} as const;

export const ALERT_FORMATS = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'datadog', 'generic'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/**
 * firing, resolved and acknowledged act on incidents; `other` is an event of the sender that is
 * not acted on (a PagerDuty annotation, an Opsgenie tag): answered as ignored, with `event` named.
 */
export type AlertStatus = 'firing' | 'resolved' | 'acknowledged' | 'other';

export interface NormalizedAlert {
  index: number;
  /** What the sender calls the alert (shown, kept with it). */
  fingerprint: string;
  /** The deduplication key within the source (docs/imports.md, "Deduplication"). */
  identity: string;
  status: AlertStatus;
  /** The sender's name for the event (PagerDuty event_type, Opsgenie action, Datadog transition), when it has one. */
  event: string | null;
  /** When the sender says the event happened (an acknowledgement's time). */
  at: Date | null;
  title: string;
  description: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  url: string | null;
  /** What was clipped or left out on the way in; returned with the alert's result. */
  warnings: string[];
}

export interface PayloadProblem {
  index: number | null;
  message: string;
}

export type ParsedPayload = { ok: true; format: AlertFormat; alerts: NormalizedAlert[] } | { ok: false; problems: PayloadProblem[] };

export const L = INGEST_LIMITS;
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "a list", "an object", "a number"... for "must be X, not Y". */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'boolean') return 'true/false';
  return typeof v === 'number' ? 'a number' : 'a text';
}

/** `labels.host`, or `labels["two words"]` with the name escaped and clipped (it may hold anything). */
const keyPath = (base: string, key: string) =>
  IDENTIFIER.test(key) && key.length <= 60 ? `${base}.${key}` : `${base}[${quoteValue(key)}]`;

/** Go's zero time, which Alertmanager sends as endsAt of an alert that has not ended; and the Unix epoch, which some senders use alike. */
const UNSET_TIMES = new Set([new Date('0001-01-01T00:00:00Z').getTime(), 0]);

export class AlertReader {
  readonly warnings: string[] = [];

  constructor(
    readonly index: number,
    private readonly problems: PayloadProblem[],
    /** Where the alert is in the body: `alerts[3]`, or '' when the body is the alert (PagerDuty, Opsgenie, Datadog). */
    readonly path = `alerts[${index}]`,
  ) {}

  /** The path of a field of the alert. */
  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  problem(message: string) {
    this.problems.push({ index: this.index, message });
  }

  /** A text field the sender names: absent or null is null; another type, or a text against `rule`, is a problem. */
  text(v: unknown, field: string, rule: TextRule): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      this.problem(`${this.at(field)}: must be a text, not ${kindOf(v)}`);
      return null;
    }
    const why = textProblem(v, rule);
    if (why) {
      this.problem(`${this.at(field)}: ${why}`);
      return null;
    }
    return v;
  }

  /** Labels or annotations: an object of name -> text (numbers and true/false are written as text). */
  pairs(v: unknown, field: string, kind: 'labels' | 'annotations' = field === 'labels' ? 'labels' : 'annotations'): Record<string, string> {
    // No prototype: a label named __proto__ or constructor is a label like any other.
    const out = Object.create(null) as Record<string, string>;
    if (v === undefined || v === null) return out;
    const base = this.at(field);
    if (!isObj(v)) {
      this.problem(`${base}: must be an object of name -> text, not ${kindOf(v)}`);
      return out;
    }
    const keys = Object.keys(v);
    const max = kind === 'labels' ? L.labelsPerAlert : L.annotationsPerAlert;
    if (keys.length > max) {
      this.problem(`${base}: at most ${max} per alert, got ${keys.length}`);
      return out;
    }
    for (const k of keys) {
      const x = v[k];
      const path = keyPath(base, k);
      const nameWhy = k.trim() ? textProblem(k, { singleLine: true, max: L.nameLength }) : 'is empty';
      if (nameWhy) {
        this.problem(`${path}: the name ${nameWhy}`);
        continue;
      }
      if (x === null || x === undefined) continue;
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
        // Never stringified: a nested value is a mistake of the sender, and may be nested 5,000 deep.
        this.problem(`${path}: must be a text, a number or true/false, not ${kindOf(x)}`);
        continue;
      }
      const s = String(x);
      if (kind === 'labels') {
        const why = textProblem(s, { max: L.labelValueLength });
        if (why) this.problem(`${path}: ${why}`);
        else out[k] = s;
        continue;
      }
      const why = textProblem(s);
      if (why) {
        this.problem(`${path}: ${why}`);
        continue;
      }
      if (s.length > L.annotationValueLength)
        this.warnings.push(`${field}.${k}: clipped to ${L.annotationValueLength} characters (was ${s.length})`);
      out[k] = clipText(s, L.annotationValueLength);
    }
    return out;
  }

  /**
   * ISO 8601 text (or milliseconds since 1970) between 1970 and 2100; Go's zero time means none.
   * Nine fractional digits and offsets are read exactly to the millisecond. `digits`: a text of
   * digits is milliseconds too (Datadog's $DATE is one).
   */
  date(v: unknown, field: string, opts: { digits?: boolean } = {}): Date | null {
    if (v === undefined || v === null || v === '') return null;
    const path = this.at(field);
    if (opts.digits && typeof v === 'string' && /^\d{1,16}$/.test(v)) v = Number(v);
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.problem(`${path}: must be a date in ISO 8601 (e.g. 2026-11-27T10:15:00Z), not ${kindOf(v)}`);
      return null;
    }
    const d = typeof v === 'string' && v.length > 64 ? new Date(NaN) : new Date(v);
    if (Number.isNaN(d.getTime())) {
      this.problem(`${path}: ${quoteValue(String(v))} is not a date (use ISO 8601, e.g. 2026-11-27T10:15:00Z)`);
      return null;
    }
    if (UNSET_TIMES.has(d.getTime())) return null;
    const why = dateProblem(d);
    if (why) {
      this.problem(`${path}: ${why}`);
      return null;
    }
    return d;
  }
}

export function fingerprintOf(labels: Record<string, string>, title: string): string {
  const names = Object.keys(labels);
  const basis = names.length
    ? names
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join('\u0000')
    : title.toLowerCase();
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
/**
 * Bidi controls and invisible characters (the single-line set of @ikb/domain text-rules), removed
 * from a title the system assembles from labels and annotations: a template's soft hyphen must not
 * cost a batch. The result is still checked against the rules, so this list cannot drift silently.
 */
export const UNSHOWN = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF\u180E\u00AD]/g;

export function describe(
  labels: Record<string, string>,
  annotations: Record<string, string>,
  url: string | null,
  text: string | null,
): string {
  const parts = [text?.trim()].filter(Boolean) as string[];
  const labelText = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  if (labelText) parts.push(`Labels: ${labelText}`);
  const extra = Object.entries(annotations).filter(([k]) => !['summary', 'description', 'title'].includes(k));
  if (extra.length) parts.push(extra.map(([k, v]) => `${k}: ${v}`).join('\n'));
  if (url) parts.push(`Source: ${url}`);
  return parts.join('\n\n');
}

/** Labels in a stable order, hashed: the part of an identity that tells apart alerts sharing a fingerprint. */
export function labelsHash(labels: Record<string, string>): string {
  const basis = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/** The parts of an alert a format reader found; `finishAlert` checks and assembles the rest. */
export interface AlertParts {
  fingerprint: string;
  identity: string;
  status: AlertStatus;
  event: string | null;
  at: Date | null;
  /** The sender's title, one line: checked (a control character is a problem), clipped with a warning. */
  title: string | null;
  titlePath: string;
  text: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  url: string | null;
}

/** A title the system takes from a sender's field: whitespace made one line, invisible characters left out, clipped. */
export function titleFrom(r: AlertReader, value: string, path: string): string | null {
  const line = oneLine(value.replace(UNSHOWN, ''));
  if (!line) return null;
  if (line !== oneLine(value)) r.warnings.push(`title: invisible or bidirectional control characters of ${path} left out`);
  const why = textProblem(line, { singleLine: true });
  if (why) {
    r.problem(`${r.at(path)}: ${why} (it makes the title)`);
    return null;
  }
  if (line.length <= L.titleLength) return line;
  r.warnings.push(`title: clipped to ${L.titleLength} characters (was ${line.length})`);
  return clipText(line, L.titleLength);
}

/** The description from the text, labels, annotations and link, clipped with a marker over its limit. */
export function descriptionOf(r: AlertReader, p: Pick<AlertParts, 'labels' | 'annotations' | 'url' | 'text'>): string {
  const description = describe(p.labels, p.annotations, p.url, p.text);
  if (description.length <= L.descriptionLength) return description;
  const was = description.length;
  r.warnings.push(`description: clipped to ${L.descriptionLength} characters (was ${was})`);
  const marker =
    `…\n\n[clipped: the alert's text was ${was.toLocaleString('en-US')} characters; its labels and annotations are kept ` +
    'with the alert]';
  return clipText(description, L.descriptionLength, marker);
}

/** The alert of a single-event format (PagerDuty, Opsgenie, Datadog). */
export function finishAlert(r: AlertReader, p: AlertParts): NormalizedAlert {
  const title = p.title ? (titleFrom(r, p.title, p.titlePath) ?? '') : '';
  if (!title) r.problem(`${r.at(p.titlePath)}: is missing or empty (it makes the title)`);
  return {
    index: r.index,
    fingerprint: p.fingerprint,
    identity: p.identity,
    status: p.status,
    event: p.event,
    at: p.at,
    title,
    description: descriptionOf(r, p),
    labels: p.labels,
    annotations: p.annotations,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    url: p.url,
    warnings: r.warnings,
  };
}

/** A required id (a text, or a number written as text): single line, 1 to fingerprintLength characters. */
export function idOf(r: AlertReader, v: unknown, path: string): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) v = String(v);
  if (typeof v !== 'string' || !v.trim()) {
    r.problem(
      `${r.at(path)}: must be a text of 1 to ${L.fingerprintLength} characters, not ` +
        `${v === undefined ? 'missing' : typeof v === 'string' ? 'an empty text' : kindOf(v)}`,
    );
    return null;
  }
  return r.text(v.trim(), path, { singleLine: true, max: L.fingerprintLength });
}

/** The object at `path`, or a problem; absent is null without a problem unless required. */
export function objAt(r: AlertReader, v: unknown, path: string, required: boolean): Record<string, unknown> | null {
  if (isObj(v)) return v;
  if ((v === undefined || v === null) && !required) return null;
  r.problem(`${r.at(path)}: must be an object, not ${v === undefined ? 'missing' : kindOf(v)}`);
  return null;
}
