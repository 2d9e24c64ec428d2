import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_QUERIES, KNOWLEDGE_QUERIES, mayRun, MUTATION_ROLES } from '@ikb/api/src/features/auth/permissions';
import {
  bearer,
  callerHeaders,
  CALLERS,
  caseByName,
  changedTables,
  createActors,
  createFixtures,
  make,
  MUTATION_CASES,
  rootDocument,
  schemaMutations,
  schemaQueries,
  stableSnapshot,
  type Actor,
  type Caller,
  type Fixtures,
  type Role,
} from './support/auth-factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Tests per role show allowed and refused operations for every mutation.
 * Every mutation of schema.graphql is called by an admin, a problem manager, an engineer, a viewer
 * and an anonymous client with valid input. Allowed calls succeed and write exactly one audit row;
 * refused ones answer FORBIDDEN (UNAUTHENTICATED without credentials) and change nothing at all.
 */

let t: TestApp;
let fx: Fixtures;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await startTestApp();
  fx = await createFixtures(t);
  actors = await createActors(t);
});
afterAll(async () => {
  await t?.close();
});

const actorOf = (c: Caller) => (c === 'ANONYMOUS' ? undefined : actors[c]);
const roleOf = (c: Caller): Role | null => (c === 'ANONYMOUS' ? null : c);

/**
 * The role families, written out independently of the permission table so that an edit to
 * the table that gives a role more (or less) than the issue says fails here.
 */
const FAMILY: Record<string, 'PUBLIC' | 'SELF' | 'INCIDENT_WORK' | 'KNOWLEDGE' | 'ADMIN'> = {
  signIn: 'PUBLIC',
  completeSetup: 'PUBLIC',
  signOut: 'SELF',
  changePassword: 'SELF',
  createOwnApiToken: 'SELF',
  revokeOwnApiToken: 'SELF',
  createSavedView: 'SELF',
  updateSavedView: 'SELF',
  deleteSavedView: 'SELF',
  updateMyNotificationSettings: 'SELF',
  createNotificationSubscription: 'SELF',
  deleteNotificationSubscription: 'SELF',
  followIncident: 'SELF',
  markNotificationsRead: 'SELF',
  setWorkingCalendar: 'SELF',
  recordSearchOpen: 'SELF',
  ...Object.fromEntries(
    [
      'logIncident',
      'updateIncident',
      'classifyIncident',
      'assignIncident',
      'acknowledgeIncident',
      'transitionIncident',
      'reopenIncident',
      'addStakeholderUpdate',
      'addWorkNote',
      'recordEscalation',
      'triggerDisasterRecoveryPlan',
      'recordConfigurationChange',
      'addTimeEntry',
      'applyWorkaround',
      'applyIncidentModel',
      'giveKnowledgeFeedback',
      'setChecklistItemDone',
      'linkIncidentToProblem',
      'unlinkIncidentFromProblem',
      'setActionItemStatus',
      'bulkUpdateIncidents',
    ].map((m) => [m, 'INCIDENT_WORK' as const]),
  ),
  ...Object.fromEntries(
    [
      'createProblem',
      'createProblemFromIncident',
      'updateProblem',
      'transitionProblem',
      'bulkUpdateProblems',
      'linkWorkaroundToProblem',
      'unlinkWorkaroundFromProblem',
      'createWorkaround',
      'createWorkaroundFromIncident',
      'updateWorkaround',
      'setWorkaroundStatus',
      'createIncidentModel',
      'createIncidentModelFromIncident',
      'updateIncidentModel',
      'retireIncidentModel',
      'reactivateIncidentModel',
      'transitionKnowledge',
      'markKnowledgeReviewed',
      'setKnowledgeOwner',
      'createReview',
      'updateReview',
      'sendReviewInvitation',
      'addIncidentsToReview',
      'removeIncidentsFromReview',
      'setFiveWhys',
      'curateTimelineEntry',
      'addTimelineEntry',
      'removeTimelineEntry',
      'addContributingFactor',
      'updateContributingFactor',
      'removeContributingFactor',
      'addActionItem',
      'updateActionItem',
      'removeActionItem',
      'pushActionItem',
      'retryTrackerSync',
      'transitionReview',
    ].map((m) => [m, 'KNOWLEDGE' as const]),
  ),
  ...Object.fromEntries(
    [
      'createTeam',
      'createUser',
      'setUserRole',
      'setUserDisabled',
      'setUserPassword',
      'createApiToken',
      'revokeApiToken',
      'createService',
      'createCategory',
      'updateService',
      'updateTeam',
      'updateCategory',
      'updateUser',
      'setPriorityMatrix',
      'createBusinessCalendar',
      'updateBusinessCalendar',
      'importCalendarHolidays',
      'createBusinessCalendarFromIcs',
      'createSlaPolicy',
      'updateSlaPolicy',
      'makeDefaultSlaPolicy',
      'retireSlaPolicy',
      'restoreSlaPolicy',
      'setServiceSlaPolicy',
      'recomputeSlaClocks',
      'createReviewTemplate',
      'createFactorCategory',
      'setFactorCategoryActive',
      'createAlertSource',
      'rotateAlertSourceToken',
      'revokeAlertSource',
      'setAlertSourceRules',
      'createSearchSynonymGroup',
      'updateSearchSynonymGroup',
      'deleteSearchSynonymGroup',
      'restoreDefaultSearchSynonyms',
      'approveSearchBoost',
      'dismissSearchBoost',
      'revokeSearchBoost',
      'createNotificationChannel',
      'updateNotificationChannel',
      'deleteNotificationChannel',
      'replayNotificationDeliveries',
      'sendTestNotification',
      'replayNotificationMails',
      'createSsoProvider',
      'updateSsoProvider',
      'deleteSsoProvider',
      'testSsoProvider',
      'setPasswordSignIn',
      'createTrackerConnection',
      'updateTrackerConnection',
      'deleteTrackerConnection',
      'rotateTrackerWebhookSecret',
      'testTrackerConnection',
      'sendTestTrackerIssue',
    ].map((m) => [m, 'ADMIN' as const]),
  ),
};
const FAMILY_ROLES: Record<(typeof FAMILY)[string], Caller[]> = {
  PUBLIC: CALLERS,
  SELF: ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'],
  INCIDENT_WORK: ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER'],
  KNOWLEDGE: ['ADMIN', 'PROBLEM_MANAGER'],
  ADMIN: ['ADMIN'],
};

