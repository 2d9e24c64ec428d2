import { SAVED_VIEW_KEYS } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SavedViewsPanel, filtersFromParams } from '@/components/lists/saved-views-panel';
import { ExportLink } from '@/components/export-link';
import { IfAllowed } from '@/components/if-allowed';
import { Empty, ErrorBox, PageHeader, Pager } from '@/components/ui';
import { WorkaroundRow } from '@/components/workaround-row';
import { WorkaroundListDocument, type WorkaroundStatus } from '@/gql/graphql';
import { workaroundFilter } from '@/lib/list-params';
import { WORKAROUND_STATUSES, humanize } from '@/lib/format';
import { many, one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Workarounds' };

export default async function WorkaroundsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const status = many(sp, 'status').filter((s): s is WorkaroundStatus => (WORKAROUND_STATUSES as readonly string[]).includes(s));
  const text = one(sp, 'q');
  const after = one(sp, 'after');
  const filter = workaroundFilter(sp);
  const res = await gql(WorkaroundListDocument, { first: 25, after, filter });
  const keep = { status: status.join(',') || undefined, q: text };
  return (
    <>
      <PageHeader
        title="Workarounds"
        lead="Steps that restore service without removing the cause, with how well they worked. Active first, then drafts, retired last."
        actions={
          <IfAllowed op="createWorkaround">
            <Link className="btn primary" href="/workarounds/new">
              New workaround
            </Link>
          </IfAllowed>
        }
      />
      <SavedViewsPanel list="WORKAROUNDS" filters={filtersFromParams(sp, SAVED_VIEW_KEYS.WORKAROUNDS)} />
      <div className="list-tools">
        <ExportLink list="workarounds" searchParams={sp} />
      </div>
      <form className="filters" method="get" action="/workarounds" role="search" aria-label="Filter workarounds">
        <div className="form">
          <label className="field">
            <span className="field-label">Text</span>
            <input type="search" name="q" defaultValue={text} placeholder="Title or steps" data-shortcut="filter" />
          </label>
          <fieldset>
            <legend>Status</legend>
            <div className="checks">
              {WORKAROUND_STATUSES.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="status" value={s} defaultChecked={status.includes(s)} /> {humanize(s)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="actions">
            <button className="btn primary" type="submit">
              Apply filters
            </button>
            {text || status.length ? (
              <Link className="btn plain" href="/workarounds">
                Clear
              </Link>
            ) : null}
          </div>
        </div>
      </form>
      {res.error !== undefined ? (
        <ErrorBox title="Workarounds could not be loaded" message={res.error} />
      ) : res.data.workarounds.nodes.length === 0 ? (
        <Empty>No workaround matches.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption>{res.data.workarounds.totalCount} workarounds</caption>
              <thead>
                <tr>
                  <th scope="col">Workaround</th>
                  <th scope="col">Status</th>
                  <th scope="col">Problems</th>
                  <th scope="col" className="num">
                    Applied
                  </th>
                  <th scope="col" className="num">
                    Incidents
                  </th>
                  <th scope="col" className="num" title="Resolved without reopening, of the incidents it was applied to">
                    Held
                  </th>
                  <th scope="col" className="num" title="Median from first application to resolution">
                    Median to resolve
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {res.data.workarounds.nodes.map((w) => (
                  <WorkaroundRow key={w.id} workaround={w} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            basePath="/workarounds"
            params={keep}
            endCursor={res.data.workarounds.pageInfo.endCursor}
            hasNextPage={res.data.workarounds.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={res.data.workarounds.nodes.length}
            total={res.data.workarounds.totalCount}
          />
        </>
      )}
    </>
  );
}
