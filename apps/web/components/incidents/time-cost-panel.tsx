// Effort recorded on the incident and its cost; the form to add time while it may still change.
import type { Option } from '@/components/forms';
import { Disclosure, Empty } from '@/components/ui';
import type { TimeCostPanelFragment } from '@/gql/graphql';
import { formatCents, formatDateTime, formatMinutes } from '@/lib/format';
import { TimeEntryForm } from './time-entry-form';

export function TimeCostPanel({ incident: i, canAdd, users }: { incident: TimeCostPanelFragment; canAdd: boolean; users: Option[] }) {
  return (
    <section className="panel" aria-labelledby="time-h">
      <div className="panel-head">
        <h2 id="time-h">Time and cost</h2>
        <span className="small">
          {formatMinutes(i.cost.minutes)} · billable {formatMinutes(i.cost.billableMinutes)} · cost{' '}
          <strong>{formatCents(i.cost.costCents)}</strong>
        </span>
      </div>
      {i.timeEntries.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Time entries</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Who</th>
                <th scope="col" className="num">
                  Time
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {i.timeEntries.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.activity}
                    {t.billable ? <span className="tag">billable</span> : null}
                    {t.note ? <div className="muted small">{t.note}</div> : null}
                  </td>
                  <td className="small">
                    {t.user?.name ?? '—'}
                    <div className="muted">{formatDateTime(t.performedAt)}</div>
                  </td>
                  <td className="num">{formatMinutes(t.minutes)}</td>
                  <td className="num" title={`rate ${formatCents(t.rateCents)}/h`}>
                    {formatCents(t.costCents)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No time recorded yet.</Empty>
      )}
      {canAdd ? (
        <Disclosure summary="Add time entry" style={{ marginTop: '0.5rem' }}>
          <TimeEntryForm incidentId={i.id} users={users} />
        </Disclosure>
      ) : null}
    </section>
  );
}
