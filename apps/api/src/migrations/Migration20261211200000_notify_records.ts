import { Migration } from '@mikro-orm/migrations';

/**
 * Reviews, action items and problems as sources of notifications (decision 0006, issue 25), and
 * review meeting invitations:
 * - review_events.actor_id: who acted (the row had only a name); written by the service in the same
 *   insert, so no statement is added. Nobody is told of their own action.
 * - notify.record_queue: review and problem history entries worth telling about, copied by
 *   statement triggers in the writing transaction, as notify.queue is for incident events; skipped
 *   when `ikb.notify` is 'off' (imports and seeds).
 * - reviews.meeting_minutes (default 60) and meeting_location (a room or a call's URL).
 * - notify.review_invitations: per review, the last invitation sent (its SEQUENCE, method, time,
 *   the meeting it named and who got it), so an update raises the sequence and a cancellation goes
 *   to the same people.
 */
export class Migration20261211200000_notify_records extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table review_events add column actor_id uuid;`);
    this.addSql(`alter table reviews add column meeting_minutes integer not null default 60
      check (meeting_minutes between 5 and 1440);`);
    this.addSql(`alter table reviews add column meeting_location varchar(500);`);

    this.addSql(`create table notify.record_queue (
      seq bigserial primary key,
      source varchar(10) not null check (source in ('REVIEW', 'PROBLEM')),
      event_id uuid not null,
      queued_at timestamptz not null default now()
    );`);
    // Only the entries the router can turn into an event: status moves, people added to a review,
    // the meeting changed (a cancellation), action items added or given to someone else.
    this.addSql(`create function notify.queue_review_events() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.notify', true), '') <> 'off' then
          insert into notify.record_queue (source, event_id)
            select 'REVIEW', id from nt
             where kind in ('STATUS_CHANGED', 'ACTION_ITEM_ADDED')
                or (kind = 'ACTION_ITEM_UPDATED' and data ? 'ownerFrom')
                or (kind = 'UPDATED' and (data ? 'addedUserIds' or data ? 'meetingRemoved'));
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger notify_q_review_events after insert on review_events
      referencing new table as nt for each statement execute function notify.queue_review_events();`);
    this.addSql(`create function notify.queue_problem_events() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.notify', true), '') <> 'off' then
          insert into notify.record_queue (source, event_id)
            select 'PROBLEM', id from nt where kind = 'STATUS_CHANGED' and after ->> 'status' = 'KNOWN_ERROR';
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger notify_q_problem_events after insert on problem_events
      referencing new table as nt for each statement execute function notify.queue_problem_events();`);

    this.addSql(`create table notify.review_invitations (
      review_id uuid primary key references reviews (id) on delete cascade,
      sequence integer not null,
      method varchar(10) not null check (method in ('REQUEST', 'CANCEL')),
      sent_at timestamptz not null,
      sent_by uuid,
      meeting_at timestamptz,
      attendees jsonb not null default '[]'
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table notify.review_invitations;`);
    this.addSql(`drop trigger notify_q_problem_events on problem_events;`);
    this.addSql(`drop trigger notify_q_review_events on review_events;`);
    this.addSql(`drop function notify.queue_problem_events(), notify.queue_review_events();`);
    this.addSql(`drop table notify.record_queue;`);
    this.addSql(`alter table reviews drop column meeting_location, drop column meeting_minutes;`);
    this.addSql(`alter table review_events drop column actor_id;`);
  }
}
