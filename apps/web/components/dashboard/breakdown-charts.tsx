'use client';
// SLA compliance and time to resolve (median and p90) by service and by team. A service or team
// with incidents but no verdict / nothing resolved shows "no data", never 0 % or 0 h.
import { Bar, BarChart, CartesianGrid, LabelList, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { BreakdownsData, TtrKeyRow } from '@/lib/dashboard-data';
import { AXIS, ChartCard, hours, NO_DATA, rowsHeight } from './chart-card';
import { NO_DATA_FILL, openRow, RowTooltip, TTR_TIP_FIELDS, withNoData } from './chart-parts';
import { SlaBars, SlaTable } from './sla-table';

export function BreakdownCharts({ data, go }: { data: BreakdownsData; go: (href: string | undefined) => void }) {
  const sla = (id: string, what: 'service' | 'team', rows: BreakdownsData['slaByService']) => (
    <ChartCard
      id={id}
      title={`SLA compliance by ${what}`}
      metrics={[data.slaMetric]}
      legend={['Response met', 'Resolution met']}
      height={rowsHeight(rows.length)}
      empty={rows.length ? null : 'No incident in this range.'}
      exportAs={`sla-by-${what}`}
      table={<SlaTable caption={`SLA compliance by ${what}`} first={what === 'service' ? 'Service' : 'Team'} rows={rows} />}
    >
      <SlaBars rows={rows} go={go} horizontal />
    </ChartCard>
  );
  const ttr = (id: string, what: 'service' | 'team', rows: TtrKeyRow[]) => (
    <ChartCard
      id={id}
      title={`Time to resolve by ${what}: median and p90`}
      metrics={[data.ttrMetric]}
      legend={['Median', 'p90']}
      height={rowsHeight(rows.length)}
      empty={rows.length ? null : 'No incident in this range.'}
      exportAs={`time-to-resolve-by-${what}`}
      table={
        <table className="data">
          <caption className="visually-hidden">Time to resolve by {what}, in hours</caption>
          <thead>
            <tr>
              <th scope="col">{what === 'service' ? 'Service' : 'Team'}</th>
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
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">
                  <a href={r.href}>{r.label}</a>
                </th>
                <td className="num">{r.count}</td>
                <td className={`num${r.median == null ? ' no-data' : ''}`}>{hours(r.median)}</td>
                <td className={`num${r.p90 == null ? ' no-data' : ''}`}>{hours(r.p90)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <TtrBars rows={rows} go={go} />
    </ChartCard>
  );
  return (
    <>
      {sla('sla-service', 'service', data.slaByService)}
      {sla('sla-team', 'team', data.slaByTeam)}
      {ttr('ttr-service', 'service', data.ttrByService)}
      {ttr('ttr-team', 'team', data.ttrByTeam)}
    </>
  );
}

function TtrBars({ rows, go }: { rows: TtrKeyRow[]; go: (href: string | undefined) => void }) {
  const top = Math.max(1, ...rows.map((r) => r.p90 ?? 0));
  const data = withNoData(rows, ['median'], top);
  const open = openRow(go);
  return (
    <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" tick={AXIS} unit=" h" domain={[0, 'auto']} />
      <YAxis type="category" dataKey="label" tick={AXIS} width={120} />
      <Tooltip content={(p) => <RowTooltip {...p} fields={TTR_TIP_FIELDS} />} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Bar
        dataKey="median"
        name="Median"
        stackId="m"
        fill="#1f5fbf"
        minPointSize={2}
        cursor="pointer"
        isAnimationActive={false}
        onClick={open}
      />
      <Bar
        dataKey="medianNoData"
        name="no data"
        stackId="m"
        fill={NO_DATA_FILL}
        fillOpacity={0.6}
        legendType="none"
        isAnimationActive={false}
      >
        <LabelList
          dataKey="medianNoData"
          position="insideLeft"
          formatter={(v: unknown) => (v == null ? '' : NO_DATA)}
          fontSize={10}
          fill="#444e5c"
        />
      </Bar>
      <Bar dataKey="p90" name="p90" fill="#d9731a" minPointSize={2} cursor="pointer" isAnimationActive={false} onClick={open} />
    </BarChart>
  );
}
