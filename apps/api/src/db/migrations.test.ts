import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from './migration-names';
import { MIGRATIONS } from './migrations';

describe('the migration lists', () => {
  it('name the same migrations in the same order, each class under its own name', () => {
    expect(MIGRATIONS.map((m) => m.name)).toEqual([...MIGRATION_NAMES]);
    for (const m of MIGRATIONS) expect((m.class as { name: string }).name).toBe(m.name);
    expect([...MIGRATION_NAMES].sort()).toEqual([...MIGRATION_NAMES]);
  });
});
