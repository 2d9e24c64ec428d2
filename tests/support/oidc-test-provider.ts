// A real OpenID provider (oidc-provider, a certified implementation) in the test process, on
// 127.0.0.1 over http. Interactions are answered by a minimal handler: the next sign-in is the
// account the test names, or an access_denied. The token endpoint can be intercepted to hand out an
// ID token the test forges with the provider's own signing key (wrong audience, expired).
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
}

export interface TestProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  /** Who signs in at the next interaction (or a refusal). */
  next: { accountId: string } | { error: string };
  /** When set, POST /token answers with an ID token made of these claims (signed with the provider's key). */
  forgeIdToken: ((nonce: string) => Record<string, unknown>) | null;
  /** Requests the token endpoint received (counts code exchanges). */
  tokenRequests: number;
  close(): Promise<void>;
}

/** oidc-provider's storage, in memory (its own default says so on every start). */
const stores = new Map<string, Map<string, { payload: Record<string, unknown>; consumed?: number }>>();
class MemoryAdapter {
  private readonly store: Map<string, { payload: Record<string, unknown>; consumed?: number }>;
  constructor(name: string) {
    this.store = stores.get(name) ?? new Map();
    stores.set(name, this.store);
  }
  async upsert(id: string, payload: Record<string, unknown>) {
    this.store.set(id, { payload });
  }
  async find(id: string) {
    const e = this.store.get(id);
    return e ? { ...e.payload, ...(e.consumed ? { consumed: e.consumed } : {}) } : undefined;
  }
  async findByUid(uid: string) {
    for (const [id, e] of this.store) if (e.payload.uid === uid) return this.find(id);
    return undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id: string) {
    const e = this.store.get(id);
    if (e) e.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId: string) {
    for (const [id, e] of this.store) if (e.payload.grantId === grantId) this.store.delete(id);
  }
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export async function startOidcProvider(clients: TestClient[]): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const state: TestProvider = {
    issuer,
    accounts,
    next: { error: 'access_denied' },
    forgeIdToken: null,
    tokenRequests: 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...c })),
    jwks: { keys: [jwk] },
    adapter: MemoryAdapter,
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    cookies: { keys: ['a-test-cookie-key-of-some-length'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // Claims in the ID token itself (as Okta, Entra ID and Keycloak can be set to do), not only from userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const a = accounts.get(sub);
      return a ? { accountId: sub, claims: async () => ({ ...a }) } : undefined;
    },
    // No consent screen: every client is granted what it asks for.
    loadExistingGrant: async (ctx: {
      oidc: { client: { clientId: string }; session: { accountId: string }; params: { scope?: string }; provider: Provider };
    }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(String(ctx.oidc.params.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', issuer);
        if (url.pathname.startsWith('/interaction/')) {
          await provider.interactionDetails(req, res);
          const next = state.next;
          const result =
            'error' in next ? { error: next.error, error_description: 'The test said no' } : { login: { accountId: next.accountId } };
          await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
          return;
        }
        if (url.pathname === '/token' && req.method === 'POST') {
          state.tokenRequests++;
          if (state.forgeIdToken) {
            const body = await new Promise<string>((resolve) => {
              let s = '';
              req.on('data', (c: Buffer) => (s += c.toString()));
              req.on('end', () => resolve(s));
            });
            const code = new URLSearchParams(body).get('code') ?? '';
            const claims = state.forgeIdToken(lastNonce.get(code) ?? '');
            const signingInput = `${b64({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })}.${b64(claims)}`;
            const jwt = `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
            res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
            res.end(JSON.stringify({ access_token: 'forged-access-token', token_type: 'Bearer', expires_in: 60, id_token: jwt }));
            return;
          }
        }
        handle(req, res);
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });
  // The nonce of each code, for forged tokens (the real provider keeps it with the code).
  const lastNonce = new Map<string, string>();
  provider.on('authorization_code.saved', (...args: unknown[]) => {
    const code = args[0] as { jti: string; nonce?: string };
    lastNonce.set(code.jti, code.nonce ?? '');
  });
  return state;
}

/** A cookie jar for the provider's own cookies, while a test plays the browser through its redirects. */
export async function followToCallback(authorizationUrl: string, callbackPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(callbackPrefix)) return new URL(url);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const j = pair!.indexOf('=');
      jar.set(pair!.slice(0, j), pair!.slice(j + 1));
    }
    const loc = res.headers.get('location');
    if (!loc) throw new Error(`the provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 500)}`);
    url = new URL(loc, url).href;
  }
  throw new Error('too many redirects at the provider');
}
