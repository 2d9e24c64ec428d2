import { createHash, randomUUID } from 'node:crypto';
import { isReadOnly } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import type { LogIncidentInput } from '../incidents/incident.inputs';
import { IncidentService } from '../incidents/incident.service';
import { IncidentModelService } from '../models/incident-model.service';
import { suggestIncidentModels } from '../models/incident-model.queries';
import type { IngestSource } from './ingest-source';
import { classify } from './ingest-rules';

/**
 * Alert ingestion: Prometheus Alertmanager webhooks and a generic JSON shape, normalized to one
 * alert type. A firing alert opens an incident (source ALERT), or attaches to the open incident
 * its fingerprint already opened; a resolved alert is recorded on that incident's timeline.
 */

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
}

export interface PayloadProblem {
  index: number | null;
  message: string;
}

export const MAX_ALERTS = 500;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, path: string, problems: PayloadProblem[], index: number): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) {
    problems.push({ index, message: `${path}: must be an object of name -> text` });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    out[k] = typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : JSON.stringify(x);
  }
  return out;
}

function date(v: unknown, path: string, problems: PayloadProblem[], index: number): Date | null {
  if (v === undefined || v === null || v === '') return null;
  const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    problems.push({ index, message: `${path}: "${String(v).slice(0, 40)}" is not a date (use ISO 8601, e.g. 2026-11-27T10:15:00Z)` });
    return null;
  }
  // Alertmanager sends 0001-01-01T00:00:00Z for "not ended".
  return d.getUTCFullYear() < 1971 ? null : d;
}

