import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { byIdLoader, placeholders, selectEntities } from '../db/row-entity';
import { Category } from '../features/directory/category.entity';
import { Service } from '../features/directory/service.entity';
import { Team } from '../features/directory/team.entity';
import { User } from '../features/directory/user.entity';
import { incidentLoaders } from '../features/incidents/incident.loaders';
import { slaLoaders } from '../features/sla/sla.loaders';
import { problemLoaders } from '../features/problems/problem.loaders';
import { workaroundLoaders } from '../features/workarounds/workaround.loaders';
import { reviewLoaders } from '../features/reviews/review.loaders';
import { Incident } from '../features/incidents/incident.entity';
import { incidentModelLoaders } from '../features/models/incident-model.loaders';
import { ingestLoaders } from '../features/ingest/ingest.loaders';
import { trackerLoaders } from '../features/trackers/tracker-links';
import { knowledgeLoaders } from '../features/knowledge/knowledge.loaders';

export function createLoaders(em: EntityManager) {
  return {
    team: byIdLoader(em, Team),
    user: byIdLoader(em, User),
    service: byIdLoader(em, Service),
    category: byIdLoader(em, Category),
    subcategories: new DataLoader<string, Category[]>(async (ids) => {
      const rows = await selectEntities(em, Category, `select * from categories where parent_id in (${placeholders(ids)}) order by name`, [
        ...ids,
      ]);
      return ids.map((id) => rows.filter((r) => r.parentId === id));
    }),
    ...incidentLoaders(em),
    ...slaLoaders(em),
    ...problemLoaders(em),
    ...workaroundLoaders(em),
    ...reviewLoaders(em),
    ...incidentModelLoaders(em),
    ...ingestLoaders(em),
    ...trackerLoaders(em),
    ...knowledgeLoaders(em),
    incident: byIdLoader(em, Incident),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
