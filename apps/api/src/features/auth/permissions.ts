import type { Role } from '../directory/user.entity';

const ALL: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'];
const WORK: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER'];
const KNOWLEDGE: Role[] = ['ADMIN', 'PROBLEM_MANAGER'];
const ADMIN: Role[] = ['ADMIN'];

/**
 * Who may run each mutation. A mutation missing from this table is refused for everyone, so a new
 * mutation is closed until someone decides who may use it (a test checks the table covers the schema).
 */
export const MUTATION_ROLES: Record<string, Role[] | 'PUBLIC' | 'SIGNED_IN'> = {
  signIn: 'PUBLIC',
  signOut: 'SIGNED_IN',
  changePassword: 'SIGNED_IN',

  // Incident work: engineers and up.
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

  // Knowledge and reviews: problem managers.
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
  // Owners of action items are often engineers: they may move their items on.
  setActionItemStatus: WORK,

  // Configuration and accounts: admins.
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
};

/** Queries only admins may run; every other query needs any signed-in role. */
export const ADMIN_QUERIES = new Set(['auditLog', 'apiTokens']);

export function mayRun(operation: string, role: Role | null): boolean {
  const rule = MUTATION_ROLES[operation];
  if (rule === undefined) return false;
  if (rule === 'PUBLIC') return true;
  if (!role) return false;
  if (rule === 'SIGNED_IN') return ALL.includes(role);
  return rule.includes(role);
}
