/**
 * The mutations of the register on an existing incident (IncidentResolver -> IncidentService).
 * Each takes the incident's row lock before any other lock (load / loadWritable come first), so
 * the audit snapshot may take that lock already (guard.middleware.ts) without changing the order
 * in which locks are taken. Keep it in step with the resolver.
 */
export const LOCKS_INCIDENT_FIRST: ReadonlySet<string> = new Set([
  'updateIncident',
  'classifyIncident',
  'assignIncident',
  'acknowledgeIncident',
  'transitionIncident',
  'reopenIncident',
  'addStakeholderUpdate',
  'addWorkNote',
  'recordEscalation',
  'triggerDisasterRecoveryPlan',
  'recordConfigurationChange',
  'addTimeEntry',
]);
