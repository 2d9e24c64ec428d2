import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { fieldLabel } from '@ikb/domain';
import type { ValidationError } from 'class-validator';
import { wordCoercion } from './graphql/coercion-messages';
import { plainValidationErrors } from './graphql/validation-messages';
import { isUuid } from './ids';

/**
 * Every error a client can act on has a stable `extensions.code` from this list and, where an
 * input caused it, `extensions.field` naming that input. Anything else is masked as INTERNAL_SERVER_ERROR.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  INCIDENT_READ_ONLY: 'INCIDENT_READ_ONLY',
  ALREADY_ACKNOWLEDGED: 'ALREADY_ACKNOWLEDGED',
  CONFLICT: 'CONFLICT',
  WORKAROUND_NOT_ACTIVE: 'WORKAROUND_NOT_ACTIVE',
  REVIEW_PUBLISHED: 'REVIEW_PUBLISHED',
  REVIEW_INCOMPLETE: 'REVIEW_INCOMPLETE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CSRF_TOKEN_MISSING: 'CSRF_TOKEN_MISSING',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  // Password sign-in is switched off (single sign-on only) and this is not a break-glass account.
  PASSWORD_SIGN_IN_DISABLED: 'PASSWORD_SIGN_IN_DISABLED',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  // The server has no SMTP_URL: a mutation that exists to send mail cannot.
  MAIL_NOT_CONFIGURED: 'MAIL_NOT_CONFIGURED',
  // Answered by the HTTP edge (http/server.ts) before GraphQL runs, in the same error shape.
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: { field?: string; [key: string]: unknown } = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/** A message about one field, led by the field in words: "Due date must not be ...", "Facilitator: ...". */
export function fieldMessage(field: string, message: string): string {
  const label = fieldLabel(field);
  return SENTENCE_START.test(message) ? `${label} ${message}` : `${label}: ${message}`;
}
// Messages that read on from the field's name ("must ...", "is ...") form one sentence with it.
const SENTENCE_START = /^(must|is|are|cannot|can|may|has|have|needs|does|do|should|was|were|contains|takes)\b/;

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', fieldMessage(field, message), { field });

/** A uuid is no word to a person: the message says the thing is gone, and extensions.id keeps the id for clients. */
export const notFound = (field: string, what: string, id: string) =>
  new AppError(
    'NOT_FOUND',
    fieldMessage(field, isUuid(id) ? `there is no such ${what}; it may have been deleted` : `there is no ${what} with id "${id}"`),
    { field, id },
  );
export function assertUuid(field: string, value: string): string {
  if (!isUuid(value)) throw badInput(field, `"${value.slice(0, 60)}" is not a valid id`);
  return value;
}

/** SQLSTATE classes and codes, and socket errors, that mean "the database is not there right now". */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// "Transaction query already complete": knex ended the transaction because its connection died.
const UNAVAILABLE_MESSAGE = new RegExp(
  'Connection terminated|terminating connection|Timeout acquiring a connection|' +
    'the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|' +
    'Connection ended unexpectedly|Unable to acquire a connection|Transaction query already complete',
  'i',
);

/**
 * Whether an error (or what it wraps) says the database is unreachable: connections killed, the
 * server restarting, the pool unable to connect. Such requests fail with SERVICE_UNAVAILABLE (HTTP
 * 503, retry later) instead of an internal error; the pool reconnects once the database is back.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e = err as
    | {
        code?: unknown;
        sqlState?: unknown;
        message?: unknown;
        name?: unknown;
        cause?: unknown;
        originalError?: unknown;
        previous?: unknown;
      }
    | undefined;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    for (const c of [e.code, e.sqlState]) {
      if (typeof c === 'string' && (UNAVAILABLE_SQLSTATE.test(c) || UNAVAILABLE_ERRNO.has(c))) return true;
    }
    if (e.name === 'ConnectionException' || e.name === 'KnexTimeoutError') return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    e = (e.originalError ?? e.cause ?? e.previous) as typeof e;
  }
  return false;
}

/**
 * Turns type-graphql's "Argument Validation Error" into plain sentences that name each bad field in
 * words ("Name must not be empty."), with the paths in extensions.field / extensions.fields.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const validationErrors = (original as GraphQLError | undefined)?.extensions?.validationErrors as ValidationError[] | undefined;
  if (Array.isArray(validationErrors)) {
    const fields = plainValidationErrors(validationErrors);
    const message = fields.flatMap((f) => f.messages.map((m) => `${m}.`)).join(' ');
    return {
      message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: fields[0]?.field, fields },
    };
  }
  const code = formatted.extensions?.code;
  // graphql-js rejects a variable that does not fit its type (an unknown enum value, say) before any
  // resolver runs, naming the spot only in prose: lift it into extensions.field like every other
  // bad-input error ('Variable "$orderBy" got invalid value "X" at "orderBy.field"' -> orderBy.field),
  // and say it in words ("Sort field cannot be "X"; choose Opened at, ...").
  if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
    const worded = wordCoercion(formatted.message);
    if (worded) {
      const { field, message, allowed } = worded;
      return { ...formatted, message, extensions: { ...formatted.extensions, field, ...(allowed ? { allowed } : {}) } };
    }
  }
  // graphql-armor words its limit errors as "Syntax Error: Query depth limit of 12 exceeded ...":
  // the document is well-formed, so say what was exceeded without calling it a syntax error.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && /^Syntax Error: .*limit of \d+ exceeded/.test(formatted.message)) {
    return { ...formatted, message: formatted.message.replace(/^Syntax Error: /, '') };
  }
  // graphql-js's own request errors (e.g. "Too many errors processing variables") come without a
  // code (Apollo then says INTERNAL_SERVER_ERROR): they are about the request, raised before any
  // resolver ran, with no path and no underlying error, so they are bad input.
  if (
    (!code || code === 'INTERNAL_SERVER_ERROR') &&
    error instanceof GraphQLError &&
    !error.originalError &&
    !error.path &&
    !(error instanceof AppError)
  ) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (!code || code === 'INTERNAL_SERVER_ERROR') {
    if (isDatabaseUnavailable(original)) {
      return {
        message: 'The database is unavailable; try again shortly',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      };
    }
    // Never leak driver or stack details; the server log has them.
    if (!(original instanceof AppError)) {
      return {
        message: 'Internal server error',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
  }
  return formatted;
}
