import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { BulkProblemInput } from './problem-bulk.inputs';
import { ProblemBulkService } from './problem-bulk.service';
import { BulkProblemResult } from './problem-bulk.types';

@Resolver()
export class ProblemBulkResolver {
  @Mutation(() => BulkProblemResult, {
    description:
      'Set the owner / team of, or move through the lifecycle, several problems at once, all or nothing: when any problem is ' +
      'refused, none changes and errors says why for each refused one.',
  })
  async bulkUpdateProblems(@Arg('input', () => BulkProblemInput) input: BulkProblemInput, @Ctx() ctx: Context) {
    return new ProblemBulkService(ctx.em, await ctx.actor()).apply(input);
  }
}
