import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schemaSdl } from '../graphql/schema';
import { parseOptions } from './args';
import { CliError, type CliCommand } from './command';

/** The committed API contract at the top of the repository (the compiled CLI resolves it the same way). */
const SCHEMA_FILE = resolve(__dirname, '../../../../schema.graphql');

export const schemaEmitCommand: CliCommand = {
  name: 'schema:emit',
  summary: 'write schema.graphql from the code (no database needed); --check: fail when it is stale',
  help: `Usage: pnpm cli schema:emit [--check]

Builds the GraphQL schema from the code (no database is opened) and writes it, sorted and with its
generated-file header, to schema.graphql at the top of the repository: the API contract the web
app's typed operations are generated from.

Options:
  --check   write nothing; exit 1 when the committed schema.graphql differs from the code
            (the test suite checks this too)

Examples:
  pnpm cli schema:emit
  pnpm cli schema:emit --check`,
  async run(args, ctx) {
    const { values } = parseOptions({ args, options: { check: { type: 'boolean' } } });
    const sdl = await schemaSdl();
    if (values.check) {
      let current = '';
      try {
        current = readFileSync(SCHEMA_FILE, 'utf8');
      } catch {
        throw new CliError(`There is no ${SCHEMA_FILE}: run \`pnpm schema:emit\` and commit it.`);
      }
      if (current !== sdl) throw new CliError('schema.graphql is out of date: run `pnpm schema:emit` and commit it.');
      ctx.io.out('schema.graphql is up to date.');
      return 0;
    }
    writeFileSync(SCHEMA_FILE, sdl);
    ctx.io.out(`Wrote ${SCHEMA_FILE}`);
    return 0;
  },
};
