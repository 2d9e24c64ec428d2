import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { effectiveness, healthCandidates, HEALTH_SCAN_CAP, keyOf, type HealthFilter } from './knowledge.facts';
import { itemView } from './knowledge.service';
import type { KnowledgeHealthPage, KnowledgeItem } from './knowledge.types';

export const HEALTH_PAGE_MAX = 200;

/**
 * The knowledge-health list: every candidate (in review, published, needing review; filtered) is
 * judged by the domain rules, those with a reason are ordered by owner name (no owner last), kind
 * and title, and one page is cut. Four statements plus the owner names, whatever the size.
 */
export async function knowledgeHealth(
  em: EntityManager,
  filter: HealthFilter,
  first: number,
  offset: number,
  now: Date,
): Promise<KnowledgeHealthPage> {
  const cands = await healthCandidates(em, filter);
  const eff = await effectiveness(em, cands);
  const judged = cands.map((f) => itemView(f, now, eff.get(keyOf(f))?.low ?? false)).filter((i) => i.attention.length > 0);
  const ownerIds = [...new Set(judged.flatMap((i) => (i.ownerId ? [i.ownerId] : [])))];
  const names = new Map<string, string>();
  if (ownerIds.length) {
    const rows = await em.execute<{ id: string; name: string }[]>(`select id, name from users where id = any(?::uuid[])`, [
      pgTextArray(ownerIds),
    ]);
    for (const r of rows) names.set(r.id, r.name);
  }
  const ownerName = (i: KnowledgeItem) => (i.ownerId ? (names.get(i.ownerId) ?? '') : null);
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  judged.sort((a, b) => {
    const na = ownerName(a);
    const nb = ownerName(b);
    if ((na === null) !== (nb === null)) return na === null ? 1 : -1;
    return (
      cmp(na ?? '', nb ?? '') ||
      cmp(a.ownerId ?? '', b.ownerId ?? '') ||
      cmp(a.kind, b.kind) ||
      cmp(a.title, b.title) ||
      cmp(a.itemId, b.itemId)
    );
  });
  const items = judged.slice(offset, offset + first);
  const end = offset + items.length;
  return { items, totalCount: judged.length, next: end < judged.length ? String(end) : null, truncated: cands.length >= HEALTH_SCAN_CAP };
}
