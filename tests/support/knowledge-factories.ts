import { fieldLabel } from '@ikb/domain';
import { expect } from 'vitest';
import { uniq } from './uniq';
import { INCIDENT_FIELDS, logIncident } from './factories';
import type { Incident, KnowledgeIncident, Problem, Workaround } from './gql-types';
import type { GqlResult, TestApp } from './test-app';
import { ok } from './test-app';

/**
 * Factories and checks for the knowledge graph (problems, workarounds), all through GraphQL over
 * HTTP. Kept apart from factories.ts so the two can change independently.
 */

export { uniq } from './uniq';

export const PROBLEM_FIELDS = `id number title description status rootCauseCategory rootCause analysisNotes fixChangeRef fixDescription
  keywords knownErrorAt resolvedAt closedAt createdAt updatedAt isKnownError incidentCount
  service { id name } category { id name } owner { id name } sourceIncident { id number }
  workarounds { id title status }
  timeline { kind summary actorName before after data at }`;

export const WORKAROUND_FIELDS = `id title steps status createdAt updatedAt retiredAt
  sourceIncident { id number }
  problems { id number }
  effectiveness { timesApplied incidents resolvedIncidents resolvedWithoutReopen inFlight resolvedWithoutReopenShare restoredService
    medianMinutesToResolution }`;

/** Incident fields plus its knowledge links. */
export const KNOWLEDGE_INCIDENT_FIELDS = `${INCIDENT_FIELDS} problem { id number }
  resolvedByWorkaround { id }
  workaroundApplications { id appliedAt appliedByName note restoredService appliedBy { id } workaround { id } incident { id } }`;

/** Runs an operation that must succeed and returns its (only) root field. */
export async function run<T = unknown>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<T> {
  const d = ok(await t.gql<Record<string, T>>(query, variables, headers));
  return Object.values(d)[0]!;
}

/**
 * Asserts the call failed with exactly one error of `code`, gave no data, and (when `field` is
 * given) named that field in extensions.field and, unless told otherwise, in words in the message.
 */
export function expectError(r: GqlResult, code: string, field?: string, opts: { messageNamesField?: boolean } = {}) {
  const dump = JSON.stringify({ data: r.data, errors: r.errors });
  expect(r.errors?.length, `expected one ${code} error: ${dump}`).toBe(1);
  const values = r.data ? Object.values(r.data as Record<string, unknown>) : [];
  expect(
    values.every((v) => v === null),
    `expected no data: ${dump}`,
  ).toBe(true);
  const e = r.errors![0]!;
  expect(e.extensions?.code, dump).toBe(code);
  if (field !== undefined) {
    expect(e.extensions?.field, dump).toBe(field);
    if (opts.messageNamesField !== false) {
      expect(e.message.toLowerCase(), dump).toContain(fieldLabel(field).toLowerCase());
      if (/[a-z][A-Z]|\./.test(field)) expect(e.message, dump).not.toContain(field);
    }
  }
  return e;
}

// ---- incidents ----------------------------------------------------------------------------------

export type IncidentStatus = 'NEW' | 'TRIAGED' | 'INVESTIGATING' | 'RESOLVED' | 'CLOSED' | 'REVIEWED';

export async function transitionIncident(t: TestApp, id: string, input: Record<string, unknown>) {
  return run<KnowledgeIncident>(
    t,
    `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { ${KNOWLEDGE_INCIDENT_FIELDS} } }`,
    { id, input },
  );
}

export const RESOLVE = { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'RESTART', resolutionNotes: 'Restarted the pod' };

/** Logs an incident and walks it NEW -> TRIAGED -> INVESTIGATING -> RESOLVED -> CLOSED -> REVIEWED up to `status`. */
export async function incidentIn(t: TestApp, status: IncidentStatus, overrides: Record<string, unknown> = {}) {
  let inc: Incident = await logIncident(t, overrides);
  if (status === 'NEW') return inc;
  inc = await run<Incident>(
    t,
    `mutation($id: ID!) { classifyIncident(id: $id, input: { impact: 2, urgency: 2 }) { ${INCIDENT_FIELDS} } }`,
    {
      id: inc.id,
    },
  );
  const path: [IncidentStatus, Record<string, unknown>][] = [
    ['INVESTIGATING', { to: 'INVESTIGATING' }],
    ['RESOLVED', RESOLVE],
    ['CLOSED', { to: 'CLOSED', userConfirmed: true }],
    ['REVIEWED', { to: 'REVIEWED' }],
  ];
  if (status === 'TRIAGED') return inc;
  for (const [s, input] of path) {
    inc = await transitionIncident(t, inc.id, input);
    if (s === status) return inc;
  }
  throw new Error(`unknown status ${status}`);
}

export async function getIncident(t: TestApp, id: string) {
  return run<KnowledgeIncident>(t, `query($id: ID!) { incident(id: $id) { ${KNOWLEDGE_INCIDENT_FIELDS} } }`, { id });
}

// ---- problems -----------------------------------------------------------------------------------

export async function createProblem(t: TestApp, overrides: Record<string, unknown> = {}, headers?: Record<string, string>) {
  return run<Problem>(
    t,
    `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ${PROBLEM_FIELDS} } }`,
    { input: { title: uniq('Checkout pods run out of memory'), ...overrides } },
    headers,
  );
}

