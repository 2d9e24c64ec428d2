import {
  addBusinessMinutes,
  compileCalendar,
  evaluateIncidentSla,
  type BusinessCalendar,
  type ClockEvaluation,
  type ClockSegment,
  type HoldReason,
  type IncidentStatus,
  type Priority,
  type SlaEvent,
  type SlaPolicy,
  type SlaTarget,
} from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentEvent } from '../incidents/incident-event.entity';
import type { Incident } from '../incidents/incident.entity';
import type { StoredSegment } from './sla-clock.entity';
import { SlaPolicyVersion } from './sla-policy.entity';

/** A policy version ready for arithmetic. Versions never change, so the compiled form is cached for good. */
export interface CompiledVersion {
  version: SlaPolicyVersion;
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}

const compiled = new Map<string, CompiledVersion>();

/** A version compiled earlier in this process, if any: versions never change once made. */
export function compiledVersion(id: string): CompiledVersion | undefined {
  return compiled.get(id);
}

export function compileVersion(v: SlaPolicyVersion): CompiledVersion {
  let c = compiled.get(v.id);
  if (!c) {
    const targets = Object.fromEntries(Object.entries(v.targets).map(([p, t]) => [Number(p), t])) as SlaPolicy['targets'];
    c = { version: v, calendar: compileCalendar(v.calendar), policy: { targets, pauseHoldReasons: v.pauseHoldReasons } };
    compiled.set(v.id, c);
  }
  return c;
}

/** Timeline events -> the SLA-relevant events the domain rebuilds clocks from. */
export function toSlaEvents(events: readonly Pick<IncidentEvent, 'kind' | 'at' | 'seq' | 'after'>[]): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const e of events) {
    const after = e.after ?? {};
    switch (e.kind) {
      case 'LOGGED':
        out.push({ type: 'OPENED', at: e.at, seq: e.seq, priority: after.priority as Priority });
        break;
      case 'CLASSIFIED':
      case 'PRIORITY_OVERRIDDEN':
        if (typeof after.priority === 'number')
          out.push({ type: 'PRIORITY_CHANGED', at: e.at, seq: e.seq, priority: after.priority as Priority });
        break;
      case 'ACKNOWLEDGED':
        out.push({ type: 'ACKNOWLEDGED', at: e.at, seq: e.seq });
        break;
      case 'STATUS_CHANGED':
      case 'REOPENED':
        if (typeof after.status === 'string') {
          out.push({
            type: 'STATUS_CHANGED',
            at: e.at,
            seq: e.seq,
            status: after.status as IncidentStatus,
            holdReason: (after.holdReason as HoldReason | null | undefined) ?? null,
          });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

export const toStored = (s: ClockSegment): StoredSegment => ({
  state: s.state,
  holdReason: s.holdReason,
  from: s.from.toISOString(),
  to: s.to ? s.to.toISOString() : null,
});
export const fromStored = (s: StoredSegment): ClockSegment => ({
  state: s.state,
  holdReason: s.holdReason,
  from: new Date(s.from),
  to: s.to ? new Date(s.to) : null,
});

/** The instant a running clock reaches `fraction` of its target, given its state at `now`. */
function crossingAt(cal: BusinessCalendar, ev: ClockEvaluation, fraction: number, now: Date): Date | null {
  if (ev.state !== 'RUNNING') return null;
  const threshold = ev.targetMinutes * fraction;
  const consumed = (ev.percentConsumed / 100) * ev.targetMinutes;
  if (consumed >= threshold) return now;
  return addBusinessMinutes(cal, now, threshold - consumed);
}

/** The current version of the service's policy, or of the default policy. */
export async function currentPolicyVersion(em: EntityManager, serviceId: string | null): Promise<SlaPolicyVersion> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select v.* from sla_policy_versions v join sla_policies p on p.id = v.policy_id and v.version = p.current_version
      where p.id = coalesce((select sla_policy_id from services where id = ?), (select id from sla_policies where is_default))`,
    [serviceId],
  );
  if (!rows[0]) throw new Error('No SLA policy applies: there is no default policy');
  return em.map(SlaPolicyVersion, rows[0]);
}

/**
 * Rebuilds both clocks of an incident from its stored events, in the caller's transaction.
 * `latest` moves the incident to the current version of its policy; otherwise it keeps its own.
 */
export async function recomputeClocks(em: EntityManager, incident: Incident, now: Date, opts: { latest?: boolean } = {}): Promise<void> {
  let version: SlaPolicyVersion | null = null;
  // A version never changes once made: one compiled earlier in this process needs no query.
  if (incident.slaPolicyVersionId && !opts.latest) {
    version =
      compiledVersion(incident.slaPolicyVersionId)?.version ?? (await em.findOne(SlaPolicyVersion, { id: incident.slaPolicyVersionId }));
  }
  if (!version) {
    version = await currentPolicyVersion(em, incident.serviceId);
    incident.slaPolicyVersionId = version.id;
  }
  // Raw rows, not entities: a partial entity in the identity map would leak into later reads.
  const eventRows = await em.execute<
    { kind: IncidentEvent['kind']; at: string | Date; seq: number; after: Record<string, unknown> | string | null }[]
  >(`select kind, at, seq, after from incident_events where incident_id = ? order by seq`, [incident.id]);
  // The driver hands timestamps back as strings (MikroORM parses them itself for entities).
  const events = eventRows.map((r) => ({
    kind: r.kind,
    seq: r.seq,
    at: new Date(r.at),
    after: typeof r.after === 'string' ? JSON.parse(r.after) : r.after,
  }));
  const c = compileVersion(version);
  const result = evaluateIncidentSla(toSlaEvents(events), c.policy, c.calendar, now);
  if (!result.priority || !result.response || !result.resolution) return;
  const rows: [SlaTarget, ClockEvaluation, ClockSegment[]][] = [
    ['RESPONSE', result.response, result.timeline.response],
    ['RESOLUTION', result.resolution, result.timeline.resolution],
  ];
  const values: unknown[] = [];
  for (const [target, ev, segments] of rows) {
    values.push(
      incident.id,
      target,
      version.id,
      result.priority,
      ev.targetMinutes,
      JSON.stringify(segments.map(toStored)),
      ev.state,
      ev.elapsedMinutes,
      ev.dueAt,
      crossingAt(c.calendar, ev, 0.5, now),
      crossingAt(c.calendar, ev, 0.75, now),
      crossingAt(c.calendar, ev, 0.9, now),
      ev.breachedAt,
      ev.stoppedAt,
      ev.verdict,
      now,
    );
  }
  const row = `(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await em.execute(
    `insert into sla_clocks (incident_id, target, policy_version_id, priority, target_minutes, segments, state, elapsed_minutes,
        due_at, warn50_at, warn75_at, warn90_at, breached_at, stopped_at, verdict, computed_at)
      values ${row}, ${row}
      on conflict (incident_id, target) do update set policy_version_id = excluded.policy_version_id, priority = excluded.priority,
        target_minutes = excluded.target_minutes, segments = excluded.segments, state = excluded.state,
        elapsed_minutes = excluded.elapsed_minutes, due_at = excluded.due_at, warn50_at = excluded.warn50_at,
        warn75_at = excluded.warn75_at, warn90_at = excluded.warn90_at, breached_at = excluded.breached_at,
        stopped_at = excluded.stopped_at, verdict = excluded.verdict, computed_at = excluded.computed_at`,
    values,
  );
}
