import type { Metadata } from 'next';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { AnalyticsFilterForm, Definition, fmtShare } from '@/components/workload/analytics-filter-form';
import { FollowThroughChart } from '@/components/workload/workload-charts';
import { ErrorBox } from '@/components/ui';
import { DashboardFilterOptionsDocument, FollowThroughPageDocument } from '@/gql/graphql';
import { formatDayRange, parseDashboardState } from '@/lib/dashboard';
import type { SearchParams } from '@/lib/params';
import { filterFrom } from '@/lib/dashboard';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Follow-through' };

export default async function FollowThroughPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const state = parseDashboardState(sp);
  const filter = filterFrom(sp);
  const [res, options] = await Promise.all([
    filter.error !== undefined ? filter : gql(FollowThroughPageDocument, { filter: filter.data.filter }),
    gql(DashboardFilterOptionsDocument),
  ]);
  const def = (res.data?.metricDefinitions ?? []).find((d) => d.id === 'follow-through');
  const f = res.data?.followThrough;
  const bar = (x: { name: string; doneOnTime: number; doneLate: number; open: number; overdue: number; wontDo: number }) => ({
    name: x.name,
    onTime: x.doneOnTime,
    late: x.doneLate,
    openInTime: x.open - x.overdue,
    overdue: x.overdue,
    wontDo: x.wontDo,
  });
  return (
    <div className="dashboard-page">
      <div className="page-header">
        <div>
          <h1>Review follow-through</h1>
          <p className="lead">
            Action items of the reviews covering incidents opened {formatDayRange(state.from, state.to)} ({state.timeZone}), by owner and
            team.
          </p>
        </div>
      </div>
      <AnalyticsFilterForm
        action="/dashboard/follow-through"
        state={state}
        options={{ services: options.data?.services ?? [], teams: options.data?.teams ?? [] }}
      />
      {res.error !== undefined || !f ? (
        <ErrorBox title="Follow-through could not be loaded" message={res.error ?? 'No answer'} />
      ) : (
        <>
          <section className="card" aria-labelledby="ft-totals">
            <h2 id="ft-totals">Totals</h2>
            <dl className="facts" data-testid="follow-through-totals">
              <dt>Action items</dt>
              <dd>{f.totals.total}</dd>
              <dt>Open</dt>
              <dd>{f.totals.open}</dd>
              <dt>Overdue</dt>
              <dd>{f.totals.overdue}</dd>
              <dt>Done on time</dt>
              <dd>
                {f.totals.doneOnTime} of {f.totals.done} ({fmtShare(f.totals.onTimeRatio)})
              </dd>
              <dt>Won&apos;t do</dt>
              <dd>{f.totals.wontDo}</dd>
              <dt>Recurrences after done</dt>
              <dd>{f.totals.recurrencesAfterDone}</dd>
            </dl>
            <Definition def={def} />
          </section>

          <section className="card" aria-labelledby="ft-teams">
            <h2 id="ft-teams">By team</h2>
            <FollowThroughChart rows={f.teams.map(bar)} />
            <Definition def={def} />
            <p>
              <ExportLink list="follow-through-teams" searchParams={sp} label="Export teams CSV" />
            </p>
          </section>

          <section className="card" aria-labelledby="ft-owners">
            <h2 id="ft-owners">By owner</h2>
            <p>
              <ExportLink list="follow-through" searchParams={sp} />
            </p>
            <div className="table-wrap">
              <table className="table" data-testid="follow-through-owners">
                <thead>
                  <tr>
                    <th>Owner</th>
                    <th>Team</th>
                    <th>Open</th>
                    <th>Overdue</th>
                    <th>Done on time</th>
                    <th>Done late</th>
                    <th>Won&apos;t do</th>
                    <th>Recurrences after done</th>
                  </tr>
                </thead>
                <tbody>
                  {f.owners.map((o) => (
                    <tr key={o.ownerId}>
                      <td>{o.name}</td>
                      <td>{o.teamName}</td>
                      <td>{o.open}</td>
                      <td>{o.overdue}</td>
                      <td>{o.doneOnTime}</td>
                      <td>{o.doneLate}</td>
                      <td>{o.wontDo}</td>
                      <td>{o.recurrencesAfterDone}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Definition def={def} />
          </section>

          <section className="card" aria-labelledby="ft-overdue">
            <h2 id="ft-overdue">Overdue items ({f.overdueCount})</h2>
            <p>
              <ExportLink list="follow-through-overdue" searchParams={sp} label="Export overdue CSV" />
            </p>
            <div className="table-wrap">
              <table className="table" data-testid="follow-through-overdue">
                <thead>
                  <tr>
                    <th>Item</th>
                    <th>Owner</th>
                    <th>Due</th>
                    <th>Days overdue</th>
                    <th>Review</th>
                  </tr>
                </thead>
                <tbody>
                  {f.overdueItems.map((i) => (
                    <tr key={i.id}>
                      <td>{i.title}</td>
                      <td>{i.ownerName}</td>
                      <td>{i.dueDate}</td>
                      <td>{i.daysOverdue}</td>
                      <td>
                        <Link href={`/reviews/${i.reviewId}`}>
                          #{i.reviewNumber} {i.reviewTitle}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
