import { Migration } from '@mikro-orm/migrations';

/**
 * Who held each incident, kept by the analytics fold (decision 0009; workload.holdings.ts): one row
 * per holding interval, with the incident's openedAt (a change of it queues the incident too). No foreign key, as for the facts: the fold
 * removes a deleted incident's rows itself.
 *
 * Holding follows the assignee and status events, which can change without any column the incident
 * triggers watch (a reassignment, a hold): inserting such an event queues its incident. Every
 * incident already there is queued, so the next refresh builds the holdings (a bulk one past
 * 200,000); until then the workload replays the queued incidents' events, as it did before.
 * The queue gets an index by incident, which the workload probes to tell folded from queued.
 */
export class Migration20261212700000_workload_holdings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table analytics.holdings (
      incident_id uuid not null,
      from_at timestamptz not null,
      user_id uuid not null,
      to_at timestamptz,
      opened_at timestamptz not null,
      primary key (incident_id, from_at)
    );`);
    // The workload reads a range's holdings in opened-at order, by index only, and joins them to
    // the filter's incidents by hash: 125k probes by incident were 440 ms of a quarter at 1M.
    this.addSql(`create index analytics_holdings_opened_idx on analytics.holdings (opened_at)
      include (incident_id, user_id, from_at, to_at);`);
    this.addSql(`create index analytics_queue_incident_idx on analytics.queue (incident_id);`);
    this.addSql(`create function analytics.analytics_q_events_ins() returns trigger language plpgsql as $$
        begin
          insert into analytics.queue (incident_id)
            select distinct incident_id from nt where nt.after ? 'assigneeId' or nt.after ? 'status';
          return null;
        end $$;`);
    this.addSql(`create trigger analytics_q_events_ins after insert on incident_events referencing new table as nt
      for each statement execute function analytics.analytics_q_events_ins();`);
    this.addSql(`insert into analytics.queue (incident_id) select id from incidents;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger analytics_q_events_ins on incident_events;`);
    this.addSql(`drop function analytics.analytics_q_events_ins();`);
    this.addSql(`drop index analytics.analytics_queue_incident_idx;`);
    this.addSql(`drop table analytics.holdings;`);
  }
}
