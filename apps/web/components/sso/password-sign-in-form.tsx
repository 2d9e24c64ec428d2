'use client';
// Password sign-in: on for everyone, or off except for named break-glass admins (the API refuses
// a setting that would lock everybody out and says why).
import { useState } from 'react';
import { FieldErrors, FormError, Saved, Submit } from '@/components/forms';
import { SetPasswordSignInDocument, type PasswordSignInMode } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function PasswordSignInForm(props: {
  mode: PasswordSignInMode;
  breakGlass: string[];
  admins: { id: string; email: string; name: string }[];
}) {
  const { run, busy, error, errors, done } = useAction(SetPasswordSignInDocument);
  const [mode, setMode] = useState<PasswordSignInMode>(props.mode);
  return (
    <form
      className="form"
      aria-label="Password sign-in"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        await run({ input: { mode, breakGlassUserIds: f.getAll('breakGlass').map(String) } });
      }}
    >
      <FieldErrors errors={errors}>
        <fieldset>
          <legend>Password sign-in</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'ON'} onChange={() => setMode('ON')} /> On for everyone
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'BREAK_GLASS_ONLY'} onChange={() => setMode('BREAK_GLASS_ONLY')} /> Off,
            except for the break-glass admins below
          </label>
        </fieldset>
        <fieldset>
          <legend>Break-glass admins (may always sign in with their password)</legend>
          {props.admins.map((a) => (
            <label key={a.id}>
              <input type="checkbox" name="breakGlass" value={a.id} defaultChecked={props.breakGlass.includes(a.id)} /> {a.name} ({a.email})
            </label>
          ))}
        </fieldset>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save password sign-in</Submit>
        <Saved done={done} error={error} />
      </div>
    </form>
  );
}
