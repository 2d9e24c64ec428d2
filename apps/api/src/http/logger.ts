import pino from 'pino';

/** Structured JSON logs on stdout; LOG_LEVEL picks the level (silent in tests unless asked). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
  base: { service: 'incident-kb-api' },
  redact: ['req.headers.authorization', 'req.headers.cookie'],
});
