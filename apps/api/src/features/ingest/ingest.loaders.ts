import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { pgTextArray } from '../../db/pg-array';

export interface IngestedAlertRow {
  id: string;
  source_name: string;
  fingerprint: string;
  identity: string;
  status: 'FIRING' | 'RESOLVED';
  title: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: Date | null;
  ends_at: Date | null;
  first_received_at: Date;
  last_received_at: Date;
  received_count: number;
}

export function ingestLoaders(em: EntityManager) {
  return {
    /** The alerts each incident opened or had attached, one statement per page. */
    incidentAlerts: new DataLoader<string, IngestedAlertRow[]>(async (ids) => {
      const rows = await em.execute<(IngestedAlertRow & { incident_id: string })[]>(
        `select x.id, x.incident_id, s.name as source_name, x.fingerprint, x.identity, x.status, x.title, x.labels, x.annotations,
                x.starts_at, x.ends_at, x.first_received_at, x.last_received_at, x.received_count
           from ingested_alerts x join ingest_sources s on s.id = x.source_id
          where x.incident_id = any(?::uuid[]) order by x.first_received_at, x.id`,
        [pgTextArray([...ids])],
      );
      const map = new Map<string, IngestedAlertRow[]>();
      for (const r of rows) {
        const list = map.get(r.incident_id);
        if (list) list.push(r);
        else map.set(r.incident_id, [r]);
      }
      return ids.map((id) => map.get(id) ?? []);
    }),
  };
}
