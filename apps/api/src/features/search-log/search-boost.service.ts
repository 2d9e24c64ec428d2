// Boosts (decision 0011): an admin approves (with a reason and a bounded weight) or dismisses what
// the search log suggests; searchCatalog reads the approved ones in its own statement, so a
// decision ranks from the next search on, on every instance.
import { BOOST_SUGGESTION, normalizeSearchQuery } from '@ikb/domain';
import { randomUUID } from 'node:crypto';
import { rawDate } from '../../db/raw-dates';
import { badInput, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import type { Context } from '../../graphql/context';
import type { SearchKind } from '../search/search.types';
import type { ApproveSearchBoostInput, DismissSearchBoostInput } from './search-log.inputs';
import { SearchBoost, type SearchBoostStatus } from './search-log.types';

type Sql = Context['sql'];
/** Decisions listed at most (the approved ones ranking, and dismissals). */
export const BOOSTS_LISTED = 500;

interface BoostRow {
  id: string;
  query: string;
  kind: SearchKind;
  item_id: string;
  title: string | null;
  status: SearchBoostStatus;
  weight: number;
  reason: string;
  decided_by_name: string;
  decided_by_id: string | null;
  decided_at: string;
}

const COLUMNS = `b.id, b.query, b.kind, b.item_id, (select d.title from search_documents d where d.entity_id = b.item_id) as title,
  b.status, b.weight, b.reason, b.decided_by_name, b.decided_by_id, b.decided_at::text as decided_at`;

function toBoost(r: BoostRow): SearchBoost {
  return Object.assign(new SearchBoost(), {
    id: r.id,
    query: r.query,
    kind: r.kind,
    itemId: r.item_id,
    title: r.title,
    status: r.status,
    weight: Number(r.weight),
    reason: r.reason,
    decidedByName: r.decided_by_name,
    decidedById: r.decided_by_id,
    decidedAt: rawDate(r.decided_at)!,
  });
}

export async function listBoosts(sql: Sql): Promise<SearchBoost[]> {
  const rows = await sql<BoostRow[]>(
    `select ${COLUMNS} from search_log.boosts b order by b.status, b.decided_at desc, b.id limit ${BOOSTS_LISTED}`,
  );
  return rows.map(toBoost);
}

async function decide(
  sql: Sql,
  actor: Actor,
  input: { query: string; kind: SearchKind; itemId: string; reason: string },
  status: SearchBoostStatus,
  weight: number,
): Promise<SearchBoost> {
  const query = normalizeSearchQuery(input.query);
  if (!query) throw badInput('input.query', 'must not be empty');
  const reason = input.reason.trim();
  if (!reason) throw badInput('input.reason', 'must not be empty');
  // A record of the catalog, of the kind named (a problem and its known error are one record).
  const kinds = input.kind === 'PROBLEM' || input.kind === 'KNOWN_ERROR' ? ['PROBLEM', 'KNOWN_ERROR'] : [input.kind];
  const rows = await sql<BoostRow[]>(
    `with doc as (select d.entity_id from search_documents d where d.entity_id = ?::uuid and d.kind in (${kinds.map(() => '?').join(', ')}))
     insert into search_log.boosts as b (id, query, kind, item_id, status, weight, reason, decided_by_id, decided_by_name, decided_at)
     select ?::uuid, ?, ?, doc.entity_id, ?, ?, ?, ?::uuid, ?, now() from doc
     on conflict (query, item_id) do update set kind = excluded.kind, status = excluded.status, weight = excluded.weight,
       reason = excluded.reason, decided_by_id = excluded.decided_by_id, decided_by_name = excluded.decided_by_name, decided_at = now()
     returning ${COLUMNS}`,
    [input.itemId, ...kinds, randomUUID(), query, input.kind, status, weight, reason, actor.id, actor.name],
  );
  if (!rows[0]) throw notFound('input.itemId', input.kind.toLowerCase(), input.itemId);
  return toBoost(rows[0]);
}

export function approveBoost(sql: Sql, actor: Actor, input: ApproveSearchBoostInput): Promise<SearchBoost> {
  return decide(sql, actor, input, 'APPROVED', input.weight ?? BOOST_SUGGESTION.weight);
}

export function dismissBoost(sql: Sql, actor: Actor, input: DismissSearchBoostInput): Promise<SearchBoost> {
  return decide(sql, actor, input, 'DISMISSED', 0);
}

/** Removes a decision: an approved boost stops ranking; the pair may be suggested again. Answers it as it was. */
export async function revokeBoost(sql: Sql, id: string): Promise<SearchBoost> {
  const rows = await sql<BoostRow[]>(`delete from search_log.boosts b where b.id = ?::uuid returning ${COLUMNS}`, [id]);
  if (!rows[0]) throw notFound('id', 'search boost', id);
  return toBoost(rows[0]);
}
