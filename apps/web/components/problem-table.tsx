import Link from 'next/link';
import type { ProblemRowFragment } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import { SelectAllBox } from './lists/select-all-box';
import { StatusBadge } from './ui';

export function problemHref(number: string) {
  return `/problems/${encodeURIComponent(number)}`;
}

export function ProblemTable({
  problems,
  caption,
  selectForm,
}: {
  problems: ProblemRowFragment[];
  caption: string;
  /** The id of a bulk-action form: each row gets a checkbox of that form, the header a select-all. */
  selectForm?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {selectForm ? (
              <th scope="col" className="select-cell">
                <SelectAllBox form={selectForm} label="Select every problem on this page" />
              </th>
            ) : null}
            <th scope="col">Number</th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Root cause</th>
            <th scope="col">Service</th>
            <th scope="col" className="num">
              Incidents
            </th>
            <th scope="col" className="num">
              Since fix
            </th>
            <th scope="col">Owner / team</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={p.id}>
              {selectForm ? (
                <td className="select-cell">
                  <input type="checkbox" name="problem" value={p.id} form={selectForm} aria-label={`Select ${p.number}`} />
                </td>
              ) : null}
              <td className="mono nowrap">
                <Link href={problemHref(p.number)}>{p.number}</Link>
              </td>
              <td className="title-cell">
                <Link href={problemHref(p.number)}>{p.title}</Link>
                {p.isKnownError ? <span className="tag">known error</span> : null}
              </td>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td className="small">{humanize(p.rootCauseCategory)}</td>
              <td>{p.service?.name ?? '—'}</td>
              <td className="num">{p.incidentCount}</td>
              <td className="num" title="Incidents opened after the problem was resolved">
                {p.recurrencesSinceFix ?? '—'}
              </td>
              <td>
                {p.owner?.name ?? <span className="muted">No owner</span>}
                <div className="muted small">{p.team?.name ?? 'No team'}</div>
              </td>
              <td className="small nowrap">{formatDate(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
