'use client';
// Interactive parts of the incident page. Each runs one mutation through the same-origin proxy
// and refreshes the server-rendered page; API errors are shown next to the form with their message.
import { useApolloClient } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import {
  AcknowledgeIncidentDocument,
  AddStakeholderUpdateDocument,
  AddTimeEntryDocument,
  ApplyIncidentModelDocument,
  ApplyWorkaroundDocument,
  AssignIncidentDocument,
  ClassifyIncidentDocument,
  CreateIncidentModelFromIncidentDocument,
  CreateProblemFromIncidentDocument,
  CreateWorkaroundFromIncidentDocument,
  LinkIncidentToProblemDocument,
  ProblemPickerDocument,
  RecordConfigurationChangeDocument,
  RecordEscalationDocument,
  ReopenIncidentDocument,
  SetChecklistItemDoneDocument,
  TransitionIncidentDocument,
  TriggerDisasterRecoveryDocument,
  UnlinkIncidentFromProblemDocument,
  UpdateIncidentDocument,
  type EscalationKind,
  type HoldReason,
  type ResolutionKind,
  type RootCauseCategory,
} from '@/gql/graphql';
import { describeError } from '@/lib/errors';
import { HOLD_REASONS, PRIORITY_LABELS, RESOLUTION_KINDS, ROOT_CAUSE_CATEGORIES, humanize, localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { Field, FormError, Submit, bool, int, str, type Option } from './forms';
import { CategorySelect, LevelSelect, OptionSelect, type CategoryOption } from './log-incident-form';

/** A disclosure holding one form: keyboard and screen-reader friendly without any script. */
function Action({ summary, children, open }: { summary: string; children: React.ReactNode; open?: boolean }) {
  return (
    <details className="action" open={open}>
      <summary>{summary}</summary>
      <div className="body">{children}</div>
    </details>
  );
}

export function AcknowledgeButton({ id }: { id: string }) {
  const { run, busy, error } = useAction(AcknowledgeIncidentDocument);
  return (
    <span>
      <button type="button" className="btn primary" disabled={busy} aria-busy={busy} onClick={() => run({ id })}>
        {busy ? 'Working…' : 'Acknowledge'}
      </button>
      <FormError error={error} />
    </span>
  );
}

function QuickTransition({ id, to, label, variant }: { id: string; to: 'INVESTIGATING' | 'REVIEWED'; label: string; variant?: string }) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  return (
    <span>
      <button type="button" className={`btn ${variant ?? 'plain'}`} disabled={busy} aria-busy={busy} onClick={() => run({ id, input: { to } })}>
        {busy ? 'Working…' : label}
      </button>
      <FormError error={error} />
    </span>
  );
}

function HoldForm({ id }: { id: string }) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { to: 'ON_HOLD', holdReason: str(f, 'holdReason') as HoldReason, note: str(f, 'note') } });
      }}
    >
      <Field label="Waiting for">
        <select name="holdReason" required defaultValue="">
          <option value="" disabled>
            Choose a reason
          </option>
          {HOLD_REASONS.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Note" wide>
        <input type="text" name="note" placeholder="What exactly, and from whom" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Put on hold</Submit>
      </div>
    </form>
  );
}

