'use client';
// SLA compliance as bars and as a table, shared by the charts by priority, service and team. A row
// with no verdict for a target is "no data" (a pale grey bar and the words), never 0 %.
import { Bar, BarChart, CartesianGrid, LabelList, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, NO_DATA, pct } from './chart-card';
import { NO_DATA_FILL, openRow, RowTooltip, withNoData } from './chart-parts';

export type SlaRow = {
  label: string;
  href: string;
  response: number | null;
  responseTotal: number;
  resolution: number | null;
  resolutionTotal: number;
  partialNote?: string;
};

/**
 * Response and resolution met per row. Horizontal when the rows are names (services, teams) so
 * that long names stay readable on a phone.
 */
export function SlaBars({ rows, go, horizontal }: { rows: SlaRow[]; go: (href: string | undefined) => void; horizontal?: boolean }) {
  const data = withNoData(rows, ['response', 'resolution']);
  const open = openRow(go);
  const bars = (
    [
      ['response', 'Response met', '#1f5fbf'],
      ['resolution', 'Resolution met', '#2e8b57'],
    ] as const
  ).map(([key, name, fill]) => [
    <Bar
      key={key}
      dataKey={key}
      name={name}
      stackId={key}
      fill={fill}
      minPointSize={2}
      cursor="pointer"
      isAnimationActive={false}
      onClick={open}
    />,
    <Bar
      key={`${key}NoData`}
      dataKey={`${key}NoData`}
      name={`${name}: no data`}
      stackId={key}
      fill={NO_DATA_FILL}
      fillOpacity={0.6}
      legendType="none"
      isAnimationActive={false}
      className="no-data-bar"
    >
      <LabelList
        dataKey={`${key}NoData`}
        position={horizontal ? 'insideLeft' : 'insideBottom'}
        formatter={(v: unknown) => (v == null ? '' : NO_DATA)}
        fontSize={10}
        fill="#444e5c"
      />
    </Bar>,
  ]);
  return (
    <BarChart
      data={data}
      layout={horizontal ? 'vertical' : 'horizontal'}
      margin={{ top: 8, right: 16, bottom: 4, left: horizontal ? 8 : 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={!!horizontal} horizontal={!horizontal} />
      {horizontal ? (
        <>
          <XAxis type="number" tick={AXIS} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
          <YAxis type="category" dataKey="label" tick={AXIS} width={120} />
        </>
      ) : (
        <>
          <XAxis dataKey="label" tick={AXIS} />
          <YAxis tick={AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
        </>
      )}
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
      {bars.flat()}
    </BarChart>
  );
}

/** The figures behind an SLA chart: response and resolution met, with how many each counts, per row. */
export function SlaTable({ caption, first, rows }: { caption: string; first: string; rows: SlaRow[] }) {
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
              {r.partialNote ? <span className="muted small"> ({r.partialNote})</span> : null}
            </th>
            <td className={`num${r.response == null ? ' no-data' : ''}`}>
              {pct(r.response)} <span className="muted">of {r.responseTotal}</span>
            </td>
            <td className={`num${r.resolution == null ? ' no-data' : ''}`}>
              {pct(r.resolution)} <span className="muted">of {r.resolutionTotal}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
