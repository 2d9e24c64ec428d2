import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGqlError } from './support/assertions';
import { createCategory, createService, createTeam, createUser, logIncident, mutate, transition } from './support/factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/** The incident register: incidents(filter, first, after) as a cursor connection, and its SQL cost. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;
const LIST = `query($filter: IncidentFilter, $first: Int!, $after: String) {
  incidents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id } }
    nodes { id number title status priority openedAt }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string; number: string; title: string; status: string; priority: number; openedAt: string }[];
}

async function list(filter: Record<string, unknown> | null, first = 100, after?: string | null): Promise<Page> {
  const r = await t.gql<{ incidents: Page }>(LIST, { filter, first, after });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!.incidents;
}

const ids = (p: Page) => p.nodes.map((n) => n.id);

/** The statement-count test's page: each node with its relations. */
interface ListedPage {
  totalCount: number;
  pageInfo: { endCursor: string | null };
  nodes: {
    service: { id: string } | null;
    category: { parent: { id: string } | null } | null;
    team: { id: string } | null;
    assignee: { id: string } | null;
    lastEvent: { seq: number; kind: string } | null;
  }[];
}
const sortIds = (xs: string[]) => [...xs].sort();
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Newest opened first, ties broken by id (descending), as the register promises. */
function registerOrder<T extends { id: string; openedAt: string }>(xs: T[]): string[] {
  return [...xs]
    .sort((a, b) => new Date(b.openedAt).getTime() - new Date(a.openedAt).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((x) => x.id);
}

describe('pagination', () => {
  it('walks every page newest-opened first, without duplicates or gaps, including equal openedAt', async () => {
    const service = await createService(t);
    const base = Date.now() - 1000 * HOUR;
    const made: { id: string; openedAt: string }[] = [];
    // 30 distinct openedAt, logged in a shuffled order so insertion order is not the answer...
    const offsets = Array.from({ length: 30 }, (_, i) => (i * 7) % 30);
    for (const i of offsets) made.push(await logIncident(t, { serviceId: service.id, openedAt: new Date(base + i * HOUR).toISOString() }));
    // ...and three sharing one openedAt, which the cursor must still separate.
    const tie = new Date(base + 10.5 * HOUR).toISOString();
    for (let i = 0; i < 3; i++) made.push(await logIncident(t, { serviceId: service.id, openedAt: tie }));
    const expected = registerOrder(made);

    for (const size of [1, 7, 11, 33, 100]) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await list({ serviceId: [service.id] }, size, after);
        pages += 1;
        expect(page.totalCount).toBe(33);
        expect(page.edges.map((e) => e.node.id)).toEqual(ids(page));
        expect(page.nodes.length).toBeLessThanOrEqual(size);
        seen.push(...ids(page));
        if (page.nodes.length) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
        if (!page.pageInfo.hasNextPage) break;
        expect(page.nodes).toHaveLength(size);
        after = page.pageInfo.endCursor;
        expect(pages).toBeLessThan(40);
      }
      expect(seen, `page size ${size}`).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(33 / size)));
    }
  });

  it('keeps its place while newer incidents are logged', async () => {
    const service = await createService(t);
    for (let i = 0; i < 6; i++) await logIncident(t, { serviceId: service.id, openedAt: ago((10 + i) * HOUR) });
    const first = await list({ serviceId: [service.id] }, 3);
    await logIncident(t, { serviceId: service.id }); // newest of all
    const second = await list({ serviceId: [service.id] }, 3, first.pageInfo.endCursor);
    expect(second.nodes).toHaveLength(3);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(6);
    expect(second.totalCount).toBe(7);
  });

  it('refuses a page over 100, a negative page and a cursor it did not make', async () => {
    expectGqlError(await t.gql(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectGqlError(await t.gql(LIST, { first: -1 }), 'BAD_USER_INPUT', 'first');
    expect((await list(null, 100)).nodes.length).toBeLessThanOrEqual(100);
    for (const after of [
      'garbage',
      Buffer.from('not-a-date|nope').toString('base64url'),
      Buffer.from(`${new Date().toISOString()}|x`).toString('base64url'),
      '',
    ]) {
      const r = await t.gql(LIST, { first: 5, after });
      if (after === '') {
        // An empty cursor is no cursor.
        expect(r.errors).toBeUndefined();
        continue;
      }
      expectGqlError(r, 'BAD_USER_INPUT', 'after');
    }
    expectGqlError(await t.gql(LIST, { first: 5, filter: { serviceId: ['nope'] } }), 'BAD_USER_INPUT', 'serviceId');
    expectGqlError(await t.gql(LIST, { first: 5, filter: { priority: [0] } }), 'BAD_USER_INPUT', 'priority');
  });
});

describe('filters', () => {
  it('by status', async () => {
    const service = await createService(t);
    const byStatus: Record<string, string> = {};
    const n = await logIncident(t, { serviceId: service.id });
    byStatus.NEW = n.id;
    const tr = await logIncident(t, { serviceId: service.id });
    await mutate(t, `mutation($id: ID!) { classifyIncident(id: $id, input: { impact: 2 }) { id } }`, { id: tr.id });
    byStatus.TRIAGED = tr.id;
    const inv = await logIncident(t, { serviceId: service.id });
    await transition(t, inv.id, { to: 'INVESTIGATING' });
    byStatus.INVESTIGATING = inv.id;
    const res = await logIncident(t, { serviceId: service.id });
    await transition(t, res.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });
    byStatus.RESOLVED = res.id;
    const cl = await logIncident(t, { serviceId: service.id });
    await transition(t, cl.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });
    await transition(t, cl.id, { to: 'CLOSED', userConfirmed: true });
    byStatus.CLOSED = cl.id;

    for (const statuses of [['NEW'], ['RESOLVED', 'CLOSED'], ['TRIAGED', 'INVESTIGATING', 'NEW'], ['ON_HOLD']]) {
      const page = await list({ serviceId: [service.id], status: statuses });
      expect(sortIds(ids(page)), statuses.join()).toEqual(sortIds(statuses.filter((s) => byStatus[s]).map((s) => byStatus[s])));
      expect(page.totalCount).toBe(page.nodes.length);
      for (const node of page.nodes) expect(statuses).toContain(node.status);
    }
  });

  it('by priority', async () => {
    const service = await createService(t);
    const made = [];
    for (const [impact, urgency] of [
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 3],
      [3, 3],
      [3, 3],
    ])
      made.push(await logIncident(t, { serviceId: service.id, impact, urgency }));
    for (const wanted of [[1], [1, 2], [5], [4, 5], [3]]) {
      const page = await list({ serviceId: [service.id], priority: wanted });
      const expected = made.filter((m) => wanted.includes(m.priority)).map((m) => m.id);
      expect(sortIds(ids(page)), wanted.join()).toEqual(sortIds(expected));
    }
    // The matrix gives distinct priorities here, so the filter really is selective.
    expect(new Set(made.map((m) => m.priority)).size).toBeGreaterThanOrEqual(4);
  });

  it('by service and team', async () => {
    const [s1, s2, s3] = [await createService(t), await createService(t), await createService(t)];
    const [t1, t2] = [await createTeam(t), await createTeam(t)];
    const a = await logIncident(t, { serviceId: s1.id, teamId: t1.id });
    const b = await logIncident(t, { serviceId: s2.id, teamId: t1.id });
    const c = await logIncident(t, { serviceId: s2.id, teamId: t2.id });
    const d = await logIncident(t, { serviceId: s3.id });
    expect(sortIds(ids(await list({ serviceId: [s1.id] })))).toEqual([a.id]);
    expect(sortIds(ids(await list({ serviceId: [s2.id] })))).toEqual(sortIds([b.id, c.id]));
    expect(sortIds(ids(await list({ serviceId: [s1.id, s3.id] })))).toEqual(sortIds([a.id, d.id]));
    expect(sortIds(ids(await list({ teamId: [t1.id] })))).toEqual(sortIds([a.id, b.id]));
    expect(sortIds(ids(await list({ teamId: [t2.id] })))).toEqual([c.id]);
    // Assigning moves an incident between team filters.
    await mutate(t, `mutation($id: ID!, $team: ID) { assignIncident(id: $id, input: { teamId: $team }) { id } }`, {
      id: d.id,
      team: t2.id,
    });
    expect(sortIds(ids(await list({ teamId: [t2.id] })))).toEqual(sortIds([c.id, d.id]));
  });

  it('by category: a parent category matches its subcategories', async () => {
    const parent = await createCategory(t);
    const [sub1, sub2] = [await createCategory(t, { parentId: parent.id }), await createCategory(t, { parentId: parent.id })];
    const other = await createCategory(t);
    const otherSub = await createCategory(t, { parentId: other.id });
    const onParent = await logIncident(t, { categoryId: parent.id });
    const on1 = await logIncident(t, { categoryId: sub1.id });
    const on2 = await logIncident(t, { categoryId: sub2.id });
    const onOther = await logIncident(t, { categoryId: otherSub.id });
    await logIncident(t); // uncategorised
    expect(sortIds(ids(await list({ categoryId: [parent.id] })))).toEqual(sortIds([onParent.id, on1.id, on2.id]));
    expect(sortIds(ids(await list({ categoryId: [sub1.id] })))).toEqual([on1.id]);
    expect(sortIds(ids(await list({ categoryId: [sub2.id, otherSub.id] })))).toEqual(sortIds([on2.id, onOther.id]));
    expect(sortIds(ids(await list({ categoryId: [other.id] })))).toEqual([onOther.id]);
    // Reclassifying into a subcategory keeps it under its parent.
    await mutate(t, `mutation($id: ID!, $c: ID) { classifyIncident(id: $id, input: { categoryId: $c }) { id } }`, {
      id: onOther.id,
      c: sub1.id,
    });
    const page = await list({ categoryId: [parent.id] });
    expect(sortIds(ids(page))).toEqual(sortIds([onParent.id, on1.id, on2.id, onOther.id]));
    expect(page.totalCount).toBe(4);
  });

  it('by opened range: from inclusive, to exclusive', async () => {
    const service = await createService(t);
    const t0 = Date.now() - 50 * HOUR;
    const at = (h: number) => new Date(t0 + h * HOUR).toISOString();
    const made: Record<number, string> = {};
    for (const h of [-2, -1, 0, 1, 2]) made[h] = (await logIncident(t, { serviceId: service.id, openedAt: at(h) })).id;
    const range = async (from?: number, to?: number) =>
      ids(
        await list({
          serviceId: [service.id],
          ...(from !== undefined ? { openedFrom: at(from) } : {}),
          ...(to !== undefined ? { openedTo: at(to) } : {}),
        }),
      );
    expect(await range(-1, 1)).toEqual([made[0], made[-1]]);
    expect(await range(0, 0)).toEqual([]);
    expect(await range(0, 0.001)).toEqual([made[0]]);
    expect(await range(2)).toEqual([made[2]]);
    expect(await range(undefined, -1)).toEqual([made[-2]]);
    expect(await range(-2, 3)).toEqual([2, 1, 0, -1, -2].map((h) => made[h]));
  });

  it('by text: title or description, case-insensitive, and by incident number', async () => {
    const service = await createService(t);
    const token = `Zq${Math.random().toString(36).slice(2, 8)}`;
    const inTitle = await logIncident(t, { serviceId: service.id, title: `Printer ${token} jammed`, description: 'Paper everywhere' });
    const inDesc = await logIncident(t, {
      serviceId: service.id,
      title: 'Label printer offline',
      description: `Queue ${token.toUpperCase()} stuck`,
    });
    const neither = await logIncident(t, { serviceId: service.id, title: 'Scanner slow', description: 'Takes a minute per page' });
    const pct = await logIncident(t, { serviceId: service.id, title: `100% CPU ${token}` });
    const noPct = await logIncident(t, { serviceId: service.id, title: `1000 CPU ${token}` });

    expect(sortIds(ids(await list({ text: token.toLowerCase() })))).toEqual(sortIds([inTitle.id, inDesc.id, pct.id, noPct.id]));
    expect(sortIds(ids(await list({ text: `  ${token.toUpperCase()}  ` })))).toEqual(sortIds([inTitle.id, inDesc.id, pct.id, noPct.id]));
    expect(ids(await list({ text: `printer ${token}` }))).toEqual([inTitle.id]);
    // LIKE wildcards in the search text are literal.
    expect(ids(await list({ serviceId: [service.id], text: '0% c' }))).toEqual([pct.id]);
    expect(ids(await list({ serviceId: [service.id], text: '_' }))).toEqual([]);
    // By number, in any of its spellings.
    const n = Number(neither.number.slice(4));
    for (const q of [neither.number, `INC-${n}`, `inc-${n}`]) {
      expect(ids(await list({ serviceId: [service.id], text: q })), q).toEqual([neither.id]);
    }
  });

  it('combines filters with AND', async () => {
    const [s1, s2] = [await createService(t), await createService(t)];
    const team = await createTeam(t);
    const token = `Cmb${Math.random().toString(36).slice(2, 8)}`;
    const match = await logIncident(t, {
      serviceId: s1.id,
      teamId: team.id,
      impact: 1,
      urgency: 1,
      title: `${token} outage`,
      openedAt: ago(5 * HOUR),
    });
    await transition(t, match.id, { to: 'INVESTIGATING' });
    const wrongStatus = await logIncident(t, {
      serviceId: s1.id,
      teamId: team.id,
      impact: 1,
      urgency: 1,
      title: `${token} outage`,
      openedAt: ago(5 * HOUR),
    });
    const wrongService = await logIncident(t, {
      serviceId: s2.id,
      teamId: team.id,
      impact: 1,
      urgency: 1,
      title: `${token} outage`,
      openedAt: ago(5 * HOUR),
    });
    await transition(t, wrongService.id, { to: 'INVESTIGATING' });
    const wrongPriority = await logIncident(t, {
      serviceId: s1.id,
      teamId: team.id,
      impact: 3,
      urgency: 3,
      title: `${token} outage`,
      openedAt: ago(5 * HOUR),
    });
    await transition(t, wrongPriority.id, { to: 'INVESTIGATING' });
    const wrongTime = await logIncident(t, {
      serviceId: s1.id,
      teamId: team.id,
      impact: 1,
      urgency: 1,
      title: `${token} outage`,
      openedAt: ago(50 * HOUR),
    });
    await transition(t, wrongTime.id, { to: 'INVESTIGATING' });
    const wrongText = await logIncident(t, {
      serviceId: s1.id,
      teamId: team.id,
      impact: 1,
      urgency: 1,
      title: 'Other outage',
      openedAt: ago(5 * HOUR),
    });
    await transition(t, wrongText.id, { to: 'INVESTIGATING' });

    const all = {
      serviceId: [s1.id],
      teamId: [team.id],
      status: ['INVESTIGATING'],
      priority: [match.priority],
      openedFrom: ago(24 * HOUR),
      text: token,
    };
    const page = await list(all);
    expect(ids(page)).toEqual([match.id]);
    expect(page.totalCount).toBe(1);
    // Dropping one filter lets exactly the incident it excluded back in.
    const without = async (key: keyof typeof all) => {
      const { [key]: _, ...rest } = all;
      return sortIds(ids(await list(rest)));
    };
    expect(await without('status')).toEqual(sortIds([match.id, wrongStatus.id]));
    expect(await without('serviceId')).toEqual(sortIds([match.id, wrongService.id]));
    expect(await without('priority')).toEqual(sortIds([match.id, wrongPriority.id]));
    expect(await without('openedFrom')).toEqual(sortIds([match.id, wrongTime.id]));
    expect(await without('text')).toEqual(sortIds([match.id, wrongText.id]));
  });
});

describe('SQL statements per page', () => {
  it('lists 50 incidents with service, category and parent, team, assignee and last event in a constant number of statements', async () => {
    // More distinct relations than the small pages hold, so a per-row lookup would show as more statements.
    const many = async <T>(n: number, make: (i: number) => Promise<T>) => {
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(await make(i));
      return out;
    };
    const services = await many(7, () => createService(t));
    const teams = await many(6, () => createTeam(t));
    const users = await many(8, (i) => createUser(t, { teamId: teams[i % 6].id }));
    const parents = await many(4, () => createCategory(t));
    const subs = await many(9, (i) => createCategory(t, { parentId: parents[i % 4].id }));
    for (let i = 0; i < 55; i++) {
      const inc = await logIncident(t, {
        serviceId: services[i % 7].id,
        categoryId: subs[i % 9].id,
        teamId: teams[i % 6].id,
        assigneeId: users[i % 8].id,
        openedAt: ago((100 + i) * HOUR),
      });
      if (i % 4 === 0)
        await mutate(t, `mutation($id: ID!) { addStakeholderUpdate(id: $id, input: { message: "Working on it" }) { id } }`, { id: inc.id });
    }
    const query = `query($filter: IncidentFilter, $first: Int!, $after: String) {
      incidents(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id number title status priority openedAt
          service { id name }
          category { id name parent { id name } }
          team { id name }
          assignee { id name }
          lastEvent { seq kind summary at actorName }
        }
      }
    }`;
    const filter = { serviceId: services.map((s) => s.id) };
    const counts: Record<string, number> = {};
    let after: string | null = null;
    for (const [label, first, useCursor] of [
      ['50', 50, false],
      ['5', 5, false],
      ['1', 1, false],
      ['5 after a cursor', 5, true],
      ['50 again', 50, false],
    ] as const) {
      const r: GqlResult<{ incidents: ListedPage }> = await t.gql(query, {
        filter,
        first,
        after: useCursor ? after : null,
      });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const page = r.data!.incidents;
      expect(page.nodes).toHaveLength(first);
      expect(page.totalCount).toBe(55);
      for (const node of page.nodes) {
        // Every relation is there, so every loader really ran on every page size.
        expect(node.service?.id).toBeDefined();
        expect(node.category?.parent?.id).toBeDefined();
        expect(node.team?.id).toBeDefined();
        expect(node.assignee?.id).toBeDefined();
        expect(node.lastEvent?.seq).toBeGreaterThanOrEqual(1);
      }
      after = page.pageInfo.endCursor;
      counts[label] = r.extensions?.sqlStatements ?? NaN;
    }
    console.log(`[n+1] SQL statements per incidents page: ${JSON.stringify(counts)}`);
    // The last event is the latest one: a stakeholder update where there was one.
    const r = await t.gql<{ incidents: ListedPage }>(query, { filter, first: 50 });
    for (const node of r.data!.incidents.nodes) expect(['LOGGED', 'STAKEHOLDER_UPDATE']).toContain(node.lastEvent!.kind);
    expect(r.data!.incidents.nodes.some((n) => n.lastEvent!.kind === 'STAKEHOLDER_UPDATE' && n.lastEvent!.seq === 2)).toBe(true);

    const values = Object.values(counts);
    expect(values.every(Number.isInteger), JSON.stringify(counts)).toBe(true);
    expect(new Set(values).size, JSON.stringify(counts)).toBe(1);
    // One for the page, one for the count, and one per loader (service, category, parent, team, user, last event).
    expect(values[0]).toBeGreaterThanOrEqual(7);
    expect(values[0]).toBeLessThanOrEqual(10);
  });
});
