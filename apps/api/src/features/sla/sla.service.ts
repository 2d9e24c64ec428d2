import {
  applyPauseReasons,
  checkTimeZoneName,
  compileCalendar,
  evaluateClock,
  validateCalendarDefinition,
  validateSlaPolicy,
  type CalendarDefinition,
  type InputIssue,
  type Priority,
  type SlaPolicy,
  type SlaTarget,
  type Weekday,
  type WorkingHours,
} from '@ikb/domain';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { Service } from '../directory/service.entity';
import { Incident } from '../incidents/incident.entity';
import { BusinessCalendarRecord, type Holiday } from './business-calendar.entity';
import { SlaClockRecord } from './sla-clock.entity';
import { fromStored, recomputeClocks } from './sla.engine';
import type { BusinessCalendarInput, CreateSlaPolicyInput, SlaPolicyTermsInput, UpdateSlaPolicyInput } from './sla.inputs';
import { SlaPolicyRecord, SlaPolicyVersion } from './sla-policy.entity';
import { assertAssignable } from './sla-retire.service';
import type { SlaWhatIfResult, SlaWhatIfRow } from './sla.types';

function refuse(issues: InputIssue[], prefix: string): never {
  const first = issues[0];
  const field = first?.path ? `${prefix}.${first.path}` : prefix;
  throw new AppError(
    'BAD_USER_INPUT',
    issues.map((i) => `${fieldMessage(i.path ? `${prefix}.${i.path}` : prefix, i.message)}.`).join(' '),
    {
      field,
      fields: issues.map((i) => ({ field: i.path ? `${prefix}.${i.path}` : prefix, messages: [i.message] })),
    },
  );
}

export function calendarDefinition(input: {
  timeZone: string;
  weeklyHours: { day: Weekday; start: string; end: string }[];
  holidays: Holiday[];
}): CalendarDefinition {
  const weeklyHours: Partial<Record<Weekday, WorkingHours[]>> = {};
  for (const h of input.weeklyHours) (weeklyHours[h.day] ??= []).push({ start: h.start, end: h.end });
  return { timeZone: input.timeZone, weeklyHours, holidays: input.holidays.map((h) => h.date) };
}

const recordDefinition = (c: BusinessCalendarRecord): CalendarDefinition => ({
  timeZone: c.timeZone,
  weeklyHours: c.weeklyHours,
  holidays: c.holidays.map((h) => h.date),
});

/**
 * The domain names an interval by its place among that day's intervals (weeklyHours.MON[1]); a client
 * sent one flat list, so point at the entry of that list (weeklyHours[2]).
 */
function toInputPath(path: string, list?: { day: Weekday }[]): string {
  const m = /^weeklyHours\.([A-Z]{3})\[(\d+)\]$/.exec(path);
  if (!m || !list) return path;
  let seen = -1;
  const index = list.findIndex((h) => h.day === m[1] && ++seen === Number(m[2]));
  return index >= 0 ? `weeklyHours[${index}]` : path;
}

function checkCalendar(def: CalendarDefinition, list?: { day: Weekday }[]): CalendarDefinition {
  const checked = validateCalendarDefinition(def);
  if (!checked.ok)
    refuse(
      checked.issues.map((i) => ({ ...i, path: toInputPath(i.path, list) })),
      'input',
    );
  return checked.value;
}

/**
 * A calendar an admin enters: its zone must be one the picker offers (stricter than what stored
 * calendars are compiled with, so calendars saved before the picker still work).
 */
function checkEnteredCalendar(def: CalendarDefinition, list: { day: Weekday }[]): CalendarDefinition {
  const zone = checkTimeZoneName(def.timeZone);
  const checked = validateCalendarDefinition(def);
  const issues = checked.ok ? [] : checked.issues.filter((i) => i.path !== 'timeZone');
  if (!zone.ok) issues.unshift({ path: 'timeZone', message: zone.message });
  if (issues.length || !checked.ok)
    refuse(
      issues.map((i) => ({ ...i, path: toInputPath(i.path, list) })),
      'input',
    );
  return checked.value;
}

function checkTerms(input: SlaPolicyTermsInput): SlaPolicy {
  const targets: Record<number, { responseMinutes: number; resolutionMinutes: number }> = {};
  for (const t of input.targets) {
    if (targets[t.priority]) throw badInput('input.targets', `priority ${t.priority} is given twice`);
    targets[t.priority] = { responseMinutes: t.responseMinutes, resolutionMinutes: t.resolutionMinutes };
  }
  for (const p of [1, 2, 3, 4, 5]) if (!targets[p]) throw badInput('input.targets', `priority ${p} has no targets; give all of 1..5`);
  const checked = validateSlaPolicy({ targets, pauseHoldReasons: input.pauseHoldReasons });
  if (!checked.ok) refuse(checked.issues, 'input');
  return checked.value;
}

