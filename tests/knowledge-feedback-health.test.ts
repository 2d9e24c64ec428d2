import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createTeam, createUser } from './support/factories';
import { appliedTo, bruteForce, type Kind } from './support/knowledge-brute';
import { createProblem, createWorkaround, ROOT_CAUSE, run, transitionProblem } from './support/knowledge-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The knowledge-health list (issue 27): exactly the items a brute-force reading of the rules picks
 * (stale, review due within 30 days, in review over 14 days, low effectiveness), by owner, page by
 * page, filtered, at a constant number of SQL statements.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('knowledge health', () => {
  const HEALTH = `query($filter: KnowledgeHealthFilter, $first: Int, $after: String) {
    knowledgeHealth(filter: $filter, first: $first, after: $after) { totalCount next truncated
      items { kind itemId title state attention staleReasons reviewBy owner { id name } effectiveness { helpful { n } low } } } }`;
  type Page = {
    totalCount: number;
    next: string | null;
    items: { kind: string; itemId: string; attention: string[]; owner: { id: string; name: string } | null }[];
  };

  it('lists exactly the items a brute-force reading of the rules picks, by owner, page by page', async () => {
    const team = await createTeam(t);
    const owner = await createUser(t, { teamId: team.id, name: 'Aaron Owner' });
    const svc = await createService(t);
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ownerId: owner.id, serviceId: svc.id });
    const wa = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(t, p.id, 'KNOWN_ERROR');
    await t.sql(`update knowledge_items set review_by = now() - interval '2 days' where item_id = $1`, [p.id]);
    await t.sql(`update knowledge_items set review_by = now() + interval '10 days' where item_id = $1`, [wa.id]);
    const inReview = await createWorkaround(t);
    await run(t, `mutation($i: TransitionKnowledgeInput!) { transitionKnowledge(input: $i) { state } }`, {
      i: { kind: 'WORKAROUND', itemId: inReview.id, to: 'IN_REVIEW' },
    });
    await t.sql(`update knowledge_items set state_changed_at = now() - interval '20 days' where item_id = $1`, [inReview.id]);

    const all: Page['items'] = [];
    let after: string | null = null;
    do {
      const page: Page = await run<Page>(t, HEALTH, { first: 2, after });
      all.push(...page.items);
      after = page.next;
    } while (after);
    const brute = await bruteHealth();
    expect(all.map((i) => [i.kind, i.itemId, i.attention])).toEqual(brute.map((b) => [b.kind, b.itemId, b.attention]));
    expect(all.find((i) => i.itemId === p.id)?.attention).toEqual(['STALE']);
    expect(all.find((i) => i.itemId === wa.id)?.attention).toEqual(['REVIEW_DUE']);
    expect(all.find((i) => i.itemId === inReview.id)?.attention).toEqual(['IN_REVIEW_TOO_LONG']);
    // Filters: owner and service narrow to that owner's / service's items.
    const mine = await run<Page>(t, HEALTH, { filter: { ownerId: owner.id } });
    expect(mine.items.map((i) => i.itemId).sort()).toEqual([p.id, wa.id].sort());
    const bySvc = await run<Page>(t, HEALTH, { filter: { serviceId: svc.id, kind: 'KNOWN_ERROR' } });
    expect(bySvc.items.map((i) => i.itemId)).toEqual([p.id]);
  });

  it('costs the same number of SQL statements for few and many items', async () => {
    const few = await t.gql(HEALTH, { first: 1 });
    const many = await t.gql(HEALTH, { first: 200 });
    expect(few.errors).toBeUndefined();
    expect((many.data as { knowledgeHealth: Page }).knowledgeHealth.items.length).toBeGreaterThan(1);
    expect(many.extensions?.sqlStatements).toBe(few.extensions?.sqlStatements);
    expect(many.extensions?.sqlStatements).toBeLessThanOrEqual(10);
  });

  /** The health rules read directly: stale, review due in 30 days, in review for 14 days, low effectiveness. */
  async function bruteHealth() {
    const rows = await t.sql<{
      kind: Kind;
      item_id: string;
      title: string;
      state: string;
      review_by: string | null;
      state_changed_at: string;
      service_id: string | null;
      category_id: string | null;
      reviewed_service_id: string | null;
      reviewed_category_id: string | null;
      owner_id: string | null;
      owner_name: string | null;
      reviewed_at: string | null;
      created_at: string;
    }>(
      `select k.kind, k.item_id, s.title, k.state, k.review_by::text, k.state_changed_at::text, s.service_id, s.category_id,
              k.reviewed_service_id, k.reviewed_category_id, coalesce(k.owner_id, s.fallback_owner_id) as owner_id, u.name as owner_name,
              k.reviewed_at::text, k.created_at::text
         from knowledge_items k join knowledge_subjects s using (kind, item_id)
         left join users u on u.id = coalesce(k.owner_id, s.fallback_owner_id)
        where k.state in ('IN_REVIEW','PUBLISHED','NEEDS_REVIEW')`,
    );
    const events = await t.sql<{ incident_id: string; at: string }>(
      `select incident_id, at::text from incident_events where kind = 'REOPENED'`,
    );
    const now = Date.now();
    const out = [];
    for (const r of rows) {
      const applied = await appliedTo(t, r.kind, r.item_id);
      const since = new Date(r.reviewed_at ?? r.created_at).getTime();
      const reopened = [...applied].some(([inc, first]) =>
        events.some((e) => e.incident_id === inc && new Date(e.at).getTime() > first && new Date(e.at).getTime() > since),
      );
      const rb = r.review_by ? new Date(r.review_by).getTime() : null;
      const changed = (cur: string | null, was: string | null) => was !== null && cur !== was;
      const stale =
        (rb !== null && rb < now) ||
        changed(r.service_id, r.reviewed_service_id) ||
        changed(r.category_id, r.reviewed_category_id) ||
        reopened;
      const due = rb !== null && rb >= now && rb <= now + 30 * 86_400_000;
      const tooLong = r.state === 'IN_REVIEW' && now - new Date(r.state_changed_at).getTime() > 14 * 86_400_000;
      const low = r.state !== 'IN_REVIEW' && (await bruteForce(t, r.kind, r.item_id)).low;
      const attention = [stale && 'STALE', due && 'REVIEW_DUE', tooLong && 'IN_REVIEW_TOO_LONG', low && 'LOW_EFFECTIVENESS'].filter(
        Boolean,
      );
      if (attention.length)
        out.push({ kind: r.kind, itemId: r.item_id, title: r.title, ownerId: r.owner_id, ownerName: r.owner_name, attention });
    }
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort(
      (a, b) =>
        (a.ownerName === null ? 1 : 0) - (b.ownerName === null ? 1 : 0) ||
        cmp(a.ownerName ?? '', b.ownerName ?? '') ||
        cmp(a.ownerId ?? '', b.ownerId ?? '') ||
        cmp(a.kind, b.kind) ||
        cmp(a.title, b.title) ||
        cmp(a.itemId, b.itemId),
    );
  }
});
