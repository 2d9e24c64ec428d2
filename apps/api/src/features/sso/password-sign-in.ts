// The password sign-in setting (app_settings 'password_sign_in'): ON, or BREAK_GLASS_ONLY where only
// users flagged sso_break_glass may sign in with a password. Absent means ON (as before SSO existed).
import { normalizeEmail } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput } from '../../errors';
import type { PasswordSignInMode } from './sso.types';

export const PASSWORD_SETTING = 'password_sign_in';

export async function passwordSignInMode(em: EntityManager): Promise<PasswordSignInMode> {
  const rows = await em.execute<{ mode: string | null }[]>(`select value ->> 'mode' as mode from app_settings where key = ?`, [
    PASSWORD_SETTING,
  ]);
  return rows[0]?.mode === 'BREAK_GLASS_ONLY' ? 'BREAK_GLASS_ONLY' : 'ON';
}

/**
 * Refuses a password sign-in when passwords are off and the address is not a break-glass account's.
 * Asked before the password is checked, so the answer does not tell whether the password was right;
 * unknown addresses get the same answer as known ones.
 */
export async function refuseIfPasswordsOff(em: EntityManager, email: string): Promise<void> {
  const rows = await em.execute<{ mode: string | null; glass: boolean | null; names: string | null }[]>(
    `select (select value ->> 'mode' from app_settings where key = ?) as mode,
            (select sso_break_glass and not disabled from users where lower(email) = ?) as glass,
            (select string_agg(display_name, ', ' order by display_name) from sso_providers where enabled) as names`,
    [PASSWORD_SETTING, normalizeEmail(email).toLowerCase()],
  );
  const r = rows[0];
  if (r?.mode !== 'BREAK_GLASS_ONLY' || r.glass) return;
  throw new AppError(
    'PASSWORD_SIGN_IN_DISABLED',
    `Password sign-in is switched off here: sign in with single sign-on${r.names ? ` (${r.names})` : ''}.`,
  );
}

/**
 * Sets the mode and the break-glass admins. Turning passwords off needs at least one enabled
 * provider and at least one enabled break-glass admin with a password, so that nobody is locked out.
 */
export async function setPasswordSignIn(em: EntityManager, mode: PasswordSignInMode, userIds: readonly string[]): Promise<void> {
  const ids = [...new Set(userIds)];
  const users = ids.length
    ? await em.execute<{ id: string; email: string; role: string; disabled: boolean; has_password: boolean }[]>(
        `select id, email, role, disabled, password_hash is not null as has_password from users where id = any(?::uuid[]) for update`,
        [`{${ids.join(',')}}`],
      )
    : [];
  if (users.length !== ids.length) throw badInput('breakGlassUserIds', 'names a user that does not exist');
  const wrong = users.find((u) => u.role !== 'ADMIN' || u.disabled || !u.has_password);
  if (wrong) throw badInput('breakGlassUserIds', `${wrong.email} must be an enabled admin with a password to be a break-glass account`);
  if (mode === 'BREAK_GLASS_ONLY') {
    if (!users.length) throw badInput('breakGlassUserIds', 'must name at least one admin when password sign-in is switched off');
    const [p] = await em.execute<{ n: number }[]>(`select count(*)::int as n from sso_providers where enabled`);
    if (!p?.n) throw badInput('mode', 'cannot switch password sign-in off before a single sign-on provider is enabled');
  }
  await em.execute(`update users set sso_break_glass = (id = any(?::uuid[])) where sso_break_glass or id = any(?::uuid[])`, [
    `{${ids.join(',')}}`,
    `{${ids.join(',')}}`,
  ]);
  await em.execute(
    `insert into app_settings (key, value, updated_at) values (?, ?::jsonb, now())
       on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [PASSWORD_SETTING, JSON.stringify({ mode })],
  );
}

/** Disabling the last provider while passwords are off would lock out everyone but break-glass admins. */
export async function keepAProvider(em: EntityManager, field: string): Promise<void> {
  if ((await passwordSignInMode(em)) !== 'BREAK_GLASS_ONLY') return;
  const [p] = await em.execute<{ n: number }[]>(`select count(*)::int as n from sso_providers where enabled`);
  if (!p?.n) throw new AppError('CONFLICT', `${field}: password sign-in is switched off; keep one provider enabled or switch it on`);
}
