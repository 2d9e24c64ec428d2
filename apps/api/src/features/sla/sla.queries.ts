import type { SlaTarget } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders, selectEntities } from '../../db/row-entity';
import { badInput } from '../../errors';
import { Incident } from '../incidents/incident.entity';
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

/** Open incidents whose running clock has crossed the warning level, least time left first. */
export async function incidentsAtRisk(em: EntityManager, level: number, target: SlaTarget | undefined, first: number, now = new Date()) {
  checkFirst(first);
  if (![50, 75, 90].includes(level)) throw badInput('minWarningLevel', 'must be 50, 75 or 90');
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i join sla_clocks c on c.incident_id = i.id
      where ${OPEN} and c.state = 'RUNNING' and c.warn${level}_at <= ? ${target ? 'and c.target = ?' : ''}
      group by i.id order by min(c.due_at) asc, i.id limit ${first}`,
    target ? [now, target] : [now],
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
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i join sla_clocks c on c.incident_id = i.id
      where (c.verdict = 'BREACHED' or (c.state = 'RUNNING' and c.due_at <= ?)) ${target ? 'and c.target = ?' : ''}
        ${openOnly ? `and ${OPEN}` : ''}
      group by i.id order by min(coalesce(c.breached_at, c.due_at)) asc, i.id limit ${first}`,
    target ? [now, target] : [now],
  );
  return incidentsByIds(
    em,
    rows.map((r) => r.id),
  );
}

/**
 * The work queue: open incidents by priority, then by resolution time left (running clocks by due
 * time; paused clocks after them by business minutes left; then oldest first).
 */
export async function workQueue(em: EntityManager, opts: { first: number; offset: number; teamId?: string; serviceId?: string }) {
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
  const rows = await em.execute<{ id: string }[]>(
    `select i.id from incidents i left join sla_clocks c on c.incident_id = i.id and c.target = 'RESOLUTION'
      where ${where}
      order by i.priority asc, (c.state = 'RUNNING') desc nulls last, c.due_at asc nulls last,
        (c.target_minutes - c.elapsed_minutes) asc nulls last, i.opened_at asc, i.id
      limit ${opts.first} offset ${opts.offset}`,
    params,
  );
  return incidentsByIds(
    em,
    rows.map((r) => r.id),
  );
}
