'use client';
// Looks for open incidents and known errors like the title being typed, at most one request per
// pause in typing; an answer to an older title never replaces the newer one's.
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { PossibleDuplicatesDocument, type PossibleDuplicatesQuery } from '@/gql/graphql';
import { describeError } from '@/lib/errors';

const PAUSE_MS = 400;
/** Fewer letters than this say too little to look for. */
const MIN_CHARS = 4;

export type Duplicates = PossibleDuplicatesQuery['possibleDuplicates'];

export function usePossibleDuplicates(title: string) {
  const client = useApolloClient();
  const [found, setFound] = useState<{ title: string; duplicates: Duplicates } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef('');
  useEffect(() => {
    const typed = title.trim();
    latest.current = typed;
    if (typed.length < MIN_CHARS) {
      setFound(null);
      setError(null);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const r = await client.query({
          query: PossibleDuplicatesDocument,
          variables: { input: { title: typed, first: 5 } },
          fetchPolicy: 'no-cache',
        });
        if (latest.current !== typed) return;
        if (r.error) throw r.error;
        setError(null);
        setFound(r.data ? { title: typed, duplicates: r.data.possibleDuplicates } : null);
      } catch (err) {
        if (latest.current === typed) setError(describeError(err));
      }
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [client, title]);
  return { found, error };
}
