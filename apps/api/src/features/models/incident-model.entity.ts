import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const INCIDENT_MODEL_STATUSES = ['ACTIVE', 'RETIRED'] as const;
export type IncidentModelStatus = (typeof INCIDENT_MODEL_STATUSES)[number];
export const IncidentModelStatusEnum = { ACTIVE: 'ACTIVE', RETIRED: 'RETIRED' } as const;
registerEnumType(IncidentModelStatusEnum, {
  name: 'IncidentModelStatus',
  description: 'Only ACTIVE models are suggested and can be applied.',
});

/**
 * A reusable recipe for a repeatable incident. What it says lives in its versions: editing the
 * model writes a new version, and incidents keep the version they applied.
 */
@ObjectType({ description: 'A reusable, versioned recipe for a repeatable incident.' })
@Entity({ tableName: 'incident_models' })
export class IncidentModel {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String, { description: 'Unique, case-insensitively.' })
  @Property({ type: t.string })
  name!: string;

  @Field(() => IncidentModelStatusEnum)
  @Property({ type: t.string })
  status: IncidentModelStatus = 'ACTIVE';

  @Field(() => Int, { description: 'Number of the version that is applied and suggested now.' })
  @Property({ type: t.integer })
  currentVersion: number = 1;

  /** The resolved incident it was made from, if any. */
  @Property({ type: t.uuid, nullable: true })
  sourceIncidentId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();
}

/** Immutable once written (a database trigger refuses updates and deletes). */
@ObjectType({ description: 'One immutable version of an incident model: matching hints, defaults, checklist, workarounds, SLA override.' })
@Entity({ tableName: 'incident_model_versions' })
export class IncidentModelVersion {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  modelId!: string;

  @Field(() => Int, { description: '1, 2, 3... per model.' })
  @Property({ type: t.integer })
  version!: number;

  @Field(() => String)
  @Property({ type: t.text })
  description: string = '';

  @Property({ type: t.uuid, nullable: true })
  matchServiceId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  matchCategoryId: string | null = null;

  @Field(() => [String], { description: 'Symptom keywords (lower case) looked for in an incident title and description.' })
  @Property({ type: t.json })
  matchKeywords: string[] = [];

  @Property({ type: t.uuid, nullable: true })
  defaultCategoryId: string | null = null;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low' })
  @Property({ type: t.smallint, nullable: true })
  defaultImpact: number | null = null;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low' })
  @Property({ type: t.smallint, nullable: true })
  defaultUrgency: number | null = null;

  @Property({ type: t.uuid, nullable: true })
  defaultTeamId: string | null = null;

  @Field(() => [String], { description: 'Checklist steps, in order; applying the model copies them to the incident.' })
  @Property({ type: t.json })
  checklist: string[] = [];

  @Field(() => [ID], { description: 'Linked workarounds, in order (see `workarounds`).' })
  @Property({ type: t.json })
  workaroundIds: string[] = [];

  /** SLA policy whose current version an incident moves to when the model is applied. */
  @Property({ type: t.uuid, nullable: true })
  slaPolicyId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Markdown skeleton for the post-incident review.' })
  @Property({ type: t.text, nullable: true })
  reviewTemplate: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why this version was made.' })
  @Property({ type: t.text, nullable: true })
  note: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}

/** One application of a model version to an incident: who and when. */
@ObjectType({ description: 'A model version applied to an incident.' })
@Entity({ tableName: 'incident_model_applications' })
export class IncidentModelApplication {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  incidentId!: string;

  @Property({ type: t.uuid })
  modelVersionId!: string;

  @Field(() => Date)
  @Property({ type: t.datetime })
  appliedAt!: Date;

  @Property({ type: t.uuid, nullable: true })
  appliedById: string | null = null;

  @Field(() => String)
  @Property({ type: t.string })
  appliedByName!: string;
}

/** A checklist step copied from a model version onto an incident. */
@ObjectType({ description: 'A step of an incident checklist, copied from the model version applied.' })
@Entity({ tableName: 'incident_checklist_items' })
export class ChecklistItem {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  incidentId!: string;

  @Property({ type: t.uuid })
  modelVersionId!: string;

  @Field(() => Int, { description: 'Position in the model version checklist, from 1.' })
  @Property({ type: t.integer })
  position!: number;

  @Field(() => String)
  @Property({ type: t.text })
  text!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  doneAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Who ticked it.' })
  @Property({ type: t.string, nullable: true })
  doneByName: string | null = null;
}
