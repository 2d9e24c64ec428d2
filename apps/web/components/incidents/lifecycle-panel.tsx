// The lifecycle moves open to the signed-in role from the incident's status.
import type { Option } from '@/components/forms';
import { NotAllowed } from '@/components/ui';
import type { LifecyclePanelFragment } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { LifecycleActions } from './lifecycle-actions';

export function LifecyclePanel({
  incident: i,
  work,
  targets,
  applied,
}: {
  incident: LifecyclePanelFragment;
  work: boolean;
  targets: string[];
  applied: Option[];
}) {
  return (
    <section className="panel" aria-labelledby="life-h">
      <h2 id="life-h">Lifecycle</h2>
      {!work ? (
        <NotAllowed what="move incidents through their lifecycle" />
      ) : targets.length ? (
        <LifecycleActions id={i.id} number={i.number} status={i.status} targets={targets} appliedWorkarounds={applied} />
      ) : (
        <p className="muted">No further lifecycle move from {humanize(i.status)}.</p>
      )}
      {i.status === 'NEW' ? <p className="muted small">Classifying a new incident triages it.</p> : null}
    </section>
  );
}
