import type { EntityManager } from '@mikro-orm/postgresql';
import { queueTriggers } from '../../analytics/analytics.fold-now';
import { insertRows, sql, withRawClient, type Column } from '../sql-bulk';
import type { Plan } from './plan';

/** The row triggers an import switches off while it writes, and back on before it ends. */
export class TriggersOff {
  private constructor(
    private readonly em: EntityManager,
    private readonly active: string[][],
  ) {}

  /**
   * Search documents are rebuilt set-wise at the end; the row triggers would redo them per row.
   * The analytics queue triggers are off too: the import folds its own incidents in before it commits.
   */
  static async switchOff(em: EntityManager): Promise<TriggersOff> {
    const active: string[][] = [];
    for (const [table, name] of [
      ['incidents', 'search_on_incidents'],
      ['problems', 'search_on_problems'],
    ])
      if (await triggerExists(em, table, name)) active.push([table, name]);
    for (const q of await withRawClient(em, (c) => queueTriggers(c, ['incidents', 'incident_events', 'sla_clocks'])))
      active.push([q.table, q.name]);
    // Locks (ALTER TABLE takes SHARE ROW EXCLUSIVE) in the order the API's writers take them: incidents first.
    const order = ['incidents', 'incident_events', 'problems', 'sla_clocks'];
    active.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [table, name] of active) await sql(em, `alter table ${table} disable trigger ${name}`);
    return new TriggersOff(em, active);
  }

  async switchOn(): Promise<void> {
    for (const [table, name] of this.active) await sql(this.em, `alter table ${table} enable trigger ${name}`);
  }
}

async function triggerExists(em: EntityManager, table: string, name: string): Promise<boolean> {
  const rows = await sql<{ n: number }>(em, `select count(*)::int as n from pg_trigger where tgrelid = ?::regclass and tgname = ?`, [
    table,
    name,
  ]);
  return rows[0].n > 0;
}

const NAMED: [table: 'teams' | 'users' | 'services' | 'categories', columns: Column[]][] = [
  [
    'teams',
    [
      ['id', 'uuid'],
      ['name', 'varchar'],
      ['description', 'text'],
      ['created_at', 'timestamptz'],
    ],
  ],
  [
    'users',
    [
      ['id', 'uuid'],
      ['email', 'varchar'],
      ['name', 'varchar'],
      ['created_at', 'timestamptz'],
    ],
  ],
  [
    'services',
    [
      ['id', 'uuid'],
      ['name', 'varchar'],
      ['description', 'text'],
      ['created_at', 'timestamptz'],
    ],
  ],
  [
    'categories',
    [
      ['id', 'uuid'],
      ['name', 'varchar'],
      ['parent_id', 'uuid'],
      ['created_at', 'timestamptz'],
    ],
  ],
];

/** The teams, people, services, categories and problems the plan makes, before the incidents that point at them. */
export async function writeNewRows(em: EntityManager, plan: Plan, problemNumbers: number[], source: string, now: Date): Promise<void> {
  const rowsOf = { teams: plan.newTeams, users: plan.newUsers, services: plan.newServices, categories: plan.newCategories };
  // In this order: a category's parent is written with it (parents first, see directory.ts).
  for (const [table, columns] of NAMED) await insertRows(em, table, columns, rowsOf[table]);
  if (!plan.newProblems.length) return;
  const rows = plan.newProblems.map((p, i) => ({
    id: p.id,
    number: problemNumbers[i],
    title: p.title,
    description: `Created by import from ${source}${p.ref ? ` (${p.ref})` : ''}.`,
    status: 'OPEN',
    service_id: p.serviceId,
    category_id: p.categoryId,
    created_at: p.firstSnap.openedAt,
    updated_at: now,
    external_ref: p.ref,
  }));
  await insertRows(
    em,
    'problems',
    [
      ['id', 'uuid'],
      ['number', 'integer'],
      ['title', 'text'],
      ['description', 'text'],
      ['status', 'varchar'],
      ['service_id', 'uuid'],
      ['category_id', 'uuid'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
      ['external_ref', 'varchar'],
    ],
    rows,
  );
}
