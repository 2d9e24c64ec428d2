import { afterAll, beforeAll, expect, it } from 'vitest';
import { searchRecorder } from '@ikb/api/src/features/search-log/search-log.recorder';
import { createModel, knownError, openIncident, resolvedIncident } from './support/search-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Decision 0011: the incident page's suggestion panels (similar incidents, matching known errors,
 * suggested models) are not catalog searches. Nobody typed a query, so they would fill top queries
 * and content gaps with incident titles and pull MRR down with every page view: reading them
 * records nothing in the search log, and the panels' own signal is what was applied and voted on.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ searchLog: { flushMs: 0 } });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it('reading an incident’s suggestions writes no search and no open', async () => {
  const word = `quuxly${Math.random().toString(36).slice(2, 7)}`;
  await knownError(t, { keywords: [word], title: `Gateway ${word} fault` });
  await createModel(t, { matchKeywords: [word] });
  await resolvedIncident(t, { title: `Checkout ${word} errors` });
  const incident = await openIncident(t, { title: `Checkout ${word} errors again` });
  const d = ok(
    await t.gql<{
      incident: { matchingKnownErrors: unknown[] };
      similarIncidents: unknown[];
      suggestIncidentModels: unknown[];
    }>(
      `query($id: ID!) { incident(id: $id) { matchingKnownErrors { problem { id } } }
        similarIncidents(incidentId: $id) { incident { id } } suggestIncidentModels(incidentId: $id) { model { id } } }`,
      { id: incident.id },
    ),
  );
  // The panels had something to show: the guard below is not vacuous.
  expect(d.incident.matchingKnownErrors.length).toBeGreaterThan(0);
  expect(d.similarIncidents.length).toBeGreaterThan(0);
  expect(d.suggestIncidentModels.length).toBeGreaterThan(0);
  await searchRecorder(t.app.orm.getMetadata())!.flush();
  const [n] = await t.sql(
    `select (select count(*)::int from search_log.searches) as searches, (select count(*)::int from search_log.opens) as opens,
            (select count(*)::int from search_log.daily) as days`,
  );
  expect(n).toEqual({ searches: 0, opens: 0, days: 0 });
});
