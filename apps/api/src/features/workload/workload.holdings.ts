// Who held each incident, kept per incident in analytics.holdings (decision 0009): the domain's
// holdingIntervals over the incident's assignee and status events, recomputed in the same fold as
// the analytics facts (refresher, bulk rebuild, an import's own fold), so a workload request reads
// intervals instead of replaying timelines. Intervals are stored unclipped (the one still held has
// no end); the request clips them to its own time, which gives what holdingIntervals(events, now)
// gives, since clipping commutes with splitting at events.

import { holdingIntervals, type HoldingEvent, type HoldingInterval } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { ms, NONE } from '../analytics/analytics.db';

/**
 * The events that decide holding, for the incident row `f` (with id, opened_at, acknowledged_at):
 * a lateral probe of incident_events_holding_idx per incident (offset 0 keeps it a probe; left to
 * itself the planner hashed all 3.9M events of 1M incidents for a month's 41k: 5.1 s against 0.4 s).
 */
export const holdingEventColumns = (f: string) => `${f}.id, ${ms(`${f}.opened_at`)} as opened, ${ms(`${f}.acknowledged_at`)} as ack,
  ${ms('e.at')} as at, e.after ->> 'assigneeId' as a, coalesce(e.after ? 'assigneeId', false) as has_a, e.after ->> 'status' as s, e.seq`;
export const holdingEventsJoin = (f: string) => `left join lateral (
    select e.at, e.after, e.seq from incident_events e
     where e.incident_id = ${f}.id and (e.after ? 'assigneeId' or e.after ? 'status') offset 0
  ) e on true`;

/** One row of holdingEventColumns: an incident with one of its events, or with none (at null). */
export interface HoldingEventRow {
  id: string;
  opened: number;
  ack: number | null;
  at: number | null;
  a: string | null;
  has_a: boolean | null;
  s: string | null;
  seq: number | null;
}

export interface IncidentTimeline {
  id: string;
  opened: number;
  events: HoldingEvent[];
}

/** Gathers rows (in any order) into each incident's timeline, ordered by time and sequence. */
export class Timelines {
  private readonly byId = new Map<string, IncidentTimeline & { seqs: number[] }>();

  add(r: HoldingEventRow): void {
    // The acknowledgement is the incident's acknowledgedAt (an import may carry one without an
    // event), first among events at the same instant.
    let cur = this.byId.get(r.id);
    if (!cur) {
      cur = { id: r.id, opened: r.opened, events: [], seqs: [] };
      if (r.ack !== null) {
        cur.events.push({ at: r.ack, kind: 'ACKNOWLEDGED' });
        cur.seqs.push(-1);
      }
      this.byId.set(r.id, cur);
    }
    if (r.at === null) return;
    const e: HoldingEvent = { at: r.at, kind: r.has_a ? 'ASSIGNED' : 'STATUS' };
    if (r.has_a) e.assigneeId = r.a;
    if (r.s) e.status = r.s;
    cur.events.push(e);
    cur.seqs.push(r.seq!);
  }

  get size(): number {
    return this.byId.size;
  }

  *incidents(): Generator<{ id: string; opened: number }> {
    for (const t of this.byId.values()) yield { id: t.id, opened: t.opened };
  }

  /** Ordering here, not in SQL: an "order by" cost 0.8 s of 2.5 s for a month at 1M. */
  *all(): Generator<IncidentTimeline> {
    for (const t of this.byId.values()) {
      const order = t.events.map((_, i) => i).sort((i, j) => t.events[i]!.at - t.events[j]!.at || t.seqs[i]! - t.seqs[j]!);
      yield { id: t.id, opened: t.opened, events: order.map((i) => t.events[i]!) };
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every interval of every timeline, unclipped. An assignee that is not a user id (an import's
 * free text) can never match a person, so it is not stored: the request would drop it anyway.
 */
function intervalsOf(timelines: Timelines): { incidentId: string; h: HoldingInterval }[] {
  const out: { incidentId: string; h: HoldingInterval }[] = [];
  for (const t of timelines.all())
    for (const h of holdingIntervals(t.events, Number.POSITIVE_INFINITY)) if (UUID.test(h.userId)) out.push({ incidentId: t.id, h });
  return out;
}

async function writeIntervals(c: PgClient, rows: { incidentId: string; h: HoldingInterval }[]): Promise<void> {
  if (!rows.length) return;
  await c.query(
    `insert into analytics.holdings (incident_id, from_at, user_id, to_at, opened_at)
     select x.i, to_timestamp(x.f / 1000), x.u, to_timestamp(x.t / 1000), i.opened_at
       from unnest($1::uuid[], $2::float8[], $3::uuid[], $4::float8[]) as x(i, f, u, t) join incidents i on i.id = x.i`,
    [rows.map((r) => r.incidentId), rows.map((r) => r.h.from), rows.map((r) => r.h.userId), rows.map((r) => nullIfOpen(r.h.to))],
  );
}

const nullIfOpen = (to: number) => (Number.isFinite(to) ? to : null);

async function readTimelines(c: PgClient, ids: readonly string[]): Promise<Timelines> {
  const { rows } = await c.query<HoldingEventRow>(
    `select ${holdingEventColumns('i')} from incidents i ${holdingEventsJoin('i')} where i.id = any($1::uuid[])`,
    [ids],
  );
  const timelines = new Timelines();
  for (const r of rows) timelines.add(r);
  return timelines;
}

/** Recomputes the holdings of `ids` (a deleted incident's go). The caller holds the refresh lock. */
export async function refreshHoldings(c: PgClient, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  await c.query(`delete from analytics.holdings where incident_id = any($1::uuid[])`, [ids]);
  const rows = intervalsOf(await readTimelines(c, ids));
  await writeIntervals(c, rows);
  return rows.length;
}

/** Every incident's holdings again (bulk refresh), in chunks of incidents by id. Returns the intervals written. */
export async function rebuildAllHoldings(c: PgClient, chunk = 20_000): Promise<number> {
  await c.query(`delete from analytics.holdings`);
  let after = NONE;
  let written = 0;
  for (;;) {
    const { rows } = await c.query<{ id: string }>(`select id from incidents where id > $1 order by id limit ${chunk}`, [after]);
    if (!rows.length) break;
    const batch = intervalsOf(
      await readTimelines(
        c,
        rows.map((r) => r.id),
      ),
    );
    await writeIntervals(c, batch);
    written += batch.length;
    after = rows[rows.length - 1]!.id;
  }
  await c.query(`analyze analytics.holdings`);
  return written;
}
