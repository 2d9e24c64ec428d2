// Server-side GraphQL for React Server Components: one Apollo Client per request, the acting
// user's email from the cookie, no caching (pages always show the API as it is now).
import { HttpLink } from '@apollo/client';
import type { OperationVariables, TypedDocumentNode } from "@apollo/client";
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { cookies } from 'next/headers';
import { ACTOR_COOKIE, ACTOR_HEADER } from './actor';
import { apiUrl } from './api-url';
import { describeError } from './errors';

const { getClient } = registerApolloClient(
  () =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: apiUrl(), fetchOptions: { cache: 'no-store' } }),
    }),
);

export type Result<T> = { data: T; error?: undefined } | { data?: undefined; error: string };

export async function currentActorEmail(): Promise<string | null> {
  const value = (await cookies()).get(ACTOR_COOKIE)?.value;
  return value ? decodeURIComponent(value) : null;
}

export async function gql<TData, TVars extends OperationVariables>(
  query: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
): Promise<Result<TData>> {
  const jar = await cookies();
  const actor = await currentActorEmail();
  const cookie = jar.toString();
  try {
    const result = await getClient().query<TData, TVars>({
      query,
      variables: variables as TVars,
      fetchPolicy: 'no-cache',
      errorPolicy: 'all',
      context: { headers: { ...(actor ? { [ACTOR_HEADER]: actor } : {}), ...(cookie ? { cookie } : {}) } },
    } as never);
    if (result.error) return { error: withHint(describeError(result.error)) };
    if (result.data == null) return { error: 'The API answered without data.' };
    return { data: result.data as TData };
  } catch (err) {
    return { error: withHint(describeError(err)) };
  }
}

function withHint(message: string): string {
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|socket/i.test(message)) {
    return `Cannot reach the API at ${apiUrl()} (${message}). Is it running? Set API_URL to change where it is.`;
  }
  return message;
}
