import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTrackers } from './support/fake-trackers';
import {
  createConnection,
  githubInput,
  ITEM_UPDATE,
  jiraInput,
  jobsOf,
  linkOf,
  newItem,
  push,
  reviewWithOwner,
  sync,
  timePasses,
  future,
  type Setting,
} from './support/tracker-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 26 part 2, when trackers fail (decision 0008): retries after 502 and 429 Retry-After,
 * GitHub's primary and secondary rate limits, refusals that stop with the tracker's words and an
 * admin retry, a tracker that is down (connection refused) then up, a dead end after the last try,
 * an edit made while a send is in flight, and the statements pushing costs.
 */

let t: TestApp;
let f: FakeTrackers;
let s: Setting;
let jira: { id: string };
let gh: { id: string };

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

describe('failures', () => {
  it('retries a 502 and a 429 after its Retry-After, then succeeds', async () => {
    const item = await newItem(t, s, 'Retry me');
    ok(await push(t, item.id, jira.id));
    f.faults.push({ match: /^POST \/jira\/rest\/api\/3\/issue$/, status: 502, body: '<html>Bad gateway</html>' });
    await sync(t);
    let [job] = await jobsOf(t, item.id);
    expect(job).toMatchObject({ status: 'PENDING', attempts: 1, last_error: expect.stringContaining('Jira answered 502') });
    expect((await linkOf(t, item.id))!.state).toBe('RETRYING');
    await timePasses(t);
    f.faults.push({ match: /^POST \/jira\/rest\/api\/3\/issue$/, status: 429, headers: { 'retry-after': '120' }, body: '' });
    await sync(t);
    [job] = await jobsOf(t, item.id);
    const wait = new Date(job!.next_at).getTime() - Date.now();
    expect(wait).toBeGreaterThan(110_000);
    expect(wait).toBeLessThan(125_000);
    await timePasses(t);
    await sync(t);
    expect(await linkOf(t, item.id)).toMatchObject({ state: 'SYNCED', external_key: expect.stringMatching(/^OPS-/) });
    const log = await t.sql<{ outcome: string; http_status: number | null }>(
      `select a.outcome, a.http_status from tracker.attempts a join tracker.links l on l.id = a.link_id
        where l.action_item_id = $1 order by a.id`,
      [item.id],
    );
    expect(log).toEqual([
      { outcome: 'RETRY', http_status: 502 },
      { outcome: 'RETRY', http_status: 429 },
      { outcome: 'OK', http_status: 201 },
    ]);
  });

  it("waits for GitHub's limit reset on 403 with x-ratelimit-remaining: 0, a minute on a secondary limit", async () => {
    const item = await newItem(t, s, 'Rate limited');
    ok(await push(t, item.id, gh.id));
    const reset = Math.floor(Date.now() / 1000) + 900;
    f.faults.push({
      match: /^POST \/gh\/repos\/acme\/ops\/issues$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest' },
    });
    await sync(t);
    let [job] = await jobsOf(t, item.id);
    expect(Math.abs(new Date(job!.next_at).getTime() - reset * 1000)).toBeLessThan(3_000);
    await timePasses(t);
    f.faults.push({
      match: /^POST \/gh\/repos\/acme\/ops\/issues$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '4000' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
    });
    await sync(t);
    [job] = await jobsOf(t, item.id);
    expect(new Date(job!.next_at).getTime() - Date.now()).toBeGreaterThan(55_000);
    expect(job!.status).toBe('PENDING');
    await timePasses(t);
    await sync(t);
    expect((await linkOf(t, item.id))!.state).toBe('SYNCED');
  });

  it('stops on a refusal with the reason on the link; an admin retry sends it again', async () => {
    const item = await newItem(t, s, 'Refused once');
    ok(await push(t, item.id, jira.id));
    f.faults.push({
      match: /^POST \/jira\/rest\/api\/3\/issue$/,
      status: 400,
      body: { errorMessages: [], errors: { duedate: 'Due date is required.' } },
    });
    await sync(t);
    expect(await jobsOf(t, item.id)).toMatchObject([{ status: 'DEAD', attempts: 1 }]);
    const r = ok(
      await t.gql<{ review: { actionItems: { id: string; trackerLink: { state: string; lastError: string } | null }[] } }>(
        `query($id: ID!) { review(id: $id) { actionItems { id trackerLink { state lastError externalKey } } } }`,
        { id: s.reviewId },
      ),
    );
    const link = r.review.actionItems.find((a) => a.id === item.id)!.trackerLink!;
    expect(link).toMatchObject({
      state: 'FAILED',
      lastError:
        'Jira answered 400: refused the request (duedate: Due date is required.); not retried (an admin can retry once it is fixed)',
    });
    ok(await t.gql(`mutation($id: ID!) { retryTrackerSync(actionItemId: $id) { id } }`, { id: item.id }));
    expect((await linkOf(t, item.id))!.state).toBe('QUEUED');
    await sync(t);
    expect(await linkOf(t, item.id)).toMatchObject({ state: 'SYNCED', last_error: null });
  });

  it('queues while the tracker is down (connection refused) and sends when it is back; a dead end after the last try', async () => {
    const item = await newItem(t, s, 'Down then up');
    ok(await push(t, item.id, gh.id));
    await f.stop();
    await sync(t);
    await timePasses(t);
    await sync(t);
    expect(await jobsOf(t, item.id)).toMatchObject([
      { status: 'PENDING', attempts: 2, last_error: expect.stringContaining('GitHub did not answer: ECONNREFUSED') },
    ]);
    await f.start();
    await timePasses(t);
    await sync(t);
    expect(await linkOf(t, item.id)).toMatchObject({ state: 'SYNCED', external_key: expect.stringMatching(/^\d+$/) });

    const doomed = await newItem(t, s, 'Never arrives');
    ok(await push(t, doomed.id, gh.id));
    f.faults.push({ match: /^POST \/gh\//, status: 503, times: 20, body: { message: 'Service unavailable' } });
    for (let i = 0; i < 12; i++) {
      await sync(t);
      await timePasses(t);
    }
    f.faults.length = 0;
    expect(await jobsOf(t, doomed.id)).toMatchObject([
      { status: 'DEAD', attempts: 10, last_error: expect.stringContaining('gave up after 10 attempts') },
    ]);
    expect((await linkOf(t, doomed.id))!.state).toBe('FAILED');
  });

  it('keeps the edit made while a send is in flight (nothing lost to coalescing)', async () => {
    const item = await newItem(t, s, 'In flight');
    ok(await push(t, item.id, jira.id));
    await sync(t);
    const key = (await linkOf(t, item.id))!.external_key!;
    ok(
      await t.gql(ITEM_UPDATE, {
        id: item.id,
        input: { title: 'In flight v2', ownerId: s.ownerId, dueDate: future(21), kind: 'PREVENT', priority: 3 },
      }),
    );
    const { claimDue, runJob } = await import('@ikb/api/src/features/trackers/tracker.sender');
    const [claimed] = await claimDue(t.app.orm.em);
    // The user edits again after the job was claimed, before it is recorded.
    ok(
      await t.gql(ITEM_UPDATE, {
        id: item.id,
        input: { title: 'In flight v3', ownerId: s.ownerId, dueDate: future(21), kind: 'PREVENT', priority: 3 },
      }),
    );
    await runJob(t.app.orm.em, claimed!);
    expect((await jobsOf(t, item.id)).filter((j) => j.status === 'PENDING')).toHaveLength(1);
    await sync(t);
    expect(f.jira.issues.get(key)!.fields.summary).toBe('In flight v3');
  });

  it('counts the statements of pushing and lists links without N+1', async () => {
    const a = await newItem(t, s, 'Count me');
    const r = await push(t, a.id, jira.id);
    expect(r.extensions?.sqlStatements).toBeLessThanOrEqual(12);
    const q = `query($id: ID!) { review(id: $id) { actionItems { id trackerLink { externalKey state } } } }`;
    const before = (await t.gql(q, { id: s.reviewId })).extensions?.sqlStatements;
    for (let i = 0; i < 3; i++) ok(await push(t, (await newItem(t, s, `More ${i}`)).id, gh.id));
    expect((await t.gql(q, { id: s.reviewId })).extensions?.sqlStatements).toBe(before);
  });

  it('shows the sync log to admins, newest first, a page at a time', async () => {
    const q = `query($c: ID, $first: Int!, $after: ID) {
      trackerSyncLog(connectionId: $c, first: $first, after: $after) { id operation httpStatus outcome error connectionName }
    }`;
    type Row = { id: string; operation: string; httpStatus: number | null; outcome: string };
    const first = ok(await t.gql<{ trackerSyncLog: Row[] }>(q, { c: jira.id, first: 3 })).trackerSyncLog;
    expect(first).toHaveLength(3);
    expect(Number(first[0]!.id)).toBeGreaterThan(Number(first[2]!.id));
    const next = ok(await t.gql<{ trackerSyncLog: Row[] }>(q, { c: jira.id, first: 200, after: first[2]!.id })).trackerSyncLog;
    expect(next.every((r) => Number(r.id) < Number(first[2]!.id))).toBe(true);
    expect([...first, ...next].some((r) => r.operation === 'POST /rest/api/3/issue' && r.httpStatus === 201 && r.outcome === 'OK')).toBe(
      true,
    );
    for (const [vars, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 10, after: 'x; drop table' }, 'after'],
      [{ first: 10, c: 'nope' }, 'connectionId'],
    ] as const) {
      const r = await t.gql(q, vars);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const engineer = await t.tokenForRole('ENGINEER');
    const refused = await t.gql(q, { first: 5 }, { authorization: `Bearer ${engineer.token}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const targets = await t.gql<{ trackerTargets: { name: string }[] }>(
      `{ trackerTargets { id kind name } }`,
      {},
      {
        authorization: `Bearer ${engineer.token}`,
      },
    );
    expect(ok(targets).trackerTargets.length).toBeGreaterThanOrEqual(2);
  });
});
