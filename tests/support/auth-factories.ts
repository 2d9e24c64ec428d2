import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES as DOMAIN_ROLES, type Role } from '@ikb/domain';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { dbSnapshot, type DbSnapshot } from './assertions';
import type { GqlResult, TestApp } from './test-app';
import { ok } from './test-app';
import { uniq, uniqSlug as slug } from './uniq';

export { uniq };

/**
 * Helpers: raw HTTP (headers and cookies visible), actors of every role with a password
 * and an API token, and one "valid enough" call for every mutation of the schema, shared by the
 * per-role tests and the fuzz test.
 */

export type { Role };
export const ROLES: Role[] = [...DOMAIN_ROLES];
export type Caller = Role | 'ANONYMOUS';
export const CALLERS: Caller[] = [...ROLES, 'ANONYMOUS'];

// ---- the schema file ----------------------------------------------------------------------------

let parsed: GraphQLSchema | undefined;
/** schema.graphql at the repository root (the committed API contract). */
export function schemaFile(): GraphQLSchema {
  parsed ??= buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
  return parsed;
}
export const schemaMutations = () => Object.keys(schemaFile().getMutationType()!.getFields()).sort();
export const schemaQueries = () => Object.keys(schemaFile().getQueryType()!.getFields()).sort();

/** A minimal value for an input type: required fields only, lists of one, first enum value. */
export function minimalValue(type: GraphQLInputType, name = ''): unknown {
  if (isNonNullType(type)) return minimalValue(type.ofType, name);
  if (isListType(type)) return [minimalValue(type.ofType, name)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields()))
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = minimalValue(f.type, f.name);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return '00000000-0000-4000-8000-000000000000';
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return '2026-01-01T00:00:00.000Z';
      case 'JSONObject':
        return {};
      default:
        return name === 'number' ? 'INC-1' : 'x';
    }
  }
  throw new Error(`no minimal value for ${String(type)}`);
}

/** `query($a: T!) { field(a: $a) { __typename } }` for a root field of the schema file. */
export function rootDocument(
  kind: 'query' | 'mutation',
  field: string,
  opts: { allArgs?: boolean } = {},
): { doc: string; variables: Record<string, unknown> } {
  const s = schemaFile();
  const f = (kind === 'query' ? s.getQueryType() : s.getMutationType())!.getFields()[field]!;
  const args = opts.allArgs ? f.args : f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const decl = args.length ? `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const pass = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const leaf = isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type));
  return {
    doc: `${kind}${decl} { ${field}${pass}${leaf ? '' : ' { __typename }'} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, minimalValue(a.type, a.name)])),
  };
}

// ---- raw HTTP -----------------------------------------------------------------------------------

export interface RawResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: GqlResult['errors']; extensions?: Record<string, unknown> } & Record<string, unknown>;
  text: string;
}

/** POSTs a GraphQL request with exactly these headers (no default credentials). */
export async function post<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<RawResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: RawResponse<T>['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: left empty, the caller looks at text */
  }
  return { status: res.status, headers: res.headers, body, text };
}

export const asResult = <T>(r: RawResponse<T>): GqlResult<T> => ({ status: r.status, data: r.body.data, errors: r.body.errors });

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
  raw: string;
}

export function parseSetCookies(headers: Headers): SetCookie[] {
  return headers.getSetCookie().map((raw) => {
    const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
    const i = pair!.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const j = a.indexOf('=');
      attributes[(j < 0 ? a : a.slice(0, j)).toLowerCase()] = j < 0 ? true : a.slice(j + 1);
    }
    return { name: pair!.slice(0, i), value: decodeURIComponent(pair!.slice(i + 1)), attributes, raw };
  });
}

export const ME = `query { me { role csrfToken authMethod user { id email role } } }`;
/** The answer to ME. */
export interface MeAnswer {
  me: {
    role: Role | null;
    csrfToken: string | null;
    authMethod: string | null;
    user: { id: string; email: string; role: Role } | null;
  };
}
export const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { role csrfToken authMethod user { id email } } }`;

/** A browser-like session: keeps the session cookie and the CSRF token it was given. */
export class Browser {
  cookie?: string;
  csrf?: string;
  constructor(private readonly url: string) {}

  async signIn(email: string, password: string) {
    const r = await post<{
      signIn: { role: Role; csrfToken: string; authMethod: string; user: { id: string; email: string } } | null;
    }>(this.url, SIGN_IN, { input: { email, password } }, this.cookie ? { cookie: `ikb_session=${encodeURIComponent(this.cookie)}` } : {});
    const c = parseSetCookies(r.headers).find((x) => x.name === 'ikb_session');
    if (r.body.data?.signIn) {
      this.cookie = c?.value;
      this.csrf = r.body.data.signIn.csrfToken;
    }
    return { ...r, setCookie: c };
  }

  headers(opts: { csrf?: boolean | string } = {}): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.cookie) h.cookie = `ikb_session=${encodeURIComponent(this.cookie)}`;
    const csrf = opts.csrf === undefined || opts.csrf === true ? this.csrf : opts.csrf === false ? undefined : opts.csrf;
    if (csrf) h['x-csrf-token'] = csrf;
    return h;
  }

  gql<T = unknown>(query: string, variables?: Record<string, unknown>, opts: { csrf?: boolean | string } = {}) {
    return post<T>(this.url, query, variables, this.headers(opts));
  }
}

// ---- actors -------------------------------------------------------------------------------------

export interface Actor {
  role: Role;
  userId: string;
  email: string;
  /** Changes when a test changes it (changePassword). */
  password: string;
  token: string;
  tokenId: string;
}

export const strongPassword = () => `Tulip-${Math.random().toString(36).slice(2, 10)}-Orbit`;

/** A user of that role with a password, and an API token of the same role, made through the API as the harness admin. */
export async function createActor(t: TestApp, role: Role, opts: { password?: string; email?: string } = {}): Promise<Actor> {
  const email = opts.email ?? `${slug(role.toLowerCase())}@example.test`;
  const password = opts.password ?? strongPassword();
  const user = ok(
    await t.gql<{ createUser: { id: string } }>(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { email, name: uniq(`Actor ${role}`), role, password },
    }),
  ).createUser;
  const made = ok(
    await t.gql<{ createApiToken: { secret: string; token: { id: string } } }>(
      `mutation($u: ID!, $r: Role!, $n: String!) { createApiToken(userId: $u, role: $r, name: $n) { secret token { id } } }`,
      { u: user.id, r: role, n: `${role} actor` },
    ),
  ).createApiToken;
  return { role, userId: user.id, email, password, token: made.secret, tokenId: made.token.id };
}

export async function createActors(t: TestApp): Promise<Record<Role, Actor>> {
  const out = {} as Record<Role, Actor>;
  for (const r of ROLES) out[r] = await createActor(t, r);
  return out;
}

/** Headers for calling as an actor; `authorization: ''` makes the harness send no credentials. */
export const bearer = (a: Actor | undefined): Record<string, string> => ({ authorization: a ? `Bearer ${a.token}` : '' });

// ---- one valid-enough call for every mutation ---------------------------------------------------

/** Shared rows every case may point at (made once per file, as the harness admin). */
export interface Fixtures {
  teamId: string;
  serviceId: string;
  categoryId: string;
  subcategoryId: string;
  ownerId: string;
  calendarId: string;
  policyId: string;
}

/** The value at `path` inside a GraphQL answer's data, or undefined where any step is missing. */
export function dig(data: unknown, ...path: string[]): unknown {
  let at = data;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

const passwordOf = (vars: Record<string, unknown>) => (vars.input as { password: string }).password;

/** Runs an operation as the harness admin and returns its root field: by default a record of which only the id is read. */
async function adm<T = { id: string }>(t: TestApp, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const d = ok(await t.gql<Record<string, T>>(query, variables));
  return Object.values(d)[0]!;
}

const TARGETS = [1, 2, 3, 4, 5].map((p) => ({ priority: p, responseMinutes: 15 * p, resolutionMinutes: 120 * p }));
const RESOLVE = { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'RESTART', resolutionNotes: 'Restarted the pod' };
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function createFixtures(t: TestApp): Promise<Fixtures> {
  const team = await adm(t, `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, { input: { name: uniq('Team') } });
  const service = await adm(t, `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, {
    input: { name: uniq('Service'), ownerTeamId: team.id },
  });
  const category = await adm(t, `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`, {
    input: { name: uniq('Category') },
  });
  const sub = await adm(t, `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`, {
    input: { name: uniq('Sub'), parentId: category.id },
  });
  const owner = await adm(t, `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
    input: { email: `${slug('owner')}@example.test`, name: uniq('Owner'), role: 'ENGINEER', teamId: team.id },
  });
  const calendars = await adm<{ id: string; name: string }[]>(t, `query { businessCalendars { id name } }`);
  const calendarId = (calendars.find((c) => c.name === '24x7') ?? calendars[0])!.id;
  const policy = await adm(t, `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`, {
    input: { name: uniq('SLA'), calendarId, targets: TARGETS, pauseHoldReasons: ['AWAITING_USER'] },
  });
  return {
    teamId: team.id,
    serviceId: service.id,
    categoryId: category.id,
    subcategoryId: sub.id,
    ownerId: owner.id,
    calendarId,
    policyId: policy.id,
  };
}