export async function updateProblem(t: TestApp, id: string, input: Record<string, unknown>) {
  return run<Problem>(
    t,
    `mutation($id: ID!, $input: UpdateProblemInput!) { updateProblem(id: $id, input: $input) { ${PROBLEM_FIELDS} } }`,
    {
      id,
      input,
    },
  );
}

export function transitionProblemRaw(t: TestApp, id: string, to: string, note?: string) {
  return t.gql<{ transitionProblem: Problem }>(
    `mutation($id: ID!, $to: ProblemStatus!, $note: String) { transitionProblem(id: $id, to: $to, note: $note) { ${PROBLEM_FIELDS} } }`,
    { id, to, note },
  );
}

export async function transitionProblem(t: TestApp, id: string, to: string, note?: string) {
  return ok(await transitionProblemRaw(t, id, to, note)).transitionProblem;
}

export async function getProblem(t: TestApp, id: string) {
  return run<Problem>(t, `query($id: ID!) { problem(id: $id) { ${PROBLEM_FIELDS} } }`, { id });
}

export function linkIncidentRaw(t: TestApp, incidentId: string, problemId: string) {
  return t.gql<{ linkIncidentToProblem: KnowledgeIncident }>(
    `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { ${KNOWLEDGE_INCIDENT_FIELDS} } }`,
    {
      i: incidentId,
      p: problemId,
    },
  );
}

export async function linkIncident(t: TestApp, incidentId: string, problemId: string) {
  return ok(await linkIncidentRaw(t, incidentId, problemId)).linkIncidentToProblem;
}

export const ROOT_CAUSE = 'Connection pool exhausted after the 4.2 deploy halved max connections';

/** A problem with a documented root cause and an ACTIVE workaround, moved to KNOWN_ERROR. */
export async function knownError(t: TestApp, overrides: Record<string, unknown> = {}, workaround: Record<string, unknown> = {}) {
  const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ...overrides });
  const w = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id], ...workaround });
  await transitionProblem(t, p.id, 'KNOWN_ERROR');
  return { problem: await getProblem(t, p.id), workaround: w };
}

// ---- workarounds --------------------------------------------------------------------------------

export async function createWorkaround(t: TestApp, overrides: Record<string, unknown> = {}) {
  return run<Workaround>(t, `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { ${WORKAROUND_FIELDS} } }`, {
    input: {
      title: uniq('Restart the checkout pods'),
      steps: '1. `kubectl rollout restart deploy/checkout`\n2. Watch the error rate',
      ...overrides,
    },
  });
}

export async function getWorkaround(t: TestApp, id: string) {
  return run<Workaround>(t, `query($id: ID!) { workaround(id: $id) { ${WORKAROUND_FIELDS} } }`, { id });
}

export function setWorkaroundStatusRaw(t: TestApp, id: string, status: string) {
  return t.gql<{ setWorkaroundStatus: Workaround }>(
    `mutation($id: ID!, $s: WorkaroundStatus!) { setWorkaroundStatus(id: $id, status: $s) { ${WORKAROUND_FIELDS} } }`,
    {
      id,
      s: status,
    },
  );
}

export async function setWorkaroundStatus(t: TestApp, id: string, status: string) {
  return ok(await setWorkaroundStatusRaw(t, id, status)).setWorkaroundStatus;
}

export function applyWorkaroundRaw(t: TestApp, incidentId: string, workaroundId: string, note?: string, headers?: Record<string, string>) {
  return t.gql<{ applyWorkaround: KnowledgeIncident }>(
    `mutation($i: ID!, $w: ID!, $note: String) { applyWorkaround(incidentId: $i, workaroundId: $w, note:
      $note) { ${KNOWLEDGE_INCIDENT_FIELDS} } }`,
    { i: incidentId, w: workaroundId, note },
    headers,
  );
}

export async function applyWorkaround(
  t: TestApp,
  incidentId: string,
  workaroundId: string,
  note?: string,
  headers?: Record<string, string>,
) {
  return ok(await applyWorkaroundRaw(t, incidentId, workaroundId, note, headers)).applyWorkaround;
}

// ---- database checks ----------------------------------------------------------------------------

/** Row counts of the given tables, to show a refused call wrote nothing. */
export async function rowCounts(t: TestApp, tables: string[]): Promise<Record<string, number>> {
  const [row] = await t.sql<Record<string, string>>(`select ${tables.map((x) => `(select count(*) from ${x})::int as "${x}"`).join(', ')}`);
  return Object.fromEntries(tables.map((x) => [x, Number(row![x])]));
}

export const KNOWLEDGE_TABLES = [
  'problems',
  'problem_events',
  'problem_workarounds',
  'workarounds',
  'workaround_applications',
  'incidents',
  'incident_events',
];

/** Row counts plus a hash of the knowledge tables and of every incident's version: nothing may change. */
export async function knowledgeSnapshot(t: TestApp) {
  const counts = await rowCounts(t, KNOWLEDGE_TABLES);
  const [h] = await t.sql<Record<string, string>>(
    `select ${KNOWLEDGE_TABLES.map(
      (x) => `(select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from ${x} r)
      as "${x}"`,
    ).join(', ')}`,
  );
  return { counts, hashes: h };
}
