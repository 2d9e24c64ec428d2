import type { Role } from '@/lib/permissions';

/** Roles from most to least rights (the API's order: a token has at most its user's role). */
export const ROLES_BY_RANK: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'];

/** The roles a token of a user with this role may have. */
export function rolesUpTo(role: Role | null | undefined): Role[] {
  const at = role ? ROLES_BY_RANK.indexOf(role) : -1;
  return at < 0 ? [] : ROLES_BY_RANK.slice(at);
}
