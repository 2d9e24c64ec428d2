// Reads behind the knowledge lifecycle and effectiveness (issue 27): a fixed number of statements
// for any number of items, so lists and the health page cannot turn into N+1.
//
// What "applied" means per kind (also in docs/knowledge-lifecycle.md):
//   WORKAROUND   a workaround application on the incident (first one counts)
//   MODEL        an application of any version of the model (first one counts)
//   KNOWN_ERROR  the incident is linked to the problem and was opened after it became a known error
import {
  applicationOutcome,
  isLowEffectiveness,
  medianEstimate,
  MIN_SAMPLE,
  shareEstimate,
  staleReasons,
  type KnowledgeKind,
  type KnowledgeState,
  type MedianEstimate,
  type ShareEstimate,
  type StaleReason,
} from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawDate } from '../../db/raw-dates';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';

export interface ItemKey {
  kind: KnowledgeKind;
  itemId: string;
}

export const keyOf = (k: ItemKey) => `${k.kind}:${k.itemId}`;

export interface LifecycleFacts extends ItemKey {
  /** How the web app addresses it (a problem by its number, the others by id). */
  ref: string;
  /** The lifecycle row's own id (what the audit log names). */
  id: string;
  title: string;
  state: KnowledgeState;
  ownerId: string | null;
  serviceId: string | null;
  categoryId: string | null;
  teamId: string | null;
  reviewBy: Date | null;
  reviewedAt: Date | null;
  reviewedServiceId: string | null;
  reviewedCategoryId: string | null;
  stateChangedAt: Date;
  appliedIncidentReopened: boolean;
}

export interface Effectiveness {
  helpful: ShareEstimate;
  resolvedWithoutReopen: ShareEstimate;
  minutesToResolveWith: MedianEstimate;
  minutesToResolveWithout: MedianEstimate;
  low: boolean;
}

/** The items asked for, from one jsonb parameter. */
const KEYS_SQL = `keys as (select * from jsonb_to_recordset(?::jsonb) as x(kind varchar, item_id uuid))`;

/** The (kind, item, incident, first applied) rows of the items in \`keys\`. */
export const APPS_SQL = `
  apps as (
    select 'WORKAROUND'::varchar as kind, a.workaround_id as item_id, a.incident_id, min(a.applied_at) as first_at
      from workaround_applications a where a.workaround_id in (select item_id from keys where kind = 'WORKAROUND')
      group by a.workaround_id, a.incident_id
    union all
    select 'MODEL', v.model_id, a.incident_id, min(a.applied_at)
      from incident_model_applications a join incident_model_versions v on v.id = a.model_version_id
     where v.model_id in (select item_id from keys where kind = 'MODEL')
     group by v.model_id, a.incident_id
    union all
    select 'KNOWN_ERROR', p.id, i.id, i.opened_at
      from problems p join incidents i on i.problem_id = p.id
     where p.id in (select item_id from keys where kind = 'KNOWN_ERROR')
       and p.known_error_at is not null and i.opened_at >= p.known_error_at
  )`;

const keysJson = (keys: readonly ItemKey[]) => JSON.stringify(keys.map((k) => ({ kind: k.kind, item_id: k.itemId })));

export interface LifecycleRow {
  id: string;
  ref: string;
  kind: KnowledgeKind;
  item_id: string;
  title: string;
  state: KnowledgeState;
  owner_id: string | null;
  service_id: string | null;
  category_id: string | null;
  team_id: string | null;
  review_by: Date | string | null;
  reviewed_at: Date | string | null;
  reviewed_service_id: string | null;
  reviewed_category_id: string | null;
  state_changed_at: Date | string;
  reopened: boolean;
}

