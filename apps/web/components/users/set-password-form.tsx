'use client';
// Set a user's password (setUserPassword), typed or generated here in the browser; shown once
// after it is saved so it can be handed over. It ends the user's sessions and lifts a lockout.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit } from '@/components/forms';
import { SecretOnce } from '@/components/secret-once';
import { SetUserPasswordDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 4 groups of 5 characters from 57 (about 117 bits), without look-alikes (0/O, 1/l/I). */
export function suggestPassword(): string {
  const out: string[] = [];
  const bytes = new Uint32Array(20);
  crypto.getRandomValues(bytes);
  for (let i = 0; i < 20; i++) out.push(ALPHABET[bytes[i]! % ALPHABET.length]!);
  return [0, 5, 10, 15].map((at) => out.slice(at, at + 5).join('')).join('-');
}

export function SetPasswordForm({ user, self }: { user: { id: string; name: string; email: string }; self?: boolean }) {
  const { run, busy, error, errors } = useAction(SetUserPasswordDocument);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const id = `pw-${user.id}`;
  return (
    <>
      <details className="edit-row" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="btn plain small" aria-label={`Set a password for ${user.name}`}>
          Password
        </summary>
        {open ? (
          <form
            className="form"
            aria-label={`Set a password for ${user.name}`}
            onSubmit={async (e) => {
              e.preventDefault();
              const password = value;
              if (await run({ userId: user.id, password }, { refresh: false })) {
                setSaved(password);
                setValue('');
                setOpen(false);
              }
            }}
          >
            <FieldErrors errors={errors}>
              <Field
                label="New password"
                hint={
                  'At least 8 characters, not a common one. ' +
                  `Saving ends ${self ? 'your sessions, this one included' : 'their sessions'} and lifts a lockout.`
                }
              >
                <input
                  id={id}
                  type="text"
                  className="mono"
                  name="password"
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  required
                  minLength={8}
                  maxLength={200}
                />
              </Field>
              <FormError error={error} />
            </FieldErrors>
            <div className="actions">
              <button type="button" className="btn plain small" onClick={() => setValue(suggestPassword())}>
                Suggest one
              </button>
              <Submit busy={busy}>Set password</Submit>
            </div>
          </form>
        ) : null}
      </details>
      {saved ? (
        <SecretOnce
          title={`New password for ${user.name}`}
          label={`Password of ${user.email}`}
          secret={saved}
          onDone={() => setSaved(null)}
        />
      ) : null}
    </>
  );
}
