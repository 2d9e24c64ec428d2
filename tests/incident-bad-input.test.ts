import { randomUUID } from 'node:crypto';
import { fieldLabel, valueLabel } from '@ikb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_TABLES, dbSnapshot, expectGqlError, expectSameDb } from './support/assertions';
import { createCategory, createService, createTeam, createUser, incidentIn, logIncident, mutate } from './support/factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Bad input to every mutation returns a GraphQL error with a stable
 * extensions.code and a message naming the field, and the database is unchanged afterwards.
 */

let t: TestApp;
/** Directory rows that no mutation in this file changes; each test logs its own incidents. */
let dir: {
  team: { id: string; name: string };
  user: { id: string; email: string };
  service: { id: string; name: string };
  category: { id: string; name: string };
  sub: { id: string; name: string };
};

beforeAll(async () => {
  t = await startTestApp();
  const team = await createTeam(t);
  const user = await createUser(t, { teamId: team.id });
  const service = await createService(t, { ownerTeamId: team.id });
  const category = await createCategory(t);
  const sub = await createCategory(t, { parentId: category.id });
  dir = { team, user, service, category, sub };
});
afterAll(async () => {
  await t?.close();
});

const long = (n: number) => 'x'.repeat(n);
const future = () => new Date(Date.now() + 3_600_000).toISOString();

