import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { ROLES, type Role } from '@ikb/domain';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

// The roles are the permission table's (packages/domain).
export { ROLES, type Role };
export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [R in Role]: R };
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'ADMIN: configuration and users; PROBLEM_MANAGER: problems, reviews, models, workarounds; ENGINEER: incidents, time entries, ' +
    'applying knowledge; VIEWER: read and analytics.',
});

@ObjectType({ description: 'A person: reporter, assignee, reviewer or actor on the timeline.' })
@Entity({ tableName: 'users' })
export class User {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  email!: string;

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => RoleEnum)
  @Property({ type: t.string })
  role: Role = 'ENGINEER';

  /** argon2id; null for people who never sign in (reporters, imported names). */
  @Property({ type: t.text, nullable: true, hidden: true })
  passwordHash: string | null = null;

  @Field(() => Boolean, { description: 'A disabled account cannot sign in and its sessions and tokens stop working.' })
  @Property({ type: t.boolean })
  disabled: boolean = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  lastLoginAt: Date | null = null;

  /** Home team; resolved through a loader. */
  @Property({ type: t.uuid, nullable: true })
  teamId: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: 'Own working calendar for the workload (else the team’s, else the default SLA calendar).',
  })
  @Property({ type: t.uuid, nullable: true, fieldName: 'calendar_id' })
  workingCalendarId: string | null = null;

  @Field(() => String, { nullable: true, description: "Time zone the working calendar's hours are read in (else the calendar's)." })
  @Property({ type: t.string, nullable: true, fieldName: 'time_zone' })
  workingTimeZone: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}
