import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGqlError } from './support/assertions';
import { createTeam, createUser } from './support/factories';
import { createProblem, ROOT_CAUSE, transitionProblem } from './support/knowledge-factories';
import { startTestApp, type TestApp } from './support/test-app';

/** bulkUpdateProblems: owner / team or a status move for many problems, all or nothing, each refusal in plain words. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const BULK = `mutation($input: BulkProblemInput!) {
  bulkUpdateProblems(input: $input) {
    applied problems { id status owner { id } team { id name } } errors { problemId number code message }
  }
}`;
interface Bulk {
  applied: number;
  problems: { id: string; status: string; owner: { id: string } | null; team: { id: string; name: string } | null }[];
  errors: { problemId: string; number: string | null; code: string; message: string }[];
}
const bulk = (input: Record<string, unknown>, headers?: Record<string, string>) =>
  t.gql<{ bulkUpdateProblems: Bulk }>(BULK, { input }, headers);

/** What a refused batch must not have changed: the rows and their timelines. */
async function state(ids: string[]) {
  return t.sql(
    `select p.id, p.status, p.owner_id, p.team_id, p.updated_at, p.version,
        (select count(*) from problem_events e where e.problem_id = p.id) as events
       from problems p where p.id = any($1::uuid[]) order by p.id`,
    [ids],
  );
}

const documented = () => createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE' });

