import { Migration } from '@mikro-orm/migrations';

export const DEFAULT_CALENDAR_ID = '00000000-0000-4000-8000-00000000ca1e';
export const DEFAULT_POLICY_ID = '00000000-0000-4000-8000-0000000001a0';
export const DEFAULT_POLICY_VERSION_ID = '00000000-0000-4000-8000-0000000001a1';

/**
 * SLA engine: business calendars, versioned policies (a version is never edited, so a clock can
 * always be recomputed under the version it started with), per-service overrides, and per-incident
 * clocks stored as segments.
 */
export class Migration20261127010000_sla extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table business_calendars (
      id uuid primary key,
      name varchar(120) not null,
      time_zone varchar(64) not null,
      weekly_hours jsonb not null,
      holidays jsonb not null default '[]',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index business_calendars_name_key on business_calendars (lower(name));`);

    this.addSql(`create table sla_policies (
      id uuid primary key,
      name varchar(120) not null,
      is_default boolean not null default false,
      current_version integer not null default 1,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index sla_policies_name_key on sla_policies (lower(name));`);
    this.addSql(`create unique index sla_policies_one_default on sla_policies (is_default) where is_default;`);

    this.addSql(`create table sla_policy_versions (
      id uuid primary key,
      policy_id uuid not null references sla_policies (id) deferrable initially deferred,
      version integer not null,
      calendar_id uuid not null references business_calendars (id) deferrable initially deferred,
      calendar jsonb not null,
      targets jsonb not null,
      pause_hold_reasons jsonb not null,
      note text,
      created_at timestamptz not null default now(),
      unique (policy_id, version)
    );`);

    this.addSql(`alter table services add column sla_policy_id uuid references sla_policies (id) deferrable initially deferred;`);
    this.addSql(
      `alter table incidents add column sla_policy_version_id uuid references sla_policy_versions (id) deferrable initially deferred;`,
    );

    this.addSql(`create table sla_clocks (
      incident_id uuid not null references incidents (id) deferrable initially deferred,
      target varchar(12) not null check (target in ('RESPONSE','RESOLUTION')),
      policy_version_id uuid not null references sla_policy_versions (id) deferrable initially deferred,
      priority smallint not null,
      target_minutes integer not null check (target_minutes > 0),
      segments jsonb not null,
      state varchar(12) not null,
      elapsed_minutes integer not null,
      due_at timestamptz,
      -- When a running clock crosses 50 / 75 / 90 % of its target (a past instant once crossed).
      warn50_at timestamptz,
      warn75_at timestamptz,
      warn90_at timestamptz,
      breached_at timestamptz,
      stopped_at timestamptz,
      verdict varchar(10) not null,
      computed_at timestamptz not null,
      primary key (incident_id, target)
    );`);
    // Work queue and at-risk lists read running clocks by due time.
    this.addSql(`create index sla_clocks_due_idx on sla_clocks (target, due_at) where state = 'RUNNING';`);
    this.addSql(`create index sla_clocks_verdict_idx on sla_clocks (target, verdict);`);

    // Every database starts with a 24x7 calendar and a default policy, so clocks run from the first incident.
    const calendar = {
      timeZone: 'UTC',
      weeklyHours: Object.fromEntries(
        ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
      ),
      holidays: [],
    };
    const targets = {
      1: { responseMinutes: 15, resolutionMinutes: 240 },
      2: { responseMinutes: 30, resolutionMinutes: 480 },
      3: { responseMinutes: 120, resolutionMinutes: 1440 },
      4: { responseMinutes: 480, resolutionMinutes: 4320 },
      5: { responseMinutes: 1440, resolutionMinutes: 10080 },
    };
    this.addSql(
      `insert into business_calendars (id, name, time_zone, weekly_hours, holidays) values ('${DEFAULT_CALENDAR_ID}', '24x7', 'UTC',
        '${JSON.stringify(calendar.weeklyHours)}', '[]');`,
    );
    this.addSql(
      `insert into sla_policies (id, name, is_default, current_version) values ('${DEFAULT_POLICY_ID}', 'Standard 24x7', true, 1);`,
    );
    this.addSql(
      `insert into sla_policy_versions (id, policy_id, version, calendar_id, calendar, targets, pause_hold_reasons, note)
        values ('${DEFAULT_POLICY_VERSION_ID}', '${DEFAULT_POLICY_ID}', 1, '${DEFAULT_CALENDAR_ID}', '${JSON.stringify(calendar)}',
        '${JSON.stringify(targets)}', '["AWAITING_USER","AWAITING_VENDOR"]', 'Initial default policy');`,
    );
  }
}
