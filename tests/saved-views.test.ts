import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGqlError } from './support/assertions';
import { createTeam, createUser } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** Saved views of the lists: per user, validated filters, owner-only changes, sharing with the team. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const FIELDS = 'id list name filters shared mine href owner { id name }';
interface View {
  id: string;
  list: string;
  name: string;
  filters: Record<string, unknown>;
  shared: boolean;
  mine: boolean;
  href: string;
  owner: { id: string; name: string } | null;
}
const as = (email: string) => ({ 'x-actor-email': email });
const create = (input: Record<string, unknown>, email: string) =>
  t.gql<{ createSavedView: View }>(
    `mutation($i: CreateSavedViewInput!) { createSavedView(input: $i) { ${FIELDS} } }`,
    { i: input },
    as(email),
  );
const update = (id: string, input: Record<string, unknown>, email: string) =>
  t.gql<{ updateSavedView: View }>(
    `mutation($id: ID!, $i: UpdateSavedViewInput!) { updateSavedView(id: $id, input: $i) { ${FIELDS} } }`,
    { id, i: input },
    as(email),
  );
const remove = (id: string, email: string) =>
  t.gql<{ deleteSavedView: boolean }>(`mutation($id: ID!) { deleteSavedView(id: $id) }`, { id }, as(email));
const list = async (l: string, email: string) => {
  const r = await t.gql<{ savedViews: View[] }>(`query($l: SavedViewList!) { savedViews(list: $l) { ${FIELDS} } }`, { l }, as(email));
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!.savedViews;
};

