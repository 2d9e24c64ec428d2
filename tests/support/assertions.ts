import { fieldLabel } from '@ikb/domain';
import { expect } from 'vitest';
import type { GqlResult, TestApp } from './test-app';

type GqlError = NonNullable<GqlResult['errors']>[number];

/**
 * Asserts the call failed with exactly one error carrying `code`; when `field` is given, also that
 * extensions.field names it and the message mentions it in words ("Due date", never "input.dueDate" or
 * "dueDate"). Returns the error for further checks.
 */
export function expectGqlError(r: GqlResult, code: string, field?: string): GqlError {
  const dump = JSON.stringify({ status: r.status, data: r.data, errors: r.errors });
  expect(r.errors?.length, `expected a ${code} error, got ${dump}`).toBe(1);
  // A failed root field must not hand back data.
  const values = r.data ? Object.values(r.data as Record<string, unknown>) : [];
  expect(
    values.every((v) => v === null),
    `expected no data, got ${dump}`,
  ).toBe(true);
  const e = r.errors![0];
  expect(e.extensions?.code, dump).toBe(code);
  if (field !== undefined) {
    expect(e.extensions?.field, dump).toBe(field);
    expect(e.message.toLowerCase(), dump).toContain(fieldLabel(field).toLowerCase());
    if (/[a-z][A-Z]|\./.test(field)) expect(e.message, dump).not.toContain(field);
  }
  return e;
}

export interface DbSnapshot {
  /** Row count of every table in the schema, by table name. */
  counts: Record<string, number>;
  /** md5 over every row of every table, by table name: any change to any row shows. */
  hashes: Record<string, string>;
  /** version and updated_at of every incident, by id. */
  incidents: Record<string, { version: number; updated_at: string; event_seq: number }>;
}

/** Everything that a refused mutation must leave as it was. */
export async function dbSnapshot(t: TestApp): Promise<DbSnapshot> {
  const tables = (
    await t.sql<{ name: string }>(
      `select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'
          and table_name not in ('api_tokens', 'sessions') order by 1`,
    )
  ).map((r) => r.name);
  const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
  const [row] = await t.sql<Record<string, string>>(
    `select ${tables
      .map(
        (n, i) => `(select count(*) from ${q(n)})::text as c${i},
        (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${q(n)} x) as h${i}`,
      )
      .join(', ')}`,
  );
  const counts: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  tables.forEach((n, i) => {
    counts[n] = Number(row[`c${i}`]);
    hashes[n] = row[`h${i}`];
  });
  const incidents: DbSnapshot['incidents'] = {};
  for (const r of await t.sql<{ id: string; version: number; updated_at: Date; event_seq: number }>(
    `select id, version, updated_at, event_seq from incidents`,
  )) {
    incidents[r.id] = { version: r.version, updated_at: new Date(r.updated_at).toISOString(), event_seq: r.event_seq };
  }
  return { counts, hashes, incidents };
}

/** The tables the issue names must be among those snapshotted. */
export const CORE_TABLES = ['teams', 'users', 'services', 'categories', 'incidents', 'incident_events', 'time_entries', 'app_settings'];

export function expectSameDb(before: DbSnapshot, after: DbSnapshot, what: string): void {
  expect(after.counts, `${what}: row counts changed`).toEqual(before.counts);
  expect(after.incidents, `${what}: an incident's version/updated_at changed`).toEqual(before.incidents);
  expect(after.hashes, `${what}: table contents changed`).toEqual(before.hashes);
}
