import { ROLES, type Role } from '../features/directory/user.entity';
import { AuthService } from '../features/auth/auth.service';
import { parseOptions } from './args';
import { UsageError, type CliCommand } from './command';

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'create an API token for a user (shown once, stored hashed), or revoke one',
  help: `Usage: pnpm cli token create --user <email> --role <ROLE> [--name <label>]
       pnpm cli token revoke --id <token id>

create   makes an API token acting as that user with that role (never more than the user's
         own role) and prints it once: send it as "Authorization: Bearer <token>". Only its hash
         is stored. The last line of the output is the token alone.
revoke   ends a token: every API instance refuses it at once (told by a notification when the
         revocation commits; within 5 seconds by an instance that missed it).

Options:
  --user <email>   the account the token acts as
  --role <ROLE>    ${ROLES.join(', ')}
  --name <label>   what the token is for (default "CLI token"); one line, 120 characters at most
  --id <id>        the token to revoke (its id, as create printed it)

Example:
  pnpm cli token create --user admin@example.com --role ADMIN --name "nightly export"`,
  async run(args, ctx) {
    const [action, ...rest] = args;
    const { values } = parseOptions({
      args: rest,
      options: { user: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
    });
    if (action === 'create') {
      if (values.id !== undefined) throw new UsageError('token create: --id is for token revoke');
      if (!values.user) throw new UsageError('token create: --user <email> is required');
      if (!values.role) throw new UsageError(`token create: --role is required (${ROLES.join(', ')})`);
      const role = values.role.toUpperCase() as Role;
      // On the command line a role is typed as its code, so the refusal lists the codes (the API words them).
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}; got "${values.role}"`);
      const { token, secret } = await ctx.withEm((em) =>
        new AuthService(em).createToken({ email: values.user }, role, values.name ?? 'CLI token'),
      );
      ctx.io.out(
        `Token ${token.id} (${token.role}) for ${values.user}. Send it as "Authorization: Bearer <token>"; it is shown only ` +
          `now:\n${secret}`,
      );
      return 0;
    }
    if (action === 'revoke') {
      if (values.user !== undefined || values.role !== undefined || values.name !== undefined)
        throw new UsageError('token revoke takes --id only');
      if (!values.id) throw new UsageError('token revoke: --id <token id> is required');
      const id = values.id;
      await ctx.withEm((em) => new AuthService(em).revokeToken(id));
      ctx.io.out(`Revoked ${id}`);
      return 0;
    }
    throw new UsageError(action ? `token: unknown action "${action}" (create or revoke)` : 'token: say create or revoke');
  },
};