const Q = {
  logIncident: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`,
  updateIncident: `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { id } }`,
  classifyIncident: `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`,
  assignIncident: `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`,
  acknowledgeIncident: `mutation($id: ID!, $occurredAt: DateTime) { acknowledgeIncident(id: $id, occurredAt: $occurredAt) { id } }`,
  transitionIncident: `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`,
  reopenIncident: `mutation($id: ID!, $reason: String!) { reopenIncident(id: $id, reason: $reason) { id } }`,
  addStakeholderUpdate: `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`,
  recordEscalation: `mutation($id: ID!, $input: EscalationInput!) { recordEscalation(id: $id, input: $input) { id } }`,
  triggerDisasterRecoveryPlan: `mutation($id: ID!, $input: DisasterRecoveryInput!) { triggerDisasterRecoveryPlan(id: $id, input:
    $input) { id } }`,
  recordConfigurationChange: `mutation($id: ID!, $input: ConfigurationChangeInput!) { recordConfigurationChange(id: $id, input:
    $input) { id } }`,
  addTimeEntry: `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`,
  createTeam: `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
  createUser: `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
  createService: `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`,
  createCategory: `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`,
  setPriorityMatrix: `mutation($input: PriorityMatrixInput!) { setPriorityMatrix(input: $input) { rows } }`,
} as const;
type MutationName = keyof typeof Q;

/** Every mutation of the schema is covered below; this list is checked against the schema itself. */
const ALL_MUTATIONS = Object.keys(Q) as MutationName[];

/** Valid variables besides the id for each mutation on an incident, and the state the incident must be in. */
const ON_INCIDENT: { name: MutationName; idField: string; vars: () => Record<string, unknown>; status?: 'RESOLVED' }[] = [
  { name: 'updateIncident', idField: 'id', vars: () => ({ input: { title: 'Renamed' } }) },
  { name: 'classifyIncident', idField: 'id', vars: () => ({ input: { impact: 1, urgency: 1 } }) },
  { name: 'assignIncident', idField: 'id', vars: () => ({ input: { teamId: dir.team.id, assigneeId: dir.user.id } }) },
  { name: 'acknowledgeIncident', idField: 'id', vars: () => ({}) },
  { name: 'transitionIncident', idField: 'id', vars: () => ({ input: { to: 'INVESTIGATING' } }) },
  { name: 'reopenIncident', idField: 'id', vars: () => ({ reason: 'It came back' }), status: 'RESOLVED' },
  { name: 'addStakeholderUpdate', idField: 'id', vars: () => ({ input: { message: 'We are on it', audience: 'customers' } }) },
  { name: 'recordEscalation', idField: 'id', vars: () => ({ input: { kind: 'FUNCTIONAL', reason: 'Needs DBA', toTeamId: dir.team.id } }) },
  { name: 'triggerDisasterRecoveryPlan', idField: 'id', vars: () => ({ input: { plan: 'EU failover', reason: 'Region down' } }) },
  {
    name: 'recordConfigurationChange',
    idField: 'id',
    vars: () => ({ input: { configurationItem: 'db-1', description: 'Raised max_connections' } }),
  },
  { name: 'addTimeEntry', idField: 'incidentId', vars: () => ({ input: { activity: 'diagnosis', minutes: 30, rateCents: 6000 } }) },
];

/** Runs a call that must be refused, and checks that nothing at all was written. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<NonNullable<GqlResult['errors']>[number]> {
  const before = await dbSnapshot(t);
  const r = await t.gql(query, variables);
  const e = expectGqlError(r, code, field);
  expectSameDb(before, await dbSnapshot(t), `${code} ${field ?? ''} ${e.message}`);
  return e;
}

it('covers every mutation of the incident register', async () => {
  const r = await t.gql<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
    `{ __schema { mutationType { fields { name } } } }`,
  );
  const names = r.data!.__schema.mutationType.fields.map((f) => f.name).sort();
  // The incident register's mutations all exist and are all exercised here (other features test their own).
  for (const name of ALL_MUTATIONS) expect(names).toContain(name);
  expect(ON_INCIDENT.map((m) => m.name).sort()).toEqual(ALL_MUTATIONS.filter((n) => !/^(create|set|log)/.test(n)).sort());
  for (const name of ALL_MUTATIONS)
    expect(
      CASES.some((c) => c.name === name),
      name,
    ).toBe(true);
});

it('snapshots every table the issue names', async () => {
  const snap = await dbSnapshot(t);
  for (const table of CORE_TABLES) expect(Object.keys(snap.counts)).toContain(table);
  // The directory rows of beforeAll are there, so a count that did not move is meaningful.
  expect(snap.counts.teams).toBeGreaterThan(0);
  expect(snap.counts.categories).toBe(2);
});

describe('unknown and malformed ids', () => {
  it.each(ON_INCIDENT)('$name: an unknown incident id is NOT_FOUND, a malformed one BAD_USER_INPUT, the right id works', async (m) => {
    const inc = await incidentIn(t, m.status ?? 'NEW');
    const missing = randomUUID();
    const before = await dbSnapshot(t);
    const e = expectGqlError(await t.gql(Q[m.name], { id: missing, ...m.vars() }), 'NOT_FOUND', m.idField);
    expect(e.message).not.toContain(missing);
    expect(e.extensions?.id).toBe(missing);
    for (const bad of ['not-a-uuid', '42', `${missing}x`]) {
      expectGqlError(await t.gql(Q[m.name], { id: bad, ...m.vars() }), 'BAD_USER_INPUT', m.idField);
    }
    expectSameDb(before, await dbSnapshot(t), `${m.name} with bad ids`);
    // The same variables succeed with the real id: the id was the only thing wrong.
    expect(await mutate(t, Q[m.name], { id: inc.id, ...m.vars() })).toMatchObject({ id: expect.any(String) });
  });

  const refs: { name: MutationName; field: string; vars: (id: string) => Record<string, unknown>; what?: string }[] = [
    { name: 'logIncident', field: 'serviceId', vars: (id) => ({ input: { title: 'Disk full', serviceId: id } }) },
    { name: 'logIncident', field: 'categoryId', vars: (id) => ({ input: { title: 'Disk full', categoryId: id } }) },
    { name: 'logIncident', field: 'teamId', vars: (id) => ({ input: { title: 'Disk full', teamId: id } }) },
    { name: 'logIncident', field: 'assigneeId', vars: (id) => ({ input: { title: 'Disk full', assigneeId: id } }) },
    { name: 'logIncident', field: 'reporterId', vars: (id) => ({ input: { title: 'Disk full', reporterId: id } }) },
    { name: 'classifyIncident', field: 'serviceId', vars: (id) => ({ input: { serviceId: id } }) },
    { name: 'classifyIncident', field: 'categoryId', vars: (id) => ({ input: { impact: 1, categoryId: id } }) },
    { name: 'assignIncident', field: 'assigneeId', vars: (id) => ({ input: { assigneeId: id } }) },
    { name: 'assignIncident', field: 'teamId', vars: (id) => ({ input: { assigneeId: dir.user.id, teamId: id } }) },
    { name: 'recordEscalation', field: 'toTeamId', vars: (id) => ({ input: { kind: 'FUNCTIONAL', reason: 'r', toTeamId: id } }) },
    { name: 'recordEscalation', field: 'toUserId', vars: (id) => ({ input: { kind: 'HIERARCHICAL', reason: 'r', toUserId: id } }) },
    { name: 'addTimeEntry', field: 'userId', vars: (id) => ({ input: { activity: 'fix', minutes: 5, userId: id } }) },
    {
      name: 'createUser',
      field: 'teamId',
      vars: (id) => ({ input: { name: 'Ada', email: `ada.${id.slice(0, 8)}@example.test`, teamId: id } }),
    },
    { name: 'createService', field: 'ownerTeamId', vars: (id) => ({ input: { name: `Svc ${id.slice(0, 8)}`, ownerTeamId: id } }) },
    { name: 'createCategory', field: 'parentId', vars: (id) => ({ input: { name: `Cat ${id.slice(0, 8)}`, parentId: id } }) },
  ];
  it.each(refs)('$name: unknown $field is NOT_FOUND, malformed $field is BAD_USER_INPUT', async (c) => {
    const inc = await logIncident(t);
    const withId = (ref: string) =>
      c.name === 'logIncident' || c.name.startsWith('create') ? c.vars(ref) : { id: inc.id, ...c.vars(ref) };
    const missing = randomUUID();
    const e = await refused(Q[c.name], withId(missing), 'NOT_FOUND', c.field);
    expect(e.message).not.toContain(missing);
    expect(e.extensions?.id).toBe(missing);
    await refused(Q[c.name], withId('nope'), 'BAD_USER_INPUT', c.field);
  });
});

/** Refused inputs: [mutation, description, variables builder (given a fresh incident), code, field]. */
interface Case {
  name: MutationName;
  what: string;
  vars: (inc: { id: string }) => Record<string, unknown> | Promise<Record<string, unknown>>;
  code?: string;
  /** extensions.field, also required in the message. */
  field?: string;
  /** For errors GraphQL raises before the resolver (no extensions.field): text the message must name. */
  mentions?: string[];
  /** The incident the case runs on (default NEW). */
  status?: 'NEW' | 'INVESTIGATING' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED' | 'REVIEWED';
}

const log = (input: Record<string, unknown>) => ({ input: { title: 'Queue backlog', ...input } });
const on = (input: Record<string, unknown>) => (inc: { id: string }) => ({ id: inc.id, input });

const CASES: Case[] = [
  // logIncident
  { name: 'logIncident', what: 'empty title', vars: () => log({ title: '' }), field: 'title' },
  { name: 'logIncident', what: 'blank title', vars: () => log({ title: '    ' }), field: 'title' },
  // Tabs and line breaks are refused in one-line fields before blankness is looked at (the text rules, security-input.test.ts).
  { name: 'logIncident', what: 'a title of tabs and line breaks', vars: () => log({ title: ' \t\n ' }), field: 'input.title' },
  { name: 'logIncident', what: 'title over 200', vars: () => log({ title: long(201) }), field: 'title' },
  { name: 'logIncident', what: 'description over 20000', vars: () => log({ description: long(20_001) }), field: 'description' },
  { name: 'logIncident', what: 'impact 0', vars: () => log({ impact: 0 }), field: 'impact' },
  { name: 'logIncident', what: 'impact 4', vars: () => log({ impact: 4 }), field: 'impact' },
  { name: 'logIncident', what: 'urgency -1', vars: () => log({ urgency: -1 }), field: 'urgency' },
  { name: 'logIncident', what: 'urgency 4', vars: () => log({ urgency: 4 }), field: 'urgency' },
  { name: 'logIncident', what: 'impact beyond Int', vars: () => log({ impact: 2 ** 40 }), code: 'BAD_USER_INPUT', mentions: ['impact'] },
  {
    name: 'logIncident',
    what: 'missing title',
    vars: () => ({ input: { description: 'no title' } }),
    code: 'BAD_USER_INPUT',
    mentions: ['title'],
  },
  { name: 'logIncident', what: 'unknown source', vars: () => log({ source: 'PAGER' }), code: 'BAD_USER_INPUT', mentions: ['source'] },
  { name: 'logIncident', what: 'openedAt in the future', vars: () => log({ openedAt: future() }), field: 'openedAt' },
  {
    name: 'logIncident',
    what: 'openedAt not a date',
    vars: () => log({ openedAt: 'yesterday' }),
    code: 'BAD_USER_INPUT',
    mentions: ['openedAt'],
  },
  {
    name: 'logIncident',
    what: 'detectedAt after openedAt',
    vars: () => log({ openedAt: '2026-01-01T10:00:00Z', detectedAt: '2026-01-01T10:05:00Z' }),
    field: 'detectedAt',
  },
  { name: 'logIncident', what: 'externalRef over 120', vars: () => log({ externalRef: long(121) }), field: 'externalRef' },
  { name: 'logIncident', what: 'empty externalRef', vars: () => log({ externalRef: '' }), field: 'externalRef' },
  // updateIncident
  { name: 'updateIncident', what: 'empty title', vars: on({ title: '' }), field: 'title' },
  { name: 'updateIncident', what: 'blank title', vars: on({ title: '   ' }), field: 'title' },
  { name: 'updateIncident', what: 'title over 200', vars: on({ title: long(201) }), field: 'title' },
  { name: 'updateIncident', what: 'description over 20000', vars: on({ description: long(20_001) }), field: 'description' },
  { name: 'updateIncident', what: 'externalRef over 120', vars: on({ externalRef: long(121) }), field: 'externalRef' },
  {
    name: 'updateIncident',
    what: 'detectedAt after openedAt',
    vars: on({ title: 'Also renamed', detectedAt: future() }),
    field: 'detectedAt',
  },
  {
    name: 'updateIncident',
    what: 'a closed incident',
    vars: on({ title: 'Edited after closure' }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // classifyIncident
  { name: 'classifyIncident', what: 'impact 0', vars: on({ impact: 0 }), field: 'impact' },
  { name: 'classifyIncident', what: 'urgency 4', vars: on({ urgency: 4 }), field: 'urgency' },
  { name: 'classifyIncident', what: 'priority 0', vars: on({ priority: 0, priorityReason: 'VIP customer' }), field: 'priority' },
  { name: 'classifyIncident', what: 'priority 6', vars: on({ priority: 6, priorityReason: 'VIP customer' }), field: 'priority' },
  { name: 'classifyIncident', what: 'priority without reason', vars: on({ impact: 1, priority: 1 }), field: 'priorityReason' },
  {
    name: 'classifyIncident',
    what: 'priority with a blank reason',
    vars: on({ priority: 1, priorityReason: '' }),
    field: 'priorityReason',
  },
  {
    name: 'classifyIncident',
    what: 'priorityReason over 2000',
    vars: on({ priority: 1, priorityReason: long(2001) }),
    field: 'priorityReason',
  },
  {
    name: 'classifyIncident',
    what: 'set and clear an override at once',
    vars: on({ priority: 2, priorityReason: 'VIP customer', clearPriorityOverride: true }),
    field: 'clearPriorityOverride',
  },
  { name: 'classifyIncident', what: 'a reviewed incident', vars: on({ impact: 1 }), code: 'INCIDENT_READ_ONLY', status: 'REVIEWED' },
  // assignIncident
  {
    name: 'assignIncident',
    what: 'a closed incident',
    vars: (inc) => ({ id: inc.id, input: { teamId: dir.team.id } }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // acknowledgeIncident
  {
    name: 'acknowledgeIncident',
    what: 'occurredAt in the future',
    vars: (inc) => ({ id: inc.id, occurredAt: future() }),
    field: 'occurredAt',
  },
  {
    name: 'acknowledgeIncident',
    what: 'occurredAt before openedAt',
    vars: (inc) => ({ id: inc.id, occurredAt: '2000-01-01T00:00:00Z' }),
    field: 'occurredAt',
  },
  {
    name: 'acknowledgeIncident',
    what: 'a second acknowledgement',
    vars: async (inc) => {
      await mutate(t, Q.acknowledgeIncident, { id: inc.id });
      return { id: inc.id };
    },
    code: 'ALREADY_ACKNOWLEDGED',
  },
  // transitionIncident
  {
    name: 'transitionIncident',
    what: 'NEW -> CLOSED',
    vars: on({ to: 'CLOSED', userConfirmed: true }),
    code: 'ILLEGAL_TRANSITION',
    field: 'to',
    mentions: ['NEW', 'CLOSED'],
  },
  {
    name: 'transitionIncident',
    what: 'NEW -> REVIEWED',
    vars: on({ to: 'REVIEWED' }),
    code: 'ILLEGAL_TRANSITION',
    field: 'to',
    mentions: ['NEW', 'REVIEWED'],
  },
  { name: 'transitionIncident', what: 'NEW -> NEW', vars: on({ to: 'NEW' }), code: 'ILLEGAL_TRANSITION', field: 'to', mentions: ['NEW'] },
  {
    name: 'transitionIncident',
    what: 'CLOSED -> RESOLVED',
    vars: on({ to: 'RESOLVED', resolutionKind: 'WORKAROUND' }),
    code: 'ILLEGAL_TRANSITION',
    field: 'to',
    mentions: ['CLOSED', 'RESOLVED'],
    status: 'CLOSED',
  },
  {
    name: 'transitionIncident',
    what: 'REVIEWED -> INVESTIGATING',
    vars: on({ to: 'INVESTIGATING' }),
    code: 'ILLEGAL_TRANSITION',
    field: 'to',
    mentions: ['REVIEWED', 'INVESTIGATING'],
    status: 'REVIEWED',
  },
  {
    name: 'transitionIncident',
    what: 'hold without holdReason',
    vars: on({ to: 'ON_HOLD' }),
    field: 'holdReason',
    status: 'INVESTIGATING',
  },
  {
    name: 'transitionIncident',
    what: 'resolve without resolutionKind',
    vars: on({ to: 'RESOLVED', resolutionNotes: 'fixed' }),
    field: 'resolutionKind',
    status: 'INVESTIGATING',
  },
  {
    name: 'transitionIncident',
    what: 'close without userConfirmed',
    vars: on({ to: 'CLOSED' }),
    field: 'userConfirmed',
    status: 'RESOLVED',
  },
  {
    name: 'transitionIncident',
    what: 'resolutionCode over 80',
    vars: on({ to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: long(81) }),
    field: 'resolutionCode',
    status: 'INVESTIGATING',
  },
  {
    name: 'transitionIncident',
    what: 'resolutionNotes over 20000',
    vars: on({ to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionNotes: long(20_001) }),
    field: 'resolutionNotes',
    status: 'INVESTIGATING',
  },
  { name: 'transitionIncident', what: 'note over 20000', vars: on({ to: 'INVESTIGATING', note: long(20_001) }), field: 'note' },
  {
    name: 'transitionIncident',
    what: 'occurredAt in the future',
    vars: on({ to: 'INVESTIGATING', occurredAt: future() }),
    field: 'occurredAt',
  },
  {
    name: 'transitionIncident',
    what: 'occurredAt before openedAt',
    vars: on({ to: 'INVESTIGATING', occurredAt: '2001-01-01T00:00:00Z' }),
    field: 'occurredAt',
  },
  { name: 'transitionIncident', what: 'unknown status', vars: on({ to: 'DONE' }), code: 'BAD_USER_INPUT', mentions: ['DONE', 'to'] },
  {
    name: 'transitionIncident',
    what: 'unknown hold reason',
    vars: on({ to: 'ON_HOLD', holdReason: 'LUNCH' }),
    code: 'BAD_USER_INPUT',
    mentions: ['holdReason'],
    status: 'INVESTIGATING',
  },
  // reopenIncident
  { name: 'reopenIncident', what: 'blank reason', vars: (inc) => ({ id: inc.id, reason: '  ' }), field: 'reason', status: 'RESOLVED' },
  {
    name: 'reopenIncident',
    what: 'reason over 20000',
    vars: (inc) => ({ id: inc.id, reason: long(20_001) }),
    field: 'reason',
    status: 'RESOLVED',
  },
  {
    name: 'reopenIncident',
    what: 'a NEW incident',
    vars: (inc) => ({ id: inc.id, reason: 'again' }),
    code: 'ILLEGAL_TRANSITION',
    mentions: ['NEW'],
  },
  {
    name: 'reopenIncident',
    what: 'an INVESTIGATING incident',
    vars: (inc) => ({ id: inc.id, reason: 'again' }),
    code: 'ILLEGAL_TRANSITION',
    mentions: ['INVESTIGATING'],
    status: 'INVESTIGATING',
  },
  {
    name: 'reopenIncident',
    what: 'an ON_HOLD incident (that would be a resume)',
    vars: (inc) => ({ id: inc.id, reason: 'again' }),
    code: 'ILLEGAL_TRANSITION',
    mentions: ['ON_HOLD'],
    status: 'ON_HOLD',
  },
  {
    name: 'reopenIncident',
    what: 'a REVIEWED incident',
    vars: (inc) => ({ id: inc.id, reason: 'again' }),
    code: 'ILLEGAL_TRANSITION',
    mentions: ['REVIEWED'],
    status: 'REVIEWED',
  },
  // addStakeholderUpdate
  { name: 'addStakeholderUpdate', what: 'empty message', vars: on({ message: '' }), field: 'message' },
  { name: 'addStakeholderUpdate', what: 'blank message', vars: on({ message: '\n\n' }), field: 'message' },
  { name: 'addStakeholderUpdate', what: 'message over 20000', vars: on({ message: long(20_001) }), field: 'message' },
  { name: 'addStakeholderUpdate', what: 'audience over 200', vars: on({ message: 'Update', audience: long(201) }), field: 'audience' },
  {
    name: 'addStakeholderUpdate',
    what: 'a closed incident',
    vars: on({ message: 'Update' }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // recordEscalation
  { name: 'recordEscalation', what: 'blank reason', vars: on({ kind: 'FUNCTIONAL', reason: ' ' }), field: 'reason' },
  { name: 'recordEscalation', what: 'reason over 20000', vars: on({ kind: 'FUNCTIONAL', reason: long(20_001) }), field: 'reason' },
  {
    name: 'recordEscalation',
    what: 'unknown kind',
    vars: on({ kind: 'SIDEWAYS', reason: 'r' }),
    code: 'BAD_USER_INPUT',
    mentions: ['kind'],
  },
  {
    name: 'recordEscalation',
    what: 'a closed incident',
    vars: on({ kind: 'MAJOR_INCIDENT', reason: 'r' }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // triggerDisasterRecoveryPlan
  { name: 'triggerDisasterRecoveryPlan', what: 'blank plan', vars: on({ plan: '', reason: 'r' }), field: 'plan' },
  { name: 'triggerDisasterRecoveryPlan', what: 'plan over 200', vars: on({ plan: long(201), reason: 'r' }), field: 'plan' },
  { name: 'triggerDisasterRecoveryPlan', what: 'blank reason', vars: on({ plan: 'p', reason: '\t' }), field: 'reason' },
  { name: 'triggerDisasterRecoveryPlan', what: 'reason over 20000', vars: on({ plan: 'p', reason: long(20_001) }), field: 'reason' },
  {
    name: 'triggerDisasterRecoveryPlan',
    what: 'a closed incident',
    vars: on({ plan: 'p', reason: 'r' }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // recordConfigurationChange
  {
    name: 'recordConfigurationChange',
    what: 'blank configurationItem',
    vars: on({ configurationItem: ' ', description: 'd' }),
    field: 'configurationItem',
  },
  {
    name: 'recordConfigurationChange',
    what: 'configurationItem over 200',
    vars: on({ configurationItem: long(201), description: 'd' }),
    field: 'configurationItem',
  },
  {
    name: 'recordConfigurationChange',
    what: 'empty description',
    vars: on({ configurationItem: 'ci', description: '' }),
    field: 'description',
  },
  {
    name: 'recordConfigurationChange',
    what: 'description over 20000',
    vars: on({ configurationItem: 'ci', description: long(20_001) }),
    field: 'description',
  },
  {
    name: 'recordConfigurationChange',
    what: 'changeRef over 120',
    vars: on({ configurationItem: 'ci', description: 'd', changeRef: long(121) }),
    field: 'changeRef',
  },
  {
    name: 'recordConfigurationChange',
    what: 'a closed incident',
    vars: on({ configurationItem: 'ci', description: 'd' }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // addTimeEntry
  { name: 'addTimeEntry', what: 'minutes 0', vars: on({ activity: 'fix', minutes: 0 }), field: 'minutes' },
  { name: 'addTimeEntry', what: 'negative minutes', vars: on({ activity: 'fix', minutes: -30 }), field: 'minutes' },
  { name: 'addTimeEntry', what: 'minutes over 1440', vars: on({ activity: 'fix', minutes: 1441 }), field: 'minutes' },
  { name: 'addTimeEntry', what: 'negative rate', vars: on({ activity: 'fix', minutes: 10, rateCents: -1 }), field: 'rateCents' },
  { name: 'addTimeEntry', what: 'blank activity', vars: on({ activity: '  ', minutes: 10 }), field: 'activity' },
  { name: 'addTimeEntry', what: 'activity over 80', vars: on({ activity: long(81), minutes: 10 }), field: 'activity' },
  { name: 'addTimeEntry', what: 'note over 20000', vars: on({ activity: 'fix', minutes: 10, note: long(20_001) }), field: 'note' },
  {
    name: 'addTimeEntry',
    what: 'performedAt in the future',
    vars: on({ activity: 'fix', minutes: 10, performedAt: future() }),
    field: 'performedAt',
  },
  {
    name: 'addTimeEntry',
    what: 'a closed incident',
    vars: on({ activity: 'fix', minutes: 10 }),
    code: 'INCIDENT_READ_ONLY',
    status: 'CLOSED',
  },
  // directory
  { name: 'createTeam', what: 'empty name', vars: () => ({ input: { name: '' } }), field: 'name' },
  { name: 'createTeam', what: 'blank name', vars: () => ({ input: { name: '   ' } }), field: 'name' },
  { name: 'createTeam', what: 'name over 120', vars: () => ({ input: { name: long(121) } }), field: 'name' },
  {
    name: 'createTeam',
    what: 'description over 2000',
    vars: () => ({ input: { name: 'Fine name', description: long(2001) } }),
    field: 'description',
  },
  {
    name: 'createTeam',
    what: 'a duplicate name (any case)',
    vars: () => ({ input: { name: ` ${dir.team.name.toUpperCase()} ` } }),
    code: 'CONFLICT',
    field: 'name',
  },
  { name: 'createUser', what: 'invalid email', vars: () => ({ input: { name: 'Bob', email: 'bob-at-example' } }), field: 'email' },
  { name: 'createUser', what: 'blank name', vars: () => ({ input: { name: ' ', email: 'blank@example.test' } }), field: 'name' },
  { name: 'createUser', what: 'name over 120', vars: () => ({ input: { name: long(121), email: 'long@example.test' } }), field: 'name' },
  {
    name: 'createUser',
    what: 'a duplicate email (any case)',
    vars: () => ({ input: { name: 'Twin', email: dir.user.email.toUpperCase() } }),
    code: 'CONFLICT',
    field: 'email',
  },
  { name: 'createService', what: 'empty name', vars: () => ({ input: { name: '' } }), field: 'name' },
  { name: 'createService', what: 'name over 120', vars: () => ({ input: { name: long(121) } }), field: 'name' },
  {
    name: 'createService',
    what: 'description over 2000',
    vars: () => ({ input: { name: 'Fine service', description: long(2001) } }),
    field: 'description',
  },
  {
    name: 'createService',
    what: 'a duplicate name',
    vars: () => ({ input: { name: dir.service.name.toLowerCase() } }),
    code: 'CONFLICT',
    field: 'name',
  },
  { name: 'createCategory', what: 'blank name', vars: () => ({ input: { name: '  ' } }), field: 'name' },
  { name: 'createCategory', what: 'a tab for a name', vars: () => ({ input: { name: '\t' } }), field: 'input.name' },
  { name: 'createCategory', what: 'name over 120', vars: () => ({ input: { name: long(121) } }), field: 'name' },
  {
    name: 'createCategory',
    what: 'a subcategory of a subcategory',
    vars: () => ({ input: { name: 'Third level', parentId: dir.sub.id } }),
    code: 'BAD_USER_INPUT',
    field: 'parentId',
  },
  {
    name: 'createCategory',
    what: 'a duplicate top-level name',
    vars: () => ({ input: { name: dir.category.name.toUpperCase() } }),
    code: 'CONFLICT',
    field: 'name',
  },
  {
    name: 'createCategory',
    what: 'a duplicate subcategory name',
    vars: () => ({ input: { name: dir.sub.name, parentId: dir.category.id } }),
    code: 'CONFLICT',
    field: 'name',
  },
  // setPriorityMatrix
  {
    name: 'setPriorityMatrix',
    what: 'two rows',
    vars: () => ({
      input: {
        rows: [
          [1, 2, 3],
          [2, 3, 4],
        ],
      },
    }),
    field: 'rows',
  },
  {
    name: 'setPriorityMatrix',
    what: 'four rows',
    vars: () => ({
      input: {
        rows: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
          [3, 4, 5],
        ],
      },
    }),
    field: 'rows',
  },
  {
    name: 'setPriorityMatrix',
    what: 'a short row',
    vars: () => ({
      input: {
        rows: [
          [1, 2],
          [2, 3, 4],
          [3, 4, 5],
        ],
      },
    }),
    field: 'rows',
  },
  {
    name: 'setPriorityMatrix',
    what: 'priority 0',
    vars: () => ({
      input: {
        rows: [
          [0, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      },
    }),
    field: 'rows[0][0]',
  },
  {
    name: 'setPriorityMatrix',
    what: 'priority 6',
    vars: () => ({
      input: {
        rows: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 6],
        ],
      },
    }),
    field: 'rows[2][2]',
  },
  {
    name: 'setPriorityMatrix',
    what: 'lower impact giving a higher priority',
    vars: () => ({
      input: {
        rows: [
          [3, 3, 3],
          [1, 3, 4],
          [3, 4, 5],
        ],
      },
    }),
    field: 'rows[1][0]',
  },
];

describe('refused input leaves the database unchanged', () => {
  it.each(CASES)('$name: $what', async (c) => {
    // Only the mutations on an incident need one.
    const onIncident = ON_INCIDENT.some((m) => m.name === c.name);
    const inc = onIncident ? await incidentIn(t, c.status ?? 'NEW') : { id: '' };
    const vars = await c.vars(inc);
    const e = await refused(Q[c.name], vars, c.code ?? 'BAD_USER_INPUT', c.field);
    // A mention is a status or a field: the message names it in words ("NEW" -> "New", "openedAt" -> "Opening time").
    for (const word of c.mentions ?? []) {
      const words = /^[A-Z_]+$/.test(word) ? valueLabel(word) : fieldLabel(word);
      expect(e.message.toLowerCase(), e.message).toContain(e.message.includes(`"${word}"`) ? word.toLowerCase() : words.toLowerCase());
    }
  });

  it('the accepted boundaries: title of 200, description of 20000, impact and urgency 1..3, minutes 1 and 1440', async () => {
    const inc = await mutate<{ id: string; title: string; description: string }>(
      t,
      `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id title description impact urgency } }`,
      {
        input: { title: long(200), description: long(20_000), impact: 1, urgency: 3 },
      },
    );
    expect(inc.title).toHaveLength(200);
    expect(inc.description).toHaveLength(20_000);
    for (const minutes of [1, 1440]) {
      expect(
        await mutate(t, `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { minutes } }`, {
          id: inc.id,
          input: { activity: 'fix', minutes },
        }),
      ).toEqual({ minutes });
    }
  });

  it('a duplicate externalRef is a CONFLICT, on log and on update', async () => {
    const ref = `SN-${randomUUID().slice(0, 8)}`;
    await logIncident(t, { externalRef: ref });
    await refused(Q.logIncident, log({ externalRef: ref }), 'CONFLICT', 'externalRef');
    const other = await logIncident(t);
    await refused(Q.updateIncident, { id: other.id, input: { externalRef: ref } }, 'CONFLICT', 'externalRef');
    // Another reference is fine.
    expect(
      await mutate(t, `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { externalRef } }`, {
        id: other.id,
        input: { externalRef: `${ref}-2` },
      }),
    ).toEqual({ externalRef: `${ref}-2` });
  });

  it('a subcategory of a subcategory is refused, a subcategory of a top-level category is not', async () => {
    const top = await createCategory(t);
    const sub = await createCategory(t, { parentId: top.id });
    const e = await refused(Q.createCategory, { input: { name: 'Level three', parentId: sub.id } }, 'BAD_USER_INPUT', 'parentId');
    expect(e.message).toContain(sub.name);
    const r = await mutate<{ parent: { id: string } }>(
      t,
      `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { parent { id } } }`,
      {
        input: { name: 'Level two', parentId: top.id },
      },
    );
    expect(r.parent.id).toBe(top.id);
  });
});

describe('the timeline is append-only in the database', () => {
  it('refuses UPDATE and DELETE on incident_events', async () => {
    const inc = await logIncident(t);
    await mutate(t, Q.addStakeholderUpdate, { id: inc.id, input: { message: 'First update' } });
    const before = await dbSnapshot(t);
    await expect(t.sql(`update incident_events set summary = 'rewritten' where incident_id = $1`, [inc.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from incident_events where incident_id = $1`, [inc.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from incident_events`)).rejects.toThrow(/append-only/);
    expectSameDb(before, await dbSnapshot(t), 'after refused SQL');
    const rows = await t.sql(`select seq, summary from incident_events where incident_id = $1 order by seq`, [inc.id]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows[1].summary).toContain('First update');
  });
});
