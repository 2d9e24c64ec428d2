import { textProblem } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { AppError, badInput } from '../../errors';
import type { Actor } from '../../graphql/actor';
import type { Context } from '../../graphql/context';
import { LOCKS_INCIDENT_FIRST } from '../incidents/incident-locks';
import { isMultiLineField, isSecretName, MULTI_LINE_ARGS } from '../../graphql/text-fields';
import { csrfMatches } from './auth.service';
import { ADMIN_QUERIES, KNOWLEDGE_QUERIES, mayRun, ruleOf } from './permissions';

const PUBLIC_QUERIES = new Set(['me', 'setupRequired', 'signInOptions']);
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
/** Type or operation names to tables; the first match wins, so longer names come first. */
const TABLE_BY_WORD: [RegExp, string][] = [
  [/IncidentModel/, 'incident_models'],
  [/KnowledgeFeedback/, 'knowledge_feedback'],
  [/KnowledgeItem/, 'knowledge_items'],
  [/ActionItem/, 'action_items'],
  [/ContributingFactor/, 'contributing_factors'],
  [/ReviewTemplate/, 'review_templates'],
  [/FactorCategory/, 'factor_categories'],
  [/ChecklistItem/, 'incident_checklist_items'],
  [/TimeEntry/, 'time_entries'],
  [/TimelineEntry|Review/, 'reviews'],
  [/Incident/, 'incidents'],
  [/Problem/, 'problems'],
  [/Workaround/, 'workarounds'],
  [/BusinessCalendar/, 'business_calendars'],
  [/SlaPolicy/, 'sla_policies'],
  [/ApiToken/, 'api_tokens'],
  [/AlertSource/, 'ingest_sources'],
  [/SearchSynonym/, 'search_synonyms'],
  [/SsoProvider/, 'sso_providers'],
  [/SavedView/, 'saved_views'],
  [/User/, 'users'],
  [/^Team/, 'teams'],
  [/^Category/, 'categories'],
  [/^Service!?$/, 'services'],
];
/** Tables whose records are named by another column than id. */
const KEY_COLUMN: Record<string, string> = { factor_categories: 'key' };
/**
 * Mutations that run their own transactions and write their own audit row: a failed password check
 * must stay counted toward the lockout, which the guard's transaction would roll back.
 */
const OWN_TRANSACTION = new Set(['changePassword']);
/**
 * Mutations with no audit row and no transaction of the guard's: recordSearchOpen writes nothing in
 * the request (its buffer is written later), and a row naming who opened which search's hit would
 * undo search analytics' promise that nobody's searches are traced to them (decision 0011).
 */
export const UNAUDITED = new Set(['recordSearchOpen']);
/** Mutations that act on the caller's own account. */
const ON_SELF = new Set(['changePassword']);

/** The lifecycle moves name their record by (kind, itemId) in their input: its row's own id is what the audit keeps. */
async function knowledgeTarget(em: EntityManager, operation: string, args: Record<string, unknown>) {
  const input = args.input as { kind?: unknown; itemId?: unknown } | undefined;
  if (!/^(transition|mark|set)Knowledge/.test(operation) || typeof input?.kind !== 'string' || typeof input.itemId !== 'string')
    return null;
  if (!UUID.test(input.itemId)) return null;
  const rows = await em.execute<{ id: string }[]>(`select id::text as id from knowledge_items where kind = ? and item_id = ?`, [
    input.kind,
    input.itemId,
  ]);
  return rows[0] ? { table: 'knowledge_items', id: rows[0].id } : null;
}

const tableFor = (name: string) => TABLE_BY_WORD.find(([re]) => re.test(name))?.[1];

function target(
  operation: string,
  returnType: string,
  args: Record<string, unknown>,
  actorId: string | null,
): { table: string; id: string } | null {
  // `id` (or `key`) names the record of the operation's own type, else of the type it returns (recordEscalation -> Incident).
  for (const arg of ['id', 'key']) {
    if (typeof args[arg] === 'string') {
      const table = tableFor(operation) ?? tableFor(returnType);
      return table ? { table, id: args[arg] as string } : null;
    }
  }
  for (const [arg, table] of Object.entries(TABLE_BY_ARG)) if (typeof args[arg] === 'string') return { table, id: args[arg] as string };
  if (ON_SELF.has(operation) && actorId) return { table: 'users', id: actorId };
  return null;
}

