import { AlertReader, finishAlert, idOf, kindOf, L, objAt, type AlertStatus, type NormalizedAlert } from './ingest-reader';

/**
 * Opsgenie's outgoing webhook integration: one action per request, {action, alert: {alertId,
 * message, tags[], tinyId, entity, alias, createdAt, updatedAt, username, description?, details?,
 * priority, source}, source: {name, type}, integrationName, ...}. The identity is the alias
 * (Opsgenie's own deduplication key) or, without one, the alertId. Actions other than Create,
 * Close and Acknowledge (AddNote, AddTags, Escalate...) are answered as ignored.
 *
 * Quirks of real deliveries: createdAt is milliseconds, updatedAt nanoseconds (beyond a double's
 * exact range, but exact to the millisecond once divided); priority is "P3" or, in older captures,
 * the number 3.
 */

const STATUS_OF: Record<string, AlertStatus> = { create: 'firing', close: 'resolved', acknowledge: 'acknowledged' };

function priorityOf(r: AlertReader, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5) return `P${v}`;
  if (typeof v === 'string' && /^P[1-5]$/i.test(v.trim())) return v.trim().toUpperCase();
  r.problem(`alert.priority: must be P1 to P5, not ${typeof v === 'string' ? JSON.stringify(v.slice(0, 20)) : kindOf(v)}`);
  return null;
}

export function readOpsgenie(r: AlertReader, body: Record<string, unknown>): NormalizedAlert | null {
  const action = r.text(body.action, 'action', { singleLine: true, max: 100 });
  if (body.action === undefined || body.action === null || body.action === '')
    r.problem('action: is missing (Create, Close, Acknowledge...)');
  const alert = objAt(r, body.alert, 'alert', true);
  if (!action || !alert) return null;
  const status = STATUS_OF[action.trim().toLowerCase()] ?? 'other';
  const alias = alert.alias === undefined || alert.alias === null || alert.alias === '' ? null : idOf(r, alert.alias, 'alert.alias');
  const alertId = alert.alertId === undefined && alias ? null : idOf(r, alert.alertId, 'alert.alertId');
  const labels = Object.create(null) as Record<string, string>;
  const tags = alert.tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) r.problem(`alert.tags: must be a list of texts, not ${kindOf(tags)}`);
    else if (tags.length > L.labelsPerAlert) r.problem(`alert.tags: at most ${L.labelsPerAlert}, got ${tags.length}`);
    else {
      const texts = tags.map((t, i) => r.text(t, `alert.tags[${i}]`, { singleLine: true, max: L.nameLength }));
      if (texts.every((t) => t !== null) && texts.length) labels.tags = texts.join(', ');
    }
  }
  for (const field of ['entity', 'source', 'tinyId'] as const) {
    const v = typeof alert[field] === 'number' ? String(alert[field]) : alert[field];
    const s = r.text(v, `alert.${field}`, { max: L.labelValueLength });
    if (s) labels[field] = s;
  }
  const priority = priorityOf(r, alert.priority);
  if (priority) labels.priority = priority;
  const annotations = r.pairs(alert.details, 'alert.details', 'annotations');
  const description = r.text(alert.description, 'alert.description', { max: L.descriptionLength });
  const startsAt = r.date(alert.createdAt, 'alert.createdAt');
  // The action's time (an acknowledgement's): nanoseconds; a sender sending milliseconds is read as such.
  const u = alert.updatedAt;
  const at = r.date(typeof u === 'number' && Math.abs(u) >= 1e17 ? Math.floor(u / 1e6) : u, 'alert.updatedAt');
  if (!alias && !alertId) return null;
  const id = alias ?? alertId!;
  return finishAlert(r, {
    fingerprint: id,
    identity: id,
    status,
    event: action,
    at,
    title: typeof alert.message === 'string' ? alert.message : null,
    titlePath: 'alert.message',
    text: description,
    labels,
    annotations,
    startsAt,
    endsAt: null,
    url: null,
  });
}
