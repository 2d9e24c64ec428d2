import { SAVED_VIEW_LIMITS, savedViewFiltersProblem, type SavedViewList } from '@ikb/domain';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { User } from '../directory/user.entity';
import { WriteService } from '../shared/write-service';
import { SavedView } from './saved-view.entity';
import type { CreateSavedViewInput, UpdateSavedViewInput } from './saved-view.inputs';

/**
 * Saved views belong to the user who saved them: only they rename, change or delete one. A shared
 * view is also listed for the members of the owner's home team, read-only. Another user's private
 * view is "not found", never "forbidden", so ids reveal nothing.
 */
export class SavedViewService extends WriteService {
  protected override readonly recordName = 'saved view';

  constructor(em: EntityManager, actor: Actor) {
    super(em, actor);
  }

  private me(): string {
    if (!this.actor.id) throw new AppError('UNAUTHENTICATED', 'Saved views belong to a signed-in user');
    return this.actor.id;
  }

  private async myTeam(em: EntityManager): Promise<string | null> {
    return (await em.findOne(User, { id: this.me() }, { fields: ['teamId'] }))?.teamId ?? null;
  }

  /** Mine first, then those shared with my home team, each by name (two statements). */
  async list(list: SavedViewList): Promise<SavedView[]> {
    const me = this.me();
    const team = await this.myTeam(this.em);
    const views = await this.em.find(
      SavedView,
      { list, $or: team ? [{ ownerId: me }, { sharedTeamId: team }] : [{ ownerId: me }] },
      { orderBy: { name: 'asc', id: 'asc' } },
    );
    return [...views.filter((v) => v.ownerId === me), ...views.filter((v) => v.ownerId !== me)];
  }

  async create(input: CreateSavedViewInput): Promise<SavedView> {
    const me = this.me();
    this.checkFilters(input.list, input.filters);
    return this.tx(async (em) => {
      const count = await em.count(SavedView, { ownerId: me, list: input.list });
      if (count >= SAVED_VIEW_LIMITS.perList)
        throw badInput('list', `you have ${count} saved views of this list already, the most there may be; delete one first`);
      const view = Object.assign(new SavedView(), {
        ownerId: me,
        list: input.list,
        name: input.name.trim(),
        filters: input.filters,
        sharedTeamId: input.shared ? await this.teamToShareWith(em) : null,
      });
      em.persist(view);
      return view;
    });
  }

  async update(id: string, input: UpdateSavedViewInput): Promise<SavedView> {
    return this.tx(async (em) => {
      const view = await this.owned(em, id);
      if (input.name != null) view.name = input.name.trim();
      if (input.filters != null) {
        this.checkFilters(view.list, input.filters);
        view.filters = input.filters;
      }
      if (input.shared != null) view.sharedTeamId = input.shared ? await this.teamToShareWith(em) : null;
      view.updatedAt = new Date();
      return view;
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.tx(async (em) => {
      em.remove(await this.owned(em, id));
      return true;
    });
  }

  protected override uniqueConflict(err: UniqueConstraintViolationException): AppError | null {
    if (/saved_views_owner_list_name/.test(err.message))
      return new AppError('CONFLICT', 'name: you already have a view of this list with this name', { field: 'name' });
    return null;
  }

  private checkFilters(list: SavedViewList, filters: unknown): void {
    const problem = savedViewFiltersProblem(list, filters);
    if (problem) throw badInput(problem.field, problem.message);
  }

  private async teamToShareWith(em: EntityManager): Promise<string> {
    const team = await this.myTeam(em);
    if (!team) throw badInput('shared', 'you have no home team to share the view with; ask an admin to set your team');
    return team;
  }

  private async owned(em: EntityManager, id: string): Promise<SavedView> {
    assertUuid('id', id);
    const view = await em.findOne(SavedView, { id });
    if (!view) throw notFound('id', 'saved view', id);
    if (view.ownerId === this.me()) return view;
    // A view shared with my team: I may see it, not change it.
    if (view.sharedTeamId && view.sharedTeamId === (await this.myTeam(em)))
      throw new AppError('FORBIDDEN', 'id: only the owner of a saved view may change or delete it', { field: 'id' });
    throw notFound('id', 'saved view', id);
  }
}
