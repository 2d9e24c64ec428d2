import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changedTables,
  createActor,
  createFixtures,
  MUTATION_CASES,
  rootDocument,
  schemaFile,
  schemaQueries,
  schemaMutations,
  stableSnapshot,
  type Actor,
  type Fixtures,
  type MutationCase,
} from './support/auth-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A fuzz test (fast-check) sends thousands of generated inputs to every
 * mutation; no response is a 500 (or any 5xx, or an INTERNAL_SERVER_ERROR), and the database stays
 * consistent: every successful mutation has exactly one audit row and nothing else does, timeline
 * sequence numbers match their events, version counters match their versions, every foreign key
 * holds, and calls refused for the caller's role change nothing at all.
 *
 * Inputs start from a valid call (support/auth-factories.ts) and replace any part of it with
 * generated values of the declared type (strings: unicode, huge, SQL-ish, control characters;
 * numbers out of range; dates from year 1 to 9999 and invalid ones; enum values and junk; lists
 * empty or long; ids real, random or malformed) or with a value of the wrong type.
 *
 * FUZZ_RUNS (default 40) calls per mutation as an admin or engineer, FUZZ_REFUSED_RUNS (default 8)
 * per mutation as a viewer or anonymous; FUZZ_SEED fixes the seed (printed on failure).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const REFUSED_RUNS = Number(process.env.FUZZ_REFUSED_RUNS ?? 8);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
let fx: Fixtures;
let actors: { ADMIN: Actor; ENGINEER: Actor; VIEWER: Actor };
/** A valid set of variables per mutation, made once: the seed that generation mutates. */
const valid = new Map<string, Record<string, unknown>>();
/** Ids of real records, for ID arguments. */
const idPool = new Set<string>();
let auditAtStart = 0;
let successes = 0;
const stats = { calls: 0, ok: 0, refused: 0, invalid: 0, other: 0 };

beforeAll(async () => {
  t = await startTestApp();
  fx = await createFixtures(t);
  actors = { ADMIN: await createActor(t, 'ADMIN'), ENGINEER: await createActor(t, 'ENGINEER'), VIEWER: await createActor(t, 'VIEWER') };
  for (const id of Object.values(fx)) idPool.add(id);
  for (const c of MUTATION_CASES) {
    // The fuzz callers' own accounts stay out of the pool: disabling them would only produce 401s.
    const vars = await c.vars(t, fx, { ...actors.ADMIN });
    valid.set(c.name, vars);
    JSON.stringify(vars, (_k, v) => {
      if (typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v)) idPool.add(v);
      return v;
    });
  }
  for (const a of Object.values(actors)) idPool.delete(a.userId);
  auditAtStart = await lastAuditId();
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const lastAuditId = async () => Number((await t.sql<{ m: string | null }>(`select max(id) as m from audit_log`))[0]!.m ?? 0);

/**
 * Inputs the generators skip because they hit a known defect (an INTERNAL_SERVER_ERROR instead of
 * bad input), each with a failing example below. None at present: the last two were fixed
 * (recomputeSlaClocks with no or malformed ids, setServiceSlaPolicy with policyId "").
 */
const KNOWN_DEFECTS: {
  operation: string;
  note: string;
  when(vars: Record<string, unknown>): boolean;
  example: () => { doc: string; variables: Record<string, unknown> };
}[] = [];
const knownDefect = (operation: string, vars: Record<string, unknown>) =>
  KNOWN_DEFECTS.some((d) => d.operation === operation && d.when(vars));

// ---- generators ---------------------------------------------------------------------------------

const NASTY = [
  "'; drop table incidents; --",
  "' or '1'='1",
  '1; select pg_sleep(5)',
  '%',
  '_%_',
  '\\',
  '\u0000',
  'a\u0000b',
  '\u202e\u202d',
  '\ud800',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  'INC-000001',
  'PRB-00001',
  'INC-99999999999999999999',
  '-1',
  '0',
  '1e309',
  '2026-02-30',
  '9999-12-31T23:59:59.999Z',
  '   ',
  '',
  '🔥💥🚒'.repeat(20),
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  'مرحبا بالعالم',
  'a'.repeat(257),
];

const STRING = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
);
const INT = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, -0.5, 1e308) },
);
const DATE_TIME = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 2,
    arbitrary: fc
      .date({ min: new Date(Date.now() - 5 * 365 * 86_400_000), max: new Date(Date.now() + 86_400_000), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-01-01',
      '2026-13-01T00:00:00Z',
      '2026-02-30T10:00:00Z',
      '+275760-09-13T00:00:00.000Z',
      '-000001-01-01T00:00:00Z',
      'yesterday',
      '1970-01-01T00:00:00Z',
      '2026-06-01T25:00:00Z',
      '2026-06-01T10:00:00+14:00',
    ),
  },
  { weight: 1, arbitrary: STRING },
);
const WRONG_TYPE: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
);
const ID = () =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...idPool) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: STRING },
    { weight: 1, arbitrary: fc.integer() },
  );

