import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/**
 * node:util parseArgs, strict, with its mistakes as a UsageError in a few words ("unknown option
 * --bogus") instead of Node's paragraph about positionals.
 */
export function parseOptions<const T extends Omit<ParseArgsConfig, 'strict'>>(config: T) {
  try {
    return parseArgs({ ...config, strict: true } as T & { strict: true });
  } catch (err) {
    throw new UsageError(argsMessage(err));
  }
}

export function argsMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted ?? message}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // "Option '--incidents <value>' argument missing" / "Option '--force' does not take an argument"
      return message.replace(/^Option '([^' ]+)[^']*'/, '$1');
    default:
      return message;
  }
}

/** A whole number within bounds, or a UsageError naming the option. */
export function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  return n;
}
