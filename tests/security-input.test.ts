import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Input that looks like something else (control and bidi characters in
 * one-line fields, dates in year 1 or 9999) is refused at the edge naming the field, and forged
 * cursors never reach PostgreSQL as out-of-range values.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const LOG = `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id title description } }`;
type Logged = { logIncident: { id: string; title: string; description: string | null } };
const refusal = (r: { status: number; errors?: { message: string; extensions?: Record<string, unknown> }[] }) => ({
  code: r.errors?.[0]?.extensions?.code,
  field: r.errors?.[0]?.extensions?.field,
  message: r.errors?.[0]?.message,
});

describe('single-line fields (item 12)', () => {
  it.each([
    ['ESC (a terminal colour sequence)', '\u001b[31mDatabase down', /control character, U\+001B, at position 1/],
    ['CR/LF', 'Checkout down\r\nINC-000001 resolved', /line break or tab.*U\+000D/],
    ['a right-to-left override', 'Checkout \u202e205-CNI', /bidirectional control character, U\+202E/],
    ['a zero-width space', 'Check\u200bout down', /invisible character, U\+200B/],
    ['a NUL byte', 'Checkout\u0000down', /control character, U\+0000/],
    ['an unpaired surrogate', 'Checkout \ud800 down', /unpaired surrogate/],
  ])('a title with %s is refused, naming input.title', async (_what, title, message) => {
    const before = (await t.sql(`select count(*)::int as n from incidents`))[0].n;
    const r = await t.gql(LOG, { input: { title } });
    expect(refusal(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(r.errors?.[0]?.message).toMatch(message);
    expect((await t.sql(`select count(*)::int as n from incidents`))[0].n).toBe(before);
  });

  it('prose keeps its line breaks and tabs; real text in any script is accepted', async () => {
    const r = await t.gql<Logged>(LOG, {
      input: {
        title: 'Caf\u00e9 \u6570\u636e\u5e93 \u05e9\u05d2\u05d9\u05d0\u05d4 \ud83d\udc69\u200d\ud83d\udcbb',
        description: 'Step 1\r\n\tStep 2\nDone',
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.logIncident.description).toBe('Step 1\r\n\tStep 2\nDone');
  });

  it('a control character in prose is refused too, and so are names, keys and list items', async () => {
    expect(refusal(await t.gql(LOG, { input: { title: 'ok', description: 'bell \u0007' } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.description',
    });
    const team = await t.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, { input: { name: 'Ops\nTeam' } });
    expect(refusal(team)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const model = await t.gql(`mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
      input: { name: 'M', matchKeywords: ['ok', 'bad\u202ekey'] },
    });
    expect(refusal(model)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.matchKeywords.1' });
    const token = await t.gql(`mutation($u: ID!) { createApiToken(userId: $u, role: VIEWER, name: "ci\\u001b[2J") { secret } }`, {
      u: (await t.sql(`select id from users limit 1`))[0].id,
    });
    expect(refusal(token)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });
});

describe('dates (item 12)', () => {
  it.each([
    ['openedAt', '0001-01-01T00:00:00Z'],
    ['openedAt', '1969-12-31T23:59:59Z'],
    ['detectedAt', '9999-12-31T00:00:00Z'],
  ])('%s %s is refused naming the field', async (field, value) => {
    const r = await t.gql(LOG, { input: { title: 'Dated', [field]: value } });
    expect(refusal(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
    expect(r.errors?.[0]?.message).toMatch(/must be between 1970-01-01 and 2100-01-01/);
  });

  it('a review timeline entry in year 9999 and an action item due in 9999 are refused', async () => {
    const inc = await t.gql<Logged>(LOG, { input: { title: 'For a review' } });
    const id = inc.data!.logIncident.id;
    await t.gql(
      `mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: PERMANENT_FIX, resolutionNotes:
        "fixed" }) { id } }`,
      { id },
    );
    const review = (
      await t.gql<{ createReview: { id: string } }>(
        `mutation($ids: [ID!]!) { createReview(input: { title: "Dates", incidentIds: $ids }) { id } }`,
        {
          ids: [id],
        },
      )
    ).data!.createReview.id;
    const entry = await t.gql(`mutation($id: ID!, $input: TimelineEntryInput!) { addTimelineEntry(id: $id, input: $input) { id } }`, {
      id: review,
      input: { at: '9999-01-01T00:00:00Z', text: 'Far future' },
    });
    expect(refusal(entry)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.at' });
    const owner = (await t.sql<{ id: string }>(`select id from users limit 1`))[0]!.id;
    const item = await t.gql(
      `mutation($id: ID!, $o: ID!) { addActionItem(reviewId: $id, input: { title: "Later", ownerId: $o, dueDate: "9999-12-31", kind:
        PREVENT }) { id } }`,
      { id: review, o: owner },
    );
    expect(refusal(item)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dueDate' });
  });

  it('a date literal in the document is refused too (a 400, not a 500)', async () => {
    const r = await t.gql(`mutation { logIncident(input: { title: "Literal", openedAt: "0001-01-01T00:00:00Z" }) { id } }`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toMatch(/must be between 1970-01-01 and 2100-01-01/);
  });
});

describe('forged cursors (item 7)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const id = '00000000-0000-4000-8000-000000000000';

  it.each([
    [
      'incidents',
      `{ incidents(first: 5, after: "${b64(JSON.stringify(['OPENED_AT', 'DESC', '+099999-01-01T00:00:00.000Z', id]))}") { totalCount } }`,
    ],
    [
      'incidents (number far out of range)',
      `{ incidents(first: 5, orderBy: { field: NUMBER, direction: ASC }, after:
        "${b64(JSON.stringify(['NUMBER', 'ASC', 1e300, id]))}") { totalCount } }`,
    ],
    ['problems', `{ problems(first: 5, after: "${b64(`+099999-01-01T00:00:00Z|${id}`)}") { totalCount } }`],
    ['reviews', `{ reviews(first: 5, after: "${b64(`0001-01-01T00:00:00Z|${id}`)}") { totalCount } }`],
    ['workarounds', `{ workarounds(first: 5, after: "${b64(`0|+275760-09-13T00:00:00Z|${id}`)}") { totalCount } }`],
    ['incidentModels (NUL in the name)', `{ incidentModels(first: 5, after: "${b64(`a\u0000b|${id}`)}") { totalCount } }`],
  ])('%s: a cursor carrying an out-of-range value is bad input naming `after`', async (_what, query) => {
    const r = await t.gql(query);
    expect(refusal(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(r.status).toBeLessThan(500);
  });
});
