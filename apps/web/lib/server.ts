// Server-side GraphQL for React Server Components: one Apollo Client per request, the browser's
// cookies (the session) and address (lib/upstream.ts) forwarded to the API, no caching (pages
// always show the API as it is now).
// A query refused as UNAUTHENTICATED (no session, or it ended) sends the browser to /sign-in.
import { HttpLink } from '@apollo/client';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { MeDocument, type MeQuery } from '@/gql/graphql';
import { apiUrl } from './api-url';
import { describeError, errorCodes, httpAnswer, statusForFailure } from './errors';
import { can, type Operation, type Role } from './permissions';
import { safePathOr } from './safe-path';
import { clientAddressHeaders } from './upstream';

const { getClient } = registerApolloClient(
  () =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: apiUrl(), fetchOptions: { cache: 'no-store' } }),
    }),
);

/**
 * A query's data, or why there is none: a readable message, the API's error codes, and the HTTP
 * status and Retry-After of the API's answer when it was not a 200 (no status: unreachable).
 */
export type Result<T> =
  { data: T; error?: undefined } | { data?: undefined; error: string; codes?: string[]; status?: number; retryAfter?: string };

/** Request header set by proxy.ts: the path and query the browser asked for. */
export const PATH_HEADER = 'x-ikb-path';

/** Where /sign-in should send the browser back to. */
export async function currentPath(): Promise<string> {
  return safePathOr((await headers()).get(PATH_HEADER));
}

export async function redirectToSignIn(): Promise<never> {
  const next = await currentPath();
  redirect(next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
}

export async function forwardedHeaders(): Promise<Record<string, string>> {
  const cookie = (await cookies()).toString();
  const h = await headers();
  const out: Record<string, string> = clientAddressHeaders(h);
  if (cookie) out.cookie = cookie;
  const ua = h.get('user-agent');
  if (ua) out['user-agent'] = ua;
  return out;
}

export async function gql<TData, TVars extends OperationVariables>(
  query: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
): Promise<Result<TData>> {
  const context = { headers: await forwardedHeaders() };
  let unauthenticated = false;
  let out: Result<TData>;
  try {
    const result = await getClient().query<TData, TVars>({
      query,
      variables: variables as TVars,
      fetchPolicy: 'no-cache',
      errorPolicy: 'all',
      context,
    } as never);
    if (result.error) {
      unauthenticated = errorCodes(result.error).includes('UNAUTHENTICATED');
      out = failure(result.error);
    } else if (result.data == null) out = { error: 'The API answered without data.' };
    else out = { data: result.data as TData };
  } catch (err) {
    unauthenticated = errorCodes(err).includes('UNAUTHENTICATED');
    out = failure(err);
  }
  // Outside the try: redirect() works by throwing.
  if (unauthenticated) await redirectToSignIn();
  return out;
}

/**
 * gql bound to this request's client and headers, for work that outlives the request's scope (a
 * streamed CSV export fetches its later pages after the route handler has returned). It never
 * redirects: a session that ends midway is an error like any other.
 */
export type Gql = typeof gql;

export async function boundGql(): Promise<Gql> {
  const context = { headers: await forwardedHeaders() };
  const client = getClient();
  return async (query, variables) => {
    try {
      const result = await client.query({ query, variables, fetchPolicy: 'no-cache', errorPolicy: 'all', context } as never);
      if (result.error) return failure(result.error);
      return result.data == null ? { error: 'The API answered without data.' } : { data: result.data as never };
    } catch (err) {
      return failure(err);
    }
  };
}

/**
 * A detail page asked for an id that is malformed or does not exist: the not-found page with HTTP
 * 404, not an error box. The status is right only because no loading.tsx wraps the record pages:
 * a Suspense boundary above them would flush a 200 before notFound() runs.
 */
export function notFoundIfMissing(res: Result<unknown>): void {
  if (res.error !== undefined && statusForFailure(res) === 404) notFound();
}

export type Me = MeQuery['me'];

/** Who the browser is signed in as (one API call per request however often it is asked). */
export const getMe = cache(async (): Promise<Result<Me>> => {
  const context = { headers: await forwardedHeaders() };
  try {
    const result = await getClient().query({ query: MeDocument, fetchPolicy: 'no-cache', errorPolicy: 'all', context } as never);
    if (result.error) return { error: withHint(describeError(result.error)) };
    const data = result.data as MeQuery | undefined;
    if (!data) return { error: 'The API answered without data.' };
    return { data: data.me };
  } catch (err) {
    return { error: withHint(describeError(err)) };
  }
});

/** The signed-in user; redirects to /sign-in when there is none. */
export async function requireMe(): Promise<Result<Me>> {
  const me = await getMe();
  if (me.data && !me.data.user) await redirectToSignIn();
  return me;
}

/** Whether the signed-in user's role may run the mutation (the API decides; this only hides controls). */
export async function may(operation: Operation): Promise<boolean> {
  const me = await getMe();
  return can((me.data?.role ?? null) as Role | null, operation);
}

function failure(err: unknown): { error: string; codes: string[]; status?: number; retryAfter?: string } {
  const { status, retryAfter } = httpAnswer(err);
  return { error: withHint(describeError(err)), codes: errorCodes(err), status, retryAfter };
}

function withHint(message: string): string {
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|socket/i.test(message)) {
    return `Cannot reach the API at ${apiUrl()} (${message}). Is it running? Set API_URL to change where it is.`;
  }
  return message;
}

/** Navigation items the signed-in user's role may use. */
export async function visibleNav<T extends { op?: Operation }>(items: T[]): Promise<T[]> {
  const me = await getMe();
  const role = (me.data?.role ?? null) as Role | null;
  return items.filter((i) => !i.op || can(role, i.op));
}
