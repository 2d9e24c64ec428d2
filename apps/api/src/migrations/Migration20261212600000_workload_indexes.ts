import { Migration } from '@mikro-orm/migrations';

/**
 * Index-only reads for the workload (decision 0009). At 1M incidents a month's 41k incidents were
 * 57k heap pages of incidents (1.2 s) and their assignee/status events 120k heap rows: the
 * opened-at index now carries the filter's columns, and the events that decide holding have their
 * own partial index with the event. The opened-at index keeps its name and key (the lists page on it).
 */
export class Migration20261212600000_workload_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index incidents_opened_idx;`);
    this.addSql(`create index incidents_opened_idx on incidents (opened_at desc, id desc)
      include (acknowledged_at, service_id, team_id, category_id, priority);`);
    this.addSql(`create index incident_events_holding_idx on incident_events (incident_id, at, seq) include (after)
      where after ? 'assigneeId' or after ? 'status';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index incident_events_holding_idx;`);
    this.addSql(`drop index incidents_opened_idx;`);
    this.addSql(`create index incidents_opened_idx on incidents (opened_at desc, id desc);`);
  }
}
