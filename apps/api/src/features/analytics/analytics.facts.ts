import { businessMinutesBetween, compileCalendar, type BusinessCalendar, type CalendarDefinition, type IncidentFact } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { FACT_COLUMNS, toFact, type FactRow } from './analytics.cells';
import { ms } from './analytics.db';

/**
 * analytics.facts: one row per incident with every value its metrics need, derived in SQL from
 * the incident, its clocks, time entries, reviews and problem; business time to resolve is added
 * in TypeScript with the SLA module's calendar arithmetic (the same code the SLA clocks use).
 */

const FACT_INSERT_COLUMNS = `incident_id, opened_at, priority, service_id, team_id, category_id, top_category_id, problem_id,
  workaround_id, model_id, policy_version_id, detect_at, resolved_at, ttr_s, biz_s, ack_s, det_s, resp_verdict, res_verdict,
  reopened, reused, recurring, eligible, reviewed, cost_mc, minutes, gap_s`;

const UPDATE_SET = FACT_INSERT_COLUMNS.split(',')
  .map((c) => c.trim())
  .filter((c) => c !== 'incident_id' && c !== 'gap_s')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

/** The fact columns computed from an incident row i (and its joins below), except recurrence and the MTBF gap. */
const FACT_EXPRESSIONS = `i.id, i.opened_at, i.priority, i.service_id, i.team_id, i.category_id, coalesce(c.parent_id, i.category_id),
    i.problem_id,
    case when i.resolved_at is not null then i.resolution_workaround_id end,
    case when i.resolved_at is not null then mv.model_id end,
    i.sla_policy_version_id,
    coalesce(i.detected_at, i.opened_at), i.resolved_at,
    extract(epoch from i.resolved_at - i.opened_at)::float8,
    case when i.resolved_at is not null and i.sla_policy_version_id = any($1::uuid[])
      then extract(epoch from i.resolved_at - i.opened_at)::float8 end,
    extract(epoch from i.acknowledged_at - i.opened_at)::float8,
    extract(epoch from i.opened_at - i.detected_at)::float8,
    case rc.verdict when 'MET' then 'M' when 'BREACHED' then 'B' end,
    case coalesce(i.recorded_resolution_sla_verdict, sc.verdict) when 'MET' then 'M' when 'BREACHED' then 'B' end,
    i.reopen_count > 0,
    i.resolved_at is not null and (i.resolution_workaround_id is not null or i.model_version_id is not null)`;

const FACT_JOINS = `left join categories c on c.id = i.category_id
  left join incident_model_versions mv on mv.id = i.model_version_id
  left join sla_clocks rc on rc.incident_id = i.id and rc.target = 'RESPONSE'
  left join sla_clocks sc on sc.incident_id = i.id and sc.target = 'RESOLUTION'`;

/** Changed columns only: an unchanged fact is not rewritten (and not returned). */
const CHANGED = FACT_INSERT_COLUMNS.split(',')
  .map((c) => c.trim())
  .filter((c) => c !== 'incident_id' && c !== 'gap_s');

/**
 * $1: ids of policy versions whose calendar is 24x7 (business time = wall time); $2: incident ids.
 * The MTBF gap is kept (recomputed afterwards for every incident whose predecessor may have moved).
 * Returns the facts that changed.
 */
const UPSERT_FACTS = `insert into analytics.facts as f (${FACT_INSERT_COLUMNS})
  select ${FACT_EXPRESSIONS},
    i.problem_id is not null and exists (select 1 from incidents j where j.problem_id = i.problem_id
      and (j.opened_at < i.opened_at or (j.opened_at = i.opened_at and j.id < i.id))),
    i.major or i.priority <= 2,
    exists (select 1 from review_incidents ri join reviews r on r.id = ri.review_id and r.status = 'PUBLISHED' where ri.incident_id = i.id),
    coalesce(te.cost_mc, 0), coalesce(te.minutes, 0),
    null
  from incidents i
  ${FACT_JOINS}
  left join lateral (select sum(t.minutes::bigint * t.rate_cents) as cost_mc, sum(t.minutes) as minutes
    from time_entries t where t.incident_id = i.id) te on true
  where i.id = any($2::uuid[])
  on conflict (incident_id) do update set ${UPDATE_SET}
    where (${CHANGED.map((c) => `f.${c}`).join(', ')}) is distinct from (${CHANGED.map((c) => `excluded.${c}`).join(', ')})
  returning ${FACT_COLUMNS}`;

/**
 * Every fact at once, set-wise (bulk loads): recurrence by a window over each problem's
 * incidents, the MTBF gap by a window over each service's incidents in detection order.
 */
