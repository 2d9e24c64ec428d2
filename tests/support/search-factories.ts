import { expect } from 'vitest';
import { createCategory, createService, createUser, logIncident } from './factories';
import { createProblem, createWorkaround, knownError, setWorkaroundStatus, transitionIncident } from './knowledge-factories';
import { createModel } from './model-factories';
import { createReview, fillAllSections, transitionReview } from './review-factories';
import type { GqlResult, TestApp } from './test-app';
import { ok } from './test-app';

/**
 * Factories and calls for the solution catalog search, through GraphQL over HTTP. Each
 * record gets a made-up marker word in its text so that a test can search for exactly its records.
 */

export const HIT_FIELDS = `kind id title snippet score textScore boost matchedFields matchedTerms reason occurredAt priority status retired
  service { id name } category { id name }`;

export const SEARCH_FIELDS = `totalCount totalIsExact interpretedAs ranking
  pageInfo { hasNextPage endCursor }
  edges { cursor node { ${HIT_FIELDS} } }
  facets { kinds { value label count } services { value label count } categories { value label count }
    priorities { value label count } statuses { value label count } periods { value label count } }`;

export interface Hit {
  kind: string;
  id: string;
  title: string;
  snippet: string;
  score: number;
  textScore: number;
  boost: number;
  matchedFields: string[];
  matchedTerms: string[];
  reason: string;
  occurredAt: string;
  priority: number | null;
  status: string | null;
  retired: boolean;
  service: { id: string; name: string } | null;
  category: { id: string; name: string } | null;
}

export interface Facet {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  totalCount: number;
  totalIsExact: boolean;
  interpretedAs: string;
  ranking: string;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Hit }[];
  facets: Record<'kinds' | 'services' | 'categories' | 'priorities' | 'statuses' | 'periods', Facet[]>;
}

/** A search as the test asks it; `T` is the answer's shape when `fields` is not SEARCH_FIELDS. */
export function searchRaw<T = { search: SearchResult }>(
  t: TestApp,
  input: Record<string, unknown>,
  first?: number,
  after?: string | null,
  fields = SEARCH_FIELDS,
): Promise<GqlResult<T>> {
  return t.gql<T>(
    `query($input: SearchInput!, $first: Int, $after: String) { search(input: $input, first: $first, after: $after) { ${fields} } }`,
    {
      input,
      first: first ?? 20,
      after: after ?? null,
    },
  );
}

export async function search(
  t: TestApp,
  query: string,
  opts: { first?: number; after?: string | null; filters?: Record<string, unknown> } = {},
): Promise<SearchResult & { hits: Hit[] }> {
  const r = await searchRaw(t, { query, ...opts.filters }, opts.first, opts.after);
  const s = ok(r).search;
  return { ...s, hits: s.edges.map((e) => e.node) };
}

/** The hits' titles, in order. */
export const titles = (r: { hits: Hit[] }) => r.hits.map((h) => h.title);

/** A facet's counts as { value: count }. */
export const counts = (f: Facet[]) => Object.fromEntries(f.map((x) => [x.value, x.count]));

const RESOLVE = { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionCode: 'FIXED' };

/** An incident logged and resolved (a catalog record), with its resolution notes. */
export async function resolvedIncident(t: TestApp, input: Record<string, unknown>, resolutionNotes = 'Restarted the service.') {
  const inc = await logIncident(t, { description: 'No further details.', ...input });
  return transitionIncident(t, inc.id, { ...RESOLVE, resolutionNotes });
}

/** An incident logged and left open (never in the catalog). */
export async function openIncident(t: TestApp, input: Record<string, unknown>) {
  return logIncident(t, { description: 'No further details.', ...input });
}

export async function reopen(t: TestApp, id: string, reason = 'The fault is back') {
  return ok(await t.gql(`mutation($id: ID!, $reason: String!) { reopenIncident(id: $id, reason: $reason) { id status } }`, { id, reason }));
}

export { createProblem, createWorkaround, knownError, setWorkaroundStatus, createModel };

export async function retireModel(t: TestApp, id: string) {
  return ok(await t.gql(`mutation($id: ID!) { retireIncidentModel(id: $id) { id status } }`, { id }));
}

/** A review of `incidentIds`, either left as a draft or filled in and published. */
export async function review(t: TestApp, title: string, incidentIds: string[], publish: boolean, text: Record<string, string> = {}) {
  const r = await createReview(t, { title, incidentIds });
  if (!publish) return r;
  const owner = await createUser(t);
  const problem = await createProblem(t, { title: `Root cause of ${title}` });
  await fillAllSections(t, r.id, { ownerId: owner.id, problemId: problem.id });
  if (Object.keys(text).length) {
    ok(
      await t.gql(`mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
        id: r.id,
        input: text,
      }),
    );
  }
  await transitionReview(t, r.id, 'IN_REVIEW');
  return transitionReview(t, r.id, 'PUBLISHED');
}

/** A service and a category (with a subcategory) for facet and filter checks. */
export async function directory(t: TestApp) {
  const service = await createService(t);
  const other = await createService(t);
  const parent = await createCategory(t);
  const child = await createCategory(t, { parentId: parent.id });
  return { service, other, parent, child };
}

/** Every row of search_documents as text, to show that a refused call changed nothing. */
export async function searchIndexDigest(t: TestApp): Promise<{ rows: number; md5: string }> {
  const [r] = await t.sql<{ rows: string; md5: string }>(
    `select count(*)::text as rows, md5(coalesce(string_agg(d::text, '|' order by d.entity_id), '')) as md5 from search_documents d`,
  );
  return { rows: Number(r!.rows), md5: r!.md5 };
}

/** The search document of a record (null when it is not in the catalog). */
export async function searchDocument(t: TestApp, id: string) {
  const [row] = await t.sql(
    `select kind, title, body, identifiers, status, boost, retired, hot from search_documents where entity_id = $1`,
    [id],
  );
  return (row ?? null) as {
    kind: string;
    title: string;
    body: string;
    identifiers: string[];
    status: string;
    boost: number;
    retired: boolean;
    hot: boolean;
  } | null;
}

export function expectNoServerError(r: GqlResult, what: string) {
  const dump = JSON.stringify({ status: r.status, errors: r.errors }).slice(0, 600);
  expect(r.status, `${what}: HTTP ${dump}`).toBeLessThan(500);
  for (const e of r.errors ?? []) expect(e.extensions?.code, `${what}: ${dump}`).not.toBe('INTERNAL_SERVER_ERROR');
}
