import 'reflect-metadata';
import { runCli } from './run';

/**
 * `pnpm cli <command>`: the entry point. Built into dist/cli.js (scripts/build.mjs) and started by
 * bin/cli.mjs, which builds first when the sources changed; `tsx src/cli/main.ts` runs it from source.
 * The commands are listed in cli/commands.ts; cli/run.ts does the rest.
 */
const debug = !!process.env.DEBUG && !/^(0|false|no|off)$/i.test(process.env.DEBUG);

runCli(process.argv.slice(2), {
  io: {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    progress: process.stderr,
    stdout: process.stdout,
  },
  debug,
}).then(
  (code) => process.exit(code),
  (err) => {
    // Only a bug in the runner itself comes here.
    process.stderr.write(`pnpm cli: ${err instanceof Error ? err.message : String(err)}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
