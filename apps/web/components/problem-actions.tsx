'use client';
import { checkProblemMove, problemTargets, ROOT_CAUSE_CATEGORIES, type ProblemFacts, type ProblemStatus } from '@ikb/domain';
import { useApolloClient } from '@apollo/client/react';
import { useGuardedRouter } from '@/components/use-guarded-router';
import { useState } from 'react';
import {
  CreateProblemDocument,
  CreateWorkaroundDocument,
  LinkWorkaroundToProblemDocument,
  TransitionProblemDocument,
  UnlinkWorkaroundFromProblemDocument,
  UpdateProblemDocument,
  WorkaroundListDocument,
  type RootCauseCategory,
} from '@/gql/graphql';
import { ConfirmButton } from '@/components/confirm-button';
import { describeError } from '@/lib/errors';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { CategorySelect, Field, FieldErrors, FormError, OptionSelect, Saved, Submit, str, type CategoryOption, type Option } from './forms';

/** Button text per move: the same target reads differently from different states (CLOSED -> OPEN reopens). */
function moveLabel(from: ProblemStatus, to: ProblemStatus): string {
  if (to === 'OPEN') return from === 'CLOSED' ? 'Reopen' : 'Root cause disproved: back to open';
  if (to === 'KNOWN_ERROR') return from === 'FIX_IN_PROGRESS' ? 'Fix stopped: back to known error' : 'Mark known error';
  if (to === 'FIX_IN_PROGRESS') return from === 'RESOLVED' ? 'Fix did not hold: back to fix in progress' : 'Start fix';
  if (to === 'RESOLVED') return 'Mark resolved';
  return 'Close';
}

/** Moves that undo progress or end the record ask first; the question names the problem and what follows. */
function moveQuestion(number: string, from: ProblemStatus, to: ProblemStatus): string | null {
  if (to === 'CLOSED') return `Close ${number}? It leaves the open problem lists; its incidents stay linked and it can be reopened.`;
  if (to === 'OPEN' && from === 'CLOSED') return `Reopen ${number}? It goes back to open and needs a root cause again.`;
  if (to === 'OPEN') return `Move ${number} back to open? It leaves the known-error catalog until its root cause is known again.`;
  if (from === 'RESOLVED') return `Move ${number} back to fix in progress? Its resolution date is cleared.`;
  return null;
}

export interface ProblemMoveFacts extends ProblemFacts {
  id: string;
  number: string;
}

/**
 * The moves the lifecycle allows from the problem's status. A move the problem is not ready for
 * (a known error needs a documented root cause) is not offered as a button; what it lacks is said.
 */
