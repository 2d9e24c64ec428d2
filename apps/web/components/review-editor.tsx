'use client';
// The review editor: every section saves on its own through one mutation and refreshes the page.
import { useApolloClient } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import {
  AddActionItemDocument,
  AddContributingFactorDocument,
  AddIncidentsToReviewDocument,
  AddTimelineEntryDocument,
  CreateReviewDocument,
  CurateTimelineEntryDocument,
  IncidentIdByNumberDocument,
  ProblemPickerDocument,
  RemoveActionItemDocument,
  RemoveContributingFactorDocument,
  RemoveIncidentsFromReviewDocument,
  RemoveTimelineEntryDocument,
  SetActionItemStatusDocument,
  SetFiveWhysDocument,
  TransitionReviewDocument,
  UpdateReviewDocument,
  type ActionItemKind,
  type ActionItemStatus,
  type RootCauseCategory,
} from '@/gql/graphql';
import { describeError } from '@/lib/errors';
import { ACTION_ITEM_KINDS, ACTION_ITEM_STATUSES, ROOT_CAUSE_CATEGORIES, formatDateTime, humanize, localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { Field, FormError, Submit, int, str, type Option } from './forms';
import { OptionSelect } from './log-incident-form';

function isoToLocalInput(iso?: string | null): string {
  return iso ? iso.slice(0, 16) : '';
}

export function StartReviewForm({ incidents, users }: { incidents: { id: string; number: string; title: string }[]; users: Option[] }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateReviewDocument);
  const [picked, setPicked] = useState<string[]>([]);
  const first = incidents.find((i) => i.id === picked[0]);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          {
            input: {
              incidentIds: picked,
              title: str(f, 'title') ?? (first ? `Review of ${first.number}: ${first.title}` : 'Review'),
              facilitatorId: str(f, 'facilitatorId'),
              meetingAt: localInputToIso(f.get('meetingAt')),
            },
          },
          { refresh: false },
        );
        if (r) router.push(`/reviews/${r.createReview.id}`);
      }}
    >
      <fieldset>
        <legend>Incidents to cover</legend>
        <ul className="card-list" style={{ maxHeight: '24rem', overflowY: 'auto' }}>
          {incidents.map((i) => (
            <li key={i.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={picked.includes(i.id)}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, i.id] : p.filter((x) => x !== i.id)))}
                />
                <span className="mono">{i.number}</span> {i.title}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="form" style={{ marginTop: '0.75rem' }}>
        <Field label="Title" wide hint="Default: Review of the first incident picked">
          <input type="text" name="title" placeholder={first ? `Review of ${first.number}: ${first.title}` : ''} />
        </Field>
        <Field label="Facilitator">
          <OptionSelect name="facilitatorId" options={users} empty="—" />
        </Field>
        <Field label="Meeting (UTC)">
          <input type="datetime-local" name="meetingAt" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <button type="submit" className="btn primary" disabled={busy || picked.length === 0}>
            {busy ? 'Working…' : `Start review of ${picked.length || 'the picked'} incident${picked.length === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </form>
  );
}

export function StartReviewButton({ incidentId, title }: { incidentId: string; title: string }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateReviewDocument);
  return (
    <span>
      <button
        type="button"
        className="btn primary small"
        disabled={busy} aria-busy={busy}
        onClick={async () => {
          const r = await run({ input: { incidentIds: [incidentId], title } }, { refresh: false });
          if (r) router.push(`/reviews/${r.createReview.id}`);
        }}
      >
        {busy ? 'Working…' : 'Start review'}
      </button>
      <FormError error={error} />
    </span>
  );
}

export interface ReviewFields {
  id: string;
  title: string;
  summary: string;
  customerImpact: string;
  usersAffected?: number | null;
  wentWell: string;
  wentBadly: string;
  lessons: string;
  meetingAt?: string | null;
  facilitatorId?: string | null;
  templateId?: string | null;
  participantIds: string[];
  externalParticipants: string[];
}

export function ReviewFieldsForm({ r, users, templates }: { r: ReviewFields; users: Option[]; templates: Option[] }) {
  const { run, busy, error, done } = useAction(UpdateReviewDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const text = (k: string) => (f.get(k) as string | null) ?? '';
        const participants = [
          ...f.getAll('participantIds').map((u) => ({ userId: String(u) })),
          ...text('external')
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
        ];
        run({
          id: r.id,
          input: {
            title: str(f, 'title'),
            summary: text('summary'),
            customerImpact: text('customerImpact'),
            usersAffected: int(f, 'usersAffected'),
            wentWell: text('wentWell'),
            wentBadly: text('wentBadly'),
            lessons: text('lessons'),
            meetingAt: localInputToIso(f.get('meetingAt')),
            facilitatorId: str(f, 'facilitatorId'),
            templateId: str(f, 'templateId'),
            participants,
          },
        });
      }}
    >
      <Field label="Title" wide>
        <input type="text" name="title" defaultValue={r.title} required />
      </Field>
      <Field label="Summary" wide>
        <textarea name="summary" defaultValue={r.summary} rows={4} />
      </Field>
      <Field label="Customer impact" wide>
        <textarea name="customerImpact" defaultValue={r.customerImpact} rows={3} />
      </Field>
      <Field label="Users affected">
        <input type="number" name="usersAffected" min={0} defaultValue={r.usersAffected ?? ''} />
      </Field>
      <Field label="Meeting (UTC)">
        <input type="datetime-local" name="meetingAt" defaultValue={isoToLocalInput(r.meetingAt)} />
      </Field>
      <Field label="Facilitator">
        <OptionSelect name="facilitatorId" options={users} defaultValue={r.facilitatorId} empty="—" />
      </Field>
      <Field label="Template" hint="Decides the required sections">
        <OptionSelect name="templateId" options={templates} defaultValue={r.templateId} empty="Chosen automatically" />
      </Field>
      <Field label="Participants" hint="Ctrl/⌘-click to pick several">
        <select name="participantIds" multiple size={5} defaultValue={r.participantIds}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Other participants" hint="Names outside the directory, comma-separated">
        <input type="text" name="external" defaultValue={r.externalParticipants.join(', ')} />
      </Field>
      <Field label="What went well" wide>
        <textarea name="wentWell" defaultValue={r.wentWell} rows={3} />
      </Field>
      <Field label="What went badly" wide>
        <textarea name="wentBadly" defaultValue={r.wentBadly} rows={3} />
      </Field>
      <Field label="Lessons" wide>
        <textarea name="lessons" defaultValue={r.lessons} rows={3} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Save review</Submit>
        {done && !error ? <span className="form-ok" role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

export interface TimelineItem {
  id: string;
  at: string;
  kind: string;
  source: string;
  summary: string;
  actorName?: string | null;
  incidentNumber?: string | null;
  starred: boolean;
  hidden: boolean;
  annotation?: string | null;
}

function TimelineRow({ reviewId, item, editable }: { reviewId: string; item: TimelineItem; editable: boolean }) {
  const curate = useAction(CurateTimelineEntryDocument);
  const remove = useAction(RemoveTimelineEntryDocument);
  const [annotating, setAnnotating] = useState(false);
  return (
    <li className={`${item.starred ? 'starred' : ''} ${item.hidden ? 'hidden-entry' : ''} kind-${item.kind.toLowerCase()}`}>
      <div className="meta">
        <time dateTime={item.at}>{formatDateTime(item.at)}</time> · {humanize(item.kind)}
        {item.incidentNumber ? ` · ${item.incidentNumber}` : ''}
        {item.actorName ? ` · ${item.actorName}` : ''}
        {item.source === 'ADDED' ? ' · added by reviewers' : ''}
        {item.hidden ? ' · hidden' : ''}
      </div>
      <div>
        {item.starred ? <span aria-label="Starred">★ </span> : null}
        {item.summary}
      </div>
      {item.annotation ? <div className="annotation">Note: {item.annotation}</div> : null}
      {editable ? (
        <div className="actions small">
          <button
            type="button"
            className="btn link small"
            aria-pressed={item.starred}
            disabled={curate.busy} aria-busy={curate.busy}
            onClick={() => curate.run({ id: reviewId, entryId: item.id, input: { starred: !item.starred } })}
          >
            {item.starred ? 'Unstar' : 'Star'}
          </button>
          <button
            type="button"
            className="btn link small"
            aria-pressed={item.hidden}
            disabled={curate.busy} aria-busy={curate.busy}
            onClick={() => curate.run({ id: reviewId, entryId: item.id, input: { hidden: !item.hidden } })}
          >
            {item.hidden ? 'Show' : 'Hide'}
          </button>
          <button type="button" className="btn link small" aria-expanded={annotating} onClick={() => setAnnotating((a) => !a)}>
            Annotate
          </button>
          {item.source === 'ADDED' ? (
            <button type="button" className="btn link small" disabled={remove.busy} aria-busy={remove.busy} onClick={() => remove.run({ id: reviewId, entryId: item.id })}>
              Remove
            </button>
          ) : null}
        </div>
      ) : null}
      {annotating ? (
        <form
          className="actions"
          onSubmit={async (e) => {
            e.preventDefault();
            const text = String(new FormData(e.currentTarget).get('annotation') ?? '');
            if (await curate.run({ id: reviewId, entryId: item.id, input: { annotation: text } })) setAnnotating(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`ann-${item.id}`}>
            Annotation
          </label>
          <input id={`ann-${item.id}`} type="text" name="annotation" defaultValue={item.annotation ?? ''} style={{ maxWidth: '28rem' }} autoFocus />
          <button type="submit" className="btn primary small">
            Save note
          </button>
        </form>
      ) : null}
      <FormError error={curate.error ?? remove.error} />
    </li>
  );
}

export function TimelineCuration({ reviewId, items, editable }: { reviewId: string; items: TimelineItem[]; editable: boolean }) {
  const add = useAction(AddTimelineEntryDocument);
  const [showHidden, setShowHidden] = useState(false);
  const visible = showHidden ? items : items.filter((i) => !i.hidden);
  const hiddenCount = items.filter((i) => i.hidden).length;
  return (
    <div>
      <div className="actions" style={{ marginBottom: '0.5rem' }}>
        <label className="check small">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Show hidden entries ({hiddenCount})
        </label>
      </div>
      {visible.length ? (
        <ol className="timeline" aria-label="Review timeline">
          {visible.map((i) => (
            <TimelineRow key={i.id} reviewId={reviewId} item={i} editable={editable} />
          ))}
        </ol>
      ) : (
        <p className="empty">No timeline entries{hiddenCount ? ' shown' : ''}.</p>
      )}
      {editable ? (
        <details className="action" style={{ marginTop: '0.5rem' }}>
          <summary>Add an entry</summary>
          <div className="body">
            <form
              className="form"
              onSubmit={async (e) => {
                e.preventDefault();
                const form = e.currentTarget;
                const f = new FormData(form);
                const at = localInputToIso(f.get('at'));
                if (await add.run({ id: reviewId, input: { at: at ?? '', text: str(f, 'text') ?? '' } })) form.reset();
              }}
            >
              <Field label="When (UTC)">
                <input type="datetime-local" name="at" required />
              </Field>
              <Field label="What happened" wide>
                <input type="text" name="text" required />
              </Field>
              <FormError error={add.error} />
              <div className="actions">
                <Submit busy={add.busy}>Add entry</Submit>
              </div>
            </form>
          </div>
        </details>
      ) : null}
    </div>
  );
}

export interface FactorView {
  id: string;
  description: string;
  evidence: string[];
  category: { key: string; name: string };
}

export function ContributingFactors({
  reviewId,
  factors,
  categories,
  timeline,
  editable,
}: {
  reviewId: string;
  factors: FactorView[];
  categories: { key: string; name: string; description: string }[];
  timeline: TimelineItem[];
  editable: boolean;
}) {
  const add = useAction(AddContributingFactorDocument);
  const remove = useAction(RemoveContributingFactorDocument);
  const byId = new Map(timeline.map((t) => [t.id, t]));
  const pickable = timeline.filter((t) => !t.hidden);
  return (
    <div>
      {factors.length ? (
        <ul className="card-list">
          {factors.map((f) => (
            <li key={f.id}>
              <span className="badge">{f.category.name}</span> {f.description}
              {f.evidence.length ? (
                <ul className="reasons" aria-label="Evidence">
                  {f.evidence.map((ev) => {
                    const t = byId.get(ev);
                    return <li key={ev}>{t ? `${formatDateTime(t.at)} — ${t.summary}` : ev}</li>;
                  })}
                </ul>
              ) : (
                <div className="muted small">No evidence picked.</div>
              )}
              {editable ? (
                <button type="button" className="btn link small" disabled={remove.busy} aria-busy={remove.busy} onClick={() => remove.run({ id: f.id })}>
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No contributing factors yet.</p>
      )}
      <FormError error={remove.error} />
      {editable ? (
        <details className="action" style={{ marginTop: '0.5rem' }}>
          <summary>Add a contributing factor</summary>
          <div className="body">
            <form
              className="form"
              onSubmit={async (e) => {
                e.preventDefault();
                const form = e.currentTarget;
                const f = new FormData(form);
                const ok = await add.run({
                  reviewId,
                  input: { categoryKey: str(f, 'categoryKey') ?? '', description: str(f, 'description') ?? '', evidence: f.getAll('evidence').map(String) },
                });
                if (ok) form.reset();
              }}
            >
              <Field label="Kind">
                <select name="categoryKey" required defaultValue="">
                  <option value="" disabled>
                    Choose
                  </option>
                  {categories.map((c) => (
                    <option key={c.key} value={c.key} title={c.description}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Description" wide>
                <textarea name="description" required rows={2} />
              </Field>
              <fieldset className="wide">
                <legend>Evidence from the timeline</legend>
                <div style={{ maxHeight: '14rem', overflowY: 'auto' }}>
                  {pickable.map((t) => (
                    <label key={t.id} className="check small">
                      <input type="checkbox" name="evidence" value={t.id} /> {t.starred ? '★ ' : ''}
                      {formatDateTime(t.at)} — {t.summary}
                    </label>
                  ))}
                </div>
              </fieldset>
              <FormError error={add.error} />
              <div className="actions">
                <Submit busy={add.busy}>Add factor</Submit>
              </div>
            </form>
          </div>
        </details>
      ) : null}
    </div>
  );
}

export function FiveWhysEditor({
  reviewId,
  whys,
  problem,
  editable,
}: {
  reviewId: string;
  whys: { why: string; answer: string }[];
  problem?: { id: string; number: string; title: string } | null;
  editable: boolean;
}) {
  const client = useApolloClient();
  const save = useAction(SetFiveWhysDocument);
  const [rows, setRows] = useState(whys.length ? whys : [{ why: '', answer: '' }]);
  const [mode, setMode] = useState<'existing' | 'new'>(problem ? 'existing' : 'new');
  const [picked, setPicked] = useState<{ id: string; number: string; title: string } | null>(problem ?? null);
  const [results, setResults] = useState<{ id: string; number: string; title: string; status: string }[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  if (!editable) {
    return whys.length ? (
      <ol>
        {whys.map((w, n) => (
          <li key={n}>
            <strong>{w.why}</strong> — {w.answer}
          </li>
        ))}
      </ol>
    ) : (
      <p className="empty">No five whys recorded.</p>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const clean = rows.filter((r) => r.why.trim() || r.answer.trim());
        save.run({
          id: reviewId,
          input:
            mode === 'existing'
              ? { whys: clean, problemId: picked?.id }
              : {
                  whys: clean,
                  newProblem: {
                    title: str(f, 'npTitle') ?? '',
                    rootCause: str(f, 'npRootCause') ?? '',
                    rootCauseCategory: (str(f, 'npCategory') ?? 'UNKNOWN') as RootCauseCategory,
                  },
                },
        });
      }}
    >
      <ol className="card-list" style={{ listStyle: 'decimal inside' }}>
        {rows.map((r, n) => (
          <li key={n}>
            <div className="form">
              <Field label={`Why ${n + 1}?`}>
                <input type="text" value={r.why} onChange={(e) => setRows((rs) => rs.map((x, j) => (j === n ? { ...x, why: e.target.value } : x)))} />
              </Field>
              <Field label="Because">
                <input type="text" value={r.answer} onChange={(e) => setRows((rs) => rs.map((x, j) => (j === n ? { ...x, answer: e.target.value } : x)))} />
              </Field>
              <div className="actions">
                <button type="button" className="btn link small" onClick={() => setRows((rs) => rs.filter((_, j) => j !== n))} aria-label={`Remove why ${n + 1}`}>
                  Remove
                </button>
              </div>
            </div>
          </li>
        ))}
      </ol>
      <p>
        <button type="button" className="btn plain small" onClick={() => setRows((rs) => [...rs, { why: '', answer: '' }])}>
          Add a why
        </button>
      </p>
      <fieldset>
        <legend>Root cause: the problem the whys end in</legend>
        <div className="checks">
          <label>
            <input type="radio" name="mode" checked={mode === 'existing'} onChange={() => setMode('existing')} /> An existing problem
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'new'} onChange={() => setMode('new')} /> A new problem
          </label>
        </div>
        {mode === 'existing' ? (
          <div>
            <p className="small">
              {picked ? (
                <>
                  Chosen: <span className="mono">{picked.number}</span> {picked.title}
                </>
              ) : (
                <span className="muted">None chosen yet.</span>
              )}
            </p>
            <div className="actions">
              <label className="visually-hidden" htmlFor="why-problem">
                Find a problem
              </label>
              <input id="why-problem" type="search" placeholder="Find a problem" style={{ maxWidth: '18rem' }} name="problemText" />
              <button
                type="button"
                className="btn plain small"
                onClick={async (e) => {
                  const input = (e.currentTarget.previousElementSibling as HTMLInputElement | null)?.value ?? '';
                  setErr(null);
                  try {
                    const r = await client.query({ query: ProblemPickerDocument, variables: { text: input || undefined } });
                    if (r.error) throw r.error;
                    setResults(r.data?.problems.nodes ?? []);
                  } catch (x) {
                    setErr(describeError(x));
                  }
                }}
              >
                Find
              </button>
            </div>
            {results ? (
              <ul className="card-list" style={{ marginTop: '0.5rem' }}>
                {results.map((p) => (
                  <li key={p.id}>
                    <span className="mono">{p.number}</span> {p.title} <span className="muted small">({humanize(p.status)})</span>{' '}
                    <button type="button" className="btn primary small" onClick={() => setPicked(p)}>
                      Choose
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : (
          <div className="form">
            <Field label="Problem title" wide>
              <input type="text" name="npTitle" required />
            </Field>
            <Field label="Root-cause category">
              <select name="npCategory" defaultValue="UNKNOWN">
                {ROOT_CAUSE_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {humanize(c)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Root cause" wide>
              <textarea name="npRootCause" required rows={2} />
            </Field>
          </div>
        )}
      </fieldset>
      <FormError error={err ?? save.error} />
      <div className="actions" style={{ marginTop: '0.5rem' }}>
        <Submit busy={save.busy}>Save five whys and root cause</Submit>
      </div>
    </form>
  );
}

export interface ActionItemView {
  id: string;
  title: string;
  kind: string;
  status: string;
  priority: number;
  dueDate: string;
  overdue: boolean;
  wontDoReason?: string | null;
  recurrencesAfter?: number | null;
  owner: { id: string; name: string };
  problem?: { id: string; number: string } | null;
  workaround?: { id: string; title: string } | null;
}

function ActionItemRow({ item, editable, canRemove }: { item: ActionItemView; editable: boolean; canRemove: boolean }) {
  const setStatus = useAction(SetActionItemStatusDocument);
  const remove = useAction(RemoveActionItemDocument);
  const [wontDo, setWontDo] = useState(false);
  return (
    <li>
      <strong>{item.title}</strong> <span className={`badge status-${item.status.toLowerCase()}`}>{humanize(item.status)}</span>{' '}
      {item.overdue ? <span className="badge priority-1">Overdue</span> : null}
      <div className="muted small">
        {humanize(item.kind)} · P{item.priority} · {item.owner.name} · due {item.dueDate}
        {item.problem ? ` · ${item.problem.number}` : ''}
        {item.workaround ? ` · workaround: ${item.workaround.title}` : ''}
        {item.recurrencesAfter != null ? ` · ${item.recurrencesAfter} recurrences since done` : ''}
        {item.wontDoReason ? ` · won't do: ${item.wontDoReason}` : ''}
      </div>
      {editable ? (
        <div className="actions small">
          <label className="visually-hidden" htmlFor={`ai-${item.id}`}>
            Status of {item.title}
          </label>
          <select
            id={`ai-${item.id}`}
            value={item.status}
            disabled={setStatus.busy} aria-busy={setStatus.busy}
            style={{ width: 'auto' }}
            onChange={(e) => {
              const status = e.target.value as ActionItemStatus;
              if (status === 'WONT_DO') setWontDo(true);
              else setStatus.run({ id: item.id, input: { status } });
            }}
          >
            {ACTION_ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
          {canRemove ? (
            <button type="button" className="btn link small" disabled={remove.busy} aria-busy={remove.busy} onClick={() => remove.run({ id: item.id })}>
              Remove
            </button>
          ) : null}
        </div>
      ) : null}
      {wontDo ? (
        <form
          className="actions"
          onSubmit={async (e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get('reason') ?? '');
            if (await setStatus.run({ id: item.id, input: { status: 'WONT_DO', reason } })) setWontDo(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`wd-${item.id}`}>
            Why it won&apos;t be done
          </label>
          <input id={`wd-${item.id}`} name="reason" required placeholder="Why it won't be done" style={{ maxWidth: '24rem' }} autoFocus />
          <button type="submit" className="btn primary small">
            Save
          </button>
          <button type="button" className="btn plain small" onClick={() => setWontDo(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      <FormError error={setStatus.error ?? remove.error} />
    </li>
  );
}

export function ActionItems({
  reviewId,
  items,
  users,
  problemId,
  editable,
  onlyOwnedBy,
  canAdd,
  canRemove = canAdd,
}: {
  reviewId: string;
  items: ActionItemView[];
  users: Option[];
  problemId?: string | null;
  /** Status changes (owners, often engineers, may move their items on). */
  editable: boolean;
  /** Set for engineers: only the items of this owner may be moved (null: none). */
  onlyOwnedBy?: string | null;
  canAdd: boolean;
  canRemove?: boolean;
}) {
  const add = useAction(AddActionItemDocument);
  return (
    <div>
      {items.length ? (
        <ul className="card-list">
          {items.map((a) => (
            <ActionItemRow key={a.id} item={a} editable={editable && (onlyOwnedBy === undefined || a.owner.id === onlyOwnedBy)} canRemove={canRemove} />
          ))}
        </ul>
      ) : (
        <p className="empty">No action items yet.</p>
      )}
      {canAdd ? (
        <details className="action" style={{ marginTop: '0.5rem' }}>
          <summary>Add an action item</summary>
          <div className="body">
            <form
              className="form"
              onSubmit={async (e) => {
                e.preventDefault();
                const form = e.currentTarget;
                const f = new FormData(form);
                const ok = await add.run({
                  reviewId,
                  input: {
                    title: str(f, 'title') ?? '',
                    kind: (str(f, 'kind') ?? 'PREVENT') as ActionItemKind,
                    ownerId: str(f, 'ownerId') ?? '',
                    dueDate: str(f, 'dueDate') ?? '',
                    priority: int(f, 'priority') ?? 3,
                    problemId: f.get('linkProblem') === 'on' ? (problemId ?? undefined) : undefined,
                  },
                });
                if (ok) form.reset();
              }}
            >
              <Field label="Title" wide>
                <input type="text" name="title" required />
              </Field>
              <Field label="Kind">
                <select name="kind" defaultValue="PREVENT">
                  {ACTION_ITEM_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {humanize(k)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Owner">
                <OptionSelect name="ownerId" options={users} empty="Choose" required />
              </Field>
              <Field label="Due date">
                <input type="date" name="dueDate" required />
              </Field>
              <Field label="Priority" hint="1 highest .. 5 lowest">
                <input type="number" name="priority" min={1} max={5} defaultValue={3} />
              </Field>
              {problemId ? (
                <label className="check">
                  <input type="checkbox" name="linkProblem" defaultChecked /> Targets the root-cause problem
                </label>
              ) : null}
              <FormError error={add.error} />
              <div className="actions">
                <Submit busy={add.busy}>Add action item</Submit>
              </div>
            </form>
          </div>
        </details>
      ) : null}
    </div>
  );
}

export function ReviewStatusActions({ id, status, missing }: { id: string; status: string; missing: string[] }) {
  const { run, busy, error } = useAction(TransitionReviewDocument);
  const [reason, setReason] = useState('');
  return (
    <div>
      <div className="actions">
        {status === 'DRAFT' ? (
          <button type="button" className="btn primary" disabled={busy} aria-busy={busy} onClick={() => run({ id, to: 'IN_REVIEW' })}>
            Send to review
          </button>
        ) : null}
        {status === 'IN_REVIEW' ? (
          <button
            type="button"
            className="btn primary"
            disabled={busy} aria-busy={busy}
            aria-describedby={missing.length ? 'missing-sections' : undefined}
            onClick={() => run({ id, to: 'PUBLISHED' })}
          >
            Publish
          </button>
        ) : null}
      </div>
      {status !== 'DRAFT' ? (
        <form
          className="actions"
          style={{ marginTop: '0.5rem' }}
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run({ id, to: 'DRAFT', reason })) setReason('');
          }}
        >
          <label className="visually-hidden" htmlFor="back-reason">
            Why back to draft
          </label>
          <input id="back-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why back to draft" required style={{ maxWidth: '16rem' }} />
          <button type="submit" className="btn plain small" disabled={busy} aria-busy={busy}>
            Back to draft
          </button>
        </form>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

export function ReviewIncidents({
  reviewId,
  incidents,
  editable,
}: {
  reviewId: string;
  incidents: { id: string; number: string; title: string }[];
  editable: boolean;
}) {
  const client = useApolloClient();
  const add = useAction(AddIncidentsToReviewDocument);
  const remove = useAction(RemoveIncidentsFromReviewDocument);
  const [err, setErr] = useState<string | null>(null);
  return (
    <div>
      <ul className="card-list">
        {incidents.map((i) => (
          <li key={i.id}>
            <a href={`/incidents/${encodeURIComponent(i.number)}`} className="mono">
              {i.number}
            </a>{' '}
            {i.title}{' '}
            {editable && incidents.length > 1 ? (
              <button type="button" className="btn link small" disabled={remove.busy} aria-busy={remove.busy} onClick={() => remove.run({ id: reviewId, incidentIds: [i.id] })}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <form
          className="actions"
          style={{ marginTop: '0.5rem' }}
          onSubmit={async (e) => {
            e.preventDefault();
            setErr(null);
            const form = e.currentTarget;
            const number = String(new FormData(form).get('number') ?? '').trim();
            if (!number) return;
            try {
              const r = await client.query({ query: IncidentIdByNumberDocument, variables: { number } });
              if (r.error) throw r.error;
              const inc = r.data?.incidentByNumber;
              if (!inc) return setErr(`No incident ${number}.`);
              if (await add.run({ id: reviewId, incidentIds: [inc.id] })) form.reset();
            } catch (x) {
              setErr(describeError(x));
            }
          }}
        >
          <label className="visually-hidden" htmlFor="add-inc">
            Incident number
          </label>
          <input id="add-inc" name="number" type="text" placeholder="INC-000123" style={{ maxWidth: '10rem' }} />
          <button type="submit" className="btn plain small" disabled={add.busy} aria-busy={add.busy}>
            Add incident
          </button>
        </form>
      ) : null}
      <FormError error={err ?? add.error ?? remove.error} />
    </div>
  );
}