describe('bulk changes to problems', () => {
  it('sets owner and team of every problem, with an UPDATED event each as updateProblem writes it', async () => {
    const team = await createTeam(t, { name: `Team Payments ${randomUUID().slice(0, 6)}` });
    const owner = await createUser(t, { teamId: team.id });
    const made = [await createProblem(t), await documented(), await createProblem(t)];
    const ids = made.map((p) => p.id);
    const r = await bulk({ problemIds: ids, assign: { ownerId: owner.id, teamId: team.id } });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const out = r.data!.bulkUpdateProblems;
    expect(out).toMatchObject({ applied: 3, errors: [] });
    expect(out.problems.map((p) => p.id)).toEqual(ids);
    expect(out.problems.every((p) => p.owner?.id === owner.id && p.team?.name === team.name)).toBe(true);
    const events = await t.sql<{ kind: string; summary: string; after: Record<string, unknown> }>(
      `select kind, summary, after from problem_events where problem_id = any($1::uuid[]) and kind = 'UPDATED'`,
      [ids],
    );
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({ kind: 'UPDATED', summary: 'Updated owner and team', after: { ownerId: owner.id, teamId: team.id } });

    // A field left out keeps what each has; null clears it.
    const cleared = (await bulk({ problemIds: ids, assign: { teamId: null } })).data!.bulkUpdateProblems;
    expect(cleared.problems.every((p) => p.owner?.id === owner.id && p.team === null)).toBe(true);
  });

  it('moves the status where legal; one illegal row refuses the batch, naming it in plain words', async () => {
    const a = await documented();
    const b = await documented();
    const undocumented = await createProblem(t);
    const closed = await createProblem(t);
    await transitionProblem(t, closed.id, 'CLOSED');
    const ids = [a.id, undocumented.id, b.id, closed.id];
    const before = await state(ids);
    const refused = (await bulk({ problemIds: ids, transition: { to: 'KNOWN_ERROR' } })).data!.bulkUpdateProblems;
    expect(refused.applied).toBe(0);
    expect(refused.problems).toEqual([]);
    expect(refused.errors.map((e) => e.problemId)).toEqual([undocumented.id, closed.id]);
    expect(refused.errors[0]).toMatchObject({ number: undocumented.number, code: 'BAD_USER_INPUT' });
    expect(refused.errors[0]!.message).toBe(
      `${undocumented.number}: a problem becomes known error only with a documented root cause (at least 10 characters)`,
    );
    expect(refused.errors[1]).toMatchObject({ number: closed.number, code: 'ILLEGAL_TRANSITION' });
    expect(refused.errors[1]!.message).toBe(
      `${closed.number}: cannot move a problem from Closed to Known error; from Closed the status can move to Open`,
    );
    console.log(`[bulk problems] refusal as the user reads it: ${refused.errors.map((e) => e.message).join(' | ')}`);
    expect(await state(ids)).toEqual(before);

    const ok = (await bulk({ problemIds: [a.id, b.id], transition: { to: 'KNOWN_ERROR', note: 'Found in the postmortem' } })).data!
      .bulkUpdateProblems;
    expect(ok.applied).toBe(2);
    const rows = await t.sql<{ status: string; known: boolean; summary: string }>(
      `select p.status, p.known_error_at is not null as known, e.summary from problems p
         join problem_events e on e.problem_id = p.id and e.kind = 'STATUS_CHANGED' where p.id = any($1::uuid[])`,
      [[a.id, b.id]],
    );
    expect(rows).toEqual([
      { status: 'KNOWN_ERROR', known: true, summary: 'OPEN -> KNOWN_ERROR: Found in the postmortem' },
      { status: 'KNOWN_ERROR', known: true, summary: 'OPEN -> KNOWN_ERROR: Found in the postmortem' },
    ]);
  });

  it('runs in a number of statements that does not grow with the number of problems', async () => {
    const team = await createTeam(t);
    const count = async (n: number) => {
      const ids: string[] = [];
      for (let k = 0; k < n; k++) ids.push((await createProblem(t)).id);
      const r = await bulk({ problemIds: ids, assign: { teamId: team.id } });
      expect(r.data!.bulkUpdateProblems.applied).toBe(n);
      return r.extensions?.sqlStatements ?? NaN;
    };
    const small = await count(2);
    const large = await count(30);
    console.log(`[n+1] SQL statements per bulkUpdateProblems: 2 rows ${small}, 30 rows ${large}`);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThanOrEqual(small + 2);
  });

  it('refuses unknown ids and unknown owners or teams without writing anything', async () => {
    const p = await createProblem(t);
    const ghost = randomUUID();
    const before = await state([p.id]);
    const refused = (await bulk({ problemIds: [p.id, ghost], assign: { teamId: null } })).data!.bulkUpdateProblems;
    expect(refused.errors).toEqual([{ problemId: ghost, number: null, code: 'NOT_FOUND', message: `${ghost}: no problem has this id` }]);
    expectGqlError(await bulk({ problemIds: [p.id], assign: { teamId: randomUUID() } }), 'NOT_FOUND', 'teamId');
    expectGqlError(await bulk({ problemIds: [p.id], assign: { ownerId: randomUUID() } }), 'NOT_FOUND', 'ownerId');
    expect(await state([p.id])).toEqual(before);
  });

  it('refuses malformed batches at the edge, naming the field', async () => {
    const one = await createProblem(t);
    expectGqlError(await bulk({ problemIds: [], assign: { teamId: null } }), 'BAD_USER_INPUT', 'problemIds');
    const tooMany = Array.from({ length: 101 }, () => randomUUID());
    expectGqlError(await bulk({ problemIds: tooMany, assign: { teamId: null } }), 'BAD_USER_INPUT', 'problemIds');
    expectGqlError(await bulk({ problemIds: [one.id, one.id], assign: { teamId: null } }), 'BAD_USER_INPUT', 'problemIds');
    expectGqlError(await bulk({ problemIds: ["1' or '1'='1"], assign: { teamId: null } }), 'BAD_USER_INPUT', 'problemIds');
    expectGqlError(await bulk({ problemIds: [one.id] }), 'BAD_USER_INPUT', 'input');
    expectGqlError(await bulk({ problemIds: [one.id], assign: {} }), 'BAD_USER_INPUT', 'assign');
    expectGqlError(await bulk({ problemIds: [one.id], assign: { teamId: null }, transition: { to: 'CLOSED' } }), 'BAD_USER_INPUT', 'input');
    expectGqlError(await bulk({ problemIds: [one.id], assign: { ownerId: 'nope' } }), 'BAD_USER_INPUT', 'assign.ownerId');
    expectGqlError(await bulk({ problemIds: [one.id], transition: { to: 'NOPE' } }), 'BAD_USER_INPUT');
    expectGqlError(
      await bulk({ problemIds: [one.id], transition: { to: 'CLOSED', note: 'x'.repeat(20_001) } }),
      'BAD_USER_INPUT',
      'transition.note',
    );
  });

  it('follows the roles of updateProblem and transitionProblem: viewers and engineers may not', async () => {
    const one = await createProblem(t);
    const before = await state([one.id]);
    for (const role of ['VIEWER', 'ENGINEER'] as const) {
      const { token } = await t.tokenForRole(role);
      expectGqlError(await bulk({ problemIds: [one.id], transition: { to: 'CLOSED' } }, { authorization: `Bearer ${token}` }), 'FORBIDDEN');
    }
    expect(await state([one.id])).toEqual(before);
    const { token } = await t.tokenForRole('PROBLEM_MANAGER');
    const ok = await bulk({ problemIds: [one.id], transition: { to: 'CLOSED' } }, { authorization: `Bearer ${token}` });
    expect(ok.data?.bulkUpdateProblems.applied, JSON.stringify(ok.errors)).toBe(1);
  });
});
