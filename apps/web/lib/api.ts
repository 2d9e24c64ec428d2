export const DEFAULT_API_URL = 'http://localhost:4000/graphql';

export interface IncidentRow {
  id: string;
  number: string;
  title: string;
  status: string;
  priority: number;
  openedAt: string;
  service: { name: string } | null;
}

export interface RecentIncidents {
  totalCount: number;
  incidents: IncidentRow[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: string };

const RECENT_INCIDENTS_QUERY = /* GraphQL */ `
  {
    incidents(first: 10) {
      totalCount
      edges {
        node {
          id
          number
          title
          status
          priority
          openedAt
          service {
            name
          }
        }
      }
    }
  }
`;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string }[];
}

interface IncidentsData {
  incidents: null | { totalCount: number; edges: { node: IncidentRow }[] };
}

export function apiUrl(): string {
  return process.env.API_URL || DEFAULT_API_URL;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    // fetch() wraps network failures: the useful part (ECONNREFUSED, ENOTFOUND...) is in `cause`.
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return `${err.message}: ${cause.message}`;
    if (err.name === 'TimeoutError') return 'the API did not answer within 10 s';
    return err.message;
  }
  return String(err);
}

async function graphql<T>(query: string, variables?: Record<string, unknown>): Promise<ApiResult<T>> {
  const url = apiUrl();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    return { ok: false, error: `Cannot reach the API at ${url} (${describe(err)}).` };
  }

  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    return { ok: false, error: `The API at ${url} answered HTTP ${response.status} without a GraphQL response.` };
  }
  if (body.errors?.length) {
    return { ok: false, error: body.errors.map((e) => e.message).join('; ') };
  }
  if (!response.ok || body.data == null) {
    return { ok: false, error: `The API at ${url} answered HTTP ${response.status} without data.` };
  }
  return { ok: true, data: body.data };
}

export async function fetchRecentIncidents(): Promise<ApiResult<RecentIncidents>> {
  const result = await graphql<IncidentsData>(RECENT_INCIDENTS_QUERY);
  if (!result.ok) return result;
  const connection = result.data.incidents;
  if (!connection || !Array.isArray(connection.edges)) {
    return { ok: false, error: 'The API answered without an incidents connection.' };
  }
  const { totalCount, edges } = connection;
  return { ok: true, data: { totalCount, incidents: edges.map((e) => e.node) } };
}