function ResolveForm({ id, workarounds }: { id: string; workarounds: Option[] }) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({
          id,
          input: {
            to: 'RESOLVED',
            resolutionKind: str(f, 'kind') as ResolutionKind,
            resolutionCode: str(f, 'code'),
            resolutionNotes: str(f, 'notes'),
            workaroundId: str(f, 'workaroundId'),
            occurredAt: localInputToIso(f.get('occurredAt')),
          },
        });
      }}
    >
      <Field label="How was service restored?">
        <select name="kind" required defaultValue="">
          <option value="" disabled>
            Choose
          </option>
          {RESOLUTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {humanize(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Resolution code">
        <input type="text" name="code" placeholder="e.g. RESTART, CONFIG-ROLLBACK" />
      </Field>
      <Field label="Workaround that restored service" hint="Only workarounds applied to this incident">
        <OptionSelect name="workaroundId" options={workarounds} empty="None" />
      </Field>
      <Field label="Resolved at (UTC)" hint="If earlier than now">
        <input type="datetime-local" name="occurredAt" />
      </Field>
      <Field label="Notes" wide>
        <textarea name="notes" rows={3} placeholder="What was done" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Resolve</Submit>
      </div>
    </form>
  );
}

function CloseForm({ id, number }: { id: string; number: string }) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  const [confirming, setConfirming] = useState<null | { userConfirmed: boolean; note?: string }>(null);
  if (confirming) {
    return (
      <div role="alertdialog" aria-labelledby="close-confirm" className="missing">
        <p id="close-confirm">
          <strong>Close {number}?</strong> A closed incident is read-only: only reopening and review links stay possible.
        </p>
        <FormError error={error} />
        <div className="actions">
          <button type="button" className="btn danger" disabled={busy} aria-busy={busy} autoFocus onClick={() => run({ id, input: { to: 'CLOSED', ...confirming } })}>
            {busy ? 'Working…' : 'Yes, close it'}
          </button>
          <button type="button" className="btn plain" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setConfirming({ userConfirmed: str(f, 'confirmed') === 'yes', note: str(f, 'note') });
      }}
    >
      <fieldset className="wide">
        <legend>Did the user confirm the resolution?</legend>
        <div className="checks">
          <label>
            <input type="radio" name="confirmed" value="yes" required /> Yes
          </label>
          <label>
            <input type="radio" name="confirmed" value="no" /> No (confirmation window lapsed)
          </label>
        </div>
      </fieldset>
      <Field label="Note" wide>
        <input type="text" name="note" />
      </Field>
      <div className="actions">
        <button type="submit" className="btn primary">
          Close…
        </button>
      </div>
    </form>
  );
}

function ReopenForm({ id }: { id: string }) {
  const { run, busy, error } = useAction(ReopenIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, reason: str(f, 'reason') ?? '' });
      }}
    >
      <Field label="Why does it need reopening?" wide>
        <input type="text" name="reason" required placeholder="The resolution did not hold because…" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy} variant="danger">
          Reopen
        </Submit>
      </div>
    </form>
  );
}

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
          <QuickTransition id={id} to="INVESTIGATING" label={status === 'ON_HOLD' ? 'Resume investigation' : 'Start investigating'} variant="primary" />
        ) : null}
        {targets.includes('REVIEWED') ? <QuickTransition id={id} to="REVIEWED" label="Mark reviewed" /> : null}
      </div>
      {targets.includes('ON_HOLD') ? (
        <Action summary="Put on hold…">
          <HoldForm id={id} />
        </Action>
      ) : null}
      {targets.includes('RESOLVED') ? (
        <Action summary="Resolve…">
          <ResolveForm id={id} workarounds={appliedWorkarounds} />
        </Action>
      ) : null}
      {targets.includes('CLOSED') ? (
        <Action summary="Close…">
          <CloseForm id={id} number={number} />
        </Action>
      ) : null}
      {reopen ? (
        <Action summary="Reopen…">
          <ReopenForm id={id} />
        </Action>
      ) : null}
    </div>
  );
}

