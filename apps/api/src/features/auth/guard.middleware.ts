import type { MiddlewareFn } from 'type-graphql';
import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { AuditEntry } from './auth.entity';
import { csrfMatches } from './auth.service';
import { ADMIN_QUERIES, mayRun, MUTATION_ROLES } from './permissions';

const PUBLIC_QUERIES = new Set(['me']);
const SECRET_KEYS = /password|secret|token$/i;

/** Which table holds the record a mutation acts on, from the name of its id argument or the operation. */
const TABLE_BY_ARG: Record<string, string> = {
  incidentId: 'incidents',
  reviewId: 'reviews',
  problemId: 'problems',
  workaroundId: 'workarounds',
  calendarId: 'business_calendars',
  serviceId: 'services',
  userId: 'users',
  itemId: 'incident_checklist_items',
};
const TABLE_BY_WORD: [RegExp, string][] = [
  [/IncidentModel/, 'incident_models'],
  [/ActionItem/, 'action_items'],
  [/ContributingFactor/, 'contributing_factors'],
  [/TimelineEntry|Review/, 'reviews'],
  [/Incident/, 'incidents'],
  [/Problem/, 'problems'],
  [/Workaround/, 'workarounds'],
  [/BusinessCalendar/, 'business_calendars'],
  [/SlaPolicy/, 'sla_policies'],
  [/ApiToken/, 'api_tokens'],
  [/User/, 'users'],
  [/^Team/, 'teams'],
  [/^Category/, 'categories'],
  [/^Service!?$/, 'services'],
];

function target(operation: string, args: Record<string, unknown>): { table: string; id: string } | null {
  if (typeof args.id === 'string') {
    const table = TABLE_BY_WORD.find(([re]) => re.test(operation))?.[1];
    return table ? { table, id: args.id } : null;
  }
  for (const [arg, table] of Object.entries(TABLE_BY_ARG)) if (typeof args[arg] === 'string') return { table, id: args[arg] as string };
  return null;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * Runs before every field. Queries need a signed-in role (admin-only ones need ADMIN); each
 * mutation needs a role listed in MUTATION_ROLES, a CSRF token when it comes with a session
 * cookie, and runs in one transaction together with its audit-log row (before and after).
 */
export const guard: MiddlewareFn<Context> = async ({ context, info, args }, next) => {
  const parent = info.parentType.name;
  const role = context.auth.actor.role ?? null;
  if (parent === 'Query') {
    if (!PUBLIC_QUERIES.has(info.fieldName) && !role) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer ...)');
    if (ADMIN_QUERIES.has(info.fieldName) && role !== 'ADMIN') throw new AppError('FORBIDDEN', `${info.fieldName} is for admins`);
    return next();
  }
  if (parent !== 'Mutation') return next();
  const operation = info.fieldName;
  if (!mayRun(operation, role)) {
    if (!role && MUTATION_ROLES[operation] !== undefined) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer ...)');
    throw new AppError('FORBIDDEN', `${role ?? 'anonymous'} may not run ${operation}`, { role, operation });
  }
  if (context.auth.actor.authMethod === 'SESSION' && operation !== 'signIn' && !csrfMatches(context.auth.csrfToken, context.csrfHeader)) {
    throw new AppError('CSRF_TOKEN_MISSING', 'Mutations made with a session cookie need the X-CSRF-Token header (from the `me` query or sign-in)');
  }
  if (MUTATION_ROLES[operation] === 'PUBLIC') return next();

  const outer = context.em;
  try {
    return await outer.transactional(async (tem) => {
      context.em = tem;
      const t = target(operation, args as Record<string, unknown>);
      const snap = async (table: string, id: string) => {
        if (!UUID.test(id)) return null;
        const rows = await tem.execute<{ row: Record<string, unknown> }[]>(`select to_jsonb(t) - 'password_hash' - 'token_hash' as row from ${table} t where t.id = ?`, [id]);
        return rows[0]?.row ?? null;
      };
      const before = t ? await snap(t.table, t.id) : null;
      const result = (await next()) as { id?: unknown } | null;
      const resultTable = TABLE_BY_WORD.find(([re]) => re.test(info.returnType.toString()))?.[1] ?? t?.table;
      const resultId = typeof result?.id === 'string' ? result.id : t?.id;
      const after = resultTable && resultId ? await snap(resultTable, resultId) : null;
      const actor = context.auth.actor;
      tem.persist(
        tem.create(AuditEntry, {
          at: new Date(),
          requestId: context.requestId,
          actorId: actor.id,
          actorName: actor.name,
          role: actor.role ?? null,
          authMethod: actor.authMethod ?? null,
          operation,
          targetType: resultTable ?? t?.table ?? null,
          targetId: resultId ?? null,
          variables: redact(args) as Record<string, unknown>,
          before,
          after,
        } as AuditEntry),
      );
      return result;
    });
  } finally {
    context.em = outer;
  }
};
