import { logger } from './logger';

let installed = false;

/**
 * Keeps the API up when some request's work throws or rejects where nothing awaits it (a callback,
 * a promise nobody kept). Node's default ends the process, and with it every other request in
 * flight: one malformed request must not be able to do that. The error is logged in full, so the
 * bug stays visible; the request it came from has its own handler that answers 500.
 */
export function installCrashGuards(log: Pick<typeof logger, 'error'> = logger): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection; the API keeps running'));
  process.on('uncaughtException', (err, origin) => log.error({ err, origin }, 'uncaught exception; the API keeps running'));
}