/** The id of what a mutation returned: the record itself, or the token / user it wraps. */
function resultIdOf(result: unknown): string | undefined {
  const r = result as { id?: unknown; key?: unknown; token?: { id?: unknown }; user?: { id?: unknown }; source?: { id?: unknown } } | null;
  for (const v of [r?.id, r?.key, r?.token?.id, r?.user?.id, r?.source?.id]) if (typeof v === 'string') return v;
  return undefined;
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
 * Checks every string in a field's arguments against the text rules (@ikb/domain textProblem):
 * nothing anywhere may hold control characters or unpaired surrogates (PostgreSQL text cannot
 * hold U+0000, jsonb refuses unpaired surrogates, and ESC sequences end up in terminals and logs);
 * fields that are not prose (text-fields.ts) are also one line with no bidi or invisible
 * characters. The first offence is bad input naming its argument path.
 */
function checkText(value: unknown, type: GraphQLInputType, path: string, multiLine: boolean): void {
  if (value === null || value === undefined) return;
  const named = getNullableType(type);
  if (typeof value === 'string') {
    const problem = textProblem(value, { singleLine: !multiLine });
    if (problem) throw badInput(path, problem);
    return;
  }
  if (isListType(named) && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkText(value[i], named.ofType, `${path}.${i}`, multiLine);
  } else if (isScalarType(named) && typeof value === 'object' && !(value instanceof Date)) {
    // A JSON argument (alert source rules): every key and text inside, as prose.
    checkJson(value, path);
  } else if (isInputObjectType(named) && typeof value === 'object') {
    const fields = named.getFields();
    for (const [k, v] of Object.entries(value)) {
      const f = fields[k];
      if (f) checkText(v, f.type, `${path}.${k}`, isSecretName(k) || isMultiLineField(named.name, k));
    }
  }
}

function checkJson(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw badInput(path, problem);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJson(v, `${path}.${i}`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const problem = textProblem(k, { singleLine: true });
      if (problem) throw badInput(`${path}.${k.slice(0, 40)}`, `a key ${problem}`);
      checkJson(v, `${path}.${k}`);
    }
  }
}

function checkArgs(field: GraphQLField<unknown, unknown> | undefined, args: Record<string, unknown> | undefined): void {
  if (!args || !field) return;
  for (const a of field.args)
    checkText(args[a.name], a.type, a.name, isSecretName(a.name) || MULTI_LINE_ARGS.has(`${field.name}.${a.name}`));
}

/** Where a row lives: its table, and the value of its key column (usually the id). */
export interface RowRef {
  table: string;
  id: string;
}

/** A row of alias t as JSON, without password and token hashes nor a provider's client secret. */
const ROW_JSON = `to_jsonb(t) - 'password_hash' - 'token_hash' - 'csrf_token' - 'client_secret'`;

/** The table, key column and key of a row; null when the key cannot match (not a uuid, too long). */
function keyOf(ref: RowRef): { table: string; column: string; key: string } | null {
  const column = KEY_COLUMN[ref.table] ?? 'id';
  if (column === 'id' ? !UUID.test(ref.id) : ref.id.length > 100) return null;
  return { table: ref.table, column, key: ref.id };
}

/**
 * The row as JSON, without password and token hashes; null when there is none. With `lock` the
 * row is also locked for the rest of the transaction (FOR UPDATE), so that the before-image is the
 * state the change is applied to even when another change to the row commits meanwhile.
 */
export async function snapshot(em: EntityManager, ref: RowRef, lock = false): Promise<Record<string, unknown> | null> {
  const k = keyOf(ref);
  if (!k) return null;
  const rows = await em.execute<{ row: Record<string, unknown> }[]>(
    `select ${ROW_JSON} as row from ${k.table} t where t.${k.column} = ?${lock ? ' for update' : ''}`,
    [k.key],
  );
  return rows[0]?.row ?? null;
}

/**
 * Writes the audit row of one mutation in em's transaction. `after` names the row whose current
 * state (pending changes flushed first) is the after-image: read inside the insert itself, one
 * statement instead of a read and a write.
 */
export async function writeAudit(
  em: EntityManager,
  context: Pick<Context, 'requestId'>,
  actor: Actor,
  entry: {
    operation: string;
    targetType: string | null;
    targetId: string | null;
    variables: Record<string, unknown>;
    before: Record<string, unknown> | null;
    after: RowRef | null;
  },
): Promise<void> {
  await em.flush();
  const after = entry.after ? keyOf(entry.after) : null;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  await em.execute(
    `insert into audit_log (at, request_id, actor_id, actor_name, role, auth_method, operation, target_type, target_id, variables,
      before, after)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb,
       ${after ? `(select ${ROW_JSON} from ${after.table} t where t.${after.column} = ?)` : 'null'})`,
    [
      new Date().toISOString(),
      context.requestId,
      actor.id,
      actor.name,
      actor.role ?? null,
      actor.authMethod ?? null,
      entry.operation,
      entry.targetType,
      entry.targetId,
      json(redact(entry.variables)),
      json(entry.before),
      ...(after ? [after.key] : []),
    ],
  );
}

