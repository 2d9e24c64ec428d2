import pino from 'pino';

/**
 * Structured JSON logs on stdout; LOG_LEVEL picks the level (silent in tests unless asked).
 * Written asynchronously in blocks of at least 4 KiB (one request line is ~200 bytes), so a busy
 * server does not make one blocking write per request; what is buffered is flushed when the
 * process exits (sonic-boom registers that), also after an uncaught error.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
    base: { service: 'incident-kb-api' },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  },
  pino.destination({ dest: 1, sync: false, minLength: 4096 }),
);