// Fresh records, made as the harness admin.
export const make = {
  slaPolicy: (t: TestApp, fx: Fixtures) =>
    adm(t, `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`, {
      input: { name: uniq('SLA'), calendarId: fx.calendarId, targets: TARGETS, pauseHoldReasons: [] },
    }),
  incident: (t: TestApp, input: Record<string, unknown> = {}) =>
    adm<{ id: string }>(t, `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`, {
      input: { title: uniq('Checkout returns HTTP 502'), description: 'Payment step fails', ...input },
    }),
  async resolvedIncident(t: TestApp, input: Record<string, unknown> = {}) {
    const i = await make.incident(t, input);
    await adm(t, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`, {
      id: i.id,
      input: RESOLVE,
    });
    return i;
  },
  problem: (t: TestApp, input: Record<string, unknown> = {}) =>
    adm<{ id: string }>(t, `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id } }`, {
      input: { title: uniq('Pool exhaustion'), ...input },
    }),
  workaround: (t: TestApp, input: Record<string, unknown> = {}) =>
    adm<{ id: string }>(t, `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { id } }`, {
      input: { title: uniq('Restart the pods'), steps: '1. Restart\n2. Watch', ...input },
    }),
  model: (t: TestApp, input: Record<string, unknown> = {}) =>
    adm<{ id: string }>(t, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
      input: { name: uniq('Model'), ...input },
    }),
  async review(t: TestApp, incidents = 1) {
    const ids: string[] = [];
    for (let i = 0; i < incidents; i++) ids.push((await make.resolvedIncident(t)).id);
    const r = await adm<{ id: string }>(t, `mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`, {
      input: { title: uniq('Review'), incidentIds: ids },
    });
    return { id: r.id, incidentIds: ids };
  },
  /** A review whose (one-section) template is filled: it may go to review. */
  async reviewReadyToSend(t: TestApp) {
    const r = await make.review(t);
    const template = await adm<{ id: string }>(t, `mutation($input: ReviewTemplateInput!) { createReviewTemplate(input: $input) { id } }`, {
      input: { name: uniq('Summary only'), requiredSections: ['SUMMARY'] },
    });
    await adm(t, `mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
      id: r.id,
      input: { templateId: template.id, summary: 'Payments failed for 40 minutes' },
    });
    return r;
  },
  actionItem: async (t: TestApp, fx: Fixtures, ownerId = fx.ownerId) => {
    const r = await make.review(t);
    const a = await adm<{ id: string }>(
      t,
      `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { id } }`,
      {
        id: r.id,
        input: { title: uniq('Alert on pool saturation'), ownerId, dueDate: dayFromNow(30), kind: 'DETECT' },
      },
    );
    return { id: a.id, reviewId: r.id };
  },
  factor: async (t: TestApp) => {
    const r = await make.review(t);
    const f = await adm<{ id: string }>(
      t,
      `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(reviewId: $id, input: $input) { id } }`,
      {
        id: r.id,
        input: { categoryKey: 'CHANGE', description: 'The deploy halved the pool', evidence: [] },
      },
    );
    return { id: f.id, reviewId: r.id };
  },
  alertSource: (t: TestApp) =>
    adm<{ source: { id: string }; token: string }>(
      t,
      `mutation($input: CreateAlertSourceInput!) { createAlertSource(input: $input) { token source { id } } }`,
      { input: { name: uniq('Source') } },
    ).then((r) => ({ id: r.source.id, token: r.token })),
  notificationChannel: (t: TestApp) =>
    adm<{ channel: { id: string } }>(
      t,
      `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { channel { id } } }`,
      // A closed port: nothing listens, sends fail at once.
      { input: { kind: 'SLACK', name: uniq('Channel'), url: 'http://127.0.0.1:9/hook', rules: [{ events: ['INCIDENT_MAJOR'] }] } },
    ).then((r) => r.channel),
  ssoProvider: (t: TestApp) =>
    adm(
      t,
      `mutation($input: CreateSsoProviderInput!) { createSsoProvider(input: $input) { id } }`,
      // A closed port: discovery fails at once; enabled false keeps it off the sign-in page.
      {
        input: {
          slug: uniq('idp')
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-+|-+$/g, '')
            .slice(0, 40),
          displayName: uniq('IdP'),
          issuerUrl: 'http://127.0.0.1:9',
          clientId: 'client',
          clientSecret: SSO_SECRET,
          provisioning: 'JIT',
          enabled: false,
        },
      },
    ),
  trackerConnection: (t: TestApp) =>
    adm<{ connection: { id: string } }>(
      t,
      `mutation($input: CreateTrackerConnectionInput!) { createTrackerConnection(input: $input) { connection { id } } }`,
      // A closed port: nothing listens, calls fail at once.
      {
        input: {
          kind: 'GITHUB',
          name: uniq('Tracker'),
          baseUrl: 'http://127.0.0.1:9',
          token: 'ghp_roles',
          repoOwner: 'acme',
          repoName: 'ops',
        },
      },
    ).then((r) => r.connection),
  searchBoost: async (t: TestApp) =>
    adm<{ id: string }>(t, `mutation($input: ApproveSearchBoostInput!) { approveSearchBoost(input: $input) { id } }`, {
      input: { query: slug('boost'), kind: 'INCIDENT', itemId: (await make.resolvedIncident(t)).id, reason: 'Opened often' },
    }),
  synonymGroup: (t: TestApp) =>
    adm(t, `mutation($input: CreateSearchSynonymGroupInput!) { createSearchSynonymGroup(input: $input) { id } }`, {
      input: { terms: [slug('syn'), 'synonym'] },
    }),
  user: (t: TestApp, role: Role = 'VIEWER') =>
    adm<{ id: string; email: string }>(t, `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`, {
      input: { email: `${slug('user')}@example.test`, name: uniq('User'), role },
    }),
  calendar: (t: TestApp) =>
    adm<{ id: string }>(t, `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id } }`, {
      input: { name: uniq('Office hours'), timeZone: 'Europe/Berlin', weeklyHours: [{ day: 'MON', start: '09:00', end: '17:00' }] },
    }),
};

