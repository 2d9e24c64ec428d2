import { expect } from 'vitest';
import { uniq } from './uniq';
import type { TestApp } from './test-app';
import { ok } from './test-app';

/**
 * Helpers for the SLA tests: incidents built in the past through the public API, clocks
 * read back over GraphQL, calendars and policies, and a snapshot of every SLA-related row.
 */

export const MIN = 60_000;

export { uniq } from './uniq';

/** Now minus `minutes`, on a whole minute, so offsets from it are exact. */
export function minutesAgo(minutes: number): Date {
  return new Date(Math.floor(Date.now() / MIN) * MIN - minutes * MIN);
}

export const plus = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MIN);
export const iso = (d: Date) => d.toISOString();

/** impact x urgency giving each priority under the default matrix. */
export const IMPACT_URGENCY: Record<number, { impact: number; urgency: number }> = {
  1: { impact: 1, urgency: 1 },
  2: { impact: 1, urgency: 2 },
  3: { impact: 2, urgency: 2 },
  4: { impact: 2, urgency: 3 },
  5: { impact: 3, urgency: 3 },
};

/** The default policy of the SLA migration ('Standard 24x7'), in minutes. */
export const DEFAULT_TARGETS: Record<number, { response: number; resolution: number }> = {
  1: { response: 15, resolution: 240 },
  2: { response: 30, resolution: 480 },
  3: { response: 120, resolution: 1440 },
  4: { response: 480, resolution: 4320 },
  5: { response: 1440, resolution: 10080 },
};
export const DEFAULT_POLICY_NAME = 'Standard 24x7';

export const CLOCK_FIELDS = `target policyVersionId policyName policyVersion priority targetMinutes state elapsedMinutes remainingMinutes
  percentConsumed warningLevel dueAt breachedAt stoppedAt verdict segments { state holdReason from to }`;

export interface Segment {
  state: 'RUNNING' | 'PAUSED';
  holdReason: string | null;
  from: string;
  to: string | null;
}
export interface Clock {
  target: 'RESPONSE' | 'RESOLUTION';
  policyVersionId: string;
  policyName: string;
  policyVersion: number;
  priority: number;
  targetMinutes: number;
  state: 'NOT_STARTED' | 'RUNNING' | 'PAUSED' | 'STOPPED';
  elapsedMinutes: number;
  remainingMinutes: number;
  percentConsumed: number;
  warningLevel: number;
  dueAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  verdict: 'MET' | 'BREACHED' | 'PENDING';
  segments: Segment[];
}
export interface SlaIncident {
  id: string;
  number: string;
  status: string;
  priority: number;
  openedAt: string;
  slaClocks: Clock[];
}

const INCIDENT = `id number status priority openedAt slaClocks { ${CLOCK_FIELDS} }`;

/** Runs a call that must succeed and returns its single root field. */
export async function call<T = unknown>(t: TestApp, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return Object.values(ok(await t.gql<Record<string, T>>(query, variables)))[0]!;
}

/** Logs an incident of priority `priority` (default matrix) opened at `openedAt`. */
export async function openIncident(
  t: TestApp,
  openedAt: Date,
  priority: number,
  extra: Record<string, unknown> = {},
): Promise<SlaIncident> {
  const input = { title: uniq('SLA test incident'), source: 'MONITORING', openedAt: iso(openedAt), ...IMPACT_URGENCY[priority], ...extra };
  const inc = await call<SlaIncident>(t, `mutation($input: LogIncidentInput!) { logIncident(input: $input) { ${INCIDENT} } }`, { input });
  expect(inc.priority).toBe(priority);
  return inc;
}

export async function acknowledge(t: TestApp, id: string, at: Date): Promise<SlaIncident> {
  return call(t, `mutation($id: ID!, $at: DateTime) { acknowledgeIncident(id: $id, occurredAt: $at) { ${INCIDENT} } }`, {
    id,
    at: iso(at),
  });
}

export const RESOLVE = { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'RESTART', resolutionNotes: 'Restarted the pod' };

