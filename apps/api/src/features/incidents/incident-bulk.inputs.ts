import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AssignIncidentInput, TransitionIncidentInput } from './incident.inputs';

/** Rows one bulk change may touch: a page of the register at its largest. */
export const MAX_BULK = 100;

@InputType({
  description:
    'One change applied to several incidents, all or nothing: exactly one of assign, acknowledge, transition or addToReviewId. ' +
    `At most ${MAX_BULK} incidents.`,
})
export class BulkIncidentInput {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @ArrayUnique({ message: 'incidentIds must not repeat an incident' })
  @IsUUID('all', { each: true })
  incidentIds!: string[];

  @Field(() => AssignIncidentInput, { nullable: true, description: 'Set the assignee and/or team of each.' })
  @IsOptional()
  @ValidateNested()
  assign?: AssignIncidentInput;

  @Field(() => Boolean, { nullable: true, description: 'Record the first response on each (true; each must not be acknowledged yet).' })
  @IsOptional()
  @Equals(true, { message: 'acknowledge is true when given' })
  acknowledge?: boolean;

  @Field(() => TransitionIncidentInput, { nullable: true, description: 'Move each through the lifecycle (legal transitions only).' })
  @IsOptional()
  @ValidateNested()
  transition?: TransitionIncidentInput;

  @Field(() => ID, { nullable: true, description: 'Add each to this review (draft or in review).' })
  @IsOptional()
  @IsUUID()
  addToReviewId?: string;
}
