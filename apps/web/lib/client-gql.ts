// A small GraphQL client for the browser without Apollo: one fetch to the same-origin /graphql
// proxy, abortable (search as you type cancels the request it no longer needs). Queries only; the
// CSRF token goes along anyway so it can be used for mutations too.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { describeError } from './errors';

const printed = new WeakMap<object, string>();

function source(doc: DocumentNode): string {
  let s = printed.get(doc);
  if (!s) {
    s = print(doc);
    printed.set(doc, s);
  }
  return s;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

export async function fetchGraphQL<TData, TVars>(
  doc: TypedDocumentNode<TData, TVars>,
  variables: TVars,
  opts: { signal?: AbortSignal; csrfToken?: string | null } = {},
): Promise<TData> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.csrfToken ? { 'x-csrf-token': opts.csrfToken } : {}) },
    body: JSON.stringify({ query: source(doc as unknown as DocumentNode), variables }),
    signal: opts.signal,
  });
  let body: { data?: TData | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new GraphQLRequestError(`The server answered ${res.status} without JSON.`, []);
  }
  if (body.errors?.length) {
    throw new GraphQLRequestError(describeError(body), body.errors.map((e) => e.extensions?.code ?? '').filter(Boolean));
  }
  if (body.data == null) throw new GraphQLRequestError('The API answered without data.', []);
  return body.data;
}
