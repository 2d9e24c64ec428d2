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

export interface NormalizedAlert {
  index: number;
  fingerprint: string;
  status: 'firing' | 'resolved';
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

export type ParsedPayload =
  { ok: true; format: 'alertmanager' | 'generic'; alerts: NormalizedAlert[] } | { ok: false; problems: PayloadProblem[] };

const L = INGEST_LIMITS;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "a list", "an object", "a number"... for "must be X, not Y". */
function kindOf(v: unknown): string {
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

class AlertReader {
  readonly warnings: string[] = [];

  constructor(
    readonly index: number,
    private readonly problems: PayloadProblem[],
  ) {}

  get path() {
    return `alerts[${this.index}]`;
  }

  problem(message: string) {
    this.problems.push({ index: this.index, message });
  }

  /** A text field the sender names: absent or null is null; another type, or a text against `rule`, is a problem. */
  text(v: unknown, field: string, rule: TextRule): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      this.problem(`${this.path}.${field}: must be a text, not ${kindOf(v)}`);
      return null;
    }
    const why = textProblem(v, rule);
    if (why) {
      this.problem(`${this.path}.${field}: ${why}`);
      return null;
    }
    return v;
  }

  /** Labels or annotations: an object of name -> text (numbers and true/false are written as text). */
  pairs(v: unknown, field: 'labels' | 'annotations'): Record<string, string> {
    // No prototype: a label named __proto__ or constructor is a label like any other.
    const out = Object.create(null) as Record<string, string>;
    if (v === undefined || v === null) return out;
    const base = `${this.path}.${field}`;
    if (!isObj(v)) {
      this.problem(`${base}: must be an object of name -> text, not ${kindOf(v)}`);
      return out;
    }
    const keys = Object.keys(v);
    const max = field === 'labels' ? L.labelsPerAlert : L.annotationsPerAlert;
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
      if (field === 'labels') {
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

  /** ISO 8601 text (or milliseconds since 1970) between 1970 and 2100; Go's zero time means none. */
  date(v: unknown, field: 'startsAt' | 'endsAt'): Date | null {
    if (v === undefined || v === null || v === '') return null;
    const path = `${this.path}.${field}`;
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

function fingerprintOf(labels: Record<string, string>, title: string): string {
  const names = Object.keys(labels);
  const basis = names.length
    ? names
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join('\u0000')
    : title.toLowerCase();
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
/**
 * Bidi controls and invisible characters (the single-line set of @ikb/domain text-rules), removed
 * from a title the system assembles from labels and annotations: a template's soft hyphen must not
 * cost a batch. The result is still checked against the rules, so this list cannot drift silently.
 */
const UNSHOWN = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF\u180E\u00AD]/g;

function describe(labels: Record<string, string>, annotations: Record<string, string>, url: string | null, text: string | null): string {
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

/** One alert of the list, or null when it has problems (recorded in `problems`). */
function readAlert(
  raw: unknown,
  index: number,
  alertmanager: boolean,
  groupStatus: unknown,
  problems: PayloadProblem[],
): NormalizedAlert | null {
  const before = problems.length;
  const r = new AlertReader(index, problems);
  if (!isObj(raw)) {
    r.problem(`${r.path}: must be an object`);
    return null;
  }
  const labels = r.pairs(raw.labels, 'labels');
  const annotations = r.pairs(raw.annotations, 'annotations');
  if (!alertmanager) {
    // The generic shape's classification fields are labels too (rules and severity read labels).
    for (const k of ['severity', 'service', 'category'] as const) {
      const v = r.text(raw[k], k, { max: L.labelValueLength });
      if (v && labels[k] === undefined) labels[k] = v;
    }
  }

  const statusRaw = raw.status ?? (typeof groupStatus === 'string' ? groupStatus : undefined) ?? 'firing';
  const status = typeof statusRaw === 'string' ? statusRaw.toLowerCase() : null;
  if (status !== 'firing' && status !== 'resolved') {
    r.problem(
      `${r.path}.status: must be "firing" or "resolved", ${status === null ? `not ${kindOf(statusRaw)}` : `got ${quoteValue(status, 30)}`}`,
    );
  }

  // Title: the generic shape's own, else made from alertname and summary (whitespace made one line).
  const rawTitle = typeof raw.title === 'string' ? raw.title.trim() : raw.title;
  const explicitTitle = alertmanager ? null : r.text(rawTitle, 'title', { singleLine: true, max: L.titleLength }) || null;
  const summaryKey = annotations.summary !== undefined ? 'summary' : annotations.title !== undefined ? 'title' : null;
  let title = explicitTitle ?? '';
  if (!explicitTitle) {
    const parts: string[] = [];
    for (const [value, path] of [
      [labels.alertname, `${r.path}.labels.alertname`],
      [summaryKey ? annotations[summaryKey] : undefined, `${r.path}.annotations.${summaryKey}`],
    ] as const) {
      const line = value ? oneLine(value.replace(UNSHOWN, '')) : '';
      if (!line) continue;
      if (line !== oneLine(value!))
        r.warnings.push(`title: invisible or bidirectional control characters of ${path.slice(r.path.length + 1)} left out`);
      const why = textProblem(line, { singleLine: true });
      if (why) r.problem(`${path}: ${why} (it makes the title)`);
      else parts.push(line);
    }
    title = parts.join(': ');
    if (title.length > L.titleLength) {
      r.warnings.push(`title: clipped to ${L.titleLength} characters (was ${title.length})`);
      title = clipText(title, L.titleLength);
    }
  }
  if (!title && problems.length === before)
    r.problem(`${r.path}: needs a title (generic) or labels.alertname / annotations.summary (Alertmanager)`);

  let fingerprint: string | null = null;
  if (raw.fingerprint !== undefined && raw.fingerprint !== null) {
    const fp = raw.fingerprint;
    if (typeof fp !== 'string' || !fp.trim())
      r.problem(
        `${r.path}.fingerprint: must be a text of 1 to ${L.fingerprintLength} characters, not ` +
          `${typeof fp === 'string' ? 'an empty text' : kindOf(fp)}`,
      );
    else fingerprint = r.text(fp.trim(), 'fingerprint', { singleLine: true, max: L.fingerprintLength });
  }

  const urlField = raw.generatorURL !== undefined && raw.generatorURL !== null ? 'generatorURL' : 'url';
  let url = r.text(raw[urlField], urlField, { singleLine: true });
  if (url && url.length > L.urlLength) {
    r.warnings.push(`${urlField}: longer than ${L.urlLength} characters, left out`);
    url = null;
  }
  const explicitDescription = r.text(raw.description, 'description', { max: L.descriptionLength });
  const startsAt = r.date(raw.startsAt, 'startsAt');
  const endsAt = r.date(raw.endsAt, 'endsAt');
  if (problems.length > before) return null;

  let description = describe(labels, annotations, url, explicitDescription ?? annotations.description ?? null);
  if (description.length > L.descriptionLength) {
    const was = description.length;
    r.warnings.push(`description: clipped to ${L.descriptionLength} characters (was ${was})`);
    const marker =
      `…\n\n[clipped: the alert's text was ${was.toLocaleString('en-US')} characters; its labels and annotations are kept ` +
      'with the alert]';
    description = clipText(description, L.descriptionLength, marker);
  }
  return {
    index,
    fingerprint: fingerprint ?? fingerprintOf(labels, title),
    status: status as 'firing' | 'resolved',
    title,
    description,
    labels,
    annotations: summaryKey || !explicitTitle ? annotations : Object.assign(annotations, { summary: explicitTitle }),
    startsAt,
    endsAt,
    url,
    warnings: r.warnings,
  };
}

/**
 * Reads a webhook body. Alertmanager: {version, groupKey, status, alerts: [{status, labels,
 * annotations, startsAt, endsAt, generatorURL, fingerprint}]}. Generic: {alerts: [...]} or one
 * alert object, each {title, status?, description?, severity?, service?, fingerprint?, labels?,
 * annotations?, startsAt?, endsAt?, url?}. Checks everything before anything is written.
 */
export function parseAlertPayload(body: unknown): ParsedPayload {
  const refuse = (message: string): ParsedPayload => ({ ok: false, problems: [{ index: null, message }] });
  if (!isObj(body)) return refuse(`the body must be a JSON object: an Alertmanager webhook or {"alerts": [...]}, not ${kindOf(body)}`);
  if (body.alerts !== undefined && !Array.isArray(body.alerts)) return refuse(`alerts: must be a list, not ${kindOf(body.alerts)}`);
  const alertmanager =
    Array.isArray(body.alerts) &&
    (typeof body.version === 'string' || typeof body.groupKey === 'string' || typeof body.receiver === 'string');
  const list: unknown[] = Array.isArray(body.alerts) ? body.alerts : [body];
  if (!list.length) return refuse('alerts: the list is empty');
  if (list.length > L.alertsPerRequest) {
    return refuse(
      `alerts: at most ${L.alertsPerRequest} per request, got ${list.length} (set max_alerts: ${L.alertsPerRequest} in Alertmanager's ` +
        'webhook_config)',
    );
  }
  const problems: PayloadProblem[] = [];
  const alerts: NormalizedAlert[] = [];
  list.forEach((raw, index) => {
    const a = readAlert(raw, index, alertmanager, body.status, problems);
    if (a) alerts.push(a);
  });
  if (problems.length) {
    const listed = problems.slice(0, L.problemsListed);
    if (problems.length > L.problemsListed)
      listed.push({ index: null, message: `... and ${problems.length - L.problemsListed} more problems` });
    return { ok: false, problems: listed };
  }
  return { ok: true, format: alertmanager ? 'alertmanager' : 'generic', alerts };
}
