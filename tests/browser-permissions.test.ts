import { describe, expect, it } from 'vitest';
import { ADMIN_QUERIES, MUTATION_ROLES as API_ROLES } from '@ikb/api/src/features/auth/permissions';
import { MUTATION_ROLES as WEB_ROLES, can, type Operation } from '../apps/web/lib/permissions';

/**
 * The web app hides the controls a role may not use from a copy of the API's permission table
 * (apps/web/lib/permissions.ts); the API enforces the real one. The copy must not drift.
 */
describe('web permission table', () => {
  it('agrees with the API table on every mutation the web app knows', () => {
    // Mutations the web app does not list cannot be asked about (Operation is typed from its table).
    const norm = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v);
    for (const [op, rule] of Object.entries(WEB_ROLES)) {
      expect(op in API_ROLES, `${op} is not an API mutation any more`).toBe(true);
      expect(norm(rule), op).toEqual(norm(API_ROLES[op]));
    }
  });

  it('answers like the API for every role', () => {
    for (const op of Object.keys(WEB_ROLES) as Operation[]) {
      for (const role of ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER', null] as const) {
        const rule = API_ROLES[op];
        const expected = rule === 'PUBLIC' ? true : !role ? false : rule === 'SIGNED_IN' ? true : rule!.includes(role);
        expect(can(role, op), `${role} ${op}`).toBe(expected);
      }
    }
    expect(ADMIN_QUERIES.size).toBeGreaterThan(0);
  });
});
