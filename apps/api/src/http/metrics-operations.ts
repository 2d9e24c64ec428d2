/**
 * Operation names the web app sends (the `query X` / `mutation X` of apps/web/graphql/*.graphql):
 * with the root fields of the schema, the only operation names that become a metrics label
 * (http/metrics.ts); any other name a client sends is labelled by the operation's root field or
 * as "other", so no client can add series. tests/metrics.test.ts fails when the web app has an
 * operation missing here: add it.
 */
export const WEB_OPERATIONS: readonly string[] = [
  'AccountPage', 'AcknowledgeIncident', 'AddActionItem', 'AddContributingFactor', 'AddIncidentsToReview',
  'AddStakeholderUpdate', 'AddTimeEntry', 'AddTimelineEntry', 'AdminAlertSources', 'AdminApiTokens',
  'AdminCalendars', 'AdminCategories', 'AdminImportRun', 'AdminImportRuns', 'AdminPriorityMatrix',
  'AdminServices', 'AdminSlaPolicies', 'AdminTeams', 'AdminUsers', 'ApplyIncidentModel', 'ApplyWorkaround',
  'AssignIncident', 'AwaitingReviewList', 'ChangePassword', 'ClassifyIncident', 'CompleteSetup', 'CreateAlertSource',
  'CreateApiToken', 'CreateBusinessCalendar', 'CreateCategory', 'CreateIncidentModel',
  'CreateIncidentModelFromIncident', 'CreateOwnApiToken', 'CreateProblem', 'CreateProblemFromIncident',
  'CreateReview', 'CreateService', 'CreateSlaPolicy', 'CreateTeam', 'CreateUser', 'CreateWorkaround',
  'CreateWorkaroundFromIncident', 'CurateTimelineEntry', 'Dashboard', 'DashboardFilterOptions',
  'ImportCalendarHolidays', 'IncidentDetail', 'IncidentIdByNumber', 'IncidentList',
  'IncidentModelSuggestions', 'KnownErrorList', 'LinkIncidentToProblem', 'LinkWorkaroundToProblem',
  'LogIncident', 'Lookups', 'MakeDefaultSlaPolicy', 'Me', 'ModelDetail', 'ModelFormOptions', 'ModelList',
  'OpenIncidentPicker', 'Overview', 'ProblemDetail', 'ProblemList', 'ProblemPicker',
  'ReactivateIncidentModel', 'RecordConfigurationChange', 'RecordEscalation', 'RemoveActionItem',
  'RemoveContributingFactor', 'RemoveIncidentsFromReview', 'RemoveTimelineEntry', 'ReopenIncident',
  'RetireIncidentModel', 'ReviewDetail', 'ReviewList', 'ReviewMarkdown', 'RevokeAlertSource',
  'RevokeApiToken', 'RevokeOwnApiToken', 'RotateAlertSourceToken', 'SearchCatalog', 'SetActionItemStatus',
  'SetAlertSourceRules', 'SetChecklistItemDone', 'SetFiveWhys', 'SetPriorityMatrix', 'SetServiceSlaPolicy',
  'SetUserDisabled', 'SetUserPassword', 'SetUserRole', 'SetWorkaroundStatus', 'SetupRequired', 'SignIn',
  'SignOut', 'SimilarIncidents', 'TransitionIncident', 'TransitionProblem', 'TransitionReview',
  'TriggerDisasterRecovery', 'UnlinkIncidentFromProblem', 'UnlinkWorkaroundFromProblem',
  'UpdateBusinessCalendar', 'UpdateCategory', 'UpdateContributingFactor', 'UpdateIncident',
  'UpdateIncidentModel', 'UpdateProblem', 'UpdateReview', 'UpdateService', 'UpdateSlaPolicy', 'UpdateTeam',
  'UpdateUser', 'UpdateWorkaround', 'WorkQueue', 'WorkaroundDetail', 'WorkaroundList',
];
