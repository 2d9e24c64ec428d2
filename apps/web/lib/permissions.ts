// Which role may run which mutation: the API's own table (packages/domain/src/permissions.ts); the
// API enforces it, the web app only hides or disables what would be refused.
import { mayRun, type Operation, type Role } from '@ikb/domain';

export { MUTATION_ROLES } from '@ikb/domain';
export type { Operation, Role } from '@ikb/domain';

/** Whether a user of this role may run the mutation (the API's own rule). */
export function can(role: Role | null | undefined, operation: Operation): boolean {
  return mayRun(operation, role);
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  PROBLEM_MANAGER: 'Problem manager',
  ENGINEER: 'Engineer',
  VIEWER: 'Viewer',
};
