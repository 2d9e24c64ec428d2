import { PRIORITY_LABELS } from '@ikb/domain';
import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { getPriorityMatrix, setPriorityMatrix } from './settings.service';

@ObjectType({ description: 'Impact x urgency -> priority. rows[impact-1][urgency-1].' })
class PriorityMatrixView {
  @Field(() => [[Int]])
  rows!: number[][];

  @Field(() => [String], { description: 'Labels of priorities 1..5.' })
  labels!: string[];
}

@InputType()
class PriorityMatrixInput {
  @Field(() => [[Int]], { description: '3 rows (impact 1..3) of 3 priorities (urgency 1..3).' })
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  rows!: number[][];
}

const view = (rows: readonly (readonly number[])[]): PriorityMatrixView => ({
  rows: rows.map((r) => [...r]),
  labels: [1, 2, 3, 4, 5].map((p) => PRIORITY_LABELS[p as 1]),
});

@Resolver()
export class SettingsResolver {
  @Query(() => PriorityMatrixView)
  async priorityMatrix(@Ctx() ctx: Context): Promise<PriorityMatrixView> {
    return view(await getPriorityMatrix(ctx.em));
  }

  @Mutation(() => PriorityMatrixView, { description: 'Replace the priority matrix used from now on.' })
  async setPriorityMatrix(
    @Arg('input', () => PriorityMatrixInput) input: PriorityMatrixInput,
    @Ctx() ctx: Context,
  ): Promise<PriorityMatrixView> {
    return view(await setPriorityMatrix(ctx.em, input.rows));
  }
}
