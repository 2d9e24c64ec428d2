import type { EntityManager } from '@mikro-orm/postgresql';
import type { Env } from '../env';

/**
 * The shape of a `pnpm cli` command. Each lives with its feature (features/x/x.cli.ts, db/...)
 * and is listed once in cli/commands.ts; cli/main.ts parses the command line, prints help and
 * turns what a command throws into the tool's own message and exit code.
 */

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Standard input: secrets are read from it (typed or piped), never taken as arguments (shell history). */
  stdin?: NodeJS.ReadableStream;
  /** Where a progress bar is drawn (a terminal); none in tests. */
  progress?: NodeJS.WriteStream;
  /** Raw output (an export without --out). */
  stdout?: NodeJS.WritableStream;
}

export interface CliContext {
  io: CliIo;
  env: Env;
  /** The database (DATABASE_URL, or the embedded one in DATA_DIR), migrated, for the duration of fn. */
  withEm<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
}

export interface CliCommand {
  /** As typed: `user`, `db:backup`. */
  name: string;
  /** One line for `pnpm cli --help`. */
  summary: string;
  /** The whole help of `pnpm cli <name> --help`: usage, options, an example. */
  help: string;
  /** Returns the exit code: 0 done, 1 refused or failed, 2 a usage mistake. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A mistake in the command line: the message, then the command's help; exit code 2. */
export class UsageError extends Error {}

/** A refusal the user can act on (a weak password, a database that is not empty): the message alone; exit code 1. */
export class CliError extends Error {}
