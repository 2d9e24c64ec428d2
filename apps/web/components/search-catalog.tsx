'use client';
// Search as you type over the solution catalog: debounced (200 ms), each new search aborts the
// request it replaces, facets are toggles kept in the URL with the query, "load more" follows the
// cursor. Results always say which query they answer: while the box holds something else they are
// stale (dimmed, inert: no click or Enter reaches them). Keyboard: "/" focuses the box, Enter
// searches what is in it now (an identifier opens its record), Down/Up move between results.
import { useGuardedRouter } from '@/components/use-guarded-router';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { SearchHit } from '@/components/search/search-hit';
import { SearchCatalogDocument, type SearchCatalogQuery } from '@/gql/graphql';
import { fetchGraphQL } from '@/lib/client-gql';
import { recordSearchOpen } from '@/lib/search-open';
import { useSession } from '@/components/session';
import { humanize, priorityLabel } from '@/lib/format';
import {
  FACETS,
  FACET_SOURCE,
  KIND_LABELS,
  SEARCH_PAGE_SIZE,
  hitHref,
  isIdentifierQuery,
  searchInput,
  searchKey,
  searchStateToQuery,
  type FacetKey,
  type SearchState,
} from '@/lib/search';

type Connection = SearchCatalogQuery['search'];
type Status = 'idle' | 'loading' | 'more' | 'error';

export const SEARCH_DEBOUNCE_MS = 200;

function facetLabel(key: FacetKey, value: string, label: string): string {
  if (key === 'kinds') return KIND_LABELS[value] ?? humanize(value);
  if (key === 'priorities') return priorityLabel(Number(value));
  if (key === 'statuses') return humanize(value);
  return label;
}

/**
 * The headline: results, each repeat group once (what the facets count too), and the records behind
 * them when grouping made them differ: "12 results (31 records)".
 */
function countLine(d: { totalCount: number; recordCount: number; totalIsExact: boolean }): string {
  const plus = d.totalIsExact ? '' : '+';
  const results = `${d.totalCount.toLocaleString('en-GB')}${plus} result${d.totalCount === 1 ? '' : 's'}`;
  if (d.recordCount === d.totalCount) return results;
  return `${results} (${d.recordCount.toLocaleString('en-GB')}${plus} records: repeats of one problem are one result)`;
}