function uniqueName<T>(what: string) {
  return (err: unknown): T => {
    if (err instanceof UniqueConstraintViolationException)
      throw new AppError('CONFLICT', `name: a ${what} with this name already exists`, { field: 'name' });
    throw err;
  };
}

export class SlaService {
  constructor(private readonly em: EntityManager) {}

  async createCalendar(input: BusinessCalendarInput): Promise<BusinessCalendarRecord> {
    const def = checkEnteredCalendar(calendarDefinition(input), input.weeklyHours);
    const cal = this.em.create(BusinessCalendarRecord, {
      name: input.name.trim(),
      timeZone: def.timeZone,
      weeklyHours: def.weeklyHours as BusinessCalendarRecord['weeklyHours'],
      holidays: dedupe(input.holidays),
    } as BusinessCalendarRecord);
    await this.em.transactional(async (tem) => tem.persist(cal)).catch(uniqueName('calendar'));
    return cal;
  }

  /** Calendars feed policy versions: a changed calendar makes a new version of every policy that uses it. */
  async updateCalendar(id: string, input: BusinessCalendarInput): Promise<BusinessCalendarRecord> {
    const def = checkEnteredCalendar(calendarDefinition(input), input.weeklyHours);
    return this.em
      .transactional(async (em) => {
        const cal = await this.loadCalendar(em, id);
        cal.name = input.name.trim();
        cal.timeZone = def.timeZone;
        cal.weeklyHours = def.weeklyHours as BusinessCalendarRecord['weeklyHours'];
        cal.holidays = dedupe(input.holidays);
        cal.updatedAt = new Date();
        await this.reversionPoliciesOf(em, cal, `Calendar "${cal.name}" changed`);
        return cal;
      })
      .catch(uniqueName('calendar'));
  }

  /** Stores holidays read from a file (holiday-import.service.ts chose them), in one transaction with the policy re-versions. */
  async importHolidays(
    id: string,
    holidays: Holiday[],
    mode: 'MERGE' | 'REPLACE',
  ): Promise<{ calendar: BusinessCalendarRecord; added: number }> {
    return this.em.transactional(async (em) => {
      const cal = await this.loadCalendar(em, id, 'calendarId');
      const before = new Set(mode === 'MERGE' ? cal.holidays.map((h) => h.date) : []);
      cal.holidays = dedupe([...(mode === 'MERGE' ? cal.holidays : []), ...holidays]);
      cal.updatedAt = new Date();
      checkCalendar(recordDefinition(cal));
      await this.reversionPoliciesOf(em, cal, `Holidays imported into "${cal.name}"`);
      return { calendar: cal, added: holidays.filter((h) => !before.has(h.date)).length };
    });
  }

  private async loadCalendar(em: EntityManager, id: string, field = 'id'): Promise<BusinessCalendarRecord> {
    assertUuid(field, id);
    const cal = await em.findOne(BusinessCalendarRecord, { id });
    if (!cal) throw notFound(field, 'calendar', id);
    return cal;
  }

  private async reversionPoliciesOf(em: EntityManager, cal: BusinessCalendarRecord, note: string) {
    const current = await em.execute<Record<string, unknown>[]>(
      `select v.* from sla_policy_versions v join sla_policies p on p.id = v.policy_id and p.current_version = v.version
        where v.calendar_id = ?`,
      [cal.id],
    );
    for (const row of current) {
      const v = em.map(SlaPolicyVersion, row);
      await this.addVersion(em, v.policyId, {
        calendarId: cal.id,
        calendar: recordDefinition(cal),
        targets: v.targets,
        pauseHoldReasons: v.pauseHoldReasons,
        note,
      });
    }
  }

  private async addVersion(
    em: EntityManager,
    policyId: string,
    v: {
      calendarId: string;
      calendar: CalendarDefinition;
      targets: SlaPolicyVersion['targets'];
      pauseHoldReasons: SlaPolicyVersion['pauseHoldReasons'];
      note: string | null;
    },
  ): Promise<SlaPolicyVersion> {
    const policy = await em.findOneOrFail(SlaPolicyRecord, { id: policyId });
    policy.currentVersion += 1;
    const version = em.create(SlaPolicyVersion, {
      policyId,
      version: policy.currentVersion,
      ...v,
      createdAt: new Date(),
    } as SlaPolicyVersion);
    em.persist(version);
    return version;
  }

