import { Migration } from '@mikro-orm/migrations';

/**
 * The public status page (issue 25, decision 0006):
 * - services.public: the admin's choice of what the page shows.
 * - status_updates: the public side of a stakeholder update, written in the update's transaction. The
 *   page reads only this table and public services, so nothing internal can reach it. `impact` and
 *   `started_at` are copied from the incident when the update is posted (the page never reads
 *   incidents); `fanout_pending` is false when imports and seeds write (`ikb.notify = 'off'`).
 * - status_subscribers: e-mail addresses with double opt-in (confirmed_at null until the link is opened).
 * - status_sends: one row per update and subscriber told (unique): the fan-out repeats nothing.
 * - status_page_keys: the server secret the confirmation and unsubscribe links are signed with.
 */
export class Migration20261211100000_status_page extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table services add column public boolean not null default false;`);
    this.addSql(`create table status_updates (
      id bigserial primary key,
      incident_id uuid not null references incidents (id) on delete cascade,
      service_ids uuid[] not null default '{}',
      title varchar(200) not null,
      state varchar(16) not null check (state in ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED')),
      impact varchar(24) not null check (impact in ('MAJOR_OUTAGE', 'PARTIAL_OUTAGE', 'DEGRADED_PERFORMANCE', 'NONE')),
      body text not null,
      started_at timestamptz not null,
      posted_at timestamptz not null,
      fanout_pending boolean not null default (coalesce(current_setting('ikb.notify', true), '') <> 'off'),
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index status_updates_incident on status_updates (incident_id, posted_at, id);`);
    this.addSql(`create index status_updates_posted on status_updates (posted_at);`);
    this.addSql(`create index status_updates_fanout on status_updates (id) where fanout_pending;`);
    this.addSql(`create table status_subscribers (
      id uuid primary key default gen_random_uuid(),
      email varchar(254) not null,
      service_ids uuid[] not null default '{}',
      confirmed_at timestamptz,
      confirm_sent_at timestamptz,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index status_subscribers_email on status_subscribers (lower(email));`);
    this.addSql(`create index status_subscribers_confirmed on status_subscribers (id) where confirmed_at is not null;`);
    this.addSql(`create table status_sends (
      update_id bigint not null references status_updates (id) on delete cascade,
      subscriber_id uuid not null references status_subscribers (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (update_id, subscriber_id)
    );`);
    this.addSql(`create index status_sends_subscriber on status_sends (subscriber_id);`);
    this.addSql(`create table status_page_keys (
      name varchar(40) primary key,
      secret text not null,
      created_at timestamptz not null default now()
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table status_page_keys, status_sends, status_subscribers, status_updates;`);
    this.addSql(`alter table services drop column public;`);
  }
}
