import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { placeholders } from '../../db/row-entity';
import { Incident } from '../incidents/incident.entity';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';
import { ChecklistItem, IncidentModel, IncidentModelApplication, IncidentModelVersion } from './incident-model.entity';
import { decodeModelIncidentCursor } from './incident-model.queries';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const l = map.get(k);
    if (l) l.push(row);
    else map.set(k, [row]);
  }
  return map;
}

export interface ModelIncidentsPage {
  items: Incident[];
  hasNextPage: boolean;
}

export interface IncidentModelEffectiveness {
  timesApplied: number;
  incidents: number;
  resolvedIncidents: number;
  resolvedWithoutReopen: number;
  /** Applied while open and still open, not reopened since: no outcome yet (domain applicationOutcome). */
  inFlight: number;
  medianMinutesToResolution: number | null;
}

/**
 * Per model, computed by the database over the applications of any of its versions: applications,
 * distinct incidents, those resolved after the model was first applied, those of them not reopened
 * after it, and the median minutes from first application to resolution.
 */
export const MODEL_EFFECTIVENESS_SQL = (placeholders: string) => `
  with apps as (
    select v.model_id, a.incident_id, min(a.applied_at) as first_at, count(*) as n
      from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
     where v.model_id in (${placeholders}) group by v.model_id, a.incident_id
  ), facts as (
    select a.*, i.resolved_at, i.status in ${OPEN_STATUS_SQL} as open,
      (i.resolved_at is not null and i.resolved_at >= a.first_at) as resolved,
      exists (select 1 from incident_events e where e.incident_id = a.incident_id and e.kind = 'REOPENED' and e.at > a.first_at) as reopened
    from apps a join incidents i on i.id = a.incident_id
  )
  select model_id,
    sum(n)::int as times_applied,
    count(*)::int as incidents,
    (count(*) filter (where resolved))::int as resolved_incidents,
    (count(*) filter (where resolved and not reopened))::int as resolved_without_reopen,
    (count(*) filter (where open and not reopened))::int as in_flight,
    percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - first_at)) / 60) filter (where resolved) as median_minutes
  from facts group by model_id`;