describe('saved views', () => {
  it('saves, lists, renames and deletes a view of the owner, stored as sent, with the link that opens it', async () => {
    const me = await createUser(t);
    const filters = { status: ['NEW', 'TRIAGED'], priority: ['1'], sort: 'priority', mine: 'me' };
    const r = await create({ list: 'INCIDENTS', name: '  My P1s  ', filters }, me.email);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const view = r.data!.createSavedView;
    expect(view).toMatchObject({ list: 'INCIDENTS', name: 'My P1s', filters, shared: false, mine: true, owner: { id: me.id } });
    expect(view.href).toBe('/incidents?mine=me&priority=1&sort=priority&status=NEW&status=TRIAGED');
    const [row] = await t.sql<{ owner_id: string; filters: unknown }>(`select owner_id, filters from saved_views where id = $1`, [view.id]);
    expect(row).toEqual({ owner_id: me.id, filters });

    expect((await list('INCIDENTS', me.email)).map((v) => v.name)).toEqual(['My P1s']);
    expect(await list('PROBLEMS', me.email)).toEqual([]);
    const renamed = await update(view.id, { name: 'Critical, mine' }, me.email);
    expect(renamed.data!.updateSavedView).toMatchObject({ name: 'Critical, mine', filters });
    expect((await remove(view.id, me.email)).data!.deleteSavedView).toBe(true);
    expect(await t.sql(`select 1 from saved_views where id = $1`, [view.id])).toEqual([]);
  });

  it('keeps other users out: private views are invisible and "not found"; a team view is read-only for the team', async () => {
    const team = await createTeam(t);
    const owner = await createUser(t, { teamId: team.id });
    const colleague = await createUser(t, { teamId: team.id });
    const stranger = await createUser(t);
    const priv = (await create({ list: 'PROBLEMS', name: 'Private', filters: { known: 'yes' } }, owner.email)).data!.createSavedView;
    const shared = (await create({ list: 'PROBLEMS', name: 'Team view', filters: { q: 'disk' }, shared: true }, owner.email)).data!
      .createSavedView;
    expect(shared.shared).toBe(true);

    expect((await list('PROBLEMS', colleague.email)).map((v) => [v.name, v.mine])).toEqual([['Team view', false]]);
    expect(await list('PROBLEMS', stranger.email)).toEqual([]);
    expectGqlError(await update(priv.id, { name: 'Mine now' }, stranger.email), 'NOT_FOUND', 'id');
    expectGqlError(await remove(priv.id, colleague.email), 'NOT_FOUND', 'id');
    expectGqlError(await update(shared.id, { name: 'Hijacked' }, colleague.email), 'FORBIDDEN', 'id');
    expectGqlError(await remove(shared.id, colleague.email), 'FORBIDDEN', 'id');
    expect((await t.sql<{ name: string }>(`select name from saved_views where id = $1`, [shared.id]))[0]!.name).toBe('Team view');
    // Unshared, it disappears from the team's list.
    await update(shared.id, { shared: false }, owner.email);
    expect(await list('PROBLEMS', colleague.email)).toEqual([]);
  });

  it('refuses bad names and filters with a clear error naming the field, and writes nothing', async () => {
    const me = await createUser(t);
    const loner = me.email;
    const count = async () =>
      Number((await t.sql<{ n: string }>(`select count(*) as n from saved_views where owner_id = $1`, [me.id]))[0]!.n);
    const bad: [Record<string, unknown>, string][] = [
      [{ list: 'INCIDENTS', name: '', filters: {} }, 'name'],
      [{ list: 'INCIDENTS', name: '   ', filters: {} }, 'name'],
      [{ list: 'INCIDENTS', name: 'x'.repeat(81), filters: {} }, 'name'],
      [{ list: 'INCIDENTS', name: 'Huge', filters: { q: 'x'.repeat(5000) } }, 'filters'],
      [{ list: 'INCIDENTS', name: 'Many', filters: { status: Array.from({ length: 21 }, () => 'NEW') } }, 'filters.status'],
      [{ list: 'INCIDENTS', name: 'Unknown key', filters: { dropTable: 'yes' } }, 'filters.dropTable'],
      [{ list: 'INCIDENTS', name: 'Nested', filters: { status: { $ne: null } } }, 'filters.status'],
      [{ list: 'INCIDENTS', name: 'Number', filters: { priority: 1 } }, 'filters.priority'],
      [{ list: 'INCIDENTS', name: 'Proto', filters: JSON.parse('{"__proto__": "x"}') }, 'filters.__proto__'],
      [{ list: 'QUEUE', name: 'Wrong list key', filters: { sort: 'priority' } }, 'filters.sort'],
      [{ list: 'INCIDENTS', name: 'Nul', filters: { q: 'a\u0000b' } }, 'input.filters.q'],
      [{ list: 'INCIDENTS', name: 'Shared', filters: {}, shared: true }, 'shared'],
    ];
    for (const [input, field] of bad) expectGqlError(await create(input, loner), 'BAD_USER_INPUT', field);
    expectGqlError(await create({ list: 'NOPE', name: 'x', filters: {} }, loner), 'BAD_USER_INPUT');
    expectGqlError(
      await t.gql(`mutation { createSavedView(input: { list: INCIDENTS, name: "x", filters: "not an object" }) { id } }`, {}, as(loner)),
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(await count()).toBe(0);

    expect((await create({ list: 'MODELS', name: 'Active', filters: { status: 'ACTIVE' } }, loner)).errors).toBeUndefined();
    expectGqlError(await create({ list: 'MODELS', name: 'ACTIVE', filters: {} }, loner), 'CONFLICT', 'name');
    expectGqlError(await update(randomUUID(), { name: 'x' }, loner), 'NOT_FOUND', 'id');
    expectGqlError(await update('not-a-uuid', { name: 'x' }, loner), 'BAD_USER_INPUT', 'id');
    expect(await count()).toBe(1);
  });

  it('caps the views of a list per user', async () => {
    const me = await createUser(t);
    await t.sql(`insert into saved_views (owner_id, list, name) select $1, 'REVIEWS', 'View ' || g from generate_series(1, 50) g`, [me.id]);
    expectGqlError(await create({ list: 'REVIEWS', name: 'One more', filters: {} }, me.email), 'BAD_USER_INPUT', 'list');
  });

  it('lists views in a constant number of statements however many there are', async () => {
    const team = await createTeam(t);
    const users = [
      await createUser(t, { teamId: team.id }),
      await createUser(t, { teamId: team.id }),
      await createUser(t, { teamId: team.id }),
    ];
    for (const [n, u] of users.entries())
      for (let i = 0; i < 4; i++) await create({ list: 'WORKAROUNDS', name: `V${n}-${i}`, filters: { q: `q${i}` }, shared: true }, u.email);
    const r = await t.gql<{ savedViews: View[] }>(`query { savedViews(list: WORKAROUNDS) { ${FIELDS} } }`, {}, as(users[0]!.email));
    expect(r.data!.savedViews).toHaveLength(12);
    // Home team, views, owners (one batched lookup): not one per view.
    expect(r.extensions!.sqlStatements).toBeLessThanOrEqual(4);
  });
});
