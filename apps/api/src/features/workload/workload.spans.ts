// The workload's spans per incident, kept in analytics.workload_spans (decision 0009): who held
// it (the domain's holdingIntervals over its assignee and status events) and the time logged on
// it, recomputed in the same fold as the analytics facts (refresher, bulk rebuild, an import's own
// fold), so a workload request reads spans instead of replaying timelines. Holding is stored
// unclipped (the span still held has no end); the request clips it to its own time, which gives
// what holdingIntervals(events, now) gives, since clipping commutes with splitting at events.

import { holdingIntervals, type HoldingEvent } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { ms, NONE } from '../analytics/analytics.db';
import { isUuid } from '../../ids';

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

/** The time entries that count as logged effort, for the incidents of the uuid[] expression `ids`. */
export const loggedEntriesSql = (ids: string) => `select t.incident_id, t.user_id, ${ms('t.performed_at')} as at, t.minutes
  from time_entries t where t.incident_id = any(${ids}) and t.user_id is not null and t.minutes > 0`;

interface Span {
  incidentId: string;
  kind: 'H' | 'L';
  userId: string;
  from: number;
  /** Null: still held. */
  to: number | null;
}

/**
 * Every holding interval of every timeline, unclipped. An assignee that is not a user id (an
 * import's free text) can never match a person, so it is not stored: the request would drop it anyway.
 */
function heldSpans(timelines: Timelines, into: Span[]): void {
  for (const t of timelines.all())
    for (const h of holdingIntervals(t.events, Number.POSITIVE_INFINITY))
      if (isUuid(h.userId)) into.push({ incidentId: t.id, kind: 'H', userId: h.userId, from: h.from, to: nullIfOpen(h.to) });
}

const nullIfOpen = (to: number) => (Number.isFinite(to) ? to : null);

async function writeSpans(c: PgClient, rows: Span[]): Promise<void> {
  if (!rows.length) return;
  await c.query(
    `insert into analytics.workload_spans (incident_id, kind, user_id, from_ms, to_ms, opened_at)
     select x.i, x.k, x.u, x.f, x.t, i.opened_at
       from unnest($1::uuid[], $2::char[], $3::uuid[], $4::float8[], $5::float8[]) as x(i, k, u, f, t) join incidents i on i.id = x.i`,
    [rows.map((r) => r.incidentId), rows.map((r) => r.kind), rows.map((r) => r.userId), rows.map((r) => r.from), rows.map((r) => r.to)],
  );
}

/** The spans of `ids` from the source tables: holding from their events, logged time from their entries. */
async function spansOf(c: PgClient, ids: readonly string[]): Promise<Span[]> {
  const { rows: events } = await c.query<HoldingEventRow>(
    `select ${holdingEventColumns('i')} from incidents i ${holdingEventsJoin('i')} where i.id = any($1::uuid[])`,
    [ids],
  );
  const timelines = new Timelines();
  for (const r of events) timelines.add(r);
  const spans: Span[] = [];
  heldSpans(timelines, spans);
  const { rows: entries } = await c.query<{ incident_id: string; user_id: string; at: number; minutes: number }>(
    loggedEntriesSql('$1::uuid[]'),
    [ids],
  );
  for (const e of entries)
    spans.push({ incidentId: e.incident_id, kind: 'L', userId: e.user_id, from: e.at, to: e.at + e.minutes * 60_000 });
  return spans;
}

/** Recomputes the spans of `ids` (a deleted incident's go). The caller holds the refresh lock. */
export async function refreshSpans(c: PgClient, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  await c.query(`delete from analytics.workload_spans where incident_id = any($1::uuid[])`, [ids]);
  const rows = await spansOf(c, ids);
  await writeSpans(c, rows);
  return rows.length;
}

/** Every incident's spans again (bulk refresh), in chunks of incidents by id. Returns the spans written. */
export async function rebuildAllSpans(c: PgClient, chunk = 20_000): Promise<number> {
  await c.query(`delete from analytics.workload_spans`);
  let after = NONE;
  let written = 0;
  for (;;) {
    const { rows } = await c.query<{ id: string }>(`select id from incidents where id > $1 order by id limit ${chunk}`, [after]);
    if (!rows.length) break;
    const batch = await spansOf(
      c,
      rows.map((r) => r.id),
    );
    await writeSpans(c, batch);
    written += batch.length;
    after = rows[rows.length - 1]!.id;
  }
  await c.query(`analyze analytics.workload_spans`);
  return written;
}
