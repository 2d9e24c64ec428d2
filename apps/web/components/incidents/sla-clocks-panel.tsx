// The incident's SLA clocks (response and resolution), one card each.
import { SlaClockCard } from '@/components/sla-clock';
import { Empty } from '@/components/ui';
import type { SlaClocksPanelFragment } from '@/gql/graphql';

export function SlaClocksPanel({ incident: i }: { incident: SlaClocksPanelFragment }) {
  return (
    <section className="panel" aria-labelledby="sla-h">
      <h2 id="sla-h">SLA clocks</h2>
      {i.slaClocks.length ? (
        <div className="clocks">
          {i.slaClocks.map((c) => (
            <SlaClockCard key={c.target} clock={c} holdReason={i.status === 'ON_HOLD' ? (i.holdReason ?? null) : null} />
          ))}
        </div>
      ) : (
        <Empty>No SLA clocks: no policy applies to this incident.</Empty>
      )}
    </section>
  );
}
