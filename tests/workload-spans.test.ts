import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingIntervals, type HoldingEvent } from '@ikb/domain';
import { drain, rebuildAll, refreshOnce } from '@ikb/api/src/features/analytics/analytics.rollups';
import { seedScale } from '@ikb/api/src/seed/scale-seed';
import { createService, createUser, logIncident, mutate } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { checkAgainstBruteForce } from './support/workload-check';

/**
 * analytics.workload_spans, the workload's per-incident fact (decision 0009): kept by the analytics
 * fold as holdingIntervals over each incident's events ('H') and its time entries ('L'), re-queued
 * by any assignee or status event (a reassignment or a hold changes no column the incident triggers
 * watch) and any change of an entry's person, start or minutes, and bypassed for incidents still
 * queued. The refresher is off: each test moves the queue itself.
 */

let t: TestApp;
const YEAR = { from: '2025-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z', timeZone: 'Europe/Berlin' };

type Stored = { incident_id: string; user_id: string; from_ms: number; to_ms: number | null };

/** Stored spans of one kind ('H' held by default), of `ids` or of every incident. */
async function stored(ids?: string[], kind: 'H' | 'L' = 'H'): Promise<Stored[]> {
  return t.sql<Stored>(
    `select incident_id, user_id, from_ms, to_ms from analytics.workload_spans
      where kind = $2 and ($1::uuid[] is null or incident_id = any($1::uuid[])) order by incident_id, from_ms, user_id, to_ms`,
    [ids ?? null, kind],
  );
}

/** Each time entry with a person and minutes, as a logged span. */
async function expectedLogged(): Promise<Stored[]> {
  return t.sql<Stored>(
    `select incident_id, user_id, (extract(epoch from date_trunc('milliseconds', performed_at)) * 1000)::float8 as from_ms,
            (extract(epoch from date_trunc('milliseconds', performed_at)) * 1000 + minutes * 60000)::float8 as to_ms
       from time_entries where user_id is not null and minutes > 0 order by incident_id, from_ms, user_id, to_ms`,
  );
}

const queued = async (id: string) =>
  (await t.sql<{ n: number }>(`select count(*)::int as n from analytics.queue where incident_id = $1`, [id]))[0]!.n;

/** Each incident's intervals as the domain computes them from the raw events, unclipped. */
async function expected(): Promise<Stored[]> {
  const incidents = await t.sql<{ id: string; ack: number | null }>(
    `select id, (extract(epoch from date_trunc('milliseconds', acknowledged_at)) * 1000)::float8 as ack from incidents order by id`,
  );
  const events = await t.sql<{ incident_id: string; at: number; after: Record<string, unknown> }>(
    `select incident_id, (extract(epoch from date_trunc('milliseconds', at)) * 1000)::float8 as at, after from incident_events
      where after ? 'assigneeId' or after ? 'status' order by incident_id, at, seq`,
  );
  const out: Stored[] = [];
  for (const i of incidents) {
    const evs: HoldingEvent[] = i.ack === null ? [] : [{ at: i.ack, kind: 'ACKNOWLEDGED' }];
    for (const e of events.filter((x) => x.incident_id === i.id)) {
      const ev: HoldingEvent = { at: e.at, kind: 'assigneeId' in e.after ? 'ASSIGNED' : 'STATUS' };
      if ('assigneeId' in e.after) ev.assigneeId = (e.after.assigneeId as string | null) ?? null;
      if (typeof e.after.status === 'string') ev.status = e.after.status;
      evs.push(ev);
    }
    for (const h of holdingIntervals(evs, Number.POSITIVE_INFINITY))
      out.push({ incident_id: i.id, user_id: h.userId, from_ms: h.from, to_ms: Number.isFinite(h.to) ? h.to : null });
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp({ analytics: { intervalMs: 0 } });
  await seedScale(t.app.orm.em, { incidents: 150, seed: 5 });
  await t.sql(`insert into time_entries (id, incident_id, user_id, activity, minutes, billable, rate_cents, performed_at)
    select gen_random_uuid(), i.id, u.id, 'diagnosis', 5 + (i.number % 300), false, 0, i.opened_at + (i.number % 50) * interval '1 hour'
      from incidents i, lateral (select u.id from users u order by md5(u.id::text || i.number::text) limit 1) u
     where i.number % 3 = 0`);
  await drain(t.app.orm.em);
}, 240_000);

afterAll(() => t?.close());