  async createPolicy(input: CreateSlaPolicyInput): Promise<SlaPolicyRecord> {
    const terms = checkTerms(input);
    return this.em
      .transactional(async (em) => {
        const cal = await this.loadCalendar(em, input.calendarId).catch(() => {
          throw notFound('input.calendarId', 'calendar', input.calendarId);
        });
        if (input.isDefault) await em.nativeUpdate(SlaPolicyRecord, { isDefault: true }, { isDefault: false });
        const policy = em.create(SlaPolicyRecord, {
          name: input.name.trim(),
          isDefault: input.isDefault,
          currentVersion: 1,
        } as SlaPolicyRecord);
        em.persist(policy);
        em.persist(
          em.create(SlaPolicyVersion, {
            policyId: policy.id,
            version: 1,
            calendarId: cal.id,
            calendar: recordDefinition(cal),
            targets: terms.targets as SlaPolicyVersion['targets'],
            pauseHoldReasons: [...terms.pauseHoldReasons],
            note: 'Created',
          } as SlaPolicyVersion),
        );
        return policy;
      })
      .catch(uniqueName('policy'));
  }

  /** A new version; incidents already running keep theirs until recomputed with useLatestPolicyVersion. */
  async updatePolicy(id: string, input: UpdateSlaPolicyInput): Promise<SlaPolicyRecord> {
    assertUuid('id', id);
    const terms = checkTerms(input);
    return this.em.transactional(async (em) => {
      const policy = await em.findOne(SlaPolicyRecord, { id });
      if (!policy) throw notFound('id', 'SLA policy', id);
      if (policy.retiredAt)
        throw new AppError('BAD_USER_INPUT', `id: the SLA policy "${policy.name}" is retired; restore it before editing`, { field: 'id' });
      const cal = await this.loadCalendar(em, input.calendarId).catch(() => {
        throw notFound('input.calendarId', 'calendar', input.calendarId);
      });
      await this.addVersion(em, policy.id, {
        calendarId: cal.id,
        calendar: recordDefinition(cal),
        targets: terms.targets as SlaPolicyVersion['targets'],
        pauseHoldReasons: [...terms.pauseHoldReasons],
        note: input.note ?? null,
      });
      return policy;
    });
  }

