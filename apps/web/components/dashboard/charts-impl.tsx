'use client';
// The dashboard's recharts charts. Loaded lazily (see dashboard-charts.tsx) so recharts is fetched
// only by the dashboard and only after the page's own content has painted. Every chart shows its
// metric definition, opens the incidents behind a point on click, and has a data table with the
// same links for keyboard and screen-reader users.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarRectangleItem,
  type MouseHandlerDataParam,
} from 'recharts';
import type { ChartsData } from '@/lib/dashboard-data';
import { AXIS, ChartCard, HEIGHT, hours, indexOf, money, pct } from './chart-card';
import { ChartsPlaceholder } from './charts-placeholder';
import { MoreCharts } from './more-charts';

export default function DashboardChartsImpl({ data }: { data: ChartsData }) {
  const router = useRouter();
  // Drawn in the browser only: the server (and hydration) render the placeholders.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const go = (href: string | undefined) => {
    if (href) router.push(href);
  };
  const v = data.volume;
  if (!mounted) return <ChartsPlaceholder />;

  return (
    <div className="charts-grid">
      <ChartCard
        id="volume"
        wide
        title={`Incident volume per ${data.bucketName.toLowerCase()}, by ${data.stackName.toLowerCase()}`}
        metrics={[v.metric]}
        summary={`${v.total.toLocaleString('en-GB')} incidents opened`}
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
                  <th scope="row">{r.label}</th>
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
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 560, height: HEIGHT }}>
          <BarChart data={v.rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} allowDecimals={false} width={40} />
            <Tooltip />
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
                onClick={(item: BarRectangleItem) => go(v.links[String((item.payload as { label: string }).label)]?.[s.key])}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard
        id="ttr"
        title="Time to resolve: median and p90"
        metrics={[data.ttr.metric]}
        summary={
          `${data.ttr.overall.count.toLocaleString('en-GB')} resolved · ` +
          `median ${hours(data.ttr.overall.median)} · p90 ${hours(data.ttr.overall.p90)}`
        }
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
                  <th scope="row">{r.label}</th>
                  <td className="num">{r.count ? <a href={r.href}>{r.count}</a> : 0}</td>
                  <td className="num">{hours(r.median)}</td>
                  <td className="num">{hours(r.p90)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 560, height: HEIGHT }}>
          <LineChart
            data={data.ttr.rows}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
            onClick={(s: MouseHandlerDataParam) => go(data.ttr.rows[indexOf(s) ?? -1]?.href)}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} width={44} unit=" h" />
            <Tooltip formatter={(value) => hours(typeof value === 'number' ? value : null)} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line
              type="monotone"
              dataKey="median"
              name="Median"
              stroke="#1f5fbf"
              strokeWidth={2}
              dot={{ r: 3 }}
              cursor="pointer"
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p90"
              name="p90"
              stroke="#d9731a"
              strokeWidth={2}
              strokeDasharray="5 3"
              dot={{ r: 3 }}
              cursor="pointer"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard
        id="sla-priority"
        title="SLA compliance by priority"
        metrics={[data.slaByPriority.responseMetric, data.slaByPriority.resolutionMetric].filter(
          (m, i, a) => a.findIndex((x) => x?.id === m?.id) === i,
        )}
        table={<SlaTable caption="SLA compliance by priority" first="Priority" rows={data.slaByPriority.rows} />}
      >
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 560, height: HEIGHT }}>
          <BarChart data={data.slaByPriority.rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} />
            <YAxis tick={AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip formatter={(value) => pct(typeof value === 'number' ? value : null)} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar
              dataKey="response"
              name="Response met"
              fill="#1f5fbf"
              cursor="pointer"
              isAnimationActive={false}
              onClick={(item: BarRectangleItem) => go((item.payload as { href: string }).href)}
            />
            <Bar
              dataKey="resolution"
              name="Resolution met"
              fill="#2e8b57"
              cursor="pointer"
              isAnimationActive={false}
              onClick={(item: BarRectangleItem) => go((item.payload as { href: string }).href)}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard
        id="sla-time"
        title="SLA compliance over time"
        metrics={[data.slaByPriority.resolutionMetric]}
        table={<SlaTable caption="SLA compliance per bucket" first={data.bucketName} rows={data.slaOverTime.rows} />}
      >
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 560, height: HEIGHT }}>
          <LineChart
            data={data.slaOverTime.rows}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
            onClick={(s: MouseHandlerDataParam) => go(data.slaOverTime.rows[indexOf(s) ?? -1]?.href)}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip formatter={(value) => pct(typeof value === 'number' ? value : null)} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line
              type="monotone"
              dataKey="response"
              name="Response met"
              stroke="#1f5fbf"
              strokeWidth={2}
              dot={{ r: 3 }}
              cursor="pointer"
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="resolution"
              name="Resolution met"
              stroke="#2e8b57"
              strokeWidth={2}
              dot={{ r: 3 }}
              cursor="pointer"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard
        id="problems"
        title="Top recurring problems"
        metrics={[data.problems.metric]}
        table={
          <table className="data">
            <caption className="visually-hidden">Problems with two or more incidents in the range</caption>
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col" className="num">
                  Incidents
                </th>
                <th scope="col" className="num">
                  Recurring
                </th>
                <th scope="col" className="num">
                  Since its fix
                </th>
              </tr>
            </thead>
            <tbody>
              {data.problems.rows.map((r) => (
                <tr key={r.number}>
                  <th scope="row">
                    <a href={r.problemHref}>{r.number}</a> {r.title}
                  </th>
                  <td className="num">
                    <a href={r.href}>{r.incidents}</a>
                  </td>
                  <td className="num">{r.recurring}</td>
                  <td className="num">{r.sinceFix ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        {data.problems.rows.length ? (
          <ResponsiveContainer
            width="100%"
            height={Math.max(140, data.problems.rows.length * 34 + 40)}
            initialDimension={{ width: 560, height: Math.max(140, data.problems.rows.length * 34 + 40) }}
          >
            <BarChart data={data.problems.rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tick={AXIS} allowDecimals={false} />
              <YAxis type="category" dataKey="label" tick={AXIS} width={90} />
              <Tooltip
                labelFormatter={(label, payload) => (payload?.[0]?.payload as { title?: string } | undefined)?.title ?? String(label)}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar
                dataKey="incidents"
                name="Incidents"
                fill="#8e44ad"
                cursor="pointer"
                isAnimationActive={false}
                onClick={(item: BarRectangleItem) => go((item.payload as { href: string }).href)}
              />
              <Bar
                dataKey="recurring"
                name="Recurring"
                fill="#c0392b"
                cursor="pointer"
                isAnimationActive={false}
                onClick={(item: BarRectangleItem) => go((item.payload as { href: string }).href)}
              />
            </BarChart>
          </ResponsiveContainer>
        ) : (
          <p className="empty">No problem has two or more incidents in this range.</p>
        )}
      </ChartCard>

      <ChartCard
        id="cost"
        title="Cost by service"
        metrics={[data.cost.metric]}
        summary={`total ${money(data.cost.total)}`}
        table={
          <table className="data">
            <caption className="visually-hidden">Cost of time entries by service</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Hours
                </th>
              </tr>
            </thead>
            <tbody>
              {data.cost.rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">
                    <a href={r.href}>{r.label}</a>
                  </th>
                  <td className="num">{money(r.cost)}</td>
                  <td className="num">{r.hours.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        {data.cost.rows.length ? (
          <ResponsiveContainer
            width="100%"
            height={Math.max(140, data.cost.rows.length * 30 + 40)}
            initialDimension={{ width: 560, height: Math.max(140, data.cost.rows.length * 30 + 40) }}
          >
            <BarChart data={data.cost.rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tick={AXIS} tickFormatter={(c: number) => money(c)} />
              <YAxis type="category" dataKey="label" tick={AXIS} width={130} />
              <Tooltip formatter={(value) => money(Number(value))} />
              <Bar
                dataKey="cost"
                name="Cost"
                fill="#16a085"
                cursor="pointer"
                isAnimationActive={false}
                onClick={(item: BarRectangleItem) => go((item.payload as { href: string }).href)}
              />
            </BarChart>
          </ResponsiveContainer>
        ) : (
          <p className="empty">No time was recorded against incidents of this range.</p>
        )}
      </ChartCard>

      <MoreCharts data={data.more} go={go} />
    </div>
  );
}

type SlaRow = {
  label: string;
  href: string;
  response: number | null;
  responseTotal: number;
  resolution: number | null;
  resolutionTotal: number;
};

/** The figures behind an SLA chart: response and resolution met, with how many each counts, per row. */
function SlaTable({ caption, first, rows }: { caption: string; first: string; rows: SlaRow[] }) {
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" className="num">
            Response
          </th>
          <th scope="col" className="num">
            Resolution
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">
              <a href={r.href}>{r.label}</a>
            </th>
            <td className="num">
              {pct(r.response)} <span className="muted">of {r.responseTotal}</span>
            </td>
            <td className="num">
              {pct(r.resolution)} <span className="muted">of {r.resolutionTotal}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
