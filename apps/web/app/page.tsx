import { apiUrl, fetchRecentIncidents, type IncidentRow } from '@/lib/api';

// Rendered on every request: the list must reflect the API now, never a build-time snapshot.
export const dynamic = 'force-dynamic';

const PRIORITY_LABELS: Record<number, string> = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
};

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateFormat.format(date)} UTC`;
}

function formatStatus(status: string): string {
  const words = status.replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatPriority(priority: number): string {
  const label = PRIORITY_LABELS[priority];
  return label ? `P${priority} ${label}` : `P${priority}`;
}

function IncidentTable({ incidents }: { incidents: IncidentRow[] }) {
  return (
    <table className="incidents">
      <caption>Most recent incidents</caption>
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Title</th>
          <th scope="col">Service</th>
          <th scope="col">Priority</th>
          <th scope="col">Status</th>
          <th scope="col">Opened</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id}>
            <th scope="row">{incident.number}</th>
            <td>{incident.title}</td>
            <td>{incident.service?.name ?? '—'}</td>
            <td>
              <span className={`priority priority-${incident.priority}`}>{formatPriority(incident.priority)}</span>
            </td>
            <td>{formatStatus(incident.status)}</td>
            <td>
              <time dateTime={incident.openedAt}>{formatDate(incident.openedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function HomePage() {
  const result = await fetchRecentIncidents();

  return (
    <>
      <h1>Incident knowledge base</h1>
      <p className="lead">
        Past resolutions, workarounds, known errors and post-incident reviews for the incidents your teams handle.
      </p>

      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent incidents</h2>
        {result.ok ? (
          <>
            <p className="count" data-testid="incident-count">
              <strong>{result.data.totalCount}</strong> {result.data.totalCount === 1 ? 'incident' : 'incidents'} in
              total
            </p>
            {result.data.incidents.length > 0 ? (
              <div className="table-wrap">
                <IncidentTable incidents={result.data.incidents} />
              </div>
            ) : (
              <p className="empty">No incidents have been logged yet.</p>
            )}
          </>
        ) : (
          <div className="error" role="alert" data-testid="api-error">
            <h3>The incident list could not be loaded</h3>
            <p>{result.error}</p>
            <p className="hint">
              Check that the API is running at <code>{apiUrl()}</code> (set <code>API_URL</code> to change it).
            </p>
          </div>
        )}
      </section>
    </>
  );
}
