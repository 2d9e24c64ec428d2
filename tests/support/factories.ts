import type { TestApp } from './test-app';
import { ok } from './test-app';

let n = 0;
const uniq = (prefix: string) => `${prefix} ${++n}-${Math.random().toString(36).slice(2, 7)}`;

/** Factories through the public API: each takes overrides and builds missing parents. */
export async function createTeam(t: TestApp, overrides: { name?: string } = {}) {
  const d = ok(await t.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name } }`, { input: { name: uniq('Team'), ...overrides } }));
  return d.createTeam as { id: string; name: string };
}

export async function createUser(t: TestApp, overrides: { name?: string; email?: string; teamId?: string } = {}) {
  const name = overrides.name ?? uniq('User');
  const input = { name, email: `${name.replace(/\W+/g, '.').toLowerCase()}@example.test`, ...overrides };
  const d = ok(await t.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id name email } }`, { input }));
  return d.createUser as { id: string; name: string; email: string };
}

export async function createService(t: TestApp, overrides: { name?: string; ownerTeamId?: string } = {}) {
  const ownerTeamId = overrides.ownerTeamId ?? (await createTeam(t)).id;
  const d = ok(await t.gql(`mutation($input: CreateServiceInput!) { createService(input: $input) { id name } }`, { input: { name: uniq('Service'), ...overrides, ownerTeamId } }));
  return d.createService as { id: string; name: string };
}

export async function createCategory(t: TestApp, overrides: { name?: string; parentId?: string } = {}) {
  const d = ok(await t.gql(`mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name } }`, { input: { name: uniq('Category'), ...overrides } }));
  return d.createCategory as { id: string; name: string };
}

export const INCIDENT_FIELDS = `id number title status priority impact urgency reopenCount reassignmentCount major
  holdReason priorityOverridden priorityOverrideReason acknowledgedAt resolvedAt closedAt openedAt
  resolution { kind code notes userConfirmed }
  service { id name } category { id name } team { id name } assignee { id name }
  timeline { seq kind summary actorName before after data at }`;

export async function logIncident(t: TestApp, overrides: Record<string, unknown> = {}) {
  const input = { title: uniq('Checkout returns HTTP 502'), description: 'Payment step fails', source: 'USER_REPORT', ...overrides };
  const d = ok(await t.gql(`mutation($input: LogIncidentInput!) { logIncident(input: $input) { ${INCIDENT_FIELDS} } }`, { input }));
  return d.logIncident;
}
