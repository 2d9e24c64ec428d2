import type { Weekday } from '@ikb/domain';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BusinessCalendarRecord } from './business-calendar.entity';
import { WeekdayEnum } from './sla.enums';
import type { IcsDayStatus } from './ics';

export const HolidayImportDayStatusEnum = {
  DAY_OFF: 'DAY_OFF',
  OBSERVANCE: 'OBSERVANCE',
  TIMED: 'TIMED',
  CANCELLED: 'CANCELLED',
  OUTSIDE_WINDOW: 'OUTSIDE_WINDOW',
} as const satisfies Record<IcsDayStatus, IcsDayStatus>;

registerEnumType(HolidayImportDayStatusEnum, {
  name: 'HolidayImportDayStatus',
  description:
    'What the file makes of a date. DAY_OFF dates are chosen by default; OBSERVANCE (the file says so), TIMED (not an all-day ' +
    'event), CANCELLED (STATUS:CANCELLED) and OUTSIDE_WINDOW (a single date outside the expansion window) are not.',
});

@ObjectType({ description: 'One date of an .ics file, as the import would read it.' })
export class HolidayImportDay {
  @Field(() => String, { description: 'Local date YYYY-MM-DD.' }) date!: string;
  @Field(() => WeekdayEnum) weekday!: Weekday;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Line of the file the event starts on.' }) line!: number;
  @Field(() => HolidayImportDayStatusEnum) status!: IcsDayStatus;
  @Field(() => String, { nullable: true, description: "Why: the file's own words (e.g. DESCRIPTION: Observance), or what was seen." })
  reason!: string | null;
  @Field(() => Boolean, { description: 'Chosen unless the admin changes it: true for DAY_OFF.' }) selected!: boolean;
  @Field(() => Boolean, { description: 'Already a holiday of the calendar previewed against.' }) alreadyHoliday!: boolean;
}

@ObjectType({ description: 'What an .ics file holds, before anything is stored.' })
export class HolidayImportPreview {
  @Field(() => String, { nullable: true, description: 'X-WR-CALNAME of the file.' }) calendarName!: string | null;
  @Field(() => String, { nullable: true, description: 'X-WR-TIMEZONE of the file, when it is an IANA time zone.' })
  timeZone!: string | null;
  @Field(() => String, { description: 'First day recurring events are expanded from.' }) windowFrom!: string;
  @Field(() => String, { description: 'Last day recurring events are expanded to.' }) windowTo!: string;
  @Field(() => [HolidayImportDay], { description: 'By date, then name.' }) days!: HolidayImportDay[];
  @Field(() => [String], { description: 'What was read with a caveat (e.g. a recurrence cut at its cap), by line.' }) warnings!: string[];
}

@ObjectType()
export class HolidayImportResult {
  @Field(() => BusinessCalendarRecord) calendar!: BusinessCalendarRecord;
  @Field(() => Int, { description: 'Dates that were not holidays before.' }) added!: number;
}