function fingerprintOf(labels: Record<string, string>, title: string): string {
  const basis = Object.keys(labels).length ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join('\u0000') : title.toLowerCase();
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function describe(labels: Record<string, string>, annotations: Record<string, string>, url: string | null, text: string | undefined): string {
  const parts = [text?.trim()].filter(Boolean) as string[];
  const labelText = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
  if (labelText) parts.push(`Labels: ${labelText}`);
  const extra = Object.entries(annotations).filter(([k]) => !['summary', 'description', 'title'].includes(k));
  if (extra.length) parts.push(extra.map(([k, v]) => `${k}: ${v}`).join('\n'));
  if (url) parts.push(`Source: ${url}`);
  return parts.join('\n\n');
}

/**
 * Reads a webhook body. Alertmanager: {version, groupKey, status, alerts: [{status, labels,
 * annotations, startsAt, endsAt, generatorURL, fingerprint}]}. Generic: {alerts: [...]} or one
 * alert object, each {title, status?, description?, severity?, service?, fingerprint?, labels?,
 * annotations?, startsAt?, endsAt?, url?}.
 */
export function parseAlertPayload(body: unknown): { ok: true; format: 'alertmanager' | 'generic'; alerts: NormalizedAlert[] } | { ok: false; problems: PayloadProblem[] } {
  if (!isObj(body)) return { ok: false, problems: [{ index: null, message: 'the body must be a JSON object: an Alertmanager webhook or {"alerts": [...]}' }] };
  const alertmanager = Array.isArray(body.alerts) && (typeof body.version === 'string' || typeof body.groupKey === 'string' || typeof body.receiver === 'string');
  const list: unknown[] = Array.isArray(body.alerts) ? body.alerts : body.alerts === undefined ? [body] : [];
  if (!Array.isArray(body.alerts) && body.alerts !== undefined) return { ok: false, problems: [{ index: null, message: 'alerts: must be a list' }] };
  if (!list.length) return { ok: false, problems: [{ index: null, message: 'alerts: the list is empty' }] };
  if (list.length > MAX_ALERTS) return { ok: false, problems: [{ index: null, message: `alerts: at most ${MAX_ALERTS} per request, got ${list.length}` }] };
  const problems: PayloadProblem[] = [];
  const alerts: NormalizedAlert[] = [];
  const groupStatus = typeof body.status === 'string' ? body.status : undefined;
  list.forEach((raw, index) => {
    const p = `alerts[${index}]`;
    if (!isObj(raw)) {
      problems.push({ index, message: `${p}: must be an object` });
      return;
    }
    const labels = strings(raw.labels, `${p}.labels`, problems, index);
    const annotations = strings(raw.annotations, `${p}.annotations`, problems, index);
    if (!alertmanager) {
      for (const k of ['severity', 'service', 'category'] as const) if (typeof raw[k] === 'string' && raw[k] && labels[k] === undefined) labels[k] = raw[k] as string;
    }
    const statusRaw = String(raw.status ?? groupStatus ?? 'firing').toLowerCase();
    if (statusRaw !== 'firing' && statusRaw !== 'resolved') problems.push({ index, message: `${p}.status: must be "firing" or "resolved", got "${statusRaw.slice(0, 30)}"` });
    const summary = annotations.summary ?? annotations.title;
    const explicitTitle = typeof raw.title === 'string' ? raw.title.trim() : '';
    const title = alertmanager
      ? [labels.alertname, summary].filter(Boolean).join(': ')
      : explicitTitle || [labels.alertname, summary].filter(Boolean).join(': ');
    if (!title.trim()) problems.push({ index, message: `${p}: needs a title (generic) or labels.alertname / annotations.summary (Alertmanager)` });
    const fp = raw.fingerprint;
    if (fp !== undefined && (typeof fp !== 'string' || !fp.trim() || fp.length > 200)) problems.push({ index, message: `${p}.fingerprint: must be a text of 1 to 200 characters` });
    const url = typeof raw.generatorURL === 'string' ? raw.generatorURL : typeof raw.url === 'string' ? raw.url : null;
    const startsAt = date(raw.startsAt, `${p}.startsAt`, problems, index);
    const endsAt = date(raw.endsAt, `${p}.endsAt`, problems, index);
    alerts.push({
      index,
      fingerprint: typeof fp === 'string' && fp.trim() ? fp.trim() : fingerprintOf(labels, title),
      status: statusRaw === 'resolved' ? 'resolved' : 'firing',
      title: clip(title.trim().replace(/\s+/g, ' '), 200),
      description: describe(labels, annotations, url, typeof raw.description === 'string' ? raw.description : annotations.description),
      labels,
      annotations: { ...annotations, ...(summary ? {} : explicitTitle ? { summary: explicitTitle } : {}) },
      startsAt,
      endsAt,
      url,
    });
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, format: alertmanager ? 'alertmanager' : 'generic', alerts };
}

export interface AlertResult {
  index: number;
  fingerprint: string;
  status: 'firing' | 'resolved';
  /** created: a new incident; attached: added to the open incident of the same fingerprint; resolved: recorded; ignored: no incident to record it on. */
  action: 'created' | 'attached' | 'resolved' | 'ignored';
  /** attached while the alert was already firing (a repeat notification). */
  duplicate?: boolean;
  incidentId: string | null;
  incident: string | null;
  classifiedBy?: string;
  warnings?: string[];
}

const OPEN_SQL = `('NEW','TRIAGED','INVESTIGATING','ON_HOLD')`;

async function idByName(em: EntityManager, table: 'services' | 'teams' | 'categories', name: string | undefined): Promise<string | null> {
  if (!name) return null;
  const rows = await em.execute<{ id: string }[]>(
    // A retired category is not offered for new incidents: the alert then goes unclassified (warned).
    `select id from ${table} where lower(name) = lower(?) ${table === 'categories' ? 'and retired_at is null order by parent_id nulls first' : ''} limit 1`,
    [name.trim()],
  );
  return rows[0]?.id ?? null;
}

function alertData(a: NormalizedAlert, source: IngestSource) {
  return {
    alert: {
      source: source.name,
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt?.toISOString() ?? null,
      endsAt: a.endsAt?.toISOString() ?? null,
      url: a.url,
    },
  };
}

/** Records the alerts of one request in one transaction (the caller's). */
export async function ingestAlerts(em: EntityManager, source: IngestSource, alerts: NormalizedAlert[], now = new Date()): Promise<AlertResult[]> {
  const actor: Actor = { id: null, name: `${source.name} (alerts)`.slice(0, 200) };
  const results: AlertResult[] = [];
  for (const a of alerts) {
    // Two deliveries of one alert at once must not open two incidents.
    await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`ikb:alert:${source.id}:${a.fingerprint}`]);
    const base = { index: a.index, fingerprint: a.fingerprint, status: a.status };
    if (a.status === 'firing') {
      const open = await em.execute<{ id: string; status: string; incident_id: string; number: number }[]>(
        `select x.id, x.status, x.incident_id, i.number from ingested_alerts x join incidents i on i.id = x.incident_id
          where x.source_id = ? and x.fingerprint = ? and i.status in ${OPEN_SQL} order by i.opened_at desc limit 1`,
        [source.id, a.fingerprint],
      );
      if (open[0]) {
        const o = open[0];
        const duplicate = o.status === 'FIRING';
        await em.execute(
          `update ingested_alerts set status = 'FIRING', last_received_at = ?, received_count = received_count + 1, labels = ?::jsonb, annotations = ?::jsonb,
             starts_at = coalesce(?, starts_at), ends_at = null where id = ?`,
          [now, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, o.id],
        );
        if (!duplicate) {
          const incident = await em.findOneOrFail(Incident, { id: o.incident_id });
          appendEvent(em, incident, actor, { kind: 'ALERT_FIRING', summary: `Alert firing again: ${a.title}`, data: alertData(a, source) }, now);
          await em.flush();
        }
        results.push({ ...base, action: 'attached', duplicate, incidentId: o.incident_id, incident: formatIncidentNumber(o.number) });
        continue;
      }
      results.push(await openIncident(em, source, actor, a, now));
      continue;
    }
    // Resolved: the alert's firing record, whatever became of its incident since.
    const firing = await em.execute<{ id: string; incident_id: string; number: number; incident_status: string }[]>(
      `select x.id, x.incident_id, i.number, i.status as incident_status from ingested_alerts x join incidents i on i.id = x.incident_id
        where x.source_id = ? and x.fingerprint = ? and x.status = 'FIRING' order by x.last_received_at desc limit 1`,
      [source.id, a.fingerprint],
    );
    if (!firing[0]) {
      results.push({ ...base, action: 'ignored', incidentId: null, incident: null, warnings: ['no firing alert with this fingerprint: nothing to resolve'] });
      continue;
    }
    const f = firing[0];
    await em.execute(`update ingested_alerts set status = 'RESOLVED', ends_at = ?, last_received_at = ?, received_count = received_count + 1 where id = ?`, [a.endsAt ?? now, now, f.id]);
    const warnings: string[] = [];
    if (isReadOnly(f.incident_status as Incident['status'])) {
      warnings.push(`${formatIncidentNumber(f.number)} is ${f.incident_status}: the resolution is kept with the alert, not on the read-only incident`);
    } else {
      const incident = await em.findOneOrFail(Incident, { id: f.incident_id });
      appendEvent(em, incident, actor, {
        kind: 'ALERT_RESOLVED',
        at: a.endsAt && a.endsAt <= now && a.endsAt >= incident.openedAt ? a.endsAt : now,
        summary: `Alert resolved: ${a.title}`,
        data: alertData(a, source),
      }, now);
      await em.flush();
    }
    results.push({ ...base, action: 'resolved', incidentId: f.incident_id, incident: formatIncidentNumber(f.number), ...(warnings.length ? { warnings } : {}) });
  }
  return results;
}

