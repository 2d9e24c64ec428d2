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
import { instanceUrl, PullError } from './servicenow/servicenow-http';
import { pullServiceNow, sinceValue } from './servicenow/servicenow-pull';
import { argsMessage } from '../../cli/args';
import { askHidden } from '../../cli/ask-hidden';
import { CliError, UsageError, type CliCommand, type CliContext, type CliIo } from '../../cli/command';
import { env, type Env } from '../../env';

/**
 * The `import`, `export` and `ingest-source` commands of `pnpm cli` (listed in cli/commands.ts).
 * runImportsCli runs one of them the way cli/run.ts does, with a database and output the caller
 * gives: tests call it with the test database and capture the output.
 */
const IMPORT_HELP = `Usage: pnpm cli import servicenow <file.csv|file.json> [options]
       pnpm cli import servicenow --instance <url> --user <name> [--query <q>] [--since <date>] [options]
       pnpm cli import csv|json <file> [--mapping <mapping.json>] [options]

servicenow   a ServiceNow incident export: the incident table (one row per incident) or the
             audit event log (one row per update) as CSV, or the Table API's JSON
             ({"result": [...]}: display values, raw codes and sys_ids, or both); with
             --instance, incidents (and their sys_audit history) pulled over the REST API
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

Pulling from ServiceNow (the password comes from SERVICENOW_PASSWORD, or is asked for on a
terminal; never on the command line):
  --instance <url>                 https://<name>.service-now.com (or just <name>)
  --user <name>                    the user to sign in as (basic authentication)
  --query <encoded query>          only these incidents, e.g. assignment_group.name=Network
  --since <date>                   incidents updated since then (UTC), instead of since the last run
  --page-size <n>                  incidents per request and per committed page (default 500)
  --no-audit                       do not read sys_audit (no history, only the current state)
  --allow-http                     allow a plain http instance other than localhost
  A repeated run brings only what changed since the last; an interrupted one continues where it
  stopped (docs/imports.md#servicenow).

Paths are relative to where you typed the command. More: docs/imports.md.

Examples:
  pnpm cli import servicenow incidents.csv --date-format dmy --timezone Europe/Berlin --dry-run
  SERVICENOW_PASSWORD=... pnpm cli import servicenow --instance https://acme.service-now.com --user ikb.sync`;

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
    if (err instanceof MappingError || err instanceof IngestSourceError || err instanceof ImportRefused || err instanceof PullError)
      throw new CliError(err.message);
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
    instance: { type: 'string' },
    user: { type: 'string' },
    query: { type: 'string' },
    since: { type: 'string' },
    'page-size': { type: 'string' },
    'no-audit': { type: 'boolean' },
    'allow-http': { type: 'boolean' },
  });
  const [kind, file, ...extra] = positionals;
  const pullFlags = ['user', 'query', 'since', 'page-size', 'no-audit', 'allow-http'].filter((f) => values[f] !== undefined);
  if (values.instance !== undefined) {
    if (kind !== 'servicenow') throw new UsageError('--instance goes with import servicenow');
    if (file) throw new UsageError(`import servicenow: a file or --instance, not both (got ${file})`);
    return runPull(values as Record<string, string | boolean | undefined>, withEm, io);
  }
  if (pullFlags.length) throw new UsageError(`--${pullFlags[0]} goes with --instance (pulling from ServiceNow)`);
  if (!kind || !['servicenow', 'csv', 'json'].includes(kind))
    throw new UsageError(`import: say what to import: servicenow, csv or json (got "${kind ?? ''}")`);
  if (!file)
    throw new UsageError(
      `import ${kind}: the file to import is missing${kind === 'servicenow' ? ' (or --instance to pull from ServiceNow)' : ''}`,
    );
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

async function runPull(values: Record<string, string | boolean | undefined>, withEm: WithEm, io: CliIo): Promise<number> {
  const user = values.user as string | undefined;
  if (!user) throw new UsageError('import servicenow --instance: --user is required');
  for (const f of ['date-format', 'mapping', 'skip-invalid', 'rejects', 'timezone'])
    if (values[f] !== undefined) throw new UsageError(`--${f} is for files; a pull reads the Table API's UTC values`);
  let pageSize: number | undefined;
  if (values['page-size'] !== undefined) {
    pageSize = Number(values['page-size']);
    if (!/^\d+$/.test(String(values['page-size'])) || pageSize < 1 || pageSize > 10_000)
      throw new UsageError(`--page-size must be a whole number from 1 to 10000; got "${String(values['page-size'])}"`);
  }
  const base = instanceUrl(values.instance as string, !!values['allow-http']);
  const since = values.since !== undefined ? sinceValue(values.since as string) : undefined;
  const password = await servicenowPassword(io);
  const result = await withEm((em) =>
    pullServiceNow(em, {
      base,
      user,
      password,
      query: values.query as string | undefined,
      since,
      pageSize,
      audit: !values['no-audit'],
      dryRun: !!values['dry-run'],
      log: (line) => io.err(line),
      onRetry: (what, attempt, wait) => io.err(`  ${what}; trying again in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1})`),
    }),
  );
  const n = (x: number) => x.toLocaleString('en-US');
  io.out(
    `${values['dry-run'] ? 'Dry run of the pull from' : 'Pulled from'} ${base.origin}: ` +
      `${n(result.records)} incident${result.records === 1 ? '' : 's'} in ` +
      `${n(result.pages)} page${result.pages === 1 ? '' : 's'} ` +
      `(${n(result.requests)} requests)${values['dry-run'] ? ' - nothing was written' : ''}`,
  );
  io.out(`  incidents ${values['dry-run'] ? 'would be ' : ''}created: ${n(result.created)}`);
  io.out(`  incidents ${values['dry-run'] ? 'would be ' : ''}updated: ${n(result.updated)}`);
  io.out(`  incidents unchanged: ${n(result.unchanged)}`);
  io.out(`  history: ${n(result.historyUpdates)} earlier updates from sys_audit`);
  if (!values['dry-run']) io.out(`  next run: incidents updated since ${result.mark ?? 'the beginning'} (UTC)`);
  for (const w of result.warnings) io.out(`  note: ${w}`);
  return 0;
}

/** SERVICENOW_PASSWORD, else asked on a terminal (not echoed); never an argument (shell history, ps). */
async function servicenowPassword(io: CliIo): Promise<string> {
  const fromEnv = process.env.SERVICENOW_PASSWORD;
  if (fromEnv) return fromEnv;
  const stdin = io.stdin as NodeJS.ReadStream | undefined;
  if (!stdin?.isTTY) throw new CliError('import servicenow --instance: set SERVICENOW_PASSWORD (or run it on a terminal to be asked)');
  return askHidden(stdin, io, 'ServiceNow password: ');
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
