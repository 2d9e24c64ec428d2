'use client';
// Applying a model or a workaround from a suggestion: asked first (ConfirmApply), then the same
// pending state, confirmation and error for both.
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import type { ReactNode } from 'react';
import { FormError } from '@/components/forms';
import { useAction } from '@/lib/use-action';
import { ConfirmApply } from './confirm-apply';

export function ApplyButton<TData, TVars extends OperationVariables>({
  mutation,
  variables,
  label,
  ariaLabel,
  title,
  confirmLabel,
  children,
}: {
  mutation: TypedDocumentNode<TData, TVars>;
  variables: TVars;
  label: string;
  ariaLabel: string;
  /** The confirmation's question. */
  title: string;
  confirmLabel: string;
  /** What will change on the incident. */
  children: ReactNode;
}) {
  const { run, busy, error, done } = useAction(mutation);
  return (
    <span>
      <ConfirmApply
        label={label}
        ariaLabel={ariaLabel}
        title={title}
        confirmLabel={confirmLabel}
        busy={busy}
        onConfirm={() => run(variables)}
      >
        {children}
      </ConfirmApply>
      {done && !error ? (
        <span className="form-ok small" role="status">
          {' '}
          Applied.
        </span>
      ) : null}
      <FormError error={error} />
    </span>
  );
}
