import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const apiDir = join(require.resolve('@ikb/api/package.json'), '..');

/**
 * apps/api/dist as `pnpm start` has it: built by scripts/build.mjs when the sources changed (a
 * check of some tens of milliseconds otherwise). Two test files doing it at once is safe: each output
 * file is written whole and renamed into place.
 */
export function ensureApiBuild(): void {
  const r = spawnSync(process.execPath, [join(apiDir, 'scripts/build.mjs'), '--if-stale'], {
    cwd: apiDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`the API build failed:\n${r.stdout}${r.stderr}${r.error ? r.error.message : ''}`);
}

export interface ApiProcess {
  child: ChildProcess;
  /** Base URL of the first process that said it was ready (GraphQL at `${url}/graphql`). */
  url: string;
  /** Everything it printed so far, a line each (it keeps growing). */
  lines: string[];
  exited: Promise<number | null>;
}

const READY = /GraphQL API ready at (\S+)\/graphql/;

/**
 * The API in its own process, as `pnpm start` runs it: the compiled build, `node dist/main.js`
 * (child.pid is the API's own, or the primary's with API_WORKERS), on databaseUrl, with requests
 * not logged and no rate limit. Resolves once `ready` processes have printed their ready line
 * (API_WORKERS=2: 2); rejects with the output when it exits first.
 */
export async function startApiProcess(
  databaseUrl: string,
  opts: { env?: NodeJS.ProcessEnv; ready?: number; timeoutMs?: number } = {},
): Promise<ApiProcess> {
  ensureApiBuild();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: apiDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      API_PORT: '0',
      API_HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // Test receivers listen on this machine.
      OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8,::1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${lines.join('\n')}`)), opts.timeoutMs ?? 90_000);
    const urls: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        const m = READY.exec(line);
        if (m) urls.push(m[1]!);
        if (urls.length === (opts.ready ?? 1)) {
          clearTimeout(timer);
          resolve(urls[0]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`API exited (${code}) while starting:\n${lines.join('\n')}`)));
  });
  return { child, url, lines, exited };
}
