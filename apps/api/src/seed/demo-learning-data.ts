/** Vocabulary of the demo's learning loop (issue 27): calendars, knowledge owners and reviews, feedback, searches. */
import type { ProblemStory } from './demo-data';

type Day = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
const WEEKDAYS: Day[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const hours = (days: Day[], start: string, end: string) => days.map((day) => ({ day, start, end }));

/** Working calendars of the workload's outside-hours share; `office` is the seed's Berlin office calendar. */
export const WORK_CALENDARS = [
  { key: 'desk', name: 'Service desk hours', timeZone: 'Europe/Berlin', weeklyHours: hours(WEEKDAYS, '07:00', '20:00') },
  { key: 'core', name: 'Engineering core hours', timeZone: 'Europe/Berlin', weeklyHours: hours(WEEKDAYS, '09:00', '17:30') },
  { key: 'london', name: 'London office hours', timeZone: 'Europe/London', weeklyHours: hours(WEEKDAYS, '09:00', '17:30') },
  {
    key: 'part-time',
    name: 'Part time, Monday to Thursday',
    timeZone: 'Europe/London',
    weeklyHours: hours(WEEKDAYS.slice(0, 4), '09:00', '15:00'),
  },
] as const;

export const TEAM_CALENDARS: Record<string, string> = {
  'Service Desk': 'desk',
  'Platform SRE': 'core',
  'Payments Engineering': 'core',
  'Identity & Access': 'core',
  'Data Engineering': 'london',
  'Workplace IT': 'office',
};

/** People with hours of their own: Mei works the core hours from Singapore, Kwame part time. */
export const PERSON_CALENDARS: { name: string; calendar: string; timeZone?: string }[] = [
  { name: 'Mei Chen', calendar: 'core', timeZone: 'Asia/Singapore' },
  { name: 'Kwame Mensah', calendar: 'part-time' },
];

/** A known error found only weeks ago: what searches for it before then were looking for (search-preceded-known-error). */
export const NEW_KNOWN_ERROR: ProblemStory & { createdDaysAgo: number; knownErrorDaysAgo: number; owner: string } = {
  story: 'New starters missing group permissions',
  title: 'HR sync skips default groups for new department codes',
  description:
    'New starters in departments created this quarter get no default groups: no Jira, no Confluence, no shared drives on day one.',
  rootCauseCategory: 'CONFIGURATION',
  rootCause:
    'The group mapping of the HR sync is keyed by department code and has no entry for codes added since the reorganisation, so ' +
    'those accounts are created without any default group.',
  keywords: ['new starter', 'default groups', 'department code'],
  status: 'KNOWN_ERROR',
  statusAfterDays: 0,
  createdDaysAgo: 24,
  knownErrorDaysAgo: 8,
  owner: 'Sara Lindqvist',
};

/**
 * Owners and the review history of the knowledge items, by the problem story they belong to. Days
 * are after the seeded year's start; a review sets the next review-by date the kind's default later.
 */
export const KNOWLEDGE_HISTORY: {
  story: string;
  workaround?: { owner: string; reviewedOn?: number };
  knownError?: { owner: string; reviewedOn?: number };
  model?: { owner: string; reviewedOn?: number };
}[] = [
  // Reviewed at the half-year: due again within the coming weeks.
  {
    story: 'Checkout returns HTTP 502 for card payments',
    workaround: { owner: 'Diego Alvarez', reviewedOn: 190 },
    knownError: { owner: 'Mei Chen' },
    model: { owner: 'Diego Alvarez', reviewedOn: 192 },
  },
  {
    story: 'Nightly ETL job orders_daily failed',
    workaround: { owner: 'Elena Rossi', reviewedOn: 300 },
    knownError: { owner: 'Elena Rossi', reviewedOn: 330 },
    model: { owner: 'Kwame Mensah', reviewedOn: 300 },
  },
  // Reviewed, but its problem has since been reclassified (category changed).
  {
    story: 'VPN drops every 10 minutes for remote staff',
    workaround: { owner: 'Noah Williams', reviewedOn: 200 },
    knownError: { owner: 'Aiko Tanaka' },
    model: { owner: 'Noah Williams' },
  },
  // Never reviewed since it was written: review date passed; its problem moved to another service.
  { story: 'Disk full on db-replica-03', workaround: { owner: 'Hannah Schmidt' } },
  { story: 'Search API p99 latency above 2 s', workaround: { owner: 'Lucas Moreau' } },
];

/** The draft workaround sent for review and left waiting there (in review too long). */
export const IN_REVIEW_DAYS_AGO = 21;

/** Problems reclassified late in the year (what makes their knowledge stale): days before the end. */
export const RECLASSIFIED = [
  {
    story: 'VPN drops every 10 minutes for remote staff',
    daysAgo: 20,
    category: 'Software/Application error',
    note: 'Vendor confirmed a firmware defect: a software fault, not the network.',
  },
  { story: 'Disk full on db-replica-03', daysAgo: 35, service: 'Data Warehouse', team: 'Data Engineering' },
];

/** Reasons people give when a workaround or model did not help. */
export const NOT_HELPFUL = {
  reopened: ['The fault came back a few hours later.', 'Worked for an hour, then the same symptom again.'],
  notRestored: ['Did not restore service; we needed the permanent fix.', 'Steps ran fine but the errors went on.'],
  model: ['The checklist points at the old dashboard.', 'Did not match this failure: different root cause.'],
};
export const HELPFUL_REASONS = ['Errors stopped within minutes.', 'Clear steps, worked first time.', null, null, null];

/**
 * What engineers type when an incident of a story is in front of them (the first is the usual one),
 * and how often they open a hit of it.
 */
export const STORY_QUERIES: Record<string, { queries: string[]; open: number }> = {
  'Checkout returns HTTP 502 for card payments': { queries: ['checkout 502', 'payments-api 502', 'connection pool'], open: 0.85 },
  'Payment authorisations timing out at the card processor': { queries: ['authorisation timeout', 'pending auth'], open: 0.6 },
  'Duplicate charges after payment retry': { queries: ['duplicate charge', 'idempotency'], open: 0.6 },
  'Checkout page slow to load (LCP above 6 s)': { queries: ['checkout slow', 'cdn cache'], open: 0.5 },
  'Promo code field rejects valid codes': { queries: ['promo code'], open: 0.6 },
  'SSO login loop after password reset': { queries: ['login loop', 'saml clock skew'], open: 0.75 },
  'MFA push notifications not delivered': { queries: ['mfa push'], open: 0.5 },
  'New starters missing group permissions': { queries: ['new starter groups', 'missing groups jira'], open: 0 },
  'Pods in CrashLoopBackOff after node pool upgrade': { queries: ['crashloopbackoff', 'oomkilled'], open: 0.7 },
  'Disk full on db-replica-03': { queries: ['disk full replica', 'no space left on device'], open: 0.7 },
  'TLS certificate expired on api.example.com': { queries: ['certificate expired'], open: 0.6 },
  'Intermittent DNS resolution failures inside the cluster': { queries: ['eai_again', 'coredns'], open: 0.6 },
  'Nightly ETL job orders_daily failed': { queries: ['snapshot too old', 'orders_daily failed'], open: 0.85 },
  'Revenue report shows duplicated rows': { queries: ['revenue duplicated rows'], open: 0.5 },
  'Outlook users cannot send mail: 550 5.7.1 relay denied': { queries: ['relay denied', '5.7.1'], open: 0.6 },
  'Phishing email reported by several staff': { queries: ['phishing'], open: 0.5 },
  'VPN drops every 10 minutes for remote staff': { queries: ['vpn disconnect', 'vpn drops'], open: 0.8 },
  'VPN client fails to install on macOS update': { queries: ['vpn macos'], open: 0.4 },
  'Search results empty for some queries': { queries: ['accented characters'], open: 0.5 },
  'Search API p99 latency above 2 s': { queries: ['search latency'], open: 0.5 },
  'User reports laptop cannot reach intranet': { queries: ['intranet'], open: 0.3 },
};

/** Searches made outside any incident: vague words nobody opens, and what the catalog has nothing on. */
export const BACKGROUND_QUERIES: { query: string; weight: number; open: number }[] = [
  { query: 'slow', weight: 4, open: 0 },
  { query: 'error', weight: 3, open: 0 },
  { query: 'printer offline', weight: 4, open: 0 },
  { query: 'badge reader', weight: 2, open: 0 },
  { query: 'teams call quality', weight: 3, open: 0 },
  { query: 'laptop battery', weight: 2, open: 0 },
  { query: 'checkout 502', weight: 3, open: 0.7 },
  { query: 'snapshot too old', weight: 2, open: 0.8 },
  { query: 'vpn disconnect', weight: 3, open: 0.7 },
  { query: 'login loop', weight: 2, open: 0.6 },
  { query: 'certificate expired', weight: 2, open: 0.5 },
];

/** Before the new known error: people searched for its symptom and found nothing useful (no open). */
export const PRECURSOR_QUERIES = ['new starter groups', 'department code groups', 'missing groups jira', 'default groups'];
