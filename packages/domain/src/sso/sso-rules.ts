// Pure rules of single sign-on (OpenID Connect): which role a groups claim maps to, which return
// paths a sign-in may go back to, and the sentence the sign-in page shows for each failure code.
import { ROLES, type Role } from '../permissions';

export interface GroupRoleMapping {
  group: string;
  role: Role;
}

// Higher rank wins when a person is in several mapped groups.
const RANK: Record<Role, number> = { ADMIN: 4, PROBLEM_MANAGER: 3, ENGINEER: 2, VIEWER: 1 };

/**
 * The groups of a claim value: a list of strings (Okta, Entra ID, Keycloak) or one string (some
 * providers send a single group as a plain value). Anything else holds no groups.
 */
export function groupsOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim ? [claim] : [];
  if (!Array.isArray(claim)) return [];
  return claim.filter((g): g is string => typeof g === 'string' && g.length > 0).slice(0, 1000);
}

/**
 * The role a person's groups map to: the highest role among the mappings whose group they are in
 * (exact, case-sensitive match: group names and Entra ID object ids are compared as the provider
 * sends them). No mapped group gives `fallback` (null: the sign-in is refused).
 */
export function roleForGroups(groups: readonly string[], mappings: readonly GroupRoleMapping[], fallback: Role | null): Role | null {
  const have = new Set(groups);
  let best: Role | null = null;
  for (const m of mappings) if (have.has(m.group) && (!best || RANK[m.role] > RANK[best])) best = m.role;
  return best ?? fallback;
}

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/**
 * The path a sign-in returns to, when it is a same-origin relative path: starts with one "/" (not
 * "//" nor "/\", which browsers read as another host), no scheme, no control characters or
 * backslashes, at most 512 characters. Anything else gives "/".
 */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 512) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // Control characters (tab and newline are dropped by URL parsers, so "/\t/evil.com" is "//evil.com") and backslashes.
  // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  try {
    const u = new URL(raw, 'http://same.invalid');
    if (u.host !== 'same.invalid' || u.protocol !== 'http:') return '/';
  } catch {
    return '/';
  }
  return raw;
}

/** Failure codes the callback puts in /sign-in?sso_error=<CODE>. */
export const SSO_ERRORS = {
  PROVIDER_UNKNOWN: 'This single sign-on provider is not configured or is switched off.',
  PROVIDER_UNAVAILABLE: 'The identity provider could not be reached. Try again in a moment, or ask an admin to check the provider.',
  STATE_INVALID: 'This sign-in link has expired or was already used. Start the sign-in again.',
  ACCESS_DENIED: 'The identity provider did not let you sign in (access denied).',
  PROVIDER_ERROR: 'The identity provider answered with an error. Start the sign-in again, or ask an admin to check the provider.',
  TOKEN_INVALID: 'The identity provider sent a sign-in that could not be verified (wrong audience, expired, or a bad signature).',
  EMAIL_MISSING: 'The identity provider did not send a verified e-mail address for your account.',
  EMAIL_DOMAIN: 'Your e-mail domain is not allowed to sign in with this provider.',
  NO_ROLE: 'None of your groups gives access to this application. Ask an admin to add your group.',
  NOT_PROVISIONED: 'You have no account here yet. Ask an admin to create one for your e-mail address.',
  ACCOUNT_DISABLED: 'Your account is disabled.',
  IDENTITY_CONFLICT: 'Your e-mail address belongs to an account linked to another sign-in. Ask an admin.',
  BAD_REQUEST: 'The sign-in request was malformed. Start the sign-in again.',
  RATE_LIMITED: 'Too many sign-in attempts from your address. Wait a minute and try again.',
} as const;
export type SsoErrorCode = keyof typeof SSO_ERRORS;

/** The sentence for a code from the query string; an unknown code gets a general one. */
export function ssoErrorSentence(code: unknown): string {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(SSO_ERRORS, code)
    ? SSO_ERRORS[code as SsoErrorCode]
    : 'Single sign-on failed. Start the sign-in again.';
}

/** An allowed e-mail domain list match (case-insensitive, exact domain; an empty list allows all). */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.some((d) => d.toLowerCase() === domain);
}