describe('the permission table covers the schema', () => {
  it('lists exactly the mutations of schema.graphql', () => {
    expect(Object.keys(MUTATION_ROLES).sort()).toEqual(schemaMutations());
  });
  it('has a per-role case and an issue family for every mutation', () => {
    expect(MUTATION_CASES.map((c) => c.name).sort()).toEqual(schemaMutations());
    expect(Object.keys(FAMILY).sort()).toEqual(schemaMutations());
  });
  // Viewers only sign in and out, manage their own password, tokens, views and notifications.
  it('gives each role what the issue says, nothing more', () => {
    for (const m of schemaMutations()) {
      const allowed = CALLERS.filter((c) => mayRun(m, roleOf(c)));
      expect(allowed, m).toEqual(FAMILY_ROLES[FAMILY[m]!]);
    }
    const viewer = schemaMutations().filter((m) => mayRun(m, 'VIEWER'));
    expect(viewer.sort()).toEqual([
      'changePassword',
      'completeSetup',
      'createNotificationSubscription',
      'createOwnApiToken',
      'createSavedView',
      'deleteNotificationSubscription',
      'deleteSavedView',
      'followIncident',
      'markNotificationsRead',
      'recordSearchOpen',
      'revokeOwnApiToken',
      'setWorkingCalendar',
      'signIn',
      'signOut',
      'updateMyNotificationSettings',
      'updateSavedView',
    ]);
  });
});

