import { Migration } from '@mikro-orm/migrations';

/**
 * The workload's time spans per incident, kept by the analytics fold (decision 0009;
 * workload.spans.ts): 'H' a person holding the incident (to_ms null while still held), 'L' a time
 * entry. Times are epoch milliseconds, as the workload computes with them; the incident's openedAt
 * is kept for reading a range in order. No foreign key, as for the facts: the fold removes a
 * deleted incident's rows itself.
 *
 * What the spans follow must queue the incident: an event naming an assignee or a status (a
 * reassignment or a hold changes no column the incident triggers watch), and a time entry's person
 * or start, besides what analytics_q_time_upd watched already. Every incident already there is
 * queued, so the next refresh builds the spans (a bulk one past 200,000); until then the workload
 * reads the queued incidents' events and entries, as it did before. The queue gets an index by
 * incident, which the workload uses to tell folded from queued.
 */
export class Migration20261212700000_workload_spans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table analytics.workload_spans (
      incident_id uuid not null,
      kind char(1) not null check (kind in ('H', 'L')),
      user_id uuid not null,
      from_ms float8 not null,
      to_ms float8,
      opened_at timestamptz not null
    );`);
    this.addSql(`create index analytics_workload_spans_incident_idx on analytics.workload_spans (incident_id);`);
    // A range's spans in opened-at order by index only, joined to the filter's incidents by hash:
    // probing by incident was 440 ms of a quarter at 1M (125k probes).
    this.addSql(`create index analytics_workload_spans_opened_idx on analytics.workload_spans (opened_at)
      include (incident_id, kind, user_id, from_ms, to_ms);`);
    this.addSql(`create index analytics_queue_incident_idx on analytics.queue (incident_id);`);
    this.addSql(`create function analytics.analytics_q_events_ins() returns trigger language plpgsql as $$
        begin
          insert into analytics.queue (incident_id)
            select distinct incident_id from nt where nt.after ? 'assigneeId' or nt.after ? 'status';
          return null;
        end $$;`);
    this.addSql(`create trigger analytics_q_events_ins after insert on incident_events referencing new table as nt
      for each statement execute function analytics.analytics_q_events_ins();`);
    this.addSql(timeUpdate(['incident_id', 'minutes', 'rate_cents', 'user_id', 'performed_at']));
    this.addSql(`insert into analytics.queue (incident_id) select id from incidents;`);
  }

  override async down(): Promise<void> {
    this.addSql(timeUpdate(['incident_id', 'minutes', 'rate_cents']));
    this.addSql(`drop trigger analytics_q_events_ins on incident_events;`);
    this.addSql(`drop function analytics.analytics_q_events_ins();`);
    this.addSql(`drop index analytics.analytics_queue_incident_idx;`);
    this.addSql(`drop table analytics.workload_spans;`);
  }
}

/** analytics_q_time_upd (Migration20261127050000_analytics) queuing on a change of these columns. */
function timeUpdate(cols: string[]): string {
  const changed = `(${cols.map((c) => `nt.${c}`).join(', ')}) is distinct from (${cols.map((c) => `ot.${c}`).join(', ')})`;
  return `create or replace function analytics.analytics_q_time_upd() returns trigger language plpgsql as $$
        begin
          insert into analytics.queue (incident_id)
            select nt.incident_id from nt join ot on ot.id = nt.id where ${changed} union
            select ot.incident_id from nt join ot on ot.id = nt.id where nt.incident_id <> ot.incident_id;
          return null;
        end $$;`;
}
