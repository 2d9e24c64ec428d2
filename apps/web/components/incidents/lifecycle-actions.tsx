'use client';
import type { Option } from '@/components/forms';
import { Disclosure } from '@/components/ui';
import { CloseForm } from './close-form';
import { HoldForm } from './hold-form';
import { QuickTransition } from './quick-transition';
import { ReopenForm } from './reopen-form';
import { ResolveForm } from './resolve-form';

/** The lifecycle moves allowed from the current status (computed by the domain state machine). */
export function LifecycleActions({
  id,
  number,
  status,
  targets,
  appliedWorkarounds,
}: {
  id: string;
  number: string;
  status: string;
  targets: string[];
  appliedWorkarounds: Option[];
}) {
  const reopen = (status === 'RESOLVED' || status === 'CLOSED') && targets.includes('INVESTIGATING');
  return (
    <div>
      <div className="actions" style={{ marginBottom: '0.5rem' }}>
        {targets.includes('INVESTIGATING') && !reopen ? (
          <QuickTransition
            id={id}
            to="INVESTIGATING"
            label={status === 'ON_HOLD' ? 'Resume investigation' : 'Start investigating'}
            variant="primary"
          />
        ) : null}
        {targets.includes('REVIEWED') ? <QuickTransition id={id} to="REVIEWED" label="Mark reviewed" /> : null}
      </div>
      {targets.includes('ON_HOLD') ? (
        <Disclosure summary="Put on hold…">
          <HoldForm id={id} />
        </Disclosure>
      ) : null}
      {targets.includes('RESOLVED') ? (
        <Disclosure summary="Resolve…">
          <ResolveForm id={id} workarounds={appliedWorkarounds} />
        </Disclosure>
      ) : null}
      {targets.includes('CLOSED') ? (
        <Disclosure summary="Close…">
          <CloseForm id={id} number={number} />
        </Disclosure>
      ) : null}
      {reopen ? (
        <Disclosure summary="Reopen…">
          <ReopenForm id={id} />
        </Disclosure>
      ) : null}
    </div>
  );
}
