'use client';
// Like lib/use-action.ts (a mutation through the same-origin proxy, the page refreshed after it),
// but it also keeps the API's list of `issues` (extensions.issues of a BAD_USER_INPUT on rules),
// so each problem with the rules is shown on its own line.
import { useApolloClient } from '@apollo/client/react';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useRouter } from 'next/navigation';
import { useCallback, useState, useTransition } from 'react';
import { describeError } from '@/lib/errors';

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
  const [error, setErrorState] = useState<{ message: string; issues: string[] } | null>(null);

  const setError = useCallback((message: string | null) => setErrorState(message ? { message, issues: [] } : null), []);

  const run = useCallback(
    async (variables: TVars): Promise<TData | null> => {
      setRunning(true);
      setErrorState(null);
      try {
        const result = await client.mutate<TData, TVars>({ mutation, variables } as never);
        if (result.error) throw result.error;
        startTransition(() => router.refresh());
        return (result.data ?? null) as TData | null;
      } catch (err) {
        const issues = issuesOf(err);
        setErrorState({ message: issues.length ? 'The API refused the rules:' : describeError(err), issues });
        return null;
      } finally {
        setRunning(false);
      }
    },
    [client, mutation, router],
  );

  return { run, busy: running || refreshing, error, setError };
}
