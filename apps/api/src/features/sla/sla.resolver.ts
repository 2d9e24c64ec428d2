import { checkSlaTargets, evaluateClock, type Priority, type SlaTarget } from '@ikb/domain';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid } from '../../errors';
import type { Context } from '../../graphql/context';
import { Service } from '../directory/service.entity';
import { Incident } from '../incidents/incident.entity';
import { resolveMine } from '../incidents/incident-mine';
import { BusinessCalendarRecord } from './business-calendar.entity';
import { HoldReasonEnum } from '../incidents/incident.enums';
import { HolidayImportModeEnum, SlaTargetEnum } from './sla.enums';
import { compiledVersion, compileVersion, fromStored } from './sla.engine';
import { BusinessCalendarInput, CreateSlaPolicyInput, RecomputeSlaInput, SlaPolicyTermsInput, UpdateSlaPolicyInput } from './sla.inputs';
import { SlaPolicyRecord, SlaPolicyVersion } from './sla-policy.entity';
import { breachedIncidents, countBreachedIncidents, countIncidentsAtRisk, incidentsAtRisk, workQueue } from './sla.queries';
import { SlaService } from './sla.service';
import { HolidayImportService } from './holiday-import.service';
import { HolidayImportPreview, HolidayImportResult } from './holiday-import.types';
import { IcsCalendarInput } from './holiday-import.inputs';
import {
  HolidayView,
  PriorityTargetView,
  RecomputeSlaResult,
  SlaClock,
  SlaTargetIssueView,
  SlaWhatIfResult,
  WorkingHoursView,
} from './sla.types';
import { SlaRetireService } from './sla-retire.service';
import { WEEKDAYS } from '@ikb/domain';

@Resolver(() => BusinessCalendarRecord)
export class BusinessCalendarResolver {
  @Query(() => [BusinessCalendarRecord], { description: 'Business calendars, by name.' })
  businessCalendars(@Ctx() ctx: Context) {
    return ctx.em.find(BusinessCalendarRecord, {}, { orderBy: { name: 'asc' } });
  }

  @FieldResolver(() => [WorkingHoursView], { description: 'Working hours, Monday first.' })
  weeklyHours(@Root() c: BusinessCalendarRecord): WorkingHoursView[] {
    return WEEKDAYS.flatMap((day) => (c.weeklyHours[day] ?? []).map((h) => ({ day, start: h.start, end: h.end })));
  }

  @FieldResolver(() => [HolidayView])
  holidays(@Root() c: BusinessCalendarRecord): HolidayView[] {
    return c.holidays;
  }

  @Mutation(() => BusinessCalendarRecord)
  createBusinessCalendar(@Arg('input', () => BusinessCalendarInput) input: BusinessCalendarInput, @Ctx() ctx: Context) {
    return new SlaService(ctx.em).createCalendar(input);
  }

  @Mutation(() => BusinessCalendarRecord, { description: 'Replace hours and holidays; policies using the calendar get a new version.' })
  updateBusinessCalendar(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => BusinessCalendarInput) input: BusinessCalendarInput,
    @Ctx() ctx: Context,
  ) {
    return new SlaService(ctx.em).updateCalendar(id, input);
  }

  @Query(() => HolidayImportPreview, {
    description: 'Reads an .ics file without storing anything: its dates, names, observances and the calendar name. Admins only.',
  })
  holidayImportPreview(
    @Arg('calendarId', () => ID, { nullable: true, description: 'Marks the dates that are already holidays of this calendar.' })
    calendarId: string | null,
    @Arg('ics', () => String, { nullable: true, description: 'The file as text.' }) ics: string | null,
    @Arg('icsBase64', () => String, { nullable: true, description: "The file's bytes in base64." }) icsBase64: string | null,
    @Ctx() ctx: Context,
  ) {
    return new HolidayImportService(ctx.em).preview({ ics, icsBase64 }, calendarId);
  }

  @Mutation(() => HolidayImportResult, {
    description: 'Import holidays from an iCalendar (.ics) file: the dates chosen, or by default the days off (not observances).',
  })
  importCalendarHolidays(
    @Arg('calendarId', () => ID) calendarId: string,
    @Arg('ics', () => String, { nullable: true, description: 'The file as text.' }) ics: string | null,
    @Arg('icsBase64', () => String, { nullable: true, description: "The file's bytes in base64." }) icsBase64: string | null,
    @Arg('mode', () => HolidayImportModeEnum, { defaultValue: 'MERGE' }) mode: 'MERGE' | 'REPLACE',
    @Arg('dates', () => [String], { nullable: true, description: 'Dates of the file to import (YYYY-MM-DD); default: its days off.' })
    dates: string[] | null,
    @Ctx() ctx: Context,
  ) {
    return new HolidayImportService(ctx.em).import(calendarId, { ics, icsBase64 }, mode, dates);
  }

  @Mutation(() => BusinessCalendarRecord, { description: 'A new calendar from an .ics file, named from its X-WR-CALNAME by default.' })
  createBusinessCalendarFromIcs(@Arg('input', () => IcsCalendarInput) input: IcsCalendarInput, @Ctx() ctx: Context) {
    return new HolidayImportService(ctx.em).createCalendar(input);
  }
}