/** Values of an input type, around `base` (a valid value) when there is one. */
function arbFor(type: GraphQLInputType, base: unknown, depth = 0): fc.Arbitrary<unknown> {
  const around = (a: fc.Arbitrary<unknown>) =>
    base === undefined ? a : fc.oneof({ weight: 2, arbitrary: fc.constant(base) }, { weight: 3, arbitrary: a });
  if (isNonNullType(type)) return arbFor(type.ofType, base, depth);
  if (isListType(type)) {
    const first = Array.isArray(base) ? base[0] : undefined;
    const item = arbFor(type.ofType, first, depth + 1);
    return around(
      fc.oneof(
        { weight: 4, arbitrary: fc.array(item, { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.array(item, { minLength: 40, maxLength: 250 }) },
      ),
    );
  }
  if (isEnumType(type))
    return around(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.value as string)) },
        { weight: 1, arbitrary: STRING },
      ),
    );
  if (isInputObjectType(type)) {
    if (depth > 4) return fc.constant(base ?? {});
    const b = (base && typeof base === 'object' ? base : {}) as Record<string, unknown>;
    const fields = Object.values(type.getFields());
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields)
      model[f.name] = fc.oneof({ weight: 6, arbitrary: arbFor(f.type, b[f.name], depth + 1) }, { weight: 1, arbitrary: WRONG_TYPE });
    const rec = fc.record(model, { requiredKeys: [] });
    return around(fc.oneof({ weight: 8, arbitrary: rec }, { weight: 1, arbitrary: rec.map((r) => ({ ...r, notAField: 'x' })) }));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return around(ID());
      case 'Int':
        return around(INT);
      case 'Float':
        return around(fc.double());
      case 'Boolean':
        return around(fc.boolean());
      case 'DateTime':
        return around(DATE_TIME);
      default:
        return around(STRING);
    }
  }
  return fc.constant(base);
}

/** Every leaf (scalar or enum) of an input value: set fields, absent optional ones, the first list item. */
function leaves(
  type: GraphQLInputType,
  base: unknown,
  path: (string | number)[],
  depth = 0,
): { path: (string | number)[]; type: GraphQLInputType }[] {
  const named = isNonNullType(type) ? type.ofType : type;
  if (isListType(named)) {
    const item = Array.isArray(base) ? base[0] : undefined;
    return [{ path, type: named }, ...(depth < 4 ? leaves(named.ofType, item, [...path, 0], depth + 1) : [])];
  }
  if (isInputObjectType(named)) {
    const b = (base && typeof base === 'object' ? base : {}) as Record<string, unknown>;
    return depth < 4 ? Object.values(named.getFields()).flatMap((f) => leaves(f.type, b[f.name], [...path, f.name], depth + 1)) : [];
  }
  return [{ path, type: named }];
}

