import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { RoleEnum, type Role } from '../directory/user.entity';

@Entity({ tableName: 'sessions' })
export class Session {
  @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  /** sha256 of the cookie value: a stolen database does not hold usable sessions. */
  @Property({ type: t.string }) tokenHash!: string;
  @Property({ type: t.uuid }) userId!: string;
  @Property({ type: t.string }) csrfToken!: string;
  @Property({ type: t.datetime }) createdAt: Date = new Date();
  @Property({ type: t.datetime }) expiresAt!: Date;
  @Property({ type: t.datetime }) lastSeenAt: Date = new Date();
  @Property({ type: t.datetime, nullable: true }) revokedAt: Date | null = null;
  @Property({ type: t.string, nullable: true }) userAgent: string | null = null;
}

@ObjectType({ description: 'An API token (the secret is shown once, at creation).' })
@Entity({ tableName: 'api_tokens' })
export class ApiToken {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Property({ type: t.uuid }) userId!: string;
  @Field(() => String) @Property({ type: t.string }) name!: string;
  @Field(() => RoleEnum) @Property({ type: t.string }) role!: Role;
  @Property({ type: t.string, hidden: true }) tokenHash!: string;
  @Field(() => String, { description: 'First characters, to recognise it.' }) @Property({ type: t.string }) prefix!: string;
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
  @Field(() => Date, { nullable: true }) @Property({ type: t.datetime, nullable: true }) lastUsedAt: Date | null = null;
  @Field(() => Date, { nullable: true }) @Property({ type: t.datetime, nullable: true }) revokedAt: Date | null = null;
}

@ObjectType({ description: 'One mutation: who, when, what, on which record, before and after.' })
@Entity({ tableName: 'audit_log' })
export class AuditEntry {
  // Strings, said explicitly: without decorator metadata (tsx, as the API runs) MikroORM would
  // hydrate a JS bigint, which GraphQL's ID cannot serialise.
  @Field(() => ID) @PrimaryKey({ type: new BigIntType('string') }) id!: string;
  @Field(() => Date) @Property({ type: t.datetime }) at!: Date;
  @Field(() => String, { nullable: true }) @Property({ type: t.string, nullable: true }) requestId: string | null = null;
  @Field(() => ID, { nullable: true }) @Property({ type: t.uuid, nullable: true }) actorId: string | null = null;
  @Field(() => String) @Property({ type: t.string }) actorName!: string;
  @Field(() => String, { nullable: true }) @Property({ type: t.string, nullable: true }) role: string | null = null;
  @Field(() => String, { nullable: true, description: 'SESSION or TOKEN.' }) @Property({ type: t.string, nullable: true }) authMethod:
    string | null = null;
  @Field(() => String) @Property({ type: t.string }) operation!: string;
  @Field(() => String, { nullable: true }) @Property({ type: t.string, nullable: true }) targetType: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: t.string, nullable: true }) targetId: string | null = null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Arguments, with secrets removed.' })
  @Property({ type: t.json, nullable: true })
  variables: Record<string, unknown> | null = null;
  @Field(() => GraphQLJSONObject, { nullable: true }) @Property({ type: t.json, nullable: true }) before: Record<string, unknown> | null =
    null;
  @Field(() => GraphQLJSONObject, { nullable: true }) @Property({ type: t.json, nullable: true }) after: Record<string, unknown> | null =
    null;
}
