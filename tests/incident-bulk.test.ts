import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGqlError } from './support/assertions';
import { createTeam, createUser, incidentIn, logIncident } from './support/factories';
import { createReview } from './support/review-factories';
import { startTestApp, type TestApp } from './support/test-app';

/** bulkUpdateIncidents: one change to many incidents, all or nothing, each refusal in plain words. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const BULK = `mutation($input: BulkIncidentInput!) {
  bulkUpdateIncidents(input: $input) {
    applied incidents { id status assignee { id } team { id } } errors { incidentId number code message }
  }
}`;
interface Bulk {
  applied: number;
  incidents: { id: string; status: string; assignee: { id: string } | null; team: { id: string } | null }[];
  errors: { incidentId: string; number: string | null; code: string; message: string }[];
}
const bulk = (input: Record<string, unknown>, headers?: Record<string, string>) =>
  t.gql<{ bulkUpdateIncidents: Bulk }>(BULK, { input }, headers);

/** What a refused batch must not have changed: the rows and their timelines. */
async function state(ids: string[]) {
  return t.sql(
    `select i.id, i.status, i.assignee_id, i.team_id, i.updated_at,
        (select count(*) from incident_events e where e.incident_id = i.id) as events
       from incidents i where i.id = any($1::uuid[]) order by i.id`,
    [ids],
  );
}

