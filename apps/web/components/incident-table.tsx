import { listedClocks } from '@ikb/domain';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { IncidentRowFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { SelectAllBox } from './lists/select-all-box';
import { SlaPill } from './sla-clock';
import { MajorBadge, PriorityBadge, StatusBadge } from './ui';

export function incidentHref(number: string): string {
  return `/incidents/${encodeURIComponent(number)}`;
}

type Column = 'priority' | 'status' | 'opened' | 'sla' | 'number';

/**
 * Header cells may be links (sortable columns); pass them in `headers`, and the current order in
 * `sortedBy` so that column's <th> says aria-sort (the others sortable but unsorted: "none").
 */
export function IncidentTable({
  incidents,
  caption,
  headers,
  sortedBy,
  selectForm,
}: {
  incidents: IncidentRowFragment[];
  caption: string;
  headers?: Partial<Record<Column, ReactNode>>;
  sortedBy?: { column: string; direction: 'ASC' | 'DESC' };
  /** The id of a bulk-action form: each row gets a checkbox of that form, the header a select-all. */
  selectForm?: string;
}) {
  const ariaSort = (c: Column) => {
    if (!sortedBy || !headers?.[c]) return undefined;
    if (sortedBy.column !== c) return 'none' as const;
    return sortedBy.direction === 'ASC' ? ('ascending' as const) : ('descending' as const);
  };
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {selectForm ? (
              <th scope="col" className="select-cell">
                <SelectAllBox form={selectForm} label="Select every incident on this page" />
              </th>
            ) : null}
            <th scope="col" aria-sort={ariaSort('number')}>
              {headers?.number ?? 'Number'}
            </th>
            <th scope="col">Title</th>
            <th scope="col" aria-sort={ariaSort('priority')}>
              {headers?.priority ?? 'Priority'}
            </th>
            <th scope="col" aria-sort={ariaSort('status')}>
              {headers?.status ?? 'Status'}
            </th>
            <th scope="col">Service</th>
            <th scope="col">Team / assignee</th>
            <th scope="col" aria-sort={ariaSort('sla')}>
              {headers?.sla ?? 'Resolution SLA'}
            </th>
            <th scope="col" aria-sort={ariaSort('opened')}>
              {headers?.opened ?? 'Opened'}
            </th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => {
            // The shared rule: resolution, and the response clock while it is outstanding (a breach shows even when paused).
            const listed = listedClocks(i.slaClocks);
            const clock = listed.find((c) => c.target === 'RESOLUTION');
            const response = listed.find((c) => c.target === 'RESPONSE');
            const hold = i.status === 'ON_HOLD' ? (i.holdReason ?? null) : null;
            return (
              <tr key={i.id}>
                {selectForm ? (
                  <td className="select-cell">
                    <input type="checkbox" name="incident" value={i.id} form={selectForm} aria-label={`Select ${i.number}`} />
                  </td>
                ) : null}
                <td className="nowrap mono">
                  <Link href={incidentHref(i.number)}>{i.number}</Link>
                </td>
                <td className="title-cell">
                  <Link href={incidentHref(i.number)}>{i.title}</Link> {i.major ? <MajorBadge /> : null}
                  {i.category ? (
                    <div className="muted small">
                      {i.category.parent ? `${i.category.parent.name} › ${i.category.name}` : i.category.name}
                    </div>
                  ) : null}
                </td>
                <td>
                  <PriorityBadge priority={i.priority} />
                </td>
                <td>
                  <StatusBadge status={i.status} />
                  {i.holdReason && i.status === 'ON_HOLD' ? <div className="muted small">{humanize(i.holdReason)}</div> : null}
                </td>
                <td>{i.service?.name ?? <span className="muted">—</span>}</td>
                <td>
                  {i.team?.name ?? <span className="muted">No team</span>}
                  <div className="muted small">{i.assignee?.name ?? 'Unassigned'}</div>
                </td>
                <td>
                  <SlaPill clock={clock} holdReason={hold} />
                  {response ? (
                    <div className="small muted">
                      Response: <SlaPill clock={response} holdReason={hold} />
                    </div>
                  ) : null}
                </td>
                <td className="nowrap small">{formatDateTime(i.openedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
