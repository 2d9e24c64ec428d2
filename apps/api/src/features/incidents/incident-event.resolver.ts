import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { IncidentEvent } from './incident-event.entity';
import { eventChanges, IncidentEventChange } from './incident-event-changes';

@Resolver(() => IncidentEvent)
export class IncidentEventResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The user who acted, when it was a known user.' })
  actor(@Root() e: IncidentEvent, @Ctx() ctx: Context) {
    return e.actorId ? ctx.loaders.user.load(e.actorId) : null;
  }

  @FieldResolver(() => [IncidentEventChange], {
    description: 'What changed, in words (no ids): the fields of before and after with names and numbers resolved.',
  })
  changes(@Root() e: IncidentEvent, @Ctx() ctx: Context): Promise<IncidentEventChange[]> {
    return eventChanges(e, ctx.loaders);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The whole text (markdown) of a work note or a stakeholder update; null for other events.',
  })
  markdown(@Root() e: IncidentEvent): string | null {
    const d = e.data ?? {};
    const v = e.kind === 'WORK_NOTE' ? d.markdown : e.kind === 'STAKEHOLDER_UPDATE' ? d.message : null;
    return typeof v === 'string' ? v : null;
  }
}
