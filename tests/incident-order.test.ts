import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGqlError } from './support/assertions';
import { createCategory, createService, createTeam, createUser, logIncident, mutate, transition } from './support/factories';
import type { Page } from './support/gql-types';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * incidents(orderBy): every sort field in both directions, paged with keyset cursors, checked
 * against a brute-force sort of the same rows; the SQL cost per page stays constant.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;
const FIELDS = ['OPENED_AT', 'UPDATED_AT', 'PRIORITY', 'STATUS', 'NUMBER', 'SLA_DUE'] as const;
type Field = (typeof FIELDS)[number];
type Dir = 'ASC' | 'DESC';
const STATUS_ORDER = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED'];

const LIST = `query($filter: IncidentFilter, $first: Int!, $after: String, $orderBy: IncidentOrderBy) {
  incidents(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id } }
  }
}`;

interface Row {
  id: string;
  number: string;
  priority: number;
  status: string;
  openedAt: string;
  updatedAt: string;
  slaDue: string | null;
}

/** The key the API promises to sort by, as a number (null for no SLA due time). */
function keyOf(r: Row, field: Field): number | null {
  switch (field) {
    case 'OPENED_AT':
      return Date.parse(r.openedAt);
    case 'UPDATED_AT':
      return Date.parse(r.updatedAt);
    case 'PRIORITY':
      return r.priority;
    case 'STATUS':
      return STATUS_ORDER.indexOf(r.status);
    case 'NUMBER':
      return Number(r.number.slice(4));
    case 'SLA_DUE':
      return r.slaDue === null ? null : Date.parse(r.slaDue);
  }
}

/** LIST's answer. */
type Listed = { incidents: Page<{ id: string }> };

/** Brute force: key in the asked direction, nulls last either way, then id in the same direction. */
function bruteForce(rows: Row[], field: Field, dir: Dir): string[] {
  const s = dir === 'ASC' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const [ka, kb] = [keyOf(a, field), keyOf(b, field)];
      if (ka === null || kb === null) {
        if (ka !== kb) return ka === null ? 1 : -1;
      } else if (ka !== kb) return s * (ka - kb);
      return s * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    })
    .map((r) => r.id);
}

async function walk(filter: object, orderBy: object | null, size: number): Promise<{ ids: string[]; pages: number; total: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let total = -1;
  for (;;) {
    const r: GqlResult<Listed> = await t.gql(LIST, { filter, first: size, after, orderBy });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const c = r.data!.incidents;
    pages += 1;
    total = c.totalCount;
    ids.push(...c.edges.map((e) => e.node.id));
    if (!c.pageInfo.hasNextPage) break;
    expect(c.edges).toHaveLength(size);
    after = c.pageInfo.endCursor;
    expect(pages).toBeLessThan(100);
  }
  return { ids, pages, total };
}

/** Rows with every sort key, read through the API (and the stored SLA due time from the database). */
async function rowsOf(serviceId: string): Promise<Row[]> {
  const r = await t.gql<{ incidents: { nodes: Omit<Row, 'slaDue'>[] } }>(
    `query($f: IncidentFilter) { incidents(filter: $f, first: 100) { nodes { id number priority status openedAt updatedAt } } }`,
    { f: { serviceId: [serviceId] } },
  );
  const due = new Map(
    (
      await t.sql<{ incident_id: string; due_at: Date | null }>(`select incident_id, due_at from sla_clocks where target = 'RESOLUTION'`)
    ).map((d) => [d.incident_id, d.due_at]),
  );
  return r.data!.incidents.nodes.map((n) => {
    const d = due.get(n.id);
    return { ...n, slaDue: d ? new Date(d).toISOString() : null };
  });
}

