import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { expectGqlError } from './support/assertions';
import { createCategory, createService, createTeam, createUser, logIncident, mutate } from './support/factories';
import { incidentIn, knownError, uniq } from './support/knowledge-factories';
import { createModel } from './support/model-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 23, items 3 and 7, through the API: suggestions on an incident need evidence beyond the
 * service and say how strong and why; the possible-duplicates check of the log form; the priority
 * matrix the form previews is the one logIncident applies.
 */

let t: TestApp;
const d: Record<string, { id: string; name?: string }> = {};
let wal: Awaited<ReturnType<typeof knownError>>;
let oom: Awaited<ReturnType<typeof knownError>>;

beforeAll(async () => {
  t = await startTestApp();
  const team = await createTeam(t, { name: uniq('Platform SRE') });
  d.k8s = await createService(t, { name: uniq('Kubernetes Platform'), ownerTeamId: team.id });
  d.infra = await createCategory(t, { name: uniq('Infrastructure') });
  d.compute = await createCategory(t, { name: uniq('Compute'), parentId: d.infra.id });
  d.storage = await createCategory(t, { name: uniq('Storage'), parentId: d.infra.id });
  // The demo's pair: a WAL known error and a crash-loop one, on the same platform.
  wal = await knownError(
    t,
    {
      title: 'WAL archive retention not enforced on replicas',
      serviceId: d.k8s.id,
      categoryId: d.storage.id,
      keywords: ['disk full', 'wal', 'no space left'],
    },
    { title: uniq('Purge WAL archives older than 7 days') },
  );
  oom = await knownError(
    t,
    {
      title: 'Container runtime memory accounting kills pods',
      serviceId: d.k8s.id,
      categoryId: d.compute.id,
      keywords: ['oomkilled', 'crashloopbackoff'],
    },
    { title: uniq('Raise memory limits by 25 %') },
  );
  await createModel(t, { name: 'Replica disk full', matchServiceId: d.k8s.id, matchCategoryId: d.storage.id, matchKeywords: ['wal'] });
  await createModel(t, { name: 'Anything on the platform', matchServiceId: d.k8s.id });
  await createModel(t, { name: 'Crash-looping pods', matchServiceId: d.k8s.id, matchKeywords: ['crashloopbackoff'] });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

type Match = { score: number; strength: string; reasons: string[]; problem: { id: string; workarounds: { title: string }[] } };
type Suggestion = { score: number; strength: string; reasons: string[]; model: { name: string } };
const SUGGESTIONS = `query($id: ID!) {
  incident(id: $id) { matchingKnownErrors { score strength reasons problem { id workarounds { title } } } }
  suggestIncidentModels(incidentId: $id, first: 50) { score strength reasons model { name } } }`;
const suggestions = async (id: string) =>
  ok(await t.gql<{ incident: { matchingKnownErrors: Match[] }; suggestIncidentModels: Suggestion[] }>(SUGGESTIONS, { id }));

describe('suggestions need evidence beyond the service', () => {
  it('offers the crash-looping pods incident nothing that shares only the service, and says why it offers the rest', async () => {
    const inc = await logIncident(t, {
      title: 'Pods in CrashLoopBackOff after node pool upgrade',
      description: 'Several workloads crash-looping on the new node pool; OOMKilled with the new container runtime memory accounting.',
      serviceId: d.k8s.id,
      categoryId: d.compute.id,
    });
    const s = await suggestions(inc.id);
    const offered = s.incident.matchingKnownErrors;
    expect(offered.map((m) => m.problem.id)).not.toContain(wal.problem.id);
    expect(offered.flatMap((m) => m.problem.workarounds.map((w) => w.title))).not.toContain(wal.workaround.title);
    expect(offered).toEqual([
      {
        score: 100,
        strength: 'STRONG',
        reasons: [
          'title mentions "crashloopbackoff"',
          'description mentions "oomkilled"',
          `same category: ${d.compute.name}`,
          `same service: ${d.k8s.name}`,
        ],
        problem: { id: oom.problem.id, workarounds: [{ title: oom.workaround.title }] },
      },
    ]);
    expect(s.suggestIncidentModels.map((m) => m.model.name)).toEqual(['Crash-looping pods']);
    expect(s.suggestIncidentModels[0]).toMatchObject({
      score: 50,
      strength: 'POSSIBLE',
      reasons: ['title mentions "crashloopbackoff"', `same service: ${d.k8s.name}`],
    });
  });

  it("counts an alert's labels and annotations as evidence", async () => {
    const { token } = await createIngestSource(t.app.orm.em.fork(), uniq('Prometheus'), { useModels: false });
    const res = await fetch(`${t.app.url}/ingest/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        alerts: [
          {
            title: 'Replication lag above 30 minutes on db-replica-03',
            fingerprint: uniq('replica-lag'),
            labels: { volume: 'wal' },
            annotations: { detail: 'No space left on device' },
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { results: { incidentId: string }[] }).results[0]!.incidentId;
    // The person on call rewrites the description: the words are now only in the alert.
    await mutate(t, `mutation($id: ID!) { updateIncident(id: $id, input: { description: "Lag keeps growing" }) { id } }`, { id });
    const offered = (await suggestions(id)).incident.matchingKnownErrors;
    expect(offered.find((m) => m.problem.id === wal.problem.id)).toMatchObject({
      score: 60,
      strength: 'STRONG',
      reasons: ['alert mentions "wal" and "no space left"'],
    });
  });
});

// -------------------------------------------------------------------------------------------------

type Dup = {
  openIncidents: { score: number; reasons: string[]; incident: { id: string; number: string; status: string } }[];
  knownErrors: { score: number; reason: string; problem: { id: string; number: string } }[];
};
const DUPLICATES = `query($input: DuplicateCheckInput!) { possibleDuplicates(input: $input) {
  openIncidents { score reasons incident { id number status assignee { name } team { name } service { name } } }
  knownErrors { score reason problem { id number title } } } }`;

describe('possibleDuplicates', () => {
  it('finds open incidents and known errors that look like a title, not resolved ones', async () => {
    const title = `TLS certificate expired on ${uniq('api').toLowerCase()}.example.com`;
    const open = await logIncident(t, { title, description: 'Clients fail with certificate has expired' });
    const other = await logIncident(t, { title: title.replace('TLS', 'SSL'), description: '' });
    const resolved = await incidentIn(t, 'RESOLVED', { title, description: '' });
    const r = await t.gql<{ possibleDuplicates: Dup }>(DUPLICATES, { input: { title: title.replace('expired', 'has expired'), first: 5 } });
    const dup = ok(r).possibleDuplicates;
    const ids = dup.openIncidents.map((m) => m.incident.id);
    expect(ids.slice(0, 2).sort()).toEqual([open.id, other.id].sort());
    expect(ids).not.toContain(resolved.id);
    expect(dup.openIncidents[0]!.reasons[0]).toMatch(/^same words: "tls"|^same words: "certificate"/);
    for (let i = 1; i < dup.openIncidents.length; i++)
      expect(dup.openIncidents[i - 1]!.score).toBeGreaterThanOrEqual(dup.openIncidents[i]!.score);

    const ke = ok(
      await t.gql<{ possibleDuplicates: Dup }>(DUPLICATES, { input: { title: 'Replica: no space left, WAL archive growing', first: 3 } }),
    ).possibleDuplicates;
    expect(ke.knownErrors.map((k) => k.problem.id)).toContain(wal.problem.id);
    expect(ke.knownErrors.find((k) => k.problem.id === wal.problem.id)!.reason).toMatch(/wal/i);

    // Nothing alike: nothing offered.
    const none = ok(await t.gql<{ possibleDuplicates: Dup }>(DUPLICATES, { input: { title: 'Printer on floor 7 jams', first: 5 } }));
    expect(none.possibleDuplicates.openIncidents.map((m) => m.incident.id)).not.toContain(open.id);
  });

  it('costs the same number of statements for one look-alike as for many', async () => {
    const word = uniq('zebrafish')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const user = await createUser(t, {});
    const team = await createTeam(t);
    const counts: number[] = [];
    for (let n = 1; n <= 6; n++) {
      await logIncident(t, { title: `Queue ${word} stalled ${n}`, serviceId: d.k8s.id, assigneeId: user.id, teamId: team.id });
      if (n !== 1 && n !== 6) continue;
      const r = await t.gql<{ possibleDuplicates: Dup }>(DUPLICATES, { input: { title: `Queue ${word} stalled`, first: 10 } });
      expect(ok(r).possibleDuplicates.openIncidents.length).toBe(n);
      counts.push(r.extensions?.sqlStatements ?? NaN);
    }
    console.log(`[n+1] SQL statements for possibleDuplicates with 1 and 6 look-alikes: ${counts.join(', ')}`);
    expect(counts[0]).toBeLessThanOrEqual(8);
    expect(counts[1]).toBe(counts[0]);
  });

  it.each([
    ['a title over 200 characters', { title: 'x'.repeat(201), first: 5 }, 'input.title'],
    ['a blank title', { title: '   ', first: 5 }, 'input.title'],
    ['a NUL in the title', { title: 'disk\u0000full', first: 5 }, 'input.title'],
    ['a line break in the title', { title: 'disk\nfull', first: 5 }, 'input.title'],
    ['a bidi override in the title', { title: 'disk \u202efull', first: 5 }, 'input.title'],
    ['too many asked for', { title: 'disk full', first: 11 }, 'input.first'],
    ['none asked for', { title: 'disk full', first: 0 }, 'input.first'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, input, field) => {
    const r = await t.gql(DUPLICATES, { input });
    expect(r.status).toBeLessThan(500);
    const e = expectGqlError(r, 'BAD_USER_INPUT');
    expect(`${e.extensions?.field} ${e.message}`).toContain(field.split('.').pop()!);
  });

  it('takes search syntax and odd characters in a title as plain words, never a 5xx', async () => {
    for (const title of [
      '"unterminated',
      '-- OR -x',
      'the and of',
      '-',
      "'; drop table incidents; --",
      '%_\\',
      'ünïcødé ≠ ascii',
      '))) (((',
      '<script>',
    ]) {
      const r = await t.gql<{ possibleDuplicates: Dup }>(DUPLICATES, { input: { title, first: 5 } });
      expect(r.status, title).toBe(200);
      expect(r.errors, `${title}: ${JSON.stringify(r.errors)}`).toBeUndefined();
    }
  });
});

// -------------------------------------------------------------------------------------------------

describe('the priority the log form previews', () => {
  it('is the organisation matrix logIncident applies, also when it is not the default', async () => {
    const custom = [
      [1, 1, 2],
      [2, 3, 4],
      [2, 4, 5],
    ];
    const before = ok(await t.gql<{ priorityMatrix: { rows: number[][] } }>(`query { priorityMatrix { rows } }`)).priorityMatrix.rows;
    await mutate(t, `mutation($rows: [[Int!]!]!) { setPriorityMatrix(input: { rows: $rows }) { rows } }`, { rows: custom });
    try {
      const shown = ok(await t.gql<{ priorityMatrix: { rows: number[][] } }>(`query { priorityMatrix { rows } }`)).priorityMatrix.rows;
      expect(shown).toEqual(custom);
      for (const impact of [1, 2, 3]) {
        for (const urgency of [1, 2, 3]) {
          const inc = await logIncident(t, { impact, urgency });
          expect(inc.priority, `impact ${impact} x urgency ${urgency}`).toBe(shown[impact - 1]![urgency - 1]);
        }
      }
    } finally {
      await mutate(t, `mutation($rows: [[Int!]!]!) { setPriorityMatrix(input: { rows: $rows }) { rows } }`, { rows: before });
    }
  });
});
