import { syncDue } from '@ikb/api/src/features/trackers/tracker.sender';
import { createUser } from './factories';
import type { FakeTrackers } from './fake-trackers';
import { addActionItem, createReview, simpleIncident } from './review-factories';
import { ok, type TestApp } from './test-app';

export const CONNECTION_FIELDS = `id kind name baseUrl accountEmail projectKey issueType repoOwner repoName labels doneTransition
  wontDoTransition reopenTransition wontDoResolution wontDoResolutions enabled webhookPath linked pending failed createdAt`;
export const LINK_FIELDS = 'trackerLink { connectionId connectionName kind externalKey url state lastError lastPushedAt lastReceivedAt }';

export async function createConnection(t: TestApp, input: Record<string, unknown>) {
  return ok(
    await t.gql<{ createTrackerConnection: { connection: { id: string; webhookPath: string }; webhookSecret: string } }>(
      `mutation($i: CreateTrackerConnectionInput!) {
         createTrackerConnection(input: $i) { webhookSecret connection { ${CONNECTION_FIELDS} } }
       }`,
      { i: input },
    ),
  ).createTrackerConnection;
}

export const jiraInput = (f: FakeTrackers, over: Record<string, unknown> = {}) => ({
  kind: 'JIRA',
  name: `Ops Jira ${Math.random().toString(36).slice(2, 7)}`,
  baseUrl: f.jiraUrl,
  accountEmail: f.jira.email,
  token: f.jira.token,
  projectKey: 'OPS',
  labels: ['post-incident'],
  ...over,
});

export const githubInput = (f: FakeTrackers, over: Record<string, unknown> = {}) => ({
  kind: 'GITHUB',
  name: `Ops GitHub ${Math.random().toString(36).slice(2, 7)}`,
  baseUrl: f.githubUrl,
  token: f.github.token,
  repoOwner: 'acme',
  repoName: 'ops',
  ...over,
});

export interface Setting {
  reviewId: string;
  ownerId: string;
}

export async function reviewWithOwner(t: TestApp): Promise<Setting> {
  const owner = await createUser(t, { name: `Owner ${Math.random().toString(36).slice(2, 7)}` });
  const inc = await simpleIncident(t, {}, { resolve: true });
  const review = await createReview(t, { title: 'Checkout outage', incidentIds: [inc.id] });
  return { reviewId: review.id, ownerId: owner.id };
}

export const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function newItem(t: TestApp, s: Setting, title = 'Alert on pool saturation', dueDate = future(20)) {
  return addActionItem(t, s.reviewId, { title, ownerId: s.ownerId, dueDate });
}

export async function push(t: TestApp, actionItemId: string, connectionId: string) {
  return t.gql<{ pushActionItem: { id: string; trackerLink: Record<string, unknown> | null } }>(
    `mutation($a: ID!, $c: ID!) { pushActionItem(actionItemId: $a, connectionId: $c) { id ${LINK_FIELDS} } }`,
    { a: actionItemId, c: connectionId },
  );
}

export async function linkOf(t: TestApp, actionItemId: string) {
  const [row] = await t.sql<{
    id: string;
    external_key: string | null;
    url: string | null;
    state: string;
    last_error: string | null;
    remote_status: string | null;
  }>(`select id, external_key, url, state, last_error, remote_status from tracker.links where action_item_id = $1`, [actionItemId]);
  return row;
}

export async function jobsOf(t: TestApp, actionItemId: string) {
  return t.sql<{ id: string; status: string; attempts: number; next_at: Date; last_error: string | null; version: number }>(
    `select j.id, j.status, j.attempts, j.next_at, j.last_error, j.version from tracker.jobs j join tracker.links l on l.id = j.link_id
      where l.action_item_id = $1 order by j.id`,
    [actionItemId],
  );
}

/** Sends what is due now (the background job's round, waited for). */
export const sync = (t: TestApp) => syncDue(t.app.orm.em, { random: () => 0 });

/** As if the waits had passed: every pending job is due now. */
export const timePasses = (t: TestApp) => t.sql(`update tracker.jobs set next_at = now() where status = 'PENDING'`);

export const ITEM_STATUS = `mutation($id: ID!, $input: ActionItemStatusInput!) {
  setActionItemStatus(id: $id, input: $input) { id status }
}`;
export const ITEM_UPDATE = `mutation($id: ID!, $input: ActionItemInput!) { updateActionItem(id: $id, input: $input) { id title } }`;