export function ProblemTransitions({ problem }: { problem: ProblemMoveFacts }) {
  const { run, busy, error } = useAction(TransitionProblemDocument);
  const [note, setNote] = useState('');
  const from = problem.status;
  const targets = problemTargets(from);
  const ready = targets.filter((to) => !checkProblemMove(problem, to));
  const blocked = targets.flatMap((to) => {
    const why = checkProblemMove(problem, to);
    return why ? [{ to, why: why.message }] : [];
  });
  if (!targets.length) return <p className="muted">No further move.</p>;
  const move = async (to: ProblemStatus) => {
    const ok = await run({ id: problem.id, to, note: note || undefined });
    if (ok) setNote('');
    return ok;
  };
  return (
    <div>
      <label className="field" style={{ marginBottom: '0.5rem' }}>
        <span className="field-label">Note (kept on the timeline)</span>
        <input type="text" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="actions">
        {ready.map((to) => {
          const question = moveQuestion(problem.number, from, to);
          return question ? (
            <ConfirmButton key={to} label={moveLabel(from, to)} question={question} busy={busy} onConfirm={() => move(to)} />
          ) : (
            <button key={to} type="button" className="btn primary small" disabled={busy} aria-busy={busy} onClick={() => move(to)}>
              {moveLabel(from, to)}
            </button>
          );
        })}
      </div>
      <FormError error={error} />
      {blocked.length ? (
        <ul className="muted small problem-blocked">
          {blocked.map((b) => (
            <li key={b.to}>
              {moveLabel(from, b.to)}: not yet. {b.why}.
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface ProblemFields {
  id?: string;
  title?: string;
  description?: string;
  rootCause?: string | null;
  rootCauseCategory?: string;
  analysisNotes?: string;
  keywords?: string[];
  fixChangeRef?: string | null;
  fixDescription?: string | null;
  serviceId?: string | null;
  categoryId?: string | null;
  ownerId?: string | null;
  teamId?: string | null;
}

function problemInput(f: FormData) {
  return {
    title: str(f, 'title') ?? '',
    description: (f.get('description') as string | null) ?? undefined,
    rootCause: (f.get('rootCause') as string | null) ?? undefined,
    rootCauseCategory: (str(f, 'rootCauseCategory') ?? 'UNKNOWN') as RootCauseCategory,
    analysisNotes: (f.get('analysisNotes') as string | null) ?? undefined,
    keywords: (str(f, 'keywords') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    fixChangeRef: str(f, 'fixChangeRef'),
    fixDescription: str(f, 'fixDescription'),
    serviceId: str(f, 'serviceId'),
    categoryId: str(f, 'categoryId'),
    ownerId: str(f, 'ownerId'),
    teamId: str(f, 'teamId'),
  };
}

function ProblemFieldsView({
  p,
  services,
  categories,
  users,
  teams,
}: {
  p: ProblemFields;
  services: Option[];
  categories: CategoryOption[];
  users: Option[];
  teams: Option[];
}) {
  return (
    <>
      <Field label="Title" wide>
        <input type="text" name="title" required defaultValue={p.title} />
      </Field>
      <Field label="Description" wide>
        <textarea name="description" rows={3} defaultValue={p.description} />
      </Field>
      <Field label="Root-cause category">
        <select name="rootCauseCategory" defaultValue={p.rootCauseCategory ?? 'UNKNOWN'}>
          {ROOT_CAUSE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Service">
        <OptionSelect name="serviceId" options={services} defaultValue={p.serviceId} empty="—" />
      </Field>
      <Field label="Category">
        <CategorySelect name="categoryId" categories={categories} defaultValue={p.categoryId ?? undefined} empty="—" />
      </Field>
      <Field label="Owner">
        <OptionSelect name="ownerId" options={users} defaultValue={p.ownerId} empty="—" />
      </Field>
      <Field label="Team" hint="The team working the problem">
        <OptionSelect name="teamId" options={teams} defaultValue={p.teamId} empty="—" />
      </Field>
      <Field label="Root cause" wide hint="At least 10 characters to count as documented">
        <textarea name="rootCause" rows={3} defaultValue={p.rootCause ?? ''} />
      </Field>
      <Field label="Analysis notes" wide>
        <textarea name="analysisNotes" rows={3} defaultValue={p.analysisNotes} />
      </Field>
      <Field label="Symptom keywords" wide hint="Comma-separated error codes or messages that match incidents">
        <input type="text" name="keywords" defaultValue={(p.keywords ?? []).join(', ')} />
      </Field>
      <Field label="Fix change reference">
        <input type="text" name="fixChangeRef" defaultValue={p.fixChangeRef ?? ''} placeholder="CHG12345" />
      </Field>
      <Field label="Fix description" wide>
        <input type="text" name="fixDescription" defaultValue={p.fixDescription ?? ''} />
      </Field>
    </>
  );
}

export function ProblemEditForm(props: {
  problem: ProblemFields & { id: string };
  services: Option[];
  categories: CategoryOption[];
  users: Option[];
  teams: Option[];
}) {
  const { run, busy, error, errors, done } = useAction(UpdateProblemDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const input = problemInput(new FormData(e.currentTarget));
        run({
          id: props.problem.id,
          input: { ...input, fixChangeRef: input.fixChangeRef ?? null, fixDescription: input.fixDescription ?? null },
        });
      }}
    >
      <FieldErrors errors={errors}>
        <ProblemFieldsView
          p={props.problem}
          services={props.services}
          categories={props.categories}
          users={props.users}
          teams={props.teams}
        />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save problem</Submit>
        <Saved done={done} error={error} />
      </div>
    </form>
  );
}

export function CreateProblemForm(props: { services: Option[]; categories: CategoryOption[]; users: Option[]; teams: Option[] }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateProblemDocument);
  return (
    <form
      className="form panel"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await run({ input: problemInput(new FormData(e.currentTarget)) }, { refresh: false });
        if (r) router.push(`/problems/${encodeURIComponent(r.createProblem.number)}`);
      }}
    >
      <FieldErrors errors={errors}>
        <ProblemFieldsView p={{}} services={props.services} categories={props.categories} users={props.users} teams={props.teams} />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Open problem</Submit>
      </div>
    </form>
  );
}

export function WorkaroundLinks({ problemId }: { problemId: string }) {
  const client = useApolloClient();
  const link = useAction(LinkWorkaroundToProblemDocument);
  const [results, setResults] = useState<{ id: string; title: string; status: string }[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  return (
    <div>
      <form
        className="actions"
        role="search"
        onSubmit={async (e) => {
          e.preventDefault();
          setErr(null);
          const text = String(new FormData(e.currentTarget).get('text') ?? '');
          try {
            const r = await client.query({ query: WorkaroundListDocument, variables: { first: 20, filter: { text: text || undefined } } });
            if (r.error) throw r.error;
            setResults(r.data?.workarounds.nodes ?? []);
          } catch (x) {
            setErr(describeError(x));
          }
        }}
      >
        <label className="visually-hidden" htmlFor={`wa-${problemId}`}>
          Find a workaround
        </label>
        <input id={`wa-${problemId}`} type="search" name="text" placeholder="Find a workaround" style={{ maxWidth: '18rem' }} />
        <button type="submit" className="btn plain small">
          Find
        </button>
      </form>
      <FormError error={err ?? link.error} />
      {results ? (
        results.length ? (
          <ul className="card-list" style={{ marginTop: '0.5rem' }}>
            {results.map((w) => (
              <li key={w.id}>
                {w.title} <span className="muted small">({humanize(w.status)})</span>{' '}
                <button
                  type="button"
                  className="btn primary small"
                  disabled={link.busy}
                  aria-busy={link.busy}
                  onClick={() => link.run({ problemId, workaroundId: w.id })}
                >
                  Link
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No workaround matches.</p>
        )
      ) : null}
    </div>
  );
}

export function UnlinkWorkaroundButton({ problemId, workaroundId, title }: { problemId: string; workaroundId: string; title: string }) {
  const { run, busy, error } = useAction(UnlinkWorkaroundFromProblemDocument);
  return (
    <>
      <ConfirmButton
        label="Unlink"
        accessibleLabel={`Unlink workaround ${title}`}
        question={`Unlink the workaround “${title}” from this problem? Engineers no longer find it through the known error.`}
        busy={busy}
        onConfirm={() => run({ problemId, workaroundId })}
      />
      <FormError error={error} />
    </>
  );
}

export function CreateWorkaroundForm({ problemId }: { problemId?: string }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateWorkaroundDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          {
            input: {
              title: str(f, 'title') ?? '',
              steps: str(f, 'steps') ?? '',
              status: f.get('active') === 'on' ? 'ACTIVE' : 'DRAFT',
              problemIds: problemId ? [problemId] : undefined,
            },
          },
          { refresh: false },
        );
        if (r) router.push(`/workarounds/${r.createWorkaround.id}`);
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Title" wide>
          <input type="text" name="title" required />
        </Field>
        <Field label="Steps (Markdown)" wide>
          <textarea name="steps" rows={6} required placeholder={'1. Check …\n2. Restart …'} />
        </Field>
        <label className="check">
          <input type="checkbox" name="active" /> Active at once (otherwise a draft)
        </label>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Create workaround</Submit>
      </div>
    </form>
  );
}