describe('the fold keeps who held each incident', () => {
  it('stores every incident’s intervals as the domain computes them, the one still held without an end', async () => {
    const rows = await stored();
    expect(rows.length).toBeGreaterThan(100);
    expect(rows).toEqual(await expected());
    expect(rows.some((r) => r.to_ms === null)).toBe(true);
    const logged = await stored(undefined, 'L');
    expect(logged.length).toBeGreaterThan(20);
    expect(logged).toEqual(await expectedLogged());
    expect(await t.sql(`select 1 from analytics.queue`)).toEqual([]);
  });

  it('a reassignment and a hold through the API queue the incident; the workload is right before and after the fold', async () => {
    const svc = await createService(t);
    const [ada, bob] = [await createUser(t), await createUser(t)];
    const inc = await logIncident(t, { serviceId: svc.id, assigneeId: ada.id, openedAt: '2026-11-02T06:00:00.000Z' });
    await mutate(t, `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { id } }`, {
      id: inc.id,
      at: '2026-11-02T07:00:00.000Z',
    });
    await drain(t.app.orm.em);
    expect((await stored([inc.id])).map((r) => r.user_id)).toEqual([ada.id]);
    const f = { ...YEAR, serviceIds: [svc.id] };

    await mutate(t, `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`, {
      id: inc.id,
      input: { assigneeId: bob.id },
    });
    expect(await queued(inc.id), 'the ASSIGNED event queued it').toBeGreaterThan(0);
    // Not folded yet: the stored rows still say Ada holds it; the workload replays the events.
    expect((await stored([inc.id])).map((r) => r.user_id)).toEqual([ada.id]);
    const before = await checkAgainstBruteForce(t, f);
    expect(before.w.people.map((p) => p.userId).sort()).toEqual([ada.id, bob.id].sort());

    await drain(t.app.orm.em);
    expect((await stored([inc.id])).map((r) => [r.user_id, r.to_ms === null])).toEqual([
      [ada.id, false],
      [bob.id, true],
    ]);
    await checkAgainstBruteForce(t, f);

    const move = (input: Record<string, unknown>) =>
      mutate(t, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`, {
        id: inc.id,
        input,
      });
    await move({ to: 'INVESTIGATING' });
    await move({ to: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' });
    expect(await queued(inc.id), 'the status event queued it').toBeGreaterThan(0);
    await checkAgainstBruteForce(t, f);
    await drain(t.app.orm.em);
    expect(
      (await stored([inc.id])).every((r) => r.to_ms !== null),
      'on hold: nobody holds it',
    ).toBe(true);
    await checkAgainstBruteForce(t, f);
  });

  it('a time entry added through the API, moved to another person and start, and deleted: queued each time, spans follow', async () => {
    const [inc] = await t.sql<{ id: string }>(`select id from incidents order by number desc limit 1`);
    const id = inc!.id;
    const [someone, other] = await t.sql<{ id: string }>(`select id from users order by id limit 2`);
    const check = async () => {
      expect(await queued(id), 'the change queued the incident').toBeGreaterThan(0);
      await checkAgainstBruteForce(t, YEAR);
      await drain(t.app.orm.em);
      expect(await stored([id], 'L')).toEqual((await expectedLogged()).filter((r) => r.incident_id === id));
      await checkAgainstBruteForce(t, YEAR);
    };
    const entry = await mutate<{ id: string }>(
      t,
      `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`,
      { id, input: { activity: 'diagnosis', minutes: 45, userId: someone!.id, performedAt: '2026-11-03T10:00:00.000Z' } },
    );
    await check();
    expect((await stored([id], 'L')).map((r) => r.user_id)).toContain(someone!.id);
    await t.sql(`update time_entries set user_id = $2, performed_at = performed_at + interval '2 hours' where id = $1`, [
      entry.id,
      other!.id,
    ]);
    await check();
    expect((await stored([id], 'L')).some((r) => r.user_id === other!.id && r.from_ms === Date.parse('2026-11-03T12:00:00Z'))).toBe(true);
    await t.sql(`delete from time_entries where id = $1`, [entry.id]);
    await check();
  });

  it('with part of the queue folded, stored and replayed incidents add up to the brute force', async () => {
    await t.sql(`insert into incident_events (id, incident_id, seq, at, recorded_at, actor_name, kind, summary, before, after)
      select gen_random_uuid(), i.id, 2000, i.acknowledged_at + interval '17 minutes', now(), 'test', 'ASSIGNED', 'test', null,
             jsonb_build_object('assigneeId', (select u.id from users u order by md5(u.id::text || i.id::text) limit 1))
        from incidents i where i.acknowledged_at is not null and i.number % 3 = 1`);
    const r = await refreshOnce(t.app.orm.em, { batch: 12, wait: true });
    expect(r!.taken).toBe(12);
    expect(r!.drained).toBe(false);
    const left = await t.sql<{ n: number }>(`select count(distinct incident_id)::int as n from analytics.queue`);
    expect(left[0]!.n).toBeGreaterThan(10);
    const { statements } = await checkAgainstBruteForce(t, YEAR);
    expect(statements).toBe(1);
    await drain(t.app.orm.em);
    expect(await stored()).toEqual(await expected());
  });

  it('a bulk rebuild makes the same rows; a deleted incident’s rows go', async () => {
    const before = await stored();
    const logged = await stored(undefined, 'L');
    await rebuildAll(t.app.orm.em);
    expect(await stored()).toEqual(before);
    expect(await stored(undefined, 'L')).toEqual(logged);
    const gone = randomUUID();
    await t.sql(
      `insert into analytics.workload_spans (incident_id, kind, user_id, from_ms, to_ms, opened_at) values ($1, 'H', $2, 0, null, now())`,
      [gone, randomUUID()],
    );
    await t.sql(`insert into analytics.queue (incident_id) values ($1)`, [gone]);
    await drain(t.app.orm.em);
    expect(await stored([gone])).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('an assignee that is no user id is not stored (no person could carry it)', async () => {
    const [inc] = await t.sql<{ id: string }>(`select id from incidents where acknowledged_at is not null order by number limit 1`);
    await t.sql(
      `insert into incident_events (id, incident_id, seq, at, recorded_at, actor_name, kind, summary, before, after)
       values (gen_random_uuid(), $1, 3000, '2026-12-01T00:00:00Z', now(), 'import', 'ASSIGNED', 'to a name', null,
               '{"assigneeId": "jane.doe", "status": "INVESTIGATING"}')`,
      [inc!.id],
    );
    await drain(t.app.orm.em);
    const rows = await stored([inc!.id]);
    expect(rows.every((r) => r.user_id !== 'jane.doe')).toBe(true);
    expect(rows).toEqual((await expected()).filter((r) => r.incident_id === inc!.id && r.user_id !== 'jane.doe'));
    await checkAgainstBruteForce(t, YEAR);
  });
});
