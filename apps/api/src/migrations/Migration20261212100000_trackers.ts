import { Migration } from '@mikro-orm/migrations';

/**
 * Follow-up sync to Jira Cloud and GitHub Issues (decision 0008): connections, one link per
 * action item, an outbox of sync jobs (one pending per link: edits coalesce), the attempts log and
 * the webhook deliveries received (idempotency by the tracker's delivery id).
 */
export class Migration20261212100000_trackers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists tracker;`);
    this.addSql(`create table tracker.connections (
      id uuid primary key,
      kind text not null check (kind in ('JIRA', 'GITHUB')),
      name text not null,
      base_url text not null,
      auth_user text,
      token text not null,
      project_key text,
      issue_type text,
      repo_owner text,
      repo_name text,
      labels text[] not null default '{}',
      webhook_secret text not null,
      done_transition text,
      wont_do_transition text,
      reopen_transition text,
      wont_do_resolution text,
      wont_do_resolutions text[] not null default '{}',
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now());`);
    this.addSql(`create unique index connections_name on tracker.connections (lower(name));`);
    this.addSql(`create table tracker.links (
      id uuid primary key,
      action_item_id uuid not null unique references action_items (id) on delete cascade,
      connection_id uuid not null references tracker.connections (id) on delete cascade,
      external_key text,
      external_id text,
      url text,
      state text not null default 'QUEUED' check (state in ('QUEUED', 'SYNCED', 'RETRYING', 'FAILED')),
      last_error text,
      pushed jsonb,
      remote_status text check (remote_status in ('OPEN', 'DONE', 'WONT_DO')),
      remote_status_at timestamptz,
      local_status_at timestamptz,
      last_pushed_at timestamptz,
      last_received_at timestamptz,
      created_at timestamptz not null default now());`);
    this.addSql(`create unique index links_external on tracker.links (connection_id, external_key) where external_key is not null;`);
    this.addSql(`create table tracker.jobs (
      id bigserial primary key,
      link_id uuid not null references tracker.links (id) on delete cascade,
      connection_id uuid not null references tracker.connections (id) on delete cascade,
      kind text not null check (kind in ('CREATE', 'UPDATE', 'TRANSITION')),
      status text not null default 'PENDING' check (status in ('PENDING', 'DONE', 'DEAD')),
      attempts int not null default 0,
      -- Raised by every edit queued while the job waits or is in flight: a send that saw an older
      -- version leaves the job pending, so no edit is lost to coalescing.
      version int not null default 1,
      next_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now());`);
    this.addSql(`create unique index jobs_one_pending on tracker.jobs (link_id) where status = 'PENDING';`);
    this.addSql(`create index jobs_due on tracker.jobs (next_at) where status = 'PENDING';`);
    this.addSql(`create table tracker.attempts (
      id bigserial primary key,
      job_id bigint references tracker.jobs (id) on delete set null,
      link_id uuid references tracker.links (id) on delete set null,
      connection_id uuid not null references tracker.connections (id) on delete cascade,
      at timestamptz not null default now(),
      operation text not null,
      http_status int,
      outcome text not null check (outcome in ('OK', 'RETRY', 'FAILED', 'DEAD', 'RECEIVED', 'IGNORED')),
      error text,
      duration_ms int);`);
    this.addSql(`create index attempts_by_connection on tracker.attempts (connection_id, id desc);`);
    this.addSql(`create table tracker.receipts (
      connection_id uuid not null references tracker.connections (id) on delete cascade,
      delivery_id text not null,
      received_at timestamptz not null default now(),
      primary key (connection_id, delivery_id));`);
    // An edit of a linked item queues (or re-arms) its sync job in the writing transaction; a
    // status change also stamps the link, which is what the reconciliation rule compares webhook
    // times with. A change applied from a tracker's webhook sets ikb.tracker_origin and is skipped:
    // the tracker already has it.
    this.addSql(`create function tracker.action_item_changed() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.tracker_origin', true), '') <> '' then return null; end if;
        if new.title is not distinct from old.title and new.due_date is not distinct from old.due_date
           and new.owner_id is not distinct from old.owner_id and new.status is not distinct from old.status then
          return null;
        end if;
        if new.status is distinct from old.status then
          update tracker.links set local_status_at = new.updated_at where action_item_id = new.id;
        end if;
        insert into tracker.jobs (link_id, connection_id, kind)
        select l.id, l.connection_id, case when new.status is distinct from old.status then 'TRANSITION' else 'UPDATE' end
          from tracker.links l where l.action_item_id = new.id
        on conflict (link_id) where status = 'PENDING'
        do update set version = tracker.jobs.version + 1, next_at = least(tracker.jobs.next_at, now()), updated_at = now();
        return null;
      end $$;`);
    this.addSql(`create trigger action_items_tracker after update on action_items
      for each row execute function tracker.action_item_changed();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger action_items_tracker on action_items;`);
    this.addSql(`drop schema tracker cascade;`);
  }
}
