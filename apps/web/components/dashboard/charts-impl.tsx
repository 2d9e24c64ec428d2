'use client';
// The dashboard's recharts charts. Loaded through next/dynamic (see dashboard-charts.tsx) so recharts
// is fetched only by the dashboard. The server renders every card (title, definition, data table);
// each chart is drawn in the browser when its card nears the screen (chart-card.tsx), so the first
// screen's charts do not wait for the thirteen others. Every chart shows its metric definition, opens
// the incidents behind a point on click, and has a data table with the same links and a CSV / PNG.
import { useGuardedRouter } from '@/components/use-guarded-router';
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type BarRectangleItem,
  type MouseHandlerDataParam,
} from 'recharts';
import type { ChartsData } from '@/lib/dashboard-data';
import { BreakdownCharts } from './breakdown-charts';
import { AXIS, ChartCard, ChartsContext, hours, indexOf, PartialNote, pct } from './chart-card';
import { PartialBar, RowTooltip, splitPartial, TTR_TIP_FIELDS } from './chart-parts';
import { MoreCharts } from './more-charts';
import { ProblemCostCharts } from './problem-cost-charts';
import { SlaBars, SlaTable } from './sla-table';

const ratioAxis = { domain: [0, 1] as [number, number], tickFormatter: (x: number) => `${Math.round(x * 100)}%` };

