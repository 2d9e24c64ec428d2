import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTrackers, githubHook, githubIssueEvent, jiraHook, jiraStatusEvent } from './support/fake-trackers';
import {
  createConnection,
  githubInput,
  ITEM_STATUS,
  jiraInput,
  jobsOf,
  linkOf,
  newItem,
  push,
  reviewWithOwner,
  sync,
  type Setting,
} from './support/tracker-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 26 part 2, coming back (decision 0008): verified webhooks from GitHub and Jira Cloud move
 * action items through the same service path as a user's change; replays, echoes of our own push
 * and changes older than ours are recorded and not applied; hostile bodies never make a 5xx; items
 * done through a tracker count in the analytics exactly as local ones.
 */

let t: TestApp;
let f: FakeTrackers;
let s: Setting;
let jira: { id: string; secret: string };
let gh: { id: string; secret: string };

async function pushed(conn: { id: string }, title: string) {
  const item = await newItem(t, s, title);
  ok(await push(t, item.id, conn.id));
  await sync(t);
  const link = (await linkOf(t, item.id))!;
  expect(link.state).toBe('SYNCED');
  return { id: item.id, key: link.external_key! };
}

const itemRow = async (id: string) =>
  (
    await t.sql<{ status: string; done_at: Date | null; wont_do_reason: string | null }>(
      `select status, done_at, wont_do_reason from action_items where id = $1`,
      [id],
    )
  )[0]!;

beforeAll(async () => {
  f = await new FakeTrackers().start();
  t = await startTestApp();
  s = await reviewWithOwner(t);
  const j = await createConnection(t, jiraInput(f));
  jira = { id: j.connection.id, secret: j.webhookSecret };
  const g = await createConnection(t, githubInput(f));
  gh = { id: g.connection.id, secret: g.webhookSecret };
}, 120_000);

afterAll(async () => {
  await t?.close();
  await f?.stop().catch(() => {});
});

