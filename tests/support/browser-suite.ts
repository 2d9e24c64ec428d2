// The part every browser test file shared: skip with the reason when there is no chromium, start the
// stack (API, built web app, chromium) and a first page before the tests and stop it after, poll with
// the browser tests' patience, and keep a screenshot of the page a failing test left. Kept apart from
// browser.ts (the processes) because these register vitest hooks.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFailed } from 'vitest';
import { HAS_CHROMIUM, NO_CHROMIUM_MESSAGE, screenshot, signIn, startBrowserStack, type BrowserStack } from './browser';

/** expect.poll with room for a built app on a shared machine: 30 s, every 250 ms. */
export const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });

/** A describe block that runs in chromium, or is skipped with how to install it (and says so once). */
export function describeInChromium(name: string, body: () => void): void {
  if (!HAS_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);
  describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? name : NO_CHROMIUM_MESSAGE, body);
}

export interface BrowserSession {
  stack: BrowserStack;
  /** The first page, in its own context, opened with the stack. */
  page: Page;
  context: BrowserContext;
  /** Page errors and CSP violations the first page met. */
  errors: string[];
}

export interface BrowserSuite {
  /** The running stack and first page; available from the describe block's own beforeAll on. */
  session(): BrowserSession;
  /** If the running test fails, screenshots the page (the first one unless given) as `<shots>-<name>-FAILED`. */
  shotOnFailure(name: string, page?: () => Page | undefined): void;
}

/**
 * Called first inside a describe block: its beforeAll starts the stack and opens the first page
 * (signed in as `signInAs` when given) before the block's own beforeAll, and its afterAll stops
 * everything after the block's own afterAll.
 */
export function useBrowserStack(opts: {
  /** Prefix of the failure screenshots' names (test-output/browser/<shots>-<name>-FAILED.png); '' for none. */
  shots: string;
  signInAs?: { email: string; password: string };
  proxySecret?: string;
}): BrowserSuite {
  let current: BrowserSession | undefined;
  let stack: BrowserStack | undefined;
  beforeAll(async () => {
    stack = await startBrowserStack(opts.proxySecret ? { proxySecret: opts.proxySecret } : {});
    const first = await stack.newPage();
    if (opts.signInAs) await signIn(first.page, opts.signInAs.email, opts.signInAs.password);
    current = { stack, ...first };
  }, 600_000);
  afterAll(async () => {
    await stack?.close();
  }, 60_000);
  const session = (): BrowserSession => {
    if (!current) throw new Error('the browser stack is not started (useBrowserStack runs in beforeAll)');
    return current;
  };
  return {
    session,
    shotOnFailure(name, page) {
      const which = page ?? (() => current?.page);
      onTestFailed(async () => {
        const p = which();
        if (p) await screenshot(p, `${opts.shots ? `${opts.shots}-` : ''}${name}-FAILED`).catch(() => {});
      });
    },
  };
}
