'use client';
// E-mail subscription to the status page (double opt-in: the API mails a confirmation link).
import { useActionState } from 'react';
import { Field, FieldErrors, FormError, Submit } from '@/components/forms';
import { subscribeAction, type SubscribeState } from './actions';

const INITIAL: SubscribeState = { ok: false, message: null, errors: [] };

export function SubscribeForm({ services }: { services: { id: string; name: string }[] }) {
  const [state, action, busy] = useActionState(subscribeAction, INITIAL);
  if (state.ok)
    return (
      <p className="form-ok" role="status">
        {state.message}
      </p>
    );
  return (
    <form className="form" aria-label="Subscribe to updates" action={action}>
      <FieldErrors errors={state.errors}>
        <Field label="E-mail address" hint="We send a link to confirm; nothing else until you do.">
          <input type="email" name="email" required maxLength={254} autoComplete="email" />
        </Field>
        {services.length > 1 ? (
          <fieldset className="status-services-pick">
            <legend>Only these services (none ticked: all)</legend>
            {services.map((s) => (
              <label key={s.id}>
                <input type="checkbox" name="serviceIds" value={s.id} /> {s.name}
              </label>
            ))}
          </fieldset>
        ) : null}
        <FormError error={null} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Subscribe</Submit>
      </div>
    </form>
  );
}
