'use client';
// A button, not the link itself, unsubscribes: mail scanners open links, and must not remove anyone.
import { useActionState } from 'react';
import { FormError, Submit } from '@/components/forms';
import { unsubscribeAction, type SubscribeState } from './actions';

const INITIAL: SubscribeState = { ok: false, message: null, errors: [] };

export function UnsubscribeForm({ token }: { token: string }) {
  const [state, action, busy] = useActionState(unsubscribeAction, INITIAL);
  if (state.ok)
    return (
      <p className="form-ok" role="status">
        {state.message}
      </p>
    );
  return (
    <form className="form" aria-label="Unsubscribe" action={action}>
      <input type="hidden" name="token" value={token} />
      <FormError error={state.errors[0]?.message ?? null} />
      <div className="actions">
        <Submit busy={busy}>Unsubscribe</Submit>
      </div>
    </form>
  );
}