  async makeDefault(id: string): Promise<SlaPolicyRecord> {
    assertUuid('id', id);
    return this.em.transactional(async (em) => {
      const policy = await em.findOne(SlaPolicyRecord, { id }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (!policy) throw notFound('id', 'SLA policy', id);
      assertAssignable(policy, 'id');
      await em.nativeUpdate(SlaPolicyRecord, { isDefault: true, id: { $ne: id } }, { isDefault: false });
      policy.isDefault = true;
      return policy;
    });
  }

  async setServicePolicy(serviceId: string, policyId: string | null): Promise<Service> {
    assertUuid('serviceId', serviceId);
    // null clears the override; anything else, "" included, must name a policy.
    if (policyId !== null && policyId !== undefined) assertUuid('policyId', policyId);
    return this.em.transactional(async (em) => {
      const service = await em.findOne(Service, { id: serviceId });
      if (!service) throw notFound('serviceId', 'service', serviceId);
      if (policyId) {
        // Shared lock: retiring takes the exclusive one, so the policy cannot retire under this change.
        const policy = await em.findOne(SlaPolicyRecord, { id: policyId }, { lockMode: LockMode.PESSIMISTIC_READ });
        if (!policy) throw notFound('policyId', 'SLA policy', policyId);
        if (policy.id !== service.slaPolicyId) assertAssignable(policy, 'policyId');
      }
      service.slaPolicyId = policyId;
      return service;
    });
  }

  async recompute(incidentIds: string[], latest: boolean, now = new Date()): Promise<{ recomputed: number; verdictsChanged: number }> {
    const ids = [...new Set(incidentIds)];
    if (!ids.length) throw badInput('input.incidentIds', 'name at least one incident');
    incidentIds.forEach((id, i) => assertUuid(`input.incidentIds.${i}`, id));
    return this.em.transactional(async (em) => {
      const incidents = await em.find(Incident, { id: { $in: ids } });
      if (incidents.length !== ids.length) {
        const found = new Set(incidents.map((i) => i.id));
        const missing = ids.find((id) => !found.has(id))!;
        throw notFound('incidentIds', 'incident', missing);
      }
      const before = await em.find(SlaClockRecord, { incidentId: { $in: ids } });
      const verdictBefore = new Map(before.map((c) => [`${c.incidentId}:${c.target}`, c.verdict]));
      for (const incident of incidents) await recomputeClocks(em, incident, now, { latest });
      const after = await em.execute<{ incident_id: string; target: string; verdict: string }[]>(
        `select incident_id, target, verdict from sla_clocks where incident_id in (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      const verdictsChanged = after.filter((r) => verdictBefore.get(`${r.incident_id}:${r.target}`) !== r.verdict).length;
      return { recomputed: incidents.length, verdictsChanged };
    });
  }

  /**
   * What each priority's compliance would have been under proposed terms, for incidents opened in
   * [from, to): the stored segments are re-evaluated (pause set re-applied) against the proposed
   * calendar and targets, as of now.
   */
  async whatIf(input: SlaPolicyTermsInput, from: Date, to: Date, now = new Date()): Promise<SlaWhatIfResult> {
    if (!(from < to)) throw badInput('to', 'must be after from');
    const terms = checkTerms(input);
    const calRecord = await this.loadCalendar(this.em, input.calendarId).catch(() => {
      throw notFound('input.calendarId', 'calendar', input.calendarId);
    });
    const cal = compileCalendar(recordDefinition(calRecord));
    const rows: Record<SlaTarget, Map<number, SlaWhatIfRow>> = { RESPONSE: new Map(), RESOLUTION: new Map() };
    const incidents = new Set<string>();
    const BATCH = 5000;
    let after: [Date, string, string] | null = null;
    for (;;) {
      const page: {
        incident_id: string;
        target: SlaTarget;
        priority: number;
        segments: Parameters<typeof fromStored>[0][];
        verdict: string;
        opened_at: Date;
      }[] = await this.em.execute(
        `select c.incident_id, c.target, c.priority, c.segments, c.verdict, i.opened_at from sla_clocks c join incidents i
          on i.id = c.incident_id
            where i.opened_at >= ? and i.opened_at < ? ${after ? 'and (i.opened_at, c.incident_id, c.target) > (?, ?, ?)' : ''}
            order by i.opened_at, c.incident_id, c.target limit ${BATCH}`,
        after ? [from, to, ...after] : [from, to],
      );
      for (const r of page) {
        incidents.add(r.incident_id);
        const segments = applyPauseReasons(r.segments.map(fromStored), terms.pauseHoldReasons);
        const target =
          r.target === 'RESPONSE'
            ? terms.targets[r.priority as Priority].responseMinutes
            : terms.targets[r.priority as Priority].resolutionMinutes;
        const ev = evaluateClock(cal, segments, target, now);
        const map = rows[r.target];
        const row = map.get(r.priority) ?? {
          priority: r.priority,
          incidents: 0,
          met: 0,
          breached: 0,
          pending: 0,
          ratio: null,
          currentMet: 0,
          currentBreached: 0,
          currentRatio: null,
        };
        map.set(r.priority, row);
        row.incidents += 1;
        if (ev.verdict === 'MET') row.met += 1;
        else if (ev.verdict === 'BREACHED') row.breached += 1;
        else row.pending += 1;
        if (r.verdict === 'MET') row.currentMet += 1;
        else if (r.verdict === 'BREACHED') row.currentBreached += 1;
      }
      if (page.length < BATCH) break;
      const last = page[page.length - 1]!;
      after = [last.opened_at, last.incident_id, last.target];
    }
    const finish = (m: Map<number, SlaWhatIfRow>) =>
      [1, 2, 3, 4, 5].map((p) => {
        const row = m.get(p) ?? {
          priority: p,
          incidents: 0,
          met: 0,
          breached: 0,
          pending: 0,
          ratio: null,
          currentMet: 0,
          currentBreached: 0,
          currentRatio: null,
        };
        row.ratio = row.met + row.breached ? row.met / (row.met + row.breached) : null;
        row.currentRatio = row.currentMet + row.currentBreached ? row.currentMet / (row.currentMet + row.currentBreached) : null;
        return row;
      });
    return { incidents: incidents.size, response: finish(rows.RESPONSE), resolution: finish(rows.RESOLUTION) };
  }
}

function dedupe(holidays: Holiday[]): Holiday[] {
  const map = new Map<string, Holiday>();
  for (const h of holidays) map.set(h.date, { date: h.date, name: h.name.trim() || 'Holiday' });
  return [...map.values()].sort((a, b) => a.date.localeCompare(b.date));
}