@Resolver(() => SlaPolicyRecord)
export class SlaPolicyResolver {
  @Query(() => [SlaPolicyRecord], { description: 'SLA policies, default first; retired ones only when asked for, after the others.' })
  slaPolicies(@Ctx() ctx: Context, @Arg('includeRetired', () => Boolean, { defaultValue: false }) includeRetired: boolean) {
    return ctx.em.find(SlaPolicyRecord, includeRetired ? {} : { retiredAt: null }, {
      orderBy: [{ retiredAt: 'asc nulls first' }, { isDefault: 'desc' }, { name: 'asc' }],
    });
  }

  @FieldResolver(() => Boolean)
  retired(@Root() p: SlaPolicyRecord): boolean {
    return p.retiredAt !== null;
  }

  @FieldResolver(() => [Service], { description: 'Services that have it as their own policy, by name.' })
  services(@Root() p: SlaPolicyRecord, @Ctx() ctx: Context) {
    return ctx.loaders.servicesBySlaPolicy.load(p.id);
  }

  @Mutation(() => SlaPolicyRecord, {
    description:
      'Retire a policy: it is no longer offered, given to services or made the default; running clocks keep it. ' +
      'Refused for the default policy and while services or active incident models use it.',
  })
  retireSlaPolicy(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new SlaRetireService(ctx.em).retire(id);
  }

  @Mutation(() => SlaPolicyRecord, { description: 'Bring a retired policy back.' })
  restoreSlaPolicy(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new SlaRetireService(ctx.em).restore(id);
  }

  @FieldResolver(() => SlaPolicyVersion, { description: 'The version new incidents start under.' })
  async current(@Root() p: SlaPolicyRecord, @Ctx() ctx: Context) {
    return (await ctx.loaders.slaPolicyVersions.load(p.id)).find((v) => v.version === p.currentVersion);
  }

  @FieldResolver(() => [SlaPolicyVersion], { description: 'All versions, newest first.' })
  versions(@Root() p: SlaPolicyRecord, @Ctx() ctx: Context) {
    return ctx.loaders.slaPolicyVersions.load(p.id);
  }

  @Mutation(() => SlaPolicyRecord)
  createSlaPolicy(@Arg('input', () => CreateSlaPolicyInput) input: CreateSlaPolicyInput, @Ctx() ctx: Context) {
    return new SlaService(ctx.em).createPolicy(input);
  }