const ALL_FACTS = `insert into analytics.facts (${FACT_INSERT_COLUMNS})
  select x.id, x.opened_at, x.priority, x.service_id, x.team_id, x.category_id, x.top_category_id, x.problem_id, x.workaround_id,
    x.model_id, x.policy_version_id, x.detect_at, x.resolved_at, x.ttr_s, x.biz_s, x.ack_s, x.det_s, x.resp_verdict, x.res_verdict,
    x.reopened, x.reused, x.recurring, x.eligible, x.reviewed, x.cost_mc, x.minutes,
    case when x.service_id is null or x.prev_resolved is null then null
                   else greatest(0, extract(epoch from x.detect_at - x.prev_resolved))::float8 end
  from (
    select b.*, lag(b.resolved_at) over (partition by b.service_id order by b.detect_at, b.opened_at, b.id) as prev_resolved
    from (
      select ${FACT_EXPRESSIONS},
        i.problem_id is not null and row_number() over (partition by i.problem_id order by i.opened_at, i.id) > 1,
        i.major or i.priority <= 2,
        rv.incident_id is not null,
        coalesce(te.cost_mc, 0), coalesce(te.minutes, 0)
      from incidents i
      ${FACT_JOINS}
      left join (select t.incident_id, sum(t.minutes::bigint * t.rate_cents) as cost_mc, sum(t.minutes) as minutes
        from time_entries t group by t.incident_id) te on te.incident_id = i.id
      left join (select distinct ri.incident_id from review_incidents ri
        join reviews r on r.id = ri.review_id and r.status = 'PUBLISHED') rv on rv.incident_id = i.id
    ) b (id, opened_at, priority, service_id, team_id, category_id, top_category_id, problem_id, workaround_id, model_id, policy_version_id,
         detect_at, resolved_at, ttr_s, biz_s, ack_s, det_s, resp_verdict, res_verdict, reopened, reused, recurring, eligible, reviewed,
         cost_mc, minutes)
  ) x (id, opened_at, priority, service_id, team_id, category_id, top_category_id, problem_id, workaround_id, model_id, policy_version_id,
       detect_at, resolved_at, ttr_s, biz_s, ack_s, det_s, resp_verdict, res_verdict, reopened, reused, recurring, eligible, reviewed,
       cost_mc, minutes, prev_resolved)`;

/** Business-time calendars of policy versions (immutable, so cached for good per process). */
export class CalendarCache {
  private readonly calendars = new Map<string, BusinessCalendar | null>();

  async refresh(c: PgClient): Promise<void> {
    const known = [...this.calendars.keys()];
    const { rows } = await c.query<{ id: string; calendar: CalendarDefinition | string }>(
      `select id, calendar from sla_policy_versions where not (id = any($1::uuid[]))`,
      [known],
    );
    for (const r of rows) {
      try {
        this.calendars.set(r.id, compileCalendar(typeof r.calendar === 'string' ? JSON.parse(r.calendar) : r.calendar));
      } catch {
        this.calendars.set(r.id, null); // an invalid snapshot: no business time for its incidents
      }
    }
  }

  alwaysIds(): string[] {
    return [...this.calendars].filter(([, cal]) => cal?.always).map(([id]) => id);
  }

  get(id: string): BusinessCalendar | null {
    return this.calendars.get(id) ?? null;
  }
}

