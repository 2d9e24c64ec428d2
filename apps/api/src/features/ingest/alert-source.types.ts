import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A sender of alerts to POST /ingest/alerts (an Alertmanager, a monitoring tool), with its token and classification rules ' +
    '(docs/imports.md).',
})
export class AlertSource {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'First characters of the token, to recognise it.' }) tokenPrefix!: string;
  @Field(() => GraphQLJSONObject, { description: 'Classification rules (docs/imports.md, "Classification").' }) rules!: Record<
    string,
    unknown
  >;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Last request with its token.' }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Set when revoked: its token no longer works (rotating gives it a new one).' })
  revokedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last alert received from it.' }) lastAlertAt!: Date | null;
  @Field(() => Int, { description: 'Alert notifications received, repeats included.' }) alertsReceived!: number;
  @Field(() => Int, { description: 'Distinct alerts (by identity) received.' }) distinctAlerts!: number;
  @Field(() => Int, { description: 'Incidents its alerts opened or were attached to.' }) incidents!: number;
  @Field(() => Int, { description: 'Alerts firing now (not yet resolved).' }) firing!: number;
}

@ObjectType()
export class CreatedAlertSource {
  @Field(() => AlertSource) source!: AlertSource;
  @Field(() => String, { description: 'The token, shown this once: the sender sends it as Authorization: Bearer <token>.' }) token!: string;
}

@InputType()
export class CreateAlertSourceInput {
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(/\S/, { message: 'name must not be blank' }) name!: string;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Classification rules; none: severity labels and incident models classify.',
  })
  @IsOptional()
  rules?: Record<string, unknown>;
}
