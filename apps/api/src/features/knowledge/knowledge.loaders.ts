import { MIN_SAMPLE, type KnowledgeKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { effectiveness, lifecycleFacts, type LifecycleFacts } from './knowledge.facts';
import type { KnowledgeEffectiveness } from './knowledge.types';

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
    knowledgeEffectiveness: new DataLoader<string, KnowledgeEffectiveness>(async (keys) => {
      const m = await effectiveness(em, keys.map(split));
      return keys.map((k) => ({ ...m.get(k)!, minSample: MIN_SAMPLE }));
    }),
  };
}