export const LIFECYCLE_COLUMNS = `k.id, s.ref, k.kind, k.item_id, s.title, k.state, coalesce(k.owner_id, s.fallback_owner_id) as owner_id,
  s.service_id, s.category_id, s.team_id, k.review_by, k.reviewed_at, k.reviewed_service_id, k.reviewed_category_id, k.state_changed_at,
  exists (select 1 from apps a join incident_events e on e.incident_id = a.incident_id and e.kind = 'REOPENED'
           where a.kind = k.kind and a.item_id = k.item_id and e.at > a.first_at
             and e.at > coalesce(k.reviewed_at, k.created_at)) as reopened`;

export function lifecycleOf(r: LifecycleRow): LifecycleFacts {
  return {
    id: r.id,
    ref: r.ref,
    kind: r.kind,
    itemId: r.item_id,
    title: r.title,
    state: r.state,
    ownerId: r.owner_id,
    serviceId: r.service_id,
    categoryId: r.category_id,
    teamId: r.team_id,
    reviewBy: rawDate(r.review_by),
    reviewedAt: rawDate(r.reviewed_at),
    reviewedServiceId: r.reviewed_service_id,
    reviewedCategoryId: r.reviewed_category_id,
    stateChangedAt: rawDate(r.state_changed_at)!,
    appliedIncidentReopened: r.reopened,
  };
}

/** Lifecycle facts of the given items (one statement); items without a lifecycle row are absent. */
export async function lifecycleFacts(em: EntityManager, keys: readonly ItemKey[]): Promise<Map<string, LifecycleFacts>> {
  if (!keys.length) return new Map();
  const rows = await em.execute<LifecycleRow[]>(
    `with ${KEYS_SQL}, ${APPS_SQL}
     select ${LIFECYCLE_COLUMNS}
       from keys x join knowledge_items k on k.kind = x.kind and k.item_id = x.item_id
       join knowledge_subjects s on s.kind = k.kind and s.item_id = k.item_id`,
    [keysJson(keys)],
  );
  return new Map(rows.map((r) => [`${r.kind}:${r.item_id}`, lifecycleOf(r)]));
}

export interface HealthFilter {
  kind?: KnowledgeKind | null;
  ownerId?: string | null;
  teamId?: string | null;
  serviceId?: string | null;
}

/** Cap on items the health page judges at once (published, needing review or in review); documented. */
export const HEALTH_SCAN_CAP = 5000;

/** Lifecycle facts of every item the health page may list, filtered (one statement). */
export async function healthCandidates(em: EntityManager, f: HealthFilter): Promise<LifecycleFacts[]> {
  const rows = await em.execute<LifecycleRow[]>(
    `with cand as (
       select k.kind, k.item_id from knowledge_items k join knowledge_subjects s on s.kind = k.kind and s.item_id = k.item_id
        where k.state in ('IN_REVIEW','PUBLISHED','NEEDS_REVIEW')
          and (?::varchar is null or k.kind = ?) and (?::uuid is null or coalesce(k.owner_id, s.fallback_owner_id) = ?)
          and (?::uuid is null or s.team_id = ?) and (?::uuid is null or s.service_id = ?)
        order by k.kind, k.item_id limit ${HEALTH_SCAN_CAP}
     ), keys as (select kind, item_id from cand), ${APPS_SQL}
     select ${LIFECYCLE_COLUMNS}
       from keys x join knowledge_items k on k.kind = x.kind and k.item_id = x.item_id
       join knowledge_subjects s on s.kind = k.kind and s.item_id = k.item_id`,
    [
      f.kind ?? null,
      f.kind ?? null,
      f.ownerId ?? null,
      f.ownerId ?? null,
      f.teamId ?? null,
      f.teamId ?? null,
      f.serviceId ?? null,
      f.serviceId ?? null,
    ],
  );
  return rows.map(lifecycleOf);
}

export function stale(f: LifecycleFacts, now: Date): StaleReason[] {
  return staleReasons(f, now);
}