const HUGE = 'x'.repeat(200_000);
/** The edge values of a leaf type (lists: empty and long). */
function edgeValues(type: GraphQLInputType): unknown[] {
  if (isListType(type)) return [[], Array.from({ length: 500 }, () => '00000000-0000-4000-8000-000000000000')];
  if (isEnumType(type)) return ['NOT_A_VALUE'];
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return ['', ' ', 'not-an-id', '00000000-0000-4000-8000-000000000000', HUGE.slice(0, 5000)];
      case 'Int':
        return [-1, 0, 2 ** 31 - 1, -(2 ** 31)];
      case 'Boolean':
        return [true, false];
      case 'DateTime':
        return ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', 'not a date'];
      default:
        return ['', '   ', HUGE, "'; drop table incidents; --", '%_\\', '🔥'.repeat(300), null];
    }
  }
  return [null];
}

function setAt(base: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  // Arrays are indexed by number and objects by name alike here.
  type Container = Record<string | number, unknown>;
  let o = root as Container;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (o[k] === undefined || o[k] === null || typeof o[k] !== 'object') o[k] = typeof path[i + 1] === 'number' ? [] : {};
    o = o[k] as Container;
  }
  o[path.at(-1)!] = value;
  return root;
}

/** Variables for one call: each declared variable kept, regenerated, given a wrong type, or left out. */
function arbVars(c: MutationCase): fc.Arbitrary<Record<string, unknown>> {
  const op = parse(c.doc).definitions[0] as OperationDefinitionNode;
  const base = valid.get(c.name) ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const v of op.variableDefinitions ?? []) {
    const type = typeFromAST(schemaFile(), v.type as never) as GraphQLInputType;
    const name = v.variable.name.value;
    model[name] = fc.oneof(
      { weight: 2, arbitrary: fc.constant(base[name]) },
      { weight: 6, arbitrary: arbFor(type, base[name]) },
      { weight: 1, arbitrary: WRONG_TYPE },
    );
  }
  return fc.record(model, { requiredKeys: [] });
}

/**
 * Runs a property; a failure (the first for this operation: no shrinking) is kept with a readable
 * counterexample, and the run goes on with the next operation, so one run reports every operation
 * that fails. `failures` is asserted empty at the end of each phase.
 */
async function property<T extends unknown[]>(name: string, prop: fc.IAsyncProperty<T>, numRuns: number, failures: string[]) {
  const out = await fc.check(prop, { numRuns, seed: SEED, endOnFailure: true });
  if (out.failed) {
    const err = out.errorInstance as Error | undefined;
    const shortJson = (v: unknown) =>
      JSON.stringify(v, (_k, x) => (typeof x === 'string' && x.length > 120 ? `${x.slice(0, 40)}…(${x.length} chars)` : x));
    failures.push(
      `${name}: ${(err?.message ?? String(out.errorInstance)).slice(0, 700)}\n  counterexample: ` +
        `${shortJson(out.counterexample)?.slice(0, 1500)}\n  seed ${out.seed} (FUZZ_SEED=${out.seed})`,
    );
  }
}

// ---- calls --------------------------------------------------------------------------------------

