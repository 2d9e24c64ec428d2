import { Migration } from '@mikro-orm/migrations';

/**
 * Search analytics (decision 0011): every catalog search and every hit opened from it, a daily
 * rollup per normalised query that the figures read, and the boosts admins approved or dismissed.
 * Nothing here names the person who searched: role and team only.
 */
export class Migration20261212400000_search_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema search_log;`);
    this.addSql(`create table search_log.searches (
      id uuid primary key,
      at timestamptz not null,
      query text not null check (length(query) <= 500),
      filters jsonb not null default '{}',
      hits integer not null check (hits >= 0),
      role varchar(20),
      team_id uuid references teams (id) on delete set null,
      incident_id uuid references incidents (id) on delete set null
    );`);
    // Retention deletes the oldest first and the figures read ranges of time.
    this.addSql(`create index search_log_searches_at_idx on search_log.searches (at);`);
    this.addSql(`create index search_log_searches_incident_idx on search_log.searches (incident_id) where incident_id is not null;`);
    this.addSql(`create table search_log.opens (
      search_id uuid not null references search_log.searches (id) on delete cascade,
      kind varchar(20) not null,
      item_id uuid not null,
      position integer not null check (position between 1 and 500),
      at timestamptz not null,
      primary key (search_id, kind, item_id)
    );`);
    this.addSql(`create table search_log.daily (
      day date not null,
      query text not null,
      searches integer not null default 0,
      zero_hits integer not null default 0,
      opened integer not null default 0,
      rr_sum double precision not null default 0,
      primary key (day, query)
    );`);
    this.addSql(`create table search_log.boosts (
      id uuid primary key,
      query text not null check (length(query) between 1 and 500),
      kind varchar(20) not null,
      item_id uuid not null,
      status varchar(10) not null check (status in ('APPROVED','DISMISSED')),
      weight real not null check (weight >= 0 and weight <= 1),
      reason text not null check (length(btrim(reason)) between 1 and 500),
      decided_by_id uuid references users (id) on delete set null,
      decided_by_name varchar(200) not null,
      decided_at timestamptz not null,
      unique (query, item_id)
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema search_log cascade;`);
  }
}
