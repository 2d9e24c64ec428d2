import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { User } from '../features/directory/user.entity';
import { SYSTEM_ACTOR, type Actor } from './actor';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  /** Forked per request: no identity map is shared between requests. */
  em: EntityManager;
  loaders: Loaders;
  requestId: string;
  actor(): Promise<Actor>;
}

export function createContext(orm: MikroORM, opts: { requestId: string; actorEmail?: string }): Context {
  const em = orm.em.fork();
  let actor: Promise<Actor> | undefined;
  return {
    em,
    loaders: createLoaders(em),
    requestId: opts.requestId,
    actor() {
      actor ??= (async () => {
        if (!opts.actorEmail) return SYSTEM_ACTOR;
        const user = await em.findOne(User, { email: opts.actorEmail.toLowerCase() });
        return user ? { id: user.id, name: user.name } : { id: null, name: opts.actorEmail.slice(0, 200) };
      })();
      return actor;
    },
  };
}