describe('orderBy', () => {
  let service: { id: string };
  let rows: Row[];

  beforeAll(async () => {
    service = await createService(t);
    const base = Date.now() - 200 * HOUR;
    const tie = new Date(base + 50 * HOUR).toISOString();
    // Priorities repeat (ties), four share one openedAt, and statuses spread over the lifecycle.
    const combos = [
      [1, 1],
      [1, 2],
      [2, 2],
      [3, 3],
      [2, 3],
      [3, 3],
      [1, 1],
      [3, 2],
    ];
    for (let i = 0; i < 22; i++) {
      const [impact, urgency] = combos[i % combos.length]!;
      const openedAt = i % 6 === 0 ? tie : new Date(base + ((i * 13) % 22) * 7 * HOUR).toISOString();
      const inc = await logIncident(t, { serviceId: service.id, impact, urgency, openedAt });
      const step = i % 5;
      if (step === 1)
        await mutate(t, `mutation($id: ID!) { classifyIncident(id: $id, input: { impact: ${impact} }) { id } }`, { id: inc.id });
      if (step === 2) await transition(t, inc.id, { to: 'INVESTIGATING' });
      // On hold awaiting the user: the resolution clock pauses, so it has no due time (sorts last).
      if (step === 3) {
        await transition(t, inc.id, { to: 'INVESTIGATING' });
        await transition(t, inc.id, { to: 'ON_HOLD', holdReason: 'AWAITING_USER' });
      }
      if (step === 4) await transition(t, inc.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });
    }
    rows = await rowsOf(service.id);
    expect(rows).toHaveLength(22);
    // The data really has ties and nulls for the cursors to get through.
    expect(new Set(rows.map((r) => r.priority)).size).toBeLessThan(22);
    expect(new Set(rows.map((r) => r.openedAt)).size).toBeLessThan(22);
    expect(rows.filter((r) => r.slaDue === null).length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.slaDue !== null).length).toBeGreaterThanOrEqual(10);
  });

  for (const field of FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`${field} ${direction}: every page size walks the brute-force order, ties and nulls included`, async () => {
        const expected = bruteForce(rows, field, direction);
        for (const size of [1, 3, 7, 22, 100]) {
          const got = await walk({ serviceId: [service.id] }, { field, direction }, size);
          expect(got.ids, `${field} ${direction} by ${size}`).toEqual(expected);
          expect(got.total).toBe(22);
          expect(got.pages).toBe(Math.max(1, Math.ceil(22 / size)));
        }
      });
    }
  }

  it('defaults to newest opened first, with or without an orderBy', async () => {
    const expected = bruteForce(rows, 'OPENED_AT', 'DESC');
    expect((await walk({ serviceId: [service.id] }, null, 5)).ids).toEqual(expected);
    expect((await walk({ serviceId: [service.id] }, { field: 'OPENED_AT' }, 5)).ids).toEqual(expected);
    expect((await walk({ serviceId: [service.id] }, { direction: 'DESC' }, 5)).ids).toEqual(expected);
  });

  it('keeps its place when an incident that sorts before the cursor is logged meanwhile', async () => {
    const own = await createService(t);
    for (const [impact, urgency] of [
      [3, 3],
      [2, 2],
      [3, 3],
      [2, 3],
      [1, 2],
      [3, 2],
    ])
      await logIncident(t, { serviceId: own.id, impact, urgency });
    const orderBy = { field: 'PRIORITY', direction: 'ASC' };
    const first = (await t.gql<Listed>(LIST, { filter: { serviceId: [own.id] }, first: 3, orderBy })).data!.incidents;
    const critical = await logIncident(t, { serviceId: own.id, impact: 1, urgency: 1 });
    const second = (await t.gql<Listed>(LIST, { filter: { serviceId: [own.id] }, first: 10, after: first.pageInfo.endCursor, orderBy }))
      .data!.incidents;
    const seen = [...first.edges, ...second.edges].map((e) => e.node.id);
    expect(second.edges).toHaveLength(3);
    expect(new Set(seen).size).toBe(6);
    expect(seen).not.toContain(critical.id);
    expect(second.totalCount).toBe(7);
  });
});

describe('timestamps finer than a millisecond', () => {
  it('pages through incidents opened within 1 ms (microseconds apart, as SQL writes them) without skipping or repeating', async () => {
    const own = await createService(t);
    const made: string[] = [];
    for (let k = 0; k < 7; k++) made.push((await logIncident(t, { serviceId: own.id })).id);
    const micros = ['.123001', '.123005', '.123005', '.123009', '.123999', '.122500', '.124000'];
    for (const [k, id] of made.entries()) {
      await t.sql(`update incidents set opened_at = $2::timestamptz, updated_at = $2::timestamptz where id = $1`, [
        id,
        `2026-03-01T10:00:00${micros[k]}Z`,
      ]);
    }
    for (const field of ['OPENED_AT', 'UPDATED_AT'] as const) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const col = field === 'OPENED_AT' ? 'opened_at' : 'updated_at';
        const expected = (
          await t.sql(`select id from incidents where service_id = $1 order by ${col} ${direction}, id ${direction}`, [own.id])
        ).map((r) => r.id);
        for (const size of [1, 2, 3])
          expect((await walk({ serviceId: [own.id] }, { field, direction }, size)).ids, `${field} ${direction} by ${size}`).toEqual(
            expected,
          );
      }
    }
  });
});

