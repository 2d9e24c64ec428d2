// Which role may run which mutation: a copy of apps/api/src/features/auth/permissions.ts (the API
// enforces it; the web app only hides or disables what would be refused). tests/browser-permissions.test.ts
// checks that this copy matches the API's table.
export type Role = 'ADMIN' | 'PROBLEM_MANAGER' | 'ENGINEER' | 'VIEWER';

const ALL: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'];
const WORK: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER'];
const KNOWLEDGE: Role[] = ['ADMIN', 'PROBLEM_MANAGER'];
const ADMIN: Role[] = ['ADMIN'];

export const MUTATION_ROLES = {
  signIn: 'PUBLIC',
  signOut: 'SIGNED_IN',
  changePassword: 'SIGNED_IN',

  logIncident: WORK,
  updateIncident: WORK,
  classifyIncident: WORK,
  assignIncident: WORK,
  acknowledgeIncident: WORK,
  transitionIncident: WORK,
  reopenIncident: WORK,
  addStakeholderUpdate: WORK,
  recordEscalation: WORK,
  triggerDisasterRecoveryPlan: WORK,
  recordConfigurationChange: WORK,
  addTimeEntry: WORK,
  applyWorkaround: WORK,
  applyIncidentModel: WORK,
  setChecklistItemDone: WORK,
  linkIncidentToProblem: WORK,
  unlinkIncidentFromProblem: WORK,

  createProblem: KNOWLEDGE,
  createProblemFromIncident: KNOWLEDGE,
  updateProblem: KNOWLEDGE,
  transitionProblem: KNOWLEDGE,
  linkWorkaroundToProblem: KNOWLEDGE,
  unlinkWorkaroundFromProblem: KNOWLEDGE,
  createWorkaround: KNOWLEDGE,
  createWorkaroundFromIncident: KNOWLEDGE,
  updateWorkaround: KNOWLEDGE,
  setWorkaroundStatus: KNOWLEDGE,
  createIncidentModel: KNOWLEDGE,
  createIncidentModelFromIncident: KNOWLEDGE,
  updateIncidentModel: KNOWLEDGE,
  retireIncidentModel: KNOWLEDGE,
  reactivateIncidentModel: KNOWLEDGE,
  createReview: KNOWLEDGE,
  updateReview: KNOWLEDGE,
  addIncidentsToReview: KNOWLEDGE,
  removeIncidentsFromReview: KNOWLEDGE,
  setFiveWhys: KNOWLEDGE,
  curateTimelineEntry: KNOWLEDGE,
  addTimelineEntry: KNOWLEDGE,
  removeTimelineEntry: KNOWLEDGE,
  addContributingFactor: KNOWLEDGE,
  updateContributingFactor: KNOWLEDGE,
  removeContributingFactor: KNOWLEDGE,
  addActionItem: KNOWLEDGE,
  updateActionItem: KNOWLEDGE,
  removeActionItem: KNOWLEDGE,
  transitionReview: KNOWLEDGE,
  setActionItemStatus: WORK,

  createTeam: ADMIN,
  createUser: ADMIN,
  setUserRole: ADMIN,
  setUserDisabled: ADMIN,
  setUserPassword: ADMIN,
  createApiToken: ADMIN,
  revokeApiToken: ADMIN,
  createService: ADMIN,
  createCategory: ADMIN,
  updateService: ADMIN,
  updateTeam: ADMIN,
  updateCategory: ADMIN,
  updateUser: ADMIN,
  setPriorityMatrix: ADMIN,
  createBusinessCalendar: ADMIN,
  updateBusinessCalendar: ADMIN,
  importCalendarHolidays: ADMIN,
  createSlaPolicy: ADMIN,
  updateSlaPolicy: ADMIN,
  makeDefaultSlaPolicy: ADMIN,
  setServiceSlaPolicy: ADMIN,
  recomputeSlaClocks: ADMIN,
  createReviewTemplate: ADMIN,
  createFactorCategory: ADMIN,
  setFactorCategoryActive: ADMIN,
} satisfies Record<string, Role[] | 'PUBLIC' | 'SIGNED_IN'>;

export type Operation = keyof typeof MUTATION_ROLES;

/** Whether a user of this role may run the mutation (mirrors the API's mayRun). */
export function can(role: Role | null | undefined, operation: Operation): boolean {
  const rule: Role[] | 'PUBLIC' | 'SIGNED_IN' = MUTATION_ROLES[operation];
  if (rule === 'PUBLIC') return true;
  if (!role) return false;
  if (rule === 'SIGNED_IN') return ALL.includes(role);
  return rule.includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  PROBLEM_MANAGER: 'Problem manager',
  ENGINEER: 'Engineer',
  VIEWER: 'Viewer',
};
