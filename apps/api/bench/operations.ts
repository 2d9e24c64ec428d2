/**
 * The GraphQL operations of the load mix (`pnpm bench:load`), also measured one at a time by
 * `pnpm bench:ops`: what the web app's incident, dashboard and search pages and an engineer's
 * incident work send.
 */
export const OPERATIONS = {
  search: `query($q: String!) { search(input: { query: $q }, first: 10) { totalCount nodes { id kind title snippet score reason
    incident { id number status } } facets { kinds { value count } services { value count } } } }`,
  incident: `query($id: ID!) { incident(id: $id) { id number title description status priority impact urgency major openedAt
    acknowledgedAt resolvedAt
    service { id name } category { id name } team { id name } assignee { id name }
    problem { id number title status workarounds { id title status } }
    slaClocks { target state elapsedMinutes remainingMinutes dueAt percentConsumed warningLevel verdict }
    timeline { seq kind summary actorName at } resolution { kind code notes } } }`,
  incidentByNumber: `query($n: String!) { incidentByNumber(number: $n) { id number title status priority timeline { seq kind summary
    at } } }`,
  openIncidents: `query { incidents(first: 25, filter: { status: [NEW, TRIAGED, INVESTIGATING, ON_HOLD] }) { totalCount
    pageInfo { endCursor hasNextPage } edges { node { id number title status priority openedAt service { name } team { name }
    assignee { name } slaClocks { target state remainingMinutes warningLevel } } } } }`,
  majorIncidents: `query { incidents(first: 25, filter: { major: true }) { totalCount edges { node { id number title status priority
    openedAt resolvedAt } } } }`,
  workQueue: `query { workQueue(first: 20) { id number title priority status slaClocks { target remainingMinutes warningLevel } } }`,
  atRisk: `query { incidentsAtRisk(first: 20) { id number title priority slaClocks { target percentConsumed dueAt } } }`,
  awaitingReview: `query { incidentsAwaitingReview(first: 20) { __typename } }`,
  knownErrors: `query { knownErrors(first: 10) { totalCount edges { node { id number title status rootCause workarounds { id
    title } } } } }`,
  problems: `query { problems(first: 20) { totalCount edges { node { id number title status incidentCount } } } }`,
  reviews: `query { reviews(first: 20) { totalCount edges { node { id number title status } } } }`,
  // The leadership dashboard's query as the web app sends it (apps/web/graphql/analytics.graphql), when the schema has it.
  analytics: `query Dashboard($filter: AnalyticsFilter!, $bucket: AnalyticsBucket!, $stackBy: AnalyticsDimension!) {
    analytics(filter: $filter) {
      from to timeZone asOf evaluatedAt pendingChanges source incidentCount
      volume(bucket: $bucket) { metricId start end count }
      volumeBy(bucket: $bucket, dimension: $stackBy) { metricId total key { dimension id priority name } buckets { start end count } }
      timeToResolve { metricId count medianHours p90Hours meanHours overTime(bucket: $bucket) { start end count medianHours p90Hours } }
      responseSla { metricId met breached total ratio byPriority { priority met breached total ratio } overTime(bucket: $bucket) { start
        end met breached total ratio } }
      resolutionSla { metricId met breached total ratio byPriority { priority met breached total ratio } overTime(bucket:
        $bucket) { start end met breached total ratio } }
      topRecurringProblems(first: 8) { metricId problemId incidentCount recurringCount recurrencesSinceFix problem { id number title
        status } }
      reviewCoverage { metricId eligible reviewed ratio }
      actionItems { metricId total done doneOnTime doneLate open overdue wontDo onTimeRatio }
      cost { metricId cents minutes byService { key { dimension id name } cents minutes } }
    }
    metricDefinitions { id name definition details }
  }`,
  logIncident: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number status priority } }`,
  acknowledge: `mutation($id: ID!) { acknowledgeIncident(id: $id) { id acknowledgedAt } }`,
  stakeholder: `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`,
  timeEntry: `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id minutes } }`,
  resolve: `mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: WORKAROUND, resolutionCode:
    "RESTART", resolutionNotes: "Restarted the pods" }) { id status } }`,
};
