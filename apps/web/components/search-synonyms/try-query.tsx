'use client';
// What the search would read a query as, with the list on this page: the same matching the API
// uses (@ikb/domain matchSynonyms), so an admin sees the effect of a group before an engineer does.
import { describeSynonymMatch, matchSynonyms, synonymWords, type SynonymGroup } from '@ikb/domain';
import { useId, useMemo, useState } from 'react';

export function TryQuery({ groups }: { groups: SynonymGroup[] }) {
  const [query, setQuery] = useState('');
  const id = useId();
  const matches = useMemo(() => matchSynonyms(synonymWords(query.slice(0, 500)), groups), [query, groups]);
  return (
    <div className="form">
      <div className="field wide">
        <label className="field-label" htmlFor={id}>
          Query
        </label>
        <input
          id={id}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="k8s pod OOMKilled after db failover"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-out`}
        />
      </div>
      <div id={`${id}-out`} aria-live="polite" className="small">
        {!query.trim() ? (
          <p className="muted">Type a search to see which words the list widens.</p>
        ) : matches.length ? (
          <ul data-testid="synonym-matches">
            {matches.map((m) => (
              <li key={m.start}>{describeSynonymMatch(m)}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No word of this query is in the list: it is searched as typed.</p>
        )}
      </div>
    </div>
  );
}
