'use client';
// Like lib/use-action.ts (a mutation through the same-origin proxy, the page refreshed after it),
// but the API's list of `issues` (extensions.issues of a BAD_USER_INPUT on rules) becomes one
// message per problem at the rules field, where FieldErrors shows them.
import { useApolloClient } from '@apollo/client/react';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useRouter } from 'next/navigation';
import { useCallback, useState, useTransition } from 'react';
import { fieldErrors, type FieldError } from '@/lib/errors';

function issuesOf(err: unknown): string[] {
  const list = (err as { errors?: { extensions?: { issues?: unknown } }[] } | null)?.errors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) =>
    Array.isArray(e.extensions?.issues) ? e.extensions.issues.filter((i): i is string => typeof i === 'string') : [],
  );
}

export function useSourceAction<TData, TVars extends OperationVariables>(mutation: TypedDocumentNode<TData, TVars>) {
  const client = useApolloClient();
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const [running, setRunning] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);

  /** A problem found before sending (the rules are not JSON), shown at the rules field like the API's. */
  const setError = useCallback((message: string | null) => setErrors(message ? [{ field: 'rules', message }] : []), []);

  const run = useCallback(
    async (variables: TVars): Promise<TData | null> => {
      setRunning(true);
      setErrors([]);
      try {
        const result = await client.mutate<TData, TVars>({ mutation, variables } as never);
        if (result.error) throw result.error;
        startTransition(() => router.refresh());
        return (result.data ?? null) as TData | null;
      } catch (err) {
        const issues = issuesOf(err);
        const end = (i: string) => (/[.!?]$/.test(i) ? i : `${i}.`);
        setErrors(issues.length ? issues.map((i) => ({ field: 'rules', message: end(i) })) : fieldErrors(err));
        return null;
      } finally {
        setRunning(false);
      }
    },
    [client, mutation, router],
  );

  return { run, busy: running || refreshing, errors, setError };
}
