import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, openOrm } from '../db/orm';
import { env } from '../env';
import { Incident } from '../features/incidents/incident.entity';
import { schemaSdl } from '../graphql/schema';
import { seedDemo } from '../seed/demo-seed';
import { seedScale } from '../seed/scale-seed';
import { AuthService } from '../features/auth/auth.service';
import type { Role } from '../features/directory/user.entity';
import { IMPORTS_HELP, runImportsCli } from '../features/imports/imports.cli';

const SCHEMA_FILE = resolve(__dirname, '../../../../schema.graphql');

const HELP = `Usage: pnpm cli <command> [options]

Commands:
  db:migrate               apply pending migrations
  db:seed [--incidents N]  load the demo organisation and N incidents over the past year (default 360);
                           refuses a database that already has incidents unless --force
  seed:scale --incidents N generate N more incidents (default 100000; 1000000 works) with timelines, SLA
                           clocks and search documents, set-wise in SQL, for benchmarks at scale
  token create --user <email> --role <ROLE> [--name <label>]
                           create an API token (printed once; stored hashed)
  token revoke --id <id>   revoke an API token
${IMPORTS_HELP}
  schema:emit [--check]    write schema.graphql from the code (no database needed);
                           --check fails if the committed file is out of date

The database is DATABASE_URL, or the embedded one in DATA_DIR (stop the API first: the
embedded database is used by one process at a time).`;

async function withDatabase<T>(fn: (orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>): Promise<T> {
  const e = env();
  let embedded: EmbeddedPostgres | undefined;
  let url = e.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: e.DATA_DIR });
    url = embedded.url;
  }
  const orm = await openOrm(url, { logSql: e.LOG_SQL });
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'db:migrate':
      return withDatabase(async (orm) => {
        const applied = await migrate(orm);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        return 0;
      });
    case 'db:seed': {
      const { values } = parseArgs({ args: rest, options: { incidents: { type: 'string' }, force: { type: 'boolean' }, seed: { type: 'string' } } });
      const incidents = values.incidents === undefined ? 360 : Number(values.incidents);
      if (!Number.isInteger(incidents) || incidents < 0 || incidents > 100_000) {
        console.error(`--incidents must be an integer between 0 and 100000; got "${values.incidents}"`);
        return 2;
      }
      return withDatabase(async (orm) => {
        await migrate(orm);
        const existing = await orm.em.fork().count(Incident, {});
        if (existing > 0 && !values.force) {
          console.error(`The database already has ${existing} incidents; db:seed only fills an empty one (use --force to add the demo data anyway).`);
          return 1;
        }
        const t0 = Date.now();
        const summary = await seedDemo(orm.em.fork(), { incidents, seed: values.seed ? Number(values.seed) : undefined });
        console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${summary}`);
        return 0;
      });
    }
    case 'seed:scale': {
      const { values } = parseArgs({ args: rest, options: { incidents: { type: 'string' }, batch: { type: 'string' } } });
      const incidents = Number(values.incidents ?? '100000');
      if (!Number.isInteger(incidents) || incidents < 1 || incidents > 10_000_000) {
        console.error(`--incidents must be an integer between 1 and 10000000; got "${values.incidents}"`);
        return 2;
      }
      return withDatabase(async (orm) => {
        await migrate(orm);
        const summary = await seedScale(orm.em.fork(), { incidents, batch: values.batch ? Number(values.batch) : undefined, log: (l) => console.log(l) });
        console.log(summary);
        return 0;
      });
    }
    case 'token': {
      const [sub, ...more] = rest;
      const { values } = parseArgs({ args: more, options: { user: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } } });
      return withDatabase(async (orm) => {
        await migrate(orm);
        const auth = new AuthService(orm.em.fork());
        if (sub === 'create') {
          if (!values.user || !values.role) {
            console.error('Usage: pnpm cli token create --user <email> --role <ADMIN|PROBLEM_MANAGER|ENGINEER|VIEWER> [--name <label>]');
            return 2;
          }
          const { token, secret } = await auth.createToken({ email: values.user }, values.role.toUpperCase() as Role, values.name ?? 'CLI token');
          console.log(`Token ${token.id} (${token.role}) for ${values.user}. Send it as "Authorization: Bearer <token>"; it is shown only now:\n${secret}`);
          return 0;
        }
        if (sub === 'revoke') {
          if (!values.id) {
            console.error('Usage: pnpm cli token revoke --id <token id>');
            return 2;
          }
          await auth.revokeToken(values.id);
          console.log(`Revoked ${values.id}`);
          return 0;
        }
        console.error('Usage: pnpm cli token create|revoke ...');
        return 2;
      });
    }
    case 'import':
    case 'export':
    case 'ingest-source':
      return runImportsCli(command, rest, (fn) => withDatabase(async (orm) => {
        await migrate(orm);
        return fn(orm.em.fork());
      }), {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
        progress: process.stderr,
      });
    case 'schema:emit': {
      const { values } = parseArgs({ args: rest, options: { check: { type: 'boolean' } } });
      const sdl = await schemaSdl();
      if (values.check) {
        const current = readFileSync(SCHEMA_FILE, 'utf8');
        if (current !== sdl) {
          console.error('schema.graphql is out of date: run `pnpm schema:emit` and commit it.');
          return 1;
        }
        console.log('schema.graphql is up to date.');
        return 0;
      }
      writeFileSync(SCHEMA_FILE, sdl);
      console.log(`Wrote ${SCHEMA_FILE}`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    if (process.env.DEBUG) console.error(err);
    process.exit(1);
  },
);
