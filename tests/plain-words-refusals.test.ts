import { randomUUID } from 'node:crypto';
import { fieldLabel } from '@ikb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, incidentIn, logIncident } from './support/factories';
import { applyWorkaroundRaw, createProblem, createWorkaround } from './support/knowledge-factories';
import { createReview } from './support/review-factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Issue 23, item 8: every refusal a person can see is in plain words. Each kind of domain and API
 * refusal is triggered through GraphQL; its message must carry no code (ON_HOLD, PROBLEM_MANAGER),
 * no camelCase name (holdReason), no "input." path and no uuid, and must name what it is about in
 * words. extensions.code (and field) stay as clients know them. A new refusal is one more row.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Values the caller sent are quoted back as sent ("DONE"): they are theirs, not developer text. */
const unquoted = (m: string) => m.replace(/"[^"]*"|“[^”]*”/g, '""');
const CODES =
  /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(NEW|TRIAGED|INVESTIGATING|RESOLVED|CLOSED|REVIEWED|OPEN|DRAFT|PUBLISHED|ADMIN|ENGINEER|VIEWER)\b/;
const CAMEL = /\b[a-z]+[A-Z][A-Za-z]*\b/;

const TRANSITION = `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`;
const REOPEN = `mutation($id: ID!) { reopenIncident(id: $id, reason: "It came back") { id } }`;
const LOG = `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`;
const PROBLEM_MOVE = `mutation($id: ID!, $to: ProblemStatus!) { transitionProblem(id: $id, to: $to) { id } }`;
const REVIEW_MOVE = `mutation($id: ID!, $to: ReviewStatus!) { transitionReview(id: $id, to: $to) { id } }`;
const TOKEN = `mutation($userId: ID!, $role: Role!) { createApiToken(userId: $userId, role: $role, name: "ci") { __typename } }`;
const CREATE_REVIEW = `mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`;
const MATRIX = `mutation($input: PriorityMatrixInput!) { setPriorityMatrix(input: $input) { rows } }`;
const SET_ROLE = `mutation($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id } }`;

interface Case {
  what: string;
  call: () => Promise<GqlResult>;
  code: string;
  /** The words the message must contain (the statuses, roles and field as the web app shows them). */
  words: (string | RegExp)[];
}

const CASES: Case[] = [
  {
    what: 'illegal incident transition',
    call: async () => t.gql(TRANSITION, { id: (await logIncident(t)).id, input: { to: 'CLOSED', userConfirmed: true } }),
    code: 'ILLEGAL_TRANSITION',
    words: ['from New to Closed', 'Triaged, Investigating or Resolved'],
  },
  {
    what: 'hold without a reason',
    call: async () => t.gql(TRANSITION, { id: (await incidentIn(t, 'INVESTIGATING')).id, input: { to: 'ON_HOLD' } }),
    code: 'BAD_USER_INPUT',
    words: ['hold reason', 'Awaiting user'],
  },
  {
    what: 'reopen an open incident',
    call: async () => t.gql(REOPEN, { id: (await incidentIn(t, 'ON_HOLD')).id }),
    code: 'ILLEGAL_TRANSITION',
    words: ['it is on hold', 'resolved or closed'],
  },
  {
    what: 'a status the lifecycle does not know',
    call: async () => t.gql(TRANSITION, { id: (await logIncident(t)).id, input: { to: 'DONE' } }),
    code: 'BAD_USER_INPUT',
    words: ['Status cannot be "DONE"', 'On hold'],
  },
  {
    what: 'problem move the lifecycle does not allow',
    call: async () => t.gql(PROBLEM_MOVE, { id: (await createProblem(t)).id, to: 'FIX_IN_PROGRESS' }),
    code: 'ILLEGAL_TRANSITION',
    words: ['from Open to Fix in progress', 'Known error or Closed'],
  },
  {
    what: 'problem made a known error without a root cause',
    call: async () => t.gql(PROBLEM_MOVE, { id: (await createProblem(t)).id, to: 'KNOWN_ERROR' }),
    code: 'BAD_USER_INPUT',
    words: ['known error', 'root cause'],
  },
  {
    what: 'review move the lifecycle does not allow',
    call: async () =>
      t.gql(REVIEW_MOVE, { id: (await createReview(t, { incidentIds: [(await incidentIn(t, 'RESOLVED')).id] })).id, to: 'DRAFT' }),
    code: 'ILLEGAL_TRANSITION',
    words: ['from Draft to Draft', 'In review'],
  },
  {
    what: 'impact out of range',
    call: async () => t.gql(LOG, { input: { title: 'Slow', impact: 7, urgency: 1 } }),
    code: 'BAD_USER_INPUT',
    words: ['Impact must be 3 or less'],
  },
  {
    what: 'impact that is not a number',
    call: async () => t.gql(LOG, { input: { title: 'Slow', impact: 'high', urgency: 1 } }),
    code: 'BAD_USER_INPUT',
    words: ['Impact must be a whole number'],
  },
  {
    what: 'a role that does not exist',
    call: async () => t.gql(SET_ROLE, { userId: (await createUser(t, { role: 'ENGINEER' })).id, role: 'GOD' }),
    code: 'BAD_USER_INPUT',
    words: ['Role cannot be "GOD"', 'Admin, Problem manager, Engineer or Viewer'],
  },
  {
    what: 'a token with more rights than its user',
    call: async () => t.gql(TOKEN, { userId: (await createUser(t, { role: 'ENGINEER' })).id, role: 'PROBLEM_MANAGER' }),
    code: 'BAD_USER_INPUT',
    words: ['has the role engineer', '(problem manager)'],
  },
  {
    what: 'a workaround applied to a closed incident',
    call: async () => applyWorkaroundRaw(t, (await incidentIn(t, 'CLOSED')).id, (await createWorkaround(t, { status: 'ACTIVE' })).id),
    code: 'INCIDENT_READ_ONLY',
    words: ['is closed', 'applied while it is open'],
  },
  {
    what: 'a priority matrix where less impact is more urgent',
    call: async () =>
      t.gql(MATRIX, {
        input: {
          rows: [
            [1, 2, 3],
            [2, 3, 4],
            [1, 4, 5],
          ],
        },
      }),
    code: 'BAD_USER_INPUT',
    words: ['Impact 3 with urgency 1 gives P1 Critical, more urgent than impact 2 with urgency 1 (P2 High)'],
  },
  {
    what: 'an incident that does not exist',
    call: async () => t.gql(CREATE_REVIEW, { input: { title: 'Ghost', incidentIds: [randomUUID()] } }),
    code: 'NOT_FOUND',
    words: ['there is no such incident'],
  },
];

describe('refusals read in plain words', () => {
  it.each(CASES)('$what', async (c) => {
    const r = await c.call();
    expect(r.errors, JSON.stringify(r)).toHaveLength(1);
    const e = r.errors![0]!;
    const message = e.message;
    // The machine-readable part is unchanged: clients still branch on the code.
    expect(e.extensions?.code, message).toBe(c.code);
    expect(unquoted(message), message).not.toMatch(CODES);
    expect(unquoted(message), message).not.toMatch(CAMEL);
    expect(message).not.toMatch(/\binput\./);
    expect(message).not.toMatch(UUID);
    for (const w of c.words) expect(message).toMatch(typeof w === 'string' ? new RegExp(escape(w)) : w);
    // The field it concerns, in words, when the refusal names one.
    const field = e.extensions?.field;
    if (typeof field === 'string' && c.code === 'BAD_USER_INPUT') expect(message.toLowerCase()).toContain(fieldLabel(field).toLowerCase());
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
