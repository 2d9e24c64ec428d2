import { randomUUID } from 'node:crypto';
import {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_STATUSES,
  REVIEW_SECTIONS,
  REVIEW_STATUSES,
  type ActionItemKind,
  type ActionItemStatus,
  type ReviewSection,
  type ReviewStatus,
} from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const ReviewStatusEnum = enumOf(REVIEW_STATUSES);
export const ReviewSectionEnum = enumOf(REVIEW_SECTIONS);
export const ActionItemKindEnum = enumOf(ACTION_ITEM_KINDS);
export const ActionItemStatusEnum = enumOf(ACTION_ITEM_STATUSES);
registerEnumType(ReviewStatusEnum, { name: 'ReviewStatus', description: 'DRAFT -> IN_REVIEW -> PUBLISHED; back to DRAFT with a reason.' });
registerEnumType(ReviewSectionEnum, { name: 'ReviewSection' });
registerEnumType(ActionItemKindEnum, { name: 'ActionItemKind' });
registerEnumType(ActionItemStatusEnum, { name: 'ActionItemStatus' });

export function formatReviewNumber(n: number): string {
  return `PIR-${String(n).padStart(4, '0')}`;
}

export interface FiveWhy {
  why: string;
  answer: string;
}

@ObjectType({ description: 'A post-incident review of one or more incidents.' })
@Entity({ tableName: 'reviews' })
export class Review {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.integer, fieldName: 'number' }) seqNumber!: number;
  @Field(() => String) @Property({ type: t.string }) title!: string;
  @Field(() => ReviewStatusEnum) @Property({ type: t.string }) status: ReviewStatus = 'DRAFT';
  @Property({ type: t.uuid, nullable: true }) facilitatorId: string | null = null;
  /** User ids, or free names for people outside the directory. */
  @Property({ type: t.json }) participants: { userId?: string; name: string }[] = [];
  @Field(() => Date, { nullable: true }) @Property({ type: t.datetime, nullable: true }) meetingAt: Date | null = null;
  @Field(() => Int, { description: 'Length of the review meeting in minutes (default 60).' })
  @Property({ type: t.integer })
  meetingMinutes: number = 60;
  @Field(() => String, { nullable: true, description: "Where the meeting is held: a room, or a call's URL." })
  @Property({ type: t.string, nullable: true })
  meetingLocation: string | null = null;
  @Field(() => String) @Property({ type: t.text }) summary: string = '';
  @Field(() => Int, { nullable: true, description: 'Users affected; entered by the reviewers.' })
  @Property({ type: t.integer, nullable: true })
  usersAffected: number | null = null;
  /** Overrides the impact duration computed from the incidents. */
  @Property({ type: t.integer, nullable: true }) impactMinutes: number | null = null;
  @Field(() => String, { description: 'Customer impact in words.' }) @Property({ type: t.text }) customerImpact: string = '';
  @Field(() => String) @Property({ type: t.text }) wentWell: string = '';
  @Field(() => String) @Property({ type: t.text }) wentBadly: string = '';
  @Field(() => String) @Property({ type: t.text }) lessons: string = '';
  @Property({ type: t.json }) fiveWhys: FiveWhy[] = [];
  @Property({ type: t.uuid, nullable: true }) problemId: string | null = null;
  @Property({ type: t.uuid, nullable: true }) templateId: string | null = null;
  @Field(() => Date, { nullable: true }) @Property({ type: t.datetime, nullable: true }) publishedAt: Date | null = null;
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
  @Field(() => Date) @Property({ type: t.datetime }) updatedAt: Date = new Date();
  @Property({ type: t.integer, version: true }) version!: number;
}

@ObjectType({ description: "An entry of the review's own history (status changes, edits)." })
@Entity({ tableName: 'review_events' })
export class ReviewEvent {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.uuid }) reviewId!: string;
  @Field(() => Date) @Property({ type: t.datetime }) at!: Date;
  @Field(() => String) @Property({ type: t.string }) actorName!: string;
  /** Who acted (notifications leave them out); null on entries written before it was recorded. */
  @Property({ type: t.uuid, nullable: true }) actorId: string | null = null;
  @Field(() => String) @Property({ type: t.string }) kind!: string;
  @Field(() => String) @Property({ type: t.text }) summary!: string;
  @Property({ type: t.json, nullable: true }) data: Record<string, unknown> | null = null;
}

