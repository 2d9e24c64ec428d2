import type { SlaTarget } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders, selectEntities } from '../../db/row-entity';
import { badInput } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import type { MineScope } from '../incidents/incident-mine';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';

const OPEN = `i.status in ${OPEN_STATUS_SQL}`;
const MAX = 200;

function checkFirst(first: number) {
  if (!Number.isInteger(first) || first < 1 || first > MAX) throw badInput('first', `must be between 1 and ${MAX}`);
}

async function incidentsByIds(em: EntityManager, ids: string[]): Promise<Incident[]> {
  if (!ids.length) return [];
  const rows = await selectEntities(em, Incident, `select * from incidents where id in (${placeholders(ids)})`, ids);
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id)!).filter(Boolean);
}

/**
 * At risk: open, with a running clock past the warning level. One definition for the list and its
 * count, so that a page showing both never disagrees (the overview once showed the list's length).
 */
function atRiskWhere(level: number, target: SlaTarget | undefined, now: Date): { sql: string; params: unknown[] } {
  if (![50, 75, 90].includes(level)) throw badInput('minWarningLevel', 'must be 50, 75 or 90');
  return {
    sql: `${OPEN} and c.state = 'RUNNING' and c.warn${level}_at <= ? ${target ? 'and c.target = ?' : ''}`,
    params: target ? [now, target] : [now],
  };
}

/** Breached: a clock with a BREACHED verdict or running past its due time (open incidents only by default). */
function breachedWhere(target: SlaTarget | undefined, openOnly: boolean, now: Date): { sql: string; params: unknown[] } {
  return {
    sql: `(c.verdict = 'BREACHED' or (c.state = 'RUNNING' and c.due_at <= ?)) ${target ? 'and c.target = ?' : ''}
        ${openOnly ? `and ${OPEN}` : ''}`,
    params: target ? [now, target] : [now],
  };
}

async function countIncidents(em: EntityManager, where: { sql: string; params: unknown[] }): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(distinct i.id) as n from incidents i join sla_clocks c on c.incident_id = i.id where ${where.sql}`,
    where.params,
  );
  return Number(row?.n ?? 0);
}

export const countIncidentsAtRisk = (em: EntityManager, level: number, target: SlaTarget | undefined, now = new Date()) =>
  countIncidents(em, atRiskWhere(level, target, now));

export const countBreachedIncidents = (em: EntityManager, target: SlaTarget | undefined, openOnly: boolean, now = new Date()) =>
  countIncidents(em, breachedWhere(target, openOnly, now));

/** Open incidents whose running clock has crossed the warning level, least time left first. */
export async function incidentsAtRisk(em: EntityManager, level: number, target: SlaTarget | undefined, first: number, now = new Date()) {
  checkFirst(first);
  const where = atRiskWhere(level, target, now);
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i join sla_clocks c on c.incident_id = i.id
      where ${where.sql}
      group by i.id order by min(c.due_at) asc, i.id limit ${first}`,
    where.params,
  );
  return incidentsByIds(
    em,
    rows.map((r) => r.id),
  );
}

/** Incidents with a breached clock (by default only open ones), most overdue first. */
export async function breachedIncidents(
  em: EntityManager,
  target: SlaTarget | undefined,
  openOnly: boolean,
  first: number,
  now = new Date(),
) {
  checkFirst(first);
  const where = breachedWhere(target, openOnly, now);
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i join sla_clocks c on c.incident_id = i.id
      where ${where.sql}
      group by i.id order by min(coalesce(c.breached_at, c.due_at)) asc, i.id limit ${first}`,
    where.params,
  );
  return incidentsByIds(
    em,
    rows.map((r) => r.id),
  );
}

/**
 * The queue's order as one ascending list of keys: priority; running clocks, then paused, then none; due time;
 * business minutes left; oldest first; id (nulls last throughout, as the list has always sorted).
 */
const queueKey = (i: string, c: string) =>
  `${i}.priority, case when ${c}.state = 'RUNNING' then 0 when ${c}.state is not null then 1 else 2 end,
    coalesce(${c}.due_at, 'infinity'::timestamptz), coalesce((${c}.target_minutes - ${c}.elapsed_minutes)::float8, 'infinity'::float8),
    ${i}.opened_at, ${i}.id`;

/**
 * The work queue: open incidents by priority, then by resolution time left (running clocks by due
 * time; paused clocks after them by business minutes left; then oldest first).
 */
export async function workQueue(
  em: EntityManager,
  opts: { first: number; offset: number; after?: string; teamId?: string; serviceId?: string; mine?: MineScope },
) {
  checkFirst(opts.first);
  if (!Number.isInteger(opts.offset) || opts.offset < 0 || opts.offset > 100_000) throw badInput('offset', 'must be between 0 and 100000');
  const params: unknown[] = [];
  let where = OPEN;
  if (opts.teamId) {
    where += ' and i.team_id = ?';
    params.push(opts.teamId);
  }
  if (opts.serviceId) {
    where += ' and i.service_id = ?';
    params.push(opts.serviceId);
  }
  if (opts.mine?.assigneeId) {
    where += ' and i.assignee_id = ?';
    params.push(opts.mine.assigneeId);
  }
  if (opts.mine?.myTeam) {
    where += opts.mine.myTeam.teamId ? ' and i.team_id = ?' : ' and false';
    if (opts.mine.myTeam.teamId) params.push(opts.mine.myTeam.teamId);
  }
  if (opts.after) {
    // Keyset: the rows after the named incident's place in this order (for reading the whole queue).
    where += ` and (${queueKey('i', 'c')}) > (select ${queueKey('a', 'ac')} from incidents a
      left join sla_clocks ac on ac.incident_id = a.id and ac.target = 'RESOLUTION' where a.id = ?)`;
    params.push(opts.after);
  }
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i left join sla_clocks c on c.incident_id = i.id and c.target = 'RESOLUTION'
      where ${where}
      order by ${queueKey('i', 'c')}
      limit ${opts.first} offset ${opts.offset}`,
    params,
  );
  return incidentsByIds(
    em,
    rows.map((r) => r.id),
  );
}