/** Request-scoped loaders of the incident models feature: one statement per kind and tick. */
export function incidentModelLoaders(em: EntityManager) {
  return {
    incidentModel: new DataLoader<string, IncidentModel | null>(async (ids) => {
      const rows = await em.find(IncidentModel, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    incidentModelVersion: new DataLoader<string, IncidentModelVersion | null>(async (ids) => {
      const rows = await em.find(IncidentModelVersion, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    /** By model id: the version that is current. */
    incidentModelCurrentVersion: new DataLoader<string, IncidentModelVersion | null>(async (ids) => {
      const rows = await em.execute<Record<string, unknown>[]>(
        `select v.* from incident_model_versions v join incident_models m on m.id = v.model_id and v.version = m.current_version
          where m.id in (${placeholders(ids)})`,
        [...ids],
      );
      const versions = rows.map((r) => em.map(IncidentModelVersion, r));
      return ids.map((id) => versions.find((v) => v.modelId === id) ?? null);
    }),
    /** By model id: every version, newest first. */
    incidentModelVersions: new DataLoader<string, IncidentModelVersion[]>(async (ids) => {
      const rows = await em.find(IncidentModelVersion, { modelId: { $in: [...ids] } }, { orderBy: { modelId: 'asc', version: 'desc' } });
      const map = groupBy(rows, (r) => r.modelId);
      return ids.map((id) => map.get(id) ?? []);
    }),
    /** By incident id: checklist steps in the order the versions were applied, then by position. */
    incidentChecklist: new DataLoader<string, ChecklistItem[]>(async (ids) => {
      const rows = await em.execute<Record<string, unknown>[]>(
        `select c.* from incident_checklist_items c
           left join incident_model_applications a on a.incident_id = c.incident_id and a.model_version_id = c.model_version_id
          where c.incident_id in (${placeholders(ids)}) order by c.incident_id, a.applied_at, c.model_version_id, c.position`,
        [...ids],
      );
      const items = rows.map((r) => em.map(ChecklistItem, r));
      const map = groupBy(items, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
    /** By incident id: the model versions applied to it, oldest first. */
    incidentModelApplications: new DataLoader<string, IncidentModelApplication[]>(async (ids) => {
      const rows = await em.find(
        IncidentModelApplication,
        { incidentId: { $in: [...ids] } },
        { orderBy: { incidentId: 'asc', appliedAt: 'asc', id: 'asc' } },
      );
      const map = groupBy(rows, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
    /** By workaround id: the models whose current version links it, by name. */
    workaroundIncidentModels: new DataLoader<string, IncidentModel[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & { workaround_id: string })[]>(
        `select m.*, w.wid as workaround_id
           from incident_models m
           join incident_model_versions v on v.model_id = m.id and v.version = m.current_version
           cross join lateral jsonb_array_elements_text(v.workaround_ids) as w(wid)
          where w.wid in (${placeholders(ids)})
          order by lower(m.name), m.id`,
        [...ids],
      );
      const pairs = rows.map(({ workaround_id, ...m }) => ({ workaroundId: workaround_id, model: em.map(IncidentModel, m) }));
      return ids.map((id) => pairs.filter((p) => p.workaroundId === id).map((p) => p.model));
    }),
    /**
     * Keyed by `${modelId}|${first}|${after}`: per model, a page of the incidents that applied any of
     * its versions, newest opened first. One statement per distinct (first, after) in the tick.
     */
    incidentModelIncidents: new DataLoader<string, ModelIncidentsPage>(async (keys) => {
      const parsed = keys.map((k) => {
        const [modelId, first, ...rest] = k.split('|');
        return { modelId: modelId!, first: Number(first), after: rest.join('|') };
      });
      const groups = groupBy(parsed, (p) => `${p.first}|${p.after}`);
      const pages = new Map<string, ModelIncidentsPage>();
      for (const group of groups.values()) {
        const { first, after } = group[0]!;
        const modelIds = [...new Set(group.map((g) => g.modelId))];
        const params: unknown[] = [...modelIds];
        let cursor = '';
        if (after) {
          const c = decodeModelIncidentCursor(after);
          cursor = `where (i.opened_at, i.id) < (?, ?::uuid)`;
          params.push(c.openedAt, c.id);
        }
        params.push(first + 1);
        const rows = await em.execute<(Record<string, unknown> & { _model_id: string; _rn: string | number })[]>(
          `select * from (
             select i.*, x.model_id as _model_id, row_number() over (partition by x.model_id order by i.opened_at desc, i.id desc) as _rn
               from incidents i
               join (select distinct a.incident_id, v.model_id
                       from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
                      where v.model_id in (${placeholders(modelIds)})) x on x.incident_id = i.id
               ${cursor}
           ) y where _rn <= ? order by _model_id, opened_at desc, id desc`,
          params,
        );
        const byModel = groupBy(
          rows.map(({ _model_id, _rn, ...r }) => ({ modelId: _model_id, incident: em.map(Incident, r) })),
          (r) => r.modelId,
        );
        for (const modelId of modelIds) {
          const found = (byModel.get(modelId) ?? []).map((r) => r.incident);
          pages.set(`${modelId}|${first}|${after}`, { items: found.slice(0, first), hasNextPage: found.length > first });
        }
      }
      return keys.map((k) => pages.get(k)!);
    }),
    /** By model id: distinct incidents that applied any of its versions. */
    incidentModelIncidentCount: new DataLoader<string, number>(async (ids) => {
      const rows = await em.execute<{ model_id: string; n: string | number }[]>(
        `select v.model_id, count(distinct a.incident_id) as n
           from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
          where v.model_id in (${placeholders(ids)}) group by v.model_id`,
        [...ids],
      );
      return ids.map((id) => Number(rows.find((r) => r.model_id === id)?.n ?? 0));
    }),
    incidentModelEffectiveness: new DataLoader<string, IncidentModelEffectiveness>(async (ids) => {
      const rows = await em.execute<
        {
          model_id: string;
          times_applied: number;
          incidents: number;
          resolved_incidents: number;
          resolved_without_reopen: number;
          in_flight: number;
          median_minutes: number | string | null;
        }[]
      >(MODEL_EFFECTIVENESS_SQL(placeholders(ids)), [...ids]);
      return ids.map((id) => {
        const r = rows.find((x) => x.model_id === id);
        return r
          ? {
              timesApplied: r.times_applied,
              incidents: r.incidents,
              resolvedIncidents: r.resolved_incidents,
              resolvedWithoutReopen: r.resolved_without_reopen,
              inFlight: r.in_flight,
              medianMinutesToResolution: r.median_minutes === null ? null : Number(r.median_minutes),
            }
          : { timesApplied: 0, incidents: 0, resolvedIncidents: 0, resolvedWithoutReopen: 0, inFlight: 0, medianMinutesToResolution: null };
      });
    }),
  };
}
