import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Effort spent on an incident; the basis of its cost.' })
@Entity({ tableName: 'time_entries' })
export class TimeEntry {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  incidentId!: string;

  @Property({ type: t.uuid, nullable: true })
  userId: string | null = null;

  @Field(() => String, { description: 'e.g. diagnosis, communication, fix, review' })
  @Property({ type: t.string })
  activity!: string;

  @Field(() => Int)
  @Property({ type: t.integer })
  minutes!: number;

  @Field(() => Boolean)
  @Property({ type: t.boolean })
  billable: boolean = false;

  @Field(() => Int, { description: 'Hourly rate in cents of the currency.' })
  @Property({ type: t.integer })
  rateCents: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  note: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  performedAt!: Date;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Int, { description: 'minutes x rate / 60, in cents' })
  get costCents(): number {
    return Math.round((this.minutes * this.rateCents) / 60);
  }
}
