import { parseOptions } from './args';
import type { CliCommand } from './command';
import { CliDatabase } from './database';

export const migrateCommand: CliCommand = {
  name: 'db:migrate',
  summary: 'apply pending migrations (the API also migrates at start)',
  help: `Usage: pnpm cli db:migrate

Applies the migrations the database does not have yet, all or nothing in one transaction, and
names them. The API does the same at start; for a rolling deploy of several API instances run
this once first, so the instances find nothing to do.

The database is DATABASE_URL, or the embedded one in DATA_DIR (stop the API first: the embedded
database serves one process at a time).

Example:
  DATABASE_URL=postgres://ikb@db.internal/ikb pnpm cli db:migrate`,
  async run(args, ctx) {
    parseOptions({ args, options: {} });
    // Its own connection, not ctx.withEm (which migrates silently): this command reports what it applied.
    const db = new CliDatabase(() => ctx.env);
    try {
      const applied = await db.migrate();
      ctx.io.out(
        applied.length
          ? `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}`
          : 'The database is up to date: no migration to apply.',
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
