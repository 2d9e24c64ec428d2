import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { mappingJsonSchema } from '../features/imports/file/mapping.schema';
import { schemaSdl } from '../graphql/schema';
import { parseOptions } from './args';
import { CliError, type CliCommand, type CliContext } from './command';

/** The top of the repository (the compiled CLI resolves it the same way). */
const ROOT = resolve(__dirname, '../../../..');
/** The committed API contract. */
const SCHEMA_FILE = resolve(ROOT, 'schema.graphql');
/** The JSON Schema of import mapping files, for editors. */
const MAPPING_SCHEMA_FILE = resolve(ROOT, 'docs/mapping.schema.json');

/** Writes a file generated from code, or with --check fails when the committed one differs from it. */
function emit(file: string, content: string, check: boolean, command: string, ctx: CliContext): number {
  const name = relative(ROOT, file);
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`There is no ${file}: run \`${command}\` and commit it.`);
    }
    if (current !== content) throw new CliError(`${name} is out of date: run \`${command}\` and commit it.`);
    ctx.io.out(`${name} is up to date.`);
    return 0;
  }
  writeFileSync(file, content);
  ctx.io.out(`Wrote ${file}`);
  return 0;
}

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
    return emit(SCHEMA_FILE, await schemaSdl(), !!values.check, 'pnpm schema:emit', ctx);
  },
};

export const mappingSchemaCommand: CliCommand = {
  name: 'mapping:schema',
  summary: 'write docs/mapping.schema.json (the JSON Schema of mapping files); --check: fail when it is stale',
  help: `Usage: pnpm cli mapping:schema [--check]

Writes the JSON Schema of import mapping files (\`import csv|json --mapping\`) to
docs/mapping.schema.json, generated from the schema the import checks them with. A mapping file
that names it in "$schema" is checked by editors as it is typed.

Options:
  --check   write nothing; exit 1 when the committed docs/mapping.schema.json differs from the code
            (the test suite checks this too)

Examples:
  pnpm cli mapping:schema
  pnpm cli mapping:schema --check`,
  async run(args, ctx) {
    const { values } = parseOptions({ args, options: { check: { type: 'boolean' } } });
    return emit(MAPPING_SCHEMA_FILE, mappingJsonSchema(), !!values.check, 'pnpm cli mapping:schema', ctx);
  },
};
