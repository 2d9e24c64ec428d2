// The tracker sync log: calls made to Jira and GitHub and webhooks received, newest first.
import { Empty } from '@/components/ui';
import type { TrackerSyncRowFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';

const BADGE: Record<string, string> = { OK: 'status-active', RECEIVED: 'status-active', FAILED: 'priority-1' };

export function SyncLog({ rows }: { rows: TrackerSyncRowFragment[] }) {
  if (!rows.length) return <Empty>Nothing sent or received yet.</Empty>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Tracker</th>
            <th scope="col">Issue</th>
            <th scope="col">What</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="small">{formatDateTime(r.at)}</td>
              <td>{r.connectionName}</td>
              <td className="mono">{r.externalKey ?? '—'}</td>
              <td className="mono small">
                {r.operation}
                {r.httpStatus != null ? ` → ${r.httpStatus}` : ''}
                {r.durationMs != null ? ` (${r.durationMs} ms)` : ''}
              </td>
              <td className="small">
                <span className={`badge ${BADGE[r.outcome] ?? ''}`}>{r.outcome}</span>
                {r.error ? ` ${r.error}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
