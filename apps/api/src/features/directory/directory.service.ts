import { fieldLabel } from '@ikb/domain';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, fieldMessage, notFound } from '../../errors';
import { Category } from './category.entity';
import type { CreateCategoryInput, CreateServiceInput, CreateTeamInput, CreateUserInput } from './directory.inputs';
import { Service } from './service.entity';
import { Team } from './team.entity';
import { AuthService } from '../auth/auth.service';
import type { User } from './user.entity';

async function save<T extends object>(em: EntityManager, entity: T, what: string, field: string): Promise<T> {
  try {
    await em.transactional(async (tem) => {
      tem.persist(entity);
    });
    return entity;
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw new AppError('CONFLICT', fieldMessage(field, `a ${what} with this ${fieldLabel(field).toLowerCase()} already exists`), {
        field,
      });
    }
    throw err;
  }
}

async function ensureTeam(em: EntityManager, field: string, id: string | undefined) {
  if (id && !(await em.findOne(Team, { id }))) throw notFound(field, 'team', id);
}

export class DirectoryService {
  constructor(private readonly em: EntityManager) {}

  async createTeam(input: CreateTeamInput): Promise<Team> {
    return save(this.em, this.em.create(Team, { name: input.name.trim(), description: input.description ?? null } as Team), 'team', 'name');
  }

  async createUser(input: CreateUserInput): Promise<User> {
    await ensureTeam(this.em, 'teamId', input.teamId);
    return new AuthService(this.em).createUserAccount({
      email: input.email,
      name: input.name,
      role: input.role ?? 'ENGINEER',
      password: input.password,
      teamId: input.teamId,
    });
  }

  async createService(input: CreateServiceInput): Promise<Service> {
    await ensureTeam(this.em, 'ownerTeamId', input.ownerTeamId);
    const service = this.em.create(Service, {
      name: input.name.trim(),
      description: input.description ?? null,
      ownerTeamId: input.ownerTeamId ?? null,
      public: input.public ?? false,
    } as Service);
    return save(this.em, service, 'service', 'name');
  }

  async createCategory(input: CreateCategoryInput): Promise<Category> {
    if (input.parentId) {
      const parent = await this.em.findOne(Category, { id: input.parentId });
      if (!parent) throw notFound('parentId', 'category', input.parentId);
      if (parent.parentId) throw badInput('parentId', `"${parent.name}" is already a subcategory; categories have two levels`);
    }
    const category = this.em.create(Category, { name: input.name.trim(), parentId: input.parentId ?? null } as Category);
    return save(this.em, category, 'category', 'name');
  }
}
