// The delivery log: the latest notifications to each channel, how each try went, and why the
// failed ones failed. Replaying is per channel (ChannelCard).
import type { DeliveryRowFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';

const STATUS: Record<DeliveryRowFragment['status'], { label: string; badge: string }> = {
  DELIVERED: { label: 'Delivered', badge: 'status-active' },
  PENDING: { label: 'Waiting', badge: 'status-draft' },
  DEAD: { label: 'Failed', badge: 'status-retired' },
};

function triesInWords(d: DeliveryRowFragment): string {
  if (!d.tries.length) return 'not tried yet';
  return d.tries.map((t) => (t.status === null ? 'no answer' : String(t.status))).join(', ');
}

export function DeliveryLog({ deliveries, channels }: { deliveries: DeliveryRowFragment[]; channels: Map<string, string> }) {
  if (!deliveries.length) return <p className="muted">Nothing sent yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="delivery-log">
        <caption>The latest {deliveries.length} deliveries, newest first; tries lists each answer (HTTP status) in order.</caption>
        <thead>
          <tr>
            <th scope="col">Queued</th>
            <th scope="col">Channel</th>
            <th scope="col">Notification</th>
            <th scope="col">Status</th>
            <th scope="col">Tries</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} data-status={d.status}>
              <td className="small">{formatDateTime(d.createdAt)}</td>
              <td>{channels.get(d.channelId) ?? 'Deleted channel'}</td>
              <td>{d.title}</td>
              <td>
                <span className={`badge ${STATUS[d.status].badge}`}>{STATUS[d.status].label}</span>
                {d.status === 'PENDING' && d.nextAt ? <div className="small muted">next try {formatDateTime(d.nextAt)}</div> : null}
                {d.status === 'DELIVERED' && d.deliveredAt ? <div className="small muted">{formatDateTime(d.deliveredAt)}</div> : null}
              </td>
              <td className="small">
                {triesInWords(d)}
                {d.lastError && d.status !== 'DELIVERED' ? <div className="muted">{d.lastError}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