describe('bulk changes to incidents', () => {
  it('assigns every incident of the batch, with a timeline event each', async () => {
    const team = await createTeam(t);
    const user = await createUser(t, { teamId: team.id });
    const made = [await logIncident(t), await incidentIn(t, 'INVESTIGATING'), await incidentIn(t, 'ON_HOLD')];
    const ids = made.map((m) => m.id);
    const r = await bulk({ incidentIds: ids, assign: { assigneeId: user.id, teamId: team.id } });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data!.bulkUpdateIncidents).toMatchObject({ applied: 3, errors: [] });
    expect(r.data!.bulkUpdateIncidents.incidents.map((i) => i.id)).toEqual(ids);
    const rows = await t.sql<{ assignee_id: string; team_id: string }>(
      `select assignee_id, team_id from incidents where id = any($1::uuid[])`,
      [ids],
    );
    expect(rows.every((row) => row.assignee_id === user.id && row.team_id === team.id)).toBe(true);
    const events = await t.sql<{ n: string }>(
      `select count(*) as n from incident_events where incident_id = any($1::uuid[]) and kind = 'ASSIGNED'`,
      [ids],
    );
    expect(Number(events[0]!.n)).toBe(3);
  });

  it('changes nothing when one row is refused, and says why for each refused row', async () => {
    const user = await createUser(t);
    const open = await logIncident(t);
    const closed = await incidentIn(t, 'CLOSED');
    const reviewed = await incidentIn(t, 'REVIEWED');
    const ids = [open.id, closed.id, reviewed.id];
    const before = await state(ids);
    const r = await bulk({ incidentIds: ids, assign: { assigneeId: user.id } });
    expect(r.errors).toBeUndefined();
    const out = r.data!.bulkUpdateIncidents;
    expect(out.applied).toBe(0);
    expect(out.incidents).toEqual([]);
    expect(out.errors.map((e) => e.incidentId)).toEqual([closed.id, reviewed.id]);
    expect(out.errors[0]!.number).toBe(closed.number);
    expect(out.errors[0]!.message.startsWith(`${closed.number} `)).toBe(true);
    expect(out.errors[0]!.message).toMatch(/closed/i);
    expect(out.errors[0]!.code).toBe('INCIDENT_READ_ONLY');
    console.log(`[bulk] refusal as the user reads it: ${out.errors.map((e) => e.message).join(' | ')}`);
    // The open incident was not assigned either: all or nothing.
    expect(await state(ids)).toEqual(before);
  });

  it('applies only legal transitions: an illegal one refuses the batch with the lifecycle rule', async () => {
    const a = await incidentIn(t, 'INVESTIGATING');
    const b = await incidentIn(t, 'TRIAGED');
    const c = await incidentIn(t, 'RESOLVED');
    const ids = [a.id, b.id, c.id];
    const before = await state(ids);
    const refused = (await bulk({ incidentIds: ids, transition: { to: 'ON_HOLD', holdReason: 'AWAITING_USER' } })).data!
      .bulkUpdateIncidents;
    expect(refused.applied).toBe(0);
    expect(refused.errors.map((e) => e.number)).toEqual([c.number]);
    expect(refused.errors[0]!.code).toBe('ILLEGAL_TRANSITION');
    expect(await state(ids)).toEqual(before);

    const ok = (await bulk({ incidentIds: [a.id, b.id], transition: { to: 'ON_HOLD', holdReason: 'AWAITING_USER' } })).data!
      .bulkUpdateIncidents;
    expect(ok.applied).toBe(2);
    const rows = await t.sql<{ status: string; hold_reason: string }>(
      `select status, hold_reason from incidents where id = any($1::uuid[])`,
      [[a.id, b.id]],
    );
    expect(rows).toEqual([
      { status: 'ON_HOLD', hold_reason: 'AWAITING_USER' },
      { status: 'ON_HOLD', hold_reason: 'AWAITING_USER' },
    ]);
  });

  it('acknowledges every incident of the batch; one already acknowledged refuses the batch', async () => {
    const fresh = [await logIncident(t), await logIncident(t)];
    const acked = await logIncident(t);
    await t.gql(`mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`, { id: acked.id });
    const ids = [...fresh.map((i) => i.id), acked.id];
    const before = await state(ids);
    const refused = (await bulk({ incidentIds: ids, acknowledge: true })).data!.bulkUpdateIncidents;
    expect(refused.errors.map((e) => [e.number, e.code])).toEqual([[acked.number, 'ALREADY_ACKNOWLEDGED']]);
    expect(refused.errors[0]!.message).toMatch(new RegExp(`^${acked.number} was already acknowledged`));
    expect(await state(ids)).toEqual(before);
    const ok = (await bulk({ incidentIds: fresh.map((i) => i.id), acknowledge: true })).data!.bulkUpdateIncidents;
    expect(ok.applied).toBe(2);
    const rows = await t.sql<{ n: string }>(
      `select count(*) as n from incidents where id = any($1::uuid[]) and acknowledged_at is not null`,
      [fresh.map((i) => i.id)],
    );
    expect(Number(rows[0]!.n)).toBe(2);
    expectGqlError(await bulk({ incidentIds: [acked.id], acknowledge: false }), 'BAD_USER_INPUT', 'acknowledge');
  });

  it('adds incidents to a review; an unknown incident refuses the batch', async () => {
    const first = await incidentIn(t, 'RESOLVED');
    const review = await createReview(t, { incidentIds: [first.id] });
    const more = [await incidentIn(t, 'RESOLVED'), await incidentIn(t, 'CLOSED')];
    const ghost = randomUUID();
    const refused = (await bulk({ incidentIds: [more[0]!.id, ghost], addToReviewId: review.id })).data!.bulkUpdateIncidents;
    expect(refused.applied).toBe(0);
    expect(refused.errors).toEqual([{ incidentId: ghost, number: null, code: 'NOT_FOUND', message: `${ghost}: no incident has this id` }]);
    const count = async () =>
      Number((await t.sql<{ n: string }>(`select count(*) as n from review_incidents where review_id = $1`, [review.id]))[0]!.n);
    expect(await count()).toBe(1);
    const ok = (await bulk({ incidentIds: more.map((m) => m.id), addToReviewId: review.id })).data!.bulkUpdateIncidents;
    expect(ok).toMatchObject({ applied: 2, errors: [] });
    expect(await count()).toBe(3);
  });

  it('refuses malformed batches at the edge, naming the field', async () => {
    const one = await logIncident(t);
    expectGqlError(await bulk({ incidentIds: [], assign: { teamId: null } }), 'BAD_USER_INPUT', 'incidentIds');
    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    expectGqlError(await bulk({ incidentIds: tooMany, assign: { teamId: null } }), 'BAD_USER_INPUT', 'incidentIds');
    expectGqlError(await bulk({ incidentIds: [one.id, one.id], assign: { teamId: null } }), 'BAD_USER_INPUT', 'incidentIds');
    expectGqlError(await bulk({ incidentIds: ["1' or '1'='1"], assign: { teamId: null } }), 'BAD_USER_INPUT', 'incidentIds');
    expectGqlError(await bulk({ incidentIds: [one.id] }), 'BAD_USER_INPUT', 'input');
    expectGqlError(
      await bulk({ incidentIds: [one.id], assign: { teamId: null }, transition: { to: 'CLOSED' } }),
      'BAD_USER_INPUT',
      'input',
    );
    expectGqlError(await bulk({ incidentIds: [one.id], assign: { assigneeId: 'nope' } }), 'BAD_USER_INPUT', 'assign.assigneeId');
    expectGqlError(await bulk({ incidentIds: [one.id], transition: { to: 'NOPE' } }), 'BAD_USER_INPUT');
  });

  it('follows the roles: a viewer may not bulk-change; an engineer may not add to a review', async () => {
    const one = await logIncident(t);
    const viewer = await t.tokenForRole('VIEWER');
    expectGqlError(
      await bulk({ incidentIds: [one.id], assign: { teamId: null } }, { authorization: `Bearer ${viewer.token}` }),
      'FORBIDDEN',
    );
    const engineer = await t.tokenForRole('ENGINEER');
    const resolved = await incidentIn(t, 'RESOLVED');
    const review = await createReview(t, { incidentIds: [resolved.id] });
    expectGqlError(
      await bulk({ incidentIds: [one.id], addToReviewId: review.id }, { authorization: `Bearer ${engineer.token}` }),
      'FORBIDDEN',
    );
  });
});
