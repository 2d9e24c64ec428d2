import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ValidationError } from 'class-validator';

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
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: { field?: string; [key: string]: unknown } = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
export const notFound = (field: string, what: string, id: string) =>
  new AppError('NOT_FOUND', `${field}: no ${what} with id "${id}"`, { field });

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function assertUuid(field: string, value: string): string {
  if (!UUID_RE.test(value)) throw badInput(field, `"${value.slice(0, 60)}" is not a valid id`);
  return value;
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Turns type-graphql's "Argument Validation Error" into a message that names each bad field. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const validationErrors = (original as GraphQLError | undefined)?.extensions?.validationErrors as ValidationError[] | undefined;
  if (Array.isArray(validationErrors)) {
    const fields = flatten(validationErrors);
    const message = `Invalid input: ${fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')}`;
    return {
      message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: fields[0]?.field, fields },
    };
  }
  const code = formatted.extensions?.code;
  if (!code || code === 'INTERNAL_SERVER_ERROR') {
    // Never leak driver or stack details; the server log has them.
    if (!(original instanceof AppError)) {
      return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  }
  return formatted;
}
