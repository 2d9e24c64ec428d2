import { AlertReader, finishAlert, idOf, L, labelsHash, objAt, type AlertStatus, type NormalizedAlert } from './ingest-reader';

/**
 * Datadog's webhook integration: one notification per request, in a payload template the user
 * edits. Its default template is {id, title, date, last_updated, event_type, body, org: {id,
 * name}}: every value a text ($DATE is milliseconds written as digits), the transition only in the
 * title ("[Triggered] ...", "[P1] [Recovered] ..."), and `id` new for every event. So the default
 * is read, but deduplicated on the title; docs/imports.md lists the fields to add ($ALERT_TRANSITION,
 * $AGGREG_KEY, $ALERT_ID, $TAGS, $PRIORITY, $LINK) for an exact identity.
 */

const FIRING = ['triggered', 're-triggered', 'warn', 're-warn', 're-warned', 'no data', 're-no data', 'renotify'];
const TRANSITIONS_LISTED = 'Triggered, Re-Triggered, Warn, No Data, Renotify, Recovered (or any "... Recovered")';

function statusOf(transition: string): AlertStatus | null {
  const t = transition.trim().toLowerCase();
  if (t.endsWith('recovered')) return 'resolved';
  return FIRING.includes(t) ? 'firing' : null;
}

/**
 * Leading "[P1]" and "[Triggered]" tokens of the title, taken off it; other brackets ("[TEST]")
 * stay. A multi-alert monitor names its group in the token: "[Triggered on {host:web-1}] ...".
 */
function splitTitle(title: string): { title: string; transition: string | null; priority: string | null; scope: string | null } {
  let rest = title.trim();
  let transition: string | null = null;
  let priority: string | null = null;
  let scope: string | null = null;
  const TOKEN = /^\[([^\]]{1,300})\]\s*/;
  for (let m = TOKEN.exec(rest); m; m = TOKEN.exec(rest)) {
    const on = /^(.+?) on (\{.*\})$/.exec(m[1]);
    if (/^P[1-5]$/i.test(m[1])) priority = m[1].toUpperCase();
    else if (!transition && statusOf(on ? on[1] : m[1])) [transition, scope] = on ? [on[1], on[2]] : [m[1], null];
    else break;
    rest = rest.slice(m[0].length);
  }
  return { title: rest, transition, priority, scope };
}

/** $TAGS: "service:api,env:prod,critical" -> labels service=api, env=prod, critical=true. */
function tagLabels(r: AlertReader, v: unknown, labels: Record<string, string>) {
  const tags = r.text(v, 'tags', { singleLine: true, max: 20_000 });
  if (!tags) return;
  const list = tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (list.length > L.labelsPerAlert) return r.problem(`tags: at most ${L.labelsPerAlert} tags, got ${list.length}`);
  for (const tag of list) {
    const i = tag.indexOf(':');
    const [k, val] = i > 0 ? [tag.slice(0, i), tag.slice(i + 1)] : [tag, 'true'];
    if (k.length > L.nameLength || val.length > L.labelValueLength)
      return r.problem(`tags: the tag ${JSON.stringify(tag.slice(0, 40))} is too long`);
    if (labels[k] === undefined) labels[k] = val;
  }
}

export function readDatadog(r: AlertReader, body: Record<string, unknown>): NormalizedAlert | null {
  const rawTitle = r.text(body.title, 'title', { max: 10_000 });
  if (body.title === undefined || body.title === null) r.problem('title: is missing ($EVENT_TITLE in the payload template)');
  const split = splitTitle(rawTitle ?? '');
  const transition =
    body.alert_transition !== undefined ? r.text(body.alert_transition, 'alert_transition', { max: 50 }) : split.transition;
  const status = transition ? statusOf(transition) : null;
  if (rawTitle !== null && !status) {
    r.problem(
      transition
        ? `alert_transition: ${JSON.stringify(transition)} is not a transition this reads (${TRANSITIONS_LISTED})`
        : 'alert_transition: is missing, and the title does not start with one like "[Triggered]" (add ' +
            '"alert_transition": "$ALERT_TRANSITION" to the payload template)',
    );
  }
  const labels = Object.create(null) as Record<string, string>;
  tagLabels(r, body.tags, labels);
  const priority = r.text(body.priority, 'priority', { singleLine: true, max: 20 }) || split.priority;
  if (priority) labels.priority = priority;
  if (split.scope && split.scope.length <= L.labelValueLength) labels.scope = split.scope;
  for (const field of ['hostname', 'alert_type', 'event_type'] as const) {
    const v = r.text(body[field], field, { singleLine: true, max: L.labelValueLength });
    if (v) labels[field] = v;
  }
  const org = objAt(r, body.org, 'org', false);
  const orgName = org ? r.text(org.name, 'org.name', { singleLine: true, max: L.labelValueLength }) : null;
  if (orgName) labels.org = orgName;
  const key =
    body.aggreg_key !== undefined && body.aggreg_key !== null && body.aggreg_key !== '' ? idOf(r, body.aggreg_key, 'aggreg_key') : null;
  const alertId = body.alert_id !== undefined && body.alert_id !== null && body.alert_id !== '' ? idOf(r, body.alert_id, 'alert_id') : null;
  const rawText = r.text(body.body ?? body.text, body.body !== undefined ? 'body' : 'text', { max: L.descriptionLength });
  // Datadog wraps markdown in %%% markers.
  const text = rawText?.replace(/^\s*%%%\s*/, '').replace(/\s*%%%\s*$/, '') ?? null;
  const url = r.text(body.link ?? body.url, body.link !== undefined ? 'link' : 'url', { singleLine: true, max: L.urlLength });
  const at = r.date(body.date, 'date', { digits: true }) ?? r.date(body.last_updated, 'last_updated', { digits: true });
  // The event's own id, new for each notification: kept, never the identity.
  const eventId = r.text(typeof body.id === 'number' ? String(body.id) : body.id, 'id', { singleLine: true, max: 100 });
  if (eventId) labels.datadog_event_id = eventId;
  if (!status) return null;
  const warnings: string[] = [];
  // Without aggreg_key or alert_id (the default template) one monitor's events are told apart by their title alone.
  const identity =
    key ?? (alertId ? `alert/${alertId}` : `title/${labelsHash({ title: split.title.toLowerCase(), scope: split.scope ?? '' })}`);
  if (!key && !alertId) warnings.push('no aggreg_key or alert_id: deduplicated by title (add "aggreg_key": "$AGGREG_KEY" to the template)');
  const alert = finishAlert(r, {
    fingerprint: key ?? alertId ?? identity,
    identity,
    status,
    event: transition,
    at,
    title: split.title || rawTitle,
    titlePath: 'title',
    text,
    labels,
    annotations: Object.create(null) as Record<string, string>,
    startsAt: status === 'firing' ? at : null,
    endsAt: status === 'resolved' ? at : null,
    url,
  });
  alert.warnings.push(...warnings);
  return alert;
}
