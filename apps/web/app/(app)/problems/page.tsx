import { PROBLEM_STATUSES, SAVED_VIEW_KEYS } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SavedViewsPanel, filtersFromParams } from '@/components/lists/saved-views-panel';
import { ExportLink } from '@/components/export-link';
import { BulkProblemBar } from '@/components/lists/bulk-problem-bar';
import { ProblemTable } from '@/components/problem-table';
import { Empty, ErrorBox, Pager } from '@/components/ui';
import { LookupsDocument, ProblemListDocument, type ProblemStatus } from '@/gql/graphql';
import { problemFilter } from '@/lib/list-params';
import { humanize } from '@/lib/format';
import { many, one, type SearchParams } from '@/lib/params';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Problems' };
const BULK_FORM = 'problem-bulk';

export default async function ProblemsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const status = many(sp, 'status').filter((s): s is ProblemStatus => (PROBLEM_STATUSES as readonly string[]).includes(s));
  const text = one(sp, 'q');
  const serviceId = one(sp, 'service');
  const categoryId = one(sp, 'category');
  const known = one(sp, 'known') === 'yes';
  const after = one(sp, 'after');
  const filter = problemFilter(sp);
  const [list, lookups, bulk] = await Promise.all([
    gql(ProblemListDocument, { first: 25, after, filter }),
    gql(LookupsDocument),
    may('bulkUpdateProblems'),
  ]);
  const keep = {
    status: status.join(',') || undefined,
    q: text,
    service: serviceId,
    category: categoryId,
    known: known ? 'yes' : undefined,
  };
  const filtered = Object.values(keep).some(Boolean);
  return (
    <>
      <h1>Problems</h1>
      <SavedViewsPanel list="PROBLEMS" filters={filtersFromParams(sp, SAVED_VIEW_KEYS.PROBLEMS)} />
      <div className="list-tools">
        <ExportLink list="problems" searchParams={sp} />
      </div>
      <p className="lead">The causes behind incidents. Many incidents link to one problem: that link is what recurrence is measured on.</p>
      <form className="filters" method="get" action="/problems" role="search" aria-label="Filter problems">
        <div className="form">
          <label className="field">
            <span className="field-label">Text</span>
            <input type="search" name="q" defaultValue={text} placeholder="Number, title, description, root cause" data-shortcut="filter" />
          </label>
          <label className="field">
            <span className="field-label">Service</span>
            <select name="service" defaultValue={serviceId ?? ''}>
              <option value="">Any service</option>
              {lookups.data?.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Category</span>
            <select name="category" defaultValue={categoryId ?? ''}>
              <option value="">Any category</option>
              {lookups.data?.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="wide">
            <legend>Status</legend>
            <div className="checks">
              {PROBLEM_STATUSES.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="status" value={s} defaultChecked={status.includes(s)} /> {humanize(s)}
                </label>
              ))}
              <label>
                <input type="checkbox" name="known" value="yes" defaultChecked={known} /> Known errors only
              </label>
            </div>
          </fieldset>
          <div className="actions">
            <button type="submit" className="btn primary">
              Apply filters
            </button>
            {filtered ? (
              <Link className="btn plain" href="/problems">
                Clear
              </Link>
            ) : null}
          </div>
        </div>
      </form>
      {list.error !== undefined ? (
        <ErrorBox title="Problems could not be loaded" message={list.error} />
      ) : list.data.problems.nodes.length === 0 ? (
        <Empty>{filtered ? 'No problem matches these filters.' : 'No problems recorded yet.'}</Empty>
      ) : (
        <>
          {bulk ? (
            <BulkProblemBar
              form={BULK_FORM}
              users={(lookups.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))}
              teams={lookups.data?.teams ?? []}
            />
          ) : null}
          <ProblemTable
            selectForm={bulk ? BULK_FORM : undefined}
            problems={list.data.problems.nodes}
            caption={`${list.data.problems.totalCount} problems, newest first`}
          />
          <Pager
            basePath="/problems"
            params={keep}
            endCursor={list.data.problems.pageInfo.endCursor}
            hasNextPage={list.data.problems.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={list.data.problems.nodes.length}
            total={list.data.problems.totalCount}
          />
        </>
      )}
    </>
  );
}
