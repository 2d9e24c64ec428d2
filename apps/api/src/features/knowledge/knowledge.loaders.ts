import { MIN_SAMPLE, type KnowledgeKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { effectiveness, lifecycleFacts, type LifecycleFacts } from './knowledge.facts';
import { feedbackView } from './knowledge.service';
import type { KnowledgeEffectiveness, KnowledgeFeedback } from './knowledge.types';

const split = (key: string) => {
  const at = key.indexOf(':');
  return { kind: key.slice(0, at) as KnowledgeKind, itemId: key.slice(at + 1) };
};

/** Keys are "KIND:itemId": one batch of items of any kinds costs the same statements as one item. */
export function knowledgeLoaders(em: EntityManager) {
  return {
    knowledgeLifecycle: new DataLoader<string, LifecycleFacts | null>(async (keys) => {
      const m = await lifecycleFacts(em, keys.map(split));
      return keys.map((k) => m.get(k) ?? null);
    }),
    /** Keys are "userId|incidentId": a person's votes on incidents (at most 200 per incident). */
    myKnowledgeFeedback: new DataLoader<string, KnowledgeFeedback[]>(async (keys) => {
      const pairs = keys.map((k) => k.split('|') as [string, string]);
      const rows = await em.execute<Parameters<typeof feedbackView>[0][]>(
        `select f.id, f.kind, f.item_id, f.incident_id, f.helpful, f.reason, f.context, f.updated_at, f.user_id
           from jsonb_to_recordset(?::jsonb) as x(user_id uuid, incident_id uuid)
           cross join lateral (select * from knowledge_feedback f where f.user_id = x.user_id and f.incident_id = x.incident_id
                                order by f.updated_at desc limit 200) f`,
        [JSON.stringify(pairs.map(([user_id, incident_id]) => ({ user_id, incident_id })))],
      );
      return pairs.map(([u, i]) =>
        rows.filter((r) => (r as unknown as { user_id: string }).user_id === u && r.incident_id === i).map(feedbackView),
      );
    }),
    knowledgeEffectiveness: new DataLoader<string, KnowledgeEffectiveness>(async (keys) => {
      const m = await effectiveness(em, keys.map(split));
      return keys.map((k) => ({ ...m.get(k)!, minSample: MIN_SAMPLE }));
    }),
  };
}
