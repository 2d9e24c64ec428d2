import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DATE_FORMATS, type DateFormatOption } from './dates';
import { exportIncidents, exportToFile, type ExportFormat } from './export';
import { describeProblems, formatSummary, importFile, ImportRefused, type ImportKind } from './import-file';
import { createIngestSource, IngestSourceError, listIngestSources, readRulesFile, revokeIngestSource, rotateIngestToken, setIngestRules } from './ingest-source';
import { loadMappingFile, MappingError } from './mapping';
import { progressBar } from './progress';

/**
 * The `import`, `export` and `ingest-source` commands of `pnpm cli`, as functions: cli/main.ts
 * gives them a database; tests call them with the test database and capture the output.
 */
export const IMPORTS_HELP = `  import servicenow <file.csv> [--date-format auto|dmy|mdy|ymd] [--timezone <IANA>] [--dry-run]
                           [--skip-invalid] [--rejects <file>] [--mapping <mapping.json>]
                           import a ServiceNow incident export: the incident table (one row per incident)
                           or the audit event log (one row per update); idempotent by incident number
  import csv|json <file> [--mapping <mapping.json>] [same options]
                           import another tool's export with a column mapping (docs/imports.md; Jira
                           Service Management: apps/api/import-mappings/jira-service-management.json);
                           without --mapping, the format of \`pnpm cli export\`
  export csv|json [--out <file>]
                           every incident with its links, readable back by \`import csv|json\`
  ingest-source create --name <name> [--rules <rules.json>]
                           an alert source for POST /ingest/alerts; prints its token once
  ingest-source list | rotate --name <name> | revoke --name <name> | rules --name <name> --rules <file>`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where the progress bar is drawn (a terminal); none in tests. */
  progress?: NodeJS.WriteStream;
  /** Export without --out writes here (stdout by default). */
  stdout?: NodeJS.WritableStream;
}

export type WithEm = <T>(fn: (em: EntityManager) => Promise<T>) => Promise<T>;

export const IMPORT_COMMANDS = ['import', 'export', 'ingest-source'] as const;

/** Runs one of the commands; returns the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runImportsCli(command: string, args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  try {
    if (command === 'import') return await importCommand(args, withEm, io);
    if (command === 'export') return await exportCommand(args, withEm, io);
    if (command === 'ingest-source') return await ingestSourceCommand(args, withEm, io);
    io.err(`Unknown command "${command}"`);
    return 2;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\nUsage:\n${IMPORTS_HELP}`);
      return 2;
    }
    if (err instanceof MappingError || err instanceof IngestSourceError) {
      io.err(err.message);
      return 1;
    }
    if (err instanceof ImportRefused) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

class UsageError extends Error {}

/** Paths are relative to where `pnpm cli` was typed (pnpm runs the script from apps/api). */
const resolve = (p: string) => resolvePath(process.env.INIT_CWD ?? process.cwd(), p);

function parse(args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function importCommand(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    'date-format': { type: 'string' },
    timezone: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'skip-invalid': { type: 'boolean' },
    rejects: { type: 'string' },
    mapping: { type: 'string' },
  });
  const [kind, file, ...extra] = positionals;
  if (!kind || !['servicenow', 'csv', 'json'].includes(kind)) throw new UsageError(`import: say what to import: servicenow, csv or json (got "${kind ?? ''}")`);
  if (!file) throw new UsageError(`import ${kind}: the file to import is missing`);
  if (extra.length) throw new UsageError(`import ${kind}: one file at a time (extra: ${extra.join(' ')})`);
  const dateFormat = values['date-format'] as string | undefined;
  if (dateFormat !== undefined && !DATE_FORMATS.includes(dateFormat as DateFormatOption)) throw new UsageError(`--date-format must be one of ${DATE_FORMATS.join(', ')}; got "${dateFormat}"`);
  if (values.rejects && !values['skip-invalid']) throw new UsageError('--rejects goes with --skip-invalid (without it a file with bad rows is refused whole)');
  if (!existsSync(resolve(file))) {
    io.err(`import ${kind}: no file ${resolve(file)}`);
    return 1;
  }
  const mapping = values.mapping ? loadMappingFile(resolve(values.mapping as string)) : undefined;
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

async function exportCommand(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
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

async function ingestSourceCommand(args: string[], withEm: WithEm, io: CliIo): Promise<number> {
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
      io.out(`Send alerts with:  curl -X POST <api>/ingest/alerts -H 'authorization: Bearer ${token.slice(0, 12)}...' -H 'content-type: application/json' -d @alerts.json`);
      io.out('Alertmanager:      receivers: - webhook_configs: - url: <api>/ingest/alerts, http_config: { authorization: { credentials: <token> } }');
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
        io.out(`${s.name}  token ${s.tokenPrefix}...  ${s.revokedAt ? `REVOKED ${s.revokedAt.toISOString()}` : 'active'}  rules ${s.rules.rules?.length ?? 0}  created ${s.createdAt.toISOString()}  last used ${s.lastUsedAt?.toISOString() ?? 'never'}`);
      }
      return 0;
    }
    default:
      throw new UsageError(`ingest-source: the action is create, list, rotate, revoke or rules (got "${action ?? ''}")`);
  }
}