export async function readFacts(c: PgClient, ids: string[]): Promise<Map<string, IncidentFact>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query<FactRow>(`select ${FACT_COLUMNS} from analytics.facts f where f.incident_id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.incident_id, toFact(r)]));
}

/**
 * Recomputes the facts of `ids` from the source tables (deleting those of deleted incidents) and
 * returns the new ones; business time is computed here for calendars other than 24x7.
 */
export async function upsertFacts(
  c: PgClient,
  ids: string[],
  calendars: CalendarCache,
  before: Map<string, IncidentFact>,
): Promise<Map<string, IncidentFact>> {
  if (!ids.length) return new Map();
  const { rows: gone } = await c.query<{ id: string }>(
    `delete from analytics.facts f
      where f.incident_id = any($1::uuid[]) and not exists (select 1 from incidents i where i.id = f.incident_id)
      returning f.incident_id as id`,
    [ids],
  );
  const { rows } = await c.query<FactRow>(UPSERT_FACTS, [calendars.alwaysIds(), ids]);
  const out = new Map<string, IncidentFact>();
  // Unchanged facts were not rewritten: they stay as they were.
  const deleted = new Set(gone.map((g) => g.id));
  for (const id of ids) {
    const f = before.get(id);
    if (f && !deleted.has(id)) out.set(id, { ...f });
  }
  const bizIds: string[] = [];
  const bizValues: number[] = [];
  for (const r of rows) {
    if (r.resolved_ms !== null && r.policy_version_id && r.biz_s === null) {
      const cal = calendars.get(r.policy_version_id);
      if (cal) {
        r.biz_s = businessMinutesBetween(cal, new Date(r.opened_ms), new Date(r.resolved_ms)) * 60;
        bizIds.push(r.incident_id);
        bizValues.push(r.biz_s);
      }
    }
    out.set(r.incident_id, toFact(r));
  }
  if (bizIds.length) {
    await c.query(
      `update analytics.facts f set biz_s = x.biz from unnest($1::uuid[], $2::float8[]) as x(id, biz) where f.incident_id = x.id`,
      [bizIds, bizValues],
    );
  }
  return out;
}

/**
 * Recomputes every fact set-wise (deleting the old ones first), then business time for incidents
 * whose calendar is not 24x7, in chunks. Returns the number of facts.
 */
export async function rebuildAllFacts(c: PgClient, calendars: CalendarCache): Promise<number> {
  await c.query(`delete from analytics.facts`);
  const r = await c.query(ALL_FACTS, [calendars.alwaysIds()]);
  const { rows } = await c.query<{ id: string; opened_ms: number; resolved_ms: number; version: string }>(
    `select f.incident_id as id, ${ms('f.opened_at')} as opened_ms, ${ms('f.resolved_at')} as resolved_ms, f.policy_version_id as version
       from analytics.facts f where f.resolved_at is not null and f.biz_s is null and f.policy_version_id is not null`,
  );
  const CHUNK = 20_000;
  for (let k = 0; k < rows.length; k += CHUNK) {
    const part = rows.slice(k, k + CHUNK).filter((x) => calendars.get(x.version));
    const biz = part.map((x) => businessMinutesBetween(calendars.get(x.version)!, new Date(x.opened_ms), new Date(x.resolved_ms)) * 60);
    await c.query(
      `update analytics.facts f set biz_s = x.biz from unnest($1::uuid[], $2::float8[]) as x(id, biz) where f.incident_id = x.id`,
      [part.map((x) => x.id), biz],
    );
  }
  await c.query(`analyze analytics.facts`);
  return r.rowCount ?? 0;
}

/**
 * Incidents whose "recurring" flag may change when `ids` change problem or openedAt: the first
 * incident of each touched problem, before (in the facts) and after (in the incidents).
 */
export async function recurrenceDependents(c: PgClient, problemIds: string[]): Promise<string[]> {
  if (!problemIds.length) return [];
  const { rows } = await c.query<{ id: string | null }>(
    `select incident_id as id from analytics.facts where problem_id = any($1::uuid[]) and problem_id is not null and not recurring
     union
     select (select i.id from incidents i where i.problem_id = p.id
               and i.opened_at = (select min(j.opened_at) from incidents j where j.problem_id = p.id) order by i.id limit 1)
       from unnest($1::uuid[]) as p(id)`,
    [problemIds],
  );
  return rows.map((r) => r.id).filter((id): id is string => id !== null);
}

/** The next incident on the same service in detection order, for each of `ids` (as the facts stand now). */
export async function successors(c: PgClient, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { rows } = await c.query<{ id: string }>(
    `select s.incident_id as id from analytics.facts f
      cross join lateral (select g.incident_id from analytics.facts g
        where g.service_id = f.service_id and (g.detect_at, g.opened_at, g.incident_id) > (f.detect_at, f.opened_at, f.incident_id)
        order by g.detect_at, g.opened_at, g.incident_id limit 1) s
      where f.incident_id = any($1::uuid[]) and f.service_id is not null`,
    [ids],
  );
  return rows.map((r) => r.id);
}

/**
 * Recomputes the MTBF gap of `ids` (resolution of the previous incident on the service to this
 * one's detection, 0 when they overlap, null without a resolved predecessor), stores changes and
 * returns every incident's gap.
 */
export async function refreshGaps(c: PgClient, ids: string[]): Promise<Map<string, number | null>> {
  if (!ids.length) return new Map();
  const { rows } = await c.query<{ id: string; gap: number | null }>(
    `select f.incident_id as id,
        case when p.resolved_at is null then null else greatest(0, extract(epoch from f.detect_at - p.resolved_at))::float8 end as gap
      from analytics.facts f
      left join lateral (select g.resolved_at from analytics.facts g
        where g.service_id = f.service_id and (g.detect_at, g.opened_at, g.incident_id) < (f.detect_at, f.opened_at, f.incident_id)
        order by g.detect_at desc, g.opened_at desc, g.incident_id desc limit 1) p on f.service_id is not null
      where f.incident_id = any($1::uuid[])`,
    [ids],
  );
  const gaps = new Map(rows.map((r) => [r.id, r.gap]));
  await c.query(
    `update analytics.facts f set gap_s = x.gap from unnest($1::uuid[], $2::float8[]) as x(id, gap)
      where f.incident_id = x.id and f.gap_s is distinct from x.gap`,
    [rows.map((r) => r.id), rows.map((r) => r.gap)],
  );
  return gaps;
}
