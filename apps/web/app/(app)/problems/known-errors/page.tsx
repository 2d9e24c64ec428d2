import type { Metadata } from 'next';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { BulkProblemBar } from '@/components/lists/bulk-problem-bar';
import { SelectAllBox } from '@/components/lists/select-all-box';
import { problemHref } from '@/components/problem-table';
import { Empty, ErrorBox, Pager, StatusBadge } from '@/components/ui';
import { KnownErrorListDocument, LookupsDocument } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { one, type SearchParams } from '@/lib/params';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Known errors' };
const BULK_FORM = 'known-error-bulk';

export default async function KnownErrorsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const after = one(await searchParams, 'after');
  const [res, bulk] = await Promise.all([gql(KnownErrorListDocument, { first: 25, after }), may('bulkUpdateProblems')]);
  const lookups = bulk ? await gql(LookupsDocument) : null;
  return (
    <>
      <h1>Known errors</h1>
      <div className="list-tools">
        <ExportLink list="known-errors" />
      </div>
      <p className="lead">
        Problems with a documented root cause, not yet fixed, with an active workaround: what to reach for when the symptom shows up again.
      </p>
      {res.error !== undefined ? (
        <ErrorBox title="Known errors could not be loaded" message={res.error} />
      ) : res.data.knownErrors.nodes.length === 0 ? (
        <Empty>No known errors: no unfixed problem has both a documented root cause and an active workaround.</Empty>
      ) : (
        <>
          {bulk ? (
            <>
              <BulkProblemBar
                form={BULK_FORM}
                users={(lookups?.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))}
                teams={lookups?.data?.teams ?? []}
              />
              <label className="check small">
                <SelectAllBox form={BULK_FORM} label="Select every known error on this page" /> Select all on this page
              </label>
            </>
          ) : null}
          <ul className="card-list">
            {res.data.knownErrors.nodes.map((p) => (
              <li key={p.id}>
                <div className="panel-head">
                  {bulk ? <input type="checkbox" name="problem" value={p.id} form={BULK_FORM} aria-label={`Select ${p.number}`} /> : null}
                  <h2 style={{ fontSize: '1.05rem' }}>
                    <Link href={problemHref(p.number)}>
                      <span className="mono">{p.number}</span> {p.title}
                    </Link>
                  </h2>
                  <span className="small muted">
                    <StatusBadge status={p.status} /> {humanize(p.rootCauseCategory)} · {p.incidentCount} incidents · known error since{' '}
                    {formatDate(p.knownErrorAt)}
                    {p.service ? ` · ${p.service.name}` : ''}
                    {p.owner || p.team ? ` · ${[p.owner?.name, p.team?.name].filter(Boolean).join(', ')}` : ''}
                  </span>
                </div>
                <p className="small">
                  <strong>Root cause:</strong> {p.rootCause}
                </p>
                {p.keywords.length ? (
                  <p className="small">
                    Symptoms:{' '}
                    {p.keywords.map((k) => (
                      <span key={k} className="tag">
                        {k}
                      </span>
                    ))}
                  </p>
                ) : null}
                <p className="small">
                  Workarounds:{' '}
                  {p.workarounds.map((w, n) => (
                    <span key={w.id}>
                      {n ? ', ' : ''}
                      <Link href={`/workarounds/${w.id}`}>{w.title}</Link> ({humanize(w.status)}, applied {w.effectiveness.timesApplied}×,
                      held {heldText(w.effectiveness.resolvedWithoutReopenShare, w.effectiveness.inFlight)})
                    </span>
                  ))}
                </p>
              </li>
            ))}
          </ul>
          <Pager
            basePath="/problems/known-errors"
            params={{}}
            endCursor={res.data.knownErrors.pageInfo.endCursor}
            hasNextPage={res.data.knownErrors.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={res.data.knownErrors.nodes.length}
            total={res.data.knownErrors.totalCount}
          />
        </>
      )}
    </>
  );
}
