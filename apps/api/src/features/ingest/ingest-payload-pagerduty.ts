import { AlertReader, finishAlert, idOf, isObj, L, objAt, type AlertStatus, type NormalizedAlert } from './ingest-reader';

/**
 * PagerDuty v3 webhooks: one event per request, {event: {id, event_type, resource_type,
 * occurred_at, agent, client, data}}, where `data` is the incident for incident.* events. The
 * identity is the PagerDuty incident id (data.id), so every event of one PagerDuty incident lands
 * on the same incident here. Events that are not about an incident's state (annotated,
 * priority_updated, the pagey.ping of a new subscription...) are answered as ignored, not refused:
 * PagerDuty retries and then disables a subscription whose deliveries fail.
 */

const STATUS_OF: Record<string, AlertStatus> = {
  'incident.triggered': 'firing',
  'incident.reopened': 'firing',
  'incident.resolved': 'resolved',
  'incident.acknowledged': 'acknowledged',
};

/** `{summary}` of a PagerDuty reference (service, priority), checked as a label value. */
function summaryOf(r: AlertReader, v: unknown, path: string): string | null {
  const ref = objAt(r, v, path, false);
  return ref ? r.text(ref.summary, `${path}.summary`, { max: L.labelValueLength }) : null;
}

export function readPagerDuty(r: AlertReader, body: Record<string, unknown>): NormalizedAlert | null {
  const event = objAt(r, body.event, 'event', true);
  if (!event) return null;
  const type = r.text(event.event_type, 'event.event_type', { singleLine: true, max: 100 });
  if (!type) {
    if (event.event_type === undefined || event.event_type === null || event.event_type === '')
      r.problem('event.event_type: is missing or empty (e.g. incident.triggered)');
    return null;
  }
  const status = STATUS_OF[type] ?? 'other';
  const at = r.date(event.occurred_at, 'event.occurred_at');
  const labels = Object.create(null) as Record<string, string>;
  const annotations = Object.create(null) as Record<string, string>;
  if (status === 'other' && !type.startsWith('incident.')) {
    // Not an incident event (a ping, a service change): nothing to check beyond its name.
    const id = typeof event.id === 'string' && event.id.length <= L.fingerprintLength ? event.id : type;
    return finishAlert(r, {
      fingerprint: id,
      identity: `event/${id}`,
      status,
      event: type,
      at,
      title: type,
      titlePath: 'event.event_type',
      text: null,
      labels,
      annotations,
      startsAt: null,
      endsAt: null,
      url: null,
    });
  }
  const data = objAt(r, event.data, 'event.data', true);
  if (!data) return null;
  const id = idOf(r, data.id, 'event.data.id');
  const title = r.text(data.title, 'event.data.title', { max: 10_000 });
  if (data.title === undefined || data.title === null) r.problem('event.data.title: is missing');
  const url = r.text(data.html_url, 'event.data.html_url', { singleLine: true, max: L.urlLength });
  const service = summaryOf(r, data.service, 'event.data.service');
  const priority = summaryOf(r, data.priority, 'event.data.priority');
  const urgency = r.text(data.urgency, 'event.data.urgency', { singleLine: true, max: 20 });
  if (data.number !== undefined && data.number !== null && !(Number.isSafeInteger(data.number) && (data.number as number) > 0))
    r.problem(`event.data.number: must be a whole number above 0`);
  const key = r.text(data.incident_key, 'event.data.incident_key', { singleLine: true, max: L.labelValueLength });
  const startsAt = r.date(data.created_at, 'event.data.created_at');
  if (service) labels.service = service;
  if (priority) labels.priority = priority;
  if (urgency) {
    labels.urgency = urgency;
    // PagerDuty's urgency is its severity: high pages, low waits.
    labels.severity = urgency;
  }
  if (typeof data.number === 'number') labels.pagerduty_number = String(data.number);
  if (key) annotations.incident_key = key;
  const agent = isObj(event.agent) ? r.text(event.agent.summary, 'event.agent.summary', { max: L.labelValueLength }) : null;
  if (agent) annotations.agent = agent;
  if (!id) return null;
  return finishAlert(r, {
    fingerprint: id,
    identity: id,
    status,
    event: type,
    at,
    title,
    titlePath: 'event.data.title',
    text: null,
    labels,
    annotations,
    startsAt,
    endsAt: status === 'resolved' ? at : null,
    url,
  });
}
