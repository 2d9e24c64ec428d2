import Link from 'next/link';
import { IncidentTable, incidentHref } from '@/components/incident-table';
import { Empty, ErrorBox, PageHeader, PriorityBadge } from '@/components/ui';
import { OverviewDocument } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { gql } from '@/lib/server';

export default async function OverviewPage() {
  const res = await gql(OverviewDocument);
  return (
    <>
      <PageHeader
        title="Overview"
        lead={
          'What needs attention now: open incidents close to or past their SLA targets, ' +
          'and resolved incidents still waiting for their review.'
        }
      />
      {res.error !== undefined ? (
        <ErrorBox title="The overview could not be loaded" message={res.error} />
      ) : (
        <>
          <div className="grid-cards" style={{ marginBottom: '1rem' }}>
            <div className="stat">
              <Link href="/incidents?status=NEW,TRIAGED,INVESTIGATING,ON_HOLD">
                <span className="value">{res.data.open.totalCount}</span> open incidents
              </Link>
            </div>
            <div className="stat">
              <Link href="/incidents/queue">
                <span className="value">{res.data.atRiskCount}</span> at risk (≥ 75 % of a target)
              </Link>
            </div>
            <div className="stat">
              <span className="value">{res.data.breachedCount}</span> open with a breached target
            </div>
            <div className="stat">
              <Link href="/problems/known-errors">
                <span className="value">{res.data.knownErrors.totalCount}</span> known errors
              </Link>
            </div>
            <div className="stat">
              <Link href="/reviews/awaiting">
                <span className="value">{res.data.awaitingReviewCount}</span> awaiting review
              </Link>
            </div>
          </div>

          <section className="panel" aria-labelledby="risk-h">
            <div className="panel-head">
              <h2 id="risk-h">At risk</h2>
              <Link href="/incidents/queue">Work queue</Link>
            </div>
            {res.data.incidentsAtRisk.length ? (
              <IncidentTable
                incidents={res.data.incidentsAtRisk}
                caption="Open incidents that have used at least 75 % of an SLA target, least time left first"
              />
            ) : (
              <Empty>No open incident has used 75 % of a target.</Empty>
            )}
          </section>

          <section className="panel" aria-labelledby="breach-h">
            <h2 id="breach-h">Breached</h2>
            {res.data.breachedIncidents.length ? (
              <IncidentTable
                incidents={res.data.breachedIncidents}
                caption="Open incidents with a breached SLA clock, most overdue first"
              />
            ) : (
              <Empty>No open incident has breached its SLA.</Empty>
            )}
          </section>

          <section className="panel" aria-labelledby="await-h">
            <div className="panel-head">
              <h2 id="await-h">Awaiting review</h2>
              <Link href="/reviews/awaiting">All awaiting review</Link>
            </div>
            {res.data.incidentsAwaitingReview.length ? (
              <ul className="card-list">
                {res.data.incidentsAwaitingReview.map((a) => (
                  <li key={a.incident.id}>
                    <Link href={incidentHref(a.incident.number)} className="mono">
                      {a.incident.number}
                    </Link>{' '}
                    {a.incident.title} <PriorityBadge priority={a.incident.priority} />{' '}
                    <span className="muted small">
                      resolved {formatDate(a.incident.resolvedAt)}, {a.daysSinceResolution} days ago
                      {a.incident.service ? ` · ${a.incident.service.name}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>Every major and priority 1–2 incident has a published review.</Empty>
            )}
          </section>
        </>
      )}
    </>
  );
}
