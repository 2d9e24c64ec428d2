// One row of the workaround list (/workarounds): status, problems and how well it held.
import Link from 'next/link';
import type { WorkaroundRowFragment } from '@/gql/graphql';
import { formatDate, formatMinutes } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { StatusBadge } from './ui';

export function WorkaroundRow({ workaround: w }: { workaround: WorkaroundRowFragment }) {
  return (
    <tr>
      <td className="title-cell">
        <Link href={`/workarounds/${w.id}`}>{w.title}</Link>
      </td>
      <td>
        <StatusBadge status={w.status} />
      </td>
      <td className="small">
        {w.problems.map((p, n) => (
          <span key={p.id}>
            {n ? ', ' : ''}
            <Link href={`/problems/${encodeURIComponent(p.number)}`}>{p.number}</Link>
          </span>
        ))}
      </td>
      <td className="num">{w.effectiveness.timesApplied}</td>
      <td className="num">{w.effectiveness.incidents}</td>
      <td className="num">{heldText(w.effectiveness.resolvedWithoutReopenShare, w.effectiveness.inFlight)}</td>
      <td className="num">{formatMinutes(w.effectiveness.medianMinutesToResolution)}</td>
      <td className="small nowrap">{formatDate(w.updatedAt)}</td>
    </tr>
  );
}
