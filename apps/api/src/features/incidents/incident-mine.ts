import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';

/**
 * "Assigned to me" and "my team" resolved on the server from the session, so a saved link or view
 * means the same thing for whoever opens it and nobody can ask for "mine" on someone else's behalf.
 * teamId null with myTeam set means the user has no home team: the filter then matches nothing.
 */
export interface MineScope {
  assigneeId?: string;
  myTeam?: { teamId: string | null };
}

export async function resolveMine(ctx: Context, want: { assignedToMe?: boolean | null; myTeam?: boolean | null }): Promise<MineScope> {
  if (!want.assignedToMe && !want.myTeam) return {};
  const actor = await ctx.actor();
  if (!actor.id) {
    const field = want.assignedToMe ? 'assignedToMe' : 'myTeam';
    throw new AppError('BAD_USER_INPUT', `${field}: only a signed-in user has incidents of their own`, { field });
  }
  const scope: MineScope = {};
  if (want.assignedToMe) scope.assigneeId = actor.id;
  if (want.myTeam) {
    const user = await ctx.em.findOne(User, { id: actor.id }, { fields: ['teamId'] });
    scope.myTeam = { teamId: user?.teamId ?? null };
  }
  return scope;
}
