'use client';
// A new alert-source token, shown once, with what to paste where: a curl call to the ingest
// endpoint, an Alertmanager receiver (max_alerts: 100, the most one request may carry) and the URL
// and header the other recognised senders (Grafana, PagerDuty v3, Opsgenie, Datadog) are given.
import { CopyBlock, SecretOnce } from '@/components/secret-once';

export function SourceToken({ title, token, apiBase, onDone }: { title: string; token: string; apiBase: string; onDone: () => void }) {
  const endpoint = `${apiBase}/ingest/alerts`;
  const curl = [
    `curl -sS -X POST ${endpoint} \\`,
    `  -H 'Authorization: Bearer ${token}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"alerts":[{"title":"Test alert from curl","severity":"warning","fingerprint":"curl-test"}]}'`,
  ].join('\n');
  const alertmanager = [
    'receivers:',
    '  - name: incident-kb',
    '    webhook_configs:',
    `      - url: ${endpoint}`,
    '        send_resolved: true',
    '        max_alerts: 100',
    '        http_config:',
    '          authorization:',
    `            credentials: ${token}`,
  ].join('\n');
  const others = [
    `URL:    ${endpoint}`,
    `Header: Authorization: Bearer ${token}`,
    '',
    'Grafana:   Contact point > Webhook > URL; Optional settings > Authorization header: scheme Bearer, the token',
    'PagerDuty: Webhook subscription (v3) > URL; custom header Authorization = Bearer <token>',
    'Opsgenie:  Integrations > Webhook > URL; custom header Authorization = Bearer <token>',
    'Datadog:   Integrations > Webhooks > URL; custom headers {"Authorization": "Bearer <token>"}',
  ].join('\n');
  const where =
    `${apiBase} is the API's address as this web server reaches it (API_URL); ` +
    'behind a proxy or load balancer, use the address your senders reach the API at.';
  return (
    <SecretOnce title={title} label="Alert source token" secret={token} onDone={onDone}>
      <CopyBlock
        label="curl"
        text={curl}
        hint={`Sends one test alert: it opens an incident (send "status":"resolved" with the same fingerprint to resolve it). ${where}`}
      />
      <CopyBlock
        label="Alertmanager receiver"
        text={alertmanager}
        hint="For alertmanager.yml; route alerts to the receiver incident-kb. At most 100 alerts a request."
      />
      <CopyBlock
        label="Grafana, PagerDuty, Opsgenie, Datadog"
        text={others}
        hint={
          "The format is told by the body's shape (docs/imports.md, Alert ingestion); " +
          "Datadog's payload should add alert_transition and aggreg_key."
        }
      />
    </SecretOnce>
  );
}
