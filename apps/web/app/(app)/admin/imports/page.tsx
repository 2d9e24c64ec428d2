import type { Metadata } from 'next';
import { AdminsOnly } from '@/components/imports/admins-only';
import { isOutcome, OUTCOME_LABELS } from '@/components/imports/format';
import { HowToImport } from '@/components/imports/how-to-import';
import { OutcomeFilter } from '@/components/imports/outcome-filter';
import { RunRow } from '@/components/imports/run-row';
import { Empty, ErrorBox, PageHeader, Pager } from '@/components/ui';
import { AdminImportRunsDocument, type ImportOutcome } from '@/gql/graphql';
import { IMPORT_HISTORY_OP } from '@/lib/nav';
import { many, one, type SearchParams } from '@/lib/params';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Imports' };

const PAGE_SIZE = 50;

export default async function ImportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  // ?outcome=REFUSED (or several: ?outcome=REFUSED,FAILED); anything else is ignored.
  const outcomes = [...new Set(many(sp, 'outcome').map((o) => o.toUpperCase()))].filter(isOutcome) as ImportOutcome[];
  const after = one(sp, 'after');
  if (!(await may(IMPORT_HISTORY_OP))) return <AdminsOnly title="Imports" />;
  const res = await gql(AdminImportRunsDocument, { first: PAGE_SIZE, after, outcome: outcomes.length ? outcomes : undefined });
  if (res.error !== undefined) return <ErrorBox title="The import history could not be loaded" message={res.error} />;
  const { importRuns: page, all, imported, refused, dryRuns, failed } = res.data;
  const counts = {
    ALL: all.totalCount,
    IMPORTED: imported.totalCount,
    REFUSED: refused.totalCount,
    DRY_RUN: dryRuns.totalCount,
    FAILED: failed.totalCount,
  };
  const which = outcomes.length ? `${outcomes.map((o) => OUTCOME_LABELS[o].toLowerCase()).join(' or ')} ` : '';
  return (
    <>
      <PageHeader
        title="Imports"
        lead={
          <>
            Every run of <code>pnpm cli import</code>, newest first, whatever its outcome: imported, refused whole (nothing written), dry
            runs (the counts are what it would have done) and runs that failed while writing (rolled back). Open a run for its options,
            message and rejected rows.
          </>
        }
      />
      {counts.ALL === 0 ? (
        <HowToImport />
      ) : (
        <>
          <OutcomeFilter selected={outcomes} counts={counts} />
          {page.nodes.length ? (
            <>
              <div className="table-wrap">
                <table className="data" data-testid="import-runs">
                  <caption>
                    {page.totalCount.toLocaleString('en-GB')} {which}
                    {page.totalCount === 1 ? 'run' : 'runs'}, newest first. Started in your time zone; created, updated and unchanged count
                    incidents, rejected counts rows.
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">File</th>
                      <th scope="col">Source</th>
                      <th scope="col" className="num">
                        Rows
                      </th>
                      <th scope="col" className="num">
                        Created
                      </th>
                      <th scope="col" className="num">
                        Updated
                      </th>
                      <th scope="col" className="num">
                        Unchanged
                      </th>
                      <th scope="col" className="num">
                        Rejected
                      </th>
                      <th scope="col" className="num">
                        Duration
                      </th>
                      <th scope="col">Ran by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.nodes.map((r) => (
                      <RunRow key={r.id} run={r} />
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                basePath="/admin/imports"
                params={{ outcome: outcomes.length ? outcomes.join(',') : undefined }}
                endCursor={page.pageInfo.endCursor}
                hasNextPage={page.pageInfo.hasNextPage}
                isFirstPage={!after}
                shown={page.nodes.length}
                total={page.totalCount}
              />
            </>
          ) : (
            <Empty>{after ? 'No more runs.' : `No ${which}runs.`}</Empty>
          )}
        </>
      )}
    </>
  );
}
