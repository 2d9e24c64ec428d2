import { scoreSuggestion, type SuggestionStrength } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertUuid, badInput, notFound } from '../../errors';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Incident } from '../incidents/incident.entity';
import { alertTextSql } from '../shared/alert-text-sql';
import { IncidentModel, IncidentModelVersion, type IncidentModelStatus } from './incident-model.entity';
import { cursorId, cursorText, timeCursor } from '../../graphql/cursors';

export const MAX_PAGE = 100;
export const MAX_SUGGESTIONS = 50;

export function checkFirst(first: number, max = MAX_PAGE): number {
  if (!Number.isInteger(first) || first < 0 || first > max) throw badInput('first', `must be between 0 and ${max}`);
  return first;
}

/** Models are listed by name, case-insensitively: the cursor is the lower-cased name and the id. */
export function encodeModelCursor(m: IncidentModel): string {
  return Buffer.from(`${m.name.toLowerCase()}|${m.id}`).toString('base64url');
}

function decodeModelCursor(raw: string): { name: string; id: string } {
  // The name may hold '|': the id is what follows the last one.
  const text = cursorText(raw);
  const cut = text.lastIndexOf('|');
  if (cut < 1) throw badInput('after', 'is not a cursor from this list');
  return { name: text.slice(0, cut), id: cursorId(text.slice(cut + 1)) };
}

/** Same cursor shape as the incident register (openedAt|id), so incident pages read alike. */
export function decodeModelIncidentCursor(raw: string): { openedAt: Date; id: string } {
  const c = timeCursor(raw);
  return { openedAt: c.at, id: c.id };
}

export interface IncidentModelPage {
  items: IncidentModel[];
  hasNextPage: boolean;
  count: () => Promise<number>;
}

export async function listIncidentModels(
  em: EntityManager,
  filter: { status?: IncidentModelStatus | null; text?: string | null },
  first: number,
  after?: string | null,
): Promise<IncidentModelPage> {
  checkFirst(first);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  const text = filter.text?.trim();
  if (text) {
    if (text.length > 200) throw badInput('text', 'must be at most 200 characters');
    where.push(`name ilike ? escape '\\'`);
    params.push(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const page = [...where];
  const pageParams = [...params];
  if (after) {
    const c = decodeModelCursor(after);
    page.push('(lower(name), id) > (?, ?::uuid)');
    pageParams.push(c.name, c.id);
  }
  const clause = (w: string[]) => (w.length ? `where ${w.join(' and ')}` : '');
  const rows = await em.execute<Record<string, unknown>[]>(
    `select * from incident_models ${clause(page)} order by lower(name), id limit ?`,
    [...pageParams, first + 1],
  );
  const items = rows.map((r) => em.map(IncidentModel, r));
  let counted: Promise<number> | undefined;
  return {
    items: items.slice(0, first),
    hasNextPage: items.length > first,
    count: () =>
      (counted ??= em
        .execute<{ n: string }[]>(`select count(*) as n from incident_models ${clause(where)}`, params)
        .then((r) => Number(r[0]?.n ?? 0))),
  };
}

export interface Suggestion {
  model: IncidentModel;
  version: IncidentModelVersion;
  score: number;
  strength: SuggestionStrength;
  reasons: string[];
}

/**
 * Active models whose current version fits the incident with evidence beyond a shared service
 * (@ikb/domain scoreSuggestion), best first. Candidates are narrowed in SQL (same service, category
 * or its parent, or any keywords); the alerts on the incident count as evidence too.
 */
export async function suggestIncidentModels(em: EntityManager, incidentId: string, first: number): Promise<Suggestion[]> {
  checkFirst(first, MAX_SUGGESTIONS);
  assertUuid('incidentId', incidentId);
  const incident = await em.findOne(Incident, { id: incidentId });
  if (!incident) throw notFound('incidentId', 'incident', incidentId);
  const [service, category, alerts] = await Promise.all([
    incident.serviceId ? em.findOne(Service, { id: incident.serviceId }) : null,
    incident.categoryId ? em.findOne(Category, { id: incident.categoryId }) : null,
    em.execute<{ text: string }[]>(`select ${alertTextSql('?')} as text`, [incident.id]),
  ]);
  const rows = await em.execute<Record<string, unknown>[]>(
    `select v.* from incident_model_versions v
       join incident_models m on m.id = v.model_id and v.version = m.current_version
      where m.status = 'ACTIVE'
        and (v.match_service_id = ? or v.match_category_id in (?, ?) or jsonb_array_length(v.match_keywords) > 0)`,
    [incident.serviceId, incident.categoryId, category?.parentId ?? null],
  );
  const versions = rows.map((r) => em.map(IncidentModelVersion, r));
  const parentHits = versions.some((v) => v.matchCategoryId !== null && v.matchCategoryId === category?.parentId);
  const parent = parentHits && category?.parentId ? await em.findOne(Category, { id: category.parentId }) : null;
  const subject = {
    serviceId: incident.serviceId,
    serviceName: service?.name,
    categoryId: incident.categoryId,
    categoryName: category?.name,
    categoryParentId: category?.parentId ?? null,
    title: incident.title,
    description: incident.description,
    alertText: alerts[0]?.text ?? '',
  };
  const scored = versions.flatMap((version) => {
    const e = scoreSuggestion(subject, {
      serviceId: version.matchServiceId,
      categoryId: version.matchCategoryId,
      categoryName: parent?.name,
      keywords: version.matchKeywords,
    });
    return e.strength ? [{ version, score: e.score, strength: e.strength, reasons: e.reasons }] : [];
  });
  if (!scored.length) return [];
  const models = await em.find(IncidentModel, { id: { $in: scored.map((s) => s.version.modelId) } });
  const byId = new Map(models.map((m) => [m.id, m]));
  return scored
    .map((s) => ({ ...s, model: byId.get(s.version.modelId)! }))
    .sort((a, b) => b.score - a.score || a.model.name.localeCompare(b.model.name) || a.model.id.localeCompare(b.model.id))
    .slice(0, first);
}
