import type { Incident, Ref } from './gql-types';
import type { TestApp } from './test-app';
import { uniq } from './uniq';
import { ok } from './test-app';

/** Factories through the public API: each takes overrides and builds missing parents. */
export async function createTeam(t: TestApp, overrides: { name?: string } = {}) {
  const d = ok(
    await t.gql<{ createTeam: Ref }>(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name } }`, {
      input: { name: uniq('Team'), ...overrides },
    }),
  );
  return d.createTeam;
}

/** Users default to ADMIN so a test can act as them for anything; per-role tests pass a role. */
export async function createUser(
  t: TestApp,
  overrides: { name?: string; email?: string; teamId?: string; role?: string; password?: string } = {},
) {
  const name = overrides.name ?? uniq('User');
  const input = { name, email: `${name.replace(/\W+/g, '.').toLowerCase()}@example.test`, role: 'ADMIN', ...overrides };
  const d = ok(
    await t.gql<{ createUser: { id: string; name: string; email: string } }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id name email } }`,
      { input },
    ),
  );
  return d.createUser;
}

export async function createService(t: TestApp, overrides: { name?: string; ownerTeamId?: string } = {}) {
  const ownerTeamId = overrides.ownerTeamId ?? (await createTeam(t)).id;
  const d = ok(
    await t.gql<{ createService: Ref }>(`mutation($input: CreateServiceInput!) { createService(input: $input) { id name } }`, {
      input: { name: uniq('Service'), ...overrides, ownerTeamId },
    }),
  );
  return d.createService;
}

export async function createCategory(t: TestApp, overrides: { name?: string; parentId?: string } = {}) {
  const d = ok(
    await t.gql<{ createCategory: Ref }>(`mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name } }`, {
      input: { name: uniq('Category'), ...overrides },
    }),
  );
  return d.createCategory;
}

export const INCIDENT_FIELDS = `id number title status priority impact urgency reopenCount reassignmentCount major
  holdReason priorityOverridden priorityOverrideReason acknowledgedAt resolvedAt closedAt openedAt
  resolution { kind code notes userConfirmed }
  service { id name } category { id name } team { id name } assignee { id name }
  timeline { seq kind summary actorName before after data at }`;

export async function logIncident(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Incident> {
  const input = { title: uniq('Checkout returns HTTP 502'), description: 'Payment step fails', source: 'USER_REPORT', ...overrides };
  const d = ok(
    await t.gql<{ logIncident: Incident }>(`mutation($input: LogIncidentInput!) { logIncident(input: $input) { ${INCIDENT_FIELDS} } }`, {
      input,
    }),
  );
  return d.logIncident;
}

/** Runs a mutation that must succeed and returns its root field. */
export async function mutate<T = unknown>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<T> {
  const d = ok(await t.gql<Record<string, T>>(query, variables, headers));
  return Object.values(d)[0];
}

export async function transition(t: TestApp, id: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  return mutate<Incident>(
    t,
    `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { ${INCIDENT_FIELDS} } }`,
    { id, input },
    headers,
  );
}

type Status = 'NEW' | 'TRIAGED' | 'INVESTIGATING' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED' | 'REVIEWED';
const PATH: { status: Status; input: Record<string, unknown> }[] = [
  { status: 'INVESTIGATING', input: { to: 'INVESTIGATING' } },
  { status: 'ON_HOLD', input: { to: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' } },
  {
    status: 'RESOLVED',
    input: { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'RESTART', resolutionNotes: 'Restarted the pod' },
  },
  { status: 'CLOSED', input: { to: 'CLOSED', userConfirmed: true } },
  { status: 'REVIEWED', input: { to: 'REVIEWED' } },
];

/**
 * Logs an incident and walks it through the lifecycle up to `status`: NEW -> TRIAGED (classify)
 * -> INVESTIGATING -> ON_HOLD. RESOLVED, CLOSED and REVIEWED take the short way (NEW -> RESOLVED
 * -> CLOSED -> REVIEWED, which the lifecycle allows) to keep fixtures cheap.
 */
export async function incidentIn(t: TestApp, status: Status, overrides: Record<string, unknown> = {}) {
  let inc = await logIncident(t, overrides);
  if (status === 'NEW') return inc;
  const late = status === 'RESOLVED' || status === 'CLOSED' || status === 'REVIEWED';
  if (!late) {
    inc = await mutate<Incident>(
      t,
      `mutation($id: ID!) { classifyIncident(id: $id, input: { impact: 2, urgency: 2 }) { ${INCIDENT_FIELDS} } }`,
      {
        id: inc.id,
      },
    );
    if (status === 'TRIAGED') return inc;
  }
  for (const step of PATH) {
    if (step.status === 'ON_HOLD' && status !== 'ON_HOLD') continue;
    if (step.status === 'INVESTIGATING' && late) continue;
    inc = await transition(t, inc.id, step.input);
    if (step.status === status) return inc;
  }
  throw new Error(`unknown status ${status}`);
}
