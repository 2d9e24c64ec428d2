import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { TimeEntry } from './time-entry.entity';

@Resolver(() => TimeEntry)
export class TimeEntryResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who did the work.' })
  user(@Root() e: TimeEntry, @Ctx() ctx: Context) {
    return e.userId ? ctx.loaders.user.load(e.userId) : null;
  }
}
