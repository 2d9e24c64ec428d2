import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Someone on a review, and the address a calendar invitation goes to (null: cannot be invited).' })
export class ReviewInvitee {
  @Field(() => ID, { nullable: true, description: 'Null for a name outside the directory.' }) userId!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Null: no address (outside the directory, disabled, or an imported placeholder).' })
  email!: string | null;
  @Field(() => String, { description: 'FACILITATOR (the organizer) or PARTICIPANT.' }) role!: string;
}

@ObjectType({ description: "The last calendar invitation sent for a review's meeting." })
export class ReviewInvitation {
  @Field(() => Int, { description: 'SEQUENCE of the last copy sent; each send raises it.' }) sequence!: number;
  @Field(() => String, { description: 'REQUEST (invited or updated) or CANCEL (the meeting was removed).' }) method!: string;
  @Field(() => Date) sentAt!: Date;
  @Field(() => Date, { nullable: true, description: 'The meeting time that copy named.' }) meetingAt!: Date | null;
  @Field(() => [String], { description: 'Names of the people it went to.' }) sentTo!: string[];
}
