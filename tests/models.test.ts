import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbSnapshot, expectGqlError, expectSameDb } from './support/assertions';
import { createCategory, createService, createTeam, createUser, incidentIn, logIncident, mutate, transition } from './support/factories';
import {
  applyModel,
  createModel,
  createSlaPolicy,
  insertWorkaround,
  MODEL_FIELDS,
  updateModel,
  VERSION_FIELDS,
} from './support/model-factories';
import type { ChecklistItem, Effectiveness, Json, Model, ModelVersion, Page } from './support/gql-types';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Incident models: versioned recipes that are suggested for an incident with reasons,
 * applied in one transaction (classification, team, checklist, SLA override), ticked, retired,
 * made from resolved incidents; bad input refused with nothing written; list fields N+1-free.
 */

let t: TestApp;
let dir: {
  team: { id: string; name: string };
  otherTeam: { id: string; name: string };
  user: { id: string; name: string; email: string };
  payments: { id: string; name: string };
  search: { id: string; name: string };
  network: { id: string; name: string };
  dns: { id: string; name: string };
  software: { id: string; name: string };
  premium: { id: string; name: string };
};

beforeAll(async () => {
  t = await startTestApp();
  const team = await createTeam(t, { name: 'Payments on-call' });
  const otherTeam = await createTeam(t, { name: 'Search team' });
  const user = await createUser(t, { name: 'Ada Lovelace', teamId: team.id });
  const payments = await createService(t, { name: 'Payments API', ownerTeamId: team.id });
  const search = await createService(t, { name: 'Search', ownerTeamId: otherTeam.id });
  const network = await createCategory(t, { name: 'Network' });
  const dns = await createCategory(t, { name: 'DNS', parentId: network.id });
  const software = await createCategory(t, { name: 'Software' });
  const premium = await createSlaPolicy(t, { name: 'Payments premium', scale: 2 });
  dir = { team, otherTeam, user, payments, search, network, dns, software, premium };
});
afterAll(async () => {
  await t?.close();
});

const Q = {
  create: `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`,
  update: `mutation($id: ID!, $input: UpdateIncidentModelInput!) { updateIncidentModel(id: $id, input: $input) { id currentVersion } }`,
  fromIncident: `mutation($incidentId: ID!, $input: CreateIncidentModelInput!) { createIncidentModelFromIncident(incidentId:
    $incidentId, input: $input) { id } }`,
  apply: `mutation($incidentId: ID!, $modelId: ID!) { applyIncidentModel(incidentId: $incidentId, modelId: $modelId) { id } }`,
  tick: `mutation($itemId: ID!, $done: Boolean!) { setChecklistItemDone(itemId: $itemId, done: $done) { id done doneAt doneByName
    incident { timeline { kind summary before after data } } } }`,
  retire: `mutation($id: ID!) { retireIncidentModel(id: $id) { id status } }`,
  reactivate: `mutation($id: ID!) { reactivateIncidentModel(id: $id) { id status } }`,
  suggest: `query($id: ID!, $first: Int) { suggestIncidentModels(incidentId: $id, first: $first) { score strength reasons model { id
    name status } version { id version } } }`,
};

type Tick = {
  setChecklistItemDone: ChecklistItem & {
    incident: { timeline: { kind: string; summary: string; before: Json; after: Json; data: Json }[] };
  };
};

type Suggestions = {
  suggestIncidentModels: {
    score: number;
    strength: string;
    reasons: string[];
    model: { id: string; name: string; status: string };
    version: { id: string; version: number };
  }[];
};

/** What the N+1 test reads of a listed model. */
interface ListedModel {
  id: string;
  name: string;
  current: { workarounds: { id: string; models: { id: string; name: string }[] }[] };
  incidents: Page<{ number: string }>;
}

/** A full recipe on the Payments API service. */
function paymentsRecipe(extra: Record<string, unknown> = {}) {
  return {
    description: 'Checkout fails with gateway errors',
    matchServiceId: dir.payments.id,
    matchCategoryId: dir.software.id,
    matchKeywords: ['502', 'Gateway ', 'gateway'],
    defaultCategoryId: dir.software.id,
    defaultImpact: 1,
    defaultUrgency: 2,
    defaultTeamId: dir.team.id,
    checklist: ['Check the load balancer', '  Restart the payment pods ', 'Tell the store team'],
    slaPolicyId: dir.premium.id,
    reviewTemplate: '## What happened\n',
    ...extra,
  };
}