export interface MutationCase {
  name: string;
  doc: string;
  /** Variables for one call by `caller`; may create fresh records as the admin first. */
  vars(t: TestApp, fx: Fixtures, caller: Actor | undefined): Promise<Record<string, unknown>>;
  /** The audit row names the record it acted on (target type and id); false where there is none. */
  target?: false;
  /** Writes no audit row by design (recordSearchOpen: its row would trace a search to its person; decision 0011). */
  unaudited?: true;
  /** Strings that must not appear anywhere in the audit row (secrets given or returned). */
  secrets?(vars: Record<string, unknown>, data: unknown): string[];
  /** Only a signed-in session may run it (changePassword): callers sign in instead of sending their API token. */
  session?: true;
  /**
   * It cannot succeed on a database that has admins (completeSetup): allowed callers get this
   * code instead, and nothing is written (tests/first-admin.test.ts covers the success).
   */
  refusedHereWith?: string;
}

/** The client secret every test provider is made with: it must never reach an audit row or an answer. */
const SSO_SECRET = 'sso-client-secret-never-shown-0123456789';

const sessions = new Map<string, Browser>();

/**
 * Headers for `caller` to run case `c`: their API token, or for session-only mutations the cookie
 * and CSRF token of a session they signed into with their password (kept per user and password).
 */
export async function callerHeaders(
  t: TestApp,
  c: Pick<MutationCase, 'session'>,
  caller: Actor | undefined,
): Promise<Record<string, string>> {
  if (!c.session || !caller) return bearer(caller);
  const key = `${caller.userId}:${caller.password}`;
  let b = sessions.get(key);
  if (!b) {
    b = new Browser(t.app.graphqlUrl);
    const r = await b.signIn(caller.email, caller.password);
    if (r.body.errors) throw new Error(`callerHeaders: ${caller.email} could not sign in: ${JSON.stringify(r.body.errors)}`);
    sessions.set(key, b);
  }
  return { ...b.headers(), authorization: '' };
}

const inc = (t: TestApp) => make.incident(t).then((i) => i.id);
/** A subscription of the caller's own (made as the caller, or as the admin when there is none). */
async function ownSubscription(t: TestApp, caller: Actor | undefined): Promise<string> {
  const doc = `mutation($input: NotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { subscriptions { id } } }`;
  const input = { events: ['STAKEHOLDER_UPDATE'] };
  type Made = { createNotificationSubscription: { subscriptions: { id: string }[] } };
  const d = ok(await t.gql<Made>(doc, { input }, caller ? bearer(caller) : undefined));
  return d.createNotificationSubscription.subscriptions.at(-1)!.id;
}

/** A saved view of the caller's own (only its owner may change it); the admin's for an anonymous caller. */
async function ownView(t: TestApp, caller: Actor | undefined): Promise<string> {
  const doc = `mutation($input: CreateSavedViewInput!) { createSavedView(input: $input) { id } }`;
  const input = { list: 'PROBLEMS', name: uniq('View'), filters: { q: 'disk' } };
  const d = ok(await t.gql<{ createSavedView: { id: string } }>(doc, { input }, caller ? bearer(caller) : undefined));
  return d.createSavedView.id;
}

