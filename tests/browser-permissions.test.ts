import { describe, expect, it } from 'vitest';
import { ADMIN_QUERIES, MUTATION_ROLES as API_ROLES } from '@ikb/api/src/features/auth/permissions';
import { MUTATION_ROLES as WEB_ROLES, can, type Operation } from '../apps/web/lib/permissions';
import { schemaMutations } from './support/auth-factories';

/**
 * The web app hides the controls a role may not use, reading the same table the API enforces
 * (packages/domain/src/permissions.ts, through apps/web/lib/permissions.ts).
 */
describe('web permission table', () => {
  it('is the API table, and covers every mutation of the schema', () => {
    expect(WEB_ROLES).toBe(API_ROLES);
    expect(Object.keys(WEB_ROLES).sort()).toEqual(schemaMutations());
  });

  it('answers like the API for every role', () => {
    for (const op of Object.keys(WEB_ROLES) as Operation[]) {
      for (const role of ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER', null] as const) {
        const rule = API_ROLES[op] as readonly string[] | 'PUBLIC' | 'SIGNED_IN';
        const expected = rule === 'PUBLIC' ? true : !role ? false : rule === 'SIGNED_IN' ? true : rule!.includes(role);
        expect(can(role, op), `${role} ${op}`).toBe(expected);
      }
    }
    expect(ADMIN_QUERIES.size).toBeGreaterThan(0);
  });
});
