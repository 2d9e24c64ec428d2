import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { loadSynonymGroups } from '../search-synonyms/search-synonym.cache';
import { knownErrorDuplicates, openDuplicates } from './duplicates.service';
import { DuplicateCheckInput, PossibleDuplicates } from './duplicates.types';
import { synonymMatcher } from './search.service';

@Resolver(() => PossibleDuplicates)
export class DuplicatesResolver {
  @Query(() => PossibleDuplicates, {
    description:
      'While an incident is being logged: open incidents and known errors that look the same, so the reporter can go to the ' +
      'existing one instead of logging a duplicate.',
  })
  async possibleDuplicates(@Arg('input', () => DuplicateCheckInput) input: DuplicateCheckInput, @Ctx() ctx: Context) {
    const groups = await loadSynonymGroups(ctx.sql, { scope: ctx.metadata });
    const [openIncidents, hits] = await Promise.all([
      openDuplicates(ctx.em, input),
      knownErrorDuplicates(ctx.sql, input, synonymMatcher(groups)),
    ]);
    // One batched statement for the problems of every hit.
    const problems = await Promise.all(hits.map((h) => ctx.loaders.problem.load(h.id)));
    const knownErrors = hits.flatMap((h, n) => (problems[n] ? [{ problem: problems[n], score: h.score, reason: h.reason }] : []));
    return { openIncidents, knownErrors };
  }
}
