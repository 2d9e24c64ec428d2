'use client';
// Finding a problem by number or text (ProblemPicker), for the forms that link or choose one.
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { ProblemPickerDocument } from '@/gql/graphql';
import { describeError } from '@/lib/errors';

export interface FoundProblem {
  id: string;
  number: string;
  title: string;
  status: string;
}

export function useProblemSearch() {
  const client = useApolloClient();
  const [results, setResults] = useState<FoundProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  async function search(text: string) {
    setSearching(true);
    setError(null);
    try {
      const r = await client.query({ query: ProblemPickerDocument, variables: { text: text || undefined } });
      if (r.error) throw r.error;
      setResults(r.data?.problems.nodes ?? []);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setSearching(false);
    }
  }
  return { results, error, searching, search };
}
