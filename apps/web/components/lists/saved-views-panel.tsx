// The saved views of a list, beside it: the user's own (rename, share, delete) and those their
// team shares (open only), and a form that saves the list's current filters and order. A view is
// a link: its filters are the list's URL parameters, so opening one is an ordinary page load.
import { savedViewQuery, type SavedViewFilters, type SavedViewList } from '@ikb/domain';
import Link from 'next/link';
import { SavedViewsDocument } from '@/gql/graphql';
import { many, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';
import { SaveViewForm } from './save-view-form';
import { SavedViewActions } from './saved-view-actions';

/** The list's current parameters as a view's filters (empty values dropped, paging never included). */
export function currentFilters(keep: Record<string, string | undefined>, keys: readonly string[]): SavedViewFilters {
  const out: SavedViewFilters = {};
  for (const k of keys) if (keep[k]) out[k] = keep[k]!;
  return out;
}

/** The same, straight from the page's search parameters (repeats and commas joined with commas). */
export function filtersFromParams(sp: SearchParams, keys: readonly string[]): SavedViewFilters {
  return currentFilters(Object.fromEntries(keys.map((k) => [k, many(sp, k).join(',') || undefined])), keys);
}

export async function SavedViewsPanel({ list, filters }: { list: SavedViewList; filters: SavedViewFilters }) {
  const res = await gql(SavedViewsDocument, { list });
  const views = res.data?.savedViews ?? [];
  const current = savedViewQuery(filters);
  return (
    <section className="saved-views" aria-labelledby={`saved-views-${list}`}>
      <h2 id={`saved-views-${list}`} className="saved-views-title">
        Saved views
      </h2>
      {res.error !== undefined ? <p className="form-error">Saved views could not be loaded: {res.error}</p> : null}
      {views.length ? (
        <ul className="saved-view-list">
          {views.map((v) => {
            const open = savedViewQuery(v.filters as SavedViewFilters) === current;
            return (
              <li key={v.id} className="saved-view">
                <Link href={v.href} aria-current={open ? 'page' : undefined} className="chip">
                  {v.name}
                </Link>
                {v.shared ? (
                  <span className="muted small">{v.mine ? ' shared with your team' : ` by ${v.owner?.name ?? 'a colleague'}`}</span>
                ) : null}
                {v.mine ? <SavedViewActions id={v.id} name={v.name} shared={v.shared} filters={filters} /> : null}
              </li>
            );
          })}
        </ul>
      ) : res.error === undefined ? (
        <p className="muted small">No saved views yet: set the filters and order you want, then save them here.</p>
      ) : null}
      <SaveViewForm list={list} filters={filters} />
    </section>
  );
}