interface Outcome {
  status: number;
  text: string;
  body?: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function call(c: MutationCase, vars: Record<string, unknown>, caller: Actor | undefined): Promise<Outcome> {
  const res = await fetch(t.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(caller ? { authorization: `Bearer ${caller.token}` } : {}) },
    body: JSON.stringify({ query: c.doc, variables: vars }),
  });
  const text = await res.text();
  let body: Outcome['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

/** The no-5xx, no-internal-error property of one response; returns whether the mutation succeeded. */
function check(c: MutationCase, vars: Record<string, unknown>, o: Outcome): boolean {
  const what = () => `${c.name} -> HTTP ${o.status} ${o.text.slice(0, 800)}`;
  expect(o.status, what()).toBeLessThan(500);
  expect(o.body, `not JSON: ${what()}`).toBeDefined();
  const codes = (o.body!.errors ?? []).map((e) => e.extensions?.code);
  expect(codes, what()).not.toContain('INTERNAL_SERVER_ERROR');
  expect(
    codes.every((x) => typeof x === 'string'),
    `an error without a code: ${what()}`,
  ).toBe(true);
  stats.calls++;
  // A scalar answer counts too (replayNotificationDeliveries answers 0 when nothing was dead).
  const data = o.body!.data?.[c.name];
  const ok = data !== undefined && data !== null && !o.body!.errors?.length;
  if (ok) stats.ok++;
  else if (codes.some((x) => x === 'FORBIDDEN' || x === 'UNAUTHENTICATED')) stats.refused++;
  else if (o.status === 400) stats.invalid++;
  else stats.other++;
  return ok;
}

describe('fuzz: every mutation, generated input', () => {
  it('covers every mutation of the schema', () => {
    expect(MUTATION_CASES.map((c) => c.name).sort()).toEqual(schemaMutations());
  });

  it(`refused callers (viewer, anonymous) change nothing: ${REFUSED_RUNS} calls per mutation`, async () => {
    const before = await stableSnapshot(t);
    const audit = await lastAuditId();
    const failures: string[] = [];
    // Open to viewers: signing in and out, setup, their own password, tokens, saved views and notifications; the others must refuse them.
    const open = ['signIn', 'signOut', 'changePassword', 'completeSetup', 'createOwnApiToken', 'revokeOwnApiToken'];
    const own = ['createSavedView', 'updateSavedView', 'deleteSavedView', 'updateMyNotificationSettings', 'followIncident'];
    own.push('setWorkingCalendar');
    const notify = ['createNotificationSubscription', 'deleteNotificationSubscription', 'markNotificationsRead'];
    // Every role tells which search hit it opened (decision 0011).
    const search = ['recordSearchOpen'];
    const cases = MUTATION_CASES.filter((c) => ![...open, ...own, ...notify, ...search].includes(c.name));
    for (const c of cases) {
      await property(
        c.name,
        fc.asyncProperty(arbVars(c), fc.constantFrom('VIEWER', 'ANONYMOUS'), async (vars, who) => {
          const o = await call(c, vars, who === 'VIEWER' ? actors.VIEWER : undefined);
          check(c, vars, o);
          expect(o.body?.data?.[c.name] ?? null, o.text).toBeNull();
        }),
        REFUSED_RUNS,
        failures,
      );
    }
    if (failures.length) throw new Error(`${failures.length} operation(s) failed:\n${failures.join('\n\n')}`);
    expect(await t.sql(`select operation from audit_log where id > $1`, [audit])).toEqual([]);
    expect(changedTables(before, await stableSnapshot(t)).join('; ')).toBe('');
  }, 600_000);

  it(`allowed callers (admin, engineer): ${RUNS} calls per mutation, no 5xx, one audit row per success`, async () => {
    const audit = await lastAuditId();
    const failures: string[] = [];
    for (const c of MUTATION_CASES) {
      await property(
        c.name,
        fc.asyncProperty(arbVars(c), fc.constantFrom('ADMIN', 'ADMIN', 'ENGINEER'), async (vars, role) => {
          fc.pre(!knownDefect(c.name, vars));
          const o = await call(c, vars, actors[role as 'ADMIN' | 'ENGINEER']);
          if (check(c, vars, o) && !c.unaudited) successes++;
        }),
        RUNS,
        failures,
      );
    }
    if (failures.length) throw new Error(`${failures.length} operation(s) failed:\n${failures.join('\n\n')}`);
    const rows = Number((await t.sql(`select count(*) as n from audit_log where id > $1`, [audit]))[0].n);
    expect(rows, JSON.stringify(stats)).toBe(successes);
    // Thousands of calls, and not all of them bounced off input validation.
    expect(stats.calls).toBeGreaterThanOrEqual(MUTATION_CASES.length * (RUNS + REFUSED_RUNS) * 0.9);
    expect(stats.ok, JSON.stringify(stats)).toBeGreaterThan(stats.calls * 0.05);
    console.log(`fuzz: ${JSON.stringify(stats)}`);
  }, 900_000);

  it('edge values, one leaf at a time: every argument and input field of a valid call set to each edge value of its type', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const c of MUTATION_CASES) {
      const base = valid.get(c.name)!;
      const op = parse(c.doc).definitions[0] as OperationDefinitionNode;
      for (const v of op.variableDefinitions ?? []) {
        const type = typeFromAST(schemaFile(), v.type as never) as GraphQLInputType;
        for (const { path, type: leaf } of leaves(type, base[v.variable.name.value], [v.variable.name.value])) {
          for (const value of edgeValues(leaf)) {
            const vars = setAt(base, path, value);
            if (knownDefect(c.name, vars)) continue;
            const o = await call(c, vars, actors.ADMIN);
            calls++;
            try {
              check(c, vars, o);
            } catch (e) {
              failures.push(`${c.name} ${path.join('.')} = ${JSON.stringify(value).slice(0, 60)}: ${(e as Error).message.slice(0, 400)}`);
              break;
            }
          }
        }
      }
    }
    if (failures.length) throw new Error(`${failures.length} failed:\n${failures.join('\n')}`);
    expect(calls).toBeGreaterThan(MUTATION_CASES.length * 5);
    console.log(`fuzz edge values: ${calls} calls`);
  }, 900_000);

  const perQuery = Math.max(2, Math.round(RUNS / 4));
  it(`queries with generated arguments (${perQuery} per query, as a viewer) never fail with a server error`, async () => {
    const audit = await lastAuditId();
    const failures: string[] = [];
    for (const q of schemaQueries()) {
      const { doc } = rootDocument('query', q, { allArgs: true });
      const qc: MutationCase = { name: q, doc, vars: async () => ({}) };
      valid.set(q, rootDocument('query', q, { allArgs: true }).variables);
      await property(
        q,
        fc.asyncProperty(arbVars(qc), async (vars) => {
          check(qc, vars, await call(qc, vars, actors.VIEWER));
        }),
        perQuery,
        failures,
      );
    }
    if (failures.length) throw new Error(`${failures.length} operation(s) failed:\n${failures.join('\n\n')}`);
    expect(await t.sql(`select operation from audit_log where id > $1`, [audit])).toEqual([]);
  }, 600_000);

  it.each([
    [
      'a NUL character in a string',
      `mutation($i: LogIncidentInput!) { logIncident(input: $i) { id } }`,
      { i: { title: 'before\u0000after' } },
      'input.title',
    ],
    [
      'a NUL character in a nested list',
      `mutation($i: CreateIncidentModelInput!) { createIncidentModel(input: $i) { id } }`,
      { i: { name: 'Model', checklist: ['ok', 'no\u0000pe'] } },
      'input.checklist.1',
    ],
    ['a NUL character in a literal', `mutation { createTeam(input: { name: "nul\\u0000team" }) { id } }`, {}, 'input.name'],
    [
      'a NUL character in a query argument',
      `query($t: String) { incidents(filter: { text: $t }) { totalCount } }`,
      { t: '\u0000' },
      'filter.text',
    ],
    [
      'a huge user id for a token',
      `mutation($u: ID!) { createApiToken(userId: $u, role: VIEWER, name: "x") { secret } }`,
      { u: 'x'.repeat(100_000) },
      'userId',
    ],
  ])('refuses %s as bad input naming the field', async (_what, doc, variables, field) => {
    const before = await lastAuditId();
    const r = await t.gql(doc, variables);
    expect(r.status).toBe(200);
    expect(
      r.errors?.map((e) => [e.extensions?.code, e.extensions?.field]),
      JSON.stringify(r.errors),
    ).toEqual([['BAD_USER_INPUT', field]]);
    expect(await lastAuditId()).toBe(before);
  });

  it('refuses a lone UTF-16 surrogate (not a character) as bad input naming the field, writing nothing', async () => {
    const audit = await lastAuditId();
    const r = await t.gql(`mutation($i: CreateWorkaroundInput!) { createWorkaround(input: $i) { id title } }`, {
      i: { title: 'half \ud83d pair', steps: 'x \udca5' },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(r.errors?.[0]?.message).toMatch(/unpaired surrogate/);
    expect(await t.sql(`select 1 from audit_log where id > $1`, [audit])).toEqual([]);
  });

  it('answers too many bad variables (graphql-js stops after 50) as bad input, not as an internal error', async () => {
    const rows = Array.from({ length: 60 }, () => [2 ** 31, 2 ** 31]);
    const r = await t.gql(`mutation($i: PriorityMatrixInput!) { setPriorityMatrix(input: $i) { rows } }`, { i: { rows } });
    expect(r.status).toBe(400);
    expect(new Set(r.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(r.errors!.at(-1)!.message).toMatch(/Too many errors/);
  });

  for (const d of KNOWN_DEFECTS) {
    it.fails(`known defect in ${d.operation}: ${d.note}`, async () => {
      const { doc, variables } = d.example();
      const r = await t.gql(doc, variables);
      expect(r.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('INTERNAL_SERVER_ERROR');
    });
  }

  it.each([
    [
      'recomputeSlaClocks with no incidents',
      () => ({ doc: `mutation { recomputeSlaClocks(input: { incidentIds: [] }) { __typename } }`, variables: {} }),
      'input.incidentIds',
    ],
    [
      'recomputeSlaClocks with a malformed id',
      () => ({ doc: `mutation { recomputeSlaClocks(input: { incidentIds: ["x'--"] }) { __typename } }`, variables: {} }),
      'incidentIds',
    ],
    [
      'setServiceSlaPolicy with policyId ""',
      () => ({ doc: `mutation($s: ID!) { setServiceSlaPolicy(serviceId: $s, policyId: "") { id } }`, variables: { s: fx.serviceId } }),
      'policyId',
    ],
  ])('%s is bad input naming the field (once an internal error)', async (_what, example, field) => {
    const { doc, variables } = example();
    const r = await t.gql(doc, variables);
    expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('leaves the database consistent', async () => {
    const bad = (sql: string) => t.sql(sql);
    // Timelines: event_seq is the last event's seq; seqs run 1..n without gaps or repeats.
    expect(
      await bad(`select i.id, i.event_seq, max(e.seq) as max_seq, count(e.*) as n from incidents i left join incident_events e
        on e.incident_id = i.id
        group by i.id, i.event_seq having i.event_seq <> coalesce(max(e.seq), 0) or count(e.*) <> coalesce(max(e.seq), 0)
          or count(distinct e.seq) <> count(e.*)`),
    ).toEqual([]);
    expect(
      await bad(`select i.id from incidents i where not exists (select 1 from incident_events e where e.incident_id = i.id and e.seq = 1)`),
    ).toEqual([]);
    // Versioned records: the current version exists and is the latest.
    expect(
      await bad(
        `select m.id from incident_models m where m.current_version <> (select max(v.version) from incident_model_versions v where
          v.model_id = m.id)`,
      ),
    ).toEqual([]);
    expect(
      await bad(
        `select p.id from sla_policies p where p.current_version <> (select max(v.version) from sla_policy_versions v where
          v.policy_id = p.id)`,
      ),
    ).toEqual([]);
    // Counters are not negative; every foreign key is in force and holds.
    expect(await bad(`select id from incidents where reopen_count < 0 or reassignment_count < 0`)).toEqual([]);
    expect(await bad(`select conname from pg_constraint where contype = 'f' and not convalidated`)).toEqual([]);
    const fks = await t.sql<{ child: string; parent: string; ccols: string[]; pcols: string[] }>(`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
        array(select attname from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid
          and a.attnum = k.n order by i)::text[] as ccols,
        array(select attname from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid
          and a.attnum = k.n order by i)::text[] as pcols
      from pg_constraint c where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`);
    expect(fks.length).toBeGreaterThan(10);
    for (const fk of fks) {
      const on = fk.ccols.map((c, i) => `p."${fk.pcols[i]}" = x."${c}"`).join(' and ');
      const notNull = fk.ccols.map((c) => `x."${c}" is not null`).join(' and ');
      const orphans = await t.sql(
        `select count(*)::int as n from ${fk.child} x where ${notNull} and not exists (select 1 from ${fk.parent} p where ${on})`,
      );
      expect(orphans[0].n, `${fk.child}(${fk.ccols}) -> ${fk.parent}`).toBe(0);
    }
    // The audit log only grew, and names who did what.
    expect(
      await bad(`select id from audit_log where id > ${auditAtStart} and (operation is null or actor_name is null or request_id is null)`),
    ).toEqual([]);
  });
});
