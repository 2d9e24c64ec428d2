// One row of the review list (/reviews): incidents covered, action items, what is still missing.
import Link from 'next/link';
import { PriorityBadge, StatusBadge } from '@/components/ui';
import type { ReviewRowFragment } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';

export function ReviewRow({ review: r }: { review: ReviewRowFragment }) {
  const open = r.actionItems.filter((a) => a.status === 'OPEN' || a.status === 'IN_PROGRESS').length;
  const overdue = r.actionItems.filter((a) => a.overdue).length;
  return (
    <tr>
      <td className="mono">
        <Link href={`/reviews/${r.id}`}>{r.number}</Link>
      </td>
      <td className="title-cell">
        <Link href={`/reviews/${r.id}`}>{r.title}</Link>
      </td>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td className="small">
        {r.incidents.map((i) => (
          <div key={i.id}>
            <Link href={`/incidents/${encodeURIComponent(i.number)}`}>{i.number}</Link> <PriorityBadge priority={i.priority} />
          </div>
        ))}
      </td>
      <td>{r.facilitator?.name ?? '—'}</td>
      <td className="small">
        {r.actionItems.length} ({open} open{overdue ? `, ${overdue} overdue` : ''})
      </td>
      <td className="small">
        {r.status === 'PUBLISHED' ? '—' : r.missingSections.length ? r.missingSections.map(humanize).join(', ') : 'none'}
      </td>
      <td className="small nowrap">{formatDate(r.publishedAt)}</td>
    </tr>
  );
}
