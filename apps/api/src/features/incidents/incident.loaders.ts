import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { placeholders, selectEntities } from '../../db/row-entity';
import { IncidentEvent } from './incident-event.entity';
import { TimeEntry } from './time-entry.entity';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

export function incidentLoaders(em: EntityManager) {
  return {
    timeline: new DataLoader<string, IncidentEvent[]>(async (ids) => {
      const rows = await selectEntities(
        em,
        IncidentEvent,
        `select * from incident_events where incident_id in (${placeholders(ids)}) order by incident_id, seq`,
        [...ids],
      );
      const map = groupBy(rows, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
    lastEvent: new DataLoader<string, IncidentEvent | null>(async (ids) => {
      // One statement for the whole page: the latest event of each incident.
      const events = await selectEntities(
        em,
        IncidentEvent,
        `select distinct on (incident_id) * from incident_events where incident_id in (${placeholders(ids)})
          order by incident_id, seq desc`,
        [...ids],
      );
      const map = new Map(events.map((e) => [e.incidentId, e]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    timeEntries: new DataLoader<string, TimeEntry[]>(async (ids) => {
      const rows = await selectEntities(
        em,
        TimeEntry,
        `select * from time_entries where incident_id in (${placeholders(ids)}) order by performed_at, id`,
        [...ids],
      );
      const map = groupBy(rows, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
  };
}
