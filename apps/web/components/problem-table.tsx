import Link from 'next/link';
import type { ProblemRowFragment } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import { StatusBadge } from './ui';

export function problemHref(number: string) {
  return `/problems/${encodeURIComponent(number)}`;
}

export function ProblemTable({ problems, caption }: { problems: ProblemRowFragment[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
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
            <th scope="col">Owner</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={p.id}>
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
              <td>{p.owner?.name ?? '—'}</td>
              <td className="small nowrap">{formatDate(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
