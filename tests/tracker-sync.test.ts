import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTrackers } from './support/fake-trackers';
import {
  createConnection,
  githubInput,
  ITEM_STATUS,
  ITEM_UPDATE,
  jiraInput,
  jobsOf,
  linkOf,
  newItem,
  push,
  reviewWithOwner,
  sync,
  future,
  type Setting,
} from './support/tracker-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 26 part 2, pushing (decision 0008): action items go to Jira Cloud and GitHub Issues through
 * the sync outbox, against local servers that answer like those APIs (field errors, 401, 404, 429
 * with Retry-After, GitHub's primary and secondary rate limits, 502, connection refused).
 */

let t: TestApp;
let f: FakeTrackers;
let s: Setting;
let jira: { id: string };
let gh: { id: string };

const connectionName = async (id: string) =>
  (await t.sql<{ name: string }>(`select name from tracker.connections where id = $1`, [id]))[0]!.name;

beforeAll(async () => {
  f = await new FakeTrackers().start();
  t = await startTestApp();
  s = await reviewWithOwner(t);
  jira = (await createConnection(t, jiraInput(f, { wontDoResolution: "Won't Do", wontDoTransition: "Won't Do" }))).connection;
  gh = (await createConnection(t, githubInput(f, { labels: ['follow-up'] }))).connection;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await f?.stop().catch(() => {});
});

describe('connections', () => {
  it('shows the webhook secret once and never the token', async () => {
    const made = await createConnection(t, jiraInput(f, { name: 'Secret check' }));
    expect(made.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const r = await t.gql(`{ trackerConnections { id name accountEmail webhookPath } }`);
    const text = JSON.stringify(r);
    expect(text).not.toContain(f.jira.token);
    expect(text).not.toContain(made.webhookSecret);
    expect(text).toContain(`/hooks/jira/${made.connection.id}`);
    const rotated = ok(
      await t.gql<{ rotateTrackerWebhookSecret: string }>(`mutation($id: ID!) { rotateTrackerWebhookSecret(id: $id) }`, {
        id: made.connection.id,
      }),
    );
    expect(rotated.rotateTrackerWebhookSecret).not.toBe(made.webhookSecret);
    ok(await t.gql(`mutation($id: ID!) { deleteTrackerConnection(id: $id) }`, { id: made.connection.id }));
  });

  it('refuses incomplete or hostile settings with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [jiraInput(f, { accountEmail: 'not-an-email' }), 'input.accountEmail'],
      [jiraInput(f, { projectKey: undefined }), 'input.projectKey'],
      [jiraInput(f, { baseUrl: 'ftp://x.example' }), 'input.baseUrl'],
      [jiraInput(f, { baseUrl: 'https://user:pw@x.atlassian.net' }), 'input.baseUrl'],
      // Private networks and cloud metadata (the test app reaches loopback only).
      [jiraInput(f, { baseUrl: 'http://169.254.169.254' }), 'input.baseUrl'],
      [githubInput(f, { baseUrl: 'https://10.1.2.3/api/v3' }), 'input.baseUrl'],
      [githubInput(f, { repoName: '../../etc' }), 'input.repoName'],
      [githubInput(f, { token: '' }), 'input.token'],
      [githubInput(f, { name: '\u0000'.repeat(3) }), 'input.name'],
    ];
    for (const [input, field] of cases) {
      const r = await t.gql(`mutation($i: CreateTrackerConnectionInput!) { createTrackerConnection(input: $i) { webhookSecret } }`, {
        i: input,
      });
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(r.errors)).toContain(field.replace('input.', ''));
    }
  });

  it('tests a connection: accepted, wrong token (401), unknown project (404), nothing listening', async () => {
    const test = (id: string) =>
      t.gql<{ testTrackerConnection: { ok: boolean; message: string; status: number | null } }>(
        `mutation($id: ID!) { testTrackerConnection(id: $id) { ok message status } }`,
        { id },
      );
    expect(ok(await test(jira.id)).testTrackerConnection).toMatchObject({
      ok: true,
      message: expect.stringContaining('project OPS (Operations)'),
    });
    expect(ok(await test(gh.id)).testTrackerConnection).toMatchObject({ ok: true, message: expect.stringContaining('acme/ops') });
    const wrong = await createConnection(t, jiraInput(f, { token: 'nope' }));
    expect(ok(await test(wrong.connection.id)).testTrackerConnection).toMatchObject({
      ok: false,
      status: 401,
      message: expect.stringContaining('did not accept the credentials'),
    });
    const noProject = await createConnection(t, jiraInput(f, { projectKey: 'NOPE' }));
    expect(ok(await test(noProject.connection.id)).testTrackerConnection.message).toContain("No project could be found with key 'NOPE'");
    const down = await createConnection(t, githubInput(f, { baseUrl: 'http://127.0.0.1:1' }));
    expect(ok(await test(down.connection.id)).testTrackerConnection).toMatchObject({
      ok: false,
      status: null,
      message: expect.stringContaining('did not answer'),
    });
    for (const c of [wrong, noProject, down])
      await t.gql(`mutation($id: ID!) { deleteTrackerConnection(id: $id) }`, { id: c.connection.id });
  });

  it('sends a real test issue labelled as a test, or says why not', async () => {
    const r = ok(
      await t.gql<{ sendTestTrackerIssue: { ok: boolean; key: string; url: string } }>(
        `mutation($id: ID!) { sendTestTrackerIssue(id: $id) { ok message key url } }`,
        { id: gh.id },
      ),
    ).sendTestTrackerIssue;
    expect(r).toMatchObject({ ok: true, url: expect.stringContaining('/acme/ops/issues/') });
    expect(f.github.issues.get(Number(r.key))?.labels).toEqual(['follow-up', 'ikb-test']);
    f.faults.push({
      match: /^POST \/jira\/rest\/api\/3\/issue$/,
      status: 400,
      body: { errorMessages: [], errors: { issuetype: 'Specify a valid issue type' } },
    });
    const bad = ok(
      await t.gql<{ sendTestTrackerIssue: { ok: boolean; message: string } }>(
        `mutation($id: ID!) { sendTestTrackerIssue(id: $id) { ok message } }`,
        { id: jira.id },
      ),
    );
    expect(bad.sendTestTrackerIssue).toEqual({
      ok: false,
      message: 'Jira answered 400: refused the request (issuetype: Specify a valid issue type)',
    });
  });
});

