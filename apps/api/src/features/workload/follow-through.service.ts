// Review follow-through (metric follow-through): action items of the reviews that cover incidents
// of a filter, by owner and the owner's home team. One statement after the filter: every item with
// its owner, review and, once done, the incidents of its problem opened since.

import { dayToIso, isoToDay, localDay, ratio } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { ms, withClient } from '../analytics/analytics.db';
import { normalizeFilter, type RawFilter } from '../analytics/analytics.query';
import { incidentConditions } from '../analytics/analytics.service';
import { FollowThrough, FollowThroughFigures, OverdueActionItem, OwnerFollowThrough, TeamFollowThrough } from './follow-through.types';

export const MAX_OWNERS = 500;
export const MAX_OVERDUE = 200;

export interface ItemRow {
  id: string;
  title: string;
  status: string;
  due_date: string;
  done_ms: number | null;
  owner_id: string;
  owner_name: string;
  team_id: string | null;
  team_name: string | null;
  review_id: string;
  review_number: number;
  review_title: string;
  recurrences: number;
}

export async function loadItems(source: ConnectionSource, raw: RawFilter) {
  const f = await normalizeFilter(source, raw);
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  const rows = await withClient(
    source,
    async (c) =>
      (
        await c.query<ItemRow>(
          `select a.id, a.title, a.status, a.due_date::text as due_date, ${ms('a.done_at')} as done_ms,
                  a.owner_id, u.name as owner_name, u.team_id, t.name as team_name,
                  r.id as review_id, r.number as review_number, r.title as review_title,
                  case when a.status = 'DONE' and coalesce(a.problem_id, r.problem_id) is not null then
                    (select count(*) from incidents x where x.problem_id = coalesce(a.problem_id, r.problem_id)
                        and x.opened_at > a.done_at)::int
                  else 0 end as recurrences
             from action_items a join reviews r on r.id = a.review_id
             join users u on u.id = a.owner_id left join teams t on t.id = u.team_id
            where exists (select 1 from review_incidents ri join incidents i on i.id = ri.incident_id
                           left join categories c on c.id = i.category_id
                           where ri.review_id = a.review_id and ${where})`,
          params,
        )
      ).rows,
  );
  return { f, rows };
}

interface Counts {
  total: number;
  open: number;
  overdue: number;
  done: number;
  doneOnTime: number;
  wontDo: number;
  recurrencesAfterDone: number;
}

const zero = (): Counts => ({ total: 0, open: 0, overdue: 0, done: 0, doneOnTime: 0, wontDo: 0, recurrencesAfterDone: 0 });

export function countItem(c: Counts, r: ItemRow, today: string, zone: string) {
  c.total += 1;
  if (r.status === 'DONE') {
    c.done += 1;
    if (r.done_ms !== null && dayToIso(localDay(r.done_ms, zone)) <= r.due_date) c.doneOnTime += 1;
    c.recurrencesAfterDone += r.recurrences;
  } else if (r.status === 'WONT_DO') c.wontDo += 1;
  else {
    c.open += 1;
    if (r.due_date < today) c.overdue += 1;
  }
}

function figures(c: Counts): FollowThroughFigures {
  return Object.assign(new FollowThroughFigures(), { ...c, doneLate: c.done - c.doneOnTime, onTimeRatio: ratio(c.doneOnTime, c.done) });
}

export async function followThroughFor(source: ConnectionSource, raw: RawFilter, now = new Date()): Promise<FollowThrough> {
  const { f, rows } = await loadItems(source, raw);
  const todayDay = localDay(now.getTime(), f.zone);
  const today = dayToIso(todayDay);
  const total = zero();
  const owners = new Map<string, { c: Counts; row: ItemRow }>();
  const teams = new Map<string | null, { c: Counts; name: string; owners: Set<string> }>();
  const overdue: OverdueActionItem[] = [];
  for (const r of rows) {
    countItem(total, r, today, f.zone);
    let o = owners.get(r.owner_id);
    if (!o) owners.set(r.owner_id, (o = { c: zero(), row: r }));
    countItem(o.c, r, today, f.zone);
    let t = teams.get(r.team_id);
    if (!t) teams.set(r.team_id, (t = { c: zero(), name: r.team_id ? (r.team_name ?? '(deleted)') : '(none)', owners: new Set() }));
    countItem(t.c, r, today, f.zone);
    t.owners.add(r.owner_id);
    if ((r.status === 'OPEN' || r.status === 'IN_PROGRESS') && r.due_date < today) {
      overdue.push(
        Object.assign(new OverdueActionItem(), {
          id: r.id,
          title: r.title,
          dueDate: r.due_date,
          daysOverdue: todayDay - isoToDay(r.due_date),
          ownerId: r.owner_id,
          ownerName: r.owner_name,
          reviewId: r.review_id,
          reviewNumber: r.review_number,
          reviewTitle: r.review_title,
        }),
      );
    }
  }
  const ownerRows = [...owners.values()].map(({ c, row }) =>
    Object.assign(new OwnerFollowThrough(), figures(c), {
      ownerId: row.owner_id,
      name: row.owner_name,
      teamId: row.team_id,
      teamName: row.team_id ? (row.team_name ?? '(deleted)') : '(none)',
    }),
  );
  ownerRows.sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.name.localeCompare(b.name) || (a.ownerId < b.ownerId ? -1 : 1));
  const teamRows = [...teams].map(([teamId, t]) =>
    Object.assign(new TeamFollowThrough(), figures(t.c), { teamId, name: t.name, owners: t.owners.size }),
  );
  teamRows.sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.name.localeCompare(b.name));
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.id < b.id ? -1 : 1));
  return Object.assign(new FollowThrough(), {
    metricId: 'follow-through',
    from: new Date(f.from),
    to: new Date(f.to),
    timeZone: f.zone,
    evaluatedAt: now,
    today,
    totals: figures(total),
    ownerCount: ownerRows.length,
    owners: ownerRows.slice(0, MAX_OWNERS),
    teams: teamRows,
    overdueCount: overdue.length,
    overdueItems: overdue.slice(0, MAX_OVERDUE),
  });
}
