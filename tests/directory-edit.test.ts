import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from './support/auth-factories';
import { expectGqlError } from './support/assertions';
import { createCategory, createService, createTeam, createUser, logIncident } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** Editing the directory: updateService, updateTeam, updateCategory, updateUser. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const UPDATE_SERVICE = `mutation($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id name description
  ownerTeam { id } } }`;
const UPDATE_TEAM = `mutation($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { id name description } }`;
const UPDATE_CATEGORY = `mutation($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { id name retired
  retiredAt parent { id } children { id retired } } }`;
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name email role
  team { id } } }`;
const tag = () => Math.random().toString(36).slice(2, 8);

type Service = { id: string; name: string; description: string | null; ownerTeam: { id: string } | null };
type Category = {
  id: string;
  name: string;
  retired: boolean;
  retiredAt: string | null;
  parent: { id: string } | null;
  children: { id: string; retired: boolean }[];
};

/** Runs an edit that must succeed and returns its root field, `T` as the query selects it. */
const ok = async <T>(q: string, v: Record<string, unknown>): Promise<T> => {
  const r = await t.gql<Record<string, T>>(q, v);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return Object.values(r.data!)[0]!;
};

describe('updateService', () => {
  it('changes name, description and owner team; omitted fields stay; null clears', async () => {
    const [a, b] = [await createTeam(t), await createTeam(t)];
    const s = await createService(t, { ownerTeamId: a.id });
    const name = `Payments ${tag()}`;
    let got = await ok<Service>(UPDATE_SERVICE, {
      id: s.id,
      input: { name: `  ${name}  `, description: 'Card and wallet payments', ownerTeamId: b.id },
    });
    expect(got).toEqual({ id: s.id, name, description: 'Card and wallet payments', ownerTeam: { id: b.id } });
    got = await ok<Service>(UPDATE_SERVICE, { id: s.id, input: { description: 'Only cards' } });
    expect(got).toMatchObject({ name, description: 'Only cards', ownerTeam: { id: b.id } });
    got = await ok<Service>(UPDATE_SERVICE, { id: s.id, input: { description: null, ownerTeamId: null } });
    expect(got).toMatchObject({ name, description: null, ownerTeam: null });
    const [row] = await t.sql(`select name, description, owner_team_id from services where id = $1`, [s.id]);
    expect(row).toEqual({ name, description: null, owner_team_id: null });
    // The services query sees the edit.
    expect((await t.gql<{ services: { id: string; name: string }[] }>(`{ services { id name } }`)).data!.services).toContainEqual({
      id: s.id,
      name,
    });
  });

  it('a name another service has (in any case) is a CONFLICT naming the field; its own name is fine', async () => {
    const other = await createService(t);
    const s = await createService(t);
    const e = expectGqlError(await t.gql(UPDATE_SERVICE, { id: s.id, input: { name: other.name.toUpperCase() } }), 'CONFLICT', 'name');
    expect(e.message).toContain('already exists');
    await ok<Service>(UPDATE_SERVICE, { id: s.id, input: { name: s.name.toLowerCase() } });
  });

  it('refuses a blank name, an unknown team and an unknown service without writing', async () => {
    const s = await createService(t);
    expectGqlError(await t.gql(UPDATE_SERVICE, { id: s.id, input: { name: '   ' } }), 'BAD_USER_INPUT', 'name');
    expectGqlError(await t.gql(UPDATE_SERVICE, { id: s.id, input: { name: null } }), 'BAD_USER_INPUT', 'name');
    expectGqlError(await t.gql(UPDATE_SERVICE, { id: s.id, input: { ownerTeamId: 'nope' } }), 'BAD_USER_INPUT', 'ownerTeamId');
    expectGqlError(
      await t.gql(UPDATE_SERVICE, { id: s.id, input: { name: 'Fresh', ownerTeamId: '00000000-0000-4000-8000-000000000001' } }),
      'NOT_FOUND',
      'ownerTeamId',
    );
    expectGqlError(
      await t.gql(UPDATE_SERVICE, { id: '00000000-0000-4000-8000-000000000002', input: { name: 'Fresh' } }),
      'NOT_FOUND',
      'id',
    );
    // The name in the refused call with the unknown team was not written: one transaction.
    expect((await t.sql(`select name from services where id = $1`, [s.id]))[0].name).toBe(s.name);
  });
});

describe('updateTeam', () => {
  it('renames and describes; duplicate names conflict case-insensitively', async () => {
    const [a, b] = [await createTeam(t), await createTeam(t)];
    const name = `Network ${tag()}`;
    expect(await ok<unknown>(UPDATE_TEAM, { id: a.id, input: { name, description: 'Routers and firewalls' } })).toEqual({
      id: a.id,
      name,
      description: 'Routers and firewalls',
    });
    expectGqlError(await t.gql(UPDATE_TEAM, { id: b.id, input: { name: name.toLowerCase() } }), 'CONFLICT', 'name');
    expectGqlError(await t.gql(UPDATE_TEAM, { id: b.id, input: { name: 'x'.repeat(121) } }), 'BAD_USER_INPUT', 'name');
  });
});

describe('updateCategory', () => {
  it('renames; names are unique among siblings only', async () => {
    const [p1, p2] = [await createCategory(t), await createCategory(t)];
    const [a, b] = [await createCategory(t, { parentId: p1.id }), await createCategory(t, { parentId: p1.id })];
    const c = await createCategory(t, { parentId: p2.id });
    expectGqlError(await t.gql(UPDATE_CATEGORY, { id: b.id, input: { name: a.name.toUpperCase() } }), 'CONFLICT', 'name');
    // Same name under another parent is fine.
    expect(await ok<Category>(UPDATE_CATEGORY, { id: c.id, input: { name: a.name } })).toMatchObject({
      name: a.name,
      parent: { id: p2.id },
    });
    // Moving it next to its namesake is a conflict too.
    expectGqlError(await t.gql(UPDATE_CATEGORY, { id: c.id, input: { parentId: p1.id } }), 'CONFLICT', 'name');
    expect((await t.sql(`select parent_id from categories where id = $1`, [c.id]))[0].parent_id).toBe(p2.id);
  });

  it('moves between parents within two levels', async () => {
    const [p1, p2] = [await createCategory(t), await createCategory(t)];
    const sub = await createCategory(t, { parentId: p1.id });
    const withChild = await createCategory(t);
    await createCategory(t, { parentId: withChild.id });
    expect(await ok<Category>(UPDATE_CATEGORY, { id: sub.id, input: { parentId: p2.id } })).toMatchObject({ parent: { id: p2.id } });
    expect(await ok<Category>(UPDATE_CATEGORY, { id: sub.id, input: { parentId: null } })).toMatchObject({ parent: null });
    expect(await ok<Category>(UPDATE_CATEGORY, { id: sub.id, input: { parentId: p1.id } })).toMatchObject({ parent: { id: p1.id } });
    const self = expectGqlError(await t.gql(UPDATE_CATEGORY, { id: p2.id, input: { parentId: p2.id } }), 'BAD_USER_INPUT', 'parentId');
    expect(self.message).toContain('own parent');
    // Under a subcategory: three levels.
    expectGqlError(await t.gql(UPDATE_CATEGORY, { id: p2.id, input: { parentId: sub.id } }), 'BAD_USER_INPUT', 'parentId');
    // A category with subcategories cannot become one.
    const deep = expectGqlError(
      await t.gql(UPDATE_CATEGORY, { id: withChild.id, input: { parentId: p1.id } }),
      'BAD_USER_INPUT',
      'parentId',
    );
    expect(deep.message).toContain('two levels');
    expectGqlError(
      await t.gql(UPDATE_CATEGORY, { id: sub.id, input: { parentId: '00000000-0000-4000-8000-000000000003' } }),
      'NOT_FOUND',
      'parentId',
    );
  });

  it('retires with its subcategories, keeps it on incidents, and puts it back', async () => {
    const parent = await createCategory(t);
    const [s1, s2] = [await createCategory(t, { parentId: parent.id }), await createCategory(t, { parentId: parent.id })];
    const incident = await logIncident(t, { categoryId: s1.id });
    const retired = await ok<Category>(UPDATE_CATEGORY, { id: parent.id, input: { retired: true } });
    expect(retired.retired).toBe(true);
    expect(Date.parse(retired.retiredAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(retired.children.map((c) => c.retired)).toEqual([true, true]);
    // The incident keeps its category.
    const inc = await t.gql<{ incident: { category: unknown } }>(`query($id: ID!) { incident(id: $id) { category { id retired } } }`, {
      id: incident.id,
    });
    expect(inc.data!.incident.category).toEqual({ id: s1.id, retired: true });
    // New incidents and reclassifications may not take it; reclassifying with the category it has is fine.
    const refusedLog = expectGqlError(
      await t.gql(`mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`, {
        input: { title: 'Retired pick', categoryId: s2.id },
      }),
      'BAD_USER_INPUT',
      'categoryId',
    );
    expect(refusedLog.message).toContain('retired');
    const other0 = await logIncident(t);
    expectGqlError(
      await t.gql(`mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`, {
        id: other0.id,
        input: { categoryId: s1.id },
      }),
      'BAD_USER_INPUT',
      'categoryId',
    );
    const kept = await t.gql<{ classifyIncident: { category: unknown } }>(
      `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { category { id } } }`,
      { id: incident.id, input: { categoryId: s1.id, impact: 2 } },
    );
    expect(kept.data!.classifyIncident.category).toEqual({ id: s1.id });
    // A subcategory cannot come back while its parent is retired...
    const e = expectGqlError(await t.gql(UPDATE_CATEGORY, { id: s2.id, input: { retired: false } }), 'BAD_USER_INPUT', 'retired');
    expect(e.message).toContain(parent.name);
    // ...nor can an active category move under a retired one.
    const other = await createCategory(t);
    const loose = await createCategory(t, { parentId: other.id });
    expectGqlError(await t.gql(UPDATE_CATEGORY, { id: loose.id, input: { parentId: parent.id } }), 'BAD_USER_INPUT', 'parentId');
    // Reactivating the parent, then the subcategory.
    expect(await ok<Category>(UPDATE_CATEGORY, { id: parent.id, input: { retired: false } })).toMatchObject({
      retired: false,
      retiredAt: null,
    });
    expect(await ok<Category>(UPDATE_CATEGORY, { id: s2.id, input: { retired: false } })).toMatchObject({ retired: false });
    const rows = await t.sql(`select id, retired_at from categories where id = any($1::uuid[]) order by id`, [[parent.id, s1.id, s2.id]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.retired_at !== null]))).toEqual({
      [parent.id]: false,
      [s1.id]: true,
      [s2.id]: false,
    });
  });
});

describe('updateUser', () => {
  it('changes name, email (normalised) and team; leaves role alone', async () => {
    const team = await createTeam(t);
    const u = await createUser(t, { role: 'ENGINEER' });
    const email = `New.Address.${tag()}@Example.test`;
    const got = await ok<unknown>(UPDATE_USER, { id: u.id, input: { name: ' Ada Lovelace ', email, teamId: team.id } });
    expect(got).toEqual({ id: u.id, name: 'Ada Lovelace', email: email.toLowerCase(), role: 'ENGINEER', team: { id: team.id } });
    expect(await ok<unknown>(UPDATE_USER, { id: u.id, input: { teamId: null } })).toMatchObject({ email: email.toLowerCase(), team: null });
  });

  it('an email another account has is a CONFLICT on email; a malformed one is bad input', async () => {
    const [a, b] = [await createUser(t), await createUser(t)];
    expectGqlError(await t.gql(UPDATE_USER, { id: b.id, input: { email: a.email.toUpperCase() } }), 'CONFLICT', 'email');
    expectGqlError(await t.gql(UPDATE_USER, { id: b.id, input: { email: 'not-an-email' } }), 'BAD_USER_INPUT', 'email');
    expectGqlError(
      await t.gql(UPDATE_USER, { id: b.id, input: { teamId: '00000000-0000-4000-8000-000000000004' } }),
      'NOT_FOUND',
      'teamId',
    );
  });

  it('the new email signs in; the account keeps its password', async () => {
    const actor = await createActor(t, 'ENGINEER');
    const email = `moved-${tag()}@example.test`;
    await ok<unknown>(UPDATE_USER, { id: actor.userId, input: { email } });
    const signIn = `mutation($input: SignInInput!) { signIn(input: $input) { user { id email } } }`;
    const r = await t.gql<{ signIn: { user: unknown } }>(signIn, { input: { email, password: actor.password } }, { authorization: '' });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data!.signIn.user).toEqual({ id: actor.userId, email });
  });
});

describe('only admins edit the directory, and every edit is audited', () => {
  it('refuses engineers with FORBIDDEN and records the admin edit with before and after', async () => {
    const s = await createService(t);
    const engineer = await createActor(t, 'ENGINEER');
    const r = await t.gql(UPDATE_SERVICE, { id: s.id, input: { name: 'Hijacked' } }, { authorization: `Bearer ${engineer.token}` });
    expectGqlError(r, 'FORBIDDEN');
    expect((await t.sql(`select name from services where id = $1`, [s.id]))[0].name).toBe(s.name);
    const name = `Audited ${tag()}`;
    await ok<Service>(UPDATE_SERVICE, { id: s.id, input: { name } });
    const [audit] = await t.sql<{ before: { name: string } | null; after: { name: string } | null }>(
      `select operation, target_type, target_id, before, after from audit_log where operation = 'updateService' and target_id = $1
        order by id desc limit 1`,
      [s.id],
    );
    expect(audit).toMatchObject({ operation: 'updateService', target_type: 'services', target_id: s.id });
    expect(audit.before?.name).toBe(s.name);
    expect(audit.after?.name).toBe(name);
  });
});
