import { RESOLVED_STATUSES } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { DashboardCharts } from '@/components/dashboard/dashboard-charts';
import { CatchingUpNotice } from '@/components/dashboard/freshness';
import { ErrorBox } from '@/components/ui';
import { DashboardDocument, DashboardFilterOptionsDocument, type DashboardQuery } from '@/gql/graphql';
import {
  BUCKETS,
  RANGES,
  STACKS,
  TIME_ZONES,
  analyticsFilter,
  bucketLabel,
  dashboardHref,
  formatDayRange,
  incidentsHref,
  parseDashboardState,
  type DashboardState,
} from '@/lib/dashboard';
import { PALETTE, PRIORITY_COLORS, type ChartsData, type Coverage, type MetricNote, type VolumeRow } from '@/lib/dashboard-data';
import { breakdownsData, coverageOf, exportContext } from '@/lib/dashboard-breakdowns';
import { moreChartsData } from '@/lib/dashboard-more';
import { PRIORITY_LABELS, formatDateTime, formatShare } from '@/lib/format';
import type { SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Dashboard' };

type A = DashboardQuery['analytics'];

type Names = Record<'services' | 'teams' | 'categories', { id?: string | null; name: string }[]>;

function chartsData(a: A, defs: Map<string, MetricNote>, s: DashboardState): ChartsData {
  const note = (id: string | undefined) => (id ? (defs.get(id) ?? { id, name: id, definition: '', details: '' }) : null);
  const label = (iso: string) => bucketLabel(iso, s.bucket, s.timeZone);

  // Volume, stacked: one series per priority (or category), one row per bucket.
  const byStack = [...a.volumeBy].sort((x, y) =>
    s.stack === 'priority' ? (x.key.priority ?? 9) - (y.key.priority ?? 9) : y.total - x.total,
  );
  const series = byStack.map((v, i) => ({
    key: s.stack === 'priority' ? `p${v.key.priority}` : `c${i}`,
    name: s.stack === 'priority' ? `P${v.key.priority} ${PRIORITY_LABELS[v.key.priority ?? 0] ?? ''}`.trim() : v.key.name,
    color: s.stack === 'priority' ? (PRIORITY_COLORS[v.key.priority ?? 0] ?? '#7d8a99') : PALETTE[i % PALETTE.length]!,
    source: v,
  }));
  const links: Record<string, Record<string, string>> = {};
  const rows = a.volume.map((b) => {
    const row: Record<string, string | number | boolean | null> = { label: label(b.start), ...coverageOf(b, a, s.timeZone) };
    const l: Record<string, string> = {};
    for (const sr of series) {
      const hit = sr.source.buckets.find((x) => x.start === b.start);
      row[sr.key] = hit?.count ?? 0;
      l[sr.key] = incidentsHref(s, {
        from: b.start,
        to: b.end,
        ...(s.stack === 'priority' ? { priority: sr.source.key.priority } : { categoryId: sr.source.key.id }),
      });
    }
    links[String(row.label)] = l;
    return row as VolumeRow & Coverage;
  });

  const bucketHref = (start: string, end: string, extra: Parameters<typeof incidentsHref>[1] = {}) =>
    incidentsHref(s, { from: start, to: end, ...extra });
  const ttr = a.timeToResolve;
  const rsp = a.responseSla;
  const res = a.resolutionSla;
  const priorities = [...new Set([...rsp.byPriority.map((p) => p.priority), ...res.byPriority.map((p) => p.priority)])].sort();

  return {
    bucketName: BUCKETS[s.bucket].replace(/ \(.*\)/, ''),
    stackName: STACKS[s.stack],
    context: exportContext(s),
    currency: a.cost.currency,
    volume: {
      metric: note(a.volume[0]?.metricId ?? a.volumeBy[0]?.metricId),
      series: series.map(({ source: _source, ...x }) => x),
      rows,
      links,
      total: a.incidentCount,
    },
    ttr: {
      metric: note(ttr.metricId),
      rows: ttr.overTime.map((b) => ({
        label: label(b.start),
        median: b.medianHours,
        p90: b.p90Hours,
        count: b.count,
        href: bucketHref(b.start, b.end, { status: RESOLVED_STATUSES }),
        ...coverageOf(b, a, s.timeZone),
      })),
      overall: { count: ttr.count, median: ttr.medianHours, p90: ttr.p90Hours, mean: ttr.meanHours },
    },
    slaByPriority: {
      responseMetric: note(rsp.metricId),
      resolutionMetric: note(res.metricId),
      rows: priorities.map((p) => {
        const r1 = rsp.byPriority.find((x) => x.priority === p);
        const r2 = res.byPriority.find((x) => x.priority === p);
        return {
          label: `P${p}`,
          priority: p,
          response: r1?.ratio ?? null,
          resolution: r2?.ratio ?? null,
          responseTotal: r1?.total ?? 0,
          resolutionTotal: r2?.total ?? 0,
          href: incidentsHref(s, { priority: p }),
        };
      }),
    },
    slaOverTime: {
      rows: res.overTime.map((b, i) => {
        const r = rsp.overTime.find((x) => x.start === b.start) ?? rsp.overTime[i];
        return {
          label: label(b.start),
          response: r?.ratio ?? null,
          resolution: b.ratio,
          responseTotal: r?.total ?? 0,
          resolutionTotal: b.total,
          href: bucketHref(b.start, b.end),
          ...coverageOf(b, a, s.timeZone),
        };
      }),
    },
    problems: {
      metric: note(a.topRecurringProblems[0]?.metricId),
      rows: a.topRecurringProblems.map((p) => ({
        label: p.problem?.number ?? p.problemId.slice(0, 8),
        number: p.problem?.number ?? p.problemId,
        title: p.problem?.title ?? '(problem not found)',
        incidents: p.incidentCount,
        recurring: p.recurringCount,
        sinceFix: p.recurrencesSinceFix ?? null,
        href: incidentsHref(s, { problemId: p.problemId }),
        problemHref: p.problem ? `/problems/${encodeURIComponent(p.problem.number)}` : '/problems',
      })),
    },
    cost: {
      metric: note(a.cost.metricId),
      rows: [...a.cost.byService]
        .sort((x, y) => y.cents - x.cents)
        .map((r) => ({
          label: r.key.name,
          cost: r.cents,
          hours: r.minutes / 60,
          href: incidentsHref(s, r.key.id ? { serviceId: r.key.id } : {}),
        })),
      total: a.cost.cents,
    },
    more: moreChartsData(a, note, s),
    breakdowns: breakdownsData(a, note, s),
  };
}

/** The applied range and filters in one line, for the collapsed filters' summary. */
function filterSummary(s: DashboardState, names: Names): string {
  const named = (ids: string[], list: { id?: string | null; name: string }[]) =>
    ids.map((id) => list.find((x) => x.id === id)?.name ?? id).join(', ');
  return [
    s.range === 'custom' ? formatDayRange(s.from, s.to) : RANGES[s.range],
    `by ${BUCKETS[s.bucket].replace(/ \(.*\)/, '').toLowerCase()}`,
    s.timeZone,
    s.serviceIds.length ? named(s.serviceIds, names.services) : null,
    s.categoryIds.length ? named(s.categoryIds, names.categories) : null,
    s.teamIds.length ? named(s.teamIds, names.teams) : null,
    s.priorities.length ? s.priorities.map((p) => `P${p}`).join(' ') : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Hours as the stat tiles show them: minutes under an hour, days past two. */
function duration(h: number | null | undefined): string {
  if (h == null) return '—';
  if (h < 1) return `${Math.round(h * 60)} min`;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const state = parseDashboardState(await searchParams);
  const [res, options] = await Promise.all([
    gql(DashboardDocument, {
      filter: analyticsFilter(state),
      bucket: state.bucket,
      stackBy: state.stack === 'priority' ? 'PRIORITY' : 'CATEGORY',
    }),
    gql(DashboardFilterOptionsDocument),
  ]);
  const defs = new Map((res.data?.metricDefinitions ?? []).map((d) => [d.id, d]));
  const a = res.data?.analytics;
  const zones = TIME_ZONES.includes(state.timeZone) ? TIME_ZONES : [state.timeZone, ...TIME_ZONES];
  const def = (id: string | undefined) => (id ? defs.get(id) : undefined);
  const filterNames: Names = {
    services: options.data?.services ?? [],
    teams: options.data?.teams ?? [],
    categories: (options.data?.categories ?? []).flatMap((c) => [
      c,
      ...c.children.map((ch) => ({ id: ch.id, name: `${c.name} › ${ch.name}` })),
    ]),
  };

  return (
    <div className="dashboard-page">
      <div className="page-header">
        <div>
          <h1>Leadership dashboard</h1>
          <p className="lead">
            Incidents opened {formatDayRange(state.from, state.to)} ({state.timeZone}). Click a bar or a point to open the incidents behind
            it.
          </p>
        </div>
      </div>

      {/* Collapsed by default so that on a phone the figures come first; on wide screens the form
          shows open (globals.css, ux-dash). The summary says what is applied either way. */}
      <details className="dashboard-filters" data-testid="dashboard-filters">
        <summary>
          <span className="dashboard-filters-label">Filters</span> <span className="small muted">{filterSummary(state, filterNames)}</span>
        </summary>
        <form className="filters dashboard-controls" method="get" action="/dashboard" aria-label="Dashboard range and filters">
          <div className="form">
            <label className="field">
              <span className="field-label">Range</span>
              <select name="range" defaultValue={state.range}>
                {Object.entries(RANGES).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">From (custom)</span>
              <input type="date" name="from" defaultValue={state.from} />
            </label>
            <label className="field">
              <span className="field-label">To (custom, included)</span>
              <input type="date" name="to" defaultValue={state.to} />
            </label>
            <label className="field">
              <span className="field-label">Time zone</span>
              <select name="tz" defaultValue={state.timeZone}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Buckets</span>
              <select name="bucket" defaultValue={state.bucketChosen ? state.bucket : ''}>
                <option value="">Automatic ({BUCKETS[state.bucket].toLowerCase()})</option>
                {Object.entries(BUCKETS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Stack volume by</span>
              <select name="stack" defaultValue={state.stack}>
                {Object.entries(STACKS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Service</span>
              <select name="service" defaultValue={state.serviceIds[0] ?? ''}>
                <option value="">All services</option>
                {options.data?.services.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Category</span>
              <select name="category" defaultValue={state.categoryIds[0] ?? ''}>
                <option value="">All categories</option>
                {options.data?.categories.map((c) => [
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>,
                  ...c.children.map((ch) => (
                    <option key={ch.id} value={ch.id}>
                      {`${c.name} › ${ch.name}`}
                    </option>
                  )),
                ])}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Team</span>
              <select name="team" defaultValue={state.teamIds[0] ?? ''}>
                <option value="">All teams</option>
                {options.data?.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="wide">
              <legend>Priority</legend>
              <div className="checks">
                {[1, 2, 3, 4, 5].map((p) => (
                  <label key={p}>
                    <input type="checkbox" name="priority" value={p} defaultChecked={state.priorities.includes(p)} /> P{p}{' '}
                    {PRIORITY_LABELS[p]}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="actions">
              <button type="submit" className="btn primary">
                Apply
              </button>
              <Link className="btn plain" href="/dashboard">
                Reset
              </Link>
              {options.error !== undefined ? <span className="form-error">Filter options unavailable: {options.error}</span> : null}
            </div>
          </div>
        </form>
      </details>

      {res.error !== undefined || !a ? (
        <ErrorBox title="The dashboard could not be loaded" message={res.error ?? 'No analytics in the answer.'} />
      ) : (
        <>
          <CatchingUpNotice pendingChanges={a.pendingChanges} asOf={a.asOf} />
          <div className="grid-cards stat-row">
            <Link className="stat" href={incidentsHref(state)}>
              <span className="value">{a.incidentCount.toLocaleString('en-GB')}</span> incidents opened
            </Link>
            <Link className="stat" href="/reviews/awaiting" title={def(a.reviewCoverage.metricId)?.definition}>
              <span className="value">{formatShare(a.reviewCoverage.ratio)}</span> review coverage
              <span className="small muted">
                {' '}
                ({a.reviewCoverage.reviewed} of {a.reviewCoverage.eligible} major or P1–2 reviewed)
              </span>
            </Link>
            <Link
              className={`stat${a.actionItems.overdue ? ' stat-bad' : ''}`}
              href="/reviews"
              title={def(a.actionItems.metricId)?.definition}
            >
              <span className="value">{a.actionItems.overdue}</span> overdue action items
              <span className="small muted">
                {' '}
                ({a.actionItems.open} open, {a.actionItems.doneOnTime} of {a.actionItems.done} done on time)
              </span>
            </Link>
            <div className="stat" title={def(a.resolutionSla.metricId)?.definition}>
              <span className="value">{formatShare(a.resolutionSla.ratio)}</span> resolution SLA met
              <span className="small muted"> (response {formatShare(a.responseSla.ratio)})</span>
            </div>
          </div>
          <div className="grid-cards stat-row" data-testid="response-tiles">
            <Link className="stat" href={incidentsHref(state)} title={def(a.mtta.metricId)?.definition}>
              <span className="value">{duration(a.mtta.meanHours)}</span> MTTA
              <span className="small muted"> (mean time to acknowledge, {a.mtta.count} acknowledged)</span>
            </Link>
            <Link className="stat" href={incidentsHref(state)} title={def(a.mttd.metricId)?.definition}>
              <span className="value">{duration(a.mttd.meanHours)}</span> MTTD
              <span className="small muted"> (mean time to detect, {a.mttd.count} with a detection time)</span>
            </Link>
            <Link
              className="stat"
              href={incidentsHref(state, { status: RESOLVED_STATUSES })}
              title={def(a.reopenRate.metricId)?.definition}
            >
              <span className="value">{formatShare(a.reopenRate.rate)}</span> reopen rate
              <span className="small muted">
                {' '}
                ({a.reopenRate.reopened} of {a.reopenRate.resolved} resolved reopened)
              </span>
            </Link>
            <Link
              className="stat"
              href={incidentsHref(state, { status: RESOLVED_STATUSES })}
              title={def(a.knowledgeReuse.metricId)?.definition}
            >
              <span className="value">{formatShare(a.knowledgeReuse.rate)}</span> knowledge reuse
              <span className="small muted">
                {' '}
                ({a.knowledgeReuse.reused} of {a.knowledgeReuse.resolved} resolved with a workaround or model;{' '}
                {duration(a.knowledgeReuse.withReuse.meanHours)} to resolve with, {duration(a.knowledgeReuse.withoutReuse.meanHours)}{' '}
                without)
              </span>
            </Link>
          </div>
          <details className="metric-defs">
            <summary>How these figures are measured</summary>
            {[
              def(a.reviewCoverage.metricId),
              def(a.actionItems.metricId),
              def(a.mtta.metricId),
              def(a.mttd.metricId),
              def(a.reopenRate.metricId),
              def(a.knowledgeReuse.metricId),
            ]
              .filter((d): d is NonNullable<typeof d> => !!d)
              .map((d) => (
                <p key={d.id} className="small">
                  <strong>{d.name}:</strong> {d.definition} <span className="muted">{d.details}</span>
                </p>
              ))}
          </details>
          <DashboardCharts data={chartsData(a, defs, state)} />
          <p className="small muted" data-pending-changes={a.pendingChanges}>
            Figures as of {formatDateTime(a.asOf)}
            {a.pendingChanges ? ` (${a.pendingChanges} recent changes still being folded in)` : ''} · source {a.source.toLowerCase()} ·{' '}
            <Link href={dashboardHref(state)}>link to this view</Link> ·{' '}
            <a href={`/export/summary?${exportContext(state).query}${exportContext(state).query ? '&' : ''}about=1`} download>
              headline figures (CSV)
            </a>
          </p>
        </>
      )}
    </div>
  );
}
