import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { rowAsEntity } from '../../db/internals';
import type { Context } from '../../graphql/context';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Incident } from '../incidents/incident.entity';
import { IncidentModel } from '../models/incident-model.entity';
import { Problem } from '../problems/problem.entity';
import { Review } from '../reviews/review.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { loadSynonymGroups } from '../search-synonyms/search-synonym.cache';
import { searchCatalog, synonymMatcher } from './search.service';
import { SearchConnection, SearchHit, SearchInput } from './search.types';
import { SimilarIncident } from './similar.types';
import { similarIncidents } from './similar.service';
import { recordSearch, withSearchId } from '../search-log/search-log.record';

@Resolver(() => SearchHit)
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Search the solution catalog: resolved incidents, known errors and problems, workarounds, incident models, published reviews.',
  })
  async search(
    @Arg('input', () => SearchInput) input: SearchInput,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    // A raw statement, no EntityManager: the page is plain rows.
    const groups = await loadSynonymGroups(ctx.sql, { scope: ctx.metadata });
    const { refs, ...connection } = await searchCatalog(ctx.sql, input, first, after, synonymMatcher(groups));
    // The statement brought the hits' services and categories along: no extra queries for them.
    const services = new Map(refs.services.map((row) => [String(row.id), rowAsEntity(ctx.metadata, Service, row)]));
    const categories = new Map(refs.categories.map((row) => [String(row.id), rowAsEntity(ctx.metadata, Category, row)]));
    for (const hit of connection.nodes) {
      hit.service = (hit.serviceId && services.get(hit.serviceId)) || null;
      hit.category = (hit.categoryId && categories.get(hit.categoryId)) || null;
    }
    // Recorded in this process's buffer, written to the primary later: the search stays a read (decision 0011).
    return withSearchId(connection, recordSearch(ctx, input, connection.totalCount, after));
  }

  @Query(() => [SimilarIncident], {
    description: 'Past resolved incidents most like this one, each with what fixed it and why it matched.',
  })
  similarIncidents(
    @Arg('incidentId', () => ID) incidentId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
  ) {
    return similarIncidents(ctx.em, incidentId, first);
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'Set when kind is INCIDENT.' })
  incident(@Root() h: SearchHit, @Ctx() ctx: Context) {
    if (h.kind !== 'INCIDENT') return null;
    // The search statement brought the row along (as the loader would read it: select *).
    return h.incidentRow ? rowAsEntity(ctx.metadata, Incident, h.incidentRow) : ctx.loaders.incident.load(h.id);
  }

  @FieldResolver(() => Problem, { nullable: true, description: 'Set when kind is PROBLEM or KNOWN_ERROR.' })
  problem(@Root() h: SearchHit, @Ctx() ctx: Context) {
    return h.kind === 'PROBLEM' || h.kind === 'KNOWN_ERROR' ? ctx.loaders.problem.load(h.id) : null;
  }

  @FieldResolver(() => Workaround, { nullable: true, description: 'Set when kind is WORKAROUND.' })
  workaround(@Root() h: SearchHit, @Ctx() ctx: Context) {
    return h.kind === 'WORKAROUND' ? ctx.loaders.workaround.load(h.id) : null;
  }

  @FieldResolver(() => IncidentModel, { nullable: true, description: 'Set when kind is MODEL.' })
  model(@Root() h: SearchHit, @Ctx() ctx: Context) {
    return h.kind === 'MODEL' ? ctx.loaders.incidentModel.load(h.id) : null;
  }

  @FieldResolver(() => Review, { nullable: true, description: 'Set when kind is REVIEW.' })
  review(@Root() h: SearchHit, @Ctx() ctx: Context) {
    return h.kind === 'REVIEW' ? ctx.loaders.review.load(h.id) : null;
  }
}
