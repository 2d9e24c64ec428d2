// One row of the incident model list (/models): what it matches and how well it held.
import Link from 'next/link';
import type { ModelRowFragment } from '@/gql/graphql';
import { formatDate, formatMinutes } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { StatusBadge } from './ui';

export function ModelRow({ model: m }: { model: ModelRowFragment }) {
  return (
    <tr>
      <td className="title-cell">
        <Link href={`/models/${m.id}`}>{m.name}</Link> <span className="muted small">v{m.currentVersion}</span>
        <div className="muted small">{m.current.checklist.length} checklist steps</div>
      </td>
      <td>
        <StatusBadge status={m.status} />
      </td>
      <td className="small">
        {[m.current.matchService?.name, m.current.matchCategory?.name].filter(Boolean).join(' · ')}
        <div>
          {m.current.matchKeywords.map((k) => (
            <span className="tag" key={k}>
              {k}
            </span>
          ))}
        </div>
      </td>
      <td className="num">{m.effectiveness.timesApplied}</td>
      <td className="num">{heldText(m.effectiveness.resolvedWithoutReopenShare, m.effectiveness.inFlight)}</td>
      <td className="num">{formatMinutes(m.effectiveness.medianMinutesToResolution)}</td>
      <td className="small nowrap">{formatDate(m.updatedAt)}</td>
    </tr>
  );
}
