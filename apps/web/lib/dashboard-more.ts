// Rows for the backlog, MTTA / MTTD and knowledge reuse charts, built on the server from the
// dashboard query like the other charts' rows (see app/(app)/dashboard/page.tsx).
import { OPEN_STATUSES, RESOLVED_STATUSES } from '@ikb/domain';
import type { DashboardQuery } from '@/gql/graphql';
import { incidentsHref, type DashboardState } from './dashboard';
import type { MetricNote, MoreChartsData } from './dashboard-data';

type A = DashboardQuery['analytics'];
const DAY = 86_400_000;

export function moreChartsData(a: A, note: (id: string | undefined) => MetricNote | null, s: DashboardState): MoreChartsData {
  // An age band [minDays, maxDays) as of evaluatedAt is an opened-at window, clipped to the range.
  const at = Date.parse(a.backlog.evaluatedAt);
  const [rangeFrom, rangeTo] = [Date.parse(a.from), Date.parse(a.to)];
  const bandHref = (minDays: number, maxDays: number | null | undefined) => {
    const from = Math.max(rangeFrom, maxDays == null ? rangeFrom : at - maxDays * DAY);
    const to = Math.min(rangeTo, at - minDays * DAY);
    return incidentsHref(s, { from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString(), status: OPEN_STATUSES });
  };
  const priorities = [...new Set([...a.mtta.byPriority, ...a.mttd.byPriority].map((p) => p.priority))].sort();
  return {
    backlog: {
      metric: note(a.backlog.metricId),
      open: a.backlog.open,
      rows: a.backlog.byAge.map((b) => {
        const of = (p: number) => b.byPriority.find((x) => x.priority === p)?.count ?? 0;
        return {
          label: b.label,
          total: b.count,
          p1: of(1),
          p2: of(2),
          p3: of(3),
          p4: of(4),
          p5: of(5),
          href: bandHref(b.minDays, b.maxDays),
        };
      }),
    },
    acknowledge: {
      mttaMetric: note(a.mtta.metricId),
      mttdMetric: note(a.mttd.metricId),
      rows: priorities.map((p) => {
        const ta = a.mtta.byPriority.find((x) => x.priority === p);
        const td = a.mttd.byPriority.find((x) => x.priority === p);
        return {
          label: `P${p}`,
          mtta: ta?.meanHours ?? null,
          mttd: td?.meanHours ?? null,
          mttaCount: ta?.count ?? 0,
          mttdCount: td?.count ?? 0,
          href: incidentsHref(s, { priority: p }),
        };
      }),
    },
    reuse: {
      metric: note(a.knowledgeReuse.metricId),
      rows: [...a.knowledgeReuse.byCategory]
        .sort((x, y) => y.resolved - x.resolved)
        .map((c) => ({
          label: c.key.name,
          rate: c.rate ?? null,
          reused: c.reused,
          resolved: c.resolved,
          withHours: c.withReuse.meanHours ?? null,
          withoutHours: c.withoutReuse.meanHours ?? null,
          href: incidentsHref(s, { ...(c.key.id ? { categoryId: c.key.id } : {}), status: RESOLVED_STATUSES }),
        })),
    },
  };
}
