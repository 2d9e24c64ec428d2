'use client';
// Backlog by age, MTTA / MTTD by priority and knowledge reuse by category. Same conventions as the
// other dashboard charts: the metric definition beside each chart, a click opens the incidents
// behind a bar, and a data table with the same links for keyboard and screen-reader users.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { MoreChartsData } from '@/lib/dashboard-data';
import { PRIORITY_COLORS } from '@/lib/dashboard-data';
import { AXIS, ChartCard, hours, pct, rowsHeight } from './chart-card';
import { openRow } from './chart-parts';

const PRIORITIES = [1, 2, 3, 4, 5] as const;

export function MoreCharts({ data, go }: { data: MoreChartsData; go: (href: string | undefined) => void }) {
  const open = openRow(go);
  return (
    <>
      <ChartCard
        id="backlog"
        title="Backlog by age"
        metrics={[data.backlog.metric]}
        summary={`${data.backlog.open.toLocaleString('en-GB')} open now`}
        legend={PRIORITIES.map((p) => `P${p}`)}
        exportAs="backlog"
        table={
          <table className="data">
            <caption className="visually-hidden">Open incidents by age and priority</caption>
            <thead>
              <tr>
                <th scope="col">Age</th>
                {PRIORITIES.map((p) => (
                  <th scope="col" className="num" key={p}>
                    P{p}
                  </th>
                ))}
                <th scope="col" className="num">
                  Open
                </th>
              </tr>
            </thead>
            <tbody>
              {data.backlog.rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  {PRIORITIES.map((p) => (
                    <td className="num" key={p}>
                      {r[`p${p}`]}
                    </td>
                  ))}
                  <td className="num">{r.total ? <a href={r.href}>{r.total}</a> : 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart data={data.backlog.rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} allowDecimals={false} width={40} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {PRIORITIES.map((p) => (
            <Bar
              key={p}
              dataKey={`p${p}`}
              name={`P${p}`}
              stackId="backlog"
              fill={PRIORITY_COLORS[p]}
              cursor="pointer"
              isAnimationActive={false}
              onClick={open}
            />
          ))}
        </BarChart>
      </ChartCard>

      <ChartCard
        id="mtta"
        title="Time to acknowledge and to detect, by priority"
        metrics={[data.acknowledge.mttaMetric, data.acknowledge.mttdMetric]}
        legend={['MTTA', 'MTTD']}
        exportAs="acknowledge"
        table={
          <table className="data">
            <caption className="visually-hidden">MTTA and MTTD by priority</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col" className="num">
                  MTTA
                </th>
                <th scope="col" className="num">
                  MTTD
                </th>
              </tr>
            </thead>
            <tbody>
              {data.acknowledge.rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">
                    <a href={r.href}>{r.label}</a>
                  </th>
                  <td className="num">
                    {hours(r.mtta)} <span className="muted">of {r.mttaCount}</span>
                  </td>
                  <td className="num">
                    {hours(r.mttd)} <span className="muted">of {r.mttdCount}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart data={data.acknowledge.rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} width={44} unit=" h" />
          <Tooltip formatter={(value) => hours(typeof value === 'number' ? value : null)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="mtta" name="MTTA" fill="#1f5fbf" cursor="pointer" isAnimationActive={false} onClick={open} />
          <Bar dataKey="mttd" name="MTTD" fill="#8e44ad" cursor="pointer" isAnimationActive={false} onClick={open} />
        </BarChart>
      </ChartCard>

      <ChartCard
        id="reuse"
        title="Knowledge reuse by category"
        metrics={[data.reuse.metric]}
        legend={['Reuse rate']}
        height={rowsHeight(data.reuse.rows.length, 30, 40)}
        empty={data.reuse.rows.length ? null : 'No incident of this range has been resolved yet.'}
        exportAs="knowledge-reuse"
        table={
          <table className="data">
            <caption className="visually-hidden">Resolved incidents that applied a workaround or model, by category</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Reuse rate
                </th>
                <th scope="col" className="num">
                  Resolve time with
                </th>
                <th scope="col" className="num">
                  Without
                </th>
              </tr>
            </thead>
            <tbody>
              {data.reuse.rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">
                    <a href={r.href}>{r.label}</a>
                  </th>
                  <td className="num">
                    {pct(r.rate)}{' '}
                    <span className="muted">
                      ({r.reused} of {r.resolved})
                    </span>
                  </td>
                  <td className="num">{hours(r.withHours)}</td>
                  <td className="num">{hours(r.withoutHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart data={data.reuse.rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
          <YAxis type="category" dataKey="label" tick={AXIS} width={130} />
          <Tooltip formatter={(value) => pct(typeof value === 'number' ? value : null)} />
          <Bar dataKey="rate" name="Reuse rate" fill="#2e8b57" cursor="pointer" isAnimationActive={false} onClick={open} />
        </BarChart>
      </ChartCard>
    </>
  );
}