describe('bad sort input', () => {
  it('an unknown field or direction is BAD_USER_INPUT naming the input', async () => {
    // graphql-js refuses these before any resolver, in its own prose (which quotes the path): the
    // field comes in extensions.field all the same.
    const refused = async (orderBy: object, field: string) => {
      const e = expectGqlError(await t.gql(LIST, { first: 5, orderBy }), 'BAD_USER_INPUT');
      expect(e.extensions?.field).toBe(field);
      return e;
    };
    expect((await refused({ field: 'TITLE' }, 'orderBy.field')).message).toContain('TITLE');
    await refused({ field: 'PRIORITY', direction: 'UP' }, 'orderBy.direction');
    await refused({ field: null }, 'orderBy.field');
  });

  it('a cursor made for another order, or forged, is refused rather than misread', async () => {
    const service = await createService(t);
    for (let i = 0; i < 3; i++) await logIncident(t, { serviceId: service.id });
    const page = (
      await t.gql<Listed>(LIST, { filter: { serviceId: [service.id] }, first: 1, orderBy: { field: 'PRIORITY', direction: 'ASC' } })
    ).data!.incidents;
    const cursor = page.pageInfo.endCursor!;
    const e = expectGqlError(
      await t.gql(LIST, { first: 1, after: cursor, orderBy: { field: 'PRIORITY', direction: 'DESC' } }),
      'BAD_USER_INPUT',
      'after',
    );
    expect(e.message).toContain('PRIORITY ASC');
    expectGqlError(await t.gql(LIST, { first: 1, after: cursor }), 'BAD_USER_INPUT', 'after');
    // The same order accepts it.
    expect((await t.gql(LIST, { first: 1, after: cursor, orderBy: { field: 'PRIORITY', direction: 'ASC' } })).errors).toBeUndefined();
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const id = '00000000-0000-4000-8000-000000000000';
    for (const bad of [
      forge(['PRIORITY', 'ASC', 'one', id]), // a string where the priority is a number
      forge(['OPENED_AT', 'DESC', 'yesterday', id]),
      forge(['OPENED_AT', 'DESC', null, id]), // only SLA_DUE keys may be null
      forge(['TITLE', 'ASC', 1, id]),
      forge(['PRIORITY', 'ASC', 1, 'x; drop table incidents']),
      Buffer.from(`${new Date().toISOString()}|${id}`).toString('base64url'), // the old openedAt|id form
    ]) {
      expectGqlError(
        await t.gql(LIST, { first: 1, after: bad, orderBy: { field: 'PRIORITY', direction: 'ASC' } }),
        'BAD_USER_INPUT',
        'after',
      );
    }
  });
});

describe('SQL statements per page under every order', () => {
  it('stay the same for every page size and cursor, in every order', async () => {
    const many = async <T>(n: number, make: (i: number) => Promise<T>) => {
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(await make(i));
      return out;
    };
    const services = await many(3, () => createService(t));
    const teams = await many(3, () => createTeam(t));
    const users = await many(4, (i) => createUser(t, { teamId: teams[i % 3]!.id }));
    const parents = await many(2, () => createCategory(t));
    const subs = await many(4, (i) => createCategory(t, { parentId: parents[i % 2]!.id }));
    for (let i = 0; i < 24; i++) {
      const inc = await logIncident(t, {
        serviceId: services[i % 3]!.id,
        categoryId: subs[i % 4]!.id,
        teamId: teams[i % 3]!.id,
        assigneeId: users[i % 4]!.id,
        impact: (i % 3) + 1,
        urgency: ((i + 1) % 3) + 1,
        openedAt: new Date(Date.now() - (30 + i) * HOUR).toISOString(),
      });
      if (i % 3 === 0) await transition(t, inc.id, { to: 'INVESTIGATING' });
    }
    const query = `query($filter: IncidentFilter, $first: Int!, $after: String, $orderBy: IncidentOrderBy) {
      incidents(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id number title status priority openedAt
          service { id name }
          category { id name parent { id name } }
          team { id name }
          assignee { id name }
          lastEvent { seq kind }
          slaClocks { target state remainingMinutes }
        }
      }
    }`;
    const filter = { serviceId: services.map((s) => s.id) };
    const all: Record<string, Record<string, number>> = {};
    for (const field of FIELDS) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const counts: Record<string, number> = {};
        let after: string | null = null;
        for (const [label, first, useCursor] of [
          ['20', 20, false],
          ['5', 5, false],
          ['1', 1, false],
          ['5 after a cursor', 5, true],
          ['20 again', 20, false],
        ] as const) {
          const r: GqlResult<{ incidents: Page<{ category: { parent: { id: string } | null } | null }> }> = await t.gql(query, {
            filter,
            first,
            after: useCursor ? after : null,
            orderBy: { field, direction },
          });
          expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
          expect(r.data!.incidents.nodes).toHaveLength(first);
          expect(r.data!.incidents.totalCount).toBe(24);
          for (const node of r.data!.incidents.nodes) expect(node.category?.parent?.id).toBeDefined();
          after = r.data!.incidents.pageInfo.endCursor;
          counts[label] = r.extensions?.sqlStatements ?? NaN;
        }
        const values = Object.values(counts);
        expect(values.every(Number.isInteger), JSON.stringify(counts)).toBe(true);
        expect(new Set(values).size, `${field} ${direction}: ${JSON.stringify(counts)}`).toBe(1);
        all[`${field} ${direction}`] = counts;
      }
    }
    console.log(
      `[n+1] SQL statements per incidents page by order: ` +
        `${JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v['20']])))}`,
    );
    // Every order costs what the default does; SLA_DUE reads the page's due times once more.
    const base = all['OPENED_AT DESC']!['20']!;
    for (const [order, counts] of Object.entries(all)) {
      expect(counts['20'], order).toBe(order.startsWith('SLA_DUE') ? base + 1 : base);
    }
  });
});
