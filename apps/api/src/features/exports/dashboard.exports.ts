// The dashboard's charts as CSV tables: the same rows the charts draw (apps/web's dashboard page
// builds them from the same fields), one GraphQL query each under the dashboard's filter.
import { PRIORITY_LABELS, coverageNote, dayToIso, localDay } from '@ikb/domain';
import type { Data, ExportTable } from './export.types';
import { declare, pct, r6 } from './export.types';
import type { ExportParams } from './export.params';

const Q = (body: string) =>
  `query Export${declare(`$filter ${body}`, { filter: 'AnalyticsFilter!', bucket: 'AnalyticsBucket!', stackBy: 'AnalyticsDimension!' })} {
  analytics(filter: $filter) { from to timeZone asOf evaluatedAt ${body} } }`;
const vars = (p: ExportParams) => ({
  filter: p.filter,
  bucket: p.view.bucket,
  stackBy: p.view.stack === 'category' ? 'CATEGORY' : 'PRIORITY',
});
const asOf = (d: Data) => d.analytics.asOf;
const priorityName = (p: number) => `P${p} ${(PRIORITY_LABELS as Record<number, string>)[p] ?? ''}`.trim();

/** A time bucket's columns: its local dates (the last one included) and, last, whether it is partial. */
const BUCKET_HEAD = ['Bucket start (local date)', 'Bucket end (local date, included)'];
function bucketCells(b: { start: string; end: string }, tz: string): string[] {
  return [dayToIso(localDay(Date.parse(b.start), tz)), dayToIso(localDay(Date.parse(b.end), tz) - 1)];
}
const partial = (b: { start: string; end: string }, d: Data, tz: string) => coverageNote(b, d.analytics, tz);

type SlaRow = { name: string; response: number | null; resolution: number | null; responseTotal: number; resolutionTotal: number };
const SLA_HEAD = ['Response met (%)', 'Response verdicts (met + breached)', 'Resolution met (%)', 'Resolution verdicts (met + breached)'];
const slaCells = (r: SlaRow) => [r.name, pct(r.response), r.responseTotal, pct(r.resolution), r.resolutionTotal];
const SLA_FIELDS = 'metricId byService { key { id name } total ratio } byTeam { key { id name } total ratio }';

/** By ratio, worst first; no verdict (no data) last, by name: the chart's order. */
function slaByKey(d: Data, dim: 'byService' | 'byTeam'): SlaRow[] {
  const rsp = d.analytics.responseSla[dim] as { key: { id: string | null; name: string }; total: number; ratio: number | null }[];
  const res = d.analytics.resolutionSla[dim] as typeof rsp;
  const keys = new Map<string, string>();
  for (const r of [...rsp, ...res]) keys.set(r.key.id ?? '', r.key.name);
  return [...keys]
    .map(([id, name]) => {
      const a = rsp.find((x) => (x.key.id ?? '') === id);
      const b = res.find((x) => (x.key.id ?? '') === id);
      return {
        name,
        response: a?.ratio ?? null,
        resolution: b?.ratio ?? null,
        responseTotal: a?.total ?? 0,
        resolutionTotal: b?.total ?? 0,
      };
    })
    .sort((x, y) => (x.resolution ?? 2) - (y.resolution ?? 2) || x.name.localeCompare(y.name));
}

function ttrByKey(what: 'service' | 'team'): ExportTable {
  const dim = what === 'service' ? 'byService' : 'byTeam';
  return {
    title: `Time to resolve by ${what}: median and p90`,
    params: 'dashboard',
    query: Q(`timeToResolve { metricId ${dim} { key { id name } count medianHours p90Hours } }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.timeToResolve.metricId],
    columns: () => [
      what === 'service' ? 'Service' : 'Team',
      'Resolved incidents',
      'Median time to resolve (hours)',
      'p90 time to resolve (hours)',
    ],
    rows: (d) =>
      [
        ...(d.analytics.timeToResolve[dim] as {
          key: { name: string };
          count: number;
          medianHours: number | null;
          p90Hours: number | null;
        }[]),
      ]
        // Slowest first; nothing resolved (no data) last.
        .sort((x, y) => (y.medianHours ?? -1) - (x.medianHours ?? -1) || x.key.name.localeCompare(y.key.name))
        .map((r) => [r.key.name, r.count, r6(r.medianHours), r6(r.p90Hours)]),
  };
}

function slaBy(what: 'service' | 'team'): ExportTable {
  return {
    title: `SLA compliance by ${what}`,
    params: 'dashboard',
    query: Q(`responseSla { ${SLA_FIELDS} } resolutionSla { ${SLA_FIELDS} }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.resolutionSla.metricId],
    columns: () => [what === 'service' ? 'Service' : 'Team', ...SLA_HEAD],
    rows: (d) => slaByKey(d, what === 'service' ? 'byService' : 'byTeam').map(slaCells),
  };
}

