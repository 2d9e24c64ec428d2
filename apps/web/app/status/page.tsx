// The public status page: no sign-in (proxy.ts lets /status through), outside the signed-in layout.
// Everything on it comes from the API's GET /status.json: public services and public updates only.
import type { Metadata } from 'next';
import { StatusIncidents } from '@/components/status-page/incident-list';
import { SubscribeForm } from '@/components/status-page/subscribe-form';
import { UptimeBars } from '@/components/status-page/uptime-bars';
import { fetchStatus } from '@/lib/status-api';
import '@/components/status-page/status.css';

export const metadata: Metadata = { title: 'Status' };

export default async function StatusPage() {
  const { doc, error } = await fetchStatus();
  return (
    <main id="main" className="status-page" tabIndex={-1}>
      <h1>Service status</h1>
      {!doc ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : (
        <>
          <p className={`status-banner state-${doc.state.toLowerCase()}`} role="status">
            {doc.state === 'OPERATIONAL'
              ? 'All services are operating normally.'
              : `Some services are affected: ${doc.stateLabel.toLowerCase()}.`}
          </p>
          <StatusIncidents incidents={doc.active} heading="Current incidents" id="active-h" />
          <section className="status-section" aria-labelledby="services-h">
            <h2 id="services-h">Services</h2>
            {doc.services.length ? (
              <ul className="status-services">
                {doc.services.map((s) => (
                  <li key={s.id} className="status-service">
                    <div className="status-service-head">
                      <h3>{s.name}</h3>
                      <span className={`status-tag state-${s.state.toLowerCase()}`}>{s.stateLabel}</span>
                    </div>
                    <UptimeBars service={s} />
                    <p className="status-service-foot muted small">
                      <span>90 days ago</span>
                      <span>{s.uptimeText} uptime</span>
                      <span>Today</span>
                    </p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No services are published on this page yet.</p>
            )}
          </section>
          <StatusIncidents incidents={doc.recent} heading="Resolved in the last 7 days" id="recent-h" />
          <section className="status-section" aria-labelledby="def-h">
            <h2 id="def-h">How these are worked out</h2>
            <p className="small">{doc.definitions.state}</p>
            <p className="small">{doc.definitions.uptime}</p>
            <p className="muted small">
              As of <time dateTime={doc.generatedAt}>{doc.generatedAt.replace('T', ' ').slice(0, 16)} UTC</time>.
            </p>
          </section>
          {doc.subscriptions ? (
            <section className="status-section" aria-labelledby="sub-h">
              <h2 id="sub-h">Get updates by e-mail</h2>
              <SubscribeForm services={doc.services.map((s) => ({ id: s.id, name: s.name }))} />
            </section>
          ) : null}
        </>
      )}
    </main>
  );
}
