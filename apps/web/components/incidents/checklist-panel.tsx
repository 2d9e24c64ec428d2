// The checklist steps of the incident models applied to the incident.
import type { ChecklistPanelFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { ChecklistItem } from './checklist-item';

export function ChecklistPanel({ incident: i, readOnly }: { incident: ChecklistPanelFragment; readOnly: boolean }) {
  return (
    <section className="panel" aria-labelledby="check-h">
      <h2 id="check-h">Checklist</h2>
      <ul className="card-list">
        {i.checklist.map((c) => (
          <li key={c.id}>
            <ChecklistItem itemId={c.id} done={c.done} text={c.text} readOnly={readOnly} />
            <span className="muted small">
              {c.modelVersion.model.name} v{c.modelVersion.version}
              {c.done && c.doneByName ? ` · done by ${c.doneByName} ${formatDateTime(c.doneAt)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