export const DASHBOARD_TABLES: Record<string, ExportTable> = {
  volume: {
    title: 'Incident volume',
    params: 'dashboard',
    query: Q(`incidentCount volume(bucket: $bucket) { metricId start end count }
      volumeBy(bucket: $bucket, dimension: $stackBy) { total key { id priority name } buckets { start count } }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.volume[0]?.metricId],
    columns: (d, p) => [...BUCKET_HEAD, ...series(d, p).map((s) => `${s.name} (incidents opened)`), 'Total', 'Partial bucket'],
    rows: (d, p) => {
      const list = series(d, p);
      return (d.analytics.volume as { start: string; end: string; count: number }[]).map((b) => [
        ...bucketCells(b, p.view.timeZone),
        ...list.map((s) => s.counts.get(b.start) ?? 0),
        b.count,
        partial(b, d, p.view.timeZone),
      ]);
    },
  },
  'time-to-resolve': {
    title: 'Time to resolve',
    params: 'dashboard',
    query: Q(`timeToResolve { metricId overTime(bucket: $bucket) { start end count medianHours p90Hours } }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.timeToResolve.metricId],
    columns: () => [
      ...BUCKET_HEAD,
      'Resolved incidents',
      'Median time to resolve (hours)',
      'p90 time to resolve (hours)',
      'Partial bucket',
    ],
    rows: (d, p) =>
      (
        d.analytics.timeToResolve.overTime as {
          start: string;
          end: string;
          count: number;
          medianHours: number | null;
          p90Hours: number | null;
        }[]
      ).map((b) => [...bucketCells(b, p.view.timeZone), b.count, r6(b.medianHours), r6(b.p90Hours), partial(b, d, p.view.timeZone)]),
  },
  'sla-by-priority': {
    title: 'SLA compliance by priority',
    params: 'dashboard',
    query: Q(`responseSla { metricId byPriority { priority total ratio } } resolutionSla { metricId byPriority { priority total ratio } }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.responseSla.metricId, d.analytics.resolutionSla.metricId],
    columns: () => ['Priority', ...SLA_HEAD],
    rows: (d) => {
      type P = { priority: number; total: number; ratio: number | null };
      const rsp = d.analytics.responseSla.byPriority as P[];
      const res = d.analytics.resolutionSla.byPriority as P[];
      const all = [...new Set([...rsp, ...res].map((x) => x.priority))].sort((a, b) => a - b);
      return all.map((p) => {
        const a = rsp.find((x) => x.priority === p);
        const b = res.find((x) => x.priority === p);
        return slaCells({
          name: priorityName(p),
          response: a?.ratio ?? null,
          resolution: b?.ratio ?? null,
          responseTotal: a?.total ?? 0,
          resolutionTotal: b?.total ?? 0,
        });
      });
    },
  },
  'sla-over-time': {
    title: 'SLA compliance over time',
    params: 'dashboard',
    query: Q(`responseSla { metricId overTime(bucket: $bucket) { start end total ratio } }
      resolutionSla { metricId overTime(bucket: $bucket) { start end total ratio } }`),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.responseSla.metricId, d.analytics.resolutionSla.metricId],
    columns: () => [...BUCKET_HEAD, ...SLA_HEAD, 'Partial bucket'],
    rows: (d, p) => {
      type B = { start: string; end: string; total: number; ratio: number | null };
      const rsp = d.analytics.responseSla.overTime as B[];
      return (d.analytics.resolutionSla.overTime as B[]).map((b) => {
        const a = rsp.find((x) => x.start === b.start);
        const cells = slaCells({
          name: '',
          response: a?.ratio ?? null,
          resolution: b.ratio,
          responseTotal: a?.total ?? 0,
          resolutionTotal: b.total,
        });
        return [...bucketCells(b, p.view.timeZone), ...cells.slice(1), partial(b, d, p.view.timeZone)];
      });
    },
  },
  'sla-by-service': slaBy('service'),
  'sla-by-team': slaBy('team'),
  'time-to-resolve-by-service': ttrByKey('service'),
  'time-to-resolve-by-team': ttrByKey('team'),
};

/** The volume chart's series: priorities in order, or categories by size (the chart's legend). */
function series(d: Data, p: ExportParams): { name: string; counts: Map<string, number> }[] {
  type S = {
    total: number;
    key: { id: string | null; priority: number | null; name: string };
    buckets: { start: string; count: number }[];
  };
  const list = [...(d.analytics.volumeBy as S[])].sort((x, y) =>
    p.view.stack === 'priority' ? (x.key.priority ?? 9) - (y.key.priority ?? 9) : y.total - x.total,
  );
  return list.map((s) => ({
    name: p.view.stack === 'priority' ? priorityName(s.key.priority ?? 0) : s.key.name,
    counts: new Map(s.buckets.map((b) => [b.start, b.count])),
  }));
}
