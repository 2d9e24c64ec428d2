'use client';
// Small pieces the dashboard's charts share: the row tooltip (says "no data" and "partial"), the
// partial bucket's bar shape, and the dashed partial segment of a line.
import { Rectangle, type BarRectangleItem, type BarShapeProps } from 'recharts';
import { hours } from './chart-card';

type Row = Record<string, unknown> & { label?: string; partial?: boolean; partialNote?: string };
export interface TipField {
  key: string;
  name: string;
  format: (v: number | null) => string;
  color?: string;
}

/** The hovered row's own figures (not the drawn series): null reads "no data", a partial bucket says so. */
export function RowTooltip({
  active,
  payload,
  fields,
  title,
}: {
  active?: boolean;
  payload?: readonly { payload?: unknown }[];
  fields: TipField[];
  title?: (row: Row) => string;
}) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  return (
    <div className="chart-tip">
      <strong>{title ? title(row) : String(row.label ?? '')}</strong>
      {row.partial ? <div className="chart-tip-partial">{row.partialNote}</div> : null}
      {fields.map((f) => {
        // A partial bucket's value sits under `${key}Partial` (splitPartial).
        const v = row[f.key] ?? row[`${f.key}Partial`];
        const n = typeof v === 'number' ? v : null;
        return (
          <div key={f.key} className={n == null ? 'muted' : undefined}>
            {f.color ? <span className="chart-tip-dot" style={{ background: f.color }} /> : null}
            {f.name}: {f.format(n)}
          </div>
        );
      })}
    </div>
  );
}

/** A bar's click handler: opens the incidents behind the bar (its row's href). */
export function openRow(go: (href: string | undefined) => void) {
  return (item: BarRectangleItem) => go((item.payload as { href?: string } | undefined)?.href);
}

/** The tooltip of a time-to-resolve row, over time or by service / team. */
export const TTR_TIP_FIELDS: TipField[] = [
  { key: 'median', name: 'Median', color: '#1f5fbf', format: hours },
  { key: 'p90', name: 'p90', color: '#d9731a', format: hours },
  { key: 'count', name: 'Resolved', format: (x) => String(x ?? 0) },
];

/** A bar whose bucket is partial: pale fill and a dashed outline (self-contained, so PNG exports keep it). */
export function PartialBar(props: BarShapeProps) {
  const partial = (props.payload as Row | undefined)?.partial === true;
  return partial ? (
    <Rectangle {...props} fillOpacity={0.35} stroke={props.fill} strokeDasharray="4 2" strokeWidth={1.5} />
  ) : (
    <Rectangle {...props} />
  );
}

/**
 * Rows for a line chart with partial buckets: each key k keeps its value on whole buckets and gets
 * `${k}Partial` on a partial bucket and its neighbour, so a dashed line joins the whole ones to it.
 */
export function splitPartial<T extends { partial: boolean }>(rows: T[], keys: (keyof T & string)[]): (T & Record<string, unknown>)[] {
  return rows.map((r, i) => {
    const out: Record<string, unknown> = { ...r };
    const near = r.partial || rows[i - 1]?.partial === true || rows[i + 1]?.partial === true;
    for (const k of keys) {
      out[`${k}Partial`] = near ? r[k] : null;
      if (r.partial) out[k] = null;
    }
    return out as T & Record<string, unknown>;
  });
}

/**
 * "no data" columns for bar charts: `full` (the axis' top) where the value is null, so a pale grey
 * bar labelled "no data" stands in for it, while 0 % stays a sliver of colour (minPointSize).
 */
export function withNoData<T>(rows: T[], keys: (keyof T & string)[], full = 1): (T & Record<string, number | null>)[] {
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...(r as object) };
    for (const k of keys) out[`${k}NoData`] = r[k] == null ? full : null;
    return out as T & Record<string, number | null>;
  });
}

export const NO_DATA_FILL = '#d5dae1';
