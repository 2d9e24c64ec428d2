import { mayRun } from '@ikb/domain';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { BulkIncidentInput } from './incident-bulk.inputs';
import { IncidentBulkService } from './incident-bulk.service';
import { BulkIncidentResult } from './incident-bulk.types';

@Resolver()
export class IncidentBulkResolver {
  @Mutation(() => BulkIncidentResult, {
    description:
      'Assign, acknowledge, transition or add to a review several incidents at once, all or nothing: when any incident is refused, none ' +
      'changes and errors says why for each refused one.',
  })
  async bulkUpdateIncidents(@Arg('input', () => BulkIncidentInput) input: BulkIncidentInput, @Ctx() ctx: Context) {
    const actor = await ctx.actor();
    // Adding to a review is review work: the same roles as addIncidentsToReview.
    if (input.addToReviewId && !mayRun('addIncidentsToReview', actor.role ?? null))
      throw new AppError('FORBIDDEN', `${actor.role ?? 'anonymous'} may not add incidents to a review`, {
        operation: 'addIncidentsToReview',
      });
    return new IncidentBulkService(ctx.em, actor).apply(input);
  }
}