describe('create and update make versions', () => {
  it('creates version 1 with the whole recipe, normalized', async () => {
    const w = await insertWorkaround(t, { title: 'Drain the node' });
    const m = await createModel(t, paymentsRecipe({ name: 'Payments 502', workaroundIds: [w.id, w.id], note: 'first cut' }));
    expect(m).toMatchObject({ name: 'Payments 502', status: 'ACTIVE', currentVersion: 1, sourceIncident: null });
    expect(m.current).toMatchObject({
      version: 1,
      isCurrent: true,
      description: 'Checkout fails with gateway errors',
      matchKeywords: ['502', 'gateway'],
      checklist: ['Check the load balancer', 'Restart the payment pods', 'Tell the store team'],
      defaultImpact: 1,
      defaultUrgency: 2,
      note: 'first cut',
      reviewTemplate: '## What happened\n',
      matchService: { name: 'Payments API' },
      matchCategory: { name: 'Software' },
      defaultCategory: { name: 'Software' },
      defaultTeam: { name: 'Payments on-call' },
      slaPolicy: { name: 'Payments premium' },
      workarounds: [{ id: w.id, title: 'Drain the node', status: 'ACTIVE' }],
    });
    expect(m.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it('an edit writes version 2; version 1 stays readable and an incident that applied v1 still shows v1', async () => {
    const m = await createModel(t, paymentsRecipe({ slaPolicyId: null }));
    const v1 = m.current;
    const inc = await logIncident(t, { serviceId: dir.payments.id });
    const applied = await applyModel(t, inc.id, m.id);
    expect(applied.model).toMatchObject({ id: v1.id, version: 1 });

    const m2 = await updateModel(t, m.id, { checklist: ['Only step'], defaultUrgency: null, note: 'simpler' });
    expect(m2.currentVersion).toBe(2);
    expect(m2.current).toMatchObject({
      version: 2,
      checklist: ['Only step'],
      defaultUrgency: null,
      defaultImpact: 1,
      note: 'simpler',
      matchService: { name: 'Payments API' },
    });
    expect(m2.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const old = ok(
      await t.gql<{ incidentModelVersion: ModelVersion & { model: { id: string; currentVersion: number } } }>(
        `query($id: ID!) { incidentModelVersion(id: $id) { ${VERSION_FIELDS} model { id currentVersion } } }`,
        { id: v1.id },
      ),
    ).incidentModelVersion;
    expect(old).toMatchObject({ ...v1, isCurrent: false, model: { id: m.id, currentVersion: 2 } });

    const again = ok(
      await t.gql<{ incident: { model: { id: string }; checklist: { text: string }[] } }>(
        `query($id: ID!) { incident(id: $id) { model { id version model { currentVersion } } checklist { text
          modelVersion { version } } } }`,
        { id: inc.id },
      ),
    ).incident;
    expect(again.model).toEqual({ id: v1.id, version: 1, model: { currentVersion: 2 } });
    expect(again.checklist.map((c: { text: string }) => c.text)).toEqual(v1.checklist);

    // A rename alone, or the same recipe again, makes no version.
    const renamed = await updateModel(t, m.id, { name: `${m.name} (renamed)`, checklist: ['Only step'] });
    expect(renamed).toMatchObject({ name: `${m.name} (renamed)`, currentVersion: 2 });

    // Versions are immutable in the database too.
    await expect(t.sql(`update incident_model_versions set description = 'x' where id = $1`, [v1.id])).rejects.toThrow(/immutable/);
  });
});

describe('suggestions', () => {
  it('returns active models that match, best first, with reasons', async () => {
    const strong = await createModel(t, {
      name: 'Gateway 502 on payments',
      matchServiceId: dir.payments.id,
      matchCategoryId: dir.software.id,
      matchKeywords: ['502', 'timeout'],
    });
    const weak = await createModel(t, { name: 'Any 502', matchKeywords: ['502'] });
    const parent = await createModel(t, { name: 'Network trouble', matchCategoryId: dir.network.id });
    const described = await createModel(t, { name: 'Timeouts', matchKeywords: ['timeout'] });
    await createModel(t, { name: 'Search only', matchServiceId: dir.search.id, matchKeywords: ['1502'] });
    const retired = await createModel(t, { name: 'Old 502', matchServiceId: dir.payments.id, matchKeywords: ['502'] });
    await mutate(t, Q.retire, { id: retired.id });

    const inc = await logIncident(t, {
      title: 'Checkout returns HTTP 502',
      description: 'Users see a gateway timeout after 15023 ms',
      serviceId: dir.payments.id,
      categoryId: dir.software.id,
    });
    const s = ok(await t.gql<Suggestions>(Q.suggest, { id: inc.id, first: 50 })).suggestIncidentModels;
    const mine = ['Gateway 502 on payments', 'Any 502', 'Timeouts', 'Network trouble', 'Search only', 'Old 502'];
    const byName = Object.fromEntries(s.map((x: { model: { name: string } }) => [x.model.name, x]));
    expect(s.map((x: { model: { name: string } }) => x.model.name).filter((n: string) => mine.includes(n))).toEqual([
      'Gateway 502 on payments',
      'Any 502',
      'Timeouts',
    ]);
    expect(byName['Gateway 502 on payments']).toMatchObject({
      score: 100, // keywords 35 + 30 capped at 60, category 25, service 15
      strength: 'STRONG',
      reasons: ['title mentions "502"', 'description mentions "timeout"', 'same category: Software', 'same service: Payments API'],
      version: { version: 1 },
      model: { id: strong.id, status: 'ACTIVE' },
    });
    expect(byName['Any 502']).toMatchObject({ score: 35, strength: 'POSSIBLE', reasons: ['title mentions "502"'], model: { id: weak.id } });
    expect(byName.Timeouts).toMatchObject({
      score: 30,
      strength: 'POSSIBLE',
      reasons: ['description mentions "timeout"'],
      model: { id: described.id },
    });
    // Whole words only: "1502" is not in "15023"; other service, other category: no match at all.
    expect(byName['Search only']).toBeUndefined();
    expect(byName['Network trouble']).toBeUndefined();
    // Retired models are never suggested.
    expect(byName['Old 502']).toBeUndefined();
    for (let i = 1; i < s.length; i++) expect(s[i - 1].score).toBeGreaterThanOrEqual(s[i].score);

    // A subcategory matches a model on its parent category, but that alone is too weak to offer.
    const dnsInc = await logIncident(t, { title: 'Name resolution flaky', categoryId: dir.dns.id });
    const mineOnly = (l: Suggestions['suggestIncidentModels']) => l.filter((x) => x.model.name.startsWith('Network '));
    expect(mineOnly(ok(await t.gql<Suggestions>(Q.suggest, { id: dnsInc.id, first: 5 })).suggestIncidentModels)).toEqual([]);
    const flaps = await createModel(t, { name: 'Network flaps', matchCategoryId: dir.network.id, matchKeywords: ['flaky'] });
    expect(mineOnly(ok(await t.gql<Suggestions>(Q.suggest, { id: dnsInc.id, first: 5 })).suggestIncidentModels)).toEqual([
      {
        score: 35 + 15,
        strength: 'POSSIBLE',
        reasons: ['title mentions "flaky"', 'category DNS is under Network'],
        model: { id: flaps.id, name: 'Network flaps', status: 'ACTIVE' },
        version: expect.any(Object),
      },
    ]);
    expect(parent.id).not.toBe(flaps.id);

    // first limits; bad ids are refused.
    expect(ok(await t.gql<Suggestions>(Q.suggest, { id: inc.id, first: 1 })).suggestIncidentModels).toHaveLength(1);
    expectGqlError(await t.gql(Q.suggest, { id: randomUUID() }), 'NOT_FOUND', 'incidentId');
    expectGqlError(await t.gql(Q.suggest, { id: inc.id, first: 51 }), 'BAD_USER_INPUT', 'first');
  });
});

describe('apply', () => {
  it('fills classification, priority, team, checklist and SLA override in one step, with events', async () => {
    const w = await insertWorkaround(t);
    const m = await createModel(t, paymentsRecipe({ workaroundIds: [w.id] }));
    // The priority the matrix gives impact 1 x urgency 2, however the matrix is configured.
    const control = await logIncident(t, { impact: 1, urgency: 2 });
    const inc = await logIncident(t, { serviceId: dir.payments.id });
    expect(inc).toMatchObject({ status: 'NEW', impact: 3, urgency: 3, team: null, category: null });

    const a = await applyModel(t, inc.id, m.id, { 'x-actor-email': dir.user.email });
    expect(a).toMatchObject({
      status: 'TRIAGED',
      impact: 1,
      urgency: 2,
      priority: control.priority,
      category: { id: dir.software.id },
      team: { id: dir.team.id },
      model: { id: m.current.id, version: 1, model: { id: m.id, name: m.name } },
    });
    expect(a.checklist.map((c: { position: number; text: string; done: boolean }) => [c.position, c.text, c.done])).toEqual([
      [1, 'Check the load balancer', false],
      [2, 'Restart the payment pods', false],
      [3, 'Tell the store team', false],
    ]);
    expect(a.modelApplications).toEqual([
      expect.objectContaining({ appliedByName: 'Ada Lovelace', modelVersion: { id: m.current.id, version: 1 } }),
    ]);
    expect(a.slaClocks.map((c: { policyName: string }) => c.policyName)).toEqual(['Payments premium', 'Payments premium']);

    const kinds = a.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['LOGGED', 'CLASSIFIED', 'STATUS_CHANGED', 'ASSIGNED', 'MODEL_APPLIED']);
    const ev = a.timeline.at(-1)!;
    expect(ev.summary).toContain(m.name);
    expect(ev.before).toMatchObject({ modelVersionId: null, impact: 3, urgency: 3, categoryId: null, teamId: null });
    expect(ev.after).toMatchObject({
      modelVersionId: m.current.id,
      impact: 1,
      urgency: 2,
      categoryId: dir.software.id,
      teamId: dir.team.id,
    });
    expect(ev.after?.slaPolicyVersionId).toBeTruthy();
    expect(ev.data).toMatchObject({ incidentModelId: m.id, version: 1, checklistSteps: 3 });

    // The same version twice is refused, and nothing is written.
    const before = await dbSnapshot(t);
    const again = expectGqlError(await t.gql(Q.apply, { incidentId: inc.id, modelId: m.id }), 'CONFLICT', 'modelId');
    expect(again.extensions?.reason).toBe('ALREADY_APPLIED');
    expectSameDb(before, await dbSnapshot(t), 'applying the same version twice');

    // A new version can be applied: its steps join the checklist.
    await updateModel(t, m.id, { checklist: ['Verify checkout'], slaPolicyId: null });
    const b = await applyModel(t, inc.id, m.id);
    expect(b.model!.version).toBe(2);
    expect(b.checklist.map((c) => `${c.modelVersion!.version}:${c.text}`)).toEqual([
      '1:Check the load balancer',
      '1:Restart the payment pods',
      '1:Tell the store team',
      '2:Verify checkout',
    ]);
    expect(b.modelApplications.map((x: { modelVersion: { version: number } }) => x.modelVersion.version)).toEqual([1, 2]);
    // Classification already matched the defaults: only the model event this time.
    expect(b.timeline.slice(a.timeline.length).map((e: { kind: string }) => e.kind)).toEqual(['MODEL_APPLIED']);
    // The SLA override stays: v2 has none, so the incident keeps the policy it had.
    expect(b.slaClocks[0].policyName).toBe('Payments premium');

    // The model lists the incident once, whatever versions it applied.
    const listed = ok(
      await t.gql<{ incidentModel: { incidents: Page<{ id: string }> } }>(
        `query($id: ID!) { incidentModel(id: $id) { incidents(first: 10) { totalCount nodes { id } } } }`,
        { id: m.id },
      ),
    ).incidentModel.incidents;
    expect(listed).toEqual({ totalCount: 1, nodes: [{ id: inc.id }] });
  });

  it('refuses read-only incidents and unknown ids, with nothing written', async () => {
    const m = await createModel(t, paymentsRecipe());
    const closed = await incidentIn(t, 'CLOSED');
    const open = await logIncident(t);
    const before = await dbSnapshot(t);
    expectGqlError(await t.gql(Q.apply, { incidentId: closed.id, modelId: m.id }), 'INCIDENT_READ_ONLY');
    expectGqlError(await t.gql(Q.apply, { incidentId: randomUUID(), modelId: m.id }), 'NOT_FOUND', 'incidentId');
    expectGqlError(await t.gql(Q.apply, { incidentId: open.id, modelId: randomUUID() }), 'NOT_FOUND', 'modelId');
    expectGqlError(await t.gql(Q.apply, { incidentId: open.id, modelId: 'nope' }), 'BAD_USER_INPUT', 'modelId');
    expectSameDb(before, await dbSnapshot(t), 'refused applications');
  });
});

describe('checklist', () => {
  it('ticking and unticking a step are events; a repeated tick changes nothing', async () => {
    const m = await createModel(t, { checklist: ['Page the DBA', 'Fail over'] });
    const inc = await incidentIn(t, 'INVESTIGATING');
    const a = await applyModel(t, inc.id, m.id);
    const [first] = a.checklist;
    const headers = { 'x-actor-email': dir.user.email };

    const done = ok(await t.gql<Tick>(Q.tick, { itemId: first.id, done: true }, headers)).setChecklistItemDone;
    expect(done).toMatchObject({ id: first.id, done: true, doneByName: 'Ada Lovelace' });
    expect(done.doneAt).toBeTruthy();
    const ev = done.incident.timeline.at(-1)!;
    expect(ev).toMatchObject({
      kind: 'CHECKLIST_ITEM_DONE',
      before: { done: false },
      after: { done: true, doneByName: 'Ada Lovelace' },
      data: { checklistItemId: first.id, position: 1 },
    });
    expect(ev.summary).toContain('Page the DBA');

    const events = done.incident.timeline.length;
    const repeat = ok(await t.gql<Tick>(Q.tick, { itemId: first.id, done: true })).setChecklistItemDone;
    expect(repeat.incident.timeline).toHaveLength(events);

    const undone = ok(await t.gql<Tick>(Q.tick, { itemId: first.id, done: false })).setChecklistItemDone;
    expect(undone).toMatchObject({ done: false, doneAt: null, doneByName: null });
    expect(undone.incident.timeline.at(-1)).toMatchObject({
      kind: 'CHECKLIST_ITEM_UNDONE',
      before: { done: true },
      after: { done: false },
    });

    expectGqlError(await t.gql(Q.tick, { itemId: randomUUID(), done: true }), 'NOT_FOUND', 'itemId');

    // A closed incident's checklist is read-only like the rest of it.
    await transition(t, inc.id, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX' });
    await transition(t, inc.id, { to: 'CLOSED', userConfirmed: true });
    const snap = await dbSnapshot(t);
    expectGqlError(await t.gql(Q.tick, { itemId: first.id, done: true }), 'INCIDENT_READ_ONLY');
    expectSameDb(snap, await dbSnapshot(t), 'ticking on a closed incident');
  });
});

describe('retire', () => {
  it('a retired model is not suggested, cannot be applied or edited, and can be reactivated', async () => {
    const m = await createModel(t, {
      name: 'Disk full on Search',
      matchServiceId: dir.search.id,
      matchKeywords: ['disk'],
      checklist: ['Rotate logs'],
    });
    const inc = await logIncident(t, { serviceId: dir.search.id, title: 'Disk full' });
    const names = async () =>
      ok(await t.gql<Suggestions>(Q.suggest, { id: inc.id, first: 50 })).suggestIncidentModels.map((s) => s.model.name);
    expect(await names()).toContain('Disk full on Search');

    expect(await mutate(t, Q.retire, { id: m.id })).toEqual({ id: m.id, status: 'RETIRED' });
    expect(await names()).not.toContain('Disk full on Search');
    const before = await dbSnapshot(t);
    const e = expectGqlError(await t.gql(Q.apply, { incidentId: inc.id, modelId: m.id }), 'CONFLICT', 'modelId');
    expect(e.extensions?.reason).toBe('MODEL_RETIRED');
    expectGqlError(await t.gql(Q.update, { id: m.id, input: { checklist: ['x'] } }), 'CONFLICT');
    expectSameDb(before, await dbSnapshot(t), 'retired model refused');

    const listed = ok(
      await t.gql<{ incidentModels: Page<{ id: string }> }>(`{ incidentModels(status: RETIRED, first: 100) { nodes { id } totalCount } }`),
    ).incidentModels;
    expect(listed.nodes.map((n: { id: string }) => n.id)).toContain(m.id);

    expect(await mutate(t, Q.reactivate, { id: m.id })).toEqual({ id: m.id, status: 'ACTIVE' });
    expect(await names()).toContain('Disk full on Search');
    const a = await applyModel(t, inc.id, m.id);
    expect(a.checklist.map((c: { text: string }) => c.text)).toEqual(['Rotate logs']);
  });
});

describe('create from an incident', () => {
  it('prefills hints and defaults from a resolved incident and keeps it as the source', async () => {
    const w = await insertWorkaround(t, { title: 'Flush the DNS cache' });
    const retiredW = await insertWorkaround(t, { status: 'RETIRED' });
    const inc = await incidentIn(t, 'RESOLVED', {
      title: 'VPN drops every hour for remote staff',
      serviceId: dir.search.id,
      categoryId: dir.dns.id,
      teamId: dir.otherTeam.id,
    });
    for (const wid of [w.id, retiredW.id]) {
      await t.sql(
        `insert into workaround_applications (id, workaround_id, incident_id, applied_at, applied_by_name) values ($1, $2, $3, now(),
          'test')`,
        [randomUUID(), wid, inc.id],
      );
    }
    const m = await mutate<Model>(
      t,
      `mutation($id: ID!, $input: CreateIncidentModelInput!) { createIncidentModelFromIncident(incidentId: $id, input:
        $input) { ${MODEL_FIELDS} } }`,
      {
        id: inc.id,
        input: { name: 'VPN hourly drops', checklist: ['Check the tunnel'] },
      },
    );
    expect(m).toMatchObject({ name: 'VPN hourly drops', currentVersion: 1, sourceIncident: { id: inc.id, number: inc.number } });
    expect(m.current).toMatchObject({
      matchService: { id: dir.search.id },
      matchCategory: { id: dir.dns.id },
      defaultCategory: { id: dir.dns.id },
      defaultTeam: { id: dir.otherTeam.id },
      defaultImpact: inc.impact,
      defaultUrgency: inc.urgency,
      matchKeywords: ['vpn', 'drops', 'every', 'hour', 'remote', 'staff'],
      checklist: ['Check the tunnel'],
      workarounds: [{ id: w.id, title: 'Flush the DNS cache', status: 'ACTIVE' }],
      note: `Made from ${inc.number}`,
    });
    expect(m.current.description).toContain(inc.number);
    const timeline = ok(
      await t.gql<{ incident: { timeline: { kind: string; summary: string; data: Json }[] } }>(
        `query($id: ID!) { incident(id: $id) { timeline { kind summary data } } }`,
        { id: inc.id },
      ),
    ).incident.timeline;
    expect(timeline.at(-1)).toMatchObject({ kind: 'KNOWLEDGE_CREATED', data: { incidentModelId: m.id } });

    // Given values win over the prefill, and null clears a prefilled one.
    const reviewed = await incidentIn(t, 'REVIEWED', { serviceId: dir.payments.id, title: 'Payments 502 burst' });
    const m2 = await mutate<Model>(
      t,
      `mutation($id: ID!, $input: CreateIncidentModelInput!) { createIncidentModelFromIncident(incidentId: $id, input:
        $input) { ${MODEL_FIELDS} } }`,
      {
        id: reviewed.id,
        input: { name: 'From a reviewed incident', matchKeywords: ['burst'], matchServiceId: null, defaultImpact: 1 },
      },
    );
    expect(m2.current).toMatchObject({ matchKeywords: ['burst'], matchService: null, defaultImpact: 1, defaultUrgency: reviewed.urgency });
  });

  it('is refused for an open incident, with nothing written', async () => {
    const open = await incidentIn(t, 'INVESTIGATING');
    const before = await dbSnapshot(t);
    expectGqlError(await t.gql(Q.fromIncident, { incidentId: open.id, input: { name: 'Too early' } }), 'BAD_USER_INPUT', 'incidentId');
    expectGqlError(await t.gql(Q.fromIncident, { incidentId: randomUUID(), input: { name: 'Nobody' } }), 'NOT_FOUND', 'incidentId');
    expectSameDb(before, await dbSnapshot(t), 'refused create from incident');
  });
});

describe('bad input', () => {
  it('is refused with the field named and nothing written', async () => {
    const existing = await createModel(t, { name: 'Existing model', checklist: ['a'] });
    const retired = await insertWorkaround(t, { status: 'RETIRED' });
    const long = (n: number) => 'x'.repeat(n);
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['empty name', { name: '' }, 'BAD_USER_INPUT', 'name'],
      ['blank name', { name: '   ' }, 'BAD_USER_INPUT', 'name'],
      ['long name', { name: long(201) }, 'BAD_USER_INPUT', 'name'],
      ['duplicate name', { name: 'EXISTING model' }, 'CONFLICT', 'name'],
      ['101 steps', { checklist: Array.from({ length: 101 }, (_, i) => `step ${i}`) }, 'BAD_USER_INPUT', 'checklist'],
      ['long step', { checklist: ['ok', long(501)] }, 'BAD_USER_INPUT', 'checklist'],
      ['blank step', { checklist: ['ok', '  '] }, 'BAD_USER_INPUT', 'checklist'],
      ['31 keywords', { matchKeywords: Array.from({ length: 31 }, (_, i) => `k${i}`) }, 'BAD_USER_INPUT', 'matchKeywords'],
      ['long keyword', { matchKeywords: [long(61)] }, 'BAD_USER_INPUT', 'matchKeywords'],
      ['empty keyword', { matchKeywords: [''] }, 'BAD_USER_INPUT', 'matchKeywords'],
      ['impact 0', { defaultImpact: 0 }, 'BAD_USER_INPUT', 'defaultImpact'],
      ['urgency 4', { defaultUrgency: 4 }, 'BAD_USER_INPUT', 'defaultUrgency'],
      ['bad service id', { matchServiceId: 'nope' }, 'BAD_USER_INPUT', 'matchServiceId'],
      ['unknown service', { matchServiceId: randomUUID() }, 'NOT_FOUND', 'matchServiceId'],
      ['unknown category', { matchCategoryId: randomUUID() }, 'NOT_FOUND', 'matchCategoryId'],
      ['unknown default category', { defaultCategoryId: randomUUID() }, 'NOT_FOUND', 'defaultCategoryId'],
      ['unknown team', { defaultTeamId: randomUUID() }, 'NOT_FOUND', 'defaultTeamId'],
      ['unknown SLA policy', { slaPolicyId: randomUUID() }, 'NOT_FOUND', 'slaPolicyId'],
      ['unknown workaround', { workaroundIds: [randomUUID()] }, 'NOT_FOUND', 'workaroundIds'],
      ['retired workaround', { workaroundIds: [retired.id] }, 'BAD_USER_INPUT', 'workaroundIds'],
    ];
    const before = await dbSnapshot(t);
    for (const [what, input, code, field] of cases) {
      const name = 'name' in input ? input.name : `Fresh ${what}`;
      const r = await t.gql(Q.create, { input: { ...paymentsRecipe(), ...input, name } });
      const e = expectGqlError(r, code, field);
      expect(e.message, what).toBeTruthy();
      if (field !== 'name') {
        // The same recipe is refused by an edit, which keeps the current version.
        expectGqlError(await t.gql(Q.update, { id: existing.id, input }), code, field);
      }
    }
    expectGqlError(await t.gql(Q.update, { id: randomUUID(), input: { checklist: ['a'] } }), 'NOT_FOUND', 'id');
    expectGqlError(await t.gql(Q.update, { id: existing.id, input: { name: ' ' } }), 'BAD_USER_INPUT', 'name');
    expectSameDb(before, await dbSnapshot(t), 'bad model input');
    const [{ n }] = await t.sql(`select count(*)::int as n from incident_model_versions where model_id = $1`, [existing.id]);
    expect(n).toBe(1);
  });
});

describe('effectiveness', () => {
  it('matches a brute-force computation from the incidents and their timelines', async () => {
    const m = await createModel(t, { name: 'Effectiveness probe', checklist: ['one'], defaultImpact: 2 });
    const fast = await logIncident(t, { openedAt: new Date(Date.now() - 3 * 3600_000).toISOString() });
    await applyModel(t, fast.id, m.id);
    await transition(t, fast.id, { to: 'INVESTIGATING' });
    await transition(t, fast.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });

    const reopened = await logIncident(t);
    await applyModel(t, reopened.id, m.id);
    await transition(t, reopened.id, { to: 'INVESTIGATING' });
    await transition(t, reopened.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });
    await mutate(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "came back") { id } }`, { id: reopened.id });
    await transition(t, reopened.id, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX' });

    const stillOpen = await logIncident(t);
    await applyModel(t, stillOpen.id, m.id);

    // Applied after it was resolved: not "resolved after application".
    const late = await incidentIn(t, 'RESOLVED');
    await applyModel(t, late.id, m.id);

    // Two versions on one incident: two applications, one incident.
    await updateModel(t, m.id, { checklist: ['two'] });
    await applyModel(t, stillOpen.id, m.id);

    const data = ok(
      await t.gql<{
        incidentModel: {
          effectiveness: Effectiveness;
          incidents: Page<{ id: string; status: string; resolvedAt: string | null; timeline: { kind: string; at: string; data: Json }[] }>;
        };
      }>(
        `query($id: ID!) { incidentModel(id: $id) {
      effectiveness { timesApplied incidents resolvedIncidents resolvedWithoutReopen inFlight resolvedWithoutReopenShare
        medianMinutesToResolution }
      incidents(first: 100) { totalCount nodes { id status resolvedAt timeline { kind at data } } } } }`,
        { id: m.id },
      ),
    ).incidentModel;

    // Brute force, from what the API shows.
    const facts = data.incidents.nodes.map((i) => {
      const applied = i.timeline.filter((e) => e.kind === 'MODEL_APPLIED' && e.data?.incidentModelId === m.id).map((e) => Date.parse(e.at));
      const first = Math.min(...applied);
      const resolvedAt = i.resolvedAt ? Date.parse(i.resolvedAt) : null;
      const resolved = resolvedAt !== null && resolvedAt >= first;
      const reopenedAfter = i.timeline.some((e) => e.kind === 'REOPENED' && Date.parse(e.at) > first);
      const inFlight = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD'].includes(i.status) && !reopenedAfter;
      return { applications: applied.length, resolved, reopenedAfter, inFlight, minutes: resolved ? (resolvedAt! - first) / 60_000 : null };
    });
    const minutes = facts
      .filter((f) => f.minutes !== null)
      .map((f) => f.minutes as number)
      .sort((a: number, b: number) => a - b);
    const median =
      minutes.length === 0
        ? null
        : minutes.length % 2
          ? minutes[(minutes.length - 1) / 2]
          : (minutes[minutes.length / 2 - 1] + minutes[minutes.length / 2]) / 2;
    const resolvedWithoutReopen = facts.filter((f: { resolved: boolean; reopenedAfter: boolean }) => f.resolved && !f.reopenedAfter).length;
    // Still open: no outcome yet, in neither side of the rate.
    const inFlight = facts.filter((f) => f.inFlight).length;
    expect(data.incidents.totalCount).toBe(4);
    expect(data.effectiveness).toMatchObject({
      timesApplied: facts.reduce((s: number, f: { applications: number }) => s + f.applications, 0),
      incidents: facts.length,
      resolvedIncidents: facts.filter((f: { resolved: boolean }) => f.resolved).length,
      resolvedWithoutReopen,
      inFlight,
      resolvedWithoutReopenShare: resolvedWithoutReopen / (facts.length - inFlight),
    });
    expect(data.effectiveness).toMatchObject({
      timesApplied: 5,
      incidents: 4,
      resolvedIncidents: 2,
      resolvedWithoutReopen: 1,
      inFlight: 1,
    });
    expect(data.effectiveness.resolvedWithoutReopenShare).toBeCloseTo(1 / 3, 9);
    expect(data.effectiveness.medianMinutesToResolution).toBeCloseTo(median!, 3);
  });
});

describe('lists and N+1', () => {
  const LIST = `query($first: Int, $after: String) { incidentModels(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      id name status currentVersion
      sourceIncident { number }
      effectiveness { timesApplied medianMinutesToResolution }
      current { ${VERSION_FIELDS} model { name } workarounds { id models { id name } } }
      versions { version matchKeywords workarounds { title } defaultTeam { name } }
      incidents(first: 3) { totalCount pageInfo { hasNextPage } nodes { number model { version } checklist { text done
        modelVersion { version } } modelApplications { appliedByName } } }
    } } }`;

  it('pages by name and costs the same statements for 5 and 50 models', async () => {
    // A fresh app keeps the counts to this test's own models.
    const app = await startTestApp();
    try {
      const team = await createTeam(app);
      const service = await createService(app, { ownerTeamId: team.id });
      const category = await createCategory(app);
      const sla = await createSlaPolicy(app);
      const make = async (i: number) => {
        const w = await insertWorkaround(app);
        const m = await createModel(
          app,
          {
            name: `N+1 model ${String(i).padStart(3, '0')}`,
            matchServiceId: service.id,
            matchCategoryId: category.id,
            matchKeywords: ['kw'],
            defaultCategoryId: category.id,
            defaultTeamId: team.id,
            defaultImpact: 2,
            defaultUrgency: 2,
            checklist: ['a', 'b'],
            workaroundIds: [w.id],
            slaPolicyId: sla.id,
          },
          'id',
        );
        await updateModel(app, m.id, { checklist: ['a', 'b', 'c'] }, 'id');
        const inc = await logIncident(app, { serviceId: service.id });
        await applyModel(app, inc.id, m.id);
      };
      for (let i = 0; i < 5; i++) await make(i);
      const small = await app.gql<{ incidentModels: Page<ListedModel> }>(LIST, { first: 100 });
      expect(small.errors).toBeUndefined();
      expect(small.data!.incidentModels.nodes).toHaveLength(5);
      for (let i = 5; i < 50; i++) await make(i);
      const big = await app.gql<{ incidentModels: Page<ListedModel> }>(LIST, { first: 100 });
      expect(big.errors).toBeUndefined();
      expect(big.data!.incidentModels.nodes).toHaveLength(50);
      expect(big.data!.incidentModels.totalCount).toBe(50);
      const node = big.data!.incidentModels.nodes[7]!;
      expect(node.current.workarounds[0].models).toEqual([{ id: node.id, name: node.name }]);
      expect(node.incidents.nodes[0]).toMatchObject({ model: { version: 2 }, checklist: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
      expect(small.extensions?.sqlStatements).toBeGreaterThan(0);
      expect(big.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);

      // Pages by name, case-insensitively, without gaps or repeats.
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Page<{ name: string }> = ok(
          await app.gql<{ incidentModels: Page<{ name: string }> }>(
            `query($after: String) { incidentModels(first: 20, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } }`,
            { after },
          ),
        ).incidentModels;
        seen.push(...page.nodes.map((n) => n.name));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(50);
      expect(seen).toEqual([...seen].sort());
      expectGqlError(await app.gql(`{ incidentModels(after: "garbage") { totalCount } }`), 'BAD_USER_INPUT', 'after');
      expectGqlError(await app.gql(`{ incidentModels(first: 101) { totalCount } }`), 'BAD_USER_INPUT', 'first');
    } finally {
      await app.close();
    }
  });
});
