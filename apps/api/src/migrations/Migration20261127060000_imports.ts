import { Migration } from '@mikro-orm/migrations';

/**
 * Import and ingestion: what other tools recorded about an incident (references, the
 * SLA verdict they recorded, their extra fields), the state of the last import of each incident
 * (so a re-import of the same file changes nothing), problems found by their reference in another
 * tool, alert sources with hashed tokens, the alerts received and the incidents they opened, and
 * a record of every import run.
 */
export class Migration20261127060000_imports extends Migration {
  override async up(): Promise<void> {
    const fk = (table: string) => `references ${table} (id) deferrable initially deferred`;

    // Shared with analytics, which may add the same column: add it only once.
    this.addSql(`alter table incidents add column if not exists recorded_resolution_sla_verdict varchar(10)
      check (recorded_resolution_sla_verdict in ('MET','BREACHED'));`);
    this.addSql(`alter table incidents
      add column if not exists caused_by_ref varchar(120),
      add column if not exists change_ref varchar(120),
      add column if not exists source_attributes jsonb,
      add column if not exists import_hash varchar(64),
      add column if not exists import_meta jsonb;`);
    this.addSql(
      `comment on column incidents.recorded_resolution_sla_verdict is
        'Resolution SLA verdict recorded by the source tool (ServiceNow made_sla); analytics uses it for imported incidents.';`,
    );
    this.addSql(
      `comment on column incidents.caused_by_ref is
        'Reference of the change or record that caused the incident in the source tool (ServiceNow caused_by).';`,
    );
    this.addSql(`comment on column incidents.change_ref is 'Request for change linked in the source tool (ServiceNow rfc).';`);
    this.addSql(
      `comment on column incidents.source_attributes is
        'Extra fields of the source tool kept as text (contact type, location, symptom...).';`,
    );
    this.addSql(
      `comment on column incidents.import_hash is
        'Hash of what the last import said about the incident: an identical re-import is skipped.';`,
    );

    this.addSql(`alter table problems add column if not exists external_ref varchar(120);`);
    this.addSql(`create unique index if not exists problems_external_ref_key on problems (external_ref) where external_ref is not null;`);

    this.addSql(`create table import_runs (
      id uuid primary key,
      source varchar(120) not null,
      file_name varchar(500) not null,
      file_sha256 varchar(64) not null,
      shape varchar(20) not null,
      rows integer not null,
      incidents_created integer not null,
      incidents_updated integer not null,
      incidents_unchanged integer not null,
      problems_created integer not null,
      rows_rejected integer not null,
      options jsonb not null default '{}',
      actor_name varchar(200) not null,
      started_at timestamptz not null,
      finished_at timestamptz not null
    );`);
    this.addSql(`create index import_runs_started_idx on import_runs (started_at desc);`);

    this.addSql(`create table ingest_sources (
      id uuid primary key,
      name varchar(120) not null check (length(btrim(name)) > 0),
      token_hash varchar(64) not null unique,
      token_prefix varchar(20) not null,
      rules jsonb not null default '{}',
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );`);
    this.addSql(`create unique index ingest_sources_name_key on ingest_sources (lower(name));`);

    // One row per alert (source + fingerprint) and the incident it opened or was attached to.
    this.addSql(`create table ingested_alerts (
      id uuid primary key,
      source_id uuid not null ${fk('ingest_sources')},
      fingerprint varchar(200) not null,
      incident_id uuid not null ${fk('incidents')},
      status varchar(10) not null check (status in ('FIRING','RESOLVED')),
      title varchar(200) not null,
      labels jsonb not null default '{}',
      annotations jsonb not null default '{}',
      starts_at timestamptz,
      ends_at timestamptz,
      first_received_at timestamptz not null,
      last_received_at timestamptz not null,
      received_count integer not null default 1,
      unique (source_id, fingerprint, incident_id)
    );`);
    this.addSql(`create index ingested_alerts_incident_idx on ingested_alerts (incident_id);`);
  }
}