interface AuditRow {
  id: string;
  at: Date;
  request_id: string | null;
  actor_id: string | null;
  actor_name: string;
  role: string | null;
  auth_method: string | null;
  operation: string;
  target_type: string | null;
  target_id: string | null;
  variables: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const lastAuditId = async () => Number((await t.sql<{ m: string | null }>(`select max(id) as m from audit_log`))[0]!.m ?? 0);
const auditSince = (id: number) => t.sql<AuditRow>(`select * from audit_log where id > $1 order by id`, [id]);
const dump = (r: GqlResult) => JSON.stringify({ status: r.status, data: r.data, errors: r.errors });

/** Mutations that make their record: nothing to snapshot before. */
// giveKnowledgeFeedback makes a vote (a second one replaces it): nothing exists before the first.
const CREATES = /^(create|log|signIn|add|give)/;

describe.each(MUTATION_CASES.map((c) => [c.name]))('%s', (name) => {
  const c = caseByName.get(name)!;
  const refusedCallers = CALLERS.filter((x) => !mayRun(name, roleOf(x)));
  const allowedCallers = CALLERS.filter((x) => mayRun(name, roleOf(x)));

  if (refusedCallers.length) {
    it(`refuses ${refusedCallers.join(', ')} and writes nothing`, async () => {
      const vars = await c.vars(t, fx, undefined);
      const before = await stableSnapshot(t);
      const audit = await lastAuditId();
      for (const caller of refusedCallers) {
        const r = await t.gql<Record<string, unknown>>(c.doc, vars, bearer(actorOf(caller)));
        const code = caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        expect(r.status, dump(r)).toBe(200);
        expect(
          r.errors?.map((e) => e.extensions?.code),
          `${caller}: ${dump(r)}`,
        ).toEqual([code]);
        expect(r.data?.[name] ?? null, dump(r)).toBeNull();
        if (code === 'FORBIDDEN') expect(r.errors![0]!.message).toContain(name);
      }
      expect(await auditSince(audit), 'a refused call wrote an audit row').toEqual([]);
      expect(changedTables(before, await stableSnapshot(t)).join('; '), `${name} refused for ${refusedCallers.join(', ')}`).toBe('');
    });
  }

  if (c.refusedHereWith) {
    it(`is refused with ${c.refusedHereWith} for ${allowedCallers.join(', ')} on a database that has admins, writing nothing`, async () => {
      const vars = await c.vars(t, fx, undefined);
      const before = await stableSnapshot(t);
      const audit = await lastAuditId();
      for (const caller of allowedCallers) {
        const r = await t.gql<Record<string, unknown>>(c.doc, vars, bearer(actorOf(caller)));
        expect(
          r.errors?.map((e) => e.extensions?.code),
          `${caller}: ${dump(r)}`,
        ).toEqual([c.refusedHereWith]);
      }
      expect(await auditSince(audit)).toEqual([]);
      expect(changedTables(before, await stableSnapshot(t)).join('; ')).toBe('');
    });
    return;
  }

  it.each(allowedCallers.map((x) => [x]))(`allows %s, with one audit row`, async (caller) => {
    const actor = actorOf(caller as Caller);
    const vars = await c.vars(t, fx, actor);
    const headers = await callerHeaders(t, c, actor); // a session-only mutation signs in first: its own audit row
    const audit = await lastAuditId();
    const r = await t.gql<Record<string, unknown>>(c.doc, vars, headers);
    expect(r.errors, dump(r)).toBeUndefined();
    expect(r.data?.[name], dump(r)).not.toBeNull();
    if (name === 'changePassword' && actor) actor.password = vars.n as string;

    const rows = await auditSince(audit);
    if (c.unaudited) {
      expect(rows, `${name} writes no audit row`).toEqual([]);
      return;
    }
    expect(rows, `audit rows after ${name} by ${caller}`).toHaveLength(1);
    const row = rows[0]!;
    expect(row.operation).toBe(name);
    expect(row.request_id).toBeTruthy();
    expect(Math.abs(new Date(row.at).getTime() - Date.now())).toBeLessThan(60_000);
    if (name === 'signIn') {
      // The anonymous caller becomes the user who signed in.
      const user = (r.data!.signIn as { user: { id: string } }).user;
      expect(row).toMatchObject({ actor_id: user.id, role: 'ENGINEER', auth_method: 'SESSION', target_type: 'users', target_id: user.id });
    } else {
      expect(row).toMatchObject({ actor_id: actor!.userId, role: caller, auth_method: c.session ? 'SESSION' : 'TOKEN' });
    }
    if (c.target !== false) {
      expect(row.target_type, JSON.stringify(row)).toMatch(/^[a-z_]+$/);
      expect(row.target_id, JSON.stringify(row)).toBeTruthy();
      const [exists] = await t.sql(`select 1 from information_schema.tables where table_schema = current_schema() and table_name = $1`, [
        row.target_type,
      ]);
      expect(exists, `target_type ${row.target_type} is a table`).toBeTruthy();
      expect(row.after, `after of ${name}: ${JSON.stringify(row)}`).not.toBeNull();
      expect((row.after as { id?: unknown; key?: unknown }).id ?? (row.after as { key?: unknown }).key).toBe(row.target_id);
      if (!CREATES.test(name)) expect(row.before, `before of ${name}: ${JSON.stringify(row)}`).not.toBeNull();
    }
    const text = JSON.stringify(row);
    expect(text).not.toMatch(/argon2|password_hash|token_hash/);
    for (const s of c.secrets?.(vars, r.data) ?? []) expect(text, `secret of ${name} in the audit row`).not.toContain(s);
    // Secrets given as arguments are redacted (those only returned, like a new token's, were never in the arguments).
    if (c.secrets?.(vars, undefined).length) expect(text).toContain('[redacted]');
  });
});

describe('queries', () => {
  const queries = schemaQueries();

  it('refuses every query but `me`, `setupRequired` and `signInOptions` without credentials, also for a real id', async () => {
    for (const q of queries) {
      const { doc, variables } = rootDocument('query', q);
      const r = await t.gql<Record<string, unknown>>(doc, variables, { authorization: '' });
      if (q === 'me' || q === 'setupRequired' || q === 'signInOptions') {
        expect(r.errors, dump(r)).toBeUndefined();
        continue;
      }
      expect(
        r.errors?.map((e) => e.extensions?.code),
        `${q}: ${dump(r)}`,
      ).toEqual(['UNAUTHENTICATED']);
      expect(r.data?.[q] ?? null).toBeNull();
    }
    const i = await make.incident(t);
    const r = await t.gql<{ incident: unknown }>(`query($id: ID!) { incident(id: $id) { id title } }`, { id: i.id }, { authorization: '' });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data?.incident ?? null).toBeNull();
  });

  it.each(['PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as Role[])(
    'refuses the admin queries to %s and allows every other query',
    async (role) => {
      expect([...ADMIN_QUERIES].sort()).toEqual([
        'alertSources',
        'apiTokens',
        'auditLog',
        'holidayImportPreview',
        'importRun',
        'importRuns',
        'notificationChannels',
        'notificationDeliveries',
        'notificationMails',
        'passwordSignIn',
        'ssoProviders',
        'ssoTestResult',
        'trackerConnections',
        'trackerSyncLog',
      ]);
      for (const q of queries) {
        const { doc, variables } = rootDocument('query', q);
        const r = await t.gql<Record<string, unknown>>(doc, variables, bearer(actors[role]));
        const codes = (r.errors ?? []).map((e) => e.extensions?.code);
        expect([...KNOWLEDGE_QUERIES].sort()).toEqual(['searchAnalytics', 'searchBoosts']);
        if (ADMIN_QUERIES.has(q) || (KNOWLEDGE_QUERIES.has(q) && role !== 'PROBLEM_MANAGER')) {
          expect(codes, `${q}: ${dump(r)}`).toEqual(['FORBIDDEN']);
          expect(r.data?.[q] ?? null).toBeNull();
        } else {
          // Placeholder arguments may be refused as bad input or not found, never for the role.
          expect(
            codes.filter((x) => x === 'FORBIDDEN' || x === 'UNAUTHENTICATED' || x === 'INTERNAL_SERVER_ERROR'),
            `${q}: ${dump(r)}`,
          ).toEqual([]);
        }
      }
    },
  );

  it('lets admins read the audit log and the API tokens (without secrets)', async () => {
    const admin = actors.ADMIN;
    const r = await t.gql<{ auditLog: unknown[]; apiTokens: unknown[] }>(
      `query { auditLog(first: 5) { id operation actorName role targetType targetId before after variables } apiTokens { id name role
        prefix revokedAt } }`,
      {},
      bearer(admin),
    );
    expect(r.errors, dump(r)).toBeUndefined();
    expect(r.data!.auditLog.length).toBeGreaterThan(0);
    expect(r.data!.apiTokens.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.data)).not.toMatch(/ikb_[A-Za-z0-9_-]{20,}|argon2/);
  });
});

