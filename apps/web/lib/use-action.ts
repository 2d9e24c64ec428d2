'use client';
import { useApolloClient } from '@apollo/client/react';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useRouter } from 'next/navigation';
import { useCallback, useState, useTransition } from 'react';
import { describeError, fieldErrors, type FieldError } from './errors';

/**
 * Runs a mutation through the same-origin proxy, keeps its error message for display, and
 * refreshes the server-rendered page on success so every panel shows the API's new state.
 */
export function useAction<TData, TVars extends OperationVariables>(mutation: TypedDocumentNode<TData, TVars>) {
  const client = useApolloClient();
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The same failure, message by message with the field each concerns, for forms that show them by their fields.
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState(0);

  const run = useCallback(
    async (variables: TVars, options: { refresh?: boolean } = {}): Promise<TData | null> => {
      setRunning(true);
      setError(null);
      setErrors([]);
      try {
        const result = await client.mutate<TData, TVars>({ mutation, variables } as never);
        if (result.error) throw result.error;
        setDone((n) => n + 1);
        if (options.refresh !== false) startTransition(() => router.refresh());
        return (result.data ?? null) as TData | null;
      } catch (err) {
        setError(describeError(err));
        setErrors(fieldErrors(err));
        return null;
      } finally {
        setRunning(false);
      }
    },
    [client, mutation, router],
  );

  return { run, busy: running || refreshing, error, errors, setError, done };
}
