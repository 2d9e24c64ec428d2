import { dateProblem, INCIDENT_STATUSES } from '@ikb/domain';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { badInput } from '../../errors';
import { isUuid } from '../../ids';

/**
 * Sort orders of the incident register. Each one is a SQL expression over the incidents row (alias
 * given at query time) plus the id as tie-breaker, so a keyset cursor (key value + id) pins a place
 * in any order and pages never skip or repeat rows, ties included.
 */
export const INCIDENT_SORT_FIELDS = ['OPENED_AT', 'UPDATED_AT', 'PRIORITY', 'STATUS', 'NUMBER', 'SLA_DUE'] as const;
export type IncidentSortField = (typeof INCIDENT_SORT_FIELDS)[number];
export const IncidentSortFieldEnum = Object.fromEntries(INCIDENT_SORT_FIELDS.map((v) => [v, v])) as { [K in IncidentSortField]: K };

export const SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
export const SortDirectionEnum = { ASC: 'ASC', DESC: 'DESC' } as const;

registerEnumType(IncidentSortFieldEnum, {
  name: 'IncidentSortField',
  description:
    'OPENED_AT, UPDATED_AT; PRIORITY (1 critical first when ASC); STATUS in lifecycle order (NEW first when ASC); NUMBER; ' +
    'SLA_DUE: when the resolution SLA runs out (as of its last recomputation), earliest first when ASC; incidents without a due time ' +
    '(paused, not started) come last in both directions.',
});
registerEnumType(SortDirectionEnum, {
  name: 'SortDirection',
  description: 'ASC: smallest / earliest first; DESC: largest / latest first.',
});

@InputType({ description: 'Order of the incident register; ties are broken by id in the same direction.' })
export class IncidentOrderBy {
  @Field(() => IncidentSortFieldEnum, { defaultValue: 'OPENED_AT' })
  field: IncidentSortField = 'OPENED_AT';

  @Field(() => SortDirectionEnum, { defaultValue: 'DESC' })
  direction: SortDirection = 'DESC';
}

/** Sort key kinds: how a key travels in a cursor and binds back as a SQL parameter. */
type KeyKind = 'date' | 'int';

interface SortSpec {
  kind: KeyKind;
  /** SQL for the key over the incidents row aliased `a`. */
  sql: (a: string) => string;
  /** Only SLA_DUE can be null; nulls sort last in both directions. */
  nullable: boolean;
}

// Status in lifecycle order rather than alphabetically: NEW, TRIAGED, ... REVIEWED.
const STATUS_ARRAY = `array[${INCIDENT_STATUSES.map((s) => `'${s}'`).join(',')}]::text[]`;

export const SORT_SPECS: Record<IncidentSortField, SortSpec> = {
  OPENED_AT: { kind: 'date', sql: (a) => `${a}.opened_at`, nullable: false },
  UPDATED_AT: { kind: 'date', sql: (a) => `${a}.updated_at`, nullable: false },
  PRIORITY: { kind: 'int', sql: (a) => `${a}.priority`, nullable: false },
  STATUS: { kind: 'int', sql: (a) => `array_position(${STATUS_ARRAY}, ${a}.status::text)`, nullable: false },
  NUMBER: { kind: 'int', sql: (a) => `${a}.number`, nullable: false },
  // The stored due time of the resolution clock: one indexed primary-key lookup per row, no live
  // business-time arithmetic, so it stays cheap and sortable in SQL.
  SLA_DUE: {
    kind: 'date',
    sql: (a) => `(select c.due_at from sla_clocks c where c.incident_id = ${a}.id and c.target = 'RESOLUTION')`,
    nullable: true,
  },
};

export type SortKey = Date | number | null;

export interface Cursor {
  field: IncidentSortField;
  direction: SortDirection;
  key: SortKey;
  id: string;
}

/** The order a cursor was made for travels with it, so a cursor of another order is refused, not misread. */
export function encodeCursor(c: Cursor): string {
  const key = c.key instanceof Date ? c.key.toISOString() : c.key;
  return Buffer.from(JSON.stringify([c.field, c.direction, key, c.id])).toString('base64url');
}

export function decodeCursor(raw: string, order: IncidentOrderBy): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badInput('after', 'is not a cursor from this list');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badInput('after', 'is not a cursor from this list');
  const [field, direction, rawKey, id] = parsed as unknown[];
  if (
    typeof id !== 'string' ||
    !isUuid(id) ||
    !SORT_SPECS[field as IncidentSortField] ||
    !SORT_DIRECTIONS.includes(direction as SortDirection)
  ) {
    throw badInput('after', 'is not a cursor from this list');
  }
  if (field !== order.field || direction !== order.direction) {
    throw badInput(
      'after',
      `was made for the order ${String(field)} ${String(direction)}, not ${order.field} ${order.direction}; start again ` +
        'from the first page',
    );
  }
  const spec = SORT_SPECS[field as IncidentSortField];
  let key: SortKey;
  if (rawKey === null && spec.nullable) key = null;
  else if (spec.kind === 'int' && Number.isSafeInteger(rawKey) && Math.abs(rawKey as number) < 2 ** 31) key = rawKey as number;
  else if (spec.kind === 'date' && typeof rawKey === 'string' && !dateProblem(new Date(rawKey))) key = new Date(rawKey);
  else throw badInput('after', 'is not a cursor from this list');
  return { field: field as IncidentSortField, direction: direction as SortDirection, key, id };
}

/**
 * The keyset condition "after this cursor" as SQL with parameters. Rows with a null key (only
 * SLA_DUE) come after every non-null one, in either direction.
 */
export function afterCursorSql(spec: SortSpec, direction: SortDirection, c: Cursor, a: string): [string, unknown[]] {
  const op = direction === 'ASC' ? '>' : '<';
  const key = spec.sql(a);
  if (c.key === null) return [`(${key} is null and ${a}.id ${op} ?)`, [c.id]];
  if (spec.kind === 'date') {
    // The cursor carries milliseconds; PostgreSQL keeps microseconds (rows written by SQL, e.g. the
    // scale generator). Compare with the cursor row's exact key while it still rounds to the
    // cursor's, else with the cursor's own: rows within one millisecond are neither skipped nor repeated.
    const exact = `coalesce((select s.k from (select ${spec.sql('x')} as k from incidents x where x.id = ?) s
      where date_trunc('milliseconds', s.k) = ?), ?)`;
    const beyond = `(${key}, ${a}.id) ${op} (${exact}, ?)`;
    return [spec.nullable ? `(${beyond} or ${key} is null)` : `(${beyond})`, [c.id, c.key, c.key, c.id]];
  }
  const beyond = `${key} ${op} ? or (${key} = ? and ${a}.id ${op} ?)`;
  return [spec.nullable ? `(${beyond} or ${key} is null)` : `(${beyond})`, [c.key, c.key, c.id]];
}
