import { textProblem } from '@ikb/domain';
import { clipText, quoteValue } from '../shared/clip-text';
import { readDatadog } from './ingest-payload-datadog';
import { readOpsgenie } from './ingest-payload-opsgenie';
import { readPagerDuty } from './ingest-payload-pagerduty';
import {
  ALERT_FORMATS,
  AlertReader,
  descriptionOf,
  fingerprintOf,
  isObj,
  kindOf,
  L,
  labelsHash,
  oneLine,
  UNSHOWN,
  type AlertFormat,
  type NormalizedAlert,
  type ParsedPayload,
  type PayloadProblem,
} from './ingest-reader';

/**
 * The body of POST /ingest/alerts: which format it is (by shape, or forced by `?format=` or the
 * source's `format` setting), then every alert read and checked before anything is written
 * (ingest-reader.ts has the shared checks; one file per sender format). Alertmanager, Grafana and
 * the generic shape are lists of alerts and are read here.
 */

export { INGEST_LIMITS, ALERT_FORMATS, type AlertFormat, type NormalizedAlert, type PayloadProblem } from './ingest-reader';

/** Grafana's own fields: the evaluated values and its links, kept with the alert and shown in the description. */
function grafanaExtras(r: AlertReader, raw: Record<string, unknown>, annotations: Record<string, string>) {
  for (const [field, name] of [
    ['valueString', 'values'],
    ['dashboardURL', 'dashboard'],
    ['panelURL', 'panel'],
    ['silenceURL', 'silence'],
    ['imageURL', 'image'],
  ] as const) {
    // Grafana sends "" for a link it has not got (an alert without a dashboard).
    const v = r.text(raw[field], field, { singleLine: true, max: L.urlLength });
    if (v && annotations[name] === undefined) annotations[name] = v;
  }
}

/** One alert of the list, or null when it has problems (recorded in `problems`). */
function readAlert(
  raw: unknown,
  index: number,
  format: 'alertmanager' | 'grafana' | 'generic',
  groupStatus: unknown,
  problems: PayloadProblem[],
): NormalizedAlert | null {
  const alertmanager = format !== 'generic';
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

  if (format === 'grafana') grafanaExtras(r, raw, annotations);
  const description = descriptionOf(r, { labels, annotations, url, text: explicitDescription ?? annotations.description ?? null });
  if (problems.length > before) return null;
  const fp = fingerprint ?? fingerprintOf(labels, title);
  return {
    index,
    fingerprint: fp,
    // The sender's fingerprint is not trusted alone (some reuse one for several alerts): the labels tell them apart. The
    // generic shape's fingerprint is the caller's own key, and one made here is a hash of the labels already.
    identity: fingerprint && alertmanager ? `${fp}/${labelsHash(labels)}` : fp,
    status: status as 'firing' | 'resolved',
    event: null,
    at: null,
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

const FORMAT_LIST = ALERT_FORMATS.join(', ');

/** The format a body has, by shape: the fields each sender always sends. */
export function detectFormat(body: Record<string, unknown>): AlertFormat | null {
  if (Array.isArray(body.alerts)) {
    // Grafana's body is Alertmanager's plus orgId, title, state and message.
    if (body.orgId !== undefined || (typeof body.state === 'string' && typeof body.title === 'string')) return 'grafana';
    if (typeof body.version === 'string' || typeof body.groupKey === 'string' || typeof body.receiver === 'string') return 'alertmanager';
    return 'generic';
  }
  // A list that is not one: the generic reader says so ("alerts: must be a list").
  if (body.alerts !== undefined) return 'generic';
  if (isObj(body.event)) return 'pagerduty';
  if (isObj(body.alert)) return 'opsgenie';
  // Datadog's default payload (id, title, date, event_type, last_updated, org, body) or the fields its docs ask to add.
  if (
    body.alert_transition !== undefined ||
    body.aggreg_key !== undefined ||
    (typeof body.event_type === 'string' && body.last_updated !== undefined && body.title !== undefined)
  )
    return 'datadog';
  const generic = ['title', 'labels', 'annotations', 'fingerprint', 'description'] as const;
  return generic.some((k) => body[k] !== undefined) ? 'generic' : null;
}

export function isAlertFormat(v: unknown): v is AlertFormat {
  return typeof v === 'string' && (ALERT_FORMATS as readonly string[]).includes(v);
}

/**
 * Reads a webhook body. Alertmanager: {version, groupKey, status, alerts: [{status, labels,
 * annotations, startsAt, endsAt, generatorURL, fingerprint}]}; Grafana: the same plus orgId, title,
 * state, message and per alert valueString and links. Generic: {alerts: [...]} or one alert object,
 * each {title, status?, description?, severity?, service?, fingerprint?, labels?, annotations?,
 * startsAt?, endsAt?, url?}. PagerDuty v3, Opsgenie and Datadog: one event per body (their files).
 */
export function parseAlertPayload(body: unknown, forced: AlertFormat | null = null): ParsedPayload {
  const refuse = (message: string): ParsedPayload => ({ ok: false, problems: [{ index: null, message }] });
  if (!isObj(body)) return refuse(`the body must be a JSON object (one of the recognised formats: ${FORMAT_LIST}), not ${kindOf(body)}`);
  const format = forced ?? detectFormat(body);
  if (!format && Array.isArray(body.messages))
    return refuse('messages: PagerDuty v1/v2 webhooks are not read; create a v3 webhook subscription (docs/imports.md, "PagerDuty")');
  if (!format) {
    return refuse(
      `the body is not a recognised alert format (${FORMAT_LIST}): it has none of alerts (Alertmanager, Grafana, generic), ` +
        'event (PagerDuty v3), alert (Opsgenie), alert_transition, aggreg_key or event_type, title and last_updated ' +
        '(Datadog), title, labels or annotations (generic single alert)',
    );
  }
  if (format === 'pagerduty' || format === 'opsgenie' || format === 'datadog') {
    const problems: PayloadProblem[] = [];
    const r = new AlertReader(0, problems, '');
    const alert = format === 'pagerduty' ? readPagerDuty(r, body) : format === 'opsgenie' ? readOpsgenie(r, body) : readDatadog(r, body);
    // A reader that gives up names why; the fallback keeps a 400 from ever coming without a reason.
    if (!alert && !problems.length) problems.push({ index: null, message: `the body is not a ${format} event this reads` });
    return problems.length || !alert ? { ok: false, problems: listed(problems) } : { ok: true, format, alerts: [alert] };
  }
  if (body.alerts !== undefined && !Array.isArray(body.alerts)) return refuse(`alerts: must be a list, not ${kindOf(body.alerts)}`);
  if (format !== 'generic' && !Array.isArray(body.alerts)) return refuse(`alerts: a ${format} body has a list of alerts; it is missing`);
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
    const a = readAlert(raw, index, format, body.status, problems);
    if (a) alerts.push(a);
  });
  if (problems.length) return { ok: false, problems: listed(problems) };
  return { ok: true, format, alerts };
}

function listed(problems: PayloadProblem[]): PayloadProblem[] {
  const out = problems.slice(0, L.problemsListed);
  if (problems.length > L.problemsListed) out.push({ index: null, message: `... and ${problems.length - L.problemsListed} more problems` });
  return out;
}
