// Knowledge reminders (issue 27, docs/notifications.md): every published item (or one needing
// review) with an owner is judged by the domain rules; a stale published item moves to NEEDS_REVIEW,
// and its owner is told once per item between two reviews (stale) or once per item and review date
// (due within 30 days). Occurrences go through queueOccurrences like every other event.
import { KNOWLEDGE_KIND_LABELS, attentionReasons, recordMessage, staleReasons, valueLabel, type RecordDerived } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { APPS_SQL, LIFECYCLE_COLUMNS, lifecycleOf, type LifecycleFacts, type LifecycleRow } from '../knowledge/knowledge.facts';
import { queueOccurrences, underRouteLock, type OccurrenceDraft, type QueueResult } from './notify.occurrences';

const PATH = { WORKAROUND: '/workarounds/', KNOWN_ERROR: '/problems/', MODEL: '/models/' } as const;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'none');

function draft(
  f: LifecycleFacts,
  d: RecordDerived,
  extra: { label: string; value: string }[],
  now: Date,
  web: string,
  teamId: string | null,
): OccurrenceDraft {
  const message = recordMessage(
    d.event,
    {
      number: KNOWLEDGE_KIND_LABELS[f.kind],
      title: f.title,
      url: `${web.replace(/\/+$/, '')}${PATH[f.kind]}${encodeURIComponent(f.ref)}`,
      facts: [{ label: 'State', value: valueLabel(f.state) }, { label: 'Review by', value: day(f.reviewBy) }, ...extra],
    },
    d.text,
  );
  return {
    dedupKey: d.dedupKey,
    incidentId: null,
    facts: {
      event: d.event,
      incidentId: null,
      serviceId: f.serviceId,
      teamId,
      priority: null,
      major: false,
      actorId: null,
      concerns: d.concerns,
    },
    message,
    at: now,
    recordedAt: now,
  };
}

export async function scanKnowledge(source: ConnectionSource, opts: { publicWebUrl: string; now?: Date }): Promise<QueueResult | null> {
  return underRouteLock(source, async (c) => {
    const now = opts.now ?? new Date();
    const { rows } = await c.query<LifecycleRow>(
      `with keys as (select kind, item_id from knowledge_items where state in ('PUBLISHED','NEEDS_REVIEW')), ${APPS_SQL}
       select ${LIFECYCLE_COLUMNS}
         from keys x join knowledge_items k on k.kind = x.kind and k.item_id = x.item_id
         join knowledge_subjects s on s.kind = k.kind and s.item_id = k.item_id
        where coalesce(k.owner_id, s.fallback_owner_id) is not null`,
    );
    const drafts: OccurrenceDraft[] = [];
    const toNeedsReview: LifecycleFacts[] = [];
    for (const f of rows.map(lifecycleOf)) {
      const stale = staleReasons(f, now);
      const concerns = [f.ownerId!];
      if (stale.length) {
        if (f.state === 'PUBLISHED') toNeedsReview.push(f);
        const reasons = stale.map((r) => valueLabel(r).toLowerCase()).join(', ');
        drafts.push(
          draft(
            f,
            {
              event: 'KNOWLEDGE_STALE',
              dedupKey: `knowledge-stale:${f.kind}:${f.itemId}:${f.reviewedAt?.toISOString() ?? 'never'}`,
              concerns,
              text: `Stale: ${reasons}. Review it and mark it reviewed, or retire it.`,
            },
            [{ label: 'Why', value: reasons }],
            now,
            opts.publicWebUrl,
            f.teamId,
          ),
        );
      } else if (attentionReasons({ ...f, lowEffectiveness: false }, now).includes('REVIEW_DUE')) {
        drafts.push(
          draft(
            f,
            {
              event: 'KNOWLEDGE_REVIEW_DUE',
              dedupKey: `knowledge-due:${f.kind}:${f.itemId}:${day(f.reviewBy)}`,
              concerns,
              text: `Due for review by ${day(f.reviewBy)}.`,
            },
            [],
            now,
            opts.publicWebUrl,
            f.teamId,
          ),
        );
      }
    }
    if (toNeedsReview.length) {
      await c.query(
        `update knowledge_items k set state = 'NEEDS_REVIEW', state_changed_at = $2, updated_at = $2
           from jsonb_to_recordset($1::jsonb) as x(kind varchar, item_id uuid)
          where k.kind = x.kind and k.item_id = x.item_id and k.state = 'PUBLISHED'`,
        [JSON.stringify(toNeedsReview.map((f) => ({ kind: f.kind, item_id: f.itemId }))), now],
      );
    }
    if (!drafts.length) return { occurrences: 0, deliveries: 0, people: 0 };
    const { rows: known } = await c.query<{ dedup_key: string }>(
      `select dedup_key from notify.occurrences where dedup_key = any($1::text[])`,
      [drafts.map((d) => d.dedupKey)],
    );
    const seen = new Set(known.map((k) => k.dedup_key));
    return queueOccurrences(
      c,
      drafts.filter((d) => !seen.has(d.dedupKey)),
    );
  });
}
