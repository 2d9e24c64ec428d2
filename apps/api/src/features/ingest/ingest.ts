import { randomUUID } from 'node:crypto';
import { isReadOnly } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import type { LogIncidentInput } from '../incidents/incident.inputs';
import { IncidentService } from '../incidents/incident.service';
import { IncidentModelService } from '../models/incident-model.service';
import { suggestIncidentModels } from '../models/incident-model.queries';
import type { NormalizedAlert } from './ingest-payload';
import type { IngestSource } from './ingest-source';
import { classify } from './ingest-rules';

/**
 * Alert ingestion: Prometheus Alertmanager webhooks and a generic JSON shape, normalized to one
 * alert type (ingest-payload.ts reads and checks them). A firing alert opens an incident (source
 * ALERT), or attaches to the open incident its fingerprint already opened; a resolved alert is
 * recorded on that incident's timeline.
 */

export interface AlertResult {
  index: number;
  fingerprint: string;
  status: 'firing' | 'resolved';
  /**
   * created: a new incident; attached: added to the open incident of the same fingerprint; resolved: recorded; ignored: no
   * incident to record it on.
   */
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
    `select id from ${table} where lower(name) = lower(?)
      ${table === 'categories' ? 'and retired_at is null order by parent_id nulls first' : ''} limit 1`,
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

/** A delivery stopped part-way by a database failure: `recorded` were committed, the rest were not. */
export class IngestInterrupted extends Error {
  constructor(
    readonly recorded: AlertResult[],
    readonly failedIndex: number,
    cause: unknown,
  ) {
    super(`alert ${failedIndex} could not be recorded`, { cause });
  }
}

/**
 * Records checked alerts, each in its own short transaction: a request of many alerts never holds
 * one long transaction (on the embedded database every other connection waits while one is open).
 * The payload was checked whole before (a bad one writes nothing); if the database fails part-way,
 * the alerts before stay recorded, and a re-sent batch attaches them again by fingerprint.
 */
export async function ingestAlerts(
  em: EntityManager,
  source: IngestSource,
  alerts: NormalizedAlert[],
  now = new Date(),
): Promise<AlertResult[]> {
  const results: AlertResult[] = [];
  for (const a of alerts) {
    try {
      // A fresh context per alert: the identity map does not grow with the batch.
      results.push(await em.fork().transactional((tem) => ingestAlert(tem, source, a, now)));
    } catch (err) {
      throw new IngestInterrupted(results, a.index, err);
    }
  }
  return results;
}

const withWarnings = <T extends AlertResult>(r: T, warnings: string[]): T => {
  const all = [...warnings, ...(r.warnings ?? [])];
  return all.length ? { ...r, warnings: all } : r;
};

/** Records one alert (in the caller's transaction). */
export async function ingestAlert(em: EntityManager, source: IngestSource, a: NormalizedAlert, now = new Date()): Promise<AlertResult> {
  return withWarnings(await recordAlert(em, source, a, now), a.warnings);
}

async function recordAlert(em: EntityManager, source: IngestSource, a: NormalizedAlert, now: Date): Promise<AlertResult> {
  const actor: Actor = { id: null, name: `${source.name} (alerts)`.slice(0, 200) };
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
        `update ingested_alerts set status = 'FIRING', last_received_at = ?, received_count = received_count + 1,
           labels = ?::jsonb, annotations = ?::jsonb, starts_at = coalesce(?, starts_at), ends_at = null where id = ?`,
        [now, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, o.id],
      );
      if (!duplicate) {
        const incident = await em.findOneOrFail(Incident, { id: o.incident_id });
        appendEvent(
          em,
          incident,
          actor,
          { kind: 'ALERT_FIRING', summary: `Alert firing again: ${a.title}`, data: alertData(a, source) },
          now,
        );
        await em.flush();
      }
      return { ...base, action: 'attached', duplicate, incidentId: o.incident_id, incident: formatIncidentNumber(o.number) };
    }
    return openIncident(em, source, actor, a, now);
  }
  // Resolved: the alert's firing record, whatever became of its incident since.
  const firing = await em.execute<{ id: string; incident_id: string; number: number; incident_status: string }[]>(
    `select x.id, x.incident_id, i.number, i.status as incident_status from ingested_alerts x join incidents i on i.id = x.incident_id
      where x.source_id = ? and x.fingerprint = ? and x.status = 'FIRING' order by x.last_received_at desc limit 1`,
    [source.id, a.fingerprint],
  );
  if (!firing[0])
    return {
      ...base,
      action: 'ignored',
      incidentId: null,
      incident: null,
      warnings: ['no firing alert with this fingerprint: nothing to resolve'],
    };
  const f = firing[0];
  await em.execute(
    `update ingested_alerts set status = 'RESOLVED', ends_at = ?, last_received_at = ?, received_count = received_count + 1 where id = ?`,
    [a.endsAt ?? now, now, f.id],
  );
  const warnings: string[] = [];
  if (isReadOnly(f.incident_status as Incident['status'])) {
    warnings.push(
      `${formatIncidentNumber(f.number)} is ${f.incident_status}: the resolution is kept with the alert, not on the read-only incident`,
    );
  } else {
    const incident = await em.findOneOrFail(Incident, { id: f.incident_id });
    appendEvent(
      em,
      incident,
      actor,
      {
        kind: 'ALERT_RESOLVED',
        at: a.endsAt && a.endsAt <= now && a.endsAt >= incident.openedAt ? a.endsAt : now,
        summary: `Alert resolved: ${a.title}`,
        data: alertData(a, source),
      },
      now,
    );
    await em.flush();
  }
  return {
    ...base,
    action: 'resolved',
    incidentId: f.incident_id,
    incident: formatIncidentNumber(f.number),
    ...(warnings.length ? { warnings } : {}),
  };
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
  appendEvent(
    em,
    incident,
    actor,
    { kind: 'ALERT_FIRING', summary: `Alert firing from ${source.name}: ${a.title}`, data: alertData(a, source) },
    now,
  );
  await em.flush();
  await em.execute(
    `insert into ingested_alerts (id, source_id, fingerprint, incident_id, status, title, labels, annotations, starts_at, ends_at,
      first_received_at, last_received_at)
     values (?, ?, ?, ?, 'FIRING', ?, ?::jsonb, ?::jsonb, ?, null, ?, ?)`,
    [
      randomUUID(),
      source.id,
      a.fingerprint,
      incident.id,
      a.title,
      JSON.stringify(a.labels),
      JSON.stringify(a.annotations),
      a.startsAt,
      now,
      now,
    ],
  );
  let classifiedBy = rule
    ? `rule${rule.name ? ` "${rule.name}"` : ''}`
    : a.labels.severity
      ? `severity ${a.labels.severity}`
      : 'source defaults';
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
