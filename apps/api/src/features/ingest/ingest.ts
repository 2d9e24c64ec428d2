import { decideFiring, isOpen, isReadOnly, type IncidentStatus } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import { IncidentService } from '../incidents/incident.service';
import { alertData, openIncident } from './ingest-incident';
import type { AlertStatus, NormalizedAlert } from './ingest-reader';
import type { IngestSource } from './ingest-source';

/**
 * Alert ingestion: Alertmanager, Grafana, PagerDuty, Opsgenie, Datadog and a generic shape,
 * normalized to one alert type (ingest-payload.ts reads and checks them). Alerts are matched by
 * their identity within the source (docs/imports.md, "Deduplication"). A firing alert attaches to
 * the open incident of its identity, reopens a recently resolved one or opens a new incident
 * (@ikb/domain decideFiring); a resolved alert is recorded on the incident's timeline; an
 * acknowledgement sets the incident's acknowledgedAt when it has none.
 */

export interface AlertResult {
  index: number;
  fingerprint: string;
  status: AlertStatus;
  /**
   * created: a new incident; attached: added to the open incident of the same identity; reopened: its resolved incident
   * was reopened; resolved: recorded; acknowledged: the incident's first response was recorded; ignored: nothing to act on.
   */
  action: 'created' | 'attached' | 'reopened' | 'resolved' | 'acknowledged' | 'ignored';
  /** attached while the alert was already firing (a repeat notification). */
  duplicate?: boolean;
  incidentId: string | null;
  incident: string | null;
  /** created: the incident the new one follows (closed, or resolved longer ago than the reopen window). */
  follows?: string;
  classifiedBy?: string;
  warnings?: string[];
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
 * Records checked alerts in payload order, each in its own short transaction: a request of many
 * alerts never holds one long transaction (on the embedded database every other connection waits
 * while one is open), and a later alert sees what an earlier one did (a resolve then a firing of one
 * identity reads as two deliveries). The payload was checked whole before (a bad one writes
 * nothing); if the database fails part-way, the alerts before stay recorded, and a re-sent batch
 * matches them again by identity.
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

interface LastRow {
  id: string;
  status: 'FIRING' | 'RESOLVED';
  incident_id: string;
  number: number;
  incident_status: IncidentStatus;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  opened_at: Date;
}

/**
 * The latest record of the alert's identity. Rows from before identities (identity = fingerprint)
 * match when fingerprint and labels are the same, so an alert open across the upgrade is attached.
 */
async function lastRecord(em: EntityManager, source: IngestSource, a: NormalizedAlert, firingOnly = false): Promise<LastRow | null> {
  const rows = await em.execute<LastRow[]>(
    `select x.id, x.status, x.incident_id, i.number, i.status as incident_status, i.resolved_at, i.acknowledged_at, i.opened_at
       from ingested_alerts x join incidents i on i.id = x.incident_id
      where x.source_id = ? and (x.identity = ? or (x.identity = x.fingerprint and x.fingerprint = ? and x.labels = ?::jsonb))
        ${firingOnly ? `and x.status = 'FIRING'` : ''}
      order by i.opened_at desc, x.last_received_at desc limit 1`,
    [source.id, a.identity, a.fingerprint, JSON.stringify(a.labels)],
  );
  const r = rows[0];
  if (!r) return null;
  return { ...r, resolved_at: r.resolved_at && new Date(r.resolved_at), opened_at: new Date(r.opened_at) };
}

async function recordAlert(em: EntityManager, source: IngestSource, a: NormalizedAlert, now: Date): Promise<AlertResult> {
  const actor: Actor = { id: null, name: `${source.name} (alerts)`.slice(0, 200) };
  const base = { index: a.index, fingerprint: a.fingerprint, status: a.status };
  if (a.status === 'other')
    return { ...base, action: 'ignored', incidentId: null, incident: null, warnings: [`${a.event ?? 'this event'}: not acted on`] };
  // Two deliveries of one alert at once must not open two incidents.
  await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`ikb:alert:${source.id}:${a.identity}`]);
  if (a.status === 'firing') return recordFiring(em, source, actor, a, now);
  if (a.status === 'acknowledged') return recordAcknowledged(em, source, actor, a, now);
  return recordResolved(em, source, actor, a, now);
}