  @Mutation(() => SlaPolicyRecord, { description: 'Make a new version; running incidents keep theirs until recomputed.' })
  updateSlaPolicy(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSlaPolicyInput) input: UpdateSlaPolicyInput,
    @Ctx() ctx: Context,
  ) {
    return new SlaService(ctx.em).updatePolicy(id, input);
  }

  @Mutation(() => SlaPolicyRecord, { description: 'Make this the policy of services without their own.' })
  makeDefaultSlaPolicy(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new SlaService(ctx.em).makeDefault(id);
  }

  @Mutation(() => Service, { description: 'Give a service its own SLA policy (null: the default policy).' })
  setServiceSlaPolicy(
    @Arg('serviceId', () => ID) serviceId: string,
    @Ctx() ctx: Context,
    @Arg('policyId', () => ID, { nullable: true }) policyId?: string | null,
  ) {
    return new SlaService(ctx.em).setServicePolicy(serviceId, policyId ?? null);
  }

  @Mutation(() => RecomputeSlaResult, { description: 'Rebuild the clocks of these incidents from their events.' })
  recomputeSlaClocks(@Arg('input', () => RecomputeSlaInput) input: RecomputeSlaInput, @Ctx() ctx: Context) {
    return new SlaService(ctx.em).recompute(input.incidentIds, input.useLatestPolicyVersion);
  }

  @Query(() => SlaWhatIfResult, {
    description: 'Compliance per priority that proposed terms would have given incidents opened in [from, to).',
  })
  slaWhatIf(
    @Arg('input', () => SlaPolicyTermsInput) input: SlaPolicyTermsInput,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: Context,
  ) {
    return new SlaService(ctx.em).whatIf(input, from, to);
  }
}

@Resolver(() => SlaPolicyVersion)
export class SlaPolicyVersionResolver {
  @FieldResolver(() => SlaPolicyRecord)
  policy(@Root() v: SlaPolicyVersion, @Ctx() ctx: Context) {
    return ctx.loaders.slaPolicy.load(v.policyId);
  }

  @FieldResolver(() => [PriorityTargetView])
  targets(@Root() v: SlaPolicyVersion): PriorityTargetView[] {
    return [1, 2, 3, 4, 5].map((p) => ({ priority: p, ...v.targets[p]! }));
  }

  @FieldResolver(() => [SlaTargetIssueView], {
    description: 'Rules between its targets it breaks: refused ones (saved before the rule) and warnings.',
  })
  targetIssues(@Root() v: SlaPolicyVersion): SlaTargetIssueView[] {
    const targets = Object.fromEntries(Object.entries(v.targets).map(([p, t]) => [Number(p), t])) as Record<
      Priority,
      (typeof v.targets)[string]
    >;
    const { errors, warnings } = checkSlaTargets(targets);
    return [...errors.map((i) => ({ ...i, refused: true })), ...warnings.map((i) => ({ ...i, refused: false }))].map(
      ({ priority, target, refused, message }) => ({ priority, target, refused, message }),
    );
  }

  @FieldResolver(() => [String], { description: 'Hold reasons that pause the clocks.' })
  pauseHoldReasons(@Root() v: SlaPolicyVersion): string[] {
    return v.pauseHoldReasons;
  }

  @FieldResolver(() => String, { description: 'Time zone of the calendar snapshot.' })
  timeZone(@Root() v: SlaPolicyVersion): string {
    return v.calendar.timeZone;
  }

  @FieldResolver(() => BusinessCalendarRecord, { nullable: true, description: 'The calendar it was made from (as it is now).' })
  calendar(@Root() v: SlaPolicyVersion, @Ctx() ctx: Context) {
    return ctx.loaders.businessCalendar.load(v.calendarId);
  }
}

@Resolver(() => Incident)
export class IncidentSlaResolver {
  @FieldResolver(() => [SlaClock], { description: 'Response and resolution clocks, evaluated now.' })
  async slaClocks(@Root() i: Incident, @Ctx() ctx: Context): Promise<SlaClock[]> {
    const rows = await ctx.loaders.slaClocks.load(i.id);
    const now = new Date();
    return Promise.all(
      rows.map(async (row) => {
        // Policy versions never change once made: after the first load this process keeps them
        // compiled, and a clock needs no query beyond its own row.
        const compiled =
          compiledVersion(row.policyVersionId) ?? compileVersion((await ctx.loaders.slaPolicyVersion.load(row.policyVersionId))!);
        const version = compiled.version;
        const segments = row.segments.map(fromStored);
        const ev = evaluateClock(compiled.calendar, segments, row.targetMinutes, now);
        return {
          ...ev,
          target: row.target,
          policyVersionId: version.id,
          policyId: version.policyId,
          policyVersion: version.version,
          priority: row.priority,
          segments,
        };
      }),
    );
  }

