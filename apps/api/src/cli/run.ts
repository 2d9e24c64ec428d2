import { env as readEnv, type Env } from '../env';
import { AppError, isDatabaseUnavailable } from '../errors';
import { CliError, UsageError, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './commands';
import { CliDatabase } from './database';

export interface RunCliOptions {
  io: CliIo;
  commands?: CliCommand[];
  env?: () => Env;
  /** Print the stack of an unexpected error (DEBUG=1). */
  debug?: boolean;
}

/** `pnpm cli --help`: every command with its one line. */
export function overview(commands: CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return `Usage: pnpm cli <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

"pnpm cli <command> --help" (or "pnpm cli help <command>") shows a command's options and an example.
The database is DATABASE_URL, or the embedded one in DATA_DIR (stop the API first: the embedded
database serves one process at a time). Exit codes: 0 done, 1 refused or failed, 2 a usage mistake;
DEBUG=1 prints the stack of an unexpected error.`;
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

/**
 * Runs one command line and returns its exit code: parses the command name, answers --help and
 * `help <command>`, gives the command its context (output, environment, a database opened on first
 * use and closed afterwards) and turns what it throws into the tool's own message and exit code:
 * UsageError: the message and the command's help, 2; CliError or a service's refusal (AppError,
 * which names the field): the message alone, 1; anything else: one line, 1 (the stack with DEBUG=1).
 */
export async function runCli(argv: string[], opts: RunCliOptions): Promise<number> {
  const { io } = opts;
  const commands = opts.commands ?? COMMANDS;
  const find = (name: string) => commands.find((c) => c.name === name);
  const unknown = (name: string) => {
    const near = nearest(
      name,
      commands.map((c) => c.name),
    );
    io.err(`Unknown command "${name}".${near ? ` Did you mean "${near}"?` : ''}\n\n${overview(commands)}`);
    return 2;
  };

  const [name, ...args] = argv;
  if (name === undefined) {
    io.err(`Say which command to run.\n\n${overview(commands)}`);
    return 2;
  }
  if (isHelp(name) || name === 'help') {
    if (args[0] === undefined) {
      io.out(overview(commands));
      return 0;
    }
    const cmd = find(args[0]);
    if (!cmd) return unknown(args[0]);
    io.out(cmd.help);
    return 0;
  }
  if (name.startsWith('-')) {
    io.err(`Unknown option "${name}": options go after the command.\n\n${overview(commands)}`);
    return 2;
  }
  const cmd = find(name);
  if (!cmd) return unknown(name);
  // --help anywhere before a lone "--" (after it, arguments are the command's own).
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (own.some(isHelp)) {
    io.out(cmd.help);
    return 0;
  }

  let env: Env | undefined;
  const getEnv = () => (env ??= (opts.env ?? readEnv)());
  const database = new CliDatabase(getEnv);
  try {
    return await cmd.run(args, {
      io,
      get env() {
        return getEnv();
      },
      withEm: database.withEm,
    });
  } catch (err) {
    return report(cmd, err, io, opts.debug ?? false);
  } finally {
    await database.close().catch((err) => {
      if (opts.debug) io.err(`(closing the database: ${oneLine(err)})`);
    });
  }
}

function report(cmd: CliCommand, err: unknown, io: CliIo, debug: boolean): number {
  if (err instanceof UsageError) {
    // node:util parseArgs's own wording, from a command that did not go through parseOptions: shortened.
    const message = err.message.replace(/^Unknown option '([^']+)'\. To specify a positional argument[^]*$/, 'unknown option $1');
    io.err(`${message.startsWith(cmd.name) ? '' : `${cmd.name}: `}${message}\n\n${cmd.help}`);
    return 2;
  }
  if (err instanceof CliError || err instanceof AppError) {
    io.err(err.message);
    return 1;
  }
  if (isDatabaseUnavailable(err)) {
    io.err(`${cmd.name}: cannot reach the database (${oneLine(err)}). Is DATABASE_URL right and the server up?`);
  } else {
    io.err(`${cmd.name} failed: ${oneLine(err)}${debug ? '' : ' (DEBUG=1 prints the stack)'}`);
  }
  if (debug && err instanceof Error && err.stack) io.err(err.stack);
  return 1;
}

/**
 * An error in one line. A database error from the ORM starts with the whole SQL statement (an
 * INSERT of the demo seed is pages long): keep PostgreSQL's own words and its detail.
 */
export function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err).split('\n')[0]!.slice(0, 400);
  let message = err.message;
  const e = err as Error & { code?: unknown; detail?: unknown };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && message.includes(' - '))
    message = message.slice(message.lastIndexOf(' - ') + 3);
  message = (message.split('\n')[0] ?? '').trim() || err.name;
  if (typeof e.detail === 'string' && e.detail) message += ` (${e.detail})`;
  return message.length > 400 ? `${message.slice(0, 397)}...` : message;
}

/** The closest name within two edits, for "Did you mean". */
function nearest(name: string, names: string[]): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { n, d };
  }
  return best?.n;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
