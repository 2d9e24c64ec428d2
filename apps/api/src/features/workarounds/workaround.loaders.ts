import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';
import { byIdLoader, placeholders, selectEntities } from '../../db/row-entity';
import { Workaround, WorkaroundApplication } from './workaround.entity';

export interface WorkaroundEffectiveness {
  timesApplied: number;
  incidents: number;
  resolvedIncidents: number;
  resolvedWithoutReopen: number;
  /** Applied while open and still open, not reopened since: no outcome yet (domain applicationOutcome). */
  inFlight: number;
  restoredService: number;
  medianMinutesToResolution: number | null;
}

/**
 * Per workaround, computed by the database: applications, distinct incidents, those resolved after
 * the first application, those of them never reopened after it, those whose resolution names the
 * workaround, and the median minutes from first application to resolution.
 */
export const EFFECTIVENESS_SQL = (placeholders: string) => `
  with apps as (
    select workaround_id, incident_id, min(applied_at) as first_at, count(*) as n, bool_or(coalesce(restored_service, false)) as restored
      from workaround_applications where workaround_id in (${placeholders}) group by workaround_id, incident_id
  ), facts as (
    select a.*, i.resolved_at, i.status in ${OPEN_STATUS_SQL} as open,
      (i.resolved_at is not null and i.resolved_at >= a.first_at) as resolved,
      exists (select 1 from incident_events e where e.incident_id = a.incident_id and e.kind = 'REOPENED' and e.at > a.first_at) as reopened
    from apps a join incidents i on i.id = a.incident_id
  )
  select workaround_id,
    sum(n)::int as times_applied,
    count(*)::int as incidents,
    (count(*) filter (where resolved))::int as resolved_incidents,
    (count(*) filter (where resolved and not reopened))::int as resolved_without_reopen,
    (count(*) filter (where open and not reopened))::int as in_flight,
    (count(*) filter (where restored))::int as restored_service,
    percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - first_at)) / 60) filter (where resolved) as median_minutes
  from facts group by workaround_id`;

export function workaroundLoaders(em: EntityManager) {
  return {
    workaround: byIdLoader(em, Workaround),
    workaroundApplicationsByIncident: new DataLoader<string, WorkaroundApplication[]>(async (ids) => {
      const rows = await selectEntities(
        em,
        WorkaroundApplication,
        `select * from workaround_applications where incident_id in (${placeholders(ids)}) order by applied_at`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.incidentId === id));
    }),
    workaroundEffectiveness: new DataLoader<string, WorkaroundEffectiveness>(async (ids) => {
      const rows = await em.execute<
        {
          workaround_id: string;
          times_applied: number;
          incidents: number;
          resolved_incidents: number;
          resolved_without_reopen: number;
          in_flight: number;
          restored_service: number;
          median_minutes: number | string | null;
        }[]
      >(EFFECTIVENESS_SQL(placeholders(ids)), [...ids]);
      return ids.map((id) => {
        const r = rows.find((x) => x.workaround_id === id);
        return r
          ? {
              timesApplied: r.times_applied,
              incidents: r.incidents,
              resolvedIncidents: r.resolved_incidents,
              resolvedWithoutReopen: r.resolved_without_reopen,
              inFlight: r.in_flight,
              restoredService: r.restored_service,
              medianMinutesToResolution: r.median_minutes === null ? null : Number(r.median_minutes),
            }
          : {
              timesApplied: 0,
              incidents: 0,
              resolvedIncidents: 0,
              resolvedWithoutReopen: 0,
              inFlight: 0,
              restoredService: 0,
              medianMinutesToResolution: null,
            };
      });
    }),
  };
}
