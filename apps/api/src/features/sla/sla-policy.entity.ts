import { randomUUID } from 'node:crypto';
import type { CalendarDefinition, HoldReason, PriorityTargets } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('SlaPolicy', {
  description: 'An SLA policy; editing it makes a new version, and incidents keep the version they started under.',
})
@Entity({ tableName: 'sla_policies' })
export class SlaPolicyRecord {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => Boolean, { description: 'Applies to services without a policy of their own.' })
  @Property({ type: t.boolean })
  isDefault: boolean = false;

  @Field(() => Int)
  @Property({ type: t.integer })
  currentVersion: number = 1;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date, {
    nullable: true,
    description: 'When it was retired: it can no longer be given to services or made the default; running clocks keep it.',
  })
  @Property({ type: t.datetime, nullable: true })
  retiredAt: Date | null = null;
}

/** Immutable once written: clocks reference it and must be recomputable exactly. */
@ObjectType({ description: 'One immutable version of an SLA policy, with a snapshot of its calendar.' })
@Entity({ tableName: 'sla_policy_versions' })
export class SlaPolicyVersion {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  policyId!: string;

  @Field(() => Int)
  @Property({ type: t.integer })
  version!: number;

  @Property({ type: t.uuid })
  calendarId!: string;

  /** The calendar as it was when this version was made. */
  @Property({ type: t.json })
  calendar!: CalendarDefinition;

  @Property({ type: t.json })
  targets!: Record<string, PriorityTargets>;

  @Property({ type: t.json })
  pauseHoldReasons!: HoldReason[];

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  note: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}
