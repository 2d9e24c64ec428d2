import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '@ikb/api/src/features/analytics/analytics.rollups';
import { ensureWebBuild, startWeb, type WebServer } from './support/browser';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * While the analytics still have changes to fold in (the answer's pendingChanges > 0),
 * the dashboard says its figures are catching up, near the figures, with the instant up to which
 * every change is counted; once the changes are folded in, it does not. Over HTTP, against the
 * built web app and a real API whose background refresher is off (so the changes stay pending
 * until the test folds them in).
 */

// Read by the API when it starts (analyticsOptionsFromEnv): no background refresh in this file.
process.env.ANALYTICS_REFRESH_MS = '0';

const password = 'Figures-Catch-Up-With-Writes-19';
let api: TestApp;
let web: WebServer;
let session: string;

async function dashboard(): Promise<string> {
  const res = await fetch(`${web.url}/dashboard`, { headers: { cookie: session } });
  expect(res.status).toBe(200);
  return res.text();
}

const notice = (html: string) => /<p[^>]*data-testid="analytics-catching-up"[^>]*>([\s\S]*?)<\/p>/.exec(html);
const text = (html: string) => html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '');

beforeAll(async () => {
  await ensureWebBuild();
  api = await startTestApp();
  ok(
    await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
      i: { email: 'dashboard.reader@example.test', name: 'Dashboard Reader', role: 'VIEWER', password },
    }),
  );
  web = await startWeb(api.app.graphqlUrl);
  const res = await fetch(`${web.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: SignInInput!) { signIn(input: $i) { csrfToken } }',
      variables: { i: { email: 'dashboard.reader@example.test', password } },
    }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ikb_session='));
  if (!cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  session = cookie.split(';')[0]!;
}, 600_000);

afterAll(async () => {
  await web?.close();
  await api?.close();
}, 60_000);

describe('the dashboard while the analytics catch up', () => {
  it('says nothing when every change is folded in', async () => {
    await drain(api.app.orm.em);
    const html = await dashboard();
    expect(html).toContain('data-pending-changes="0"');
    expect(notice(html)).toBeNull();
  });

  it('says the figures are catching up, and since when every change is in, while changes are pending; not once folded in', async () => {
    for (const title of ['Checkout returns HTTP 502', 'VPN drops every ten minutes']) {
      ok(
        await api.gql(`mutation($i: LogIncidentInput!) { logIncident(input: $i) { id } }`, {
          i: { title, source: 'MONITORING', impact: 1, urgency: 1 },
        }),
      );
    }
    const [{ n }] = await api.sql(`select count(distinct incident_id)::int as n from analytics.queue`);
    expect(n).toBe(2);
    const html = await dashboard();
    const found = notice(html);
    expect(found, 'the catching-up notice').not.toBeNull();
    expect(found![0]).toContain('role="status"');
    const said = text(found![1]!);
    expect(said).toMatch(
      new RegExp(
        /^These figures are catching up\. \d+ recent changes are still being folded in; /.source +
          /every change made before .+ UTC is counted\. Reload in a moment for the exact figures\.$/.source,
      ),
    );
    // Near the figures: right before the first row of tiles.
    const at = html.indexOf('data-testid="analytics-catching-up"');
    const tiles = html.indexOf('class="grid-cards stat-row"');
    expect(at).toBeGreaterThan(0);
    expect(tiles).toBeGreaterThan(at);
    expect(html.slice(at, tiles)).not.toContain('<section');

    await drain(api.app.orm.em);
    const after = await dashboard();
    expect(after).toContain('data-pending-changes="0"');
    expect(notice(after)).toBeNull();
  });
});
