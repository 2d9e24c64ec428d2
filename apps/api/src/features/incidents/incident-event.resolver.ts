import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { IncidentEvent } from './incident-event.entity';

@Resolver(() => IncidentEvent)
export class IncidentEventResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The user who acted, when it was a known user.' })
  actor(@Root() e: IncidentEvent, @Ctx() ctx: Context) {
    return e.actorId ? ctx.loaders.user.load(e.actorId) : null;
  }
}
