// Who may run which mutation: the one table the API enforces (its GraphQL guard) and the web app
// reads to hide or disable what would be refused. Pure data, no I/O.

export const ROLES = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];
/** A role list, or PUBLIC (anyone, signed in or not), or SIGNED_IN (any role). */
export type Rule = readonly Role[] | 'PUBLIC' | 'SIGNED_IN';

const ALL: Role[] = [...ROLES];
const WORK: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER'];
const KNOWLEDGE: Role[] = ['ADMIN', 'PROBLEM_MANAGER'];
const ADMIN: Role[] = ['ADMIN'];

/**
 * Who may run each mutation. A mutation missing from this table is refused for everyone, so a new
 * mutation is closed until someone decides who may use it (a test checks the table covers the schema).
 */
export const MUTATION_ROLES = {
  signIn: 'PUBLIC',
  signOut: 'SIGNED_IN',
  changePassword: 'SIGNED_IN',
  // The first admin, with the one-time link the API prints while there is none (features/setup).
  completeSetup: 'PUBLIC',
  // Your own API tokens (created only in a signed-in session; see ApiTokenResolver).
  createOwnApiToken: 'SIGNED_IN',
  revokeOwnApiToken: 'SIGNED_IN',
  // Your own saved views of the lists (features/saved-views): only the owner changes one.
  createSavedView: 'SIGNED_IN',
  updateSavedView: 'SIGNED_IN',
  deleteSavedView: 'SIGNED_IN',

  // Incident work: engineers and up.
  logIncident: WORK,
  updateIncident: WORK,
  classifyIncident: WORK,
  assignIncident: WORK,
  acknowledgeIncident: WORK,
  transitionIncident: WORK,
  reopenIncident: WORK,
  addStakeholderUpdate: WORK,
  addWorkNote: WORK,
  recordEscalation: WORK,
  triggerDisasterRecoveryPlan: WORK,
  recordConfigurationChange: WORK,
  addTimeEntry: WORK,
  applyWorkaround: WORK,
  applyIncidentModel: WORK,
  setChecklistItemDone: WORK,
  linkIncidentToProblem: WORK,
  unlinkIncidentFromProblem: WORK,
  // Each row is checked as its single mutation would be; adding to a review also needs addIncidentsToReview's role.
  bulkUpdateIncidents: WORK,

  // Knowledge and reviews: problem managers.
  createProblem: KNOWLEDGE,
  createProblemFromIncident: KNOWLEDGE,
  updateProblem: KNOWLEDGE,
  transitionProblem: KNOWLEDGE,
  // Owner / team is updateProblem's change, a status move transitionProblem's: the same roles for both.
  bulkUpdateProblems: KNOWLEDGE,
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
  // Knowledge lifecycle (issue 27): who curates knowledge moves, reviews and assigns it.
  transitionKnowledge: KNOWLEDGE,
  markKnowledgeReviewed: KNOWLEDGE,
  setKnowledgeOwner: KNOWLEDGE,
  // Whoever applies or searches knowledge says whether it helped.
  giveKnowledgeFeedback: WORK,
  createReview: KNOWLEDGE,
  updateReview: KNOWLEDGE,
  sendReviewInvitation: KNOWLEDGE,
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
  // Owners of action items are often engineers: they may move their own items on (only those:
  // ReviewService.setActionItemStatus checks the owner).
  setActionItemStatus: WORK,

  // Configuration and accounts: admins.
  createTeam: ADMIN,
  createUser: ADMIN,
  setUserRole: ADMIN,
  setUserDisabled: ADMIN,
  setUserPassword: ADMIN,
  createApiToken: ADMIN,
  revokeApiToken: ADMIN,
  createAlertSource: ADMIN,
  rotateAlertSourceToken: ADMIN,
  revokeAlertSource: ADMIN,
  setAlertSourceRules: ADMIN,
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
  createBusinessCalendarFromIcs: ADMIN,
  createSlaPolicy: ADMIN,
  updateSlaPolicy: ADMIN,
  makeDefaultSlaPolicy: ADMIN,
  retireSlaPolicy: ADMIN,
  restoreSlaPolicy: ADMIN,
  setServiceSlaPolicy: ADMIN,
  recomputeSlaClocks: ADMIN,
  createReviewTemplate: ADMIN,
  createFactorCategory: ADMIN,
  setFactorCategoryActive: ADMIN,
  // The search's synonym list is read by everyone (searchSynonyms) and kept by admins.
  createSearchSynonymGroup: ADMIN,
  updateSearchSynonymGroup: ADMIN,
  deleteSearchSynonymGroup: ADMIN,
  restoreDefaultSearchSynonyms: ADMIN,
  // Search analytics (decision 0011): every role tells which hit it opened; admins decide boosts.
  recordSearchOpen: 'SIGNED_IN',
  approveSearchBoost: ADMIN,
  dismissSearchBoost: ADMIN,
  revokeSearchBoost: ADMIN,
  // Notification channels (webhook, Slack, Mattermost, Teams), their rules and delivery log.
  createNotificationChannel: ADMIN,
  updateNotificationChannel: ADMIN,
  deleteNotificationChannel: ADMIN,
  replayNotificationDeliveries: ADMIN,
  sendTestNotification: ADMIN,
  // Single sign-on (features/sso): providers and the password sign-in setting.
  createSsoProvider: ADMIN,
  updateSsoProvider: ADMIN,
  deleteSsoProvider: ADMIN,
  testSsoProvider: ADMIN,
  setPasswordSignIn: ADMIN,
  replayNotificationMails: ADMIN,
  // Follow-up sync to Jira and GitHub Issues (decision 0008): connections are admins'; pushing an
  // action item is for those who edit action items.
  createTrackerConnection: ADMIN,
  updateTrackerConnection: ADMIN,
  deleteTrackerConnection: ADMIN,
  rotateTrackerWebhookSecret: ADMIN,
  testTrackerConnection: ADMIN,
  sendTestTrackerIssue: ADMIN,
  pushActionItem: KNOWLEDGE,
  retryTrackerSync: KNOWLEDGE,
  // Your own notifications: how you are told, what you listen to, incidents you follow, your list.
  updateMyNotificationSettings: 'SIGNED_IN',
  createNotificationSubscription: 'SIGNED_IN',
  deleteNotificationSubscription: 'SIGNED_IN',
  followIncident: 'SIGNED_IN',
  markNotificationsRead: 'SIGNED_IN',
  // Your own working hours (workload); someone else's or a team's: admins (checked by the service).
  setWorkingCalendar: 'SIGNED_IN',
} satisfies Record<string, Rule>;

export type Operation = keyof typeof MUTATION_ROLES;

/** The rule of a mutation by name; undefined when it is not in the table (refused for everyone). */
export function ruleOf(operation: string): Rule | undefined {
  return Object.hasOwn(MUTATION_ROLES, operation) ? (MUTATION_ROLES as Record<string, Rule>)[operation] : undefined;
}

/** Whether a caller with this role (null: not signed in) may run the mutation; unknown ones never. */
export function mayRun(operation: string, role: Role | null | undefined): boolean {
  const rule = ruleOf(operation);
  if (rule === undefined) return false;
  if (rule === 'PUBLIC') return true;
  if (!role) return false;
  if (rule === 'SIGNED_IN') return ALL.includes(role);
  return rule.includes(role);
}