export function ClassifyForm({
  id,
  serviceId,
  categoryId,
  impact,
  urgency,
  priority,
  overridden,
  overrideReason,
  services,
  categories,
}: {
  id: string;
  serviceId?: string | null;
  categoryId?: string | null;
  impact: number;
  urgency: number;
  priority: number;
  overridden: boolean;
  overrideReason?: string | null;
  services: Option[];
  categories: CategoryOption[];
}) {
  const { run, busy, error, done } = useAction(ClassifyIncidentDocument);
  const [override, setOverride] = useState(overridden);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const manual = bool(f, 'override');
        run({
          id,
          input: {
            serviceId: str(f, 'serviceId'),
            categoryId: str(f, 'categoryId'),
            impact: int(f, 'impact'),
            urgency: int(f, 'urgency'),
            ...(manual ? { priority: int(f, 'priority'), priorityReason: str(f, 'priorityReason') } : overridden ? { clearPriorityOverride: true } : {}),
          },
        });
      }}
    >
      <Field label="Service">
        <OptionSelect name="serviceId" options={services} defaultValue={serviceId} empty="Not set" />
      </Field>
      <Field label="Category">
        <CategorySelect name="categoryId" categories={categories} defaultValue={categoryId ?? undefined} empty="Not set" />
      </Field>
      <Field label="Impact">
        <LevelSelect name="impact" defaultValue={impact} />
      </Field>
      <Field label="Urgency">
        <LevelSelect name="urgency" defaultValue={urgency} />
      </Field>
      <label className="check wide">
        <input type="checkbox" name="override" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Override the derived priority
      </label>
      {override ? (
        <>
          <Field label="Priority">
            <select name="priority" defaultValue={String(priority)}>
              {[1, 2, 3, 4, 5].map((p) => (
                <option key={p} value={p}>
                  P{p} {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reason for the override" wide>
            <input type="text" name="priorityReason" required defaultValue={overrideReason ?? ''} placeholder="Why the matrix is wrong here" />
          </Field>
        </>
      ) : null}
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Save classification</Submit>
        {done && !error ? <span className="form-ok" role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

export function AssignForm({ id, teamId, assigneeId, teams, users }: { id: string; teamId?: string | null; assigneeId?: string | null; teams: Option[]; users: Option[] }) {
  const { run, busy, error, done } = useAction(AssignIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { teamId: str(f, 'teamId') ?? null, assigneeId: str(f, 'assigneeId') ?? null } });
      }}
    >
      <Field label="Team">
        <OptionSelect name="teamId" options={teams} defaultValue={teamId} empty="No team" />
      </Field>
      <Field label="Assignee">
        <OptionSelect name="assigneeId" options={users} defaultValue={assigneeId} empty="Unassigned" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Assign</Submit>
        {done && !error ? <span className="form-ok" role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

export function EditIncidentForm({
  id,
  title,
  description,
  major,
  externalRef,
}: {
  id: string;
  title: string;
  description: string;
  major: boolean;
  externalRef?: string | null;
}) {
  const { run, busy, error, done } = useAction(UpdateIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({
          id,
          input: {
            title: str(f, 'title'),
            description: (f.get('description') as string) ?? '',
            major: bool(f, 'major'),
            externalRef: str(f, 'externalRef') ?? null,
            detectedAt: localInputToIso(f.get('detectedAt')),
          },
        });
      }}
    >
      <Field label="Title" wide>
        <input type="text" name="title" defaultValue={title} required />
      </Field>
      <Field label="Description" wide>
        <textarea name="description" defaultValue={description} rows={4} />
      </Field>
      <Field label="External reference">
        <input type="text" name="externalRef" defaultValue={externalRef ?? ''} />
      </Field>
      <Field label="Detected at (UTC)" hint="Leave empty to keep">
        <input type="datetime-local" name="detectedAt" />
      </Field>
      <label className="check">
        <input type="checkbox" name="major" defaultChecked={major} /> Major incident
      </label>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Save</Submit>
        {done && !error ? <span className="form-ok" role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

export function StakeholderUpdateForm({ id }: { id: string }) {
  const { run, busy, error } = useAction(AddStakeholderUpdateDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({ id, input: { message: str(f, 'message') ?? '', audience: str(f, 'audience') } });
        if (ok) form.reset();
      }}
    >
      <Field label="Audience">
        <input type="text" name="audience" placeholder="customers, executives…" list="audiences" />
      </Field>
      <datalist id="audiences">
        <option value="customers" />
        <option value="executives" />
        <option value="service desk" />
        <option value="status page" />
      </datalist>
      <Field label="Message" wide>
        <textarea name="message" required rows={3} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Post update</Submit>
      </div>
    </form>
  );
}

export function EscalationForm({ id, teams, users }: { id: string; teams: Option[]; users: Option[] }) {
  const { run, busy, error } = useAction(RecordEscalationDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          id,
          input: { kind: str(f, 'kind') as EscalationKind, reason: str(f, 'reason') ?? '', toTeamId: str(f, 'toTeamId'), toUserId: str(f, 'toUserId') },
        });
        if (ok) form.reset();
      }}
    >
      <Field label="Kind">
        <select name="kind" defaultValue="FUNCTIONAL">
          <option value="FUNCTIONAL">Functional (to another team)</option>
          <option value="HIERARCHICAL">Hierarchical (to management)</option>
          <option value="MAJOR_INCIDENT">Declare a major incident</option>
        </select>
      </Field>
      <Field label="To team">
        <OptionSelect name="toTeamId" options={teams} empty="—" />
      </Field>
      <Field label="To person">
        <OptionSelect name="toUserId" options={users} empty="—" />
      </Field>
      <Field label="Reason" wide>
        <input type="text" name="reason" required />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Escalate</Submit>
      </div>
    </form>
  );
}