function selected(state: SearchState, key: FacetKey): string[] {
  const v = state[key];
  if (v == null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function toggle(state: SearchState, key: FacetKey, value: string): SearchState {
  if (key === 'period') return { ...state, period: state.period === value ? null : (value as SearchState['period']) };
  if (key === 'priorities') {
    const n = Number(value);
    return { ...state, priorities: state.priorities.includes(n) ? state.priorities.filter((p) => p !== n) : [...state.priorities, n] };
  }
  const list = state[key] as string[];
  return { ...state, [key]: list.includes(value) ? list.filter((x) => x !== value) : [...list, value] };
}

export function SearchCatalog({
  initialState,
  initial,
  initialError,
}: {
  initialState: SearchState;
  initial: Connection | null;
  initialError: string | null;
}) {
  const router = useGuardedRouter();
  const session = useSession();
  const inputId = useId();
  const [state, setState] = useState<SearchState>(initialState);
  const [data, setData] = useState<Connection | null>(initial);
  // The query and filters `data` answers: while they differ from the box, the results are stale.
  const [shownKey, setShownKey] = useState<string | null>(initial ? searchKey(initialState) : null);
  const [status, setStatus] = useState<Status>(initialError ? 'error' : 'idle');
  const [error, setError] = useState<string | null>(initialError);
  const controller = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLOListElement>(null);

  const run = useCallback(async (s: SearchState, after?: string): Promise<Connection | null> => {
    controller.current?.abort();
    if (!s.q.trim()) {
      controller.current = null;
      setData(null);
      setShownKey(null);
      setError(null);
      setStatus('idle');
      return null;
    }
    const c = new AbortController();
    controller.current = c;
    setStatus(after ? 'more' : 'loading');
    try {
      const res = await fetchGraphQL(
        SearchCatalogDocument,
        { input: searchInput(s), first: SEARCH_PAGE_SIZE, after: after ?? null },
        { signal: c.signal },
      );
      if (c.signal.aborted) return null;
      setData((prev) => (after && prev ? { ...res.search, nodes: [...prev.nodes, ...res.search.nodes] } : res.search));
      setShownKey(searchKey(s));
      setError(null);
      setStatus('idle');
      return res.search;
    } catch (err) {
      if (c.signal.aborted || (err as Error)?.name === 'AbortError') return null;
      setError(err instanceof Error ? err.message : String(err));
      setStatus('error');
      return null;
    }
  }, []);

  // The URL always says what is shown (shareable, survives reload); replaceState keeps history short.
  const update = useCallback(
    (next: SearchState, delay: number) => {
      setState(next);
      window.history.replaceState(null, '', `/search${searchStateToQuery(next)}`);
      if (timer.current) clearTimeout(timer.current);
      if (delay > 0) timer.current = setTimeout(() => void run(next), delay);
      else void run(next);
    },
    [run],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      controller.current?.abort();
    },
    [],
  );

  const stale = shownKey !== searchKey(state);
  const shownQuery = shownKey ? (JSON.parse(shownKey) as { query: string }).query : '';
  const links = () => (stale ? [] : Array.from(resultsRef.current?.querySelectorAll<HTMLAnchorElement>('a.hit-link') ?? []));

  function onInputKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      const first = links()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Enter') {
      // What is in the box now: never the results of an earlier query still on screen.
      e.preventDefault();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      const s = state;
      const go = (answer: Connection | null) => {
        const hit = answer?.nodes[0];
        if (hit?.exactMatch && isIdentifierQuery(s.q) && inputRef.current?.value.trim() === s.q.trim()) router.push(hitHref(hit));
      };
      if (!stale && status === 'idle') go(data);
      else void run(s).then(go);
    } else if (e.key === 'Escape' && state.q) {
      e.preventDefault();
      update({ ...state, q: '', literal: false }, 0);
    }
  }

  function onResultsKey(e: KeyboardEvent<HTMLOListElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const list = links();
    const at = list.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    e.preventDefault();
    if (e.key === 'Home') list[0]?.focus();
    else if (e.key === 'End') list[list.length - 1]?.focus();
    else if (e.key === 'ArrowDown') list[Math.min(at + 1, list.length - 1)]?.focus();
    else if (at === 0) inputRef.current?.focus();
    else list[at - 1]?.focus();
  }

  const q = state.q.trim();
  const hasFilters = FACETS.some((f) => selected(state, f.key).length > 0);
  const busy = status === 'loading' || status === 'more';

  return (
    <div className="search-layout">
      <div className="search-main">
        <form className="search-box" role="search" aria-label="Solution catalog" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={inputId} className="field-label">
            Search
          </label>
          <input
            ref={inputRef}
            id={inputId}
            type="search"
            name="q"
            value={state.q}
            autoComplete="off"
            spellCheck={false}
            maxLength={500}
            autoFocus={!initialState.q}
            data-shortcut="filter"
            placeholder='e.g. connection pool exhausted, "card payments", ORA-01555, checkout -timeout'
            aria-describedby={`${inputId}-help`}
            aria-controls={q && data?.nodes.length ? 'search-results' : undefined}
            onChange={(e) => update({ ...state, q: e.target.value, literal: false }, SEARCH_DEBOUNCE_MS)}
            onKeyDown={onInputKey}
          />
          <span className="field-hint" id={`${inputId}-help`}>
            Words, &quot;quoted phrases&quot;, OR, -excluded; identifiers match exactly, and <kbd>Enter</kbd> on a record&apos;s number
            (INC-000123) opens it, open or not. <kbd>/</kbd> focuses this box, <kbd>↓</kbd> <kbd>↑</kbd> move between results,{' '}
            <kbd>Enter</kbd> opens one.
          </span>
        </form>

        <p className="search-status" role="status" aria-live="polite" aria-busy={busy || (stale && !!q)}>
          {!q
            ? ''
            : stale || status === 'loading'
              ? `Searching for “${q}”…`
              : data
                ? `${countLine(data)} for “${data.correctedTo ?? q}”${hasFilters ? ' with the chosen facets' : ''}`
                : ''}
        </p>

        {error ? (
          <div className="error" role="alert">
            <h2>The search failed</h2>
            <p>{error}</p>
          </div>
        ) : null}

        {q && data && !stale && data.correctedFrom && data.correctedTo ? (
          <p className="search-correction">
            Showing results for <strong>{data.correctedTo}</strong>.{' '}
            <a
              href={`/search${searchStateToQuery({ ...state, q: data.correctedFrom, literal: true })}`}
              onClick={(e) => {
                e.preventDefault();
                update({ ...state, q: data.correctedFrom ?? state.q, literal: true }, 0);
              }}
            >
              Search instead for <em>{data.correctedFrom}</em>
            </a>
          </p>
        ) : null}

        {!q ? (
          <div className="notice search-tips">
            <h2>What to type</h2>
            <ul>
              <li>
                Symptoms as users put them: <em>checkout slow</em>, <em>cannot log in VPN</em>
              </li>
              <li>
                Error codes and identifiers, matched exactly: <em>ORA-01555</em>, <em>INC-000123</em>, <em>PRB-00012</em>
              </li>
              <li>
                Phrases and exclusions: <em>&quot;connection pool&quot; -staging</em>
              </li>
            </ul>
          </div>
        ) : data && !stale && data.nodes.length === 0 && status !== 'loading' ? (
          <div className="notice search-empty">
            <h2>Nothing matches “{q}”</h2>
            <ul>
              {hasFilters ? <li>Remove a facet to widen the search.</li> : null}
              <li>Check the spelling: words the catalog has never seen are corrected only when a close known word finds records.</li>
              <li>Try fewer or other words, a symptom as users put it, or an error code.</li>
              <li>
                Looking for a record? Type its number: <em>INC-000123</em>, <em>PRB-00012</em>, <em>PIR-0001</em>.
              </li>
            </ul>
          </div>
        ) : null}

        {q && data && data.nodes.length ? (
          <>
            {stale ? (
              <p className="small muted stale-note">Earlier results, for “{shownQuery}”: they update when the new search finishes.</p>
            ) : (
              <details className="small muted understood">
                <summary>How your query was read</summary>
                {data.understanding.summary}
              </details>
            )}
            <ol
              id="search-results"
              className={`hits${stale || status === 'loading' ? ' stale' : ''}`}
              ref={resultsRef}
              onKeyDown={onResultsKey}
              aria-label={stale ? `Earlier results, for “${shownQuery}”` : 'Results'}
              aria-busy={stale}
              inert={stale}
            >
              {data.nodes.map((h, i) => (
                <SearchHit
                  key={`${h.kind}-${h.id}`}
                  hit={h}
                  fromIncident={state.incident}
                  onOpen={data.searchId ? () => recordSearchOpen(data.searchId!, h, i + 1, session?.csrfToken ?? null) : undefined}
                />
              ))}
            </ol>
            {data.pageInfo.hasNextPage && data.pageInfo.endCursor ? (
              <div className="load-more">
                <button
                  type="button"
                  className="btn plain"
                  disabled={busy || stale}
                  aria-busy={status === 'more'}
                  onClick={() => void run(state, data.pageInfo.endCursor ?? undefined)}
                >
                  {status === 'more' ? 'Loading…' : `Load more (${data.nodes.length} of ${data.totalCount.toLocaleString('en-GB')} shown)`}
                </button>
              </div>
            ) : (
              <p className="small muted">All {data.nodes.length} shown.</p>
            )}
          </>
        ) : null}
      </div>

      <aside className="facets" aria-label="Facets">
        <div className="panel-head">
          <h2>Narrow down</h2>
          {hasFilters ? (
            <button
              type="button"
              className="btn link small"
              onClick={() =>
                update({ ...state, kinds: [], serviceIds: [], categoryIds: [], priorities: [], statuses: [], period: null }, 0)
              }
            >
              Clear facets
            </button>
          ) : null}
        </div>
        {!data ? <p className="small muted">Facets appear with the results.</p> : null}
        {data ? (
          <p className="small muted facet-rule">Each count is the results you get by choosing it, counted as the headline counts.</p>
        ) : null}
        {data
          ? FACETS.map((f) => {
              const counts = data.facets[FACET_SOURCE[f.key]];
              const chosen = selected(state, f.key);
              const values = [...counts];
              for (const v of chosen) if (!values.some((c) => c.value === v)) values.push({ value: v, label: v, count: 0 });
              const shown = f.key === 'period' ? values : values.filter((v) => v.count > 0 || chosen.includes(v.value));
              if (!shown.length) return null;
              return (
                <fieldset key={f.key} className="facet-group">
                  <legend>{f.title}</legend>
                  <ul>
                    {shown.map((v) => {
                      const on = chosen.includes(v.value);
                      return (
                        <li key={v.value}>
                          <button
                            type="button"
                            className="facet"
                            aria-pressed={on}
                            disabled={!on && v.count === 0}
                            onClick={() => update(toggle(state, f.key, v.value), 0)}
                          >
                            <span>{facetLabel(f.key, v.value, v.label)}</span>
                            <span className="count">{v.count.toLocaleString('en-GB')}</span>
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              );
            })
          : null}
      </aside>
    </div>
  );
}
