import { Migration } from '@mikro-orm/migrations';

/** Directory, incident register, append-only timeline, time entries and settings. */
export class Migration20261127000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);

    // Foreign keys are checked at commit: entities hold plain id columns, so the unit of work
    // has no parent-first insert order, and every write runs in a transaction anyway.
    this.addSql(`create table teams (
      id uuid primary key,
      name varchar(120) not null,
      description text,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index teams_name_key on teams (lower(name));`);

    this.addSql(`create table users (
      id uuid primary key,
      email varchar(254) not null,
      name varchar(120) not null,
      team_id uuid references teams (id) deferrable initially deferred,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index users_email_key on users (lower(email));`);

    this.addSql(`create table services (
      id uuid primary key,
      name varchar(120) not null,
      description text,
      owner_team_id uuid references teams (id) deferrable initially deferred,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index services_name_key on services (lower(name));`);

    this.addSql(`create table categories (
      id uuid primary key,
      name varchar(120) not null,
      parent_id uuid references categories (id) deferrable initially deferred,
      created_at timestamptz not null default now()
    );`);
    this.addSql(
      `create unique index categories_name_key on categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid),
        lower(name));`,
    );

    this.addSql(`create table app_settings (
      key varchar(80) primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );`);

    this.addSql(`create sequence incident_number_seq;`);
    this.addSql(`create table incidents (
      id uuid primary key,
      number integer not null,
      title varchar(200) not null check (length(btrim(title)) > 0),
      description text not null default '',
      service_id uuid references services (id) deferrable initially deferred,
      category_id uuid references categories (id) deferrable initially deferred,
      impact smallint not null check (impact between 1 and 3),
      urgency smallint not null check (urgency between 1 and 3),
      priority smallint not null check (priority between 1 and 5),
      priority_override_reason text,
      status varchar(20) not null check (status in ('NEW','TRIAGED','INVESTIGATING','ON_HOLD','RESOLVED','CLOSED','REVIEWED')),
      hold_reason varchar(30),
      source varchar(20) not null,
      reporter_id uuid references users (id) deferrable initially deferred,
      assignee_id uuid references users (id) deferrable initially deferred,
      team_id uuid references teams (id) deferrable initially deferred,
      major boolean not null default false,
      external_ref varchar(120),
      detected_at timestamptz,
      opened_at timestamptz not null,
      acknowledged_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      resolution_kind varchar(30),
      resolution_code varchar(80),
      resolution_notes text,
      user_confirmed boolean,
      reopen_count integer not null default 0,
      reassignment_count integer not null default 0,
      event_seq integer not null default 0,
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      check ((status = 'ON_HOLD') = (hold_reason is not null))
    );`);
    this.addSql(`create unique index incidents_number_key on incidents (number);`);
    this.addSql(`create unique index incidents_external_ref_key on incidents (external_ref) where external_ref is not null;`);
    // Keyset pagination of the register runs on (opened_at desc, id desc).
    this.addSql(`create index incidents_opened_idx on incidents (opened_at desc, id desc);`);
    this.addSql(`create index incidents_status_idx on incidents (status, opened_at desc);`);
    this.addSql(`create index incidents_service_idx on incidents (service_id, opened_at desc);`);
    this.addSql(`create index incidents_category_idx on incidents (category_id, opened_at desc);`);
    this.addSql(`create index incidents_team_idx on incidents (team_id, opened_at desc);`);
    this.addSql(`create index incidents_title_trgm on incidents using gin (title gin_trgm_ops);`);

    this.addSql(`create table incident_events (
      id uuid primary key,
      incident_id uuid not null references incidents (id) deferrable initially deferred,
      seq integer not null,
      at timestamptz not null,
      recorded_at timestamptz not null default now(),
      actor_id uuid references users (id) deferrable initially deferred,
      actor_name varchar(200) not null,
      kind varchar(40) not null,
      summary text not null,
      before jsonb,
      after jsonb,
      data jsonb,
      unique (incident_id, seq)
    );`);
    // Evidence must not be rewritten: the timeline is append-only at the database level too.
    this.addSql(`create function incident_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'incident_events is append-only (% refused)', tg_op using errcode = 'restrict_violation';
      end;
    $$;`);
    this.addSql(`create trigger incident_events_no_change before update or delete on incident_events
      for each row execute function incident_events_append_only();`);

    this.addSql(`create table time_entries (
      id uuid primary key,
      incident_id uuid not null references incidents (id) deferrable initially deferred,
      user_id uuid references users (id) deferrable initially deferred,
      activity varchar(80) not null,
      minutes integer not null check (minutes > 0),
      billable boolean not null default false,
      rate_cents integer not null default 0 check (rate_cents >= 0),
      note text,
      performed_at timestamptz not null,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index time_entries_incident_idx on time_entries (incident_id);`);
  }
}