describe('GitHub webhooks', () => {
  it('answers a ping when the signature matches', async () => {
    const r = await githubHook(t.app.url, gh.id, gh.secret, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true });
  });

  it("moves the item to DONE at GitHub's time of closing, with a history entry naming GitHub", async () => {
    const item = await pushed(gh, 'Close me on GitHub');
    const closedAt = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const r = await githubHook(
      t.app.url,
      gh.id,
      gh.secret,
      'issues',
      githubIssueEvent('closed', Number(item.key), 'closed', 'completed', closedAt),
    );
    expect(await r.json()).toMatchObject({ ok: true, outcome: 'APPLIED' });
    const row = await itemRow(item.id);
    expect(row.status).toBe('DONE');
    expect(new Date(row.done_at!).toISOString()).toBe(new Date(closedAt).toISOString());
    const [event] = await t.sql<{ actor_name: string; summary: string }>(
      `select actor_name, summary from review_events where kind = 'ACTION_ITEM_STATUS' and data->>'actionItemId' = $1`,
      [item.id],
    );
    expect(event!.actor_name).toMatch(new RegExp(`^GitHub \\(#${item.key}\\) via Ops GitHub`));
    expect(event!.summary).toContain('OPEN -> DONE');
    // Not pushed back: the tracker already has it.
    expect(await jobsOf(t, item.id)).toMatchObject([{ status: 'DONE' }]);
  });

  it("closes as won't do for not planned, and reopens", async () => {
    const item = await pushed(gh, 'Not planned');
    await githubHook(t.app.url, gh.id, gh.secret, 'issues', githubIssueEvent('closed', Number(item.key), 'closed', 'not_planned'));
    expect(await itemRow(item.id)).toMatchObject({ status: 'WONT_DO', wont_do_reason: `Closed as not planned in GitHub (#${item.key})` });
    await githubHook(t.app.url, gh.id, gh.secret, 'issues', githubIssueEvent('reopened', Number(item.key), 'open', 'reopened'));
    expect(await itemRow(item.id)).toMatchObject({ status: 'OPEN', wont_do_reason: null, done_at: null });
  });

  it('refuses a missing or wrong signature, an unknown connection, another kind, and drops a replayed delivery', async () => {
    const item = await pushed(gh, 'Replay me');
    const body = githubIssueEvent('closed', Number(item.key), 'closed', 'completed');
    const none = await githubHook(t.app.url, gh.id, null, 'issues', body);
    expect(none.status).toBe(401);
    expect((await none.json()).error).toContain('No x-hub-signature-256 header');
    const wrong = await githubHook(t.app.url, gh.id, 'another-secret', 'issues', body);
    expect(wrong.status).toBe(401);
    expect(await githubHook(t.app.url, crypto.randomUUID(), gh.secret, 'issues', body).then((r) => r.status)).toBe(404);
    expect(await githubHook(t.app.url, 'not-a-uuid', gh.secret, 'issues', body).then((r) => r.status)).toBe(404);
    expect(await jiraHook(t.app.url, gh.id, gh.secret, body).then((r) => r.status)).toBe(404);
    expect((await itemRow(item.id)).status).toBe('OPEN');
    const delivery = crypto.randomUUID();
    expect(await (await githubHook(t.app.url, gh.id, gh.secret, 'issues', body, delivery)).json()).toMatchObject({ outcome: 'APPLIED' });
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'OPEN' } }));
    const replay = await githubHook(t.app.url, gh.id, gh.secret, 'issues', body, delivery);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect((await itemRow(item.id)).status).toBe('OPEN');
  });

  it('recognises the echo of our own push, and ignores a change older than our last one (ours is pushed again)', async () => {
    const item = await pushed(gh, 'Echo');
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'DONE' } }));
    await sync(t);
    const events = async () => (await t.sql(`select 1 from review_events where data->>'actionItemId' = $1`, [item.id])).length;
    const before = await events();
    const echo = await githubHook(
      t.app.url,
      gh.id,
      gh.secret,
      'issues',
      githubIssueEvent('closed', Number(item.key), 'closed', 'completed'),
    );
    expect(await echo.json()).toMatchObject({ outcome: 'ECHO' });
    expect(await events()).toBe(before);
    // Someone reopened it on GitHub a minute before our DONE; the webhook comes late.
    const old = new Date(Date.now() - 60_000).toISOString();
    const stale = await githubHook(
      t.app.url,
      gh.id,
      gh.secret,
      'issues',
      githubIssueEvent('reopened', Number(item.key), 'open', 'reopened', old),
    );
    expect(await stale.json()).toMatchObject({ outcome: 'STALE' });
    expect((await itemRow(item.id)).status).toBe('DONE');
    f.github.issues.get(Number(item.key))!.state = 'open';
    await sync(t);
    expect(f.github.issues.get(Number(item.key))).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const log = await t.sql<{ outcome: string; error: string }>(
      `select outcome, error from tracker.attempts where connection_id = $1 and operation like 'webhook%' order by id desc limit 2`,
      [gh.id],
    );
    expect(log.map((l) => l.outcome)).toEqual(['IGNORED', 'IGNORED']);
    expect(log[0]!.error).toContain("older than the action item's last status change");
  });

  it('refuses malformed JSON, a huge body and other methods in words, never a 5xx', async () => {
    const bad = await githubHook(t.app.url, gh.id, gh.secret, 'issues', '{"action": "closed",');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('not valid JSON');
    const huge = await githubHook(t.app.url, gh.id, gh.secret, 'issues', JSON.stringify({ pad: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect((await fetch(`${t.app.url}/hooks/github/${gh.id}`)).status).toBe(405);
    const other = await githubHook(t.app.url, gh.id, gh.secret, 'push', { ref: 'refs/heads/main' });
    expect(other.status).toBe(202);
  });
});

describe('Jira webhooks', () => {
  it("applies done and won't do from the status category and resolution", async () => {
    const done = await pushed(jira, 'Done in Jira');
    const at = Date.now() - 120_000;
    const r = await jiraHook(t.app.url, jira.id, jira.secret, jiraStatusEvent(done.key, { name: 'Done', category: 'done' }, 'Done', at));
    expect(await r.json()).toMatchObject({ outcome: 'APPLIED' });
    expect(new Date((await itemRow(done.id)).done_at!).getTime()).toBe(at);
    const wont = await pushed(jira, "Won't do in Jira");
    await jiraHook(t.app.url, jira.id, jira.secret, jiraStatusEvent(wont.key, { name: 'Closed', category: 'done' }, 'Won\u2019t Do'));
    expect(await itemRow(wont.id)).toMatchObject({ status: 'WONT_DO', wont_do_reason: `Resolved as won't do in Jira (${wont.key})` });
    const back = await jiraHook(t.app.url, jira.id, jira.secret, jiraStatusEvent(wont.key, { name: 'To Do', category: 'new' }, null));
    expect(await back.json()).toMatchObject({ outcome: 'APPLIED' });
    expect((await itemRow(wont.id)).status).toBe('OPEN');
  });

  it('ignores changes that do not touch the status, unlinked issues, and replays by X-Atlassian-Webhook-Identifier', async () => {
    const item = await pushed(jira, 'Summary edit');
    const summaryOnly = {
      ...jiraStatusEvent(item.key, { name: 'Done', category: 'done' }, 'Done'),
      changelog: { items: [{ field: 'summary' }] },
    };
    expect(await (await jiraHook(t.app.url, jira.id, jira.secret, summaryOnly)).json()).toMatchObject({ outcome: 'UNLINKED' });
    expect((await itemRow(item.id)).status).toBe('OPEN');
    const stranger = await jiraHook(
      t.app.url,
      jira.id,
      jira.secret,
      jiraStatusEvent('OPS-99999', { name: 'Done', category: 'done' }, 'Done'),
    );
    expect(await stranger.json()).toMatchObject({ outcome: 'UNLINKED', message: expect.stringContaining('not linked') });
    const body = jiraStatusEvent(item.key, { name: 'Done', category: 'done' }, 'Done');
    await jiraHook(t.app.url, jira.id, jira.secret, body, 'hook-1');
    ok(await t.gql(ITEM_STATUS, { id: item.id, input: { status: 'OPEN' } }));
    expect(await (await jiraHook(t.app.url, jira.id, jira.secret, body, 'hook-1')).json()).toMatchObject({ duplicate: true });
    expect((await itemRow(item.id)).status).toBe('OPEN');
    expect((await jiraHook(t.app.url, jira.id, 'wrong', body, 'hook-2')).status).toBe(401);
  });

  it('never answers a 5xx to random JSON shapes, signed or not', async () => {
    const item = await pushed(jira, 'Fuzzed');
    const shapes = fc.oneof(
      fc.jsonValue(),
      fc.record({
        webhookEvent: fc.oneof(fc.constant('jira:issue_updated'), fc.string()),
        issue: fc.jsonValue(),
        changelog: fc.jsonValue(),
        timestamp: fc.jsonValue(),
      }),
      fc.record({
        webhookEvent: fc.constant('jira:issue_updated'),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string()),
        issue: fc.record({ key: fc.oneof(fc.constant(item.key), fc.string({ maxLength: 300 })), fields: fc.jsonValue() }),
        changelog: fc.record({ items: fc.array(fc.record({ field: fc.constantFrom('status', 'resolution', 'x') })) }),
      }),
      fc.record({
        action: fc.constantFrom('closed', 'reopened', 'edited'),
        issue: fc.record({ number: fc.oneof(fc.integer(), fc.string()), state_reason: fc.jsonValue(), closed_at: fc.jsonValue() }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(shapes, fc.boolean(), fc.boolean(), async (payload, signed, github) => {
        const r = github
          ? await githubHook(t.app.url, gh.id, signed ? gh.secret : null, 'issues', payload)
          : await jiraHook(t.app.url, jira.id, signed ? jira.secret : null, payload);
        expect(r.status).toBeLessThan(500);
        await r.arrayBuffer();
      }),
      { numRuns: 150 },
    );
    const nul = await jiraHook(
      t.app.url,
      jira.id,
      jira.secret,
      '{"webhookEvent":"jira:issue_updated\u0000","issue":{"key":"OPS-1\u0000"}}',
    );
    expect(nul.status).toBeLessThan(500);
    const deep = await githubHook(t.app.url, gh.id, gh.secret, 'issues', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(deep.status).toBeLessThan(500);
  });
});

describe('analytics', () => {
  it('counts items done through a tracker in done on time, done late and overdue exactly as local ones', async () => {
    const onTime = await pushed(gh, 'Done on GitHub, on time');
    const late = await pushed(jira, 'Done in Jira, late');
    const overdue = await pushed(gh, 'Still open on GitHub');
    const wont = await pushed(gh, 'Not planned on GitHub');
    const local = await newItem(t, s, 'Done here');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await t.sql(`update action_items set due_date = $2 where id = any($1::uuid[])`, [[late.id, overdue.id], yesterday]);
    await githubHook(t.app.url, gh.id, gh.secret, 'issues', githubIssueEvent('closed', Number(onTime.key), 'closed', 'completed'));
    await jiraHook(t.app.url, jira.id, jira.secret, jiraStatusEvent(late.key, { name: 'Done', category: 'done' }, 'Done'));
    await githubHook(t.app.url, gh.id, gh.secret, 'issues', githubIssueEvent('closed', Number(wont.key), 'closed', 'not_planned'));
    ok(await t.gql(ITEM_STATUS, { id: local.id, input: { status: 'DONE' } }));

    const day = 86_400_000;
    const r = ok(
      await t.gql<{ analytics: { actionItems: Record<string, number> } }>(
        `query($f: AnalyticsFilter!) { analytics(filter: $f) { actionItems { total done doneOnTime doneLate open overdue wontDo } } }`,
        { f: { from: new Date(Date.now() - 30 * day).toISOString(), to: new Date(Date.now() + day).toISOString() } },
      ),
    ).analytics.actionItems;
    // Brute force over every action item of the review (all its incidents are in range).
    const rows = await t.sql<{ status: string; due: string; done: string | null }>(
      `select status, due_date::text as due, to_char(done_at at time zone 'UTC', 'YYYY-MM-DD') as done
         from action_items where review_id = $1`,
      [s.reviewId],
    );
    const today = new Date().toISOString().slice(0, 10);
    const brute = {
      total: rows.length,
      done: rows.filter((x) => x.status === 'DONE').length,
      doneOnTime: rows.filter((x) => x.status === 'DONE' && x.done! <= x.due).length,
      doneLate: rows.filter((x) => x.status === 'DONE' && x.done! > x.due).length,
      open: rows.filter((x) => x.status === 'OPEN' || x.status === 'IN_PROGRESS').length,
      overdue: rows.filter((x) => (x.status === 'OPEN' || x.status === 'IN_PROGRESS') && x.due < today).length,
      wontDo: rows.filter((x) => x.status === 'WONT_DO').length,
    };
    expect(r).toEqual(brute);
    expect(rows.find((x) => x.due === yesterday && x.status === 'DONE')).toBeTruthy();
    expect(brute.doneLate).toBeGreaterThanOrEqual(1);
    expect(brute.overdue).toBeGreaterThanOrEqual(1);
  });
});
