/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notifySettings } from '@ikb/api/src/features/notifications/notify-settings';
import { DEMO_ADMIN, signIn, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { startOidcProvider, type TestProvider } from './support/oidc-test-provider';
import { createProvider } from './support/sso-flow';

/**
 * In chromium: single sign-on through the web app (issue 26). The sign-in page's provider button
 * goes to the in-process OpenID provider and back through the web app's /auth/sso routes, which
 * leaves a session on the web origin; a refusal at the provider comes back as a sentence on the
 * sign-in page; an admin tests the provider's connection and runs a test sign-in from /admin/sso.
 */
describeInChromium('single sign-on in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'sso' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let op: TestProvider;

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    // The API runs in this process: its PUBLIC_WEB_URL becomes the web app the browser uses.
    notifySettings.publicWebUrl = stack.web.url;
    op = await startOidcProvider([
      { client_id: 'ikb-web', client_secret: 'browser-test-secret-1234', redirect_uris: [`${stack.web.url}/auth/sso/corp/callback`] },
    ]);
    await createProvider(stack.api, {
      slug: 'corp',
      displayName: 'Corp Login',
      issuerUrl: op.issuer,
      clientId: 'ikb-web',
      clientSecret: 'browser-test-secret-1234',
      scopes: 'openid email profile groups',
      groupRoles: [{ group: 'engineering', role: 'ENGINEER' }],
      provisioning: 'JIT',
    });
    op.accounts.set('gus', { sub: 'gus', email: 'gus@corp.test', email_verified: true, name: 'Gus Engineer', groups: ['engineering'] });
  }, 600_000);

  afterAll(async () => {
    await op?.close();
  });

  it('signs in with the provider button and lands on the page asked for', async () => {
    shotOnFailure('sign-in');
    op.next = { accountId: 'gus' };
    await page.goto('/sign-in?next=%2Fincidents');
    await page.getByRole('link', { name: 'Sign in with Corp Login' }).click();
    await page.waitForURL((u) => u.pathname === '/incidents');
    await page.locator('.user-menu').first().waitFor({ state: 'attached' });
    expect(await page.locator('.user-menu').first().innerText()).toContain('Gus Engineer');
    const cookies = await page.context().cookies(stack.web.url);
    expect(cookies.find((c) => c.name === 'ikb_session')?.httpOnly).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a plain sentence when the provider refuses', async () => {
    shotOnFailure('refused');
    const { page: p2 } = await stack.newPage();
    op.next = { error: 'access_denied' };
    await p2.goto('/sign-in');
    await p2.getByRole('link', { name: 'Sign in with Corp Login' }).click();
    await p2.waitForURL((u) => u.searchParams.get('sso_error') === 'ACCESS_DENIED');
    expect(await p2.locator('.sign-in-card [role="alert"]').innerText()).toContain('did not let you sign in');
  });

  it('lets an admin test the connection and run a test sign-in', async () => {
    const { page: admin } = await stack.newPage();
    shotOnFailure('admin', () => admin);
    await signIn(admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await admin.goto('/admin/sso');
    const card = admin.locator('section[aria-labelledby="sso-corp"]');
    // The origin is filled in once the page runs in the browser.
    await poll(() => card.innerText()).toContain(`${stack.web.url}/auth/sso/corp/callback`);
    await card.getByRole('button', { name: 'Test connection' }).click();
    await poll(() => card.getByRole('list', { name: 'Connection test' }).innerText()).toContain('All steps passed.');
    op.next = { accountId: 'gus' };
    await card.getByRole('link', { name: 'Test sign-in' }).click();
    await admin.waitForURL((u) => u.pathname === '/admin/sso' && !!u.searchParams.get('test'));
    const result = admin.locator('section[aria-labelledby="test-h"]');
    expect(await result.innerText()).toContain('Test sign-in succeeded');
    expect(await result.innerText()).toContain('ENGINEER');
    expect(await admin.getByRole('link', { name: 'Single sign-on' }).count()).toBeGreaterThan(0);
  });
});
