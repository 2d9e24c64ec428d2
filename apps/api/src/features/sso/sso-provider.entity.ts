import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import type { GroupRoleMapping } from '@ikb/domain';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RoleEnum, type Role } from '../directory/user.entity';

export const PROVISIONING = ['JIT', 'PRE_PROVISIONED'] as const;
export type Provisioning = (typeof PROVISIONING)[number];
export const ProvisioningEnum = { JIT: 'JIT', PRE_PROVISIONED: 'PRE_PROVISIONED' } as const;
registerEnumType(ProvisioningEnum, {
  name: 'SsoProvisioning',
  description: 'JIT: an account is created at the first sign-in; PRE_PROVISIONED: only people who already have an account may sign in.',
});

@ObjectType({ description: 'A group of the provider and the role its members get (the highest role of all their groups wins).' })
export class GroupRoleMappingView implements GroupRoleMapping {
  @Field(() => String) group!: string;
  @Field(() => RoleEnum) role!: Role;
}

@ObjectType({ description: 'An OpenID Connect provider people may sign in with. The client secret is write-only: never returned.' })
@Entity({ tableName: 'sso_providers' })
export class SsoProvider {
  @Field(() => ID) @PrimaryKey({ type: t.uuid }) id: string = randomUUID();
  @Field(() => String, { description: 'In the redirect URI: <PUBLIC_WEB_URL>/auth/sso/<slug>/callback.' })
  @Property({ type: t.string })
  slug!: string;
  @Field(() => String) @Property({ type: t.string }) displayName!: string;
  @Field(() => String) @Property({ type: t.string }) issuerUrl!: string;
  @Field(() => String) @Property({ type: t.string }) clientId!: string;
  @Property({ type: t.text, hidden: true, lazy: false }) clientSecret!: string;
  @Field(() => String, { description: 'Space-separated; always includes openid.' }) @Property({ type: t.string }) scopes!: string;
  @Field(() => String) @Property({ type: t.string }) groupsClaim!: string;
  @Field(() => [GroupRoleMappingView]) @Property({ type: t.json }) groupRoles: GroupRoleMapping[] = [];
  @Field(() => RoleEnum, { nullable: true, description: 'Role when no mapped group matches; null refuses the sign-in.' })
  @Property({ type: t.string, nullable: true })
  defaultRole: Role | null = null;
  @Field(() => ProvisioningEnum) @Property({ type: t.string }) provisioning!: Provisioning;
  @Field(() => [String], { description: 'Only e-mail addresses of these domains may sign in; empty: any.' })
  @Property({ type: t.array })
  allowedDomains: string[] = [];
  @Field(() => Boolean, {
    description: 'Treat the e-mail claim as verified even without email_verified (Entra ID sends none); only for providers you control.',
  })
  @Property({ type: t.boolean })
  trustEmail: boolean = false;
  @Field(() => Int, { description: 'Seconds of clock difference accepted on the ID token times (0 to 600).' })
  @Property({ type: t.integer })
  clockToleranceSeconds: number = 60;
  @Field(() => Boolean) @Property({ type: t.boolean }) enabled: boolean = true;
  @Field(() => Date) @Property({ type: t.datetime }) createdAt: Date = new Date();
  @Field(() => Date) @Property({ type: t.datetime }) updatedAt: Date = new Date();
}
