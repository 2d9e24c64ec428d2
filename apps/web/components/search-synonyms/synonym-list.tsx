'use client';
// The synonym list as a table, with a filter on terms and notes (typed words all have to appear),
// and for admins each group's edit form and delete button.
import { useId, useState } from 'react';
import type { SynonymGroupRowFragment } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { DeleteSynonymGroupButton } from './delete-synonym-group-button';
import { EditSynonymGroupForm } from './edit-synonym-group-form';

function origin(g: SynonymGroupRowFragment): string {
  if (g.builtIn) return g.modified ? 'Built-in, edited' : 'Built-in';
  return g.createdBy ? `Added by ${g.createdBy.name}` : 'Added';
}

function matches(g: SynonymGroupRowFragment, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = `${g.terms.join(' · ')} ${g.note ?? ''} ${origin(g)}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function SynonymList({ groups, canManage }: { groups: SynonymGroupRowFragment[]; canManage: boolean }) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const shown = groups.filter((g) => matches(g, filter));
  return (
    <>
      <div className="filters" role="search">
        <label className="field-label" htmlFor={id}>
          Filter groups
        </label>{' '}
        <input
          id={id}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="a term, a note, built-in, edited…"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      {shown.length ? (
        <div className="table-wrap">
          <table className="data" data-testid="synonym-groups">
            <caption aria-live="polite">
              {shown.length === groups.length ? `${groups.length} groups` : `${shown.length} of ${groups.length} groups`}, by first term
            </caption>
            <thead>
              <tr>
                <th scope="col">Terms</th>
                <th scope="col">Note</th>
                <th scope="col">Origin</th>
                <th scope="col">Changed</th>
                {canManage ? <th scope="col">Manage</th> : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((g) => (
                <tr key={g.id} data-synonym-group={g.terms.join(',')}>
                  <th scope="row" style={{ fontWeight: 'normal' }}>
                    {g.terms.map((t) => (
                      <span key={t} className="tag mono">
                        {t}
                      </span>
                    ))}
                  </th>
                  <td className="small">{g.note ?? ''}</td>
                  <td className="small">
                    {g.builtIn ? <span className={`badge${g.modified ? ' status-draft' : ''}`}>{origin(g)}</span> : origin(g)}
                  </td>
                  <td className="small nowrap">{formatDate(g.updatedAt)}</td>
                  {canManage ? (
                    <td>
                      <div className="actions" style={{ alignItems: 'flex-start' }}>
                        <EditSynonymGroupForm key={`${g.terms.join(',')}|${g.note ?? ''}`} group={g} />
                        <DeleteSynonymGroupButton group={g} />
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{groups.length ? `No group matches “${filter}”.` : 'No groups: searches look for the words as typed.'}</p>
      )}
    </>
  );
}