export default function DashboardChartsImpl({ data }: { data: ChartsData }) {
  const router = useGuardedRouter();
  const go = (href: string | undefined) => {
    if (href) router.push(href);
  };
  // Printing (the page's PDF) draws every chart first, even those never scrolled to.
  const [drawAll, setDrawAll] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setDrawAll(true));
    window.addEventListener('beforeprint', before);
    return () => window.removeEventListener('beforeprint', before);
  }, []);
  const printPage = () => {
    setDrawAll(true);
    requestAnimationFrame(() => requestAnimationFrame(() => window.print()));
  };
  const v = data.volume;
  const ttrRows = splitPartial(data.ttr.rows, ['median', 'p90']);
  const slaRows = splitPartial(data.slaOverTime.rows, ['response', 'resolution']);

  return (
    <ChartsContext.Provider value={{ context: data.context, drawAll }}>
      <div className="dashboard-export no-print">
        <button type="button" className="btn plain small" onClick={printPage}>
          Save the page as PDF (print)
        </button>
        <span className="small muted">Each chart also has Download CSV (its figures) and PNG (its picture).</span>
      </div>
      <div className="charts-grid">
        <ChartCard
          id="volume"
          wide
          title={`Incident volume per ${data.bucketName.toLowerCase()}, by ${data.stackName.toLowerCase()}`}
          metrics={[v.metric]}
          summary={`${v.total.toLocaleString('en-GB')} incidents opened`}
          legend={v.series.map((s) => s.name)}
          note={<PartialNote rows={v.rows} />}
          exportAs="volume"
          table={
            <table className="data">
              <caption className="visually-hidden">Incidents opened per bucket and {data.stackName.toLowerCase()}</caption>
              <thead>
                <tr>
                  <th scope="col">{data.bucketName}</th>
                  {v.series.map((s) => (
                    <th scope="col" className="num" key={s.key}>
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.rows.map((r) => (
                  <tr key={String(r.label)}>
                    <th scope="row">
                      {r.label}
                      {r.partial ? <span className="muted small"> ({r.partialNote})</span> : null}
                    </th>
                    {v.series.map((s) => (
                      <td className="num" key={s.key}>
                        {Number(r[s.key] ?? 0) > 0 ? <a href={v.links[String(r.label)]?.[s.key]}>{r[s.key]}</a> : 0}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          }
        >
          <BarChart data={v.rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} allowDecimals={false} width={40} />
            <Tooltip
              content={(p) => (
                <RowTooltip
                  {...p}
                  fields={v.series.map((s) => ({ key: s.key, name: s.name, color: s.color, format: (x) => String(x ?? 0) }))}
                />
              )}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {v.series.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="volume"
                fill={s.color}
                cursor="pointer"
                isAnimationActive={false}
                shape={PartialBar}
                onClick={(item: BarRectangleItem) => go(v.links[String((item.payload as { label: string }).label)]?.[s.key])}
              />
            ))}
          </BarChart>
        </ChartCard>

        <ChartCard
          id="ttr"
          title="Time to resolve: median and p90"
          metrics={[data.ttr.metric]}
          summary={
            `${data.ttr.overall.count.toLocaleString('en-GB')} resolved · ` +
            `median ${hours(data.ttr.overall.median)} · p90 ${hours(data.ttr.overall.p90)}`
          }
          legend={['Median', 'p90']}
          note={<PartialNote rows={data.ttr.rows} />}
          exportAs="time-to-resolve"
          table={
            <table className="data">
              <caption className="visually-hidden">Time to resolve per bucket, in hours</caption>
              <thead>
                <tr>
                  <th scope="col">{data.bucketName}</th>
                  <th scope="col" className="num">
                    Resolved
                  </th>
                  <th scope="col" className="num">
                    Median
                  </th>
                  <th scope="col" className="num">
                    p90
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.ttr.rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">
                      {r.label}
                      {r.partial ? <span className="muted small"> ({r.partialNote})</span> : null}
                    </th>
                    <td className="num">{r.count ? <a href={r.href}>{r.count}</a> : 0}</td>
                    <td className="num">{hours(r.median)}</td>
                    <td className="num">{hours(r.p90)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        >
          <LineChart
            data={ttrRows}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
            onClick={(s: MouseHandlerDataParam) => go(data.ttr.rows[indexOf(s) ?? -1]?.href)}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} width={44} unit=" h" />
            <Tooltip content={(p) => <RowTooltip {...p} fields={TTR_TIP_FIELDS} />} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {lines([
              ['median', 'Median', '#1f5fbf', undefined],
              ['p90', 'p90', '#d9731a', '5 3'],
            ])}
          </LineChart>
        </ChartCard>

        <ChartCard
          id="sla-priority"
          title="SLA compliance by priority"
          metrics={[data.slaByPriority.responseMetric, data.slaByPriority.resolutionMetric].filter(
            (m, i, a) => a.findIndex((x) => x?.id === m?.id) === i,
          )}
          legend={['Response met', 'Resolution met']}
          exportAs="sla-by-priority"
          table={<SlaTable caption="SLA compliance by priority" first="Priority" rows={data.slaByPriority.rows} />}
        >
          <SlaBars rows={data.slaByPriority.rows} go={go} />
        </ChartCard>

        <ChartCard
          id="sla-time"
          title="SLA compliance over time"
          metrics={[data.slaByPriority.resolutionMetric]}
          legend={['Response met', 'Resolution met']}
          note={<PartialNote rows={data.slaOverTime.rows} />}
          exportAs="sla-over-time"
          table={<SlaTable caption="SLA compliance per bucket" first={data.bucketName} rows={data.slaOverTime.rows} />}
        >
          <LineChart
            data={slaRows}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
            onClick={(s: MouseHandlerDataParam) => go(data.slaOverTime.rows[indexOf(s) ?? -1]?.href)}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} width={44} {...ratioAxis} />
            <Tooltip
              content={(p) => (
                <RowTooltip
                  {...p}
                  fields={[
                    { key: 'response', name: 'Response met', color: '#1f5fbf', format: pct },
                    { key: 'resolution', name: 'Resolution met', color: '#2e8b57', format: pct },
                  ]}
                />
              )}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {lines([
              ['response', 'Response met', '#1f5fbf', undefined],
              ['resolution', 'Resolution met', '#2e8b57', undefined],
            ])}
          </LineChart>
        </ChartCard>

        <ProblemCostCharts data={data} go={go} />
        <BreakdownCharts data={data.breakdowns} go={go} />
        <MoreCharts data={data.more} go={go} />
      </div>
    </ChartsContext.Provider>
  );
}

/**
 * Each series twice: solid over whole buckets (gaps where a bucket has no data: never drawn as 0),
 * dashed into a partial bucket (the `${key}Partial` values of splitPartial), left out of the legend.
 */
function lines(series: [key: string, name: string, color: string, dash: string | undefined][]) {
  return series.flatMap(([key, name, color, dash]) => [
    <Line
      key={key}
      type="monotone"
      dataKey={key}
      name={name}
      stroke={color}
      strokeWidth={2}
      strokeDasharray={dash}
      dot={{ r: 3 }}
      cursor="pointer"
      connectNulls={false}
      isAnimationActive={false}
    />,
    <Line
      key={`${key}Partial`}
      type="monotone"
      dataKey={`${key}Partial`}
      name={`${name} (partial)`}
      stroke={color}
      strokeWidth={2}
      strokeOpacity={0.6}
      strokeDasharray="2 4"
      dot={{ r: 3, fill: '#fff' }}
      legendType="none"
      cursor="pointer"
      connectNulls={false}
      isAnimationActive={false}
    />,
  ]);
}