async function openIncident(em: EntityManager, source: IngestSource, actor: Actor, a: NormalizedAlert, now: Date): Promise<AlertResult> {
  const warnings: string[] = [];
  const { set, rule } = classify(source.rules, { status: a.status, title: a.title, labels: a.labels, annotations: a.annotations });
  const serviceName = set.service ?? a.labels.service;
  const serviceId = await idByName(em, 'services', serviceName);
  if (set.service && !serviceId) warnings.push(`service "${set.service}" does not exist: not set`);
  const categoryId = await idByName(em, 'categories', set.category ?? a.labels.category);
  if (set.category && !categoryId) warnings.push(`category "${set.category}" does not exist: not set`);
  const teamId = await idByName(em, 'teams', set.team);
  if (set.team && !teamId) warnings.push(`team "${set.team}" does not exist: not set`);
  const input: LogIncidentInput = {
    title: a.title,
    description: a.description,
    source: 'ALERT',
    impact: set.impact,
    urgency: set.urgency,
    major: set.major ?? false,
    ...(serviceId ? { serviceId } : {}),
    ...(categoryId ? { categoryId } : {}),
    ...(teamId ? { teamId } : {}),
    ...(a.startsAt && a.startsAt <= now ? { detectedAt: a.startsAt } : {}),
  } as LogIncidentInput;
  const logged = await new IncidentService(em, actor, { now }).log(input);
  const incident = await em.findOneOrFail(Incident, { id: logged.id });
  appendEvent(em, incident, actor, { kind: 'ALERT_FIRING', summary: `Alert firing from ${source.name}: ${a.title}`, data: alertData(a, source) }, now);
  await em.flush();
  await em.execute(
    `insert into ingested_alerts (id, source_id, fingerprint, incident_id, status, title, labels, annotations, starts_at, ends_at, first_received_at, last_received_at)
     values (?, ?, ?, ?, 'FIRING', ?, ?::jsonb, ?::jsonb, ?, null, ?, ?)`,
    [randomUUID(), source.id, a.fingerprint, incident.id, a.title, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, now, now],
  );
  let classifiedBy = rule ? `rule${rule.name ? ` "${rule.name}"` : ''}` : a.labels.severity ? `severity ${a.labels.severity}` : 'source defaults';
  if (!rule && source.rules.useModels !== false) {
    const [best] = await suggestIncidentModels(em, incident.id, 1);
    if (best && best.score >= (source.rules.modelMinScore ?? 30)) {
      await new IncidentModelService(em, actor, { now }).apply(incident.id, best.model.id);
      classifiedBy = `incident model "${best.model.name}" (score ${best.score}: ${best.reasons.join(', ')})`;
    }
  }
  return {
    index: a.index,
    fingerprint: a.fingerprint,
    status: a.status,
    action: 'created',
    incidentId: incident.id,
    incident: formatIncidentNumber(incident.seqNumber),
    classifiedBy,
    ...(warnings.length ? { warnings } : {}),
  };
}
