'use client';
// Top recurring problems (named by number and title) and cost by service (in the organisation's
// currency): same conventions as the other dashboard charts.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartsData } from '@/lib/dashboard-data';
import { AXIS, ChartCard, money, rowsHeight } from './chart-card';
import { openRow, RowTooltip } from './chart-parts';

const TITLE_CHARS = 26;
const short = (s: string) => (s.length > TITLE_CHARS ? `${s.slice(0, TITLE_CHARS - 1)}…` : s);

/** A problem's axis label: its number, and under it the start of its title. */
function ProblemTick(props: { x?: number | string; y?: number | string; payload?: { value?: string }; titles: Map<string, string> }) {
  const number = String(props.payload?.value ?? '');
  return (
    <text x={Number(props.x)} y={Number(props.y)} textAnchor="end" fontSize={11} fill="#444e5c">
      <tspan x={Number(props.x)} dy={-2} fontWeight={600}>
        {number}
      </tspan>
      <tspan x={Number(props.x)} dy={12}>
        {short(props.titles.get(number) ?? '')}
      </tspan>
    </text>
  );
}

export function ProblemCostCharts({ data, go }: { data: ChartsData; go: (href: string | undefined) => void }) {
  const open = openRow(go);
  const p = data.problems;
  const titles = new Map(p.rows.map((r) => [r.label, r.title]));
  const cur = data.currency;
  return (
    <>
      <ChartCard
        id="problems"
        title="Top recurring problems"
        metrics={[p.metric]}
        legend={['Incidents', 'Recurring']}
        height={rowsHeight(p.rows.length, 44, 50, 160)}
        empty={p.rows.length ? null : 'No problem has two or more incidents in this range.'}
        exportAs="recurring-problems"
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
              {p.rows.map((r) => (
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
        <BarChart data={p.rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS} allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={170} tick={(t: object) => <ProblemTick {...t} titles={titles} />} />
          <Tooltip
            content={(tp) => (
              <RowTooltip
                {...tp}
                title={(row) => `${String(row.number)} ${String(row.title)}`}
                fields={[
                  { key: 'incidents', name: 'Incidents', color: '#8e44ad', format: (x) => String(x ?? 0) },
                  { key: 'recurring', name: 'Recurring', color: '#c0392b', format: (x) => String(x ?? 0) },
                ]}
              />
            )}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="incidents" name="Incidents" fill="#8e44ad" cursor="pointer" isAnimationActive={false} onClick={open} />
          <Bar dataKey="recurring" name="Recurring" fill="#c0392b" cursor="pointer" isAnimationActive={false} onClick={open} />
        </BarChart>
      </ChartCard>

      <ChartCard
        id="cost"
        title="Cost by service"
        metrics={[data.cost.metric]}
        summary={`total ${money(data.cost.total, cur)}`}
        legend={[`Cost (${cur})`]}
        height={rowsHeight(data.cost.rows.length, 30, 40)}
        empty={data.cost.rows.length ? null : 'No time was recorded against incidents of this range.'}
        exportAs="cost-by-service"
        table={
          <table className="data">
            <caption className="visually-hidden">Cost of time entries by service, in {cur}</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col" className="num">
                  Cost ({cur})
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
                  <td className="num">{money(r.cost, cur)}</td>
                  <td className="num">{r.hours.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <BarChart data={data.cost.rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS} tickFormatter={(c: number) => money(c, cur)} />
          <YAxis type="category" dataKey="label" tick={AXIS} width={120} />
          <Tooltip
            content={(tp) => (
              <RowTooltip
                {...tp}
                fields={[
                  { key: 'cost', name: 'Cost', color: '#16a085', format: (x) => (x == null ? 'no data' : money(x, cur)) },
                  { key: 'hours', name: 'Hours', format: (x) => (x ?? 0).toFixed(1) },
                ]}
              />
            )}
          />
          <Bar dataKey="cost" name={`Cost (${cur})`} fill="#16a085" cursor="pointer" isAnimationActive={false} onClick={open} />
        </BarChart>
      </ChartCard>
    </>
  );
}
