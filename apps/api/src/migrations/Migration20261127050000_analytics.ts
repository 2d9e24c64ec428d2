import { Migration } from '@mikro-orm/migrations';

/**
 * Analytics: per-incident facts and per-time-zone rollups, kept current by a refresher,
 * in the schema `analytics`.
 *
 * - Writers pay one cheap step: statement-level triggers (with transition tables, so a bulk load
 *   costs one INSERT ... SELECT per statement) append the ids of incidents whose analytics inputs
 *   changed to analytics.queue, in the writing transaction.
 * - The refresher (features/analytics/analytics.refresher.ts) drains the queue: it recomputes
 *   each queued incident's row in analytics.facts (derived values: durations, business time by
 *   the SLA calendar, verdicts, recurrence, review coverage, cost, MTBF gap) and applies the
 *   difference to analytics.rollups, per built time zone, local day and local month, dimension
 *   value and priority. analytics.state.as_of is the snapshot up to which everything is folded in.
 */
export class Migration20261127050000_analytics extends Migration {
  override async up(): Promise<void> {
    // Imported incidents keep the resolution verdict their source recorded (the imports migration
    // may have added the same column already).
    this.addSql(`alter table incidents add column if not exists recorded_resolution_sla_verdict varchar(10)
      check (recorded_resolution_sla_verdict in ('MET','BREACHED'));`);

    // Derived data lives in its own schema: it is rebuilt from the rest, never edited by hand, and
    // checks that compare the application's tables (current_schema()) leave it out.
    this.addSql(`create schema if not exists analytics;`);

    // No foreign key: a deleted incident must still be processed (its contribution removed).
    this.addSql(`create table analytics.queue (
      seq bigserial primary key,
      incident_id uuid not null,
      queued_at timestamptz not null default now()
    );`);
    // Rows come and go all the time: vacuum it early, so reading its head never wades through dead rows.
    this.addSql(
      `alter table analytics.queue set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
        autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);`,
    );

    this.addSql(`create table analytics.facts (
      incident_id uuid primary key,
      opened_at timestamptz not null,
      priority smallint not null,
      service_id uuid,
      team_id uuid,
      category_id uuid,
      top_category_id uuid,
      problem_id uuid,
      workaround_id uuid,
      model_id uuid,
      policy_version_id uuid,
      detect_at timestamptz not null,
      resolved_at timestamptz,
      ttr_s double precision,
      biz_s double precision,
      ack_s double precision,
      det_s double precision,
      resp_verdict char(1) check (resp_verdict in ('M','B')),
      res_verdict char(1) check (res_verdict in ('M','B')),
      reopened boolean not null,
      reused boolean not null,
      recurring boolean not null,
      eligible boolean not null,
      reviewed boolean not null,
      cost_mc bigint not null,
      minutes bigint not null,
      gap_s double precision
    );`);
    // Cut days at range edges and exact scans read facts by openedAt.
    this.addSql(`create index analytics_facts_opened_idx on analytics.facts (opened_at);`);
    // MTBF: the previous / next incident on a service in detection order.
    this.addSql(
      `create index analytics_facts_service_detect_idx on analytics.facts (service_id, detect_at, opened_at, incident_id)
        where service_id is not null;`,
    );
    // Recurrence: the first incident of each problem (the only one not recurring).
    this.addSql(
      `create index analytics_facts_problem_first_idx on analytics.facts (problem_id) where problem_id is not null and not recurring;`,
    );

    // Sums of durations are whole milliseconds: exact however often contributions come and go.
    // One row per built zone, grain (D = local day, M = local month), dimension, period, value, priority.
    // dim: 0 all, 1 service, 2 team, 3 top-level category, 4 category (own), 5 problem, 6 workaround, 7 model;
    // value2 is the incident's category for 6 and 7. Missing values are the zero uuid.
    this.addSql(`create table analytics.rollups (
      zone varchar(64) not null,
      grain char(1) not null check (grain in ('D','M')),
      dim smallint not null,
      period date not null,
      value uuid not null,
      value2 uuid not null,
      priority smallint not null,
      n integer not null,
      resolved integer not null,
      ttr_ms bigint not null,
      biz_n integer not null,
      biz_ms bigint not null,
      ack_n integer not null,
      ack_ms bigint not null,
      det_n integer not null,
      det_ms bigint not null,
      resp_met integer not null,
      resp_breached integer not null,
      res_met integer not null,
      res_breached integer not null,
      reopened integer not null,
      reused integer not null,
      reused_ttr_ms bigint not null,
      recurring integer not null,
      eligible integer not null,
      reviewed integer not null,
      cost_mc bigint not null,
      minutes bigint not null,
      gap_n integer not null,
      gap_ms bigint not null,
      ttr_hist bytea,
      biz_hist bytea,
      primary key (zone, grain, dim, period, value, value2, priority)
    );`);

    // Recurrences since a problem's fix: its cells summed by index only.
    this.addSql(`create index analytics_rollups_problem_idx on analytics.rollups (zone, value, grain, period) include (n) where dim = 5;`);

    this.addSql(`create table analytics.zones (
      zone varchar(64) primary key,
      built_at timestamptz not null,
      build_ms integer not null,
      cells integer not null
    );`);

    this.addSql(`create table analytics.state (
      id smallint primary key check (id = 1),
      as_of timestamptz not null,
      refreshed_at timestamptz,
      refreshes bigint not null default 0
    );`);
    // Incidents already there are queued; until they are folded in, as_of stays at the epoch.
    this.addSql(`insert into analytics.queue (incident_id) select id from incidents;`);
    this.addSql(
      `insert into analytics.state (id, as_of) select 1, case when exists (select 1 from incidents) then 'epoch'::timestamptz
        else now() end;`,
    );

    // Queue triggers: statement level, one INSERT ... SELECT from the transition table per statement.
    const trigger = (name: string, table: string, event: 'insert' | 'update' | 'delete', body: string) => {
      const ref = event === 'insert' ? 'new table as nt' : event === 'delete' ? 'old table as ot' : 'old table as ot new table as nt';
      this.addSql(`create function analytics.${name}() returns trigger language plpgsql as $$
        begin
          ${body}
          return null;
        end $$;`);
      this.addSql(
        `create trigger ${name} after ${event} on ${table} referencing ${ref} for each statement execute function analytics.${name}();`,
      );
    };
    const q = (select: string) => `insert into analytics.queue (incident_id) ${select};`;
    const incidentColumns = [
      'opened_at',
      'detected_at',
      'acknowledged_at',
      'resolved_at',
      'priority',
      'service_id',
      'category_id',
      'team_id',
      'major',
      'reopen_count',
      'problem_id',
      'resolution_workaround_id',
      'model_version_id',
      'sla_policy_version_id',
      'recorded_resolution_sla_verdict',
    ];
    const changed = (cols: string[]) =>
      `(${cols.map((c) => `nt.${c}`).join(', ')}) is distinct from (${cols.map((c) => `ot.${c}`).join(', ')})`;
    trigger('analytics_q_incidents_ins', 'incidents', 'insert', q(`select id from nt`));
    trigger(
      'analytics_q_incidents_upd',
      'incidents',
      'update',
      q(`select nt.id from nt join ot on ot.id = nt.id where ${changed(incidentColumns)}`),
    );
    trigger('analytics_q_incidents_del', 'incidents', 'delete', q(`select id from ot`));
    trigger('analytics_q_clocks_ins', 'sla_clocks', 'insert', q(`select distinct incident_id from nt`));
    trigger(
      'analytics_q_clocks_upd',
      'sla_clocks',
      'update',
      q(
        `select distinct nt.incident_id from nt join ot on ot.incident_id = nt.incident_id and ot.target = nt.target
          where nt.verdict is distinct from ot.verdict`,
      ),
    );
    trigger('analytics_q_clocks_del', 'sla_clocks', 'delete', q(`select distinct incident_id from ot`));
    trigger('analytics_q_time_ins', 'time_entries', 'insert', q(`select distinct incident_id from nt`));
    trigger(
      'analytics_q_time_upd',
      'time_entries',
      'update',
      q(
        `select nt.incident_id from nt join ot on ot.id = nt.id where ${changed(['incident_id', 'minutes', 'rate_cents'])} union
          select ot.incident_id from nt join ot on ot.id = nt.id where nt.incident_id <> ot.incident_id`,
      ),
    );
    trigger('analytics_q_time_del', 'time_entries', 'delete', q(`select distinct incident_id from ot`));
    trigger('analytics_q_review_incidents_ins', 'review_incidents', 'insert', q(`select distinct incident_id from nt`));
    trigger('analytics_q_review_incidents_del', 'review_incidents', 'delete', q(`select distinct incident_id from ot`));
    trigger(
      'analytics_q_reviews_upd',
      'reviews',
      'update',
      q(`select distinct ri.incident_id from nt join ot on ot.id = nt.id join review_incidents ri on ri.review_id = nt.id
            where nt.status is distinct from ot.status and 'PUBLISHED' in (nt.status, ot.status)`),
    );
    trigger(
      'analytics_q_categories_upd',
      'categories',
      'update',
      q(
        `select i.id from nt join ot on ot.id = nt.id join incidents i on i.category_id = nt.id
          where nt.parent_id is distinct from ot.parent_id`,
      ),
    );
  }
}
