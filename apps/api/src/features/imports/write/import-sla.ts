import { addBusinessMinutes, evaluateIncidentSla, type BusinessCalendar, type ClockEvaluation, type SlaTarget } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentEventKind } from '../../incidents/incident.enums';
import { SlaPolicyVersion } from '../../sla/sla-policy.entity';
import { compileVersion, toSlaEvents, toStored, type CompiledVersion } from '../../sla/sla.engine';
import { IN_UUID, jsonList, type Column } from '../sql-bulk';

/**
 * SLA clocks for imported incidents, computed the way recomputeClocks does (same domain
 * functions, same stored shape) but for thousands of incidents at once: policies loaded once,
 * clocks written with one statement per ten thousand.
 */

/** The timeline events SLA clocks are computed from (the rest leave them as they are). */
export const SLA_EVENT_KINDS: readonly IncidentEventKind[] = [
  'LOGGED',
  'CLASSIFIED',
  'PRIORITY_OVERRIDDEN',
  'ACKNOWLEDGED',
  'STATUS_CHANGED',
  'REOPENED',
];

export interface SlaEventLike {
  kind: IncidentEventKind;
  at: Date;
  seq: number;
  after: Record<string, unknown> | null;
}

/** Policy versions by id, the current version per policy, which policy each service uses, the default. */
export class PolicyBook {
  private constructor(
    private readonly versions: Map<string, CompiledVersion>,
    private readonly currentByPolicy: Map<string, string>,
    private readonly policyByService: Map<string, string>,
    private readonly defaultPolicy: string,
  ) {}

  static async load(em: EntityManager, extraVersionIds: string[] = []): Promise<PolicyBook> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select v.* from sla_policy_versions v
         where v.id in (select p.id from sla_policy_versions p join sla_policies s on s.id = p.policy_id and p.version = s.current_version)
            or v.id in ${IN_UUID}`,
      [jsonList(extraVersionIds)],
    );
    const versions = new Map<string, CompiledVersion>();
    for (const r of rows) {
      const v = em.map(SlaPolicyVersion, r);
      versions.set(v.id, compileVersion(v));
    }
    const current = await em.execute<{ policy_id: string; version_id: string; is_default: boolean }[]>(
      `select p.id as policy_id, v.id as version_id, p.is_default from sla_policies p join sla_policy_versions v on v.policy_id = p.id
        and v.version = p.current_version`,
    );
    const services = await em.execute<{ id: string; sla_policy_id: string }[]>(
      `select id, sla_policy_id from services where sla_policy_id is not null`,
    );
    const def = current.find((c) => c.is_default);
    if (!def) throw new Error('No SLA policy applies: there is no default policy');
    return new PolicyBook(
      versions,
      new Map(current.map((c) => [c.policy_id, c.version_id])),
      new Map(services.map((s) => [s.id, s.sla_policy_id])),
      def.policy_id,
    );
  }

  /** The current version of the service's policy, or of the default one. */
  currentFor(serviceId: string | null): CompiledVersion {
    const policy = (serviceId && this.policyByService.get(serviceId)) || this.defaultPolicy;
    return this.versions.get(this.currentByPolicy.get(policy)!)!;
  }

  byId(id: string): CompiledVersion | undefined {
    return this.versions.get(id);
  }
}

function crossingAt(cal: BusinessCalendar, ev: ClockEvaluation, fraction: number, now: Date): Date | null {
  if (ev.state !== 'RUNNING') return null;
  const threshold = ev.targetMinutes * fraction;
  const consumed = (ev.percentConsumed / 100) * ev.targetMinutes;
  if (consumed >= threshold) return now;
  return addBusinessMinutes(cal, now, threshold - consumed);
}

export const CLOCK_COLUMNS_LIST: Column[] = [
  ['incident_id', 'uuid'],
  ['target', 'varchar'],
  ['policy_version_id', 'uuid'],
  ['priority', 'smallint'],
  ['target_minutes', 'integer'],
  ['segments', 'jsonb'],
  ['state', 'varchar'],
  ['elapsed_minutes', 'integer'],
  ['due_at', 'timestamptz'],
  ['warn50_at', 'timestamptz'],
  ['warn75_at', 'timestamptz'],
  ['warn90_at', 'timestamptz'],
  ['breached_at', 'timestamptz'],
  ['stopped_at', 'timestamptz'],
  ['verdict', 'varchar'],
  ['computed_at', 'timestamptz'],
];

/** Both clocks of one incident as stored rows; none when its events never opened it. */
export function clockRows(incidentId: string, events: readonly SlaEventLike[], c: CompiledVersion, now: Date): Record<string, unknown>[] {
  const result = evaluateIncidentSla(toSlaEvents(events), c.policy, c.calendar, now);
  if (!result.priority || !result.response || !result.resolution) return [];
  const pairs: [SlaTarget, ClockEvaluation, ReturnType<typeof toStored>[]][] = [
    ['RESPONSE', result.response, result.timeline.response.map(toStored)],
    ['RESOLUTION', result.resolution, result.timeline.resolution.map(toStored)],
  ];
  return pairs.map(([target, ev, segments]) => ({
    incident_id: incidentId,
    target,
    policy_version_id: c.version.id,
    priority: result.priority,
    target_minutes: ev.targetMinutes,
    segments,
    state: ev.state,
    elapsed_minutes: ev.elapsedMinutes,
    due_at: ev.dueAt,
    warn50_at: crossingAt(c.calendar, ev, 0.5, now),
    warn75_at: crossingAt(c.calendar, ev, 0.75, now),
    warn90_at: crossingAt(c.calendar, ev, 0.9, now),
    breached_at: ev.breachedAt,
    stopped_at: ev.stoppedAt,
    verdict: ev.verdict,
    computed_at: now,
  }));
}