interface OutcomeRow {
  kind: string;
  item_id: string;
  first_at: Date | string;
  opened_at: Date | string;
  resolved_at: Date | string | null;
  open: boolean;
  reopened_after: boolean;
}

interface AggregateRow {
  kind: string;
  item_id: string;
  n: number;
  k: number;
  median: number | string | null;
}

/**
 * Effectiveness of the given items (three statements): votes, per-incident outcomes, and the
 * median time to resolve of the same categories' resolved incidents it was not applied to.
 */
export async function effectiveness(em: EntityManager, keys: readonly ItemKey[]): Promise<Map<string, Effectiveness>> {
  if (!keys.length) return new Map();
  const json = keysJson(keys);
  const votes = await em.execute<AggregateRow[]>(
    `select f.kind, f.item_id, count(*)::int as n, (count(*) filter (where f.helpful))::int as k, null as median
       from jsonb_to_recordset(?::jsonb) as x(kind varchar, item_id uuid)
       join knowledge_feedback f on f.kind = x.kind and f.item_id = x.item_id group by f.kind, f.item_id`,
    [json],
  );
  const outcomes = await em.execute<OutcomeRow[]>(
    `with ${KEYS_SQL}, ${APPS_SQL}
     select a.kind, a.item_id, a.first_at, i.opened_at, i.resolved_at, i.status in ${OPEN_STATUS_SQL} as open,
            exists (select 1 from incident_events e where e.incident_id = a.incident_id and e.kind = 'REOPENED' and e.at > a.first_at)
              as reopened_after
       from apps a join incidents i on i.id = a.incident_id`,
    [json],
  );
  const without = await em.execute<AggregateRow[]>(
    `with ${KEYS_SQL}, ${APPS_SQL},
     cats as (select distinct a.kind, a.item_id, i.category_id from apps a join incidents i on i.id = a.incident_id
               where i.resolved_at is not null and i.category_id is not null)
     select c.kind, c.item_id, count(*)::int as n, 0 as k,
            percentile_cont(0.5) within group (order by extract(epoch from (i.resolved_at - i.opened_at)) / 60) as median
       from cats c join incidents i on i.category_id = c.category_id and i.resolved_at is not null
      where not exists (select 1 from apps a where a.kind = c.kind and a.item_id = c.item_id and a.incident_id = i.id)
      group by c.kind, c.item_id`,
    [json],
  );
  const out = new Map<string, Effectiveness>();
  for (const key of keys) {
    const id = keyOf(key);
    const mine = (r: { kind: string; item_id: string }) => r.kind === key.kind && r.item_id === key.itemId;
    const v = votes.find(mine);
    const facts = outcomes.filter(mine);
    let held = 0;
    let settled = 0;
    const withMinutes: number[] = [];
    for (const o of facts) {
      const resolvedAt = rawDate(o.resolved_at);
      const outcome = applicationOutcome({
        firstAppliedAt: rawDate(o.first_at)!.getTime(),
        resolvedAt: resolvedAt?.getTime() ?? null,
        open: o.open,
        reopenedAfter: o.reopened_after,
      });
      if (outcome !== 'IN_FLIGHT') settled += 1;
      if (outcome === 'HELD') held += 1;
      if (resolvedAt) withMinutes.push((resolvedAt.getTime() - rawDate(o.opened_at)!.getTime()) / 60_000);
    }
    const w = without.find(mine);
    const helpful = shareEstimate(v?.k ?? 0, v?.n ?? 0);
    const resolvedWithoutReopen = shareEstimate(held, settled);
    const n = w?.n ?? 0;
    const m = w?.median == null ? null : Number(w.median);
    out.set(id, {
      helpful,
      resolvedWithoutReopen,
      minutesToResolveWith: medianEstimate(withMinutes),
      minutesToResolveWithout: { n, median: m, enoughData: n >= MIN_SAMPLE },
      low: isLowEffectiveness(helpful, resolvedWithoutReopen),
    });
  }
  return out;
}
