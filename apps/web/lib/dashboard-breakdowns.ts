// Rows for the by-service and by-team charts, each bucket's coverage (partial or whole) and the
// words every export repeats, built on the server from the dashboard query like the other rows.
import { coverageNote, dashboardQuery, RESOLVED_STATUSES } from '@ikb/domain';
import type { DashboardQuery } from '@/gql/graphql';
import { incidentsHref, type DashboardState } from './dashboard';
import type { BreakdownsData, Coverage, ExportContext, MetricNote } from './dashboard-data';

type A = DashboardQuery['analytics'];
type Key = { id?: string | null; name: string };

/** By ratio, worst first; the ones with no verdict (no data) last, by name. */
const worstFirst = <T extends { label: string; resolution: number | null }>(rows: T[]) =>
  rows.sort((x, y) => (x.resolution ?? 2) - (y.resolution ?? 2) || x.label.localeCompare(y.label));

export function breakdownsData(a: A, note: (id: string | undefined) => MetricNote | null, s: DashboardState): BreakdownsData {
  const sla = (dim: 'service' | 'team') => {
    const rsp = dim === 'service' ? a.responseSla.byService : a.responseSla.byTeam;
    const res = dim === 'service' ? a.resolutionSla.byService : a.resolutionSla.byTeam;
    const keys = new Map<string, Key>();
    for (const r of [...rsp, ...res]) keys.set(r.key.id ?? '', r.key);
    return worstFirst(
      [...keys].map(([id, k]) => {
        const r1 = rsp.find((x) => (x.key.id ?? '') === id);
        const r2 = res.find((x) => (x.key.id ?? '') === id);
        return {
          label: k.name,
          response: r1?.ratio ?? null,
          resolution: r2?.ratio ?? null,
          responseTotal: r1?.total ?? 0,
          resolutionTotal: r2?.total ?? 0,
          href: keyHref(s, dim, k.id),
        };
      }),
    );
  };
  const ttr = (dim: 'service' | 'team') =>
    (dim === 'service' ? a.timeToResolve.byService : a.timeToResolve.byTeam)
      .map((r) => ({
        label: r.key.name,
        count: r.count,
        median: r.medianHours ?? null,
        p90: r.p90Hours ?? null,
        href: keyHref(s, dim, r.key.id, RESOLVED_STATUSES),
      }))
      // Slowest first; values with nothing resolved (no data) last.
      .sort((x, y) => (y.median ?? -1) - (x.median ?? -1) || x.label.localeCompare(y.label));
  return {
    slaMetric: note(a.resolutionSla.metricId),
    ttrMetric: note(a.timeToResolve.metricId),
    slaByService: sla('service'),
    slaByTeam: sla('team'),
    ttrByService: ttr('service'),
    ttrByTeam: ttr('team'),
  };
}

/** The incidents of one service or team (the register filters teams through the dashboard's team filter). */
function keyHref(s: DashboardState, dim: 'service' | 'team', id: string | null | undefined, status?: readonly string[]): string {
  if (dim === 'service') return incidentsHref(s, { ...(id ? { serviceId: id } : {}), ...(status ? { status } : {}) });
  return incidentsHref(id ? { ...s, teamIds: [id] } : s, status ? { status } : {});
}

/** Whether a bucket of a time series is partial, from the range and the query's evaluation time (packages/domain). */
export function coverageOf(bucket: { start: string; end: string }, a: A, timeZone: string): Coverage {
  const partialNote = coverageNote(bucket, a, timeZone);
  return { partial: partialNote !== '', partialNote };
}

/** What the page's downloads need: the view as the API's export parameters, and the range for PNG names. */
export function exportContext(s: DashboardState): ExportContext {
  return { query: dashboardQuery(s), slug: `${s.from}_${s.to}` };
}