  @Query(() => [Incident], {
    description: 'Open incidents whose SLA clock has used at least minWarningLevel % of its target, least time left first.',
  })
  incidentsAtRisk(
    @Ctx() ctx: Context,
    @Arg('minWarningLevel', () => Int, { defaultValue: 75 }) minWarningLevel: number,
    @Arg('target', () => SlaTargetEnum, { nullable: true }) target?: SlaTarget,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ) {
    return incidentsAtRisk(ctx.em, minWarningLevel, target ?? undefined, first);
  }

  @Query(() => Int, { description: 'How many incidents incidentsAtRisk would list without its page size (same definition).' })
  incidentsAtRiskCount(
    @Ctx() ctx: Context,
    @Arg('minWarningLevel', () => Int, { defaultValue: 75 }) minWarningLevel: number,
    @Arg('target', () => SlaTargetEnum, { nullable: true }) target?: SlaTarget,
  ) {
    return countIncidentsAtRisk(ctx.em, minWarningLevel, target ?? undefined);
  }

  @Query(() => Int, { description: 'How many incidents breachedIncidents would list without its page size (same definition).' })
  breachedIncidentsCount(
    @Ctx() ctx: Context,
    @Arg('target', () => SlaTargetEnum, { nullable: true }) target?: SlaTarget,
    @Arg('openOnly', () => Boolean, { defaultValue: true }) openOnly = true,
  ) {
    return countBreachedIncidents(ctx.em, target ?? undefined, openOnly);
  }

  @Query(() => [Incident], { description: 'Incidents with a breached SLA clock, most overdue first.' })
  breachedIncidents(
    @Ctx() ctx: Context,
    @Arg('target', () => SlaTargetEnum, { nullable: true }) target?: SlaTarget,
    @Arg('openOnly', () => Boolean, { defaultValue: true }) openOnly = true,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ) {
    return breachedIncidents(ctx.em, target ?? undefined, openOnly, first);
  }

  @Query(() => [Incident], { description: 'Open incidents by priority, then by resolution time left.' })
  async workQueue(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset = 0,
    @Arg('teamId', () => ID, { nullable: true }) teamId?: string,
    @Arg('serviceId', () => ID, { nullable: true }) serviceId?: string,
    @Arg('assignedToMe', () => Boolean, { nullable: true, description: 'Only incidents assigned to the signed-in user.' })
    assignedToMe?: boolean,
    @Arg('myTeam', () => Boolean, { nullable: true, description: "Only incidents of the signed-in user's home team." }) myTeam?: boolean,
    @Arg('after', () => ID, {
      nullable: true,
      description: 'The id of the last incident of the previous page: the queue goes on after it.',
    })
    after?: string,
  ) {
    if (teamId) assertUuid('teamId', teamId);
    if (after) assertUuid('after', after);
    if (serviceId) assertUuid('serviceId', serviceId);
    const mine = await resolveMine(ctx, { assignedToMe, myTeam });
    return workQueue(ctx.em, {
      first,
      offset,
      after: after ?? undefined,
      teamId: teamId ?? undefined,
      serviceId: serviceId ?? undefined,
      mine,
    });
  }
}

@Resolver(() => Service)
export class ServiceSlaResolver {
  @FieldResolver(() => SlaPolicyRecord, { nullable: true, description: 'Its own SLA policy; null means the default policy applies.' })
  slaPolicy(@Root() s: Service, @Ctx() ctx: Context) {
    return s.slaPolicyId ? ctx.loaders.slaPolicy.load(s.slaPolicyId) : null;
  }
}

@Resolver(() => SlaClock)
export class SlaClockResolver {
  /** The policy as it is named now (a rename shows at once); loaded only when a client asks. */
  @FieldResolver(() => String)
  async policyName(@Root() c: SlaClock, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.slaPolicy.load(c.policyId))!.name;
  }

  @FieldResolver(() => [HoldReasonEnum], {
    description: 'The hold reasons that pause this clock under its policy version; on hold for any other reason it keeps running.',
  })
  async pauseHoldReasons(@Root() c: SlaClock, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.loaders.slaPolicyVersion.load(c.policyVersionId))?.pauseHoldReasons ?? [];
  }
}
