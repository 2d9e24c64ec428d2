import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, openOrm } from '../db/orm';
import type { Env } from '../env';

/**
 * The command line's database: DATABASE_URL, or the embedded one in DATA_DIR. Opened on first
 * use (a command that needs none, like schema:emit or --help, never starts it), once per run,
 * closed by cli/run.ts when the command is done.
 */
export class CliDatabase {
  private opening: Promise<{ orm: MikroORM; embedded?: EmbeddedPostgres }> | undefined;
  private migrated: Promise<string[]> | undefined;

  constructor(private readonly env: () => Env) {}

  /** The ORM, not migrated: db:migrate reports what it applies. */
  orm(): Promise<MikroORM> {
    this.opening ??= (async () => {
      const e = this.env();
      let embedded: EmbeddedPostgres | undefined;
      let url = e.DATABASE_URL;
      if (!url) {
        embedded = await startEmbeddedPostgres({ dataDir: e.DATA_DIR });
        url = embedded.url;
      }
      try {
        return { orm: await openOrm(url, { logSql: e.LOG_SQL }), embedded };
      } catch (err) {
        await embedded?.stop();
        throw err;
      }
    })();
    return this.opening.then((o) => o.orm);
  }

  /** Applies pending migrations once per run; returns their names. */
  migrate(): Promise<string[]> {
    this.migrated ??= this.orm().then((orm) => migrate(orm));
    return this.migrated;
  }

  /** CliContext.withEm: a fresh EntityManager on the migrated database. */
  readonly withEm = async <T>(fn: (em: EntityManager) => Promise<T>): Promise<T> => {
    await this.migrate();
    return fn((await this.orm()).em.fork() as EntityManager);
  };

  async close(): Promise<void> {
    if (!this.opening) return;
    const opened = await this.opening.catch(() => undefined);
    this.opening = undefined;
    if (!opened) return;
    await opened.orm.close(true);
    await opened.embedded?.stop();
  }
}
