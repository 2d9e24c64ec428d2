import { randomUUID } from 'node:crypto';
import type { Weekday, WorkingHours } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

export interface Holiday {
  date: string;
  name: string;
}

@ObjectType('BusinessCalendar', {
  description: 'Weekly working hours in an IANA time zone, with holidays; SLA targets count business minutes of it.',
})
@Entity({ tableName: 'business_calendars' })
export class BusinessCalendarRecord {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin.' })
  @Property({ type: t.string })
  timeZone!: string;

  @Property({ type: t.json })
  weeklyHours!: Partial<Record<Weekday, WorkingHours[]>>;

  @Property({ type: t.json })
  holidays: Holiday[] = [];

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();
}
