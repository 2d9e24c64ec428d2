// The metric definitions shown beside every chart. `definition` is the text of the design brief
// ("Metric definitions"); `details` says exactly how the figure is computed where the brief
// leaves a choice open.

export interface MetricDefinition {
  id: string;
  name: string;
  definition: string;
  details: string;
}

const SCOPE =
  'All metrics take a time range that selects incidents by openedAt (from inclusive, ' +
  'to exclusive), optional filters (service, category, team, priority) and a time zone for buckets.';

const SEARCH_SCOPE =
  'Search analytics take a range of whole UTC days (searches made from the first day to the last) and count each catalog ' +
  'search once (its later pages are the same search), by its query normalised (lower case, single spaces).';

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    id: 'volume',
    name: 'Volume',
    definition: 'Volume: incidents opened per bucket (day, week starting Monday, month).',
    details:
      `${SCOPE} An incident falls in the bucket of the local date of its openedAt in the chosen time zone; weeks start on Monday; ` +
      'every bucket of the range is listed, empty ones with 0. A category filter includes its subcategories.',
  },
  {
    id: 'backlog',
    name: 'Backlog by age',
    definition: 'Backlog: open incidents (new, triaged, investigating, on hold) by age, the time since openedAt.',
    details:
      'Counted live when the query runs, among incidents opened in the range that match the filters. ' +
      'Age bands: under 1 day, 1-3 days, 3-7 days, 7-30 days, 30 days and more.',
  },
  {
    id: 'mtta',
    name: 'MTTA (mean time to acknowledge)',
    definition: 'MTTA: mean of acknowledgedAt - openedAt.',
    details: 'Over incidents of the range that have been acknowledged; in hours.',
  },
  {
    id: 'mttd',
    name: 'MTTD (mean time to detect)',
    definition: 'MTTD: mean of openedAt - detectedAt, where detectedAt is known.',
    details: 'Over incidents of the range with a detectedAt; in hours.',
  },
  {
    id: 'time-to-resolve',
    name: 'Time to resolve (MTTR)',
    definition:
      'Time to resolve (MTTR): resolvedAt - openedAt over resolved incidents, reported as count, ' +
      'mean, median and p90, in wall-clock hours; a business-hours variant uses the SLA calendar.',
    details:
      'Resolved incidents are those with a resolvedAt (resolved, closed or reviewed; ' +
      'a reopened incident counts again once resolved again, with its latest resolvedAt). ' +
      'Median and p90 are nearest-rank percentiles (the value of rank ceil(p x n), like percentile_disc). ' +
      'From pre-aggregated cells they come from log histograms with bins 2 % wide, reported at the bin centre: ' +
      'within 1 % of the exact value (relativeError says which applies).',
  },
  {
    id: 'time-to-resolve-business',
    name: 'Time to resolve in business hours',
    definition:
      'Time to resolve (MTTR): resolvedAt - openedAt over resolved incidents, reported as count, ' +
      'mean, median and p90, in wall-clock hours; a business-hours variant uses the SLA calendar.',
    details:
      'Business time between openedAt and resolvedAt by the calendar of the SLA policy version the incident ' +
      "runs under (working hours in the calendar's zone, holidays excluded, DST-aware), without the SLA pause rules. " +
      'Incidents without a policy version are left out. Percentiles as for time to resolve.',
  },
  {
    id: 'mtbf',
    name: 'MTBF per service',
    definition:
      'MTBF per service: mean of the gap between the resolution of one incident on a service and the detection of the next one on it.',
    details:
      "A service's incidents are ordered by detection (detectedAt, or openedAt when unknown; " +
      'then openedAt, then id). Each incident whose predecessor on the service is resolved has a gap: ' +
      "its detection minus the predecessor's resolvedAt, 0 when they overlap. A gap belongs to the later incident, " +
      'so the range and filters select the later one; the predecessor may lie outside the range.',
  },
  {
    id: 'sla-compliance',
    name: 'SLA compliance',
    definition:
      'SLA compliance: per target (response, resolution), met / (met + breached) ' +
      'among incidents with a verdict; imported incidents keep the verdict their source recorded.',
    details:
      "A clock's verdict is the one stored with it (MET or BREACHED once stopped or breached); " +
      'a clock still running past its due time counts as BREACHED when the query runs; ' +
      "running clocks within their target have no verdict yet. For resolution, an incident's recorded (imported) " +
      "verdict replaces its clock's. total = met + breached; ratio is null when total is 0.",
  },
  {
    id: 'recurrence-rate',
    name: 'Recurrence rate',
    definition:
      'Recurrence: an incident recurs when its problem already had an earlier incident. ' +
      "Recurrence rate = recurring incidents / incidents; problems with two or more incidents, ranked; recurrences since a problem's fix.",
    details: "Earlier means opened before it (ties by id), among all the problem's incidents, whether or not they fall in the range.",
  },
  {
    id: 'recurring-problems',
    name: 'Problems ranked by incidents',
    definition:
      'Recurrence: an incident recurs when its problem already had an earlier incident. ' +
      "Recurrence rate = recurring incidents / incidents; problems with two or more incidents, ranked; recurrences since a problem's fix.",
    details:
      'Problems with two or more incidents in the range and filters, by that count (descending; ties by problem id). ' +
      "recurrencesSinceFix counts all of the problem's incidents opened after its resolvedAt (null while unresolved); " +
      'recurrencesSinceActionsDone those opened after the last of its action items was done (null until one is).',
  },
  {
    id: 'reopen-rate',
    name: 'Reopen rate',
    definition: 'Reopen rate: incidents reopened at least once / resolved incidents.',
    details:
      'Numerator: incidents of the range with a reopen count above 0 (whatever their status now); ' +
      'denominator: incidents of the range with a resolvedAt.',
  },
  {
    id: 'knowledge-reuse',
    name: 'Knowledge reuse',
    definition:
      'Knowledge reuse: resolved incidents whose resolution applied a workaround or incident model / resolved ' +
      'incidents; per workaround and per model, time to resolve with it against the same category without it.',
    details:
      'Reuse: a resolved incident whose resolution names the workaround that restored service, ' +
      'or that had an incident model applied. Per category: mean time to resolve of reused against not reused resolved ' +
      "incidents of the category. Per workaround / model: its incidents' mean against the mean of resolved " +
      'incidents without any reuse in the same (sub)categories, weighted by its incidents per category.',
  },
  {
    id: 'review-coverage',
    name: 'Review coverage',
    definition:
      'Review coverage: major or priority 1-2 incidents with a published review / such incidents; action items done on time, overdue.',
    details:
      'Eligible: incidents of the range flagged major or of priority 1 or 2 now. ' +
      'Reviewed: covered by at least one review in status PUBLISHED.',
  },
  {
    id: 'action-items',
    name: 'Action items on time',
    definition:
      'Review coverage: major or priority 1-2 incidents with a published review / such incidents; action items done on time, overdue.',
    details:
      'Action items of reviews that cover at least one incident of the range and filters, counted live. ' +
      'Done on time: done on or before the due date (the done date in the chosen time zone); ' +
      'overdue: open or in progress past the due date (today in the chosen time zone).',
  },
  {
    id: 'cost',
    name: 'Cost',
    definition: 'Cost: sum of time entries x rate, per service, category and month.',
    details:
      'Minutes x hourly rate / 60 over all time entries of the incidents of the range (any time they were logged), ' +
      "in cents; months are those of the incidents' openedAt in the chosen time zone. " +
      'Amounts are in the currency of the rates (EUR: the organisation has no currency setting yet).',
  },
  {
    id: 'person-hours',
    name: 'Person-hours on incidents',
    definition:
      'Person-hours spent on incidents per person and team: time entries, plus time holding an incident while ' +
      'acknowledged and not on hold.',
    details:
      `${SCOPE} Holding: a person holds an incident while they are its assignee, it has been acknowledged, and its status is new, ` +
      'triaged or investigating (not on hold, resolved, closed or reviewed); it starts at acknowledgement or assignment, ' +
      'whichever is later, ends at reassignment, a hold or resolution, resumes on reopen, and an interval still open counts up to ' +
      'the query time. Time entries count from performedAt for their minutes. Per person and incident the load is the larger of ' +
      'logged and held time (the two describe the same work, so they are not added). A team is the person’s home team now ' +
      '(no team: "(none)"). Hours, whole incidents lifetime, whatever the dates of the work.',
  },
  {
    id: 'outside-hours-share',
    name: 'Share outside working hours',
    definition: "The share of person-hours outside working hours by each person's calendar.",
    details:
      'Outside hours / person-hours, per person, team and in total. For each person and incident, the outside part of the larger ' +
      'side (logged or held). Working hours: the person’s own working calendar (in their time zone when one is set), else their ' +
      'team’s calendar, else the calendar of the default SLA policy, else around the clock (nothing is outside). Holidays of ' +
      'the calendar count as outside.',
  },
  {
    id: 'incidents-per-on-duty',
    name: 'Incidents per on-duty person',
    definition: 'Incidents per on-duty person: incidents of the range / people on duty.',
    details:
      'There is no on-call roster: on duty in a bucket means having load (held or logged time) on at least one incident opened ' +
      'in that bucket. Per bucket and for the range: incidents opened / such people; null with nobody on duty.',
  },
  {
    id: 'load-concentration',
    name: 'Load concentration',
    definition: 'Concentration: how much of the load falls on the top 10 % of responders.',
    details:
      'Top share: the person-hours of the ceil(10 %) people with the most person-hours / all person-hours, among people with ' +
      'load. Gini coefficient of person-hours over the same people: 0 when everyone carries the same, (n - 1) / n when one ' +
      'person carries everything.',
  },
  {
    id: 'follow-through',
    name: 'Review follow-through',
    definition:
      'Review follow-through: action items across all reviews by owner and team, overdue, done on time, and recurrences after done.',
    details:
      'Action items of reviews that cover at least one incident of the range and filters (any review status), counted live, ' +
      'per owner and the owner’s home team. Open: open or in progress; overdue: open past the due date (today in the chosen ' +
      'time zone); done on time: done on or before the due date (local done date); done late: after it; won’t do: closed ' +
      'without doing. Recurrences after done: per done item, incidents of its problem (the item’s, else its review’s) opened ' +
      'after the item was done, over all time, as of the query.',
  },
  {
    id: 'knowledge-effectiveness',
    name: 'Knowledge effectiveness',
    definition:
      'Knowledge effectiveness: per workaround, known error and incident model, the share of "helped" votes and the share of ' +
      'incidents it was applied to that resolved without reopening, each with a Wilson 95 % interval and its sample size, and ' +
      'the median time to resolve with it against the same categories without it.',
    details:
      'Votes: one per person, item and incident (the latest counts). Outcomes: per incident it was applied to (first application), ' +
      'held = resolved after it and never reopened after it; reopened or resolved before it = did not hold; still open = in flight, ' +
      'counted on neither side. Known errors count as applied to incidents linked to the problem opened after it became a known ' +
      'error. Time to resolve: resolvedAt - openedAt in minutes of resolved incidents it was applied to, against resolved incidents ' +
      'of those incidents\' categories it was not applied to. Below 5 in a sample a figure is "not enough data"; an item works ' +
      'poorly when a share has at least 5 and its upper bound is below 50 %. All time, not limited to the range.',
  },
  {
    id: 'knowledge-stale',
    name: 'Stale knowledge',
    definition:
      'Stale knowledge: a published item (or one in review or needing review) whose review-by date passed, whose service or ' +
      'category changed since its last review, or an incident it was applied to reopened since its last review.',
    details:
      'Review-by defaults: workaround 180 days, known error 365 days, incident model 180 days from publication or review. ' +
      'A workaround takes the service and category of the problem it was first linked to, a model those its current version ' +
      'matches; a first service (none recorded before) is not a change. Marking it reviewed clears every reason. Knowledge health ' +
      'lists stale items, reviews due within 30 days, items in review for over 14 days and items working poorly.',
  },
  {
    id: 'search-top-queries',
    name: 'Top search queries',
    definition: 'Top queries: the most searched catalog queries, with their zero-hit share, click-through and MRR.',
    details:
      `${SEARCH_SCOPE} Per normalised query: searches; zero-hit share = searches that found nothing / searches; ` +
      'click-through = searches with at least one hit opened / searches; MRR as in search-mrr. Most searched first, ties by query.',
  },
  {
    id: 'search-content-gaps',
    name: 'Content gaps',
    definition: 'Content gaps: queries with zero results, or with results but no hit opened.',
    details:
      `${SEARCH_SCOPE} ZERO_RESULTS: every search of the query in the range found nothing. NO_CLICK: at least one found hits and ` +
      'no hit was opened from any. Most searched first, ties by query.',
  },
  {
    id: 'search-mrr',
    name: 'Mean reciprocal rank of the opened hit',
    definition: 'MRR: mean over searches of 1 / position of the first opened hit, 0 when none was opened.',
    details:
      `${SEARCH_SCOPE} The first opened hit is the first in time (a tie goes to the higher hit); positions count from 1 across ` +
      'pages. A search belongs to the UTC day, week (from Monday) or month it was made in, whenever its hit was opened.',
  },
  {
    id: 'search-resolved-with-it',
    name: 'Resolved with a search hit',
    definition: 'Resolved with it: hits opened from a search made for an incident, whose incident was then resolved with that hit.',
    details:
      `${SEARCH_SCOPE} Counted per open made from an incident's suggestions (the search carries the incident): resolved with it ` +
      'when the incident was resolved at or after the open and the opened record is the workaround that restored service, ' +
      'an incident model applied to it, or the problem (known error) it is linked to. Raw searches only: ' +
      'not beyond SEARCH_LOG_RETENTION_DAYS.',
  },
  {
    id: 'search-preceded-known-error',
    name: 'Searches that preceded a known error',
    definition:
      'Preceded a known error: for each problem that became a known error in the range, the unanswered searches of the 30 days ' +
      "before whose terms all appear in the known error's text.",
    details:
      'Problems whose known-error time falls in the range (UTC days). Unanswered: the search found nothing or no hit was opened. ' +
      "Terms: the query's words (runs of letters and digits, lower case), each a word of the title, description or root cause. " +
      'Raw searches only: not beyond SEARCH_LOG_RETENTION_DAYS.',
  },
];

/** ISO 4217 code of every rate and cost: the documented default until an organisation setting exists. */
export const COST_CURRENCY = 'EUR';

export function metricDefinition(id: string): MetricDefinition {
  const d = METRIC_DEFINITIONS.find((m) => m.id === id);
  if (!d) throw new Error(`Unknown metric ${id}`);
  return d;
}
