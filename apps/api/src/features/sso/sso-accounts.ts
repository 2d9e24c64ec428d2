// Who a verified ID token is here: the account linked to its (issuer, subject), else the account of
// its verified e-mail address (linked then, once), else a new account (JIT) or a refusal
// (PRE_PROVISIONED). The role comes from the groups claim (the highest mapped role wins).
import { emailDomainAllowed, groupsOf, normalizeEmail, roleForGroups, textProblem, type Role, type SsoErrorCode } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../directory/user.entity';
import type { SsoProvider } from './sso-provider.entity';

export class SsoFailure extends Error {
  /** Set once the pending login is known: a test sign-in keeps its failure for the admin. */
  testKey: string | null = null;
  testBy: string | null = null;
  constructor(
    readonly code: SsoErrorCode,
    detail?: string,
  ) {
    super(detail ?? code);
  }
}

export interface AccountPlan {
  account: 'LINKED' | 'LINK_BY_EMAIL' | 'CREATE';
  userId: string | null;
  email: string | null;
  name: string;
  groups: string[];
  /** The role from the groups (or the provider's default); null when the mapping gives none. */
  role: Role | null;
  /** Whether the user's role follows the groups at each sign-in (only when the provider maps groups). */
  syncRole: boolean;
  breakGlass: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function nameOf(claims: Record<string, unknown>, email: string | null): string {
  const given = [claims.given_name, claims.family_name].filter((x) => typeof x === 'string').join(' ');
  for (const c of [claims.name, given, claims.preferred_username, email]) {
    if (typeof c !== 'string') continue;
    const n = c.trim().slice(0, 120);
    if (n && !textProblem(n, { singleLine: true, max: 120 })) return n;
  }
  return 'Single sign-on user';
}

/** Decides without writing (test sign-ins show this); throws SsoFailure for a refusal. */
export async function planAccount(em: EntityManager, p: SsoProvider, claims: Record<string, unknown>): Promise<AccountPlan> {
  const rawEmail = typeof claims.email === 'string' ? normalizeEmail(claims.email) : null;
  const email = rawEmail && rawEmail.length <= 254 && EMAIL.test(rawEmail) ? rawEmail : null;
  const verified = claims.email_verified === true || claims.email_verified === 'true' || p.trustEmail;
  const groups = groupsOf(claims[p.groupsClaim]);
  const role = roleForGroups(groups, p.groupRoles, p.defaultRole);
  if (!role) throw new SsoFailure('NO_ROLE');
  if (email && !emailDomainAllowed(email, p.allowedDomains)) throw new SsoFailure('EMAIL_DOMAIN');
  const base = { email, name: nameOf(claims, email), groups, role, syncRole: p.groupRoles.length > 0 };
  const linked = await em.execute<{ id: string; disabled: boolean; glass: boolean }[]>(
    `select u.id, u.disabled, u.sso_break_glass as glass from sso_identities i join users u on u.id = i.user_id
      where i.issuer = ? and i.subject = ?`,
    [String(claims.iss), String(claims.sub)],
  );
  if (linked[0]) {
    if (linked[0].disabled) throw new SsoFailure('ACCOUNT_DISABLED');
    return { ...base, account: 'LINKED', userId: linked[0].id, breakGlass: linked[0].glass };
  }
  // Only a verified address may claim an existing account: an unverified one could be anybody's.
  if (!email || !verified) throw new SsoFailure('EMAIL_MISSING');
  const users = await em.execute<{ id: string; disabled: boolean; glass: boolean; other: boolean }[]>(
    `select u.id, u.disabled, u.sso_break_glass as glass,
        exists (select 1 from sso_identities i where i.user_id = u.id and i.provider_id = ?) as other
       from users u where lower(u.email) = ?`,
    [p.id, email.toLowerCase()],
  );
  const u = users[0];
  if (u) {
    if (u.disabled) throw new SsoFailure('ACCOUNT_DISABLED');
    // The account already has another subject of this provider: a second one claiming it by e-mail is refused.
    if (u.other) throw new SsoFailure('IDENTITY_CONFLICT');
    return { ...base, account: 'LINK_BY_EMAIL', userId: u.id, breakGlass: u.glass };
  }
  if (p.provisioning !== 'JIT') throw new SsoFailure('NOT_PROVISIONED');
  return { ...base, account: 'CREATE', userId: null, breakGlass: false };
}

/** Writes what the plan says (in em's transaction) and returns the user id. */
export async function applyAccount(em: EntityManager, p: SsoProvider, claims: Record<string, unknown>, plan: AccountPlan): Promise<string> {
  let userId = plan.userId;
  if (plan.account === 'CREATE') {
    const user = em.create(User, { email: plan.email!, name: plan.name, role: plan.role!, passwordHash: null } as User);
    em.persist(user);
    await em.flush();
    userId = user.id;
  } else if (plan.syncRole && !plan.breakGlass && plan.role) {
    // Break-glass admins keep the role set here: a provider's group change must not take the way back in away.
    await em.execute(`update users set role = ? where id = ? and role <> ?`, [plan.role, userId, plan.role]);
  }
  if (plan.account === 'LINKED') {
    await em.execute(`update sso_identities set last_sign_in_at = now(), email = ? where issuer = ? and subject = ?`, [
      plan.email,
      String(claims.iss),
      String(claims.sub),
    ]);
  } else {
    await em.execute(
      `insert into sso_identities (id, provider_id, issuer, subject, user_id, email, last_sign_in_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, now())`,
      [p.id, String(claims.iss), String(claims.sub), userId, plan.email],
    );
  }
  return userId!;
}