async function recordFiring(em: EntityManager, source: IngestSource, actor: Actor, a: NormalizedAlert, now: Date): Promise<AlertResult> {
  const base = { index: a.index, fingerprint: a.fingerprint, status: a.status };
  const last = await lastRecord(em, source, a);
  const decision = decideFiring(
    last && { status: last.incident_status, resolvedAt: last.resolved_at },
    now,
    source.rules.reopenWindowMinutes,
  );
  if (decision.kind === 'create')
    return openIncident(
      em,
      source,
      actor,
      a,
      now,
      last && { id: last.incident_id, number: last.number, status: last.incident_status, why: decision.why },
    );
  const o = last!;
  const duplicate = decision.kind === 'attach' && o.status === 'FIRING';
  if (decision.kind === 'reopen') {
    // Through the lifecycle, as a person's reopen: counted, on the timeline, SLA clocks recomputed.
    await new IncidentService(em, actor, { now }).transition(
      o.incident_id,
      { to: 'INVESTIGATING', note: `alert firing again: ${a.title}`.slice(0, 500) } as Parameters<IncidentService['transition']>[1],
      { reopenOnly: true },
    );
  }
  await em.execute(
    `update ingested_alerts set status = 'FIRING', last_received_at = ?, received_count = received_count + 1,
       labels = ?::jsonb, annotations = ?::jsonb, starts_at = coalesce(?, starts_at), ends_at = null, identity = ? where id = ?`,
    [now, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, a.identity, o.id],
  );
  if (!duplicate) {
    const incident = await em.findOneOrFail(Incident, { id: o.incident_id });
    appendEvent(em, incident, actor, { kind: 'ALERT_FIRING', summary: `Alert firing again: ${a.title}`, data: alertData(a, source) }, now);
    await em.flush();
  }
  const action = decision.kind === 'reopen' ? 'reopened' : 'attached';
  return {
    ...base,
    action,
    ...(action === 'attached' ? { duplicate } : {}),
    incidentId: o.incident_id,
    incident: formatIncidentNumber(o.number),
  };
}

async function recordResolved(em: EntityManager, source: IngestSource, actor: Actor, a: NormalizedAlert, now: Date): Promise<AlertResult> {
  const base = { index: a.index, fingerprint: a.fingerprint, status: a.status };
  // The alert's firing record, whatever became of its incident since.
  const f = await lastRecord(em, source, a, true);
  if (!f)
    return {
      ...base,
      action: 'ignored',
      incidentId: null,
      incident: null,
      warnings: ['no firing alert with this identity: nothing to resolve'],
    };
  await em.execute(
    `update ingested_alerts set status = 'RESOLVED', ends_at = ?, last_received_at = ?, received_count = received_count + 1 where id = ?`,
    [a.endsAt ?? now, now, f.id],
  );
  const warnings: string[] = [];
  if (isReadOnly(f.incident_status)) {
    warnings.push(
      `${formatIncidentNumber(f.number)} is ${f.incident_status}: the resolution is kept with the alert, not on the read-only incident`,
    );
  } else {
    const incident = await em.findOneOrFail(Incident, { id: f.incident_id });
    const at = a.endsAt && a.endsAt <= now && a.endsAt >= incident.openedAt ? a.endsAt : now;
    appendEvent(
      em,
      incident,
      actor,
      { kind: 'ALERT_RESOLVED', at, summary: `Alert resolved: ${a.title}`, data: alertData(a, source) },
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

/** The sender's acknowledgement is the incident's first response, when nobody recorded one before. */
async function recordAcknowledged(
  em: EntityManager,
  source: IngestSource,
  actor: Actor,
  a: NormalizedAlert,
  now: Date,
): Promise<AlertResult> {
  const base = { index: a.index, fingerprint: a.fingerprint, status: a.status };
  const last = await lastRecord(em, source, a);
  const ignored = (why: string): AlertResult => ({
    ...base,
    action: 'ignored',
    incidentId: last?.incident_id ?? null,
    incident: last ? formatIncidentNumber(last.number) : null,
    warnings: [why],
  });
  if (!last) return ignored('no alert with this identity: nothing to acknowledge');
  const number = formatIncidentNumber(last.number);
  if (!isOpen(last.incident_status)) return ignored(`${number} is ${last.incident_status}: the acknowledgement is not recorded`);
  if (last.acknowledged_at) return ignored(`${number} was already acknowledged at ${new Date(last.acknowledged_at).toISOString()}`);
  // The sender's time when it is plausible (not before the incident, not ahead of this clock).
  const at = a.at && a.at >= last.opened_at && a.at <= now ? a.at : undefined;
  await new IncidentService(em, actor, { now }).acknowledge(last.incident_id, at);
  await em.execute(`update ingested_alerts set last_received_at = ?, received_count = received_count + 1 where id = ?`, [now, last.id]);
  return { ...base, action: 'acknowledged', incidentId: last.incident_id, incident: number };
}
