// Number, title and badges of an incident, with Acknowledge while no one has responded.
import { clockChip, listedClocks } from '@ikb/domain';
import { MajorBadge, PriorityBadge, StatusBadge } from '@/components/ui';
import type { IncidentHeaderFragment } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { AcknowledgeButton } from './acknowledge-button';

export function IncidentHeader({ incident: i, canAcknowledge }: { incident: IncidentHeaderFragment; canAcknowledge: boolean }) {
  return (
    <div className="page-header">
      <div>
        <div className="eyebrow">{i.number}</div>
        <h1>{i.title}</h1>
        <div className="actions">
          <StatusBadge status={i.status} />
          <PriorityBadge priority={i.priority} />
          {i.priorityOverridden ? (
            <span className="badge" title={i.priorityOverrideReason ?? ''}>
              Priority overridden: {i.priorityOverrideReason}
            </span>
          ) : null}
          {i.major ? <MajorBadge /> : null}
          {i.holdReason && i.status === 'ON_HOLD' ? <span className="badge">{humanize(i.holdReason)}</span> : null}
          {i.reopenCount ? <span className="badge">Reopened {i.reopenCount}×</span> : null}
          {listedClocks(i.slaClocks).map((c) => {
            // Same rule as lists and cards: a breached clock reads breached even while paused.
            const chip = clockChip(c, i.status === 'ON_HOLD' ? (i.holdReason ?? null) : null);
            return (
              <span key={c.target} className={`badge sla-chip tone-${chip.tone}`} title={chip.description}>
                {humanize(c.target)} SLA: {chip.label}
                <span className="visually-hidden">: {chip.description}</span>
              </span>
            );
          })}
        </div>
      </div>
      <div className="page-actions">{canAcknowledge ? <AcknowledgeButton id={i.id} /> : null}</div>
    </div>
  );
}
