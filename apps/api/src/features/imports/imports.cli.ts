import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { DATE_FORMATS, type DateFormatOption } from './file/dates';
import { exportIncidents, exportToFile, type ExportFormat } from './export';
import { describeProblems, formatSummary, importFile, ImportRefused, type ImportKind } from './import-file';
import {
  createIngestSource,
  IngestSourceError,
  listIngestSources,
  readRulesFile,
  revokeIngestSource,
  rotateIngestToken,
  setIngestRules,
} from '../ingest/ingest-source';
import { recordRefusedMapping } from './import-run';
import { loadMappingFile, MappingError, type ImportMapping } from './file/mapping';
import { progressBar } from './progress';
import { argsMessage } from '../../cli/args';
import { CliError, UsageError, type CliCommand, type CliContext, type CliIo } from '../../cli/command';
import { env, type Env } from '../../env';

/**
 * The `import`, `export` and `ingest-source` commands of `pnpm cli` (listed in cli/commands.ts).
 * runImportsCli runs one of them the way cli/run.ts does, with a database and output the caller
 * gives: tests call it with the test database and capture the output.
 */
const IMPORT_HELP = `Usage: pnpm cli import servicenow <file.csv> [options]
       pnpm cli import csv|json <file> [--mapping <mapping.json>] [options]

servicenow   a ServiceNow incident export: the incident table (one row per incident) or the
             audit event log (one row per update)
csv|json     another tool's export with a column mapping (docs/imports.md; Jira Service
             Management: apps/api/import-mappings/jira-service-management.json); without
             --mapping, the format of \`pnpm cli export\`

Idempotent by incident number: importing the same file again changes nothing. Exit codes: 0 done,
1 refused (bad rows, ambiguous dates, missing columns, unreadable file; nothing was written),
2 a usage mistake.

Options:
  --date-format auto|dmy|mdy|ymd   how to read dates like 03/04/2016: day, month or year first;
                                   auto (default) decides from the data
  --timezone <IANA zone>           zone of the file's wall times (default UTC, or the mapping's)
  --dry-run                        read and check everything, print what would change, write nothing
  --skip-invalid                   import the incidents whose rows are all valid; without it a file
                                   with any bad row is refused whole
  --rejects <file>                 with --skip-invalid: where the rejected rows go (default: next
                                   to the input, <name>.rejects.csv or .rejects.json)
  --mapping <mapping.json>         the column mapping (servicenow has one built in)

Paths are relative to where you typed the command. More: docs/imports.md.

Example:
  pnpm cli import servicenow incidents.csv --date-format dmy --timezone Europe/Berlin --dry-run`;

const EXPORT_HELP = `Usage: pnpm cli export csv|json [--out <file>]

Writes every incident (in number order, streamed) with its links, in the format
\`pnpm cli import csv|json\` reads back without a mapping (columns: docs/imports.md#export).

Options:
  --out <file>   write there (relative to where you typed the command); without it the export goes
                 to standard output and the count to standard error

Example:
  pnpm cli export json --out incidents.json`;

const INGEST_SOURCE_HELP = `Usage: pnpm cli ingest-source create --name <name> [--rules <rules.json>]
       pnpm cli ingest-source list
       pnpm cli ingest-source rotate --name <name>
       pnpm cli ingest-source revoke --name <name>
       pnpm cli ingest-source rules --name <name> --rules <rules.json>

Alert sources for POST /ingest/alerts, each with its own token and classification rules:
  create   a new source; prints its token once (store it in the sender's secret store)
  list     every source: token prefix, active or revoked, number of rules, created, last used
  rotate   a new token; the old one stops working
  revoke   the source's token stops working (rotate gives it a new one)
  rules    replace the source's rules with those of the file (docs/imports.md)

Example:
  pnpm cli ingest-source create --name Prometheus --rules prometheus-rules.json`;

export type { CliIo };

export type WithEm = CliContext['withEm'];