/** transitionIncident with occurredAt. */
export async function move(t: TestApp, id: string, at: Date, input: Record<string, unknown>): Promise<SlaIncident> {
  return call(t, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { ${INCIDENT} } }`, {
    id,
    input: { ...input, occurredAt: iso(at) },
  });
}

export async function classify(t: TestApp, id: string, input: Record<string, unknown>): Promise<SlaIncident> {
  return call(t, `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { ${INCIDENT} } }`, {
    id,
    input,
  });
}

export async function getIncident(t: TestApp, id: string): Promise<SlaIncident> {
  return call(t, `query($id: ID!) { incident(id: $id) { ${INCIDENT} } }`, { id });
}

/** The incident's two clocks by target; fails unless it has exactly RESPONSE and RESOLUTION. */
export function clocksOf(inc: SlaIncident): { RESPONSE: Clock; RESOLUTION: Clock } {
  expect(inc.slaClocks.map((c) => c.target).sort(), `clocks of ${inc.number}`).toEqual(['RESOLUTION', 'RESPONSE']);
  return {
    RESPONSE: inc.slaClocks.find((c) => c.target === 'RESPONSE')!,
    RESOLUTION: inc.slaClocks.find((c) => c.target === 'RESOLUTION')!,
  };
}

export async function clocks(t: TestApp, id: string) {
  return clocksOf(await getIncident(t, id));
}

export const seg = (state: Segment['state'], from: Date, to: Date | null, holdReason: string | null = null): Segment => ({
  state,
  holdReason,
  from: iso(from),
  to: to ? iso(to) : null,
});

/** Targets for priorities 1..5: [response, resolution] minutes each. */
export function targets(t: Record<number, [number, number]>) {
  return Object.entries(t).map(([p, [responseMinutes, resolutionMinutes]]) => ({
    priority: Number(p),
    responseMinutes,
    resolutionMinutes,
  }));
}

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export const officeHours = (start = '09:00', end = '17:00', days: readonly string[] = WEEKDAYS.slice(0, 5)) =>
  days.map((day) => ({ day, start, end }));

const CALENDAR = `id name timeZone weeklyHours { day start end } holidays { date name }`;
/** CALENDAR. */
export interface Calendar {
  id: string;
  name: string;
  timeZone: string;
  weeklyHours: { day: string; start: string; end: string }[];
  holidays: { date: string; name: string }[];
}

export async function createCalendar(t: TestApp, input: Record<string, unknown>) {
  return call<Calendar>(t, `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { ${CALENDAR} } }`, {
    input: { name: uniq('Calendar'), ...input },
  });
}

export const POLICY = `id name isDefault currentVersion current { id version note timeZone pauseHoldReasons targets { priority
  responseMinutes resolutionMinutes } calendar { id } }
  versions { id version note }`;
export interface Policy {
  id: string;
  name: string;
  isDefault: boolean;
  currentVersion: number;
  current: {
    id: string;
    version: number;
    note: string | null;
    timeZone: string;
    pauseHoldReasons: string[];
    targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[];
    calendar: { id: string } | null;
  };
  versions: { id: string; version: number; note: string | null }[];
}

export async function createPolicy(t: TestApp, input: Record<string, unknown>): Promise<Policy> {
  return call(t, `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { ${POLICY} } }`, {
    input: { name: uniq('Policy'), pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'], ...input },
  });
}

export async function updatePolicy(t: TestApp, id: string, input: Record<string, unknown>): Promise<Policy> {
  return call(t, `mutation($id: ID!, $input: UpdateSlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { ${POLICY} } }`, {
    id,
    input,
  });
}

export async function policies(t: TestApp): Promise<Policy[]> {
  return call(t, `{ slaPolicies { ${POLICY} } }`);
}

export async function setServicePolicy(t: TestApp, serviceId: string, policyId: string | null) {
  return call<{ id: string; slaPolicy: { id: string } | null }>(
    t,
    `mutation($s: ID!, $p: ID) { setServiceSlaPolicy(serviceId: $s, policyId: $p) { id slaPolicy { id } } }`,
    { s: serviceId, p: policyId },
  );
}

export async function recompute(t: TestApp, incidentIds: string[], useLatestPolicyVersion: boolean) {
  return call<{ recomputed: number; verdictsChanged: number }>(
    t,
    `mutation($input: RecomputeSlaInput!) { recomputeSlaClocks(input: $input) { recomputed verdictsChanged } }`,
    { input: { incidentIds, useLatestPolicyVersion } },
  );
}

/** The 24x7 calendar of the SLA migration. */
export async function calendar24x7(t: TestApp): Promise<string> {
  const cals = await call<{ id: string; name: string }[]>(t, `{ businessCalendars { id name } }`);
  const c = cals.find((x) => x.name === '24x7');
  expect(c, 'the migration creates a 24x7 calendar').toBeDefined();
  return c!.id;
}

/**
 * A UTC instant from a wall-clock time in a zone ('2025-01-10T16:00'), through Intl only. Exact
 * except inside a DST gap/overlap, which the tests avoid.
 */
export function zoned(local: string, timeZone: string): Date {
  const asUtc = Date.parse(`${local}:00Z`);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - ms;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}

/** Every row that SLA management writes, hashed per table, for "nothing half-saved" checks. */
export async function slaSnapshot(t: TestApp) {
  const q = (sel: string, from: string) =>
    `(select count(*)::int from ${from}) as "${from}_count", (select md5(coalesce(string_agg(${sel}, '|' order by ${sel}), '')) from
      ${from} x) as "${from}_hash"`;
  const [row] = await t.sql(
    `select ${[
      q('x::text', 'business_calendars'),
      q('x::text', 'sla_policies'),
      q('x::text', 'sla_policy_versions'),
      q('x::text', 'sla_clocks'),
      q(`x.id::text || ':' || coalesce(x.sla_policy_id::text, '-')`, 'services'),
      q(`x.id::text || ':' || coalesce(x.sla_policy_version_id::text, '-') || ':' || x.version::text`, 'incidents'),
    ].join(', ')},
     (select count(*)::int from services where sla_policy_id is not null) as services_with_policy`,
  );
  return row as Record<string, string | number>;
}