/** Curation of one incident event (incidentEventId set) or an entry added by the reviewers (at + text). */
@Entity({ tableName: 'review_timeline_entries' })
export class ReviewTimelineEntry {
  @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.uuid }) reviewId!: string;
  @Property({ type: t.uuid, nullable: true }) incidentEventId: string | null = null;
  @Property({ type: t.datetime, nullable: true }) at: Date | null = null;
  @Property({ type: t.text, nullable: true }) text: string | null = null;
  @Property({ type: t.string, nullable: true }) authorName: string | null = null;
  @Property({ type: t.boolean }) starred: boolean = false;
  @Property({ type: t.boolean }) hidden: boolean = false;
  @Property({ type: t.text, nullable: true }) annotation: string | null = null;
  @Property({ type: t.datetime }) createdAt: Date = new Date();
}

@ObjectType({ description: 'A category of the contributing-factor taxonomy (configurable).' })
@Entity({ tableName: 'factor_categories' })
export class FactorCategory {
  @Field(() => String) @PrimaryKey({ type: t.string }) key!: string;
  @Field(() => String) @Property({ type: t.string }) name!: string;
  @Field(() => String) @Property({ type: t.text }) description: string = '';
  @Field(() => Boolean) @Property({ type: t.boolean }) active: boolean = true;
  @Property({ type: t.integer }) position: number = 0;
}

@ObjectType({ description: 'Something that contributed to the incident, with evidence from the timeline.' })
@Entity({ tableName: 'contributing_factors' })
export class ContributingFactor {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.uuid }) reviewId!: string;
  @Property({ type: t.string }) categoryKey!: string;
  @Field(() => String) @Property({ type: t.text }) description!: string;
  /** Timeline entry ids (incident event ids or added entry ids). */
  @Field(() => [ID], { description: 'Ids of the timeline entries that show it.' }) @Property({ type: t.json }) evidence: string[] = [];
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
}

@ObjectType({ description: 'A follow-up the review decided on.' })
@Entity({ tableName: 'action_items' })
export class ActionItem {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.uuid }) reviewId!: string;
  @Field(() => String) @Property({ type: t.string }) title!: string;
  @Property({ type: t.uuid }) ownerId!: string;
  @Field(() => String, { description: 'Local date YYYY-MM-DD.' }) @Property({ type: t.date }) dueDate!: string;
  @Field(() => ActionItemKindEnum) @Property({ type: t.string }) kind!: ActionItemKind;
  @Field(() => Int, { description: '1 highest .. 5 lowest' }) @Property({ type: t.smallint }) priority: number = 3;
  @Field(() => ActionItemStatusEnum) @Property({ type: t.string }) status: ActionItemStatus = 'OPEN';
  @Field(() => String, { nullable: true }) @Property({ type: t.text, nullable: true }) wontDoReason: string | null = null;
  @Field(() => Date, { nullable: true }) @Property({ type: t.datetime, nullable: true }) doneAt: Date | null = null;
  @Property({ type: t.uuid, nullable: true }) problemId: string | null = null;
  @Property({ type: t.uuid, nullable: true }) workaroundId: string | null = null;
  @Property({ type: t.uuid, nullable: true }) modelId: string | null = null;
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
  @Field(() => Date) @Property({ type: t.datetime }) updatedAt: Date = new Date();
}

@ObjectType({
  description:
    'Sections a review must fill before it leaves DRAFT; chosen by incident model, then major flag, then priority, else the default.',
})
@Entity({ tableName: 'review_templates' })
export class ReviewTemplate {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Field(() => String) @Property({ type: t.string }) name!: string;
  @Field(() => [ReviewSectionEnum]) @Property({ type: t.json }) requiredSections!: ReviewSection[];
  @Field(() => Int, { nullable: true, description: 'Applies to reviews whose most urgent incident has priority <= this.' })
  @Property({ type: t.smallint, nullable: true })
  maxPriority: number | null = null;
  @Field(() => Boolean, { description: 'Applies only to reviews covering an incident flagged major (its priority alone does not count).' })
  @Property({ type: t.boolean })
  majorOnly: boolean = false;
  @Field(() => ID, { nullable: true, description: 'Applies to reviews of incidents that used this incident model.' })
  @Property({ type: t.uuid, nullable: true })
  modelId: string | null = null;
  @Field(() => Boolean) @Property({ type: t.boolean }) isDefault: boolean = false;
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
}