export function ConfigChangeForm({ id }: { id: string }) {
  const { run, busy, error } = useAction(RecordConfigurationChangeDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          id,
          input: { configurationItem: str(f, 'ci') ?? '', description: str(f, 'description') ?? '', changeRef: str(f, 'changeRef') },
        });
        if (ok) form.reset();
      }}
    >
      <Field label="Configuration item">
        <input type="text" name="ci" required placeholder="host, service or setting" />
      </Field>
      <Field label="Change reference (RFC)">
        <input type="text" name="changeRef" placeholder="CHG12345" />
      </Field>
      <Field label="What changed" wide>
        <textarea name="description" required rows={2} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Record change</Submit>
      </div>
    </form>
  );
}

export function DisasterRecoveryForm({ id }: { id: string }) {
  const { run, busy, error } = useAction(TriggerDisasterRecoveryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({ id, input: { plan: str(f, 'plan') ?? '', reason: str(f, 'reason') ?? '' } });
        if (ok) form.reset();
      }}
    >
      <Field label="DR plan">
        <input type="text" name="plan" required />
      </Field>
      <Field label="Reason" wide>
        <input type="text" name="reason" required />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy} variant="danger">
          Record DR plan triggered
        </Submit>
      </div>
    </form>
  );
}

export function TimeEntryForm({ incidentId, users }: { incidentId: string; users: Option[] }) {
  const { run, busy, error } = useAction(AddTimeEntryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const rate = str(f, 'rate');
        const ok = await run({
          incidentId,
          input: {
            activity: str(f, 'activity') ?? '',
            minutes: int(f, 'minutes') ?? 0,
            billable: bool(f, 'billable'),
            rateCents: rate ? Math.round(Number(rate) * 100) : undefined,
            note: str(f, 'note'),
            userId: str(f, 'userId'),
            performedAt: localInputToIso(f.get('performedAt')),
          },
        });
        if (ok) form.reset();
      }}
    >
      <Field label="Activity">
        <input type="text" name="activity" required list="activities" />
      </Field>
      <datalist id="activities">
        <option value="diagnosis" />
        <option value="communication" />
        <option value="fix" />
        <option value="review" />
      </datalist>
      <Field label="Minutes" hint="1 .. 1440">
        <input type="number" name="minutes" min={1} max={1440} required />
      </Field>
      <Field label="Hourly rate" hint="In currency units, e.g. 85.00">
        <input type="number" name="rate" min={0} step="0.01" />
      </Field>
      <Field label="Who">
        <OptionSelect name="userId" options={users} empty="Me" />
      </Field>
      <Field label="When (UTC)">
        <input type="datetime-local" name="performedAt" />
      </Field>
      <label className="check">
        <input type="checkbox" name="billable" /> Billable
      </label>
      <Field label="Note" wide>
        <input type="text" name="note" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add time</Submit>
      </div>
    </form>
  );
}

