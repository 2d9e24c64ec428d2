import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbSnapshot, expectGqlError, expectSameDb } from './support/assertions';
import { createService, createTeam, createUser, incidentIn, logIncident, mutate } from './support/factories';
import { createReview, timeline as reviewTimeline } from './support/review-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/** Internal work notes (issue 23, item 5) and a timeline that names what changed instead of showing ids (item 8). */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const ADD = `mutation($id: ID!, $input: WorkNoteInput!) {
  addWorkNote(id: $id, input: $input) { id timeline { seq kind summary markdown actorName at } }
}`;
type Event = { seq: number; kind: string; summary: string; markdown: string | null; actorName: string; at: string };
const add = (id: string, note: unknown, headers?: Record<string, string>) => t.gql(ADD, { id, input: { note } }, headers);

describe('work notes', () => {
  it('records markdown with author and time, as a work note and not a stakeholder update', async () => {
    const inc = await incidentIn(t, 'INVESTIGATING');
    const engineer = await t.tokenForRole('ENGINEER');
    const text = '## Diagnosis\n\n- pool exhausted on **db-2**\n- `max_connections` at 100\n\n' + 'x'.repeat(400);
    const before = Date.now();
    const d = ok(await add(inc.id, text, { authorization: `Bearer ${engineer.token}` })) as { addWorkNote: { timeline: Event[] } };
    const note = d.addWorkNote.timeline.at(-1)!;
    expect(note.kind).toBe('WORK_NOTE');
    expect(note.markdown).toBe(text); // whole, although the one-line summary is clipped
    expect(note.summary.startsWith('Work note: ## Diagnosis')).toBe(true);
    expect(note.summary.length).toBeLessThanOrEqual(300);
    expect(Date.parse(note.at)).toBeGreaterThanOrEqual(before - 1000);
    const [user] = await t.sql<{ name: string }>('select name from users where id = $1', [engineer.userId]);
    expect(note.actorName).toBe(user!.name);
    const [row] = await t.sql<{ kind: string; actor_id: string }>(
      `select kind, actor_id from incident_events where incident_id = $1 order by seq desc limit 1`,
      [inc.id],
    );
    expect(row).toEqual({ kind: 'WORK_NOTE', actor_id: engineer.userId });

    // A stakeholder update stays one, with its own text.
    const upd = await mutate<{ timeline: Event[] }>(
      t,
      `mutation($id: ID!) { addStakeholderUpdate(id: $id, input: { message: "We are on it", audience: "customers" }) {
        timeline { seq kind summary markdown actorName at } } }`,
      { id: inc.id },
    );
    expect(upd.timeline.map((e) => e.kind).slice(-2)).toEqual(['WORK_NOTE', 'STAKEHOLDER_UPDATE']);
    expect(upd.timeline.at(-1)!.markdown).toBe('We are on it');
  });

  it('keeps work notes out of what goes to stakeholders: the review timeline and the review document', async () => {
    const inc = await incidentIn(t, 'INVESTIGATING');
    ok(await add(inc.id, 'Internal: suspect the vendor patch, do not tell the customer yet'));
    await mutate(t, `mutation($id: ID!) { addStakeholderUpdate(id: $id, input: { message: "Degraded checkout" }) { id } }`, { id: inc.id });
    const review = await createReview(t, { incidentIds: [inc.id] });
    const entries = await reviewTimeline(t, review.id, true);
    expect(entries.map((e) => e.kind)).toContain('STAKEHOLDER_UPDATE');
    expect(entries.map((e) => e.kind)).not.toContain('WORK_NOTE');
    const md = ok(await t.gql<{ reviewMarkdown: string }>(`query($id: ID!) { reviewMarkdown(id: $id) }`, { id: review.id })).reviewMarkdown;
    expect(md).toContain('Degraded checkout');
    expect(md).not.toContain('vendor patch');
  });

  it('keeps hostile text as text', async () => {
    const inc = await incidentIn(t, 'INVESTIGATING');
    const hostile = "<script>alert(1)</script> [x](javascript:alert(1)) ${7*7} '; drop table incidents; --\n\tindented 🚒 עברית";
    const d = ok(await add(inc.id, hostile)) as { addWorkNote: { timeline: Event[] } };
    expect(d.addWorkNote.timeline.at(-1)!.markdown).toBe(hostile);
    expect((await t.sql<{ n: string }>('select count(*) as n from incidents'))[0]!.n).not.toBe('0');
  });

  it('refuses bad input with a plain message naming the field, and writes nothing', async () => {
    const inc = await incidentIn(t, 'INVESTIGATING');
    const cases: [string, unknown, RegExp][] = [
      ['empty', '', /^Note must not be empty\./],
      ['blank', ' \n\t ', /Note must not be blank/],
      ['over 20000', 'x'.repeat(20_001), /^Note must be at most 20000 characters long\.$/],
      ['a NUL byte', 'a\u0000b', /control character/],
    ];
    for (const [what, markdown, message] of cases) {
      const before = await dbSnapshot(t);
      const e = expectGqlError(await add(inc.id, markdown), 'BAD_USER_INPUT', what === 'a NUL byte' ? undefined : 'note');
      expect(e.message, what).toMatch(message);
      expect(e.message).not.toMatch(/input\.|longer than or equal|Argument Validation/);
      expectSameDb(before, await dbSnapshot(t), what);
    }
    // Wrong shapes are refused by GraphQL itself, as BAD_USER_INPUT, never a 5xx.
    for (const markdown of [null, 42, { $gt: '' }, ['a'], 'a'.repeat(2_000_000)]) {
      const r = await add(inc.id, markdown);
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|BAD_REQUEST|PAYLOAD_TOO_LARGE/);
    }
    expectGqlError(await add('not-an-id', 'note'), 'BAD_USER_INPUT', 'id');
    expectGqlError(await add(randomUUID(), 'note'), 'NOT_FOUND', 'id');
    expect(await t.sql(`select 1 from incident_events where kind = 'WORK_NOTE' and incident_id = $1`, [inc.id])).toEqual([]);
  });

  it('follows the lifecycle and the role table: closed incidents are read-only, viewers may not write', async () => {
    const closed = await incidentIn(t, 'CLOSED');
    const before = await dbSnapshot(t);
    const e = expectGqlError(await add(closed.id, 'Late thought'), 'INCIDENT_READ_ONLY');
    expect(e.message).toMatch(/read-only; reopen it first/);
    const viewer = await t.tokenForRole('VIEWER');
    const open = await logIncident(t);
    expectGqlError(await add(open.id, 'Peeking', { authorization: `Bearer ${viewer.token}` }), 'FORBIDDEN');
    expect(await t.sql(`select 1 from incident_events where kind = 'WORK_NOTE' and incident_id in ($1, $2)`, [closed.id, open.id])).toEqual(
      [],
    );
    expect((await dbSnapshot(t)).counts.incident_events).toBe(before.counts.incident_events + 1);
  });
});

describe('timeline changes in words', () => {
  const TIMELINE = `query($id: ID!) { incident(id: $id) { timeline { kind summary changes { field before after } } } }`;
  type Change = { field: string; before: string | null; after: string | null };

  it('names users, teams and services instead of showing their ids', async () => {
    const team = await createTeam(t, { name: 'Payments on-call' });
    const user = await createUser(t, { teamId: team.id, name: 'Rosa Díaz' });
    const svc = await createService(t, { name: 'Checkout API' });
    const inc = await logIncident(t);
    await mutate(t, `mutation($id: ID!, $s: ID!) { classifyIncident(id: $id, input: { serviceId: $s, impact: 1 }) { id } }`, {
      id: inc.id,
      s: svc.id,
    });
    await mutate(t, `mutation($id: ID!, $u: ID!, $t: ID!) { assignIncident(id: $id, input: { assigneeId: $u, teamId: $t }) { id } }`, {
      id: inc.id,
      u: user.id,
      t: team.id,
    });
    await mutate(t, `mutation($id: ID!) { updateIncident(id: $id, input: { externalRef: "CHG-1", detectedAt: null }) { id } }`, {
      id: inc.id,
    });
    const events = ok(
      await t.gql<{ incident: { timeline: { kind: string; summary: string; changes: Change[] }[] } }>(TIMELINE, { id: inc.id }),
    ).incident.timeline;
    const text = JSON.stringify(events.filter((e) => e.kind !== 'LOGGED'));
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/assigneeId|teamId|serviceId|externalRef/);
    const assigned = events.find((e) => e.kind === 'ASSIGNED')!;
    expect(assigned.changes).toEqual(
      expect.arrayContaining([
        { field: 'Assignee', before: null, after: user.name },
        { field: 'Team', before: null, after: 'Payments on-call' },
      ]),
    );
    const classified = events.find((e) => e.kind === 'CLASSIFIED')!;
    expect(classified.changes).toContainEqual({ field: 'Service', before: null, after: 'Checkout API' });
    const updated = events.find((e) => e.kind === 'UPDATED')!;
    expect(updated.summary).toBe('Updated external reference');
    expect(updated.changes).toEqual([{ field: 'External reference', before: null, after: 'CHG-1' }]);
  });

  it('resolves names for a page of incidents in a constant number of SQL statements', async () => {
    const team = await createTeam(t);
    const make = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const u = await createUser(t, { teamId: team.id });
        const inc = await logIncident(t, { title: `Batch ${n} ${i}` });
        await mutate(t, `mutation($id: ID!, $u: ID!) { assignIncident(id: $id, input: { assigneeId: $u }) { id } }`, {
          id: inc.id,
          u: u.id,
        });
      }
    };
    const q = `query($q: String!, $n: Int!) { incidents(first: $n, filter: { text: $q }) {
      nodes { id timeline { kind changes { field before after } } } } }`;
    const count = async (title: string, n: number) => {
      const r = await t.gql<{ incidents: { nodes: { timeline: { changes: Change[] }[] }[] } }>(q, { q: title, n });
      expect(r.errors).toBeUndefined();
      expect(r.data!.incidents.nodes).toHaveLength(n);
      const names = r.data!.incidents.nodes.flatMap((x) => x.timeline.flatMap((e) => e.changes.filter((c) => c.field === 'Assignee')));
      expect(names).toHaveLength(n);
      for (const c of names) expect(c.after).toMatch(/^[^0-9a-f-]/);
      return r.extensions?.sqlStatements ?? NaN;
    };
    await make(2);
    await make(8);
    const small = await count('Batch 2', 2);
    const large = await count('Batch 8', 8);
    console.log(`[n+1] SQL statements for timelines with changes: 2 incidents ${small}, 8 incidents ${large}`);
    expect(Number.isFinite(small)).toBe(true);
    expect(large).toBe(small);
  });
});