/**
 * Runs before every root field (see guardSchema). Queries need a signed-in role (admin-only ones need ADMIN); each
 * mutation needs a role listed in MUTATION_ROLES, a CSRF token when it comes with a session
 * cookie, and runs in one transaction together with its audit-log row (before and after).
 * signIn (public) and changePassword (OWN_TRANSACTION) write their own audit rows in their own transactions.
 */
export const guard: MiddlewareFn<Context> = async ({ context, info, args }, next) => {
  const parent = info.parentType.name;
  // Text rules, once the caller may run the field (a refused caller learns nothing about its input).
  const checkTextArgs = () => checkArgs(info.parentType.getFields()[info.fieldName], args as Record<string, unknown> | undefined);
  const role = context.auth.actor.role ?? null;
  if (parent === 'Query') {
    if (!PUBLIC_QUERIES.has(info.fieldName) && !role)
      throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer ...)');
    if (ADMIN_QUERIES.has(info.fieldName) && role !== 'ADMIN') throw new AppError('FORBIDDEN', `${info.fieldName} is for admins`);
    if (KNOWLEDGE_QUERIES.has(info.fieldName) && role !== 'ADMIN' && role !== 'PROBLEM_MANAGER')
      throw new AppError('FORBIDDEN', `${info.fieldName} is for admins and problem managers`);
    checkTextArgs();
    return next();
  }
  if (parent !== 'Mutation') {
    checkTextArgs();
    return next();
  }
  const operation = info.fieldName;
  if (!mayRun(operation, role)) {
    if (!role && ruleOf(operation) !== undefined)
      throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer ...)');
    throw new AppError('FORBIDDEN', `${role ?? 'anonymous'} may not run ${operation}`, { role, operation });
  }
  if (context.auth.actor.authMethod === 'SESSION' && operation !== 'signIn' && !csrfMatches(context.auth.csrfToken, context.csrfHeader)) {
    throw new AppError(
      'CSRF_TOKEN_MISSING',
      'Mutations made with a session cookie need the X-CSRF-Token header (from the `me` query or sign-in)',
    );
  }
  checkTextArgs();
  if (ruleOf(operation) === 'PUBLIC' || OWN_TRANSACTION.has(operation) || UNAUDITED.has(operation)) return next();

  const outer = context.em;
  const returnType = info.returnType.toString();
  try {
    return await outer.transactional(async (tem) => {
      context.em = tem;
      const actor = context.auth.actor;
      const t =
        target(operation, returnType, args as Record<string, unknown>, actor.id) ??
        (await knowledgeTarget(tem, operation, args as Record<string, unknown>));
      // Only where the service's own first lock is this row: locking it earlier elsewhere could
      // take two rows' locks in another order than the service does, and deadlock.
      const before = t ? await snapshot(tem, t, t.table === 'incidents' && LOCKS_INCIDENT_FIRST.has(operation)) : null;
      const result = await next();
      const resultTable = tableFor(returnType) ?? t?.table;
      const resultId = resultIdOf(result) ?? t?.id;
      await writeAudit(tem, context, actor, {
        operation,
        targetType: resultTable ?? null,
        targetId: resultId ?? null,
        variables: args as Record<string, unknown>,
        before,
        after: resultTable && resultId ? { table: resultTable, id: resultId } : null,
      });
      return result;
    });
  } finally {
    context.em = outer;
  }
};

/**
 * Puts the guard in front of every Query and Mutation field, and the text check in front of other
 * fields that take arguments. Fields without arguments stay plain synchronous resolvers: a global
 * type-graphql middleware would make each of the thousands of fields in a large result async,
 * which cost more than the SQL behind a search (see BENCHMARKS.md, search).
 */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = type === schema.getQueryType() || type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      if (root) {
        field.resolve = (source, args, context, info) =>
          guard({ root: source, args, context, info }, async () => resolve(source, args, context, info));
      } else if (field.args.length) {
        field.resolve = (source, args, context, info) => {
          checkArgs(field, args);
          return resolve(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
