import type { Metadata } from 'next';
import { SearchCatalog } from '@/components/search-catalog';
import { SearchCatalogDocument, type SearchCatalogQuery } from '@/gql/graphql';
import type { SearchParams } from '@/lib/params';
import { SEARCH_PAGE_SIZE, parseSearchState, searchInput } from '@/lib/search';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Search the solution catalog' };

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const state = parseSearchState(await searchParams);
  // First render on the server (a shared link shows its results at once); typing then searches from the browser.
  let initial: SearchCatalogQuery['search'] | null = null;
  let error: string | null = null;
  if (state.q.trim()) {
    const res = await gql(SearchCatalogDocument, { input: searchInput(state), first: SEARCH_PAGE_SIZE });
    if (res.error !== undefined) error = res.error;
    else initial = res.data.search;
  }
  return (
    <>
      <h1>Solution catalog</h1>
      <p className="lead">
        Past resolutions, known errors, problems, workarounds, incident models and published reviews. Type to search; narrow with the
        facets.
      </p>
      <SearchCatalog initialState={state} initial={initial} initialError={error} />
    </>
  );
}
