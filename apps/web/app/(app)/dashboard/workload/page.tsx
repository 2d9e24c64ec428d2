import type { Metadata } from 'next';
import { ExportLink } from '@/components/export-link';
import { AnalyticsFilterForm, Definition, fmtHours, fmtShare } from '@/components/workload/analytics-filter-form';
import { OnDutyChart, PersonHoursChart } from '@/components/workload/workload-charts';
import { ErrorBox } from '@/components/ui';
import { DashboardFilterOptionsDocument, WorkloadPageDocument } from '@/gql/graphql';
import { bucketLabel, formatDayRange, parseDashboardState } from '@/lib/dashboard';
import type { SearchParams } from '@/lib/params';
import { filterFrom } from '@/lib/dashboard';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Workload' };

const CHART_PEOPLE = 15;

export default async function WorkloadPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const state = parseDashboardState(sp);
  const filter = filterFrom(sp);
  const [res, options] = await Promise.all([
    filter.error !== undefined ? filter : gql(WorkloadPageDocument, filter.data),
    gql(DashboardFilterOptionsDocument),
  ]);
  const defs = new Map((res.data?.metricDefinitions ?? []).map((d) => [d.id, d]));
  const w = res.data?.workload;
  return (
    <div className="dashboard-page">
      <div className="page-header">
        <div>
          <h1>Workload</h1>
          <p className="lead">
            Who carried the incidents opened {formatDayRange(state.from, state.to)} ({state.timeZone}), for how long, and how much of it
            outside their working hours.
          </p>
        </div>
      </div>
      <AnalyticsFilterForm
        action="/dashboard/workload"
        state={state}
        options={{ services: options.data?.services ?? [], teams: options.data?.teams ?? [] }}
      />
      {res.error !== undefined || !w ? (
        <ErrorBox title="The workload could not be loaded" message={res.error ?? 'No answer'} />
      ) : (
        <>
          <section className="card" aria-labelledby="wl-totals">
            <h2 id="wl-totals">Totals</h2>
            <dl className="facts" data-testid="workload-totals">
              <dt>Person-hours</dt>
              <dd>{fmtHours(w.totals.personHours)}</dd>
              <dt>Outside working hours</dt>
              <dd>
                {fmtHours(w.totals.outsideHours)} ({fmtShare(w.totals.outsideShare)})
              </dd>
              <dt>Incidents</dt>
              <dd>{w.incidentCount}</dd>
              <dt>People on duty</dt>
              <dd>{w.onDuty}</dd>
              <dt>Incidents per on-duty person</dt>
              <dd>{w.incidentsPerOnDuty == null ? '–' : w.incidentsPerOnDuty.toFixed(2)}</dd>
              <dt>Top 10 % of responders</dt>
              <dd>
                {w.concentration.topCount} of {w.concentration.people} carry {fmtShare(w.concentration.topShare)} of person-hours (Gini{' '}
                {w.concentration.gini == null ? '–' : w.concentration.gini.toFixed(2)})
              </dd>
            </dl>
            <Definition def={defs.get('person-hours')} />
            <Definition def={defs.get('outside-hours-share')} />
            <Definition def={defs.get('load-concentration')} />
          </section>

          <section className="card" aria-labelledby="wl-people">
            <h2 id="wl-people">Person-hours per person</h2>
            <p>
              <ExportLink list="workload" searchParams={sp} />{' '}
              <ExportLink list="workload-teams" searchParams={sp} label="Export teams CSV" />
            </p>
            <PersonHoursChart
              rows={w.people
                .slice(0, CHART_PEOPLE)
                .map((p) => ({ name: p.name, inside: p.personHours - p.outsideHours, outside: p.outsideHours }))}
            />
            <Definition def={defs.get('person-hours')} />
            <div className="table-wrap">
              <table className="table" data-testid="workload-people">
                <thead>
                  <tr>
                    <th>Person</th>
                    <th>Team</th>
                    <th>Incidents</th>
                    <th>Logged</th>
                    <th>Holding</th>
                    <th>Person-hours</th>
                    <th>Outside hours</th>
                    <th>Working hours from</th>
                  </tr>
                </thead>
                <tbody>
                  {w.people.map((p) => (
                    <tr key={p.userId}>
                      <td>{p.name}</td>
                      <td>{p.teamName}</td>
                      <td>{p.incidents}</td>
                      <td>{fmtHours(p.loggedHours)}</td>
                      <td>{fmtHours(p.holdingHours)}</td>
                      <td>{fmtHours(p.personHours)}</td>
                      <td>
                        {fmtHours(p.outsideHours)} ({fmtShare(p.outsideShare)})
                      </td>
                      <td>
                        {p.calendarName ?? 'around the clock'} ({p.calendarSource.toLowerCase()}, {p.timeZone})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {w.peopleCount > w.people.length ? (
              <p className="small muted">
                The first {w.people.length} of {w.peopleCount} people; the CSV has them all up to the same cap.
              </p>
            ) : null}
          </section>

          <section className="card" aria-labelledby="wl-teams">
            <h2 id="wl-teams">Person-hours per team</h2>
            <div className="table-wrap">
              <table className="table" data-testid="workload-teams">
                <thead>
                  <tr>
                    <th>Team</th>
                    <th>People</th>
                    <th>Incidents</th>
                    <th>Person-hours</th>
                    <th>Outside hours</th>
                  </tr>
                </thead>
                <tbody>
                  {w.teams.map((t) => (
                    <tr key={t.teamId ?? 'none'}>
                      <td>{t.name}</td>
                      <td>{t.people}</td>
                      <td>{t.incidents}</td>
                      <td>{fmtHours(t.personHours)}</td>
                      <td>
                        {fmtHours(t.outsideHours)} ({fmtShare(t.outsideShare)})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Definition def={defs.get('person-hours')} />
          </section>

          <section className="card" aria-labelledby="wl-duty">
            <h2 id="wl-duty">Incidents per on-duty person</h2>
            <p>
              <ExportLink list="workload-on-duty" searchParams={sp} label="Export on-duty CSV" />
            </p>
            <OnDutyChart
              rows={w.onDutyOverTime.map((b) => ({
                label: bucketLabel(b.start, state.bucket, state.timeZone),
                perPerson: b.incidentsPerOnDuty == null ? null : Number(b.incidentsPerOnDuty.toFixed(2)),
                incidents: b.incidents,
                onDuty: b.onDuty,
              }))}
            />
            <Definition def={defs.get('incidents-per-on-duty')} />
          </section>
        </>
      )}
    </div>
  );
}