/** One valid call for every mutation of the schema; keep it in step with schema.graphql (a test checks). */
export const MUTATION_CASES: MutationCase[] = [
  // ---- accounts
  {
    name: 'signIn',
    doc: SIGN_IN,
    async vars(t) {
      const password = strongPassword();
      const u = await adm<{ id: string; email: string }>(
        t,
        `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`,
        {
          input: { email: `${slug('signin')}@example.test`, name: uniq('Signer'), role: 'ENGINEER', password },
        },
      );
      return { input: { email: u.email, password } };
    },
    secrets: (v, d) => [passwordOf(v), dig(d, 'signIn', 'csrfToken')].filter((x): x is string => typeof x === 'string'),
  },
  { name: 'signOut', doc: `mutation { signOut }`, vars: async () => ({}), target: false },
  {
    name: 'changePassword',
    doc: `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`,
    async vars(_t, _fx, caller) {
      return { c: caller?.password ?? 'Not-a-real-password-1', n: strongPassword() };
    },
    secrets: (v) => [v.c as string, v.n as string],
    session: true,
  },
  {
    name: 'createUser',
    doc: `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    vars: async () => ({
      input: { email: `${slug('new')}@example.test`, name: uniq('New user'), role: 'VIEWER', password: strongPassword() },
    }),
    secrets: (v) => [passwordOf(v)],
  },
  {
    name: 'setUserRole',
    doc: `mutation($u: ID!, $r: Role!) { setUserRole(userId: $u, role: $r) { id } }`,
    vars: async (t) => ({ u: (await make.user(t)).id, r: 'ENGINEER' }),
  },
  {
    name: 'setUserDisabled',
    doc: `mutation($u: ID!, $d: Boolean!) { setUserDisabled(userId: $u, disabled: $d) { id } }`,
    vars: async (t) => ({ u: (await make.user(t)).id, d: true }),
  },
  {
    name: 'setUserPassword',
    doc: `mutation($u: ID!, $p: String!) { setUserPassword(userId: $u, password: $p) { id } }`,
    vars: async (t) => ({ u: (await make.user(t)).id, p: strongPassword() }),
    secrets: (v) => [v.p as string],
  },
  {
    name: 'createApiToken',
    doc: `mutation($u: ID!, $r: Role!, $n: String!) { createApiToken(userId: $u, role: $r, name: $n) { secret token { id } } }`,
    vars: async (t) => ({ u: (await make.user(t)).id, r: 'VIEWER', n: 'reporting' }),
    secrets: (_v, d) => [dig(d, 'createApiToken', 'secret')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'revokeApiToken',
    doc: `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`,
    async vars(t) {
      const u = await make.user(t);
      const made = await adm<{ token: { id: string } }>(
        t,
        `mutation($u: ID!) { createApiToken(userId: $u, role: VIEWER, name: "to revoke") { token { id } } }`,
        {
          u: u.id,
        },
      );
      return { id: made.token.id };
    },
  },
  {
    name: 'createOwnApiToken',
    doc: `mutation($n: String!) { createOwnApiToken(name: $n) { secret token { id role } } }`,
    vars: async () => ({ n: uniq('laptop') }),
    secrets: (_v, d) => [dig(d, 'createOwnApiToken', 'secret')].filter((x): x is string => typeof x === 'string'),
    session: true,
  },
  {
    name: 'revokeOwnApiToken',
    doc: `mutation($id: ID!) { revokeOwnApiToken(id: $id) { id revokedAt } }`,
    async vars(t, _fx, caller) {
      // A spare token of the caller's own (revoking their main one would end the test actor).
      const u = caller?.userId ?? (await make.user(t)).id;
      const made = await adm<{ token: { id: string } }>(
        t,
        `mutation($u: ID!) { createApiToken(userId: $u, role: VIEWER, name: "spare") { token { id } } }`,
        { u },
      );
      return { id: made.token.id };
    },
  },
  {
    name: 'completeSetup',
    doc: `mutation($input: CompleteSetupInput!) { completeSetup(input: $input) { role } }`,
    vars: async () => ({
      input: {
        token: 'a-setup-token-of-forty-characters-long-x',
        email: `${slug('first')}@example.test`,
        name: 'First',
        password: strongPassword(),
      },
    }),
    secrets: (v) => [passwordOf(v)],
    refusedHereWith: 'CONFLICT',
  },
  // ---- alert sources
  {
    name: 'createAlertSource',
    doc: `mutation($input: CreateAlertSourceInput!) { createAlertSource(input: $input) { token source { id } } }`,
    vars: async () => ({ input: { name: uniq('Alertmanager'), rules: { defaults: { impact: 2, urgency: 2 } } } }),
    secrets: (_v, d) => [dig(d, 'createAlertSource', 'token')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'rotateAlertSourceToken',
    doc: `mutation($id: ID!) { rotateAlertSourceToken(id: $id) { token source { id } } }`,
    vars: async (t) => ({ id: (await make.alertSource(t)).id }),
    secrets: (_v, d) => [dig(d, 'rotateAlertSourceToken', 'token')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'revokeAlertSource',
    doc: `mutation($id: ID!) { revokeAlertSource(id: $id) { id revokedAt } }`,
    vars: async (t) => ({ id: (await make.alertSource(t)).id }),
  },
  {
    name: 'setAlertSourceRules',
    doc: `mutation($id: ID!, $rules: JSONObject!) { setAlertSourceRules(id: $id, rules: $rules) { id } }`,
    vars: async (t) => ({
      id: (await make.alertSource(t)).id,
      rules: { rules: [{ name: 'db', when: { service: 'database' }, set: { impact: 1, urgency: 1 } }] },
    }),
  },
  // ---- directory and settings
  {
    name: 'createTeam',
    doc: `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
    vars: async () => ({ input: { name: uniq('Team') } }),
  },
  {
    name: 'createService',
    doc: `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`,
    vars: async (_t, fx) => ({ input: { name: uniq('Service'), ownerTeamId: fx.teamId } }),
  },
  {
    name: 'createCategory',
    doc: `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`,
    vars: async (_t, fx) => ({ input: { name: uniq('Sub'), parentId: fx.categoryId } }),
  },
  {
    name: 'updateService',
    doc: `mutation($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({
      id: (
        await adm(t, `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, { input: { name: uniq('Service') } })
      ).id,
      input: { name: uniq('Renamed service'), description: 'Card payments', ownerTeamId: fx.teamId },
    }),
  },
  {
    name: 'updateTeam',
    doc: `mutation($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await adm(t, `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, { input: { name: uniq('Team') } })).id,
      input: { name: uniq('Renamed team'), description: 'Second line' },
    }),
  },
  {
    name: 'updateCategory',
    doc: `mutation($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({
      id: (
        await adm(t, `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`, {
          input: { name: uniq('Sub'), parentId: fx.categoryId },
        })
      ).id,
      input: { name: uniq('Renamed sub') },
    }),
  },
  {
    name: 'updateUser',
    doc: `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({
      id: (await make.user(t)).id,
      input: { name: uniq('Renamed user'), email: `${slug('renamed')}@example.test`, teamId: fx.teamId },
    }),
  },
  {
    name: 'setPriorityMatrix',
    doc: `mutation($input: PriorityMatrixInput!) { setPriorityMatrix(input: $input) { rows } }`,
    vars: async () => ({
      input: {
        rows: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      },
    }),
    target: false,
  },
  // ---- SLA
  {
    name: 'createBusinessCalendar',
    doc: `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id } }`,
    vars: async () => ({
      input: {
        name: uniq('Office hours'),
        timeZone: 'Europe/Berlin',
        weeklyHours: [{ day: 'MON', start: '09:00', end: '17:00' }],
        holidays: [{ date: '2026-12-25', name: 'Christmas' }],
      },
    }),
  },
  {
    name: 'updateBusinessCalendar',
    doc: `mutation($id: ID!, $input: BusinessCalendarInput!) { updateBusinessCalendar(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.calendar(t)).id,
      input: { name: uniq('Renamed hours'), timeZone: 'Europe/Berlin', weeklyHours: [{ day: 'TUE', start: '08:00', end: '18:00' }] },
    }),
  },
  {
    name: 'importCalendarHolidays',
    doc: `mutation($id: ID!, $ics: String!) { importCalendarHolidays(calendarId: $id, ics: $ics, mode: MERGE) { added } }`,
    vars: async (t) => ({
      id: (await make.calendar(t)).id,
      ics:
        'BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261003\nSUMMARY:Tag der Deutschen ' +
        'Einheit\nEND:VEVENT\nEND:VCALENDAR\n',
    }),
  },
  {
    name: 'createBusinessCalendarFromIcs',
    doc: `mutation($input: IcsCalendarInput!) { createBusinessCalendarFromIcs(input: $input) { id } }`,
    vars: async () => ({
      input: {
        name: uniq('From file'),
        timeZone: 'Europe/Berlin',
        ics: 'BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261003\nSUMMARY:Einheit\nEND:VEVENT\nEND:VCALENDAR\n',
      },
    }),
  },
  {
    name: 'createSlaPolicy',
    doc: `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`,
    vars: async (_t, fx) => ({
      input: { name: uniq('SLA'), calendarId: fx.calendarId, targets: TARGETS, pauseHoldReasons: ['AWAITING_USER'] },
    }),
  },
  {
    name: 'updateSlaPolicy',
    doc: `mutation($id: ID!, $input: UpdateSlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { id } }`,
    vars: async (_t, fx) => ({
      id: fx.policyId,
      input: { calendarId: fx.calendarId, targets: TARGETS, pauseHoldReasons: ['AWAITING_VENDOR'], note: 'vendor pauses' },
    }),
  },
  {
    name: 'makeDefaultSlaPolicy',
    doc: `mutation($id: ID!) { makeDefaultSlaPolicy(id: $id) { id } }`,
    vars: async (_t, fx) => ({ id: fx.policyId }),
  },
  {
    name: 'retireSlaPolicy',
    doc: `mutation($id: ID!) { retireSlaPolicy(id: $id) { id } }`,
    vars: async (t, fx) => ({ id: (await make.slaPolicy(t, fx)).id }),
  },
  {
    name: 'restoreSlaPolicy',
    doc: `mutation($id: ID!) { restoreSlaPolicy(id: $id) { id } }`,
    vars: async (t, fx) => {
      const { id } = await make.slaPolicy(t, fx);
      await adm(t, `mutation($id: ID!) { retireSlaPolicy(id: $id) { id } }`, { id });
      return { id };
    },
  },
  {
    name: 'setServiceSlaPolicy',
    doc: `mutation($s: ID!, $p: ID) { setServiceSlaPolicy(serviceId: $s, policyId: $p) { id } }`,
    vars: async (_t, fx) => ({ s: fx.serviceId, p: fx.policyId }),
  },
  {
    name: 'recomputeSlaClocks',
    doc: `mutation($input: RecomputeSlaInput!) { recomputeSlaClocks(input: $input) { __typename } }`,
    vars: async (t) => ({ input: { incidentIds: [await inc(t)] } }),
    target: false,
  },
  // ---- incidents
  {
    name: 'logIncident',
    doc: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`,
    vars: async (_t, fx) => ({
      input: { title: uniq('Search is slow'), serviceId: fx.serviceId, categoryId: fx.categoryId, impact: 2, urgency: 2 },
    }),
  },
  {
    name: 'updateIncident',
    doc: `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: { title: uniq('Renamed'), externalRef: slug('INC').toUpperCase() } }),
  },
  {
    name: 'classifyIncident',
    doc: `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({ id: await inc(t), input: { impact: 1, urgency: 2, serviceId: fx.serviceId, categoryId: fx.subcategoryId } }),
  },
  {
    name: 'bulkUpdateIncidents',
    doc: `mutation($input: BulkIncidentInput!) { bulkUpdateIncidents(input: $input) { applied errors { message } } }`,
    vars: async (t, fx) => ({ input: { incidentIds: [await inc(t), await inc(t)], assign: { teamId: fx.teamId } } }),
    // Many records at once: the audit row keeps the arguments (the ids), not one target.
    target: false,
  },
  {
    name: 'createSavedView',
    doc: `mutation($input: CreateSavedViewInput!) { createSavedView(input: $input) { id } }`,
    vars: async () => ({ input: { list: 'INCIDENTS', name: uniq('View'), filters: { status: 'NEW', sort: 'priority' } } }),
  },
  {
    name: 'updateSavedView',
    doc: `mutation($id: ID!, $input: UpdateSavedViewInput!) { updateSavedView(id: $id, input: $input) { id } }`,
    vars: async (t, _fx, caller) => ({ id: await ownView(t, caller), input: { name: uniq('Renamed view') } }),
  },
  {
    name: 'deleteSavedView',
    doc: `mutation($id: ID!) { deleteSavedView(id: $id) }`,
    vars: async (t, _fx, caller) => ({ id: await ownView(t, caller) }),
    // Deleted: the audit row keeps its before-image and id, there is no after.
    target: false,
  },
  {
    name: 'assignIncident',
    doc: `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({ id: await inc(t), input: { teamId: fx.teamId, assigneeId: fx.ownerId } }),
  },
  {
    name: 'acknowledgeIncident',
    doc: `mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`,
    vars: async (t) => ({ id: await inc(t) }),
  },
  {
    name: 'transitionIncident',
    doc: `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: RESOLVE }),
  },
  {
    name: 'reopenIncident',
    doc: `mutation($id: ID!, $r: String!) { reopenIncident(id: $id, reason: $r) { id } }`,
    vars: async (t) => ({ id: (await make.resolvedIncident(t)).id, r: 'The errors came back' }),
  },
  {
    name: 'addStakeholderUpdate',
    doc: `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: { message: 'Mitigation in progress', audience: 'Customers' } }),
  },
  {
    name: 'addWorkNote',
    doc: `mutation($id: ID!, $input: WorkNoteInput!) { addWorkNote(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: { note: 'Checked the pool: 100 of 100 connections in use' } }),
  },
  {
    name: 'recordEscalation',
    doc: `mutation($id: ID!, $input: EscalationInput!) { recordEscalation(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({ id: await inc(t), input: { kind: 'FUNCTIONAL', reason: 'Needs the database team', toTeamId: fx.teamId } }),
  },
  {
    name: 'triggerDisasterRecoveryPlan',
    doc: `mutation($id: ID!, $input: DisasterRecoveryInput!) { triggerDisasterRecoveryPlan(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: { plan: 'DR-7 fail over to region B', reason: 'Region A is down' } }),
  },
  {
    name: 'recordConfigurationChange',
    doc: `mutation($id: ID!, $input: ConfigurationChangeInput!) { recordConfigurationChange(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: await inc(t),
      input: { configurationItem: 'checkout-db', description: 'Raised max_connections to 400', changeRef: 'CHG-1' },
    }),
  },
  {
    name: 'addTimeEntry',
    doc: `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: await inc(t), input: { activity: 'diagnosis', minutes: 45, billable: true, rateCents: 9000 } }),
  },
  // ---- knowledge
  {
    name: 'createProblem',
    doc: `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id } }`,
    vars: async (_t, fx) => ({ input: { title: uniq('Pool exhaustion'), serviceId: fx.serviceId, rootCauseCategory: 'CAPACITY' } }),
  },
  {
    name: 'createProblemFromIncident',
    doc: `mutation($id: ID!, $input: CreateProblemInput!) { createProblemFromIncident(incidentId: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.resolvedIncident(t)).id, input: { title: uniq('From incident') } }),
  },
  {
    name: 'updateProblem',
    doc: `mutation($id: ID!, $input: UpdateProblemInput!) { updateProblem(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.problem(t)).id,
      input: { rootCause: 'The 4.2 deploy halved the connection pool size', rootCauseCategory: 'CHANGE' },
    }),
  },
  {
    name: 'bulkUpdateProblems',
    doc: `mutation($input: BulkProblemInput!) { bulkUpdateProblems(input: $input) { applied errors { message } } }`,
    vars: async (t, fx) => ({
      input: { problemIds: [(await make.problem(t)).id, (await make.problem(t)).id], assign: { teamId: fx.teamId } },
    }),
    // Many records at once: the audit row keeps the arguments (the ids), not one target.
    target: false,
  },
  {
    name: 'transitionProblem',
    doc: `mutation($id: ID!, $to: ProblemStatus!) { transitionProblem(id: $id, to: $to) { id } }`,
    async vars(t) {
      const p = await make.problem(t, { rootCause: 'The 4.2 deploy halved the connection pool size', rootCauseCategory: 'CHANGE' });
      await make.workaround(t, { status: 'ACTIVE', problemIds: [p.id] });
      return { id: p.id, to: 'KNOWN_ERROR' };
    },
  },
  {
    name: 'linkIncidentToProblem',
    doc: `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`,
    vars: async (t) => ({ i: await inc(t), p: (await make.problem(t)).id }),
  },
  {
    name: 'unlinkIncidentFromProblem',
    doc: `mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { id } }`,
    async vars(t) {
      const i = await inc(t);
      await adm(t, `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
        i,
        p: (await make.problem(t)).id,
      });
      return { i };
    },
  },
  {
    name: 'linkWorkaroundToProblem',
    doc: `mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { id } }`,
    vars: async (t) => ({ p: (await make.problem(t)).id, w: (await make.workaround(t)).id }),
  },
  {
    name: 'unlinkWorkaroundFromProblem',
    doc: `mutation($p: ID!, $w: ID!) { unlinkWorkaroundFromProblem(problemId: $p, workaroundId: $w) { id } }`,
    async vars(t) {
      const p = await make.problem(t);
      return { p: p.id, w: (await make.workaround(t, { problemIds: [p.id] })).id };
    },
  },
  {
    name: 'createWorkaround',
    doc: `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { id } }`,
    vars: async () => ({ input: { title: uniq('Flush the cache'), steps: '1. Flush\n2. Verify', status: 'ACTIVE' } }),
  },
  {
    name: 'createWorkaroundFromIncident',
    doc: `mutation($id: ID!, $input: CreateWorkaroundInput!) { createWorkaroundFromIncident(incidentId: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.resolvedIncident(t)).id,
      input: { title: uniq('As done in the incident'), steps: '1. Restart the pod' },
    }),
  },
  {
    name: 'updateWorkaround',
    doc: `mutation($id: ID!, $input: UpdateWorkaroundInput!) { updateWorkaround(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.workaround(t)).id, input: { title: uniq('Better title') } }),
  },
  {
    name: 'setWorkaroundStatus',
    doc: `mutation($id: ID!, $s: WorkaroundStatus!) { setWorkaroundStatus(id: $id, status: $s) { id } }`,
    vars: async (t) => ({ id: (await make.workaround(t)).id, s: 'ACTIVE' }),
  },
  {
    name: 'applyWorkaround',
    doc: `mutation($i: ID!, $w: ID!, $note: String) { applyWorkaround(incidentId: $i, workaroundId: $w, note: $note) { id } }`,
    vars: async (t) => ({ i: await inc(t), w: (await make.workaround(t, { status: 'ACTIVE' })).id, note: 'Applied' }),
  },
  // ---- knowledge lifecycle and feedback (issue 27)
  {
    name: 'transitionKnowledge',
    doc: `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { itemId state } }`,
    vars: async (t) => ({ input: { kind: 'WORKAROUND', itemId: (await make.workaround(t)).id, to: 'IN_REVIEW' } }),
  },
  {
    name: 'markKnowledgeReviewed',
    doc: `mutation($input: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $input) { itemId reviewBy } }`,
    vars: async (t) => ({ input: { kind: 'WORKAROUND', itemId: (await make.workaround(t, { status: 'ACTIVE' })).id, reviewInDays: 90 } }),
  },
  {
    name: 'setKnowledgeOwner',
    doc: `mutation($input: SetKnowledgeOwnerInput!) { setKnowledgeOwner(input: $input) { itemId } }`,
    vars: async (t, fx) => ({ input: { kind: 'WORKAROUND', itemId: (await make.workaround(t)).id, ownerId: fx.ownerId } }),
  },
  {
    name: 'giveKnowledgeFeedback',
    doc: `mutation($input: KnowledgeFeedbackInput!) { giveKnowledgeFeedback(input: $input) { id helpful } }`,
    async vars(t) {
      const i = await inc(t);
      const w = (await make.workaround(t, { status: 'ACTIVE' })).id;
      await adm(t, `mutation($i: ID!, $w: ID!) { applyWorkaround(incidentId: $i, workaroundId: $w) { id } }`, { i, w });
      return { input: { kind: 'WORKAROUND', itemId: w, incidentId: i, helpful: true, reason: 'Fixed it', context: 'APPLIED' } };
    },
  },
  // ---- incident models
  {
    name: 'createIncidentModel',
    doc: `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`,
    vars: async (_t, fx) => ({
      input: { name: uniq('Model'), matchServiceId: fx.serviceId, matchKeywords: ['timeout'], checklist: ['Check the pool'] },
    }),
  },
  {
    name: 'createIncidentModelFromIncident',
    doc: `mutation($id: ID!, $input: CreateIncidentModelInput!) { createIncidentModelFromIncident(incidentId: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.resolvedIncident(t)).id, input: { name: uniq('Model from incident') } }),
  },
  {
    name: 'updateIncidentModel',
    doc: `mutation($id: ID!, $input: UpdateIncidentModelInput!) { updateIncidentModel(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.model(t)).id, input: { description: 'Second version', note: 'clarified' } }),
  },
  {
    name: 'retireIncidentModel',
    doc: `mutation($id: ID!) { retireIncidentModel(id: $id) { id } }`,
    vars: async (t) => ({ id: (await make.model(t)).id }),
  },
  {
    name: 'reactivateIncidentModel',
    doc: `mutation($id: ID!) { reactivateIncidentModel(id: $id) { id } }`,
    async vars(t) {
      const m = await make.model(t);
      await adm(t, `mutation($id: ID!) { retireIncidentModel(id: $id) { id } }`, { id: m.id });
      return { id: m.id };
    },
  },
  {
    name: 'applyIncidentModel',
    doc: `mutation($i: ID!, $m: ID!) { applyIncidentModel(incidentId: $i, modelId: $m) { id } }`,
    vars: async (t) => ({ i: await inc(t), m: (await make.model(t, { checklist: ['Check the pool'] })).id }),
  },
  {
    name: 'setChecklistItemDone',
    doc: `mutation($item: ID!, $done: Boolean!) { setChecklistItemDone(itemId: $item, done: $done) { id } }`,
    async vars(t) {
      const i = await inc(t);
      const m = await make.model(t, { checklist: ['Check the pool', 'Restart'] });
      const applied = await adm<{ checklist: { id: string }[] }>(
        t,
        `mutation($i: ID!, $m: ID!) { applyIncidentModel(incidentId: $i, modelId: $m) { checklist { id } } }`,
        {
          i,
          m: m.id,
        },
      );
      return { item: applied.checklist[0].id, done: true };
    },
  },
  // ---- reviews
  {
    name: 'createReview',
    doc: `mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`,
    vars: async (t, fx) => ({
      input: { title: uniq('Review'), incidentIds: [(await make.resolvedIncident(t)).id], facilitatorId: fx.ownerId },
    }),
  },
  {
    name: 'updateReview',
    doc: `mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.review(t)).id, input: { summary: 'Payments failed for 40 minutes', usersAffected: 1200 } }),
  },
  {
    // The roles' app has no SMTP server: allowed callers get MAIL_NOT_CONFIGURED (tests/review-notifications.test.ts sends).
    name: 'sendReviewInvitation',
    doc: `mutation($id: ID!) { sendReviewInvitation(id: $id) { id } }`,
    vars: async (t) => ({ id: (await make.review(t)).id }),
    refusedHereWith: 'MAIL_NOT_CONFIGURED',
  },
  {
    name: 'addIncidentsToReview',
    doc: `mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`,
    vars: async (t) => ({ id: (await make.review(t)).id, ids: [(await make.resolvedIncident(t)).id] }),
  },
  {
    name: 'removeIncidentsFromReview',
    doc: `mutation($id: ID!, $ids: [ID!]!) { removeIncidentsFromReview(id: $id, incidentIds: $ids) { id } }`,
    async vars(t) {
      const r = await make.review(t, 2);
      return { id: r.id, ids: [r.incidentIds[1]] };
    },
  },
  {
    name: 'setFiveWhys',
    doc: `mutation($id: ID!, $input: FiveWhysInput!) { setFiveWhys(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.review(t)).id,
      input: { whys: [{ why: 'Why did payments fail?', answer: 'The pool was exhausted' }], problemId: (await make.problem(t)).id },
    }),
  },
  {
    name: 'curateTimelineEntry',
    doc: `mutation($id: ID!, $e: String!, $input: CurateEntryInput!) { curateTimelineEntry(id: $id, entryId: $e, input: $input) { id } }`,
    async vars(t) {
      const r = await make.review(t);
      const items = (
        await adm<{ timeline: { id: string; source: string }[] }>(
          t,
          `query($id: ID!) { review(id: $id) { timeline(includeHidden: true) { id source } } }`,
          { id: r.id },
        )
      ).timeline;
      return { id: r.id, e: items.find((x) => x.source === 'INCIDENT_EVENT')!.id, input: { starred: true, annotation: 'Key moment' } };
    },
  },
  {
    name: 'addTimelineEntry',
    doc: `mutation($id: ID!, $input: TimelineEntryInput!) { addTimelineEntry(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.review(t)).id,
      input: { at: new Date(Date.now() - 3_600_000).toISOString(), text: 'Support noticed the first complaints' },
    }),
  },
  {
    name: 'removeTimelineEntry',
    doc: `mutation($id: ID!, $e: ID!) { removeTimelineEntry(id: $id, entryId: $e) { id } }`,
    async vars(t) {
      const r = await make.review(t);
      const text = uniq('Vendor called back');
      await adm(t, `mutation($id: ID!, $input: TimelineEntryInput!) { addTimelineEntry(id: $id, input: $input) { id } }`, {
        id: r.id,
        input: { at: new Date(Date.now() - 1_800_000).toISOString(), text },
      });
      const items = (
        await adm<{ timeline: { id: string; source: string; summary: string }[] }>(
          t,
          `query($id: ID!) { review(id: $id) { timeline(includeHidden: true) { id source summary } } }`,
          { id: r.id },
        )
      ).timeline;
      return { id: r.id, e: items.find((x) => x.source === 'ADDED' && x.summary === text)!.id };
    },
  },
  {
    name: 'addContributingFactor',
    doc: `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(reviewId: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.review(t)).id,
      input: { categoryKey: 'CAPACITY', description: 'Black Friday load', evidence: [] },
    }),
  },
  {
    name: 'updateContributingFactor',
    doc: `mutation($id: ID!, $input: ContributingFactorInput!) { updateContributingFactor(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.factor(t)).id, input: { categoryKey: 'TESTING', description: 'No load test', evidence: [] } }),
  },
  {
    name: 'removeContributingFactor',
    doc: `mutation($id: ID!) { removeContributingFactor(id: $id) { id } }`,
    vars: async (t) => ({ id: (await make.factor(t)).id }),
  },
  {
    name: 'addActionItem',
    doc: `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({
      id: (await make.review(t)).id,
      input: { title: uniq('Alert on saturation'), ownerId: fx.ownerId, dueDate: dayFromNow(20), kind: 'DETECT', priority: 2 },
    }),
  },
  {
    name: 'updateActionItem',
    doc: `mutation($id: ID!, $input: ActionItemInput!) { updateActionItem(id: $id, input: $input) { id } }`,
    vars: async (t, fx) => ({
      id: (await make.actionItem(t, fx)).id,
      input: { title: uniq('Alert earlier'), ownerId: fx.ownerId, dueDate: dayFromNow(25), kind: 'PREVENT', priority: 1 },
    }),
  },
  {
    name: 'removeActionItem',
    doc: `mutation($id: ID!) { removeActionItem(id: $id) { id } }`,
    vars: async (t, fx) => ({ id: (await make.actionItem(t, fx)).id }),
  },
  {
    name: 'setActionItemStatus',
    doc: `mutation($id: ID!, $input: ActionItemStatusInput!) { setActionItemStatus(id: $id, input: $input) { id } }`,
    // Engineers move the items they own (admins and problem managers any item).
    vars: async (t, fx, caller) => ({
      id: (await make.actionItem(t, fx, caller?.role === 'ENGINEER' ? caller.userId : undefined)).id,
      input: { status: 'IN_PROGRESS' },
    }),
  },
  {
    name: 'transitionReview',
    doc: `mutation($id: ID!, $to: ReviewStatus!) { transitionReview(id: $id, to: $to) { id } }`,
    vars: async (t) => ({ id: (await make.reviewReadyToSend(t)).id, to: 'IN_REVIEW' }),
  },
  {
    name: 'createReviewTemplate',
    doc: `mutation($input: ReviewTemplateInput!) { createReviewTemplate(input: $input) { id } }`,
    vars: async () => ({ input: { name: uniq('Major incident template'), requiredSections: ['SUMMARY', 'TIMELINE'], maxPriority: 2 } }),
  },
  {
    name: 'createFactorCategory',
    doc: `mutation($input: FactorCategoryInput!) { createFactorCategory(input: $input) { key } }`,
    vars: async () => ({ input: { key: slug('VENDOR_').toUpperCase(), name: uniq('Vendor'), description: 'A vendor failed' } }),
  },
  {
    name: 'setFactorCategoryActive',
    doc: `mutation($key: String!, $active: Boolean!) { setFactorCategoryActive(key: $key, active: $active) { key active } }`,
    async vars(t) {
      const key = slug('TEMP_').toUpperCase();
      await adm(t, `mutation($input: FactorCategoryInput!) { createFactorCategory(input: $input) { key } }`, {
        input: { key, name: uniq('Temporary') },
      });
      return { key, active: false };
    },
  },
  // ---- the search's synonym list
  {
    name: 'createSearchSynonymGroup',
    doc: `mutation($input: CreateSearchSynonymGroupInput!) { createSearchSynonymGroup(input: $input) { id } }`,
    vars: async () => ({ input: { terms: [slug('syn'), 'synonym'], note: 'Said the same way' } }),
  },
  {
    name: 'updateSearchSynonymGroup',
    doc: `mutation($id: ID!, $input: UpdateSearchSynonymGroupInput!) { updateSearchSynonymGroup(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.synonymGroup(t)).id, input: { terms: [slug('renamed'), 'renamed synonym'], note: 'Edited' } }),
  },
  {
    name: 'deleteSearchSynonymGroup',
    doc: `mutation($id: ID!) { deleteSearchSynonymGroup(id: $id) { id } }`,
    vars: async (t) => ({ id: (await make.synonymGroup(t)).id }),
    // The audit row names the group and keeps it as it was (before); there is no after.
    target: false,
  },
  {
    name: 'restoreDefaultSearchSynonyms',
    doc: `mutation { restoreDefaultSearchSynonyms { id } }`,
    vars: async () => ({}),
    target: false,
  },
  // ---- search analytics (decision 0011)
  {
    name: 'recordSearchOpen',
    doc: `mutation($input: RecordSearchOpenInput!) { recordSearchOpen(input: $input) }`,
    vars: async () => ({ input: { searchId: randomUUID(), kind: 'INCIDENT', id: randomUUID(), position: 1 } }),
    target: false,
    unaudited: true,
  },
  {
    name: 'approveSearchBoost',
    doc: `mutation($input: ApproveSearchBoostInput!) { approveSearchBoost(input: $input) { id } }`,
    vars: async (t) => ({
      input: {
        query: slug('boosted query'),
        kind: 'INCIDENT',
        itemId: (await make.resolvedIncident(t)).id,
        weight: 0.5,
        reason: 'Opened often',
      },
    }),
    target: false,
  },
  {
    name: 'dismissSearchBoost',
    doc: `mutation($input: DismissSearchBoostInput!) { dismissSearchBoost(input: $input) { id } }`,
    vars: async (t) => ({
      input: { query: slug('dismissed query'), kind: 'INCIDENT', itemId: (await make.resolvedIncident(t)).id, reason: 'Not relevant' },
    }),
    target: false,
  },
  {
    name: 'revokeSearchBoost',
    doc: `mutation($id: ID!) { revokeSearchBoost(id: $id) { id } }`,
    vars: async (t) => ({ id: (await make.searchBoost(t)).id }),
    target: false,
  },
  // ---- notification channels (decision 0006)
  {
    name: 'createNotificationChannel',
    doc: `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { secret channel { id } } }`,
    vars: async () => ({
      input: {
        kind: 'WEBHOOK',
        name: uniq('Receiver'),
        url: 'http://127.0.0.1:9/receiver',
        rules: [{ events: ['SLA_BREACHED'], priorities: [1] }],
      },
    }),
    target: false,
    secrets: (_v, d) => [dig(d, 'createNotificationChannel', 'secret')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'updateNotificationChannel',
    doc: `mutation($id: ID!, $input: UpdateNotificationChannelInput!) { updateNotificationChannel(id: $id, input: $input) { id } }`,
    vars: async (t) => ({
      id: (await make.notificationChannel(t)).id,
      input: { perMinute: 30, rules: [{ events: ['INCIDENT_RESOLVED'] }] },
    }),
    target: false,
  },
  {
    name: 'deleteNotificationChannel',
    doc: `mutation($id: ID!) { deleteNotificationChannel(id: $id) }`,
    vars: async (t) => ({ id: (await make.notificationChannel(t)).id }),
    target: false,
  },
  {
    name: 'replayNotificationDeliveries',
    doc: `mutation($id: ID!) { replayNotificationDeliveries(channelId: $id) }`,
    vars: async (t) => ({ id: (await make.notificationChannel(t)).id }),
    target: false,
  },
  {
    name: 'sendTestNotification',
    doc: `mutation($id: ID!) { sendTestNotification(id: $id) { delivered error } }`,
    vars: async (t) => ({ id: (await make.notificationChannel(t)).id }),
    target: false,
  },
  // ---- tracker sync (decision 0008)
  {
    name: 'createTrackerConnection',
    doc: `mutation($input: CreateTrackerConnectionInput!) { createTrackerConnection(input: $input) { webhookSecret connection { id } } }`,
    vars: async () => ({
      input: {
        kind: 'JIRA',
        name: uniq('Jira'),
        baseUrl: 'http://127.0.0.1:9',
        accountEmail: 'bot@example.test',
        token: 'jira-secret-token-1',
        projectKey: 'OPS',
      },
    }),
    target: false,
    secrets: (_v, d) =>
      ['jira-secret-token-1', dig(d, 'createTrackerConnection', 'webhookSecret')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'updateTrackerConnection',
    doc: `mutation($id: ID!, $input: TrackerConnectionFields!) { updateTrackerConnection(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.trackerConnection(t)).id, input: { labels: ['follow-up'], token: 'ghp_new_token_9' } }),
    target: false,
    secrets: () => ['ghp_new_token_9'],
  },
  {
    name: 'deleteTrackerConnection',
    doc: `mutation($id: ID!) { deleteTrackerConnection(id: $id) }`,
    vars: async (t) => ({ id: (await make.trackerConnection(t)).id }),
    target: false,
  },
  {
    name: 'rotateTrackerWebhookSecret',
    doc: `mutation($id: ID!) { rotateTrackerWebhookSecret(id: $id) }`,
    vars: async (t) => ({ id: (await make.trackerConnection(t)).id }),
    target: false,
    secrets: (_v, d) => [dig(d, 'rotateTrackerWebhookSecret')].filter((x): x is string => typeof x === 'string'),
  },
  {
    name: 'testTrackerConnection',
    doc: `mutation($id: ID!) { testTrackerConnection(id: $id) { ok message } }`,
    vars: async (t) => ({ id: (await make.trackerConnection(t)).id }),
    target: false,
  },
  {
    name: 'sendTestTrackerIssue',
    doc: `mutation($id: ID!) { sendTestTrackerIssue(id: $id) { ok message } }`,
    vars: async (t) => ({ id: (await make.trackerConnection(t)).id }),
    target: false,
  },
  {
    name: 'pushActionItem',
    doc: `mutation($a: ID!, $c: ID!) { pushActionItem(actionItemId: $a, connectionId: $c) { id } }`,
    vars: async (t, fx) => ({ a: (await make.actionItem(t, fx)).id, c: (await make.trackerConnection(t)).id }),
    target: false,
  },
  {
    name: 'retryTrackerSync',
    doc: `mutation($a: ID!) { retryTrackerSync(actionItemId: $a) { id } }`,
    vars: async (t, fx) => {
      const a = (await make.actionItem(t, fx)).id;
      await adm(t, `mutation($a: ID!, $c: ID!) { pushActionItem(actionItemId: $a, connectionId: $c) { id } }`, {
        a,
        c: (await make.trackerConnection(t)).id,
      });
      return { a };
    },
    target: false,
  },
  {
    name: 'replayNotificationMails',
    doc: `mutation { replayNotificationMails }`,
    vars: async () => ({}),
    target: false,
  },
  {
    name: 'updateMyNotificationSettings',
    doc: `mutation($input: NotificationSettingsInput!) { updateMyNotificationSettings(input: $input) { emailMode } }`,
    vars: async () => ({ input: { emailMode: 'DIGEST', digestHour: 7, timeZone: 'Europe/Berlin' } }),
    target: false,
  },
  {
    name: 'createNotificationSubscription',
    doc: `mutation($input: NotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { emailMode } }`,
    vars: async (_t, fx) => ({ input: { events: ['INCIDENT_RESOLVED'], serviceIds: [fx.serviceId], priorities: [1, 2] } }),
    target: false,
  },
  {
    name: 'deleteNotificationSubscription',
    doc: `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { emailMode } }`,
    vars: async (t, _fx, caller) => ({ id: await ownSubscription(t, caller) }),
    target: false,
  },
  {
    name: 'followIncident',
    doc: `mutation($id: ID!) { followIncident(id: $id) }`,
    vars: async (t) => ({ id: await inc(t) }),
  },
  {
    name: 'createSsoProvider',
    doc: `mutation($input: CreateSsoProviderInput!) { createSsoProvider(input: $input) { id slug } }`,
    vars: async () => ({
      input: {
        slug: `idp-${Math.random().toString(36).slice(2, 10)}`,
        displayName: uniq('IdP'),
        issuerUrl: 'https://login.example.test/realms/main',
        clientId: 'ikb',
        clientSecret: SSO_SECRET,
        provisioning: 'PRE_PROVISIONED',
        enabled: false,
      },
    }),
    secrets: () => [SSO_SECRET],
  },
  {
    name: 'updateSsoProvider',
    doc: `mutation($id: ID!, $input: UpdateSsoProviderInput!) { updateSsoProvider(id: $id, input: $input) { id } }`,
    vars: async (t) => ({ id: (await make.ssoProvider(t)).id, input: { displayName: uniq('Renamed'), clientSecret: `${SSO_SECRET}-2` } }),
    secrets: () => [SSO_SECRET],
  },
  {
    name: 'deleteSsoProvider',
    doc: `mutation($id: ID!) { deleteSsoProvider(id: $id) }`,
    vars: async (t) => ({ id: (await make.ssoProvider(t)).id }),
    target: false,
  },
  {
    name: 'testSsoProvider',
    doc: `mutation($id: ID!) { testSsoProvider(id: $id) { ok steps { step ok message } } }`,
    vars: async (t) => ({ id: (await make.ssoProvider(t)).id }),
    target: false,
  },
  {
    name: 'setPasswordSignIn',
    doc: `mutation($input: PasswordSignInInput!) { setPasswordSignIn(input: $input) { mode } }`,
    vars: async () => ({ input: { mode: 'ON', breakGlassUserIds: [] } }),
    target: false,
  },
  {
    name: 'markNotificationsRead',
    doc: `mutation { markNotificationsRead }`,
    vars: async () => ({}),
    target: false,
  },
  {
    name: 'setWorkingCalendar',
    doc: `mutation($input: WorkingCalendarInput!) { setWorkingCalendar(input: $input) { userId timeZone } }`,
    vars: async () => ({ input: { timeZone: 'Europe/Berlin' } }),
    target: false,
  },
];

export const caseByName = new Map(MUTATION_CASES.map((c) => [c.name, c]));

/** Tables whose row count or contents differ between two snapshots (and incidents whose version moved). */
export function changedTables(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...Object.keys(before.counts), ...Object.keys(after.counts)]);
  const out = [...names]
    .filter((n) => before.counts[n] !== after.counts[n] || before.hashes[n] !== after.hashes[n])
    .map((n) => `${n} (${before.counts[n]} -> ${after.counts[n]} rows)`);
  if (JSON.stringify(before.incidents) !== JSON.stringify(after.incidents)) out.push('incident versions');
  return out;
}

/**
 * dbSnapshot without the tables that change on their own: analytics_* are derived tables that a
 * background refresher rewrites from the records, whoever calls; api_tokens and sessions carry
 * last-used times. Everything else must be byte for byte the same after a refused call.
 */
export async function stableSnapshot(t: TestApp): Promise<DbSnapshot> {
  const s = await dbSnapshot(t);
  for (const k of Object.keys(s.counts)) {
    if (k.startsWith('analytics_')) {
      delete s.counts[k];
      delete s.hashes[k];
    }
  }
  return s;
}
