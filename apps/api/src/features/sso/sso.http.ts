// Single sign-on's HTTP routes (decision 0007), reached through the web app's same-origin route
// handlers so that cookies stay on the web origin:
//   GET /auth/sso/<slug>/start?return=/path[&test=1]  302 to the provider (test=1: an admin's test sign-in)
//   GET /auth/sso/<slug>/callback?code&state&iss      302 to the return path with the session cookie set
//   GET /auth/sso/<slug>/logout                        302 to the provider's end_session_endpoint, if it has one
// Every failure is a 302 to /sign-in?sso_error=<CODE> (a test sign-in: /admin/sso?test=<key>), never a 5xx.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import * as oidc from 'openid-client';
import { logger } from '../../http/logger';
import { RateLimiter, type Limiter } from '../../http/rate-limit';
import { sendJson } from '../../http/respond';
import { webUrl } from '../notifications/notify-settings';
import { AuthService, authenticate } from '../auth/auth.service';
import { sessionCookie } from '../auth/auth.types';
import { writeAudit } from '../auth/guard.middleware';
import { applyAccount, planAccount, SsoFailure } from './sso-accounts';
import { discover } from './sso-config';
import { findProvider, saveTestResult, startLogin, verifyCallback } from './sso-flow';

export const BINDING_COOKIE = 'ikb_sso';
const SESSION_SECONDS = 14 * 86_400;
const PATH = /^\/auth\/sso\/([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)\/(start|callback|logout)$/;

export interface SsoRouteOptions {
  em: EntityManager;
  clientAddress: (req: IncomingMessage) => string;
  /** Starts a minute per client address (0: no limit, as tests run). Default 30. */
  startsPerMinute?: number;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const bindingCookie = (value: string, maxAge: number) =>
  `${BINDING_COOKIE}=${value}; Path=/auth/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAge}`;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []) {
  // no-referrer: the callback's URL holds the code, which the next page must not send anywhere.
  res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'set-cookie': cookies });
  res.end();
}

const failTo = (code: string) => `/sign-in?sso_error=${encodeURIComponent(code)}`;

export function ssoRoutes(opts: SsoRouteOptions): Route {
  const perMinute = opts.startsPerMinute ?? 30;
  const limiter: Limiter | null = perMinute > 0 ? new RateLimiter(perMinute, perMinute) : null;
  return async (req, res, url) => {
    const m = url.pathname.startsWith('/auth/sso/') ? PATH.exec(url.pathname) : null;
    if (!url.pathname.startsWith('/auth/sso/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'Use GET for single sign-on', field: 'method' }, { allow: 'GET' });
      return true;
    }
    if (!m) {
      redirect(res, failTo('PROVIDER_UNKNOWN'));
      return true;
    }
    const [, slug, action] = m as unknown as [string, string, 'start' | 'callback' | 'logout'];
    const em = opts.em.fork();
    try {
      if (action === 'start') await start(em, req, res, url, slug, limiter ? () => limiter.take(opts.clientAddress(req)) : null);
      else if (action === 'callback') await callback(em, req, res, url, slug);
      else await logout(em, res, slug);
    } catch (err) {
      const f = err instanceof SsoFailure ? err : null;
      if (!f) logger.error({ err, provider: slug, action }, 'sso route failed');
      const code = f?.code ?? 'SIGN_IN_FAILED';
      if (f?.testKey) {
        await saveTestResult(em, f.testKey, { claims: null, plan: null, error: f.code }).catch(() => undefined);
        redirect(res, `/admin/sso?test=${f.testKey}`, [bindingCookie('', 0)]);
      } else redirect(res, failTo(code), action === 'callback' ? [bindingCookie('', 0)] : []);
    }
    return true;
  };
}

async function start(
  em: EntityManager,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  slug: string,
  take: (() => number | Promise<number>) | null,
) {
  if (take && (await take()) > 0) throw new SsoFailure('RATE_LIMITED');
  let testBy: string | undefined;
  if (url.searchParams.get('test') === '1') {
    const auth = await authenticate(em, { cookie: req.headers.cookie }).catch(() => null);
    if (auth?.actor.role !== 'ADMIN' || !auth.sessionId) {
      sendJson(res, 403, { error: 'A test sign-in needs a signed-in admin', field: 'test' });
      return;
    }
    testBy = auth.actor.id!;
  }
  const { location, binding } = await startLogin(em, slug, { returnPath: url.searchParams.get('return'), testBy });
  redirect(res, location, [bindingCookie(binding, 600)]);
}

async function callback(em: EntityManager, req: IncomingMessage, res: ServerResponse, url: URL, slug: string) {
  const out = await verifyCallback(em, slug, url, cookieValue(req.headers.cookie, BINDING_COOKIE));
  const clear = bindingCookie('', 0);
  if (out.testKey) {
    const plan = await planAccount(em, out.provider, out.claims).catch((err: unknown) => {
      if (err instanceof SsoFailure) return err;
      throw err;
    });
    const failed = plan instanceof SsoFailure ? plan : null;
    await saveTestResult(em, out.testKey, { claims: out.claims, plan: failed ? null : (plan as never), error: failed?.code ?? null });
    return redirect(res, `/admin/sso?test=${out.testKey}`, [clear]);
  }
  // As http/server.ts reads it for GraphQL requests.
  const requestId = (String(req.headers['x-request-id'] ?? '').replace(/[^\w.:-]/g, '') || randomUUID()).slice(0, 100);
  const previous = await authenticate(em, { cookie: req.headers.cookie }).catch(() => null);
  const opened = await em.transactional(async (tem) => {
    const plan = await planAccount(tem, out.provider, out.claims);
    const userId = await applyAccount(tem, out.provider, out.claims, plan);
    return new AuthService(tem).startSession(userId, {
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
      previousSessionId: previous?.sessionId,
      onSignedIn: (em2, u) =>
        writeAudit(
          em2,
          { requestId },
          { id: u.id, name: u.name, role: u.role, authMethod: 'SSO' },
          {
            operation: 'ssoSignIn',
            targetType: 'users',
            targetId: u.id,
            variables: { provider: out.provider.slug, account: plan.account, role: plan.role },
            before: null,
            after: { table: 'users', id: u.id },
          },
        ),
    });
  });
  redirect(res, out.returnPath, [clear, sessionCookie(opened.cookie, SESSION_SECONDS)]);
}

/** RP-initiated logout: the local session is ended by signOut first; this ends the provider's too, where it offers that. */
async function logout(em: EntityManager, res: ServerResponse, slug: string) {
  const p = await findProvider(em, slug, false);
  const config = await discover(p).catch(() => null);
  const back = webUrl('/sign-in');
  if (!config?.serverMetadata().end_session_endpoint) return redirect(res, '/sign-in');
  redirect(res, oidc.buildEndSessionUrl(config, { client_id: p.clientId, post_logout_redirect_uri: back }).href);
}
