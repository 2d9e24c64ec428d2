// What the outbox keeps: occurrences with their deliveries, tries and people's list entries, and
// settled mails, for NOTIFY_RETENTION_DAYS (default 90) after they were made; then the sweep deletes
// them, a batch at a time, never a delivery or mail still to be sent.
import type { ConnectionSource } from '../../db/internals';
import { underRouteLock } from './notify.occurrences';

const BATCH = 5000;

export async function sweepNotifications(
  source: ConnectionSource,
  retentionDays: number,
): Promise<{ occurrences: number; mails: number } | null> {
  return underRouteLock(source, async (c) => {
    const { rowCount: occurrences } = await c.query(
      `delete from notify.occurrences o
        where o.id = any(array(
          select x.id from notify.occurrences x
           where x.created_at < now() - make_interval(days => $1)
             and not exists (select 1 from notify.deliveries d where d.occurrence_id = x.id and d.status = 'PENDING')
           order by x.created_at limit ${BATCH}))`,
      [retentionDays],
    );
    const { rowCount: mails } = await c.query(
      `delete from notify.mails m
        where m.id = any(array(
          select x.id from notify.mails x where x.status <> 'PENDING' and x.created_at < now() - make_interval(days => $1)
           order by x.created_at limit ${BATCH}))`,
      [retentionDays],
    );
    return { occurrences: occurrences ?? 0, mails: mails ?? 0 };
  });
}
