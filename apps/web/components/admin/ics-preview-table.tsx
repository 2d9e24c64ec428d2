'use client';
// The dates an .ics file holds, each with a checkbox: days off start ticked; observances, timed,
// cancelled and out-of-window dates start unticked, with the file's reason beside them.
import { formatDate, humanize } from '@/lib/format';
import type { IcsPreview } from './use-ics-preview';

const STATUS_LABEL: Record<string, string> = {
  DAY_OFF: 'Day off',
  OBSERVANCE: 'Observance',
  TIMED: 'Timed event',
  CANCELLED: 'Cancelled',
  OUTSIDE_WINDOW: 'Outside window',
};

export function IcsPreviewTable({
  preview,
  chosen,
  onToggle,
  onChoose,
}: {
  preview: IcsPreview;
  chosen: Set<string>;
  onToggle: (date: string, on: boolean) => void;
  onChoose: (dates: string[]) => void;
}) {
  if (!preview.days.length) return <p className="small muted wide">The file holds no dates.</p>;
  const count = `${preview.days.length} date${preview.days.length === 1 ? '' : 's'}`;
  return (
    <div className="wide">
      <p className="small muted" data-testid="ics-summary">
        {preview.calendarName ? `“${preview.calendarName}”: ` : ''}
        {count}; recurring events expanded from {formatDate(preview.windowFrom)} to {formatDate(preview.windowTo)}.
      </p>
      {preview.warnings.length ? (
        <ul className="small muted">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="btn plain small"
          onClick={() => onChoose(preview.days.filter((d) => d.selected).map((d) => d.date))}
        >
          Tick the days off
        </button>
        <button type="button" className="btn plain small" onClick={() => onChoose(preview.days.map((d) => d.date))}>
          Tick all
        </button>
        <button type="button" className="btn plain small" onClick={() => onChoose([])}>
          Untick all
        </button>
      </div>
      <div className="table-wrap ics-preview-scroll">
        <table className="data" data-testid="ics-preview">
          <caption className="visually-hidden">Dates in the file</caption>
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">Date</th>
              <th scope="col">Weekday</th>
              <th scope="col">Name</th>
              <th scope="col">What the file says</th>
            </tr>
          </thead>
          <tbody>
            {preview.days.map((d, i) => (
              <tr key={`${d.date}-${d.name}-${i}`} data-status={d.status}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Import ${d.date} ${d.name}`}
                    value={d.date}
                    checked={chosen.has(d.date)}
                    onChange={(e) => onToggle(d.date, e.currentTarget.checked)}
                  />
                </td>
                <td>{d.date}</td>
                <td>{humanize(d.weekday)}</td>
                <td>
                  {d.name}
                  {d.alreadyHoliday ? <span className="tag"> already a holiday</span> : null}
                </td>
                <td>
                  <span className={`badge ics-${d.status.toLowerCase()}`}>{STATUS_LABEL[d.status] ?? humanize(d.status)}</span>
                  {d.reason ? <span className="small muted"> {d.reason}</span> : null}
                  <span className="small muted"> (line {d.line})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