describe('pushing', () => {
  it('queues the link and a job with the mutation, then creates the Jira issue with an ADF description linking back', async () => {
    const item = await newItem(t, s);
    const pushed = ok(await push(t, item.id, jira.id)).pushActionItem;
    expect(pushed.trackerLink).toMatchObject({ state: 'QUEUED', externalKey: null, kind: 'JIRA' });
    expect(await jobsOf(t, item.id)).toMatchObject([{ status: 'PENDING', attempts: 0 }]);
    expect((await sync(t)).synced).toBeGreaterThanOrEqual(1);
    const link = await linkOf(t, item.id);
    expect(link).toMatchObject({ state: 'SYNCED', external_key: expect.stringMatching(/^OPS-\d+$/), remote_status: 'OPEN' });
    expect(link!.url).toBe(`${f.jiraUrl}/browse/${link!.external_key}`);
    const issue = f.jira.issues.get(link!.external_key!)!;
    expect(issue.fields).toMatchObject({
      summary: 'Alert on pool saturation',
      issuetype: { name: 'Task' },
      labels: ['post-incident'],
      duedate: item.dueDate,
    });
    expect(JSON.stringify(issue.fields.description)).toContain(`/reviews/${s.reviewId}`);
    const history = await t.sql<{ summary: string }>(
      `select summary from review_events where kind = 'ACTION_ITEM_TRACKER' and review_id = $1`,
      [s.reviewId],
    );
    expect(history.map((h) => h.summary)).toContain(
      `Action item "Alert on pool saturation" pushed to Jira (${await connectionName(jira.id)})`,
    );
    // Pushing twice is refused in words.
    const again = await push(t, item.id, gh.id);
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining('one tracker') });
  });

  it('coalesces several edits into one update, then moves the issue through its transitions', async () => {
    const item = await newItem(t, s, 'Raise pool size');
    ok(await push(t, item.id, jira.id));
    await sync(t);
    const key = (await linkOf(t, item.id))!.external_key!;
    f.seen.length = 0;
    for (const title of ['Raise pool size to 80', 'Raise pool size to 100', 'Raise the pool size to 100'])
      ok(
        await t.gql(ITEM_UPDATE, { id: item.id, input: { title, ownerId: s.ownerId, dueDate: future(25), kind: 'PREVENT', priority: 3 } }),
      );
    expect((await jobsOf(t, item.id)).filter((j) => j.status === 'PENDING')).toHaveLength(1);
    await sync(t);
    expect(f.calls(/^PUT /)).toHaveLength(1);
    expect(f.jira.issues.get(key)!.fields).toMatchObject({ summary: 'Raise the pool size to 100', duedate: future(25) });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'DONE' } }));
    await sync(t);
    expect(f.calls(/^GET .*\/transitions$/)).toHaveLength(1);
    expect(f.jira.issues.get(key)).toMatchObject({ status: 'Done' });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'OPEN' } }));
    await sync(t);
    expect(f.jira.issues.get(key)).toMatchObject({ status: 'To Do', resolution: null });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'WONT_DO', reason: 'Replaced by autoscaling' } }));
    await sync(t);
    expect(f.jira.issues.get(key)).toMatchObject({ status: "Won't Do", resolution: "Won't Do" });
    expect((await linkOf(t, item.id))!.remote_status).toBe('WONT_DO');
  });

  it('closes a GitHub issue as completed or not planned, and reopens it', async () => {
    const item = await newItem(t, s, 'Add a canary for checkout');
    ok(await push(t, item.id, gh.id));
    await sync(t);
    const n = Number((await linkOf(t, item.id))!.external_key);
    expect(f.github.issues.get(n)).toMatchObject({ title: 'Add a canary for checkout', labels: ['follow-up'], state: 'open' });
    expect(f.github.issues.get(n)!.body).toContain(`/reviews/${s.reviewId}`);
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'WONT_DO', reason: 'covered elsewhere' } }));
    await sync(t);
    expect(f.github.issues.get(n)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'IN_PROGRESS' } }));
    await sync(t);
    expect(f.github.issues.get(n)).toMatchObject({ state: 'open', state_reason: 'reopened' });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'DONE' } }));
    await sync(t);
    expect(f.github.issues.get(n)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const seen = f.calls(/^PATCH /).at(-1)!;
    expect(seen.headers).toMatchObject({
      authorization: `Bearer ${f.github.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
  });
});