/** A refusal of the import code (bad mapping, bad rules, a refused file): the message alone, exit 1. */
async function refusalsAsCliErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MappingError || err instanceof IngestSourceError || err instanceof ImportRefused) throw new CliError(err.message);
    throw err;
  }
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: "import a ServiceNow export, or another tool's CSV/JSON with a column mapping",
  help: IMPORT_HELP,
  run: (args, ctx) => refusalsAsCliErrors(() => runImport(args, ctx.withEm, ctx.io)),
};

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export every incident with its links as CSV or JSON (readable back by import)',
  help: EXPORT_HELP,
  run: (args, ctx) => refusalsAsCliErrors(() => runExport(args, ctx.withEm, ctx.io)),
};

export const ingestSourceCommand: CliCommand = {
  name: 'ingest-source',
  summary: 'alert sources for POST /ingest/alerts: create, list, rotate, revoke, rules',
  help: INGEST_SOURCE_HELP,
  run: (args, ctx) => refusalsAsCliErrors(() => runIngestSource(args, ctx.withEm, ctx.io)),
};

export const IMPORT_COMMANDS = [importCommand, exportCommand, ingestSourceCommand];

/**
 * Runs `import`, `export` or `ingest-source` on the database withEm gives; returns the exit code
 * (0 done, 1 refused, 2 a usage mistake, whose message is followed by the command's help). Other
 * errors are thrown.
 */
