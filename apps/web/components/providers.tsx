'use client';
// Apollo Client for client components. The browser talks to the same origin (/graphql, proxied
// to the API by app/graphql/route.ts): the session cookie goes along by itself, and every request
// carries the session's CSRF token (read from `me` on the server, passed down by SessionProvider),
// which the API requires on mutations made with a session cookie.
import { HttpLink } from '@apollo/client';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import { useCallback, useRef, type ReactNode } from 'react';
import { useSession } from './session';

export const CSRF_HEADER = 'x-csrf-token';

export function Providers({ children }: { children: ReactNode }) {
  const session = useSession();
  const token = useRef<string | null>(session?.csrfToken ?? null);
  token.current = session?.csrfToken ?? null;
  const makeClient = useCallback(
    () =>
      new ApolloClient({
        cache: new InMemoryCache(),
        link: new HttpLink({
          uri: '/graphql',
          credentials: 'same-origin',
          fetch: (input, init) => {
            const headers = new Headers(init?.headers);
            if (token.current) headers.set(CSRF_HEADER, token.current);
            return fetch(input, { ...init, headers });
          },
        }),
        defaultOptions: {
          query: { fetchPolicy: 'no-cache' },
          mutate: { fetchPolicy: 'no-cache' },
        },
      }),
    [],
  );
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
