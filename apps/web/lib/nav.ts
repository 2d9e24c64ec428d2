import type { Operation } from './permissions';

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to roles that may run this mutation (the page itself says so to the others). */
  op?: Operation;
  /** Also active on these path prefixes. */
  also?: string[];
  exact?: boolean;
}

/** The main navigation. Only pages that exist are listed (no dead links). */
export const MAIN_NAV: NavItem[] = [
  { href: '/', label: 'Overview', exact: true },
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/search', label: 'Search' },
  // Admins and problem managers (the API's KNOWLEDGE_QUERIES): the roles that may create problems.
  { href: '/search-analytics', label: 'Search analytics', op: 'createProblem' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/problems', label: 'Problems' },
  { href: '/workarounds', label: 'Workarounds' },
  { href: '/models', label: 'Models' },
  { href: '/knowledge-health', label: 'Knowledge health' },
  { href: '/reviews', label: 'Reviews' },
  { href: '/admin', label: 'Admin' },
];

export const INCIDENT_TABS: NavItem[] = [
  { href: '/incidents', label: 'Register', exact: true },
  { href: '/incidents/queue', label: 'Work queue' },
  { href: '/incidents/new', label: 'Log incident', op: 'logIncident' },
];

export const PROBLEM_TABS: NavItem[] = [
  { href: '/problems', label: 'All problems', exact: true },
  { href: '/problems/known-errors', label: 'Known errors' },
  { href: '/problems/new', label: 'New problem', op: 'createProblem' },
];

export const DASHBOARD_TABS: NavItem[] = [
  { href: '/dashboard', label: 'Incident trends', exact: true },
  { href: '/dashboard/workload', label: 'Workload' },
  { href: '/dashboard/follow-through', label: 'Follow-through' },
];

export const REVIEW_TABS: NavItem[] = [
  { href: '/reviews', label: 'Reviews', exact: true },
  { href: '/reviews/awaiting', label: 'Awaiting review' },
];

/**
 * The import history (importRuns, importRun) is read by admins only (the API's ADMIN_QUERIES), and
 * it has no mutation of its own in the permission table: its tab and pages follow one that only
 * admins may run.
 */
export const IMPORT_HISTORY_OP: Operation = 'setUserRole';

export const ADMIN_TABS: NavItem[] = [
  { href: '/admin/services', label: 'Services' },
  { href: '/admin/categories', label: 'Categories' },
  { href: '/admin/teams', label: 'Teams' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/tokens', label: 'API tokens', op: 'revokeApiToken' },
  { href: '/admin/alert-sources', label: 'Alert sources', op: 'createAlertSource' },
  { href: '/admin/notifications', label: 'Notifications', op: 'createNotificationChannel' },
  { href: '/admin/sso', label: 'Single sign-on', op: 'createSsoProvider' },
  { href: '/admin/trackers', label: 'Trackers', op: 'createTrackerConnection' },
  { href: '/admin/imports', label: 'Imports', op: IMPORT_HISTORY_OP },
  { href: '/admin/priority-matrix', label: 'Priority matrix' },
  { href: '/admin/calendars', label: 'Calendars' },
  { href: '/admin/sla-policies', label: 'SLA policies' },
  { href: '/admin/search-synonyms', label: 'Search synonyms' },
];

export function isActive(item: NavItem, pathname: string): boolean {
  if (item.exact) return pathname === item.href;
  const prefixes = [item.href, ...(item.also ?? [])];
  return prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

export function mainNav(): NavItem[] {
  return MAIN_NAV;
}