export function ApplyWorkaroundButton({ incidentId, workaroundId, title }: { incidentId: string; workaroundId: string; title: string }) {
  const { run, busy, error, done } = useAction(ApplyWorkaroundDocument);
  return (
    <span>
      <button type="button" className="btn primary small" disabled={busy} aria-busy={busy} aria-label={`Apply workaround: ${title}`} onClick={() => run({ incidentId, workaroundId })}>
        {busy ? 'Applying…' : 'Apply'}
      </button>
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

export function ApplyModelButton({ incidentId, modelId, name }: { incidentId: string; modelId: string; name: string }) {
  const { run, busy, error, done } = useAction(ApplyIncidentModelDocument);
  return (
    <span>
      <button type="button" className="btn primary small" disabled={busy} aria-busy={busy} aria-label={`Apply model: ${name}`} onClick={() => run({ incidentId, modelId })}>
        {busy ? 'Applying…' : 'Apply model'}
      </button>
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

export function ChecklistItem({ itemId, done, text, readOnly }: { itemId: string; done: boolean; text: string; readOnly?: boolean }) {
  const { run, busy, error } = useAction(SetChecklistItemDoneDocument);
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={done} disabled={busy || readOnly} onChange={(e) => run({ itemId, done: e.target.checked })} />
        <span style={done ? { textDecoration: 'line-through' } : undefined}>{text}</span>
      </label>
      <FormError error={error} />
    </>
  );
}

export function ProblemLinkForm({ incidentId, linked }: { incidentId: string; linked: boolean }) {
  const client = useApolloClient();
  const link = useAction(LinkIncidentToProblemDocument);
  const unlink = useAction(UnlinkIncidentFromProblemDocument);
  const [results, setResults] = useState<{ id: string; number: string; title: string; status: string }[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  async function search(text: string) {
    setSearching(true);
    setSearchError(null);
    try {
      const r = await client.query({ query: ProblemPickerDocument, variables: { text: text || undefined } });
      if (r.error) throw r.error;
      setResults(r.data?.problems.nodes ?? []);
    } catch (err) {
      setSearchError(describeError(err));
    } finally {
      setSearching(false);
    }
  }
  return (
    <div>
      {linked ? (
        <p>
          <button type="button" className="btn plain small" disabled={unlink.busy} aria-busy={unlink.busy} onClick={() => unlink.run({ incidentId })}>
            Unlink from problem
          </button>
        </p>
      ) : null}
      <form
        className="actions"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search(String(new FormData(e.currentTarget).get('text') ?? ''));
        }}
      >
        <label className="visually-hidden" htmlFor={`prb-${incidentId}`}>
          Find a problem
        </label>
        <input id={`prb-${incidentId}`} type="search" name="text" placeholder="Find a problem by number or text" style={{ maxWidth: '18rem' }} />
        <button type="submit" className="btn plain small" disabled={searching}>
          {searching ? 'Searching…' : 'Find'}
        </button>
      </form>
      <FormError error={searchError ?? link.error ?? unlink.error} />
      {results ? (
        results.length ? (
          <ul className="card-list" style={{ marginTop: '0.5rem' }}>
            {results.map((p) => (
              <li key={p.id}>
                <span className="mono">{p.number}</span> {p.title} <span className="muted small">({humanize(p.status)})</span>{' '}
                <button type="button" className="btn primary small" disabled={link.busy} aria-busy={link.busy} onClick={() => link.run({ incidentId, problemId: p.id })}>
                  Link
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No problem matches.</p>
        )
      ) : null}
    </div>
  );
}

export function CreateProblemFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateProblemFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          {
            incidentId,
            input: {
              title: str(f, 'title') ?? '',
              rootCauseCategory: str(f, 'rootCauseCategory') as RootCauseCategory | undefined,
              rootCause: str(f, 'rootCause'),
            },
          },
          { refresh: false },
        );
        if (r) router.push(`/problems/${encodeURIComponent(r.createProblemFromIncident.number)}`);
      }}
    >
      <Field label="Problem title" wide>
        <input type="text" name="title" required />
      </Field>
      <Field label="Root-cause category">
        <select name="rootCauseCategory" defaultValue="UNKNOWN">
          {ROOT_CAUSE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Root cause (if known)" wide>
        <textarea name="rootCause" rows={2} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Open problem</Submit>
      </div>
    </form>
  );
}

export function CreateWorkaroundFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateWorkaroundFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run({ incidentId, input: { title: str(f, 'title') ?? '', steps: str(f, 'steps') ?? '', status: 'DRAFT' } }, { refresh: false });
        if (r) router.push(`/workarounds/${r.createWorkaroundFromIncident.id}`);
      }}
    >
      <Field label="Workaround title" wide>
        <input type="text" name="title" required />
      </Field>
      <Field label="Steps (Markdown)" wide>
        <textarea name="steps" rows={5} required placeholder={'1. Check …\n2. Restart …'} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Write workaround (draft)</Submit>
      </div>
    </form>
  );
}

export function CreateModelFromIncidentForm({ incidentId }: { incidentId: string }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateIncidentModelFromIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const checklist = (str(f, 'checklist') ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        const r = await run(
          { incidentId, input: { name: str(f, 'name') ?? '', note: str(f, 'note'), checklist: checklist.length ? checklist : undefined } },
          { refresh: false },
        );
        if (r) router.push(`/models/${r.createIncidentModelFromIncident.id}`);
      }}
    >
      <Field label="Model name" wide>
        <input type="text" name="name" required />
      </Field>
      <Field label="Checklist" wide hint="One step per line; matching hints, defaults and workarounds are prefilled from the incident">
        <textarea name="checklist" rows={3} />
      </Field>
      <Field label="Note" wide>
        <input type="text" name="note" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Make model</Submit>
      </div>
    </form>
  );
}
