import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
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
      const rows = await em.find(IncidentEvent, { incidentId: { $in: [...ids] } }, { orderBy: { incidentId: 'asc', seq: 'asc' } });
      const map = groupBy(rows, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
    lastEvent: new DataLoader<string, IncidentEvent | null>(async (ids) => {
      // One statement for the whole page: the latest event of each incident.
      const rows: Record<string, unknown>[] = await em.execute(
          `select distinct on (incident_id) * from incident_events where incident_id in (${ids.map(() => '?').join(', ')}) order by incident_id, seq desc`,
        [...ids],
      );
      const events = rows.map((row) => em.map(IncidentEvent, row));
      const map = new Map(events.map((e) => [e.incidentId, e]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    timeEntries: new DataLoader<string, TimeEntry[]>(async (ids) => {
      const rows = await em.find(TimeEntry, { incidentId: { $in: [...ids] } }, { orderBy: { performedAt: 'asc', id: 'asc' } });
      const map = groupBy(rows, (r) => r.incidentId);
      return ids.map((id) => map.get(id) ?? []);
    }),
  };
}
