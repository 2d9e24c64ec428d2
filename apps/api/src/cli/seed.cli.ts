import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../errors';
import { Incident } from '../features/incidents/incident.entity';
import { DEMO_ADMIN_EMAIL } from '../seed/demo-account';
import { CATEGORIES, MODEL_STORIES, PEOPLE, SERVICES, TEAMS } from '../seed/demo-data';
import { seedDemo } from '../seed/demo-seed';
import { seedScale } from '../seed/scale-seed';
import { intOption, parseOptions } from './args';
import { CliError, type CliCommand } from './command';

/** The names the demo organisation creates, by the table whose unique index they would hit. */
const DEMO_NAMES: { what: string; sql: string; names: string[] }[] = [
  { what: 'teams', sql: 'select name from teams where lower(name) in', names: TEAMS.map((t) => t.name) },
  { what: 'people', sql: 'select email as name from users where lower(email) in', names: [...PEOPLE.map((p) => p[1]), DEMO_ADMIN_EMAIL] },
  { what: 'services', sql: 'select name from services where lower(name) in', names: SERVICES.map((s) => s.name) },
  { what: 'categories', sql: 'select name from categories where parent_id is null and lower(name) in', names: Object.keys(CATEGORIES) },
  { what: 'SLA calendars', sql: 'select name from business_calendars where lower(name) in', names: ['Berlin office hours'] },
  { what: 'incident models', sql: 'select name from incident_models where lower(name) in', names: MODEL_STORIES.map((m) => m.name) },
];

/**
 * The demo seed makes its own teams, people, services and categories: on a database that already
 * has one of them (an earlier seed, an import) it would stop at the first duplicate key. Says which
 * before anything is written.
 */
async function refuseNameClashes(em: EntityManager): Promise<void> {
  const conn = em.getConnection();
  const clashes: string[] = [];
  for (const { what, sql, names } of DEMO_NAMES) {
    const rows = await conn.execute<{ name: string }[]>(
      `${sql} (${names.map(() => '?').join(', ')}) order by 1`,
      names.map((n) => n.toLowerCase()),
    );
    if (rows.length)
      clashes.push(
        `${what}: ${rows
          .slice(0, 5)
          .map((r) => r.name)
          .join(', ')}${rows.length > 5 ? ` and ${rows.length - 5} more` : ''}`,
      );
  }
  if (clashes.length) {
    throw new CliError(
      `This database already has records the demo organisation would create (${clashes.join('; ')}), so the demo cannot be ` +
        'added beside them. ' +
        'Seed an empty database instead: a new database in DATABASE_URL, or a new DATA_DIR for the embedded one.',
    );
  }
}

/**
 * A clash the check above did not foresee (a service's own refusal, or a duplicate key): what
 * clashed, not the whole INSERT. The seed is one transaction, so nothing was written.
 */
function duplicateKey(err: unknown): never {
  const e = err as { constraint?: string; detail?: string; message?: string };
  const what =
    err instanceof UniqueConstraintViolationException
      ? (e.detail ?? e.constraint ?? 'a duplicate key')
      : err instanceof AppError
        ? e.message
        : undefined;
  if (what)
    throw new CliError(
      `The demo data clashes with a record this database already has (${what}); nothing was written. Seed an empty database instead.`,
    );
  throw err;
}

export const seedCommand: CliCommand = {
  name: 'db:seed',
  summary: 'load the demo organisation and a year of incidents, through the same services as the API',
  help: `Usage: pnpm cli db:seed [--incidents N] [--force] [--seed N]

Loads the demo organisation (teams, people, services, categories, SLA policies, problems,
workarounds, incident models, reviews) and N incidents over the past year, replayed through the
same service code as the API, so every incident has a consistent timeline. One transaction: on a
refusal or an error nothing is written. The demo admin is ${DEMO_ADMIN_EMAIL}.

Options:
  --incidents N   how many incidents (default 360; 0 to 100000)
  --force         seed even though the database already has incidents. The demo's teams, people,
                  services and categories must not exist yet: a database that has them (an earlier
                  seed) is refused with their names
  --seed N        the random seed (default 20261127): the same seed gives the same data

Example:
  pnpm cli db:seed --incidents 1000`,
  async run(args, ctx) {
    const { values } = parseOptions({
      args,
      options: { incidents: { type: 'string' }, force: { type: 'boolean' }, seed: { type: 'string' } },
    });
    const incidents = intOption('incidents', values.incidents, 360, 0, 100_000);
    const seed = values.seed === undefined ? undefined : intOption('seed', values.seed, 0, 0, 2 ** 31 - 1);
    return ctx.withEm(async (em) => {
      const existing = await em.fork().count(Incident, {});
      if (existing > 0 && !values.force)
        throw new CliError(
          `The database already has ${existing} incidents; db:seed fills an empty one (--force adds the demo organisation anyway, if ` +
            'none of its names exist yet).',
        );
      await refuseNameClashes(em);
      const t0 = Date.now();
      const summary = await seedDemo(em.fork(), { incidents, seed }).catch(duplicateKey);
      ctx.io.out(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${summary}`);
      return 0;
    });
  },
};

export const seedScaleCommand: CliCommand = {
  name: 'seed:scale',
  summary: 'add N generated incidents set-wise in SQL (1,000,000 works), for benchmarks at scale',
  help: `Usage: pnpm cli seed:scale [--incidents N] [--batch N]

Adds N generated incidents with timelines, SLA clocks and search documents, written set-wise in
SQL (about 3,000 a second on the project's machine): data for benchmarks at scale, not a story.
An empty database gets the demo organisation first (200 incidents), to hang them on.

Options:
  --incidents N   how many (default 100000; 1 to 10000000)
  --batch N       incidents per SQL batch (default 100000)

Example:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench pnpm cli seed:scale --incidents 1000000`,
  async run(args, ctx) {
    const { values } = parseOptions({ args, options: { incidents: { type: 'string' }, batch: { type: 'string' } } });
    const incidents = intOption('incidents', values.incidents, 100_000, 1, 10_000_000);
    const batch = values.batch === undefined ? undefined : intOption('batch', values.batch, 100_000, 1, 10_000_000);
    return ctx.withEm(async (em) => {
      if ((await em.fork().count(Incident, {})) === 0) await refuseNameClashes(em);
      const summary = await seedScale(em.fork(), { incidents, batch, log: (line) => ctx.io.out(line) }).catch(duplicateKey);
      ctx.io.out(summary);
      return 0;
    });
  },
};
