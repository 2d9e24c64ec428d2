// The table lives in packages/domain, shared with the web app (which hides what would be refused).
export { MUTATION_ROLES, mayRun, ruleOf } from '@ikb/domain';

/** Queries for those who keep the catalog, admins and problem managers: search analytics (decision 0011). */
export const KNOWLEDGE_QUERIES = new Set(['searchAnalytics', 'searchBoosts']);

/** Queries only admins may run; every other query needs any signed-in role. */
export const ADMIN_QUERIES = new Set([
  'auditLog',
  'apiTokens',
  'alertSources',
  'importRuns',
  'importRun',
  'holidayImportPreview',
  'notificationChannels',
  'notificationDeliveries',
  'notificationMails',
  'ssoProviders',
  'passwordSignIn',
  'ssoTestResult',
  'trackerConnections',
  'trackerSyncLog',
]);