describe('audit log', () => {
  it('a mutation that fails leaves no audit row and no change', async () => {
    const i = await make.incident(t);
    const before = await stableSnapshot(t);
    const audit = await lastAuditId();
    const bad = [
      t.gql(`mutation($id: ID!) { transitionIncident(id: $id, input: { to: CLOSED }) { id } }`, { id: i.id }, bearer(actors.ENGINEER)),
      t.gql(`mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`, { id: randomUUID() }, bearer(actors.ENGINEER)),
      t.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, { input: { name: '' } }, bearer(actors.ADMIN)),
    ];
    for (const r of await Promise.all(bad)) expect(r.errors?.length, dump(r)).toBe(1);
    expect(await auditSince(audit)).toEqual([]);
    expect(changedTables(before, await stableSnapshot(t)).join('; '), 'failed mutations').toBe('');
  });

  it('is written in the mutation transaction: when the audit row cannot be written, the change is rolled back', async () => {
    await t.sql(`alter table audit_log add constraint test_refuse_create_team check (operation <> 'createTeam') not valid`);
    try {
      const name = `Rolled back ${randomUUID()}`;
      const r = await t.gql(
        `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
        { input: { name } },
        bearer(actors.ADMIN),
      );
      expect(r.errors?.[0]?.extensions?.code, dump(r)).toBe('INTERNAL_SERVER_ERROR');
      expect(r.errors?.[0]?.message).not.toMatch(/constraint|audit_log|violat/i);
      expect(await t.sql(`select id from teams where name = $1`, [name])).toEqual([]);
    } finally {
      await t.sql(`alter table audit_log drop constraint test_refuse_create_team`);
    }
  });

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    await t.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, { input: { name: `Audited ${randomUUID()}` } });
    const id = await lastAuditId();
    await expect(t.sql(`update audit_log set operation = 'forged' where id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from audit_log where id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from audit_log`)).rejects.toThrow(/append-only/);
    expect((await t.sql(`select operation from audit_log where id = $1`, [id]))[0].operation).toBe('createTeam');
  });

  it('records before and after of an update and the redacted arguments', async () => {
    const i = await make.incident(t, { title: 'Before title' });
    const audit = await lastAuditId();
    const r = await t.gql(
      `mutation($id: ID!) { updateIncident(id: $id, input: { title: "After title" }) { id } }`,
      { id: i.id },
      bearer(actors.ENGINEER),
    );
    expect(r.errors).toBeUndefined();
    const [row] = await auditSince(audit);
    expect(row).toMatchObject({
      operation: 'updateIncident',
      target_type: 'incidents',
      target_id: i.id,
      actor_id: actors.ENGINEER.userId,
      role: 'ENGINEER',
    });
    expect(row!.before).toMatchObject({ id: i.id, title: 'Before title' });
    expect(row!.after).toMatchObject({ id: i.id, title: 'After title' });
    expect(row!.variables).toEqual({ id: i.id, input: { title: 'After title' } });
    const q = await t.gql<{ auditLog: { operation: string }[] }>(
      `query($id: String) { auditLog(filter: { targetId: $id }) { operation actorName role before after } }`,
      { id: i.id },
      bearer(actors.ADMIN),
    );
    expect(q.data!.auditLog.map((e) => e.operation)).toEqual(['updateIncident', 'logIncident']);
  });

  it("keeps before-images in order under concurrent changes to one incident: each is the previous change's after-image", async () => {
    const i = await make.incident(t, { title: 'Busy incident' });
    const audit = await lastAuditId();
    const NOTE = `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`;
    const TIME = `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id } }`;
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, n) =>
        n % 2
          ? t.gql(NOTE, { id: i.id, input: { message: `Update ${n}` } }, bearer(actors.ENGINEER))
          : t.gql(TIME, { id: i.id, input: { activity: 'diagnosis', minutes: 5 + n } }, bearer(actors.ENGINEER)),
      ),
    );
    for (const r of results) expect(r.errors, dump(r)).toBeUndefined();
    // Each change bumps the incident's version; ordered by the version each one found, the chain
    // has no gap and no repeat (an audit row read before the row lock could show a stale one).
    const rows = (await auditSince(audit)).filter((r) => r.before?.id === i.id);
    expect(rows).toHaveLength(16);
    const incidentVersion = (r: AuditRow) => Number(r.before!.version);
    const versions = rows.map(incidentVersion).sort((a, b) => a - b);
    const first = versions[0]!;
    expect(versions).toEqual(versions.map((_, n) => first + n));
    for (const r of rows.filter((x) => x.operation === 'addStakeholderUpdate'))
      expect(Number(r.after!.version)).toBe(incidentVersion(r) + 1);
  });
});
