import { Migration } from '@mikro-orm/migrations';

/**
 * People in the outbox of decision 0006:
 * - notify.subscriptions: what a person listens to (events, optionally by service, team, priority,
 *   major, or one incident: "follow").
 * - notify.preferences: how a person is told (each mail, a daily digest at an hour of their time
 *   zone, or only in the web app) and which personal events (assigned to you ...) they want.
 * - notify.inbox: one row per occurrence and person told: their list in the web app, and what the
 *   mailer has still to send (mailed_at null).
 * - notify.mails and notify.mail_attempts: the e-mail outbox (personal mails, digests, status page
 *   confirmations and updates, review invitations), sent with retries like the channels' deliveries.
 */
export class Migration20261211000000_notify_people extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table notify.subscriptions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      events text[] not null check (cardinality(events) > 0),
      service_ids uuid[] not null default '{}',
      team_ids uuid[] not null default '{}',
      priorities smallint[] not null default '{}',
      major_only boolean not null default false,
      incident_id uuid references incidents (id) on delete cascade,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index subscriptions_user on notify.subscriptions (user_id, created_at);`);
    this.addSql(`create index subscriptions_events on notify.subscriptions using gin (events);`);
    this.addSql(`create unique index subscriptions_follow on notify.subscriptions (user_id, incident_id) where incident_id is not null;`);

    this.addSql(`create table notify.preferences (
      user_id uuid primary key references users (id) on delete cascade,
      email_mode varchar(10) not null default 'EACH' check (email_mode in ('EACH', 'DIGEST', 'NONE')),
      digest_hour smallint not null default 8 check (digest_hour between 0 and 23),
      time_zone text not null default 'UTC',
      personal_events text[] not null,
      next_digest_at timestamptz,
      updated_at timestamptz not null default now()
    );`);

    this.addSql(`create table notify.mails (
      id bigserial primary key,
      purpose varchar(24) not null,
      to_address varchar(254) not null,
      user_id uuid references users (id) on delete set null,
      subject text not null,
      text_body text not null,
      html_body text,
      ics text,
      ics_method varchar(10),
      headers jsonb not null default '{}',
      ref text,
      status varchar(10) not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'DEAD')),
      attempts integer not null default 0,
      next_at timestamptz not null default now(),
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index mails_due on notify.mails (next_at, id) where status = 'PENDING';`);
    this.addSql(`create index mails_log on notify.mails (id desc);`);
    this.addSql(`create index mails_ref on notify.mails (ref, id) where ref is not null;`);
    this.addSql(`create table notify.mail_attempts (
      id bigserial primary key,
      mail_id bigint not null references notify.mails (id) on delete cascade,
      at timestamptz not null default now(),
      code integer,
      error text,
      duration_ms integer not null
    );`);
    this.addSql(`create index mail_attempts_mail on notify.mail_attempts (mail_id, id);`);

    this.addSql(`create table notify.inbox (
      id bigserial primary key,
      user_id uuid not null references users (id) on delete cascade,
      occurrence_id bigint not null references notify.occurrences (id) on delete cascade,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      mailed_at timestamptz,
      mail_id bigint references notify.mails (id) on delete set null,
      unique (user_id, occurrence_id)
    );`);
    this.addSql(`create index inbox_user on notify.inbox (user_id, id desc);`);
    this.addSql(`create index inbox_unmailed on notify.inbox (user_id, id) where mailed_at is null;`);
    this.addSql(`create index inbox_occurrence on notify.inbox (occurrence_id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table notify.inbox, notify.mail_attempts, notify.mails, notify.preferences, notify.subscriptions;`);
  }
}
