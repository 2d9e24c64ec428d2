import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../graphql/actor';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import type { LogIncidentInput } from '../incidents/incident.inputs';
import { IncidentService } from '../incidents/incident.service';
import { IncidentModelService } from '../models/incident-model.service';
import { suggestIncidentModels } from '../models/incident-model.queries';
import type { AlertResult } from './ingest';
import type { NormalizedAlert } from './ingest-reader';
import type { IngestSource } from './ingest-source';
import { classify } from './ingest-rules';

/** A new incident from a firing alert: classified by the source's rules, severity or an incident model. */

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

export function alertData(a: NormalizedAlert, source: IngestSource) {
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

/** The incident a new one follows (its alert fired again after it was closed, or resolved too long ago). */
export interface FollowedIncident {
  id: string;
  number: number;
  status: string;
  why: string | null;
}

export async function openIncident(
  em: EntityManager,
  source: IngestSource,
  actor: Actor,
  a: NormalizedAlert,
  now: Date,
  follows: FollowedIncident | null = null,
): Promise<AlertResult> {
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
    {
      kind: 'ALERT_FIRING',
      summary:
        `Alert firing from ${source.name}: ${a.title}` +
        (follows ? ` (follows ${formatIncidentNumber(follows.number)}: ${follows.why ?? follows.status})` : ''),
      data: { ...alertData(a, source), ...(follows ? { followsIncidentId: follows.id } : {}) },
    },
    now,
  );
  await em.flush();
  await em.execute(
    `insert into ingested_alerts (id, source_id, fingerprint, identity, incident_id, follows_incident_id, status, title, labels,
      annotations, starts_at, ends_at, first_received_at, last_received_at)
     values (?, ?, ?, ?, ?, ?, 'FIRING', ?, ?::jsonb, ?::jsonb, ?, null, ?, ?)`,
    [
      randomUUID(),
      source.id,
      a.fingerprint,
      a.identity,
      incident.id,
      follows?.id ?? null,
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
    ...(follows ? { follows: formatIncidentNumber(follows.number) } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}
