import { Migration } from '@mikro-orm/migrations';

/**
 * Alerts are deduplicated by an identity instead of the bare fingerprint: some senders reuse one
 * fingerprint for different alerts (four alerts, one fingerprint), so Alertmanager and Grafana
 * alerts are keyed on fingerprint plus a hash of their labels, and PagerDuty, Opsgenie and Datadog
 * on their own ids (features/ingest, docs/imports.md "Deduplication").
 *
 * Existing rows keep their fingerprint as identity: the ingest code matches such a row when the
 * fingerprint and the labels are the same (jsonb equality ignores key order), so an alert open
 * before the upgrade is attached to, not opened twice. `follows_incident_id` records the incident a
 * firing alert's new incident follows (the earlier one was closed, or resolved too long ago).
 */
export class Migration20261207020000_alert_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table ingested_alerts add column identity varchar(300);`);
    this.addSql(`update ingested_alerts set identity = fingerprint;`);
    this.addSql(`alter table ingested_alerts alter column identity set not null;`);
    this.addSql(`alter table ingested_alerts add column follows_incident_id uuid
      references incidents (id) on delete set null deferrable initially deferred;`);
    this.addSql(`alter table ingested_alerts drop constraint if exists ingested_alerts_source_id_fingerprint_incident_id_key;`);
    // Also the index of the lookup by source and identity (its leading columns).
    this.addSql(`alter table ingested_alerts add constraint ingested_alerts_identity_key unique (source_id, identity, incident_id);`);
    // The legacy match (identity = fingerprint) looks rows up by fingerprint.
    this.addSql(`create index ingested_alerts_fingerprint_idx on ingested_alerts (source_id, fingerprint);`);
    this.addSql(`comment on column ingested_alerts.identity is
      'Deduplication key within the source: fingerprint/labels-hash (Alertmanager, Grafana), the sender id (PagerDuty, Opsgenie,
       Datadog), or the fingerprint (generic; rows from before 2026-12-07).';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index ingested_alerts_fingerprint_idx;`);
    this.addSql(`alter table ingested_alerts drop constraint ingested_alerts_identity_key;`);
    this.addSql(`alter table ingested_alerts add constraint ingested_alerts_source_id_fingerprint_incident_id_key
      unique (source_id, fingerprint, incident_id);`);
    this.addSql(`alter table ingested_alerts drop column follows_incident_id, drop column identity;`);
  }
}
