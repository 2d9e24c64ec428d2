import { fieldLabel, normalizeEmail } from '@ikb/domain';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { WriteService } from '../shared/write-service';
import { Category } from './category.entity';
import type { UpdateCategoryInput, UpdateServiceInput, UpdateTeamInput, UpdateUserInput } from './directory.inputs';
import { Service } from './service.entity';
import { Team } from './team.entity';
import { User } from './user.entity';

/** Names and emails can be changed but not cleared: an explicit null is refused, not ignored. */
function notCleared(input: object, ...fields: string[]): void {
  for (const f of fields)
    if ((input as Record<string, unknown>)[f] === null) throw badInput(f, 'cannot be cleared; leave it out to keep it');
}

const conflict = (what: string, field: string) =>
  new AppError('CONFLICT', fieldMessage(field, `a ${what} with this ${fieldLabel(field).toLowerCase()} already exists`), { field });

/**
 * Edits of the directory (services, teams, categories, users), one transaction each. Names are
 * unique case-insensitively (categories: among their siblings): a duplicate is checked up front
 * for a clear message, and the unique index still decides under concurrency (both become CONFLICT).
 */
export class DirectoryEditService extends WriteService {
  private async write<T>(what: string, field: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx(fn);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict(what, field);
      throw err;
    }
  }

  private async load<T extends object>(em: EntityManager, entity: new () => T, what: string, id: string, field = 'id'): Promise<T> {
    assertUuid(field, id);
    const found = await em.findOne(entity, { id } as never);
    if (!found) throw notFound(field, what, id);
    return found as T;
  }

  async updateService(id: string, input: UpdateServiceInput): Promise<Service> {
    notCleared(input, 'name');
    return this.write('service', 'name', async (em) => {
      const service = await this.load(em, Service, 'service', id);
      if (input.name != null) {
        const name = input.name.trim();
        if (await em.findOne(Service, { $and: [{ id: { $ne: id } }, { name: { $ilike: escapeLike(name) } }] }))
          throw conflict('service', 'name');
        service.name = name;
      }
      if (input.description !== undefined) service.description = input.description?.trim() || null;
      if (input.ownerTeamId !== undefined) {
        if (input.ownerTeamId !== null) await this.load(em, Team, 'team', input.ownerTeamId, 'ownerTeamId');
        service.ownerTeamId = input.ownerTeamId;
      }
      if (input.public != null) service.public = input.public;
      return service;
    });
  }

  async updateTeam(id: string, input: UpdateTeamInput): Promise<Team> {
    notCleared(input, 'name');
    return this.write('team', 'name', async (em) => {
      const team = await this.load(em, Team, 'team', id);
      if (input.name != null) {
        const name = input.name.trim();
        if (await em.findOne(Team, { $and: [{ id: { $ne: id } }, { name: { $ilike: escapeLike(name) } }] })) throw conflict('team', 'name');
        team.name = name;
      }
      if (input.description !== undefined) team.description = input.description?.trim() || null;
      return team;
    });
  }

  async updateCategory(id: string, input: UpdateCategoryInput): Promise<Category> {
    notCleared(input, 'name', 'retired');
    return this.write('category', 'name', async (em) => {
      const category = await this.load(em, Category, 'category', id);
      let parent: Category | null = category.parentId ? await em.findOne(Category, { id: category.parentId }) : null;
      if (input.parentId !== undefined && input.parentId !== category.parentId) {
        if (input.parentId === null) parent = null;
        else {
          if (input.parentId === id) throw badInput('parentId', 'a category cannot be its own parent');
          parent = await this.load(em, Category, 'category', input.parentId, 'parentId');
          if (parent.parentId) throw badInput('parentId', `"${parent.name}" is already a subcategory; categories have two levels`);
          // Two levels at most: a category with subcategories cannot itself become one.
          const children = await em.count(Category, { parentId: id });
          if (children)
            throw badInput(
              'parentId',
              `"${category.name}" has ${children} subcategor${children === 1 ? 'y' : 'ies'}; categories have two levels`,
            );
        }
        category.parentId = parent?.id ?? null;
      }
      if (input.name != null) category.name = input.name.trim();
      // Names are unique among siblings (same parent), whichever of name or parent changed.
      const sibling = await em.findOne(Category, {
        $and: [{ id: { $ne: id } }, { parentId: category.parentId }, { name: { $ilike: escapeLike(category.name) } }],
      });
      if (sibling) throw conflict('category', 'name');

      const retire = input.retired ?? category.retiredAt !== null;
      if (!retire && parent?.retiredAt)
        throw badInput(input.retired === false ? 'retired' : 'parentId', `the parent category "${parent.name}" is retired`);
      if (retire && !category.retiredAt) {
        category.retiredAt = this.now();
        // Retiring a category retires its subcategories: nothing under it stays on offer.
        for (const child of await em.find(Category, { parentId: id, retiredAt: null })) child.retiredAt = category.retiredAt;
      } else if (!retire) category.retiredAt = null;
      return category;
    });
  }

  async updateUser(id: string, input: UpdateUserInput): Promise<User> {
    notCleared(input, 'name', 'email');
    return this.write('user', 'email', async (em) => {
      const user = await this.load(em, User, 'user', id);
      if (input.name != null) user.name = input.name.trim();
      if (input.email != null) {
        const email = normalizeEmail(input.email);
        if (await em.findOne(User, { $and: [{ id: { $ne: id } }, { email }] })) throw conflict('user', 'email');
        user.email = email;
      }
      if (input.teamId !== undefined) {
        if (input.teamId !== null) await this.load(em, Team, 'team', input.teamId, 'teamId');
        user.teamId = input.teamId;
      }
      return user;
    });
  }
}

/** An exact, case-insensitive match through ILIKE: the name's own % and _ are literal. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
