'use client';
// One single sign-on provider: a new one (createSsoProvider) or an edit (updateSsoProvider, where an
// empty client secret keeps the stored one). Group mappings are one "group = ROLE" per line.
import { Field, FieldErrors, FormError, Submit, bool, int, str } from '@/components/forms';
import { CreateSsoProviderDocument, UpdateSsoProviderDocument, type Role, type SsoProviderFieldsFragment } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const ROLES: Role[] = ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER'];

/** "group = ROLE" lines; a line that is not one is kept whole as a group with no valid role, for the API to name. */
export function parseMappings(text: string): { group: string; role: Role }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.lastIndexOf('=');
      const role = (
        i < 0
          ? ''
          : l
              .slice(i + 1)
              .trim()
              .toUpperCase()
              .replace(/\s+/g, '_')
      ) as Role;
      return { group: i < 0 ? l : l.slice(0, i).trim(), role: ROLES.includes(role) ? role : ('VIEWER' as Role) };
    });
}

export function ProviderForm({ provider }: { provider?: SsoProviderFieldsFragment }) {
  const create = useAction(CreateSsoProviderDocument);
  const update = useAction(UpdateSsoProviderDocument);
  const { busy, error, errors } = provider ? update : create;
  return (
    <form
      className="form"
      aria-label={provider ? `Edit ${provider.displayName}` : 'Add a single sign-on provider'}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const common = {
          displayName: str(f, 'displayName') ?? '',
          issuerUrl: str(f, 'issuerUrl') ?? '',
          clientId: str(f, 'clientId') ?? '',
          scopes: str(f, 'scopes'),
          groupsClaim: str(f, 'groupsClaim'),
          groupRoles: parseMappings(String(f.get('groupRoles') ?? '')),
          provisioning: (str(f, 'provisioning') ?? 'PRE_PROVISIONED') as 'JIT' | 'PRE_PROVISIONED',
          allowedDomains: (str(f, 'allowedDomains') ?? '').split(/[\s,]+/).filter(Boolean),
          trustEmail: bool(f, 'trustEmail'),
          clockToleranceSeconds: int(f, 'clockToleranceSeconds'),
          enabled: bool(f, 'enabled'),
        };
        const role = str(f, 'defaultRole') as Role | undefined;
        if (provider) {
          const secret = str(f, 'clientSecret');
          await update.run({
            id: provider.id,
            input: {
              ...common,
              ...(secret ? { clientSecret: secret } : {}),
              ...(role ? { defaultRole: role } : { clearDefaultRole: true }),
            },
          });
        } else if (
          await create.run({
            input: { ...common, slug: str(f, 'slug') ?? '', clientSecret: str(f, 'clientSecret') ?? '', defaultRole: role ?? null },
          })
        ) {
          form.reset();
        }
      }}
    >
      <FieldErrors errors={errors}>
        {provider ? null : (
          <Field label="Slug" hint="Lower-case letters, digits, hyphens; in the redirect URI: /auth/sso/<slug>/callback.">
            <input type="text" name="slug" required maxLength={40} pattern="[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?" autoComplete="off" />
          </Field>
        )}
        <Field label="Display name" hint="On the sign-in button: “Sign in with …”.">
          <input type="text" name="displayName" required maxLength={80} defaultValue={provider?.displayName} />
        </Field>
        <Field label="Issuer URL" wide hint="e.g. https://your-org.okta.com or https://login.microsoftonline.com/<tenant>/v2.0">
          <input type="url" name="issuerUrl" required maxLength={500} defaultValue={provider?.issuerUrl} spellCheck={false} />
        </Field>
        <Field label="Client ID">
          <input type="text" name="clientId" required maxLength={300} defaultValue={provider?.clientId} autoComplete="off" />
        </Field>
        <Field
          label="Client secret"
          hint={provider ? 'Leave empty to keep the stored secret (it is never shown).' : 'Stored, never shown again.'}
        >
          <input type="password" name="clientSecret" required={!provider} maxLength={2000} autoComplete="new-password" />
        </Field>
        <Field label="Scopes" hint="Space-separated; openid is always added.">
          <input type="text" name="scopes" maxLength={300} defaultValue={provider?.scopes ?? 'openid email profile'} />
        </Field>
        <Field label="Groups claim" hint="Okta, Keycloak: groups; Entra ID: groups or roles.">
          <input type="text" name="groupsClaim" maxLength={100} defaultValue={provider?.groupsClaim ?? 'groups'} />
        </Field>
        <Field label="Group to role" wide field="groupRoles" hint="One “group = ROLE” a line; the highest role of a person’s groups wins.">
          <textarea name="groupRoles" rows={4} defaultValue={provider?.groupRoles.map((m) => `${m.group} = ${m.role}`).join('\n')} />
        </Field>
        <Field label="Role when no group matches" hint="None: such people are refused.">
          <select name="defaultRole" defaultValue={provider?.defaultRole ?? ''}>
            <option value="">None (refuse)</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Accounts" hint="Created at the first sign-in, or only for people who already have one.">
          <select name="provisioning" defaultValue={provider?.provisioning ?? 'PRE_PROVISIONED'}>
            <option value="JIT">Create at first sign-in</option>
            <option value="PRE_PROVISIONED">Pre-provisioned only</option>
          </select>
        </Field>
        <Field label="Allowed e-mail domains" hint="Comma-separated; empty allows any.">
          <input type="text" name="allowedDomains" maxLength={2000} defaultValue={provider?.allowedDomains.join(', ')} />
        </Field>
        <Field label="Clock tolerance (seconds)" hint="0 to 600.">
          <input type="number" name="clockToleranceSeconds" min={0} max={600} defaultValue={provider?.clockToleranceSeconds ?? 60} />
        </Field>
        <Field label="Trust the e-mail claim" hint="Only for a provider that issues verified addresses of your domains (Entra ID).">
          <input type="checkbox" name="trustEmail" defaultChecked={provider?.trustEmail ?? false} />
        </Field>
        <Field label="Enabled">
          <input type="checkbox" name="enabled" defaultChecked={provider?.enabled ?? true} />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>{provider ? 'Save provider' : 'Add provider'}</Submit>
      </div>
    </form>
  );
}
