// Admin changes to the providers and the password sign-in setting. Runs in the guard's transaction
// (which writes the audit row; the client secret is redacted there by its name).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { textProblem } from '@ikb/domain';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import { keepAProvider } from './password-sign-in';
import { issuerProblem } from './sso-config';
import type { CreateSsoProviderInput, GroupRoleMappingInput, UpdateSsoProviderInput } from './sso.inputs';
import { SsoProvider } from './sso-provider.entity';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CLAIM = /^[A-Za-z0-9_:./-]{1,100}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

function scopesOf(raw: string | undefined): string {
  const list = (raw ?? 'openid email profile').split(/\s+/).filter(Boolean);
  const bad = list.find((s) => !SCOPE.test(s));
  if (bad) throw badInput('scopes', `holds "${bad.slice(0, 40)}", which is not a scope name`);
  if (!list.includes('openid')) list.unshift('openid');
  return [...new Set(list)].join(' ');
}

function mappingsOf(list: GroupRoleMappingInput[]): { group: string; role: GroupRoleMappingInput['role'] }[] {
  const seen = new Set<string>();
  return list.map((m, i) => {
    const group = m.group.trim();
    if (seen.has(group)) throw badInput(`groupRoles.${i}.group`, `names "${group.slice(0, 60)}" twice`);
    seen.add(group);
    return { group, role: m.role };
  });
}

function domainsOf(list: string[]): string[] {
  return [...new Set(list.map((d) => d.trim().toLowerCase()).filter(Boolean))].map((d, i) => {
    if (!DOMAIN.test(d)) throw badInput(`allowedDomains.${i}`, `"${d.slice(0, 60)}" is not a domain name like example.com`);
    return d;
  });
}

function check(p: Partial<SsoProvider>): void {
  if (p.issuerUrl !== undefined) {
    const why = issuerProblem(p.issuerUrl);
    if (why) throw badInput('issuerUrl', why);
  }
  if (p.groupsClaim !== undefined && !CLAIM.test(p.groupsClaim))
    throw badInput('groupsClaim', 'must be a claim name of letters, digits and _ : . / - (e.g. groups, roles)');
  if (p.clientId !== undefined && textProblem(p.clientId, { singleLine: true })) throw badInput('clientId', 'must be one line of text');
}

export async function createProvider(em: EntityManager, input: CreateSsoProviderInput): Promise<SsoProvider> {
  if (!SLUG.test(input.slug)) throw badInput('slug', 'must be 1 to 40 lower-case letters, digits or hyphens, e.g. okta');
  const fields: Partial<SsoProvider> = {
    slug: input.slug,
    displayName: input.displayName.trim(),
    issuerUrl: input.issuerUrl.trim().replace(/\/+$/, '') || input.issuerUrl,
    clientId: input.clientId.trim(),
    clientSecret: input.clientSecret,
    scopes: scopesOf(input.scopes),
    groupsClaim: input.groupsClaim?.trim() || 'groups',
    groupRoles: mappingsOf(input.groupRoles ?? []),
    defaultRole: input.defaultRole ?? null,
    provisioning: input.provisioning,
    allowedDomains: domainsOf(input.allowedDomains ?? []),
    trustEmail: input.trustEmail ?? false,
    clockToleranceSeconds: input.clockToleranceSeconds ?? 60,
    enabled: input.enabled ?? true,
  };
  check(fields);
  if (await em.findOne(SsoProvider, { slug: input.slug }))
    throw new AppError('CONFLICT', `slug: "${input.slug}" is taken`, { field: 'slug' });
  const p = em.create(SsoProvider, fields as SsoProvider);
  em.persist(p);
  await em.flush();
  return p;
}

export async function updateProvider(em: EntityManager, id: string, input: UpdateSsoProviderInput): Promise<SsoProvider> {
  assertUuid('id', id);
  const p = await em.findOne(SsoProvider, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!p) throw notFound('id', 'single sign-on provider', id);
  // null is as good as omitted: GraphQL lets a client send it for any optional field.
  const f: Partial<SsoProvider> = {};
  if (input.displayName != null) f.displayName = input.displayName.trim();
  if (input.issuerUrl != null) f.issuerUrl = input.issuerUrl.trim().replace(/\/+$/, '') || input.issuerUrl;
  if (input.clientId != null) f.clientId = input.clientId.trim();
  if (input.clientSecret != null) f.clientSecret = input.clientSecret;
  if (input.scopes != null) f.scopes = scopesOf(input.scopes);
  if (input.groupsClaim != null) f.groupsClaim = input.groupsClaim.trim();
  if (input.groupRoles != null) f.groupRoles = mappingsOf(input.groupRoles);
  if (input.defaultRole != null) f.defaultRole = input.defaultRole;
  if (input.clearDefaultRole) f.defaultRole = null;
  if (input.provisioning != null) f.provisioning = input.provisioning;
  if (input.allowedDomains != null) f.allowedDomains = domainsOf(input.allowedDomains);
  if (input.trustEmail != null) f.trustEmail = input.trustEmail;
  if (input.clockToleranceSeconds != null) f.clockToleranceSeconds = input.clockToleranceSeconds;
  if (input.enabled != null) f.enabled = input.enabled;
  check(f);
  Object.assign(p, f, { updatedAt: new Date() });
  await em.flush();
  if (input.enabled === false) await keepAProvider(em, 'enabled');
  return p;
}

/** Deleting removes its identities (the accounts stay, and may be linked again by verified e-mail). */
export async function deleteProvider(em: EntityManager, id: string): Promise<void> {
  assertUuid('id', id);
  const rows = await em.execute<{ id: string }[]>(`delete from sso_providers where id = ? returning id`, [id]);
  if (!rows.length) throw notFound('id', 'single sign-on provider', id);
  await keepAProvider(em, 'id');
}
