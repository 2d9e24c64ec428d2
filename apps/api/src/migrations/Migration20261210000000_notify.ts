import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications leave through an outbox (docs/decisions/0006-notifications.md):
 * - notify.queue: incident events worth telling about, copied by a statement trigger in the
 *   writing transaction (no round trip added to mutations; rolled back with them). Imports and
 *   seeds `set local ikb.notify = 'off'`: they write history, not news.
 * - notify.occurrences: one per catalogue event that happened (dedup_key unique: once each).
 * - notify.deliveries: one per occurrence and recipient, pending until delivered or dead;
 *   notify.attempts: every try, for the admin's delivery log.
 * - notify.channels and notify.rules: where an admin sends what (webhook, Slack, Mattermost, Teams).
 */
export class Migration20261210000000_notify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema notify;`);
    this.addSql(`create table notify.channels (
      id uuid primary key default gen_random_uuid(),
      kind varchar(12) not null check (kind in ('WEBHOOK', 'SLACK', 'MATTERMOST', 'TEAMS')),
      name varchar(120) not null,
      url text not null,
      secret text,
      per_minute integer not null default 60 check (per_minute between 1 and 6000),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index channels_name_key on notify.channels (lower(name));`);
    this.addSql(`create table notify.rules (
      id uuid primary key default gen_random_uuid(),
      channel_id uuid not null references notify.channels (id) on delete cascade,
      events text[] not null check (cardinality(events) > 0),
      service_ids uuid[] not null default '{}',
      team_ids uuid[] not null default '{}',
      priorities smallint[] not null default '{}',
      major_only boolean not null default false,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index rules_channel on notify.rules (channel_id);`);

    this.addSql(`create table notify.queue (
      seq bigserial primary key,
      incident_id uuid not null,
      event_seq integer not null,
      queued_at timestamptz not null default now()
    );`);
    this.addSql(`create function notify.queue_incident_events() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.notify', true), '') <> 'off' then
          insert into notify.queue (incident_id, event_seq)
            select incident_id, seq from nt
             where kind in ('LOGGED', 'UPDATED', 'CLASSIFIED', 'PRIORITY_OVERRIDDEN', 'ASSIGNED', 'STATUS_CHANGED',
                            'REOPENED', 'STAKEHOLDER_UPDATE', 'ESCALATION', 'DR_PLAN_TRIGGERED');
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger notify_q_incident_events after insert on incident_events
      referencing new table as nt for each statement execute function notify.queue_incident_events();`);

    this.addSql(`create table notify.occurrences (
      id bigserial primary key,
      event varchar(40) not null,
      dedup_key text not null,
      incident_id uuid references incidents (id) on delete cascade,
      occurred_at timestamptz not null,
      facts jsonb not null,
      message jsonb not null,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index occurrences_dedup_key on notify.occurrences (dedup_key);`);
    this.addSql(`create index occurrences_incident on notify.occurrences (incident_id, id);`);

    this.addSql(`create table notify.deliveries (
      id bigserial primary key,
      occurrence_id bigint not null references notify.occurrences (id) on delete cascade,
      channel_id uuid not null references notify.channels (id) on delete cascade,
      status varchar(10) not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'DEAD')),
      attempts integer not null default 0,
      next_at timestamptz not null default now(),
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      unique (occurrence_id, channel_id)
    );`);
    // Due work per channel, oldest first: one dead receiver delays only its own queue.
    this.addSql(`create index deliveries_due on notify.deliveries (channel_id, next_at, id) where status = 'PENDING';`);
    this.addSql(`create index deliveries_log on notify.deliveries (channel_id, id desc);`);
    this.addSql(`create table notify.attempts (
      id bigserial primary key,
      delivery_id bigint not null references notify.deliveries (id) on delete cascade,
      channel_id uuid not null references notify.channels (id) on delete cascade,
      at timestamptz not null default now(),
      status integer,
      error text,
      duration_ms integer not null
    );`);
    this.addSql(`create index attempts_delivery on notify.attempts (delivery_id, id);`);
    // A channel's attempts in the last minute: its rate limit.
    this.addSql(`create index attempts_channel_at on notify.attempts (channel_id, at);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger notify_q_incident_events on incident_events;`);
    this.addSql(`drop schema notify cascade;`);
  }
}
