import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { normalizeEmail } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { askHidden } from '../../cli/ask-hidden';
import { CliError, UsageError, type CliCommand, type CliIo } from '../../cli/command';
import { AppError } from '../../errors';
import { ROLES, User, type Role } from '../directory/user.entity';
import { AuthService } from './auth.service';

const HELP = `Usage: pnpm cli user <action> [options]

Accounts from the command line (the web app's admin pages do the same).

  user create --email <email> --name <name> --role <ROLE> [--team <team name>]
              [--generate-password | --no-password]
      a new account. The password is read from standard input (typed, not shown, and asked twice;
      or piped: the first line), checked with the same rules as the API (8 characters or more,
      not among the most common). --generate-password makes a strong one and prints it once;
      --no-password makes an account that cannot sign in (a reporter, an imported name).
  user list
      every account: email, name, role, disabled, last sign-in
  user password --email <email> [--generate-password]
      a new password (from standard input), which unlocks the account and ends its sessions
  user role --email <email> --role <ROLE>
  user disable --email <email> | user enable --email <email>
      disabling ends the account's sessions and revokes its tokens

Roles: ${ROLES.join(', ')}. The last enabled admin cannot be demoted or disabled.

Example, the first admin of a new deployment:
  printf '%s\\n' 'a long passphrase' | pnpm cli user create --email ops@example.com --name "Ops Lead" --role ADMIN`;

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  team: { type: 'string' },
  'generate-password': { type: 'boolean' },
  'no-password': { type: 'boolean' },
} as const;

export const userCommand: CliCommand = {
  name: 'user',
  summary: 'create and manage accounts: user create|list|password|role|disable|enable',
  help: HELP,
  async run(args, ctx) {
    const [action, ...rest] = args;
    let values: { email?: string; name?: string; role?: string; team?: string; 'generate-password'?: boolean; 'no-password'?: boolean };
    try {
      ({ values } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: false }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const need = (key: 'email' | 'name' | 'role') => {
      const v = values[key]?.trim();
      if (!v) throw new UsageError(`user ${action}: --${key} is required`);
      return v;
    };
    const role = (): Role => {
      const r = need('role').toUpperCase();
      if (!ROLES.includes(r as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}; got "${values.role}"`);
      return r as Role;
    };
    const run = <T>(fn: (auth: AuthService, em: EntityManager) => Promise<T>) =>
      ctx.withEm(async (em) => {
        try {
          return await fn(new AuthService(em), em);
        } catch (err) {
          // The service's refusals name the field: they are the tool's message, not a crash.
          if (err instanceof AppError) throw new CliError(err.message);
          throw err;
        }
      });

    switch (action) {
      case 'create': {
        const email = need('email');
        const name = need('name');
        const r = role();
        const password = await passwordFor(values, ctx.io, { allowNone: true });
        const user = await run(async (auth, em) => {
          const teamId = values.team ? await teamIdByName(em, values.team) : undefined;
          return auth.createUserAccount({ email, name, role: r, password: password.value ?? undefined, teamId });
        });
        ctx.io.out(`Created ${user.email} (${user.role})${password.value ? '' : ', who cannot sign in (no password)'}.`);
        if (password.generated) ctx.io.out(`Password (shown only now): ${password.value}`);
        return 0;
      }
      case 'list': {
        const users = await run((_auth, em) => em.find(User, {}, { orderBy: { email: 'asc' } }));
        if (!users.length) ctx.io.out('No accounts yet.');
        for (const u of users) {
          ctx.io.out(
            `${u.email}\t${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}\tlast sign-in: ${u.lastLoginAt?.toISOString() ?? 'never'}`,
          );
        }
        return 0;
      }
      case 'password': {
        const email = need('email');
        const password = await passwordFor(values, ctx.io, { allowNone: false });
        await run(async (auth, em) => auth.setPassword((await userByEmail(em, email)).id, password.value!));
        ctx.io.out(`New password set for ${normalizeEmail(email)}; its sessions have ended.`);
        if (password.generated) ctx.io.out(`Password (shown only now): ${password.value}`);
        return 0;
      }
      case 'role': {
        const email = need('email');
        const r = role();
        await run(async (auth, em) => auth.setRole((await userByEmail(em, email)).id, r));
        ctx.io.out(`${normalizeEmail(email)} is now ${r}.`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const email = need('email');
        await run(async (auth, em) => auth.setDisabled((await userByEmail(em, email)).id, action === 'disable'));
        ctx.io.out(
          `${normalizeEmail(email)} is ${action === 'disable' ? 'disabled: its sessions ended and its tokens were revoked' : 'enabled'}.`,
        );
        return 0;
      }
      default:
        throw new UsageError(action ? `Unknown action "user ${action}"` : 'Say what to do: user create|list|password|role|disable|enable');
    }
  },
};

async function userByEmail(em: EntityManager, email: string): Promise<User> {
  const user = await em.findOne(User, { email: normalizeEmail(email) });
  if (!user) throw new CliError(`No account with the email ${normalizeEmail(email)} (pnpm cli user list shows them)`);
  return user;
}

async function teamIdByName(em: EntityManager, name: string): Promise<string> {
  const rows = await em.execute<{ id: string }[]>(`select id from teams where lower(name) = lower(?)`, [name.trim()]);
  if (!rows[0]) throw new CliError(`No team named "${name}"`);
  return rows[0].id;
}

/** A strong password people can still type: 24 characters from 18 random bytes. */
export const generatePassword = () => randomBytes(18).toString('base64url');

async function passwordFor(
  values: { 'generate-password'?: boolean; 'no-password'?: boolean },
  io: CliIo,
  opts: { allowNone: boolean },
): Promise<{ value: string | null; generated: boolean }> {
  if (values['generate-password'] && values['no-password'])
    throw new UsageError('--generate-password and --no-password exclude each other');
  if (values['no-password']) {
    if (!opts.allowNone) throw new UsageError('--no-password only goes with user create');
    return { value: null, generated: false };
  }
  if (values['generate-password']) return { value: generatePassword(), generated: true };
  const stdin = io.stdin;
  if (!stdin) throw new UsageError('the password is read from standard input (or use --generate-password)');
  if ((stdin as NodeJS.ReadStream).isTTY) {
    const first = await askHidden(stdin, io, 'Password: ');
    const again = await askHidden(stdin, io, 'Again: ');
    if (first !== again) throw new CliError('The two passwords differ; nothing was changed');
    return { value: first, generated: false };
  }
  const piped = (await readAll(stdin)).split(/\r?\n/)[0] ?? '';
  if (!piped) throw new CliError('No password on standard input (pipe one line, type it at the prompt, or use --generate-password)');
  return { value: piped, generated: false };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > 10_000) break; // a password, not a file
  }
  return text;
}
