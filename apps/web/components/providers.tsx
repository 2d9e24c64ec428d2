'use client';
// Apollo Client for client components. The browser talks to the same origin (/graphql, proxied
// to the API by app/graphql/route.ts) and names the acting user in X-Actor-Email.
import { HttpLink } from '@apollo/client';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import type { ReactNode } from 'react';
import { ACTOR_COOKIE, ACTOR_HEADER } from '@/lib/actor';

export function readActorCookie(): string | null {
  if (typeof document === 'undefined') return null;
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${ACTOR_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(ACTOR_COOKIE.length + 1)) : null;
}

function makeClient() {
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: new HttpLink({
      uri: '/graphql',
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        const actor = readActorCookie();
        if (actor) headers.set(ACTOR_HEADER, actor);
        return fetch(input, { ...init, headers });
      },
    }),
    defaultOptions: {
      query: { fetchPolicy: 'no-cache' },
      mutate: { fetchPolicy: 'no-cache' },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