export async function runImportsCli(command: string, args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  const cmd = IMPORT_COMMANDS.find((c) => c.name === command);
  if (!cmd) {
    io.err(`Unknown command "${command}"`);
    return 2;
  }
  try {
    return await cmd.run(args, {
      io,
      withEm,
      get env(): Env {
        return env();
      },
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${cmd.help}`);
      return 2;
    }
    if (err instanceof CliError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

/** Paths are relative to where `pnpm cli` was typed (INIT_CWD when a package script ran it). */
const resolve = (p: string) => resolvePath(process.env.INIT_CWD ?? process.cwd(), p);

function parse(args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(argsMessage(err));
  }
}

async function runImport(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    'date-format': { type: 'string' },
    timezone: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'skip-invalid': { type: 'boolean' },
    rejects: { type: 'string' },
    mapping: { type: 'string' },
  });
  const [kind, file, ...extra] = positionals;
  if (!kind || !['servicenow', 'csv', 'json'].includes(kind))
    throw new UsageError(`import: say what to import: servicenow, csv or json (got "${kind ?? ''}")`);
  if (!file) throw new UsageError(`import ${kind}: the file to import is missing`);
  if (extra.length) throw new UsageError(`import ${kind}: one file at a time (extra: ${extra.join(' ')})`);
  const dateFormat = values['date-format'] as string | undefined;
  if (dateFormat !== undefined && !DATE_FORMATS.includes(dateFormat as DateFormatOption))
    throw new UsageError(`--date-format must be one of ${DATE_FORMATS.join(', ')}; got "${dateFormat}"`);
  if (values.rejects && !values['skip-invalid'])
    throw new UsageError('--rejects goes with --skip-invalid (without it a file with bad rows is refused whole)');
  if (!existsSync(resolve(file))) throw new CliError(`import ${kind}: no file ${resolve(file)}`);
  let mapping: ImportMapping | undefined;
  try {
    mapping = values.mapping ? loadMappingFile(resolve(values.mapping as string)) : undefined;
  } catch (err) {
    // A refused run too: on record in the import history (import-run.ts), then the message as before.
    if (err instanceof MappingError) {
      const opts = {
        kind: kind as ImportKind,
        file: resolve(file),
        dryRun: !!values['dry-run'],
        skipInvalid: !!values['skip-invalid'],
        dateFormat: dateFormat as DateFormatOption | undefined,
        timeZone: values.timezone as string | undefined,
      };
      await withEm((em) => recordRefusedMapping(em, opts, resolve(values.mapping as string), err.message)).catch(() => false);
    }
    throw err;
  }
  const bar = io.progress ? progressBar(io.progress) : null;
  try {
    const summary = await withEm((em) =>
      importFile(em, {
        kind: kind as ImportKind,
        file: resolve(file),
        mapping,
        dateFormat: dateFormat as DateFormatOption | undefined,
        timeZone: values.timezone as string | undefined,
        dryRun: !!values['dry-run'],
        skipInvalid: !!values['skip-invalid'],
        rejectsFile: values.rejects ? resolve(values.rejects as string) : undefined,
        onProgress: bar?.update,
      }),
    );
    bar?.done();
    io.out(formatSummary(summary));
    return 0;
  } catch (err) {
    bar?.done();
    if (err instanceof ImportRefused && err.problems.length && !err.message.includes('\n')) io.err(describeProblems(err.problems));
    throw err;
  }
}

async function runExport(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } });
  const [format, ...extra] = positionals;
  if (format !== 'csv' && format !== 'json') throw new UsageError(`export: the format is csv or json (got "${format ?? ''}")`);
  if (extra.length) throw new UsageError(`export: unexpected ${extra.join(' ')}`);
  const t0 = Date.now();
  if (values.out) {
    const path = resolve(values.out as string);
    const result = await withEm((em) => exportToFile(em, format as ExportFormat, path));
    io.out(`Exported ${result.incidents} incidents to ${path} (${format}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    const result = await withEm((em) => exportIncidents(em, format as ExportFormat, io.stdout ?? process.stdout));
    io.err(`Exported ${result.incidents} incidents (${format})`);
  }
  return 0;
}

async function runIngestSource(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' }, rules: { type: 'string' } });
  const [action, ...extra] = positionals;
  if (extra.length) throw new UsageError(`ingest-source: unexpected ${extra.join(' ')}`);
  const name = values.name as string | undefined;
  const needName = () => {
    if (!name) throw new UsageError(`ingest-source ${action}: --name is required`);
    return name;
  };
  switch (action) {
    case 'create': {
      const rules = values.rules ? readRulesFile(resolve(values.rules as string)) : {};
      const { source, token } = await withEm((em) => createIngestSource(em, needName(), rules));
      io.out(`Alert source "${source.name}" created. Its token (shown only now; store it in the sender's secret store):\n\n  ${token}\n`);
      io.out(
        `Send alerts with:  curl -X POST <api>/ingest/alerts -H 'authorization: Bearer ${token.slice(0, 12)}...' -H 'content-type: ` +
          `application/json' -d @alerts.json`,
      );
      io.out(
        'Alertmanager:      receivers: - webhook_configs: - url: <api>/ingest/alerts, http_config: { authorization: { ' +
          'credentials: <token> } }',
      );
      return 0;
    }
    case 'rotate': {
      const { source, token } = await withEm((em) => rotateIngestToken(em, needName()));
      io.out(`New token for "${source.name}" (the old one no longer works):\n\n  ${token}\n`);
      return 0;
    }
    case 'revoke': {
      const source = await withEm((em) => revokeIngestSource(em, needName()));
      io.out(`Alert source "${source.name}" revoked: its token no longer works (rotate gives it a new one).`);
      return 0;
    }
    case 'rules': {
      if (!values.rules) throw new UsageError('ingest-source rules: --rules <file.json> is required');
      const rules = readRulesFile(resolve(values.rules as string));
      const source = await withEm((em) => setIngestRules(em, needName(), rules));
      io.out(`Rules of "${source.name}" replaced: ${rules.rules?.length ?? 0} rules.`);
      return 0;
    }
    case 'list': {
      const sources = await withEm((em) => listIngestSources(em));
      if (!sources.length) io.out('No alert sources yet (ingest-source create --name <name>).');
      for (const s of sources) {
        io.out(
          `${s.name}  token ${s.tokenPrefix}...  ${s.revokedAt ? `REVOKED ${s.revokedAt.toISOString()}` : 'active'}  rules ` +
            `${s.rules.rules?.length ?? 0}  created ${s.createdAt.toISOString()}  last used ${s.lastUsedAt?.toISOString() ?? 'never'}`,
        );
      }
      return 0;
    }
    default:
      throw new UsageError(`ingest-source: the action is create, list, rotate, revoke or rules (got "${action ?? ''}")`);
  }
}
