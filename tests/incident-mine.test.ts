import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createTeam, createUser, logIncident } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** "Assigned to me" and "my team" on the register and the work queue: the user comes from the session. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const LIST = `query($filter: IncidentFilter) { incidents(filter: $filter, first: 100) { totalCount nodes { id } } }`;
const QUEUE = `query($mine: Boolean, $team: Boolean) { workQueue(first: 200, assignedToMe: $mine, myTeam: $team) { id } }`;
const sorted = (xs: string[]) => [...xs].sort();

describe('assigned to me and my team', () => {
  it('match the signed-in user and their home team, in the register and the work queue, as the database says', async () => {
    const team = await createTeam(t);
    const other = await createTeam(t);
    const service = await createService(t, { ownerTeamId: team.id });
    const me = await createUser(t, { teamId: team.id });
    const colleague = await createUser(t, { teamId: team.id });
    const made = [
      await logIncident(t, { serviceId: service.id, assigneeId: me.id, teamId: team.id }),
      await logIncident(t, { serviceId: service.id, assigneeId: me.id, teamId: other.id }),
      await logIncident(t, { serviceId: service.id, assigneeId: colleague.id, teamId: team.id }),
      await logIncident(t, { serviceId: service.id, teamId: other.id }),
    ];
    const asMe = { 'x-actor-email': me.email };
    const expectMine = await t.sql<{ id: string }>(`select id from incidents where assignee_id = $1`, [me.id]);
    const expectTeam = await t.sql<{ id: string }>(`select id from incidents where team_id = $1`, [team.id]);
    expect(expectMine).toHaveLength(2);
    expect(expectTeam).toHaveLength(2);

    const mine = await t.gql<{ incidents: { totalCount: number; nodes: { id: string }[] } }>(
      LIST,
      { filter: { assignedToMe: true } },
      asMe,
    );
    expect(mine.errors).toBeUndefined();
    expect(sorted(mine.data!.incidents.nodes.map((n) => n.id))).toEqual(sorted(expectMine.map((r) => r.id)));
    expect(mine.data!.incidents.totalCount).toBe(2);

    const ours = await t.gql<{ incidents: { nodes: { id: string }[] } }>(LIST, { filter: { myTeam: true } }, asMe);
    expect(sorted(ours.data!.incidents.nodes.map((n) => n.id))).toEqual(sorted(expectTeam.map((r) => r.id)));

    const both = await t.gql<{ incidents: { nodes: { id: string }[] } }>(LIST, { filter: { myTeam: true, assignedToMe: true } }, asMe);
    expect(both.data!.incidents.nodes.map((n) => n.id)).toEqual([made[0]!.id]);

    // The colleague asking the same question gets their own answer: nothing is taken from the client.
    const theirs = await t.gql<{ incidents: { nodes: { id: string }[] } }>(
      LIST,
      { filter: { assignedToMe: true } },
      { 'x-actor-email': colleague.email },
    );
    expect(theirs.data!.incidents.nodes.map((n) => n.id)).toEqual([made[2]!.id]);

    const queue = await t.gql<{ workQueue: { id: string }[] }>(QUEUE, { mine: true }, asMe);
    expect(queue.errors).toBeUndefined();
    expect(sorted(queue.data!.workQueue.map((n) => n.id))).toEqual(sorted(expectMine.map((r) => r.id)));
    const teamQueue = await t.gql<{ workQueue: { id: string }[] }>(QUEUE, { team: true }, asMe);
    expect(sorted(teamQueue.data!.workQueue.map((n) => n.id))).toEqual(sorted(expectTeam.map((r) => r.id)));
  });

  it('my team matches nothing for a user without a home team (not the incidents without a team)', async () => {
    const loner = await createUser(t);
    await logIncident(t, {});
    const r = await t.gql<{ incidents: { totalCount: number } }>(LIST, { filter: { myTeam: true } }, { 'x-actor-email': loner.email });
    expect(r.errors).toBeUndefined();
    expect(r.data!.incidents.totalCount).toBe(0);
    const q = await t.gql<{ workQueue: { id: string }[] }>(QUEUE, { team: true }, { 'x-actor-email': loner.email });
    expect(q.data!.workQueue).toEqual([]);
  });

  it('costs one statement more than the plain page at most (the home team), not one per row', async () => {
    const team = await createTeam(t);
    const me = await createUser(t, { teamId: team.id });
    for (let i = 0; i < 12; i++) await logIncident(t, { assigneeId: me.id, teamId: team.id });
    const asMe = { 'x-actor-email': me.email };
    const plain = await t.gql(LIST, { filter: { teamId: [team.id] } }, asMe);
    const mine = await t.gql(LIST, { filter: { myTeam: true, assignedToMe: true } }, asMe);
    expect(mine.errors).toBeUndefined();
    expect(mine.extensions!.sqlStatements!).toBeLessThanOrEqual(plain.extensions!.sqlStatements! + 1);
  });
});
